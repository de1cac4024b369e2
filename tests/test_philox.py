"""Philox4x32-10 known answers and the dropout-mask reproducibility contract.

The reference (tests/philox_reference.py) is an independent NumPy implementation of the
published algorithm and of the element -> word mapping in docs/kernels.md.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import fastreg
import fastreg._core as _core
import philox_reference as ref

# Random123 kat_vectors, philox4x32 with 10 rounds: (counter, key, expected output).
KAT = [
    ((0x00000000, 0x00000000, 0x00000000, 0x00000000), (0x00000000, 0x00000000),
     (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF), (0xFFFFFFFF, 0xFFFFFFFF),
     (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    ((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0),
     (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1)),
]
KAT_IDS = ["zeros", "ones", "pi"]


@pytest.mark.parametrize("ctr, key, expected", KAT, ids=KAT_IDS)
def test_core_philox_known_answers(ctr, key, expected):
    got = _core.philox4x32_10(ctr, key)
    assert tuple(int(w) for w in got) == expected
    assert len(tuple(got)) == 4


@pytest.mark.parametrize("ctr, key, expected", KAT, ids=KAT_IDS)
def test_reference_philox_known_answers(ctr, key, expected):
    assert ref.philox4x32_10(ctr, key) == expected


def test_reference_philox_vectorized_matches_scalar():
    ctr = [np.array([c[i] for c, _, _ in KAT], dtype=np.uint64) for i in range(4)]
    key = [np.array([k[i] for _, k, _ in KAT], dtype=np.uint64) for i in range(2)]
    out = np.stack(ref.philox4x32(ctr, key), axis=1)
    assert out.tolist() == [list(e) for _, _, e in KAT]


def test_core_philox_matches_reference_on_random_inputs():
    rng = np.random.default_rng(1)
    n = 300
    ctr = rng.integers(0, 2**32, size=(4, n), dtype=np.uint64)
    key = rng.integers(0, 2**32, size=(2, n), dtype=np.uint64)
    expected = np.stack(ref.philox4x32(tuple(ctr), tuple(key)), axis=1)
    got = np.array([
        [int(w) for w in _core.philox4x32_10(tuple(int(c) for c in ctr[:, i]),
                                              tuple(int(k) for k in key[:, i]))]
        for i in range(n)
    ], dtype=np.uint64)
    np.testing.assert_array_equal(got, expected)


def test_reference_mapping_matches_element_by_element_definition():
    # the grouped (64 at a time) reference equals the per-element definition
    for seed in (0, 7, 2**32 + 3, 2**64 - 1):
        for offset in (0, 1, 63, 64, 1000, 2**34 - 37, 2**40 - 5):
            n = 200
            g = np.arange(n, dtype=np.uint64) + np.uint64(offset)
            np.testing.assert_array_equal(ref.words(n, seed, offset),
                                          ref.words_for_elements(g, seed))


def _core_word(seed, g):
    """The contract's word for element g, via fastreg's own Philox test hook."""
    G, r = divmod(g, 64)
    block = 16 * G + r % 16
    out = _core.philox4x32_10((block % 2**32, block // 2**32, 0, 0),
                              (seed % 2**32, seed // 2**32))
    return int(tuple(out)[r // 16])


@pytest.mark.parametrize("seed", [0, 12345, 2**32 - 1, 2**32, 2**63 + 11, 2**64 - 1])
def test_single_element_masks_follow_contract_through_core_hook(seed):
    # For single elements at global indices g, compare dropout_mask against the contract
    # evaluated with the C++ Philox hook, choosing p so the threshold sits right at the
    # element's word (kept iff word < threshold).
    for g in (0, 1, 15, 16, 17, 31, 47, 48, 63, 64, 65, 1023, 2**32 + 5, 2**34 + 61,
              2**40 + 33, 2**63 + 17):
        w = _core_word(seed, g)
        for thr_target, kept in ((w, False), (w + 1, True)):
            if thr_target in (0, 2**32):
                continue
            p = 1.0 - thr_target / 2.0**32  # exact in double arithmetic
            assert ref.keep_threshold(p) == thr_target
            m = fastreg.dropout_mask((1,), p, seed=seed, offset=g)
            assert m.dtype == np.bool_
            assert bool(m[0]) is kept, (seed, g, w, thr_target)


def test_threshold_boundary_on_many_elements():
    # p chosen so that floor((1-p)*2**32) equals words of the stream: an element whose
    # word equals the threshold is dropped, one below it is kept
    seed, offset, n = 99, 2**40 - 7, 4096
    w = ref.words(n, seed, offset)
    for thr in np.unique(w)[::512]:
        thr = int(thr)
        p = 1.0 - thr / 2.0**32
        assert ref.keep_threshold(p) == thr
        got = fastreg.dropout_mask(n, p, seed=seed, offset=offset)
        expected = w < np.uint64(thr)
        np.testing.assert_array_equal(got, expected)
        assert not got[w == np.uint64(thr)].any()


SHAPES = [(), (0,), (1,), (7,), (15,), (16,), (63,), (64,), (65,), (129,), (1000,),
          (3, 5, 7), (2, 0, 3), (128, 129), (4, 1, 33, 2)]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("p", [0.0, 0.1, 0.5, 0.7311, 1.0])
def test_dropout_mask_matches_reference_shapes(shape, p):
    seed = 2**32 + 2**20 + 1  # high key word matters
    got = fastreg.dropout_mask(shape, p, seed=seed)
    assert isinstance(got, np.ndarray)
    assert got.dtype == np.bool_
    assert got.shape == shape
    np.testing.assert_array_equal(got, ref.mask(shape, p, seed))


SEEDS = [0, 1, 2**31, 2**32 - 1, 2**32, 2**32 + 1, 2**40 + 12345, 2**63, 2**64 - 1]
OFFSETS = [0, 1, 5, 7, 8, 13, 16, 31, 63, 64, 65, 100, 1000003, 2**32 - 5, 2**34 - 37,
           2**40 - 3, 2**40, 2**40 + 17, 2**62 + 9]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("offset", OFFSETS)
def test_dropout_mask_matches_reference_seeds_offsets(seed, offset):
    n = 333
    p = 0.37
    got = fastreg.dropout_mask((n,), p, seed=seed, offset=offset)
    np.testing.assert_array_equal(got, ref.mask((n,), p, seed, offset))
    packed = fastreg.dropout_mask((n,), p, seed=seed, offset=offset, packed=True)
    np.testing.assert_array_equal(packed, ref.packed_mask((n,), p, seed, offset))


def test_seeds_differing_only_in_high_word_give_different_masks():
    a = fastreg.dropout_mask(4096, 0.5, seed=5)
    b = fastreg.dropout_mask(4096, 0.5, seed=5 + 2**32)
    c = fastreg.dropout_mask(4096, 0.5, seed=5 + 2**63)
    assert not np.array_equal(a, b)
    assert not np.array_equal(a, c)
    np.testing.assert_array_equal(b, ref.mask(4096, 0.5, 5 + 2**32))
    np.testing.assert_array_equal(c, ref.mask(4096, 0.5, 5 + 2**63))


@pytest.mark.parametrize("offset", [0, 2**40 - 29])
def test_dropout_mask_matches_reference_large_parallel(offset):
    n = 2**20 + 77  # large enough to run on several threads
    seed = 2**33 + 17
    got = fastreg.dropout_mask((n,), 0.25, seed=seed, offset=offset)
    np.testing.assert_array_equal(got, ref.mask((n,), 0.25, seed, offset))


def test_offset_up_to_end_of_counter_space():
    n = 100
    offset = 2**64 - n  # offset + size == 2**64 is allowed
    got = fastreg.dropout_mask((n,), 0.5, seed=3, offset=offset)
    np.testing.assert_array_equal(got, ref.mask((n,), 0.5, 3, offset))
    with pytest.raises(ValueError, match="offset"):
        fastreg.dropout_mask((n,), 0.5, seed=3, offset=offset + 1)


@pytest.mark.parametrize("p", [2.0**-33, 1e-10, 1e-300, 5e-324, 1 - 2.0**-32, 1 - 1e-12,
                               0.1, 1 / 3, 0.9])
def test_extreme_p_threshold_in_double(p):
    seed, n = 7, 5000
    got = fastreg.dropout_mask((n,), p, seed=seed)
    np.testing.assert_array_equal(got, ref.mask((n,), p, seed))


def test_numpy_scalar_p_uses_its_double_value():
    p32 = np.float32(0.1)  # 0.100000001490116...
    assert ref.keep_threshold(p32) != ref.keep_threshold(0.1)
    seed, n = 2024, 2**16
    got = fastreg.dropout_mask((n,), p32, seed=seed)
    np.testing.assert_array_equal(got, ref.mask((n,), float(p32), seed))


def test_numpy_integer_seed_and_offset_accepted():
    seed, offset = 2**64 - 2, 2**40 + 3
    a = fastreg.dropout_mask(500, 0.3, seed=np.uint64(seed), offset=np.int64(offset))
    np.testing.assert_array_equal(a, ref.mask(500, 0.3, seed, offset))


def test_int_shape_same_as_tuple():
    a = fastreg.dropout_mask(77, 0.4, seed=1)
    b = fastreg.dropout_mask((77,), 0.4, seed=1)
    assert a.shape == (77,)
    np.testing.assert_array_equal(a, b)


def test_distinct_seeds_give_distinct_masks():
    masks = {fastreg.dropout_mask(256, 0.5, seed=s).tobytes() for s in range(20)}
    assert len(masks) == 20


try:
    from hypothesis import given
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover
    given = None

if given is not None:

    @given(
        n=st.integers(0, 700),
        seed=st.integers(0, 2**64 - 1),
        offset=st.one_of(st.integers(0, 5000), st.integers(0, 2**63)),
        p=st.floats(0.0, 1.0),
        packed=st.booleans(),
    )
    def test_dropout_mask_matches_reference_property(n, seed, offset, p, packed):
        got = fastreg.dropout_mask((n,), p, seed=seed, offset=offset, packed=packed)
        if packed:
            assert got.dtype == np.uint8 and got.shape == (math.ceil(n / 8),)
            np.testing.assert_array_equal(got, ref.packed_mask((n,), p, seed, offset))
        else:
            np.testing.assert_array_equal(got, ref.mask((n,), p, seed, offset))


@pytest.mark.parametrize("variant", ["scalar", "avx2", "avx512"])
@pytest.mark.parametrize("seed, first_group", [(0, 0), (2**40 + 7, 2**26 - 3), (2**64 - 1, 2**58 - 5)],
                         ids=["zero", "crosses-2^32-blocks", "top"])
def test_every_philox_variant_matches_reference(variant, seed, first_group):
    """Each instruction-set variant of the group generator (the one in use depends on the
    CPU) gives the reference words, including where the block counter's high word
    changes between groups."""
    ngroups = 5
    try:
        got = _core.philox_groups(seed, first_group, ngroups, variant)
    except ValueError:
        pytest.skip(f"{variant} not available on this CPU")
    expected = ref.words(ngroups * 64, seed, offset=first_group * 64)
    np.testing.assert_array_equal(got, expected)
