"""The solvers the suite times: fastreg and each installed peer, all on one problem.

Every runner takes (X, y, alphas, tol) and returns the coefficients on the scale of the
standardized problem, shape (p, n_alphas), or (coefficients, seconds) when it was timed
inside a child process (adelie, glmnet). The peers get X already centered (and scaled when
standardizing) and y centered, and solve without an intercept: the same problem fastreg
solves from the raw X with `fit_intercept=True` (and `standardize=True`) implicitly. The
peers' preprocessing is done once and not timed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import warnings

import numpy as np

_wait = os.environ.get("OMP_WAIT_POLICY")
from bench.bench_lasso import GlmnetR, glmnet_available  # noqa: E402

# bench_lasso sets OMP_WAIT_POLICY=PASSIVE for its own runs; the suite measures fastreg as
# a user gets it, so that setting is undone (fastreg is imported first in any case)
if _wait is None:
    os.environ.pop("OMP_WAIT_POLICY", None)

TOL = {"fastreg": 1e-6, "scikit-learn": 1e-6, "celer": 1e-6, "skglm": 1e-8,
       "adelie": 1e-11, "glmnet (R)": 1e-11}
PEERS = ["scikit-learn", "celer", "skglm", "adelie", "glmnet (R)"]


def usable_cpus():
    return len(os.sched_getaffinity(0))


def fastreg_runner(X, scale, intercept, standardize, n_threads=None):
    """fastreg on the raw design (ndarray, sparse or Genotypes); coefs rescaled by `scale`
    (the columns' standard deviations when standardizing) to the standardized problem."""
    import fastreg

    kw = {} if n_threads is None else {"n_threads": n_threads}

    def run(_X, y, alphas, tol):
        c = fastreg.lasso_path(X, y, alphas=alphas, tol=tol, max_iter=100_000,
                               fit_intercept=intercept, standardize=standardize, **kw)[1]
        return c * scale[:, None]

    return run


def sklearn_runner():
    from sklearn.linear_model import lasso_path

    def run(X, y, alphas, tol):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return lasso_path(X, y, alphas=alphas, tol=tol, max_iter=100_000)[1]

    return run


def celer_runner():
    from celer import celer_path

    def run(X, y, alphas, tol):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return celer_path(X, y, "lasso", alphas=alphas, tol=tol, max_iter=1000)[1]

    return run


def skglm_runner():
    from skglm.datafits import Quadratic
    from skglm.penalties import L1
    from skglm.solvers import AndersonCD

    def run(X, y, alphas, tol):
        solver = AndersonCD(tol=tol, fit_intercept=False, warm_start=True,
                            max_iter=1000)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return solver.path(X, y, Quadratic(), L1(1.0), alphas=alphas)[1]

    # numba compiles on the first call: done here, on a tiny problem, untimed
    rng = np.random.default_rng(0)
    Xw = np.asfortranarray(rng.standard_normal((20, 30)))
    run(Xw, rng.standard_normal(20), np.array([0.5, 0.1]), 1e-6)
    return run


ADELIE_CHILD = r"""
import os, sys, time
import numpy as np
d, tol, nt = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
X = np.load(os.path.join(d, "X.npy")); y = np.load(os.path.join(d, "y.npy"))
alphas = np.load(os.path.join(d, "alphas.npy"))
import adelie as ad  # sets OMP_PROC_BIND and pins this (child) process: that is why it is here
t = time.perf_counter()
# Gaussian GLM: loss 1/n sum(-y eta + eta^2/2), so lambda = alpha; groups of size 1
st = ad.grpnet(X, ad.glm.gaussian(y), groups=np.arange(X.shape[1]), lmda_path=alphas,
               intercept=False, early_exit=False, tol=tol, adev_tol=1.0, ddev_tol=0.0,
               n_threads=nt, progress_bar=False)
dt = time.perf_counter() - t
c = np.zeros((X.shape[1], len(alphas)))
b = st.betas.toarray().T
c[:, : b.shape[1]] = b
np.save(os.path.join(d, "coef.npy"), c)
print(dt)
"""


class ChildData:
    """Writes a problem once to a temporary folder for the peers timed in child processes."""

    def __init__(self, prefix):
        self.dir = tempfile.mkdtemp(prefix=prefix)
        self.key = None

    def stage(self, X, y, alphas, write):
        key = (id(X), id(y), id(alphas))
        if key != self.key:
            write(self.dir, X, y, alphas)
            self.key = key

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class AdelieChild(ChildData):
    """adelie's grpnet in a child process (its import pins the process it runs in)."""

    def __init__(self):
        super().__init__("bench_suite_adelie_")

    def __call__(self, X, y, alphas, tol):
        def write(d, X, y, alphas):
            np.save(os.path.join(d, "X.npy"), np.asfortranarray(X))
            np.save(os.path.join(d, "y.npy"), np.asarray(y, dtype=np.float64))
            np.save(os.path.join(d, "alphas.npy"), np.asarray(alphas, dtype=np.float64))

        self.stage(X, y, alphas, write)
        out = subprocess.run([sys.executable, "-c", ADELIE_CHILD, self.dir, repr(tol),
                              str(usable_cpus())], check=True, capture_output=True, text=True)
        return np.load(os.path.join(self.dir, "coef.npy")), float(out.stdout.split()[-1])


GLMNET_SPARSE_R = r"""
args <- commandArgs(trailingOnly = TRUE)
d <- args[1]; n <- as.integer(args[2]); p <- as.integer(args[3])
L <- as.integer(args[4]); thresh <- as.numeric(args[5]); nnz <- as.integer(args[6])
suppressMessages({library(glmnet); library(Matrix)})
rd <- function(f, k, what = "double", size = NA_integer_) {
  con <- file(file.path(d, f), "rb"); on.exit(close(con)); readBin(con, what, k, size = size) }
x <- sparseMatrix(i = rd("i.bin", nnz, "integer", 4L), p = rd("p.bin", p + 1L, "integer", 4L),
                  x = rd("x.bin", nnz), dims = c(n, p), index1 = FALSE)
y <- rd("y.bin", n); lam <- rd("alphas.bin", L)
tm <- system.time(fit <- glmnet(x, y, family = "gaussian", lambda = lam, intercept = FALSE,
                                standardize = FALSE, thresh = thresh, maxit = 1e7))
b <- as.matrix(fit$beta)
out <- matrix(0, p, L); out[, seq_len(ncol(b))] <- b
con <- file(file.path(d, "coef.bin"), "wb"); writeBin(as.vector(out), con); close(con)
cat(tm[["elapsed"]], "\n")
"""


class GlmnetDense:
    """bench_lasso's GlmnetR (dense X, timed inside R) with the tolerance per call."""

    def __init__(self):
        self.r = GlmnetR(None)

    def __call__(self, X, y, alphas, tol):
        self.r.thresh = tol
        return self.r(X, y, alphas)

    def close(self):
        self.r.close()


class GlmnetSparseR(ChildData):
    """glmnet on a CSC matrix (a dgCMatrix in R), timed inside R like GlmnetR."""

    def __init__(self):
        super().__init__("bench_suite_glmnet_")
        with open(os.path.join(self.dir, "fit.R"), "w") as f:
            f.write(GLMNET_SPARSE_R)

    def __call__(self, X, y, alphas, tol):
        def write(d, X, y, alphas):
            X.indices.astype(np.int32).tofile(os.path.join(d, "i.bin"))
            X.indptr.astype(np.int32).tofile(os.path.join(d, "p.bin"))
            X.data.astype(np.float64).tofile(os.path.join(d, "x.bin"))
            np.asarray(y, dtype=np.float64).tofile(os.path.join(d, "y.bin"))
            np.asarray(alphas, dtype=np.float64).tofile(os.path.join(d, "alphas.bin"))

        self.stage(X, y, alphas, write)
        n, p = X.shape
        out = subprocess.run(
            ["Rscript", os.path.join(self.dir, "fit.R"), self.dir, str(n), str(p),
             str(len(alphas)), repr(tol), str(X.nnz)],
            check=True, capture_output=True, text=True)
        coef = np.fromfile(os.path.join(self.dir, "coef.bin")).reshape(len(alphas), p).T
        return coef, float(out.stdout.split()[-1])


def peer_runners(sparse, only=None):
    """{name: runner} of the installed peers (those in `only` when given), and
    {name: why not} for the others."""
    out, absent = {}, {}
    wanted = [k for k in PEERS if not only or k in only]
    makers = {"scikit-learn": sklearn_runner, "celer": celer_runner, "skglm": skglm_runner}
    for name in wanted:
        if name in makers:
            try:
                out[name] = makers[name]()
            except ImportError:
                absent[name] = "not installed (bash bench/install_peers.sh)"
        elif name == "adelie" and sparse:
            absent[name] = "not run on sparse X (this suite passes it dense arrays only)"
        elif name == "adelie":
            r = subprocess.run([sys.executable, "-c", "import adelie"], capture_output=True)
            if r.returncode == 0:
                out[name] = AdelieChild()
            else:
                absent[name] = "not installed (BENCH_ADELIE=1 bash bench/install_peers.sh)"
        elif glmnet_available():
            out[name] = GlmnetSparseR() if sparse else GlmnetDense()
        else:
            absent[name] = "not installed (apt-get install -y r-cran-glmnet)"
    return out, absent
