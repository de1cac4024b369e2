// Every column's missing samples of a genotype design, listed in one pass over X, and, for
// an int8 design, a packed copy of X in .bed's 2-bit codes made in the same pass.
//
// Why: with the lists, the gradient of any column (the KKT checks', the full passes') runs
// the design's raw kernel, cheaper than its imputing one (int8: no select per sample; .bed:
// no second table), plus a correction over ~1 % of the samples; the packed copy is a
// quarter of the int8 data to read (cd/column_cache.hpp, which reads both).
//
// An index depends on X alone, so the fits of one group (many targets on one design,
// cd/enet_paths.hpp) share one: built once, before they start, and read-only after. Built
// per fit, each of k fits would scan all of X and hold its own copy (n = 10,000,
// p = 1,000,000 at 0.5 % missing: 200 MB of lists each, 32 fits at once).
#ifndef FASTREG_CD_MISSING_INDEX_HPP
#define FASTREG_CD_MISSING_INDEX_HPP

#include "fastreg/common.hpp"
#include "fastreg/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

namespace fastreg::cd {

// A solver's column cache holds at most this many bytes (cd/column_cache.hpp), and the
// missing samples' lists at most a quarter of it: by default a quarter of an int8 copy of X
// (at least 16 MiB, at most 1 GiB). FASTREG_COLUMN_CACHE_BYTES in the environment
// overrides it (0: no cache, no lists), read when a solver starts (a knob for tests and
// measurements).
inline std::size_t column_cache_budget(index_t n, index_t p) {
    if (const char* env = std::getenv("FASTREG_COLUMN_CACHE_BYTES")) {
        char* end = nullptr;
        const unsigned long long b = std::strtoull(env, &end, 10);
        if (end != env) return std::size_t(b);
    }
    const double quarter = double(n) * double(p) / 4.0;
    return std::size_t(std::min(std::max(quarter, double(16 << 20)), double(1 << 30)));
}

struct MissingIndex {
    std::vector<std::int64_t> ptr;     // column j's missing samples are
    std::vector<std::int32_t> idx;     // idx[ptr[j] .. ptr[j + 1])
    std::vector<std::uint8_t> packed;  // int8 designs: X in .bed codes, column j at
    index_t stride = 0;                // packed + j * stride (or empty)

    // the lists' bytes (counted against a cache's budget)
    std::size_t list_bytes() const { return idx.size() * sizeof(std::int32_t) + ptr.size() * 8; }

    // The packed copy is made when it takes at most this many bytes.
    static constexpr std::size_t PACKED_MAX = std::size_t(4) << 30;

    // The index a fit on X uses, on nt threads (null when there is none: a sample subset, a
    // budget of 0, more than 2^31 samples for the 32-bit sample numbers, or lists larger
    // than a quarter of the budget); `pack`: make the packed copy where the design allows.
    template <class M>
    static std::unique_ptr<MissingIndex> for_design(const M& X, int nt, bool pack) {
        if (X.n > INT32_MAX || !X.contiguous()) return nullptr;
        const std::size_t budget = column_cache_budget(X.n, X.p);
        if (budget == 0) return nullptr;
        return build(X, budget / 4, nt, pack && packs(X));
    }

private:
    template <class M>
    static bool packs(const M& X) {
        if constexpr (M::packs_bed) {
            return double((X.n + 3) / 4) * double(X.p) <= double(PACKED_MAX);
        } else {
            (void)X;
            return false;
        }
    }

    // One pass over X in chunks of columns on nt threads; null once the lists pass `limit`
    // bytes (every chunk then skips).
    template <class M>
    static std::unique_ptr<MissingIndex> build(const M& X, std::size_t limit, int nt, bool pack) {
        auto out = std::make_unique<MissingIndex>();
        const index_t p = X.p, chunk = 256, chunks = (p + chunk - 1) / chunk;
        std::vector<std::vector<std::int32_t>> parts(static_cast<std::size_t>(chunks));
        std::vector<std::int64_t> count(static_cast<std::size_t>(p) + 1, 0);
        const std::size_t most = limit / sizeof(std::int32_t);
        std::atomic<std::size_t> listed{std::size_t(p)};
        if (pack) {
            out->stride = (X.n + 3) / 4;
            out->packed.resize(std::size_t(out->stride) * std::size_t(p));
        }
        parallel_for(chunks, nt, 1, [&](index_t c) {
            if (listed.load(std::memory_order_relaxed) > most) return;
            auto& part = parts[std::size_t(c)];
            for (index_t j = c * chunk; j < std::min(p, (c + 1) * chunk); ++j) {
                const std::size_t before = part.size();
                if (X.cacheable(j)) {
                    X.missing_samples(j, part);
                    if constexpr (M::packs_bed)
                        if (pack) X.pack_bed(j, out->packed.data() + std::size_t(j) * std::size_t(out->stride));
                }
                count[std::size_t(j) + 1] = std::int64_t(part.size() - before);
            }
            listed.fetch_add(part.size(), std::memory_order_relaxed);
        });
        if (listed.load() > most) return nullptr;
        std::size_t total = 0;
        for (const auto& v : parts) total += v.size();
        for (index_t j = 0; j < p; ++j) count[std::size_t(j) + 1] += count[std::size_t(j)];
        out->idx.reserve(total);
        for (auto& v : parts) {
            out->idx.insert(out->idx.end(), v.begin(), v.end());
            std::vector<std::int32_t>().swap(v);
        }
        out->ptr.swap(count);
        return out;
    }
};

}  // namespace fastreg::cd

#endif  // FASTREG_CD_MISSING_INDEX_HPP
