// The convolution kernels for AVX2/FMA (compiled with -mavx2 -mfma).
#define FERC_ISA_NAMESPACE avx2
#include "conv_unit.h"
