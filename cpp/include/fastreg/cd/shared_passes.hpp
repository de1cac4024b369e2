// Passes over X shared by several path fits on the same design (many targets, or the folds
// of a cross-validation): each fit runs on its own thread, and when it needs a full
// gradient it hands its residual(s) to a SharedPasses and waits. Once every running fit is
// waiting, one pass over X computes x_j^T e for all their vectors at once: X is read once
// for all of them (the cost of a pass is reading X: bandwidth, or decoding genotypes), and
// the products become a small matrix product per column, computed from cache.
//
// Scheduling: the fits' threads run their own coordinate descent (sweeps over working sets,
// which stay in cache) under `workers` tokens, so that no more of them run at once than
// there are cores; a fit gives its token back while it waits. The batched pass runs on the
// coordinating thread (the one that started the fits), with all the cores, while every fit
// waits: there is one OpenMP team, never one per fit.
#ifndef FASTREG_CD_SHARED_PASSES_HPP
#define FASTREG_CD_SHARED_PASSES_HPP

#include "fastreg/common.hpp"
#include "fastreg/matrix/design.hpp"
#include "fastreg/parallel.hpp"

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

namespace fastreg::cd {

namespace kernels {

// out[c * m + t] = sum_i cols[c][i] * E[i * ld + t] for c < nc (1..4) and t < m: nc
// columns against m vectors stored sample-major (E is n x ld, ld a multiple of 16, zero
// beyond m). Compiled per instruction set in cpp/src/multi_dot.cpp.
void multi_dot(const float* const* cols, int nc, index_t n, const float* E, index_t ld,
               index_t m, double* out);
void multi_dot(const double* const* cols, int nc, index_t n, const double* E, index_t ld,
               index_t m, double* out);

}  // namespace kernels

// Designs with a decode(j, out) writing column j as n values of T (genotypes).
template <class M, class T, class = void>
struct has_decode : std::false_type {};
template <class M, class T>
struct has_decode<M, T, std::void_t<decltype(std::declval<const M&>().decode(index_t(0), (T*)nullptr))>>
    : std::true_type {};

template <class T, class M>
class SharedPasses {
public:
    // fit_threads: the threads that will run fits (each calls enter() once and leave()
    // once); workers: fits allowed to compute at once; threads: OpenMP threads of a pass.
    SharedPasses(const M& X, int fit_threads, int workers, int threads)
        : X_(X), fit_threads_(fit_threads), tokens_(std::max(1, workers)),
          threads_(std::max(1, threads)) {}

    // A fit's thread starts (takes a token) and ends (gives it back).
    void enter() {
        std::unique_lock<std::mutex> lk(mu_);
        ++alive_;
        ++entered_;
        cv_.notify_all();
        acquire(lk);
    }
    void leave() {
        std::unique_lock<std::mutex> lk(mu_);
        --alive_;
        ++left_;
        ++tokens_;
        cv_.notify_all();
    }

    // out0[j] = x_j^T e0 (and out1[j] = x_j^T e1 when e1 is set) for every column j, in
    // double: blocks until the batch that includes this request has run.
    void gradients(const T* e0, double* out0, const T* e1, double* out1) {
        std::unique_lock<std::mutex> lk(mu_);
        pending_.push_back({e0, out0});
        if (e1) pending_.push_back({e1, out1});
        ++waiting_;
        ++tokens_;
        const std::uint64_t gen = generation_;
        cv_.notify_all();
        cv_.wait(lk, [&] { return generation_ != gen; });
        acquire(lk);
        if (failed_) throw std::runtime_error("a shared pass over X failed");
    }

    // The coordinating thread: runs batches until every fit thread has left.
    void serve() {
        std::unique_lock<std::mutex> lk(mu_);
        for (;;) {
            cv_.wait(lk, [&] {
                // a batch waits for every fit thread to have started, so that the first
                // passes serve them all
                return (waiting_ > 0 && waiting_ == alive_ && entered_ == fit_threads_) ||
                       left_ == fit_threads_;
            });
            if (waiting_ == 0) return;
            std::vector<Request> batch;
            batch.swap(pending_);
            lk.unlock();  // nobody else can move: every fit alive is waiting for this batch
            try {
                run(batch);
            } catch (...) {  // (out of memory) the waiting fits fail instead of hanging
                failed_ = true;
            }
            lk.lock();
            waiting_ = 0;
            ++generation_;
            ++batches_;
            cv_.notify_all();
        }
    }

