// What a binding of the elastic-net path needs besides its design: vectors checked against
// their length, the path's options, and the call of cd::enet_path with its outputs. Shared
// by register_cd.cpp (dense and CSC designs) and register_genotype.cpp.
#ifndef FASTREG_BINDINGS_CD_ARGS_HPP
#define FASTREG_BINDINGS_CD_ARGS_HPP

#include "arrays.hpp"
#include "fastreg/cd/enet.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

namespace fastreg::bindings::cdargs {

template <class T>
using arr = py::array_t<T, 0>;  // any strides; with noconvert() the dtype must match exactly

template <class T>
const T* vector_of(const std::optional<arr<T>>& a, index_t n, const char* name) {
    if (!a) return nullptr;
    if (a->ndim() != 1 || a->shape(0) != n)
        throw py::value_error(std::string(name) + ": expected shape (" + std::to_string(n) + ",)");
    if (n > 1 && a->strides(0) != py::ssize_t(sizeof(T)))
        throw py::value_error(std::string(name) + ": must be contiguous");
    return a->data();
}

struct PathArgs {
    std::optional<arr<double>> alphas;
    index_t n_alphas;
    double eps;
    cd::EnetOptions opt;
    // cross-validation extras (see cd::PathOutput)
    index_t patience = 0;
    index_t max_alphas = -1;
    bool sparse_coefs = false;
};

// Returns (alphas, coefs, intercepts, gaps, n_iter, converged, stats). With sparse_coefs,
// coefs is None and stats["coefs_csc"] = (data, indices, indptr) of the p x k matrix; with
// validation weights, stats["val_mse"] holds the k validation errors; stats["n_done"] the
// number of alphas fitted.
template <class T, class M>
py::tuple run_path(const M& X, const T* y, const T* sw, const T* pf, const T* coef_init,
                   const T* val_weights, const PathArgs& a) {
    const bool generate = !a.alphas;
    const index_t k = generate ? a.n_alphas : index_t(a.alphas->shape(0));
    if (k < 1) throw py::value_error("alphas: at least one alpha is needed");
    const index_t p = X.p;
    py::array_t<double> alphas(k);
    if (!generate) {
        const double* src = vector_of<double>(a.alphas, k, "alphas");
        std::copy(src, src + k, alphas.mutable_data());
    }
    py::array_t<T, py::array::f_style> coefs;
    if (!a.sparse_coefs) coefs = py::array_t<T, py::array::f_style>({p, k});
    py::array_t<double> val_mse(val_weights ? k : 0);
    py::array_t<T> intercepts(k);
    py::array_t<double> gaps(k);
    py::array_t<std::int64_t> n_iter(k);
    py::array_t<std::uint8_t> converged(k);
    cd::PathOutput<T> out;
    out.coefs = a.sparse_coefs ? nullptr : coefs.mutable_data();
    out.sparse_coefs = a.sparse_coefs;
    out.val_weights = val_weights;
    out.patience = a.patience;
    out.max_alphas = a.max_alphas;
    out.val_mse = val_weights ? val_mse.mutable_data() : nullptr;
    out.intercepts = intercepts.mutable_data();
    out.gaps = gaps.mutable_data();
    out.n_iter = n_iter.mutable_data();
    out.converged = converged.mutable_data();
    double* al = alphas.mutable_data();
    {
        py::gil_scoped_release nogil;
        cd::enet_path<T, M>(X, y, sw, pf, coef_init, al, k, generate, a.eps, a.opt, out);
    }
    py::dict stats;
    stats["tol_scaled"] = out.tol_scaled;
    stats["full_passes"] = out.full_passes;
    stats["epochs"] = out.epochs;
    stats["grad_columns"] = out.grad_columns;
    stats["n_done"] = out.n_done;
    stats["val_mse"] = val_weights ? py::object(val_mse) : py::object(py::none());
    if (a.sparse_coefs) {
        py::array_t<T> data(py::ssize_t(out.nz_value.size()));
        py::array_t<std::int64_t> indices(py::ssize_t(out.nz_index.size()));
        py::array_t<std::int64_t> indptr(py::ssize_t(out.nz_ptr.size()));
        std::copy(out.nz_value.begin(), out.nz_value.end(), data.mutable_data());
        std::copy(out.nz_index.begin(), out.nz_index.end(), indices.mutable_data());
        std::copy(out.nz_ptr.begin(), out.nz_ptr.end(), indptr.mutable_data());
        stats["coefs_csc"] = py::make_tuple(data, indices, indptr);
        return py::make_tuple(alphas, py::none(), intercepts, gaps, n_iter, converged, stats);
    }
    return py::make_tuple(alphas, coefs, intercepts, gaps, n_iter, converged, stats);
}

inline PathArgs path_args(const std::optional<arr<double>>& alphas, index_t n_alphas, double eps,
                   double l1_ratio, bool fit_intercept, bool standardize, bool positive,
                   double tol, index_t max_iter, bool screening, int n_threads, bool acceleration, bool random,
                   std::uint64_t seed, int gram, index_t patience, index_t max_alphas,
                   bool sparse_coefs) {
    if (max_iter < 1) throw py::value_error("max_iter: must be at least 1");
    if (patience < 0) throw py::value_error("patience: must be non-negative");
    if (alphas && alphas->ndim() != 1) throw py::value_error("alphas: expected a 1-d array");
    PathArgs a{alphas, n_alphas, eps, {}};
    a.opt.l1_ratio = l1_ratio;
    a.opt.fit_intercept = fit_intercept;
    a.opt.standardize = standardize;
    a.opt.positive = positive;
    a.opt.tol = tol;
    a.opt.max_iter = max_iter;
    a.opt.screening = screening;
    a.opt.n_threads = n_threads;
    a.opt.acceleration = acceleration;
    a.opt.random = random;
    a.opt.seed = seed;
    a.opt.gram = gram;
    a.patience = patience;
    a.max_alphas = max_alphas;
    a.sparse_coefs = sparse_coefs;
    return a;
}

}  // namespace fastreg::bindings::cdargs

#define FASTREG_CD_PATH_OPTION_ARGS                                                              \
    py::arg("alphas").noconvert() = py::none(), py::arg("n_alphas") = 100,                   \
    py::arg("eps") = 1e-3, py::arg("l1_ratio") = 1.0, py::arg("fit_intercept") = false,      \
    py::arg("standardize") = false, py::arg("positive") = false, py::arg("tol") = 1e-4,      \
    py::arg("max_iter") = 1000, py::arg("screening") = true, py::arg("n_threads") = 0, \
    py::arg("acceleration") = true, py::arg("random") = false, py::arg("seed") = 0, \
    py::arg("gram") = -1, py::arg("val_weights").noconvert() = py::none(),                 \
    py::arg("patience") = 0, py::arg("max_alphas") = -1, py::arg("sparse_coefs") = false

#endif  // FASTREG_BINDINGS_CD_ARGS_HPP
