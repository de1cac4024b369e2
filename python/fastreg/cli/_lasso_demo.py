"""`fastreg demo --compare`: a Lasso path on a wide genotype-like problem with a known sparse truth.

Generates n samples x p variants with values 0/1/2 (Binomial(2, maf) per variant, maf drawn
from U(0.05, 0.5)), a phenotype driven by a few dozen causal variants at a chosen
heritability, fits the Lasso path on a training split, picks alpha by held-out error and
scores the selected variants against the truth. With scikit-learn installed, its path is
fitted on the same data with the same alphas and tolerance, and the times compared.
"""

from __future__ import annotations

import time

import numpy as np

import fastreg

TRAIN_FRACTION = 0.8
N_ALPHAS = 100
EPS = 1e-2  # alpha_min / alpha_max: glmnet's default when n < p
TOL = 1e-4  # scikit-learn's default


def make_genotype_problem(n, p, n_causal, h2, seed):
    """X (n, p) float64 F-ordered with values 0/1/2, y (n,), the causal indices (sorted)
    and the variants' minor allele frequencies."""
    rng = np.random.default_rng(seed)
    maf = rng.uniform(0.05, 0.5, p)
    # Drawn variant by variant (rows of a C-ordered (p, n) array), so that the transpose is
    # an F-ordered (n, p) design, the layout the core reads in place.
    X = rng.binomial(2, maf[:, None], size=(p, n)).astype(np.float64).T
    causal = np.sort(rng.choice(p, n_causal, replace=False))
    effect = rng.standard_normal(n_causal)
    genetic = X[:, causal] @ effect
    genetic -= genetic.mean()
    genetic *= np.sqrt(h2) / genetic.std()
    y = genetic + np.sqrt(1 - h2) * rng.standard_normal(n)
    return X, y, causal, maf


def _split(X, y, n_train):
    """First n_train samples (the samples are i.i.d., so this is a random split) for
    training, the rest held out; both designs F-ordered."""
    Xt = X.T  # C-ordered (p, n)
    X_train = np.ascontiguousarray(Xt[:, :n_train]).T
    X_test = np.ascontiguousarray(Xt[:, n_train:]).T
    return X_train, y[:n_train], X_test, y[n_train:]


def _held_out_mse(X_test, y_test, coefs, intercepts):
    pred = X_test @ coefs + intercepts  # (n_test, n_alphas)
    return ((pred - y_test[:, None]) ** 2).mean(axis=0)


def _selection_scores(coef, causal):
    selected = np.flatnonzero(coef)
    hits = np.intersect1d(selected, causal).size
    precision = hits / selected.size if selected.size else 0.0
    recall = hits / causal.size
    return selected, hits, precision, recall


def _sklearn_path(X_train, y_train, alphas):
    """scikit-learn's lasso_path has no intercept: center (on the training split) first;
    the centering is part of the timed work."""
    from sklearn.linear_model import lasso_path

    t0 = time.perf_counter()
    x_mean = X_train.mean(axis=0)
    y_mean = y_train.mean()
    Xc = np.asfortranarray(X_train - x_mean)
    _, coefs, _ = lasso_path(Xc, y_train - y_mean, alphas=alphas, tol=TOL)
    seconds = time.perf_counter() - t0
    intercepts = y_mean - x_mean @ coefs
    return coefs, intercepts, seconds


