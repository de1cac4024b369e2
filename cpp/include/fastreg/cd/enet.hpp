// Coordinate descent for the elastic net, one target, along a decreasing path of alphas.
//
// The problem, with weights v_i = sw_i / sum(sw) (v_i = 1/n without weights):
//
//     min_{b0, w}  1/2 sum_i v_i (y_i - b0 - x_i w)^2
//                  + alpha * l1_ratio * sum_j pf_j |w_j| + alpha * (1 - l1_ratio) / 2 * sum_j pf_j w_j^2
//
// which is scikit-learn's ElasticNet objective (1/(2n) ||y - Xw||^2 + ...), with sample
// weights normalized the way scikit-learn normalizes them, plus glmnet's penalty factors
// pf_j (not rescaled). The intercept is profiled out by centering y and the columns of X
// with weighted means; with `standardize` the columns are also divided by their weighted
// standard deviations. Neither happens to X itself: the solver works with
// x~_j = (x_j - mu_j) / s_j through offsets and scales in the inner products.
//
// Stopping rule, as scikit-learn's enet_coordinate_descent: after an epoch in which
// max_j |dw_j| <= tol * max_j |w_j| (or w = 0, or at the last iteration) the duality gap
// is computed, and the fit stops when gap <= tol * sum_i v_i (y_i - ybar)^2. The gap here
// is scikit-learn's cd gap divided by n_samples, i.e. exactly its `dual_gap_`.
//
// Speed: a residual r = y~ - X~w is updated after each coordinate step (O(nnz(x_j))).
// Along the path, sequential strong rules choose a working set, and each alpha starts from
// the extrapolation of the last two solutions. The epochs run over the working set and,
// in between, over its nonzero coefficients only (glmnet's active-set cycling); a gap
// restricted to the working set decides when to look at the rest of X, and gap-safe
// screening drops provably inactive features from it. The features left out are then
// checked against their KKT conditions (violators join the working set), which also makes
// the restricted gap the true duality gap. Most of them are cleared by a bound from the
// gradients of recent full passes (cd/references.hpp); the rest are computed, or all of X
// when they are many. A full gradient X~^T v r is parallel over columns (OpenMP) and is the
// unit of cost, reported as `full_passes`; `grad_columns` counts all gradient entries
// computed outside epochs. The working set grows at most geometrically, best scored
// features first, and its epochs are accelerated by Anderson extrapolation.
#ifndef FASTREG_CD_ENET_HPP
#define FASTREG_CD_ENET_HPP

#include "fastreg/cd/anderson.hpp"
#include "fastreg/cd/column_cache.hpp"
#include "fastreg/cd/conjugate_gradient.hpp"
#include "fastreg/cd/design_concept.hpp"
#include "fastreg/cd/penalty.hpp"
#include "fastreg/cd/references.hpp"
#include "fastreg/cd/shared_passes.hpp"
#include "fastreg/common.hpp"
#include "fastreg/interrupt.hpp"
#include "fastreg/matrix/design.hpp"
#include "fastreg/matrix/quantized.hpp"
#include "fastreg/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace fastreg::cd {

struct EnetOptions {
    double l1_ratio = 1.0;
    bool fit_intercept = true;
    bool standardize = false;
    bool positive = false;
    double tol = 1e-4;
    index_t max_iter = 1000;
    bool screening = true;  // strong rules + working set + KKT checks
    int n_threads = 0;      // at most this many threads (0: fastreg.get_num_threads())
    bool acceleration = true;  // Anderson extrapolation of the epochs
    bool random = false;       // selection='random': coordinates drawn with replacement
    std::uint64_t seed = 0;    // for `random`
    int gram = -1;  // covariance (Gram) updates: 1 on (dense X), 0 off, -1 when n >= 10 p
};

// Whether a fit on dense float columns runs in Gram mode (covariance updates): 1 forces
// it, 0 turns it off, -1 decides: n >= 10 p and p <= 4096 (the Gram matrix costs p^2
// doubles, at most a tenth of X's size). Decided here only: Python's tall route
// (linear_model/_tall.py) asks the same function (_core.use_gram).
inline bool use_gram(index_t n, index_t p, int gram) {
    return gram == 1 || (gram < 0 && n >= 10 * p && p <= 4096);
}

