// Walks arrays of any shape and strides in C (row-major) order, as runs along the last
// axis. Elementwise kernels are written for a run (pointer + stride + length); this file
// turns any layout into runs, and a contiguous layout into a single run.
#ifndef FASTREG_NDITER_HPP
#define FASTREG_NDITER_HPP

#include "fastreg/common.hpp"

#include <algorithm>

namespace fastreg {

constexpr int MAX_DIMS = 64;  // NumPy's own limit

// K operands of one shape, each with strides counted in elements (0 = broadcast).
template <int K>
struct NdLayout {
    int ndim = 0;
    // zeroed: an operand a call leaves out (dropout_mask's packed bits have no operand 2)
    // steps by 0, never by whatever the stack held
    index_t shape[MAX_DIMS] = {};
    index_t strides[K][MAX_DIMS] = {};

    index_t size() const {
        index_t n = 1;
        for (int d = 0; d < ndim; ++d) n *= shape[d];
        return n;
    }

    // Drops axes of length 1 and merges neighbouring axes that every operand steps
    // through as one (stride[d] == stride[d+1] * shape[d+1]); C order is preserved, so a
    // C-contiguous array becomes one run. Leaves at least one axis.
    void simplify() {
        int out = 0;
        for (int d = 0; d < ndim; ++d) {
            if (shape[d] == 1) continue;
            bool merge = out > 0;
            for (int k = 0; k < K && merge; ++k)
                merge = strides[k][out - 1] == strides[k][d] * shape[d];
            if (merge) {
                shape[out - 1] *= shape[d];
                for (int k = 0; k < K; ++k) strides[k][out - 1] = strides[k][d];
            } else {
                shape[out] = shape[d];
                for (int k = 0; k < K; ++k) strides[k][out] = strides[k][d];
                ++out;
            }
        }
        if (out == 0) {  // 0-d, or every axis of length 1: one element
            shape[0] = 1;
            for (int k = 0; k < K; ++k) strides[k][0] = 0;
            out = 1;
        }
        ndim = out;
    }

    bool is_single_run() const { return ndim == 1; }
};

// Calls run(flat, len, offsets, inner) for consecutive runs covering the C-order flat
// range [begin, end): `flat` is the run's first flat index, offsets[k] the element offset
// of operand k at that index, inner[k] operand k's stride along the run.
template <int K, class F>
void for_each_run(const NdLayout<K>& L, index_t begin, index_t end, F&& run) {
    if (begin >= end) return;  // also keeps empty arrays (a zero-length axis) out of the % below
    const int last = L.ndim - 1;
    index_t idx[MAX_DIMS];
    index_t off[K];
    // Multi-index and operand offsets of `begin`.
    index_t rem = begin;
    for (int d = last; d >= 0; --d) {
        idx[d] = rem % L.shape[d];
        rem /= L.shape[d];
    }
    for (int k = 0; k < K; ++k) {
        off[k] = 0;
        for (int d = 0; d <= last; ++d) off[k] += idx[d] * L.strides[k][d];
    }
    index_t inner[K];
    for (int k = 0; k < K; ++k) inner[k] = L.strides[k][last];

    index_t flat = begin;
    while (flat < end) {
        const index_t len = std::min(end - flat, L.shape[last] - idx[last]);
        run(flat, len, static_cast<const index_t*>(off), static_cast<const index_t*>(inner));
        flat += len;
        // Advance the multi-index by `len` (to the start of the next row, or the end).
        for (int k = 0; k < K; ++k) off[k] += len * inner[k];
        idx[last] += len;
        for (int d = last; d > 0 && idx[d] == L.shape[d]; --d) {
            for (int k = 0; k < K; ++k) off[k] += L.strides[k][d - 1] - L.shape[d] * L.strides[k][d];
            idx[d] = 0;
            ++idx[d - 1];
        }
    }
}

}  // namespace fastreg

#endif  // FASTREG_NDITER_HPP
