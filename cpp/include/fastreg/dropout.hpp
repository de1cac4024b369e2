// Dropout building blocks: Philox words for whole groups of 64 elements, computed 16
// blocks side by side so that the compiler maps the 16 lanes onto one AVX-512 register
// (two AVX2 ones), and the keep test / scaling applied to a run of elements.
// The element <-> word mapping is defined in philox.hpp.
#ifndef FASTREG_DROPOUT_HPP
#define FASTREG_DROPOUT_HPP

#include "fastreg/common.hpp"
#include "fastreg/philox.hpp"
#include "fastreg/prox.hpp"  // contiguous_maybe_streamed

#include <cstdint>

namespace fastreg {
namespace dropout_detail {

using philox::u32;
using philox::u64;
constexpr int GROUP = philox::GROUP;
constexpr int LANES = philox::LANES;

// Elements handled per step: the words of a tile (4 KB) stay in L1 between being made and
// being used.
constexpr index_t TILE = 256;

// w[64*q + 16*j + l] = word j of block 16*(G0 + q) + l, for q < ngroups: the random words
// of elements 64*G0 ... 64*(G0 + ngroups) - 1 in element order.
FASTREG_INLINE void philox_groups(u64 seed, u64 G0, index_t ngroups, u32* FASTREG_RESTRICT w) {
    const u32 key0 = philox::key_lo(seed), key1 = philox::key_hi(seed);
    for (index_t q = 0; q < ngroups; ++q) {
        u32 c0[LANES], c1[LANES], c2[LANES], c3[LANES];
        const u64 b0 = (G0 + u64(q)) * LANES;
        for (int l = 0; l < LANES; ++l) {
            c0[l] = u32(b0 + l);
            c1[l] = u32((b0 + l) >> 32);
            c2[l] = 0;
            c3[l] = 0;
        }
        u32 k0 = key0, k1 = key1;
#pragma GCC unroll 10
        for (int r = 0; r < philox::ROUNDS; ++r) {
            if (r > 0) {
                k0 += philox::W0;
                k1 += philox::W1;
            }
            for (int l = 0; l < LANES; ++l) philox::round(c0[l], c1[l], c2[l], c3[l], k0, k1);
        }
        u32* out = w + q * GROUP;
        for (int l = 0; l < LANES; ++l) {
            out[l] = c0[l];
            out[LANES + l] = c1[l];
            out[2 * LANES + l] = c2[l];
            out[3 * LANES + l] = c3[l];
        }
    }
}

// philox_groups for one instruction set (compiled in philox_simd.cpp with intrinsics).
using PhiloxGroupsFn = void (*)(u64 seed, u64 G0, index_t ngroups, u32* w);
// The fastest variant this CPU runs.
PhiloxGroupsFn best_philox_groups();
// A named variant ("avx512", "avx2", "scalar"), or null when this CPU or build lacks it.
PhiloxGroupsFn philox_groups_variant(const char* name);

// Random words of global elements g0 .. g0 + n - 1 (n <= TILE) into buf (TILE + GROUP
// words); returns where element g0's word is in buf.
FASTREG_INLINE const u32* philox_words(PhiloxGroupsFn groups, u64 seed, u64 g0, index_t n, u32* buf) {
    const u64 G0 = g0 / GROUP;
    const index_t first = index_t(g0 % GROUP);
    groups(seed, G0, (first + n + GROUP - 1) / GROUP, buf);
    return buf + first;
}

// y[k*sy] = w[k] < thr ? x[k*sx] * scale : 0. A select, not a product with the mask, so a
// dropped NaN or inf becomes 0.
// With `stream`, contiguous results go through an L1 tile and streaming stores.
template <class T>
FASTREG_INLINE void apply_words(const u32* FASTREG_RESTRICT w, u32 thr, const T* x, index_t sx,
                                T* y, index_t sy, index_t n, T scale, bool stream) {
    if (sx == 1 && sy == 1) {
        contiguous_maybe_streamed(x, y, n, stream, [&](const T* xs, T* ys, index_t first, index_t len) {
            const u32* FASTREG_RESTRICT wr = w + first;
            if (xs == ys) {
                for (index_t k = 0; k < len; ++k) ys[k] = wr[k] < thr ? ys[k] * scale : T(0);
            } else {
                const T* FASTREG_RESTRICT xr = xs;
                T* FASTREG_RESTRICT yr = ys;
                for (index_t k = 0; k < len; ++k) yr[k] = wr[k] < thr ? xr[k] * scale : T(0);
            }
        });
    } else {
        for (index_t k = 0; k < n; ++k) y[k * sy] = w[k] < thr ? x[k * sx] * scale : T(0);
    }
}

// mask[k*sm] = w[k] < thr (0 or 1).
FASTREG_INLINE void words_to_mask(const u32* FASTREG_RESTRICT w, u32 thr, std::uint8_t* m,
                                  index_t sm, index_t n) {
    if (sm == 1) {
        std::uint8_t* FASTREG_RESTRICT mr = m;
        for (index_t k = 0; k < n; ++k) mr[k] = w[k] < thr;
    } else {
        for (index_t k = 0; k < n; ++k) m[k * sm] = w[k] < thr;
    }
}

// Sets bit (flat + k) of `packed` for each kept k < n. Bytes wholly inside the range are
// written; the (at most two) bytes shared with neighbouring ranges are OR-ed, which is
// why the packed buffer must start zeroed and why ranges of different threads start on
// multiples of 8.
FASTREG_INLINE void words_to_packed(const u32* FASTREG_RESTRICT w, u32 thr, std::uint8_t* packed,
                                    index_t flat, index_t n) {
    index_t k = 0;
    for (; k < n && (flat + k) % 8 != 0; ++k)
        packed[(flat + k) / 8] |= std::uint8_t(w[k] < thr) << ((flat + k) % 8);
    std::uint8_t* bytes = packed + (flat + k) / 8;
    const index_t whole = (n - k) / 8;
    for (index_t b = 0; b < whole; ++b) {
        const u32* wb = w + k + 8 * b;
        unsigned v = 0;
        for (int i = 0; i < 8; ++i) v |= unsigned(wb[i] < thr) << i;
        bytes[b] = std::uint8_t(v);
    }
    for (k += 8 * whole; k < n; ++k)
        packed[(flat + k) / 8] |= std::uint8_t(w[k] < thr) << ((flat + k) % 8);
}

// The keep decision from a given mask: y[k*sy] = m ? x[k*sx] * scale : 0.
template <class T>
FASTREG_INLINE void apply_mask(const std::uint8_t* m, index_t sm, const T* x, index_t sx, T* y,
                               index_t sy, index_t n, T scale) {
    if (sm == 1 && sx == 1 && sy == 1) {
        for (index_t k = 0; k < n; ++k) y[k] = m[k] ? x[k] * scale : T(0);
    } else {
        for (index_t k = 0; k < n; ++k) y[k * sy] = m[k * sm] ? x[k * sx] * scale : T(0);
    }
}

// The keep decision from packed bits at flat indices flat .. flat + n - 1.
template <class T>
FASTREG_INLINE void apply_packed(const std::uint8_t* packed, index_t flat, const T* x, index_t sx,
                                 T* y, index_t sy, index_t n, T scale) {
    for (index_t k = 0; k < n; ++k) {
        const index_t i = flat + k;
        const bool keep = (packed[i / 8] >> (i % 8)) & 1;
        y[k * sy] = keep ? x[k * sx] * scale : T(0);
    }
}

}  // namespace dropout_detail
}  // namespace fastreg

#endif  // FASTREG_DROPOUT_HPP