template <class T, class M>
class EnetSolver {
    static_assert(is_design<M, T>::value,
                  "M lacks an operation of a design (cd/design_concept.hpp lists them)");

public:
    // y: n targets; sw: n non-negative weights with a positive sum, or null; pf: p
    // non-negative finite penalty factors, or null (all 1).
    // shared: the passes and column statistics this fit shares with others (or null).
    EnetSolver(const M& X, const T* y, const T* sw, const T* pf, const EnetOptions& opt,
               const PathShared<T, M>* shared = nullptr)
        : X_(X), y_(y), opt_(opt), pen_{opt.positive}, n_(X.n), p_(X.p) {
        if (shared) shared_ = *shared;
        if (shared_.indexed)
            cache_.use_index(shared_.index);
        else if (shared_.passes)
            cache_.no_packed_copy();  // (one per fit of a group: n p / 4 bytes each)
        inv_n_ = 1.0 / double(n_);
        pf_.assign(p_, 1.0);
        if (pf)
            for (index_t j = 0; j < p_; ++j) pf_[j] = double(pf[j]);
        if constexpr (matrix::has_float_columns<M, T>::value) gram_ = use_gram(n_, p_, opt_.gram);
        if (!gram_) R_.resize(n_);
        prepare(y, sw, nullptr);
    }

    // The same design, penalty factors and options with a new response and new sample
    // weights (the logistic path's Newton steps: one weighted least-squares problem each),
    // starting from coef (p values in X's units, or null: zero). What depends on the
    // weights is recomputed (the column statistics: one pass over X; the first gradient:
    // one more); what does not is kept: the genotype designs' column cache and
    // missing-sample lists, and the buffers. The counters (full_passes(), epochs(),
    // grad_columns()) go on adding up. Not for a solver with shared passes or statistics
    // (those are the group's, for its weights).
    void reweight(const T* y, const T* sw, const T* coef) {
        if (shared_.passes || shared_.stats)
            throw std::logic_error("EnetSolver::reweight: the solver shares its passes");
        prepare(y, sw, coef);
    }

    index_t n_features() const { return p_; }
    // The residual r_i = y_i - b0 - x_i w of every row (sample weight 0 included) is
    // residual()[i] + residual_offset(); null in Gram mode, which keeps no residual.
    const T* residual() const { return gram_ ? nullptr : R_.data(); }
    double residual_offset() const { return rho_; }
    double ynorm2() const { return ynorm2_; }
    std::int64_t full_passes() const { return passes_; }

    // Coefficients in X's units (p values), as the starting point.
    void set_coef(const T* coef) {
        for (index_t j = 0; j < p_; ++j) w_[j] = nrm_[j] > 0.0 ? double(coef[j]) * s_[j] : 0.0;
        reset_residual();
    }

    bool has_unpenalized() const {
        for (index_t j = 0; j < p_; ++j)
            if (pf_[j] <= 0.0 && nrm_[j] > 0.0) return true;
        return false;
    }

    // The smallest alpha * l1_ratio with all penalized coefficients zero, for the current
    // gradient (exact when the current coefficients are zero and no pf_j is zero).
    double l1_max() const {
        double m = 0.0;
        for (index_t j = 0; j < p_; ++j) {
            if (pf_[j] <= 0.0 || nrm_[j] <= 0.0) continue;
            const double a = pen_.magnitude(g_[j]) / pf_[j];
            m = std::max(m, a);
        }
        return m;
    }

    void full_gradient(bool quantized = false);  // cd/enet_passes.hpp

    const T* weighted(const T* r, std::vector<T>& buf);  // cd/enet_passes.hpp

    void shared_gradient(int slot, int path_slot, double path_s);  // cd/enet_passes.hpp

    struct FitInfo {
        double gap = 0.0;
        std::int64_t n_iter = 0;
        bool converged = false;
    };

    // Minimizes for (l1, l2) = (alpha * l1_ratio, alpha * (1 - l1_ratio)) from the current
    // coefficients; l1_prev is the l1 of the previous fit on the path (for strong rules).
    FitInfo solve(double l1, double l2, double l1_prev);  // cd/enet_solve.hpp

