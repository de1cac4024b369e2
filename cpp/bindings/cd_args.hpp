// What a binding of the elastic-net path needs besides its design: vectors checked against
// their length, the path's options, and the call of cd::enet_path with its outputs. Shared
// by register_cd.cpp (dense and CSC designs) and register_genotype.cpp.
#ifndef FASTREG_BINDINGS_CD_ARGS_HPP
#define FASTREG_BINDINGS_CD_ARGS_HPP

#include "arrays.hpp"
#include "call_scope.hpp"
#include "designs.hpp"
#include "fastreg/cd/path.hpp"
#include "fastreg/cd/enet_paths.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fastreg::bindings::cdargs {

using designs::arr;
using designs::vector_of;

// The options of every path entry point: one object from Python (_core.PathOptions, bound
// in register_cd.cpp), whose defaults are written here and nowhere else.
struct PathOptions {
    cd::EnetOptions fit;   // the solver's
    index_t n_alphas = 100;  // a generated grid's size
    double eps = 1e-3;       // and its alpha_min / alpha_max
    // cross-validation extras (cd::PathControl)
    index_t patience = 0;
    index_t max_alphas = -1;
    bool sparse_coefs = false;
};

// What a path call runs with: its grid (or none: generated) and options, and a progress
// counter (alphas done, summed over the paths: cd::PathControl).
struct PathArgs {
    std::optional<arr<double>> alphas;
    index_t n_alphas;
    double eps;
    cd::EnetOptions opt;
    index_t patience = 0;
    index_t max_alphas = -1;
    bool sparse_coefs = false;
    std::int64_t* progress = nullptr;
};

// A progress counter: one writable int64 that the core increments while Python reads it.
inline std::int64_t* progress_counter(const std::optional<py::array_t<std::int64_t, 0>>& a) {
    if (!a) return nullptr;
    if (a->ndim() != 1 || a->shape(0) < 1 || !a->writeable())
        throw py::value_error("progress: expected a writable 1-d int64 array");
    return const_cast<std::int64_t*>(a->data());
}

// The CSC arrays of a path's coefficients kept in compressed form (PathControl::sparse_coefs).
template <class T>
py::tuple compressed_coefs(const cd::PathOutput<T>& o) {
    py::array_t<T> data(py::ssize_t(o.nz_value.size()));
    py::array_t<std::int64_t> indices(py::ssize_t(o.nz_index.size()));
    py::array_t<std::int64_t> indptr(py::ssize_t(o.nz_ptr.size()));
    std::copy(o.nz_value.begin(), o.nz_value.end(), data.mutable_data());
    std::copy(o.nz_index.begin(), o.nz_index.end(), indices.mutable_data());
    std::copy(o.nz_ptr.begin(), o.nz_ptr.end(), indptr.mutable_data());
    return py::make_tuple(data, indices, indptr);
}

// The one result type of every path entry point, as a dict: alphas, coefs (or None with
// sparse_coefs, then coefs_csc = (data, indices, indptr) of the p x k matrix), intercepts,
// dual_gaps (None for a family without one), n_iter, converged, n_done (alphas fitted),
// val_mse (None without validation weights), tol_scaled, full_passes, epochs, grad_columns.
// A family adds its own keys to the dict (the logistic path: deviance, null_deviance, stop).
struct Result {
    py::object alphas, coefs, coefs_csc = py::none(), intercepts, dual_gaps = py::none(),
                                n_iter, converged, n_done, val_mse = py::none(), tol_scaled,
                                full_passes, epochs, grad_columns;
    py::dict dict() const {
        py::dict r;
        r["alphas"] = alphas;
        r["coefs"] = coefs;
        r["coefs_csc"] = coefs_csc;
        r["intercepts"] = intercepts;
        r["dual_gaps"] = dual_gaps;
        r["n_iter"] = n_iter;
        r["converged"] = converged;
        r["n_done"] = n_done;
        r["val_mse"] = val_mse;
        r["tol_scaled"] = tol_scaled;
        r["full_passes"] = full_passes;
        r["epochs"] = epochs;
        r["grad_columns"] = grad_columns;
        return r;
    }
};

