// Soft-thresholding and elastic-net prox: runs compiled once per instruction set, then
// spread over threads.
#include "fastreg/kernels.hpp"
#include "fastreg/parallel.hpp"
#include "fastreg/prox.hpp"
#include "fastreg/stream_simd.hpp"

#include <algorithm>
#include <atomic>

namespace fastreg {

namespace {

struct SoftThresholdOp {
    template <class T>
    FASTREG_INLINE T operator()(T x, T t, T) const { return soft_threshold_one(x, t); }
};

struct EnetProxOp {
    template <class T>
    FASTREG_INLINE T operator()(T x, T l1, T l2) const { return enet_prox_one(x, l1, l2); }
};

// One multiversioned function per (operation, dtype): the target_clones attribute works on
// plain functions, not templates. A big contiguous output with scalar parameters goes to
// the streaming loops of stream_simd.hpp when the CPU has one.
#define FASTREG_DEFINE_RUN(NAME, OP, T, LOOP, ...)                                           \
    FASTREG_CLONES void NAME(const T* x, index_t sx, T* y, index_t sy, index_t n,          \
                             Param<T> a, Param<T> b, bool stream) {                        \
        const auto& loops = stream_simd::loops<T>();                                        \
        if (stream && sx == 1 && sy == 1 && a.stride == 0 && b.stride == 0 && loops.LOOP) { \
            loops.LOOP(x, y, n, __VA_ARGS__);                                               \
            return;                                                                         \
        }                                                                                   \
        elementwise_run(x, sx, y, sy, n, a, b, stream, OP{});                               \
    }
FASTREG_DEFINE_RUN(soft_threshold_run, SoftThresholdOp, float, soft_threshold, *a.ptr)
FASTREG_DEFINE_RUN(soft_threshold_run, SoftThresholdOp, double, soft_threshold, *a.ptr)
FASTREG_DEFINE_RUN(enet_prox_run, EnetProxOp, float, enet_prox, *a.ptr, 1.0f + *b.ptr)
FASTREG_DEFINE_RUN(enet_prox_run, EnetProxOp, double, enet_prox, *a.ptr, 1.0 + *b.ptr)
#undef FASTREG_DEFINE_RUN

// Splits the layout's elements over threads (and slabs, for Ctrl-C: parallel_chunks); each
// thread walks its share as runs.
// Operand 0 is x, 1 is y, 2 and 3 the parameters (`b` may be absent: K == 3).
template <int K, class T, class Run>
void run_elementwise(const NdLayout<K>& given, const T* x, T* y, const T* a, const T* b,
                     Run run) {
    NdLayout<K> L = given;
    L.simplify();
    const T zero = T(0);
    const bool stream = should_stream(L.size(), sizeof(T));
    parallel_chunks(L.size(), 64, [&](index_t begin, index_t end) {
        for_each_run(L, begin, end, [&](index_t, index_t n, const index_t* off, const index_t* inner) {
            const Param<T> pa{a + off[2], inner[2]};
            const Param<T> pb = K > 3 ? Param<T>{b + off[K - 1], inner[K - 1]} : Param<T>{&zero, 0};
            run(x + off[0], inner[0], y + off[1], inner[1], n, pa, pb, stream);
        });
        if (stream) stream_fence();
    }, kernel_serial_below().bandwidth);
}

std::atomic<index_t> serial_below_bandwidth{BANDWIDTH_SERIAL_BELOW};
std::atomic<index_t> serial_below_compute{SERIAL_BELOW};

}  // namespace

KernelSerialBelow kernel_serial_below() {
    return {serial_below_bandwidth.load(std::memory_order_relaxed), serial_below_compute.load(std::memory_order_relaxed)};
}

void set_kernel_serial_below(index_t bandwidth, index_t compute) {
    serial_below_bandwidth.store(std::max<index_t>(bandwidth, 64), std::memory_order_relaxed);
    serial_below_compute.store(std::max<index_t>(compute, 64), std::memory_order_relaxed);
}

template <class T>
void soft_threshold(const NdLayout<3>& layout, const T* x, T* y, const T* t) {
    run_elementwise<3, T>(layout, x, y, t, nullptr,
                          [](const T* xs, index_t sx, T* ys, index_t sy, index_t n, Param<T> a,
                             Param<T> b, bool stream) { soft_threshold_run(xs, sx, ys, sy, n, a, b, stream); });
}

template <class T>
void enet_prox(const NdLayout<4>& layout, const T* x, T* y, const T* l1, const T* l2) {
    run_elementwise<4, T>(layout, x, y, l1, l2,
                          [](const T* xs, index_t sx, T* ys, index_t sy, index_t n, Param<T> a,
                             Param<T> b, bool stream) { enet_prox_run(xs, sx, ys, sy, n, a, b, stream); });
}

namespace stream_simd {

#if FASTREG_STREAM_SIMD
FASTREG_STREAM_LOOPS(avx512, "avx512f", 64, FASTREG_NT_STORE_512)
FASTREG_STREAM_LOOPS(avx2, "avx2", 32, FASTREG_NT_STORE_256)
#endif

template <class T>
const Loops<T>& loops() {
    static const Loops<T> best = [] {
        Loops<T> l;
#if FASTREG_STREAM_SIMD
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx512f")) {
            l.soft_threshold = soft_threshold_avx512<T>;
            l.enet_prox = enet_prox_avx512<T>;
            l.dropout = dropout_avx512<T>;
        } else if (__builtin_cpu_supports("avx2")) {
            l.soft_threshold = soft_threshold_avx2<T>;
            l.enet_prox = enet_prox_avx2<T>;
            l.dropout = dropout_avx2<T>;
        }
#endif
        return l;
    }();
    return best;
}

template const Loops<float>& loops<float>();
template const Loops<double>& loops<double>();

}  // namespace stream_simd

template void soft_threshold<float>(const NdLayout<3>&, const float*, float*, const float*);
template void soft_threshold<double>(const NdLayout<3>&, const double*, double*, const double*);
template void enet_prox<float>(const NdLayout<4>&, const float*, float*, const float*, const float*);
template void enet_prox<double>(const NdLayout<4>&, const double*, double*, const double*,
                                const double*);

}  // namespace fastreg