    // The gaps of the last two checks at one alpha, and the epochs they came at: their
    // geometric rate of decrease predicts the epochs coordinate descent still needs.
    struct GapTrend {
        double gap[2] = {0.0, 0.0};
        index_t at[2] = {0, 0};
        int count = 0;
        void add(index_t epoch, double g) {
            if (!(g >= 0.0)) return;  // (NaN: the check computed no gap)
            gap[0] = gap[1];
            at[0] = at[1];
            gap[1] = g;
            at[1] = epoch;
            ++count;
        }
        // 0 until two gaps are known; infinite when the last did not fall
        double epochs_left(double tol_s) const {
            if (count < 2 || at[1] <= at[0] || gap[1] <= tol_s) return 0.0;
            if (!(gap[1] < gap[0])) return std::numeric_limits<double>::infinity();
            const double rate = std::log(gap[0] / gap[1]) / double(at[1] - at[0]);
            return std::log(gap[1] / tol_s) / rate;
        }
    };

    // Keeps the residual of the solution just found, for full_gradient() (shared passes).
    void keep_path_residual() {
        if (!shared_.passes) return;
        fold_offset();
        path_r_ = R_;
        path_r_ready_ = true;
    }

    bool check(double l1, double l2, double tol_s, bool last, FitInfo& info);  // cd/enet_checks.hpp

    index_t find_uncertain(double l1, double dr);  // cd/enet_checks.hpp

    void screen(double l1, double l2, double gap);  // cd/enet_checks.hpp

    FitInfo solve_gram(double l1, double l2);  // cd/enet_gram.hpp

    void quadratic_sums();  // cd/enet_gram.hpp

    void build_gram();  // cd/enet_gram.hpp

    // The minimizer over w_j of the objective with the other coefficients fixed, given
    // tmp = x_j^T v r + ||x_j||^2 w_j: the elastic-net prox of tmp, scaled; 0 when
    // `positive` and tmp < 0.
    double coordinate_minimizer(double tmp, index_t j, double l1, double l2) const {
        return pen_.prox(tmp, nrm_[j], pf_[j], l1, l2);
    }

    // The epochs visit the working set in index order, a few hundred bytes apart in each
    // per-feature array: without a hint each visit waits on several cache misses.
    static constexpr index_t PREFETCH = 8;
    FASTREG_INLINE void prefetch(index_t j) const {
        FASTREG_PREFETCH(&w_[j]);
        FASTREG_PREFETCH(&nrm_[j]);
        FASTREG_PREFETCH(&mu_[j]);
        FASTREG_PREFETCH(&s_[j]);
        FASTREG_PREFETCH(&pf_[j]);
        cache_.prefetch(j);
    }
    // The same for a gradient (colgrad()) of the scattered features a KKT check computes.
    FASTREG_INLINE void prefetch_gradient(index_t j) const {
        FASTREG_PREFETCH(&g_[j]);
        FASTREG_PREFETCH(&mu_[j]);
        FASTREG_PREFETCH(&s_[j]);
        cache_.prefetch(j);
    }

    // How close feature j is to entering the model, in units of its penalty:
    // |g_j| / pf_j (g_j / pf_j when positive).
    double score(index_t j) const {
        return pen_.magnitude(g_[j]) / pf_[j];
    }

    // A KKT check computes the features its bounds leave uncertain, or makes a full pass
    // (which also becomes a new reference of the bounds) when they are more than this
    // fraction of X: 1/8 did fewest column reads on the benchmark paths.
    static constexpr index_t UNCERTAIN_FULL = 8;

    // Features added to the working set at once: as many as it holds, at least MIN_GROWTH.
    static constexpr index_t MIN_GROWTH = 64;
    index_t grow_limit() const { return std::max<index_t>(MIN_GROWTH, index_t(ws_.size())); }

    // Keeps the `limit` best scored of `set`, sorted by index.
    void keep_best(std::vector<index_t>& set, index_t limit) const;  // cd/enet_solve.hpp

    // Sweeps over the nonzeros between two working-set sweeps, at most: they stop once
    // settled, but on strongly correlated columns settling can take longer than moving on.
    static constexpr index_t MAX_INNER = 10;
    // Working-set sweeps between two checks, at most; after as many epochs without looking
    // outside the working set, its gap need only fall below this fraction of the last
    // whole gap.
    static constexpr index_t CHECK_EVERY = 10;
    static constexpr double SUBPROBLEM_GAP = 0.3;

