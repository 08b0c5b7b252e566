// Dynamic work sharing for the native kernels. Work is cut into chunks that threads claim from an
// atomic counter, so when a core is busy with another process (CI machines are shared) the other
// threads take over its share instead of the whole call waiting on the slowest thread.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace ferc {

// fn(begin, end, thread) over [0, count) in chunks of `grain`; thread indexes are < threads.
template <typename F>
void parallelChunks(int64_t count, int threads, int64_t grain, F fn) {
  grain = std::max<int64_t>(1, grain);
  const int64_t chunks = (count + grain - 1) / grain;
  threads = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads, chunks)));
  std::atomic<int64_t> next{0};
  auto worker = [&](int t) {
    for (int64_t k; (k = next.fetch_add(1, std::memory_order_relaxed)) < chunks;) {
      fn(k * grain, std::min(count, (k + 1) * grain), t);
    }
  };
  if (threads == 1) {
    worker(0);
    return;
  }
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; t++) pool.emplace_back(worker, t);
  worker(0);
  for (auto& th : pool) th.join();
}

}  // namespace ferc
