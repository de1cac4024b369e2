// The elastic-net path from summary statistics: X and y are known only through
// Q = X^T X (p x p, dense or CSC sparse), b = X^T y, n and optionally y^T y.
//
// The problem is scikit-learn's, without intercept (X and y centered by the caller):
//
//     min_w  1/(2n) ||y - Xw||^2 + alpha * l1_ratio * sum_j pf_j |w_j|
//                                + alpha * (1 - l1_ratio) / 2 * sum_j pf_j w_j^2
//
// and ||y - Xw||^2 = y^T y - 2 w^T b + w^T Q w, so only the constant y^T y needs y itself.
//
// Covariance updates: the solver keeps the gradient G = b - Q w (n times the gradient of
// the smooth part, all p entries) and, after each coordinate step on w_j, updates it with
// column j of Q: O(nnz of column j) for CSC, O(p) for dense. Keeping all of G exact,
// rather than only its working-set entries, costs nothing extra here: a CSC column gives
// no cheap access to the rows of the working set only, so the update would read the whole
// column anyway (and for dense Q a contiguous axpy over p is as fast as a gather over the
// working set for all but tiny working sets). In exchange, a KKT check over all p features
// is an O(p) scan of G, with no recomputation Q w, and a feature outside the working set
// costs O(1) to examine.
//
// Along the path: sequential strong rules choose the working set, epochs alternate
// between the working set and its nonzero coefficients (glmnet's active-set cycling) and
// are accelerated by Anderson extrapolation, each alpha starts from the extrapolation of
// the last two solutions, and KKT violators outside the working set join it.
//
// Stopping rule, as scikit-learn's (and fastreg's enet_path): after an epoch over the
// working set whose largest coefficient change is at most tol times the largest
// coefficient, the duality gap is computed from quadratic forms (||r||^2 = y^T y - 2 w^T b
// + w^T Q w, X^T r = G) and the fit stops when gap <= tol * y^T y / n. When y^T y is not
// given, the solver uses in its place the largest lower bound it knows: c = the largest
// 2 w^T b - w^T Q w = y^T y - ||y - Xw||^2 over the coefficients w it has seen, at least
// max_j b_j^2 / Q_jj (Cauchy-Schwarz), so that c grows towards the explained sum of
// squares of the least-squares fit. The gap is increasing in y^T y: with the dual point
// s r (s = min(1, l1 / max_j |x_j^T r / n| / pf_j), which does not depend on y^T y),
// gap(y^T y) = gap(c) + (y^T y - c) / (2n) * (1 - s)^2.
// The difference vanishes at the solution, where s -> 1; the tolerance is scaled by c too.
#ifndef FASTREG_CD_GRAM_PATH_HPP
#define FASTREG_CD_GRAM_PATH_HPP

#include "fastreg/cd/alpha_grid.hpp"
#include "fastreg/cd/anderson.hpp"
#include "fastreg/cd/gram_matrix.hpp"
#include "fastreg/cd/penalty.hpp"
#include "fastreg/common.hpp"
#include "fastreg/interrupt.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <vector>

