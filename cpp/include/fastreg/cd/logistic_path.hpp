// The binomial family's path driver: L1 / elastic-net logistic regression by proximal Newton
// (IRLS), each outer step's quadratic model solved by the elastic-net coordinate descent of
// cd/enet.hpp on the same design.
//
// The problem, with sample weights u_i normalized to sum 1 (1/n without weights), labels
// y_i in {0, 1}, a fixed offset o_i (0 without one) and eta_i = o_i + b0 + x_i b:
//
//     F(b0, b) = sum_i u_i l(y_i, eta_i) + alpha * (l1_ratio * sum_j pf_j |b_j|
//                                           + (1 - l1_ratio) / 2 * sum_j pf_j b_j^2),
//     l(y, eta) = log(1 + exp(eta)) - y eta,
//
// glmnet's binomial objective ((1/n) sum of weighted log-losses, weights summing to n).
//
// One Newton step at (b0, b): with p_i = sigmoid(eta_i) and w_i = max(p_i (1 - p_i), W_MIN),
// the second-order model of the loss is 1/2 sum_i u_i w_i (z_i - b0' - x_i b')^2 + const,
// z_i = eta_i - o_i + (y_i - p_i) / w_i. EnetSolver minimizes
// 1/2 sum_i v_i (z_i - b0' - x_i b')^2 + l1 |b'|_1 + l2/2 |b'|^2 with v = u w / W,
// W = sum_i u_i w_i (it normalizes its weights to sum 1): dividing the model by W, the
// penalty it needs is (l1, l2) = alpha * (l1_ratio, 1 - l1_ratio) / W. (With weights s_i
// summing to n, u_i = s_i / n and 1/W = n / sum_i s_i w_i.) The step to the model's minimum
// is halved until F decreases (glmnet's step halving), which makes every step a descent
// step. Any positive w gives the same fixed point (the model's gradient at (b0, b) is the
// loss's, whatever w is): the floor W_MIN only keeps the steps finite where p (1 - p) -> 0.
//
// Stopping rule (tol): Newton steps stop when both the decrease of F in the last step and
// half the step's size in the model's metric, 1/2 sum_i u_i w_i (d eta_i)^2 (which is the
// decrease the model predicted, up to the penalty's part), are at most tol * F_null, F_null
// the intercept-only fit's loss (log 2 without an intercept or offset). Each inner solve
// stops at EnetSolver's duality gap with tolerance tol / 10 (relative to its working
// response's weighted variance), so that the inner error is below the outer tolerance.
// float32 fits use tol >= 1e-5 (FLOAT_TOL): their rounding allows no less.
//
// Restricted sets (glmnet's): at each alpha the Newton steps run on a set S of features
// only: those ever nonzero, the unpenalized ones and the sequential strong set
// |g_j| >= (2 alpha - alpha_prev) l1_ratio pf_j, g = X^T (u (p - y)) the loss's gradient at
// the previous alpha's solution. S's columns are copied once (as a dense n x |S| block,
// which the inner solver reads contiguously), and the inner solver's statistics and passes
// cover S, not X. When the steps have converged on S, one pass over X computes g at the
// solution: every feature outside S with |g_j| > alpha l1_ratio pf_j (its KKT condition at
// b_j = 0) joins S and the steps go on; none: the alpha is done, and g gives the next
// alpha's strong set. One pass over X per alpha then, against several per Newton step
// when each step's inner solve covers X. A set too large to copy (MAX_COPY entries, or all
// of X) falls back to inner solves over X.
//
// Along a generated grid the path stops early, as glmnet's does, when the fraction of the
// null deviance explained exceeds 0.999 or changed by less than 1e-5 of itself since the
// previous alpha (after the first 5 alphas): on separable data the coefficients diverge as
// alpha -> 0, and these rules end the path before they do.
#ifndef FASTREG_CD_LOGISTIC_PATH_HPP
#define FASTREG_CD_LOGISTIC_PATH_HPP

#include "fastreg/cd/alpha_grid.hpp"
#include "fastreg/cd/enet.hpp"
#include "fastreg/cd/genotype.hpp"
#include "fastreg/cd/path.hpp"
#include "fastreg/interrupt.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

