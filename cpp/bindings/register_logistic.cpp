// The binomial family: the logistic path (fastreg/cd/logistic_path.hpp) on dense, CSC,
// int8 and .bed genotype designs (with covariates). It takes the Gaussian path's options
// (_core.PathOptions) and returns its result dict (cdargs::Result), with the family's
// extras beside them. Python (fastreg.linear_model) has validated values, labels (0/1 in
// X's dtype) and dtypes; this checks what memory safety needs (shapes, strides, index
// bounds), then releases the GIL.
#include "cd_args.hpp"
#include "fastreg/cd/logistic_path.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace fastreg::bindings {

namespace {

using cdargs::PathArrays;
using cdargs::PathOptions;
using designs::arr;
using designs::bed_design;
using designs::csc_design;
using designs::dense_design;
using designs::flags_t;
using designs::impute_t;
using designs::int8_design;
using designs::rows_t;
using designs::vector_of;

// What a call gives besides its design and options: the Gaussian path's vectors and grid,
// and the family's extras (a fixed offset, the starting intercept, glmnet's early stops).
template <class T>
struct Problem {
    arr<T> y;
    std::optional<arr<T>> sw, pf, coef_init;
    std::optional<arr<double>> alphas;
    std::optional<arr<T>> offset;
    double intercept_init;
    bool early_stop;
};

// The Newton driver's options from the path options; those the family has no use for must
// keep their defaults (a ValueError names the one that does not).
inline cd::LogisticOptions logistic_options(const PathOptions& o, bool early_stop) {
    const PathOptions d;
    auto unused = [](bool differs, const char* name) {
        if (differs)
            throw py::value_error(std::string(name) + ": not an option of the logistic path");
    };
    unused(o.fit.standardize != d.fit.standardize, "standardize");
    unused(o.fit.positive != d.fit.positive, "positive");
    unused(o.fit.random != d.fit.random, "random");
    unused(o.fit.gram == 1, "gram");
    unused(o.patience != d.patience, "patience");
    unused(o.max_alphas != d.max_alphas, "max_alphas");
    unused(o.sparse_coefs != d.sparse_coefs, "sparse_coefs");
    if (o.fit.max_iter < 1) throw py::value_error("max_iter: must be at least 1");
    cd::LogisticOptions opt;
    opt.l1_ratio = o.fit.l1_ratio;
    opt.fit_intercept = o.fit.fit_intercept;
    opt.tol = o.fit.tol;
    opt.max_iter = o.fit.max_iter;
    opt.screening = o.fit.screening;
    opt.n_threads = o.fit.n_threads;
    opt.early_stop = early_stop;
    return opt;
}

// cdargs::Result's dict (n_iter: Newton steps; dual_gaps None) plus deviance (k),
// null_deviance and stop (why a generated path ended early: cd::LogisticStop); the
// outputs past n_done are 0 / NaN.
template <class T, class M>
py::dict run(const M& X, const Problem<T>& a, const PathOptions& o) {
    const index_t n = X.n, p = X.p;
    const cd::LogisticOptions opt = logistic_options(o, a.early_stop);
    const index_t k = cdargs::grid_size(a.alphas, o.n_alphas);
    const T* y = vector_of<T>(a.y, n, "y");
    const T* sw = vector_of<T>(a.sw, n, "sample_weight");
    const T* pf = vector_of<T>(a.pf, p, "penalty_factor");
    const T* off = vector_of<T>(a.offset, n, "offset");
    const T* ci = vector_of<T>(a.coef_init, p, "coef_init");
    PathArrays<T> arrays(p, k, a.alphas, "alphas", false, false, /*dual_gaps=*/false);
    py::array_t<double> deviance(k);
    cd::LogisticOutput<T> out;
    arrays.point(out);
    out.deviance = deviance.mutable_data();
    double* al = arrays.alphas.mutable_data();
    {
        CallScope stop;  // (Ctrl-C)
        py::gil_scoped_release nogil;
        cd::logistic_path<T, M>(X, y, sw, pf, off, ci, a.intercept_init, al, k, !a.alphas, o.eps,
                                opt, out);
    }
    py::dict r = arrays.result(out).dict();
    r["deviance"] = deviance;
    r["null_deviance"] = out.null_deviance;
    r["stop"] = out.stop;
    return r;
}

// The path on genotypes g, or on g with the covariates' columns after its variants.
template <class T, class G>
py::dict on_genotypes(const G& g, const std::optional<arr<T>>& cov, const Problem<T>& a,
                      const PathOptions& o) {
    return designs::on_design<T>(g, cov, [&](const auto& X) { return run<T>(X, a, o); });
}

// The arguments after the design's, as enet_path_<kind>'s with the family's extras in place
// of val_weights.
#define FASTREG_LOGISTIC_ARGS                                                                  \
    py::arg("y").noconvert(), py::arg("sample_weight").noconvert(),                          \
        py::arg("penalty_factor").noconvert(), py::arg("coef_init").noconvert(),              \
        py::arg("alphas").noconvert(), py::arg("offset").noconvert(),                         \
        py::arg("intercept_init"), py::arg("early_stop"), py::arg("options")
#define FASTREG_LOGISTIC_PARAMS                                                               \
    arr<T> y, std::optional<arr<T>> sw, std::optional<arr<T>> pf,                             \
        std::optional<arr<T>> coef_init, std::optional<arr<double>> alphas,                   \
        std::optional<arr<T>> offset, double intercept_init, bool early_stop,                 \
        const PathOptions &options
#define FASTREG_LOGISTIC_PROBLEM                                                              \
    Problem<T>{y, sw, pf, coef_init, alphas, offset, intercept_init, early_stop}, options

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
