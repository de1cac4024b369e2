// Full passes over X: the gradient of every feature, alone, shared with other fits, or
// in integer arithmetic on genotype designs; EnetSolver's, out of line.
// (Included by cd/enet.hpp after the class.)
#ifndef FASTREG_CD_ENET_PASSES_HPP
#define FASTREG_CD_ENET_PASSES_HPP

namespace fastreg::cd {

// Recomputes the full gradient (one pass over X), which becomes the reference of the
// KKT bounds. `quantized`: a genotype design's pass may go through the integer kernels
// (quantized_pass(); the caller then makes the gradients that matter exact, exact_near()).
template <class T, class M>
void EnetSolver<T, M>::full_gradient(bool quantized) {
    q_radius_ = 0.0;
    if (gram_) {  // g = q - Q w: no pass over X
        for (index_t k = 0; k < p_; ++k) g_[k] = q_[k];
        for (index_t j = 0; j < p_; ++j)
            if (w_[j] != 0.0) {
                const double* Qj = Q_.data() + j * p_;
                for (index_t k = 0; k < p_; ++k) g_[k] -= w_[j] * Qj[k];
            }
        quadratic_sums();
        return;
    }
    refresh();
    advance_drift();
    pass_drift_ = drift_;
    const index_t p = p_;
    const int nt = threads(X_.total_nnz());
    // A shared pass also gives the gradient at the previous alpha's solution: two
    // residuals on the path span its current direction (with a fixed active set the
    // lasso residual is affine in alpha), which makes the bounds of the next alphas
    // exact until the active set changes. There the second residual is one more column
    // of a batched product. A pass of its own would pay a second dot product per
    // column, more than the passes and gradients it saves (genotypes n = 2,000,
    // p = 200,000: 41 against 25 passes' worth of dot products).
    if (shared_.passes) {
        const bool both = path_r_ready_ && !refs_.is_newest(path_r_.data());
        double path_s = 0.0;
        int path_slot = -1;
        if (both) {
            for (index_t i = 0; i < n_; ++i) path_s += weight(i) * double(path_r_[i]);
            path_slot = refs_.open(path_r_.data());
        }
        shared_gradient(refs_.open(R_.data()), path_slot, path_s);
        return;
    }
    if constexpr (quantizes) {
        if (quantized) {
            quantized_pass();
            return;
        }
    }
    const int slot = refs_.open(R_.data());
    parallel_for(p, nt, 64, [&](index_t j) {
        g_[j] = nrm_[j] > 0.0 ? colgrad(j) : 0.0;
        refs_.set(slot, j, g_[j]);
    });
    ++passes_;
    grad_columns_ += p;
}

// v r (r itself when unweighted), in buf
template <class T, class M>
const T* EnetSolver<T, M>::weighted(const T* r, std::vector<T>& buf) {
    if (!v_) return r;
    buf.resize(n_);
    for (index_t i = 0; i < n_; ++i) buf[i] = v_[i] * r[i];
    return buf.data();
}

// full_gradient() through the shared passes: the raw products x_j^T (v r) of a batch
// with the other fits, centered and scaled here as colgrad() does.
template <class T, class M>
void EnetSolver<T, M>::shared_gradient(int slot, int path_slot, double path_s) {
    const double scale = v_ ? 1.0 : inv_n_;
    raw_.resize(p_);
    const T* e0 = weighted(R_.data(), ebuf_[0]);
    const T* e1 = nullptr;
    if (path_slot >= 0) {
        raw_path_.resize(p_);
        e1 = weighted(path_r_.data(), ebuf_[1]);
    }
    shared_.passes->gradients(shared_.slot, e0, raw_.data(), e1, raw_path_.data());
    for (index_t j = 0; j < p_; ++j) {
        const bool usable = nrm_[j] > 0.0;
        g_[j] = usable ? (raw_[j] * scale - mu_[j] * S_) / s_[j] : 0.0;
        refs_.set(slot, j, g_[j]);
        if (path_slot >= 0)
            refs_.set(path_slot, j, usable ? (raw_path_[j] * scale - mu_[j] * path_s) / s_[j] : 0.0);
    }
    ++passes_;
    grad_columns_ += p_;
}

// A full pass of a genotype design (of double) through the integer kernels
// (ColumnCache::quantize): the weighted residual e = v r is written once as a sum of
// int8 vectors, e^ (fastreg/matrix/quantized.hpp), and each column's product with e^ is
// exact in integers. (2,000 x 200,000 .bed: 20 against 38 ms a pass on two threads; int8, where
// reading the 400 MB is most of it, 26-28 against 33-35 ms.)
//
// These are the exact gradients at r^ = e^ / v, which becomes the reference (its bounds
// stay exact), and r^ differs from r by q_radius_ = ||r - r^||_V, about 1e-12 ||r||:
// by Cauchy-Schwarz each gradient at r is within ||x~_j|| q_radius_ of its value here.
// exact_near() recomputes in double those that this leaves near their KKT threshold, so
// that the violators and the gap come out as from an exact pass.
template <class T, class M>
void EnetSolver<T, M>::quantized_pass() {
    if constexpr (quantizes) {
        cache_.quantize(weighted(R_.data(), ebuf_[0]));
        const std::vector<double>& ev = cache_.quantized_values();
        r_hat_.resize(n_);
        double s_hat = 0.0, d2 = 0.0;
        for (index_t i = 0; i < n_; ++i) {
            // (a sample of weight 0 counts nowhere: keep its residual)
            r_hat_[i] = !v_ ? ev[i] : v_[i] > T(0) ? ev[i] / double(v_[i]) : double(R_[i]);
            s_hat += v_ ? ev[i] : inv_n_ * ev[i];
            const double d = double(R_[i]) - r_hat_[i];
            d2 += weight(i) * d * d;
        }
        q_radius_ = std::sqrt(d2);
        const int slot = refs_.open(r_hat_.data());
        parallel_for(p_, threads(X_.total_nnz()), 64, [&](index_t j) {
            double d;
            if (nrm_[j] <= 0.0)
                g_[j] = 0.0;
            else if (cache_.quantized_dot(j, d))
                g_[j] = ((v_ ? d : d * inv_n_) - mu_[j] * s_hat) / s_[j];
            else  // a covariate, or a subset's column not resident: in double, at r^
                g_[j] = ((v_ ? X_.dot(j, v_, r_hat_.data()) : X_.dot(j, r_hat_.data()) * inv_n_) -
                         mu_[j] * s_hat) / s_[j];
            refs_.set(slot, j, g_[j]);
        });
        ++passes_;
        grad_columns_ += p_;
    }
}

// The gradient at the starting point: a genotype design's pass goes through the integer
// kernels as the checks' do (2,000 x 200,000: about 50 ms less a fit than in double),
// then the gradients that may set l1_max() (those within the pass's error of the
// largest) are made exact, so that alpha_max comes out as from an exact pass.
template <class T, class M>
void EnetSolver<T, M>::first_gradient() {
    if constexpr (quantizes) {
        if (!shared_.passes) {
            cache_working_set();  // starts the cache: its missing-sample lists serve the pass
            full_gradient(true);
            double top = 0.0;  // l1_max() is at least this
            for (index_t j = 0; j < p_; ++j)
                if (pf_[j] > 0.0 && nrm_[j] > 0.0)
                    top = std::max(top, score(j) - root_nrm_[j] * q_radius_ / pf_[j]);
            exact_near(top, 0.0);
            return;
        }
    }
    full_gradient();
}

}  // namespace fastreg::cd

#endif  // FASTREG_CD_ENET_PASSES_HPP
