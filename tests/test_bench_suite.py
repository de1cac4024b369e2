"""The benchmark suite's own machinery (bench/suite/): the simulated genotypes have the
stated properties, and fastreg's implicit intercept and standardization solve the same
problem the peers get explicitly, so the suite's accuracy check compares like with like."""

import os
import sys
from types import SimpleNamespace

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.suite import simulate as suite_sim  # noqa: E402


def test_ld_genotypes_hardy_weinberg_and_ld():
    G = suite_sim.ld_genotypes(4000, 400, seed=3)
    assert G.dtype == np.int8 and G.flags.f_contiguous
    assert set(np.unique(G)) <= {0, 1, 2}
    f = G.mean(0) / 2.0
    poly = (f > 0.05) & (f < 0.95)
    # Hardy-Weinberg: P(dosage 2) = f^2 and P(1) = 2 f (1 - f), within sampling error
    p2 = (G[:, poly] == 2).mean(0)
    p1 = (G[:, poly] == 1).mean(0)
    assert np.max(np.abs(p2 - f[poly] ** 2)) < 0.04
    assert np.max(np.abs(p1 - 2 * f[poly] * (1 - f[poly]))) < 0.05
    # neighbours correlate, strongly for some pairs but never near 1 on average
    X = G.astype(np.float64)
    Xc = X - X.mean(0)
    s = np.sqrt((Xc**2).sum(0))
    r = np.abs((Xc[:, 1:] * Xc[:, :-1]).sum(0) / np.maximum(s[1:] * s[:-1], 1e-300))
    assert 0.85 < r.max() < 0.99
    assert 0.3 < np.median(r) < 0.85


@pytest.mark.parametrize("standardize", [True, False])
def test_fastreg_rows_match_the_explicitly_standardized_problem(standardize):
    from bench.suite import cases, run

    rng = np.random.default_rng(0)
    X = np.asfortranarray(rng.standard_normal((60, 150)) * rng.uniform(0.5, 3, 150) + 2.0)
    y = X[:, :5] @ np.ones(5) + rng.standard_normal(60) + 4.0
    case = cases.Case("t", "test", lambda: cases.Problem({"float64": X}, X, y),
                      eps=1e-2, standardize=standardize)
    args = SimpleNamespace(repeat=1, n_alphas=20, only=["scikit-learn"], verbose=False)
    (row,) = run.run_case(case, args)
    assert row.error is None
    t, sub = row.peers["scikit-learn"]
    # both reached the best objective of the two: the problems are the same
    assert row.subopt <= 1e-6 and sub <= 1e-6
    assert row.nnz > 5 and row.ratio() is not None