    // Anderson acceleration of the epochs (cd/anderson.hpp): the extrapolated point is kept
    // when it lowers the objective. Costs one residual update over the working set per
    // AndersonHistory::K epochs.
    bool anderson(const std::vector<index_t>& set, double l1, double l2);  // cd/enet_acceleration.hpp

    // Newton steps on the nonzero coefficients, weighed against the epochs they save (why
    // and when: cd/enet_newton.hpp). Returns true when it took the whole step.
    static constexpr index_t NEWTON_AFTER = 20;
    static constexpr index_t NEWTON_WEIGH_EVERY = 10;
    static constexpr index_t NEWTON_CG_ITER = 60;  // (25 to 100 traded one case for another)
    static constexpr double NEWTON_CG_RTOL = 1e-6;
    bool newton_step(double l1, double l2);  // cd/enet_newton.hpp

    double primal(double l1, double l2) const;  // cd/enet_gap.hpp

    void gradients(const std::vector<index_t>& set);  // cd/enet_checks.hpp

    bool working_set_gradients(double l1, double l2, double inside_above);  // cd/enet_checks.hpp
    static constexpr index_t STAGED_BELOW = 64;  // working sets computed in one stage

    // The unpenalized features' part of the duality gap. No dual point is feasible for a
    // feature with pf_j = 0 unless x~_j^T v r = 0: the gap counts instead what an exact
    // step on w_j would still gain, g_j^2 / (2 ||x~_j||^2), and is taken for the penalized
    // features' problem with w_j fixed. Its dual pairs the scaled residual with
    // y~ - x~_j w_j: r^T y~ less w_j g_j, which is not 0 away from the solution and would
    // otherwise make the gap negative, and the fit stop early. gap_from() and
    // gap_lower_bound() both take these terms from here.
    struct Unpenalized {
        double gain = 0.0, wg = 0.0;
        void add(double g, double w, double nrm) {
            gain += 0.5 * g * g / nrm;
            wg += w * g;
        }
        double ry(double Ry) const { return Ry - wg; }  // sum v r (y~ - X~_U w_U)
    };

    // What gap_lower_bound() knows: the largest |g_j - l2 pf_j w_j| / pf_j over the
    // penalized features computed so far, and the unpenalized features' terms.
    struct GapBound {
        double dual_norm = 0.0;
        Unpenalized unpenalized;
        void add(const EnetSolver& s, const std::vector<index_t>& part, double l2) {
            for (const index_t j : part) {
                const double pf = s.pf_[j], g = s.g_[j];
                if (pf <= 0.0) {
                    unpenalized.add(g, s.w_[j], s.nrm_[j]);
                    continue;
                }
                const double xta = (g - l2 * pf * s.w_[j]) / pf;
                dual_norm = std::max(dual_norm, s.pen_.magnitude(xta));
            }
        }
    };
    double gap_lower_bound(const GapBound& b, double l1, double l2) const;  // cd/enet_checks.hpp

    void advance_drift();  // cd/enet_checks.hpp
    double staleness(index_t j) const { return drift_ - std::max(g_drift_[j], pass_drift_); }

    // designs whose full passes may go through the integer kernels (quantized_pass())
    static constexpr bool quantizes = decodes_i8<M>::value && std::is_same_v<T, double>;

    void quantized_pass();  // cd/enet_passes.hpp

    void exact_near(double l1, double l2);  // cd/enet_checks.hpp

    // Moves the coefficients along the path's current direction, w += factor (w - w_prev)
    // (the lasso path is piecewise linear in alpha: between kinks this lands on the next
    // solution), leaving at zero a coefficient that would cross zero. Call it before each
    // alpha after the first (factor 0 at the second: only remembers the solution).
    //
    // The move is made only while it pays: when the last prediction landed nearer the
    // solution found than the solution before it did. On strongly correlated columns
    // (uncentered dosages without an intercept) the solutions are inexact along slowly
    // converging directions, and extrapolating them throws each start further along those.
    void extrapolate(double factor);  // cd/enet_acceleration.hpp

