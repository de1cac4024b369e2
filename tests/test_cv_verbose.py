"""``verbose`` of the CV estimators prints the alphas fitted while the paths are fitted,
not only when the fit ends: the counts printed grow from below the total to the total,
before the per-fold lines that follow the core call."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import fastreg
from fastreg.linear_model import _cv


@pytest.mark.parametrize("verbose, step", [(True, 10), (2, 2)])
def test_verbose_prints_as_it_goes(capsys, monkeypatch, verbose, step):
    monkeypatch.setattr(_cv._Poller, "TICK", 0.002)  # polled often: intermediate counts
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 4000))
    y = X[:, :20].sum(axis=1) + rng.standard_normal(200)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fastreg.LassoCV(cv=3, alphas=100, tol=1e-8, verbose=verbose).fit(X, y)
    lines = capsys.readouterr().out.splitlines()
    counts = [(int(m[1].replace(",", "")), int(m[2].replace(",", "")), int(m[3]))
              for m in (re.match(r"\[LassoCV\] ([\d,]+) of ([\d,]+) alphas fitted \((\d+) %\)",
                                 line) for line in lines) if m]
    total = 4 * 100  # 3 folds and the path on all the data
    assert counts and all(t == total for _, t, _ in counts)
    done = [d for d, _, _ in counts]
    assert done == sorted(done) and done[-1] == total
    assert any(0 < d < total for d in done)  # printed while the core was fitting
    percents = [p for _, _, p in counts]
    assert len(set(p // step for p in percents)) == len(percents)  # one line per step
    first_fold = next(i for i, line in enumerate(lines) if "fold 1/3" in line)
    assert first_fold > max(i for i, line in enumerate(lines) if "alphas fitted" in line)


def test_not_verbose_prints_nothing(capsys):
    rng = np.random.default_rng(1)
    X = rng.standard_normal((60, 30))
    fastreg.LassoCV(cv=3).fit(X, X[:, 0] + rng.standard_normal(60))
    assert capsys.readouterr().out == ""
