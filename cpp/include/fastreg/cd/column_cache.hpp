// Working-set columns of a genotype design in the form the epochs read fastest.
//
// Why: the solver's epochs sweep the same working-set columns many times (a dot product
// and, when the coefficient moves, an axpy each), and there a genotype column costs more
// than it needs to: the int8 kernels select the imputed value for missing entries sample by
// sample, and a .bed column goes through per-byte table lookups. Measured (n = 2,000, one
// core): a float64 dot product from L1 takes 0.14 ns a sample, the select-and-convert int8
// one 0.31 ns, a plain int8 -> float conversion 0.23 ns (axpy: 0.32 against 0.16; with the
// AVX-512 kernels of double, 0.147 and 0.124 ns, axpy 0.15). So each
// working-set column is kept as plain int8 dosages with missing entries as -1, plus the list
// of its missing samples: x_j^T r = sum_i d_i r_i + (m_j + 1) sum_{i missing} r_i, the
// first sum a plain conversion loop (compiled per instruction set), the second ~1 % of n.
//
// A decoded float copy (what a float64 X is) was tried first and is slower: a working set
// of 2,000 columns of n = 2,000 doubles is 32 MB, past the CPU caches, while its int8 copy
// (4 MB) stays in them; int8 path at n = 2,000, p = 20,000: 1.47x the time of no cache.
//
// An int8 design also gets a packed copy of all of X in .bed's 2-bit codes, made in the
// pass that lists the missing samples, for the full passes and the KKT checks' gradients
// (a quarter of the int8 data to read: an integer pass of 2,000 x 200,000 took 12 against
// 22 ms, a gradient's raw kernel 0.16 against 0.23 ns a sample), when the lists are made
// and the copy takes at most MissingIndex::PACKED_MAX bytes.
//
// The working-set copies are the solver's (the design is const and may be shared between
// threads); the lists and the packed copy (cd/missing_index.hpp) are the solver's too, or
// shared by a group of fits on one design (many targets).
// Other columns (full passes, the KKT checks' gradients) are read from the compact data:
// there, compact storage is the point (n p / 4 bytes of a .bed against 8 n p of float64).
// When the design is contiguous (no sample subset) and the missing samples of all columns
// fit in a quarter of the budget, they are listed once (one pass), and those reads too use
// the raw kernels plus the correction (int8: 0.23 against 0.30 ns a sample; .bed: the
// dosage table alone, 0.16 against 0.26). The buffer holds at most
// `budget` bytes, by default a quarter of an int8 copy of X (at least 16 MiB, at most
// 1 GiB); columns that do not fit are read through the design as before, with the same
// values (column_cache_budget(), in cd/missing_index.hpp).
#ifndef FASTREG_CD_COLUMN_CACHE_HPP
#define FASTREG_CD_COLUMN_CACHE_HPP

#include "fastreg/cd/missing_index.hpp"
#include "fastreg/common.hpp"
#include "fastreg/matrix/genotype.hpp"
#include "fastreg/matrix/quantized.hpp"
#include "fastreg/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace fastreg::cd {

// Designs the cache applies to: those that give a column as int8 dosages,
// X.decode_i8(j, out) (missing as -1), where X.cacheable(j).
template <class M, class = void>
struct decodes_i8 : std::false_type {};
template <class M>
struct decodes_i8<M, std::void_t<decltype(std::declval<const M&>().decode_i8(
                         index_t(0), std::declval<std::int8_t*>()))>> : std::true_type {};

// Designs whose column j is X.column(j), X.column_bytes() contiguous bytes.
template <class M, class = void>
struct has_column_bytes : std::false_type {};
template <class M>
struct has_column_bytes<M, std::void_t<decltype(std::declval<const M&>().column_bytes())>> : std::true_type {};

