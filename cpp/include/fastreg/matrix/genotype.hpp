// Genotype designs: n samples x p variants of allele dosages 0, 1, 2 (or missing), read in
// place, never materialized as floats. Two storage kinds:
//
//   Int8Genotypes<T>  dense int8, column-major (a variant's samples are contiguous); 0, 1, 2
//                     are dosages, anything else (negative: the convention) is missing.
//   BedGenotypes<T>   PLINK 1 .bed, variant-major, exactly as on disk after the 3 magic
//                     bytes: each variant takes ceil(n_file / 4) bytes, sample i in bits
//                     2(i mod 4) .. 2(i mod 4)+1 of byte i / 4, with PLINK's codes
//                     0b00 homozygous A1, 0b01 missing, 0b10 heterozygous, 0b11
//                     homozygous A2. The dosage counts A1 (the .bim's 5th column), as
//                     PLINK's --recode A and bed-reader's count_A1=True: 2, missing, 1, 0.
//
// Both see their columns through the solver's column interface (design.hpp, dense-like:
// `sparse = false`): dot, weighted dot, r += a x_j + b, for_each, stats. A missing entry
// reads as impute[j], which the caller supplies (fastreg uses the unweighted mean dosage of
// the variant's non-missing samples, PLINK's convention; 0 when all are missing, so that
// an all-missing variant is a zero column). With `rows`, the design is the subset of
// samples rows[0..n) of the stored ones (in that order, repeats allowed): decoding gathers
// them, nothing is copied.
//
// The contiguous kernels (no subset) live in cpp/src/genotype_kernels.cpp, compiled per
// instruction set; the .bed ones decode a byte into four lanes through 256-entry tables.
#ifndef FASTREG_MATRIX_GENOTYPE_HPP
#define FASTREG_MATRIX_GENOTYPE_HPP

#include "fastreg/common.hpp"
#include "fastreg/matrix/design.hpp"
#include "fastreg/matrix/quantized.hpp"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

