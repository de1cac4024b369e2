// Dropout forward, backward and masks: runs compiled once per instruction set, spread over
// threads in chunks that start on multiples of 64 elements (so no two threads ever write
// the same byte of a packed mask).
#include "fastreg/dropout.hpp"
#include "fastreg/kernels.hpp"
#include "fastreg/parallel.hpp"
#include "fastreg/stream_simd.hpp"

namespace fastreg {

namespace {

using namespace dropout_detail;

// Words that keep everything against threshold 0xFFFFFFFF: p = 0 needs no random numbers.
alignas(64) const u32 ALL_KEPT[TILE] = {};

// A run of n elements at flat indices flat .. flat + n - 1 with keep decisions from
// Philox; each output is written when its pointer is non-null.
template <class T>
FASTREG_INLINE void philox_run_impl(const DropoutMaskSource& src, const T* x, index_t sx, T* y,
                                    index_t sy, std::uint8_t* m, index_t sm,
                                    std::uint8_t* packed, index_t flat, index_t n, T scale, bool stream) {
    const bool keep_all = src.threshold > 0xFFFFFFFFull;
    const u32 thr = keep_all ? 0xFFFFFFFFu : u32(src.threshold);
    static const PhiloxGroupsFn groups = best_philox_groups();
    alignas(64) u32 buf[TILE + GROUP];
    // a big contiguous output: stored straight from registers (stream_simd.hpp)
    const auto streamed = stream && sx == 1 && sy == 1 ? stream_simd::loops<T>().dropout : nullptr;
    for (index_t t = 0; t < n; t += TILE) {
        const index_t len = n - t < TILE ? n - t : TILE;
        // Start loading the next tile of x while this one's random words are computed:
        // Philox is compute-bound and the apply below memory-bound, and this overlaps them.
        if (x && sx == 1) {
            const index_t ahead = std::min(n - t - len, TILE);
            for (index_t k = 0; k < ahead; k += 64 / index_t(sizeof(T)))
                __builtin_prefetch(x + t + len + k);
        }
        const u32* w = keep_all ? ALL_KEPT : philox_words(groups, src.seed, src.offset + u64(flat + t), len, buf);
        if (y && streamed)
            streamed(w, thr, x + t, y + t, len, scale);
        else if (y)
            apply_words(w, thr, x + t * sx, sx, y + t * sy, sy, len, scale, stream);
        if (m) words_to_mask(w, thr, m + t * sm, sm, len);
        if (packed) words_to_packed(w, thr, packed, flat + t, len);
    }
}

template <class T>
FASTREG_INLINE void given_mask_run_impl(const DropoutMaskSource& src, const std::uint8_t* m,
                                        index_t sm, const T* x, index_t sx, T* y, index_t sy,
                                        index_t flat, index_t n, T scale) {
    if (src.packed)
        apply_packed(src.packed, flat, x, sx, y, sy, n, scale);
    else
        apply_mask(m, sm, x, sx, y, sy, n, scale);
}

#define FASTREG_DEFINE_RUNS(T)                                                               \
    FASTREG_CLONES void philox_run(const DropoutMaskSource& src, const T* x, index_t sx, T* y, \
                                   index_t sy, std::uint8_t* m, index_t sm,                  \
                                   std::uint8_t* packed, index_t flat, index_t n, T scale,   \
                                   bool stream) {                                            \
        philox_run_impl(src, x, sx, y, sy, m, sm, packed, flat, n, scale, stream);           \
    }                                                                                         \
    FASTREG_CLONES void given_mask_run(const DropoutMaskSource& src, const std::uint8_t* m,   \
                                       index_t sm, const T* x, index_t sx, T* y, index_t sy,  \
                                       index_t flat, index_t n, T scale) {                    \
        given_mask_run_impl(src, m, sm, x, sx, y, sy, flat, n, scale);                       \
    }
FASTREG_DEFINE_RUNS(float)
FASTREG_DEFINE_RUNS(double)
#undef FASTREG_DEFINE_RUNS

}  // namespace

template <class T>
void dropout(const NdLayout<3>& given, const T* x, T* y, T scale, const DropoutMaskSource& src,
             const DropoutOutputs& outputs) {
    NdLayout<3> L = given;
    L.simplify();
    const bool from_philox = !src.mask && !src.packed;
    std::uint8_t* mask_out = outputs.mask;
    const std::uint8_t* mask_in = src.mask;
    const bool stream = y && should_stream(L.size(), sizeof(T));
    parallel_chunks(L.size(), GROUP, [&](index_t begin, index_t end) {
        for_each_run(L, begin, end, [&](index_t flat, index_t n, const index_t* off, const index_t* inner) {
            const T* xs = x ? x + off[0] : nullptr;
            T* ys = y ? y + off[1] : nullptr;
            if (from_philox) {
                std::uint8_t* ms = mask_out ? mask_out + off[2] : nullptr;
                philox_run(src, xs, inner[0], ys, inner[1], ms, inner[2], outputs.packed, flat, n, scale,
                           stream);
            } else {
                const std::uint8_t* ms = mask_in ? mask_in + off[2] : nullptr;
                given_mask_run(src, ms, inner[2], xs, inner[0], ys, inner[1], flat, n, scale);
            }
        });
        if (stream) stream_fence();
    }, from_philox ? kernel_serial_below().compute : kernel_serial_below().bandwidth);
}

template void dropout<float>(const NdLayout<3>&, const float*, float*, float,
                             const DropoutMaskSource&, const DropoutOutputs&);
template void dropout<double>(const NdLayout<3>&, const double*, double*, double,
                              const DropoutMaskSource&, const DropoutOutputs&);

void philox4x32_10(std::uint32_t counter[4], const std::uint32_t key[2]) {
    philox::philox4x32_10(counter[0], counter[1], counter[2], counter[3], key[0], key[1]);
}

const char* simd_variant() {
#if FASTREG_HAVE_CLONES
    __builtin_cpu_init();
    if (__builtin_cpu_supports("x86-64-v4")) return "avx512 (x86-64-v4)";
    if (__builtin_cpu_supports("x86-64-v3")) return "avx2 (x86-64-v3)";
    return "baseline (x86-64)";
#elif defined(FASTREG_NATIVE)
    return "native (-march=native)";
#else
    return "baseline (no multiversioning)";
#endif
}

}  // namespace fastreg
