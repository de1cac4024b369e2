"""fastreg.plot: coefficient paths and CV curves rendered to PNG with the Agg backend."""

from __future__ import annotations

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import fastreg  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class FakeCV:
    """A stand-in for a fitted LassoCV: the attributes plot.cv / plot.path read."""

    def __init__(self, p=6, n_alphas=20):
        rng = np.random.default_rng(0)
        self.alphas_ = np.geomspace(1.0, 1e-2, n_alphas)
        t = np.linspace(0, 1, n_alphas)
        self.cv_mean_ = 1.0 + 2.0 * (t - 0.6) ** 2
        self.cv_se_ = np.full(n_alphas, 0.08)
        self.alpha_min_ = float(self.alphas_[np.argmin(self.cv_mean_)])
        within = self.cv_mean_ <= self.cv_mean_.min() + self.cv_se_[np.argmin(self.cv_mean_)]
        self.alpha_1se_ = float(self.alphas_[np.flatnonzero(within)[0]])
        self.alpha_ = self.alpha_min_
        self.coef_path_ = np.outer(rng.standard_normal(p), t)


def _save(ax, path):
    ax.figure.savefig(path, dpi=60)
    plt.close(ax.figure)
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC
    assert len(data) > 2000
    return data


def _vlines(ax):
    return [ln for ln in ax.get_lines() if np.allclose(ln.get_xdata()[0], ln.get_xdata()[-1])
            and len(ln.get_xdata()) == 2 and ln.get_xdata()[0] == ln.get_xdata()[1]
            and tuple(ln.get_ydata()) == (0, 1)]


def _segments(ax):
    """The coefficient lines of a path plot: the (n, n_alphas, 2) vertices of its one
    LineCollection (none when nothing moves)."""
    from matplotlib.collections import LineCollection

    cols = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(cols) <= 1
    return np.array([s for s in cols[0].get_segments()]) if cols else np.zeros((0, 0, 2))


def _top_axis(ax):
    (top,) = ax.child_axes  # the secondary x axis on top
    return top


def _check_counts(ax, alphas, counts):
    """The top axis' ticks sit at alphas of the grid and read the count there."""
    top = _top_axis(ax)
    ticks = top.get_xticks()
    texts = [t.get_text() for t in top.get_xticklabels()]
    assert len(ticks) >= 2 and len(ticks) == len(texts)
    for x, text in zip(ticks, texts):
        (i,) = np.flatnonzero(np.isclose(alphas, x, rtol=1e-12))
        assert int(text) == counts[i], (x, text, counts[i])


def test_path_from_model(tmp_path):
    model = FakeCV()
    ax = fastreg.plot.path(model)
    assert ax.get_xscale() == "log"
    assert "alpha" in ax.get_xlabel() and ax.get_ylabel() == "coefficients"
    lo, hi = ax.get_xlim()
    assert lo > hi and "larger on the left" in ax.get_xlabel()  # alpha decreases rightwards
    v = _vlines(ax)
    assert sorted(ln.get_xdata()[0] for ln in v) == sorted([model.alpha_min_, model.alpha_1se_])
    seg = _segments(ax)
    assert seg.shape == (model.coef_path_.shape[0], model.alphas_.size, 2)
    np.testing.assert_array_equal(seg[:, :, 0], np.tile(model.alphas_, (seg.shape[0], 1)))
    np.testing.assert_array_equal(seg[:, :, 1], model.coef_path_)
    _check_counts(ax, model.alphas_, np.count_nonzero(model.coef_path_, axis=0))
    _save(ax, tmp_path / "path.png")


def test_path_from_lasso_path_tuple(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 8))
    y = X[:, 0] - 2 * X[:, 1] + 0.1 * rng.standard_normal(60)
    result = fastreg.lasso_path(X, y, alphas=30)
    fig, ax = plt.subplots()
    names = [f"x{j}" for j in range(8)]
    out = fastreg.plot.path(result, ax=ax, labels=names, alpha_min=0.05, n_labels=3)
    assert out is ax
    moving = np.flatnonzero(np.any(result[1] != 0, axis=1))  # the others are not drawn
    assert moving.size >= 2
    np.testing.assert_array_equal(_segments(ax)[:, :, 1], result[1][moving])
    assert len(_vlines(ax)) == 1
    assert ax.get_legend() is not None
    # the three largest |coefficients| along the path are labelled, by their names
    biggest = np.argsort(-np.abs(result[1]).max(axis=1), kind="stable")[:3]
    assert sorted(t.get_text() for t in ax.texts) == sorted(names[j] for j in biggest)
    _save(ax, tmp_path / "lasso_path.png")


