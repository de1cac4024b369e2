"""Genotypes in scikit-learn's model-selection tools: row indexing as `_safe_indexing`
expects, `cross_val_score` / `cross_validate` / `GridSearchCV` / `Pipeline` with one and
two worker processes, and pickles that hold paths rather than data.

The reference is scikit-learn's own Lasso on the mean-imputed float64 matrix built with
NumPy (test_genotypes._imputed), through the same model-selection call. A subset of a
Genotypes imputes a missing dosage from its own samples, so the data of those comparisons
has no missing dosage that a subset could impute differently (a monomorphic variant with
missing entries and an all-missing one, which impute the same in every subset), and one
test with missing dosages compares against folds imputed one by one.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import numpy as np
import pytest

import fastreg
from fastreg import Genotypes

from test_genotypes import _dosages, _imputed, _target, write_plink

from sklearn.linear_model import Lasso as SkLasso
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score, cross_validate
from sklearn.pipeline import Pipeline

ALPHA = 0.03
TOL = 1e-10


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    G8 = _dosages(120, 40, seed=5, missing=0.0)
    X = _imputed(G8)
    y = _target(X, seed=6)
    prefix = write_plink(str(tmp_path_factory.mktemp("sk") / "g"), G8)
    return dict(G8=G8, X=X, y=y, prefix=prefix)


def _designs(d):
    return {"bed": Genotypes.from_bed(d["prefix"]), "int8": Genotypes.from_array(d["G8"])}


@pytest.mark.parametrize("kind", ["bed", "int8"])
def test_row_indexing_is_a_view(data, kind):
    G = _designs(data)[kind]
    assert len(G) == 120 and G.shape == (120, 40) and G.ndim == 2
    idx = np.array([5, 3, 3, 100])
    mask = np.zeros(120, dtype=bool)
    mask[[1, 7, 50]] = True
    for sub, rows in ((G[idx], idx), (G[list(idx)], idx), (G[idx, :], idx), (G[idx, ...], idx),
                      (G[mask], np.flatnonzero(mask)), (G[10:20:3], np.arange(10, 20, 3))):
        assert sub._data is G._data  # the same map / array: nothing copied
        assert sub.shape == (len(rows), 40)
        np.testing.assert_array_equal(sub.to_dense(), data["X"][rows])
    np.testing.assert_array_equal(G[[4, 9]][[1]].to_dense(), data["X"][[9]])
    if kind == "bed":
        np.testing.assert_array_equal(G[idx].sample_ids[:, 1], [f"ind{i}" for i in idx])
    assert G[:] is G
    with pytest.raises(TypeError, match="only rows"):
        G[:, [0, 1]]
    with pytest.raises(TypeError, match=r"G\[\[3\]\]"):
        G[3]
    with pytest.raises(ValueError, match=r"boolean mask needs shape \(120,\)"):
        G[mask[:5]]
    from sklearn.utils import _safe_indexing
    np.testing.assert_array_equal(_safe_indexing(G, idx).to_dense(), data["X"][idx])
    np.testing.assert_array_equal(_safe_indexing(G, mask).to_dense(), data["X"][mask])


def test_cross_val_score_imputes_each_fold(tmp_path):
    G8 = _dosages(90, 30, seed=8, missing=0.1)
    y = _target(_imputed(G8), seed=9)
    G = Genotypes.from_bed(write_plink(str(tmp_path / "m"), G8))
    cv = KFold(3, shuffle=True, random_state=1)
    got = cross_val_score(fastreg.Lasso(alpha=ALPHA, tol=TOL), G, y, cv=cv)
    ref = []
    for train, test in cv.split(G8):
        est = SkLasso(alpha=ALPHA, tol=TOL, max_iter=100_000).fit(_imputed(G8[train]), y[train])
        ref.append(est.score(_imputed(G8[test]), y[test]))
    np.testing.assert_allclose(got, ref, rtol=1e-7)


def test_array_conversion(data):
    G = Genotypes.from_bed(data["prefix"])
    A = np.asarray(G)
    assert A.shape == G.shape and A.dtype == np.float64
    np.testing.assert_array_equal(A, data["X"])
    assert np.asarray(G, dtype=np.float32).dtype == np.float32
    from sklearn.utils import check_array
    np.testing.assert_array_equal(check_array(G), data["X"])


@pytest.mark.parametrize("n_jobs", [1, 2])
@pytest.mark.parametrize("kind", ["bed", "int8"])
def test_cross_val_score(data, kind, n_jobs):
    G = _designs(data)[kind]
    got = cross_val_score(fastreg.Lasso(alpha=ALPHA, tol=TOL), G, data["y"], cv=5,
                          n_jobs=n_jobs)
    ref = cross_val_score(SkLasso(alpha=ALPHA, tol=TOL, max_iter=100_000), data["X"],
                          data["y"], cv=5)
    np.testing.assert_allclose(got, ref, rtol=1e-7)


def test_cross_validate_and_grid_search(data):
    G = Genotypes.from_bed(data["prefix"])
    cv = KFold(4, shuffle=True, random_state=0)
    res = cross_validate(fastreg.Lasso(alpha=ALPHA, tol=TOL), G, data["y"], cv=cv,
                         return_estimator=True, n_jobs=2)
    ref = cross_validate(SkLasso(alpha=ALPHA, tol=TOL, max_iter=100_000), data["X"], data["y"],
                         cv=cv, return_estimator=True)
    np.testing.assert_allclose(res["test_score"], ref["test_score"], rtol=1e-7)
    for a, b in zip(res["estimator"], ref["estimator"]):
        np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-6, atol=1e-9)
    grid = {"alpha": [0.003, 0.03, 0.3]}
    gs = GridSearchCV(fastreg.Lasso(tol=TOL), grid, cv=cv, n_jobs=2).fit(G, data["y"])
    ref = GridSearchCV(SkLasso(tol=TOL, max_iter=100_000), grid, cv=cv).fit(data["X"], data["y"])
    assert gs.best_params_ == ref.best_params_
    np.testing.assert_allclose(gs.cv_results_["mean_test_score"],
                               ref.cv_results_["mean_test_score"], rtol=1e-7)
    np.testing.assert_allclose(gs.best_estimator_.coef_, ref.best_estimator_.coef_,
                               rtol=1e-6, atol=1e-9)


def test_pipeline(data):
    G = Genotypes.from_bed(data["prefix"])
    pipe = Pipeline([("keep", "passthrough"), ("lasso", fastreg.Lasso(alpha=ALPHA, tol=TOL))])
    got = cross_val_score(pipe, G, data["y"], cv=3, n_jobs=2)
    ref = cross_val_score(SkLasso(alpha=ALPHA, tol=TOL, max_iter=100_000), data["X"],
                          data["y"], cv=3)
    np.testing.assert_allclose(got, ref, rtol=1e-7)
    pipe.fit(G, data["y"])
    np.testing.assert_allclose(pipe.predict(G[[0, 1]]),
                               pipe.named_steps["lasso"].predict(data["X"][:2]), rtol=1e-12)


def test_pickle_holds_paths_not_data(tmp_path):
    G8 = _dosages(400, 20_000, seed=2, missing=0.01)   # a .bed of 2 MB
    prefix = write_plink(str(tmp_path / "big"), G8)
    G = Genotypes.from_bed(prefix)
    bed_size = os.path.getsize(prefix + ".bed")
    C = np.random.default_rng(0).standard_normal((300, 3))
    rows = np.arange(0, 400, 4)
    sub = G.subset(np.r_[rows, rows + 1, rows + 2][:300]).with_covariates(C)
    for g in (G, sub):
        G.counts()
        blob = pickle.dumps(g)
        # the paths, the selection (8 bytes per sample) and the covariates: no .bed bytes,
        # and none of the .bim's 20,000 variant ids either (read again when asked for)
        assert len(blob) < 2_000 + 8 * g.n_samples + (0 if g is G else C.nbytes), len(blob)
        assert len(blob) < bed_size / 50
        h = pickle.loads(blob)
        assert h.shape == g.shape and h.n_covariates == g.n_covariates
        np.testing.assert_array_equal(h.to_dense(columns=slice(0, 50)),
                                      g.to_dense(columns=slice(0, 50)))
        np.testing.assert_array_equal(h.sample_ids, g.sample_ids)
        np.testing.assert_array_equal(h.variant_ids, g.variant_ids)
        np.testing.assert_array_equal(h.covariates, g.covariates)
    # arrays given in memory pickle their data
    A = Genotypes.from_array(G8[:, :1000])
    blob = pickle.dumps(A)
    assert len(blob) >= A._data.nbytes
    np.testing.assert_array_equal(pickle.loads(blob).to_dense(), A.to_dense())
    # a .npy mapped in place is a file too
    np.save(tmp_path / "g.npy", np.asfortranarray(G8[:, :1000]))
    N = Genotypes.from_npy(tmp_path / "g.npy")
    assert len(pickle.dumps(N)) < 2_000
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(N)).to_dense(), A.to_dense())


def test_unpickling_a_changed_file(tmp_path):
    prefix = write_plink(str(tmp_path / "c"), _dosages(30, 8))
    blob = pickle.dumps(Genotypes.from_bed(prefix))
    write_plink(prefix, _dosages(30, 9))
    with pytest.raises(ValueError, match=r"c\.bed: the file changed after "
                                         r"Genotypes\.from_bed opened it"):
        pickle.loads(blob)


@pytest.mark.parametrize("when", ["before_counts", "after_counts"])
def test_bed_shrunk_after_open(tmp_path, when):
    """A .bed truncated after it was mapped: a clear error at the next fit, not SIGBUS
    (run in a child process: a crash there fails the test instead of the run)."""
    G8 = _dosages(64, 4000, seed=1)
    prefix = write_plink(str(tmp_path / "s"), G8)
    code = f"""
import os, numpy as np, fastreg
G = fastreg.Genotypes.from_bed({prefix!r})
{'G.counts()' if when == 'after_counts' else ''}
with open({prefix!r} + ".bed", "r+b") as f:
    f.truncate(1000)
y = np.arange(64.0)
for call in (lambda: fastreg.Lasso(alpha=0.1).fit(G, y), lambda: fastreg.LassoCV(cv=3).fit(G, y),
             lambda: G.to_dense(), lambda: G @ np.ones(4000), lambda: G.subset([0, 1]).counts()):
    try:
        call()
    except ValueError as e:
        assert "s.bed: the file changed after Genotypes.from_bed opened it" in str(e), e
        assert "open it again" in str(e)
    else:
        raise SystemExit("no error")
print("ok")
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == "ok", (r.returncode, r.stderr[-2000:])
