// The binomial family: the logistic path (fastreg/cd/logistic_path.hpp) on dense, CSC,
// int8 and .bed genotype designs (with covariates). Python (fastreg.linear_model) has
// validated values, labels (0/1 in X's dtype) and dtypes; this checks what memory safety
// needs (shapes, strides, index bounds), then releases the GIL.
#include "arrays.hpp"
#include "call_scope.hpp"
#include "designs.hpp"
#include "fastreg/cd/logistic_path.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

namespace fastreg::bindings {

namespace {

using designs::arr;
using designs::bed_design;
using designs::csc_design;
using designs::dense_design;
using designs::flags_t;
using designs::impute_t;
using designs::int8_design;
using designs::rows_t;
using designs::vector_of;

// Everything of a call besides its design.
template <class T>
struct Problem {
    arr<T> y;
    std::optional<arr<T>> sw, pf, offset, coef_init;
    double intercept_init;
    std::optional<arr<double>> alphas;
    index_t n_alphas;
    double eps;
    cd::LogisticOptions opt;
};

// Returns (alphas, coefs (p, k), intercepts, n_iter, converged, deviance, stats); stats:
// null_deviance, n_done (alphas fitted; the outputs past it are 0 / NaN), stop (why the
// path ended early: cd::LogisticStop), epochs, full_passes.
template <class T, class M>
py::tuple run(const M& X, const Problem<T>& a) {
    const index_t n = X.n, p = X.p;
    const bool generate = !a.alphas;
    if (a.alphas && a.alphas->ndim() != 1) throw py::value_error("alphas: expected a 1-d array");
    const index_t k = generate ? a.n_alphas : index_t(a.alphas->shape(0));
    if (k < 1) throw py::value_error("alphas: at least one alpha is needed");
    if (a.opt.max_iter < 1) throw py::value_error("max_iter: must be at least 1");
    const T* y = vector_of<T>(a.y, n, "y");
    const T* sw = vector_of<T>(a.sw, n, "sample_weight");
    const T* pf = vector_of<T>(a.pf, p, "penalty_factor");
    const T* off = vector_of<T>(a.offset, n, "offset");
    const T* ci = vector_of<T>(a.coef_init, p, "coef_init");
    py::array_t<double> alphas(k);
    if (!generate) {
        const double* src = vector_of<double>(a.alphas, k, "alphas");
        std::copy(src, src + k, alphas.mutable_data());
    }
    py::array_t<T> coefs = zeroed_array<T>({p, k});
    py::array_t<T> intercepts(k);
    py::array_t<std::int64_t> n_iter(k);
    py::array_t<std::uint8_t> converged(k);
    py::array_t<double> deviance(k);
    cd::LogisticOutput<T> out;
    out.coefs = coefs.mutable_data();
    out.intercepts = intercepts.mutable_data();
    out.n_iter = n_iter.mutable_data();
    out.converged = converged.mutable_data();
    out.deviance = deviance.mutable_data();
    double* al = alphas.mutable_data();
    {
        CallScope stop;  // (Ctrl-C)
        py::gil_scoped_release nogil;
        cd::logistic_path<T, M>(X, y, sw, pf, off, ci, a.intercept_init, al, k, generate, a.eps,
                                a.opt, out);
    }
    py::dict stats;
    stats["null_deviance"] = out.null_deviance;
    stats["n_done"] = out.n_done;
    stats["stop"] = out.stop;
    stats["epochs"] = out.epochs;
    stats["full_passes"] = out.full_passes;
    return py::make_tuple(alphas, coefs, intercepts, n_iter, converged, deviance, stats);
}

// The path on genotypes g, or on g with the covariates' columns after its variants.
template <class T, class G>
py::tuple on_genotypes(const G& g, const std::optional<arr<T>>& cov, const Problem<T>& a) {
    return designs::on_design<T>(g, cov, [&](const auto& X) { return run<T>(X, a); });
}

template <class T>
Problem<T> problem(arr<T> y, std::optional<arr<T>> sw, std::optional<arr<T>> pf,
                   std::optional<arr<T>> offset, std::optional<arr<T>> coef_init,
                   double intercept_init, std::optional<arr<double>> alphas, index_t n_alphas,
                   double eps, double l1_ratio, bool fit_intercept, double tol, index_t max_iter,
                   index_t inner_max_iter, bool screening, int n_threads, bool early_stop) {
    Problem<T> a{y, sw, pf, offset, coef_init, intercept_init, alphas, n_alphas, eps, {}};
    a.opt.l1_ratio = l1_ratio;
    a.opt.fit_intercept = fit_intercept;
    a.opt.tol = tol;
    a.opt.max_iter = max_iter;
    a.opt.inner_max_iter = inner_max_iter;
    a.opt.screening = screening;
    a.opt.n_threads = n_threads;
    a.opt.early_stop = early_stop;
    return a;
}

#define FASTREG_LOGISTIC_ARGS                                                                  \
    py::arg("y").noconvert(), py::arg("sample_weight").noconvert() = py::none(),             \
    py::arg("penalty_factor").noconvert() = py::none(),                                       \
    py::arg("offset").noconvert() = py::none(), py::arg("coef_init").noconvert() = py::none(), \
    py::arg("intercept_init") = 0.0, py::arg("alphas").noconvert() = py::none(),              \
    py::arg("n_alphas") = 100, py::arg("eps") = 1e-2, py::arg("l1_ratio") = 1.0,              \
    py::arg("fit_intercept") = true, py::arg("tol") = 1e-4, py::arg("max_iter") = 100,        \
    py::arg("inner_max_iter") = 10000, py::arg("screening") = true, py::arg("n_threads") = 0, \
    py::arg("early_stop") = true
#define FASTREG_LOGISTIC_PARAMS                                                               \
    arr<T> y, std::optional<arr<T>> sw, std::optional<arr<T>> pf, std::optional<arr<T>> offset, \
        std::optional<arr<T>> coef_init, double intercept_init,                              \
        std::optional<arr<double>> alphas, index_t n_alphas, double eps, double l1_ratio,    \
        bool fit_intercept, double tol, index_t max_iter, index_t inner_max_iter,            \
        bool screening, int n_threads, bool early_stop
#define FASTREG_LOGISTIC_PROBLEM                                                              \
    problem<T>(y, sw, pf, offset, coef_init, intercept_init, alphas, n_alphas, eps, l1_ratio, \
               fit_intercept, tol, max_iter, inner_max_iter, screening, n_threads, early_stop)

template <class T>
void bind_dtype(py::module_& m) {
    m.def(
        "logistic_path_dense",
        [](arr<T> X, FASTREG_LOGISTIC_PARAMS) {
            return run<T>(dense_design<T>(X, "X"), FASTREG_LOGISTIC_PROBLEM);
        },
        py::arg("X").noconvert(), FASTREG_LOGISTIC_ARGS);
    m.def(
        "logistic_path_csc",
        [](arr<T> data, arr<std::int32_t> indices, arr<std::int32_t> indptr, index_t n,
           FASTREG_LOGISTIC_PARAMS) {
            return run<T>(csc_design<T, std::int32_t>(data, indices, indptr, n),
                          FASTREG_LOGISTIC_PROBLEM);
        },
        py::arg("data").noconvert(), py::arg("indices").noconvert(),
        py::arg("indptr").noconvert(), py::arg("n_rows"), FASTREG_LOGISTIC_ARGS);
    m.def(
        "logistic_path_csc",
        [](arr<T> data, arr<std::int64_t> indices, arr<std::int64_t> indptr, index_t n,
           FASTREG_LOGISTIC_PARAMS) {
            return run<T>(csc_design<T, std::int64_t>(data, indices, indptr, n),
                          FASTREG_LOGISTIC_PROBLEM);
        },
        py::arg("data").noconvert(), py::arg("indices").noconvert(),
        py::arg("indptr").noconvert(), py::arg("n_rows"), FASTREG_LOGISTIC_ARGS);
    m.def(
        "logistic_path_int8",
        [](arr<std::int8_t> X, rows_t rows, impute_t impute, flags_t missing,
           std::optional<arr<T>> covariates, FASTREG_LOGISTIC_PARAMS) {
            return on_genotypes<T>(int8_design<T>(X, rows, impute, missing), covariates,
                                   FASTREG_LOGISTIC_PROBLEM);
        },
        py::arg("X").noconvert(), py::arg("rows").noconvert(), py::arg("impute").noconvert(),
        py::arg("missing").noconvert(), py::arg("covariates").noconvert(), FASTREG_LOGISTIC_ARGS);
    m.def(
        "logistic_path_bed",
        [](designs::bed_data_t data, index_t n_stored, index_t p, rows_t rows, impute_t impute,
           flags_t missing, std::optional<arr<T>> covariates, FASTREG_LOGISTIC_PARAMS) {
            return on_genotypes<T>(bed_design<T>(data, n_stored, p, rows, impute, missing),
                                   covariates, FASTREG_LOGISTIC_PROBLEM);
        },
        py::arg("data").noconvert(), py::arg("n_stored"), py::arg("p"),
        py::arg("rows").noconvert(), py::arg("impute").noconvert(),
        py::arg("missing").noconvert(), py::arg("covariates").noconvert(), FASTREG_LOGISTIC_ARGS);
}

#undef FASTREG_LOGISTIC_ARGS
#undef FASTREG_LOGISTIC_PARAMS
#undef FASTREG_LOGISTIC_PROBLEM

}  // namespace

void register_logistic(py::module_& m) {
    bind_dtype<float>(m);
    bind_dtype<double>(m);
}

}  // namespace fastreg::bindings
