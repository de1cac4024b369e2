// KKT bounds from several past full gradients.
//
// A full gradient g(r) = X~^T V r is a pass over X, the unit of cost on wide data, and
// the KKT check after each solve needs |g_j(r)| for every feature outside the working set.
// The gradient is linear in r, so with the residuals r_1..r_m of the last m full passes
// and their gradients g(r_a) kept, any combination c gives
//
//     |g_j(r)| <= |sum_a c_a g_j(r_a)| + ||x~_j||_V ||r - sum_a c_a r_a||_V
//
// (Cauchy-Schwarz on the remainder). With one reference and c = 1 this is the usual
// bound from the last full pass. Along a path the residual moves in a low-dimensional
// subspace, so the projection of r onto the span of the references leaves a remainder many
// times smaller than r - r_m, and the bound clears most features without computing them.
// The projection need not be exact: the remainder is computed from the c actually used,
// so the bound is valid for any c.
#ifndef FASTREG_CD_REFERENCES_HPP
#define FASTREG_CD_REFERENCES_HPP

#include "fastreg/common.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace fastreg::cd {

template <class T>
class GradientReferences {
public:
    static constexpr int CAPACITY = 6;

    // v: n weights, or null for 1/n each. Drops every reference.
    void reset(index_t n, index_t p, const T* v) {
        n_ = n;
        p_ = p;
        v_ = v;
        inv_n_ = 1.0 / double(n);
        count_ = next_ = 0;
    }

    int size() const { return count_; }

    // Starts a reference for residual r, replacing the oldest when all slots are taken;
    // its gradient is then filled in with set(slot, j, g_j(r)) for every j. The gradient
    // storage is allocated at the first call (p * CAPACITY doubles).
    template <class R>
    int open(const R* r) {
        if (g_.empty()) {
            g_.assign(std::size_t(p_) * CAPACITY, 0.0);
            r_.assign(std::size_t(n_) * CAPACITY, 0.0);
        }
        const int s = next_;
        next_ = (next_ + 1) % CAPACITY;
        count_ = std::min(count_ + 1, CAPACITY);
        double* rs = r_.data() + std::size_t(s) * n_;
        for (index_t i = 0; i < n_; ++i) rs[i] = double(r[i]);
        for (int a = 0; a < count_; ++a) gram_[s][a] = gram_[a][s] = inner(rs, slot(a));
        last_ = s;
        return s;
    }
    FASTREG_INLINE void set(int s, index_t j, double g) { g_[std::size_t(j) * CAPACITY + s] = g; }

    // Whether r is the residual of the newest reference.
    bool is_newest(const T* r) const {
        if (count_ == 0) return false;
        const double* rs = slot(last_);
        for (index_t i = 0; i < n_; ++i)
            if (rs[i] != double(r[i])) return false;
        return true;
    }

    // Chooses c (the least-squares projection of r on the references, in the V norm) and
    // returns ||r - sum_a c_a r_a||_V for it.
    double project(const T* r) {
        double b[CAPACITY];
        for (int a = 0; a < count_; ++a) {
            const double* ra = slot(a);
            double s = 0.0;
            for (index_t i = 0; i < n_; ++i) s += weight(i) * double(r[i]) * ra[i];
            b[a] = s;
        }
        solve(b);
        double e2 = 0.0;
        for (index_t i = 0; i < n_; ++i) {
            double e = double(r[i]);
            for (int a = 0; a < count_; ++a) e -= c_[a] * slot(a)[i];
            e2 += weight(i) * e * e;
        }
        return std::sqrt(e2);
    }

    // sum_a c_a g_j(r_a), with the c of the last project().
    FASTREG_INLINE double predict(index_t j) const {
        const double* gj = g_.data() + std::size_t(j) * CAPACITY;
        double s = 0.0;
        for (int a = 0; a < count_; ++a) s += c_[a] * gj[a];
        return s;
    }

private:
    FASTREG_INLINE double weight(index_t i) const { return v_ ? double(v_[i]) : inv_n_; }
    const double* slot(int a) const { return r_.data() + std::size_t(a) * n_; }

    double inner(const double* a, const double* b) const {
        double s = 0.0;
        for (index_t i = 0; i < n_; ++i) s += weight(i) * a[i] * b[i];
        return s;
    }

    // c = G^-1 b by Cholesky; a reference (nearly) in the span of the earlier ones gets
    // c_a = 0, which only loosens the bound.
    void solve(const double* b) {
        const int m = count_;
        double L[CAPACITY][CAPACITY] = {};
        bool used[CAPACITY] = {};
        for (int a = 0; a < m; ++a) {
            double d = gram_[a][a];
            for (int k = 0; k < a; ++k) d -= L[a][k] * L[a][k];
            used[a] = d > 1e-10 * gram_[a][a] && d > 0.0;
            if (!used[a]) continue;
            L[a][a] = std::sqrt(d);
            for (int i = a + 1; i < m; ++i) {
                double s = gram_[i][a];
                for (int k = 0; k < a; ++k) s -= L[i][k] * L[a][k];
                L[i][a] = s / L[a][a];
            }
        }
        double z[CAPACITY];
        for (int a = 0; a < m; ++a) {
            z[a] = 0.0;
            if (!used[a]) continue;
            double s = b[a];
            for (int k = 0; k < a; ++k) s -= L[a][k] * z[k];
            z[a] = s / L[a][a];
        }
        for (int a = m - 1; a >= 0; --a) {
            c_[a] = 0.0;
            if (!used[a]) continue;
            double s = z[a];
            for (int k = a + 1; k < m; ++k) s -= L[k][a] * c_[k];
            c_[a] = s / L[a][a];
        }
    }

    index_t n_ = 0, p_ = 0;
    const T* v_ = nullptr;
    double inv_n_ = 1.0;
    int count_ = 0, next_ = 0, last_ = 0;
    std::vector<double> g_;  // p x CAPACITY, a feature's references side by side
    std::vector<double> r_;  // CAPACITY x n
    double gram_[CAPACITY][CAPACITY] = {};
    double c_[CAPACITY] = {};
};

}  // namespace fastreg::cd

#endif  // FASTREG_CD_REFERENCES_HPP
