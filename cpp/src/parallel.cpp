// The thread limit: set_num_threads' count or OpenMP's, capped by the CPUs the calling
// thread may run on.
#include "fastreg/parallel.hpp"

#include "affinity.hpp"

#include <atomic>
#include <chrono>
#include <thread>

#if defined(FASTREG_HAVE_OPENMP)
#include <omp.h>
#endif
#if defined(__linux__)
#include <pthread.h>
#endif

namespace fastreg {

namespace {
// 0 = not set: follow OpenMP's default. Atomic because any Python thread may set it.
std::atomic<int> fixed_threads{0};

// How long a thread's cached CPU mask is trusted. Reading it is a system call of about
// 2 us on a virtual machine, so threads_for() (called per parallel region) reads it at most
// this often; get_num_threads() always reads it.
constexpr long long MASK_TTL_NS = 2'000'000;

thread_local detail::CpuMask cached_mask;
thread_local long long cached_at = -MASK_TTL_NS - 1;

int hardware_cpus() {
    const unsigned n = std::thread::hardware_concurrency();
    return n > 0 ? int(n) : 1;
}

void read_mask(detail::CpuMask& m) {
#if defined(__linux__)
    m.known = pthread_getaffinity_np(pthread_self(), sizeof(m.set), &m.set) == 0;
    m.count = m.known ? std::max(1, CPU_COUNT(&m.set)) : hardware_cpus();
#else
    m.count = hardware_cpus();
#endif
}

int limit() {
#if defined(FASTREG_HAVE_OPENMP)
    const int n = fixed_threads.load(std::memory_order_relaxed);
    return n > 0 ? n : omp_get_max_threads();
#else
    return 1;
#endif
}
}  // namespace

namespace detail {

long long now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

const CpuMask& calling_thread_cpus(bool fresh) {
    const long long t = now_ns();
    if (fresh || t - cached_at > MASK_TTL_NS) {
        read_mask(cached_mask);
        cached_at = t;
    }
    return cached_mask;
}

int thread_limit() { return std::max(1, std::min(limit(), calling_thread_cpus(false).count)); }

}  // namespace detail

int get_num_threads() { return std::max(1, std::min(limit(), detail::calling_thread_cpus(true).count)); }

void set_num_threads(int n) { fixed_threads.store(n > 0 ? n : 0, std::memory_order_relaxed); }

bool openmp_enabled() {
#if defined(FASTREG_HAVE_OPENMP)
    return true;
#else
    return false;
#endif
}

}  // namespace fastreg
