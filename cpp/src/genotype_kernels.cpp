// The contiguous genotype kernels of fastreg/matrix/genotype.hpp. As in cd_kernels.cpp,
// reductions keep independent partial sums (LANES of them) so that the compiler vectorizes
// without reassociating and every clone sums in the same order.
//
// .bed: a byte holds four samples. Two 256-entry tables give, for each byte value, the four
// samples' dosages (missing read as 0) and their missing indicators; a column's dot product
// is then sum_i dosage_i r_i + m sum_i missing_i r_i, four lanes per byte from one table
// row (a plain vector load), and the second sum is skipped for a column without missing
// entries. The tables take 2 x 256 x 4 values (16 KiB for double): they stay in L1.
//
// The kernels of double also come in AVX-512, chosen at run time when the CPU has it (and
// AVX512_VBMI for .bed): GCC vectorized the conversions of the portable int8 loops 128 bits
// at a time, and the .bed tables a byte at a time. Measured from L1 at n = 2,000, ns a
// sample (portable -> AVX-512): int8 dot product 0.25 -> 0.124, with missing entries
// imputed 0.32 -> 0.147, axpy 0.17 -> 0.15; .bed dot product 0.35 -> 0.20 (0.18 -> 0.155
// for a column without missing entries); a float64 dot product takes 0.133. They keep the
// portable versions' lanes and order of operations (16 partial sums, products then sums,
// no fused multiply-add), so both give the same results, bit for bit.
#include "fastreg/matrix/genotype.hpp"

#include <algorithm>
#include <array>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#if !defined(__clang__)
// GCC 12's AVX-512 conversions start from _mm512_undefined_*(), which it then reports as
// (maybe) uninitialized once they are inlined here
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#define FASTREG_X86_SIMD 1
#define FASTREG_AVX512 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl")))
#define FASTREG_AVX512_VBMI __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx512vbmi")))
#endif