namespace fastreg::cd {

struct LogisticOptions {
    double l1_ratio = 1.0;
    bool fit_intercept = true;
    double tol = 1e-4;
    index_t max_iter = 100;          // Newton steps per alpha
    index_t inner_max_iter = 10000;  // coordinate-descent epochs per Newton step
    bool screening = true;
    int n_threads = 0;
    bool early_stop = true;  // glmnet's deviance rules along a generated grid
};

// Why a path ended before its last alpha.
enum LogisticStop : int { STOP_NONE = 0, STOP_DEVIANCE_EXPLAINED = 1, STOP_DEVIANCE_FLAT = 2 };

// Outputs of a logistic path: the Gaussian path's (cd/path.hpp; n_iter counts Newton steps,
// gaps is null: the family has no duality gap, tol_scaled is the Newton steps' threshold
// tol * F_null) and the family's deviances; the arrays are the caller's, k = alphas.
template <class T>
struct LogisticOutput : PathOutput<T> {
    double* deviance = nullptr;         // k: 2 sum_i u_i l(y_i, eta_i)
    double null_deviance = 0.0;         // the same for the intercept-only fit (with offset)
    int stop = STOP_NONE;
};

namespace logistic_detail {

// p (1 - p) below this is replaced by it (glmnet floors p at 1e-5 the same way)
constexpr double W_MIN = 1e-5;
// the fraction of the null deviance explained beyond which a generated path stops, and
// the relative change of it below which it stops (glmnet's devmax and fdev), after MIN_ALPHAS
constexpr double DEV_MAX = 0.999;
constexpr double DEV_FLAT = 1e-5;
constexpr index_t MIN_ALPHAS = 5;
constexpr int MAX_HALVINGS = 30;
// the smallest tol of a float32 fit
constexpr double FLOAT_TOL = 1e-5;
// the most entries (n |S|) of the restricted set's copy of its columns
constexpr double MAX_COPY = double(1 << 23);

inline double sigmoid(double eta) {
    if (eta >= 0.0) return 1.0 / (1.0 + std::exp(-eta));
    const double e = std::exp(eta);
    return e / (1.0 + e);
}

// log(1 + exp(eta)) - y eta, without overflow
inline double logloss(double y, double eta) {
    return std::log1p(std::exp(-std::fabs(eta))) + std::max(eta, 0.0) - y * eta;
}

template <class T, class M>
class LogisticFit {
public:
    LogisticFit(const M& X, const T* y, const T* sw, const T* pf, const T* offset,
                const LogisticOptions& opt)
        : X_(X), y_(y), pf_in_(pf), opt_(opt), n_(X.n), p_(X.p) {
        u_.assign(n_, 1.0 / double(n_));
        if (sw) {
            double total = 0.0;
            for (index_t i = 0; i < n_; ++i) total += double(sw[i]);
            if (!(total > 0.0) || !std::isfinite(total))
                throw std::invalid_argument("sample_weight: must have a positive, finite sum");
            for (index_t i = 0; i < n_; ++i) u_[i] = double(sw[i]) / total;
        }
        off_.assign(n_, 0.0);
        if (offset)
            for (index_t i = 0; i < n_; ++i) off_[i] = double(offset[i]);
        pf_.assign(p_, 1.0);
        if (pf)
            for (index_t j = 0; j < p_; ++j) pf_[j] = double(pf[j]);
        b_.assign(p_, 0.0);
        bT_.assign(p_, T(0));
        bn_.assign(p_, 0.0);
        eta_.assign(n_, 0.0);
        eta_new_.assign(n_, 0.0);
        w_.assign(n_, 0.0);
        z_.assign(n_, T(0));
        sw_.assign(n_, T(0));
        resid_.assign(n_, T(0));
        g_.assign(p_, 0.0);
        in_set_.assign(p_, 0);
        inner_.l1_ratio = opt.l1_ratio;
        inner_.fit_intercept = opt.fit_intercept;
        // float32: the linear predictor comes from float32 residuals, whose rounding
        // (relative 1e-7) would keep smaller tolerances from ever being met
        tol_ = sizeof(T) < sizeof(double) ? std::max(opt.tol, FLOAT_TOL) : opt.tol;
        inner_.tol = tol_ * 0.1;
        inner_.max_iter = opt.inner_max_iter;
        inner_.screening = opt.screening;
        inner_.n_threads = opt.n_threads;
        inner_.gram = 0;  // the driver reads the solver's residual, which Gram mode lacks
        null_fit();
    }

