// Host-side check of the CuPy kernels' indexing (no GPU needed).
//
// Runs the per-thread bodies of python/fastreg/_gpu/kernels.cu on the CPU for every
// thread index of a launch, as the grid-stride loops would, and compares what they write
// with independent references: the scalar fastreg::philox::word_for_element for dropout,
// closed forms for the proximal operators. Output arrays sit between guard zones filled
// with a sentinel, and are themselves pre-filled with it, so an element written out of
// range, or never written, is caught.
//
// Built and run by .ci/check_cuda.sh:
//   nvcc -std=c++14 -I cpp/include -I python/fastreg/_gpu tests/cuda/host_check.cu
// Prints "N passed, M failed" and exits 1 on any failure.
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <limits>
#include <vector>

#include "kernels.cu"

namespace ph = fastreg::philox;
using fastreg::gpu::u32;
using fastreg::gpu::u64;
using fastreg::gpu::u8;

static int n_passed = 0, n_failed = 0;

// Records one check; prints the first failures in detail.
static void check(bool ok, const char* fmt, ...) {
    if (ok) {
        ++n_passed;
        return;
    }
    if (++n_failed <= 20) {
        std::va_list args;
        va_start(args, fmt);
        std::fputs("FAIL: ", stdout);
        std::vprintf(fmt, args);
        std::fputs("\n", stdout);
        va_end(args);
    }
}

// Equal as values, any NaN equal to any NaN (+0 == -0).
template <typename T>
static bool same_value(T a, T b) {
    return a == b || (std::isnan(a) && std::isnan(b));
}

// Bitwise equal, any NaN equal to any NaN (the dropout outputs are exact).
template <typename T>
static bool same_bits(T a, T b) {
    return std::memcmp(&a, &b, sizeof(T)) == 0 || (std::isnan(a) && std::isnan(b));
}

// An output array of n elements between two guard zones, all filled with a sentinel.
template <typename T>
struct Guarded {
    static const size_t PAD = 64;
    std::vector<T> buf;
    T sentinel;
    Guarded(size_t n, T s) : buf(n + 2 * PAD, s), sentinel(s) {}
    T* data() { return buf.data() + PAD; }
    bool guards_intact() const {
        for (size_t k = 0; k < PAD; ++k)
            if (std::memcmp(&buf[k], &sentinel, sizeof(T)) != 0 ||
                std::memcmp(&buf[buf.size() - 1 - k], &sentinel, sizeof(T)) != 0)
                return false;
        return true;
    }
};

// Inputs with NaN, +-inf and signed zeros among ordinary values.
template <typename T>
static std::vector<T> make_input(u64 n) {
    std::vector<T> x(n);
    for (u64 i = 0; i < n; ++i) {
        if (i % 7 == 3)
            x[i] = std::numeric_limits<T>::quiet_NaN();
        else if (i % 11 == 5)
            x[i] = (i % 2 ? -1 : 1) * std::numeric_limits<T>::infinity();
        else if (i % 13 == 6)
            x[i] = (i % 2 ? T(-0.0) : T(0.0));
        else
            x[i] = T(0.37) * T((long long)(i % 101) - 50);
    }
    return x;
}

// ---------------------------------------------------------------------------------------
// Philox known-answer tests (Random123's kat_vectors for philox4x32_10)

static void check_philox_kat() {
    struct Kat {
        u32 in[4], key[2], out[4];
    };
    const Kat kats[] = {
        {{0, 0, 0, 0}, {0, 0}, {0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}},
        {{0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu},
         {0xffffffffu, 0xffffffffu},
         {0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}},
        {{0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u},
         {0xa4093822u, 0x299f31d0u},
         {0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}},
    };
    for (const Kat& k : kats) {
        u32 c[4] = {k.in[0], k.in[1], k.in[2], k.in[3]};
        ph::philox4x32_10(c[0], c[1], c[2], c[3], k.key[0], k.key[1]);
        check(c[0] == k.out[0] && c[1] == k.out[1] && c[2] == k.out[2] && c[3] == k.out[3],
              "philox4x32_10 known answer for counter %08x...", k.in[0]);
    }
}

// ---------------------------------------------------------------------------------------
// Proximal operators

// sign(x) * max(|x| - t, 0), with inf - inf = NaN as documented.
template <typename T>
static T soft_ref(T x, T t) {
    if (std::isnan(x) || (std::isinf(x) && std::isinf(t)))
        return std::numeric_limits<T>::quiet_NaN();
    if (std::fabs(x) <= t) return T(0);
    return x > 0 ? x - t : x + t;
}

