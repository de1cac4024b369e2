"""Linear models: elastic-net and lasso paths and estimators (coordinate descent), ridge
(direct solvers); paths from summary statistics (X^T X, X^T y); logistic regression (the
binomial family: proximal Newton on the coordinate-descent core)."""

from ._coordinate_descent import enet_path, lasso_path
from ._cv import ElasticNetCV, LassoCV
from ._enet import ElasticNet
from ._gram_path import enet_path_gram, lasso_path_gram
from ._lasso import Lasso
from ._logistic import LogisticRegression
from ._logistic_cv import LogisticRegressionCV
from ._logistic_path import logistic_path
from ._ridge import Ridge, RidgeCV

__all__ = ["ElasticNet", "ElasticNetCV", "Lasso", "LassoCV", "LogisticRegression",
           "LogisticRegressionCV", "Ridge",
           "RidgeCV", "enet_path", "enet_path_gram", "lasso_path", "lasso_path_gram",
           "logistic_path"]
