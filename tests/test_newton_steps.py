"""Paths on nearly collinear columns, where coordinate descent alone converges slowly and
the solver takes Newton steps on the nonzero coefficients (cd/enet.hpp, newton_step):
uncentered dosages without an intercept (every column carries its mean), and paths down to
nearly as many nonzeros as samples.

Reference: the duality gap of every solution, computed here in NumPy from the problem's
definition (not the solver's), must be within the tolerance, with no ConvergenceWarning at
the default max_iter (the paths below stopped at max_iter on 1 to 4 alphas before the
Newton steps)."""

from __future__ import annotations

import os
import sys
import warnings

import numpy as np
import pytest

import fastreg

sys.path.insert(0, os.path.dirname(__file__))
from test_genotypes import write_plink  # noqa: E402


def _dosages(n, p, seed, k=10):
    rng = np.random.default_rng(seed)
    maf = rng.uniform(0.05, 0.5, p)
    X = np.asfortranarray(rng.binomial(2, maf, size=(n, p)).astype(np.float64))
    y = X[:, :k] @ rng.standard_normal(k) + rng.standard_normal(n)
    return X, y


def _gap(X, y, w, b0, alpha, l1_ratio, v, pf):
    """The elastic-net duality gap at (w, b0), weights v summing to 1: primal
    1/2 r'Vr + l1 sum pf |w| + l2/2 sum pf w^2 (l1 = alpha l1_ratio, l2 = alpha (1 -
    l1_ratio)) against the dual at the scaled residual (the lasso on X stacked over
    diag(sqrt(l2 pf)))."""
    l1, l2 = alpha * l1_ratio, alpha * (1.0 - l1_ratio)
    yc = y - b0
    r = yc - X @ w
    g = X.T @ (v * r) - l2 * pf * w
    quad = v @ (r * r) + l2 * pf @ (w * w)
    primal = 0.5 * quad + l1 * pf @ np.abs(w)
    norm = np.max(np.abs(g) / pf)
    s = min(1.0, l1 / norm) if norm > 0 else 1.0
    dual = s * (v @ (r * yc)) - 0.5 * s * s * quad
    return primal - dual


def _check_path(X, y, *, l1_ratio=1.0, sample_weight=None, penalty_factor=None, tol=1e-4):
    n, p = X.shape
    v = np.full(n, 1.0 / n) if sample_weight is None else sample_weight / sample_weight.sum()
    pf = np.ones(p) if penalty_factor is None else penalty_factor  # (not rescaled)
    with warnings.catch_warnings():
        warnings.simplefilter("error", fastreg.ConvergenceWarning)
        alphas, coefs, gaps = fastreg.enet_path(
            X, y, l1_ratio=l1_ratio, eps=1e-2, n_alphas=60, tol=tol,
            sample_weight=sample_weight, penalty_factor=penalty_factor)
    tol_scaled = tol * (v @ (y * y))
    worst = 0.0
    for i, a in enumerate(alphas):
        gap = _gap(X, y, coefs[:, i], 0.0, a, l1_ratio, v, pf)
        worst = max(worst, gap / tol_scaled)
        # the solver's own gap is the one computed here, to rounding
        assert abs(gaps[i] - gap) <= 1e-9 * (v @ (y * y)) + 1e-6 * gap
    assert worst <= 1.0 + 1e-9, f"gap {worst:.3g} x the tolerance"
    return coefs


@pytest.mark.parametrize("n,p,seed", [(200, 2000, 0), (300, 3000, 0)])
def test_uncentered_dosages_without_intercept_converge(n, p, seed):
    X, y = _dosages(n, p, seed)
    coefs = _check_path(X, y)
    # the path reaches nearly as many nonzeros as samples
    assert (coefs[:, -1] != 0).sum() > n // 3


def test_elastic_net_with_weights_and_penalty_factors():
    X, y = _dosages(300, 3000, 1)
    rng = np.random.default_rng(2)
    sw = rng.uniform(0.3, 2.0, X.shape[0])
    pf = rng.uniform(0.5, 1.5, X.shape[1])
    _check_path(X, y, l1_ratio=0.7, sample_weight=sw, penalty_factor=pf)


def test_tight_tolerance():
    X, y = _dosages(200, 2000, 3)
    _check_path(X, y, tol=1e-8)


@pytest.mark.parametrize("kind", ["int8", "bed"])
def test_genotypes_without_intercept(kind, tmp_path):
    # the Newton steps' products go through the genotype columns' cache
    X, y = _dosages(200, 2000, 4)
    G8 = np.asfortranarray(X.astype(np.int8))
    if kind == "int8":
        G = fastreg.Genotypes.from_array(G8)
    else:
        G = fastreg.Genotypes.from_bed(write_plink(str(tmp_path / "g"), G8))
    tol = 1e-4
    with warnings.catch_warnings():
        warnings.simplefilter("error", fastreg.ConvergenceWarning)
        alphas, coefs, _ = fastreg.lasso_path(G, y, eps=1e-2, n_alphas=60, tol=tol)
    v = np.full(len(y), 1.0 / len(y))
    for i, a in enumerate(alphas):
        assert _gap(X, y, coefs[:, i], 0.0, a, 1.0, v, np.ones(X.shape[1])) <= tol * (v @ (y * y))
