// The compiled entry points of the elementwise kernels (defined in cpp/src, instantiated
// for float and double). Callers describe their arrays with an NdLayout; the functions
// split the work over threads and never touch Python.
#ifndef FASTREG_KERNELS_HPP
#define FASTREG_KERNELS_HPP

#include "fastreg/common.hpp"
#include "fastreg/nditer.hpp"

#include <cstdint>

namespace fastreg {

// Operands, in this order: x, y (output), threshold. Scalars are operands with all-zero
// strides.
template <class T>
void soft_threshold(const NdLayout<3>& layout, const T* x, T* y, const T* t);

// Operands: x, y, l1, l2.
template <class T>
void enet_prox(const NdLayout<4>& layout, const T* x, T* y, const T* l1, const T* l2);

// Where the keep decisions of a dropout come from.
struct DropoutMaskSource {
    // Regenerated from Philox: word(offset + i) < threshold, threshold in [0, 2^32].
    std::uint64_t seed = 0, offset = 0, threshold = 0;
    // Or read from a bool mask (an operand of the layout) or packed bits (C-order flat
    // index, bitorder little), when non-null.
    const std::uint8_t* mask = nullptr;
    const std::uint8_t* packed = nullptr;
};

// What a dropout call writes; null pointers are skipped.
struct DropoutOutputs {
    std::uint8_t* mask = nullptr;    // one byte per element (an operand of the layout)
    std::uint8_t* packed = nullptr;  // bits, C-order flat index; must arrive zeroed
};

// Operands: x (or grad), y, bool mask (input or output; all-zero strides if none).
// y[i] = keep(i) ? x[i] * scale : 0, for every element, in C order of the layout.
// x and y may be null when only masks are wanted.
template <class T>
void dropout(const NdLayout<3>& layout, const T* x, T* y, T scale,
             const DropoutMaskSource& source, const DropoutOutputs& outputs);

// The sizes (elements) below which the kernels run on the calling thread alone: one for
// the loops bound by memory bandwidth (soft_threshold, enet_prox, dropout with a given
// mask), one for those bound by Philox. Their defaults are measured (bench/README.md,
// "Kernels: where threads start to pay"); the benchmark that measures them sets them.
struct KernelSerialBelow {
    index_t bandwidth, compute;
};
KernelSerialBelow kernel_serial_below();
// Values below 64 are raised to 64.
void set_kernel_serial_below(index_t bandwidth, index_t compute);

// Philox4x32-10 of one counter (for the known-answer tests).
void philox4x32_10(std::uint32_t counter[4], const std::uint32_t key[2]);

// Which instruction set the multiversioned kernels run with on this CPU.
const char* simd_variant();

}  // namespace fastreg

#endif  // FASTREG_KERNELS_HPP
