// Soft-thresholding and elastic-net prox: runs compiled once per instruction set, then
// spread over threads.
#include "fastreg/kernels.hpp"
#include "fastreg/parallel.hpp"
#include "fastreg/prox.hpp"

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
// plain functions, not templates.
#define FASTREG_DEFINE_RUN(NAME, OP, T)                                                     \
    FASTREG_CLONES void NAME(const T* x, index_t sx, T* y, index_t sy, index_t n,          \
                             Param<T> a, Param<T> b, bool stream) {                        \
        elementwise_run(x, sx, y, sy, n, a, b, stream, OP{});                               \
    }
FASTREG_DEFINE_RUN(soft_threshold_run, SoftThresholdOp, float)
FASTREG_DEFINE_RUN(soft_threshold_run, SoftThresholdOp, double)
FASTREG_DEFINE_RUN(enet_prox_run, EnetProxOp, float)
FASTREG_DEFINE_RUN(enet_prox_run, EnetProxOp, double)
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
    }, BANDWIDTH_SERIAL_BELOW);
}

}  // namespace

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

template void soft_threshold<float>(const NdLayout<3>&, const float*, float*, const float*);
template void soft_threshold<double>(const NdLayout<3>&, const double*, double*, const double*);
template void enet_prox<float>(const NdLayout<4>&, const float*, float*, const float*, const float*);
template void enet_prox<double>(const NdLayout<4>&, const double*, double*, const double*,
                                const double*);

}  // namespace fastreg
