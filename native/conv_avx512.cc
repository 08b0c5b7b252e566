// The convolution kernels for AVX-512 F/VL (compiled with -mavx512f -mavx512vl; 8-channel tails use ymm).
#define FERC_WIDE 1
#define FERC_ISA_NAMESPACE avx512
#include "conv_unit.h"
