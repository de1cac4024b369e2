// The CPUs the calling thread may run on, cached per thread (private to cpp/src: the
// thread count in parallel.cpp and the pool in thread_pool.cpp read it).
#ifndef FASTREG_SRC_AFFINITY_HPP
#define FASTREG_SRC_AFFINITY_HPP

#if defined(__linux__)
#include <sched.h>
#endif

namespace fastreg::detail {

struct CpuMask {
    int count = 1;  // CPUs in the mask (at least 1)
#if defined(__linux__)
    bool known = false;  // false: the affinity could not be read (then count is the cores)
    cpu_set_t set;
#endif
};

// The calling thread's mask: read afresh when `fresh`, else at most every few milliseconds.
const CpuMask& calling_thread_cpus(bool fresh);

// Monotonic nanoseconds.
long long now_ns();

}  // namespace fastreg::detail

#endif  // FASTREG_SRC_AFFINITY_HPP
