#!/usr/bin/env bash
# The GPU checks, in one go, for a machine with an NVIDIA GPU (about 5 minutes):
#   1. install fastreg with the `gpu` and `test` extras (CuPy) into the current Python;
#   2. stop with a clear message unless CuPy sees a GPU;
#   3. the CUDA sources compile (.ci/check_cuda.sh: nvcc, and the host check of the kernels'
#      indexing against the scalar Philox reference);
#   4. the kernel tests, CuPy-parametrized cases only (the CPU ones run everywhere);
#   5. bench/bench_kernels.py --gpu: GPU results and masks bit-identical to the CPU's, then
#      each kernel's time against a device-to-device copy and torch's CUDA kernels (when
#      torch is installed with CUDA), printed as a table for bench/README.md.
# Run from anywhere:  bash bench/gpu_check.sh [--no-install] [--size N]
# Exit status: 0 all passed, 2 no GPU (nothing run), anything else a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

install=1
size=50000000
while [ $# -gt 0 ]; do
    case "$1" in
        --no-install) install=0 ;;
        --size) size="$2"; shift ;;
        *) echo "gpu_check: unknown argument $1" >&2; exit 64 ;;
    esac
    shift
done
python=${PYTHON:-python}

step() { printf '\n=== gpu_check: %s ===\n' "$*"; }

step "GPU present?"
if ! command -v nvidia-smi >/dev/null 2>&1 || ! nvidia-smi -L >/dev/null 2>&1; then
    echo "gpu_check: no NVIDIA GPU here (nvidia-smi missing or sees no device); nothing run" >&2
    exit 2
fi
nvidia-smi -L

if [ "$install" = 1 ]; then
    step "install fastreg[gpu,test]"
    if ! "$python" -m pip install --quiet ".[gpu,test]"; then
        echo "gpu_check: installing .[gpu,test] failed (offline? install it beforehand and" \
             "pass --no-install)" >&2
        exit 1
    fi
fi

step "CuPy sees the GPU?"
if ! "$python" -c "
import sys
from fastreg import _gpu
print('fastreg GPU backend:', _gpu.describe())
sys.exit(0 if _gpu.available() else 1)"; then
    echo "gpu_check: CuPy cannot use the GPU (see the line above); nothing run" >&2
    exit 2
fi

step "CUDA sources compile (nvcc) and the host check passes"
bash .ci/check_cuda.sh

step "kernel tests on the GPU (CuPy-parametrized cases)"
"$python" -m pytest -q -p no:cacheprovider -k cupy \
    tests/test_prox.py tests/test_dropout.py

step "GPU kernels against a device-to-device copy (and torch's CUDA kernels)"
"$python" bench/bench_kernels.py --gpu --size "$size" --repeat 21

step "done: all GPU checks passed"