// The arrays of one path's result (k alphas, p features), allocated before the GIL is
// released; point() aims a cd::PathOutput at them, result() wraps them once it is filled.
// alphas: the given grid (copied) or None (generated: filled by the core).
template <class T>
struct PathArrays {
    py::array_t<double> alphas, gaps, val_mse;
    py::array_t<T> coefs, intercepts;
    py::array_t<std::int64_t> n_iter;
    py::array_t<std::uint8_t> converged;
    bool sparse = false, validate = false, with_gaps = true;

    PathArrays(index_t p, index_t k, const std::optional<arr<double>>& grid, const char* name,
               bool sparse_coefs, bool validation, bool dual_gaps = true)
        : alphas(k), sparse(sparse_coefs), validate(validation), with_gaps(dual_gaps) {
        if (grid) {
            if (grid->ndim() != 1) throw py::value_error(std::string(name) + ": expected a 1-d array");
            const double* src = vector_of<double>(grid, k, name);
            std::copy(src, src + k, alphas.mutable_data());
        }
        if (!sparse) coefs = zeroed_array<T>({p, k});
        val_mse = py::array_t<double>(validate ? k : 0);
        intercepts = py::array_t<T>(k);
        gaps = py::array_t<double>(with_gaps ? k : 0);
        n_iter = py::array_t<std::int64_t>(k);
        converged = py::array_t<std::uint8_t>(k);
    }

    void point(cd::PathOutput<T>& o) {
        o.coefs = sparse ? nullptr : coefs.mutable_data();
        o.val_mse = validate ? val_mse.mutable_data() : nullptr;
        o.intercepts = intercepts.mutable_data();
        o.gaps = with_gaps ? gaps.mutable_data() : nullptr;
        o.n_iter = n_iter.mutable_data();
        o.converged = converged.mutable_data();
    }

    Result result(const cd::PathOutput<T>& o) const {
        Result r;
        r.alphas = alphas;
        r.coefs = sparse ? py::object(py::none()) : py::object(coefs);
        if (sparse) r.coefs_csc = compressed_coefs(o);
        r.intercepts = intercepts;
        if (with_gaps) r.dual_gaps = gaps;
        r.n_iter = n_iter;
        r.converged = converged;
        r.n_done = py::int_(o.n_done);
        if (validate) r.val_mse = val_mse;
        r.tol_scaled = py::float_(o.tol_scaled);
        r.full_passes = py::int_(o.full_passes);
        r.epochs = py::int_(o.epochs);
        r.grad_columns = py::int_(o.grad_columns);
        return r;
    }
};

// The number of alphas of a path: the given grid's, or a generated grid's size.
inline index_t grid_size(const std::optional<arr<double>>& grid, index_t n_alphas,
                         const std::string& at = "") {
    if (grid && grid->ndim() != 1) throw py::value_error("alphas: expected a 1-d array" + at);
    const index_t k = grid ? index_t(grid->shape(0)) : n_alphas;
    if (k < 1) throw py::value_error("alphas: at least one alpha is needed" + at);
    return k;
}

// One path: Result's dict.
template <class T, class M>
py::dict run_path(const M& X, const T* y, const T* sw, const T* pf, const T* coef_init,
                   const T* val_weights, const PathArgs& a) {
    const index_t k = grid_size(a.alphas, a.n_alphas);
    PathArrays<T> arrays(X.p, k, a.alphas, "alphas", a.sparse_coefs, val_weights != nullptr);
    cd::PathControl<T> control;
    control.sparse_coefs = a.sparse_coefs;
    control.val_weights = val_weights;
    control.patience = a.patience;
    control.max_alphas = a.max_alphas;
    cd::PathOutput<T> out;
    arrays.point(out);
    double* al = arrays.alphas.mutable_data();
    {
        CallScope stop;  // (Ctrl-C)
        py::gil_scoped_release nogil;
        cd::enet_path<T, M>(X, y, sw, pf, coef_init, al, k, !a.alphas, a.eps, a.opt, control, out);
    }
    return arrays.result(out).dict();
}