    std::int64_t batches() const { return batches_; }

private:
    struct Request {
        const T* e;
        double* out;
    };

    void acquire(std::unique_lock<std::mutex>& lk) {
        cv_.wait(lk, [&] { return tokens_ > 0; });
        --tokens_;
    }

    // One pass over X for all the requests' vectors.
    void run(const std::vector<Request>& batch) {
        const index_t n = X_.n, p = X_.p, m = index_t(batch.size());
        const index_t ld = (m + 15) / 16 * 16;
        E_.assign(std::size_t(n) * std::size_t(ld), T(0));
        for (index_t t = 0; t < m; ++t) {
            const T* e = batch[t].e;
            for (index_t i = 0; i < n; ++i) E_[std::size_t(i) * ld + t] = e[i];
        }
        constexpr index_t NC = 4;  // columns per kernel call: each row of E read once for four
        const index_t blocks = (p + NC - 1) / NC;
        const int nt = threads_for(n * p, BANDWIDTH_SERIAL_BELOW) > 1 ? threads_ : 1;
        std::vector<std::vector<T>> bufs(static_cast<std::size_t>(nt));
        parallel_for(blocks, nt, 8, [&](index_t b) {
            const index_t j0 = b * NC, nc = std::min(NC, p - j0);
            double dots[NC * 16 * 8];  // nc x m, or a heap buffer when m is large
            std::vector<double> heap;
            double* out = dots;
            if (nc * m > index_t(sizeof(dots) / sizeof(double))) {
                heap.resize(std::size_t(nc * m));
                out = heap.data();
            }
            if constexpr (M::sparse) {
                // sparse columns: accumulate their stored entries against E's rows
                for (index_t c = 0; c < nc; ++c) {
                    double* o = out + c * m;
                    for (index_t t = 0; t < m; ++t) o[t] = 0.0;
                    X_.for_each(j0 + c, [&](index_t i, T x) {
                        const T* row = E_.data() + std::size_t(i) * ld;
                        for (index_t t = 0; t < m; ++t) o[t] += double(x) * double(row[t]);
                    });
                }
            } else {
                const T* cols[NC];
                for (index_t c = 0; c < nc; ++c) cols[c] = column(j0 + c, c, bufs);
                kernels::multi_dot(cols, int(nc), n, E_.data(), ld, m, out);
            }
            for (index_t c = 0; c < nc; ++c)
                for (index_t t = 0; t < m; ++t) batch[t].out[j0 + c] = out[c * m + t];
        });
    }

    // Column j as n contiguous values of T: in place for dense float designs, else decoded
    // into the calling thread's buffer (slot c of four).
    const T* column(index_t j, index_t c, std::vector<std::vector<T>>& bufs) const {
        if constexpr (matrix::has_float_columns<M, T>::value) {
            (void)c;
            (void)bufs;
            return X_.col(j);
        } else {
            const index_t n = X_.n;
            std::vector<T>& buf = bufs[std::size_t(thread_index())];
            if (index_t(buf.size()) < 4 * n) buf.resize(std::size_t(4 * n));
            T* out = buf.data() + c * n;
            if constexpr (has_decode<M, T>::value) {
                X_.decode(j, out);
            } else {
                X_.for_each(j, [&](index_t i, T x) { out[i] = x; });
            }
            return out;
        }
    }

    static int thread_index() {
#if defined(FASTREG_HAVE_OPENMP)
        return omp_get_thread_num();
#else
        return 0;
#endif
    }

    const M& X_;
    std::mutex mu_;
    std::condition_variable cv_;
    int fit_threads_, entered_ = 0, left_ = 0;
    int tokens_;
    int threads_;
    int alive_ = 0, waiting_ = 0;
    std::uint64_t generation_ = 0;
    bool failed_ = false;
    std::int64_t batches_ = 0;
    std::vector<Request> pending_;
    std::vector<T> E_;
};

// What the fits of one group share: the passes, and the column statistics when every fit
// has the same sample weights (null: each fit computes its own).
template <class T, class M>
struct PathShared {
    SharedPasses<T, M>* passes = nullptr;
    const matrix::ColumnStats* stats = nullptr;
};

}  // namespace fastreg::cd

#endif  // FASTREG_CD_SHARED_PASSES_HPP
