"""Many phenotypes on the same genotypes: one model per column, one Dask task each."""

from __future__ import annotations

import numpy as np

from ._client import resolve_client, share, worker_threads


def fit_phenotypes(genotypes, phenotypes, *, client=None, estimator=None):
    """Fit one model per phenotype column on the same X, each column a Dask task.

    Each column's samples with a missing value (NaN) are left out of its fit (a subset of
    the rows: a view for :class:`fastreg.Genotypes`). The models equal those of
    ``estimator`` fitted on each column in one process, which is what ``client=None``
    does.

    Parameters
    ----------
    genotypes : Genotypes, ndarray or sparse matrix of shape (n_samples, n_features)
        X, shared by every fit: a Genotypes read from files travels to the workers as its
        paths (each worker maps the files: a shared filesystem); any other X is scattered
        to every worker once.
    phenotypes : array-like of shape (n_samples,) or (n_samples, k), or a DataFrame
        One target per column, NaN for missing (:func:`fastreg.read_pheno` reads PLINK
        phenotype files so).
    client : distributed.Client, str or None, default=None
        The Dask cluster: a client, a scheduler address, or ``'auto'`` for the current
        client; None fits the columns here, one after the other.
    estimator : estimator, optional
        What each column is fitted with (unfitted; it is copied per column through its
        ``get_params``): default ``fastreg.LassoCV()``.

    Returns
    -------
    list of fitted estimators
        One per column, in order; for a DataFrame, a dict keyed by its column names.
    """
    from .. import _validation as v

    if estimator is None:
        from ..linear_model import LassoCV

        estimator = LassoCV()
    if not hasattr(estimator, "get_params") or not hasattr(estimator, "fit"):
        raise TypeError(f"estimator: expected an estimator with get_params and fit, got "
                        f"{type(estimator).__name__}")
    params = estimator.get_params(deep=False)
    if params.get("client") is not None:
        params["client"] = None  # each column is one task already
    names = getattr(phenotypes, "columns", None)
    Y = np.asarray(phenotypes, dtype=np.float64)
    if Y.ndim == 1:
        Y = Y[:, None]
    X = genotypes if v.is_genotypes(genotypes) else v.design_matrix(genotypes)
    n = X.shape[0]
    if Y.ndim != 2 or Y.shape[0] != n or Y.shape[1] < 1:
        raise ValueError(f"phenotypes: expected shape ({n}, k) with k >= 1 (one row per "
                         f"sample of X), got {np.shape(phenotypes)}")
    if np.isinf(Y).any():
        j = int(np.flatnonzero(np.isinf(Y).any(axis=0))[0])
        raise ValueError(f"phenotypes: column {j} holds an infinite value")
    for j in range(Y.shape[1]):
        if (~np.isnan(Y[:, j])).sum() < 2:
            raise ValueError(f"phenotypes: column {j} has fewer than 2 non-missing values")
    cls = type(estimator)
    if client is None:
        models = [_fit_column(X, Y[:, j], cls, params) for j in range(Y.shape[1])]
    else:
        client = resolve_client(client)
        Xf = share(client, X)
        futures = [client.submit(_fit_column, Xf, Y[:, j], cls, params, pure=False, retries=1)
                   for j in range(Y.shape[1])]
        models = client.gather(futures)
    if names is not None:
        return dict(zip(list(names), models))
    return models


def _fit_column(X, y, cls, params):
    """One column's model, on its samples with a value."""
    keep = ~np.isnan(y)
    if not keep.all():
        idx = np.flatnonzero(keep)
        X = X.subset(idx) if hasattr(X, "subset") else X[idx]
        y = y[idx]
    if "n_threads" in params and params["n_threads"] is None and worker_threads():
        params = dict(params, n_threads=worker_threads())
    return cls(**params).fit(X, y)
