// fastreg's pool of helper threads: the one place the core runs work on several threads
// (cpp/include/fastreg/parallel.hpp states the policy).
//
// Why not OpenMP teams: an OpenMP team's threads spin at the region's end barrier and
// between regions, and its master waits for every member. With a competitor on the other
// core, a member whose CPU is taken stalls the whole region for a time slice, and a team
// that shares one CPU (a taskset mask, OMP_PROC_BIND pinning everything to one CPU) spins
// against itself; the thread count was also fixed when the library loaded. Here the caller
// works through the chunks itself, helpers join when they wake, and the caller waits only
// for the chunks a helper has claimed.
//
// No lock on the way: a caller hands its job to idle helpers by compare-and-swap and wakes
// sleeping ones with a futex; helpers and callers sleep on futex words. (A first version
// with one mutex for the pool stalled callers for whole time slices on a loaded machine,
// whenever the kernel descheduled a helper that held it.)
#include "fastreg/parallel.hpp"

#include "affinity.hpp"

#include <atomic>
#include <chrono>
#include <climits>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <thread>

#if defined(__linux__)
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>
#else
#include <condition_variable>
#endif
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace fastreg::detail {

namespace {

// > 0 while this thread runs pool work: a caller inside run_parallel, or a helper always.
thread_local int depth = 0;

// A helper that finishes work spins this long for the next before it sleeps: calls that
// follow each other closely (a gradient pass, then the screening bounds) then find it
// awake. Short, so that a helper never holds a CPU anyone else wants for long.
constexpr long long SPIN_NS = 20'000;
// A caller that has run out of chunks spins this long for the helpers' last ones before it
// sleeps: they hold at most a chunk each, and a wake-up on a virtual machine costs tens of
// microseconds, as much as a chunk.
constexpr long long WAIT_SPIN_NS = 100'000;

// After a call whose helpers cost more than they saved, the calls from its site run
// serially for max(twice the previous wait, LOSS_FACTOR times the loss), at most
// MAX_SERIAL_NS; one call that gains clears it. So a competitor that holds the other cores
// costs one lost call per growing interval, and an idle machine stays parallel.
constexpr long long LOSS_FACTOR = 50;
constexpr long long MAX_SERIAL_NS = 2'000'000'000;

constexpr int MAX_HELPERS = 256;
constexpr index_t CHUNKS_PER_THREAD = 16;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#else
    std::this_thread::yield();
#endif
}

// Sleeps while w == v (or until woken); wake(w) wakes the sleepers on w.
#if defined(__linux__)
void sleep_while(std::atomic<int>& w, int v) {
    static_assert(sizeof(std::atomic<int>) == sizeof(int), "a futex is an int");
    syscall(SYS_futex, reinterpret_cast<int*>(&w), FUTEX_WAIT_PRIVATE, v, nullptr, nullptr, 0);
}
void wake(std::atomic<int>& w) {
    syscall(SYS_futex, reinterpret_cast<int*>(&w), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
}
#else
std::mutex park_mu;
std::condition_variable park_cv;
void sleep_while(std::atomic<int>& w, int v) {
    std::unique_lock<std::mutex> lk(park_mu);
    if (w.load() == v) park_cv.wait_for(lk, std::chrono::milliseconds(1));
}
void wake(std::atomic<int>&) {
    { std::lock_guard<std::mutex> lk(park_mu); }
    park_cv.notify_all();
}
#endif

struct Job {
    RangeBody body;
    void* ctx;
    index_t units, grain, chunks;
    CpuMask mask;  // the caller's CPUs
    std::atomic<index_t> next{0};
    std::atomic<bool> stop{false};
    // Threads claiming chunks. A thread adds itself before its first claim and leaves after
    // its last (failed) one, so once the caller has seen `next` run out, running == 0 means
    // that no chunk is running and none can start: a helper that comes later finds nothing
    // to do and never touches the caller's body or context. (Sequentially consistent
    // operations on `running` and `next` make that hold.)
    std::atomic<int> running{0};
    std::atomic<int> waiting{0};  // futex word: 1 while the caller sleeps for the last chunks
    std::atomic<int> refs{1};     // the caller and the helpers handed the job
    std::mutex error_mu;
    std::exception_ptr error;

    void release() {
        if (refs.fetch_sub(1) == 1) delete this;
    }

    // Claims chunks until none is left; returns how many this thread ran. One shared
    // read-modify-write per chunk: the counter's cache line moves between the threads.
    index_t drain() {
        index_t ran = 0;
        running.fetch_add(1);
        for (;;) {
            const index_t c = stop.load(std::memory_order_relaxed) ? chunks : next.fetch_add(1);
            if (c >= chunks) break;
            const index_t b = c * grain;
            try {
                body(ctx, b, std::min(units, b + grain));
            } catch (...) {
                std::lock_guard<std::mutex> lk(error_mu);
                if (!error) error = std::current_exception();
                stop.store(true);
            }
            ++ran;
        }
        if (running.fetch_sub(1) == 1 && waiting.exchange(0) == 1) wake(waiting);
        return ran;
    }
};

struct Helper {
    std::atomic<Job*> job{nullptr};  // null: idle, free to be handed a job
    std::atomic<int> sleeping{0};    // futex word: 1 while it sleeps
};

class Pool {
public:
    std::atomic<int> callers{0};  // threads inside run_parallel with helpers
    std::atomic<int> busy{0};     // helpers handed a job and not done with it

    // Hands `job` to up to `want` idle helpers, starting new ones when too few are idle;
    // returns how many took it.
    int hand_out(Job* job, int want) {
        int given = 0;
        const int n = count_.load(std::memory_order_acquire);
        for (int i = 0; i < n && given < want; ++i) {
            Helper& h = *slots_[i];
            Job* none = nullptr;
            if (h.job.load(std::memory_order_relaxed) == nullptr &&
                h.job.compare_exchange_strong(none, job)) {
                ++given;
                if (h.sleeping.exchange(0) == 1) wake(h.sleeping);
            }
        }
        if (given < want) {
            std::lock_guard<std::mutex> lk(grow_mu_);
            for (; given < want; ++given) {
                const int i = count_.load(std::memory_order_relaxed);
                if (i >= MAX_HELPERS) break;
                slots_[i] = std::make_unique<Helper>();
                slots_[i]->job.store(job);
                try {
                    std::thread(&Pool::helper, this, slots_[i].get()).detach();
                } catch (...) {  // no more threads: the job runs with fewer
                    slots_[i].reset();
                    break;
                }
                count_.store(i + 1, std::memory_order_release);
            }
        }
        return given;
    }

private:
    std::mutex grow_mu_;
    std::atomic<int> count_{0};
    std::unique_ptr<Helper> slots_[MAX_HELPERS];

    void helper(Helper* h) {
        depth = 1;
#if defined(__linux__)
        pthread_setname_np(pthread_self(), "fastreg-pool");  // as top -H and /proc show it
        // SCHED_BATCH (the helpers' own policy, same share of the CPU): a woken helper does
        // not preempt the thread that woke it. Otherwise the kernel often ran the helper on
        // the caller's CPU at once, and on a loaded machine the caller then waited behind
        // other processes: a parallel call's start took 1.7 ms on average, 15-50 us with it.
        sched_param sp{};
        sp.sched_priority = 0;
        pthread_setschedparam(pthread_self(), SCHED_BATCH, &sp);
        cpu_set_t mine;  // this helper's affinity, as last set (or inherited)
        bool mine_known = pthread_getaffinity_np(pthread_self(), sizeof(mine), &mine) == 0;
#endif
        for (;;) {
            Job* j = h->job.load();
            if (!j) {
                const long long until = now_ns() + SPIN_NS;
                for (int i = 1; !(j = h->job.load(std::memory_order_relaxed)); ++i) {
                    cpu_relax();
                    if (i % 64 == 0 && now_ns() > until) break;
                }
                if (!j) {
                    h->sleeping.store(1);
                    if (!h->job.load()) sleep_while(h->sleeping, 1);
                    h->sleeping.store(0);
                    continue;
                }
                j = h->job.load();  // (acquire: the job's fields)
            }
#if defined(__linux__)
            // follow the caller's affinity: never run its work where it may not run
            const CpuMask& m = j->mask;
            if (m.known && (!mine_known || !CPU_EQUAL(&mine, &m.set))) {
                if (pthread_setaffinity_np(pthread_self(), sizeof(m.set), &m.set) == 0) {
                    mine = m.set;
                    mine_known = true;
                }
            }
#endif
            j->drain();
            h->job.store(nullptr);
            busy.fetch_sub(1);
            j->release();
        }
    }
};

// The pool, made on first use. A child of fork() has none of its parent's helpers: it
// starts an empty pool of its own (the parent's is left as it was).
std::atomic<Pool*> the_pool{nullptr};
std::once_flag pool_once;

Pool& pool() {
    std::call_once(pool_once, [] {
        the_pool.store(new Pool);
#if defined(__linux__)
        pthread_atfork(nullptr, nullptr, [] { the_pool.store(new Pool); });
#endif
    });
    return *the_pool.load();
}

// Serial until the site's backoff deadline.
bool backing_off(const Site& site, long long t) {
    return t < site.serial_until.load(std::memory_order_relaxed);
}

// After a parallel call: wall time against the serial time the caller's own chunks imply.
// A call whose chunks the caller ran alone (no helper came in time) lost what handing out
// the job cost.
void weigh(Site& site, long long wall, long long own, index_t own_chunks, index_t chunks) {
    if (own_chunks <= 0) return;  // helpers ran everything: no estimate (and they paid)
    const long long serial = (long long)(double(own) * double(chunks) / double(own_chunks));
    if (wall > serial) {
        const long long wait = std::min(
            MAX_SERIAL_NS, std::max(2 * site.serial_for.load(std::memory_order_relaxed),
                                    LOSS_FACTOR * (wall - serial)));
        site.serial_for.store(wait, std::memory_order_relaxed);
        site.serial_until.store(now_ns() + wait, std::memory_order_relaxed);
    } else if (site.serial_for.load(std::memory_order_relaxed) != 0) {
        site.serial_for.store(0, std::memory_order_relaxed);
    }
}

}  // namespace

bool in_parallel() { return depth > 0; }

void run_parallel(index_t units, index_t grain, int threads, RangeBody body, void* ctx, Site& site) {
    // at most CHUNKS_PER_THREAD chunks a thread: each claim moves a cache line between
    // cores, and a late helper costs at most one chunk
    grain = std::max<index_t>({index_t(1), grain,
                               (units + CHUNKS_PER_THREAD * std::max(1, threads) - 1) /
                                   (CHUNKS_PER_THREAD * std::max(1, threads))});
    const index_t chunks = (units + grain - 1) / grain;
    const long long start = now_ns();
    if (threads <= 1 || chunks <= 1 || depth > 0 || backing_off(site, start)) {
        body(ctx, 0, units);
        return;
    }
    // on the heap, shared with the helpers: one that comes after this call has returned
    // still finds its counters (and nothing left to do)
    Job* job = new (std::nothrow) Job;
    if (!job) {
        body(ctx, 0, units);
        return;
    }
    Pool& P = pool();
    const CpuMask& mask = calling_thread_cpus(false);
    // never more threads in calls at once than CPUs: this caller, the other callers, and
    // the helpers still busy with earlier jobs (also those handed a job but not yet run)
    const int callers = P.callers.fetch_add(1) + 1;
    const int want = std::min<int>(int(std::min<index_t>(threads, chunks)) - 1,
                                   mask.count - callers - P.busy.load());
    if (want <= 0) {
        P.callers.fetch_sub(1);
        delete job;
        body(ctx, 0, units);
        return;
    }
    job->body = body;
    job->ctx = ctx;
    job->units = units;
    job->grain = grain;
    job->chunks = chunks;
    job->mask = mask;
    job->refs.store(1 + want);
    P.busy.fetch_add(want);
    const int given = P.hand_out(job, want);
    if (given < want) {
        P.busy.fetch_sub(want - given);
        job->refs.fetch_sub(want - given);
    }

    ++depth;
    const long long began = now_ns();
    const index_t own = job->drain();
    const long long own_ns = now_ns() - began;
    // the chunks helpers still run: a short spin, then sleep
    for (int i = 1; job->running.load() > 0; ++i) {
        cpu_relax();
        if (i % 64 == 0 && now_ns() - began > own_ns + WAIT_SPIN_NS) {
            job->waiting.store(1);
            if (job->running.load() > 0) sleep_while(job->waiting, 1);
        }
    }
    --depth;
    P.callers.fetch_sub(1);
    std::exception_ptr error;
    {
        std::lock_guard<std::mutex> lk(job->error_mu);
        error = job->error;
    }
    job->release();
    if (error) std::rethrow_exception(error);
    weigh(site, now_ns() - start, own_ns, own, chunks);
}

}  // namespace fastreg::detail