template <class T, class M, bool Enabled = decodes_i8<M>::value>
class ColumnCache {
public:
    // disabled (dense and sparse designs): no state, the hooks fold away
    void sync(const M&, const std::vector<index_t>&, int, int) {}
    FASTREG_INLINE bool dot(index_t, const T*, const T*, T&) const { return false; }
    FASTREG_INLINE bool axpy(index_t, T, T, T*) const { return false; }
    FASTREG_INLINE bool axpy_dot(index_t, T, T, index_t, const T*, T*, T&) const { return false; }
    FASTREG_INLINE void prefetch(index_t) const {}
    FASTREG_INLINE void prefetch_column(index_t) const {}
    FASTREG_INLINE void prefetch_source(index_t) const {}
    void no_packed_copy() {}
    void use_index(const MissingIndex*) {}
};

template <class T, class M>
class ColumnCache<T, M, true> {
public:
    // Without the packed copy of an int8 design: for a solver whose full passes are shared
    // with other fits' (many targets), where it would serve only the checks' gradients and
    // cost n p / 4 bytes per target. Call it before the first sync().
    void no_packed_copy() { pack_ = false; }

    // The missing samples' lists (and packed copy) of X made once for a group of fits
    // (cd/missing_index.hpp), null for none; this cache then makes no index of its own. The
    // index must outlive the cache. Call it before the first sync().
    void use_index(const MissingIndex* index) {
        given_ = true;
        index_ = index;
    }

    // out = sum_i x_ij v_i r_i (v null: 1) when column j is resident, or when the missing
    // samples of every column are known (then through the design's raw kernel)
    FASTREG_INLINE bool dot(index_t j, const T* v, const T* r, T& out) const {
        const std::int32_t s = slot(j);
        if (s < 0) return lists_ && X_->cacheable(j) && raw_dot(j, v, r, out);
        T d = matrix::geno::i8raw_dot(column(s), v, r, n_);
        const T m1 = fill_[std::size_t(s)] + T(1);
        const auto& miss = missing_[std::size_t(s)];
        out = d + m1 * sum_over(miss.data(), miss.size(), [&](std::int32_t i) { return v ? v[i] * r[i] : r[i]; });
        return true;
    }
    // r_i += a x_ij + b when column j is resident
    FASTREG_INLINE bool axpy(index_t j, T a, T b, T* r) const {
        const std::int32_t s = slot(j);
        if (s < 0) return false;
        matrix::geno::i8raw_axpby(column(s), a, b, r, n_);
        const T am1 = a * (fill_[std::size_t(s)] + T(1));
        for (const std::int32_t i : missing_[std::size_t(s)]) r[i] += am1;
        return true;
    }

    // axpy(jx, a, b, r), then out = the dot product of column jy (weights v) with the updated
    // r, in one pass over r (i8raw_axpby_dot) when both columns are resident; false (nothing
    // done) otherwise. r ends as axpy leaves it, bit for bit; the missing samples of jx are
    // corrected after the pass, so the dot product's rounding differs from dot()'s.
    FASTREG_INLINE bool axpy_dot(index_t jx, T a, T b, index_t jy, const T* v, T* r, T& out) const {
        const std::int32_t sx = slot(jx), sy = slot(jy);
        if (sx < 0 || sy < 0) return false;
        const std::int8_t* y = column(sy);
        T d = matrix::geno::i8raw_axpby_dot(column(sx), a, b, y, v, r, n_);
        const T am1 = a * (fill_[std::size_t(sx)] + T(1));
        const auto& mx = missing_[std::size_t(sx)];
        for (const std::int32_t i : mx) r[i] += am1;
        d += am1 * sum_over(mx.data(), mx.size(), [&](std::int32_t i) {
            const T yi = T(std::int32_t(y[i]));
            return v ? yi * v[i] : yi;
        });
        const T m1 = fill_[std::size_t(sy)] + T(1);
        const auto& miss = missing_[std::size_t(sy)];
        out = d + m1 * sum_over(miss.data(), miss.size(), [&](std::int32_t i) { return v ? v[i] * r[i] : r[i]; });
        return true;
    }

