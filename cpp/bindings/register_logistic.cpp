// The binomial family: the logistic path (fastreg/cd/logistic_path.hpp) on dense, CSC,
// int8 and .bed genotype designs (with covariates). Python (fastreg.linear_model) has
// validated values, labels (0/1 in X's dtype) and dtypes; this checks what memory safety
// needs (shapes, strides, index bounds), then releases the GIL.
#include "arrays.hpp"
#include "call_scope.hpp"
#include "fastreg/cd/logistic_path.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

namespace fastreg::bindings {

namespace {

template <class T>
using arr = py::array_t<T, 0>;  // any strides; with noconvert() the dtype must match exactly
using rows_t = std::optional<arr<std::int64_t>>;
using impute_t = std::optional<arr<double>>;
using flags_t = std::optional<arr<std::uint8_t>>;

template <class T>
const T* vector_of(const std::optional<arr<T>>& a, index_t n, const char* name) {
    if (!a) return nullptr;
    if (a->ndim() != 1 || a->shape(0) != n)
        throw py::value_error(std::string(name) + ": expected shape (" + std::to_string(n) + ",)");
    if (n > 1 && a->strides(0) != py::ssize_t(sizeof(T)))
        throw py::value_error(std::string(name) + ": must be contiguous");
    return a->data();
}

// Column-major n x p (any column stride of whole elements, at least n).
template <class T>
matrix::Dense<T> dense_design(const arr<T>& X, const char* name) {
    if (X.ndim() != 2) throw py::value_error(std::string(name) + ": expected a 2-d array");
    const index_t n = X.shape(0), p = X.shape(1);
    if (n < 1 || p < 1) throw py::value_error(std::string(name) + ": needs at least one row and one column");
    const auto item = py::ssize_t(sizeof(T));
    if (n > 1 && X.strides(0) != item)
        throw py::value_error(std::string(name) + ": must be F-ordered (contiguous columns)");
    index_t ld = n;
    if (p > 1) {
        if (X.strides(1) % item != 0 || X.strides(1) / item < n)
            throw py::value_error(std::string(name) + ": column stride must be whole elements, at least n");
        ld = X.strides(1) / item;
    }
    matrix::Dense<T> D;
    D.data = X.data();
    D.n = n;
    D.p = p;
    D.ld = ld;
    return D;
}

template <class T, class I>
matrix::Csc<T, I> csc_design(const arr<T>& data, const arr<I>& indices, const arr<I>& indptr,
                             index_t n) {
    if (indptr.ndim() != 1 || indptr.shape(0) < 2)
        throw py::value_error("indptr: expected at least 2 entries");
    const index_t p = indptr.shape(0) - 1;
    if (n < 1) throw py::value_error("X: needs at least one row");
    const index_t nnz = data.ndim() == 1 ? data.shape(0) : -1;
    if (nnz < 0 || indices.ndim() != 1 || indices.shape(0) != nnz)
        throw py::value_error("X: data and indices must be 1-d of one length");
    const T* dp = vector_of<T>(data, nnz, "data");
    const I* ip = vector_of<I>(indices, nnz, "indices");
    const I* pp = vector_of<I>(indptr, p + 1, "indptr");
    if (pp[0] < 0 || index_t(pp[p]) > nnz) throw py::value_error("indptr: out of bounds");
    for (index_t j = 0; j < p; ++j)
        if (pp[j + 1] < pp[j]) throw py::value_error("indptr: must be non-decreasing");
    for (index_t k = index_t(pp[0]); k < index_t(pp[p]); ++k)
        if (ip[k] < 0 || index_t(ip[k]) >= n) throw py::value_error("indices: row index out of bounds");
    matrix::Csc<T, I> C;
    C.data = dp;
    C.indices = ip;
    C.indptr = pp;
    C.n = n;
    C.p = p;
    return C;
}

template <class G>
void common_args(G& g, index_t n_stored, const rows_t& rows, const impute_t& impute,
                 const flags_t& missing) {
    g.n = n_stored;
    if (rows) {
        if (rows->ndim() != 1) throw py::value_error("rows: expected a 1-d array");
        const index_t n = rows->shape(0);
        if (n < 1) throw py::value_error("rows: at least one sample is needed");
        const std::int64_t* r = vector_of<std::int64_t>(rows, n, "rows");
        for (index_t i = 0; i < n; ++i)
            if (r[i] < 0 || r[i] >= n_stored)
                throw py::value_error("rows: sample index " + std::to_string(r[i]) +
                                      " out of range for " + std::to_string(n_stored) + " samples");
        g.rows = r;
        g.n = n;
    }
    if (!impute) throw py::value_error("impute: required");
    g.impute = vector_of<double>(impute, g.p, "impute");
    g.missing = vector_of<std::uint8_t>(missing, g.p, "missing");
}

template <class T>
matrix::Int8Genotypes<T> int8_design(const arr<std::int8_t>& X, const rows_t& rows,
                                     const impute_t& impute, const flags_t& missing) {
    if (X.ndim() != 2) throw py::value_error("X: expected a 2-d int8 array");
    const index_t n = X.shape(0), p = X.shape(1);
    if (n < 1 || p < 1) throw py::value_error("X: needs at least one sample and one variant");
    if (n > 1 && X.strides(0) != 1)
        throw py::value_error("X: must be F-ordered (each variant's samples contiguous)");
    index_t ld = n;
    if (p > 1) {
        if (X.strides(1) < n) throw py::value_error("X: column stride must be at least n");
        ld = X.strides(1);
    }
    matrix::Int8Genotypes<T> g;
    g.data = X.data();
    g.ld = ld;
    g.p = p;
    common_args(g, n, rows, impute, missing);
    return g;
}

template <class T>
matrix::BedGenotypes<T> bed_design(const arr<std::uint8_t>& data, index_t n_stored, index_t p,
                                   const rows_t& rows, const impute_t& impute,
                                   const flags_t& missing) {
    if (n_stored < 1 || p < 1) throw py::value_error("bed: needs at least one sample and one variant");
    if (data.ndim() != 1) throw py::value_error("bed: expected a 1-d uint8 array");
    const index_t stride = (n_stored + 3) / 4;
    if (data.shape(0) < stride * p)
        throw py::value_error("bed: " + std::to_string(data.shape(0)) + " bytes, " +
                              std::to_string(p) + " variants of " + std::to_string(n_stored) +
                              " samples need " + std::to_string(stride * p));
    if (data.shape(0) > 1 && data.strides(0) != 1) throw py::value_error("bed: must be contiguous");
    matrix::BedGenotypes<T> g;
    g.data = data.data();
    g.stride = stride;
    g.p = p;
    common_args(g, n_stored, rows, impute, missing);
    return g;
}

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

// fn(design) on g, or on g with the covariates' columns after its variants.
template <class T, class G>
py::tuple on_genotypes(const G& g, const std::optional<arr<T>>& cov, const Problem<T>& a) {
    if (!cov) return run<T>(g, a);
    if (cov->ndim() != 2 || cov->shape(0) != g.n || cov->shape(1) < 1)
        throw py::value_error("covariates: expected shape (" + std::to_string(g.n) + ", q), q >= 1");
    matrix::WithCovariates<T, G> X;
    X.g = g;
    X.C = dense_design<T>(*cov, "covariates");
    X.n = g.n;
    X.p = g.p + X.C.p;
    return run<T>(X, a);
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
        [](arr<std::uint8_t> data, index_t n_stored, index_t p, rows_t rows, impute_t impute,
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
