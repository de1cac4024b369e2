"""Packaging: import cost, version, build info, CLI, docstrings."""

from __future__ import annotations

import importlib.metadata
import json
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import fastreg
import fastreg._core as _core

HEAVY = ["scipy", "sklearn", "cupy", "matplotlib", "torch", "pandas", "dask", "numba"]
PUBLIC = ["soft_threshold", "enet_prox", "dropout", "dropout_backward", "dropout_mask",
          "set_num_threads", "get_num_threads"]


def _python(code, timeout=120):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=timeout)


def test_import_pulls_in_no_heavy_modules():
    code = (
        "import sys, json\n"
        "import fastreg\n"
        f"heavy = {HEAVY!r}\n"
        "def loaded(): return sorted({m.split('.')[0] for m in sys.modules} & set(heavy))\n"
        "after_import = loaded()\n"
        "import numpy as np\n"
        "x = np.linspace(-2, 2, 1000)\n"
        "fastreg.soft_threshold(x, 0.5); fastreg.enet_prox(x, 0.5, 0.1)\n"
        "y, m = fastreg.dropout(x, 0.5, seed=1, return_mask=True)\n"
        "fastreg.dropout_backward(x, 0.5, mask=m); fastreg.dropout_mask(10, 0.5, seed=1)\n"
        "fastreg.set_num_threads(1); fastreg.get_num_threads()\n"
        "print(json.dumps([after_import, loaded()]))\n"
    )
    res = _python(code)
    assert res.returncode == 0, res.stderr
    after_import, after_calls = json.loads(res.stdout.strip().splitlines()[-1])
    assert after_import == []
    assert after_calls == []


def test_version_matches_metadata():
    assert isinstance(fastreg.__version__, str) and fastreg.__version__
    assert fastreg.__version__ == importlib.metadata.version("fastreg")
    assert _core.build_info()["version"] == fastreg.__version__


def test_build_info_keys_and_types():
    info = _core.build_info()
    assert isinstance(info, dict)
    assert set(info) >= {"version", "build_type", "openmp", "simd", "compiler"}
    assert isinstance(info["openmp"], bool)
    for key in ("version", "build_type", "simd", "compiler"):
        assert isinstance(info[key], str) and info[key], key


def test_gpu_available_is_bool_and_never_raises():
    import fastreg._gpu as gpu

    a = gpu.available()
    assert isinstance(a, bool)
    assert gpu.available() is a  # stable


def _check_info_output(text):
    low = text.lower()
    assert fastreg.__version__ in text
    for word in ("build", "openmp", "thread", "simd", "gpu"):
        assert word in low, (word, text)
    info = _core.build_info()
    assert info["simd"] in text
    assert info["build_type"] in text
    assert str(fastreg.get_num_threads()) in text


def test_python_m_fastreg_info():
    res = subprocess.run([sys.executable, "-m", "fastreg", "info"], capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    _check_info_output(res.stdout)


def _console_script():
    candidates = [Path(sys.executable).parent, Path(sysconfig.get_path("scripts"))]
    for d in candidates:
        for name in ("fastreg", "fastreg.exe"):
            if (d / name).exists():
                return str(d / name)
    return shutil.which("fastreg")


def test_console_script_info():
    exe = _console_script()
    assert exe is not None, "the `fastreg` console script is not installed"
    res = subprocess.run([exe, "info"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    _check_info_output(res.stdout)


def test_cli_without_command_fails():
    res = subprocess.run([sys.executable, "-m", "fastreg"], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode != 0


def _run_demo(*args):
    return subprocess.run([sys.executable, "-m", "fastreg", "demo", *args],
                          capture_output=True, text=True, timeout=300)


def test_demo_help():
    res = _run_demo("--help")
    assert res.returncode == 0, res.stderr
    for option in ("--n", "--p", "--causal", "--seed", "--threads", "--no-sklearn",
                   "--kernels", "--size", "--repeat", "--cv", "--folds", "--rules", "--out"):
        assert option in res.stdout, option


def _number_after(text, word):
    match = re.search(rf"{word} (-?[0-9.]+)", text)
    assert match, (word, text)
    return float(match.group(1))


def test_demo_lasso_small_run():
    res = _run_demo("--compare", "--n", "200", "--p", "2000", "--causal", "10", "--threads", "1",
                    "--no-sklearn")
    assert res.returncode == 0, res.stdout + res.stderr
    out = res.stdout
    assert "200 samples x 2,000 variants" in out and "10 causal" in out
    assert "160 training / 40 held-out" in out
    assert re.search(r"path [0-9.]+ s", out), out
    assert "1 threads" in out
    assert 0 <= _number_after(out, "precision") <= 1
    assert 0 <= _number_after(out, "recall") <= 1
    assert _number_after(out, "held-out R2") <= 1
    assert "selected" in out and "sklearn" not in out


def test_demo_lasso_with_sklearn():
    pytest.importorskip("sklearn")
    res = _run_demo("--compare", "--n", "100", "--p", "500", "--causal", "5", "--seed", "3")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "time ratio fastreg / scikit-learn" in res.stdout


def test_demo_lasso_rejects_bad_sizes():
    res = _run_demo("--n", "100", "--p", "5", "--causal", "10", "--no-sklearn")
    assert res.returncode != 0
    assert "--causal" in res.stderr


def test_demo_cv_small_run(tmp_path):
    pytest.importorskip("matplotlib")
    prefix = tmp_path / "run"
    res = _run_demo("--rules", "--n", "300", "--p", "1000", "--causal", "8", "--cv", "3",
                    "--threads", "1", "--out", str(prefix))
    assert res.returncode == 0, res.stdout + res.stderr
    out = res.stdout
    assert "3 folds x 100 alphas" in out
    a_min = _number_after(out, "min rule:")
    a_1se = _number_after(out, "1-SE rule:")
    assert 0 < a_min <= a_1se  # the 1-SE alpha is never below the minimum's
    for rule in ("min ", "1se "):
        line = next(x for x in out.splitlines() if x.startswith(rule))
        assert 0 <= _number_after(line, "precision") <= 1, line
        assert _number_after(line, "R2") <= 1, line
    for suffix in (".path.png", ".cv.png"):
        path = tmp_path / f"run{suffix}"
        assert path.name in out
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000, suffix


def test_demo_kernels_small_run():
    res = _run_demo("--kernels", "--size", "100000", "--repeat", "1")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "soft_threshold" in res.stdout and "dropout" in res.stdout


@pytest.mark.parametrize("name", PUBLIC)
def test_public_names_have_docstrings(name):
    obj = getattr(fastreg, name)
    assert callable(obj)
    doc = obj.__doc__
    assert doc and len(doc.strip()) > 20, name
    assert name in dir(fastreg)
    assert name in fastreg.__all__


def test_kernel_docstrings_are_numpydoc():
    for name in ["soft_threshold", "enet_prox", "dropout", "dropout_backward",
                 "dropout_mask"]:
        doc = getattr(fastreg, name).__doc__
        assert "Parameters\n" in doc and "Returns\n" in doc, name


def test_module_docstring_and_unknown_attribute():
    assert fastreg.__doc__
    with pytest.raises(AttributeError):
        fastreg.no_such_function  # noqa: B018


def test_philox_hook_signature_errors():
    with pytest.raises((TypeError, ValueError)):
        _core.philox4x32_10((0, 0, 0), (0, 0))
    with pytest.raises((TypeError, ValueError, OverflowError)):
        _core.philox4x32_10((2**32, 0, 0, 0), (0, 0))
