"""docs/tutorial.md runs, in order, with PLINK 1.9 and PLINK 2 making and scoring the
data, and gives what the page says: a 1-SE model with most of the 20 causal variants and
at least 40 % of its variants causal, a held-out correlation above 0.45, and PLINK 2's
score sums equal to fastreg's own prediction from the same coefficient file."""

from __future__ import annotations

import shutil

import numpy as np

import docs_blocks


def test_tutorial_runs(tmp_path, monkeypatch, capsys):
    for tool in ("plink1.9", "plink2"):
        assert shutil.which(tool), f"{tool} is needed: apt-get install {tool} (.ci/run does)"
    monkeypatch.chdir(tmp_path)
    ns = docs_blocks.run("tutorial.md", tmp_path)
    out = capsys.readouterr().out
    G, model = ns["G"], ns["model"]
    assert G.shape == (1000, 5000) and ns["test"].sum() == 200
    # the figures the page quotes
    causal = ns["causal"]
    assert causal.sum() >= 15 and causal.mean() >= 0.4, ns["ids"]
    assert ns["r"] > 0.45 and 0.15 < ns["r2"] < 0.4
    assert np.count_nonzero(ns["dense"].coef_) > 2 * ns["selected"].size
    assert ns["r2_min"] > 0.15
    assert "variants selected at alpha" in out and "held-out samples: correlation" in out
    # PLINK 2's sums + the intercept = the prediction from the coefficient file
    weights = ns["weights"]
    assert len(weights) >= 15
    index = {v: j for j, v in enumerate(G.variant_ids)}
    w = np.zeros(G.n_variants)
    w[[index[v] for v in weights]] = list(weights.values())
    mine = ns["G_test"] @ w + ns["intercept"]
    np.testing.assert_allclose(ns["plink_score"], mine, rtol=1e-5,
                               atol=1e-5 * np.abs(mine).max())
    assert ns["r_cli"] > 0.45
    assert (tmp_path / "results" / "train.coef.tsv").exists()
