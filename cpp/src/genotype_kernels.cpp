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
    const auto u = std::uint8_t(x);
    return u > 2 ? m : T(u);
}

template <class T>
FASTREG_INLINE T i8_dot_impl(const std::int8_t* FASTREG_RESTRICT x, T m, const T* FASTREG_RESTRICT v,
                             const T* FASTREG_RESTRICT r, index_t n) {
    T acc[LANES] = {};
    index_t i = 0;
    if (v) {
        for (; i + LANES <= n; i += LANES)
            for (index_t k = 0; k < LANES; ++k) acc[k] += i8_value(x[i + k], m) * v[i + k] * r[i + k];
        for (index_t k = 0; i < n; ++i, ++k) acc[k] += i8_value(x[i], m) * v[i] * r[i];
    } else {
        for (; i + LANES <= n; i += LANES)
            for (index_t k = 0; k < LANES; ++k) acc[k] += i8_value(x[i + k], m) * r[i + k];
        for (index_t k = 0; i < n; ++i, ++k) acc[k] += i8_value(x[i], m) * r[i];
    }
    return reduce(acc);
}

template <class T>
FASTREG_INLINE void i8_axpby_impl(const std::int8_t* FASTREG_RESTRICT x, T m, T a, T b,
                                  T* FASTREG_RESTRICT r, index_t n) {
    if (b == T(0)) {
        for (index_t i = 0; i < n; ++i) r[i] += a * i8_value(x[i], m);
    } else {
        for (index_t i = 0; i < n; ++i) r[i] += a * i8_value(x[i], m) + b;
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
