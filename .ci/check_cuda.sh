#!/usr/bin/env bash
# CUDA checks for the CuPy backend, runnable without a GPU (run from the repo root by
# .ci/run):
#   1. compile python/fastreg/_gpu/kernels.cu to PTX with nvcc, every kernel instantiated
#      for float and double, failing on any warning;
#   2. build and run tests/cuda/host_check.cu, which runs the kernels' per-thread bodies on
#      the CPU and checks their indexing against the scalar Philox reference.
# Without nvcc it prints a notice and succeeds: the GPU backend is optional.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v nvcc >/dev/null 2>&1; then
    echo "check_cuda: nvcc not found; skipping the CUDA kernel checks"
    exit 0
fi

ARCH=sm_75  # the oldest architecture CUDA 13 still compiles for
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT

# Runs nvcc, failing also when it prints anything (a warning not covered by -Werror).
nvcc_quiet() {
    if ! nvcc "$@" 2>"$build/stderr"; then
        cat "$build/stderr" >&2
        return 1
    fi
    if [ -s "$build/stderr" ]; then
        echo "check_cuda: nvcc printed diagnostics, treated as errors:" >&2
        cat "$build/stderr" >&2
        return 1
    fi
}

echo "check_cuda: $(nvcc --version | tail -n 1)"
echo "check_cuda: compiling kernels.cu to PTX ($ARCH)"
nvcc_quiet -std=c++14 -arch="$ARCH" -ptx -DFASTREG_INSTANTIATE_ALL -I cpp/include \
    -Werror all-warnings python/fastreg/_gpu/kernels.cu -o "$build/kernels.ptx"

echo "check_cuda: building and running the host check"
nvcc_quiet -std=c++14 -arch="$ARCH" -I cpp/include -I python/fastreg/_gpu \
    -Werror all-warnings -Xcompiler -Wall,-Wextra,-Werror \
    tests/cuda/host_check.cu -o "$build/host_check"
"$build/host_check"