    double null_deviance() const { return 2.0 * f_null_; }
    double deviance() const { return 2.0 * loss(eta_); }
    double intercept() const { return b0_; }
    double tol_scaled() const { return tol_ * f_null_; }
    std::int64_t grad_columns() const { return solver_ ? solver_->grad_columns() : 0; }
    const std::vector<double>& coef() const { return b_; }
    std::int64_t epochs() const {
        return epochs_ + (solver_ ? solver_->epochs() : 0) + (sub_ ? sub_->epochs() : 0);
    }
    std::int64_t full_passes() const { return passes_ + (solver_ ? solver_->full_passes() : 0); }

    bool has_unpenalized() const {
        for (index_t j = 0; j < p_; ++j)
            if (pf_[j] <= 0.0) return true;
        return false;
    }

    // A starting point (coefficients in X's units, and the intercept when fitted).
    void set_start(const T* coef, double b0) {
        for (index_t j = 0; j < p_; ++j) b_[j] = std::isfinite(double(pf_[j])) ? double(coef[j]) : 0.0;
        b0_ = opt_.fit_intercept ? b0 : 0.0;
        // X b by the solver's residual: with y = 0 and no intercept, r = -X b
        std::fill(z_.begin(), z_.end(), T(0));
        EnetOptions o = inner_;
        o.fit_intercept = false;
        EnetSolver<T, M> s(X_, z_.data(), nullptr, pf_in_, o);
        sync_coef();
        s.set_coef(bT_.data());
        passes_ += s.full_passes();
        const T* r = s.residual();
        const double rho = s.residual_offset();
        for (index_t i = 0; i < n_; ++i) eta_[i] = off_[i] + b0_ - (double(r[i]) + rho);
        grad_valid_ = false;
    }

    // alpha_max: the smallest alpha at which the penalized coefficients stay zero, from the
    // current fit (the intercept-only one, or with the unpenalized features fitted first).
    double alpha_max() {
        const double W = working();
        const bool start = any_nonzero();
        if (start) sync_coef();
        return W * weighted_solver(start ? bT_.data() : nullptr).l1_max() / opt_.l1_ratio;
    }

    struct Info {
        std::int64_t n_iter = 0;
        bool converged = false;
    };

    // Minimizes F at alpha from the current point; alpha_prev: the path's previous alpha
    // (for the inner solves' strong rules). unpenalized_only: only the intercept and the
    // features with pf = 0 move.
    Info fit(double alpha, double alpha_prev, bool unpenalized_only = false) {
        if (unpenalized_only) return newton_full(alpha, alpha_prev, true);
        return fit_restricted(alpha, alpha_prev);
    }

private:
    // The Newton steps with inner solves over all of X.
    Info newton_full(double alpha, double alpha_prev, bool unpenalized_only) {
        grad_valid_ = false;
        const double l1 = alpha * opt_.l1_ratio, l2 = alpha * (1.0 - opt_.l1_ratio);
        const double l1_prev = std::max(alpha_prev, alpha) * opt_.l1_ratio;
        return newton(unpenalized_only ? 0.0 : alpha, [&](double W) {
            // The inner solve starts from the penalized coefficients only: EnetSolver's
            // duality gap omits -w_j x~_j^T v r for an unpenalized w_j != 0 and can come out
            // negative at a warm start there, stopping it before any epoch.
            const bool start = any_nonzero(true);
            if (start) sync_coef(true);
            EnetSolver<T, M>& s = weighted_solver(start ? bT_.data() : nullptr);
            if (unpenalized_only)
                s.solve(UNPENALIZED_ONLY, 0.0, UNPENALIZED_ONLY);
            else
                s.solve(l1 / W, l2 / W, l1_prev / W);
            std::fill(bn_.begin(), bn_.end(), 0.0);
            s.nonzero_coef(nz_);
            for (const auto& [j, c] : nz_) bn_[j] = double(c);
            return model_minimizer(s);
        });
    }

