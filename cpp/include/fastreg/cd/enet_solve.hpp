// The working-set solver: one alpha's solve (the working set from the strong rules, the
// epochs over it and its nonzeros, the checks that end it); EnetSolver's, out of line.
// (Included by cd/enet.hpp after the class.)
#ifndef FASTREG_CD_ENET_SOLVE_HPP
#define FASTREG_CD_ENET_SOLVE_HPP

namespace fastreg::cd {

template <class T, class M>
typename EnetSolver<T, M>::FitInfo EnetSolver<T, M>::solve(double l1, double l2, double l1_prev) {
    if (gram_) return solve_gram(l1, l2);
    FitInfo info;
    const double tol_s = opt_.tol * ynorm2_;
    anderson_.clear();
    const bool screen = opt_.screening && l1 > 0.0;
    ws_.clear();
    index_t usable = 0;
    const double thr = 2.0 * l1 - l1_prev;
    std::vector<index_t> strong;
    for (index_t j = 0; j < p_; ++j) {
        if (nrm_[j] <= 0.0) continue;
        ++usable;
        if (!screen || w_[j] != 0.0 || pf_[j] <= 0.0)
            ws_.push_back(j);
        else if (score(j) >= thr)
            strong.push_back(j);
    }
    // the strong set joins the working set, but not more than about as many features
    // as it already has (a far jump down the path would otherwise bring in most of X):
    // the best scored ones, the rest through KKT checks. A cold start (no coefficients:
    // a single small alpha) takes up to min(n, p), the most nonzeros a lasso solution
    // has; growing from 64 by doubling spent its epochs on too small working sets.
    const index_t limit = ws_.empty() ? std::max(grow_limit(), std::min(n_, p_)) : grow_limit();
    keep_best(strong, limit);
    std::vector<index_t> merged;
    merged.reserve(ws_.size() + strong.size());
    std::merge(ws_.begin(), ws_.end(), strong.begin(), strong.end(), std::back_inserter(merged));
    ws_.swap(merged);
    full_ws_ = index_t(ws_.size()) == usable;
    usable_ = usable;
    cache_working_set();

    kkt_gap_ = std::numeric_limits<double>::infinity();
    outside_age_ = 0;
    if (check(l1, l2, tol_s, false, info)) {
        keep_path_residual();
        return info;
    }
    // Epochs alternate as glmnet's do: a sweep over the working set, then sweeps over
    // its nonzero coefficients only until they settle, then the working set again. The
    // stopping rule is judged on the working-set sweeps.
    bool inner = false;
    double ws_change = 0.0;  // the relative change of the last working-set sweep
    index_t steps = 0;       // coordinate steps since the residual was recomputed
    index_t unchecked = 0;   // working-set sweeps since the last check
    index_t inner_sweeps = 0;  // sweeps over the nonzeros since the last working-set sweep
    const index_t max_iter = opt_.max_iter;
    index_t newton_at = NEWTON_AFTER;  // the epoch at which a Newton step is next weighed
    GapTrend trend;
    for (index_t iter = 1; iter <= max_iter; ++iter) {
        stop::checkpoint();
        const std::vector<index_t>& set = inner ? active_ : ws_;
        double dw_max = 0.0, w_max = 0.0;
        const index_t m = index_t(set.size());
        Deferred later;  // a residual update left for the next coordinate's dot product
        for (index_t f = 0; f < m; ++f) {
            if (!opt_.random) {
                if (f + PREFETCH < m) prefetch(set[f + PREFETCH]);
                if (f + 1 < m) cache_.prefetch_column(set[f + 1]);
            }
            const index_t j = opt_.random ? set[draw(m)] : set[f];
            const double wj = w_[j];
            const double wn = coordinate_minimizer(colgrad_after(later, j) + nrm_[j] * wj, j, l1, l2);
            if (wn != wj) {
                if (!opt_.random && decodes_i8<M>::value)
                    later = deferred(j, wn - wj);
                else
                    update(j, wn - wj);
                w_[j] = wn;
            }
            dw_max = std::max(dw_max, std::fabs(wn - wj));
            w_max = std::max(w_max, std::fabs(wn));
        }
        apply(later);
        info.n_iter = iter;
        ++epochs_;
        ++outside_age_;
        fold_offset();
        if (anderson(set, l1, l2)) {
            // the extrapolated point replaced w: measure the epoch's progress from it
            w_max = 0.0;
            for (const index_t j : set) w_max = std::max(w_max, std::fabs(w_[j]));
        }
        // float32: rounding errors of the residual updates random-walk away from
        // y - Xw over many steps; recompute it after every 8 working sets' worth of
        // coordinate steps (about one epoch's cost)
        if constexpr (sizeof(T) < sizeof(double)) {
            steps += m;
            if (steps >= 8 * index_t(ws_.size())) {
                refresh();
                steps = 0;
            }
        }
        const bool last = iter == max_iter;
        const double change = w_max == 0.0 ? 0.0 : dw_max / w_max;
        if (inner && !last) {
            // settled: moving ten times less than in the last working-set sweep, which
            // keeps the inner sweeps from polishing a support that is still changing
            inner = change > std::max(opt_.tol, 0.1 * ws_change) && ++inner_sweeps < MAX_INNER;
            continue;
        }
        ws_change = change;
        if (std::is_same_v<T, double> && iter >= newton_at && !last) {
            newton_at = iter + NEWTON_WEIGH_EVERY;
            if (newton_paid_ || trend.epochs_left(tol_s) > 0.5 * double(NEWTON_CG_ITER)) {
                newton_at = iter + NEWTON_AFTER;
                const bool whole = newton_step(l1, l2);
                newton_paid_ = false;
                if (whole) {  // the nonzeros' problem solved: check at once
                    unchecked = 0;
                    const bool done = check(l1, l2, tol_s, last, info);
                    trend.add(iter, check_gap_);
                    newton_paid_ = done;
                    if (done) break;
                    inner = false;
                    continue;
                }
            }
        }
        const bool settled = change <= opt_.tol;
        const bool due = ++unchecked >= CHECK_EVERY;
        if (!(settled || last || due)) {
            active_.clear();
            for (const index_t j : ws_)
                if (w_[j] != 0.0) active_.push_back(j);
            inner = !active_.empty() && active_.size() < ws_.size();
            inner_sweeps = 0;
            continue;
        }
        unchecked = 0;
        const bool done = check(l1, l2, tol_s, last, info);
        trend.add(iter, check_gap_);
        if (done) break;
        inner = false;
    }
    keep_path_residual();
    return info;
}

// Keeps the `limit` best scored of `set`, sorted by index.
template <class T, class M>
void EnetSolver<T, M>::keep_best(std::vector<index_t>& set, index_t limit) const {
    if (index_t(set.size()) <= limit) return;
    std::nth_element(set.begin(), set.begin() + limit, set.end(),
                     [&](index_t a, index_t b) { return score(a) > score(b); });
    set.resize(limit);
    std::sort(set.begin(), set.end());
}

}  // namespace fastreg::cd

#endif  // FASTREG_CD_ENET_SOLVE_HPP
