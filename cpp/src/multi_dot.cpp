// The kernel of a shared pass (fastreg/cd/shared_passes.hpp): a few columns of X against
// many residuals at once. Per row, each column's value is broadcast against a block of 16
// vectors (contiguous in E), so that one load of E serves up to eight columns and the
// accumulators stay in registers. Partial sums run over chunks of rows in T and are added
// up in double, so float32 keeps its accuracy over long columns.
//
// The kernel is bound by its multiply-adds, not by reading X: this file alone is compiled
// with FP contraction (CMakeLists.txt), so that the clones with FMA fuse them (1,000 x
// 20,000 against 25 vectors on one core: 35 ms with four columns a call and no FMA, 23 ms
// with eight and FMA). Each product is still summed in one fixed order, so a pass gives the
// same result on any number of threads; only a CPU without FMA rounds it differently.
#include "fastreg/cd/shared_passes.hpp"

// 64-byte vectors pass between functions only inside this file, always inlined: the ABI
// note GCC gives for them where AVX-512 is off (the baseline and sanitizer builds) does
// not concern any call that exists.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace fastreg::cd::kernels {

namespace {

constexpr index_t BLOCK = 16;   // vectors per block: ld is a multiple of it
constexpr index_t CHUNK = 128;  // rows summed in T before joining the double totals

// 64 bytes of T: one AVX-512 register (GCC's vector extension; the clones below compile it
// for each instruction set, two or four registers on narrower ones). The accumulators are
// named vectors so that they stay in registers: as plain arrays the compiler spilled them.
typedef float VecF __attribute__((vector_size(64)));
typedef double VecD __attribute__((vector_size(64)));
template <class T>
struct VecOf;
template <>
struct VecOf<float> {
    using type = VecF;
};
template <>
struct VecOf<double> {
    using type = VecD;
};
template <class T>
using Vec = typename VecOf<T>::type;

template <class T>
FASTREG_INLINE Vec<T> load(const T* p) {  // unaligned
    Vec<T> v;
    __builtin_memcpy(&v, p, sizeof(v));
    return v;
}

// NC columns against the vectors t0 .. t0 + NV * L of E (NV * L <= BLOCK)
template <int NC, int NV, class T>
FASTREG_INLINE void multi_dot_block(const T* const* cols, index_t n, const T* E, index_t ld,
                                    index_t m, index_t t0, double* out) {
    using V = Vec<T>;
    constexpr index_t L = index_t(sizeof(V) / sizeof(T));  // lanes per vector
    {
        double total[NC][BLOCK] = {};
        for (index_t i0 = 0; i0 < n; i0 += CHUNK) {
            const index_t i1 = std::min(n, i0 + CHUNK);
            V acc[NC][NV];
            for (int c = 0; c < NC; ++c)
                for (int u = 0; u < NV; ++u) acc[c][u] = V{};
            for (index_t i = i0; i < i1; ++i) {
                const T* e = E + i * ld + t0;
                V ev[NV];
                for (int u = 0; u < NV; ++u) ev[u] = load(e + u * L);
                for (int c = 0; c < NC; ++c) {
                    const T x = cols[c][i];
                    for (int u = 0; u < NV; ++u) acc[c][u] += x * ev[u];
                }
            }
            for (int c = 0; c < NC; ++c)
                for (int u = 0; u < NV; ++u)
                    for (index_t l = 0; l < L; ++l) total[c][u * L + l] += double(acc[c][u][l]);
        }
        const index_t nb = std::min(NV * L, m - t0);
        for (int c = 0; c < NC; ++c)
            for (index_t b = 0; b < nb; ++b) out[c * m + t0 + b] = total[c][b];
    }
}

template <int NC, class T>
FASTREG_INLINE void multi_dot_nc(const T* const* cols, index_t n, const T* E, index_t ld,
                                 index_t m, double* out) {
    constexpr index_t L = index_t(sizeof(Vec<T>) / sizeof(T));
    constexpr int NV = int(BLOCK / L);  // vectors per block
    for (index_t t0 = 0; t0 < m; t0 += BLOCK) {
        if (NV > 1 && m - t0 <= L)  // a last block of at most one vector: half the work
            multi_dot_block<NC, 1>(cols, n, E, ld, m, t0, out);
        else
            multi_dot_block<NC, NV>(cols, n, E, ld, m, t0, out);
    }
}

template <class T>
FASTREG_INLINE void multi_dot_cols(const T* const* cols, int nc, index_t n, const T* E,
                                   index_t ld, index_t m, double* out) {
    switch (nc) {
        case 8: multi_dot_nc<8>(cols, n, E, ld, m, out); break;
        case 7: multi_dot_nc<7>(cols, n, E, ld, m, out); break;
        case 6: multi_dot_nc<6>(cols, n, E, ld, m, out); break;
        case 5: multi_dot_nc<5>(cols, n, E, ld, m, out); break;
        case 4: multi_dot_nc<4>(cols, n, E, ld, m, out); break;
        case 3: multi_dot_nc<3>(cols, n, E, ld, m, out); break;
        case 2: multi_dot_nc<2>(cols, n, E, ld, m, out); break;
        default: multi_dot_nc<1>(cols, n, E, ld, m, out); break;
    }
}

template <class T>
FASTREG_INLINE void multi_dot_impl(const T* const* cols, int nc, index_t n, const T* E,
                                   index_t ld, index_t m, double* out) {
    // Eight columns need 16 registers of accumulators: with AVX-512's 32 registers they
    // fit; with AVX2's 16 (a 64-byte vector is two of them) they would spill: four at once.
    if (nc > 4 && !__builtin_cpu_supports("avx512f")) {
        multi_dot_cols(cols, 4, n, E, ld, m, out);
        multi_dot_cols(cols + 4, nc - 4, n, E, ld, m, out + 4 * m);
        return;
    }
    multi_dot_cols(cols, nc, n, E, ld, m, out);
}

}  // namespace

FASTREG_CLONES void multi_dot(const float* const* cols, int nc, index_t n, const float* E,
                              index_t ld, index_t m, double* out) {
    multi_dot_impl(cols, nc, n, E, ld, m, out);
}

FASTREG_CLONES void multi_dot(const double* const* cols, int nc, index_t n, const double* E,
                              index_t ld, index_t m, double* out) {
    multi_dot_impl(cols, nc, n, E, ld, m, out);
}

}  // namespace fastreg::cd::kernels