    // The Newton steps on the restricted set S, KKT checks over X after they converge.
    Info fit_restricted(double alpha, double alpha_prev) {
        const double l1 = alpha * opt_.l1_ratio, l2 = alpha * (1.0 - opt_.l1_ratio);
        const double l1_prev = std::max(alpha_prev, alpha) * opt_.l1_ratio;
        if (!grad_valid_) loss_gradient();
        const double thr = 2.0 * l1 - l1_prev;
        for (index_t j = 0; j < p_; ++j)
            if (!in_set_[j] && pf_[j] < std::numeric_limits<double>::infinity() &&
                (b_[j] != 0.0 || pf_[j] <= 0.0 || std::fabs(g_[j]) >= thr * pf_[j]))
                add_.push_back(j);
        Info info;
        for (;;) {
            // too large to copy, or empty (at alpha_max: no model to solve on S, and the
            // intercept may still move from a given start): inner solves over X
            if (!grow_set() || set_.empty()) {
                const Info rest = newton_full(alpha, alpha_prev, false);
                info.n_iter += rest.n_iter;
                info.converged = rest.converged;
                return info;
            }
            const Info step = newton(alpha, [&](double W) {
                const index_t m = index_t(set_.size());
                bool start = false;
                for (index_t k = 0; k < m; ++k) {
                    const index_t j = set_[k];
                    sub_coef_[k] = pf_[j] <= 0.0 ? T(0) : T(b_[j]);
                    start = start || sub_coef_[k] != T(0);
                }
                if (!sub_) {
                    sub_.emplace(sub_X_, z_.data(), sw_.data(), sub_pf_.data(), inner_);
                    if (start) sub_->set_coef(sub_coef_.data());
                } else {
                    sub_->reweight(z_.data(), sw_.data(), start ? sub_coef_.data() : nullptr);
                }
                sub_->solve(l1 / W, l2 / W, l1_prev / W);
                std::fill(bn_.begin(), bn_.end(), 0.0);
                sub_->nonzero_coef(nz_);
                for (const auto& [k, c] : nz_) bn_[set_[k]] = double(c);
                return model_minimizer(*sub_);
            });
            info.n_iter += step.n_iter;
            info.converged = step.converged;
            // KKT conditions of the features outside S, at b_j = 0: |g_j| <= l1 pf_j
            loss_gradient();
            for (index_t j = 0; j < p_; ++j)
                if (!in_set_[j] && pf_[j] < std::numeric_limits<double>::infinity() &&
                    std::fabs(g_[j]) > l1 * pf_[j])
                    add_.push_back(j);
            if (add_.empty()) return info;
            if (info.n_iter >= opt_.max_iter) {
                info.converged = false;
                return info;
            }
        }
    }

    // Adds add_ to S (and its column copy); false when S would be too large, S then left.
    bool grow_set() {
        if (add_.empty()) return true;
        const double m = double(set_.size() + add_.size());
        if (m >= double(p_) || m * double(n_) > MAX_COPY) {
            add_.clear();
            return false;
        }
        const std::size_t m0 = set_.size();
        for (const index_t j : add_) {
            in_set_[j] = 1;
            set_.push_back(j);
            sub_pf_.push_back(pf_in_ ? pf_in_[j] : T(1));
        }
        add_.clear();
        sub_cols_.resize(set_.size() * std::size_t(n_), T(0));
        for (std::size_t k = m0; k < set_.size(); ++k) {
            T* col = sub_cols_.data() + k * std::size_t(n_);
            X_.for_each(set_[k], [&](index_t i, T x) { col[i] = x; });
        }
        sub_coef_.resize(set_.size());
        sub_X_.data = sub_cols_.data();
        sub_X_.n = n_;
        sub_X_.p = index_t(set_.size());
        sub_X_.ld = n_;
        if (sub_) epochs_ += sub_->epochs();
        sub_.reset();  // (its statistics cover the old set)
        return true;
    }

    // g = X^T (u (p - y)) at eta_: the loss's gradient, one pass over X.
    void loss_gradient() {
        for (index_t i = 0; i < n_; ++i)
            resid_[i] = T(u_[i] * (sigmoid(eta_[i]) - double(y_[i])));
        const int nt = opt_.n_threads > 0
                           ? std::min(threads_for(X_.total_nnz()), opt_.n_threads)
                           : threads_for(X_.total_nnz());
        parallel_for(p_, nt, 64, [&](index_t j) {
            g_[j] = pf_[j] < std::numeric_limits<double>::infinity() ? double(X_.dot(j, resid_.data()))
                                                                     : 0.0;
        });
        ++passes_;
        grad_valid_ = true;
    }

    // The inner solver's solution as the model's minimizer: the intercept and the linear
    // predictor (into eta_new_), the coefficients already in bn_.
    template <class S>
    double model_minimizer(const S& s) {
        const T* r = s.residual();
        const double rho = s.residual_offset();
        for (index_t i = 0; i < n_; ++i)
            eta_new_[i] = off_[i] + double(z_[i]) - (double(r[i]) + rho);
        return s.intercept();
    }

