"""Runs the code blocks of a page of docs/ in order, as a reader would: ```python blocks
in one namespace, ```bash blocks in a shell (`set -e`), all in one working directory, with
the `fastreg` command of this interpreter first on PATH."""

from __future__ import annotations

import os
import re
import subprocess
import sys

DOCS = os.path.join(os.path.dirname(__file__), os.pardir, "docs")


def blocks(page):
    """[(language, code)] of docs/<page>'s python and bash blocks, in order."""
    with open(os.path.join(DOCS, page), encoding="utf-8") as f:
        return re.findall(r"```(python|bash)\n(.*?)```", f.read(), flags=re.S)


def run(page, cwd, ns=None):
    """Runs the blocks of docs/<page> in cwd (the current directory of the python blocks
    too, which the caller sets, e.g. with monkeypatch.chdir); returns the namespace."""
    ns = {} if ns is None else ns
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    for k, (lang, code) in enumerate(blocks(page)):
        if lang == "python":
            exec(compile(code, f"{page} block {k + 1}", "exec"), ns)
        else:
            r = subprocess.run(["bash", "-e", "-c", code], cwd=cwd, env=env,
                               capture_output=True, text=True, timeout=600)
            assert r.returncode == 0, (f"{page} block {k + 1} failed:\n{code}\n"
                                       f"{r.stdout[-2000:]}{r.stderr[-2000:]}")
    return ns
