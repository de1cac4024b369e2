"""A small scikit-learn compatible estimator base, without importing scikit-learn.

``get_params``/``set_params`` follow scikit-learn's rules (parameters are the keyword
arguments of ``__init__``, stored unchanged as attributes; ``deep`` recurses into nested
estimators, ``<name>__<param>`` sets them), ``__repr__`` shows the parameters that differ
from their defaults, ``score`` is R². ``__sklearn_tags__`` imports scikit-learn lazily: only
scikit-learn calls it.
"""

from __future__ import annotations

import inspect

import numpy as np

from .exceptions import NotFittedError, sklearn_compatible


class BaseEstimator:
    """Base class: parameters, cloning support, repr, tags."""

    @classmethod
    def _get_param_names(cls):
        init = cls.__init__
        if init is object.__init__:
            return []
        params = inspect.signature(init).parameters.values()
        names = []
        for p in params:
            if p.name == "self" or p.kind == p.VAR_KEYWORD:
                continue
            if p.kind == p.VAR_POSITIONAL:
                raise RuntimeError(f"{cls.__name__}.__init__ must not take *args")
            names.append(p.name)
        return sorted(names)

    def get_params(self, deep=True):
        """Parameters of this estimator.

        Parameters
        ----------
        deep : bool, default=True
            Also return the parameters of nested estimators, as ``<name>__<param>``.

        Returns
        -------
        dict
        """
        out = {}
        for name in self._get_param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{name}__{k}", v) for k, v in value.get_params().items())
            out[name] = value
        return out

    def set_params(self, **params):
        """Set parameters (``<name>__<param>`` for nested estimators); returns self.

        Parameters
        ----------
        **params : dict
            Estimator parameters.

        Returns
        -------
        self
        """
        if not params:
            return self
        valid = self.get_params(deep=True)
        nested = {}
        for key, value in params.items():
            name, sep, sub = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {type(self).__name__}. "
                    f"Valid parameters are: {sorted(self._get_param_names())!r}.")
            if sep:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
                valid[name] = value
        for name, sub_params in nested.items():
            valid[name].set_params(**sub_params)
        return self

    def __repr__(self):
        init = inspect.signature(type(self).__init__).parameters
        parts = []
        for name in self._get_param_names():
            value = getattr(self, name)
            default = init[name].default
            if _same_default(value, default):
                continue
            parts.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def __sklearn_tags__(self):
        from sklearn.utils import InputTags, Tags, TargetTags

        return Tags(estimator_type=None, target_tags=TargetTags(required=False),
                    input_tags=InputTags())

    def __sklearn_is_fitted__(self):
        return any(k.endswith("_") and not k.startswith("__") for k in vars(self))

    def _check_is_fitted(self):
        if not self.__sklearn_is_fitted__():
            raise sklearn_compatible(NotFittedError)(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with "
                "appropriate arguments before using this estimator.")


def _same_default(value, default):
    if value is default:
        return True
    if isinstance(value, np.ndarray) or isinstance(default, np.ndarray):
        return False
    if type(value) is not type(default):
        return False
    try:
        return bool(value == default) or (value != value and default != default)
    except Exception:  # noqa: BLE001 - odd objects are simply shown
        return False


class RegressorMixin:
    """``score`` = R² of ``predict``; the scikit-learn regressor tags."""

    def score(self, X, y, sample_weight=None):
        """Coefficient of determination R² of the prediction.

        Parameters
        ----------
        X : array-like or sparse matrix of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        float
            R², averaged uniformly over targets.
        """
        pred = np.asarray(self.predict(X), dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        if y.ndim == 1:
            y = y.reshape(-1, 1)
        if pred.ndim == 1:
            pred = pred.reshape(-1, 1)
        if y.shape != pred.shape:
            raise ValueError(f"y: shape {y.shape} differs from the predictions' {pred.shape}")
        w = np.ones(y.shape[0]) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        if w.shape != (y.shape[0],):
            raise ValueError(f"sample_weight: expected shape ({y.shape[0]},), got {w.shape}")
        num = (w[:, None] * (y - pred) ** 2).sum(axis=0)
        mean = (w[:, None] * y).sum(axis=0) / w.sum()
        den = (w[:, None] * (y - mean) ** 2).sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            r2 = np.where(den != 0, 1.0 - num / np.where(den != 0, den, 1.0),
                          np.where(num == 0, 1.0, 0.0))
        return float(np.mean(r2))

    def __sklearn_tags__(self):
        from sklearn.utils import RegressorTags

        tags = super().__sklearn_tags__()
        tags.estimator_type = "regressor"
        tags.regressor_tags = RegressorTags()
        tags.target_tags.required = True
        return tags
