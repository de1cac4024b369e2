// The contiguous genotype kernels of fastreg/matrix/genotype.hpp. As in cd_kernels.cpp,
// reductions keep independent partial sums (LANES of them) so that the compiler vectorizes
// without reassociating and every clone sums in the same order.
//
// .bed: a byte holds four samples. Two 256-entry tables give, for each byte value, the four
// samples' dosages (missing read as 0) and their missing indicators; a column's dot product
// is then sum_i dosage_i r_i + m sum_i missing_i r_i, four lanes per byte from one table
// row (a plain vector load), and the second sum is skipped for a column without missing
// entries. The tables take 2 x 256 x 4 values (16 KiB for double): they stay in L1.
#include "fastreg/matrix/genotype.hpp"

#include <algorithm>
#include <array>

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

// sum over the samples of one column: D[i] r_i (acc) and M[i] r_i (accm), with v when given
template <class T, bool Weighted, bool Missing>
FASTREG_INLINE T bed_dot_impl(const std::uint8_t* FASTREG_RESTRICT x, T m, const T* FASTREG_RESTRICT v,
                              const T* FASTREG_RESTRICT r, index_t n) {
    const auto& D = Tables<T>::dosage.v;
    const auto& M = Tables<T>::missing.v;
    T acc[LANES] = {}, accm[LANES] = {};
    const index_t full = n / 4;  // bytes with four samples
    constexpr index_t BYTES = LANES / 4;
    index_t b = 0;
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

template <class T>
FASTREG_INLINE T bed_dot_any(const std::uint8_t* x, T m, bool missing, const T* v, const T* r,
                             index_t n) {
    if (v)
        return missing ? bed_dot_impl<T, true, true>(x, m, v, r, n)
                       : bed_dot_impl<T, true, false>(x, m, v, r, n);
    return missing ? bed_dot_impl<T, false, true>(x, m, v, r, n)
                   : bed_dot_impl<T, false, false>(x, m, v, r, n);
}

}  // namespace

#define FASTREG_GENO_KERNELS(T)                                                               \
    FASTREG_CLONES T i8_dot(const std::int8_t* x, T m, const T* v, const T* r, index_t n) {  \
        return i8_dot_impl(x, m, v, r, n);                                                     \
    }                                                                                          \
    FASTREG_CLONES void i8_axpby(const std::int8_t* x, T m, T a, T b, T* r, index_t n) {      \
        i8_axpby_impl(x, m, a, b, r, n);                                                       \
    }                                                                                          \
    FASTREG_CLONES T i8raw_dot(const std::int8_t* x, const T* v, const T* r, index_t n) {    \
        return i8raw_dot_impl(x, v, r, n);                                                     \
    }                                                                                          \
    FASTREG_CLONES void i8raw_axpby(const std::int8_t* x, T a, T b, T* r, index_t n) {        \
        i8raw_axpby_impl(x, a, b, r, n);                                                       \
    }                                                                                          \
    FASTREG_CLONES T bed_dot(const std::uint8_t* x, T m, bool missing, const T* v, const T* r, \
                             index_t n) {                                                      \
        return bed_dot_any(x, m, missing, v, r, n);                                            \
    }                                                                                          \
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

}  // namespace fastreg::matrix::geno
