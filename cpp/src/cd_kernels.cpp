// The vector primitives of fastreg/matrix/vec.hpp. Reductions keep LANES independent
// partial sums, so the compiler vectorizes them without reassociating (the build keeps IEEE
// semantics) and every clone sums in the same order: results do not depend on the CPU.
#include "fastreg/matrix/vec.hpp"

namespace fastreg::vec {

namespace {

constexpr index_t LANES = 16;

template <class T>
FASTREG_INLINE T reduce(const T* acc) {
    T s = 0;
    for (index_t k = 0; k < LANES; ++k) s += acc[k];
    return s;
}

template <class T>
FASTREG_INLINE T dot_impl(const T* FASTREG_RESTRICT x, const T* FASTREG_RESTRICT y, index_t n) {
    T acc[LANES] = {};
    index_t i = 0;
    for (; i + LANES <= n; i += LANES)
        for (index_t k = 0; k < LANES; ++k) acc[k] += x[i + k] * y[i + k];
    for (index_t k = 0; i < n; ++i, ++k) acc[k] += x[i] * y[i];
    return reduce(acc);
}

template <class T>
FASTREG_INLINE T dot3_impl(const T* FASTREG_RESTRICT x, const T* FASTREG_RESTRICT v,
                           const T* FASTREG_RESTRICT y, index_t n) {
    T acc[LANES] = {};
    index_t i = 0;
    for (; i + LANES <= n; i += LANES)
        for (index_t k = 0; k < LANES; ++k) acc[k] += x[i + k] * v[i + k] * y[i + k];
    for (index_t k = 0; i < n; ++i, ++k) acc[k] += x[i] * v[i] * y[i];
    return reduce(acc);
}

template <class T>
FASTREG_INLINE void axpy_impl(T a, const T* FASTREG_RESTRICT x, T* FASTREG_RESTRICT y, index_t n) {
    for (index_t i = 0; i < n; ++i) y[i] += a * x[i];
}

template <class T>
FASTREG_INLINE void axpby_impl(T a, const T* FASTREG_RESTRICT x, T b, T* FASTREG_RESTRICT y,
                               index_t n) {
    for (index_t i = 0; i < n; ++i) y[i] += a * x[i] + b;
}

template <class T>
FASTREG_INLINE double cdot_impl(const T* FASTREG_RESTRICT x, double cx, const T* FASTREG_RESTRICT y,
                                double cy, const T* FASTREG_RESTRICT v, index_t n) {
    constexpr index_t L = 8;
    double acc[L] = {};
    index_t i = 0;
    if (v) {
        for (; i + L <= n; i += L)
            for (index_t k = 0; k < L; ++k)
                acc[k] += double(v[i + k]) * (double(x[i + k]) - cx) * (double(y[i + k]) - cy);
        for (index_t k = 0; i < n; ++i, ++k) acc[k] += double(v[i]) * (double(x[i]) - cx) * (double(y[i]) - cy);
    } else {
        for (; i + L <= n; i += L)
            for (index_t k = 0; k < L; ++k) acc[k] += (double(x[i + k]) - cx) * (double(y[i + k]) - cy);
        for (index_t k = 0; i < n; ++i, ++k) acc[k] += (double(x[i]) - cx) * (double(y[i]) - cy);
    }
    double s = 0.0;
    for (index_t k = 0; k < L; ++k) s += acc[k];
    return s;
}

template <class T, class I>
FASTREG_INLINE T sdot_impl(const T* FASTREG_RESTRICT x, const I* FASTREG_RESTRICT idx, index_t nnz,
                           const T* FASTREG_RESTRICT y) {
    T acc[4] = {};
    index_t k = 0;
    for (; k + 4 <= nnz; k += 4)
        for (index_t l = 0; l < 4; ++l) acc[l] += x[k + l] * y[idx[k + l]];
    for (index_t l = 0; k < nnz; ++k, ++l) acc[l] += x[k] * y[idx[k]];
    return (acc[0] + acc[1]) + (acc[2] + acc[3]);
}

template <class T, class I>
FASTREG_INLINE T sdot3_impl(const T* FASTREG_RESTRICT x, const I* FASTREG_RESTRICT idx, index_t nnz,
                            const T* FASTREG_RESTRICT v, const T* FASTREG_RESTRICT y) {
    T acc[4] = {};
    index_t k = 0;
    for (; k + 4 <= nnz; k += 4)
        for (index_t l = 0; l < 4; ++l) acc[l] += x[k + l] * v[idx[k + l]] * y[idx[k + l]];
    for (index_t l = 0; k < nnz; ++k, ++l) acc[l] += x[k] * v[idx[k]] * y[idx[k]];
    return (acc[0] + acc[1]) + (acc[2] + acc[3]);
}

template <class T, class I>
FASTREG_INLINE void saxpy_impl(T a, const T* FASTREG_RESTRICT x, const I* FASTREG_RESTRICT idx,
                               index_t nnz, T* FASTREG_RESTRICT y) {
    for (index_t k = 0; k < nnz; ++k) y[idx[k]] += a * x[k];
}

}  // namespace

#define FASTREG_VEC_DENSE(T)                                                                  \
    FASTREG_CLONES T dot(const T* x, const T* y, index_t n) { return dot_impl(x, y, n); }     \
    FASTREG_CLONES T dot3(const T* x, const T* v, const T* y, index_t n) {                    \
        return dot3_impl(x, v, y, n);                                                          \
    }                                                                                          \
    FASTREG_CLONES void axpy(T a, const T* x, T* y, index_t n) { axpy_impl(a, x, y, n); }     \
    FASTREG_CLONES void axpby(T a, const T* x, T b, T* y, index_t n) { axpby_impl(a, x, b, y, n); } \
    FASTREG_CLONES double cdot(const T* x, double cx, const T* y, double cy, const T* v, index_t n) { \
        return cdot_impl(x, cx, y, cy, v, n);                                                  \
    }
FASTREG_VEC_DENSE(float)
FASTREG_VEC_DENSE(double)
#undef FASTREG_VEC_DENSE

#define FASTREG_VEC_SPARSE(T, I)                                                              \
    FASTREG_CLONES T sdot(const T* x, const I* idx, index_t nnz, const T* y) {                \
        return sdot_impl(x, idx, nnz, y);                                                      \
    }                                                                                          \
    FASTREG_CLONES T sdot3(const T* x, const I* idx, index_t nnz, const T* v, const T* y) {   \
        return sdot3_impl(x, idx, nnz, v, y);                                                  \
    }                                                                                          \
    FASTREG_CLONES void saxpy(T a, const T* x, const I* idx, index_t nnz, T* y) {             \
        saxpy_impl(a, x, idx, nnz, y);                                                         \
    }
FASTREG_VEC_SPARSE(float, std::int32_t)
FASTREG_VEC_SPARSE(double, std::int32_t)
FASTREG_VEC_SPARSE(float, std::int64_t)
FASTREG_VEC_SPARSE(double, std::int64_t)
#undef FASTREG_VEC_SPARSE

}  // namespace fastreg::vec