    // where column j's slot and its list of missing samples are found
    FASTREG_INLINE void prefetch(index_t j) const {
        if (!slot_.empty()) FASTREG_PREFETCH(&slot_[std::size_t(j)]);
        if (lists_) FASTREG_PREFETCH(&mptr_[std::size_t(j)]);
    }
    // the resident column j's dosages, whole (a working set's columns outgrow the L2 cache,
    // and each column is only a few cache lines, too few for the hardware to ramp up)
    FASTREG_INLINE void prefetch_column(index_t j) const {
        const std::int32_t s = slot(j);
        if (s < 0) return;
        const std::int8_t* x = column(s);
        for (index_t i = 0; i < n_; i += 64) FASTREG_PREFETCH(x + i);
        // and its list of missing samples, a heap block of its own
        if (const auto& miss = missing_[std::size_t(s)]; !miss.empty()) FASTREG_PREFETCH(miss.data());
    }

    // Column j's bytes, whole, ahead of its gradient: the resident copy, or the design's
    // stored column when raw_dot will read it (designs with column(j) and column_bytes()).
    // The KKT checks' gradients visit scattered columns, each too short for the hardware
    // prefetcher to ramp up: with the next column prefetched they took 0.28 s against
    // 0.33 s per path (int8, n = 2,000, p = 200,000), the working set's 0.19 against 0.23.
    FASTREG_INLINE void prefetch_source(index_t j) const {
        if (slot(j) >= 0) return prefetch_column(j);
        if (packed_) {
            const auto* x = reinterpret_cast<const char*>(packed(j));
            for (index_t i = 0; i < stride_; i += 64) FASTREG_PREFETCH(x + i);
            FASTREG_PREFETCH(midx_ + mptr_[std::size_t(j)]);
            return;
        }
        if constexpr (has_column_bytes<M>::value) {
            if (!lists_) return;
            const auto* x = reinterpret_cast<const char*>(X_->column(j));
            for (index_t i = 0, b = X_->column_bytes(); i < b; i += 64) FASTREG_PREFETCH(x + i);
            FASTREG_PREFETCH(midx_ + mptr_[std::size_t(j)]);
        }
    }
    // x_j^T v r from the design's raw kernel (a missing entry read as raw_value), corrected
    // on the column's missing samples
    // (the packed copy's, a missing entry read as 0)
    FASTREG_INLINE bool raw_dot(index_t j, const T* v, const T* r, T& out) const {
        const bool pk = packed_ != nullptr;
        T d = pk ? matrix::geno::bed_dot(packed(j), T(0), false, v, r, n_) : X_->raw_dot(j, v, r);
        const std::int64_t b = mptr_[std::size_t(j)], e = mptr_[std::size_t(j) + 1];
        if (b < e) {
            const T m = X_->fill(j);
            d += sum_over(midx_ + b, std::size_t(e - b), [&](std::int32_t i) {
                return (m - (pk ? T(0) : X_->raw_value(j, i))) * (v ? v[i] * r[i] : r[i]);
            });
        }
        out = d;
        return true;
    }

