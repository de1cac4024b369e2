"""PLINK 1 binary files: ``.bed`` (2-bit genotype codes, variant-major), ``.bim``
(variants), ``.fam`` (samples).

A ``.bed`` is memory-mapped, not read (see _source.py). The codes count copies of A1,
the ``.bim`` file's 5th column: 00 two copies, 10 one, 11 none, 01 missing, four samples a
byte from the low bits, each variant padded to whole bytes.
"""

from __future__ import annotations

import os

import numpy as np

from ._info import Info
from ._source import MappedFile
from ._text import integers, objects, read_columns

BED_MAGIC = b"\x6c\x1b"
BED_VARIANT_MAJOR = 0x01
BED_SAMPLE_MAJOR = 0x00

FAM_WHAT = ".fam (FID IID father mother sex phenotype)"
BIM_WHAT = ".bim (chromosome id cM position A1 A2)"


def path_prefix(prefix, ext, argument="prefix"):
    """`prefix` (str, bytes or path-like) as str, without a trailing `ext`."""
    try:
        prefix = os.fsdecode(prefix)
    except TypeError:
        raise TypeError(f"{argument}: expected a path (str, bytes or os.PathLike), got "
                        f"{type(prefix).__name__}") from None
    return prefix[: -len(ext)] if prefix.endswith(ext) else prefix


def read_fam(fam):
    """(FID, IID) as an (n, 2) object array and the phenotype column's tokens."""
    (fid, iid, pheno), _ = read_columns(fam, (0, 1, 5), 6, FAM_WHAT)
    if not fid:
        raise ValueError(f"{fam}: no samples")
    samples = np.empty((len(fid), 2), dtype=object)
    samples[:, 0], samples[:, 1] = fid, iid
    return samples, objects(pheno)


def read_bim(bim):
    """The variants: dict of variant_ids, chromosomes, positions, alleles (A1, A2)."""
    (chrom, vid, pos, a1, a2), _ = read_columns(bim, (0, 1, 3, 4, 5), 6, BIM_WHAT)
    if not vid:
        raise ValueError(f"{bim}: no variants")
    positions = integers(pos, bim, "position")
    del pos
    alleles = np.empty((len(vid), 2), dtype=object)
    alleles[:, 0], alleles[:, 1] = a1, a2
    return dict(variant_ids=objects(vid), chromosomes=objects(chrom), positions=positions,
                alleles=alleles)


def read_info(bim, fam):
    """Every annotation of a PLINK 1 fileset, as Info's FIELDS."""
    values = read_bim(bim)
    values["sample_ids"], values["phenotype"] = read_fam(fam)
    return values


def open_bed(prefix):
    """(MappedFile of the .bed, Info, n_samples, n_variants) of PLINK 1 files `prefix`.*"""
    prefix = path_prefix(prefix, ".bed")
    bed, bim, fam = prefix + ".bed", prefix + ".bim", prefix + ".fam"
    for f in (bed, bim, fam):
        if not os.path.exists(f):
            raise FileNotFoundError(f"{f}: no such file (PLINK 1 needs .bed, .bim and .fam)")
    values = read_info(bim, fam)
    n, p = len(values["sample_ids"]), len(values["variant_ids"])
    stride = (n + 3) // 4
    check_bed_file(bed, n, p, stride, bim, fam)
    info = Info(values, loader=(read_info, (bim, fam)), files=(bim, fam))
    source = MappedFile(bed, "bed", opener="Genotypes.from_bed", nbytes=p * stride)
    return source, info, n, p


def check_bed_file(bed, n, p, stride, bim, fam):
    """ValueError unless `bed` is a variant-major PLINK 1 .bed of exactly n x p codes."""
    size = os.path.getsize(bed)
    with open(bed, "rb") as f:
        head = f.read(3)
    if len(head) < 3 or head[:2] != BED_MAGIC:
        raise ValueError(f"{bed}: not a PLINK 1 .bed file (the first bytes are "
                         f"{head[:3].hex(' ') or 'missing'}, expected 6c 1b 01)")
    if head[2] == BED_SAMPLE_MAJOR:
        raise ValueError(f"{bed}: sample-major .bed (mode byte 00); only variant-major (01) is "
                         "supported: convert it with plink --make-bed")
    if head[2] != BED_VARIANT_MAJOR:
        raise ValueError(f"{bed}: unknown .bed mode byte {head[2]:02x} (expected 01, "
                         "variant-major)")
    expected = 3 + p * stride
    if size == expected:
        return
    body = size - 3
    msg = (f"{bed}: {size} bytes, expected {expected} = 3 + {p} variants ({bim}) x "
           f"{stride} bytes ({n} samples in {fam}, 4 per byte)")
    if size < expected:
        whole = body // stride
        msg += (f"; the file is truncated or the counts disagree: it holds {whole} whole "
                f"variant(s), variant {whole} (0-based, {bim} line {whole + 1}) is incomplete"
                if body % stride else
                f"; it holds {whole} variant(s) of {n} samples: {bim} lists {p}")
    else:
        msg += "; the file is longer than the .bim/.fam counts say"
        if body % stride == 0:
            msg += f" (it holds {body // stride} variant(s) of {n} samples: {bim} lists {p})"
    if body > 0 and body % p == 0 and body // p != stride:
        per = body // p
        msg += (f". The size fits {p} variants of {per} bytes, i.e. {4 * per - 3} to {4 * per} "
                f"samples: is {fam} ({n} samples) the .fam of this .bed?")
    raise ValueError(msg)


# dosage (copies of A1; int8, negative missing) -> 2-bit .bed code, indexed by the byte
_CODE_OF = np.full(256, 0b01, dtype=np.uint8)
_CODE_OF[0], _CODE_OF[1], _CODE_OF[2] = 0b11, 0b10, 0b00


def pack_dosages(d, out):
    """Pack int8 dosages d (variants x samples; 0, 1, 2, negative missing) into `out`
    (variants x ceil(n / 4) uint8) as .bed codes, the padding bits 0 as PLINK writes."""
    k, n = d.shape
    stride = out.shape[1]
    codes = np.zeros((k, 4 * stride), dtype=np.uint8)
    codes[:, :n] = _CODE_OF[d.view(np.uint8)]
    # four samples' codes, one a byte, read as one little-endian word and gathered into
    # its low byte: a few word operations instead of four strided passes
    x = codes.view("<u4")
    w = x & 0x3
    w |= (x >> 6) & 0xC
    w |= (x >> 12) & 0x30
    w |= (x >> 18) & 0xC0
    out[...] = w
