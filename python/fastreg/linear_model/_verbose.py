"""``verbose`` of the CV estimators: their progress printed while the core fits.

The fold paths of one core call end together, when the call returns, so per-fold lines
can only come after it; the alphas fitted so far are known as the core fits them (the
counter that the progress poller reads), and this prints them as they grow.
"""

from __future__ import annotations

import sys
import time


class VerboseProgress:
    """A progress(done, total) callable printing ``[Name] done of total alphas fitted
    (p %), s s`` on stdout at each tenth of the work (each fiftieth with verbose > 1),
    then calling ``then(done, total)`` when given."""

    def __init__(self, name, verbose, then=None):
        self.name, self.then = name, then
        self.step = 10 if int(verbose) <= 1 else 2  # percent between lines
        self.next = 0
        self.t0 = time.perf_counter()

    def __call__(self, done, total):
        percent = 100 * done // max(total, 1)
        if percent >= self.next:
            self.next = (percent // self.step + 1) * self.step
            print(f"[{self.name}] {done:,} of {total:,} alphas fitted ({percent} %), "
                  f"{time.perf_counter() - self.t0:.1f} s", file=sys.stdout, flush=True)
        if self.then is not None:
            self.then(done, total)
