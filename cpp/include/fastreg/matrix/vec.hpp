// The few vector primitives coordinate descent spends its time in: dot products and axpys
// over a dense column or a sparse (CSC) column. Defined in cpp/src/cd_kernels.cpp, compiled
// once per instruction set (FASTREG_CLONES), for float and double and 32/64-bit indices.
#ifndef FASTREG_MATRIX_VEC_HPP
#define FASTREG_MATRIX_VEC_HPP

#include "fastreg/common.hpp"

#include <cstdint>

namespace fastreg::vec {

// sum_i x[i] * y[i]
float dot(const float* x, const float* y, index_t n);
double dot(const double* x, const double* y, index_t n);
// sum_i x[i] * v[i] * y[i]
float dot3(const float* x, const float* v, const float* y, index_t n);
double dot3(const double* x, const double* v, const double* y, index_t n);
// y[i] += a * x[i]
void axpy(float a, const float* x, float* y, index_t n);
void axpy(double a, const double* x, double* y, index_t n);
// y[i] += a * x[i] + b
void axpby(float a, const float* x, float b, float* y, index_t n);
void axpby(double a, const double* x, double b, double* y, index_t n);

// sum_i v[i] (x[i] - cx) (y[i] - cy), accumulated in double; v may be null (all 1)
double cdot(const float* x, double cx, const float* y, double cy, const float* v, index_t n);
double cdot(const double* x, double cx, const double* y, double cy, const double* v, index_t n);

// Sparse column (values, row indices, count) against a dense vector.
// sum_k x[k] * y[idx[k]]
float sdot(const float* x, const std::int32_t* idx, index_t nnz, const float* y);
double sdot(const double* x, const std::int32_t* idx, index_t nnz, const double* y);
float sdot(const float* x, const std::int64_t* idx, index_t nnz, const float* y);
double sdot(const double* x, const std::int64_t* idx, index_t nnz, const double* y);
// sum_k x[k] * v[idx[k]] * y[idx[k]]
float sdot3(const float* x, const std::int32_t* idx, index_t nnz, const float* v, const float* y);
double sdot3(const double* x, const std::int32_t* idx, index_t nnz, const double* v, const double* y);
float sdot3(const float* x, const std::int64_t* idx, index_t nnz, const float* v, const float* y);
double sdot3(const double* x, const std::int64_t* idx, index_t nnz, const double* v, const double* y);
// y[idx[k]] += a * x[k]
void saxpy(float a, const float* x, const std::int32_t* idx, index_t nnz, float* y);
void saxpy(double a, const double* x, const std::int32_t* idx, index_t nnz, double* y);
void saxpy(float a, const float* x, const std::int64_t* idx, index_t nnz, float* y);
void saxpy(double a, const double* x, const std::int64_t* idx, index_t nnz, double* y);

}  // namespace fastreg::vec

#endif  // FASTREG_MATRIX_VEC_HPP
