// Coordinate descent: the elastic-net path for dense (F-ordered) and CSC sparse X. Python
// (fastreg.linear_model) has validated values and chosen dtypes; this checks what memory
// safety needs (shapes, strides, index bounds), then releases the GIL.
#include "cd_args.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace fastreg::bindings {

namespace {

using namespace cdargs;  // vector_of, PathOptions, path_args, path_or_paths, run_cv_paths

using designs::csc_design;
using designs::dense_design;

// _core.PathOptions: every path entry point's options, with the defaults of PathOptions.
void bind_path_options(py::module_& m) {
    py::class_<PathOptions> c(m, "PathOptions",
                              "The options of the elastic-net path entry points; the defaults "
                              "are the core's (fastreg.linear_model sets them from its "
                              "validated arguments).");
    c.def(py::init<>());
#define FASTREG_FIT_FIELD(name)                                                                   \
    c.def_property(                                                                               \
        #name, [](const PathOptions& o) { return o.fit.name; },                                   \
        [](PathOptions& o, decltype(cd::EnetOptions::name) v) { o.fit.name = v; })
    FASTREG_FIT_FIELD(l1_ratio);
    FASTREG_FIT_FIELD(fit_intercept);
    FASTREG_FIT_FIELD(standardize);
    FASTREG_FIT_FIELD(positive);
    FASTREG_FIT_FIELD(tol);
    FASTREG_FIT_FIELD(max_iter);
    FASTREG_FIT_FIELD(screening);
    FASTREG_FIT_FIELD(n_threads);
    FASTREG_FIT_FIELD(acceleration);
    FASTREG_FIT_FIELD(random);
    FASTREG_FIT_FIELD(seed);
    FASTREG_FIT_FIELD(gram);
#undef FASTREG_FIT_FIELD
    c.def_readwrite("n_alphas", &PathOptions::n_alphas);
    c.def_readwrite("eps", &PathOptions::eps);
    c.def_readwrite("patience", &PathOptions::patience);
    c.def_readwrite("max_alphas", &PathOptions::max_alphas);
    c.def_readwrite("sparse_coefs", &PathOptions::sparse_coefs);
}

template <class T>
void bind_dense(py::module_& m) {
    m.def(
        "enet_path_dense",
        [](arr<T> X, arr<T> y, std::optional<arr<T>> sw, std::optional<arr<T>> pf,
           std::optional<arr<T>> coef_init, std::optional<arr<double>> alphas,
           std::optional<arr<T>> val_weights, const PathOptions& options) {
            return path_or_paths<T>(dense_design<T>(X), y, sw, pf, coef_init, val_weights,
                                    path_args(alphas, options));
        },
        py::arg("X").noconvert(), py::arg("y").noconvert(), py::arg("sample_weight").noconvert(),
        py::arg("penalty_factor").noconvert(), py::arg("coef_init").noconvert(),
        py::arg("alphas").noconvert(), py::arg("val_weights").noconvert(), py::arg("options"));
}

template <class T, class I>
void bind_csc(py::module_& m) {
    m.def(
        "enet_path_csc",
        [](arr<T> data, arr<I> indices, arr<I> indptr, index_t n, arr<T> y,
           std::optional<arr<T>> sw, std::optional<arr<T>> pf, std::optional<arr<T>> coef_init,
           std::optional<arr<double>> alphas, std::optional<arr<T>> val_weights,
           const PathOptions& options) {
            return path_or_paths<T>(csc_design<T, I>(data, indices, indptr, n), y, sw, pf,
                                    coef_init, val_weights, path_args(alphas, options));
        },
        py::arg("data").noconvert(), py::arg("indices").noconvert(),
        py::arg("indptr").noconvert(), py::arg("n_rows"), py::arg("y").noconvert(),
        py::arg("sample_weight").noconvert(), py::arg("penalty_factor").noconvert(),
        py::arg("coef_init").noconvert(), py::arg("alphas").noconvert(),
        py::arg("val_weights").noconvert(), py::arg("options"));
}

// The paths of a cross-validation (folds and full-data paths, one or several targets) in one
// call sharing their passes over X: cdargs::run_cv_paths.
template <class T>
void bind_cv_dense(py::module_& m) {
    m.def(
        "enet_paths_cv_dense",
        [](arr<T> X, arr<T> y, std::optional<arr<std::int64_t>> targets,
           task_arrays<T> sample_weights, task_arrays<T> val_weights,
           task_arrays<double> alphas, std::optional<arr<T>> pf, const PathOptions& options,
           std::optional<arr<std::int64_t>> progress) {
            const matrix::Dense<T> D = dense_design<T>(X);
            return run_cv_paths<T>(D, y, targets, sample_weights, val_weights, alphas,
                                   vector_of<T>(pf, D.p, "penalty_factor"),
                                   path_args(std::nullopt, options, progress_counter(progress)));
        },
        py::arg("X").noconvert(), py::arg("y").noconvert(), py::arg("targets").noconvert(),
        py::arg("sample_weights").noconvert(), py::arg("val_weights").noconvert(),
        py::arg("alphas").noconvert(), py::arg("penalty_factor").noconvert(),
        py::arg("options"), py::arg("progress").noconvert() = py::none());
}

template <class T, class I>
void bind_cv_csc(py::module_& m) {
    m.def(
        "enet_paths_cv_csc",
        [](arr<T> data, arr<I> indices, arr<I> indptr, index_t n, arr<T> y,
           std::optional<arr<std::int64_t>> targets, task_arrays<T> sample_weights,
           task_arrays<T> val_weights, task_arrays<double> alphas, std::optional<arr<T>> pf,
           const PathOptions& options, std::optional<arr<std::int64_t>> progress) {
            const matrix::Csc<T, I> C = csc_design<T, I>(data, indices, indptr, n);
            return run_cv_paths<T>(C, y, targets, sample_weights, val_weights, alphas,
                                   vector_of<T>(pf, C.p, "penalty_factor"),
                                   path_args(std::nullopt, options, progress_counter(progress)));
        },
        py::arg("data").noconvert(), py::arg("indices").noconvert(),
        py::arg("indptr").noconvert(), py::arg("n_rows"), py::arg("y").noconvert(),
        py::arg("targets").noconvert(), py::arg("sample_weights").noconvert(),
        py::arg("val_weights").noconvert(), py::arg("alphas").noconvert(),
        py::arg("penalty_factor").noconvert(), py::arg("options"),
        py::arg("progress").noconvert() = py::none());
}

}  // namespace

void register_cd(py::module_& m) {
    bind_path_options(m);
    m.def("use_gram", &cd::use_gram, py::arg("n"), py::arg("p"), py::arg("gram"),
          "Whether the core fits dense float data of n rows and p columns in Gram mode "
          "(gram: 1 on, 0 off, -1 automatic): the one place this is decided.");
    bind_dense<float>(m);
    bind_dense<double>(m);
    bind_csc<float, std::int32_t>(m);
    bind_csc<double, std::int32_t>(m);
    bind_csc<float, std::int64_t>(m);
    bind_csc<double, std::int64_t>(m);
    bind_cv_dense<float>(m);
    bind_cv_dense<double>(m);
    bind_cv_csc<float, std::int32_t>(m);
    bind_cv_csc<double, std::int32_t>(m);
    bind_cv_csc<float, std::int64_t>(m);
    bind_cv_csc<double, std::int64_t>(m);
}

}  // namespace fastreg::bindings