namespace fastreg::matrix {

namespace geno {

// The int8 kernels of double run in AVX-512 where the CPU has it (i8_avx512()), else
// portably; `portable` forces the portable ones (the tests compare both, bit for bit).
bool i8_avx512();

// Contiguous int8 column x of n samples; a missing entry (outside 0..2) reads as m.
// sum_i x_i v_i r_i (v null: 1)
float i8_dot(const std::int8_t* x, float m, const float* v, const float* r, index_t n);
double i8_dot(const std::int8_t* x, double m, const double* v, const double* r, index_t n,
              bool portable = false);
// r_i += a x_i + b
void i8_axpby(const std::int8_t* x, float m, float a, float b, float* r, index_t n);
void i8_axpby(const std::int8_t* x, double m, double a, double b, double* r, index_t n,
              bool portable = false);

// Contiguous .bed column (ceil(n / 4) bytes); a missing entry reads as m. `missing`:
// whether the column has missing entries at all (false skips their accumulation).
float bed_dot(const std::uint8_t* x, float m, bool missing, const float* v, const float* r,
              index_t n);
double bed_dot(const std::uint8_t* x, double m, bool missing, const double* v, const double* r,
               index_t n, bool portable = false);
// Whether bed_dot of double runs in AVX-512 (with AVX512_VBMI) here.
bool bed_avx512();
void bed_axpby(const std::uint8_t* x, float m, bool missing, float a, float b, float* r, index_t n);
void bed_axpby(const std::uint8_t* x, double m, bool missing, double a, double b, double* r,
               index_t n);

// Plain int8 columns (no missing values: the caller corrects for them; see
// cd/column_cache.hpp): sum_i x_i v_i r_i (v null: 1), and r_i += a x_i + b.
float i8raw_dot(const std::int8_t* x, const float* v, const float* r, index_t n);
double i8raw_dot(const std::int8_t* x, const double* v, const double* r, index_t n,
                 bool portable = false);
void i8raw_axpby(const std::int8_t* x, float a, float b, float* r, index_t n);
void i8raw_axpby(const std::int8_t* x, double a, double b, double* r, index_t n,
                 bool portable = false);
// i8raw_axpby(x, a, b, r) then i8raw_dot(y, v, r), in one pass over r (a coordinate's
// residual update and the next coordinate's dot product), with the same result bit for bit.
float i8raw_axpby_dot(const std::int8_t* x, float a, float b, const std::int8_t* y,
                      const float* v, float* r, index_t n);
double i8raw_axpby_dot(const std::int8_t* x, double a, double b, const std::int8_t* y,
                       const double* v, double* r, index_t n, bool portable = false);

// Appends to out the samples i < n of contiguous int8 column x that are missing (outside
// 0..2), in increasing order. (A sample loop that branches per block of 64 took 0.24 s over
// 2,000 x 200,000 dosages with 1 % missing: half the blocks hold one.)
void i8_missing(const std::int8_t* x, index_t n, std::vector<std::int32_t>& out,
                bool portable = false);

// out[i] = the dosage of sample i of a contiguous int8 or .bed column, m where missing.
void i8_decode_column(const std::int8_t* x, float m, float* out, index_t n);
void i8_decode_column(const std::int8_t* x, double m, double* out, index_t n);
void bed_decode_column(const std::uint8_t* x, float m, float* out, index_t n);
void bed_decode_column(const std::uint8_t* x, double m, double* out, index_t n);

// out[0..2] = the samples of contiguous int8 column x with dosage 0, 1, 2.
void i8_counts(const std::int8_t* x, index_t n, std::int64_t out[3], bool portable = false);
// out[0 .. (n + 3) / 4) = contiguous int8 column x in .bed's codes (PLINK's, as on disk:
// sample 4b + k in bits 2k, 2k + 1 of byte b; missing as 01, the last byte's unused bits 0).
void i8_to_bed(const std::int8_t* x, index_t n, std::uint8_t* out, bool portable = false);

// out[0..3] = the samples of contiguous .bed column x with dosage 0, 1, 2, missing, over its
// first n samples (n a multiple of 32).
void bed_counts(const std::uint8_t* x, index_t n, std::int64_t out[4]);

// x^T q for a contiguous column and a Quantized vector (fastreg/matrix/quantized.hpp): an
// int8 column imputed (with `missing`, a byte outside 0..2 reads as m; without, every byte
// is a dosage), a .bed column raw (a missing entry as 0; q in bed_order). Integer sums, the
// same on every CPU; in AVX-512 VNNI where the CPU has it (quantized_vnni()), `portable`
// forces the portable kernel.
bool quantized_vnni();
double i8q_dot(const std::int8_t* x, double m, bool missing, const Quantized& q,
               bool portable = false);
double bedq_dot(const std::uint8_t* x, const Quantized& q, bool portable = false);

// .bed code (2 bits) -> dosage of A1, with 3 standing for missing
constexpr std::uint8_t BED_CODE[4] = {2, 3, 1, 0};

// The eight bytes at x as one word, byte b in bits 8b..8b+7 (one load where the CPU is
// little-endian): sample 4b + k of a .bed column in bits 2(4b + k), 2(4b + k) + 1.
FASTREG_INLINE std::uint64_t bed_word(const std::uint8_t* x) {
    std::uint64_t w = 0;
    for (int b = 0; b < 8; ++b) w |= std::uint64_t(x[b]) << (8 * b);
    return w;
}
// Per sample of a word of codes, a bit in the sample's low position: code 01 (missing),
// 10 (dosage 1), 11 (dosage 0); code 00 (dosage 2) is the rest.
constexpr std::uint64_t BED_LOW_BITS = 0x5555555555555555ull;
FASTREG_INLINE std::uint64_t bed_missing_bits(std::uint64_t w) { return w & ~(w >> 1) & BED_LOW_BITS; }
FASTREG_INLINE std::uint64_t bed_het_bits(std::uint64_t w) { return (w >> 1) & ~w & BED_LOW_BITS; }
FASTREG_INLINE std::uint64_t bed_hom0_bits(std::uint64_t w) { return w & (w >> 1) & BED_LOW_BITS; }

}  // namespace geno

// Common part: the gathered (subset) paths, stats and for_each, written once over a
// code(j, i) in {0, 1, 2, 3 = missing} that the storage kind provides.
template <class T, class Derived>
struct GenotypeBase {
    static constexpr bool sparse = false;
    index_t n = 0, p = 0;                 // samples used (the subset's size), variants
    const index_t* rows = nullptr;        // null: all stored samples, in order
    const double* impute = nullptr;       // p values read for a missing entry
    const std::uint8_t* missing = nullptr;  // p flags: variant j has a missing entry (null: maybe)

