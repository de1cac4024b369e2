"""Warnings and errors raised by fastreg's estimators.

They subclass scikit-learn's classes of the same name when scikit-learn is imported (so
that ``except sklearn.exceptions.NotFittedError`` and scikit-learn's estimator checks see
them), without fastreg ever importing scikit-learn itself.
"""

from __future__ import annotations

import sys

__all__ = ["ConvergenceWarning", "DataConversionWarning", "GridEdgeWarning", "NotFittedError"]


def _sklearn_base(name):
    module = sys.modules.get("sklearn.exceptions")
    if module is None and "sklearn" in sys.modules:
        import sklearn.exceptions as module
    return getattr(module, name, None) if module is not None else None


def _bases(name, default):
    base = _sklearn_base(name)
    return (base,) if base is not None else default


class ConvergenceWarning(*_bases("ConvergenceWarning", (UserWarning,))):
    """A solver stopped at ``max_iter`` before reaching its tolerance."""


class DataConversionWarning(*_bases("DataConversionWarning", (UserWarning,))):
    """Input was converted: a column-vector y where one target was expected."""


class GridEdgeWarning(UserWarning):
    """A cross-validated estimator chose the first or the last alpha it evaluated: the best
    alpha may lie outside the grid (or, at the top of a generated grid, the model is the
    intercept alone)."""


class NotFittedError(*_bases("NotFittedError", (ValueError, AttributeError))):
    """An estimator was used before ``fit``."""


_compatible = {}


def sklearn_compatible(cls):
    """``cls``, or a subclass of it that also subclasses scikit-learn's class of the same
    name when scikit-learn was imported after this module (created once, then cached)."""
    base = _sklearn_base(cls.__name__)
    if base is None or issubclass(cls, base):
        return cls
    sub = _compatible.get(cls)
    if sub is None:
        sub = type(cls.__name__, (cls, base), {"__module__": cls.__module__, "__doc__": cls.__doc__})
        _compatible[cls] = sub
    return sub
