"""fastreg.logistic_path against R's glmnet (family="binomial") on the same lambda grid:
glmnet's objective is logistic_path's (weights normalized to sum n, the penalty
lambda * ((1 - alpha)/2 ||b||^2 + alpha ||b||_1) with penalty.factor rescaled by glmnet to
sum to the number of features), with and without standardization, weights, penalty factors,
an offset and an intercept. glmnet runs at thresh 1e-14; coefficients agree to 1e-6 of
their largest value, and neither objective is better than the other by more than 1e-9.

R and glmnet are needed (Debian: apt-get install r-cran-glmnet; .ci/run installs it)."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest

import fastreg

RSCRIPT = shutil.which("Rscript")

R_FIT = r"""
args <- commandArgs(trailingOnly = TRUE)
d <- args[1]
suppressMessages(library(glmnet))
rd <- function(name, n) readBin(file.path(d, name), "double", n = n, size = 8, endian = "little")
dims <- as.integer(readLines(file.path(d, "dims.txt")))
n <- dims[1]; p <- dims[2]; k <- dims[3]
opts <- readLines(file.path(d, "opts.txt"))
x <- matrix(rd("x.bin", n * p), n, p)
y <- rd("y.bin", n)
w <- rd("w.bin", n)
pf <- rd("pf.bin", p)
off <- rd("offset.bin", n)
lambda <- rd("lambda.bin", k)
fit <- glmnet(x, y, family = "binomial", weights = w, offset = off, lambda = lambda,
              alpha = as.numeric(opts[1]), standardize = opts[2] == "TRUE",
              intercept = opts[3] == "TRUE", penalty.factor = pf,
              thresh = 1e-14, maxit = 10000000)
out <- file(file.path(d, "coef.bin"), "wb")
writeBin(as.vector(as.matrix(coef(fit))), out, size = 8, endian = "little")
close(out)
"""


def _glmnet(tmp_path, X, y, *, lambdas, l1_ratio, standardize, fit_intercept, w, pf, offset):
    """glmnet's coefficients ((p + 1) x k: the intercept first) on the given grid."""
    assert RSCRIPT, ("R is needed: apt-get install r-cran-glmnet (.ci/run installs it)")
    n, p = X.shape
    d = tmp_path
    np.asfortranarray(X).ravel(order="F").astype("<f8").tofile(d / "x.bin")
    for name, a in (("y", y), ("w", w), ("pf", pf), ("offset", offset), ("lambda", lambdas)):
        np.asarray(a, dtype="<f8").tofile(d / f"{name}.bin")
    (d / "dims.txt").write_text(f"{n}\n{p}\n{len(lambdas)}\n")
    (d / "opts.txt").write_text(f"{l1_ratio!r}\n{'TRUE' if standardize else 'FALSE'}\n"
                                f"{'TRUE' if fit_intercept else 'FALSE'}\n")
    (d / "fit.R").write_text(R_FIT)
    r = subprocess.run([RSCRIPT, str(d / "fit.R"), str(d)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    return np.fromfile(d / "coef.bin", dtype="<f8").reshape(len(lambdas), p + 1).T


def _objective(X, y, w, offset, b0, coef, lam, l1_ratio, pf):
    """glmnet's objective (pf as fastreg takes it: already rescaled)."""
    s = w / w.mean()
    eta = offset + b0 + X @ coef
    loss = np.mean(s * (np.logaddexp(0.0, eta) - y * eta))
    return loss + lam * np.sum(pf * (l1_ratio * np.abs(coef) + 0.5 * (1 - l1_ratio) * coef**2))


CASES = {
    "lasso": dict(l1_ratio=1.0, standardize=False, fit_intercept=True, weights=False,
                  pf=False, offset=False),
    "enet-weights-pf": dict(l1_ratio=0.5, standardize=False, fit_intercept=True, weights=True,
                            pf=True, offset=False),
    "lasso-standardized-weights-pf": dict(l1_ratio=1.0, standardize=True, fit_intercept=True,
                                          weights=True, pf=True, offset=False),
    "lasso-standardized-offset": dict(l1_ratio=1.0, standardize=True, fit_intercept=True,
                                      weights=False, pf=False, offset=True),
    "enet-no-intercept": dict(l1_ratio=0.3, standardize=False, fit_intercept=False,
                              weights=False, pf=False, offset=False),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_logistic_path_equals_glmnet(tmp_path, case):
    c = CASES[case]
    rng = np.random.default_rng(sorted(CASES).index(case))
    n, p = 150, 30
    X = rng.standard_normal((n, p)) * rng.uniform(0.3, 3.0, p)  # unequal scales
    beta = np.zeros(p)
    beta[[0, 3, 7, 12]] = [0.9, -0.7, 0.5, 0.4]
    offset = 0.5 * rng.standard_normal(n) if c["offset"] else np.zeros(n)
    eta = 0.2 + X @ beta + offset
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(np.float64)
    w = rng.uniform(0.2, 3.0, n) if c["weights"] else np.ones(n)
    pf_raw = np.ones(p)
    if c["pf"]:
        pf_raw = rng.uniform(0.5, 2.0, p)
        pf_raw[2] = 0.0  # unpenalized
    pf = pf_raw * p / pf_raw.sum()  # glmnet's rescaling, done here for fastreg
    # the grid: from fastreg's alpha_max (where only the unpenalized features are nonzero)
    # down to 2 % of it
    a_max = fastreg.logistic_path(X, y, l1_ratio=c["l1_ratio"], alphas=2, eps=0.5,
                                  fit_intercept=c["fit_intercept"], sample_weight=w,
                                  penalty_factor=pf, standardize=c["standardize"],
                                  offset=offset)[0][0]
    lambdas = a_max * np.geomspace(1.0, 0.02, 12)
    alphas, coefs, b0 = fastreg.logistic_path(
        X, y, l1_ratio=c["l1_ratio"], alphas=lambdas, fit_intercept=c["fit_intercept"],
        sample_weight=w, penalty_factor=pf, standardize=c["standardize"], offset=offset,
        tol=1e-12, max_iter=1000)
    np.testing.assert_allclose(alphas, lambdas, rtol=1e-15)
    ref = _glmnet(tmp_path, X, y, lambdas=lambdas, l1_ratio=c["l1_ratio"],
                  standardize=c["standardize"], fit_intercept=c["fit_intercept"], w=w,
                  pf=pf_raw, offset=offset)
    scale = np.abs(ref[1:]).max()
    assert scale > 0.1  # the path is not all zeros
    np.testing.assert_allclose(coefs, ref[1:], rtol=0, atol=1e-6 * scale)
    np.testing.assert_allclose(b0, ref[0], rtol=0, atol=1e-6 * max(1.0, np.abs(ref[0]).max()))
    # the same objective (standardize: the penalty factors times the weighted sd)
    if c["standardize"]:
        s = w / w.sum()
        mean = s @ X
        pf = pf * np.sqrt(s @ (X - mean) ** 2)
    for k, lam in enumerate(lambdas):
        ours = _objective(X, y, w, offset, b0[k], coefs[:, k], lam, c["l1_ratio"], pf)
        theirs = _objective(X, y, w, offset, ref[0, k], ref[1:, k], lam, c["l1_ratio"], pf)
        assert abs(ours - theirs) <= 1e-9 * abs(theirs), (k, ours, theirs)
