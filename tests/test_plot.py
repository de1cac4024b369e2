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


def test_path_from_model(tmp_path):
    model = FakeCV()
    ax = fastreg.plot.path(model)
    assert ax.get_xscale() == "log"
    assert "alpha" in ax.get_xlabel() and ax.get_ylabel() == "coefficients"
    v = _vlines(ax)
    assert sorted(ln.get_xdata()[0] for ln in v) == sorted([model.alpha_min_, model.alpha_1se_])
    coef_lines = [ln for ln in ax.get_lines() if len(ln.get_xdata()) == model.alphas_.size]
    assert len(coef_lines) == model.coef_path_.shape[0]
    _save(ax, tmp_path / "path.png")


def test_path_from_lasso_path_tuple(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 8))
    y = X[:, 0] - 2 * X[:, 1] + 0.1 * rng.standard_normal(60)
    result = fastreg.lasso_path(X, y, alphas=30)
    fig, ax = plt.subplots()
    out = fastreg.plot.path(result, ax=ax, labels=[f"x{j}" for j in range(8)], alpha_min=0.05)
    assert out is ax
    n_moving = int(np.any(result[1] != 0, axis=1).sum())  # the others are not drawn
    assert len([ln for ln in ax.get_lines() if len(ln.get_xdata()) == 30]) == n_moving >= 2
    assert len(_vlines(ax)) == 1
    assert ax.get_legend() is not None
    _save(ax, tmp_path / "lasso_path.png")


def test_path_of_a_fitted_lassocv(tmp_path):
    # a real CV model (not a stand-in): its coef_path_ along cv_alphas_, both alphas marked
    rng = np.random.default_rng(1)
    X = rng.standard_normal((80, 40))
    y = X[:, :3] @ np.array([2.0, -1.0, 0.5]) + 0.3 * rng.standard_normal(80)
    model = fastreg.LassoCV(cv=4, alphas=30).fit(X, y)
    ax = fastreg.plot.path(model)
    moving = int(np.any(model.coef_path_ != 0, axis=1).sum())
    assert len([ln for ln in ax.get_lines() if len(ln.get_xdata()) == 30]) == moving >= 3
    assert sorted(ln.get_xdata()[0] for ln in _vlines(ax)) == sorted(
        [model.alpha_min_, model.alpha_1se_])
    _save(ax, tmp_path / "lassocv_path.png")


def test_path_skips_features_zero_all_along():
    alphas = np.geomspace(1.0, 0.01, 5)
    coefs = np.zeros((6, 5))
    coefs[1, 2:] = [0.1, 0.2, 0.3]
    coefs[4, 3:] = [-0.5, -1.0]
    ax = fastreg.plot.path((alphas, coefs), labels=list("abcdef"))
    lines = [ln for ln in ax.get_lines() if len(ln.get_xdata()) == 5]
    assert [ln.get_label() for ln in lines] == ["b", "e"]
    np.testing.assert_array_equal(lines[1].get_ydata(), coefs[4])
    plt.close(ax.figure)


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
