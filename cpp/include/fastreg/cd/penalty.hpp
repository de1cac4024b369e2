// The elastic-net penalty of every coordinate-descent solver, sum_j pf_j (l1 |w_j| +
// l2 / 2 w_j^2) with glmnet's penalty factors pf_j and scikit-learn's `positive` (w >= 0):
// the one-coordinate prox and how the l1 part's subdifferential judges a gradient.
// The solvers (cd/enet.hpp, cd/gram_path.hpp) never spell these out themselves.
#ifndef FASTREG_CD_PENALTY_HPP
#define FASTREG_CD_PENALTY_HPP

#include "fastreg/common.hpp"

#include <algorithm>
#include <cmath>

namespace fastreg::cd {

struct EnetPenalty {
    bool positive = false;

    // |g|, or g itself when positive (only a growing coefficient is allowed): a coefficient
    // with penalty factor pf stays at zero exactly when magnitude(g) <= l1 pf, g its
    // gradient there (the subdifferential of pf l1 |w| at 0 is [-l1 pf, l1 pf], and
    // (-inf, l1 pf] with the constraint). Scores, screening, KKT checks and dual norms
    // all measure gradients this way.
    FASTREG_INLINE double magnitude(double g) const { return positive ? g : std::fabs(g); }

    // argmin_w  nrm / 2 w^2 - tmp w + pf (l1 |w| + l2 / 2 w^2)  (over w >= 0 when positive):
    // the coordinate minimizer, with nrm = ||x~_j||^2 (in the problem's weights) and
    // tmp = x~_j^T v r + nrm w_j.
    FASTREG_INLINE double prox(double tmp, double nrm, double pf, double l1, double l2) const {
        if (positive && tmp < 0.0) return 0.0;
        const double a = std::fabs(tmp) - l1 * pf;
        return a > 0.0 ? std::copysign(a, tmp) / (nrm + l2 * pf) : 0.0;
    }

    // The gradient that the conjugate of the ridge part, sup_w (g w - l2 pf w^2 / 2), sees:
    // over w >= 0 when positive, a negative g costs nothing (and, without any penalty, a
    // negative g at w = 0 is optimal).
    FASTREG_INLINE double ridge_gradient(double g, double w, double l2) const {
        return positive && (l2 > 0.0 || w == 0.0) ? std::max(g, 0.0) : g;
    }
};

}  // namespace fastreg::cd

#endif  // FASTREG_CD_PENALTY_HPP
