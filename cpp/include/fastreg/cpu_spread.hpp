// Keeps the threads that each hold one of a group's cores on different CPUs.
//
// Why: the shared passes of many fits (cd/shared_passes.hpp) run more threads than cores
// and let only as many compute at once as there are cores, handing a core from one thread
// to another by waking it. Where the kernel places a woken thread is its own choice, and
// on virtual machines it often stacks it on the waker's busy CPU although another CPU of
// ours is idle: an idle virtual CPU is halted, and the wake-up path passes over it. The
// stack lasts until the periodic load balancing moves a thread, tens of milliseconds
// later. (2 virtual CPUs, 20 targets: a CPU idle 3.5 % of the fits' time, in gaps of
// 4 ms median and up to 36 ms, with two threads taking turns on the other.)
//
// So a thread that starts holding a core checks where it runs; when another holder runs on
// the same CPU and a CPU of the process has none, it moves itself there (its affinity set to
// that CPU, which migrates it at once, then restored, so that it is never pinned).
// Linux only; elsewhere the threads stay where the kernel puts them.
#ifndef FASTREG_CPU_SPREAD_HPP
#define FASTREG_CPU_SPREAD_HPP

#include <mutex>
#include <vector>

namespace fastreg {

class CpuSpread {
public:
    // runners: the threads that may hold a core, numbered 0 .. runners - 1.
    explicit CpuSpread(int runners);

    // Runner r starts holding a core on the calling thread (moving it if stacked), and
    // stops.
    void hold(int r);
    void release(int r);

private:
    std::mutex mu_;
    std::vector<int> cpu_;      // per runner: the CPU it holds a core on, or -1
    std::vector<int> allowed_;  // the CPUs the process may run on (empty: do nothing)
};

}  // namespace fastreg

#endif  // FASTREG_CPU_SPREAD_HPP
