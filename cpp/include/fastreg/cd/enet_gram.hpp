// The Gram mode: coordinate descent with covariance updates, for dense X with many more
// samples than features; EnetSolver's, out of line.
// (Included by cd/enet.hpp after the class.)
#ifndef FASTREG_CD_ENET_GRAM_HPP
#define FASTREG_CD_ENET_GRAM_HPP

namespace fastreg::cd {

// Coordinate descent with covariance updates (scikit-learn's enet_coordinate_descent_gram):
// g = q - Q w is kept up to date, O(p) per coefficient change; the gap comes from
// quadratic forms. The same stopping rule as with residual updates.
template <class T, class M>
typename EnetSolver<T, M>::FitInfo EnetSolver<T, M>::solve_gram(double l1, double l2) {
    FitInfo info;
    const double tol_s = opt_.tol * ynorm2_;
    quadratic_sums();
    info.gap = gap_all(l1, l2);
    if (info.gap <= tol_s) {
        info.converged = true;
        return info;
    }
    const index_t max_iter = opt_.max_iter;
    for (index_t iter = 1; iter <= max_iter; ++iter) {
        stop::checkpoint();
        double dw_max = 0.0, w_max = 0.0;
        for (index_t f = 0; f < p_; ++f) {
            const index_t j = opt_.random ? draw(p_) : f;
            if (nrm_[j] <= 0.0) continue;
            const double wj = w_[j];
            const double wn = coordinate_minimizer(g_[j] + nrm_[j] * wj, j, l1, l2);
            if (wn != wj) {
                const double d = wn - wj;
                const double* Qj = Q_.data() + j * p_;
                for (index_t k = 0; k < p_; ++k) g_[k] -= d * Qj[k];
                w_[j] = wn;
            }
            dw_max = std::max(dw_max, std::fabs(wn - wj));
            w_max = std::max(w_max, std::fabs(wn));
        }
        info.n_iter = iter;
        ++epochs_;
        const bool last = iter == max_iter;
        if (!(w_max == 0.0 || dw_max / w_max <= opt_.tol || last)) continue;
        quadratic_sums();
        info.gap = gap_all(l1, l2);
        if (info.gap <= tol_s) {
            info.converged = true;
            break;
        }
    }
    return info;
}

// Rn2 = sum v r^2 = |y~|^2 - 2 w.q + w'Qw and Ry = sum v r y~ = |y~|^2 - w.q, with
// Qw = q - g.
template <class T, class M>
void EnetSolver<T, M>::quadratic_sums() {
    double wq = 0.0, wqw = 0.0;
    for (index_t j = 0; j < p_; ++j)
        if (w_[j] != 0.0) {
            wq += w_[j] * q_[j];
            wqw += w_[j] * (q_[j] - g_[j]);
        }
    Rn2_ = std::max(0.0, ynorm2_ - 2.0 * wq + wqw);
    Ry_ = ynorm2_ - wq;
    S_ = 0.0;
}

// Q = X~^T V X~ and q = X~^T V (y - ybar): n p^2 / 2 multiply-adds, in parallel over
// columns; counted as one pass over X.
template <class T, class M>
void EnetSolver<T, M>::build_gram() {
    if constexpr (matrix::has_float_columns<M, T>::value) {
        Q_.assign(std::size_t(p_) * std::size_t(p_), 0.0);
        q_.assign(p_, 0.0);
        const double scale = v_ ? 1.0 : inv_n_;
        const int nt = threads(n_ * p_ * (p_ + 1) / 2);
        auto row = [&](index_t j) {
            if (nrm_[j] <= 0.0) return;
            const T* xj = X_.col(j);
            q_[j] = vec::cdot(xj, mu_[j], y_, ybar_, v_, n_) * scale / s_[j];
            for (index_t k = j; k < p_; ++k) {
                if (nrm_[k] <= 0.0) continue;
                const double d = k == j ? nrm_[j]
                                        : vec::cdot(xj, mu_[j], X_.col(k), mu_[k], v_, n_) *
                                              scale / (s_[j] * s_[k]);
                Q_[std::size_t(j) * p_ + k] = Q_[std::size_t(k) * p_ + j] = d;
            }
        };
        parallel_for(p_, nt, 1, row);
        ++passes_;
    }
}

}  // namespace fastreg::cd

#endif  // FASTREG_CD_ENET_GRAM_HPP
