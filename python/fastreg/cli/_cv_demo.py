"""`fastreg demo --rules`: LassoCV on the demo's genotype-like problem, both selection rules.

Fits LassoCV on the training split (the same data as `fastreg demo`), refits at the alpha
of each rule (minimum mean CV error, and glmnet's one-standard-error rule), reports each
one's held-out error and its selected variants against the truth, and writes the
coefficient path and the CV curve to PNG files (matplotlib, `pip install fastreg[plot]`).
"""

from __future__ import annotations

import time

import numpy as np

import fastreg

from ._lasso_demo import EPS, N_ALPHAS, TOL, TRAIN_FRACTION, _selection_scores, _split, \
    make_genotype_problem


def _rule_report(name, alpha, X_train, y_train, X_test, y_test, truth, n_threads):
    model = fastreg.Lasso(alpha=alpha, tol=TOL, n_threads=n_threads).fit(X_train, y_train)
    mse = float(np.mean((model.predict(X_test) - y_test) ** 2))
    r2 = 1 - mse / y_test.var()
    selected, hits, precision, recall = _selection_scores(model.coef_, truth)
    print(f"{name:<8} alpha {alpha:.4g}: held-out MSE {mse:.4f}, R2 {r2:.3f}; "
          f"{selected.size} variants selected, {hits} causal "
          f"(precision {precision:.3f}, recall {recall:.3f})")


def _plots(model, prefix):
    """Writes PREFIX.path.png and PREFIX.cv.png; returns their names, or None without
    matplotlib."""
    try:
        import matplotlib
    except ImportError:
        return None
    matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.pyplot as plt

    names = (f"{prefix}.path.png", f"{prefix}.cv.png")
    ax = fastreg.plot.path(model)  # the path on the whole training split, both alphas marked
    ax.set_title("Lasso path (training split)")
    ax.figure.savefig(names[0], dpi=100)
    plt.close(ax.figure)
    ax = fastreg.plot.cv(model)
    ax.set_title(f"{model.n_folds_}-fold cross-validation")
    ax.figure.savefig(names[1], dpi=100)
    plt.close(ax.figure)
    return names


def cv_demo(n=1000, p=20_000, causal=30, h2=0.5, seed=0, threads=None, folds=5,
            prefix="fastreg-demo") -> int:
    if n < 10 * folds or p < 1 or causal < 1 or causal > p:
        raise SystemExit("fastreg demo --rules: need --n >= 10 * --cv, 1 <= --causal <= --p")
    if folds < 2:
        raise SystemExit("fastreg demo --rules: --cv must be at least 2")
    if not 0 < h2 < 1:
        raise SystemExit("fastreg demo --rules: --h2 must be in (0, 1)")
    if threads is not None and threads < 1:
        raise SystemExit("fastreg demo --rules: --threads must be positive")
    X, y, truth, _ = make_genotype_problem(n, p, causal, h2, seed)
    n_train = int(round(TRAIN_FRACTION * n))
    X_train, y_train, X_test, y_test = _split(X, y, n_train)
    del X
    print(f"fastreg {fastreg.__version__}: LassoCV on genotype-like data, "
          f"{threads or fastreg.get_num_threads()} threads")
    print(f"data     {n:,} samples x {p:,} variants (0/1/2), {causal} causal, h2 = {h2}, "
          f"seed {seed}; {n_train:,} training / {n - n_train:,} held-out samples")

    t0 = time.perf_counter()
    model = fastreg.LassoCV(cv=folds, alphas=N_ALPHAS, eps=EPS, tol=TOL,
                            n_threads=threads).fit(X_train, y_train)
    seconds = time.perf_counter() - t0
    print(f"LassoCV  {folds} folds x {N_ALPHAS} alphas down to {EPS:g} alpha_max, tol {TOL:g}, "
          f"and the path on the whole training split: {seconds:.2f} s")
    print(f"alphas   min rule: {model.alpha_min_:.4g} (mean CV MSE "
          f"{model.cv_mean_.min():.4f}); 1-SE rule: {model.alpha_1se_:.4g} (the largest alpha "
          "within one standard error of the minimum)")
    _rule_report("min", model.alpha_min_, X_train, y_train, X_test, y_test, truth, threads)
    _rule_report("1se", model.alpha_1se_, X_train, y_train, X_test, y_test, truth, threads)

    names = _plots(model, prefix)
    if names is None:
        print("plots    matplotlib is not installed: pip install 'fastreg[plot]'")
    else:
        print(f"plots    {names[0]} (coefficient path), {names[1]} (CV curve)")
    return 0
