"""fastreg: fast regularization.

Coordinate-descent L1/L2/elastic-net linear models and regularization kernels
(soft-thresholding, elastic-net prox, dropout) with a C++/OpenMP core and optional CuPy
kernels. ``import fastreg`` loads NumPy and the compiled core only; everything else is
imported when first used.
"""

import numpy as _np  # noqa: F401  (the one dependency; the core's arrays are NumPy's)

from . import _core  # noqa: F401
from ._version import __version__

# Public name -> submodule that defines it; loaded on first access (PEP 562).
_LAZY = {
    "soft_threshold": "kernels",
    "enet_prox": "kernels",
    "dropout": "kernels",
    "dropout_backward": "kernels",
    "dropout_mask": "kernels",
    "set_num_threads": "_threads",
    "get_num_threads": "_threads",
    "Lasso": "linear_model",
    "ElasticNet": "linear_model",
    "LassoCV": "linear_model",
    "ElasticNetCV": "linear_model",
    "lasso_path": "linear_model",
    "enet_path": "linear_model",
    "lasso_path_gram": "linear_model",
    "enet_path_gram": "linear_model",
    "Ridge": "linear_model",
    "RidgeCV": "linear_model",
    "LogisticRegression": "linear_model",
    "LogisticRegressionCV": "linear_model",
    "logistic_path": "linear_model",
    "ConvergenceWarning": "exceptions",
    "GridEdgeWarning": "exceptions",
    "Genotypes": "genotypes",
    "read_pheno": "genotypes",
}

# Public submodules, loaded on first access (``fastreg.metrics``, ``fastreg.plot``,
# ``fastreg.genotypes``).
_SUBMODULES = ("metrics", "plot", "genotypes", "distributed")

__all__ = sorted(_LAZY) + list(_SUBMODULES) + ["__version__"]


def __getattr__(name):
    if name in _SUBMODULES:
        import importlib

        return importlib.import_module(f".{name}", __name__)
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'fastreg' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY) | set(_SUBMODULES))
