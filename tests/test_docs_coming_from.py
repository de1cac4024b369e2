"""docs/coming_from.md's tables name real arguments: glmnet's in R's own glmnet and
cv.glmnet (formals, and the fields of a cv.glmnet fit), scikit-learn's in its classes and
functions, PLINK's in PLINK 1.9's and PLINK 2's --help, and fastreg's in its signatures,
fitted attributes and command-line options. And every parameter of scikit-learn's
estimators and paths is accepted by fastreg's, as the page says."""

from __future__ import annotations

import inspect
import os
import re
import shutil
import subprocess
import warnings

import numpy as np

import fastreg
from fastreg.cli import build_parser

PAGE = os.path.join(os.path.dirname(__file__), os.pardir, "docs", "coming_from.md")
ESTIMATORS = ("Lasso", "ElasticNet", "LassoCV", "ElasticNetCV")
PATHS = ("lasso_path", "enet_path")


def _sections():
    """{section title: [(first column's names, second column's names)]} of the tables,
    and {section title: its text}."""
    with open(PAGE, encoding="utf-8") as f:
        text = f.read()
    parts = re.split(r"^## ", text, flags=re.M)[1:]
    tables, texts = {}, {}
    for part in parts:
        title, body = part.split("\n", 1)
        texts[title] = body
        rows = []
        for line in body.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not line.startswith("|") or len(cells) < 2 or set(cells[0]) <= set("-"):
                continue
            first, second = (re.findall(r"`([^`]+)`", c) for c in cells[:2])
            if first:  # the header row has no code
                rows.append((first, second))
        tables[title] = rows
    return tables, texts


def _fastreg_names():
    """Parameters of the public estimators and paths, their fitted attributes and methods,
    and the options of the command line."""
    names = set()
    for name in ESTIMATORS + PATHS + ("LogisticRegression",):
        names |= set(inspect.signature(getattr(fastreg, name)).parameters)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 6))
    y = X[:, 0] + rng.standard_normal(40)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for est in (fastreg.LassoCV(cv=3), fastreg.ElasticNetCV(cv=3), fastreg.Lasso(0.1)):
            est.fit(X, y)
            names |= {a for a in dir(est) if not a.startswith("_")}
    options = set()
    for action in build_parser()._subparsers._group_actions[0].choices["lasso"]._actions:
        options |= set(action.option_strings)
    return names, options


def _check_fastreg(tokens, names, options, where):
    for token in tokens:
        if token.startswith("--"):
            assert token in options, f"{where}: {token} is not an option of fastreg lasso"
        elif token.startswith("fastreg lasso"):
            continue  # the command itself (its options are checked above)
        elif token.startswith("fastreg."):
            obj = fastreg
            for part in token.split(".")[1:]:
                assert hasattr(obj, part), f"{where}: {token} does not exist"
                obj = getattr(obj, part)
        elif token.startswith("G["):
            continue
        else:
            ident = re.match(r"[A-Za-z_][A-Za-z0-9_]*", token)[0]
            assert ident in names, f"{where}: {token} is no fastreg parameter or attribute"


def test_glmnet_names():
    assert shutil.which("Rscript"), "R with glmnet is needed: apt-get install r-cran-glmnet"
    tables, texts = _sections()
    rows = tables["From glmnet (R)"]
    glmnet_names = set()
    for first, _ in rows:
        glmnet_names |= {re.sub(r"\(.*", "", t) for t in first}
    absent = re.findall(r"`([^`]+)`", texts["From glmnet (R)"].split("Not available:")[1])
    assert absent
    code = (
        "suppressMessages(library(glmnet)); set.seed(1);"
        "x <- matrix(rnorm(400), 40); fit <- cv.glmnet(x, rnorm(40), nfolds = 3);"
        "known <- c(names(formals(glmnet)), names(formals(cv.glmnet)), names(fit));"
        "for (w in commandArgs(TRUE)) cat(w, w %in% known || exists(w), '\\n')")
    r = subprocess.run(["Rscript", "-e", code, *sorted(glmnet_names | set(absent))],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    found = dict(line.split() for line in r.stdout.splitlines())
    missing = [w for w, ok in found.items() if ok != "TRUE"]
    assert not missing, f"not glmnet arguments, fields or functions: {missing}"
    assert len(found) == len(glmnet_names | set(absent))
    names, options = _fastreg_names()
    for first, second in rows:
        assert second, first
        _check_fastreg(second, names, options, f"glmnet row {first}")


def test_sklearn_names():
    import sklearn.linear_model as sk

    tables, _ = _sections()
    rows = tables["From scikit-learn"]
    known = set()
    for name in ESTIMATORS + PATHS:
        known |= set(inspect.signature(getattr(sk, name)).parameters)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 6))
    known |= set(dir(sk.LassoCV(cv=3).fit(X, X[:, 0])))
    known.add("n_alphas")  # scikit-learn's older spelling (removed from its CV classes)
    names, options = _fastreg_names()
    for first, second in rows:
        for token in first:
            assert token in known, f"{token} is not a scikit-learn name"
        _check_fastreg(second, names, options, f"scikit-learn row {first}")
    # "every parameter of scikit-learn's ... is accepted"
    for name in ESTIMATORS + PATHS:
        ours = set(inspect.signature(getattr(fastreg, name)).parameters)
        if name == "lasso_path":
            ours |= set(inspect.signature(fastreg.enet_path).parameters) - {"l1_ratio"}
        theirs = set(inspect.signature(getattr(sk, name)).parameters) - {"params"}
        assert theirs <= ours, f"{name}: scikit-learn's {theirs - ours} missing"


def test_plink_names():
    for tool in ("plink1.9", "plink2"):
        assert shutil.which(tool), f"{tool} is needed (.ci/run installs it)"
    help_text = "".join(subprocess.run([tool, "--help"], capture_output=True, text=True,
                                       timeout=60).stdout for tool in ("plink1.9", "plink2"))
    tables, _ = _sections()
    rows = tables["From PLINK"]
    names, options = _fastreg_names()
    for first, second in rows:
        for flag in first:
            assert re.search(re.escape(flag) + r"(?![\w-])", help_text), \
                f"{flag} is not in PLINK's --help"
        _check_fastreg(second, names, options, f"PLINK row {first}")
    assert len(rows) >= 12
