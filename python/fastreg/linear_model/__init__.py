"""Linear models: elastic-net and lasso paths and estimators, by coordinate descent."""

from ._coordinate_descent import enet_path, lasso_path
from ._cv import ElasticNetCV, LassoCV
from ._enet import ElasticNet
from ._lasso import Lasso

__all__ = ["ElasticNet", "ElasticNetCV", "Lasso", "LassoCV", "enet_path", "lasso_path"]