    FASTREG_INLINE const Derived& self() const { return static_cast<const Derived&>(*this); }
    FASTREG_INLINE index_t nnz(index_t) const { return n; }
    index_t total_nnz() const { return n * p; }
    FASTREG_INLINE T fill(index_t j) const { return T(impute[j]); }
    FASTREG_INLINE bool has_missing(index_t j) const { return !missing || missing[j] != 0; }

    // the four values of the codes 0, 1, 2, missing
    FASTREG_INLINE void values(index_t j, T out[4]) const {
        out[0] = T(0);
        out[1] = T(1);
        out[2] = T(2);
        out[3] = fill(j);
    }

    T gathered_dot(index_t j, const T* v, const T* r) const {
        T val[4];
        values(j, val);
        T acc[4] = {};
        const Derived& d = self();
        index_t i = 0;
        if (v) {
            for (; i + 4 <= n; i += 4)
                for (index_t k = 0; k < 4; ++k)
                    acc[k] += val[d.code_at(j, rows[i + k])] * v[i + k] * r[i + k];
            for (index_t k = 0; i < n; ++i, ++k) acc[k] += val[d.code_at(j, rows[i])] * v[i] * r[i];
        } else {
            for (; i + 4 <= n; i += 4)
                for (index_t k = 0; k < 4; ++k) acc[k] += val[d.code_at(j, rows[i + k])] * r[i + k];
            for (index_t k = 0; i < n; ++i, ++k) acc[k] += val[d.code_at(j, rows[i])] * r[i];
        }
        return (acc[0] + acc[1]) + (acc[2] + acc[3]);
    }

    void gathered_axpby(index_t j, T a, T b, T* r) const {
        T val[4];
        values(j, val);
        for (auto& x : val) x = a * x + b;
        const Derived& d = self();
        for (index_t i = 0; i < n; ++i) r[i] += val[d.code_at(j, rows[i])];
    }

    // code of sample i of the design (after the subset)
    FASTREG_INLINE unsigned code(index_t j, index_t i) const {
        return self().code_at(j, rows ? rows[i] : i);
    }

    template <class F>
    void for_each(index_t j, F&& f) const {
        T val[4];
        values(j, val);
        for (index_t i = 0; i < n; ++i) f(i, val[code(j, i)]);
    }

    // Weight of each code: W[c] = sum over samples with code c of v_i (v null: 1/n).
    void code_weights(index_t j, const T* v, double W[4]) const {
        double w[4] = {0.0, 0.0, 0.0, 0.0};
        std::int64_t c[4] = {0, 0, 0, 0};
        if (v) {
            for (index_t i = 0; i < n; ++i) w[code(j, i)] += double(v[i]);
        } else {
            count_codes(self(), j, c);  // the storage kind's fast count (found by ADL)
            for (int k = 0; k < 4; ++k) w[k] = double(c[k]) / double(n);
        }
        for (int k = 0; k < 4; ++k) W[k] = w[k];
    }

    // Column statistics of the imputed column, exactly: sums over the four values.
    ColumnStats stats(index_t j, const T* v, bool center) const {
        double W[4];
        code_weights(j, v, W);
        const double val[4] = {0.0, 1.0, 2.0, double(fill(j))};
        ColumnStats s;
        double m = 0.0;
        for (int k = 0; k < 4; ++k) m += W[k] * val[k];
        s.mean = m;
        const double c = center ? m : 0.0;
        double q = 0.0;
        int distinct = 0;  // values carrying weight; one only: a constant column
        for (int k = 0; k < 4; ++k) {
            if (W[k] <= 0.0) continue;
            bool seen = false;
            for (int l = 0; l < k; ++l) seen = seen || (W[l] > 0.0 && val[l] == val[k]);
            distinct += seen ? 0 : 1;
            const double d = val[k] - c;
            q += W[k] * d * d;
        }
        // monomorphic (every sample, imputed ones included, has one value): centered, it is
        // exactly zero, whatever the rounding of the weighted mean
        if (center && distinct <= 1) q = 0.0;
        s.ssq = q;
        return s;
    }