    // The nonzero coefficients (feature, value in X's units), in feature order; the intercept.
    void nonzero_coef(std::vector<std::pair<index_t, T>>& out) const {
        out.clear();
        for (index_t j = 0; j < p_; ++j)
            if (w_[j] != 0.0) out.emplace_back(j, T(w_[j] / s_[j]));
    }
    double intercept() const {
        if (!opt_.fit_intercept) return 0.0;
        double b = ybar_;
        for (index_t j = 0; j < p_; ++j)
            if (w_[j] != 0.0) b -= mu_[j] * (w_[j] / s_[j]);
        return b;
    }
    std::int64_t epochs() const { return epochs_; }
    std::int64_t grad_columns() const { return grad_columns_; }

private:
    FASTREG_INLINE double weight(index_t i) const { return v_ ? double(v_[i]) : inv_n_; }

    // A uniform draw from [0, m) (splitmix64; m is far below 2^32, the bias negligible).
    index_t draw(index_t m) {
        std::uint64_t z = (rng_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        return index_t((z >> 32) * std::uint64_t(m) >> 32);
    }

    int threads(index_t work, index_t serial_below = SERIAL_BELOW) const {
        const int nt = threads_for(work, serial_below);
        return opt_.n_threads > 0 ? std::min(nt, opt_.n_threads) : nt;
    }

    double wsum(const T* a) const {
        double s = 0.0;
        if (v_) {
            for (index_t i = 0; i < n_; ++i) s += double(v_[i]) * double(a[i]);
        } else {
            for (index_t i = 0; i < n_; ++i) s += double(a[i]);
            s *= inv_n_;
        }
        return s;
    }

    void column_stats();  // cd/enet_setup.hpp

    void prepare(const T* y, const T* sw, const T* coef);  // cd/enet_setup.hpp

    void reset_residual();  // cd/enet_setup.hpp

    void first_gradient();  // cd/enet_passes.hpp

    // Genotype epochs fuse a coordinate's residual update with the next coordinate's dot
    // product, one pass over r for both where both columns are resident (ColumnCache::
    // axpy_dot): the update waits, as a Deferred, until that dot product is needed.
    // 0.37 against 0.44 us a coordinate step (n = 2,000, int8), r the same bit for bit.
    struct Deferred {
        index_t j = -1;
        double delta = 0.0;
    };
    static Deferred deferred(index_t j, double delta) { return {j, delta}; }
    void apply(Deferred& d);
    // colgrad(j) once the deferred update is made
    FASTREG_INLINE double colgrad_after(Deferred& d, index_t j);

    // r -= delta * x~_j (cd/enet_residual.hpp, as the other column operations)
    FASTREG_INLINE void update(index_t j, double delta);

    // x~_j^T v r, from x_j^T v r
    FASTREG_INLINE double colgrad(index_t j) const;
    FASTREG_INLINE double scaled_grad(index_t j, double d) const;

    void recompute_residual();  // cd/enet_setup.hpp

    // The designs whose residual updates leave the centering shift, the same for every
    // sample, in rho_ (the residual is R_ + rho_): sparse X, where adding it would fill
    // in the column, and genotype columns read from the cache, where it is one vector
    // addition out of the epochs' five a sample (coordinate steps 0.33 against 0.37 us at
    // n = 2,000).
    static constexpr bool lazy_offset = M::sparse || decodes_i8<M>::value;

    // The lazy offset goes into r after each epoch (O(n)), before r's entries drift far
    // from their values and lose precision.
    void fold_offset();

    // Copies of the working set's columns in the form epochs read fastest, for genotype
    // designs (cd/column_cache.hpp); called where the working set gains columns.
    void cache_working_set() {
        if constexpr (decodes_i8<M>::value)
            // (the first sync scans all of X: on the threads its size asks for, not the
            // first working set's, which left it to one core, 38 ms more an int8 fit)
            cache_.sync(X_, ws_, threads(index_t(ws_.size()) * n_, BANDWIDTH_SERIAL_BELOW),
                        threads(X_.total_nnz(), BANDWIDTH_SERIAL_BELOW));
    }

    void refresh();  // folds the lazy offset into r, recomputes its sums

    template <class Index>
    double gap_from(const Index& idx, double l1, double l2);  // cd/enet_gap.hpp

    double gap_all(double l1, double l2);  // cd/enet_gap.hpp
    double gap_over(const std::vector<index_t>& set, double l1, double l2);  // cd/enet_gap.hpp

    const M& X_;
    const T* y_;
    EnetOptions opt_;
    EnetPenalty pen_;  // (opt_.positive)
    index_t n_, p_;
    double inv_n_ = 1.0;
    std::vector<T> vbuf_;
    const T* v_ = nullptr;
    double ybar_ = 0.0, ynorm2_ = 0.0;
    std::vector<double> pf_, mean_, mu_, s_, nrm_, root_nrm_;
    std::vector<double> w_, g_;
    // advance_drift(): the residual's path length so far, at g_j's computation, at the
    // last full pass's, and the residual it was last advanced to
    double drift_ = 0.0, pass_drift_ = -std::numeric_limits<double>::infinity();
    std::vector<double> g_drift_, drift_snap_;
    std::vector<index_t> subset_;  // working_set_gradients()'s, and its stages
    std::vector<index_t> stages_[3];
    std::vector<T> R_;
    double rho_ = 0.0;                      // lazy offset of every residual (lazy_offset)
    double dual_scale_ = 1.0;  // the last gap's dual point is dual_scale_ * r
    double S_ = 0.0, Rn2_ = 0.0, Ry_ = 0.0;  // sum v r, sum v r^2, sum v r (y - ybar)
    std::vector<double> w_prev_;  // the previous solution on the path (extrapolate)
    std::vector<double> predicted_;  // the last extrapolated start, made or not (extrapolate)
    std::vector<index_t> nz_, prev_nz_, support_;  // extrapolate: w's nonzeros, w_prev's, union
    std::vector<index_t> ws_, unc_, active_;  // working set, uncertain, its nonzeros
    std::vector<std::vector<index_t>> unc_parts_;  // find_uncertain()'s, per block
    std::vector<char> in_ws_;
    bool full_ws_ = false;
    index_t usable_ = 0;
    GradientReferences<T> refs_;  // the last full passes' residuals and gradients
    ColumnCache<T, M> cache_;     // working-set columns as plain int8 (genotypes only)
    std::vector<T> path_r_;       // the residual at the last solution (shared passes)
    bool path_r_ready_ = false;
    double kkt_gap_ = 0.0;        // the whole gap at the last check outside the working set
    double check_gap_ = 0.0;      // the gap the last check computed (NaN: none)
    bool newton_paid_ = false;    // the last Newton step ended its alpha's solve
    index_t outside_age_ = 0;     // epochs since that check
    AndersonHistory anderson_;
    std::vector<double> anderson_point_;
    std::vector<T> R_save_;
    std::int64_t accepted_ = 0;
    std::vector<index_t> newton_set_;  // newton_step(): the nonzero coefficients
    std::vector<T> newton_u_;          // and X~_S d for its products
    std::int64_t newton_steps_ = 0;
    bool gram_ = false;
    std::vector<double> Q_, q_;  // Gram mode: X~^T V X~ (p x p) and X~^T V y~
    std::uint64_t rng_ = 0;
    std::int64_t passes_ = 0, epochs_ = 0, grad_columns_ = 0;
    PathShared<T, M> shared_;              // passes and statistics shared with other fits
    std::vector<double> raw_, raw_path_;  // shared_gradient(): the batch's raw products
    std::vector<T> ebuf_[2];              // and the weighted residuals it was given
    std::vector<double> r_hat_;           // quantized_pass(): the residual it was exact for,
    double q_radius_ = 0.0;               // its distance from r (0: the last pass was exact)
    std::vector<index_t> near_;           // exact_near()'s features
};

}  // namespace fastreg::cd

// the solver's methods by job, defined out of line
#include "fastreg/cd/enet_residual.hpp"
#include "fastreg/cd/enet_solve.hpp"
#include "fastreg/cd/enet_acceleration.hpp"
#include "fastreg/cd/enet_checks.hpp"
#include "fastreg/cd/enet_passes.hpp"
#include "fastreg/cd/enet_gram.hpp"
#include "fastreg/cd/enet_newton.hpp"
#include "fastreg/cd/enet_gap.hpp"
#include "fastreg/cd/enet_setup.hpp"

#endif  // FASTREG_CD_ENET_HPP
