// What the coordinate-descent solvers need of a design X (n rows, p columns, never copied
// or modified), written down once: the operations every design has (is_design, checked
// where a solver is instantiated) and the optional capabilities a design may add, which
// the solvers find by traits. The designs themselves are in matrix/ (dense and CSC:
// matrix/design.hpp; int8 and .bed genotypes and genotypes with covariates:
// matrix/genotype.hpp). A new design is one struct with these operations plus one
// instantiation line (cpp/src/cd*.cpp) and its binding (cpp/bindings/designs.hpp).
//
// Every design, in T (float or double), j a column, r and v n-vectors of T:
//
//   static constexpr bool sparse;  whether a column holds only some rows (CSC): the
//                                  solver then keeps the centering shift out of r (its
//                                  lazy offset) instead of adding it to every row
//   index_t n, p;                  rows and columns
//   index_t nnz(j), total_nnz();   stored entries of column j and of X (the work a pass
//                                  costs, which sets its thread count)
//   T dot(j, r);                   sum_i x_ij r_i
//   T dot(j, v, r);                sum_i x_ij v_i r_i
//   void axpy(j, a, r);            r_i += a x_ij                (sparse designs)
//   void axpy(j, a, b, r);         r_i += a x_ij + b, every row (dense designs: the
//                                  centering shift b rides along for free)
//   void for_each(j, f);           f(i, x_ij) for the stored entries of column j
//   ColumnStats stats(j, v, c);    mean = sum_i v_i x_ij and ssq = sum_i v_i (x_ij - m)^2,
//                                  m = mean when c else 0, v null meaning 1/n each,
//                                  accumulated in double (matrix/design.hpp)
//
// Optional capabilities (the solver uses them where they exist):
//
//   const T* col(j);               column j as a contiguous array (dense float designs):
//                                  Gram mode and the shared passes' blocked products
//                                  (matrix::has_float_columns)
//   decode_i8(j, out), cacheable(j), fill(j), raw_dot(j, v, r), raw_value(j, i), ...:
//                                  the genotype designs' integer form: the column cache
//                                  (cd/column_cache.hpp, decodes_i8) and the integer
//                                  passes (quantized_dot, cd/enet_passes.hpp)
#ifndef FASTREG_CD_DESIGN_CONCEPT_HPP
#define FASTREG_CD_DESIGN_CONCEPT_HPP

#include "fastreg/common.hpp"
#include "fastreg/matrix/design.hpp"

#include <type_traits>
#include <utility>

namespace fastreg::cd {

namespace design_detail {

// f(i, x) as for_each calls it
template <class T>
struct Visit {
    void operator()(index_t, T) const {}
};

template <class M, class T, class = void>
struct has_common : std::false_type {};
template <class M, class T>
struct has_common<
    M, T,
    std::void_t<decltype(bool(M::sparse)), decltype(index_t(std::declval<const M&>().n)),
                decltype(index_t(std::declval<const M&>().p)),
                decltype(index_t(std::declval<const M&>().nnz(index_t(0)))),
                decltype(index_t(std::declval<const M&>().total_nnz())),
                decltype(T(std::declval<const M&>().dot(index_t(0), std::declval<const T*>()))),
                decltype(T(std::declval<const M&>().dot(index_t(0), std::declval<const T*>(),
                                                        std::declval<const T*>()))),
                decltype(std::declval<const M&>().for_each(index_t(0), Visit<T>{})),
                decltype(matrix::ColumnStats(std::declval<const M&>().stats(
                    index_t(0), std::declval<const T*>(), true)))>> : std::true_type {};

template <class M, class T, class = void>
struct has_sparse_axpy : std::false_type {};
template <class M, class T>
struct has_sparse_axpy<M, T,
                       std::void_t<decltype(std::declval<const M&>().axpy(
                           index_t(0), T(0), std::declval<T*>()))>> : std::true_type {};

template <class M, class T, class = void>
struct has_dense_axpy : std::false_type {};
template <class M, class T>
struct has_dense_axpy<M, T,
                      std::void_t<decltype(std::declval<const M&>().axpy(
                          index_t(0), T(0), T(0), std::declval<T*>()))>> : std::true_type {};

template <class M, class T, bool Common = has_common<M, T>::value>
struct axpy_matches : std::false_type {};
template <class M, class T>
struct axpy_matches<M, T, true>
    : std::bool_constant<M::sparse ? has_sparse_axpy<M, T>::value : has_dense_axpy<M, T>::value> {};

}  // namespace design_detail

// Whether M has every operation above, in T.
template <class M, class T>
struct is_design : std::bool_constant<design_detail::has_common<M, T>::value &&
                                      design_detail::axpy_matches<M, T>::value> {};

}  // namespace fastreg::cd

#endif  // FASTREG_CD_DESIGN_CONCEPT_HPP
