// Cross-validation along a path: the held-out rows' error after each alpha, and early
// stopping. A fold is the full X with sample weight 0 on its held-out rows, so the solver's
// residual on those rows is their prediction error (no pass over X, no copy of the rows);
// in Gram mode, which keeps no residual, the errors come from the coefficients.
#ifndef FASTREG_CD_VALIDATION_HPP
#define FASTREG_CD_VALIDATION_HPP

#include "fastreg/common.hpp"
#include "fastreg/matrix/design.hpp"

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

namespace fastreg::cd {

// weights: n values, positive on the held-out rows and 0 elsewhere, weighting their
// squared prediction errors y_i - b0 - x_i w. With patience > 0 the path stops after the
// first alpha at which the validation error has not improved (strictly) on its best for
// `patience` consecutive alphas; alphas at the top of the grid whose error equals the first
// alpha's (the model not having moved yet) are not counted.
template <class T, class M>
class ValidationMonitor {
public:
    ValidationMonitor(const M& X, const T* y, const T* weights, index_t patience)
        : X_(X), y_(y), weights_(weights), patience_(patience) {
        if (!weights) return;
        for (index_t i = 0; i < X.n; ++i)
            if (weights[i] > T(0)) {
                rows_.push_back(i);
                total_ += double(weights[i]);
            }
    }

    bool active() const { return !rows_.empty(); }

    // The weighted mean squared error on the held-out rows of the fit just made: from the
    // solver's residual (solver.residual()[i] + solver.residual_offset()), or, in Gram
    // mode (residual() null), from the nonzero coefficients nz and the intercept b0.
    template <class Solver>
    double error(const Solver& solver, const std::vector<std::pair<index_t, T>>& nz, double b0) {
        double s = 0.0;
        if (const T* R = solver.residual()) {
            const double off = solver.residual_offset();
            for (const index_t i : rows_) {
                const double e = double(R[i]) + off;
                s += double(weights_[i]) * e * e;
            }
        } else {
            const index_t m = index_t(rows_.size());
            pred_.assign(rows_.size(), b0);
            for (const auto& [j, cj] : nz) {
                const double c = double(cj);
                if constexpr (matrix::has_float_columns<M, T>::value) {
                    const T* xj = X_.col(j);
                    for (index_t t = 0; t < m; ++t) pred_[t] += c * double(xj[rows_[t]]);
                } else {  // (Gram mode is dense-only; kept general)
                    X_.for_each(j, [&](index_t i, T x) {
                        const auto it = std::lower_bound(rows_.begin(), rows_.end(), i);
                        if (it != rows_.end() && *it == i)
                            pred_[std::size_t(it - rows_.begin())] += c * double(x);
                    });
                }
            }
            for (index_t t = 0; t < m; ++t) {
                const index_t i = rows_[t];
                const double e = double(y_[i]) - pred_[t];
                s += double(weights_[i]) * e * e;
            }
        }
        return total_ > 0.0 ? s / total_ : 0.0;
    }

    // Records alpha i's error; true when the path should stop here.
    bool stop_after(index_t i, double err) {
        if (i == 0) first_ = err;
        // the plateau at the top of the grid (the model has not moved yet, typically all
        // coefficients zero: the same error exactly) does not count
        if (!moved_) moved_ = i > 0 && err != first_;
        if (err < best_) {
            best_ = err;
            since_best_ = 0;
            return false;
        }
        return moved_ && patience_ > 0 && ++since_best_ >= patience_;
    }

private:
    const M& X_;
    const T* y_;
    const T* weights_;
    index_t patience_;
    std::vector<index_t> rows_;  // the held-out rows, increasing
    double total_ = 0.0;         // their weights' sum
    std::vector<double> pred_;
    double first_ = 0.0, best_ = std::numeric_limits<double>::infinity();
    index_t since_best_ = 0;
    bool moved_ = false;
};

}  // namespace fastreg::cd

#endif  // FASTREG_CD_VALIDATION_HPP