    // Newton steps with step halving from the current point at alpha (pen_alpha: the
    // penalty's, 0 when only the unpenalized features move); solve(W) minimizes the model
    // at the current working response (bn_, eta_new_) and returns its intercept.
    template <class Solve>
    Info newton(double pen_alpha, Solve&& solve) {
        Info info;
        double F = loss(eta_) + penalty(b_, pen_alpha);
        const double scale = tol_ * f_null_;
        for (index_t it = 1; it <= opt_.max_iter; ++it) {
            stop::checkpoint();
            info.n_iter = it;
            const double W = working();
            const double b0n = solve(W);
            // step halving until F decreases
            double t = 1.0, Ft = std::numeric_limits<double>::quiet_NaN();
            bool moved = false;
            for (int h = 0; h <= MAX_HALVINGS; ++h, t *= 0.5) {
                Ft = loss_at(t) + penalty_at(t, pen_alpha);
                if (Ft <= F + 1e-13 * std::fabs(F)) {
                    moved = true;
                    break;
                }
            }
            if (!moved) {  // no descent along the step: at the optimum up to rounding
                info.converged = true;
                break;
            }
            double step2 = 0.0;  // sum u w (d eta)^2
            for (index_t i = 0; i < n_; ++i) {
                const double d = t * (eta_new_[i] - eta_[i]);
                step2 += u_[i] * w_[i] * d * d;
                eta_[i] += d;
            }
            for (index_t j = 0; j < p_; ++j) b_[j] += t * (bn_[j] - b_[j]);
            b0_ += t * (b0n - b0_);
            const double decrease = F - Ft;
            F = Ft;
            if (decrease <= scale && 0.5 * step2 <= scale) {
                info.converged = true;
                break;
            }
        }
        return info;
    }

    // The solver of the weighted least-squares problem at the current working response and
    // weights (z_, sw_), started from coef (null: zero). One solver serves every Newton
    // step (EnetSolver::reweight): what does not depend on the weights, such as a genotype
    // design's column cache and missing-sample lists, is made once.
    EnetSolver<T, M>& weighted_solver(const T* coef) {
        if (!solver_) {
            solver_.emplace(X_, z_.data(), sw_.data(), pf_in_, inner_);
            if (coef) solver_->set_coef(coef);
        } else {
            solver_->reweight(z_.data(), sw_.data(), coef);
        }
        return *solver_;
    }

    // (penalized_only: of the features with pf_j > 0)
    bool any_nonzero(bool penalized_only = false) const {
        for (index_t j = 0; j < p_; ++j)
            if (b_[j] != 0.0 && !(penalized_only && pf_[j] <= 0.0)) return true;
        return false;
    }
    void sync_coef(bool penalized_only = false) {
        for (index_t j = 0; j < p_; ++j)
            bT_[j] = penalized_only && pf_[j] <= 0.0 ? T(0) : T(b_[j]);
    }

    // The weights and working response at eta_ (into w_, sw_, z_); returns W = sum u w.
    double working() {
        double W = 0.0;
        for (index_t i = 0; i < n_; ++i) {
            const double pr = sigmoid(eta_[i]);
            const double w = std::max(pr * (1.0 - pr), W_MIN);
            w_[i] = w;
            z_[i] = T(eta_[i] - off_[i] + (double(y_[i]) - pr) / w);
            sw_[i] = T(u_[i] * w);
            W += u_[i] * w;
        }
        return W;
    }

    double loss(const std::vector<double>& eta) const {
        double s = 0.0;
        for (index_t i = 0; i < n_; ++i)
            if (u_[i] != 0.0) s += u_[i] * logloss(double(y_[i]), eta[i]);
        return s;
    }
    double loss_at(double t) const {
        double s = 0.0;
        for (index_t i = 0; i < n_; ++i)
            if (u_[i] != 0.0)
                s += u_[i] * logloss(double(y_[i]), eta_[i] + t * (eta_new_[i] - eta_[i]));
        return s;
    }
    double penalty(const std::vector<double>& b, double alpha) const {
        if (alpha == 0.0) return 0.0;
        double a = 0.0, q = 0.0;
        for (index_t j = 0; j < p_; ++j)
            if (b[j] != 0.0) {
                a += pf_[j] * std::fabs(b[j]);
                q += pf_[j] * b[j] * b[j];
            }
        return alpha * (opt_.l1_ratio * a + 0.5 * (1.0 - opt_.l1_ratio) * q);
    }
    double penalty_at(double t, double alpha) const {
        if (alpha == 0.0) return 0.0;
        double a = 0.0, q = 0.0;
        for (index_t j = 0; j < p_; ++j) {
            const double bj = b_[j] + t * (bn_[j] - b_[j]);
            if (bj != 0.0) {
                a += pf_[j] * std::fabs(bj);
                q += pf_[j] * bj * bj;
            }
        }
        return alpha * (opt_.l1_ratio * a + 0.5 * (1.0 - opt_.l1_ratio) * q);
    }

