// EnetSolver's residual and its column operations: r -= delta x~_j, x~_j^T v r (also fused
// with a deferred update, genotypes), the lazy centering offset and the residual's sums;
// out of line, inlined into the epochs. (Included by cd/enet.hpp after the class.)
#ifndef FASTREG_CD_ENET_RESIDUAL_HPP
#define FASTREG_CD_ENET_RESIDUAL_HPP

namespace fastreg::cd {

// (Deferred) the deferred update made, if any
template <class T, class M>
void EnetSolver<T, M>::apply(Deferred& d) {
    if (d.j >= 0) update(d.j, d.delta);
    d.j = -1;
}

// colgrad(j) once the deferred update is made
template <class T, class M>
FASTREG_INLINE double EnetSolver<T, M>::colgrad_after(Deferred& d, index_t j) {
    if (d.j < 0) return colgrad(j);
    const T a = T(-d.delta / s_[d.j]);
    const double shift = -double(a) * mu_[d.j];
    T c;
    if (!cache_.axpy_dot(d.j, a, T(0), j, v_, R_.data(), c)) {
        apply(d);
        return colgrad(j);
    }
    rho_ += shift;
    d.j = -1;
    return scaled_grad(j, v_ ? double(c) : double(c) * inv_n_);
}

// r -= delta * x~_j
// (the shift is computed from the rounded step, so that it cancels the step's effect on
// sum_i v_i r_i exactly when X is centered: in float32 a mismatch would accumulate)
template <class T, class M>
FASTREG_INLINE void EnetSolver<T, M>::update(index_t j, double delta) {
    const T a = T(-delta / s_[j]);
    const double shift = -double(a) * mu_[j];
    if (cache_.axpy(j, a, T(0), R_.data())) {  // a cached copy (genotypes)
        rho_ += shift;
        return;
    }
    if constexpr (M::sparse) {
        X_.axpy(j, a, R_.data());
        rho_ += shift;
    } else {
        X_.axpy(j, a, T(shift), R_.data());
    }
}

// x~_j^T v r
template <class T, class M>
FASTREG_INLINE double EnetSolver<T, M>::colgrad(index_t j) const {
    double d;
    if (T c; cache_.dot(j, v_, R_.data(), c))  // a cached copy (genotypes)
        d = v_ ? double(c) : double(c) * inv_n_;
    else
        d = v_ ? double(X_.dot(j, v_, R_.data())) : double(X_.dot(j, R_.data())) * inv_n_;
    return scaled_grad(j, d);
}

// x~_j^T v r from x_j^T v r
template <class T, class M>
FASTREG_INLINE double EnetSolver<T, M>::scaled_grad(index_t j, double d) const {
    if constexpr (lazy_offset) d += rho_ * mean_[j];
    d -= mu_[j] * S_;
    return d / s_[j];
}

// The lazy offset into r (O(n)).
template <class T, class M>
void EnetSolver<T, M>::fold_offset() {
    if (rho_ == 0.0) return;
    const T rho = T(rho_);
    for (index_t i = 0; i < n_; ++i) R_[i] += rho;
    rho_ = 0.0;
}

// Folds the lazy offset into r and recomputes the residual's sums.
template <class T, class M>
void EnetSolver<T, M>::refresh() {
    if constexpr (sizeof(T) < sizeof(double)) recompute_residual();
    fold_offset();
    double s = 0.0, r2 = 0.0, ry = 0.0;
    for (index_t i = 0; i < n_; ++i) {
        const double vi = weight(i), r = double(R_[i]);
        s += vi * r;
        r2 += vi * r * r;
        ry += vi * r * double(y_[i]);
    }
    S_ = s;
    Rn2_ = r2;
    Ry_ = ry - ybar_ * s;
}

}  // namespace fastreg::cd

#endif  // FASTREG_CD_ENET_RESIDUAL_HPP