// Y: n x targets, F-ordered (column t is target t, contiguous). coef_init: targets x p,
// C-ordered, or null. Returns run_path's dict, each entry per target: alphas (targets, k)
// when generated (each target's own grid) else (k,); coefs (targets, p, k); the others
// (targets, k) or (targets,); and shared_passes, the passes over X they shared.
template <class T, class M>
py::dict run_paths(const M& X, const arr<T>& Y, const T* sw, const T* pf,
                    const std::optional<arr<T>>& coef_init, const PathArgs& a) {
    if (Y.ndim() != 2 || Y.shape(0) != X.n)
        throw py::value_error("y: expected shape (" + std::to_string(X.n) + ", n_targets)");
    const index_t n = X.n, p = X.p, targets = Y.shape(1);
    if (targets < 1) throw py::value_error("y: needs at least one target");
    const auto item = py::ssize_t(sizeof(T));
    if ((n > 1 && Y.strides(0) != item) || (targets > 1 && Y.strides(1) != item * n))
        throw py::value_error("y: must be F-ordered and contiguous");
    const T* ci = nullptr;
    if (coef_init) {
        if (coef_init->ndim() != 2 || coef_init->shape(0) != targets || coef_init->shape(1) != p)
            throw py::value_error("coef_init: expected shape (n_targets, n_features)");
        if (!(coef_init->flags() & py::array::c_style))
            throw py::value_error("coef_init: must be C-contiguous");
        ci = coef_init->data();
    }
    if (a.sparse_coefs || a.patience || a.max_alphas >= 0)
        throw py::value_error("y: the cross-validation extras take one target");
    const bool generate = !a.alphas;
    const index_t k = grid_size(a.alphas, a.n_alphas);
    py::array_t<double> alphas(std::vector<py::ssize_t>{targets, k});
    if (!generate) {
        const double* src = vector_of<double>(a.alphas, k, "alphas");
        for (index_t t = 0; t < targets; ++t) std::copy(src, src + k, alphas.mutable_data() + t * k);
    }
    py::array_t<T> coefs = zeroed_array<T>({targets, p, k});
    py::array_t<T> intercepts(std::vector<py::ssize_t>{targets, k});
    py::array_t<double> gaps(std::vector<py::ssize_t>{targets, k});
    py::array_t<std::int64_t> n_iter(std::vector<py::ssize_t>{targets, k});
    py::array_t<std::uint8_t> converged(std::vector<py::ssize_t>{targets, k});
    std::vector<cd::PathOutput<T>> outs(targets);
    std::vector<cd::PathTask<T>> tasks(targets);
    for (index_t t = 0; t < targets; ++t) {
        cd::PathOutput<T>& o = outs[t];
        o.coefs = coefs.mutable_data() + t * k * p;
        o.intercepts = intercepts.mutable_data() + t * k;
        o.gaps = gaps.mutable_data() + t * k;
        o.n_iter = n_iter.mutable_data() + t * k;
        o.converged = converged.mutable_data() + t * k;
        cd::PathTask<T>& task = tasks[t];
        task.y = Y.data() + t * n;
        task.sw = sw;
        task.pf = pf;
        task.coef_init = ci ? ci + t * p : nullptr;
        task.alphas = alphas.mutable_data() + t * k;
        task.k = k;
        task.generate = generate;
        task.eps = a.eps;
        task.out = &o;
    }
    std::int64_t shared = 0;
    {
        CallScope stop;  // (Ctrl-C)
        py::gil_scoped_release nogil;
        shared = cd::enet_paths<T, M>(X, tasks, a.opt);
    }
    py::array_t<double> tol_scaled(targets);
    py::array_t<std::int64_t> passes(targets), epochs(targets), grad_columns(targets);
    for (index_t t = 0; t < targets; ++t) {
        tol_scaled.mutable_data()[t] = outs[t].tol_scaled;
        passes.mutable_data()[t] = outs[t].full_passes;
        epochs.mutable_data()[t] = outs[t].epochs;
        grad_columns.mutable_data()[t] = outs[t].grad_columns;
    }
    Result r;
    r.alphas = generate ? py::object(alphas) : py::object(alphas[py::int_(0)]);
    r.coefs = coefs;
    r.intercepts = intercepts;
    r.dual_gaps = gaps;
    r.n_iter = n_iter;
    r.converged = converged;
    r.n_done = py::int_(k);
    r.tol_scaled = tol_scaled;
    r.full_passes = passes;
    r.epochs = epochs;
    r.grad_columns = grad_columns;
    py::dict d = r.dict();
    d["shared_passes"] = shared;
    return d;
}