def test_path_of_a_fitted_lassocv(tmp_path):
    # a real CV model (not a stand-in): its coef_path_ along cv_alphas_, both alphas marked
    rng = np.random.default_rng(1)
    X = rng.standard_normal((80, 40))
    y = X[:, :3] @ np.array([2.0, -1.0, 0.5]) + 0.3 * rng.standard_normal(80)
    model = fastreg.LassoCV(cv=4, alphas=30).fit(X, y)
    ax = fastreg.plot.path(model)
    moving = int(np.any(model.coef_path_ != 0, axis=1).sum())
    assert _segments(ax).shape[:2] == (moving, 30) and moving >= 3
    assert sorted(ln.get_xdata()[0] for ln in _vlines(ax)) == sorted(
        [model.alpha_min_, model.alpha_1se_])
    _save(ax, tmp_path / "lassocv_path.png")


def test_path_draws_covariates_apart(tmp_path):
    """Unpenalized covariates: dashed lines of their own, named in the legend, not in the
    collection and not counted on the top axis; a model's zero penalty factors say which."""
    rng = np.random.default_rng(3)
    X = rng.standard_normal((100, 12))
    y = X[:, :4] @ np.array([1.0, -1.0, 0.5, 0.5]) + rng.standard_normal(100)
    pf = np.ones(12)
    pf[[10, 11]] = 0
    model = fastreg.LassoCV(cv=3, alphas=20, penalty_factor=pf).fit(X, y)
    path = model.coef_path_
    for ax in (fastreg.plot.path(model, labels=[f"v{j}" for j in range(12)]),
               fastreg.plot.path((model.cv_alphas_, path), covariates=[10, 11],
                                 labels=[f"v{j}" for j in range(12)])):
        cov = [ln for ln in ax.get_lines() if ln.get_label().startswith("covariate ")]
        assert [ln.get_label() for ln in cov] == ["covariate v10", "covariate v11"]
        assert all(ln.get_linestyle() == "--" for ln in cov)
        np.testing.assert_array_equal(cov[0].get_ydata(), path[10])
        moving = np.flatnonzero(np.any(path[:10] != 0, axis=1))
        np.testing.assert_array_equal(_segments(ax)[:, :, 1], path[moving])
        _check_counts(ax, model.cv_alphas_, np.count_nonzero(path[:10], axis=0))
        assert {"covariate v10", "covariate v11"} <= {
            t.get_text() for t in ax.get_legend().get_texts()}
        assert not {"v10", "v11"} & {t.get_text() for t in ax.texts}  # labels: variants only
        _save(ax, tmp_path / "cov.png")
    with pytest.raises(ValueError, match="covariates"):
        fastreg.plot.path((model.cv_alphas_, path), covariates=[12])
    with pytest.raises(ValueError, match="covariates"):
        fastreg.plot.path((model.cv_alphas_, path), covariates=np.ones(5, bool))


def test_path_skips_features_zero_all_along():
    alphas = np.geomspace(1.0, 0.01, 5)
    coefs = np.zeros((6, 5))
    coefs[1, 2:] = [0.1, 0.2, 0.3]
    coefs[4, 3:] = [-0.5, -1.0]
    ax = fastreg.plot.path((alphas, coefs), labels=list("abcdef"))
    np.testing.assert_array_equal(_segments(ax)[:, :, 1], coefs[[1, 4]])
    assert sorted(t.get_text() for t in ax.texts) == ["b", "e"]
    _check_counts(ax, alphas, [0, 0, 1, 2, 2])
    plt.close(ax.figure)


