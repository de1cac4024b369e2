// Philox4x32-10 counter-based random number generator (Salmon, Moraes, Dror & Shaw,
// "Parallel random numbers: as easy as 1, 2, 3", SC'11), and the mapping from an
// element's flat index to its random word that every dropout kernel uses.
//
// This header is shared verbatim by the C++ core and the CUDA kernels (compiled by NVRTC
// through CuPy, or by nvcc in CI), so it includes no standard header and uses only
// fixed-width built-in types.
//
// The reproducibility contract (documented in README.md, fixed forever):
//   key     = (seed mod 2^32, seed div 2^32)                  seed in [0, 2^64)
//   element g = offset + i  (i = flat C-order index in the array)
//   group   G = g / 64,  r = g % 64
//   block   b = 16*G + r % 16         counter = (b mod 2^32, b div 2^32, 0, 0)
//   word    j = r / 16                 the element's random word = philox(counter, key)[j]
//   kept    when word < threshold = floor((1 - p) * 2^32), computed once in Python
//           (fastreg._validation.keep_threshold) so no compiler can contract it into an FMA
// So within a group of 64 elements, element 16*j + l takes word j of block 16*G + l: the
// j-th output of 16 consecutive blocks computed side by side in SIMD lanes covers 16
// consecutive elements, and a group's 64 keep bits form one little-endian 64-bit word.
#ifndef FASTREG_PHILOX_HPP
#define FASTREG_PHILOX_HPP

#if defined(__CUDACC__)
#define FASTREG_HD __host__ __device__ __forceinline__
#else
#define FASTREG_HD inline __attribute__((always_inline))
#endif

namespace fastreg {
namespace philox {

typedef unsigned int u32;
typedef unsigned long long u64;

static_assert(sizeof(u32) == 4 && sizeof(u64) == 8, "philox needs 32- and 64-bit words");

constexpr u32 M0 = 0xD2511F53u;  // multipliers of the two S-boxes
constexpr u32 M1 = 0xCD9E8D57u;
constexpr u32 W0 = 0x9E3779B9u;  // Weyl sequence of the key schedule (golden ratio,
constexpr u32 W1 = 0xBB67AE85u;  // sqrt(3) - 1)
constexpr int ROUNDS = 10;

// Elements per group, and blocks per group (each block yields 4 words).
constexpr int GROUP = 64;
constexpr int LANES = 16;

FASTREG_HD u32 mulhi(u32 a, u32 b) {
#if defined(__CUDA_ARCH__)
    return __umulhi(a, b);
#else
    return (u32)(((u64)a * (u64)b) >> 32);
#endif
}

// One Philox round on a 4-word counter with a 2-word key.
FASTREG_HD void round(u32& c0, u32& c1, u32& c2, u32& c3, u32 k0, u32 k1) {
    const u32 hi0 = mulhi(M0, c0), lo0 = M0 * c0;
    const u32 hi1 = mulhi(M1, c2), lo1 = M1 * c2;
    const u32 n0 = hi1 ^ c1 ^ k0;
    const u32 n2 = hi0 ^ c3 ^ k1;
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
}

// Philox4x32-10 of counter (c0..c3) under key (k0, k1); the result replaces the counter.
FASTREG_HD void philox4x32_10(u32& c0, u32& c1, u32& c2, u32& c3, u32 k0, u32 k1) {
    for (int r = 0; r < ROUNDS; ++r) {
        if (r > 0) {
            k0 += W0;
            k1 += W1;
        }
        round(c0, c1, c2, c3, k0, k1);
    }
}

FASTREG_HD u32 key_lo(u64 seed) { return (u32)seed; }
FASTREG_HD u32 key_hi(u64 seed) { return (u32)(seed >> 32); }

// The block whose output holds element g's word, and which of its 4 words it is.
FASTREG_HD u64 block_of(u64 g) { return (g / GROUP) * LANES + (g % LANES); }
FASTREG_HD int word_of(u64 g) { return (int)((g % GROUP) / LANES); }

// Element g's random word (scalar reference; the kernels compute 16 blocks at a time).
FASTREG_HD u32 word_for_element(u64 seed, u64 g) {
    const u64 b = block_of(g);
    u32 c0 = (u32)b, c1 = (u32)(b >> 32), c2 = 0, c3 = 0;
    philox4x32_10(c0, c1, c2, c3, key_lo(seed), key_hi(seed));
    const int j = word_of(g);
    return j == 0 ? c0 : j == 1 ? c1 : j == 2 ? c2 : c3;
}

}  // namespace philox
}  // namespace fastreg

#endif  // FASTREG_PHILOX_HPP