    // The intercept-only fit (with the offset): Newton's method in one variable.
    void null_fit() {
        b0_ = 0.0;
        if (opt_.fit_intercept) {
            double ybar = 0.0;
            for (index_t i = 0; i < n_; ++i) ybar += u_[i] * double(y_[i]);
            if (!(ybar > 0.0 && ybar < 1.0))
                throw std::invalid_argument("y: both classes need a positive weight");
            b0_ = std::log(ybar / (1.0 - ybar));
            auto f = [&](double b0) {
                double s = 0.0;
                for (index_t i = 0; i < n_; ++i)
                    if (u_[i] != 0.0) s += u_[i] * logloss(double(y_[i]), off_[i] + b0);
                return s;
            };
            double fb = f(b0_);
            for (int it = 0; it < 100; ++it) {
                double g = 0.0, h = 0.0;
                for (index_t i = 0; i < n_; ++i) {
                    const double pr = sigmoid(off_[i] + b0_);
                    g += u_[i] * (pr - double(y_[i]));
                    h += u_[i] * pr * (1.0 - pr);
                }
                double step = g / std::max(h, 1e-300), t = 1.0, fn = fb;
                bool moved = false;
                for (int k = 0; k <= MAX_HALVINGS; ++k, t *= 0.5) {
                    fn = f(b0_ - t * step);
                    if (fn <= fb) {
                        moved = true;
                        break;
                    }
                }
                if (!moved) break;
                b0_ -= t * step;
                fb = fn;
                if (std::fabs(t * step) <= 1e-12 * (1.0 + std::fabs(b0_))) break;
            }
        }
        for (index_t i = 0; i < n_; ++i) eta_[i] = off_[i] + b0_;
        f_null_ = loss(eta_);
        if (!std::isfinite(f_null_))
            throw std::domain_error("offset: the intercept-only fit's loss is not finite");
        f_null_ = std::max(f_null_, 1e-300);
    }

