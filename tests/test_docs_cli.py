"""The page of each command (docs/cli/<command>.md): its options table lists every option
of the command's parser, and only those, with the parser's default; the examples on the
page parse; `fastreg info`'s example has the rows the command prints; and the Python
equivalent on the `fastreg lasso` page fits the model its first example writes."""

from __future__ import annotations

import os
import re
import shlex
import shutil

import numpy as np
import pytest

import docs_blocks
from fastreg.cli import build_parser, main
from test_cli_lasso import _dataset, _read_tsv

DOCS = os.path.join(os.path.dirname(__file__), os.pardir, "docs")


def _commands():
    return build_parser()._subparsers._group_actions[0].choices


def _page(command):
    with open(os.path.join(DOCS, "cli", f"{command}.md"), encoding="utf-8") as f:
        return f.read()


def _options_table(text):
    """{option string: default cell} of the page's '## Options' table."""
    section = text.split("## Options", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 3:
            continue
        for token in re.findall(r"`([^`]+)`", cells[0]):
            rows[token.split()[0]] = cells[1]
    return rows


def _expected_default(action):
    if action.default is None or action.default == "==SUPPRESS==":
        return None
    if isinstance(action.default, bool):
        return "on" if action.default else "off"
    return str(action.default)


@pytest.mark.parametrize("command", sorted(_commands()))
def test_every_option_is_on_the_page(command):
    parser = _commands()[command]
    table = _options_table(_page(command))
    strings = set()
    for action in parser._actions:
        strings |= set(action.option_strings)
        expected = _expected_default(action)
        for opt in action.option_strings:
            assert opt in table, f"docs/cli/{command}.md: {opt} is not in the options table"
            cell = table[opt]
            if action.required:
                assert cell == "required", (opt, cell)
            elif expected is not None:
                assert cell.split(" ")[0] == expected, \
                    f"docs/cli/{command}.md: {opt}'s default is {expected}, the page says {cell}"
            elif action.option_strings != ["-h", "--help"]:
                assert cell, f"docs/cli/{command}.md: {opt} has no default given"
    extra = set(table) - strings
    assert not extra, f"docs/cli/{command}.md lists options the command has not: {extra}"
    with open(os.path.join(DOCS, "cli.md"), encoding="utf-8") as f:
        assert f"(cli/{command}.md)" in f.read()  # the index links the page


@pytest.mark.parametrize("command", sorted(_commands()))
def test_examples_parse(command):
    lines = []
    for lang, code in docs_blocks.blocks(f"cli/{command}.md"):
        code = code.replace("\\\n", " ")
        lines += [line.split("#")[0] for line in code.splitlines()
                  if line.startswith(f"fastreg {command}")]
    assert lines, f"docs/cli/{command}.md has no example"
    for line in lines:
        args = build_parser().parse_args(shlex.split(line)[1:])
        assert args.command == command


def test_info_example_has_the_printed_rows(capsys):
    assert main(["info"]) == 0
    printed = [line.split("  ")[0] for line in capsys.readouterr().out.splitlines()]
    example = re.search(r"```\n(fastreg .*?)```", _page("info"), flags=re.S)[1]
    assert [line.split("  ")[0] for line in example.splitlines()] == printed


def test_lasso_python_equivalent_fits_the_first_example(tmp_path, monkeypatch, capsys):
    os.makedirs(tmp_path / "src")
    d = _dataset(tmp_path / "src", header="FID\tIID\theight\tother")
    os.makedirs(tmp_path / "data")
    for ext in ("bed", "bim", "fam"):
        shutil.copy(f"{d['prefix']}.{ext}", tmp_path / "data" / f"chr22.{ext}")
    shutil.copy(d["pheno"], tmp_path / "pheno.txt")
    shutil.copy(d["covar"], tmp_path / "covar.txt")
    os.makedirs(tmp_path / "results")
    monkeypatch.chdir(tmp_path)
    first = next(line for _, code in docs_blocks.blocks("cli/lasso.md")
                 for line in code.splitlines() if line.startswith("fastreg lasso --bed"))
    assert main(shlex.split(first)[1:] + ["--quiet"]) == 0, capsys.readouterr().err
    python = [code for lang, code in docs_blocks.blocks("cli/lasso.md") if lang == "python"]
    assert len(python) == 1
    ns = {}
    exec(compile(python[0], "docs/cli/lasso.md", "exec"), ns)
    model, G = ns["model"], ns["G"]
    _, rows = _read_tsv("results/chr22.coef.tsv")
    cli = {r[0]: float(r[5]) for r in rows}
    p = G.n_variants
    mine = {str(G.variant_ids[j]): model.coef_[j] for j in np.flatnonzero(model.coef_[:p])}
    mine.update(age=model.coef_[p], sex=model.coef_[p + 1])
    mine["(intercept)"] = model.intercept_
    assert set(cli) == set(mine) and len(cli) > 3
    for key, value in cli.items():
        assert value == pytest.approx(mine[key], rel=1e-9, abs=1e-12), key