template <typename T>
static void check_prox(const char* tname) {
    const u64 n = 300;
    const std::vector<T> x = make_input<T>(n);
    std::vector<T> t_arr(n), l2_arr(n);
    for (u64 i = 0; i < n; ++i) {
        t_arr[i] = i % 17 == 0 ? std::numeric_limits<T>::infinity() : T(0.25) * T(i % 9);
        l2_arr[i] = T(0.5) * T(i % 5);
    }
    const T scalars[] = {T(0), T(1.5), std::numeric_limits<T>::infinity()};

    for (int use_arr = 0; use_arr < 2; ++use_arr) {
        for (T ts : scalars) {
            Guarded<T> y(n, T(-12345));
            const T* ta = use_arr ? t_arr.data() : nullptr;
            for (u64 i = 0; i < n; ++i) fastreg::gpu::soft_threshold_at(i, x.data(), ta, ts, y.data());
            bool ok = y.guards_intact();
            for (u64 i = 0; i < n && ok; ++i)
                ok = same_value(y.data()[i], soft_ref(x[i], use_arr ? t_arr[i] : ts));
            check(ok, "soft_threshold<%s> t=%s %g", tname, use_arr ? "array" : "scalar", double(ts));

            // In place (y is x).
            std::vector<T> z = x;
            for (u64 i = 0; i < n; ++i) fastreg::gpu::soft_threshold_at(i, z.data(), ta, ts, z.data());
            ok = true;
            for (u64 i = 0; i < n && ok; ++i)
                ok = same_value(z[i], soft_ref(x[i], use_arr ? t_arr[i] : ts));
            check(ok, "soft_threshold<%s> in place", tname);

            for (int l2_use_arr = 0; l2_use_arr < 2; ++l2_use_arr) {
                const T l2s = T(0.75);
                const T* l2a = l2_use_arr ? l2_arr.data() : nullptr;
                Guarded<T> e(n, T(-12345));
                for (u64 i = 0; i < n; ++i)
                    fastreg::gpu::enet_prox_at(i, x.data(), ta, ts, l2a, l2s, e.data());
                ok = e.guards_intact();
                for (u64 i = 0; i < n && ok; ++i) {
                    const T l2 = l2_use_arr ? l2_arr[i] : l2s;
                    ok = same_value(e.data()[i], soft_ref(x[i], use_arr ? t_arr[i] : ts) / (T(1) + l2));
                }
                check(ok, "enet_prox<%s> l1=%s l2=%s", tname, use_arr ? "array" : "scalar",
                      l2_use_arr ? "array" : "scalar");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Dropout

struct Case {
    u64 n, offset, seed;
    double p;
};

template <typename T>
static void check_dropout_case(const Case& c, const char* tname) {
    const u64 n = c.n, offset = c.offset, seed = c.seed;
    // As in Python: threshold = floor((1 - p) * 2^32), scale = dtype(1 / (1 - p)).
    const u64 threshold = (u64)std::floor((1.0 - c.p) * 4294967296.0);
    const T scale = c.p < 1 ? T(1.0 / (1.0 - c.p)) : T(0);
    const u64 n_bytes = (n + 7) / 8, n_words = (n + 31) / 32;
    const std::vector<T> x = make_input<T>(n);

    // Reference mask from the scalar definition.
    std::vector<u8> ref(n);
    for (u64 i = 0; i < n; ++i) ref[i] = (u64)ph::word_for_element(seed, offset + i) < threshold;

    // Forward pass writing all three outputs, one "thread" at a time.
    const u64 threads = fastreg::gpu::dropout_threads(n, offset);
    Guarded<T> y(n, T(-12345));
    Guarded<u8> mask(n, 0xAB);
    Guarded<u32> packed(n_words, 0u);  // zeroed, as the Python side does
    for (u64 t = 0; t < threads; ++t)
        fastreg::gpu::dropout_at<T>(t, n, seed, offset, threshold, scale, x.data(), y.data(),
                                    mask.data(), packed.data());

    char what[160];
    std::snprintf(what, sizeof what, "<%s> n=%llu offset=%llu seed=%llx p=%g", tname,
                  (unsigned long long)n, (unsigned long long)offset, (unsigned long long)seed,
                  c.p);

    // Each thread's block holds at least one element of the range (no idle threads).
    check(threads == ((offset + n - 1) / 64 - offset / 64 + 1) * 16, "thread count %s", what);

    bool ok = mask.guards_intact();
    for (u64 i = 0; i < n && ok; ++i) ok = mask.data()[i] == ref[i];
    check(ok, "dropout bool mask %s", what);

    ok = y.guards_intact();
    for (u64 i = 0; i < n && ok; ++i)
        ok = same_bits(y.data()[i], ref[i] ? T(x[i] * scale) : T(0));
    check(ok, "dropout output %s", what);

    // Packed bits vs the bool mask (little-endian words read as bytes), padding bits 0.
    const u8* bytes = reinterpret_cast<const u8*>(packed.data());
    ok = packed.guards_intact();
    for (u64 i = 0; i < 8 * n_bytes && ok; ++i) {
        const int bit = (bytes[i / 8] >> (i % 8)) & 1;
        ok = bit == (i < n ? ref[i] : 0);
    }
    for (u64 k = n_bytes; k < 4 * n_words && ok; ++k) ok = bytes[k] == 0;
    check(ok, "dropout packed mask %s", what);

    // Mask only (as the dropout_mask kernel calls it): same bits.
    Guarded<u8> mask2(n, 0xAB);
    Guarded<u32> packed2(n_words, 0u);
    for (u64 t = 0; t < threads; ++t)
        fastreg::gpu::dropout_at<T>(t, n, seed, offset, threshold, T(1), nullptr, nullptr,
                                    mask2.data(), packed2.data());
    check(mask2.guards_intact() && packed2.guards_intact() && mask2.buf == mask.buf &&
              packed2.buf == packed.buf,
          "dropout_mask %s", what);

    // In place (y is x) gives the same output.
    std::vector<T> z = x;
    for (u64 t = 0; t < threads; ++t)
        fastreg::gpu::dropout_at<T>(t, n, seed, offset, threshold, scale, z.data(), z.data(),
                                    nullptr, nullptr);
    ok = true;
    for (u64 i = 0; i < n && ok; ++i) ok = same_bits(z[i], y.data()[i]);
    check(ok, "dropout in place %s", what);

    // Backward from the bool mask, from the packed mask, and regenerated (grad = x).
    const std::vector<T>& grad = x;
    Guarded<T> gb(n, T(-12345)), gp(n, T(-12345)), gr(n, T(-12345));
    for (u64 i = 0; i < n; ++i) {
        fastreg::gpu::masked_scale_at(i, grad.data(), mask.data(), false, scale, gb.data());
        fastreg::gpu::masked_scale_at(i, grad.data(), bytes, true, scale, gp.data());
    }
    for (u64 t = 0; t < threads; ++t)
        fastreg::gpu::dropout_at<T>(t, n, seed, offset, threshold, scale, grad.data(), gr.data(),
                                    nullptr, nullptr);
    bool ok_b = gb.guards_intact(), ok_p = gp.guards_intact(), ok_r = gr.guards_intact();
    for (u64 i = 0; i < n; ++i) {
        const T want = ref[i] ? T(grad[i] * scale) : T(0);
        ok_b = ok_b && same_bits(gb.data()[i], want);
        ok_p = ok_p && same_bits(gp.data()[i], want);
        ok_r = ok_r && same_bits(gr.data()[i], want);
    }
    check(ok_b, "dropout_backward bool mask %s", what);
    check(ok_p, "dropout_backward packed mask %s", what);
    check(ok_r, "dropout_backward regenerated %s", what);
}

// Chunked processing reproduces the whole stream (the documented offset property).
static void check_chunks() {
    const u64 n = 1000, seed = 42;
    const u64 threshold = (u64)std::floor(0.7 * 4294967296.0);
    std::vector<u8> whole(n), chunked(n);
    for (u64 t = 0; t < fastreg::gpu::dropout_threads(n, 0); ++t)
        fastreg::gpu::dropout_at<float>(t, n, seed, 0, threshold, 1.f, nullptr, nullptr,
                                        whole.data(), nullptr);
    const u64 cuts[] = {0, 1, 63, 64, 200, 517, 999, 1000};
    for (size_t k = 0; k + 1 < sizeof cuts / sizeof cuts[0]; ++k) {
        const u64 off = cuts[k], len = cuts[k + 1] - cuts[k];
        for (u64 t = 0; t < fastreg::gpu::dropout_threads(len, off); ++t)
            fastreg::gpu::dropout_at<float>(t, len, seed, off, threshold, 1.f, nullptr, nullptr,
                                            chunked.data() + off, nullptr);
    }
    check(whole == chunked, "dropout chunks reproduce the whole mask");
}

int main() {
    check_philox_kat();
    check_prox<float>("float");
    check_prox<double>("double");

    const u64 max = ~0ull;
    const u64 ranges[][2] = {
        // {n, offset}: group-aligned and not, tiny, straddling groups, the 2^32 block
        // boundary (blocks >= 2^32 use the counter's second word: g >= 2^34), the top of
        // the 64-bit index space.
        {1, 0},     {1, 63},         {7, 5},         {16, 48},       {64, 0},
        {65, 0},    {100, 37},       {129, 63},      {1000, 12345},  {300, (1ull << 34) - 150},
        {100, max - 99}, {64, max - 63}, {33, max - 32}, {1, max},
    };
    const u64 seeds[] = {0, 1, 0x0123456789abcdefull, max};
    const double ps[] = {0.0, 1.0, 0.5, 0.1, 0.9};
    for (const auto& r : ranges)
        for (u64 seed : seeds)
            for (double p : ps) {
                const Case c = {r[0], r[1], seed, p};
                check_dropout_case<float>(c, "float");
                check_dropout_case<double>(c, "double");
            }
    check_chunks();

    std::printf("%d passed, %d failed\n", n_passed, n_failed);
    return n_failed == 0 ? 0 : 1;
}
