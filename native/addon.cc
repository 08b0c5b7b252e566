// N-API entry points. Tensors arrive as Float32Array views (typically on the wasm backend's heap,
// so kernels read and write tfjs memory in place); shapes arrive as one Int32Array.
#include <node_api.h>

#include <algorithm>
#include <thread>

#include "batchnorm.h"
#include "conv.h"
#include "dropout.h"
#include "elementwise.h"
#include "pool.h"

namespace {

#define CHECK(call)                                                  \
  do {                                                               \
    if ((call) != napi_ok) {                                         \
      napi_throw_error(env, nullptr, "ferc_native: N-API call failed"); \
      return nullptr;                                                \
    }                                                                \
  } while (0)

bool floatData(napi_env env, napi_value v, float** data, size_t* length) {
  napi_typedarray_type type;
  void* ptr;
  napi_value buf;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, length, &ptr, &buf, &offset) != napi_ok) return false;
  if (type != napi_float32_array) return false;
  *data = static_cast<float*>(ptr);
  return true;
}

// The ints of an Int32Array argument of exactly `count` elements; throws a TypeError saying `what`
// and returns null otherwise.
const int* ints(napi_env env, napi_value v, size_t count, const char* what) {
  napi_typedarray_type type;
  size_t n;
  void* p;
  napi_value buf;
  size_t off;
  if (napi_get_typedarray_info(env, v, &type, &n, &p, &buf, &off) != napi_ok || type != napi_int32_array || n != count) {
    napi_throw_type_error(env, nullptr, what);
    return nullptr;
  }
  return static_cast<const int*>(p);
}

int resolveThreads(int t) { return t > 0 ? t : std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

// conv2d(x, filter, out, shape) / conv2dFilterGrad(x, dy, dw, shape), where shape is an
// Int32Array [n, h, w, c, fh, fw, o, oh, ow, sh, sw, padTop, padLeft, threads].
//
// conv2d also takes optional (bias: Float32Array | null, relu: boolean) for a fused epilogue.
void forwardKernel(const ferc::ConvShape& s, const float* x, const float* f, float* out, int threads,
                   const ferc::Epilogue& ep) {
  ferc::conv2dForward(s, x, f, out, threads, ep);
}
void filterGradKernel(const ferc::ConvShape& s, const float* x, const float* dy, float* dw, int threads,
                      const ferc::Epilogue&) {
  ferc::conv2dFilterGrad(s, x, dy, dw, threads);
}
// conv2dInputGrad(dy, filter, dx, shape): shape describes the forward convolution (dx is its input).
void inputGradKernel(const ferc::ConvShape& s, const float* dy, const float* f, float* dx, int threads,
                     const ferc::Epilogue&) {
  ferc::conv2dInputGrad(s, dy, f, dx, threads);
}

// Which channel count the kernel vectorises over: output channels, or input channels (dx).
enum class Vectorised { Out, In };

template <void (*Kernel)(const ferc::ConvShape&, const float*, const float*, float*, int, const ferc::Epilogue&),
          Vectorised vec = Vectorised::Out>
napi_value convCall(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  ferc::Epilogue ep;
  if (argc >= 5) {
    napi_valuetype t;
    CHECK(napi_typeof(env, argv[4], &t));
    if (t != napi_null && t != napi_undefined) {
      float* bias;
      size_t lb;
      if (!floatData(env, argv[4], &bias, &lb)) {
        napi_throw_type_error(env, nullptr, "bias must be a Float32Array or null");
        return nullptr;
      }
      ep.bias = bias;
    }
  }
  if (argc >= 6) {
    bool relu = false;
    CHECK(napi_get_value_bool(env, argv[5], &relu));
    ep.relu = relu;
  }
  if (argc < 4) {
    napi_throw_type_error(env, nullptr, "expected (a, b, out, shape)");
    return nullptr;
  }
  float *a, *b, *out;
  size_t la, lb, lo;
  if (!floatData(env, argv[0], &a, &la) || !floatData(env, argv[1], &b, &lb) || !floatData(env, argv[2], &out, &lo)) {
    napi_throw_type_error(env, nullptr, "a, b and out must be Float32Arrays");
    return nullptr;
  }
  const int* v = ints(env, argv[3], 14, "shape must be an Int32Array of 14");
  if (v == nullptr) return nullptr;
  ferc::ConvShape s{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]};
  if (s.o <= 0 || s.c <= 0 || (vec == Vectorised::Out ? s.o : s.c) % 8 != 0) {
    napi_throw_range_error(env, nullptr, vec == Vectorised::Out ? "output channels must be a positive multiple of 8"
                                                                 : "input channels must be a positive multiple of 8");
    return nullptr;
  }
  Kernel(s, a, b, out, resolveThreads(v[13]), ep);
  return nullptr;
}


