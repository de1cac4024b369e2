// Acceleration of EnetSolver's epochs and path: Anderson extrapolation of the epochs
// (cd/anderson.hpp keeps the history) and the path's extrapolation of the next alpha's
// start; out of line. (Newton steps: cd/enet_newton.hpp.)
// (Included by cd/enet.hpp after the class.)
#ifndef FASTREG_CD_ENET_ACCELERATION_HPP
#define FASTREG_CD_ENET_ACCELERATION_HPP

namespace fastreg::cd {

template <class T, class M>
bool EnetSolver<T, M>::anderson(const std::vector<index_t>& set, double l1, double l2) {
    const index_t m = index_t(set.size());
    if (!opt_.acceleration || m == 0 || l1 + l2 <= 0.0) return false;
    std::vector<double>& acc = anderson_point_;
    if (!anderson_.push(set, w_, opt_.positive, acc)) return false;
    // objectives before and after (residual sums from scratch: O(n) each)
    const double before = primal(l1, l2);
    R_save_ = R_;
    for (index_t k = 0; k < m; ++k) {
        const index_t j = set[k];
        if (acc[k] != w_[j]) update(j, acc[k] - w_[j]);
    }
    fold_offset();
    std::vector<double> old(m);
    for (index_t k = 0; k < m; ++k) {
        old[k] = w_[set[k]];
        w_[set[k]] = acc[k];
    }
    if (primal(l1, l2) < before) {
        ++accepted_;
        return true;
    }
    for (index_t k = 0; k < m; ++k) w_[set[k]] = old[k];
    R_.swap(R_save_);
    return false;
}

template <class T, class M>
void EnetSolver<T, M>::extrapolate(double factor) {
    if (gram_) return;
    // Every term below is zero where w, w_prev and the last prediction all are: the
    // loops run over the union of w's nonzeros and w_prev's (a prediction is nonzero
    // only where its w, now w_prev, was), a few thousand of p = 10^5..10^6 features
    // (genotypes, p = 200,000: 0.11 s a path, against 0.17 s over all p; what is left is
    // mostly the residual's updates).
    nz_.clear();
    for (index_t j = 0; j < p_; ++j)
        if (w_[j] != 0.0) nz_.push_back(j);
    if (w_prev_.empty()) {
        w_prev_ = w_;
        prev_nz_.swap(nz_);
        return;
    }
    support_.clear();
    std::set_union(nz_.begin(), nz_.end(), prev_nz_.begin(), prev_nz_.end(),
                   std::back_inserter(support_));
    double miss = 0.0, step = 0.0;  // |w - prediction|^2, |w - w_prev|^2
    if (!predicted_.empty())
        for (const index_t j : support_) {
            miss += (w_[j] - predicted_[j]) * (w_[j] - predicted_[j]);
            step += (w_[j] - w_prev_[j]) * (w_[j] - w_prev_[j]);
        }
    const bool pays = predicted_.empty() || miss < step;
    predicted_.resize(p_);
    for (const index_t j : support_) {
        const double w = w_[j], wp = w_prev_[j];
        w_prev_[j] = w;
        double wn = w == 0.0 ? 0.0 : w + factor * (w - wp);
        if (wn * w <= 0.0) wn = 0.0;
        predicted_[j] = wn;
        if (pays && wn != w) {
            update(j, wn - w);
            w_[j] = wn;
        }
    }
    prev_nz_.swap(nz_);
    fold_offset();
}

}  // namespace fastreg::cd

#endif  // FASTREG_CD_ENET_ACCELERATION_HPP
