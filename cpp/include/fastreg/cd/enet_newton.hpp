// Newton steps on the nonzero coefficients, for nearly collinear working sets;
// EnetSolver's, out of line.
// (Included by cd/enet.hpp after the class.)
#ifndef FASTREG_CD_ENET_NEWTON_HPP
#define FASTREG_CD_ENET_NEWTON_HPP

namespace fastreg::cd {

// Newton steps. Coordinate descent converges slowly where the working set's columns are
// nearly collinear: uncentered dosages without an intercept (every column carries the
// mean), or nearly as many nonzeros as samples. There, with the nonzero coefficients'
// signs fixed, the objective is a quadratic in them, and its minimizer solves
//     (X~_S^T V X~_S + l2 diag(pf_S)) d = g_S - l2 pf_S w_S - l1 pf_S sign(w_S)
// (S the nonzero coefficients, g their gradients). Conjugate gradients solve it with
// products by X~_S and X~_S^T, an epoch's cost each and no Gram matrix; their rate
// goes with the square root of the condition number where coordinate descent's goes
// with the condition number. The step goes along d as far as no sign changes, one
// coefficient reaching zero where one would (the objective is that quadratic on the
// way, and falls all along it); it is kept only when the objective fell. In double
// only (float32's products would carry its rounding into every direction).
// A step costs up to NEWTON_CG_ITER epochs, so it is weighed, from NEWTON_AFTER epochs
// at one alpha on and every NEWTON_WEIGH_EVERY after, against the epochs the last two
// checks' gaps predict (GapTrend), and taken when those are more than half its cost;
// at once, unweighed, when the path's last step ended its alpha's solve.
// Returns true when it took the whole step (the nonzeros' problem solved).
// (Dosages without an intercept, n = 1,000, p = 20,000, 100 alphas: 45 alphas stopped
// at max_iter in 29.5 s before, all converge in 5.1 s. Taken at every 30 epochs
// unweighed, steps made the Gaussian benchmark path 19 % slower; weighed, that path
// takes none.)

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
