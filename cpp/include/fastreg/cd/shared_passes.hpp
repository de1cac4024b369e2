// Passes over X shared by several path fits on the same design (many targets, or the folds
// of a cross-validation): each fit runs on its own thread, and when it needs a full
// gradient it hands its residual(s) to a SharedPasses and waits. Once every running fit is
// waiting, one pass over X computes x_j^T e for all their vectors at once: X is read once
// for all of them (the cost of a pass is reading X: bandwidth, or decoding genotypes), and
// the products become a small matrix product per column, computed from cache.
//
// Scheduling: the fits' threads run their own coordinate descent (sweeps over working sets,
// which stay in cache) under `workers` tokens, so that no more of them run at once than
// there are cores; a fit gives its token back while it waits. A batched pass starts on the
// coordinating thread (the one that started the fits) as soon as a core would otherwise
// idle: requests are pending and no fit is ready to take a free token. It computes on the
// free cores (one OpenMP team, never one per fit) while the fits that still hold tokens go
// on with their sweeps; a fit that reaches a check during the pass helps finish it (its
// request goes to the next batch). So no core waits for the slowest fit, and a batch still
// serves every fit that reached a check meanwhile.
//
// Every fit thread sleeps on a condition of its own, and a free token is handed to the
// first ready fit directly: one wake-up per hand-over. (With one condition for all, every
// hand-over woke every waiting thread to contend for the lock, and on two cores the fits
// holding tokens queued behind them: 8 % of the cores' time idle at 20 fits.) And the
// threads holding tokens, the fits' and the pass's, keep to different CPUs (CpuSpread):
// the kernel may stack a woken thread on a busy CPU while another idles.
#ifndef FASTREG_CD_SHARED_PASSES_HPP
#define FASTREG_CD_SHARED_PASSES_HPP

#include "fastreg/cd/missing_index.hpp"
#include "fastreg/common.hpp"
#include "fastreg/cpu_spread.hpp"
#include "fastreg/interrupt.hpp"
#include "fastreg/matrix/design.hpp"
#include "fastreg/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

namespace fastreg::cd {

namespace kernels {

// out[c * m + t] = sum_i cols[c][i] * E[i * ld + t] for c < nc (1..8) and t < m: nc
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
    // fit_threads: the threads that will run fits, numbered 0 .. fit_threads - 1 (each
    // calls enter(slot) once and leave(slot) once); workers: fits allowed to compute at
    // once; threads: OpenMP threads of a pass.
    SharedPasses(const M& X, int fit_threads, int workers, int threads)
        : X_(X), slots_(std::size_t(std::max(0, fit_threads))), fit_threads_(fit_threads),
          tokens_(std::max(1, workers)), threads_(std::max(1, threads)),
          spread_(std::max(0, fit_threads) + std::max(1, threads)) {}

    // A fit's thread starts (waits for a token) and ends (gives it back).
    void enter(int slot) {
        std::unique_lock<std::mutex> lk(mu_);
        ++entered_;
        ready_.push_back(slot);
        hand_out();
        wait_turn(lk, slot);
        lk.unlock();
        spread_.hold(slot);
    }
    void leave(int slot) {
        spread_.release(slot);
        std::unique_lock<std::mutex> lk(mu_);
        ++left_;
        ++tokens_;
        hand_out();
        serve_cv_.notify_one();
    }

    // out0[j] = x_j^T e0 (and out1[j] = x_j^T e1 when e1 is set) for every column j, in
    // double: blocks until the batch that includes this request has run and the fit has a
    // token again.
    void gradients(int slot, const T* e0, double* out0, const T* e1, double* out1) {
        std::unique_lock<std::mutex> lk(mu_);
        pending_.push_back({e0, out0});
        if (e1) pending_.push_back({e1, out1});
        pending_slots_.push_back(slot);
        if (helping_open_ && next_block_.load() < blocks_) {
            // a pass is running: this core helps it instead of idling
            ++helpers_;
            lk.unlock();
            try {
                Scratch scratch;
                work(scratch);
            } catch (...) {  // (out of memory) as a failed pass
                lk.lock();
                failed_ = true;
                lk.unlock();
            }
            lk.lock();
            --helpers_;
        }
        spread_.release(slot);
        ++tokens_;
        hand_out();
        serve_cv_.notify_one();
        wait_turn(lk, slot);
        const bool failed = failed_;
        lk.unlock();
        spread_.hold(slot);
        if (failed) throw std::runtime_error("a shared pass over X failed");
    }

