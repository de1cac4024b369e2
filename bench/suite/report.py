"""The suite's one table, its summary lines and the issue's targets."""

from __future__ import annotations

import math
from dataclasses import dataclass

SUBOPT = 1e-6  # max relative suboptimality, at every alpha, for a time to count

# Targets (fastreg's median time over ...)
PEER_TARGET = 0.5  # ... the fastest peer that reached matched accuracy, in the worst case
SKLEARN_TARGET = 0.15  # ... scikit-learn's, on every path case
THREADS_TARGET = 1.05  # ... fastreg's own with n_threads=1


@dataclass
class Row:
    case: object
    fmt: str
    n: int
    p: int
    nnz: int | None
    t_default: float | None
    t_one: float | None
    subopt: float | None
    peers: dict  # name -> (median s, subopt) | error text | None
    error: str | None
    tightened: dict  # peer -> the tolerance it needed, where tighter than its default

    def counted(self):
        return {k: v[0] for k, v in self.peers.items()
                if isinstance(v, tuple) and v[1] <= SUBOPT}

    def fastest(self):
        c = self.counted()
        return min(c.items(), key=lambda kv: kv[1]) if c else (None, None)

    def ratio(self):
        name, t = self.fastest()
        return None if t is None or self.t_default is None else self.t_default / t

    def one_thread_ratio(self):
        name, t = self.fastest()
        return None if t is None or self.t_one is None else self.t_one / t

    def sklearn_ratio(self):
        t = self.counted().get("scikit-learn")
        return None if t is None or self.t_default is None else self.t_default / t

    def threads_ratio(self):
        return None if self.t_default is None else self.t_default / self.t_one

    def misses(self):
        out = []
        if self.error:
            return [f"fastreg failed: {self.error}"]
        if self.subopt > SUBOPT:
            out.append(f"fastreg subopt {self.subopt:.0e}")
        r = self.ratio()
        if r is not None and r > PEER_TARGET:
            out.append("peer")
        r = self.sklearn_ratio()
        if r is not None and r > SKLEARN_TARGET:
            out.append("sklearn")
        if self.threads_ratio() > THREADS_TARGET:
            out.append("threads")
        return out


def _s(t):
    return "-" if t is None else (f"{t:.3f}" if t < 10 else f"{t:.1f}")


def _r(x):
    return "-" if x is None else f"{x:.2f}"


def _peer(v):
    if v is None:
        return "-"
    if isinstance(v, str):
        return "error"
    t, sub = v
    return _s(t) if sub <= SUBOPT else f"{_s(t)} (✗ {sub:.0e})"


def print_table(rows, skipped):
    from bench.suite.peers import PEERS

    head = (["case", "X", "n × p", "nnz", "fastreg s", "1 thread s"] + PEERS
            + ["fastest peer", "/ fastest", "1 thread / fastest", "/ sklearn",
               "default / 1 thread", "misses"])
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(["---"] * 3 + ["--:"] * (len(head) - 5) + ["---"] * 2) + "|")
    for r in rows:
        name, _ = r.fastest()
        cells = [r.case.name, r.fmt, f"{r.n:,} × {r.p:,}", str(r.nnz or "-"), _s(r.t_default),
                 _s(r.t_one)] + [_peer(r.peers.get(k)) for k in PEERS]
        cells += [name or "-", _r(r.ratio()), _r(r.one_thread_ratio()), _r(r.sklearn_ratio()),
                  _r(r.threads_ratio()), ", ".join(r.misses()) or "none"]
        print("| " + " | ".join(cells) + " |")
    print("\n✗: did not reach matched accuracy (max relative suboptimality shown); not counted.")
    errs = {(r.case.name, k): v for r in rows for k, v in r.peers.items() if isinstance(v, str)}
    for (c, k), v in errs.items():
        print(f"error: {c}, {k}: {v}")
    seen = set()
    for r in rows:
        if r.tightened and r.case.name not in seen:
            seen.add(r.case.name)
            print(f"tolerance tightened for matched accuracy: {r.case.name}: "
                  + ", ".join(f"{k} {v:g}" for k, v in r.tightened.items()))
    for c in skipped:
        print(f"skipped: {c.name}: {c.skip}")
    ratios = [(r.ratio(), r) for r in rows if r.ratio() is not None]
    if ratios:
        worst, wr = max(ratios, key=lambda t: t[0])
        gm = math.exp(sum(math.log(x) for x, _ in ratios) / len(ratios))
        print(f"\nfastreg / fastest peer at matched accuracy, over {len(ratios)} rows: worst "
              f"{worst:.2f} ({wr.case.name}, {wr.fmt}), geometric mean {gm:.2f}; target worst "
              f"<= {PEER_TARGET}: {'PASS' if worst <= PEER_TARGET else 'MISS'}")
    sk = [(r.sklearn_ratio(), r) for r in rows if r.sklearn_ratio() is not None]
    if sk:
        worst, wr = max(sk, key=lambda t: t[0])
        n_miss = sum(x > SKLEARN_TARGET for x, _ in sk)
        print(f"fastreg / scikit-learn: worst {worst:.2f} ({wr.case.name}, {wr.fmt}); "
              f"{n_miss} of {len(sk)} rows above {SKLEARN_TARGET}: "
              f"{'PASS' if n_miss == 0 else 'MISS'}")
    th = [(r.threads_ratio(), r) for r in rows if r.threads_ratio() is not None]
    if th:
        worst, wr = max(th, key=lambda t: t[0])
        n_miss = sum(x > THREADS_TARGET for x, _ in th)
        print(f"fastreg default threads / n_threads=1: worst {worst:.2f} ({wr.case.name}, "
              f"{wr.fmt}); {n_miss} of {len(th)} rows above {THREADS_TARGET}: "
              f"{'PASS' if n_miss == 0 else 'MISS'}")
    bad = [r for r in rows if r.misses()]
    print(f"rows missing a target: {len(bad)} of {len(rows)}")
