// The alpha grid of a path and the step between two of its alphas, shared by the
// residual-update path (cd/enet.hpp) and the summary-statistics path (cd/gram_path.hpp).
#ifndef FASTREG_CD_ALPHA_GRID_HPP
#define FASTREG_CD_ALPHA_GRID_HPP

#include "fastreg/common.hpp"

#include <cmath>

namespace fastreg::cd {

// np.finfo(np.float64).resolution: scikit-learn's grid when alpha_max is (nearly) zero.
constexpr double GRID_FLOOR = 1e-15;

// alphas[0..k) = the geometric grid from alpha_max down to alpha_max * eps
// (scikit-learn's _alpha_grid), or GRID_FLOOR everywhere when alpha_max <= GRID_FLOOR.
inline void fill_alpha_grid(double* alphas, index_t k, double alpha_max, double eps) {
    for (index_t i = 0; i < k; ++i) {
        if (!(alpha_max > GRID_FLOOR))
            alphas[i] = GRID_FLOOR;
        else if (i == 0)
            alphas[i] = alpha_max;
        else if (i == k - 1)
            alphas[i] = alpha_max * eps;
        else
            alphas[i] = alpha_max * std::exp(std::log(eps) * double(i) / double(k - 1));
    }
}

// How far the start of alpha i moves along the line through the last two solutions: the
// ratio of this step of the grid to the last one (the lasso path is piecewise linear in
// alpha). 0 at the second alpha, and wherever the last step had no length (repeated
// alphas: the ratio would be 0/0) or the ratio is not finite.
inline double extrapolation_factor(const double* alphas, index_t i) {
    if (i < 2) return 0.0;
    const double last = alphas[i - 1] - alphas[i - 2];
    if (last == 0.0) return 0.0;
    const double f = (alphas[i] - alphas[i - 1]) / last;
    return std::isfinite(f) ? f : 0.0;
}

}  // namespace fastreg::cd

#endif  // FASTREG_CD_ALPHA_GRID_HPP
