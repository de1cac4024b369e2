// The path driver: one target's elastic-net path over a grid of alphas, each alpha's solve
// started from the extrapolation of the last two solutions (cd/enet.hpp does the solves),
// with the path's outputs, and cross-validation's extras as a monitor passed in.
#ifndef FASTREG_CD_PATH_HPP
#define FASTREG_CD_PATH_HPP

#include "fastreg/cd/alpha_grid.hpp"
#include "fastreg/cd/enet.hpp"
#include "fastreg/cd/validation.hpp"
#include "fastreg/interrupt.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

namespace fastreg::cd {

// How a path is run, beside the problem and its options (all optional).
template <class T>
struct PathControl {
    // Cross-validation (ValidationMonitor): the held-out rows' weights (n values, positive
    // on them, 0 elsewhere; null: no validation), and early stopping after `patience`
    // alphas without improvement (0: never).
    const T* val_weights = nullptr;
    index_t patience = 0;
    index_t max_alphas = -1;  // fit at most this many alphas (-1: all; 0: the grid only)
    // Coefficients in compressed form (PathOutput's nz_*) instead of the dense p x k array.
    bool sparse_coefs = false;
    // Incremented after each alpha (by all k when the path ends early), from the fitting
    // thread while another thread may read it (a progress bar's count).
    std::int64_t* progress = nullptr;
};

// Outputs of a path fit; the arrays are the caller's, k = number of alphas.
template <class T>
struct PathOutput {
    // p x k, row-major (feature j's path at coefs + j * k), in X's units, or null with
    // PathControl::sparse_coefs. It arrives zeroed and only nonzero coefficients are
    // written: a feature never in the model leaves its row, and its memory pages,
    // untouched (p = 200,000, k = 100: 160 MB that the path would otherwise write whole).
    T* coefs = nullptr;
    T* intercepts = nullptr;             // k
    double* gaps = nullptr;              // k
    std::int64_t* n_iter = nullptr;      // k: epochs (over the working set)
    std::uint8_t* converged = nullptr;   // k
    double* val_mse = nullptr;           // k: validation errors (with val_weights), or null
    double tol_scaled = 0.0;             // the gap's threshold, tol * sum v (y - ybar)^2
    std::int64_t full_passes = 0;        // passes over all of X (column statistics included)
    std::int64_t epochs = 0;             // all epochs
    std::int64_t grad_columns = 0;       // gradient entries computed outside epochs
    // With sparse_coefs: alpha i's nonzero coefficients are nz_value[nz_ptr[i] ..
    // nz_ptr[i + 1]) at rows nz_index[...] (CSC of the p x k matrix).
    std::vector<std::int64_t> nz_ptr, nz_index;
    std::vector<T> nz_value;
    index_t n_done = 0;  // alphas fitted (k unless stopped early); the others' outputs are
                         // NaN / 0
};

// *counter += v, atomically where the compiler offers it (a reader on another thread sees
// whole values).
inline void progress_add(std::int64_t* counter, std::int64_t v) {
#if defined(__GNUC__)
    __atomic_fetch_add(counter, v, __ATOMIC_RELAXED);
#else
    *counter += v;
#endif
}

// An l1 penalty so large that only the unpenalized coefficients can move (finite, so that
// l1 * 0 stays 0).
constexpr double UNPENALIZED_ONLY = 1e300;

// The whole path. alphas: k values, fit in the given order (decreasing for warm starts to
// pay off); when `generate` is set, alphas is filled with the geometric grid from
// alpha_max down to alpha_max * eps (scikit-learn's _alpha_grid).
template <class T, class M>
void enet_path(const M& X, const T* y, const T* sw, const T* pf, const T* coef_init,
               double* alphas, index_t k, bool generate, double eps, const EnetOptions& opt,
               const PathControl<T>& control, PathOutput<T>& out,
               const PathShared<T, M>* shared = nullptr) {
    EnetSolver<T, M> solver(X, y, sw, pf, opt, shared);
    if (generate && solver.has_unpenalized()) {
        // alpha_max is where the penalized coefficients leave zero, with the unpenalized
        // ones fitted first (as glmnet does); that fit is also the path's starting point
        solver.solve(UNPENALIZED_ONLY, 0.0, UNPENALIZED_ONLY);
        solver.full_gradient();
    }
    double l1_prev = solver.l1_max();
    if (!std::isfinite(l1_prev))
        throw std::domain_error("X, y: the products X^T y overflow float64 arithmetic; rescale X or y");
    if (generate) fill_alpha_grid(alphas, k, l1_prev / opt.l1_ratio, eps);
    if (coef_init) {
        solver.set_coef(coef_init);
        l1_prev = solver.l1_max();
    }
    out.tol_scaled = opt.tol * solver.ynorm2();

    ValidationMonitor<T, M> validation(X, y, control.val_weights, control.patience);
    const bool validate = out.val_mse && validation.active();
    std::vector<std::pair<index_t, T>> nz;  // the current alpha's nonzero coefficients
    const bool compressed = control.sparse_coefs && !out.coefs;
    const index_t todo = control.max_alphas < 0 ? k : std::min(k, control.max_alphas);
    if (compressed) out.nz_ptr.assign(1, 0);
    index_t done = 0;
    for (index_t i = 0; i < todo; ++i) {
        stop::checkpoint();
        const double l1 = alphas[i] * opt.l1_ratio, l2 = alphas[i] * (1.0 - opt.l1_ratio);
        if (i >= 1)  // the next alpha's start: along the line through the last two solutions
            solver.extrapolate(extrapolation_factor(alphas, i));
        const auto info = solver.solve(l1, l2, std::max(l1_prev, l1));
        l1_prev = l1;
        solver.nonzero_coef(nz);
        if (out.coefs)
            for (const auto& [j, c] : nz) out.coefs[j * k + i] = c;
        const double b0 = solver.intercept();
        out.intercepts[i] = T(b0);
        out.gaps[i] = info.gap;
        out.n_iter[i] = info.n_iter;
        out.converged[i] = info.converged ? 1 : 0;
        if (compressed) {
            for (const auto& [j, c] : nz) {
                out.nz_index.push_back(j);
                out.nz_value.push_back(c);
            }
            out.nz_ptr.push_back(std::int64_t(out.nz_index.size()));
        }
        done = i + 1;
        if (control.progress) progress_add(control.progress, 1);
        if (validate) {
            out.val_mse[i] = validation.error(solver, nz, b0);
            if (validation.stop_after(i, out.val_mse[i])) break;
        }
    }
    out.n_done = done;
    if (control.progress && done < k) progress_add(control.progress, k - done);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (index_t i = done; i < k; ++i) {
        out.intercepts[i] = T(0);
        out.gaps[i] = nan;
        out.n_iter[i] = 0;
        out.converged[i] = 0;
        if (out.val_mse) out.val_mse[i] = nan;
    }
    if (compressed) out.nz_ptr.resize(std::size_t(k) + 1, out.nz_ptr.back());
    out.full_passes = solver.full_passes();
    out.epochs = solver.epochs();
    out.grad_columns = solver.grad_columns();
}

// Compiled once, in cpp/src/cd.cpp, for every (dtype, design) pair.
using DenseF = matrix::Dense<float>;
using DenseD = matrix::Dense<double>;
using CscF32 = matrix::Csc<float, std::int32_t>;
using CscD32 = matrix::Csc<double, std::int32_t>;
using CscF64 = matrix::Csc<float, std::int64_t>;
using CscD64 = matrix::Csc<double, std::int64_t>;
#define FASTREG_CD_INSTANCES(PREFIX, T, M)                                                    \
    PREFIX class EnetSolver<T, M>;                                                            \
    PREFIX void enet_path<T, M>(const M&, const T*, const T*, const T*, const T*, double*,     \
                                index_t, bool, double, const EnetOptions&,                    \
                                const PathControl<T>&, PathOutput<T>&, const PathShared<T, M>*);
#define FASTREG_CD_ALL(PREFIX)                                                                \
    FASTREG_CD_INSTANCES(PREFIX, float, DenseF)                                               \
    FASTREG_CD_INSTANCES(PREFIX, double, DenseD)                                              \
    FASTREG_CD_INSTANCES(PREFIX, float, CscF32)                                               \
    FASTREG_CD_INSTANCES(PREFIX, double, CscD32)                                              \
    FASTREG_CD_INSTANCES(PREFIX, float, CscF64)                                               \
    FASTREG_CD_INSTANCES(PREFIX, double, CscD64)

FASTREG_CD_ALL(extern template)

}  // namespace fastreg::cd

#endif  // FASTREG_CD_PATH_HPP
