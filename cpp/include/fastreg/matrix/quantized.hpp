// A vector of reals as a sum of int8 vectors, for products with genotype columns in
// integer arithmetic.
//
// Why: a KKT check's full pass takes the gradient of every variant at one residual e,
// x_j^T e for j = 1..p. With e in double every sample costs a conversion of its dosage and
// a multiply-add of 8 lanes. Written e ~ sum_k scale_k q_k with q_k in int8, x_j^T e is
// sum_k scale_k (x_j^T q_k), and each x_j^T q_k is a sum of byte products, 64 samples an
// instruction (AVX-512 VNNI's vpdpbusd: unsigned dosage bytes times signed bytes, summed
// in int32 lanes), exact. In the solver (cd/enet.hpp, quantized_pass), at n = 2,000,
// p = 200,000 on two threads: a .bed pass 20 ms against 38 ms with the kernels of double,
// an int8 pass 26-28 against 33-35 ms (reading its 400 MB is most of that).
//
// The parts: q_1 = round(e / scale_1) with scale_1 = max |e_i| / 127, then each next part
// rounds what is left at 1/254 of the previous scale, so |q_k| <= 127 and, after PARTS
// parts, |e_i - sum_k scale_k q_ki| <= scale_PARTS / 2 = max |e| / (2 127 254^4), about
// 1e-12 max |e|: a column of dosages (at most 2) gets x^T e within 2 n of that. The sums
// are integers, so a product is the same on every CPU, in every kernel and thread count.
//
// `value` holds the represented vector itself, sum_k scale_k q_k, for the corrections of
// entries the kernels read as something else (a missing entry's stored byte).
//
// Layout: PARTS rows of `padded` bytes (n rounded up to 256, zeros after n). .bed columns
// decode 256 samples (64 bytes) into four registers, sample 4b + c of the block in byte b
// of register c; in `bed_order` the parts are stored in that order, so that each register
// meets its samples' parts in one plain load.
#ifndef FASTREG_MATRIX_QUANTIZED_HPP
#define FASTREG_MATRIX_QUANTIZED_HPP

#include "fastreg/common.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace fastreg::matrix {

struct Quantized {
    static constexpr int PARTS = 5;
    static constexpr index_t BLOCK = 256;  // samples of one .bed block of 64 bytes
    index_t n = 0, padded = 0;
    bool bed_order = false;
    double scale[PARTS] = {};
    std::vector<std::int8_t> q;   // part k's byte for sample i at q[k * padded + pos(i)]
    std::vector<double> value;    // n: sum_k scale_k q_k, sample by sample
    double error = 0.0;           // max_i |e_i - value_i|

    // where sample i's bytes are in a part
    FASTREG_INLINE index_t pos(index_t i) const {
        if (!bed_order) return i;
        const index_t b = i % BLOCK;
        return i - b + (b & 3) * 64 + (b >> 2);
    }
    const std::int8_t* part(int k) const { return q.data() + std::size_t(k) * std::size_t(padded); }

    template <class T>
    void assign(const T* e, index_t count, bool bed) {
        n = count;
        bed_order = bed;
        padded = (n + BLOCK - 1) / BLOCK * BLOCK;
        q.assign(std::size_t(PARTS) * std::size_t(padded), 0);
        value.assign(std::size_t(n), 0.0);
        double top = 0.0;
        for (index_t i = 0; i < n; ++i) top = std::max(top, std::fabs(double(e[i])));
        error = 0.0;
        if (!(top > 0.0) || !std::isfinite(top)) {
            // zero (or not finite: the solver fails on its own terms, not here)
            for (double& s : scale) s = 0.0;
            for (index_t i = 0; i < n; ++i) value[std::size_t(i)] = double(e[i]);
            return;
        }
        scale[0] = top / 127.0;
        for (int k = 1; k < PARTS; ++k) scale[k] = scale[k - 1] / 254.0;
        for (index_t i = 0; i < n; ++i) {
            double rest = double(e[i]), sum = 0.0;
            const index_t at = pos(i);
            for (int k = 0; k < PARTS; ++k) {
                const double c = std::clamp(std::nearbyint(rest / scale[k]), -127.0, 127.0);
                q[std::size_t(k) * std::size_t(padded) + std::size_t(at)] = std::int8_t(c);
                rest -= c * scale[k];
                sum += c * scale[k];
            }
            value[std::size_t(i)] = sum;
            error = std::max(error, std::fabs(double(e[i]) - sum));
        }
    }

    // sum_k scale_k S_k, in the kernels' order
    FASTREG_INLINE double combine(const std::int64_t S[PARTS]) const {
        double s = 0.0;
        for (int k = 0; k < PARTS; ++k) s += scale[k] * double(S[k]);
        return s;
    }
};

}  // namespace fastreg::matrix

#endif  // FASTREG_MATRIX_QUANTIZED_HPP
