"""Run the suite: every case, fastreg (default threads and one thread) and every installed
peer, interleaved, answers checked, one table.

    python -m bench.suite --quick
    python -m bench.suite --cases 'real-|ld-' --repeat 3
    python -m bench.suite --quick --busy        # a CPU-bound process holds one core
    python -m bench.suite --quick --mask        # the whole run confined to one CPU
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

import numpy as np

import fastreg  # before any peer: nothing the peers set may reach fastreg's runtime

from bench.suite import cases as suite_cases  # noqa: E402
from bench.suite import peers as suite_peers  # noqa: E402
from bench.suite.report import SUBOPT, Row, print_table  # noqa: E402


def standardized(X, y, intercept, standardize):
    """The peers' problem: X centered (and scaled to unit standard deviation, divisor n)
    and y centered when there is an intercept; and the scale that maps coefficients in X's
    units to it (the standard deviations, or ones)."""
    p = X.shape[1]
    if not intercept:
        return X, np.asarray(y, dtype=np.float64), np.ones(p)
    mu = X.mean(axis=0)
    sd = X.std(axis=0)
    Xs = np.asfortranarray(X - mu)
    scale = sd if standardize else np.ones(p)
    if standardize:
        Xs /= np.where(sd > 0, sd, 1.0)
    return Xs, y - y.mean(), scale


def objective(X, y, coefs, alphas):
    r = y[:, None] - np.asarray(X @ coefs)
    return 0.5 * (r * r).sum(0) / len(y) + alphas * np.abs(coefs).sum(0)


def run_case(case, args):
    prob = case.build()
    try:
        return _run(case, prob, args)
    finally:
        for d in prob.cleanup:
            shutil.rmtree(d, ignore_errors=True)


def _run(case, prob, args):
    Xp, yp, scale = standardized(prob.X, prob.y, case.intercept, case.standardize)
    n, p = Xp.shape
    amax = float(np.max(np.abs(Xp.T @ yp))) / n
    alphas = np.geomspace(amax, amax * case.eps, args.n_alphas)
    sparse = not isinstance(Xp, np.ndarray)
    peers, absent = suite_peers.peer_runners(sparse, args.only)
    runs = {}
    for label, Xf in prob.formats.items():
        mk = suite_peers.fastreg_runner
        runs[("fastreg", label, "default")] = mk(Xf, scale, case.intercept, case.standardize)
        runs[("fastreg", label, "1")] = mk(Xf, scale, case.intercept, case.standardize, 1)
    for name, r in peers.items():
        runs[(name,)] = r
    tol = {k: suite_peers.TOL[k[0]] for k in runs}
    times, coefs, errors, batch = {}, {}, {}, {}

    def measure(key):
        """Times `key` over `args.repeat` rounds after a calibration call, which is a
        warm-up for fastreg and for the cheap peers (< 1 s; those under 50 ms are then
        timed over batches of calls of at least 50 ms) and the first round for the other
        peers (their second call would cost as much). False when it failed."""
        times[key] = []
        try:
            res, dt = call(key, 1)
            batch[key] = 1
            if getattr(runs[key], "timed_inside", False):
                times[key].append(dt)  # a fresh process each call: nothing to warm
            elif dt < 1.0 or key[0] == "fastreg":
                batch[key] = max(1, min(100, int(np.ceil(0.05 / max(dt, 1e-6)))))
            else:
                times[key].append(dt)
            coefs[key] = res
            return True
        except Exception as e:  # a solver failing is reported, not fatal
            errors[key] = f"{type(e).__name__}: {str(e).splitlines()[0][:80]}"
            return False

    def call(key, k):
        t = time.perf_counter()
        for _ in range(k):
            res = runs[key](Xp, yp, alphas, tol[key])
        dt = (time.perf_counter() - t) / k
        if isinstance(res, tuple):  # timed inside the peer's own process
            runs[key].timed_inside = True
            res, dt = res
        if args.verbose:
            print(f"    {' '.join(key)}: {dt:.3f} s per call (tol {tol[key]:g})",
                  file=sys.stderr, flush=True)
        return res, dt

    def rounds(keys):
        for _ in range(args.repeat):  # interleaved
            for key in keys:
                if key in errors or len(times[key]) >= args.repeat:
                    continue
                try:
                    coefs[key], dt = call(key, batch[key])
                    times[key].append(dt)
                except Exception as e:
                    errors[key] = f"{type(e).__name__}: {str(e).splitlines()[0][:80]}"

    rounds([k for k in runs if measure(k)])

    def suboptimality():
        obj = {k: objective(Xp, yp, c, alphas) for k, c in coefs.items() if k not in errors}
        best = np.min(np.vstack(list(obj.values())), axis=0)
        return {k: float(np.max((o - best) / np.maximum(best, 1e-300))) for k, o in obj.items()}

    # Matched accuracy: a peer short of it is run again at a tolerance 100 times tighter,
    # twice at most (fastreg keeps its default tolerance: its misses are reported)
    tightened = {}
    for _ in range(2):
        sub = suboptimality()
        med = {k: statistics.median(times[k]) for k in peers_keys(runs)
               if k in sub and times.get(k)}
        ok = [med[k] for k in med if sub[k] <= SUBOPT]
        # a peer already slower than the fastest accurate one cannot become the fastest
        retry = [k for k in med if sub[k] > SUBOPT and (not ok or med[k] < min(ok))]
        if not retry:
            break
        for k in retry:
            tol[k] *= 1e-2
            tightened[k[0]] = tol[k]
            del coefs[k]
            if measure(k):
                rounds([k])
    sub = suboptimality()
    for r in peers.values():
        if hasattr(r, "close"):
            r.close()
    med = {k: statistics.median(t) for k, t in times.items() if t and k not in errors}
    peer_cells = {}
    for name in suite_peers.PEERS:
        if (name,) in med:
            peer_cells[name] = (med[(name,)], sub[(name,)])
        elif (name,) in errors:
            peer_cells[name] = errors[(name,)]
        else:
            peer_cells[name] = None
    rows = []
    for label in prob.formats:
        kd, k1 = ("fastreg", label, "default"), ("fastreg", label, "1")
        if kd not in med or k1 not in med:
            err = errors.get(kd) or errors.get(k1)
            rows.append(Row(case, label, n, p, None, None, None, None, peer_cells, err, tightened))
            continue
        nnz = int(np.count_nonzero(coefs[kd][:, -1]))
        rows.append(Row(case, label, n, p, nnz, med[kd], med[k1], max(sub[kd], sub[k1]),
                        peer_cells, None, tightened))
    return rows


def peers_keys(runs):
    return [k for k in runs if k[0] != "fastreg"]


def busy_competitor():
    """A child process spinning on the CPU: with two cores, it holds one."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def main(argv=None):
    ap = argparse.ArgumentParser(description="fastreg's benchmark suite by regime")
    ap.add_argument("--quick", action="store_true", help="the small subset (the smaller sizes, one seed and variant per family)")
    ap.add_argument("--cases", default="", help="regular expression on case names")
    ap.add_argument("--repeat", type=int, default=None,
                    help="interleaved rounds per case (default: 1 with --quick, else 3)")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--busy", action="store_true",
                      help="a CPU-bound competitor process holds one core")
    mode.add_argument("--mask", action="store_true",
                      help="confine the run (and its child processes) to one CPU")
    ap.add_argument("--only", default="", help="comma-separated peers to run (default: all)")
    ap.add_argument("--n-alphas", type=int, default=100)
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="print each timed call on stderr as it ends")
    args = ap.parse_args(argv)
    args.repeat = args.repeat or (1 if args.quick else 3)
    args.only = [s.strip() for s in args.only.split(",") if s.strip()] or None

    cases = suite_cases.all_cases(args.quick)
    if args.cases:
        cases = [c for c in cases if re.search(args.cases, c.name)]
    if args.list:
        for c in cases:
            print(c.name + (f"  (skipped: {c.skip})" if c.skip else ""))
        return
    if args.mask:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    competitor = busy_competitor() if args.busy else None
    try:
        from bench.bench_lasso import second_core_ratio

        core0 = second_core_ratio()
        rows, skipped = [], []
        t0 = time.perf_counter()
        for c in cases:
            if c.skip:
                skipped.append(c)
                continue
            print(f"... {c.name}", file=sys.stderr, flush=True)
            new = run_case(c, args)
            rows += new
            for r in new:  # as it goes, in case the run is cut short
                print(f"    {r.case.name} {r.fmt}: fastreg {r.t_default} s, 1 thread "
                      f"{r.t_one} s, fastest peer {r.fastest()}, misses {r.misses()}",
                      file=sys.stderr, flush=True)
        core1 = second_core_ratio()
        elapsed = time.perf_counter() - t0
    finally:
        if competitor is not None:
            competitor.kill()
            competitor.wait()
    mode_s = "busy (a competitor holds one core)" if args.busy else (
        "mask (one CPU)" if args.mask else "idle")
    print(f"fastreg {fastreg.__version__}, {datetime.date.today()}, {platform.machine()}, "
          f"{len(os.sched_getaffinity(0))} usable CPUs of {os.cpu_count()}, "
          f"fastreg default threads {fastreg.get_num_threads()}; mode: {mode_s}; "
          f"repeat {args.repeat}; {args.n_alphas} alphas; matched accuracy: max relative "
          f"suboptimality <= {SUBOPT:g} at every alpha; {elapsed:.0f} s")
    print(f"second-core check (np.sort, two threads / sequential; 0.5 = two free cores): "
          f"{core0:.2f} before, {core1:.2f} after")
    print_table(rows, skipped)


if __name__ == "__main__":
    main()
