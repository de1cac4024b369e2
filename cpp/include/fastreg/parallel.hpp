// Thread count and the one way the core splits elementwise work over OpenMP threads.
#ifndef FASTREG_PARALLEL_HPP
#define FASTREG_PARALLEL_HPP

#include "fastreg/common.hpp"

#include <algorithm>

#if defined(FASTREG_HAVE_OPENMP)
#include <omp.h>
#endif

namespace fastreg {

// The thread count fastreg uses: the one set with set_num_threads, else OpenMP's default
// for the calling thread (the cores available to the process, OMP_NUM_THREADS, or a
// threadpoolctl limit). Always 1 without OpenMP.
int get_num_threads();
// n >= 1 fixes the count; n <= 0 returns to the default.
void set_num_threads(int n);
bool openmp_enabled();

// Below this many elements a kernel runs on the calling thread: waking a team costs a few
// microseconds (much more on a loaded machine), more than the work. Compute-bound kernels
// (dropout's Philox) use this; bandwidth-bound ones, which gain less from a second core,
// the larger BANDWIDTH_SERIAL_BELOW.
constexpr index_t SERIAL_BELOW = index_t(1) << 16;
constexpr index_t BANDWIDTH_SERIAL_BELOW = index_t(1) << 18;

// Threads for `n` elements: 1 when small or when already inside a parallel region (so a
// kernel called from parallel code never oversubscribes).
inline int threads_for(index_t n, index_t serial_below = SERIAL_BELOW) {
#if defined(FASTREG_HAVE_OPENMP)
    if (n < serial_below || omp_in_parallel()) return 1;
    const index_t most = std::max<index_t>(1, n / (serial_below / 4));
    return int(std::min<index_t>(get_num_threads(), most));
#else
    (void)n;
    (void)serial_below;
    return 1;
#endif
}

// Calls f(begin, end) on contiguous, disjoint chunks covering [0, n), one per thread, with
// every boundary but n a multiple of `align` (so chunks never share an output byte or a
// cache line that matters to the caller).
template <class F>
void parallel_chunks(index_t n, index_t align, F&& f, index_t serial_below = SERIAL_BELOW) {
    const int nt = threads_for(n, serial_below);
    if (nt <= 1) {
        f(index_t(0), n);
        return;
    }
    const index_t units = (n + align - 1) / align;
#if defined(FASTREG_HAVE_OPENMP)
#pragma omp parallel num_threads(nt)
    {
        const index_t t = omp_get_thread_num(), count = omp_get_num_threads();
        const index_t b = std::min(n, units * t / count * align);
        const index_t e = std::min(n, units * (t + 1) / count * align);
        if (b < e) f(b, e);
    }
#else
    (void)units;
    f(index_t(0), n);
#endif
}

// Calls f(j) for every j in [0, n) on nt threads, handing out `chunk` indices at a time
// (dynamic scheduling: columns of a design differ in cost, sparse ones by their nonzeros).
template <class F>
void parallel_for(index_t n, int nt, index_t chunk, F&& f) {
#if defined(FASTREG_HAVE_OPENMP)
    if (nt > 1) {
#pragma omp parallel for num_threads(nt) schedule(dynamic, chunk)
        for (index_t j = 0; j < n; ++j) f(j);
        return;
    }
#else
    (void)nt;
    (void)chunk;
#endif
    for (index_t j = 0; j < n; ++j) f(j);
}

}  // namespace fastreg

#endif  // FASTREG_PARALLEL_HPP
