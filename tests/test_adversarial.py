"""Hostile inputs and situations against the linear models' entry points: each gives a
correct result or a ValueError / TypeError / KeyboardInterrupt naming what is wrong, never a
crash, a hang, a NaN result or a changed input (docs/reliability.md).

Cases that could crash the process (malformed sparse structure, interrupts) run in a
subprocess, so that a crash fails its test instead of ending the run."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

import fastreg
from fastreg.exceptions import GridEdgeWarning

sp = pytest.importorskip("scipy.sparse")
sklm = pytest.importorskip("sklearn.linear_model")


def _problem(n=60, p=8, seed=0):
    X = np.random.default_rng(seed).standard_normal((n, p))
    return X, X[:, 0] - 2 * X[:, 1]


def _designs(X):
    """The same X as dense, sparse and genotype-valued designs (the genotype one has its own
    values: dosages 0..2)."""
    yield "dense", X
    yield "sparse", sp.csc_matrix(X)


def _run(code, timeout=120):
    """Runs `code` in a fresh interpreter; returns (returncode, stdout, stderr)."""
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr


# -- repeated alphas and unpenalized paths -------------------------------------------------

@pytest.mark.parametrize("kind", ["dense", "sparse", "genotypes"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_repeated_alphas_keep_the_path(kind, dtype):
    # three equal alphas in a row once gave a 0/0 extrapolation step and zeroed the rest
    X, y = _problem()
    if kind == "genotypes":
        D = np.random.default_rng(1).integers(0, 3, size=X.shape).astype(np.int8)
        y = D[:, 0] - 2.0 * D[:, 1]
        design, Xd = fastreg.Genotypes.from_array(D), D.astype(np.float64)
        if dtype == np.float32:
            design = design.astype(np.float32)
    else:
        design = dict(_designs(X.astype(dtype)))[kind]
        Xd = X.astype(dtype).astype(np.float64)
    alphas = [0.3, 0.3, 0.3, 0.1, 0.1, 0.05]
    fit_tol = 1e-10 if dtype == np.float64 else 1e-5
    _, coefs, gaps = fastreg.lasso_path(design, y, alphas=alphas, tol=fit_tol)
    _, ref, _ = sklm.lasso_path(Xd, y, alphas=alphas, tol=1e-12)
    assert np.isfinite(gaps).all()
    tol = 1e-6 if dtype == np.float64 else 2e-3
    np.testing.assert_allclose(coefs, ref, atol=tol)
    assert np.abs(coefs[:, -1]).sum() > 0.5  # the last alphas were fitted, not zeroed


def test_all_unpenalized_path_is_least_squares():
    X, y = _problem()
    y = y + np.random.default_rng(2).standard_normal(60) * 0.1
    alphas, coefs, gaps = fastreg.lasso_path(X, y, penalty_factor=np.zeros(8), alphas=3,
                                             tol=1e-10)
    ls = np.linalg.lstsq(X, y, rcond=None)[0]
    assert np.isfinite(gaps).all()
    for k in range(3):
        np.testing.assert_allclose(coefs[:, k], ls, atol=1e-7)


def test_unpenalized_feature_that_explains_y_keeps_its_coefficient():
    X, _ = _problem()
    y = 2 * X[:, 1]
    pf = np.ones(8)
    pf[1] = 0.0
    _, coefs, _ = fastreg.lasso_path(X, y, penalty_factor=pf, alphas=5)
    np.testing.assert_allclose(coefs[1], 2.0, rtol=1e-9)
    np.testing.assert_allclose(np.delete(coefs, 1, axis=0), 0.0, atol=1e-12)


@pytest.mark.parametrize("params", [dict(eps=1.0), dict(alphas=[0.0, 0.0, 0.0]),
                                    dict(penalty_factor=np.zeros(8)),
                                    dict(eps=0.9999999999999999, selection_rule="1se")])
def test_lassocv_degenerate_grids_give_a_model(params):
    X, y = _problem()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GridEdgeWarning)
        cv = fastreg.LassoCV(cv=3, **params).fit(X, y)
    assert np.isfinite(cv.coef_).all() and np.isfinite(cv.alpha_)
    assert np.isfinite(cv.mse_path_).all()


def test_gram_path_repeated_alphas():
    X, y = _problem()
    alphas, coefs, gaps = fastreg.lasso_path_gram(X.T @ X, X.T @ y, 60, alphas=[0.1] * 3)
    single = fastreg.Lasso(alpha=0.1, fit_intercept=False, tol=1e-10).fit(X, y).coef_
    for k in range(3):
        np.testing.assert_allclose(coefs[:, k], single, atol=1e-5)


# -- overflow ------------------------------------------------------------------------------

@pytest.mark.parametrize("fit", [
    lambda X, y: fastreg.Ridge(1.0).fit(X * 1e154, y),
    lambda X, y: fastreg.RidgeCV().fit(X * 1e154, y),
    lambda X, y: fastreg.Ridge(1.0).fit(X, y * 1e300),
    lambda X, y: fastreg.LassoCV(cv=3).fit(X * 1e200, y),
    lambda X, y: fastreg.lasso_path(X * 1e200, y, fit_intercept=True),
    lambda X, y: fastreg.Lasso(0.1, standardize=True).fit(X * 1e160, y),
    lambda X, y: fastreg.Lasso(0.1).fit(sp.csc_matrix(X * 1e200), y),
    lambda X, y: fastreg.Lasso(0.1).fit(X, y * 1e200),
    lambda X, y: fastreg.Lasso(0.1).fit(X * 1e150, y * 1e160),
], ids=["ridge", "ridgecv", "ridge-y", "lassocv", "path-intercept", "standardize", "sparse",
        "lasso-y", "xty"])
def test_overflow_is_an_error_not_a_silent_model(fit):
    X, y = _problem()
    with pytest.raises(ValueError, match="overflow"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fit(X, y)


def test_large_but_representable_values_fit_exactly():
    # 1e150: squares of 1e300 still fit in float64. With X scaled by c and alpha by c, the
    # problem is the same in w * c: the coefficients scale exactly
    X, y = _problem()
    ref = fastreg.Lasso(0.05, tol=1e-12).fit(X, y).coef_
    big = fastreg.Lasso(0.05 * 1e150, tol=1e-12).fit(X * 1e150, y).coef_ * 1e150
    np.testing.assert_allclose(big, ref, rtol=1e-8, atol=1e-12)


# -- malformed sparse structure ----------------------------------------------------------

_SPARSE_CASES = {
    "gram-index-99": """
        C = sp.csc_matrix(np.eye(10) * 2.0); C.indices[0] = 99
        fastreg.lasso_path_gram(C, np.ones(10), 60)""",
    "ridge-negative-index": """
        C = sp.csc_matrix(X); C.indices[0] = -5
        fastreg.Ridge().fit(C, y)""",
    "ridgecv-negative-index": """
        C = sp.csc_matrix(X); C.indices[0] = -5
        fastreg.RidgeCV().fit(C, y)""",
    "csr-index-77": """
        C = sp.csr_matrix(X); C.indices[0] = 77
        fastreg.Lasso().fit(C, y)""",
    "indptr-backwards": """
        C = sp.csc_matrix(np.hstack([X, X[:, :2]]))
        C.indptr[3] = 50; C.indptr[4] = 4
        fastreg.Lasso().fit(C, y)""",
    "indptr-past-the-end": """
        C = sp.csc_matrix(X); C.indptr[-1] = C.indptr[-1] + 1000
        fastreg.ElasticNet().fit(C, y)""",
    "coo-out-of-range": """
        C = sp.coo_matrix(X); C.row[0] = 10**6
        fastreg.lasso_path(C, y)""",
    "short-indptr": """
        C = sp.csc_matrix(X); C.indptr = C.indptr[:-2]
        fastreg.LassoCV(cv=3).fit(C, y)""",
}


@pytest.mark.parametrize("case", sorted(_SPARSE_CASES))
def test_malformed_sparse_is_a_value_error(case):
    code = """
        import numpy as np, scipy.sparse as sp, fastreg
        X = np.random.default_rng(0).standard_normal((60, 8)); y = X[:, 0] - 2 * X[:, 1]
        try:
    """ + textwrap.indent(textwrap.dedent(_SPARSE_CASES[case]), " " * 12) + """
        except ValueError as e:
            print("ValueError:", e)
        else:
            print("no error")
    """
    rc, out, err = _run(code)
    assert rc == 0, f"crashed (exit {rc}): {err[-2000:]}"
    assert out.startswith("ValueError:") and ("sparse" in out or "index" in out), out


# -- interrupts --------------------------------------------------------------------------

_SLOW = {
    "path": "fastreg.lasso_path(X, y, tol=1e-14, max_iter=10**6, eps=1e-4, alphas=300)",
    "lassocv": "fastreg.LassoCV(cv=5, tol=1e-14, max_iter=10**6, eps=1e-4).fit(X, y)",
    "targets": "fastreg.lasso_path(X, np.asfortranarray(np.c_[y, y[::-1], 2 * y, -y]), "
               "tol=1e-14, max_iter=10**6, eps=1e-4)",
    "gram": "fastreg.lasso_path_gram(X.T @ X, X.T @ y, 300, tol=1e-14, max_iter=10**6, "
            "eps=1e-4, alphas=300)",
    "genotypes": "fastreg.lasso_path(fastreg.Genotypes.from_array(rng.integers(0, 3, "
                 "(300, 3000)).astype(np.int8)), y, tol=1e-14, max_iter=10**6, eps=1e-4)",
    "genotype-cv": "fastreg.LassoCV(cv=4, tol=1e-14, max_iter=10**6, eps=1e-4).fit("
                   "fastreg.Genotypes.from_array(rng.integers(0, 3, (300, 3000))"
                   ".astype(np.int8)), y)",
}


@pytest.mark.parametrize("call", sorted(_SLOW))
def test_ctrl_c_stops_a_long_call_within_half_a_second(call):
    # a real SIGINT to the process, as a terminal's Ctrl-C sends it, 1 s into the call
    code = f"""
        import os, signal, threading, time, warnings
        import numpy as np, fastreg
        warnings.simplefilter("ignore")
        rng = np.random.default_rng(0)
        X = np.asfortranarray(rng.standard_normal((300, 3000)))
        y = X[:, :50].sum(1) + rng.standard_normal(300)
        sent = []
        def send():
            sent.append(time.perf_counter())
            os.kill(os.getpid(), signal.SIGINT)
        threading.Timer(1.0, send).start()
        try:
            {_SLOW[call]}
        except KeyboardInterrupt:
            print("stopped", time.perf_counter() - sent[0])
        else:
            print("finished")
        """
    rc, out, err = _run(code)
    assert rc == 0, err[-2000:]
    word, *rest = out.split()
    assert word == "stopped", out
    assert float(rest[0]) < 0.5


def test_a_call_works_after_an_interrupted_one():
    code = """
        import _thread, threading, warnings
        import numpy as np, fastreg
        warnings.simplefilter("ignore")
        rng = np.random.default_rng(0)
        X = np.asfortranarray(rng.standard_normal((300, 3000)))
        y = X[:, :50].sum(1) + rng.standard_normal(300)
        before = fastreg.lasso_path(X, y, eps=1e-2, alphas=20)[1]
        threading.Timer(0.5, _thread.interrupt_main).start()
        try:
            fastreg.lasso_path(X, y, tol=1e-14, max_iter=10**6, eps=1e-4, alphas=300)
        except KeyboardInterrupt:
            pass
        after = fastreg.lasso_path(X, y, eps=1e-2, alphas=20)[1]
        print(np.array_equal(before, after))
        """
    rc, out, err = _run(code)
    assert rc == 0, err[-2000:]
    assert out.split() == ["True"]


# -- argument ranges and unsupported designs ---------------------------------------------

@pytest.mark.parametrize("kwargs, name", [
    (dict(max_iter=2**63), "max_iter"), (dict(max_iter=2**64 + 1), "max_iter"),
    (dict(max_iter=0), "max_iter"), (dict(n_threads=2**40), "n_threads"),
    (dict(n_threads=-1), "n_threads"), (dict(alphas=2**64), "alphas"),
])
def test_out_of_range_integers_name_the_argument(kwargs, name):
    X, y = _problem()
    with pytest.raises(ValueError, match=name):
        fastreg.lasso_path(X, y, **kwargs)


@pytest.mark.parametrize("est", [fastreg.Ridge, fastreg.RidgeCV])
def test_ridge_on_genotypes_is_a_type_error(est):
    G = fastreg.Genotypes.from_array(np.random.default_rng(0).integers(0, 3, (30, 5)).astype(np.int8))
    with pytest.raises(TypeError, match="Genotypes"):
        est().fit(G, np.arange(30.0))


# -- random hostile inputs (hypothesis), in a child process ----------------------------------

_FUZZ = r'''
import warnings
import numpy as np, scipy.sparse as sp
from hypothesis import given, settings, strategies as st, HealthCheck
import fastreg

ENTRY = ["lasso_path", "enet_path", "Lasso", "ElasticNet", "LassoCV", "ElasticNetCV", "Ridge",
         "RidgeCV", "lasso_path_gram", "genotypes"]

@st.composite
def problems(draw):
    n = draw(st.integers(2, 12)); p = draw(st.integers(1, 6))
    scale = draw(st.sampled_from([1.0, 1e-200, 1e150, 1e160, 1e300]))
    X = np.random.default_rng(draw(st.integers(0, 9))).standard_normal((n, p)) * scale
    if draw(st.booleans()):
        X[draw(st.integers(0, n - 1)), draw(st.integers(0, p - 1))] = draw(
            st.sampled_from([np.nan, np.inf, 0.0, 1e308]))
    y = np.random.default_rng(1).standard_normal(n) * draw(st.sampled_from([1.0, 1e300, 0.0]))
    kind = draw(st.sampled_from(["dense", "csc", "csr", "csc-corrupt"]))
    Xd = X
    if kind != "dense":
        Xd = sp.csc_matrix(X) if kind != "csr" else sp.csr_matrix(X)
        if kind == "csc-corrupt" and Xd.nnz:
            what = draw(st.sampled_from(["index", "indptr"]))
            if what == "index":
                Xd.indices[draw(st.integers(0, Xd.nnz - 1))] = draw(
                    st.sampled_from([-1, n, 10**9]))
            else:
                Xd.indptr[draw(st.integers(1, p))] = draw(st.sampled_from([-3, Xd.nnz + 5]))
    alphas = draw(st.sampled_from([3, [0.3, 0.3, 0.3], [0.0], [1.0, 0.0, 0.0], [1e-300]]))
    pf = draw(st.sampled_from([None, "zeros", "ones"]))
    pf = None if pf is None else (np.zeros(p) if pf == "zeros" else np.ones(p))
    entry = draw(st.sampled_from(ENTRY))
    return Xd, y, alphas, pf, entry

def call(Xd, y, alphas, pf, entry):
    if entry in ("lasso_path", "enet_path"):
        f = getattr(fastreg, entry)
        out = f(Xd, y, alphas=alphas, penalty_factor=pf, max_iter=200)
        return [out[1], out[2]]
    if entry in ("Lasso", "ElasticNet"):
        m = getattr(fastreg, entry)(alpha=0.1, penalty_factor=pf, max_iter=200).fit(Xd, y)
        return [m.coef_, np.atleast_1d(m.intercept_)]
    if entry in ("LassoCV", "ElasticNetCV"):
        m = getattr(fastreg, entry)(cv=2, alphas=alphas, penalty_factor=pf,
                                    max_iter=200).fit(Xd, y)
        return [m.coef_, np.atleast_1d(m.alpha_)]
    if entry == "lasso_path_gram":
        Xa = Xd.toarray() if sp.issparse(Xd) else Xd
        with np.errstate(all="ignore"):
            XtX, Xty = Xa.T @ Xa, Xa.T @ y
        out = fastreg.lasso_path_gram(XtX, Xty, Xa.shape[0], alphas=alphas, penalty_factor=pf,
                                      max_iter=200)
        return [out[1], out[2]]
    if entry == "genotypes":
        Xa = Xd.toarray() if sp.issparse(Xd) else Xd
        with np.errstate(all="ignore"):
            D = np.nan_to_num(Xa, nan=-1, posinf=3, neginf=-1).clip(-1, 3).astype(np.int8)
        m = fastreg.Lasso(alpha=0.1, penalty_factor=pf, max_iter=200).fit(
            fastreg.Genotypes.from_array(D), y)
        return [m.coef_, np.atleast_1d(m.intercept_)]
    m = getattr(fastreg, entry)().fit(Xd, y)
    return [m.coef_]

@st.composite
def kernel_calls(draw):
    n = draw(st.integers(0, 40))
    dtype = draw(st.sampled_from([np.float32, np.float64, np.int32, np.bool_, ">f8", object]))
    x = (np.random.default_rng(draw(st.integers(0, 9))).standard_normal(n) * 3).astype(dtype)
    if dtype == object:
        x[:1] = "a" if n and draw(st.booleans()) else x[:1]
    value = draw(st.sampled_from([0.5, -1.0, np.nan, np.inf, 2**1100, 0, 1, 1.5, -0.1,
                                  np.ones(n), np.ones(n + 1)]))
    kernel = draw(st.sampled_from(["soft_threshold", "enet_prox", "dropout", "dropout_mask",
                                   "dropout_backward"]))
    return x, value, kernel

@settings(max_examples=MAX, deadline=None, suppress_health_check=list(HealthCheck),
          derandomize=True)
@given(kernel_calls())
def fuzz_kernels(call):
    x, value, kernel = call
    before = x.copy()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if kernel == "soft_threshold":
                out = fastreg.soft_threshold(x, value)
            elif kernel == "enet_prox":
                out = fastreg.enet_prox(x, value, 0.5)
            elif kernel == "dropout":
                out = fastreg.dropout(x, value, seed=1)
            elif kernel == "dropout_mask":
                out = fastreg.dropout_mask(x.shape, value, seed=1)
            else:
                out = fastreg.dropout_backward(x, value, seed=1)
    except (ValueError, TypeError) as e:
        assert str(e), "an error without a message"
    else:
        out = np.asarray(out)
        finite_in = x.dtype != object and np.isfinite(np.asarray(x, dtype=np.float64)).all()
        finite_value = not isinstance(value, int) or abs(value) < 2**1000
        finite_value = finite_value and np.isfinite(np.asarray(value, dtype=float)).all()
        if kernel != "dropout_mask" and finite_in and finite_value:
            assert np.isfinite(out.astype(np.float64)).all(), (kernel, value, out)
    assert x.dtype == before.dtype and (x.dtype == object or np.array_equal(
        x, before, equal_nan=x.dtype.kind == "f")), "input modified"

@settings(max_examples=MAX, deadline=None, suppress_health_check=list(HealthCheck),
          derandomize=True)
@given(problems())
def fuzz(problem):
    Xd, y, alphas, pf, entry = problem
    snapshot = [a.copy() for a in ([Xd] if isinstance(Xd, np.ndarray) else [Xd.data, Xd.indices, Xd.indptr])] + [y.copy()]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = call(Xd, y, alphas, pf, entry)
    except (ValueError, TypeError) as e:
        assert str(e), "an error without a message"
    else:
        for a in out:
            assert np.all(np.isfinite(a)), (entry, "non-finite result", a)
    after = [Xd] if isinstance(Xd, np.ndarray) else [Xd.data, Xd.indices, Xd.indptr]
    for a, b in zip(snapshot, after + [y]):
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), "input modified"

fuzz()
fuzz_kernels()
print("ok")
'''


def test_random_hostile_inputs_never_crash_nan_or_modify():
    rc, out, err = _run(_FUZZ.replace("MAX", "150"), timeout=600)
    assert rc == 0, f"exit {rc}: {err[-3000:]}"
    assert out.split() == ["ok"]


def test_standardized_coef_of_the_wrong_length_names_coef():
    G = fastreg.Genotypes.from_array(np.random.default_rng(0).integers(0, 3, (30, 5)).astype(np.int8))
    with pytest.raises(ValueError, match="coef"):
        G.standardized_coef(np.ones(3))
    np.testing.assert_allclose(G.standardized_coef(np.ones(5)), G.stds)


def test_unpenalized_start_away_from_its_optimum_is_fitted():
    # a warm start with an unpenalized coefficient away from its optimum once gave a
    # negative duality gap: the fit stopped at once, the coefficient left where it started
    rng = np.random.default_rng(0)
    X = rng.standard_normal((80, 10))
    z = 0.7 * X[:, 3] + X[:, 0] + 0.1 * rng.standard_normal(80)
    pf = np.ones(10)
    pf[3] = 0.0
    start = np.zeros(10)
    start[3] = 0.2
    _, coefs, gaps = fastreg.enet_path(X, z, alphas=[10.0], penalty_factor=pf, coef_init=start,
                                       tol=1e-10)
    ls = np.linalg.lstsq(X[:, [3]], z, rcond=None)[0][0]  # only x3 is in at this alpha
    np.testing.assert_allclose(coefs[3, 0], ls, rtol=1e-8)
    assert gaps[0] >= 0
    _, _, gaps = fastreg.lasso_path(X, z, penalty_factor=np.zeros(10), alphas=3)
    assert (gaps >= 0).all()
