// CUDA kernels of fastreg's CuPy backend.
//
// Compiled at first use by NVRTC through cupy.RawModule (see __init__.py), with the kernel
// templates named by `name_expressions` (fastreg::gpu::soft_threshold<float>, ...); CI
// compiles this file with nvcc -DFASTREG_INSTANTIATE_ALL (.ci/check_cuda.sh).
//
// Every kernel is a grid-stride loop over 64-bit thread indices that calls a
// __host__ __device__ "body" for one thread index. The bodies hold all the indexing, so
// tests/cuda/host_check.cu can run them on the CPU for every thread index and compare them
// with the scalar reference in philox.hpp, without a GPU.
//
// All arrays are C-contiguous. An optional array is passed as a null pointer (CuPy passes
// numpy.uint64(0)). No standard header is included: NVRTC has none.
#include "fastreg/philox.hpp"

namespace fastreg {
namespace gpu {

using philox::u32;
using philox::u64;
typedef unsigned char u8;

// ---------------------------------------------------------------------------------------
// Proximal operators

// clip(x, -t, t), written so that a NaN x falls through both comparisons and stays NaN.
template <typename T>
FASTREG_HD T clip(T x, T t) {
    return x < -t ? -t : (x > t ? t : x);
}

// y[i] = x[i] - clip(x[i], -t, t); t is t_arr[i] when t_arr is given, else t_scalar.
// x[i] is read once before y[i] is written, so y may be x (in place).
template <typename T>
FASTREG_HD void soft_threshold_at(u64 i, const T* x, const T* t_arr, T t_scalar, T* y) {
    const T xi = x[i];
    const T t = t_arr ? t_arr[i] : t_scalar;
    y[i] = xi - clip(xi, t);
}

// y[i] = (x[i] - clip(x[i], -l1, l1)) / (1 + l2), a true division as on the CPU.
template <typename T>
FASTREG_HD void enet_prox_at(u64 i, const T* x, const T* l1_arr, T l1_scalar, const T* l2_arr,
                             T l2_scalar, T* y) {
    const T xi = x[i];
    const T l1 = l1_arr ? l1_arr[i] : l1_scalar;
    const T l2 = l2_arr ? l2_arr[i] : l2_scalar;
    y[i] = (xi - clip(xi, l1)) / (T(1) + l2);
}

// ---------------------------------------------------------------------------------------
// Dropout (the reproducibility contract is in docs/kernels.md and philox.hpp)

// Sets bits in a 32-bit word shared with other threads. The host check runs threads one
// at a time, so a plain |= is exact there.
FASTREG_HD void or_bits(u32* word, u32 bits) {
#if defined(__CUDA_ARCH__)
    atomicOr(word, bits);
#else
    *word |= bits;
#endif
}

// Number of threads of a dropout launch over global elements [offset, offset + n), n >= 1:
// one per Philox block of every group of 64 elements that the range touches.
// (offset + n - 1 cannot overflow: the caller guarantees offset + n <= 2^64.)
FASTREG_HD u64 dropout_threads(u64 n, u64 offset) {
    return ((offset + (n - 1)) / philox::GROUP - offset / philox::GROUP + 1) * philox::LANES;
}

// Thread t computes Philox block b = 16 G + l (group G = offset/64 + t/16, lane l = t%16)
// once; its word j is the random word of global element g = 64 G + 16 j + l, so one
// Philox call serves 4 elements. Elements outside [offset, offset + n) are skipped. For
// each element i = g - offset it writes, when the pointer is given:
//   y[i]    = kept ? x[i] * scale : 0  (a select: a dropped NaN or inf gives exactly 0)
//   mask[i] = kept                     (bool as one byte 0/1)
//   bit i of packed (as 32-bit words)  (zeroed beforehand; only kept bits are OR-ed in)
// Bit i of the words is bit i % 8 of byte i / 8 because the GPU is little-endian, which is
// NumPy's packbits(bitorder='little') layout. Words are shared by neighbouring threads,
// hence the atomic OR.
template <typename T>
FASTREG_HD void dropout_at(u64 t, u64 n, u64 seed, u64 offset, u64 threshold, T scale,
                           const T* x, T* y, u8* mask, u32* packed) {
    const u64 G = offset / philox::GROUP + t / philox::LANES;
    const u64 l = t % philox::LANES;
    const u64 b = G * philox::LANES + l;
    u32 w[4] = {(u32)b, (u32)(b >> 32), 0u, 0u};
    philox::philox4x32_10(w[0], w[1], w[2], w[3], philox::key_lo(seed), philox::key_hi(seed));
#if defined(__CUDA_ARCH__)
#pragma unroll
#endif
    for (int j = 0; j < 4; ++j) {
        const u64 g = G * philox::GROUP + (u64)j * philox::LANES + l;  // <= 2^64 - 1
        if (g < offset || g - offset >= n) continue;
        const u64 i = g - offset;
        // threshold is in [0, 2^32]: 2^32 keeps every word, 0 none.
        const bool kept = (u64)w[j] < threshold;
        if (y) y[i] = kept ? x[i] * scale : T(0);
        if (mask) mask[i] = kept ? 1 : 0;
        if (packed && kept) or_bits(packed + i / 32, 1u << (i % 32));
    }
}

// Backward with a stored mask: y[i] = kept ? g[i] * scale : 0, where kept is mask[i] != 0
// (bool mask) or bit i % 8 of mask[i / 8] (packed, bitorder little). Same select as the
// forward pass, so a dropped element's gradient is exactly 0.
template <typename T>
FASTREG_HD void masked_scale_at(u64 i, const T* grad, const u8* mask, bool packed, T scale,
                                T* y) {
    const bool kept = packed ? ((mask[i / 8] >> (i % 8)) & 1) != 0 : mask[i] != 0;
    y[i] = kept ? grad[i] * scale : T(0);
}

// ---------------------------------------------------------------------------------------
// Kernels: grid-stride loops over the bodies above

#define FASTREG_GRID_STRIDE(t, count)                                       \
    for (u64 t = (u64)blockIdx.x * blockDim.x + threadIdx.x; t < (count); \
         t += (u64)blockDim.x * gridDim.x)

template <typename T>
__global__ void soft_threshold(const T* x, const T* t_arr, T t_scalar, T* y, u64 n) {
    FASTREG_GRID_STRIDE(i, n) { soft_threshold_at(i, x, t_arr, t_scalar, y); }
}

template <typename T>
__global__ void enet_prox(const T* x, const T* l1_arr, T l1_scalar, const T* l2_arr,
                          T l2_scalar, T* y, u64 n) {
    FASTREG_GRID_STRIDE(i, n) { enet_prox_at(i, x, l1_arr, l1_scalar, l2_arr, l2_scalar, y); }
}

// Forward pass, and also the backward pass that regenerates the mask (x = grad).
template <typename T>
__global__ void dropout(const T* x, T* y, u8* mask, u32* packed, u64 n, u64 seed, u64 offset,
                        u64 threshold, T scale) {
    const u64 count = dropout_threads(n, offset);
    FASTREG_GRID_STRIDE(t, count) {
        dropout_at(t, n, seed, offset, threshold, scale, x, y, mask, packed);
    }
}

// The mask alone. A template like the others (T is unused), so that every kernel is named
// the same way in name_expressions; the Python side launches the float instance.
template <typename T>
__global__ void dropout_mask(u8* mask, u32* packed, u64 n, u64 seed, u64 offset,
                             u64 threshold) {
    const u64 count = dropout_threads(n, offset);
    FASTREG_GRID_STRIDE(t, count) {
        dropout_at<T>(t, n, seed, offset, threshold, T(1), nullptr, nullptr, mask, packed);
    }
}

// Backward pass with a stored mask (packed != 0: the packed uint8 layout).
template <typename T>
__global__ void dropout_backward(const T* grad, const u8* mask, int packed, T scale, T* y,
                                 u64 n) {
    FASTREG_GRID_STRIDE(i, n) { masked_scale_at(i, grad, mask, packed != 0, scale, y); }
}

#undef FASTREG_GRID_STRIDE

#ifdef FASTREG_INSTANTIATE_ALL
// For nvcc compile checks; at run time NVRTC instantiates what name_expressions names.
#define FASTREG_INSTANTIATE(T)                                                              \
    template __global__ void soft_threshold<T>(const T*, const T*, T, T*, u64);             \
    template __global__ void enet_prox<T>(const T*, const T*, T, const T*, T, T*, u64);     \
    template __global__ void dropout<T>(const T*, T*, u8*, u32*, u64, u64, u64, u64, T);    \
    template __global__ void dropout_mask<T>(u8*, u32*, u64, u64, u64, u64);                \
    template __global__ void dropout_backward<T>(const T*, const u8*, int, T, T*, u64);
FASTREG_INSTANTIATE(float)
FASTREG_INSTANTIATE(double)
#undef FASTREG_INSTANTIATE
#endif

}  // namespace gpu
}  // namespace fastreg