def lasso_demo(n=1000, p=20_000, causal=30, h2=0.5, seed=0, threads=None, sklearn=True) -> int:
    if n < 10 or p < 1 or causal < 1:
        raise SystemExit("fastreg demo: need --n >= 10, --p >= 1 and --causal >= 1")
    if causal > p:
        raise SystemExit("fastreg demo: --causal must be at most --p")
    if not 0 < h2 < 1:
        raise SystemExit("fastreg demo: --h2 must be in (0, 1)")
    if threads is not None:
        if threads < 1:
            raise SystemExit("fastreg demo: --threads must be positive")
        fastreg.set_num_threads(threads)
    lasso_path = fastreg.lasso_path  # resolve the lazy import before timing

    t0 = time.perf_counter()
    X, y, truth, _ = make_genotype_problem(n, p, causal, h2, seed)
    n_train = int(round(TRAIN_FRACTION * n))
    X_train, y_train, X_test, y_test = _split(X, y, n_train)
    del X
    t_gen = time.perf_counter() - t0
    print(f"fastreg {fastreg.__version__}: Lasso path on genotype-like data, "
          f"{fastreg.get_num_threads()} threads")
    print(f"data     {n:,} samples x {p:,} variants (0/1/2, maf ~ U(0.05, 0.5), float64), "
          f"{causal} causal, h2 = {h2}, seed {seed}; generated in {t_gen:.1f} s")
    print(f"split    {n_train:,} training / {n - n_train:,} held-out samples; "
          f"path: {N_ALPHAS} alphas down to {EPS:g} alpha_max, tol {TOL:g}, intercept")

    t0 = time.perf_counter()
    alphas, coefs, _, intercepts = lasso_path(
        X_train, y_train, alphas=N_ALPHAS, eps=EPS, tol=TOL, fit_intercept=True,
        return_intercept=True)
    t_fast = time.perf_counter() - t0
    mse = _held_out_mse(X_test, y_test, coefs, intercepts)
    best = int(np.argmin(mse))
    var_test = y_test.var()
    r2 = 1 - mse[best] / var_test
    selected, hits, precision, recall = _selection_scores(coefs[:, best], truth)

    print(f"fastreg  path {t_fast:.2f} s")
    print(f"alpha    {alphas[best]:.4g} chosen by held-out MSE (#{best + 1} of {alphas.size}), "
          f"held-out R2 {r2:.3f} (h2 = {h2} is the best expected)")
    print(f"selected {selected.size} variants, {hits} of them causal: "
          f"precision {precision:.3f}, recall {recall:.3f}")
    is_causal = set(truth.tolist())
    order = selected[np.argsort(-np.abs(coefs[selected, best]), kind="stable")]
    shown = ", ".join(f"{j}{'*' if j in is_causal else ''}" for j in order[:30])
    more = f", ... ({order.size - 30} more)" if order.size > 30 else ""
    print(f"         by |coef| (* causal): {shown}{more}" if order.size else
          "         no variant selected")

    if not sklearn:
        return 0
    try:
        import sklearn as _sk
    except ImportError:
        print("scikit-learn not installed: no comparison (pip install scikit-learn)")
        return 0
    sk_coefs, sk_intercepts, t_sk = _sklearn_path(X_train, y_train, alphas)
    sk_mse = _held_out_mse(X_test, y_test, sk_coefs, sk_intercepts)
    sk_best = int(np.argmin(sk_mse))
    sk_r2 = 1 - sk_mse[sk_best] / var_test
    _, _, sk_precision, sk_recall = _selection_scores(sk_coefs[:, sk_best], truth)
    print(f"sklearn  {_sk.__version__} lasso_path on the same split, alphas and tol "
          f"(X centered first, timed): {t_sk:.2f} s")
    print(f"         alpha #{sk_best + 1}, held-out R2 {sk_r2:.3f}, precision {sk_precision:.3f}, "
          f"recall {sk_recall:.3f}")
    speed = (f"{t_sk / t_fast:.1f}x faster than" if t_sk >= t_fast else
             f"{t_fast / t_sk:.1f}x slower than")
    print(f"speed    fastreg is {speed} scikit-learn "
          f"(time ratio fastreg / scikit-learn {t_fast / t_sk:.3f})")
    if abs(sk_r2 - r2) > 0.02:
        print(f"warning  held-out R2 differs by {abs(sk_r2 - r2):.3f} between the two fits")
        return 1
    return 0