    // Integer products (fastreg/matrix/quantized.hpp): quantize(e) once, then
    // quantized_dot(j, out) = x_j^T e^ (e^ within 1e-12 max|e| of e) for any resident column
    // (its int8 copy, imputed in the kernel) and any other genotype column the design's
    // kernel reads in place: int8 ones imputed likewise, .bed ones raw, when the missing
    // samples are listed (each missing sample's term then replaced by m_j e^_i). False
    // (nothing done) for the others: covariates, a subset's columns not resident.
    void quantize(const T* e) {
        natural_.assign(e, n_, false);
        if (M::bed_order || packed_) stored_.assign(e, n_, true);
    }
    // e^, the vector the products are exact for
    const std::vector<double>& quantized_values() const { return natural_.value; }
    FASTREG_INLINE bool quantized_dot(index_t j, double& out) const {
        const std::int32_t s = slot(j);
        if (s >= 0) {
            out = matrix::geno::i8q_dot(column(s), double(fill_[std::size_t(s)]),
                                        !missing_[std::size_t(s)].empty(), natural_);
            return true;
        }
        if (!started_ || !X_->cacheable(j)) return false;
        if (M::quantized_imputes && !packed_) {
            if (!X_->contiguous()) return false;
            out = X_->quantized_dot(j, natural_);
            return true;
        } else {
            if (!lists_) return false;
            double d;  // raw: a missing entry read as 0 (.bed) or quantized_value (int8)
            if (packed_)
                d = matrix::geno::bedq_dot(packed(j), stored_);
            else
                d = X_->quantized_dot(j, stored_);
            const std::int64_t b = mptr_[std::size_t(j)], end = mptr_[std::size_t(j) + 1];
            if (b < end) {
                const double m = double(X_->fill(j));
                d += sum_over(midx_ + b, std::size_t(end - b), [&](std::int32_t i) {
                    return (m - (packed_ ? 0.0 : X_->quantized_value(j, i))) *
                           stored_.value[std::size_t(i)];
                });
            }
            out = d;
            return true;
        }
    }

    // Makes the columns of `set` resident, as many as the budget allows: resident columns
    // stay, those outside the set are evicted only when room is needed (a column screened
    // out at one alpha often returns at the next), and the new ones are decoded on nt
    // threads. The first call lists the missing samples of all of X (and packs it) on
    // nt_start threads. Not thread-safe: call it between the parallel regions that read
    // the cache.
    void sync(const M& X, const std::vector<index_t>& set, int nt, int nt_start) {
        if (!started_) start(X, nt_start);
        if (capacity_ == 0) return;
        std::vector<index_t> add;
        for (const index_t j : set)
            if (slot_[std::size_t(j)] < 0 && X.cacheable(j)) add.push_back(j);
        if (add.empty()) return;
        const index_t room = index_t(free_.size()) + (capacity_ - index_t(owner_.size()));
        if (index_t(add.size()) > room) evict_outside(set, index_t(add.size()) - room);
        std::vector<std::pair<index_t, std::int32_t>> todo;
        for (const index_t j : add) {
            std::int32_t s;
            if (!free_.empty()) {
                s = free_.back();
                free_.pop_back();
            } else if (index_t(owner_.size()) < capacity_) {
                s = std::int32_t(owner_.size());
                owner_.push_back(-1);
                fill_.push_back(T(0));
                missing_.emplace_back();
            } else {
                break;
            }
            todo.emplace_back(j, s);
        }
        const std::size_t need = owner_.size() * std::size_t(n_);
        if (data_.size() < need)  // grows geometrically, up to the capacity
            data_.resize(std::min(std::size_t(capacity_) * std::size_t(n_),
                                  std::max(need, 2 * data_.size())));
        const index_t m = index_t(todo.size());
        parallel_for(m, nt, 16, [&](index_t k) {
            const auto [j, s] = todo[std::size_t(k)];
            std::int8_t* x = data_.data() + std::size_t(s) * std::size_t(n_);
            X.decode_i8(j, x);
            fill_[std::size_t(s)] = X.fill(j);
            auto& miss = missing_[std::size_t(s)];
            miss.clear();
            for (index_t i = 0; i < n_; ++i)
                if (x[i] < 0) miss.push_back(std::int32_t(i));
        });
        for (const auto& [j, s] : todo) {  // published after decoding
            owner_[std::size_t(s)] = j;
            slot_[std::size_t(j)] = s;
        }
    }

private:
    // sum of term(i) over the samples idx[0 .. count), in four partial sums: a column's
    // missing-sample corrections (about 20 at 1 % missing, n = 2,000) would otherwise be
    // one chain of dependent additions beside every dot product
    template <class F>
    FASTREG_INLINE static auto sum_over(const std::int32_t* idx, std::size_t count, F&& term) {
        using R = decltype(term(std::int32_t(0)));
        R c[4] = {R(0), R(0), R(0), R(0)};
        std::size_t k = 0;
        for (; k + 4 <= count; k += 4)
            for (std::size_t u = 0; u < 4; ++u) c[u] += term(idx[k + u]);
        for (; k < count; ++k) c[0] += term(idx[k]);
        return (c[0] + c[1]) + (c[2] + c[3]);
    }

