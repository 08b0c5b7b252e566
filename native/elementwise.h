// Elementwise float32 passes over large tensors, shared out over the thread pool (the stock wasm
// kernels run on one thread; these ops are memory-bound passes over whole activations). NaN
// propagates as in tfjs' cpu kernels, so the trainer's NaN guard still sees a diverged loss.
#pragma once

#include <cstdint>

namespace ferc {

enum class Elementwise { Add = 0, Multiply = 1, Relu = 2, Step = 3 };

// out = a + b | a * b | relu(a) | step(a) (1 where a > 0, NaN where a is NaN, else 0); b unused
// for the unary ops.
void elementwise(Elementwise op, int64_t n, const float* a, const float* b, float* out, int threads);

}  // namespace ferc
