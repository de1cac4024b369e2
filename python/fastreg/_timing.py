"""Timing helpers shared by `fastreg demo` and the scripts in bench/."""

import statistics
import time


def median_time(fn, repeat=5, warmup=1):
    """Median wall time of fn() over `repeat` calls, after `warmup` untimed ones."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def interleaved_medians(fns, repeat=5, warmup=1):
    """Median times of several callables ({name: fn}), timed round-robin so that the
    machine's slow moments spread over all of them rather than hitting one."""
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    times = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return {name: statistics.median(ts) for name, ts in times.items()}