    // out[i] = x_ij (imputed), for i < n
    void decode(index_t j, T* out) const {
        for_each(j, [&](index_t i, T x) { out[i] = x; });
    }

    // out[i] = the dosage of sample i as int8, -1 when missing (the solver's column cache)
    void decode_i8(index_t j, std::int8_t* out) const {
        for (index_t i = 0; i < n; ++i) {
            const unsigned c = code(j, i);
            out[i] = c == 3 ? std::int8_t(-1) : std::int8_t(c);
        }
    }
    FASTREG_INLINE bool cacheable(index_t) const { return true; }
    FASTREG_INLINE bool contiguous() const { return rows == nullptr; }
};

template <class T>
struct Int8Genotypes : GenotypeBase<T, Int8Genotypes<T>> {
    using Base = GenotypeBase<T, Int8Genotypes<T>>;
    using Base::n;
    using Base::rows;
    const std::int8_t* data = nullptr;  // column j of the stored samples at data + j * ld
    index_t ld = 0;

    FASTREG_INLINE const std::int8_t* column(index_t j) const { return data + j * ld; }
    FASTREG_INLINE unsigned code_at(index_t j, index_t row) const {
        const auto u = unsigned(std::uint8_t(column(j)[row]));
        return u > 2u ? 3u : u;
    }

    FASTREG_INLINE T dot(index_t j, const T* r) const {
        if (rows) return this->gathered_dot(j, nullptr, r);
        return geno::i8_dot(column(j), this->fill(j), nullptr, r, n);
    }
    FASTREG_INLINE T dot(index_t j, const T* v, const T* r) const {
        if (rows) return this->gathered_dot(j, v, r);
        return geno::i8_dot(column(j), this->fill(j), v, r, n);
    }
    FASTREG_INLINE void axpy(index_t j, T a, T b, T* r) const {
        if (rows)
            this->gathered_axpby(j, a, b, r);
        else
            geno::i8_axpby(column(j), this->fill(j), a, b, r, n);
    }

    // Contiguous columns only (no subset), for the solver's column cache: the dot product
    // with a missing entry read as its stored value raw_value(j, i) (the caller corrects
    // those), and the column's missing samples, appended to out.
    FASTREG_INLINE T raw_dot(index_t j, const T* v, const T* r) const {
        return geno::i8raw_dot(column(j), v, r, n);
    }
    FASTREG_INLINE T raw_value(index_t j, index_t i) const { return T(column(j)[i]); }
    void decode(index_t j, T* out) const {
        if (rows) return Base::decode(j, out);
        geno::i8_decode_column(column(j), this->fill(j), out, n);
    }
    // The product with a Quantized vector, imputed (no correction to make)
    static constexpr bool bed_order = false, quantized_imputes = true;
    FASTREG_INLINE double quantized_dot(index_t j, const Quantized& q) const {
        return geno::i8q_dot(column(j), double(this->fill(j)), this->has_missing(j), q);
    }
    FASTREG_INLINE double quantized_value(index_t, index_t) const { return 0.0; }
    // column j in .bed's 2-bit codes, (n + 3) / 4 bytes (the column cache's packed copy)
    static constexpr bool packs_bed = true;
    void pack_bed(index_t j, std::uint8_t* out) const { geno::i8_to_bed(column(j), n, out); }
    FASTREG_INLINE index_t column_bytes() const { return n; }
    void missing_samples(index_t j, std::vector<std::int32_t>& out) const {
        geno::i8_missing(column(j), n, out);
    }
};

template <class T>
struct BedGenotypes : GenotypeBase<T, BedGenotypes<T>> {
    using Base = GenotypeBase<T, BedGenotypes<T>>;
    using Base::n;
    using Base::rows;
    const std::uint8_t* data = nullptr;  // variant j at data + j * stride
    index_t stride = 0;                  // bytes per variant: ceil(stored samples / 4)
    // A design over several .bed files (one per chromosome, each mapped on its own): variant
    // j at columns[j] instead, a table the design owns (null for one file).
    const std::uint8_t* const* columns = nullptr;
    std::shared_ptr<const std::vector<const std::uint8_t*>> column_table;