// Reads argv[first..first+count) as Float32Arrays; throws and returns false otherwise.
bool floats(napi_env env, napi_value* argv, int first, int count, float** out) {
  for (int i = 0; i < count; i++) {
    size_t len;
    if (!floatData(env, argv[first + i], &out[i], &len)) {
      napi_throw_type_error(env, nullptr, "expected Float32Array arguments");
      return false;
    }
  }
  return true;
}

// (m, c, threads) from an Int32Array and eps from a number.
bool dims(napi_env env, napi_value arr, napi_value epsv, int* m, int* c, int* threads, float* eps) {
  const int* v = ints(env, arr, 3, "expected Int32Array [m, c, threads] and eps");
  double e;
  if (v == nullptr) return false;
  if (napi_get_value_double(env, epsv, &e) != napi_ok) {
    napi_throw_type_error(env, nullptr, "expected Int32Array [m, c, threads] and eps");
    return false;
  }
  *m = v[0];
  *c = v[1];
  *threads = resolveThreads(v[2]);
  *eps = static_cast<float>(e);
  return true;
}

// batchNormForward(x, gamma, beta, y, mean, variance, [m, c, threads], eps)
napi_value bnForward(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  float* f[6];
  int m, c, threads;
  float eps;
  if (argc != 8 || !floats(env, argv, 0, 6, f) || !dims(env, argv[6], argv[7], &m, &c, &threads, &eps)) return nullptr;
  ferc::batchNormForward(m, c, f[0], f[1], f[2], eps, f[3], f[4], f[5], threads);
  return nullptr;
}

// batchNormBackward(x, dy, gamma, mean, variance, dx, dgamma, dbeta, [m, c, threads], eps)
napi_value bnBackward(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  float* f[8];
  int m, c, threads;
  float eps;
  if (argc != 10 || !floats(env, argv, 0, 8, f) || !dims(env, argv[8], argv[9], &m, &c, &threads, &eps)) return nullptr;
  ferc::batchNormBackward(m, c, f[0], f[1], f[2], f[3], f[4], eps, f[5], f[6], f[7], threads);
  return nullptr;
}

// maxPoolGrad(x, dy, dx, Int32Array [n, h, w, c, oh, ow, fh, fw, sh, sw, padTop, padLeft, threads])
napi_value poolGrad(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  float* f[3];
  if (argc != 4 || !floats(env, argv, 0, 3, f)) return nullptr;
  const int* v = ints(env, argv[3], 13, "shape must be an Int32Array of 13");
  if (v == nullptr) return nullptr;
  ferc::PoolShape s{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]};
  ferc::maxPoolGrad(s, f[0], f[1], f[2], resolveThreads(v[12]));
  return nullptr;
}

// elementwise(a, b, out, Int32Array [op, n, threads]): op 0 add, 1 multiply, 2 relu, 3 step.
napi_value elementwiseCall(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  float* f[3];
  if (argc != 4 || !floats(env, argv, 0, 3, f)) return nullptr;
  const int* v = ints(env, argv[3], 3, "dims must be an Int32Array [op, n, threads]");
  if (v == nullptr) return nullptr;
  if (v[0] < 0 || v[0] > 3) {
    napi_throw_range_error(env, nullptr, "unknown elementwise op");
    return nullptr;
  }
  ferc::elementwise(static_cast<ferc::Elementwise>(v[0]), v[1], f[0], f[1], f[2], resolveThreads(v[2]));
  return nullptr;
}

