// Newton steps on the nonzero coefficients, for nearly collinear working sets;
// EnetSolver's, out of line.
// (Included by cd/enet.hpp after the class.)
#ifndef FASTREG_CD_ENET_NEWTON_HPP
#define FASTREG_CD_ENET_NEWTON_HPP

namespace fastreg::cd {

template <class T, class M>
bool EnetSolver<T, M>::newton_step(double l1, double l2) {
    newton_set_.clear();
    for (const index_t j : ws_)
        if (w_[j] != 0.0) newton_set_.push_back(j);
    const index_t m = index_t(newton_set_.size());
    if (m == 0) return false;
    fold_offset();
    std::vector<double> b(m);
    for (index_t k = 0; k < m; ++k) {
        const index_t j = newton_set_[k];
        const double pf = pf_[j];
        b[k] = colgrad(j) - l2 * pf * w_[j] - (pf > 0.0 ? std::copysign(l1 * pf, w_[j]) : 0.0);
    }
    // out = (X~_S^T V X~_S + l2 diag(pf_S)) d, through u = X~_S d in the residual's place
    const double sum_r = S_;
    auto apply = [&](const std::vector<double>& d, std::vector<double>& out) {
        R_.swap(newton_u_);
        R_.assign(std::size_t(n_), T(0));
        for (index_t k = 0; k < m; ++k)
            if (d[k] != 0.0) update(newton_set_[k], -d[k]);
        fold_offset();
        S_ = wsum(R_.data());
        for (index_t k = 0; k < m; ++k) {
            const index_t j = newton_set_[k];
            out[k] = colgrad(j) + l2 * pf_[j] * d[k];
        }
        R_.swap(newton_u_);
        S_ = sum_r;
    };
    std::vector<double> d;
    epochs_ += conjugate_gradient(b, apply, NEWTON_CG_ITER, NEWTON_CG_RTOL, d);
    // the longest step along d, up to 1, that changes no penalized coefficient's sign
    double t = 1.0;
    index_t block = -1;
    for (index_t k = 0; k < m; ++k) {
        const index_t j = newton_set_[k];
        if (pf_[j] > 0.0 && w_[j] * d[k] < 0.0 && std::fabs(d[k]) >= std::fabs(w_[j])) {
            const double tk = -w_[j] / d[k];
            if (tk < t) {
                t = tk;
                block = k;
            }
        }
    }
    const double before = primal(l1, l2);
    R_save_ = R_;
    std::vector<double> old(m);
    for (index_t k = 0; k < m; ++k) {
        const index_t j = newton_set_[k];
        old[k] = w_[j];
        const double wn = k == block ? 0.0 : w_[j] + t * d[k];
        if (wn != w_[j]) update(j, wn - w_[j]);
        w_[j] = wn;
    }
    fold_offset();
    if (primal(l1, l2) < before) {
        ++newton_steps_;
        anderson_.clear();  // its iterates came before the step
        return block < 0;
    }
    for (index_t k = 0; k < m; ++k) w_[newton_set_[k]] = old[k];
    R_.swap(R_save_);
    return false;
}

}  // namespace fastreg::cd

#endif  // FASTREG_CD_ENET_NEWTON_HPP
