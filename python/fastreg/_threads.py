"""The number of threads fastreg's kernels and solvers use."""

import operator

from . import _core


def set_num_threads(n):
    """Set the number of threads fastreg uses.

    Parameters
    ----------
    n : int or None
        A positive thread count, or None to return to the default: the cores available
        to the process (OpenMP's default, which honours ``OMP_NUM_THREADS`` and
        threadpoolctl limits).
    """
    if n is None:
        _core.set_num_threads(0)
        return
    if isinstance(n, bool):
        raise TypeError("n: expected an int, got bool")
    try:
        n = operator.index(n)
    except TypeError:
        raise TypeError(f"n: expected an int, got {type(n).__name__}") from None
    if not 1 <= n < 2**31:
        raise ValueError(f"n: must be a positive thread count, got {n}")
    _core.set_num_threads(n)


def get_num_threads():
    """The number of threads fastreg uses (1 when built without OpenMP).

    Returns
    -------
    int
    """
    return _core.get_num_threads()
