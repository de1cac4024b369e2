"""Lasso: ElasticNet with l1_ratio fixed to 1."""

from __future__ import annotations

from ._coordinate_descent import lasso_path
from ._enet import ElasticNet


class Lasso(ElasticNet):
    """Linear regression with an L1 penalty (coordinate descent).

    Minimizes, as :class:`sklearn.linear_model.Lasso`::

        1/(2 n) ||y - b0 - X w||^2 + alpha * sum_j pf_j |w_j|

    Parameters
    ----------
    alpha : float, default=1.0
        Penalty strength (non-negative).
    fit_intercept, precompute, max_iter, copy_X, tol, warm_start, positive, random_state, \
selection, penalty_factor, standardize, n_threads, progress
        As for :class:`fastreg.ElasticNet`.

    Attributes
    ----------
    coef_, sparse_coef_, intercept_, n_iter_, dual_gap_, full_passes_, n_features_in_, \
feature_names_in_
        As for :class:`fastreg.ElasticNet`.
    """

    path = staticmethod(lasso_path)

    def __init__(self, alpha=1.0, *, fit_intercept=True, precompute=False, max_iter=1000,
                 copy_X=True, tol=1e-4, warm_start=False, positive=False, random_state=None,
                 selection="cyclic", penalty_factor=None, standardize=False, n_threads=None,
                 progress=None):
        # no super().__init__: a Lasso has no l1_ratio parameter to store
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.copy_X = copy_X
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
        self.penalty_factor = penalty_factor
        self.standardize = standardize
        self.n_threads = n_threads
        self.progress = progress

    def _l1_ratio(self):
        return 1.0
