// Anderson extrapolation of coordinate-descent epochs (as in celer and skglm), shared by
// the residual-update solver (cd/enet.hpp) and the summary-statistics one (cd/gram_path.hpp).
//
// Why: on correlated columns plain epochs converge slowly near the end of a path. Every K
// epochs over an unchanged set of coordinates, the last K + 1 iterates give an
// extrapolated point, which the solver keeps when it lowers the objective (the solver
// judges and applies it: it owns the residual or the gradient the point changes).
#ifndef FASTREG_CD_ANDERSON_HPP
#define FASTREG_CD_ANDERSON_HPP

#include "fastreg/common.hpp"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace fastreg::cd {

class AndersonHistory {
public:
    static constexpr int K = 3;

    void clear() { hist_.clear(); }

    // Records w restricted to `set` after an epoch over it (the history starts over when the
    // set changed). Once K + 1 iterates are known, returns true with the extrapolated point
    // of `set` in `out` (projected on w >= 0 when `positive`), and starts over.
    bool push(const std::vector<index_t>& set, const std::vector<double>& w, bool positive,
              std::vector<double>& out) {
        const index_t m = index_t(set.size());
        if (set_ != set) {
            set_ = set;
            hist_.clear();
        }
        std::vector<double> cur(m);
        for (index_t k = 0; k < m; ++k) cur[k] = w[set[k]];
        hist_.push_back(std::move(cur));
        if (int(hist_.size()) < K + 1) return false;
        // G = U^T U with U_a = w^(a+1) - w^(a); solve G z = 1, c = z / sum(z)
        double G[K][K], z[K];
        for (int a = 0; a < K; ++a)
            for (int b = 0; b <= a; ++b) {
                double d = 0.0;
                for (index_t k = 0; k < m; ++k)
                    d += (hist_[a + 1][k] - hist_[a][k]) * (hist_[b + 1][k] - hist_[b][k]);
                G[a][b] = G[b][a] = d;
            }
        double trace = 0.0;
        for (int a = 0; a < K; ++a) trace += G[a][a];
        if (!(trace > 0.0)) {
            hist_.clear();
            return false;
        }
        for (int a = 0; a < K; ++a) {
            G[a][a] += 1e-10 * trace;
            z[a] = 1.0;
        }
        for (int a = 0; a < K; ++a)  // Gaussian elimination: G is SPD, no pivoting needed
            for (int b = a + 1; b < K; ++b) {
                const double f = G[b][a] / G[a][a];
                for (int c = a; c < K; ++c) G[b][c] -= f * G[a][c];
                z[b] -= f * z[a];
            }
        for (int a = K - 1; a >= 0; --a) {
            for (int c = a + 1; c < K; ++c) z[a] -= G[a][c] * z[c];
            z[a] /= G[a][a];
        }
        double zs = 0.0;
        for (int a = 0; a < K; ++a) zs += z[a];
        if (!std::isfinite(zs) || zs == 0.0) {
            hist_.clear();
            return false;
        }
        // the extrapolated point, sum_a c_a w^(a+1)
        out.assign(std::size_t(m), 0.0);
        for (int a = 0; a < K; ++a) {
            const double c = z[a] / zs;
            for (index_t k = 0; k < m; ++k) out[k] += c * hist_[a + 1][k];
        }
        hist_.clear();
        if (positive)
            for (auto& x : out) x = std::max(x, 0.0);
        return true;
    }

private:
    std::vector<std::vector<double>> hist_;  // recent iterates on set_
    std::vector<index_t> set_;
};

}  // namespace fastreg::cd

#endif  // FASTREG_CD_ANDERSON_HPP
