"""Sums of BLAS products over blocks of a matrix, on fastreg's threads instead of BLAS's.

The Gram matrices of the tall route (_tall.py) and of Ridge (_ridge_solvers.py) are sums
of products over blocks of X. OpenBLAS's own threads spin while they wait for work, and
its calls wait for every thread: with another process on the other core, its two-thread
syrk took 15 times the one-thread time (bench/suite, tall 100,000 x 100), and Ridge's
default threads 3.5-5 times. Here BLAS runs on one thread, and the blocks are shared by
the calling thread and helper threads in the manner of the core's pool
(cpp/src/thread_pool.cpp): each thread claims the next block when it is free, and the
caller never waits for a helper that has not started. The blocks are fixed by the shape
alone and their products are added in block order, so the sums are the same bits on any
number of threads.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import threading

import numpy as np

from .. import _threads

# Elements of X per block: a few milliseconds of syrk, so that two threads share a
# product evenly, and few enough blocks that the Python calls cost nothing against it.
SHARE_BLOCK_ELEMENTS = 1 << 20


def share_blocks(length, other):
    """[(start, stop)] over `length` (rows or columns), each about SHARE_BLOCK_ELEMENTS
    elements with `other` the block's other dimension; depends on the shape alone."""
    size = max(64, min(length, SHARE_BLOCK_ELEMENTS // max(other, 1)))
    return [(i0, min(length, i0 + size)) for i0 in range(0, length, size)]


def block_sums(block, blocks, threads):
    """The element-wise sums over `blocks` of block(start, stop), a tuple of float64
    arrays, added in block order as the blocks complete; on up to `threads` threads (the
    same sums on any number). An exception in a block is raised here once every helper
    that started has finished."""
    m = len(blocks)
    done = [None] * m
    claim = itertools.count()  # next() is atomic under the GIL
    fold_lock = threading.Lock()
    total = {"next": 0, "sums": None}

    def fold():
        # adds the completed blocks in order, as far as they go
        with fold_lock:
            k = total["next"]
            while k < m and done[k] is not None:
                parts, done[k] = done[k], None
                if total["sums"] is None:
                    total["sums"] = [np.array(a, dtype=np.float64) for a in parts]
                else:
                    for s, a in zip(total["sums"], parts):
                        s += a
                k += 1
            total["next"] = k

    failed = []

    def work():
        while not failed:
            k = next(claim)
            if k >= m:
                return
            try:
                done[k] = block(*blocks[k])
            except BaseException:
                failed.append(True)  # the other threads stop claiming
                raise
            fold()

    helpers = []
    if threads > 1 and m > 1:
        pool = _helper_pool()
        helpers = [pool.submit(work) for _ in range(min(threads, m) - 1)]
    try:
        work()
    finally:
        for f in helpers:
            if not f.cancel():  # started: it finishes the block it claimed
                f.result()
    fold()
    return tuple(total["sums"])


_helper = []  # the helper threads, started on first use


def _helper_pool():
    if not _helper:
        from concurrent.futures import ThreadPoolExecutor

        _helper.append(ThreadPoolExecutor(max_workers=max(1, _threads._available_cpus() - 1),
                                          thread_name_prefix="fastreg-blocks"))
    return _helper[0]


if hasattr(os, "register_at_fork"):  # a child process has none of its parent's threads
    os.register_at_fork(after_in_child=_helper.clear)


def threads_for(n_threads):
    """The threads block_sums may use: n_threads (default: fastreg.get_num_threads()), at
    most the CPUs the calling thread may run on now."""
    from .. import _core

    threads = _core.get_num_threads() if n_threads is None else int(n_threads)
    return max(1, min(threads, _threads._available_cpus()))


_blas = []  # threadpoolctl's BLAS controllers, found once (a search of the loaded libraries)


def blas_one_thread(work=None):
    """A context running BLAS and LAPACK on one thread (through threadpoolctl when it is
    installed; else BLAS keeps its own setting). `work`: the multiply-adds the context
    covers; below 2^16 no limit is set (BLAS runs such products serially anyway, and a
    limit costs tens of microseconds)."""
    if work is not None and work < 1 << 16:
        return contextlib.nullcontext()
    if not _blas:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:
            _blas.append(None)
        else:
            _blas.append(ThreadpoolController().select(user_api="blas"))
    blas = _blas[0]
    if blas is None or all(lib.num_threads == 1 for lib in blas.lib_controllers):
        return contextlib.nullcontext()
    return blas.limit(limits=1)