namespace fastreg::matrix::geno {

namespace {

constexpr index_t LANES = 16;

template <class T>
struct alignas(64) ByteTable {
    T v[256][4];
};

template <class T>
constexpr ByteTable<T> make_table(bool missing) {
    ByteTable<T> t{};
    for (int b = 0; b < 256; ++b)
        for (int k = 0; k < 4; ++k) {
            const int c = BED_CODE[(b >> (2 * k)) & 3];
            t.v[b][k] = missing ? T(c == 3 ? 1 : 0) : T(c == 3 ? 0 : c);
        }
    return t;
}

template <class T>
struct Tables {
    static constexpr ByteTable<T> dosage = make_table<T>(false);
    static constexpr ByteTable<T> missing = make_table<T>(true);
};

// .bed: four samples a byte, from the byte tables (dosage plus m times missing)
template <class T>
FASTREG_INLINE void bed_decode_impl(const std::uint8_t* x, T m, T* out, index_t n) {
    const auto& D = Tables<T>::dosage.v;
    const auto& Mi = Tables<T>::missing.v;
    const index_t whole = n / 4;
    for (index_t b = 0; b < whole; ++b) {
        const unsigned byte = x[b];
        for (int k = 0; k < 4; ++k) out[4 * b + k] = D[byte][k] + m * Mi[byte][k];
    }
    for (index_t i = 4 * whole; i < n; ++i) {
        const unsigned byte = x[i >> 2];
        out[i] = D[byte][i & 3] + m * Mi[byte][i & 3];
    }
}
template <class T>
FASTREG_INLINE T reduce(const T* acc) {
    T s = 0;
    for (index_t k = 0; k < LANES; ++k) s += acc[k];
    return s;
}

template <class T>
FASTREG_INLINE T i8_value(std::int8_t x, T m) {
    // branch-free (a conditional would keep the loops scalar): integer select, convert
    const std::int32_t u = std::uint8_t(x), miss = u > 2;
    return T(u & (miss - 1)) + T(miss) * m;
}

// .bed code of a dosage byte: 0 -> 11, 1 -> 10, 2 -> 00, missing -> 01
FASTREG_CLONES void i8_to_bed_portable(const std::int8_t* x, index_t n, std::uint8_t* out) {
    constexpr std::uint8_t CODE[4] = {3, 2, 0, 1};
    for (index_t b = 0; b < (n + 3) / 4; ++b) {
        unsigned byte = 0;
        for (index_t k = 0; k < 4 && 4 * b + k < n; ++k)
            byte |= unsigned(CODE[std::min(3u, unsigned(std::uint8_t(x[4 * b + k])))]) << (2 * k);
        out[b] = std::uint8_t(byte);
    }
}

// Blocks of BLOCK samples are decoded into a buffer on the stack (a plain conversion loop),
// then reduced like a dense column: two simple loops vectorize where one mixed loop does not.
constexpr index_t BLOCK = 256;  // a multiple of LANES: lanes see the samples of a flat loop

template <class T>
FASTREG_INLINE void i8_decode(const std::int8_t* FASTREG_RESTRICT x, T m, T* FASTREG_RESTRICT out,
                              index_t len) {
    for (index_t k = 0; k < len; ++k) out[k] = i8_value(x[k], m);
}

template <class T>
FASTREG_INLINE T i8_dot_impl(const std::int8_t* FASTREG_RESTRICT x, T m, const T* FASTREG_RESTRICT v,
                             const T* FASTREG_RESTRICT r, index_t n) {
    T acc[LANES] = {};
    alignas(64) T buf[BLOCK];
    for (index_t i0 = 0; i0 < n; i0 += BLOCK) {
        const index_t len = std::min(BLOCK, n - i0);
        i8_decode(x + i0, m, buf, len);
        const T* ri = r + i0;
        index_t k = 0;
        if (v) {
            const T* vi = v + i0;
            for (; k + LANES <= len; k += LANES)
                for (index_t l = 0; l < LANES; ++l) acc[l] += buf[k + l] * vi[k + l] * ri[k + l];
            for (index_t l = 0; k < len; ++k, ++l) acc[l] += buf[k] * vi[k] * ri[k];
        } else {
            for (; k + LANES <= len; k += LANES)
                for (index_t l = 0; l < LANES; ++l) acc[l] += buf[k + l] * ri[k + l];
            for (index_t l = 0; k < len; ++k, ++l) acc[l] += buf[k] * ri[k];
        }
    }
    return reduce(acc);
}

template <class T>
FASTREG_INLINE void i8_axpby_impl(const std::int8_t* FASTREG_RESTRICT x, T m, T a, T b,
                                  T* FASTREG_RESTRICT r, index_t n) {
    alignas(64) T buf[BLOCK];
    for (index_t i0 = 0; i0 < n; i0 += BLOCK) {
        const index_t len = std::min(BLOCK, n - i0);
        i8_decode(x + i0, m, buf, len);
        T* ri = r + i0;
        if (b == T(0)) {
            for (index_t k = 0; k < len; ++k) ri[k] += a * buf[k];
        } else {
            for (index_t k = 0; k < len; ++k) ri[k] += a * buf[k] + b;
        }
    }
}

// bed_dot_impl from byte b on (b a multiple of 4): whole 4-byte steps, then the samples
// left, into its partial sums (sample i in lane i mod LANES)
template <class T, bool Weighted, bool Missing>
FASTREG_INLINE void bed_dot_tail(const std::uint8_t* FASTREG_RESTRICT x, const T* FASTREG_RESTRICT v,
                                 const T* FASTREG_RESTRICT r, index_t n, index_t b, T* acc, T* accm) {
    const auto& D = Tables<T>::dosage.v;
    const auto& M = Tables<T>::missing.v;
    const index_t full = n / 4;  // bytes with four samples
    constexpr index_t BYTES = LANES / 4;
    for (; b + BYTES <= full; b += BYTES)
        for (index_t q = 0; q < BYTES; ++q) {
            const std::uint8_t byte = x[b + q];
            for (index_t k = 0; k < 4; ++k) {
                const index_t i = 4 * (b + q) + k;
                const T w = Weighted ? v[i] * r[i] : r[i];
                acc[4 * q + k] += D[byte][k] * w;
                if (Missing) accm[4 * q + k] += M[byte][k] * w;
            }
        }
    for (index_t i = 4 * b, l = 0; i < n; ++i, ++l) {  // whole bytes left, then the last one
        const std::uint8_t byte = x[i >> 2];
        const index_t k = i & 3;
        const T w = Weighted ? v[i] * r[i] : r[i];
        acc[l % LANES] += D[byte][k] * w;
        if (Missing) accm[l % LANES] += M[byte][k] * w;
    }
}

// sum over the samples of one column: D[i] r_i (acc) and M[i] r_i (accm), with v when given
template <class T, bool Weighted, bool Missing>
FASTREG_INLINE T bed_dot_impl(const std::uint8_t* FASTREG_RESTRICT x, T m, const T* FASTREG_RESTRICT v,
                              const T* FASTREG_RESTRICT r, index_t n) {
    T acc[LANES] = {}, accm[LANES] = {};
    bed_dot_tail<T, Weighted, Missing>(x, v, r, n, 0, acc, accm);
    const T s = reduce(acc);
    return Missing ? s + m * reduce(accm) : s;
}

template <class T, bool Missing>
FASTREG_INLINE void bed_axpby_impl(const std::uint8_t* FASTREG_RESTRICT x, T m, T a, T b,
                                   T* FASTREG_RESTRICT r, index_t n) {
    const auto& D = Tables<T>::dosage.v;
    const auto& M = Tables<T>::missing.v;
    const T am = a * m;
    const index_t full = n / 4;
    for (index_t c = 0; c < full; ++c) {
        const std::uint8_t byte = x[c];
        for (index_t k = 0; k < 4; ++k) {
            T d = a * D[byte][k];
            if (Missing) d += am * M[byte][k];
            r[4 * c + k] += d + b;
        }
    }
    for (index_t i = 4 * full; i < n; ++i) {
        const std::uint8_t byte = x[i >> 2];
        const index_t k = i & 3;
        T d = a * D[byte][k];
        if (Missing) d += am * M[byte][k];
        r[i] += d + b;
    }
}

// Plain conversions, no select: these vectorize to a convert and a multiply-add per lane.
template <class T>
FASTREG_INLINE T i8raw_dot_impl(const std::int8_t* FASTREG_RESTRICT x, const T* FASTREG_RESTRICT v,
                                const T* FASTREG_RESTRICT r, index_t n) {
    T acc[LANES] = {};
    index_t i = 0;
    if (v) {
        for (; i + LANES <= n; i += LANES)
            for (index_t l = 0; l < LANES; ++l)
                acc[l] += T(std::int32_t(x[i + l])) * v[i + l] * r[i + l];
        for (index_t l = 0; i < n; ++i, ++l) acc[l] += T(std::int32_t(x[i])) * v[i] * r[i];
    } else {
        for (; i + LANES <= n; i += LANES)
            for (index_t l = 0; l < LANES; ++l) acc[l] += T(std::int32_t(x[i + l])) * r[i + l];
        for (index_t l = 0; i < n; ++i, ++l) acc[l] += T(std::int32_t(x[i])) * r[i];
    }
    return reduce(acc);
}

template <class T>
FASTREG_INLINE void i8raw_axpby_impl(const std::int8_t* FASTREG_RESTRICT x, T a, T b,
                                     T* FASTREG_RESTRICT r, index_t n) {
    if (b == T(0)) {
        for (index_t i = 0; i < n; ++i) r[i] += a * T(std::int32_t(x[i]));
    } else {
        for (index_t i = 0; i < n; ++i) r[i] += a * T(std::int32_t(x[i])) + b;
    }
}

// r_i += a x_i + b, then sum_i y_i v_i r_i over the updated r: i8raw_axpby then i8raw_dot
// (another column y) in one pass over r, with their lanes and operations, bit for bit.
template <class T, bool Shift, bool Weighted>
FASTREG_INLINE T i8raw_axpby_dot_loop(const std::int8_t* FASTREG_RESTRICT x, T a, T b,
                                      const std::int8_t* FASTREG_RESTRICT y,
                                      const T* FASTREG_RESTRICT v, T* FASTREG_RESTRICT r,
                                      index_t n) {
    T acc[LANES] = {};
    auto step = [&](index_t i, index_t l) {
        const T xi = T(std::int32_t(x[i]));
        const T ri = Shift ? r[i] + (a * xi + b) : r[i] + a * xi;
        r[i] = ri;
        acc[l] += Weighted ? T(std::int32_t(y[i])) * v[i] * ri : T(std::int32_t(y[i])) * ri;
    };
    index_t i = 0;
    for (; i + LANES <= n; i += LANES)
        for (index_t l = 0; l < LANES; ++l) step(i + l, l);
    for (index_t l = 0; i < n; ++i, ++l) step(i, l);
    return reduce(acc);
}

template <class T>
FASTREG_INLINE T i8raw_axpby_dot_impl(const std::int8_t* x, T a, T b, const std::int8_t* y,
                                      const T* v, T* r, index_t n) {
    if (b == T(0))
        return v ? i8raw_axpby_dot_loop<T, false, true>(x, a, b, y, v, r, n)
                 : i8raw_axpby_dot_loop<T, false, false>(x, a, b, y, v, r, n);
    return v ? i8raw_axpby_dot_loop<T, true, true>(x, a, b, y, v, r, n)
             : i8raw_axpby_dot_loop<T, true, false>(x, a, b, y, v, r, n);
}

template <class T>
FASTREG_INLINE T bed_dot_any(const std::uint8_t* x, T m, bool missing, const T* v, const T* r,
                             index_t n) {
    if (v)
        return missing ? bed_dot_impl<T, true, true>(x, m, v, r, n)
                       : bed_dot_impl<T, true, false>(x, m, v, r, n);
    return missing ? bed_dot_impl<T, false, true>(x, m, v, r, n)
                   : bed_dot_impl<T, false, false>(x, m, v, r, n);
}

#if FASTREG_X86_SIMD
// AVX-512, double: 16 samples a step, as two registers of 8 lanes (lanes 0-7 and 8-15 of
// the portable kernels' 16). Imputed = a missing entry (above 2 as unsigned) read as m.

// 16 int8 dosages as two vectors of double, the missing ones replaced by m when Imputed
template <bool Imputed>
FASTREG_AVX512 FASTREG_INLINE void load16(const std::int8_t* x, __m512d m, __m512d& lo, __m512d& hi) {
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x));
    const __m512i d = _mm512_cvtepi8_epi32(b);
    lo = _mm512_cvtepi32_pd(_mm512_castsi512_si256(d));
    hi = _mm512_cvtepi32_pd(_mm512_extracti64x4_epi64(d, 1));
    if (Imputed) {
        const __mmask16 miss = _mm_cmpgt_epu8_mask(b, _mm_set1_epi8(2));
        lo = _mm512_mask_mov_pd(lo, __mmask8(miss & 0xFF), m);
        hi = _mm512_mask_mov_pd(hi, __mmask8(miss >> 8), m);
    }
}

