// The Gram matrices Q = X^T X that the path from summary statistics (cd/gram_path.hpp)
// reads, dense or CSC: symmetric p x p, read one column at a time (g += a Q[:, j]).
#ifndef FASTREG_CD_GRAM_MATRIX_HPP
#define FASTREG_CD_GRAM_MATRIX_HPP

#include "fastreg/common.hpp"
#include "fastreg/matrix/vec.hpp"

#include <cstdint>
#include <vector>

namespace fastreg::cd {

// A symmetric p x p matrix stored densely (either order: column j = row j).
struct GramDense {
    const double* data = nullptr;
    index_t p = 0;
    void prepare() {}
    // g[k] += a * Q[k, j] for all k
    void axpy(index_t j, double a, double* g) const { vec::axpy(a, data + j * p, g, p); }
};

// A symmetric p x p matrix in CSC form (a CSR matrix is the CSC form of its transpose,
// which is the same matrix).
template <class I>
struct GramCsc {
    const double* data = nullptr;
    const I* indices = nullptr;
    const I* indptr = nullptr;
    index_t p = 0;
    // Column j holds consecutive rows (one run, as every column of a banded matrix such as
    // an LD matrix does): its update is a contiguous axpy, which vectorizes, instead of a
    // scatter. Found once by prepare(), O(nnz).
    std::vector<std::uint8_t> run;

    void prepare() {
        run.assign(std::size_t(p), 0);
        for (index_t j = 0; j < p; ++j) {
            const index_t b = index_t(indptr[j]), e = index_t(indptr[j + 1]);
            bool consecutive = e > b;
            for (index_t t = b + 1; consecutive && t < e; ++t)
                consecutive = index_t(indices[t]) == index_t(indices[t - 1]) + 1;
            run[std::size_t(j)] = consecutive ? 1 : 0;
        }
    }
    void axpy(index_t j, double a, double* g) const {
        const index_t b = index_t(indptr[j]), e = index_t(indptr[j + 1]);
        if (run[std::size_t(j)])
            vec::axpy(a, data + b, g + index_t(indices[b]), e - b);
        else
            vec::saxpy(a, data + b, indices + b, e - b, g);
    }
};

}  // namespace fastreg::cd

#endif  // FASTREG_CD_GRAM_MATRIX_HPP
