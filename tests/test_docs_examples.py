"""The examples of README.md and docs/linear_model.md run (the other pages have tests of
their own: test_docs_genotypes, test_docs_tutorial, test_docs_cli), give what the text
says, and the command lines they show parse."""

from __future__ import annotations

import os
import re
import shlex
import warnings

import numpy as np

import docs_blocks
import fastreg
from fastreg.cli import build_parser
from test_genotypes import _dosages, write_plink

ROOT = os.path.join(os.path.dirname(__file__), os.pardir)


def _readme_blocks():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        return re.findall(r"```(python|bash)\n(.*?)```", f.read(), flags=re.S)


def test_readme_python_examples(tmp_path, monkeypatch):
    n, p = 120, 300
    os.mkdir(tmp_path / "data")
    write_plink(str(tmp_path / "data" / "chr22"), _dosages(n, p, seed=2, missing=0.01))
    rng = np.random.default_rng(0)
    with open(tmp_path / "data" / "pheno.txt", "w") as f:
        f.write("FID IID height\n")
        for i in range(n):
            f.write(f"fam{i} ind{i} {'NA' if i % 10 == 0 else rng.standard_normal()}\n")
    monkeypatch.chdir(tmp_path)
    ns = {}
    blocks = [code for lang, code in _readme_blocks() if lang == "python"]
    assert len(blocks) == 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # grid-edge and convergence notes of the toy data
        for k, code in enumerate(blocks):
            exec(compile(code, f"README.md python block {k + 1}", "exec"), ns)
    assert np.isnan(ns["pheno"]).sum() == 12 and ns["has"].size == 108
    assert ns["cv"].alpha_1se_ >= ns["cv"].alpha_min_
    assert set(np.flatnonzero(ns["model"].coef_)) >= set(range(10))  # y = the first 10
    assert ns["alphas"].shape[0] == ns["coefs"].shape[-1]


def test_readme_command_lines_parse():
    lines = []
    for lang, code in _readme_blocks():
        if lang == "bash":
            for part in re.split(r"&&|\n", code.replace("\\\n", " ")):
                part = part.split("#")[0].strip()
                if part.startswith("fastreg "):
                    lines.append(part)
    assert len(lines) >= 4
    for line in lines:
        build_parser().parse_args(shlex.split(line)[1:])


def test_linear_model_examples(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ns = docs_blocks.run("linear_model.md", tmp_path)
    m = ns["m"]
    assert m.alpha_1se_ >= m.alpha_min_ and set(np.flatnonzero(m.coef_)) >= set(range(5))
    # the path from summary statistics is the path of the standardized data
    alphas, coefs = ns["alphas"], ns["coefs"]
    _, ref, _ = fastreg.lasso_path(ns["Xs"], ns["ys"], alphas=alphas, tol=1e-10)
    # where the path is sparse (fewer nonzeros than n / 4; p > n further down, where the
    # default tol of the page leaves the fits apart by more than this check's 1e-3)
    k = int(np.argmax((ref != 0).sum(axis=0) >= len(ns["ys"]) // 4))
    assert k >= 20
    np.testing.assert_allclose(coefs[:, :k], ref[:, :k], atol=1e-3 * np.abs(ref).max())
