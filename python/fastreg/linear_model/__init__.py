"""Linear models: elastic-net and lasso paths and estimators (coordinate descent), ridge
(direct solvers)."""

from ._coordinate_descent import enet_path, lasso_path
from ._cv import ElasticNetCV, LassoCV
from ._enet import ElasticNet
from ._lasso import Lasso
from ._ridge import Ridge, RidgeCV

__all__ = ["ElasticNet", "ElasticNetCV", "Lasso", "LassoCV", "Ridge", "RidgeCV", "enet_path",
           "lasso_path"]