    // The coordinating thread: runs batches until every fit thread has left.
    void serve() {
        std::unique_lock<std::mutex> lk(mu_);
        for (;;) {
            const auto due = [&] {
                // the first batch waits for every fit thread to have started, so that the
                // first passes serve them all
                const bool idle_core = tokens_ > 0 && ready_.empty();
                return (!pending_.empty() && idle_core && entered_ == fit_threads_) ||
                       left_ == fit_threads_;
            };
            // (polling for a stop meanwhile: the fits see it at their next checkpoint)
            while (!serve_cv_.wait_for(lk, StopSource::POLL_EVERY, due)) {
                lk.unlock();
                stop::requested();
                lk.lock();
            }
            if (pending_.empty()) return;  // every fit thread has left
            batch_.clear();
            batch_.swap(pending_);
            std::vector<int> served;
            served.swap(pending_slots_);
            const int cores = std::min(tokens_, threads_);
            tokens_ -= cores;  // the pass computes on the free cores
            lk.unlock();
            bool ready = false;
            try {
                prepare(cores);
                ready = true;
            } catch (...) {  // (out of memory) the waiting fits fail instead of hanging
            }
            lk.lock();
            failed_ = failed_ || !ready;
            helping_open_ = ready;
            lk.unlock();
            if (ready) {
                parallel_for(index_t(team_.size()), int(team_.size()), 1, [&](index_t t) {
                    const int runner = fit_threads_ + int(t);  // the pass's threads follow the fits'
                    spread_.hold(runner);
                    work(team_[std::size_t(t)]);
                    spread_.release(runner);
                });
            }
            lk.lock();
            helping_open_ = false;
            serve_cv_.wait(lk, [&] { return helpers_ == 0; });  // every block claimed is done
            tokens_ += cores;
            ready_.insert(ready_.end(), served.begin(), served.end());
            hand_out();
            ++batches_;
        }
    }

    std::int64_t batches() const { return batches_; }

private:
    struct Request {
        const T* e;
        double* out;
    };

    // A fit thread's own condition: set when it may compute again.
    struct Slot {
        std::condition_variable cv;
        bool go = false;
    };

    // Free tokens go to the ready fits, first come first served.
    void hand_out() {
        while (tokens_ > 0 && !ready_.empty()) {
            Slot& s = slots_[std::size_t(ready_.front())];
            ready_.pop_front();
            --tokens_;
            s.go = true;
            s.cv.notify_one();
        }
    }

    void wait_turn(std::unique_lock<std::mutex>& lk, int slot) {
        Slot& s = slots_[std::size_t(slot)];
        s.cv.wait(lk, [&] { return s.go; });
        s.go = false;
    }

    static constexpr index_t NC = 8;  // columns per kernel call: E's rows read once for eight

    // A participant's buffers: four decoded columns, and their products when the batch is
    // too large for the stack.
    struct Scratch {
        std::vector<T> cols;
        std::vector<double> dots;
    };

    // Before a pass: the batch's vectors sample-major in E_, the blocks of columns to hand
    // out, and the team's buffers (allocated here, outside the parallel region).
    void prepare(int cores) {
        const index_t n = X_.n, p = X_.p, m = index_t(batch_.size());
        ld_ = (m + 15) / 16 * 16;
        E_.assign(std::size_t(n) * std::size_t(ld_), T(0));
        for (index_t t = 0; t < m; ++t) {
            const T* e = batch_[t].e;
            for (index_t i = 0; i < n; ++i) E_[std::size_t(i) * ld_ + t] = e[i];
        }
        const int nt = threads_for(n * p, BANDWIDTH_SERIAL_BELOW) > 1 ? cores : 1;
        team_.resize(std::size_t(nt));
        for (Scratch& s : team_) reserve(s);
        blocks_ = (p + NC - 1) / NC;
        next_block_.store(0);
    }