namespace fastreg::cd {

struct GramOptions {
    double l1_ratio = 1.0;
    bool positive = false;
    double tol = 1e-4;
    index_t max_iter = 1000;
    bool screening = true;     // strong rules + working set + KKT checks
    bool acceleration = true;  // Anderson extrapolation of the epochs
};

// Outputs of a path fit; the arrays are the caller's, k = number of alphas.
struct GramPathOutput {
    double* coefs = nullptr;             // p x k, column-major
    double* gaps = nullptr;              // k
    std::int64_t* n_iter = nullptr;      // k: epochs (over the working set or its nonzeros)
    std::uint8_t* converged = nullptr;   // k
    double tol_scaled = 0.0;  // the gap's threshold at the end: tol * yty / n (or its bound)
    double yty = 0.0;         // y^T y as used at the end (the given value or the bound)
    std::int64_t epochs = 0;
    std::int64_t column_updates = 0;  // coordinate steps, each reading one column of Q
    std::int64_t kkt_checks = 0;      // O(p) scans of the gradient outside the working set
    index_t unbounded_at = -1;  // the first alpha at which the objective was found unbounded
                                // below (XtX not positive semidefinite); its outputs and the
                                // later ones are NaN
};

template <class Q>
class GramSolver {
public:
    // diag: Q's diagonal (p values >= 0; a zero is a constant column, whose coefficient
    // stays 0); b: X^T y; n > 0; yty: y^T y, or negative when unknown; pf: p non-negative
    // penalty factors, or null (all 1).
    GramSolver(const Q& XtX, const double* diag, const double* b, double n, double yty,
               const double* pf, const GramOptions& opt)
        : Q_(XtX), D_(diag), b_(b), n_(n), p_(XtX.p), opt_(opt), pen_{opt.positive} {
        Q_.prepare();
        yty_known_ = yty >= 0.0;
        yty_ = yty_known_ ? yty : 0.0;
        pf_.assign(p_, 1.0);
        if (pf)
            for (index_t j = 0; j < p_; ++j) pf_[j] = pf[j];
        w_.assign(p_, 0.0);
        G_.assign(b_, b_ + p_);
        in_ws_.assign(p_, 0);
        // Cauchy-Schwarz: (x_j^T y)^2 <= ||x_j||^2 y^T y
        for (index_t j = 0; j < p_; ++j)
            if (D_[j] > 0.0) bound_ = std::max(bound_, b_[j] * b_[j] / D_[j]);
    }

    // Starting coefficients (constant columns' are ignored): G = b - Q w from scratch.
    void set_coef(const double* coef) {
        G_.assign(b_, b_ + p_);
        for (index_t j = 0; j < p_; ++j) {
            w_[j] = D_[j] > 0.0 ? coef[j] : 0.0;
            if (w_[j] != 0.0) Q_.axpy(j, -w_[j], G_.data());
        }
        ws_.clear();
        for (index_t j = 0; j < p_; ++j)
            if (w_[j] != 0.0) ws_.push_back(j);
        quadratic_sums(ws_);  // the start also tightens the bound on y^T y
    }

    bool has_unpenalized() const {
        for (index_t j = 0; j < p_; ++j)
            if (pf_[j] <= 0.0 && D_[j] > 0.0) return true;
        return false;
    }

    // The smallest alpha * l1_ratio at which all penalized coefficients are zero, for the
    // current gradient (exact when they are zero).
    double l1_max() const {
        double m = 0.0;
        for (index_t j = 0; j < p_; ++j) {
            if (pf_[j] <= 0.0 || D_[j] <= 0.0) continue;
            m = std::max(m, score(j) / pf_[j]);
        }
        return m / n_;
    }

    // y^T y as the gap uses it: the given value, or the lower bound (never below the bound,
    // which also keeps inconsistent statistics from giving a negative ||r||^2).
    double yty() const { return yty_known_ ? std::max(yty_, bound_) : bound_; }

    struct FitInfo {
        double gap = 0.0;
        std::int64_t n_iter = 0;
        bool converged = false;
    };

