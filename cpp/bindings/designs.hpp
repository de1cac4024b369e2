// The designs every binding builds from NumPy arrays, checked for what memory safety needs
// (shapes, strides, index bounds, sizes): dense (F-ordered), CSC, int8 and .bed genotypes,
// and genotypes with covariates. Shared by the elastic-net, genotype and logistic bindings.
#ifndef FASTREG_BINDINGS_DESIGNS_HPP
#define FASTREG_BINDINGS_DESIGNS_HPP

#include "arrays.hpp"
#include "fastreg/matrix/design.hpp"
#include "fastreg/matrix/genotype.hpp"

#include <cstdint>
#include <optional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace fastreg::bindings::designs {

template <class T>
using arr = py::array_t<T, 0>;  // any strides; with noconvert() the dtype must match exactly
using rows_t = std::optional<arr<std::int64_t>>;
using impute_t = std::optional<arr<double>>;
using flags_t = std::optional<arr<std::uint8_t>>;

// The data of an optional contiguous 1-d array of n values (null when absent).
template <class T>
const T* vector_of(const std::optional<arr<T>>& a, index_t n, const char* name) {
    if (!a) return nullptr;
    if (a->ndim() != 1 || a->shape(0) != n)
        throw py::value_error(std::string(name) + ": expected shape (" + std::to_string(n) + ",)");
    if (n > 1 && a->strides(0) != py::ssize_t(sizeof(T)))
        throw py::value_error(std::string(name) + ": must be contiguous");
    return a->data();
}

// n x p, F-ordered (any column stride of whole elements, at least n).
template <class T>
matrix::Dense<T> dense_design(const arr<T>& X, const char* name = "X") {
    const std::string at(name);
    if (X.ndim() != 2) throw py::value_error(at + ": expected a 2-d array");
    const index_t n = X.shape(0), p = X.shape(1);
    if (n < 1 || p < 1) throw py::value_error(at + ": needs at least one row and one column");
    const auto item = py::ssize_t(sizeof(T));
    if (n > 1 && X.strides(0) != item) throw py::value_error(at + ": must be F-ordered (contiguous columns)");
    index_t ld = n;
    if (p > 1) {
        if (X.strides(1) % item != 0 || X.strides(1) / item < n)
            throw py::value_error(at + ": column stride must be whole elements, at least n");
        ld = X.strides(1) / item;
    }
    matrix::Dense<T> D;
    D.data = X.data();
    D.n = n;
    D.p = p;
    D.ld = ld;
    return D;
}

// CSC arrays, checked for everything memory safety needs (bounds, monotone indptr).
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

// A genotype design's subset (rows of the stored samples) and per-variant imputation values
// and missing flags, common to both kinds.
template <class G>
void genotype_args(G& g, index_t n_stored, const rows_t& rows, const impute_t& impute,
                   const flags_t& missing, bool need_impute) {
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
    if (need_impute && !impute) throw py::value_error("impute: required");
    g.impute = vector_of<double>(impute, g.p, "impute");
    g.missing = vector_of<std::uint8_t>(missing, g.p, "missing");
}

template <class T>
matrix::Int8Genotypes<T> int8_design(const arr<std::int8_t>& X, const rows_t& rows,
                                     const impute_t& impute, const flags_t& missing,
                                     bool need_impute = true) {
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
    genotype_args(g, n, rows, impute, missing, need_impute);
    return g;
}

// A .bed design's codes: one uint8 array (a file mapped, or packed in memory), or a list
// of them, one per file (per chromosome), each whole variants, concatenated by columns.
using bed_data_t = std::variant<arr<std::uint8_t>, std::vector<arr<std::uint8_t>>>;

template <class T>
matrix::BedGenotypes<T> bed_design(const bed_data_t& data, index_t n_stored, index_t p,
                                   const rows_t& rows, const impute_t& impute,
                                   const flags_t& missing, bool need_impute = true) {
    if (n_stored < 1 || p < 1) throw py::value_error("bed: needs at least one sample and one variant");
    const index_t stride = (n_stored + 3) / 4;
    matrix::BedGenotypes<T> g;
    if (const auto* one = std::get_if<arr<std::uint8_t>>(&data)) {
        if (one->ndim() != 1) throw py::value_error("bed: expected a 1-d uint8 array");
        if (one->shape(0) < stride * p)
            throw py::value_error("bed: " + std::to_string(one->shape(0)) + " bytes, " +
                                  std::to_string(p) + " variants of " + std::to_string(n_stored) +
                                  " samples need " + std::to_string(stride * p));
        if (one->shape(0) > 1 && one->strides(0) != 1) throw py::value_error("bed: must be contiguous");
        g.data = one->data();
    } else {
        const auto& parts = std::get<std::vector<arr<std::uint8_t>>>(data);
        auto table = std::make_shared<std::vector<const std::uint8_t*>>();
        table->reserve(std::size_t(p));
        for (std::size_t k = 0; k < parts.size(); ++k) {
            const auto& a = parts[k];
            const std::string at = "bed: part " + std::to_string(k);
            if (a.ndim() != 1) throw py::value_error(at + ": expected a 1-d uint8 array");
            if (a.shape(0) < stride || a.shape(0) % stride != 0)
                throw py::value_error(at + ": " + std::to_string(a.shape(0)) +
                                      " bytes, not whole variants of " + std::to_string(stride));
            if (a.shape(0) > 1 && a.strides(0) != 1) throw py::value_error(at + ": must be contiguous");
            for (index_t b = 0; b < a.shape(0); b += stride) table->push_back(a.data() + b);
        }
        if (index_t(table->size()) != p)
            throw py::value_error("bed: the parts hold " + std::to_string(table->size()) +
                                  " variants, expected " + std::to_string(p));
        g.data = (*table)[0];
        g.columns = table->data();
        g.column_table = std::move(table);
    }
    g.stride = stride;
    g.p = p;
    genotype_args(g, n_stored, rows, impute, missing, need_impute);
    return g;
}

// fn(design) on genotypes g, or on g with the covariates' columns after its variants.
template <class T, class G, class F>
auto on_design(const G& g, const std::optional<arr<T>>& cov, F&& fn) {
    if (!cov) return fn(g);
    if (cov->ndim() != 2 || cov->shape(0) != g.n || cov->shape(1) < 1)
        throw py::value_error("covariates: expected shape (" + std::to_string(g.n) + ", q), q >= 1");
    matrix::WithCovariates<T, G> X;
    X.g = g;
    X.C = dense_design<T>(*cov, "covariates");
    X.n = g.n;
    X.p = g.p + X.C.p;
    return fn(X);
}

}  // namespace fastreg::bindings::designs

#endif  // FASTREG_BINDINGS_DESIGNS_HPP
