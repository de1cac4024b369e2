// Stopping a long call early (Ctrl-C). The core knows nothing of Python: the bindings make a
// StopSource for each long call, whose poll asks Python whether a signal is pending, and the
// core calls checkpoint() at safe points (between epochs, alphas, conjugate-gradient steps,
// never inside a parallel region). checkpoint() polls from the thread that made the source,
// at most every POLL_EVERY, and throws Interrupted once the call must stop; every other
// thread of the call (the fits of a many-target path) sees the flag at its own next
// checkpoint and throws too, so that all of them unwind, free what they hold and join.
#ifndef FASTREG_INTERRUPT_HPP
#define FASTREG_INTERRUPT_HPP

#include <atomic>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <exception>
#include <thread>

namespace fastreg {

// What checkpoint() throws; the bindings turn it into the Python exception the poll left
// pending (KeyboardInterrupt).
struct Interrupted : std::exception {
    const char* what() const noexcept override { return "interrupted"; }
};

class StopSource {
public:
    // poll(ctx) returns true when the call must stop; it runs on the thread that made the
    // source only (Python runs signal handlers on its main thread, which made it).
    using Poll = bool (*)(void* ctx);
    // Long enough that polling (the GIL taken and given back) costs nothing measurable,
    // short enough that a call stops well within half a second.
    static constexpr std::chrono::milliseconds POLL_EVERY{50};

    StopSource(Poll poll, void* ctx)
        : poll_(poll), ctx_(ctx), owner_(std::this_thread::get_id()),
          next_poll_(now_ns() + POLL_EVERY_NS) {}

    bool stopped() const { return stopped_.load(std::memory_order_relaxed); }

    // Polls when called on the owner thread and the time has come; returns stopped().
    bool poll_if_due() {
        if (stopped()) return true;
        if (!poll_ || std::this_thread::get_id() != owner_) return false;
        const std::int64_t now = now_ns();
        if (now < next_poll_) return false;
        next_poll_ = now + POLL_EVERY_NS;
        if (poll_(ctx_)) stopped_.store(true, std::memory_order_relaxed);
        return stopped();
    }

private:
    static constexpr std::int64_t POLL_EVERY_NS = std::int64_t(POLL_EVERY.count()) * 1000000;
    // A monotonic clock in ns. On Linux the coarse one (a few ns a read, ticks of a few ms:
    // plenty for a 50 ms poll), since checkpoints come once per epoch, and an epoch of a
    // small problem takes well under a microsecond.
    static std::int64_t now_ns() {
#if defined(__linux__)
        timespec t;
        clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
        return std::int64_t(t.tv_sec) * 1000000000 + t.tv_nsec;
#else
        return std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
#endif
    }

    Poll poll_;
    void* ctx_;
    std::thread::id owner_;
    std::int64_t next_poll_;
    std::atomic<bool> stopped_{false};
};

namespace stop {

// The stop source of the call this thread works for (null: none, nothing ever stops).
StopSource* current();

// Makes `source` this thread's for its lifetime (the bindings on the calling thread; the
// core on each thread it starts for the call, with the caller's current()).
class Bind {
public:
    explicit Bind(StopSource* source);
    ~Bind();
    Bind(const Bind&) = delete;
    Bind& operator=(const Bind&) = delete;

private:
    StopSource* previous_;
};

// Throws Interrupted when the call must stop. Cheap (a thread-local read and an atomic
// load; on the owner thread a clock read): call it once per epoch or per alpha.
inline void checkpoint() {
    if (StopSource* s = current())
        if (s->poll_if_due()) throw Interrupted();
}

// Whether the call must stop, polling when due: for threads that wait on others rather
// than throw (the coordinator of shared passes).
inline bool requested() {
    StopSource* s = current();
    return s && s->poll_if_due();
}

// [0, n) in slabs of `slab` elements, f(begin, end) each, with a checkpoint between two:
// a huge array (10^9 elements take seconds) stops within a slab's time. The elementwise
// kernels get this through parallel_chunks (parallel.hpp), so KERNEL_SLAB is a multiple of
// every alignment they split at.
constexpr std::int64_t KERNEL_SLAB = std::int64_t(1) << 24;
template <class F>
void in_slabs(std::int64_t n, F&& f, std::int64_t slab = KERNEL_SLAB) {
    for (std::int64_t b = 0; b < n; b += slab) {
        if (b > 0) checkpoint();
        f(b, n - b < slab ? n : b + slab);
    }
}

}  // namespace stop
}  // namespace fastreg

#endif  // FASTREG_INTERRUPT_HPP