    // Minimizes for (l1, l2) = (alpha * l1_ratio, alpha * (1 - l1_ratio)) from the current
    // coefficients; l1_prev is the l1 of the previous fit on the path (for strong rules).
    FitInfo solve(double l1, double l2, double l1_prev) {
        FitInfo info;
        // (finite even for GRAM_UNPENALIZED_ONLY, so that L1_ * pf_j stays 0 when pf_j = 0)
        L1_ = std::min(l1 * n_, std::numeric_limits<double>::max());
        L2_ = l2 * n_;
        // The working set: nonzero and unpenalized coefficients, and the strong set
        // |G_j| / n >= (2 l1 - l1_prev) pf_j.
        const bool screen = opt_.screening && l1 > 0.0;
        const double thr = (2.0 * l1 - l1_prev) * n_;
        for (const index_t j : ws_) in_ws_[j] = 0;
        ws_.clear();
        for (index_t j = 0; j < p_; ++j) {
            if (D_[j] <= 0.0) continue;
            if (!screen || w_[j] != 0.0 || pf_[j] <= 0.0 || score(j) >= thr * pf_[j]) {
                ws_.push_back(j);
                in_ws_[j] = 1;
            }
        }
        if (check(l1, l2, false, info)) return info;

        // Epochs alternate as glmnet's do: a sweep over the working set, then sweeps over
        // its nonzero coefficients only until they settle, then the working set again. The
        // stopping rule is judged on working-set sweeps.
        bool inner = false;
        double ws_change = 0.0;  // the relative change of the last working-set sweep
        for (index_t iter = 1; iter <= opt_.max_iter; ++iter) {
            stop::checkpoint();
            const std::vector<index_t>& set = inner ? active_ : ws_;
            double dw_max = 0.0, w_max = 0.0;
            for (const index_t j : set) {
                const double wj = w_[j];
                const double wn = minimizer(j);
                if (wn != wj) step(j, wn - wj);
                dw_max = std::max(dw_max, std::fabs(wn - wj));
                w_max = std::max(w_max, std::fabs(wn));
            }
            info.n_iter = iter;
            ++epochs_;
            if (anderson(set, l1, l2)) {
                // the extrapolated point replaced w: measure the epoch's progress from it
                w_max = 0.0;
                for (const index_t j : set) w_max = std::max(w_max, std::fabs(w_[j]));
            }
            if (!std::isfinite(w_max) || (!inner && negative_curvature())) {
                unbounded_ = true;  // not a convex problem: the caller reports it
                info.gap = std::numeric_limits<double>::quiet_NaN();
                info.converged = false;
                break;
            }
            const bool last = iter == opt_.max_iter;
            const double change = w_max == 0.0 ? 0.0 : dw_max / w_max;
            if (inner && !last) {
                // settled: moving ten times less than in the last working-set sweep, which
                // keeps the inner sweeps from polishing a support that is still changing
                inner = change > std::max(opt_.tol, 0.1 * ws_change);
                continue;
            }
            ws_change = change;
            if (!(change <= opt_.tol || last)) {
                active_.clear();
                for (const index_t j : ws_)
                    if (w_[j] != 0.0) active_.push_back(j);
                inner = !active_.empty() && active_.size() < ws_.size();
                continue;
            }
            if (check(l1, l2, last, info)) break;
            inner = false;
        }
        return info;
    }

    // The next alpha's start: w + factor (w - w_prev) along the line through the last two
    // solutions (the lasso path is piecewise linear in alpha); coefficients that would
    // cross zero start at zero. Costs one column update per nonzero coefficient.
    void extrapolate(double factor) {
        if (w_prev_.empty()) {
            w_prev_ = w_;
            return;
        }
        for (index_t j = 0; j < p_; ++j) {
            const double w = w_[j], wp = w_prev_[j];
            w_prev_[j] = w;
            if (w == 0.0 || factor == 0.0) continue;
            double wn = w + factor * (w - wp);
            if (wn * w <= 0.0) wn = 0.0;
            if (wn != w) step(j, wn - w);
        }
    }

    // Whether the last solve found the objective unbounded below (XtX not positive
    // semidefinite, and the ridge part not enough to make up for it).
    bool unbounded() const { return unbounded_; }
    const std::vector<double>& coef() const { return w_; }
    std::int64_t epochs() const { return epochs_; }
    std::int64_t column_updates() const { return updates_; }
    std::int64_t kkt_checks() const { return kkt_checks_; }

private:
    // How close feature j is to entering the model: |G_j| (G_j when positive).
    double score(index_t j) const { return pen_.magnitude(G_[j]); }