template <bool Imputed, bool Weighted>
FASTREG_AVX512 double i8_dot_avx512(const std::int8_t* x, double m, const double* v,
                                    const double* r, index_t n) {
    const __m512d mv = _mm512_set1_pd(m);
    __m512d a0 = _mm512_setzero_pd(), a1 = _mm512_setzero_pd();
    index_t i = 0;
    for (; i + LANES <= n; i += LANES) {
        __m512d lo, hi;
        load16<Imputed>(x + i, mv, lo, hi);
        if (Weighted) {
            lo = _mm512_mul_pd(lo, _mm512_loadu_pd(v + i));
            hi = _mm512_mul_pd(hi, _mm512_loadu_pd(v + i + 8));
        }
        a0 = _mm512_add_pd(a0, _mm512_mul_pd(lo, _mm512_loadu_pd(r + i)));
        a1 = _mm512_add_pd(a1, _mm512_mul_pd(hi, _mm512_loadu_pd(r + i + 8)));
    }
    alignas(64) double acc[LANES];
    _mm512_store_pd(acc, a0);
    _mm512_store_pd(acc + 8, a1);
    for (index_t l = 0; i < n; ++i, ++l) {
        const double xi = Imputed ? i8_value(x[i], m) : double(std::int32_t(x[i]));
        acc[l] += Weighted ? xi * v[i] * r[i] : xi * r[i];
    }
    return reduce(acc);
}

