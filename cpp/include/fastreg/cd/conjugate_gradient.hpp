// Conjugate gradients for the symmetric positive definite systems of the coordinate-descent
// solver's Newton steps (cd/enet.hpp, newton_step): the matrix is only applied, never formed,
// so a step costs a few products with the working set's columns and no Gram matrix.
#ifndef FASTREG_CD_CONJUGATE_GRADIENT_HPP
#define FASTREG_CD_CONJUGATE_GRADIENT_HPP

#include "fastreg/common.hpp"
#include "fastreg/interrupt.hpp"

#include <cmath>
#include <cstddef>
#include <vector>

namespace fastreg::cd {

// Solves A x = b from x = 0, where apply(p, out) sets out = A p, until ||b - A x|| <=
// rtol ||b|| or after max_iter products. Every iterate lowers the quadratic
// x^T A x / 2 - b^T x below its value at 0, so a truncated solve is still a descent step.
// Returns the number of products made; x is left at the last iterate (0 when b = 0 or A
// shows a direction of nonpositive curvature at the first product).
template <class Apply>
index_t conjugate_gradient(const std::vector<double>& b, Apply&& apply, index_t max_iter,
                           double rtol, std::vector<double>& x) {
    const std::size_t m = b.size();
    x.assign(m, 0.0);
    std::vector<double> r = b, p = b, ap(m);
    double rr = 0.0;
    for (const double v : r) rr += v * v;
    const double small = rtol * rtol * rr;
    index_t it = 0;
    while (it < max_iter && rr > small && rr > 0.0) {
        stop::checkpoint();
        apply(p, ap);
        ++it;
        double pap = 0.0;
        for (std::size_t k = 0; k < m; ++k) pap += p[k] * ap[k];
        if (!(pap > 0.0)) break;  // not positive definite along p (rounding): stop here
        const double alpha = rr / pap;
        double rr_new = 0.0;
        for (std::size_t k = 0; k < m; ++k) {
            x[k] += alpha * p[k];
            r[k] -= alpha * ap[k];
            rr_new += r[k] * r[k];
        }
        const double beta = rr_new / rr;
        for (std::size_t k = 0; k < m; ++k) p[k] = r[k] + beta * p[k];
        rr = rr_new;
    }
    return it;
}

}  // namespace fastreg::cd

#endif  // FASTREG_CD_CONJUGATE_GRADIENT_HPP