    // The minimizer over w_j with the others fixed: the elastic-net prox of
    // G_j + Q_jj w_j, scaled (0 when positive and that is negative).
    double minimizer(index_t j) const {
        return pen_.prox(G_[j] + D_[j] * w_[j], D_[j], pf_[j], L1_, L2_);
    }

    // Anderson acceleration of the epochs (cd/anderson.hpp): on ill-conditioned XtX
    // (correlated features) plain epochs converge slowly near the end of the path; this cuts
    // their number several times. Costs one column update per coefficient of the set per
    // AndersonHistory::K epochs (two when rejected).
    bool anderson(const std::vector<index_t>& set, double l1, double l2) {
        const index_t m = index_t(set.size());
        if (!opt_.acceleration || m == 0 || l1 + l2 <= 0.0) return false;
        std::vector<double>& acc = anderson_point_;
        if (!anderson_.push(set, w_, opt_.positive, acc)) return false;
        const double before = objective(set, l1, l2);
        std::vector<double> old(m);
        for (index_t k = 0; k < m; ++k) {
            const index_t j = set[k];
            old[k] = w_[j];
            if (acc[k] != w_[j]) step(j, acc[k] - w_[j]);
        }
        if (objective(set, l1, l2) < before) return true;
        for (index_t k = 0; k < m; ++k) {  // back, by the same column updates
            const index_t j = set[k];
            if (old[k] != w_[j]) step(j, old[k] - w_[j]);
        }
        return false;
    }

    // The objective up to its constant y^T y / (2n), with every nonzero coefficient in
    // `set`: (-2 w^T b + w^T Q w) / (2n) = -(w^T b + w^T G) / (2n), plus the penalties.
    double objective(const std::vector<index_t>& set, double l1, double l2) const {
        double wb = 0.0, wg = 0.0, wl1 = 0.0, wl2 = 0.0;
        for (const index_t j : set) {
            const double w = w_[j];
            if (w == 0.0) continue;
            wb += w * b_[j];
            wg += w * G_[j];
            wl1 += pf_[j] * std::fabs(w);
            wl2 += pf_[j] * w * w;
        }
        return -(wb + wg) / (2.0 * n_) + l1 * wl1 + 0.5 * l2 * wl2;
    }

    void step(index_t j, double d) {
        Q_.axpy(j, -d, G_.data());
        w_[j] += d;
        ++updates_;
    }

    // w^T b and w^T G over `set` (which holds every nonzero coefficient), and the bound on
    // y^T y they give: 2 w^T b - w^T Q w = w^T b + w^T G = y^T y - ||y - Xw||^2.
    void quadratic_sums(const std::vector<index_t>& set) {
        double wb = 0.0, wg = 0.0;
        for (const index_t j : set)
            if (w_[j] != 0.0) {
                wb += w_[j] * b_[j];
                wg += w_[j] * G_[j];
            }
        wb_ = wb;
        wg_ = wg;
        bound_ = std::max(bound_, wb + wg);
    }

    // A certificate that the objective is unbounded below: the current w is a direction
    // of negative curvature of its smooth part, w^T Q w + n l2 sum pf_j w_j^2 < 0 (then
    // the quadratic beats the l1 penalty along t w as t grows). Coordinate descent on an
    // indefinite XtX, as a truncated or reference-panel LD matrix can be, follows such a
    // direction and grows without bound; this catches it in O(working set) per
    // working-set epoch. w^T Q w = w^T b - w^T G; the margin covers rounding in G.
    bool negative_curvature() {
        quadratic_sums(ws_);
        double ridge = 0.0;
        for (const index_t j : ws_) ridge += pf_[j] * w_[j] * w_[j];
        const double curvature = wb_ - wg_ + L2_ * ridge;
        return !std::isfinite(curvature) || curvature < -1e-6 * (std::fabs(wb_) + std::fabs(wg_));
    }

