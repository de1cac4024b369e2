// Column access to a design matrix X (n rows, p columns) that is never copied or modified:
// dense column-major (F-ordered, any leading dimension) or CSC sparse. The solvers work with
// x~_j = (x_j - mu_j) / s_j (implicit centering and scaling); the views only provide raw
// column operations and column statistics, the offsets and scales live with the solver.
#ifndef FASTREG_MATRIX_DESIGN_HPP
#define FASTREG_MATRIX_DESIGN_HPP

#include "fastreg/common.hpp"
#include "fastreg/matrix/vec.hpp"

#include <cstdint>
#include <type_traits>
#include <utility>

namespace fastreg::matrix {

// Designs whose column j is a contiguous array of T, X.col(j) (dense float): what the
// solver's Gram mode reads. Other dense-like designs (genotypes) run without it.
template <class M, class T, class = void>
struct has_float_columns : std::false_type {};
template <class M, class T>
struct has_float_columns<M, T, std::void_t<decltype(std::declval<const M&>().col(index_t(0)))>>
    : std::is_same<decltype(std::declval<const M&>().col(index_t(0))), const T*> {};

// Statistics of column j under weights v (summing to 1; null = 1/n each):
// mean = sum_i v_i x_ij, ssq = sum_i v_i (x_ij - c)^2 with c = mean when centered, else 0.
// Accumulated in double, two passes over the column (the second one from cache).
struct ColumnStats {
    double mean = 0.0;
    double ssq = 0.0;
};

template <class T>
struct Dense {
    static constexpr bool sparse = false;
    const T* data = nullptr;
    index_t n = 0, p = 0, ld = 0;  // column j starts at data + j * ld

    FASTREG_INLINE const T* col(index_t j) const { return data + j * ld; }
    FASTREG_INLINE index_t nnz(index_t) const { return n; }
    index_t total_nnz() const { return n * p; }

    // sum_i x_ij r_i, and sum_i x_ij v_i r_i
    FASTREG_INLINE T dot(index_t j, const T* r) const { return vec::dot(col(j), r, n); }
    FASTREG_INLINE T dot(index_t j, const T* v, const T* r) const { return vec::dot3(col(j), v, r, n); }
    // r_i += a x_ij + b (b is applied to every row: dense only)
    FASTREG_INLINE void axpy(index_t j, T a, T b, T* r) const {
        if (b == T(0))
            vec::axpy(a, col(j), r, n);
        else
            vec::axpby(a, col(j), b, r, n);
    }

    // f(i, x_ij) for the stored entries of column j
    template <class F>
    FASTREG_INLINE void for_each(index_t j, F&& f) const {
        const T* x = col(j);
        for (index_t i = 0; i < n; ++i) f(i, x[i]);
    }

    ColumnStats stats(index_t j, const T* v, bool center) const {
        const T* x = col(j);
        ColumnStats s;
        double m = 0.0;
        if (v) {
            for (index_t i = 0; i < n; ++i) m += double(v[i]) * double(x[i]);
        } else {
            for (index_t i = 0; i < n; ++i) m += double(x[i]);
            m /= double(n);
        }
        s.mean = m;
        const double c = center ? m : 0.0;
        double q = 0.0;
        if (v) {
            for (index_t i = 0; i < n; ++i) {
                const double d = double(x[i]) - c;
                q += double(v[i]) * d * d;
            }
        } else {
            for (index_t i = 0; i < n; ++i) {
                const double d = double(x[i]) - c;
                q += d * d;
            }
            q /= double(n);
        }
        s.ssq = q;
        return s;
    }
};

// CSC: column j holds values data[indptr[j]:indptr[j+1]] at rows indices[...]. Row indices
// must lie in [0, n), without duplicates within a column (the caller checks and sums them);
// they need not be sorted.
template <class T, class I>
struct Csc {
    static constexpr bool sparse = true;
    const T* data = nullptr;
    const I* indices = nullptr;
    const I* indptr = nullptr;
    index_t n = 0, p = 0;

    FASTREG_INLINE index_t begin(index_t j) const { return index_t(indptr[j]); }
    FASTREG_INLINE index_t nnz(index_t j) const { return index_t(indptr[j + 1]) - index_t(indptr[j]); }
    index_t total_nnz() const { return index_t(indptr[p]) - index_t(indptr[0]); }

    FASTREG_INLINE T dot(index_t j, const T* r) const {
        const index_t b = begin(j);
        return vec::sdot(data + b, indices + b, nnz(j), r);
    }
    FASTREG_INLINE T dot(index_t j, const T* v, const T* r) const {
        const index_t b = begin(j);
        return vec::sdot3(data + b, indices + b, nnz(j), v, r);
    }
    // r_i += a x_ij over the stored entries (a shift of every row is the solver's business)
    FASTREG_INLINE void axpy(index_t j, T a, T* r) const {
        const index_t b = begin(j);
        vec::saxpy(a, data + b, indices + b, nnz(j), r);
    }

    template <class F>
    FASTREG_INLINE void for_each(index_t j, F&& f) const {
        const index_t b = begin(j), e = b + nnz(j);
        for (index_t k = b; k < e; ++k) f(index_t(indices[k]), data[k]);
    }

    ColumnStats stats(index_t j, const T* v, bool center) const {
        const index_t b = begin(j), e = b + nnz(j);
        ColumnStats s;
        double m = 0.0, vnz = 0.0;  // vnz: total weight of the stored rows
        for (index_t k = b; k < e; ++k) {
            const double vi = v ? double(v[indices[k]]) : 1.0;
            m += vi * double(data[k]);
            vnz += vi;
        }
        if (!v) {
            m /= double(n);
            vnz /= double(n);
        }
        s.mean = m;
        const double c = center ? m : 0.0;
        double q = 0.0;
        for (index_t k = b; k < e; ++k) {
            const double vi = v ? double(v[indices[k]]) : 1.0;
            const double d = double(data[k]) - c;
            q += vi * d * d;
        }
        if (!v) q /= double(n);
        // rows not stored are zeros: (0 - c)^2 with their total weight 1 - vnz
        const double rest = 1.0 - vnz;
        if (c != 0.0 && rest > 0.0) q += rest * c * c;
        s.ssq = q;
        return s;
    }
};

}  // namespace fastreg::matrix

#endif  // FASTREG_MATRIX_DESIGN_HPP
