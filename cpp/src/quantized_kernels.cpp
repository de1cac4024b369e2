// Products of contiguous genotype columns with a Quantized vector (fastreg/matrix/
// quantized.hpp): S_k = sum_i x_i q_ki in integers, then sum_k scale_k S_k.
//
// int8 columns are read imputed: a byte outside 0..2 is missing and reads as m (its
// indicator's product with the parts is a second integer sum). .bed columns are read raw,
// as the other raw kernels: codes through the dosage table with missing as 0 (the caller
// corrects those).
//
// AVX-512 VNNI where the CPU has it: vpdpbusd multiplies 64 unsigned bytes by 64 signed
// ones and adds each four products into an int32 lane. Elsewhere a portable loop. Sums of
// integers do not depend on their order, so both give the same result, bit for bit.
#include "fastreg/matrix/genotype.hpp"

#include <algorithm>
#include <cstdint>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#if !defined(__clang__)
// as in genotype_kernels.cpp: GCC 12's AVX-512 conversions start from _mm512_undefined_*()
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#define FASTREG_X86_VNNI 1
#define FASTREG_VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
#endif

namespace fastreg::matrix::geno {

namespace {

constexpr int PARTS = Quantized::PARTS;
// Samples summed in int32 lanes before they are added up in int64: a lane takes at most
// CHUNK / 16 products of |255 x 127|, below 2^31.
constexpr index_t CHUNK = index_t(1) << 19;
// A full pass reads column after column, each a few KiB: the hardware prefetcher, which
// stops at page boundaries, left the int8 kernel waiting on the loads of its bytes (59 % of
// its samples on the first instruction using them). Asked this far ahead (about two
// columns at n = 2,000; a prefetch past the data is harmless), an int8 pass of 2,000 x
// 200,000 took 22 against 34 ms on two threads, a .bed pass 12 against 15 ms.
constexpr index_t I8_AHEAD = 4096, BED_AHEAD = 2048;

// .bed code -> dosage of A1, missing as 0 (BED_CODE with 3 read as 0)
constexpr std::uint8_t RAW_DOSAGE[4] = {2, 0, 1, 0};

FASTREG_CLONES double i8q_dot_portable(const std::int8_t* x, double m, bool missing,
                                       const Quantized& q) {
    std::int64_t S[PARTS] = {}, M[PARTS] = {};
    for (int k = 0; k < PARTS; ++k) {
        const std::int8_t* qk = q.part(k);
        for (index_t i = 0; i < q.n; i += CHUNK) {
            const index_t end = std::min(q.n, i + CHUNK);
            std::int32_t acc = 0, accm = 0;
            for (index_t s = i; s < end; ++s) {
                const std::uint8_t u = std::uint8_t(x[s]);
                const bool miss = missing && u > 2;
                acc += std::int32_t(miss ? 0 : u) * std::int32_t(qk[s]);
                accm += miss ? std::int32_t(qk[s]) : 0;
            }
            S[k] += acc;
            M[k] += accm;
        }
    }
    return missing ? q.combine(S) + m * q.combine(M) : q.combine(S);
}

FASTREG_CLONES double bedq_dot_portable(const std::uint8_t* x, const Quantized& q) {
    std::int64_t S[PARTS] = {};
    for (int k = 0; k < PARTS; ++k) {
        const std::int8_t* qk = q.part(k);
        for (index_t i = 0; i < q.n; i += CHUNK) {
            const index_t end = std::min(q.n, i + CHUNK);
            std::int32_t acc = 0;
            for (index_t s = i; s < end; ++s) {
                const unsigned code = (unsigned(x[s >> 2]) >> (2 * (s & 3))) & 3u;
                acc += std::int32_t(RAW_DOSAGE[code]) * std::int32_t(qk[q.pos(s)]);
            }
            S[k] += acc;
        }
    }
    return q.combine(S);
}

#if FASTREG_X86_VNNI
// the 16 int32 lanes of a, summed in int64
FASTREG_VNNI FASTREG_INLINE std::int64_t lanes_sum(__m512i a) {
    const __m512i lo = _mm512_cvtepi32_epi64(_mm512_castsi512_si256(a));
    const __m512i hi = _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(a, 1));
    return _mm512_reduce_add_epi64(_mm512_add_epi64(lo, hi));
}

// Missing: the bytes above 2 (unsigned) are missing, summed apart (an indicator's product
// with the parts) and read as m; otherwise every byte is a dosage.
template <bool Missing>
FASTREG_VNNI double i8q_dot_vnni(const std::int8_t* x, double m, const Quantized& q) {
    const index_t n = q.n;
    const std::int8_t* qp[PARTS];
    for (int k = 0; k < PARTS; ++k) qp[k] = q.part(k);
    const __m512i two = _mm512_set1_epi8(2), one = _mm512_set1_epi8(1);
    std::int64_t S[PARTS] = {}, M[PARTS] = {};
    for (index_t i = 0; i < n;) {
        const index_t end = std::min(n, i + CHUNK);
        // two sets of partial sums (dosages and missing ones, or two blocks): one vpdpbusd
        // waits for the one before it on its lane
        __m512i a[PARTS], b[PARTS];
        for (int k = 0; k < PARTS; ++k) a[k] = b[k] = _mm512_setzero_si512();
        for (; i < end; i += 64) {  // the parts are zero past n, the bytes are not read
            const index_t left = end - i;
            const __mmask64 in = left >= 64 ? ~__mmask64(0) : (~__mmask64(0) >> (64 - left));
            _mm_prefetch(reinterpret_cast<const char*>(x + i + I8_AHEAD), _MM_HINT_T0);
            __m512i xv = _mm512_maskz_loadu_epi8(in, x + i);
            if (Missing) {
                const __mmask64 miss = _mm512_cmpgt_epu8_mask(xv, two);
                const __m512i ind = _mm512_maskz_mov_epi8(miss, one);
                xv = _mm512_maskz_mov_epi8(~miss, xv);
                for (int k = 0; k < PARTS; ++k) {
                    const __m512i qv = _mm512_loadu_si512(qp[k] + i);
                    a[k] = _mm512_dpbusd_epi32(a[k], xv, qv);
                    b[k] = _mm512_dpbusd_epi32(b[k], ind, qv);
                }
            } else {
                __m512i* acc = (i & 64) ? b : a;
                for (int k = 0; k < PARTS; ++k)
                    acc[k] = _mm512_dpbusd_epi32(acc[k], xv, _mm512_loadu_si512(qp[k] + i));
            }
        }
        i = end;
        for (int k = 0; k < PARTS; ++k) {
            if (Missing) {
                S[k] += lanes_sum(a[k]);
                M[k] += lanes_sum(b[k]);
            } else {
                S[k] += lanes_sum(a[k]) + lanes_sum(b[k]);
            }
        }
    }
    return Missing ? q.combine(S) + m * q.combine(M) : q.combine(S);
}

// 64 bytes (256 samples) a step: register c takes the codes in bits 2c, 2c+1 of each byte
// (sample 4b + c in byte b), mapped to dosages by a byte shuffle; the parts are stored in
// that order (Quantized's bed_order).
FASTREG_VNNI double bedq_dot_vnni(const std::uint8_t* x, const Quantized& q) {
    const index_t n = q.n, bytes = (n + 3) / 4;
    const std::int8_t* qp[PARTS];
    for (int k = 0; k < PARTS; ++k) qp[k] = q.part(k);
    const __m512i table = _mm512_broadcast_i32x4(_mm_setr_epi8(
        RAW_DOSAGE[0], RAW_DOSAGE[1], RAW_DOSAGE[2], RAW_DOSAGE[3], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    const __m512i three = _mm512_set1_epi8(3);
    std::int64_t S[PARTS] = {};
    constexpr index_t CHUNK_BYTES = CHUNK / 4;
    for (index_t b0 = 0; b0 < bytes;) {
        const index_t end = std::min(bytes, b0 + CHUNK_BYTES);
        __m512i a[PARTS], c[PARTS];
        for (int k = 0; k < PARTS; ++k) a[k] = c[k] = _mm512_setzero_si512();
        for (; b0 < end; b0 += 64) {
            const index_t left = end - b0;
            const __mmask64 m = left >= 64 ? ~__mmask64(0) : (~__mmask64(0) >> (64 - left));
            _mm_prefetch(reinterpret_cast<const char*>(x + b0 + BED_AHEAD), _MM_HINT_T0);
            const __m512i xv = _mm512_maskz_loadu_epi8(m, x + b0);
            for (int r = 0; r < 4; ++r) {
                const __m512i codes = _mm512_and_si512(_mm512_srli_epi16(xv, 2 * r), three);
                const __m512i d = _mm512_shuffle_epi8(table, codes);
                const index_t at = 4 * b0 + 64 * r;  // the block's samples start at 4 b0
                __m512i* acc = (r & 1) ? c : a;
                for (int k = 0; k < PARTS; ++k)
                    acc[k] = _mm512_dpbusd_epi32(acc[k], d, _mm512_loadu_si512(qp[k] + at));
            }
        }
        b0 = end;
        for (int k = 0; k < PARTS; ++k) S[k] += lanes_sum(a[k]) + lanes_sum(c[k]);
    }
    return q.combine(S);
}
#endif

}  // namespace

bool quantized_vnni() {
#if FASTREG_X86_VNNI
    static const bool on = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
    }();
    return on;
#else
    return false;
#endif
}

double i8q_dot(const std::int8_t* x, double m, bool missing, const Quantized& q, bool portable) {
#if FASTREG_X86_VNNI
    if (!portable && quantized_vnni())
        return missing ? i8q_dot_vnni<true>(x, m, q) : i8q_dot_vnni<false>(x, m, q);
#endif
    (void)portable;
    return i8q_dot_portable(x, m, missing, q);
}

double bedq_dot(const std::uint8_t* x, const Quantized& q, bool portable) {
#if FASTREG_X86_VNNI
    if (!portable && quantized_vnni()) return bedq_dot_vnni(x, q);
#endif
    (void)portable;
    return bedq_dot_portable(x, q);
}

}  // namespace fastreg::matrix::geno
