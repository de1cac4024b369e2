// Philox4x32-10 for whole groups of 64 elements, written three times: AVX-512 (16 blocks
// in one register), AVX2 (two registers of 8) and portable scalar code. Compilers do not
// vectorize the 32x32->64-bit multiplies of the scalar form well (they widen everything
// to 64-bit lanes), so the wide versions spell out the even/odd-lane multiplies. The
// result is the same in all three, bit for bit (tests compare them with a reference).
#include "fastreg/dropout.hpp"

#include <string>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define FASTREG_X86_SIMD 1
#endif

namespace fastreg {
namespace dropout_detail {

namespace {

// The key of each of the 10 rounds.
struct KeySchedule {
    u32 k0[philox::ROUNDS], k1[philox::ROUNDS];
    explicit KeySchedule(u64 seed) {
        u32 a = philox::key_lo(seed), b = philox::key_hi(seed);
        for (int r = 0; r < philox::ROUNDS; ++r) {
            k0[r] = a;
            k1[r] = b;
            a += philox::W0;
            b += philox::W1;
        }
    }
};

void philox_groups_scalar(u64 seed, u64 G0, index_t ngroups, u32* w) {
    philox_groups(seed, G0, ngroups, w);
}

#if FASTREG_X86_SIMD

// ---- AVX-512: 8 blocks per register, one per 64-bit lane. ----
// Each counter word sits in the low half of a 64-bit lane, so _mm512_mul_epu32 gives the
// full 64-bit product directly: hi = product >> 32, lo = the product's low half. The high
// halves of lo words (and of words XOR-ed with them) hold garbage, which never matters:
// the multiply reads only low halves, and the output keeps only low halves. That is 6
// instructions per round for 8 blocks, against 8 for the 16-lane form with blends.
__attribute__((target("avx512f"))) inline void philox8x64(__m512i& c0, __m512i& c1, __m512i& c2,
                                                          __m512i& c3, const KeySchedule& ks) {
    const __m512i M0 = _mm512_set1_epi64(philox::M0), M1 = _mm512_set1_epi64(philox::M1);
    for (int r = 0; r < philox::ROUNDS; ++r) {
        const __m512i p0 = _mm512_mul_epu32(c0, M0);
        const __m512i p1 = _mm512_mul_epu32(c2, M1);
        // 0x96 = a ^ b ^ c
        c0 = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p1, 32), c1, _mm512_set1_epi64(ks.k0[r]), 0x96);
        c2 = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p0, 32), c3, _mm512_set1_epi64(ks.k1[r]), 0x96);
        c1 = p1;
        c3 = p0;
    }
}

// Sixteen blocks of one group as two registers of eight (counter words 0 and 1 set, 2 and
// 3 zero).
__attribute__((target("avx512f"))) inline void group_counters(u64 G, __m512i (&a)[4], __m512i (&b)[4]) {
    // Blocks 16*G .. 16*G + 15 never cross a multiple of 2^32 (16 divides it), so the high
    // counter word is the same in every lane.
    const __m512i lane = _mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7);
    const u64 b0 = G * LANES;
    const __m512i hi = _mm512_set1_epi64(b0 >> 32);
    a[0] = _mm512_add_epi64(_mm512_set1_epi64(u32(b0)), lane);      // blocks 0-7
    b[0] = _mm512_add_epi64(_mm512_set1_epi64(u32(b0) + 8), lane);  // blocks 8-15
    a[1] = b[1] = hi;
    a[2] = a[3] = b[2] = b[3] = _mm512_setzero_si512();
}

__attribute__((target("avx512f"))) inline void store_group(u32* out, const __m512i (&a)[4], const __m512i (&b)[4]) {
    for (int j = 0; j < 4; ++j) {  // low halves, blocks in order: word j of 16 blocks
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + j * LANES), _mm512_cvtepi64_epi32(a[j]));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + j * LANES + 8), _mm512_cvtepi64_epi32(b[j]));
    }
}