    // The stopping test: the gap of the problem restricted to the working set, then (when
    // it is small enough) the KKT conditions of the features outside, an O(p) scan of G.
    // With no violator the restricted gap is the true gap (the dual point's scale depends
    // on max_j |G_j| / pf_j, which the features outside do not raise above l1); violators
    // join the working set. Returns whether to stop.
    bool check(double l1, double l2, bool last, FitInfo& info) {
        quadratic_sums(ws_);
        const double gap_ws = gap_over(ws_, l1, l2);
        const double tol_s = opt_.tol * yty() / n_;
        info.gap = gap_ws;
        if (gap_ws > tol_s && !last) return false;
        if (index_t(ws_.size()) < p_) {
            ++kkt_checks_;
            std::vector<index_t> add;
            for (index_t j = 0; j < p_; ++j)
                if (!in_ws_[j] && D_[j] > 0.0 && score(j) > L1_ * pf_[j]) add.push_back(j);
            if (!add.empty()) {
                for (const index_t j : add) in_ws_[j] = 1;
                std::vector<index_t> merged;
                merged.reserve(ws_.size() + add.size());
                std::merge(ws_.begin(), ws_.end(), add.begin(), add.end(), std::back_inserter(merged));
                if (last) info.gap = gap_over(merged, l1, l2);
                ws_.swap(merged);
                info.converged = false;
                return last;
            }
        }
        info.converged = gap_ws <= tol_s;
        return info.converged || last;
    }

    // The duality gap over `set` (scikit-learn's dual point, formulas of enet.hpp's
    // gap_from in the objective's scale: g_j = G_j / n, ||x_j||^2 / n = Q_jj / n).
    double gap_over(const std::vector<index_t>& set, double l1, double l2) const {
        const double c = yty();
        const double rn2 = std::max(0.0, c - wb_ - wg_) / n_;  // ||r||^2 / n
        const double ry = (c - wb_) / n_;                       // r^T y / n
        double wl1 = 0.0, wl2 = 0.0, gg = 0.0, unpenalized = 0.0;
        double dual_norm = -std::numeric_limits<double>::infinity();
        bool any = false;
        for (const index_t j : set) {
            const double w = w_[j], pf = pf_[j], g = G_[j] / n_;
            wl1 += pf * std::fabs(w);
            wl2 += pf * w * w;
            if (pf <= 0.0) {
                // no dual point is feasible unless g_j = 0: count what an exact step on
                // w_j would still gain
                unpenalized += 0.5 * g * g / (D_[j] / n_);
                continue;
            }
            if (l1 > 0.0) {
                const double xta = (g - l2 * pf * w) / pf;
                const double a = pen_.magnitude(xta);
                dual_norm = any ? std::max(dual_norm, a) : a;
                any = true;
            } else {
                const double gj = pen_.ridge_gradient(g, w, l2);
                gg += gj * gj / (l2 > 0.0 ? pf : 1.0);
            }
        }
        if (l1 > 0.0) {
            const double primal = 0.5 * (rn2 + l2 * wl2) + l1 * wl1;
            const double s = (any && dual_norm > l1) ? l1 / dual_norm : 1.0;
            const double dual = -0.5 * s * s * (rn2 + l2 * wl2) + s * ry;
            return primal - dual + unpenalized;
        }
        if (l2 > 0.0) return rn2 + 0.5 * l2 * wl2 - ry + gg / (2.0 * l2) + unpenalized;
        return n_ * gg + unpenalized;  // no penalty: scikit-learn's ||X^T r||^2
    }