    FASTREG_INLINE const std::uint8_t* column(index_t j) const {
        return columns ? columns[j] : data + j * stride;
    }
    FASTREG_INLINE index_t column_bytes() const { return stride; }
    FASTREG_INLINE unsigned code_at(index_t j, index_t row) const {
        return geno::BED_CODE[(column(j)[row >> 2] >> (2 * (row & 3))) & 3u];
    }

    FASTREG_INLINE T dot(index_t j, const T* r) const {
        if (rows) return this->gathered_dot(j, nullptr, r);
        return geno::bed_dot(column(j), this->fill(j), this->has_missing(j), nullptr, r, n);
    }
    FASTREG_INLINE T dot(index_t j, const T* v, const T* r) const {
        if (rows) return this->gathered_dot(j, v, r);
        return geno::bed_dot(column(j), this->fill(j), this->has_missing(j), v, r, n);
    }
    FASTREG_INLINE void axpy(index_t j, T a, T b, T* r) const {
        if (rows)
            this->gathered_axpby(j, a, b, r);
        else
            geno::bed_axpby(column(j), this->fill(j), this->has_missing(j), a, b, r, n);
    }

    // As Int8Genotypes': a missing entry's raw value is 0 (the dosage table's), so the raw
    // dot product is the kernel without its second (missing) sum.
    FASTREG_INLINE T raw_dot(index_t j, const T* v, const T* r) const {
        return geno::bed_dot(column(j), T(0), false, v, r, n);
    }
    FASTREG_INLINE T raw_value(index_t, index_t) const { return T(0); }
    void decode(index_t j, T* out) const {
        if (rows) return Base::decode(j, out);
        geno::bed_decode_column(column(j), this->fill(j), out, n);
    }
    // The product with a Quantized vector, raw (the caller corrects the missing entries)
    static constexpr bool bed_order = true, quantized_imputes = false, packs_bed = false;
    FASTREG_INLINE double quantized_dot(index_t j, const Quantized& q) const {
        return geno::bedq_dot(column(j), q);
    }
    FASTREG_INLINE double quantized_value(index_t, index_t) const { return 0.0; }
    // Eight bytes (32 samples) at a time: a byte at a time took 134 ms a fit of 2,000 x
    // 200,000 on two threads, more than a full pass.
    void missing_samples(index_t j, std::vector<std::int32_t>& out) const {
        const std::uint8_t* x = column(j);
        const index_t bytes = (n + 3) / 4;
        auto list = [&](std::uint64_t hit, index_t first) {
            for (; hit; hit &= hit - 1) {
                const index_t i = first + __builtin_ctzll(hit) / 2;
                if (i < n) out.push_back(std::int32_t(i));
            }
        };
        index_t b = 0;
        for (; b + 8 <= bytes; b += 8) list(geno::bed_missing_bits(geno::bed_word(x + b)), 4 * b);
        for (; b < bytes; ++b) list(geno::bed_missing_bits(x[b]), 4 * b);
    }
};


// Genotypes with a small dense block of covariates (age, sex, principal components, ...)
// after them: columns 0..g.p-1 are the variants, g.p..g.p+C.p-1 the covariates (float,
// n x q, F-ordered, the same samples in the same order as the genotypes' subset).
template <class T, class G>
struct WithCovariates {
    static constexpr bool sparse = false;
    G g;
    Dense<T> C;
    index_t n = 0, p = 0;  // p = g.p + C.p