// The path of one target (y 1-d) or of several at once (y n x targets: run_paths).
template <class T, class M>
py::dict path_or_paths(const M& X, const arr<T>& y, const std::optional<arr<T>>& sw,
                        const std::optional<arr<T>>& pf, const std::optional<arr<T>>& coef_init,
                        const std::optional<arr<T>>& val_weights, const PathArgs& a) {
    const index_t n = X.n, p = X.p;
    if (y.ndim() == 2) {
        if (val_weights) throw py::value_error("val_weights: take one target");
        return run_paths<T>(X, y, vector_of<T>(sw, n, "sample_weight"),
                            vector_of<T>(pf, p, "penalty_factor"), coef_init, a);
    }
    return run_path<T>(X, vector_of<T>(y, n, "y"), vector_of<T>(sw, n, "sample_weight"),
                       vector_of<T>(pf, p, "penalty_factor"), vector_of<T>(coef_init, p, "coef_init"),
                       vector_of<T>(val_weights, n, "val_weights"), a);
}

inline PathArgs path_args(const std::optional<arr<double>>& alphas, const PathOptions& o,
                          std::int64_t* progress = nullptr) {
    if (o.fit.max_iter < 1) throw py::value_error("max_iter: must be at least 1");
    if (o.patience < 0) throw py::value_error("patience: must be non-negative");
    if (alphas && alphas->ndim() != 1) throw py::value_error("alphas: expected a 1-d array");
    PathArgs a{alphas, o.n_alphas, o.eps, o.fit};
    a.patience = o.patience;
    a.max_alphas = o.max_alphas;
    a.sparse_coefs = o.sparse_coefs;
    a.progress = progress;
    return a;
}



// Per-task arguments of run_cv_paths: one optional array per task (None: the default).
template <class T>
using task_arrays = std::vector<std::optional<arr<T>>>;