def test_path_labels_do_not_overlap():
    """Lines ending at nearly the same value get labels spread apart."""
    alphas = np.geomspace(1.0, 0.01, 10)
    coefs = np.outer(1.0 + 1e-3 * np.arange(8), np.linspace(0, 1, 10))
    ax = fastreg.plot.path((alphas, coefs), labels=[f"rs{j}" for j in range(8)])
    ys = sorted(t.get_position()[1] for t in ax.texts)
    span = abs(np.diff(ax.get_ylim())[0])
    assert len(ys) == 8 and np.min(np.diff(ys)) >= 0.03 * span
    plt.close(ax.figure)


def _genome_x(chrom, pos, order):
    """The documented layout, written out independently: chromosomes end to end in the
    given order, each from its first to its last position, 1 % of the total between."""
    chrom = np.asarray(chrom).astype(str)
    lengths = {c: max(pos[chrom == c].max() - pos[chrom == c].min(), 1) for c in order}
    gap = 0.01 * sum(lengths.values())
    start, x0 = {}, 0.0
    for c in order:
        start[c] = x0
        x0 += lengths[c] + gap
    return np.array([start[c] + p - pos[chrom == c].min() for c, p in zip(chrom, pos)])


def test_manhattan(tmp_path):
    rng = np.random.default_rng(5)
    chrom = np.array(["2", "1", "X", "chr10", "1", "2", "X", "chr10", "MT", "1"])
    pos = np.array([500, 100, 70, 900, 2000, 100, 5000, 300, 10, 1500])
    coef = np.array([0.5, 0.0, -0.2, 0.3, -0.9, 0.0, 0.1, 0.0, 0.25, 0.05])
    ids = [f"rs{j}" for j in range(10)]
    ax = fastreg.plot.manhattan(coef, chrom, pos, labels=ids, n_labels=2)
    order = ["1", "2", "chr10", "X", "MT"]  # natural order, the chr prefix ignored
    assert [t.get_text() for t in ax.get_xticklabels()] == order
    nz = np.flatnonzero(coef)
    (points,) = ax.collections[-1:]  # the markers, drawn last
    xy = points.get_offsets()
    expected = _genome_x(chrom, pos, order)
    np.testing.assert_allclose(xy[:, 0], expected[nz], rtol=1e-12)
    np.testing.assert_array_equal(xy[:, 1], coef[nz])
    assert sorted(t.get_text() for t in ax.texts) == ["rs0", "rs4"]  # the two largest |coef|
    assert f"{nz.size} of 10 nonzero" in ax.get_title()
    _save(ax, tmp_path / "manhattan.png")
    # nothing selected: an empty plot that says so
    ax = fastreg.plot.manhattan(np.zeros(10), chrom, pos)
    assert "no variant selected" in [t.get_text() for t in ax.texts]
    plt.close(ax.figure)
    # integer chromosome codes, as Genotypes may hold them
    ax = fastreg.plot.manhattan(coef, np.array([2, 1, 23, 10, 1, 2, 23, 10, 26, 1]), pos)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "10", "23", "26"]
    plt.close(ax.figure)


def test_manhattan_bad_input():
    with pytest.raises(ValueError, match="chromosomes"):
        fastreg.plot.manhattan(np.ones(3), ["1", "1"], [1, 2, 3])
    with pytest.raises(ValueError, match="positions"):
        fastreg.plot.manhattan(np.ones(3), ["1"] * 3, [1, 2])
    with pytest.raises(ValueError, match="positions"):
        fastreg.plot.manhattan(np.ones(3), ["1"] * 3, ["a", "b", "c"])
    with pytest.raises(ValueError, match="coef"):
        fastreg.plot.manhattan([np.nan, 1, 1], ["1"] * 3, [1, 2, 3])
    with pytest.raises(ValueError, match="labels"):
        fastreg.plot.manhattan(np.ones(3), ["1"] * 3, [1, 2, 3], labels=["a"])
    plt.close("all")


