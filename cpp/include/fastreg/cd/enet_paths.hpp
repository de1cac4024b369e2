// Several elastic-net paths on one design at once: the targets of a multi-target fit, or
// the folds of a cross-validation (X with other sample weights). Each path is the one
// enet_path() computes alone; they run on threads of their own and share their passes over
// X (cd/shared_passes.hpp), which makes k paths cost about one path's reading of X plus k
// paths' sweeps over their working sets. Genotype designs whose passes run in integer
// arithmetic are the exception: there each path makes its own (see enet_paths()).
#ifndef FASTREG_CD_ENET_PATHS_HPP
#define FASTREG_CD_ENET_PATHS_HPP

#include "fastreg/cd/path.hpp"
#include "fastreg/interrupt.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <exception>
#include <memory>
#include <thread>
#include <type_traits>
#include <vector>

namespace fastreg::cd {

// One path: enet_path()'s arguments but X and the options.
template <class T>
struct PathTask {
    const T* y = nullptr;
    const T* sw = nullptr;
    const T* pf = nullptr;
    const T* coef_init = nullptr;
    double* alphas = nullptr;
    index_t k = 0;
    bool generate = true;
    double eps = 1e-3;
    PathControl<T> control;
    PathOutput<T>* out = nullptr;
};

// Fits running at once share a pass: more of them make a pass cheaper per fit, but each
// holds O(n + p) state (the references of its KKT bounds are most of it).
constexpr index_t PATHS_AT_ONCE = 32;
constexpr double PATHS_MEMORY = double(std::int64_t(2) << 30);  // bytes for their state

// Runs the paths of `tasks` on `workers` threads, each taking the next task when it ends
// one; with `passes`, under its tokens (SharedPasses::enter / leave), which it serves on
// this thread meanwhile.
template <class T, class M>
void run_fits(const M& X, std::vector<PathTask<T>>& tasks, const EnetOptions& fit_opt,
              const PathShared<T, M>& shared, index_t workers, SharedPasses<T, M>* passes) {
    const index_t count = index_t(tasks.size());
    std::atomic<index_t> next{0};
    std::vector<std::exception_ptr> errors(static_cast<std::size_t>(workers));
    std::vector<std::thread> pool;
    pool.reserve(static_cast<std::size_t>(workers));
    StopSource* const source = stop::current();  // the fits stop with the call (Ctrl-C)
    std::mutex done_mu;
    std::condition_variable done_cv;
    int done = 0;
    for (int w = 0; w < int(workers); ++w)
        pool.emplace_back([&, w] {
            const stop::Bind bind(source);
            PathShared<T, M> mine = shared;
            mine.slot = w;
            if (passes) passes->enter(w);
            try {
                for (index_t i; (i = next++) < count;) {
                    const PathTask<T>& t = tasks[i];
                    EnetOptions path_opt = fit_opt;
                    path_opt.seed += std::uint64_t(i);  // random order: path i's own draws
                    enet_path<T, M>(X, t.y, t.sw, t.pf, t.coef_init, t.alphas, t.k, t.generate,
                                    t.eps, path_opt, t.control, *t.out, &mine);
                }
            } catch (...) {
                errors[std::size_t(w)] = std::current_exception();
            }
            if (passes) passes->leave(w);
            const std::lock_guard<std::mutex> lk(done_mu);
            ++done;
            done_cv.notify_one();
        });
    if (passes) {
        passes->serve();
    } else {  // this thread polls for a stop while the fits run (they see it at a checkpoint)
        std::unique_lock<std::mutex> lk(done_mu);
        while (done < int(workers)) {
            done_cv.wait_for(lk, StopSource::POLL_EVERY);
            lk.unlock();
            stop::requested();
            lk.lock();
        }
    }
    for (auto& th : pool) th.join();
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
}

// Returns the number of shared passes over X (0 for a single path, which runs alone).
template <class T, class M>
std::int64_t enet_paths(const M& X, std::vector<PathTask<T>>& tasks, const EnetOptions& opt) {
    const index_t count = index_t(tasks.size());
    if (count == 0) return 0;
    if (count == 1) {
        const PathTask<T>& t = tasks[0];
        enet_path<T, M>(X, t.y, t.sw, t.pf, t.coef_init, t.alphas, t.k, t.generate, t.eps, opt,
                        t.control, *t.out);
        return 0;
    }
    // never more than the CPUs the calling thread may run on (get_num_threads reads them)
    const int threads = opt.n_threads > 0 ? std::min(opt.n_threads, get_num_threads()) : get_num_threads();
    EnetOptions fit_opt = opt;
    fit_opt.n_threads = 1;  // a fit computes on one core; the cores go to the passes

    // the column statistics, once, when every path has the same sample weights
    PathShared<T, M> shared;
    std::vector<matrix::ColumnStats> stats;
    bool same = true;
    for (const auto& t : tasks) same = same && t.sw == tasks[0].sw;
    if (same) {
        std::vector<T> v;
        if (const T* sw = tasks[0].sw) {  // normalized as EnetSolver normalizes them
            double total = 0.0;
            for (index_t i = 0; i < X.n; ++i) total += double(sw[i]);
            v.resize(X.n);
            for (index_t i = 0; i < X.n; ++i) v[i] = T(double(sw[i]) / total);
        }
        stats.resize(X.p);
        const T* vp = v.empty() ? nullptr : v.data();
        parallel_for(X.p, threads_for(X.total_nnz()) > 1 ? threads : 1, 64,
                     [&](index_t j) { stats[j] = X.stats(j, vp, opt.fit_intercept); });
        shared.stats = stats.data();
    }

    // a genotype design's missing samples (and packed copy), once for all the fits
    std::unique_ptr<MissingIndex> index;
    if constexpr (decodes_i8<M>::value) {
        index = MissingIndex::for_design(
            X, std::min(threads, threads_for(X.total_nnz(), BANDWIDTH_SERIAL_BELOW)), true);
        shared.indexed = true;
        shared.index = index.get();
    }

    // Genotype designs of double whose fits run their full passes in integer arithmetic
    // (once the index is made; cd/enet.hpp, quantized_pass): there a fit's own pass (its
    // residual's int8 parts against the packed columns, 64 samples an instruction) costs
    // less than its share of a batched pass in double, which decodes every column and
    // multiplies it with each residual. So the fits make their own passes, as many at once
    // as there are threads. (k = 30 targets on int8 n = 1,000, p = 20,000: 4.0 against
    // 5.3 s; 8 traits on 2,000 x 200,000: int8 7.8 against 9.9 s, .bed 8.1 against 9.4 s;
    // LassoCV's 5 folds there: int8 7.35 against 9.18 s, .bed 7.20 against 9.31 s.)
    if (std::is_same_v<T, double> && shared.index) {
        shared.passes = nullptr;
        run_fits<T, M>(X, tasks, fit_opt, shared, std::min<index_t>(count, threads), nullptr);
        return 0;
    }

    const double per_fit = 8.0 * (16.0 * double(X.p) + 12.0 * double(X.n));
    const index_t by_memory = std::max<index_t>(index_t(threads), index_t(PATHS_MEMORY / per_fit));
    const int fit_threads = int(std::min({count, PATHS_AT_ONCE, by_memory}));
    SharedPasses<T, M> passes(X, fit_threads, threads, threads);
    shared.passes = &passes;
    run_fits(X, tasks, fit_opt, shared, fit_threads, &passes);
    return passes.batches();
}

#define FASTREG_CD_PATHS_INSTANCES(PREFIX, T, M) \
    PREFIX std::int64_t enet_paths<T, M>(const M&, std::vector<PathTask<T>>&, const EnetOptions&);
#define FASTREG_CD_PATHS_ALL(PREFIX)                  \
    FASTREG_CD_PATHS_INSTANCES(PREFIX, float, DenseF)  \
    FASTREG_CD_PATHS_INSTANCES(PREFIX, double, DenseD) \
    FASTREG_CD_PATHS_INSTANCES(PREFIX, float, CscF32)  \
    FASTREG_CD_PATHS_INSTANCES(PREFIX, double, CscD32) \
    FASTREG_CD_PATHS_INSTANCES(PREFIX, float, CscF64)  \
    FASTREG_CD_PATHS_INSTANCES(PREFIX, double, CscD64)

FASTREG_CD_PATHS_ALL(extern template)

}  // namespace fastreg::cd

#endif  // FASTREG_CD_ENET_PATHS_HPP
