"""The public ``progress=`` option of the paths and estimators: the same fits with it as
without, counts in alphas fitted that grow to the total while the core runs, True's bar on
stderr, errors of the callable, Ctrl-C, and no measurable cost."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
import warnings

import numpy as np
import pytest

import fastreg
from fastreg.linear_model import _progress


def _problem(n=80, p=300, seed=0):
    rng = np.random.default_rng(seed)
    X = np.asfortranarray(rng.standard_normal((n, p)))
    y = X[:, :5].sum(axis=1) + rng.standard_normal(n)
    return X, y


def _designs(X):
    import scipy.sparse as sp

    D = np.random.default_rng(3).integers(0, 3, size=X.shape).astype(np.int8)
    return {"dense": X, "sparse": sp.random(X.shape[0], X.shape[1], density=0.2, format="csc",
                                           random_state=1),
            "genotypes": fastreg.Genotypes.from_array(D)}


class Calls(list):
    def __call__(self, done, total):
        self.append((done, total))

    def check(self, total):
        assert self, "progress was never called"
        assert all(t == total for _, t in self), self[:5]
        done = [d for d, _ in self]
        assert done == sorted(done) and len(set(done)) == len(done), done
        assert self[-1] == (total, total)


def _same(a, b):
    for x, y in zip(a, b):
        np.testing.assert_array_equal(np.asarray(x), np.asarray(y))


@pytest.mark.parametrize("kind", ["dense", "sparse", "genotypes"])
def test_path_with_progress_is_the_same_fit(kind):
    X, y = _problem()
    X = _designs(X)[kind]
    Y = np.asfortranarray(np.c_[y, y[::-1], -2 * y])
    for target, k, total in ((y, 40, 40), (Y, 30, 90)):
        ref = fastreg.lasso_path(X, target, eps=1e-3, alphas=k, fit_intercept=True,
                                 return_intercept=True, return_n_iter=True)
        calls = Calls()
        out = fastreg.lasso_path(X, target, eps=1e-3, alphas=k, fit_intercept=True,
                                 return_intercept=True, return_n_iter=True, progress=calls)
        _same(out, ref)
        calls.check(total)
    # a given grid, elastic net, sample weights
    grid = np.geomspace(1.0, 1e-3, 25)
    sw = np.random.default_rng(5).random(y.size) + 0.5
    ref = fastreg.enet_path(X, Y, l1_ratio=0.7, alphas=grid, sample_weight=sw)
    calls = Calls()
    _same(fastreg.enet_path(X, Y, l1_ratio=0.7, alphas=grid, sample_weight=sw,
                            progress=calls), ref)
    calls.check(75)


def test_estimators_with_progress_are_the_same_fit():
    X, y = _problem()
    Y = np.asfortranarray(np.c_[y, 2 * y, -y, y[::-1]])
    for est, target, total in ((fastreg.Lasso(alpha=0.05), y, 1),
                               (fastreg.ElasticNet(alpha=0.05), Y, 4),
                               (fastreg.LassoCV(cv=3, alphas=30), y, 4 * 30),
                               (fastreg.ElasticNetCV(cv=3, alphas=20, l1_ratio=[0.5, 1.0]), y,
                                (2 * 3 + 1) * 20)):
        calls = Calls()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a chosen alpha at the grid's edge
            ref = est.fit(X, target).coef_.copy()
            est.set_params(progress=calls).fit(X, target)
        np.testing.assert_array_equal(est.coef_, ref)
        calls.check(total)


def test_counts_arrive_while_the_core_fits(monkeypatch):
    monkeypatch.setattr(_progress.Poller, "TICK", 0.002)
    rng = np.random.default_rng(0)
    X = np.asfortranarray(rng.standard_normal((200, 4000)))
    y = X[:, :20].sum(axis=1) + rng.standard_normal(200)
    G = fastreg.Genotypes.from_array(rng.integers(0, 3, (200, 4000)).astype(np.int8))
    for design in (X, G):
        calls = Calls()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fastreg.lasso_path(design, y, alphas=100, eps=1e-4, tol=1e-8, progress=calls)
        calls.check(100)
        assert any(0 < d < 100 for d, _ in calls), calls  # reported during the call


def test_true_draws_a_bar_on_stderr(capsys):
    X, y = _problem()
    fastreg.lasso_path(X, y, alphas=10, progress=True)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', fastreg.exceptions.GridEdgeWarning)
        fastreg.LassoCV(cv=3, alphas=10, progress=True).fit(X, y)
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.split("\n")
    assert lines[0].startswith("\r") and lines[0].split("\r")[-1].startswith(
        "lasso_path: 100%|####################| 10/10 alphas [")
    assert lines[1].split("\r")[-1].startswith("LassoCV: 100%|") and "40/40 alphas" in lines[1]
    assert captured.err.endswith("\n")


def test_bar_format():
    import io

    stream = io.StringIO()
    bar = _progress.Bar("Lasso", stream=stream)
    bar(0, 400)
    bar(100, 400)
    text = stream.getvalue()
    assert text.startswith("\rLasso:   0%|                    | 0/400 alphas [00:00<?]")
    assert "\rLasso:  25%|#####               | 100/400 alphas [00:00<00:00]" in text
    bar.interrupted()  # Ctrl-C: the open line is ended once
    bar.interrupted()
    assert stream.getvalue().endswith("]\n")


def test_verbose_and_progress_together(capsys):
    X, y = _problem()
    calls = Calls()
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', fastreg.exceptions.GridEdgeWarning)
        fastreg.LassoCV(cv=3, alphas=10, verbose=True, progress=calls).fit(X, y)
    calls.check(40)
    assert "[LassoCV] 40 of 40 alphas fitted (100 %)" in capsys.readouterr().out


def test_bad_progress_and_a_failing_callable():
    X, y = _problem()
    for bad in ("yes", 3, 1.5):
        with pytest.raises(TypeError, match="progress"):
            fastreg.lasso_path(X, y, alphas=5, progress=bad)
        with pytest.raises(TypeError, match="progress"):
            fastreg.LassoCV(cv=3, alphas=5, progress=bad).fit(X, y)

    def stop(done, total):
        raise RuntimeError(f"no more after {done}")

    # raised by the call (on its own thread, not as an unhandled thread exception)
    with pytest.raises(RuntimeError, match="no more after"):
        fastreg.lasso_path(X, y, alphas=5, progress=stop)
    with pytest.raises(RuntimeError, match="no more after"):
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', fastreg.exceptions.GridEdgeWarning)
            fastreg.LassoCV(cv=3, alphas=5, progress=stop).fit(X, y)
    for off in (None, False):
        assert fastreg.lasso_path(X, y, alphas=5, progress=off)[1].shape == (300, 5)


def test_warm_start_counts_at_the_end():
    X, y = _problem()
    calls = Calls()
    a = fastreg.lasso_path(X, y, alphas=10, coef_init=np.zeros(300), progress=calls)
    calls.check(10)
    _same(a, fastreg.lasso_path(X, y, alphas=10, coef_init=np.zeros(300)))


def test_clone_and_params():
    from sklearn.base import clone

    for cls in (fastreg.Lasso, fastreg.ElasticNet, fastreg.LassoCV, fastreg.ElasticNetCV):
        est = cls(progress=True)
        assert est.get_params()["progress"] is True and cls().progress is None
        assert clone(est).progress is True
        assert "progress=True" in repr(est)


def test_ctrl_c_still_stops_a_fit_with_progress():
    code = """
        import os, signal, threading, time, warnings
        import numpy as np, fastreg
        warnings.simplefilter("ignore")
        rng = np.random.default_rng(0)
        X = np.asfortranarray(rng.standard_normal((300, 3000)))
        y = X[:, :50].sum(1) + rng.standard_normal(300)
        sent = []
        def send():
            sent.append(time.perf_counter())
            os.kill(os.getpid(), signal.SIGINT)
        for fit in (lambda: fastreg.lasso_path(X, y, tol=1e-14, max_iter=10**6, eps=1e-4,
                                                alphas=300, progress=True),
                    lambda: fastreg.LassoCV(cv=4, tol=1e-14, max_iter=10**6, eps=1e-4,
                                            progress=lambda d, t: None).fit(X, y)):
            sent.clear()
            threading.Timer(1.0, send).start()
            try:
                fit()
            except KeyboardInterrupt:
                print("stopped", time.perf_counter() - sent[0])
            else:
                print("finished")
        """
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          timeout=120)  # bytes: carriage returns kept
    stdout, stderr = proc.stdout.decode(), proc.stderr.decode()
    assert proc.returncode == 0, stderr[-2000:]
    lines = stdout.split("\n")
    for line in lines[:2]:
        word, seconds = line.split()
        assert word == "stopped" and float(seconds) < 0.5, stdout
    # the bar was drawn in place, and its line ended when the interrupt came
    assert stderr.startswith("\rlasso_path:") and stderr.endswith("]\n"), stderr[-300:]
    assert stderr.count("\n") == 1


def test_reports_are_rate_limited():
    """The poller wakes every TICK seconds, whatever the number of alphas: the fit does no
    Python work per alpha."""
    X, y = _problem(n=100, p=2000)
    calls = Calls()
    t0 = time.perf_counter()
    fastreg.lasso_path(X, y, alphas=500, eps=1e-4, tol=1e-8, progress=calls)
    seconds = time.perf_counter() - t0
    calls.check(500)
    assert len(calls) <= seconds / _progress.Poller.TICK + 2