    void reserve(Scratch& s) const {
        if constexpr (!M::sparse && !matrix::has_float_columns<M, T>::value)
            s.cols.resize(std::size_t(NC * X_.n));
        s.dots.resize(std::size_t(NC * index_t(batch_.size())));
    }

    // Claims blocks of NC columns of the running pass until none is left.
    void work(Scratch& s) {
        if (s.dots.empty()) reserve(s);
        const index_t n = X_.n, p = X_.p, m = index_t(batch_.size());
        double* out = s.dots.data();
        for (index_t b; (b = next_block_.fetch_add(1)) < blocks_;) {
            const index_t j0 = b * NC, nc = std::min(NC, p - j0);
            if constexpr (M::sparse) {
                // sparse columns: accumulate their stored entries against E's rows
                for (index_t c = 0; c < nc; ++c) {
                    double* o = out + c * m;
                    for (index_t t = 0; t < m; ++t) o[t] = 0.0;
                    X_.for_each(j0 + c, [&](index_t i, T x) {
                        const T* row = E_.data() + std::size_t(i) * ld_;
                        for (index_t t = 0; t < m; ++t) o[t] += double(x) * double(row[t]);
                    });
                }
            } else {
                const T* cols[NC];
                for (index_t c = 0; c < nc; ++c) cols[c] = column(j0 + c, s.cols.data() + c * n);
                kernels::multi_dot(cols, int(nc), n, E_.data(), ld_, m, out);
            }
            for (index_t c = 0; c < nc; ++c)
                for (index_t t = 0; t < m; ++t) batch_[t].out[j0 + c] = out[c * m + t];
        }
    }

    // Column j as n contiguous values of T: in place for dense float designs, else decoded
    // into buf.
    const T* column(index_t j, T* buf) const {
        if constexpr (matrix::has_float_columns<M, T>::value) {
            (void)buf;
            return X_.col(j);
        } else {
            if constexpr (has_decode<M, T>::value) {
                X_.decode(j, buf);
            } else {
                X_.for_each(j, [&](index_t i, T x) { buf[i] = x; });
            }
            return buf;
        }
    }

    const M& X_;
    std::mutex mu_;
    std::condition_variable serve_cv_;  // the coordinating thread's
    std::vector<Slot> slots_;           // the fit threads'
    int fit_threads_, entered_ = 0, left_ = 0;
    int tokens_;  // cores free: neither a fit's nor a pass's
    int threads_;
    std::deque<int> ready_;  // fits that can compute, waiting for a token
    bool failed_ = false;
    std::int64_t batches_ = 0;
    std::vector<int> pending_slots_;  // the fits whose requests are in pending_
    std::vector<Request> pending_;
    // the running pass: its requests, their vectors (E_, ld_ apart), its blocks of columns
    // (the next to claim), the team's buffers, and the fits helping it
    std::vector<Request> batch_;
    std::vector<T> E_;
    index_t ld_ = 16, blocks_ = 0;
    std::atomic<index_t> next_block_{0};
    std::vector<Scratch> team_;
    bool helping_open_ = false;
    int helpers_ = 0;
    CpuSpread spread_;  // where the token holders run
};

// What the fits of one group share: the passes, the column statistics when every fit has
// the same sample weights (null: each fit computes its own), and for genotype designs the
// missing samples' index when `indexed` (cd/missing_index.hpp; null: none, and no fit
// makes its own); and which of the passes' fit threads runs this fit.
template <class T, class M>
struct PathShared {
    SharedPasses<T, M>* passes = nullptr;
    const matrix::ColumnStats* stats = nullptr;
    bool indexed = false;
    const MissingIndex* index = nullptr;
    int slot = 0;
};

}  // namespace fastreg::cd

#endif  // FASTREG_CD_SHARED_PASSES_HPP
