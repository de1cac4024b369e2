// The KKT checks of a working set's solution, gap-safe screening, and the gradients
// they need (staged, and bounded by how far the residual moved): EnetSolver's, out of
// line.
// (Included by cd/enet.hpp after the class.)
#ifndef FASTREG_CD_ENET_CHECKS_HPP
#define FASTREG_CD_ENET_CHECKS_HPP

namespace fastreg::cd {

// The stopping test. The gap of the problem restricted to the working set costs only
// its columns; it is the true gap unless a feature outside violates its KKT condition
// |x~_j^T v r| <= l1 pf_j. That is settled without a pass over X for every feature
// whose bound from the references (the last full passes' gradients, projected) is below
// l1 pf_j; only the others are computed, or all of X when they are many. Violators join
// the working set. Returns true when gap <= tol_s.
//
// The features outside are checked once the working set's problem is solved or, after
// CHECK_EVERY sweeps without, once its gap is below a fraction of the last whole gap
// (celer's rule): on strongly correlated columns (uncentered dosages without an
// intercept) a working set's problem can take thousands of sweeps, and growing the set
// only after each is solved stalls the path.
template <class T, class M>
bool EnetSolver<T, M>::check(double l1, double l2, double tol_s, bool last, FitInfo& info) {
    refresh();
    check_gap_ = std::numeric_limits<double>::quiet_NaN();
    if (full_ws_) {
        full_gradient(l1 > 0.0);
        exact_near(l1, l2);
        info.gap = check_gap_ = gap_all(l1, l2);
        info.converged = info.gap <= tol_s;
        return info.converged;
    }
    // (a gap above this keeps the check inside the working set)
    const double inside_above =
        last ? std::numeric_limits<double>::infinity()
             : outside_age_ >= CHECK_EVERY ? std::max(tol_s, SUBPROBLEM_GAP * kkt_gap_) : tol_s;
    if (!working_set_gradients(l1, l2, inside_above)) return false;
    const double gap_ws = check_gap_ = gap_over(ws_, l1, l2);
    const bool outside = gap_ws <= inside_above;
    if (!outside) {
        // the working set's own problem is not solved yet: screen it with its gap
        if (l1 > 0.0) screen(l1, l2, gap_ws);
        return false;
    }

    in_ws_.assign(p_, 0);
    for (const index_t j : ws_) in_ws_[j] = 1;
    const index_t unc_nnz = find_uncertain(l1, refs_.project(R_.data()));
    bool full = false;
    if (UNCERTAIN_FULL * unc_nnz > X_.total_nnz()) {
        full_gradient(l1 > 0.0);
        exact_near(l1, l2);
        full = true;
        info.gap = gap_all(l1, l2);
    } else {
        gradients(unc_);
        info.gap = gap_from(
            [&](auto&& f) {
                for (const index_t j : ws_) f(j);
                for (const index_t j : unc_) f(j);
            },
            l1, l2);
    }
    kkt_gap_ = check_gap_ = info.gap;
    outside_age_ = 0;
    info.converged = info.gap <= tol_s;
    if (info.converged) return true;
    if (l1 > 0.0) screen(l1, l2, info.gap);
    // KKT violators outside the working set join it
    std::vector<index_t> add;
    auto consider = [&](index_t j) {
        if (in_ws_[j] || nrm_[j] <= 0.0) return;
        const double a = pen_.magnitude(g_[j]);
        if (a > l1 * pf_[j]) add.push_back(j);
    };
    if (full) {
        for (index_t j = 0; j < p_; ++j) consider(j);
    } else {
        for (const index_t j : unc_) consider(j);
    }
    keep_best(add, grow_limit());  // the working set at most doubles
    if (!add.empty()) {
        std::vector<index_t> merged;
        merged.reserve(ws_.size() + add.size());
        std::merge(ws_.begin(), ws_.end(), add.begin(), add.end(), std::back_inserter(merged));
        ws_.swap(merged);
        full_ws_ = index_t(ws_.size()) == usable_;
        cache_working_set();
    }
    return false;
}

// unc_ = the features outside the working set whose bound (the references' projected
// gradient plus ||x~_j|| times dr, the residual's distance from the references' span)
// does not settle their KKT condition, in index order; returns their stored entries.
// Blocks of features in parallel: the bounds of all p features are read at every check.
template <class T, class M>
index_t EnetSolver<T, M>::find_uncertain(double l1, double dr) {
    constexpr index_t BLOCK = 8192;
    const index_t blocks = (p_ + BLOCK - 1) / BLOCK;
    if (index_t(unc_parts_.size()) < blocks) unc_parts_.resize(std::size_t(blocks));
    std::vector<index_t> nnz(std::size_t(blocks), 0);
    parallel_for(blocks, threads(p_), 1, [&](index_t b) {
        std::vector<index_t>& out = unc_parts_[std::size_t(b)];
        out.clear();
        for (index_t j = b * BLOCK, e = std::min(p_, j + BLOCK); j < e; ++j) {
            const double root = root_nrm_[j];
            if (in_ws_[j] || root <= 0.0) continue;
            const double gp = refs_.predict(j);
            const double g = pen_.magnitude(gp);
            if (g + root * dr > l1 * pf_[j]) {
                out.push_back(j);
                nnz[std::size_t(b)] += X_.nnz(j);
            }
        }
    });
    unc_.clear();
    index_t total = 0;
    for (index_t b = 0; b < blocks; ++b) {
        const auto& part = unc_parts_[std::size_t(b)];
        unc_.insert(unc_.end(), part.begin(), part.end());
        total += nnz[std::size_t(b)];
    }
    return total;
}

// Gap-safe screening of the working set (Fercoq, Gramfort & Salmon 2015): the dual is
// 1-strongly concave, so the optimal dual point lies within sqrt(2 gap) of the feasible
// one, scale * r, and a feature whose dual constraint holds with that margin,
// scale |g_j| + ||x~_j||_aug sqrt(2 gap) < l1 pf_j, is zero at the solution. Zero
// coefficients that pass leave the working set for this alpha (the elastic net is a
// lasso on X~ stacked over diag(sqrt(l2 pf)), whence ||x~_j||_aug^2 = ||x~_j||^2 + l2 pf_j).
// Needs g_ exact on the working set and dual_scale_ from the gap just computed. With the
// gap of the problem restricted to the working set, the features screened are zero at
// its solution; should one be needed by the whole problem, the KKT check brings it back.
template <class T, class M>
void EnetSolver<T, M>::screen(double l1, double l2, double gap) {
    const double radius = std::sqrt(2.0 * std::max(gap, 0.0));
    std::size_t kept = 0;
    for (const index_t j : ws_) {
        const double pf = pf_[j];
        bool out = false;
        if (w_[j] == 0.0 && pf > 0.0) {
            const double g = pen_.magnitude(g_[j]);
            // (+ the error a quantized pass may have left in g_j, exact_near(), and
            // how far the residual has moved since g_j was computed)
            out = dual_scale_ * (g + root_nrm_[j] * (q_radius_ + staleness(j))) +
                      std::sqrt(nrm_[j] + l2 * pf) * radius <
                  l1 * pf;
        }
        if (!out) ws_[kept++] = j;
    }
    if (kept < ws_.size()) {
        ws_.resize(kept);
        full_ws_ = false;
    }
}

// g_j for the features of `set`, in parallel when they are many.
template <class T, class M>
void EnetSolver<T, M>::gradients(const std::vector<index_t>& set) {
    advance_drift();
    const index_t m = index_t(set.size());
    index_t work = 0;
    for (const index_t j : set) work += X_.nnz(j);
    // (a thread team from 2^16 entries on, as elsewhere: 2^20 left a working set's
    // ~1,000 columns of n = 1,000 to one core, 7 % of single-target paths' time)
    const int nt = threads(work);
    parallel_for(m, nt, 16, [&](index_t k) {
        if (k + PREFETCH < m) prefetch_gradient(set[k + PREFETCH]);
        if (k + 1 < m) cache_.prefetch_source(set[k + 1]);
        const index_t j = set[k];
        g_[j] = colgrad(j);
        g_drift_[j] = drift_;
    });
    grad_columns_ += m;
}

// The gradients over the working set that its gap needs. With an l1 penalty the gap
// depends on the gradients only through the dual point's scale, set by the largest
// |g_j - l2 pf_j w_j| / pf_j where it exceeds l1, and on the unpenalized features'.
// So a zero coefficient's gradient is left as it was when its bound (that value plus
// ||x~_j|| times how far the residual has moved since) is below l1 pf_j: the gap comes
// out the same. The nonzero coefficients' are always computed; they are most of a
// working set near the end of a path, the zero ones skipped about a quarter of it.
//
// Most checks find the working set's problem not yet solved (2 of 3 on the many-target
// benchmark), and the nonzero coefficients' gradients alone nearly always show it: a
// coefficient's gradient sits at its threshold after its own step and drifts past it
// with the steps after. So they are computed in stages, a quarter of the nonzero
// coefficients, then another quarter, then the rest, and the check stops at the first
// stage whose gradients prove the gap above `inside_above` (gap_lower_bound()); false
// then, and the gradients not computed stay as they were (each with its staleness).
// (k = 10 targets: a quarter of them proved 64 % of the unsolved checks, a half 81 %,
// all 97 %.)
template <class T, class M>
bool EnetSolver<T, M>::working_set_gradients(double l1, double l2, double inside_above) {
    if (l1 <= 0.0) {
        gradients(ws_);
        return true;
    }
    advance_drift();  // (staleness() up to the current residual)
    subset_.clear();
    for (const index_t j : ws_) {
        const double pf = pf_[j];
        if (w_[j] == 0.0 && pf > 0.0) {
            const double g = pen_.magnitude(g_[j]);
            if (g + root_nrm_[j] * (q_radius_ + staleness(j)) <= l1 * pf) continue;
        }
        subset_.push_back(j);
    }
    if (!std::isfinite(inside_above) || index_t(subset_.size()) < STAGED_BELOW) {
        gradients(subset_);
        return true;
    }
    // stage 0: a quarter of the nonzero coefficients, and the unpenalized features (the
    // bound needs theirs); stage 1: another quarter; stage 2: the rest
    for (auto& st : stages_) st.clear();
    index_t nz = 0;
    for (const index_t j : subset_) {
        int k = 2;
        if (pf_[j] <= 0.0) {
            k = 0;
        } else if (w_[j] != 0.0) {
            const index_t c = nz++ % 4;
            k = c == 0 ? 0 : c == 2 ? 1 : 2;
        }
        stages_[std::size_t(k)].push_back(j);
    }
    GapBound bound;
    for (int k = 0; k < 2; ++k) {
        gradients(stages_[std::size_t(k)]);
        bound.add(*this, stages_[std::size_t(k)], l2);
        const double at_least = gap_lower_bound(bound, l1, l2);
        if (at_least > inside_above) {
            check_gap_ = at_least;  // (a lower bound: for GapTrend, as good as the gap)
            return false;
        }
    }
    gradients(stages_[2]);
    return true;
}

// A lower bound of the working set's gap (gap_over(ws_), l1 > 0) from the gradients of
// some of its features: the dual point's scale is at most l1 / (their largest dual
// norm), and the gap is at least its value at the best scale up to that one (the dual
// objective is concave in the scale).
template <class T, class M>
double EnetSolver<T, M>::gap_lower_bound(const GapBound& b, double l1, double l2) const {
    double wl1 = 0.0, wl2 = 0.0;
    for (const index_t j : ws_) {
        wl1 += pf_[j] * std::fabs(w_[j]);
        wl2 += pf_[j] * w_[j] * w_[j];
    }
    const double a = Rn2_ + l2 * wl2, primal = 0.5 * a + l1 * wl1;
    const double ry = b.unpenalized.ry(Ry_);
    double scale = b.dual_norm > l1 ? l1 / b.dual_norm : 1.0;
    if (a > 0.0) scale = std::clamp(ry / a, 0.0, scale);
    return primal - (-0.5 * scale * scale * a + scale * ry) + b.unpenalized.gain;
}

// drift_ sums ||r - r'||_V over the successive residuals r' at which gradients were
// computed, so that ||r_b - r_a||_V <= drift_(b) - drift_(a) (triangle inequality):
// g_j computed when drift_ was g_drift_[j] is within ||x~_j|| staleness(j) of its value
// at the current residual (Cauchy-Schwarz). Called before gradients are computed.
template <class T, class M>
void EnetSolver<T, M>::advance_drift() {
    if (R_.empty()) return;  // Gram mode: no residual, and no checks
    drift_snap_.resize(n_);
    double d2 = 0.0;
    for (index_t i = 0; i < n_; ++i) {
        const double r = double(R_[i]) + rho_, d = r - drift_snap_[i];
        d2 += weight(i) * d * d;
        drift_snap_[i] = r;
    }
    drift_ += std::sqrt(d2);
}

// After quantized_pass(): exact gradients for the features whose KKT condition (or the
// dual point's scale) the pass's error could decide, |g_j - l2 pf_j w_j| within
// ||x~_j|| q_radius_ of l1 pf_j or above, and the unpenalized ones. The others are
// below their threshold at r, whatever the error.
template <class T, class M>
void EnetSolver<T, M>::exact_near(double l1, double l2) {
    if (q_radius_ <= 0.0) return;
    near_.clear();
    for (index_t j = 0; j < p_; ++j) {
        if (nrm_[j] <= 0.0) continue;
        const double pf = pf_[j];
        if (pf <= 0.0 || std::fabs(g_[j] - l2 * pf * w_[j]) + root_nrm_[j] * q_radius_ >= l1 * pf)
            near_.push_back(j);
    }
    gradients(near_);
}

}  // namespace fastreg::cd

#endif  // FASTREG_CD_ENET_CHECKS_HPP
