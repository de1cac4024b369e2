"""The examples of docs/genotypes.md run, in order, on a small dataset with the files they
name (data/chr22.bed/.bim/.fam, data/pheno.txt, data/chr22.eigenvec), and give what the
page says they give."""

from __future__ import annotations

import os
import re

import numpy as np

from test_genotypes import _dosages, _imputed, write_plink

DOC = os.path.join(os.path.dirname(__file__), os.pardir, "docs", "genotypes.md")


def _blocks():
    with open(DOC, encoding="utf-8") as f:
        return re.findall(r"```python\n(.*?)```", f.read(), flags=re.S)


def test_examples_run(tmp_path, monkeypatch, capsys):
    n, p = 160, 120
    G8 = _dosages(n, p, seed=21, missing=0.02)
    X = _imputed(G8)
    rng = np.random.default_rng(4)
    height = X[:, 10] - X[:, 40] + 0.3 * rng.standard_normal(n)
    os.mkdir(tmp_path / "data")
    write_plink(str(tmp_path / "data" / "chr22"), G8)
    with open(tmp_path / "data" / "pheno.txt", "w") as f:
        f.write("FID IID height bmi\n")
        for i in range(n):
            h = "NA" if i % 17 == 0 else f"{height[i]:.6f}"
            f.write(f"fam{i} ind{i} {h} {20 + rng.random():.3f}\n")
    with open(tmp_path / "data" / "chr22.eigenvec", "w") as f:
        for i in range(n):
            f.write(f"fam{i} ind{i} " + " ".join(f"{v:.5f}" for v in rng.standard_normal(10)) + "\n")
    monkeypatch.chdir(tmp_path)
    blocks = _blocks()
    assert len(blocks) >= 4
    ns = {}
    for code in blocks:
        exec(compile(code, DOC, "exec"), ns)
    # what the page says the first example gives
    G, y, keep, model = ns["G"], ns["y"], ns["keep"], ns["model"]
    assert G.shape == (n, p) and model.coef_.shape == (p + 10,)   # the last fit: with 10 PCs
    assert np.isnan(y).sum() == len(range(0, n, 17)) and keep.sum() == n - 10
    assert ns["status"].shape == (n,) and ns["fastreg"].genotypes.is_case_control(ns["status"]) is False
    np.testing.assert_array_equal(ns["bmi"], ns["fastreg"].read_pheno("data/pheno.txt", "bmi"))
    assert ns["variant_coef"].shape == (p,) and ns["pc_coef"].shape == (10,)
    assert ns["scores"].shape == (5,) and ns["search"].best_params_["alpha"] in (0.01, 0.03, 0.1)
    out = capsys.readouterr().out
    assert "rs10" in out and "rs40" in out     # the causal variants were selected