template <bool Imputed>
FASTREG_AVX512 void i8_axpby_avx512(const std::int8_t* x, double m, double a, double b,
                                    double* r, index_t n) {
    const __m512d mv = _mm512_set1_pd(m), av = _mm512_set1_pd(a), bv = _mm512_set1_pd(b);
    const bool shift = b != 0.0;
    index_t i = 0;
    for (; i + LANES <= n; i += LANES) {
        __m512d lo, hi;
        load16<Imputed>(x + i, mv, lo, hi);
        lo = _mm512_mul_pd(av, lo);
        hi = _mm512_mul_pd(av, hi);
        if (shift) {
            lo = _mm512_add_pd(lo, bv);
            hi = _mm512_add_pd(hi, bv);
        }
        _mm512_storeu_pd(r + i, _mm512_add_pd(_mm512_loadu_pd(r + i), lo));
        _mm512_storeu_pd(r + i + 8, _mm512_add_pd(_mm512_loadu_pd(r + i + 8), hi));
    }
    for (; i < n; ++i) {
        const double xi = Imputed ? i8_value(x[i], m) : double(std::int32_t(x[i]));
        r[i] += shift ? a * xi + b : a * xi;
    }
}

template <bool Weighted>
FASTREG_AVX512 double i8raw_axpby_dot_avx512(const std::int8_t* x, double a, double b,
                                             const std::int8_t* y, const double* v, double* r,
                                             index_t n) {
    const __m512d mv = _mm512_setzero_pd(), av = _mm512_set1_pd(a), bv = _mm512_set1_pd(b);
    const bool shift = b != 0.0;
    __m512d a0 = _mm512_setzero_pd(), a1 = _mm512_setzero_pd();
    index_t i = 0;
    for (; i + LANES <= n; i += LANES) {
        __m512d lo, hi, ylo, yhi;
        load16<false>(x + i, mv, lo, hi);
        load16<false>(y + i, mv, ylo, yhi);
        lo = _mm512_mul_pd(av, lo);
        hi = _mm512_mul_pd(av, hi);
        if (shift) {
            lo = _mm512_add_pd(lo, bv);
            hi = _mm512_add_pd(hi, bv);
        }
        const __m512d r0 = _mm512_add_pd(_mm512_loadu_pd(r + i), lo);
        const __m512d r1 = _mm512_add_pd(_mm512_loadu_pd(r + i + 8), hi);
        _mm512_storeu_pd(r + i, r0);
        _mm512_storeu_pd(r + i + 8, r1);
        if (Weighted) {
            ylo = _mm512_mul_pd(ylo, _mm512_loadu_pd(v + i));
            yhi = _mm512_mul_pd(yhi, _mm512_loadu_pd(v + i + 8));
        }
        a0 = _mm512_add_pd(a0, _mm512_mul_pd(ylo, r0));
        a1 = _mm512_add_pd(a1, _mm512_mul_pd(yhi, r1));
    }
    alignas(64) double acc[LANES];
    _mm512_store_pd(acc, a0);
    _mm512_store_pd(acc + 8, a1);
    for (index_t l = 0; i < n; ++i, ++l) {
        const double xi = double(std::int32_t(x[i])), yi = double(std::int32_t(y[i]));
        const double ri = shift ? r[i] + (a * xi + b) : r[i] + a * xi;
        r[i] = ri;
        acc[l] += Weighted ? yi * v[i] * ri : yi * ri;
    }
    return reduce(acc);
}

