// An EnetSolver's preparation for a response and sample weights: their sums, the column
// statistics, the residual and the first gradient at the starting point; out of line.
// (Included by cd/enet.hpp after the class.)
#ifndef FASTREG_CD_ENET_SETUP_HPP
#define FASTREG_CD_ENET_SETUP_HPP

namespace fastreg::cd {

// Everything that depends on y and the weights, from scratch: the state of a new solver
// with coefficients coef (null: zero).
template <class T, class M>
void EnetSolver<T, M>::prepare(const T* y, const T* sw, const T* coef) {
    y_ = y;
    v_ = nullptr;
    if (sw) {
        double total = 0.0;
        for (index_t i = 0; i < n_; ++i) total += double(sw[i]);
        vbuf_.resize(n_);
        for (index_t i = 0; i < n_; ++i) vbuf_[i] = T(double(sw[i]) / total);
        v_ = vbuf_.data();
    }
    ybar_ = 0.0;
    if (opt_.fit_intercept) ybar_ = wsum(y_);
    ynorm2_ = 0.0;
    for (index_t i = 0; i < n_; ++i) {
        const double d = double(y_[i]) - ybar_;
        ynorm2_ += weight(i) * d * d;
    }
    if (!std::isfinite(ynorm2_))
        throw std::domain_error("y: its values are too large for float64 arithmetic (the sum "
                                "of their squares overflows); rescale y");
    refs_.reset(n_, p_, v_);
    rng_ = opt_.seed;
    // the bounds' bookkeeping and the path's memory start afresh
    drift_ = 0.0;
    pass_drift_ = -std::numeric_limits<double>::infinity();
    drift_snap_.clear();
    dual_scale_ = 1.0;
    rho_ = 0.0;
    w_prev_.clear();
    predicted_.clear();
    prev_nz_.clear();
    ws_.clear();
    path_r_ready_ = false;
    newton_paid_ = false;
    column_stats();
    w_.assign(p_, 0.0);
    if (coef)
        for (index_t j = 0; j < p_; ++j) w_[j] = nrm_[j] > 0.0 ? double(coef[j]) * s_[j] : 0.0;
    g_.assign(p_, 0.0);
    g_drift_.assign(p_, -std::numeric_limits<double>::infinity());  // none computed yet
    if (gram_) build_gram();
    reset_residual();
}

template <class T, class M>
void EnetSolver<T, M>::column_stats() {
    mean_.assign(p_, 0.0);
    mu_.assign(p_, 0.0);
    s_.assign(p_, 1.0);
    nrm_.assign(p_, 0.0);
    const int nt = threads(X_.total_nnz());
    auto one = [&](index_t j) {
        const matrix::ColumnStats st = shared_.stats ? shared_.stats[j] : X_.stats(j, v_, opt_.fit_intercept);
        if (!std::isfinite(st.ssq) || !std::isfinite(st.mean)) {
            nrm_[j] = std::numeric_limits<double>::quiet_NaN();  // (reported below)
            return;
        }
        mean_[j] = st.mean;
        mu_[j] = opt_.fit_intercept ? st.mean : 0.0;
        // a constant column, once centered, is rounding noise: leave it out
        const double noise = 64.0 * std::numeric_limits<T>::epsilon() * std::fabs(st.mean);
        double ssq = st.ssq;
        if (opt_.fit_intercept && ssq <= noise * noise) ssq = 0.0;
        if (ssq <= 0.0 || !(pf_[j] < std::numeric_limits<double>::infinity())) {
            nrm_[j] = 0.0;
            return;
        }
        if (opt_.standardize) {
            s_[j] = std::sqrt(ssq);
            nrm_[j] = 1.0;
        } else {
            nrm_[j] = ssq;
        }
    };
    parallel_for(p_, nt, 64, one);
    for (index_t j = 0; j < p_; ++j)
        if (std::isnan(nrm_[j]))
            throw std::domain_error("X: the values of column " + std::to_string(j) +
                                    " are too large for float64 arithmetic (the sum of their "
                                    "squares overflows); rescale X");
    // ||x~_j||, which every KKT check's bounds multiply (p square roots a check, else)
    root_nrm_.resize(p_);
    for (index_t j = 0; j < p_; ++j) root_nrm_[j] = std::sqrt(nrm_[j]);
    ++passes_;
}

// r = y - ybar - X~ w (one pass over the columns with nonzero coefficients), then the
// full gradient.
template <class T, class M>
void EnetSolver<T, M>::reset_residual() {
    if (gram_) {
        full_gradient();
        return;
    }
    for (index_t i = 0; i < n_; ++i) R_[i] = T(double(y_[i]) - ybar_);
    rho_ = 0.0;
    for (index_t j = 0; j < p_; ++j)
        if (w_[j] != 0.0) update(j, w_[j]);
    first_gradient();
}

// r = y - ybar - X~ w from scratch, accumulated in double: in float32 the residual
// drifts from its definition over many updates, enough to put a floor under the gap.
template <class T, class M>
void EnetSolver<T, M>::recompute_residual() {
    std::vector<double> r(n_);
    for (index_t i = 0; i < n_; ++i) r[i] = double(y_[i]) - ybar_;
    double shift = 0.0;
    for (index_t j = 0; j < p_; ++j) {
        if (w_[j] == 0.0) continue;
        const double c = w_[j] / s_[j];
        shift += c * mu_[j];
        X_.for_each(j, [&](index_t i, T x) { r[i] -= c * double(x); });
    }
    for (index_t i = 0; i < n_; ++i) R_[i] = T(r[i] + shift);
    rho_ = 0.0;
}

}  // namespace fastreg::cd

#endif  // FASTREG_CD_ENET_SETUP_HPP
