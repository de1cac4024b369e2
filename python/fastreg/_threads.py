"""The number of threads fastreg's kernels and solvers use (the policy: docs/performance.md,
"Threads")."""

import operator

from . import _core


def set_num_threads(n):
    """Set the most threads fastreg uses.

    A call never runs more threads than the CPUs its calling thread may run on at that
    moment (its affinity: ``taskset``, ``os.sched_setaffinity``, a Slurm or container
    cpuset), whatever the count set here.

    Parameters
    ----------
    n : int or None
        A positive thread count, or None to return to the default: OpenMP's, which
        honours ``OMP_NUM_THREADS`` and threadpoolctl limits (``threadpool_limits(1)``
        makes fastreg serial inside the block).

    Notes
    -----
    Builds without OpenMP run on one thread whatever the count.
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
    """The most threads a fastreg call from this thread uses now.

    The count set with :func:`set_num_threads` (else OpenMP's default, which
    ``OMP_NUM_THREADS`` and threadpoolctl limit), at most the CPUs the calling thread may
    run on, read at this call. 1 when built without OpenMP.

    Returns
    -------
    int
    """
    return _core.get_num_threads()


def threads_for_n_jobs(n_jobs):
    """scikit-learn's (joblib's) ``n_jobs`` as a thread count: k > 0 is k threads, -1 every
    CPU this process may run on, -2 all but one, and so on (at least 1). ``n_jobs`` is a
    non-zero int, already validated."""
    if n_jobs > 0:
        return n_jobs
    return max(1, _available_cpus() + 1 + n_jobs)


def _available_cpus():
    import os

    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1