// maxPool(x, y, Int32Array [n, h, w, c, oh, ow, fh, fw, sh, sw, padTop, padLeft, threads]) → false
// (nothing written) unless the windows tile the input (ferc::maxPoolTiled).
napi_value poolForward(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  float* f[2];
  if (argc != 3 || !floats(env, argv, 0, 2, f)) return nullptr;
  const int* v = ints(env, argv[2], 13, "shape must be an Int32Array of 13");
  if (v == nullptr) return nullptr;
  ferc::PoolShape s{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]};
  const bool tiled = ferc::maxPoolTiled(s);
  if (tiled) ferc::maxPool(s, f[0], f[1], resolveThreads(v[12]));
  napi_value out;
  CHECK(napi_get_boolean(env, tiled, &out));
  return out;
}

// reluBiasGrad(dy, y, dz, dbias, Int32Array [rows, channels, threads])
napi_value reluBiasGradCall(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  float* f[4];
  if (argc != 5 || !floats(env, argv, 0, 4, f)) return nullptr;
  const int* v = ints(env, argv[4], 3, "dims must be an Int32Array [rows, channels, threads]");
  if (v == nullptr) return nullptr;
  ferc::reluBiasGrad(v[0], v[1], f[0], f[1], f[2], f[3], resolveThreads(v[2]));
  return nullptr;
}

// channelAffine(x, scale, shift, y, Int32Array [rows, channels, threads])
napi_value channelAffineCall(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  float* f[4];
  if (argc != 5 || !floats(env, argv, 0, 4, f)) return nullptr;
  const int* v = ints(env, argv[4], 3, "dims must be an Int32Array [rows, channels, threads]");
  if (v == nullptr) return nullptr;
  ferc::channelAffine(v[0], v[1], f[0], f[1], f[2], f[3], resolveThreads(v[2]));
  return nullptr;
}

// dropout(x, y, Int32Array [n, seed (uint32 bits), threads], rate): y = x * mask / (1 - rate).
napi_value dropoutCall(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  float* f[2];
  if (argc != 4 || !floats(env, argv, 0, 2, f)) return nullptr;
  const int* v = ints(env, argv[2], 3, "dims must be an Int32Array [n, seed, threads]");
  if (v == nullptr) return nullptr;
  double rate;
  if (napi_get_value_double(env, argv[3], &rate) != napi_ok) {
    napi_throw_type_error(env, nullptr, "rate must be a number");
    return nullptr;
  }
  const float r = static_cast<float>(rate);
  ferc::dropout(v[0], f[0], f[1], static_cast<uint32_t>(v[1]), r, 1.0f / (1.0f - r), resolveThreads(v[2]));
  return nullptr;
}

// isa() → "AVX-512" | "AVX2": the convolution kernels this CPU runs.
napi_value isaCall(napi_env env, napi_callback_info) {
  napi_value out;
  CHECK(napi_create_string_utf8(env, ferc::isaName(), NAPI_AUTO_LENGTH, &out));
  return out;
}

// defaultThreads() → the thread count used when a call passes 0.
napi_value defaultThreadsCall(napi_env env, napi_callback_info) {
  napi_value out;
  CHECK(napi_create_int32(env, resolveThreads(0), &out));
  return out;
}

napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"conv2d", nullptr, convCall<forwardKernel>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dFilterGrad", nullptr, convCall<filterGradKernel>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dInputGrad", nullptr, convCall<inputGradKernel, Vectorised::In>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"dropout", nullptr, dropoutCall, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"isa", nullptr, isaCall, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"defaultThreads", nullptr, defaultThreadsCall, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reluBiasGrad", nullptr, reluBiasGradCall, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNormForward", nullptr, bnForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNormBackward", nullptr, bnBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"elementwise", nullptr, elementwiseCall, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPool", nullptr, poolForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolGrad", nullptr, poolGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"channelAffine", nullptr, channelAffineCall, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  CHECK(napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props));
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
