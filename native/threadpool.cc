// The persistent pool behind parallelChunks. Workers sleep on a condition variable between jobs
// after a short spin (a training step issues its kernels back to back, so the next job usually
// arrives within microseconds). One job runs at a time: kernels are called from one JS thread.
#include "parallel.h"

#include <immintrin.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace ferc {
namespace {

struct Job {
  ChunkFn fn = nullptr;
  void* ctx = nullptr;
  int64_t count = 0, grain = 1, chunks = 0;
};

class Pool {
 public:
  void run(int64_t count, int threads, int64_t grain, ChunkFn fn, void* ctx) {
    const int64_t chunks = (count + grain - 1) / grain;
    const int want = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads, chunks)));
    if (want == 1) {
      for (int64_t k = 0; k < chunks; k++) fn(ctx, k * grain, std::min(count, (k + 1) * grain));
      return;
    }
    std::lock_guard<std::mutex> serial(runMutex_);  // one job at a time, even from several JS threads
    grow(want - 1);
    job_ = Job{fn, ctx, count, grain, chunks};
    next_.store(0, std::memory_order_relaxed);
    pending_.store(want - 1, std::memory_order_relaxed);
    // Publishes job_ and next_: a worker that claims a slot sees them.
    slots_.store(want - 1, std::memory_order_release);
    {
      std::lock_guard<std::mutex> lk(m_);
      generation_.fetch_add(1, std::memory_order_release);
    }
    cv_.notify_all();
    work();
    // Slots nobody claimed yet are withdrawn (no waiting for a sleeping worker to wake up just
    // to find no chunk left); then wait for the workers that did join to finish their chunk.
    const int unclaimed = slots_.exchange(0, std::memory_order_acq_rel);
    if (unclaimed > 0) pending_.fetch_sub(unclaimed, std::memory_order_acq_rel);
    while (pending_.load(std::memory_order_acquire) != 0) _mm_pause();
  }

 private:
  void work() {
    const Job& j = job_;
    for (int64_t k; (k = next_.fetch_add(1, std::memory_order_relaxed)) < j.chunks;) {
      j.fn(j.ctx, k * j.grain, std::min(j.count, (k + 1) * j.grain));
    }
  }

  void grow(int n) {
    while (static_cast<int>(workers_.size()) < n) {
      workers_.emplace_back([this] { loop(); });
      workers_.back().detach();  // lives as long as the process; never joined at exit
    }
  }

  void loop() {
    uint64_t seen = generation_.load(std::memory_order_acquire);
    for (;;) {
      // Spin briefly, then sleep until the next job.
      uint64_t g = seen;
      for (int i = 0; i < 20000 && (g = generation_.load(std::memory_order_acquire)) == seen; i++) _mm_pause();
      if (g == seen) {
        std::unique_lock<std::mutex> lk(m_);
        cv_.wait(lk, [&] { return (g = generation_.load(std::memory_order_acquire)) != seen; });
      }
      seen = g;
      // Any awake worker may take one of the job's slots; a late one finds none left (or takes a
      // slot of a newer job, which is real work for that job). Exactly `helpers` claims succeed.
      if (slots_.fetch_sub(1, std::memory_order_acq_rel) > 0) {
        work();
        pending_.fetch_sub(1, std::memory_order_acq_rel);
      }
    }
  }

  std::mutex runMutex_, m_;
  std::condition_variable cv_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int64_t> next_{0};
  std::atomic<int> pending_{0};
  std::atomic<int> slots_{0};
  Job job_;
  std::vector<std::thread> workers_;
};

Pool& pool() {
  static Pool* p = new Pool();  // leaked on purpose: detached workers may outlive static destructors
  return *p;
}

}  // namespace

void runChunks(int64_t count, int threads, int64_t grain, ChunkFn fn, void* ctx) {
  pool().run(count, std::max(1, threads), std::max<int64_t>(1, grain), fn, ctx);
}

int defaultThreads() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

}  // namespace ferc
