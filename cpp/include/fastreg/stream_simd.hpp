// Elementwise loops that write big outputs with non-temporal stores straight from vector
// registers, once per instruction set (AVX-512: 64-byte stores, AVX2: 32-byte ones).
//
// Why not the tile of stream.hpp: computing a tile into an L1 buffer and then streaming
// the buffer out with 16-byte stores costs a second pass through L1 and four stores per
// cache line, which on one thread left soft_threshold at 1.2-1.4x a memcpy of the same
// array; storing each result vector as it is made runs at the copy's speed or better
// (bench/README.md, "Kernels at memory bandwidth"). Non-temporal stores from registers
// need the instruction set's intrinsics, which a target_clones body cannot use (its
// default clone would not compile), so these are separate functions with target
// attributes, chosen at run time, as philox_simd.cpp does for Philox.
//
// The arithmetic is the scalar kernels' own, in the same IEEE operations (GCC vector
// extensions), so results are bit-identical to the scalar loops and to NumPy.
#ifndef FASTREG_STREAM_SIMD_HPP
#define FASTREG_STREAM_SIMD_HPP

#include "fastreg/common.hpp"

#include <cstdint>
#include <cstring>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#include <immintrin.h>
#define FASTREG_STREAM_SIMD 1
#else
#define FASTREG_STREAM_SIMD 0
#endif

namespace fastreg {
namespace stream_simd {

// The contiguous loops a kernel may hand over when it streams its output; null members
// when this CPU (or build) has no such path, and the caller then uses its own loop.
template <class T>
struct Loops {
    // y[k] = x[k] - clip(x[k], -t, t)
    void (*soft_threshold)(const T* x, T* y, std::int64_t n, T t) = nullptr;
    // y[k] = (x[k] - clip(x[k], -l1, l1)) / den, den = 1 + l2 computed by the caller
    void (*enet_prox)(const T* x, T* y, std::int64_t n, T l1, T den) = nullptr;
    // y[k] = w[k] < thr ? x[k] * scale : 0
    void (*dropout)(const std::uint32_t* w, std::uint32_t thr, const T* x, T* y, std::int64_t n,
                    T scale) = nullptr;
};

// The widest loops this CPU runs (decided once).
template <class T>
const Loops<T>& loops();

#if FASTREG_STREAM_SIMD

// The loop bodies for one vector width B (bytes) and target. Each stores y's unaligned
// head and its tail with plain stores, the rest with one non-temporal store per vector.
// NT_STORE(p, v) stores vector v (B bytes) at the B-aligned address p.
#define FASTREG_STREAM_LOOPS(SUFFIX, TARGET, B, NT_STORE)                                              \
    template <class T>                                                                                  \
    __attribute__((target(TARGET))) void soft_threshold_##SUFFIX(const T* x, T* y, std::int64_t n,     \
                                                                 T t) {                                 \
        typedef T V __attribute__((vector_size(B)));                                                    \
        constexpr std::int64_t L = B / sizeof(T);                                                       \
        const V tv = V{} + t, ntv = -tv;                                                            \
        std::int64_t k = 0;                                                                             \
        for (; k < n && reinterpret_cast<std::uintptr_t>(y + k) % B != 0; ++k)                          \
            y[k] = x[k] - (x[k] < -t ? -t : (x[k] > t ? t : x[k]));                                     \
        for (; k + L <= n; k += L) {                                                                    \
            V v;                                                                                        \
            std::memcpy(&v, x + k, B);                                                                  \
            const V c = v < ntv ? ntv : (v > tv ? tv : v);                                              \
            NT_STORE(y + k, v - c);                                                                     \
        }                                                                                               \
        for (; k < n; ++k) y[k] = x[k] - (x[k] < -t ? -t : (x[k] > t ? t : x[k]));                      \
    }                                                                                                   \
    template <class T>                                                                                  \
    __attribute__((target(TARGET))) void enet_prox_##SUFFIX(const T* x, T* y, std::int64_t n, T l1,    \
                                                            T den) {                                    \
        typedef T V __attribute__((vector_size(B)));                                                    \
        constexpr std::int64_t L = B / sizeof(T);                                                       \
        const V tv = V{} + l1, ntv = -tv, dv = V{} + den;                                          \
        std::int64_t k = 0;                                                                             \
        for (; k < n && reinterpret_cast<std::uintptr_t>(y + k) % B != 0; ++k)                          \
            y[k] = (x[k] - (x[k] < -l1 ? -l1 : (x[k] > l1 ? l1 : x[k]))) / den;                         \
        for (; k + L <= n; k += L) {                                                                    \
            V v;                                                                                        \
            std::memcpy(&v, x + k, B);                                                                  \
            const V c = v < ntv ? ntv : (v > tv ? tv : v);                                              \
            NT_STORE(y + k, (v - c) / dv);                                                              \
        }                                                                                               \
        for (; k < n; ++k) y[k] = (x[k] - (x[k] < -l1 ? -l1 : (x[k] > l1 ? l1 : x[k]))) / den;          \
    }                                                                                                   \
    template <class T>                                                                                  \
    __attribute__((target(TARGET))) void dropout_##SUFFIX(const std::uint32_t* w, std::uint32_t thr,   \
                                                          const T* x, T* y, std::int64_t n, T scale) {  \
        typedef T V __attribute__((vector_size(B)));                                                    \
        /* one 32-bit word per element: as many words as the vector has elements */                  \
        typedef std::uint32_t W __attribute__((vector_size(B / sizeof(T) * 4)));                        \
        typedef std::conditional_t<sizeof(T) == 8, std::int64_t, std::int32_t> I;                      \
        typedef I M __attribute__((vector_size(B)));                                                    \
        constexpr std::int64_t L = B / sizeof(T);                                                       \
        const V sv = V{} + scale, zero = V{};                                                           \
        const W tw = W{} + thr;                                                                         \
        std::int64_t k = 0;                                                                             \
        for (; k < n && reinterpret_cast<std::uintptr_t>(y + k) % B != 0; ++k)                          \
            y[k] = w[k] < thr ? x[k] * scale : T(0);                                                    \
        for (; k + L <= n; k += L) {                                                                    \
            V v;                                                                                        \
            W ws;                                                                                       \
            std::memcpy(&v, x + k, B);                                                                  \
            std::memcpy(&ws, w + k, sizeof(W));                                                         \
            const M keep = __builtin_convertvector(ws < tw, M);                                         \
            NT_STORE(y + k, keep ? v * sv : zero);                                                      \
        }                                                                                               \
        for (; k < n; ++k) y[k] = w[k] < thr ? x[k] * scale : T(0);                                     \
    }

#define FASTREG_NT_STORE_512(p, v) _mm512_stream_si512(reinterpret_cast<__m512i*>(p), (__m512i)(v))
#define FASTREG_NT_STORE_256(p, v) _mm256_stream_si256(reinterpret_cast<__m256i*>(p), (__m256i)(v))

#endif  // FASTREG_STREAM_SIMD

}  // namespace stream_simd
}  // namespace fastreg

#endif  // FASTREG_STREAM_SIMD_HPP