    FASTREG_INLINE index_t nnz(index_t) const { return n; }
    index_t total_nnz() const { return n * p; }
    FASTREG_INLINE bool is_cov(index_t j) const { return j >= g.p; }

    FASTREG_INLINE T dot(index_t j, const T* r) const {
        return is_cov(j) ? C.dot(j - g.p, r) : g.dot(j, r);
    }
    FASTREG_INLINE T dot(index_t j, const T* v, const T* r) const {
        return is_cov(j) ? C.dot(j - g.p, v, r) : g.dot(j, v, r);
    }
    FASTREG_INLINE void axpy(index_t j, T a, T b, T* r) const {
        if (is_cov(j))
            C.axpy(j - g.p, a, b, r);
        else
            g.axpy(j, a, b, r);
    }
    template <class F>
    void for_each(index_t j, F&& f) const {
        if (is_cov(j))
            C.for_each(j - g.p, f);
        else
            g.for_each(j, f);
    }
    ColumnStats stats(index_t j, const T* v, bool center) const {
        return is_cov(j) ? C.stats(j - g.p, v, center) : g.stats(j, v, center);
    }
    // the column cache takes the genotype columns only (covariates are float already)
    FASTREG_INLINE bool cacheable(index_t j) const { return !is_cov(j); }
    FASTREG_INLINE bool contiguous() const { return g.contiguous(); }
    FASTREG_INLINE T fill(index_t j) const { return g.fill(j); }
    void decode_i8(index_t j, std::int8_t* out) const { g.decode_i8(j, out); }
    void decode(index_t j, T* out) const {
        if (is_cov(j))
            C.for_each(j - g.p, [&](index_t i, T x) { out[i] = x; });
        else
            g.decode(j, out);
    }
    FASTREG_INLINE T raw_dot(index_t j, const T* v, const T* r) const { return g.raw_dot(j, v, r); }
    FASTREG_INLINE T raw_value(index_t j, index_t i) const { return g.raw_value(j, i); }
    static constexpr bool bed_order = G::bed_order, quantized_imputes = G::quantized_imputes;
    FASTREG_INLINE double quantized_dot(index_t j, const Quantized& q) const {
        return g.quantized_dot(j, q);
    }
    FASTREG_INLINE double quantized_value(index_t j, index_t i) const {
        return g.quantized_value(j, i);
    }
    static constexpr bool packs_bed = G::packs_bed;
    void pack_bed(index_t j, std::uint8_t* out) const { g.pack_bed(j, out); }
    void missing_samples(index_t j, std::vector<std::int32_t>& out) const {
        g.missing_samples(j, out);
    }
};

// Per-variant counts of the design's samples by code: out[0..3] = samples with dosage 0, 1,
// 2, missing. (A subset counts its own samples.) One pass; contiguous .bed columns count a
// byte at a time through a table of packed counts.
template <class G>
void count_codes(const G& X, index_t j, std::int64_t out[4]) {
    std::int64_t c[4] = {0, 0, 0, 0};
    for (index_t i = 0; i < X.n; ++i) ++c[X.code(j, i)];
    for (int k = 0; k < 4; ++k) out[k] = c[k];
}

template <class T>
void count_codes(const Int8Genotypes<T>& X, index_t j, std::int64_t out[4]) {
    if (X.rows) {
        count_codes<GenotypeBase<T, Int8Genotypes<T>>>(X, j, out);
        return;
    }
    geno::i8_counts(X.column(j), X.n, out);
    out[3] = X.n - out[0] - out[1] - out[2];
}

template <class T>
void count_codes(const BedGenotypes<T>& X, index_t j, std::int64_t out[4]) {
    if (X.rows) {
        count_codes<GenotypeBase<T, BedGenotypes<T>>>(X, j, out);
        return;
    }
    const index_t whole = X.n / 32 * 32;
    std::int64_t c[4];
    geno::bed_counts(X.column(j), whole, c);
    for (index_t i = whole; i < X.n; ++i) ++c[X.code(j, i)];
    for (int k = 0; k < 4; ++k) out[k] = c[k];
}

}  // namespace fastreg::matrix

#endif  // FASTREG_MATRIX_GENOTYPE_HPP
