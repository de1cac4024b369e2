// Small definitions shared by the whole C++ core.
#ifndef FASTREG_COMMON_HPP
#define FASTREG_COMMON_HPP

#include <cstddef>
#include <algorithm>
#include <cstdint>

namespace fastreg {

// Element counts and strides: 64-bit everywhere, arrays beyond 2^31 elements are ordinary.
using index_t = std::int64_t;

}  // namespace fastreg

#if defined(__GNUC__)
#define FASTREG_INLINE inline __attribute__((always_inline))
#define FASTREG_RESTRICT __restrict__
#define FASTREG_PREFETCH(address) __builtin_prefetch(address)
#else
#define FASTREG_INLINE inline
#define FASTREG_RESTRICT
#define FASTREG_PREFETCH(address) ((void)(address))
#endif

// Function multiversioning: the hot loops are compiled for AVX-512, AVX2 and baseline
// x86-64, and the loader picks the best one for the CPU at run time (an ifunc), so one
// binary runs everywhere and still uses wide vectors. Off for native builds (already
// tuned), for sanitizer builds, and off x86.
#if defined(__GNUC__) && !defined(__clang__) && (defined(__x86_64__) || defined(_M_X64)) && \
    !defined(FASTREG_NATIVE) && !defined(__SANITIZE_ADDRESS__)
#define FASTREG_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#define FASTREG_HAVE_CLONES 1
#else
#define FASTREG_CLONES
#define FASTREG_HAVE_CLONES 0
#endif

#endif  // FASTREG_COMMON_HPP
