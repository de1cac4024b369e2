#include "fastreg/parallel.hpp"

#include <atomic>

namespace fastreg {

namespace {
// 0 = not set: follow OpenMP's default. Atomic because any Python thread may set it.
std::atomic<int> fixed_threads{0};
}  // namespace

int get_num_threads() {
#if defined(FASTREG_HAVE_OPENMP)
    const int n = fixed_threads.load(std::memory_order_relaxed);
    return n > 0 ? n : omp_get_max_threads();
#else
    return 1;
#endif
}

void set_num_threads(int n) { fixed_threads.store(n > 0 ? n : 0, std::memory_order_relaxed); }

bool openmp_enabled() {
#if defined(FASTREG_HAVE_OPENMP)
    return true;
#else
    return false;
#endif
}

}  // namespace fastreg
