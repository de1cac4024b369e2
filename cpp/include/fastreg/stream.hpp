// Non-temporal ("streaming") stores for outputs much larger than the caches.
//
// A normal store first reads the destination line into cache (read-for-ownership), so
// y = f(x) over a large array moves three bytes of memory traffic per output byte where a
// copy with streaming stores (glibc's memcpy for large sizes) moves two. The common big
// cases (contiguous, scalar parameters, on a CPU with AVX2 or AVX-512) store each result
// vector as it is made (stream_simd.hpp); the others compute a tile into a small buffer
// that stays in L1, then stream it out with this. SSE2 is part of every x86-64 CPU, so no
// dispatch is needed here.
#ifndef FASTREG_STREAM_HPP
#define FASTREG_STREAM_HPP

#include "fastreg/common.hpp"

#include <cstring>

#if defined(__x86_64__) || defined(_M_X64)
#include <emmintrin.h>
#define FASTREG_HAVE_STREAM 1
#else
#define FASTREG_HAVE_STREAM 0
#endif

namespace fastreg {

// Outputs of at least this many bytes are streamed (about the size of a last-level cache
// share; below it the output is likely to be read again soon, from cache).
constexpr index_t STREAM_BYTES = index_t(16) << 20;

FASTREG_INLINE bool should_stream(index_t n, index_t itemsize) {
    return FASTREG_HAVE_STREAM && n * itemsize >= STREAM_BYTES;
}

// Copies `bytes` from src (cache-resident) to dst with non-temporal stores where dst is
// 16-byte aligned, ordinary ones for the unaligned head and the tail.
FASTREG_INLINE void stream_copy(void* dst, const void* src, index_t bytes) {
    char* d = static_cast<char*>(dst);
    const char* s = static_cast<const char*>(src);
#if FASTREG_HAVE_STREAM
    const index_t head = std::min<index_t>(bytes, (16 - index_t(reinterpret_cast<std::uintptr_t>(d) % 16)) % 16);
    std::memcpy(d, s, size_t(head));
    index_t k = head;
    for (; k + 16 <= bytes; k += 16)
        _mm_stream_si128(reinterpret_cast<__m128i*>(d + k), _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + k)));
    std::memcpy(d + k, s + k, size_t(bytes - k));
#else
    std::memcpy(d, s, size_t(bytes));
#endif
}

// Makes streamed stores visible to other threads: call once at the end of a thread's work.
FASTREG_INLINE void stream_fence() {
#if FASTREG_HAVE_STREAM
    _mm_sfence();
#endif
}

}  // namespace fastreg

#endif  // FASTREG_STREAM_HPP
