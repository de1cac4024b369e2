"""The public ``progress=`` option of the estimators and paths: what a value means, the
default bar, and the poller that reports a core call's count while it runs.

The core adds one to a shared int64 counter after each alpha it fits (and a path's
remaining alphas when the path stops early), from its own threads, without the GIL. A
poller thread reads the counter every TICK seconds and calls ``progress(done, total)``
when it changed, so the fit itself does no Python work per alpha and a slow callable
cannot slow it: it only delays the next report.
"""

from __future__ import annotations

import sys
import threading
import time


def resolve(progress, name):
    """The callable for ``progress``: None or False for none, True for a :class:`Bar`
    named ``name`` on stderr, a callable as given."""
    if progress is None or progress is False:
        return None
    if progress is True:
        return Bar(name)
    if callable(progress):
        return progress
    raise TypeError("progress: expected None, a bool or a callable progress(done, total), "
                    f"got {type(progress).__name__}")


class Bar:
    """A tqdm-style bar on a stream (default stderr), redrawn in place::

        LassoCV:  42%|########            | 168/400 alphas [00:01<00:02]

    ``done`` of ``total`` alphas fitted, the time since the bar was made (when the fit
    starts) and the time left at the rate so far; the line ends when ``done`` reaches
    ``total`` (or the fit is interrupted)."""

    WIDTH = 20

    def __init__(self, name, stream=None):
        self.name = name
        self.stream = stream
        self.t0 = time.perf_counter()
        self.open = False

    @staticmethod
    def _clock(seconds):
        m, s = divmod(int(round(seconds)), 60)
        h, m = divmod(m, 60)
        return f"{h:d}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"

    def __call__(self, done, total):
        stream = sys.stderr if self.stream is None else self.stream
        elapsed = time.perf_counter() - self.t0
        total = max(int(total), 1)
        done = min(max(int(done), 0), total)
        filled = self.WIDTH * done // total
        left = "?" if done == 0 else self._clock(elapsed * (total - done) / done)
        stream.write(f"\r{self.name}: {100 * done // total:3d}%|{'#' * filled}"
                     f"{' ' * (self.WIDTH - filled)}| {done}/{total} alphas "
                     f"[{self._clock(elapsed)}<{left}]")
        self.open = done < total
        if not self.open:
            stream.write("\n")
        stream.flush()

    def interrupted(self):
        """Ends a line left open by a fit that stopped before its total (Ctrl-C)."""
        if self.open:
            stream = sys.stderr if self.stream is None else self.stream
            stream.write("\n")
            stream.flush()
            self.open = False


class Poller:
    """Reports progress(done, total) from a counter the core increments, every TICK seconds
    while a core call runs (a context manager around it, on a thread of its own), and
    (total, total) at done(). Does nothing without a progress callable.

    An exception raised by the callable stops the reports and is raised again when the
    core call returns (the core runs on without the GIL: nothing can stop it from this
    thread but Ctrl-C). After an exception of the call itself (Ctrl-C), a callable with
    an ``interrupted()`` method (the bar) is told, to end its line."""

    TICK = 0.2

    def __init__(self, counter, total, progress):
        self.counter, self.total, self.progress = counter, total, progress
        self.stop = self.thread = None
        self.last = -1
        self.error = None

    def _report(self):
        if self.error is not None:
            return
        done = min(int(self.counter[0]), self.total)
        if done != self.last:
            self.last = done
            try:
                self.progress(done, self.total)
            except BaseException as e:  # raised on the calling thread after the call
                self.error = e

    def _run(self):
        while not self.stop.wait(self.TICK):
            self._report()

    def __enter__(self):
        if self.progress is not None:
            self.stop = threading.Event()
            self.thread = threading.Thread(target=self._run, daemon=True)
            self.thread.start()
        return self

    def __exit__(self, exc_type, exc, tb):
        if self.thread is not None:
            self.stop.set()
            self.thread.join()
            self.thread = None
            if exc_type is None:
                self._report()
            else:
                end = getattr(self.progress, "interrupted", None)
                if end is not None:
                    end()
        if exc_type is None and self.error is not None:
            error, self.error = self.error, None
            raise error
        return False

    def done(self):
        if self.progress is not None and self.last != self.total:
            self.last = self.total
            self.progress(self.total, self.total)
