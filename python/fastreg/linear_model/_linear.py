"""What every fitted linear model shares: feature names, predict, sparse_coef_."""

from __future__ import annotations

import numpy as np

from .. import _validation as v


def feature_names(X):
    """X's column names when they are all strings (a DataFrame's), else None."""
    columns = getattr(X, "columns", None)
    if columns is None or v.is_sparse(X) or isinstance(X, np.ndarray):
        return None
    names = np.asarray(list(columns), dtype=object)
    if names.size and all(isinstance(c, str) for c in names):
        return names
    return None


class LinearModelMixin:
    """predict = X @ coef_.T + intercept_, with scikit-learn's checks of the input's width
    and feature names; ``sparse_coef_``."""

    def _set_feature_names(self, names):
        if names is not None:
            self.feature_names_in_ = names
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_

    def predict(self, X):
        """Predict with the linear model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_targets)
        """
        self._check_is_fitted()
        names = feature_names(X)
        fitted = getattr(self, "feature_names_in_", None)
        if names is not None and fitted is not None and not np.array_equal(names, fitted):
            raise ValueError("X: the feature names differ from those seen in fit")
        X = v.design_matrix(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but {type(self).__name__} is expecting "
                f"{self.n_features_in_} features as input")
        return np.asarray(X @ np.asarray(self.coef_).T) + self.intercept_

    @property
    def sparse_coef_(self):
        """``coef_`` as a scipy.sparse CSR matrix (imports scipy)."""
        self._check_is_fitted()
        import scipy.sparse

        return scipy.sparse.csr_matrix(np.atleast_2d(self.coef_))