    FASTREG_INLINE std::int32_t slot(index_t j) const {
        return slot_.empty() ? -1 : slot_[std::size_t(j)];
    }
    FASTREG_INLINE const std::int8_t* column(std::int32_t s) const {
        return data_.data() + std::size_t(s) * std::size_t(n_);
    }
    FASTREG_INLINE const std::uint8_t* packed(index_t j) const {
        return packed_ + std::size_t(j) * std::size_t(stride_);
    }

    void start(const M& X, int nt) {
        started_ = true;
        X_ = &X;
        n_ = X.n;
        // sample indices of the missing lists are 32-bit, slots too
        if (X.n > INT32_MAX) return;
        if (!given_) {
            own_ = MissingIndex::for_design(X, nt, pack_);
            index_ = own_.get();
        }
        if (index_) {
            lists_ = true;
            mptr_ = index_->ptr.data();
            midx_ = index_->idx.data();
            if (!index_->packed.empty()) {
                packed_ = index_->packed.data();
                stride_ = index_->stride;
            }
        }
        const std::size_t budget = column_cache_budget(X.n, X.p);
        const std::size_t used = index_ ? index_->list_bytes() : 0;
        const std::size_t cols = (budget > used ? budget - used : 0) / std::size_t(X.n);
        capacity_ = index_t(std::min<std::size_t>({cols, std::size_t(X.p), std::size_t(INT32_MAX)}));
        if (capacity_ > 0) slot_.assign(std::size_t(X.p), -1);
    }

    // Frees up to `count` slots held by columns outside `set`.
    void evict_outside(const std::vector<index_t>& set, index_t count) {
        std::vector<char> keep(owner_.size(), 0);
        for (const index_t j : set) {
            const std::int32_t s = slot_[std::size_t(j)];
            if (s >= 0) keep[std::size_t(s)] = 1;
        }
        for (std::size_t s = 0; s < owner_.size() && count > 0; ++s) {
            const index_t j = owner_[s];
            if (j < 0 || keep[s]) continue;
            slot_[std::size_t(j)] = -1;
            owner_[s] = -1;
            free_.push_back(std::int32_t(s));
            --count;
        }
    }

    bool started_ = false;
    const M* X_ = nullptr;
    bool pack_ = true;                            // (no_packed_copy())
    bool given_ = false;                          // (use_index())
    std::unique_ptr<MissingIndex> own_;           // the index made here, if any
    const MissingIndex* index_ = nullptr;         // the one read (own_'s or a group's)
    bool lists_ = false;                          // index_'s, for the hot paths: column j's
    const std::int64_t* mptr_ = nullptr;          // missing samples at midx_[mptr_[j] ..
    const std::int32_t* midx_ = nullptr;          // mptr_[j + 1]), and its packed copy at
    const std::uint8_t* packed_ = nullptr;        // packed_ + j * stride_ (or null)
    index_t stride_ = 0;
    index_t n_ = 0, capacity_ = 0;                // capacity in columns
    std::vector<std::int32_t> slot_;              // p: slot of column j, -1 when not resident
    std::vector<index_t> owner_;                  // per slot: its column, -1 when free
    std::vector<std::int32_t> free_;              // free slots below owner_.size()
    std::vector<T> fill_;                         // per slot: the column's imputed value
    std::vector<std::vector<std::int32_t>> missing_;  // per slot: its missing samples
    std::vector<std::int8_t> data_;               // slot s: n dosages at data_ + s * n
    matrix::Quantized natural_, stored_;          // quantize(): the parts in sample order
                                                  // and in the design's (.bed)
};

}  // namespace fastreg::cd

#endif  // FASTREG_CD_COLUMN_CACHE_HPP
