#!/usr/bin/env bash
# Install the peers that bench/bench_lasso.py, bench/bench_kernels.py and the suite
# (bench/suite/) time fastreg against. Safe to run again: each step is skipped or a no-op
# when already done.
#
#   bash bench/install_peers.sh                        # into the active Python environment
#   PYTHON=path/to/python bash bench/install_peers.sh
#   BENCH_ADELIE=1 bash bench/install_peers.sh         # also adelie, see below
#   BENCH_DATA=1 bash bench/install_peers.sh           # also the suite's real datasets
#
# - Python peers from bench/requirements.txt (scikit-learn comes with fastreg's own deps;
#   skglm brings numba).
# - glmnet for R: Debian's r-cran-glmnet, only where apt-get exists and we are root.
# - BENCH_DATA=1: the R data packages of the suite's real datasets (Debian's Bioconductor
#   and CRAN packages, see bench/suite/README.md for sources and licences), exported into
#   $FASTREG_BENCH_DATA (default ~/.cache/fastreg-bench) by bench/suite/realdata.py.
# - adelie is not in requirements.txt: its releases pin numpy<2, so pip would replace the
#   environment's numpy 2 with 1.26. With BENCH_ADELIE=1 it is installed without its
#   dependencies (it imports and solves correctly on numpy 2; bench_lasso.py checks every
#   answer), after the two it needs that nothing else brings.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
py="${PYTHON:-python3}"

"$py" -m pip install -r "$here/requirements.txt"

if [ "${BENCH_ADELIE:-0}" = 1 ]; then
    "$py" -m pip install "ipython>=8.17.2,<9" "matplotlib>=3.7"
    "$py" -m pip install --no-deps "adelie==1.1.52"
fi

if command -v Rscript >/dev/null 2>&1 && Rscript -e 'suppressMessages(library(glmnet))' >/dev/null 2>&1; then
    echo "glmnet for R: already installed"
elif command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y r-cran-glmnet
else
    echo "glmnet for R: skipped (needs apt-get and root); bench_lasso.py runs without it" >&2
fi

if [ "${BENCH_DATA:-0}" = 1 ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
            r-base-core r-bioc-all r-bioc-bladderbatch r-cran-pls r-bioc-snpstats
    fi
    (cd "$here/.." && "$py" -m bench.suite.realdata --fetch)
fi