// .bed, double (also needs AVX512_VBMI): 64 samples (16 bytes) a step, decoded in
// registers: each 64-bit lane takes two bytes (eight samples), vpmultishiftqb moves sample
// k's two bits to byte k, a byte shuffle maps codes to dosages (missing as 0, the dosage
// table's) and a compare gives the missing ones. Then bed_dot_impl's arithmetic, 16 lanes
// (sample i in lane i mod 16), and its own code for the last samples.
// 16 samples from i (dosages dg, missing mask mg) into the partial sums
template <bool Weighted, bool Missing>
FASTREG_AVX512 FASTREG_INLINE void bed_group(__m128i dg, __mmask16 mg, const double* v, const double* r,
                                             index_t i, __m512d& a0, __m512d& a1, __m512d& m0,
                                             __m512d& m1) {
    const __m512i d32 = _mm512_cvtepi8_epi32(dg);
    const __m512d lo = _mm512_cvtepi32_pd(_mm512_castsi512_si256(d32));
    const __m512d hi = _mm512_cvtepi32_pd(_mm512_extracti64x4_epi64(d32, 1));
    __m512d w0 = _mm512_loadu_pd(r + i), w1 = _mm512_loadu_pd(r + i + 8);
    if (Weighted) {
        w0 = _mm512_mul_pd(_mm512_loadu_pd(v + i), w0);
        w1 = _mm512_mul_pd(_mm512_loadu_pd(v + i + 8), w1);
    }
    a0 = _mm512_add_pd(a0, _mm512_mul_pd(lo, w0));
    a1 = _mm512_add_pd(a1, _mm512_mul_pd(hi, w1));
    if (Missing) {
        m0 = _mm512_mask_add_pd(m0, __mmask8(mg & 0xFF), m0, w0);
        m1 = _mm512_mask_add_pd(m1, __mmask8(mg >> 8), m1, w1);
    }
}

template <bool Weighted, bool Missing>
FASTREG_AVX512_VBMI double bed_dot_avx512(
    const std::uint8_t* x, double m, const double* v, const double* r, index_t n) {
    const __m512i offsets = _mm512_set1_epi64(0x0E0C0A0806040200LL);
    const __m512i three = _mm512_set1_epi8(3), one = _mm512_set1_epi8(1);
    // code -> dosage of A1 (BED_CODE, missing as 0), in each 128-bit lane
    const __m512i dosage = _mm512_broadcast_i32x4(_mm_setr_epi8(2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    __m512d a0 = _mm512_setzero_pd(), a1 = _mm512_setzero_pd();
    __m512d m0 = _mm512_setzero_pd(), m1 = _mm512_setzero_pd();
    const index_t full = n / 4;
    index_t b = 0;
    for (; b + 16 <= full; b += 16) {
        const __m512i q = _mm512_cvtepu16_epi64(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + b)));
        const __m512i codes = _mm512_and_si512(_mm512_multishift_epi64_epi8(offsets, q), three);
        const __m512i d = _mm512_shuffle_epi8(dosage, codes);
        const __mmask64 miss = Missing ? _mm512_cmpeq_epi8_mask(codes, one) : 0;
        const index_t i0 = 4 * b;
        const auto G = bed_group<Weighted, Missing>;
        G(_mm512_extracti32x4_epi32(d, 0), __mmask16(miss), v, r, i0, a0, a1, m0, m1);
        G(_mm512_extracti32x4_epi32(d, 1), __mmask16(miss >> 16), v, r, i0 + 16, a0, a1, m0, m1);
        G(_mm512_extracti32x4_epi32(d, 2), __mmask16(miss >> 32), v, r, i0 + 32, a0, a1, m0, m1);
        G(_mm512_extracti32x4_epi32(d, 3), __mmask16(miss >> 48), v, r, i0 + 48, a0, a1, m0, m1);
    }
    alignas(64) double acc[LANES], accm[LANES];
    _mm512_store_pd(acc, a0);
    _mm512_store_pd(acc + 8, a1);
    _mm512_store_pd(accm, m0);
    _mm512_store_pd(accm + 8, m1);
    bed_dot_tail<double, Weighted, Missing>(x, v, r, n, b, acc, accm);
    const double s = reduce(acc);
    return Missing ? s + m * reduce(accm) : s;
}
// Missing entries (above 2 as unsigned) of 64 samples at a time, as a mask
// The scans of whole columns (missing samples, counts) run once per fit over all of X,
// column after column: without a hint they waited on their loads, the hardware prefetcher
// stopping at each page (quantized_kernels.cpp's passes did the same). Two columns ahead at
// n = 2,000.
constexpr index_t SCAN_AHEAD = 4096;

