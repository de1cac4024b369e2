"""Direct ridge solvers: one symmetric system per problem, any number of alphas from it.

The problem is scikit-learn's, with sample weights ``s`` (not normalized) and penalty
factors ``pf`` (default 1)::

    sum_i s_i (y_i - b - x_i w)^2 + alpha * sum_j pf_j w_j^2

Everything is reduced to the unweighted problem without intercept in the "hat" space
(scikit-learn's ``_RidgeGCV`` notes): rows scaled by ``sqrt(s)``, columns centered by their
weighted means when fitting an intercept, penalized columns scaled by ``1/sqrt(pf)``;
columns with ``pf = 0`` are unpenalized and projected out (like the intercept). Then

- dual (``n_samples <= n_features``): the n x n kernel ``K = Xh Xh'`` (Xh: the transformed
  penalized columns) is built by BLAS ``syrk`` on blocks of X's columns (centered and
  scaled copies of one block at a time: X itself is never copied) or by a sparse product;
  the intercept's centering is implicit (blocks, or the kernel for sparse X);
- primal (``n_samples > n_features``): the p x p Gram ``Xh' Xh`` is built the same way on
  blocks of rows.

Single fits solve ``(A + alpha I) z = r`` directly; many alphas (and leave-one-out) use one
eigendecomposition ``A = U diag(lam) U'``. The expensive products over X run in X's dtype
(float32 stays float32: half the memory traffic and twice the BLAS speed); the n x n or
p x p matrices, their decomposition and the leave-one-out algebra are float64.
"""

from __future__ import annotations

import contextlib
import threading

import numpy as np

from .. import _validation as v
from ._block_sums import blas_one_thread, block_sums, share_blocks, threads_for

# Elements of X copied per block (centering, scaling): 32 MiB in float64.
_BLOCK_ELEMENTS = 1 << 22

# The largest magnitude allowed in the formed system (X^T X, X^T y or X X^T, about 1.8e308
# at most in float64): the solve, the eigendecomposition and the leave-one-out algebra need
# headroom beyond it.
_SYSTEM_LIMIT = 1e300


def check_system(matrix, rhs, primal):
    """ValueError when the formed system overflowed float64 (inf or NaN, silent otherwise)
    or came near it; checked on the p x p / n x n matrix and its right-hand side, which
    cost nothing next to forming them (X itself is not read again)."""
    limit = _SYSTEM_LIMIT
    top = float(np.max(np.abs(matrix))) if matrix.size else 0.0
    if not top <= limit:  # (NaN too)
        name = "X^T X" if primal else "X X^T"
        raise ValueError(f"X: its values are too large for float64: {name} overflows; "
                         "rescale X")
    top = float(np.max(np.abs(rhs))) if rhs.size else 0.0
    if not top <= limit:
        what = "X^T y" if primal else "y"
        raise ValueError(f"X, y: their values are too large for float64: {what} overflows; "
                         "rescale them")