def test_cv_curve_from_model_and_arrays(tmp_path):
    model = FakeCV()
    ax = fastreg.plot.cv(model)
    assert ax.get_xscale() == "log" and "error" in ax.get_ylabel()
    assert len(ax.containers) == 1  # one errorbar container
    assert sorted(ln.get_xdata()[0] for ln in _vlines(ax)) == sorted(
        [model.alpha_min_, model.alpha_1se_])
    first = _save(ax, tmp_path / "cv.png")
    ax = fastreg.plot.cv(alphas=model.alphas_, mean=model.cv_mean_, se=model.cv_se_,
                         alpha_min=model.alpha_min_, alpha_1se=model.alpha_1se_)
    second = _save(ax, tmp_path / "cv2.png")
    assert len(first) > 2000 and len(second) > 2000
    ax = fastreg.plot.cv(alphas=model.alphas_, mean=model.cv_mean_)  # no se, no lines
    assert not _vlines(ax)
    plt.close(ax.figure)


def test_bad_input():
    model = FakeCV()
    with pytest.raises(TypeError, match="model_or_tuple"):
        fastreg.plot.path(object())
    with pytest.raises(ValueError, match="coefs"):
        fastreg.plot.path((model.alphas_, model.coef_path_[:, :-1]))
    with pytest.raises(ValueError, match="alphas"):
        fastreg.plot.path((-model.alphas_, model.coef_path_))
    with pytest.raises(TypeError, match="alphas_"):
        fastreg.plot.cv()
    with pytest.raises(ValueError, match="mean"):
        fastreg.plot.cv(alphas=model.alphas_, mean=model.cv_mean_[:-1])
    with pytest.raises(ValueError, match="se"):
        fastreg.plot.cv(alphas=model.alphas_, mean=model.cv_mean_, se=-model.cv_se_)
    plt.close("all")


def test_plot_module_is_lazy():
    import subprocess
    import sys

    code = ("import sys, fastreg; assert 'matplotlib' not in sys.modules; "
            "import fastreg.plot; assert 'matplotlib' not in sys.modules; "
            "fastreg.metrics; assert 'scipy' not in sys.modules and 'sklearn' not in sys.modules")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_plots_at_50000_variants_are_fast(tmp_path):
    """The path of 50,000 variants (2,000 of them nonzero somewhere on 100 alphas) against
    the same path drawn as a Line2D per variant with a legend (how it was drawn before:
    about 25 empty figures' time), and the Manhattan plot of 50,000 variants against an
    empty figure, all saved as PNG, interleaved, medians of 3 (bench/bench_plots.py
    measures them: docs/cli/lasso.md)."""
    import statistics
    import time

    rng = np.random.default_rng(0)
    p, k, moving = 50_000, 100, 2000
    alphas = np.geomspace(1.0, 0.01, k)
    enter = rng.integers(0, k, moving)
    coefs = np.zeros((moving, k))
    for i in range(moving):
        coefs[i, enter[i]:] = rng.standard_normal() * np.linspace(0, 1, k - enter[i])
    coef = np.zeros(p)
    coef[rng.choice(p, 300, replace=False)] = rng.standard_normal(300)
    chrom = 1 + np.arange(p) * 22 // p
    pos = np.arange(p) * 1000 % 5_000_000
    ids = [f"rs{j}" for j in range(p)]

    def save(ax):
        ax.figure.savefig(tmp_path / "t.png", dpi=100)
        plt.close(ax.figure)

    def line_per_variant():
        ax = plt.figure().add_subplot()
        ax.plot(alphas, coefs.T)
        ax.axvline(0.05, label="alpha_min")
        ax.set_xscale("log")
        ax.legend(loc="best")
        save(ax)

    draws = {"empty": lambda: save(plt.figure().add_subplot()),
             "lines": line_per_variant,
             "path": lambda: save(fastreg.plot.path((alphas, coefs), labels=ids[:moving],
                                                    alpha_min=0.05)),
             "manhattan": lambda: save(fastreg.plot.manhattan(coef, chrom, pos, labels=ids))}
    times = {name: [] for name in draws}
    for _ in range(3):
        for name, draw in draws.items():
            t0 = time.perf_counter()
            draw()
            times[name].append(time.perf_counter() - t0)
    med = {name: statistics.median(ts) for name, ts in times.items()}
    assert med["path"] < 0.6 * med["lines"], med  # measured 0.3-0.45
    assert med["manhattan"] < 12 * med["empty"], med  # measured 3.4-4.6