FASTREG_AVX512 void i8_missing_avx512(const std::int8_t* x, index_t n, std::vector<std::int32_t>& out) {
    const __m512i two = _mm512_set1_epi8(2);
    index_t i = 0;
    for (; i + 64 <= n; i += 64) {
        _mm_prefetch(reinterpret_cast<const char*>(x + i + SCAN_AHEAD), _MM_HINT_T0);
        std::uint64_t m = _mm512_cmpgt_epu8_mask(_mm512_loadu_si512(x + i), two);
        for (; m; m &= m - 1) out.push_back(std::int32_t(i + __builtin_ctzll(m)));
    }
    for (; i < n; ++i)
        if (std::uint8_t(x[i]) > 2u) out.push_back(std::int32_t(i));
}

// Dosages 0, 1, 2 among 64 samples at a time: compares to masks, then their popcounts
FASTREG_AVX512 void i8_counts_avx512(const std::int8_t* x, index_t n, std::int64_t out[3]) {
    const __m512i zero = _mm512_setzero_si512(), one = _mm512_set1_epi8(1), two = _mm512_set1_epi8(2);
    std::int64_t c0 = 0, c1 = 0, c2 = 0;
    index_t i = 0;
    for (; i + 64 <= n; i += 64) {
        _mm_prefetch(reinterpret_cast<const char*>(x + i + SCAN_AHEAD), _MM_HINT_T0);
        const __m512i v = _mm512_loadu_si512(x + i);
        c0 += __builtin_popcountll(_mm512_cmpeq_epi8_mask(v, zero));
        c1 += __builtin_popcountll(_mm512_cmpeq_epi8_mask(v, one));
        c2 += __builtin_popcountll(_mm512_cmpeq_epi8_mask(v, two));
    }
    for (; i < n; ++i) {
        c0 += x[i] == 0;
        c1 += x[i] == 1;
        c2 += x[i] == 2;
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
}
// 64 dosages to 16 bytes of .bed codes: a byte shuffle maps min(u, 3) to the code, then two
// multiply-adds put each four codes into one byte (c0 + 4 c1 + 16 c2 + 64 c3)
FASTREG_AVX512 void i8_to_bed_avx512(const std::int8_t* x, index_t n, std::uint8_t* out) {
    const __m512i table = _mm512_broadcast_i32x4(_mm_setr_epi8(3, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    const __m512i three = _mm512_set1_epi8(3), by4 = _mm512_set1_epi16(0x0401),
                  by16 = _mm512_set1_epi32(0x00100001);
    index_t i = 0;
    for (; i + 64 <= n; i += 64) {
        _mm_prefetch(reinterpret_cast<const char*>(x + i + SCAN_AHEAD), _MM_HINT_T0);
        const __m512i u = _mm512_min_epu8(_mm512_loadu_si512(x + i), three);
        const __m512i c = _mm512_shuffle_epi8(table, u);
        const __m512i pairs = _mm512_maddubs_epi16(c, by4);
        const __m512i quads = _mm512_madd_epi16(pairs, by16);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i / 4), _mm512_cvtepi32_epi8(quads));
    }
    i8_to_bed_portable(x + i, n - i, out + i / 4);
}
#endif  // FASTREG_X86_SIMD

// The same, portably: 32-bit counters (a compare-and-add the compiler vectorizes four times
// wider than into 64-bit ones), summed per block of 2^30 samples.
FASTREG_CLONES void i8_counts_portable(const std::int8_t* x, index_t n, std::int64_t out[3]) {
    std::int64_t c[3] = {0, 0, 0};
    constexpr index_t BLOCK = index_t(1) << 30;
    for (index_t i0 = 0; i0 < n; i0 += BLOCK) {
        const index_t e = std::min(n, i0 + BLOCK);
        std::uint32_t c0 = 0, c1 = 0, c2 = 0;
        for (index_t i = i0; i < e; ++i) {
            c0 += x[i] == 0;
            c1 += x[i] == 1;
            c2 += x[i] == 2;
        }
        c[0] += c0;
        c[1] += c1;
        c[2] += c2;
    }
    for (int k = 0; k < 3; ++k) out[k] = c[k];
}

// The same, portably: a block's mask built without branches, then its set bits.
FASTREG_CLONES void i8_missing_portable(const std::int8_t* x, index_t n, std::vector<std::int32_t>& out) {
    index_t i = 0;
    for (; i + 64 <= n; i += 64) {
        std::uint64_t m = 0;
        for (index_t k = 0; k < 64; ++k) m |= std::uint64_t(std::uint8_t(x[i + k]) > 2u) << k;
        for (; m; m &= m - 1) out.push_back(std::int32_t(i + __builtin_ctzll(m)));
    }
    for (; i < n; ++i)
        if (std::uint8_t(x[i]) > 2u) out.push_back(std::int32_t(i));
}

// The portable int8 kernels, compiled per instruction set.
#define FASTREG_I8_PORTABLE(T)                                                                   \
    FASTREG_CLONES T i8_dot_portable(const std::int8_t* x, T m, const T* v, const T* r,          \
                                     index_t n) {                                                \
        return i8_dot_impl(x, m, v, r, n);                                                       \
    }                                                                                            \
    FASTREG_CLONES void i8_axpby_portable(const std::int8_t* x, T m, T a, T b, T* r, index_t n) { \
        i8_axpby_impl(x, m, a, b, r, n);                                                         \
    }                                                                                            \
    FASTREG_CLONES T i8raw_dot_portable(const std::int8_t* x, const T* v, const T* r, index_t n) { \
        return i8raw_dot_impl(x, v, r, n);                                                       \
    }                                                                                            \
    FASTREG_CLONES void i8raw_axpby_portable(const std::int8_t* x, T a, T b, T* r, index_t n) {  \
        i8raw_axpby_impl(x, a, b, r, n);                                                         \
    }                                                                                            \
    FASTREG_CLONES T i8raw_axpby_dot_portable(const std::int8_t* x, T a, T b, const std::int8_t* y, \
                                              const T* v, T* r, index_t n) {                     \
        return i8raw_axpby_dot_impl(x, a, b, y, v, r, n);                                        \
    }
FASTREG_I8_PORTABLE(float)
FASTREG_I8_PORTABLE(double)
#undef FASTREG_I8_PORTABLE

// Columns decoded whole (the shared passes' input, cd/shared_passes.hpp), a select per
// sample that the clones vectorize: the generic decode's 4-entry table read per sample did
// not (11 % of a many-target int8 fit's time).
FASTREG_CLONES void i8_decode_portable(const std::int8_t* x, float m, float* out, index_t n) {
    i8_decode(x, m, out, n);
}
FASTREG_CLONES void i8_decode_portable(const std::int8_t* x, double m, double* out, index_t n) {
    i8_decode(x, m, out, n);
}
FASTREG_CLONES void bed_decode_portable(const std::uint8_t* x, float m, float* out, index_t n) {
    bed_decode_impl(x, m, out, n);
}
FASTREG_CLONES void bed_decode_portable(const std::uint8_t* x, double m, double* out, index_t n) {
    bed_decode_impl(x, m, out, n);
}

FASTREG_CLONES float bed_dot_portable(const std::uint8_t* x, float m, bool missing, const float* v,
                                      const float* r, index_t n) {
    return bed_dot_any(x, m, missing, v, r, n);
}
FASTREG_CLONES double bed_dot_portable(const std::uint8_t* x, double m, bool missing, const double* v,
                                       const double* r, index_t n) {
    return bed_dot_any(x, m, missing, v, r, n);
}

}  // namespace