    const M& X_;
    const T* y_;
    const T* pf_in_;
    LogisticOptions opt_;
    EnetOptions inner_;
    index_t n_, p_;
    std::vector<double> u_, off_, pf_, b_, bn_, eta_, eta_new_, w_;
    std::vector<T> bT_, z_, sw_;
    std::vector<std::pair<index_t, T>> nz_;
    double b0_ = 0.0, f_null_ = 0.0, tol_ = 0.0;
    std::int64_t epochs_ = 0, passes_ = 0;  // set_start()'s solver, the gradients, S's old solvers
    std::optional<EnetSolver<T, M>> solver_;
    // the restricted set S (fit_restricted): its features, membership, penalty factors,
    // columns (n x |S|, column-major) as a design, its solver and starting coefficients
    std::vector<index_t> set_, add_;
    std::vector<char> in_set_;
    std::vector<T> sub_pf_, sub_cols_, sub_coef_, resid_;
    matrix::Dense<T> sub_X_;
    std::optional<EnetSolver<T, matrix::Dense<T>>> sub_;
    std::vector<double> g_;  // the loss's gradient at the current point (grad_valid_)
    bool grad_valid_ = false;
};

}  // namespace logistic_detail

// The whole path. y: n labels in {0, 1}; sw: n non-negative weights (positive sum) or null;
// pf: p penalty factors or null; offset: n values or null; coef_init: p starting
// coefficients (with intercept_init) or null. alphas: k values fit in order, or, with
// `generate`, filled with the geometric grid from alpha_max down to alpha_max * eps.
template <class T, class M>
void logistic_path(const M& X, const T* y, const T* sw, const T* pf, const T* offset,
                   const T* coef_init, double intercept_init, double* alphas, index_t k,
                   bool generate, double eps, const LogisticOptions& opt, LogisticOutput<T>& out) {
    using namespace logistic_detail;
    LogisticFit<T, M> fit(X, y, sw, pf, offset, opt);
    out.null_deviance = fit.null_deviance();
    const index_t p = X.p;
    if (generate) {
        // the unpenalized features are fitted first: alpha_max is where the others leave 0
        if (fit.has_unpenalized()) fit.fit(UNPENALIZED_ONLY, UNPENALIZED_ONLY, true);
        const double amax = fit.alpha_max();
        if (!std::isfinite(amax))
            throw std::domain_error("X: the gradient at the intercept-only fit overflows float64 "
                                    "arithmetic; rescale X");
        fill_alpha_grid(alphas, k, amax, eps);
    }
    if (coef_init) fit.set_start(coef_init, intercept_init);
    index_t done = 0;
    double prev_ratio = 0.0;
    for (index_t i = 0; i < k; ++i) {
        stop::checkpoint();
        const auto info = fit.fit(alphas[i], i > 0 ? alphas[i - 1] : alphas[i]);
        const auto& b = fit.coef();
        for (index_t j = 0; j < p; ++j)
            if (b[j] != 0.0) out.coefs[j * k + i] = T(b[j]);
        out.intercepts[i] = T(fit.intercept());
        out.n_iter[i] = info.n_iter;
        out.converged[i] = info.converged ? 1 : 0;
        const double dev = fit.deviance();
        out.deviance[i] = dev;
        done = i + 1;
        if (generate && opt.early_stop && i + 1 < k) {
            const double ratio = 1.0 - dev / out.null_deviance;
            if (ratio > DEV_MAX) {
                out.stop = STOP_DEVIANCE_EXPLAINED;
                break;
            }
            if (i + 1 >= MIN_ALPHAS && ratio - prev_ratio < DEV_FLAT * ratio) {
                out.stop = STOP_DEVIANCE_FLAT;
                break;
            }
            prev_ratio = ratio;
        }
    }
    out.n_done = done;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (index_t i = done; i < k; ++i) {
        out.intercepts[i] = T(0);
        out.n_iter[i] = 0;
        out.converged[i] = 0;
        out.deviance[i] = nan;
    }
    out.epochs = fit.epochs();
    out.full_passes = fit.full_passes();
    out.grad_columns = fit.grad_columns();
    out.tol_scaled = fit.tol_scaled();
}

// Compiled once, in cpp/src/cd_logistic.cpp, for every design of the Gaussian path.
#define FASTREG_LOGISTIC_INSTANCE(PREFIX, T, M)                                               \
    PREFIX void logistic_path<T, M>(const M&, const T*, const T*, const T*, const T*,         \
                                    const T*, double, double*, index_t, bool, double,         \
                                    const LogisticOptions&, LogisticOutput<T>&);
#define FASTREG_LOGISTIC_ALL(PREFIX)                                                          \
    FASTREG_LOGISTIC_INSTANCE(PREFIX, float, DenseF)                                          \
    FASTREG_LOGISTIC_INSTANCE(PREFIX, double, DenseD)                                         \
    FASTREG_LOGISTIC_INSTANCE(PREFIX, float, CscF32)                                          \
    FASTREG_LOGISTIC_INSTANCE(PREFIX, double, CscD32)                                         \
    FASTREG_LOGISTIC_INSTANCE(PREFIX, float, CscF64)                                          \
    FASTREG_LOGISTIC_INSTANCE(PREFIX, double, CscD64)                                         \
    FASTREG_LOGISTIC_INSTANCE(PREFIX, float, Int8F)                                           \
    FASTREG_LOGISTIC_INSTANCE(PREFIX, double, Int8D)                                          \
    FASTREG_LOGISTIC_INSTANCE(PREFIX, float, BedF)                                            \
    FASTREG_LOGISTIC_INSTANCE(PREFIX, double, BedD)                                           \
    FASTREG_LOGISTIC_INSTANCE(PREFIX, float, Int8CovF)                                        \
    FASTREG_LOGISTIC_INSTANCE(PREFIX, double, Int8CovD)                                       \
    FASTREG_LOGISTIC_INSTANCE(PREFIX, float, BedCovF)                                         \
    FASTREG_LOGISTIC_INSTANCE(PREFIX, double, BedCovD)

FASTREG_LOGISTIC_ALL(extern template)

}  // namespace fastreg::cd

#endif  // FASTREG_CD_LOGISTIC_PATH_HPP
