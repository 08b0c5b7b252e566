// Shared, ISA-independent parts of the convolution kernels: padded copies and the filter
// transpose. The vector code lives in conv_kernels.h, compiled once per ISA.
#pragma once

#include <cstdint>
#include <vector>

#include "conv.h"

namespace ferc {

// A view of an NHWC tensor with zero borders applied: `hp` rows of `wp` pixels per image.
struct Padded {
  const float* data;
  int hp, wp;
  int top, left;  // rows/columns of zeros before the tensor's first row/column
};

// The forward input with the convolution's own padding (rows/columns the convolution reads,
// starting at -padTop / -padLeft); x itself when no padding is needed.
Padded padInput(const ConvShape& s, const float* x, int threads);

// dy with enough zero rows/columns around it that every tap of the input gradient reads inside.
Padded padOutputGrad(const ConvShape& s, const float* dy, int threads);

// f[kh][kw][c][o] → [kh][kw][o][c] (the input gradient reduces over o and stores along c).
const float* transposeFilter(const ConvShape& s, const float* f);

inline int floorDiv(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

}  // namespace ferc