bool i8_avx512() {
#if FASTREG_X86_SIMD
    static const bool on = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
    }();
    return on;
#else
    return false;
#endif
}

float i8_dot(const std::int8_t* x, float m, const float* v, const float* r, index_t n) {
    return i8_dot_portable(x, m, v, r, n);
}
void i8_axpby(const std::int8_t* x, float m, float a, float b, float* r, index_t n) {
    i8_axpby_portable(x, m, a, b, r, n);
}
float i8raw_dot(const std::int8_t* x, const float* v, const float* r, index_t n) {
    return i8raw_dot_portable(x, v, r, n);
}
void i8raw_axpby(const std::int8_t* x, float a, float b, float* r, index_t n) {
    i8raw_axpby_portable(x, a, b, r, n);
}

double i8_dot(const std::int8_t* x, double m, const double* v, const double* r, index_t n,
              bool portable) {
#if FASTREG_X86_SIMD
    if (!portable && i8_avx512())
        return v ? i8_dot_avx512<true, true>(x, m, v, r, n) : i8_dot_avx512<true, false>(x, m, v, r, n);
#endif
    (void)portable;
    return i8_dot_portable(x, m, v, r, n);
}
void i8_axpby(const std::int8_t* x, double m, double a, double b, double* r, index_t n,
              bool portable) {
#if FASTREG_X86_SIMD
    if (!portable && i8_avx512()) return i8_axpby_avx512<true>(x, m, a, b, r, n);
#endif
    (void)portable;
    i8_axpby_portable(x, m, a, b, r, n);
}
double i8raw_dot(const std::int8_t* x, const double* v, const double* r, index_t n,
                 bool portable) {
#if FASTREG_X86_SIMD
    if (!portable && i8_avx512())
        return v ? i8_dot_avx512<false, true>(x, 0.0, v, r, n) : i8_dot_avx512<false, false>(x, 0.0, v, r, n);
#endif
    (void)portable;
    return i8raw_dot_portable(x, v, r, n);
}
void i8raw_axpby(const std::int8_t* x, double a, double b, double* r, index_t n, bool portable) {
#if FASTREG_X86_SIMD
    if (!portable && i8_avx512()) return i8_axpby_avx512<false>(x, 0.0, a, b, r, n);
#endif
    (void)portable;
    i8raw_axpby_portable(x, a, b, r, n);
}

