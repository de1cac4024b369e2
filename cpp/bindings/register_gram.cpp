// The elastic-net path from summary statistics (X^T X, X^T y, n): dense or CSC X^T X, in
// float64. Python (fastreg.linear_model._gram_path) has validated values (symmetry,
// finiteness, the diagonal); this checks what memory safety needs (shapes, contiguity,
// index bounds), then releases the GIL.
#include "cd_args.hpp"
#include "fastreg/cd/gram_path.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace fastreg::bindings {

namespace {

using cdargs::arr;
using cdargs::vector_of;

struct GramArgs {
    std::optional<arr<double>> alphas;
    index_t n_alphas;
    double eps;
    cd::GramOptions opt;
};

GramArgs gram_args(const std::optional<arr<double>>& alphas, index_t n_alphas, double eps,
                   double l1_ratio, bool positive, double tol, index_t max_iter, bool screening,
                   bool acceleration) {
    if (max_iter < 1) throw py::value_error("max_iter: must be at least 1");
    if (alphas && alphas->ndim() != 1) throw py::value_error("alphas: expected a 1-d array");
    GramArgs a{alphas, n_alphas, eps, {}};
    a.opt.l1_ratio = l1_ratio;
    a.opt.positive = positive;
    a.opt.tol = tol;
    a.opt.max_iter = max_iter;
    a.opt.screening = screening;
    a.opt.acceleration = acceleration;
    return a;
}

// Returns (alphas, coefs, gaps, n_iter, converged, stats).
template <class Q>
py::tuple run_gram_path(const Q& XtX, const double* diag, const double* Xty, double n,
                        double yty, const double* pf, const double* coef_init, const GramArgs& a) {
    if (!(n > 0.0)) throw py::value_error("n: must be positive");
    const bool generate = !a.alphas;
    const index_t k = generate ? a.n_alphas : index_t(a.alphas->shape(0));
    if (k < 1) throw py::value_error("alphas: at least one alpha is needed");
    const index_t p = XtX.p;
    py::array_t<double> alphas(k);
    if (!generate) {
        const double* src = vector_of<double>(a.alphas, k, "alphas");
        std::copy(src, src + k, alphas.mutable_data());
    }
    py::array_t<double, py::array::f_style> coefs({p, k});
    py::array_t<double> gaps(k);
    py::array_t<std::int64_t> n_iter(k);
    py::array_t<std::uint8_t> converged(k);
    cd::GramPathOutput out;
    out.coefs = coefs.mutable_data();
    out.gaps = gaps.mutable_data();
    out.n_iter = n_iter.mutable_data();
    out.converged = converged.mutable_data();
    double* al = alphas.mutable_data();
    {
        CallScope stop;  // (Ctrl-C)
        py::gil_scoped_release nogil;
        cd::enet_path_gram<Q>(XtX, diag, Xty, n, yty, pf, coef_init, al, k, generate, a.eps,
                              a.opt, out);
    }
    py::dict stats;
    stats["tol_scaled"] = out.tol_scaled;
    stats["yty"] = out.yty;
    stats["epochs"] = out.epochs;
    stats["column_updates"] = out.column_updates;
    stats["kkt_checks"] = out.kkt_checks;
    stats["unbounded_at"] = out.unbounded_at;
    return py::make_tuple(alphas, coefs, gaps, n_iter, converged, stats);
}

#define FASTREG_GRAM_ARGS                                                                      \
    py::arg("diag").noconvert(), py::arg("Xty").noconvert(), py::arg("n"), py::arg("yty"),     \
        py::arg("penalty_factor").noconvert(), py::arg("coef_init").noconvert(),               \
        py::arg("alphas").noconvert() = py::none(), py::arg("n_alphas") = 100,                 \
        py::arg("eps") = 1e-3, py::arg("l1_ratio") = 1.0, py::arg("positive") = false,         \
        py::arg("tol") = 1e-4, py::arg("max_iter") = 1000, py::arg("screening") = true,      \
        py::arg("acceleration") = true

void bind_dense(py::module_& m) {
    m.def(
        "enet_path_gram_dense",
        [](arr<double> XtX, arr<double> diag, arr<double> Xty, double n, double yty,
           std::optional<arr<double>> pf, std::optional<arr<double>> coef_init,
           std::optional<arr<double>> alphas, index_t n_alphas, double eps, double l1_ratio,
           bool positive, double tol, index_t max_iter, bool screening, bool acceleration) {
            if (XtX.ndim() != 2 || XtX.shape(0) != XtX.shape(1) || XtX.shape(0) < 1)
                throw py::value_error("XtX: expected a square 2-d array");
            const index_t p = XtX.shape(0);
            const auto item = py::ssize_t(sizeof(double));
            // symmetric: column j is row j, so C and F order are the same to the solver
            const bool c_order = XtX.strides(1) == item && XtX.strides(0) == p * item;
            const bool f_order = XtX.strides(0) == item && XtX.strides(1) == p * item;
            if (p > 1 && !c_order && !f_order) throw py::value_error("XtX: must be contiguous");
            cd::GramDense Q;
            Q.data = XtX.data();
            Q.p = p;
            const GramArgs a = gram_args(alphas, n_alphas, eps, l1_ratio, positive, tol,
                                         max_iter, screening, acceleration);
            return run_gram_path(Q, vector_of<double>(diag, p, "diag"),
                                 vector_of<double>(Xty, p, "Xty"), n, yty,
                                 vector_of<double>(pf, p, "penalty_factor"),
                                 vector_of<double>(coef_init, p, "coef_init"), a);
        },
        py::arg("XtX").noconvert(), FASTREG_GRAM_ARGS);
}

template <class I>
void bind_csc(py::module_& m) {
    m.def(
        "enet_path_gram_csc",
        [](arr<double> data, arr<I> indices, arr<I> indptr, arr<double> diag, arr<double> Xty,
           double n, double yty, std::optional<arr<double>> pf,
           std::optional<arr<double>> coef_init, std::optional<arr<double>> alphas,
           index_t n_alphas, double eps, double l1_ratio, bool positive, double tol,
           index_t max_iter, bool screening, bool acceleration) {
            if (indptr.ndim() != 1 || indptr.shape(0) < 2)
                throw py::value_error("indptr: expected at least 2 entries");
            const index_t p = indptr.shape(0) - 1;
            const index_t nnz = data.ndim() == 1 ? data.shape(0) : -1;
            if (nnz < 0 || indices.ndim() != 1 || indices.shape(0) != nnz)
                throw py::value_error("XtX: data and indices must be 1-d of one length");
            const double* dp = vector_of<double>(data, nnz, "data");
            const I* ip = vector_of<I>(indices, nnz, "indices");
            const I* pp = vector_of<I>(indptr, p + 1, "indptr");
            if (pp[0] != 0 || index_t(pp[p]) > nnz) throw py::value_error("indptr: out of bounds");
            for (index_t j = 0; j < p; ++j)
                if (pp[j + 1] < pp[j]) throw py::value_error("indptr: must be non-decreasing");
            for (index_t t = 0; t < index_t(pp[p]); ++t)
                if (ip[t] < 0 || index_t(ip[t]) >= p)
                    throw py::value_error("indices: row index out of bounds");
            cd::GramCsc<I> Q;
            Q.data = dp;
            Q.indices = ip;
            Q.indptr = pp;
            Q.p = p;
            const GramArgs a = gram_args(alphas, n_alphas, eps, l1_ratio, positive, tol,
                                         max_iter, screening, acceleration);
            return run_gram_path(Q, vector_of<double>(diag, p, "diag"),
                                 vector_of<double>(Xty, p, "Xty"), n, yty,
                                 vector_of<double>(pf, p, "penalty_factor"),
                                 vector_of<double>(coef_init, p, "coef_init"), a);
        },
        py::arg("data").noconvert(), py::arg("indices").noconvert(),
        py::arg("indptr").noconvert(), FASTREG_GRAM_ARGS);
}

#undef FASTREG_GRAM_ARGS

}  // namespace

void register_gram(py::module_& m) {
    bind_dense(m);
    bind_csc<std::int32_t>(m);
    bind_csc<std::int64_t>(m);
}

}  // namespace fastreg::bindings