// The paths of a cross-validation in one cd::enet_paths call, sharing their passes over X:
// LassoCV/ElasticNetCV's folds (X with sample weight 0 on the held-out rows, validation
// weights on them) and the paths on all the data, of one target or of several.
//   Y: n values, or n x m targets (F-ordered, column t contiguous); targets[t] (int64, one
//      per task, or None: all 0) is task t's column.
//   sws[t]: task t's sample weights (None: unweighted); vws[t]: its validation weights
//      (None: no validation, e.g. the path on all the data); alphas[t]: its grid (None:
//      generated, a.n_alphas of them down to a.eps times its own alpha_max).
//   pf: penalty factors of every task; a.patience / a.max_alphas / a.sparse_coefs apply to
//      every task (patience only stops tasks with validation weights).
// Returns (results, shared_passes): one dict per task, run_path's, and the passes over X
// the tasks shared.
template <class T, class M>
py::tuple run_cv_paths(const M& X, const arr<T>& Y, const std::optional<arr<std::int64_t>>& targets,
                       const task_arrays<T>& sws, const task_arrays<T>& vws,
                       const task_arrays<double>& alphas, const T* pf, const PathArgs& a) {
    const index_t n = X.n, p = X.p;
    const index_t count = index_t(sws.size());
    if (count < 1) throw py::value_error("sample_weights: at least one task is needed");
    if (index_t(vws.size()) != count)
        throw py::value_error("val_weights: one entry per task expected (" + std::to_string(count) + ")");
    if (index_t(alphas.size()) != count)
        throw py::value_error("alphas: one entry per task expected (" + std::to_string(count) + ")");
    if (a.alphas) throw py::value_error("alphas: give the grids per task");

    // the targets: a contiguous vector, or the contiguous columns of an F-ordered matrix
    const auto item = py::ssize_t(sizeof(T));
    index_t m = 1;
    if (Y.ndim() == 1) {
        if (Y.shape(0) != n) throw py::value_error("y: expected shape (" + std::to_string(n) + ",)");
        if (n > 1 && Y.strides(0) != item) throw py::value_error("y: must be contiguous");
    } else if (Y.ndim() == 2) {
        if (Y.shape(0) != n || Y.shape(1) < 1)
            throw py::value_error("y: expected shape (" + std::to_string(n) + ", n_targets)");
        m = Y.shape(1);
        if ((n > 1 && Y.strides(0) != item) || (m > 1 && Y.strides(1) != item * n))
            throw py::value_error("y: must be F-ordered and contiguous");
    } else {
        throw py::value_error("y: expected a 1-d or 2-d array");
    }
    const std::int64_t* tg = nullptr;
    if (targets) {
        tg = vector_of<std::int64_t>(targets, count, "targets");
        for (index_t t = 0; t < count; ++t)
            if (tg[t] < 0 || tg[t] >= m)
                throw py::value_error("targets: task " + std::to_string(t) + " names column " +
                                      std::to_string(tg[t]) + " of " + std::to_string(m));
    }

    std::vector<cd::PathOutput<T>> outs(static_cast<std::size_t>(count));
    std::vector<cd::PathTask<T>> tasks(static_cast<std::size_t>(count));
    std::vector<PathArrays<T>> arrays;
    arrays.reserve(std::size_t(count));
    for (index_t t = 0; t < count; ++t) {
        const std::string at = " (task " + std::to_string(t) + ")";
        const index_t k = grid_size(alphas[t], a.n_alphas, at);
        const T* vw = vector_of<T>(vws[t], n, ("val_weights" + at).c_str());
        arrays.emplace_back(p, k, alphas[t], ("alphas" + at).c_str(), a.sparse_coefs, vw != nullptr);
        cd::PathOutput<T>& o = outs[std::size_t(t)];
        arrays.back().point(o);
        cd::PathTask<T>& task = tasks[std::size_t(t)];
        task.control.sparse_coefs = a.sparse_coefs;
        task.control.val_weights = vw;
        task.control.patience = a.patience;
        task.control.max_alphas = a.max_alphas;
        task.control.progress = a.progress;
        task.y = Y.data() + (tg ? tg[t] : 0) * n;
        task.sw = vector_of<T>(sws[t], n, ("sample_weight" + at).c_str());
        task.pf = pf;
        task.alphas = arrays.back().alphas.mutable_data();
        task.k = k;
        task.generate = !alphas[t];
        task.eps = a.eps;
        task.out = &o;
    }
    std::int64_t shared = 0;
    {
        CallScope stop;  // (Ctrl-C)
        py::gil_scoped_release nogil;
        shared = cd::enet_paths<T, M>(X, tasks, a.opt);
    }
    py::list results;
    for (index_t t = 0; t < count; ++t)
        results.append(arrays[std::size_t(t)].result(outs[std::size_t(t)]).dict());
    return py::make_tuple(results, shared);
}

}  // namespace fastreg::bindings::cdargs

#endif  // FASTREG_BINDINGS_CD_ARGS_HPP
