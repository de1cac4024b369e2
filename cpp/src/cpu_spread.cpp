#include "fastreg/cpu_spread.hpp"

#include <algorithm>

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#endif

namespace fastreg {

CpuSpread::CpuSpread(int runners) : cpu_(std::size_t(std::max(0, runners)), -1) {
#if defined(__linux__)
    cpu_set_t mask;
    CPU_ZERO(&mask);
    if (pthread_getaffinity_np(pthread_self(), sizeof(mask), &mask) != 0) return;
    for (int c = 0; c < CPU_SETSIZE; ++c)
        if (CPU_ISSET(c, &mask)) allowed_.push_back(c);
    if (allowed_.size() < 2) allowed_.clear();  // nowhere to move to
#endif
}

void CpuSpread::hold(int r) {
#if defined(__linux__)
    if (allowed_.empty() || r < 0 || std::size_t(r) >= cpu_.size()) return;
    const int here = sched_getcpu();
    int target = -1;
    {
        std::lock_guard<std::mutex> lk(mu_);
        cpu_[std::size_t(r)] = here;
        bool stacked = false;
        for (std::size_t o = 0; o < cpu_.size(); ++o)
            stacked = stacked || (int(o) != r && cpu_[o] == here);
        if (!stacked || here < 0) return;
        for (const int c : allowed_)
            if (std::find(cpu_.begin(), cpu_.end(), c) == cpu_.end()) {
                target = c;
                break;
            }
        if (target < 0) return;  // every CPU has a holder: more holders than CPUs
        cpu_[std::size_t(r)] = target;
    }
    cpu_set_t mask, one;
    if (pthread_getaffinity_np(pthread_self(), sizeof(mask), &mask) != 0) return;
    CPU_ZERO(&one);
    CPU_SET(target, &one);
    if (pthread_setaffinity_np(pthread_self(), sizeof(one), &one) == 0)  // migrates now
        pthread_setaffinity_np(pthread_self(), sizeof(mask), &mask);
#else
    (void)r;
#endif
}

void CpuSpread::release(int r) {
#if defined(__linux__)
    if (allowed_.empty() || r < 0 || std::size_t(r) >= cpu_.size()) return;
    std::lock_guard<std::mutex> lk(mu_);
    cpu_[std::size_t(r)] = -1;
#else
    (void)r;
#endif
}

}  // namespace fastreg