__attribute__((target("avx512f"))) void philox_groups_avx512(u64 seed, u64 G0, index_t ngroups,
                                                              u32* w) {
    const KeySchedule ks(seed);
    index_t q = 0;
    // Two groups at a time: four independent chains of rounds hide the multiplies'
    // latency, which two chains leave exposed.
    for (; q + 2 <= ngroups; q += 2) {
        __m512i a[4], b[4], c[4], d[4];
        group_counters(G0 + u64(q), a, b);
        group_counters(G0 + u64(q) + 1, c, d);
        const __m512i M0 = _mm512_set1_epi64(philox::M0), M1 = _mm512_set1_epi64(philox::M1);
        for (int r = 0; r < philox::ROUNDS; ++r) {
            const __m512i k0 = _mm512_set1_epi64(ks.k0[r]), k1 = _mm512_set1_epi64(ks.k1[r]);
            __m512i* chains[4] = {a, b, c, d};
#pragma GCC unroll 4
            for (int k = 0; k < 4; ++k) {
                __m512i* v = chains[k];
                const __m512i p0 = _mm512_mul_epu32(v[0], M0);
                const __m512i p1 = _mm512_mul_epu32(v[2], M1);
                v[0] = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p1, 32), v[1], k0, 0x96);
                v[2] = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p0, 32), v[3], k1, 0x96);
                v[1] = p1;
                v[3] = p0;
            }
        }
        store_group(w + q * GROUP, a, b);
        store_group(w + (q + 1) * GROUP, c, d);
    }
    for (; q < ngroups; ++q) {
        __m512i a[4], b[4];
        group_counters(G0 + u64(q), a, b);
        philox8x64(a[0], a[1], a[2], a[3], ks);
        philox8x64(b[0], b[1], b[2], b[3], ks);
        store_group(w + q * GROUP, a, b);
    }
}

// ---- AVX2: lanes 0-7 in one register, 8-15 in another. ----
__attribute__((target("avx2"))) inline void mulhilo8(__m256i m, __m256i c, __m256i& hi, __m256i& lo) {
    const __m256i even = _mm256_mul_epu32(c, m);
    const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(c, 32), m);
    hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
    lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
}

__attribute__((target("avx2"))) inline void philox8(__m256i& c0, __m256i& c1, __m256i& c2,
                                                    __m256i& c3, const KeySchedule& ks) {
    const __m256i M0 = _mm256_set1_epi32(int(philox::M0)), M1 = _mm256_set1_epi32(int(philox::M1));
    for (int r = 0; r < philox::ROUNDS; ++r) {
        __m256i hi0, lo0, hi1, lo1;
        mulhilo8(M0, c0, hi0, lo0);
        mulhilo8(M1, c2, hi1, lo1);
        c0 = _mm256_xor_si256(_mm256_xor_si256(hi1, c1), _mm256_set1_epi32(int(ks.k0[r])));
        c2 = _mm256_xor_si256(_mm256_xor_si256(hi0, c3), _mm256_set1_epi32(int(ks.k1[r])));
        c1 = lo1;
        c3 = lo0;
    }
}

__attribute__((target("avx2"))) void philox_groups_avx2(u64 seed, u64 G0, index_t ngroups, u32* w) {
    const KeySchedule ks(seed);
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    for (index_t q = 0; q < ngroups; ++q) {
        const u64 b0 = (G0 + u64(q)) * LANES;
        const __m256i hi = _mm256_set1_epi32(int(u32(b0 >> 32)));
        __m256i a0 = _mm256_add_epi32(_mm256_set1_epi32(int(u32(b0))), lane);
        __m256i b0v = _mm256_add_epi32(_mm256_set1_epi32(int(u32(b0) + 8)), lane);
        __m256i a1 = hi, b1 = hi;
        __m256i a2 = _mm256_setzero_si256(), a3 = a2, b2 = a2, b3 = a2;
        philox8(a0, a1, a2, a3, ks);
        philox8(b0v, b1, b2, b3, ks);
        u32* out = w + q * GROUP;
        const __m256i* words_a[4] = {&a0, &a1, &a2, &a3};
        const __m256i* words_b[4] = {&b0v, &b1, &b2, &b3};
        for (int j = 0; j < 4; ++j) {
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + j * LANES), *words_a[j]);
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + j * LANES + 8), *words_b[j]);
        }
    }
}

#endif  // FASTREG_X86_SIMD

}  // namespace

PhiloxGroupsFn best_philox_groups() {
#if FASTREG_X86_SIMD
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return philox_groups_avx512;
    if (__builtin_cpu_supports("avx2")) return philox_groups_avx2;
#endif
    return philox_groups_scalar;
}

PhiloxGroupsFn philox_groups_variant(const char* name) {
    const std::string n = name;
#if FASTREG_X86_SIMD
    __builtin_cpu_init();
    if (n == "avx512") return __builtin_cpu_supports("avx512f") ? philox_groups_avx512 : nullptr;
    if (n == "avx2") return __builtin_cpu_supports("avx2") ? philox_groups_avx2 : nullptr;
#endif
    if (n == "scalar") return philox_groups_scalar;
    return nullptr;
}

}  // namespace dropout_detail
}  // namespace fastreg
