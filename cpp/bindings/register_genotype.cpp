// Genotype designs (fastreg/matrix/genotype.hpp): per-variant code counts, the elastic-net
// path, X @ coef and decoding of column blocks, for int8 matrices and PLINK .bed bytes.
// Python (fastreg.genotypes) has validated the files and values; this checks what memory
// safety needs (shapes, strides, sizes, row indices), then releases the GIL.
#include "cd_args.hpp"
#include "fastreg/cd/genotype.hpp"
#include "fastreg/parallel.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

namespace fastreg::bindings {

namespace {

using designs::arr;
using designs::bed_design;
using designs::flags_t;
using designs::impute_t;
using designs::int8_design;
using designs::on_design;
using designs::rows_t;
using designs::vector_of;

// (p, 4) counts of dosage 0, 1, 2 and missing per variant.
template <class G>
py::array_t<std::int64_t> counts(const G& g) {
    py::array_t<std::int64_t> out({g.p, index_t(4)});
    std::int64_t* o = out.mutable_data();
    {
        py::gil_scoped_release nogil;
        const int nt = threads_for(g.total_nnz(), BANDWIDTH_SERIAL_BELOW);
        parallel_for(g.p, nt, 64, [&](index_t j) { matrix::count_codes(g, j, o + 4 * j); });
    }
    return out;
}

// X @ coef for coef of shape (p, k): (n, k) float64, F-ordered; columns with a zero
// coefficient are skipped.
template <class G>
py::array_t<double> matmul(const G& g, const arr<double>& coef) {
    if (coef.ndim() != 2 || coef.shape(0) != g.p)
        throw py::value_error("coef: expected shape (" + std::to_string(g.p) + ", k)");
    const index_t k = coef.shape(1);
    py::array_t<double, py::array::f_style> out({g.n, k});
    double* o = out.mutable_data();
    auto c = coef.unchecked<2>();
    {
        py::gil_scoped_release nogil;
        std::fill(o, o + g.n * k, 0.0);
        for (index_t t = 0; t < k; ++t)
            for (index_t j = 0; j < g.p; ++j)
                if (c(j, t) != 0.0) g.axpy(j, c(j, t), 0.0, o + t * g.n);
    }
    return out;
}

// Columns [j0, j1) decoded (missing entries imputed): (n, j1 - j0) float64, F-ordered.
template <class G>
py::array_t<double> decode(const G& g, index_t j0, index_t j1) {
    if (j0 < 0 || j1 > g.p || j0 > j1) throw py::value_error("decode: column range out of bounds");
    py::array_t<double, py::array::f_style> out({g.n, j1 - j0});
    double* o = out.mutable_data();
    {
        py::gil_scoped_release nogil;
        for (index_t j = j0; j < j1; ++j) g.decode(j, o + (j - j0) * g.n);
    }
    return out;
}

// (p, 5) counts of the raw int8 values per variant: 0, 1, 2, negative (missing), above 2
// (invalid), over the stored samples.
py::array_t<std::int64_t> int8_values(const arr<std::int8_t>& X) {
    const auto g = int8_design<double>(X, std::nullopt, std::nullopt, std::nullopt, false);
    py::array_t<std::int64_t> out({g.p, index_t(5)});
    std::int64_t* o = out.mutable_data();
    {
        py::gil_scoped_release nogil;
        const int nt = threads_for(g.total_nnz(), BANDWIDTH_SERIAL_BELOW);
        parallel_for(g.p, nt, 16, [&](index_t j) {
            const std::int8_t* x = g.column(j);
            std::int64_t c0 = 0, c1 = 0, c2 = 0, neg = 0;
            for (index_t i = 0; i < g.n; ++i) {
                c0 += x[i] == 0;
                c1 += x[i] == 1;
                c2 += x[i] == 2;
                neg += x[i] < 0;
            }
            std::int64_t* r = o + 5 * j;
            r[0] = c0;
            r[1] = c1;
            r[2] = c2;
            r[3] = neg;
            r[4] = g.n - c0 - c1 - c2 - neg;
        });
    }
    return out;
}

// The path on a genotype design (cdargs::path_or_paths).
template <class T, class G>
py::dict path_on(const G& g, const std::optional<arr<T>>& cov, const arr<T>& y,
                 const std::optional<arr<T>>& sw, const std::optional<arr<T>>& pf,
                 const std::optional<arr<T>>& coef_init, const std::optional<arr<T>>& val_weights,
                 const cdargs::PathArgs& a) {
    return on_design<T>(g, cov, [&](const auto& X) {
        using M = std::decay_t<decltype(X)>;
        return cdargs::path_or_paths<T, M>(X, y, sw, pf, coef_init, val_weights, a);
    });
}

// The paths of a cross-validation in one call sharing their passes (cdargs::run_cv_paths).
template <class T, class G>
py::tuple cv_paths_on(const G& g, const std::optional<arr<T>>& cov, const arr<T>& y,
                      const std::optional<arr<std::int64_t>>& targets,
                      const cdargs::task_arrays<T>& sws, const cdargs::task_arrays<T>& vws,
                      const cdargs::task_arrays<double>& alphas, const std::optional<arr<T>>& pf,
                      const cdargs::PathArgs& a) {
    return on_design<T>(g, cov, [&](const auto& X) {
        using M = std::decay_t<decltype(X)>;
        return cdargs::run_cv_paths<T, M>(X, y, targets, sws, vws, alphas,
                                          vector_of<T>(pf, X.p, "penalty_factor"), a);
    });
}

template <class T>
void bind_cv_paths(py::module_& m) {
    m.def(
        "enet_paths_cv_int8",
        [](arr<std::int8_t> X, rows_t rows, impute_t impute, flags_t missing,
           std::optional<arr<T>> covariates, arr<T> y, std::optional<arr<std::int64_t>> targets,
           cdargs::task_arrays<T> sample_weights, cdargs::task_arrays<T> val_weights,
           cdargs::task_arrays<double> alphas, std::optional<arr<T>> pf,
           const cdargs::PathOptions& options, std::optional<arr<std::int64_t>> progress) {
            const auto g = int8_design<T>(X, rows, impute, missing, true);
            return cv_paths_on<T>(g, covariates, y, targets, sample_weights, val_weights, alphas,
                                  pf, cdargs::path_args(std::nullopt, options,
                                                        cdargs::progress_counter(progress)));
        },
        py::arg("X").noconvert(), py::arg("rows").noconvert(), py::arg("impute").noconvert(),
        py::arg("missing").noconvert(), py::arg("covariates").noconvert(), py::arg("y").noconvert(),
        py::arg("targets").noconvert(), py::arg("sample_weights").noconvert(),
        py::arg("val_weights").noconvert(), py::arg("alphas").noconvert(),
        py::arg("penalty_factor").noconvert(), py::arg("options"),
        py::arg("progress").noconvert() = py::none());
    m.def(
        "enet_paths_cv_bed",
        [](designs::bed_data_t data, index_t n_stored, index_t p, rows_t rows, impute_t impute,
           flags_t missing, std::optional<arr<T>> covariates, arr<T> y,
           std::optional<arr<std::int64_t>> targets, cdargs::task_arrays<T> sample_weights,
           cdargs::task_arrays<T> val_weights, cdargs::task_arrays<double> alphas,
           std::optional<arr<T>> pf, const cdargs::PathOptions& options,
           std::optional<arr<std::int64_t>> progress) {
            const auto g = bed_design<T>(data, n_stored, p, rows, impute, missing, true);
            return cv_paths_on<T>(g, covariates, y, targets, sample_weights, val_weights, alphas,
                                  pf, cdargs::path_args(std::nullopt, options,
                                                        cdargs::progress_counter(progress)));
        },
        py::arg("data").noconvert(), py::arg("n_stored"), py::arg("p"),
        py::arg("rows").noconvert(), py::arg("impute").noconvert(),
        py::arg("missing").noconvert(), py::arg("covariates").noconvert(), py::arg("y").noconvert(),
        py::arg("targets").noconvert(), py::arg("sample_weights").noconvert(),
        py::arg("val_weights").noconvert(), py::arg("alphas").noconvert(),
        py::arg("penalty_factor").noconvert(), py::arg("options"),
        py::arg("progress").noconvert() = py::none());
}

template <class T>
void bind_paths(py::module_& m) {
    m.def(
        "enet_path_int8",
        [](arr<std::int8_t> X, rows_t rows, impute_t impute, flags_t missing,
           std::optional<arr<T>> covariates, arr<T> y, std::optional<arr<T>> sw,
           std::optional<arr<T>> pf, std::optional<arr<T>> coef_init,
           std::optional<arr<double>> alphas, std::optional<arr<T>> val_weights,
           const cdargs::PathOptions& options) {
            const auto g = int8_design<T>(X, rows, impute, missing, true);
            return path_on<T>(g, covariates, y, sw, pf, coef_init, val_weights,
                              cdargs::path_args(alphas, options));
        },
        py::arg("X").noconvert(), py::arg("rows").noconvert(), py::arg("impute").noconvert(),
        py::arg("missing").noconvert(), py::arg("covariates").noconvert(), py::arg("y").noconvert(),
        py::arg("sample_weight").noconvert(), py::arg("penalty_factor").noconvert(),
        py::arg("coef_init").noconvert(), py::arg("alphas").noconvert(),
        py::arg("val_weights").noconvert(), py::arg("options"));
    m.def(
        "enet_path_bed",
        [](designs::bed_data_t data, index_t n_stored, index_t p, rows_t rows, impute_t impute,
           flags_t missing, std::optional<arr<T>> covariates, arr<T> y, std::optional<arr<T>> sw,
           std::optional<arr<T>> pf, std::optional<arr<T>> coef_init,
           std::optional<arr<double>> alphas, std::optional<arr<T>> val_weights,
           const cdargs::PathOptions& options) {
            const auto g = bed_design<T>(data, n_stored, p, rows, impute, missing, true);
            return path_on<T>(g, covariates, y, sw, pf, coef_init, val_weights,
                              cdargs::path_args(alphas, options));
        },
        py::arg("data").noconvert(), py::arg("n_stored"), py::arg("p"),
        py::arg("rows").noconvert(), py::arg("impute").noconvert(),
        py::arg("missing").noconvert(), py::arg("covariates").noconvert(), py::arg("y").noconvert(),
        py::arg("sample_weight").noconvert(), py::arg("penalty_factor").noconvert(),
        py::arg("coef_init").noconvert(), py::arg("alphas").noconvert(),
        py::arg("val_weights").noconvert(), py::arg("options"));
}

}  // namespace

void register_genotype(py::module_& m) {
    m.def("genotype_int8_values", &int8_values, py::arg("X").noconvert(),
          "(p, 5) counts of the int8 values 0, 1, 2, negative, above 2 per variant.");
    m.def(
        "genotype_i8_kernels",
        [](arr<std::int8_t> x, double m, std::optional<arr<double>> v, arr<double> r, double a,
           double b, bool portable) {
            const index_t n = x.size();
            if (x.ndim() != 1 || r.ndim() != 1 || r.size() != n)
                throw py::value_error("x, r: expected 1-d arrays of one length");
            const double* vp = vector_of<double>(v, n, "v");
            const std::int8_t* xp = x.data();
            const double* rp = r.data();
            py::array_t<double> imputed(n), raw(n);
            std::copy(rp, rp + n, imputed.mutable_data());
            std::copy(rp, rp + n, raw.mutable_data());
            namespace g = matrix::geno;
            const double d = g::i8_dot(xp, m, vp, rp, n, portable);
            const double d_raw = g::i8raw_dot(xp, vp, rp, n, portable);
            g::i8_axpby(xp, m, a, b, imputed.mutable_data(), n, portable);
            g::i8raw_axpby(xp, a, b, raw.mutable_data(), n, portable);
            return py::make_tuple(d, d_raw, imputed, raw);
        },
        py::arg("x"), py::arg("m"), py::arg("v"), py::arg("r"), py::arg("a"), py::arg("b"),
        py::arg("portable"),
        "The int8 kernels of double on one column, for tests: (i8_dot, i8raw_dot, r after "
        "i8_axpby, r after i8raw_axpby); portable=True forces the portable kernels.");
    m.def(
        "genotype_i8_axpby_dot",
        [](arr<std::int8_t> x, double a, double b, arr<std::int8_t> y, std::optional<arr<double>> v,
           arr<double> r, bool portable) {
            const index_t n = x.size();
            if (x.ndim() != 1 || y.ndim() != 1 || r.ndim() != 1 || y.size() != n || r.size() != n)
                throw py::value_error("x, y, r: expected 1-d arrays of one length");
            const double* vp = vector_of<double>(v, n, "v");
            py::array_t<double> out(n);
            std::copy(r.data(), r.data() + n, out.mutable_data());
            const double d = matrix::geno::i8raw_axpby_dot(x.data(), a, b, y.data(), vp,
                                                           out.mutable_data(), n, portable);
            return py::make_tuple(d, out);
        },
        py::arg("x"), py::arg("a"), py::arg("b"), py::arg("y"), py::arg("v"), py::arg("r"),
        py::arg("portable"),
        "The fused int8 kernel of double, for tests: (y^T v r', r') with r' = r + a x + b; "
        "portable=True forces the portable kernel.");
    m.def(
        "genotype_i8_scan",
        [](arr<std::int8_t> x, bool portable) {
            if (x.ndim() != 1) throw py::value_error("x: expected a 1-d array");
            std::vector<std::int32_t> out;
            matrix::geno::i8_missing(x.data(), x.size(), out, portable);
            py::array_t<std::int32_t> a(py::ssize_t(out.size()));
            std::copy(out.begin(), out.end(), a.mutable_data());
            std::int64_t c[3];
            matrix::geno::i8_counts(x.data(), x.size(), c, portable);
            py::array_t<std::uint8_t> packed(py::ssize_t((x.size() + 3) / 4));
            matrix::geno::i8_to_bed(x.data(), x.size(), packed.mutable_data(), portable);
            return py::make_tuple(a, py::make_tuple(c[0], c[1], c[2]), packed);
        },
        py::arg("x"), py::arg("portable"),
        "The missing samples (outside 0..2) of one int8 column, its counts of dosages 0, 1, 2 "
        "and its .bed codes, for tests: (samples, (n0, n1, n2), bytes); portable=True forces "
        "the portable kernels.");
    m.def(
        "genotype_decode_column",
        [](py::array x, index_t n, double m, bool bed) {
            py::array_t<double> out(n);
            namespace g = matrix::geno;
            if (bed) {
                const auto b = py::array_t<std::uint8_t>::ensure(x);
                if (!b || b.ndim() != 1 || b.size() != (n + 3) / 4)
                    throw py::value_error("x: expected ceil(n / 4) bytes");
                g::bed_decode_column(b.data(), m, out.mutable_data(), n);
            } else {
                const auto c = py::array_t<std::int8_t>::ensure(x);
                if (!c || c.ndim() != 1 || c.size() != n) throw py::value_error("x: expected n int8 values");
                g::i8_decode_column(c.data(), m, out.mutable_data(), n);
            }
            return out;
        },
        py::arg("x"), py::arg("n"), py::arg("m"), py::arg("bed"),
        "One contiguous int8 or .bed column decoded as double (a missing entry as m), for "
        "tests.");
    m.def(
        "genotype_bed_dot",
        [](arr<std::uint8_t> x, double m, bool missing, std::optional<arr<double>> v,
           arr<double> r, bool portable) {
            const index_t n = r.size();
            if (x.ndim() != 1 || r.ndim() != 1 || x.size() != (n + 3) / 4)
                throw py::value_error("x, r: expected 1-d arrays, x of ceil(len(r) / 4) bytes");
            return matrix::geno::bed_dot(x.data(), m, missing, vector_of<double>(v, n, "v"),
                                         r.data(), n, portable);
        },
        py::arg("x"), py::arg("m"), py::arg("missing"), py::arg("v"), py::arg("r"),
        py::arg("portable"),
        "bed_dot of double on one .bed column, for tests; portable=True forces the portable "
        "kernel.");
    m.def(
        "genotype_quantized_dot",
        [](py::array x, arr<double> e, bool bed, double m, bool missing, bool portable) {
            const index_t n = e.size();
            if (e.ndim() != 1 || x.ndim() != 1)
                throw py::value_error("x, e: expected 1-d arrays");
            matrix::Quantized q;
            q.assign(e.data(), n, bed);
            double d;
            if (bed) {
                auto b = py::array_t<std::uint8_t, py::array::c_style>::ensure(x);
                if (!b || b.size() != (n + 3) / 4)
                    throw py::value_error("x: expected ceil(len(e) / 4) bytes (uint8)");
                d = matrix::geno::bedq_dot(b.data(), q, portable);
            } else {
                auto b = py::array_t<std::int8_t, py::array::c_style>::ensure(x);
                if (!b || b.size() != n) throw py::value_error("x: expected len(e) int8 values");
                d = matrix::geno::i8q_dot(b.data(), m, missing, q, portable);
            }
            py::array_t<double> value(n);
            std::copy(q.value.begin(), q.value.end(), value.mutable_data());
            return py::make_tuple(d, value, q.error);
        },
        py::arg("x"), py::arg("e"), py::arg("bed"), py::arg("m"), py::arg("missing"),
        py::arg("portable"),
        "The integer kernels on one column, for tests: (x^T q, q's values, max |e - q|), x "
        "an int8 column (with `missing`, bytes outside 0..2 read as m) or a .bed column "
        "(bed=True, missing as 0); portable=True forces the portable kernel.");
    m.def("genotype_quantized_vnni", [] { return matrix::geno::quantized_vnni(); },
          "Whether the integer kernels run in AVX-512 VNNI here.");
    m.def("genotype_i8_avx512", [] { return matrix::geno::i8_avx512(); },
          "Whether the int8 kernels of double run in AVX-512 here.");
    m.def("genotype_bed_avx512", [] { return matrix::geno::bed_avx512(); },
          "Whether bed_dot of double runs in AVX-512 here.");
    m.def(
        "genotype_counts_int8",
        [](arr<std::int8_t> X, rows_t rows) {
            return counts(int8_design<double>(X, rows, std::nullopt, std::nullopt, false));
        },
        py::arg("X").noconvert(), py::arg("rows").noconvert());
    m.def(
        "genotype_counts_bed",
        [](designs::bed_data_t data, index_t n_stored, index_t p, rows_t rows) {
            return counts(bed_design<double>(data, n_stored, p, rows, std::nullopt, std::nullopt, false));
        },
        py::arg("data").noconvert(), py::arg("n_stored"), py::arg("p"), py::arg("rows").noconvert());
    m.def(
        "genotype_matmul_int8",
        [](arr<std::int8_t> X, rows_t rows, impute_t impute, flags_t missing, arr<double> coef) {
            return matmul(int8_design<double>(X, rows, impute, missing, true), coef);
        },
        py::arg("X").noconvert(), py::arg("rows").noconvert(), py::arg("impute").noconvert(),
        py::arg("missing").noconvert(), py::arg("coef").noconvert());
    m.def(
        "genotype_matmul_bed",
        [](designs::bed_data_t data, index_t n_stored, index_t p, rows_t rows, impute_t impute,
           flags_t missing, arr<double> coef) {
            return matmul(bed_design<double>(data, n_stored, p, rows, impute, missing, true), coef);
        },
        py::arg("data").noconvert(), py::arg("n_stored"), py::arg("p"),
        py::arg("rows").noconvert(), py::arg("impute").noconvert(),
        py::arg("missing").noconvert(), py::arg("coef").noconvert());
    m.def(
        "genotype_decode_int8",
        [](arr<std::int8_t> X, rows_t rows, impute_t impute, index_t j0, index_t j1) {
            return decode(int8_design<double>(X, rows, impute, std::nullopt, true), j0, j1);
        },
        py::arg("X").noconvert(), py::arg("rows").noconvert(), py::arg("impute").noconvert(),
        py::arg("j0"), py::arg("j1"));
    m.def(
        "genotype_decode_bed",
        [](designs::bed_data_t data, index_t n_stored, index_t p, rows_t rows, impute_t impute,
           index_t j0, index_t j1) {
            return decode(bed_design<double>(data, n_stored, p, rows, impute, std::nullopt, true),
                          j0, j1);
        },
        py::arg("data").noconvert(), py::arg("n_stored"), py::arg("p"),
        py::arg("rows").noconvert(), py::arg("impute").noconvert(), py::arg("j0"), py::arg("j1"));
    bind_paths<float>(m);
    bind_paths<double>(m);
    bind_cv_paths<float>(m);
    bind_cv_paths<double>(m);
}

}  // namespace fastreg::bindings
