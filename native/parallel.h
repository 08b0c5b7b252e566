// Work sharing for the native kernels, on a persistent pool of worker threads (spawning threads
// per call cost ~20-50 us each, hundreds of times per training step).
//
// Two shapes of work, and why they are kept apart:
// - parallelChunks: independent outputs (each element written by exactly one chunk). Chunks are
//   claimed dynamically from an atomic counter, so a core busy with another process does not stall
//   the call; results do not depend on which thread ran which chunk.
// - reductions: callers cut the reduced axis into a fixed partition (independent of the thread
//   count), compute one partial per part with parallelChunks, and add the partials in part order.
//   That makes every sum bit-identical run to run and for any thread count.
#pragma once

#include <algorithm>
#include <cstdint>

namespace ferc {

// Type-erased job: fn(ctx, begin, end) over [0, count) in chunks of `grain`.
using ChunkFn = void (*)(void* ctx, int64_t begin, int64_t end);

// Runs the chunks on up to `threads` threads (the caller's plus pool workers). Blocks until done.
void runChunks(int64_t count, int threads, int64_t grain, ChunkFn fn, void* ctx);

template <typename F>
void parallelChunks(int64_t count, int threads, int64_t grain, F fn) {
  grain = std::max<int64_t>(1, grain);
  if (count <= 0) return;
  auto call = [](void* ctx, int64_t b, int64_t e) { (*static_cast<F*>(ctx))(b, e); };
  runChunks(count, threads, grain, call, &fn);
}

// Threads to use when the caller passes 0: the machine's hardware concurrency.
int defaultThreads();

}  // namespace ferc
