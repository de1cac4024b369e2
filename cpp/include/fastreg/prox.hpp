// Soft-thresholding and the elastic-net proximal operator, on one run of elements.
//
//   soft_threshold(x, t) = x - clip(x, -t, t) = sign(x) * max(|x| - t, 0)
//   enet_prox(x, l1, l2) = soft_threshold(x, l1) / (1 + l2)
//
// The clip form is branch-free, vectorizes to two compares and two blends, and lets NaN
// through: both comparisons with NaN are false, so clip(NaN) = NaN and x - NaN = NaN.
#ifndef FASTREG_PROX_HPP
#define FASTREG_PROX_HPP

#include "fastreg/common.hpp"
#include "fastreg/stream.hpp"

#include <algorithm>

namespace fastreg {

template <class T>
FASTREG_INLINE T clip(T x, T t) {
    return x < -t ? -t : (x > t ? t : x);
}

template <class T>
FASTREG_INLINE T soft_threshold_one(T x, T t) {
    return x - clip(x, t);
}

template <class T>
FASTREG_INLINE T enet_prox_one(T x, T l1, T l2) {
    return soft_threshold_one(x, l1) / (T(1) + l2);
}

// A parameter that is either one value for the whole run (stride 0) or an array.
template <class T>
struct Param {
    const T* ptr;
    index_t stride;  // in elements; 0 = the same value everywhere
};

// Elements per tile when streaming: the tile's buffer (8 KB of doubles) stays in L1.
constexpr index_t STREAM_TILE = 1024;

// Runs `contiguous(x, y, first, n)` (which writes y[0..n) from x[0..n) and parameter
// elements first .. first + n - 1) over [0, n): directly, or, when streaming, tile by
// tile into an L1 buffer that is then streamed out (see stream.hpp).
template <class T, class F>
FASTREG_INLINE void contiguous_maybe_streamed(const T* x, T* y, index_t n, bool stream, F contiguous) {
    if (!stream) {
        contiguous(x, y, index_t(0), n);
        return;
    }
    alignas(64) T tile[STREAM_TILE];
    for (index_t t = 0; t < n; t += STREAM_TILE) {
        const index_t len = std::min(STREAM_TILE, n - t);
        contiguous(x + t, tile, t, len);
        stream_copy(y + t, tile, len * index_t(sizeof(T)));
    }
}

// y[k*sy] = op(x[k*sx], a[k], b[k]) for k < n. The contiguous cases get loops of their
// own (compile-time strides, so they vectorize); `y == x` is the in-place case, kept apart
// so that otherwise the compiler may assume no aliasing.
template <class T, class Op>
FASTREG_INLINE void elementwise_run(const T* x, index_t sx, T* y, index_t sy, index_t n,
                                    Param<T> a, Param<T> b, bool stream, Op op) {
    if (sx == 1 && sy == 1 && a.stride == 0 && b.stride == 0) {
        const T av = *a.ptr, bv = *b.ptr;
        contiguous_maybe_streamed(x, y, n, stream, [&](const T* xs, T* ys, index_t, index_t len) {
            if (xs == ys) {
                for (index_t k = 0; k < len; ++k) ys[k] = op(ys[k], av, bv);
            } else {
                const T* FASTREG_RESTRICT xr = xs;
                T* FASTREG_RESTRICT yr = ys;
                for (index_t k = 0; k < len; ++k) yr[k] = op(xr[k], av, bv);
            }
        });
    } else if (sx == 1 && sy == 1 && a.stride == 1 && (b.stride == 0 || b.stride == 1)) {
        const index_t bs = b.stride;
        contiguous_maybe_streamed(x, y, n, stream, [&](const T* xs, T* ys, index_t first, index_t len) {
            const T* FASTREG_RESTRICT ar = a.ptr + first;
            const T* FASTREG_RESTRICT br = b.ptr + first * bs;
            if (xs == ys) {
                for (index_t k = 0; k < len; ++k) ys[k] = op(ys[k], ar[k], br[k * bs]);
            } else {
                const T* FASTREG_RESTRICT xr = xs;
                T* FASTREG_RESTRICT yr = ys;
                for (index_t k = 0; k < len; ++k) yr[k] = op(xr[k], ar[k], br[k * bs]);
            }
        });
    } else {
        for (index_t k = 0; k < n; ++k)
            y[k * sy] = op(x[k * sx], a.ptr[k * a.stride], b.ptr[k * b.stride]);
    }
}

}  // namespace fastreg

#endif  // FASTREG_PROX_HPP