def _blocks(length, other):
    size = max(64, min(length, _BLOCK_ELEMENTS // max(other, 1)))
    for start in range(0, length, size):
        yield start, min(length, start + size)


# A system (X^T X or X X^T) of at most this order is formed on fastreg's threads with BLAS
# and LAPACK on one thread (_block_sums: OpenBLAS's spinning threads made Ridge's default
# threads 3.5-5 times slower than one thread with another process on the other core);
# larger ones, whose products and factorizations are long enough to pay for BLAS's threads,
# keep them.
SMALL_SYSTEM = 2048
# the most elements of the blocks' products held at once by the threads (256 MB)
_HELD_ELEMENTS = 1 << 25

_share = threading.local()  # the threads the blocks' products may use, set by blas_threads


@contextlib.contextmanager
def blas_threads(n_threads, shape):
    """The threads of a ridge fit on X of `shape`: for a system of order min(n, p) up to
    SMALL_SYSTEM, BLAS/LAPACK on one thread and the Gram products shared by up to
    n_threads threads (default fastreg.get_num_threads(), at most the caller's CPUs);
    above it, BLAS/LAPACK on n_threads (through threadpoolctl when it is installed; without
    it BLAS keeps its own setting) and the products serial."""
    threads = threads_for(n_threads)
    prev = getattr(_share, "threads", 1)
    if min(shape) <= SMALL_SYSTEM:
        _share.threads = threads
        context = blas_one_thread()
    else:
        _share.threads = 1
        context = _blas_limit(threads)
    try:
        with context:
            yield
    finally:
        _share.threads = prev


@contextlib.contextmanager
def _blas_limit(n_threads):
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        yield
        return
    blas = ThreadpoolController().select(user_api="blas")
    if all(lib.num_threads == n_threads for lib in blas.lib_controllers):
        yield
        return
    with blas.limit(limits=n_threads):
        yield


def _product_threads(out_elements):
    """The threads for block products of `out_elements` each (blas_threads' count, fewer
    when that many outputs held at once would pass _HELD_ELEMENTS)."""
    return max(1, min(getattr(_share, "threads", 1), _HELD_ELEMENTS // max(out_elements, 1)))


def weighted_mean(X, s, total):
    """X' s / total in float64, without a float64 copy of a float32 X."""
    n, p = X.shape
    if v.is_sparse(X):
        cols = np.repeat(np.arange(p), np.diff(X.indptr))  # X is CSC
        out = np.bincount(cols, weights=X.data.astype(np.float64) * s[X.indices], minlength=p)
        return out / total
    if X.dtype == np.float64:
        return (X.T @ s) / total
    out = np.empty(p)
    for j0, j1 in _blocks(p, n):
        out[j0:j1] = s @ X[:, j0:j1].astype(np.float64)
    return out / total


def _eigh(A):
    """Eigendecomposition of a symmetric matrix: LAPACK's syevr (MRRR) through scipy when
    it is installed (about twice as fast as numpy's syevd on kernels here), else numpy."""
    try:
        from scipy.linalg import eigh
    except ImportError:
        return np.linalg.eigh(A)
    return eigh(A, driver="evr", check_finite=False)


class RidgeProblem:
    """A validated ridge problem reduced to one symmetric positive semi-definite system.

    Parameters
    ----------
    X : F-ordered ndarray or CSC matrix (float32 or float64), from ``design_matrix``.
    Y : ndarray of shape (n_samples, n_targets).
    sample_weight : None or ndarray of shape (n_samples,), non-negative.
    penalty_factor : None or ndarray of shape (n_features,), non-negative.
    fit_intercept : bool.
    mode : None, 'dual' or 'primal'. None: dual when n_samples <= n_features.
    """

    def __init__(self, X, Y, sample_weight, penalty_factor, fit_intercept, mode=None):
        n, p = X.shape
        self.X, self.n, self.p, self.k = X, n, p, Y.shape[1]
        self.dtype = X.dtype
        self.sparse = v.is_sparse(X)
        self.fit_intercept = bool(fit_intercept)
        s = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        self.weighted = sample_weight is not None
        self.s, self.sw, self.total = s, np.sqrt(s), float(s.sum())
        pf = np.ones(p) if penalty_factor is None else np.asarray(penalty_factor, np.float64)
        self.scaled = penalty_factor is not None and bool(np.any(pf != 1.0))
        self.unpen = np.flatnonzero(pf == 0)
        self.pen = np.flatnonzero(pf > 0)
        self.scale = np.zeros(p)
        self.scale[self.pen] = 1.0 / np.sqrt(pf[self.pen])  # D^{-1/2}, 0 when unpenalized
        if self.pen.size == 0:
            raise ValueError("penalty_factor: all zero leaves nothing penalized; use "
                             "ordinary least squares instead")
        Y = np.asarray(Y, dtype=np.float64)
        self.mode = mode or ("dual" if n <= p else "primal")
        self.y_mean = (s @ Y) / self.total if self.fit_intercept else np.zeros(self.k)
        # The column means: the primal needs them all; the dual only the unpenalized
        # columns' (its centering happens on the kernel, see _kernel).
        self.x_mean = np.zeros(p)
        if self.fit_intercept:
            if self.mode == "primal":
                self.x_mean = weighted_mean(X, s, self.total)
            elif self.unpen.size:
                self.x_mean[self.unpen] = weighted_mean(self._dense_columns(self.unpen), s,
                                                        self.total)
        self.Y = Y
        self.yh = self.sw[:, None] * (Y - self.y_mean)  # targets in the hat space
        self.h0 = s / self.total if self.fit_intercept else np.zeros(n)
        # (values near float64's limit overflow below into inf / NaN: check_system names
        # them; numpy's overflow warnings would only come first)
        with np.errstate(over="ignore", invalid="ignore"):
            self._unpenalized_basis()
            self.yc = self.yh if self.Qu is None else self.yh - self.Qu @ (self.Qu.T @ self.yh)
            if self.mode == "dual":
                self.Kh = self._kernel()
                self.A = self._project(self.Kh)
                self.rhs = self.yc
            else:
                self._gram_system()
        check_system(self.A, self.rhs, self.mode == "primal")
        self._eig = None
        self._M = None

    # -- construction ------------------------------------------------------------------

    def _unpenalized_basis(self):
        """Orthonormal basis Qu of the unpenalized columns in the hat space, Xh_u = Qu Ru."""
        self.Qu = self.Ru = None
        q = self.unpen.size
        if q == 0:
            return
        if q + self.fit_intercept >= self.n:
            raise ValueError(f"penalty_factor: {q} unpenalized columns (penalty_factor == 0) "
                             f"need more than {q + self.fit_intercept} samples, got {self.n}")
        Xu = self.sw[:, None] * (self._dense_columns(self.unpen) - self.x_mean[self.unpen])
        Qu, Ru = np.linalg.qr(Xu)
        d = np.abs(np.diag(Ru))
        norms = np.linalg.norm(Xu, axis=0)
        if not np.all(d > 1e-10 * np.maximum(norms, np.finfo(float).tiny)):
            raise ValueError("penalty_factor: the unpenalized columns (penalty_factor == 0) "
                             "are collinear (with the intercept, when fitted); their "
                             "coefficients are not determined")
        self.Qu, self.Ru = Qu, Ru
        self.h0 = self.h0 + (Qu * Qu).sum(axis=1)

    def _dense_columns(self, cols):
        """X[:, cols] as a float64 F-ordered array (a copy of those columns only)."""
        Xc = self.X[:, cols]
        Xc = Xc.toarray() if self.sparse else Xc
        return np.asfortranarray(Xc, dtype=np.float64)

    def _project(self, K):
        """P K P with P = I - Qu Qu' (nothing without unpenalized columns)."""
        if self.Qu is None:
            return K
        Q = self.Qu
        T = K - Q @ (Q.T @ K)
        return T - (T @ Q) @ Q.T

    def _kernel(self):
        """Kh = diag(sw) P1 K0 P1' diag(sw), float64 (n x n), from the raw kernel
        K0 = X_pen D^{-1} X_pen' and P1 = I - 1 s'/S (the weighted centering, when fitting
        an intercept): X is centered through its kernel, never copied.

        float64 X without penalty factors: one BLAS syrk on X itself. float32 X, or penalty
        factors: syrk on blocks of columns, converted to float64 (and scaled) one block at
        a time: X's float32 values are exact in float64, so the kernel is accurate to
        float64 rounding (leave-one-out at small alphas needs it: float32 products gave
        errors of order 1 there)."""
        X, n, p = self.X, self.n, self.p
        scaled = self.scaled or self.unpen.size
        # Dense X is shifted by (about) its column means in the blocks, so that the
        # centering below only removes a small remainder (no cancellation when the means
        # are large against the spread). Any shift works: it need not be exact.
        shift = None
        if self.fit_intercept and not self.sparse:
            shift = np.asarray(X.T @ (self.s / self.total).astype(X.dtype), dtype=np.float64)
            shift[self.unpen] = 0.0
        self.shift = np.zeros(p) if shift is None else shift
        if self.sparse:
            Xs = X
            if scaled:
                import scipy.sparse as sp

                Xs = X @ sp.diags(self.scale.astype(X.dtype))
            if X.dtype != np.float64:
                Xs = Xs.astype(np.float64)
            K = np.asarray((Xs @ Xs.T).toarray(), dtype=np.float64)
        else:
            def block(j0, j1):
                Xb = X[:, j0:j1]
                if X.dtype != np.float64 or shift is not None:
                    Xb = Xb.astype(np.float64, order="F")  # a copy of one block
                    if shift is not None:
                        Xb -= shift[j0:j1]
                    if scaled:
                        Xb *= self.scale[j0:j1]
                elif scaled:
                    Xb = Xb * self.scale[j0:j1]
                return (Xb @ Xb.T,)

            (K,) = block_sums(block, share_blocks(p, n), _product_threads(n * n))
        if self.fit_intercept:
            v = K @ (self.s / self.total)  # (X_pen - 1 shift') D^{-1} (xbar_pen - shift)
            mu = (self.s / self.total) @ v
            K -= v[:, None]
            K -= v[None, :]
            K += mu
            self.kernel_mean = v
        if self.weighted:
            K *= self.sw[:, None]
            K *= self.sw[None, :]
        return K

    def _gram_system(self):
        """A = D^{-1/2} (Gh_rr - Gh_ru Gh_uu^{-1} Gh_ur) D^{-1/2} over the penalized columns
        r, with Gh = Xh' Xh over all columns (p x p), and its right-hand side."""
        X, n, p = self.X, self.n, self.p
        if self.sparse:
            import scipy.sparse as sp

            Xw = X.astype(np.float64) if X.dtype != np.float64 else X
            Xw = sp.diags(self.sw) @ Xw if self.weighted else Xw
            G = np.asarray((Xw.T @ Xw).toarray(), dtype=np.float64)
            b = np.asarray(Xw.T @ self.yh, dtype=np.float64)
            if self.fit_intercept:
                G -= self.total * np.outer(self.x_mean, self.x_mean)
                # b needs no centering: sum_i sw_i yh_i = 0 when fitting the intercept
        else:
            # blocks of rows, centered, weighted and converted to float64 one at a time
            def block(i0, i1):
                if self.fit_intercept or self.weighted or X.dtype != np.float64:
                    Xb = np.asfortranarray(X[i0:i1], dtype=np.float64) - self.x_mean
                    if self.weighted:
                        Xb *= self.sw[i0:i1, None]
                    Xb = np.asfortranarray(Xb)
                else:
                    Xb = X[i0:i1]
                return Xb.T @ Xb, Xb.T @ self.yh[i0:i1]

            G, b = block_sums(block, share_blocks(n, p), _product_threads(p * p))
        r, u = self.pen, self.unpen
        self.Gh, self.bh = G, b
        if u.size:
            Guu = G[np.ix_(u, u)]
            Gur = G[np.ix_(u, r)]
            F = np.linalg.solve(Guu, Gur)
            C = G[np.ix_(r, r)] - Gur.T @ F
            h = b[r] - F.T @ b[u]
            self.F, self.Guu, self.Gur = F, Guu, Gur
        else:
            C, h = G, b
            self.F = None
        sr = self.scale[r]
        if self.scaled:
            C = sr[:, None] * C * sr[None, :]
            h = sr[:, None] * h
        self.A, self.rhs = C, h

    # -- solutions ---------------------------------------------------------------------

    def eig(self):
        """Eigendecomposition of the system matrix (computed once)."""
        if self._eig is None:
            lam, U = _eigh(self.A)
            self._eig = (lam, U, U.T @ self.rhs)
        return self._eig

    def solve(self, alphas, use_eig=False):
        """System solutions, one column per target, for per-target alphas (k,)."""
        alphas = np.asarray(alphas, dtype=np.float64)
        if use_eig or self._eig is not None:
            lam, U, Ur = self.eig()
            return U @ (Ur / (lam[:, None] + alphas[None, :]))
        m = self.A.shape[0]
        out = np.empty((m, self.k))
        for a in np.unique(alphas):
            cols = np.flatnonzero(alphas == a)
            M = self.A.copy()
            M.flat[:: m + 1] += a
            out[:, cols] = np.linalg.solve(M, self.rhs[:, cols])
        return out

    def solve_many(self, alphas):
        """System solutions for every alpha and target: shape (m, k, L)."""
        lam, U, Ur = self.eig()
        g = 1.0 / (lam[:, None] + np.asarray(alphas, dtype=np.float64)[None, :])
        m = lam.size
        z = (Ur[:, :, None] * g[:, None, :]).reshape(m, -1)
        return (U @ z).reshape(U.shape[0], self.k, -1)

    def coefs(self, sol, targets):
        """Coefficients (p, c) and intercepts (c,) from system solutions ``sol`` (m, c),
        column j belonging to target ``targets[j]``."""
        targets = np.asarray(targets)
        c = sol.shape[1]
        W = np.zeros((self.p, c))
        r, u = self.pen, self.unpen
        if self.mode == "dual":
            t = self.sw[:, None] * sol
            if self.fit_intercept:  # sol is orthogonal to sw up to rounding; keep it exact
                t -= self.s[:, None] * (t.sum(axis=0) / self.total)
            Xt = np.asarray(self.X.T @ t.astype(self.dtype), dtype=np.float64)
            W[:] = (self.scale ** 2)[:, None] * Xt  # zero on the unpenalized columns
            if u.size:
                resid = self.yh[:, targets] - self.Kh @ sol
                W[u] = np.linalg.solve(self.Ru, self.Qu.T @ resid)
            if self.fit_intercept:  # (xbar_pen - shift)' w_pen = v' t (t sums to 0)
                b = (self.y_mean[targets] - self.kernel_mean @ t - self.shift @ W
                     - self.x_mean[u] @ W[u])
                return W, b
        else:
            wr = self.scale[r][:, None] * sol
            W[r] = wr
            if u.size:
                W[u] = np.linalg.solve(self.Guu, self.bh[u][:, targets] - self.Gur @ wr)
        if self.fit_intercept:
            b = self.y_mean[targets] - self.x_mean @ W
        else:
            b = np.zeros(c)
        return W, b

    def _hat_basis(self):
        """(B, kind): the penalized hat matrix is B diag(g(lam, alpha)) B'."""
        lam, U, _ = self.eig()
        if self.mode == "dual":
            return U, "dual"
        if self._M is None:
            r, u = self.pen, self.unpen
            E = np.zeros((self.p, U.shape[1]))
            Er = self.scale[r][:, None] * U
            E[r] = Er
            if u.size:
                E[u] = -self.F @ Er
            XE = self._times(E)
            if self.fit_intercept:
                XE -= (self.x_mean @ E)[None, :]
            self._M = self.sw[:, None] * XE
        return self._M, "primal"

    def _times(self, E):
        """X @ E in float64 (float32 X: by blocks of rows converted to float64)."""
        X = self.X
        if X.dtype == np.float64:
            return np.asarray(X @ E)
        if self.sparse:
            return np.asarray(X.astype(np.float64) @ E)
        out = np.empty((self.n, E.shape[1]))
        for i0, i1 in _blocks(self.n, self.p):
            out[i0:i1] = np.asarray(X[i0:i1], dtype=np.float64) @ E
        return out

    def loo_residuals(self, alphas):
        """Leave-one-out residuals in the hat space (scikit-learn's ``looe``), shape
        (n, k, L): sqrt(s_i) (y_i - prediction of the model fitted without sample i).

        Dual: residual alpha (A + alpha I)^{-1} yc and its diagonal, as scikit-learn
        computes them (no cancellation in the residual at small alphas); primal:
        yc - H yc over the diagonal of I - H, with H = M diag(1 / (lam + alpha)) M'."""
        lam = self.eig()[0]
        alphas = np.asarray(alphas, dtype=np.float64)
        B, kind = self._hat_basis()
        m = B.shape[1]
        Bty = B.T @ self.yc
        if kind == "dual":
            g = alphas[None, :] / (lam[:, None] + alphas[None, :])
            resid = (B @ (Bty[:, :, None] * g[:, None, :]).reshape(m, -1)).reshape(self.n, self.k, -1)
            diag = (B * B) @ g - self.h0[:, None]
        else:
            g = 1.0 / (lam[:, None] + alphas[None, :])
            fitted = (B @ (Bty[:, :, None] * g[:, None, :]).reshape(m, -1)).reshape(self.n, self.k, -1)
            resid = self.yc[:, :, None] - fitted
            diag = 1.0 - (B * B) @ g - self.h0[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            return resid / diag[:, None, :]
