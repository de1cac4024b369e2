// Thread count and the one way the core splits work over threads.
//
// The policy (docs/performance.md, "Threads"):
// * The limit is fastreg.set_num_threads' count, else OpenMP's (omp_get_max_threads: the
//   cores, OMP_NUM_THREADS, a threadpoolctl limit), and never more than the CPUs the calling
//   thread may run on (its affinity: taskset, Slurm, a container's cpuset), read again at
//   least every few milliseconds. Without OpenMP the core runs on one thread: there is then
//   no standard way (OMP_NUM_THREADS, threadpoolctl) for a user to limit it.
// * Work is split only above a size measured to pay for a second thread (SERIAL_BELOW).
// * It runs on fastreg's own pool (cpp/src/thread_pool.cpp), not on OpenMP teams: the
//   calling thread works too, chunks are claimed from a counter, and the caller waits only
//   for chunks a helper already claimed, so a helper that is asleep, descheduled or whose
//   CPU is taken delays a call by at most the chunk it holds. Helpers sleep between calls
//   (after a short bounded spin). Calls from several threads at once share the pool and
//   together take no more helpers than there are CPUs; work started from inside pool work
//   runs serially. A call whose helpers cost more than they saved (a competitor holding
//   the other cores, or a call too short for a helper to arrive) makes the following calls
//   from the same call site serial for a while that doubles while it stays so.
// * Nothing here changes the process's affinity or the OpenMP environment; a helper takes
//   the affinity of the thread whose work it runs.
#ifndef FASTREG_PARALLEL_HPP
#define FASTREG_PARALLEL_HPP

#include "fastreg/common.hpp"
#include "fastreg/interrupt.hpp"

#include <algorithm>
#include <atomic>
#include <type_traits>

namespace fastreg {

// The threads a call from this thread may use now: the limit above, capped by the CPUs the
// thread may run on (read afresh). Always 1 without OpenMP.
int get_num_threads();
// n >= 1 fixes the limit; n <= 0 returns to the default.
void set_num_threads(int n);
bool openmp_enabled();

namespace detail {
// get_num_threads() with the CPU count read at most every few milliseconds (a read costs
// microseconds on virtual machines, as much as a small parallel region).
int thread_limit();
// Whether the calling thread is running pool work (a caller inside a call, or a helper).
bool in_parallel();
using RangeBody = void (*)(void* ctx, index_t begin, index_t end);
// One call site's record of whether its parallel calls pay (thread_pool.cpp's backoff):
// sites differ in the size of their calls, and one whose calls are too short for a helper
// to arrive must not make the others serial.
struct Site {
    std::atomic<long long> serial_until{0};
    std::atomic<long long> serial_for{0};
};
// Calls body(ctx, b, e) on disjoint ranges covering [0, units), claimed `grain` units at a
// time, on the calling thread and up to threads - 1 helpers; rethrows the first exception
// a range threw (the ranges not yet claimed are then skipped).
void run_parallel(index_t units, index_t grain, int threads, RangeBody body, void* ctx, Site& site);
}  // namespace detail

// Below this many elements a kernel runs on the calling thread: posting work to a helper
// costs microseconds (a wake-up on a virtual machine tens of them), more than the work.
// Compute-bound kernels (dropout's Philox) use this; bandwidth-bound ones, which gain less
// from a second core, the larger BANDWIDTH_SERIAL_BELOW.
constexpr index_t SERIAL_BELOW = index_t(1) << 16;
constexpr index_t BANDWIDTH_SERIAL_BELOW = index_t(1) << 18;

// Threads for `n` elements: 1 when small, without OpenMP, or when already inside pool work
// (so work started from parallel code never oversubscribes); each thread gets at least a
// quarter of `serial_below`.
inline int threads_for(index_t n, index_t serial_below = SERIAL_BELOW) {
#if defined(FASTREG_HAVE_OPENMP)
    if (n < serial_below || detail::in_parallel()) return 1;
    const index_t most = std::max<index_t>(1, n / (serial_below / 4));
    return int(std::min<index_t>(detail::thread_limit(), most));
#else
    (void)n;
    (void)serial_below;
    return 1;
#endif
}

// Calls f(begin, end) on contiguous, disjoint chunks covering [0, n), with every boundary
// but n a multiple of `align` (so chunks never share an output byte or a cache line that
// matters to the caller). The chunks are small (an eighth of `serial_below`) and claimed
// one at a time, so that a late helper costs at most one chunk.
//
// This is the elementwise kernels' one driver, so it is also where they stop on Ctrl-C:
// [0, n) is walked in slabs of stop::KERNEL_SLAB elements with a checkpoint between two
// (on the calling thread, outside any parallel region), and a huge array stops within a
// slab's time. Slabs are a whole number of `align` units, so slab edges are chunk edges.
template <class F>
void parallel_chunks(index_t n, index_t align, F&& f, index_t serial_below = SERIAL_BELOW) {
    using G = std::remove_reference_t<F>;
    struct Ctx {
        G* f;
        index_t first, n, align;
    } ctx{&f, 0, 0, align};
    static detail::Site site;  // one per call site (each has its own lambda type F)
    stop::in_slabs(n, [&](index_t s0, index_t s1) {
        const index_t len = s1 - s0;
        const int nt = threads_for(len, serial_below);
        if (nt <= 1) {
            f(s0, s1);
            return;
        }
        ctx.first = s0;
        ctx.n = len;
        const index_t units = (len + align - 1) / align;
        const index_t grain = std::max<index_t>(1, serial_below / 8 / align);
        detail::run_parallel(units, grain, nt, [](void* c, index_t b, index_t e) {
            const Ctx& x = *static_cast<const Ctx*>(c);
            (*x.f)(x.first + b * x.align, x.first + std::min(x.n, e * x.align));
        }, &ctx, site);
    }, stop::KERNEL_SLAB - stop::KERNEL_SLAB % align);
}

// Calls f(j) for every j in [0, n) on at most nt threads, handing out `chunk` indices at a
// time (dynamic scheduling: columns of a design differ in cost, sparse ones by their
// nonzeros).
template <class F>
void parallel_for(index_t n, int nt, index_t chunk, F&& f) {
    if (nt <= 1 || n <= chunk) {
        for (index_t j = 0; j < n; ++j) f(j);
        return;
    }
    using G = std::remove_reference_t<F>;
    static detail::Site site;  // one per call site (each has its own lambda type F)
    detail::run_parallel(n, std::max<index_t>(1, chunk), nt, [](void* c, index_t b, index_t e) {
        G& g = *static_cast<G*>(c);
        for (index_t j = b; j < e; ++j) g(j);
    }, const_cast<void*>(static_cast<const void*>(&f)), site);
}

}  // namespace fastreg

#endif  // FASTREG_PARALLEL_HPP
