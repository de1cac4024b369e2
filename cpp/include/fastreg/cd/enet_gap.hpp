// The duality gap and the objective of EnetSolver's problem, out of line.
// (Included by cd/enet.hpp after the class.)
#ifndef FASTREG_CD_ENET_GAP_HPP
#define FASTREG_CD_ENET_GAP_HPP

namespace fastreg::cd {

// The objective at the current w and r (w is zero outside the working set).
template <class T, class M>
double EnetSolver<T, M>::primal(double l1, double l2) const {
    double r2 = 0.0;
    for (index_t i = 0; i < n_; ++i) {
        const double r = double(R_[i]) + rho_;
        r2 += weight(i) * r * r;
    }
    double a = 0.0, b = 0.0;
    for (const index_t j : ws_) {
        a += pf_[j] * std::fabs(w_[j]);
        b += pf_[j] * w_[j] * w_[j];
    }
    return 0.5 * r2 + l1 * a + 0.5 * l2 * b;
}

template <class T, class M>
template <class Index>
double EnetSolver<T, M>::gap_from(const Index& idx, double l1, double l2) {
    double wl1 = 0.0, wl2 = 0.0, dual_norm = -std::numeric_limits<double>::infinity(), gg = 0.0;
    Unpenalized unpenalized;
    bool any = false;
    idx([&](index_t j) {
        const double w = w_[j], pf = pf_[j];
        wl1 += pf * std::fabs(w);
        wl2 += pf * w * w;
        if (pf <= 0.0) {  // (Unpenalized: its own terms)
            unpenalized.add(g_[j], w, nrm_[j]);
            return;
        }
        if (l1 > 0.0) {
            const double xta = (g_[j] - l2 * pf * w) / pf;
            const double a = pen_.magnitude(xta);
            dual_norm = any ? std::max(dual_norm, a) : a;
            any = true;
        } else {
            // the conjugate of the ridge penalty, sup_w (g w - l2 pf w^2 / 2); over
            // w >= 0 when positive, where a negative g_j costs nothing. Without any
            // penalty, the squared gradient (scikit-learn's ||X^T r||^2), projected the
            // same way where w_j = 0.
            const double gj = pen_.ridge_gradient(g_[j], w, l2);
            gg += gj * gj / (l2 > 0.0 ? pf : 1.0);
        }
    });
    if (l1 > 0.0) {
        const double primal = 0.5 * (Rn2_ + l2 * wl2) + l1 * wl1;
        const double scale = (any && dual_norm > l1) ? l1 / dual_norm : 1.0;
        dual_scale_ = scale;
        const double dual = -0.5 * scale * scale * (Rn2_ + l2 * wl2) + scale * unpenalized.ry(Ry_);
        return primal - dual + unpenalized.gain;
    }
    if (l2 > 0.0)
        return Rn2_ + 0.5 * l2 * wl2 - unpenalized.ry(Ry_) + gg / (2.0 * l2) + unpenalized.gain;
    return double(n_) * gg + unpenalized.gain;  // no penalty: scikit-learn's ||X^T r||^2
}

template <class T, class M>
double EnetSolver<T, M>::gap_all(double l1, double l2) {
    return gap_from(
        [&](auto&& f) {
            for (index_t j = 0; j < p_; ++j)
                if (nrm_[j] > 0.0) f(j);
        },
        l1, l2);
}

template <class T, class M>
double EnetSolver<T, M>::gap_over(const std::vector<index_t>& set, double l1, double l2) {
    return gap_from(
        [&](auto&& f) {
            for (const index_t j : set) f(j);
        },
        l1, l2);
}

}  // namespace fastreg::cd

#endif  // FASTREG_CD_ENET_GAP_HPP