float i8raw_axpby_dot(const std::int8_t* x, float a, float b, const std::int8_t* y,
                      const float* v, float* r, index_t n) {
    return i8raw_axpby_dot_portable(x, a, b, y, v, r, n);
}
double i8raw_axpby_dot(const std::int8_t* x, double a, double b, const std::int8_t* y,
                       const double* v, double* r, index_t n, bool portable) {
#if FASTREG_X86_SIMD
    if (!portable && i8_avx512())
        return v ? i8raw_axpby_dot_avx512<true>(x, a, b, y, v, r, n)
                 : i8raw_axpby_dot_avx512<false>(x, a, b, y, v, r, n);
#endif
    (void)portable;
    return i8raw_axpby_dot_portable(x, a, b, y, v, r, n);
}

void i8_missing(const std::int8_t* x, index_t n, std::vector<std::int32_t>& out, bool portable) {
#if FASTREG_X86_SIMD
    if (!portable && i8_avx512()) return i8_missing_avx512(x, n, out);
#endif
    (void)portable;
    i8_missing_portable(x, n, out);
}

// 32 samples (eight bytes) a step, a popcount per code: 3x faster than a table of packed
// counts read a byte at a time (66 against 22 ms over 2,000 x 200,000 on two threads).
FASTREG_CLONES void bed_counts(const std::uint8_t* x, index_t n, std::int64_t out[4]) {
    std::int64_t hom0 = 0, het = 0, miss = 0;
    for (index_t k = 0; k < n / 32; ++k) {
        const std::uint64_t w = bed_word(x + 8 * k);
        hom0 += __builtin_popcountll(bed_hom0_bits(w));
        het += __builtin_popcountll(bed_het_bits(w));
        miss += __builtin_popcountll(bed_missing_bits(w));
    }
    out[0] = hom0;
    out[1] = het;
    out[2] = n / 32 * 32 - hom0 - het - miss;
    out[3] = miss;
}

void i8_to_bed(const std::int8_t* x, index_t n, std::uint8_t* out, bool portable) {
#if FASTREG_X86_SIMD
    if (!portable && i8_avx512()) return i8_to_bed_avx512(x, n, out);
#endif
    (void)portable;
    i8_to_bed_portable(x, n, out);
}

void i8_counts(const std::int8_t* x, index_t n, std::int64_t out[3], bool portable) {
#if FASTREG_X86_SIMD
    if (!portable && i8_avx512()) return i8_counts_avx512(x, n, out);
#endif
    (void)portable;
    i8_counts_portable(x, n, out);
}

bool bed_avx512() {
#if FASTREG_X86_SIMD
    static const bool on = i8_avx512() && __builtin_cpu_supports("avx512vbmi");
    return on;
#else
    return false;
#endif
}

float bed_dot(const std::uint8_t* x, float m, bool missing, const float* v, const float* r,
              index_t n) {
    return bed_dot_portable(x, m, missing, v, r, n);
}
double bed_dot(const std::uint8_t* x, double m, bool missing, const double* v, const double* r,
               index_t n, bool portable) {
#if FASTREG_X86_SIMD
    if (!portable && bed_avx512()) {
        if (v)
            return missing ? bed_dot_avx512<true, true>(x, m, v, r, n)
                           : bed_dot_avx512<true, false>(x, m, v, r, n);
        return missing ? bed_dot_avx512<false, true>(x, m, v, r, n)
                       : bed_dot_avx512<false, false>(x, m, v, r, n);
    }
#endif
    (void)portable;
    return bed_dot_portable(x, m, missing, v, r, n);
}

#define FASTREG_GENO_KERNELS(T)                                                               \
    FASTREG_CLONES void bed_axpby(const std::uint8_t* x, T m, bool missing, T a, T b, T* r,   \
                                  index_t n) {                                                 \
        if (missing)                                                                           \
            bed_axpby_impl<T, true>(x, m, a, b, r, n);                                         \
        else                                                                                   \
            bed_axpby_impl<T, false>(x, m, a, b, r, n);                                        \
    }
FASTREG_GENO_KERNELS(float)
FASTREG_GENO_KERNELS(double)
#undef FASTREG_GENO_KERNELS

void i8_decode_column(const std::int8_t* x, float m, float* out, index_t n) { i8_decode_portable(x, m, out, n); }
void i8_decode_column(const std::int8_t* x, double m, double* out, index_t n) { i8_decode_portable(x, m, out, n); }
void bed_decode_column(const std::uint8_t* x, float m, float* out, index_t n) { bed_decode_portable(x, m, out, n); }
void bed_decode_column(const std::uint8_t* x, double m, double* out, index_t n) { bed_decode_portable(x, m, out, n); }

}  // namespace fastreg::matrix::geno
