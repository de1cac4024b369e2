"""The suite's real datasets: exported once from the R data packages into a cache folder
outside the repository, then loaded from there.

    python -m bench.suite.realdata --fetch      # needs Rscript and the packages below

The cache is $FASTREG_BENCH_DATA, else ~/.cache/fastreg-bench. Sources and licences are in
bench/suite/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys

import numpy as np

# name: (Debian package that ships the data, what it is)
DATASETS = {
    "all_age": ("r-bioc-all", "ALL leukemia expression, y = age"),
    "bladder_cancer": ("r-bioc-bladderbatch", "bladder expression, y = cancer or not"),
    "gasoline_octane": ("r-cran-pls", "gasoline NIR spectra, y = octane"),
    "snps10": ("r-bioc-snpstats", "snpStats chromosome-10 genotypes (HapMap LD)"),
}
BASE_PACKAGES = "r-base-core r-cran-glmnet"


def cache_dir():
    return os.environ.get("FASTREG_BENCH_DATA") or os.path.join(
        os.path.expanduser("~"), ".cache", "fastreg-bench")


def install_hint(name):
    return (f"apt-get install -y {BASE_PACKAGES} {DATASETS[name][0]} && "
            f"python -m bench.suite.realdata --fetch")


def missing(name):
    """None when `name` is in the cache, else why not (with the command that fixes it)."""
    d = os.path.join(cache_dir(), name)
    need = ["snps10.bed", "snps10.bim", "snps10.fam"] if name == "snps10" else ["X.npy", "y.npy"]
    if all(os.path.exists(os.path.join(d, f)) for f in need):
        return None
    return f"not installed: {install_hint(name)}"


def load_xy(name):
    """(X F-ordered float64 (n, p), y float64 (n,)) of an expression or spectra dataset."""
    d = os.path.join(cache_dir(), name)
    return np.asfortranarray(np.load(os.path.join(d, "X.npy"))), np.load(os.path.join(d, "y.npy"))


def bed_prefix(name):
    return os.path.join(cache_dir(), name, name)


def fetch():
    """Runs export_real.R into the cache, then turns its raw float64 files into .npy."""
    if shutil.which("Rscript") is None:
        sys.exit(f"Rscript not found: apt-get install -y {BASE_PACKAGES} "
                 + " ".join(p for p, _ in DATASETS.values()))
    out = cache_dir()
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "export_real.R")
    subprocess.run(["Rscript", script, out], check=True)
    for name in DATASETS:
        d = os.path.join(out, name)
        shape = os.path.join(d, "shape.txt")
        if not os.path.exists(shape):
            continue
        with open(shape) as f:
            n, p = (int(v) for v in f.read().split())
        X = np.fromfile(os.path.join(d, "X.bin"), dtype=np.float64).reshape(p, n).T
        y = np.fromfile(os.path.join(d, "y.bin"), dtype=np.float64)
        if y.shape != (n,) or not np.isfinite(X).all():
            sys.exit(f"{name}: unexpected export (shape {X.shape}, y {y.shape})")
        np.save(os.path.join(d, "X.npy"), np.asfortranarray(X))
        np.save(os.path.join(d, "y.npy"), y)
        for f in ("X.bin", "y.bin", "shape.txt"):
            os.remove(os.path.join(d, f))
    for name in DATASETS:
        print(f"{name}: {missing(name) or 'ready in ' + os.path.join(out, name)}")


def main(argv=None):
    ap = argparse.ArgumentParser(description="The suite's real datasets")
    ap.add_argument("--fetch", action="store_true", help="export them into the cache")
    args = ap.parse_args(argv)
    if args.fetch:
        fetch()
    else:
        for name, (pkg, what) in DATASETS.items():
            print(f"{name} ({what}; {pkg}): {missing(name) or 'ready'}")


if __name__ == "__main__":
    main()