    Q Q_;  // the caller's arrays, with what prepare() finds out about them
    const double* D_;
    const double* b_;
    double n_;
    index_t p_;
    GramOptions opt_;
    EnetPenalty pen_;  // (opt_.positive)
    bool yty_known_ = false;
    double yty_ = 0.0, bound_ = 0.0;  // the given y^T y; the lower bound on it
    double L1_ = 0.0, L2_ = 0.0;      // n l1, n l2 (the solver works in G's units)
    double wb_ = 0.0, wg_ = 0.0;      // w^T b, w^T G at the last quadratic_sums
    std::vector<double> pf_, w_, G_, w_prev_;
    std::vector<index_t> ws_, active_;
    std::vector<char> in_ws_;
    AndersonHistory anderson_;
    std::vector<double> anderson_point_;
    std::int64_t epochs_ = 0, updates_ = 0, kkt_checks_ = 0;
    bool unbounded_ = false;
};

// An l1 penalty so large that only the unpenalized coefficients can move.
constexpr double GRAM_UNPENALIZED_ONLY = 1e300;

// The whole path. alphas: k values, fit in the given order (decreasing for warm starts to
// pay off); with `generate`, alphas is filled with the geometric grid from alpha_max down
// to eps * alpha_max (scikit-learn's _alpha_grid; as fastreg's enet_path, alpha_max is
// taken after the unpenalized coefficients are fitted).
template <class Q>
void enet_path_gram(const Q& XtX, const double* diag, const double* b, double n, double yty,
                    const double* pf, const double* coef_init, double* alphas, index_t k,
                    bool generate, double eps, const GramOptions& opt, GramPathOutput& out) {
    GramSolver<Q> solver(XtX, diag, b, n, yty, pf, opt);
    const index_t p = XtX.p;
    if (generate && solver.has_unpenalized()) {
        solver.solve(GRAM_UNPENALIZED_ONLY, 0.0, GRAM_UNPENALIZED_ONLY);
    }
    double l1_prev = solver.l1_max();
    if (generate) fill_alpha_grid(alphas, k, l1_prev / opt.l1_ratio, eps);
    if (coef_init) {
        solver.set_coef(coef_init);
        l1_prev = solver.l1_max();
    }
    for (index_t i = 0; i < k; ++i) {
        stop::checkpoint();
        const double l1 = alphas[i] * opt.l1_ratio, l2 = alphas[i] * (1.0 - opt.l1_ratio);
        if (i >= 1)
            solver.extrapolate(extrapolation_factor(alphas, i));
        const auto info = solver.solve(l1, l2, std::max(l1_prev, l1));
        l1_prev = l1;
        const std::vector<double>& w = solver.coef();
        std::copy(w.begin(), w.end(), out.coefs + i * p);
        out.gaps[i] = info.gap;
        out.n_iter[i] = info.n_iter;
        out.converged[i] = info.converged ? 1 : 0;
        if (solver.unbounded()) {  // the rest of the path is unbounded too (smaller alphas)
            out.unbounded_at = i;
            const double nan = std::numeric_limits<double>::quiet_NaN();
            std::fill(out.coefs + i * p, out.coefs + k * p, nan);
            for (index_t r = i; r < k; ++r) {
                out.gaps[r] = nan;
                out.n_iter[r] = 0;
                out.converged[r] = 0;
            }
            break;
        }
    }
    out.yty = solver.yty();
    out.tol_scaled = opt.tol * out.yty / n;
    out.epochs = solver.epochs();
    out.column_updates = solver.column_updates();
    out.kkt_checks = solver.kkt_checks();
}

// Compiled once, in cpp/src/cd_gram.cpp.
#define FASTREG_GRAM_INSTANCE(PREFIX, Q)                                                       \
    PREFIX class GramSolver<Q>;                                                                \
    PREFIX void enet_path_gram<Q>(const Q&, const double*, const double*, double, double,     \
                                  const double*, const double*, double*, index_t, bool, double, \
                                  const GramOptions&, GramPathOutput&);
#define FASTREG_GRAM_ALL(PREFIX)                 \
    FASTREG_GRAM_INSTANCE(PREFIX, GramDense)     \
    FASTREG_GRAM_INSTANCE(PREFIX, GramCsc<std::int32_t>) \
    FASTREG_GRAM_INSTANCE(PREFIX, GramCsc<std::int64_t>)

FASTREG_GRAM_ALL(extern template)

}  // namespace fastreg::cd

#endif  // FASTREG_CD_GRAM_PATH_HPP
