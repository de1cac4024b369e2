"""BGEN 1.2/1.3 files (``.bgen`` and its ``.sample``), read with the ``bgen`` package
(PyPI: a C++ reader with zstd and zlib, layouts 1 and 2, phased and unphased).

BGEN stores genotype probabilities. Each sample's expected count of the variant's second
allele (p(het) + 2 p(hom second), or the two haplotypes' probabilities of it when phased)
is rounded to the nearest integer dosage, 0, 1 or 2 (ties to even, as numpy's rint), and
the dosages are packed into a ``.bed``'s 2-bit codes in memory, a block of variants at a
time, as a ``.pgen``'s are (_pgen.py): the design then is a ``.bed`` design. Samples with
no probabilities (missing) stay missing.
"""

from __future__ import annotations

import os

import numpy as np

from ._info import Info
from ._plink1 import pack_dosages
from ._text import objects, text_lines

# int8 dosages per block before packing
BLOCK_BYTES = 1 << 22


def _bgen_module():
    try:
        from bgen import BgenReader
    except ImportError:
        raise ImportError("Genotypes.from_bgen needs the bgen package: pip install bgen "
                          "(or fastreg's extra: pip install 'fastreg[bgen]')") from None
    return BgenReader


def read_sample_file(path):
    """(FID, IID) pairs of an Oxford .sample file: a header line ``ID_1 ID_2 ...``, a
    line of column types (``0 0 ...``), then one line per sample."""
    ids = []
    for k, line in text_lines(path, ".sample"):
        parts = line.split()
        if k == 1:
            if len(parts) < 2 or parts[0].upper() != "ID_1" or parts[1].upper() != "ID_2":
                raise ValueError(f"{path}, line 1: a .sample file starts with ID_1 ID_2, got "
                                 f"{' '.join(parts[:2])!r}")
            continue
        if k == 2:
            continue  # the column types
        if not parts:
            continue
        if len(parts) < 2:
            raise ValueError(f"{path}, line {k}: {len(parts)} field(s), expected ID_1 ID_2 ...")
        ids.append((parts[0], parts[1]))
    samples = np.empty((len(ids), 2), dtype=object)
    samples[:, 0] = [f for f, _ in ids]
    samples[:, 1] = [i for _, i in ids]
    return samples


def _dosage(var, path, j):
    """The expected count of var's second allele per sample (float, NaN missing)."""
    if len(var.alleles) != 2:
        raise ValueError(f"{path}: variant {j} ({var.rsid or var.varid}) has "
                         f"{len(var.alleles)} alleles; only biallelic variants are read")
    p = var.probabilities
    if p.ndim != 2 or p.shape[1] != (4 if var.is_phased else 3):
        raise ValueError(f"{path}: variant {j} ({var.rsid or var.varid}) is not diploid "
                         "for every sample; only diploid genotypes are read")
    if var.is_phased:
        return p[:, 1] + p[:, 3]
    return p[:, 1] + 2.0 * p[:, 2]


def _open(path, sample):
    """(reader, samples, n, p) of a .bgen and its optional .sample, checked."""
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path}: no such file")
    if sample is not None and not os.path.exists(sample):
        raise FileNotFoundError(f"{sample}: no such file")
    BgenReader = _bgen_module()
    try:
        reader = BgenReader(path, delay_parsing=True)
    except (RuntimeError, ValueError, OSError) as e:
        raise ValueError(f"{path}: not a readable BGEN file ({str(e).strip()})") from None
    try:
        n = int(reader.header.nsamples)
        p = int(reader.header.nvariants)
        if p == 0 or n == 0:
            raise ValueError(f"{path}: no {'variants' if p == 0 else 'samples'}")
        if sample is not None:
            samples = read_sample_file(sample)
            if len(samples) != n:
                raise ValueError(f"{sample}: {len(samples)} samples, but {path} holds {n}")
        elif reader.header.has_sample_ids:
            samples = np.empty((n, 2), dtype=object)
            samples[:, 0] = "0"
            samples[:, 1] = list(reader.samples)
        else:
            raise ValueError(f"{path}: the file has no sample ids; give its .sample file "
                             "(sample=...)")
    except BaseException:
        reader.close()
        raise
    return reader, samples, n, p


def _read(path, sample, store):
    """Reads every variant's dosage (store(j, dosage) keeps it); returns (Info, n, p)."""
    reader, samples, n, p = _open(path, sample)
    try:
        ids, chrom, pos, first, second = [], [], [], [], []
        j = 0
        for var in reader:
            if j >= p:
                raise ValueError(f"{path}: more variants than its header's {p}")
            store(j, _dosage(var, path, j))
            ids.append(var.rsid or var.varid)
            chrom.append(var.chrom)
            pos.append(var.pos)
            first.append(var.alleles[0])
            second.append(var.alleles[1])
            j += 1
        if j != p:
            raise ValueError(f"{path}: {j} variants, but its header says {p} (truncated?)")
    finally:
        reader.close()
    alleles = np.empty((p, 2), dtype=object)
    alleles[:, 0], alleles[:, 1] = second, first  # the counted allele first
    values = dict(variant_ids=objects(ids), chromosomes=objects(chrom),
                  positions=np.array(pos, dtype=np.int64), alleles=alleles,
                  sample_ids=samples, phenotype=None)
    return Info(values), n, p


def _header(path, sample):
    """(n, p) of a .bgen, its .sample checked against it."""
    reader, _, n, p = _open(path, sample)
    reader.close()
    return n, p


def read_bgen(path, sample=None):
    """(packed .bed codes in memory, Info, n_samples, n_variants)."""
    n, p = _header(path, sample)
    stride = (n + 3) // 4
    data = np.empty((p, stride), dtype=np.uint8)
    block = max(1, min(p, BLOCK_BYTES // n))
    buf = np.empty((block, n), dtype=np.int8)

    def store(j, d):
        np.rint(d, out=d)
        d[np.isnan(d)] = -9
        buf[j % block] = d
        if (j + 1) % block == 0 or j + 1 == p:
            j0 = j // block * block
            pack_dosages(buf[: j + 1 - j0], data[j0:j + 1])

    info, n, p = _read(path, sample, store)
    return data.reshape(-1), info, n, p


def read_bgen_dosages(path, sample=None, *, dtype=np.float32):
    """The expected dosages of a BGEN file, unrounded, as a dense (n_samples, n_variants)
    array, with the file's sample and variant annotations.

    :meth:`Genotypes.from_bgen` rounds each dosage to 0, 1 or 2 and keeps the 2-bit codes
    (n_samples / 4 bytes a variant); this keeps the expected count of the variant's
    second allele exactly as the probabilities give it, at 4 bytes a value in float32 (16
    times the codes), for imputed data whose fractional dosages matter. A missing dosage
    reads as the variant's mean over the samples that have one (0 when none has), as
    Genotypes reads a missing call, so the array is a valid X for every estimator.

    Parameters
    ----------
    path : str, bytes or path-like
        The ``.bgen`` file (BGEN 1.2/1.3, read with the ``bgen`` package).
    sample : str, bytes or path-like, optional
        Its Oxford ``.sample`` file; default: the ids stored in the ``.bgen``.
    dtype : {float32, float64}, default=float32

    Returns
    -------
    X : ndarray of shape (n_samples, n_variants), Fortran order
    info : dict
        ``sample_ids`` (n, 2), ``variant_ids``, ``chromosomes``, ``positions`` and
        ``alleles`` (counted allele first), as the Genotypes attributes of that name.
    """
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise TypeError(f"dtype: float32 or float64, got {dtype}")
    n, p = _header(path, sample)
    X = np.empty((n, p), dtype=dtype, order="F")

    def store(j, d):
        missing = np.isnan(d)
        if missing.any():
            d[missing] = d[~missing].mean() if not missing.all() else 0.0
        X[:, j] = d

    info, _, _ = _read(path, sample, store)
    keys = ("sample_ids", "variant_ids", "chromosomes", "positions", "alleles")
    return X, {k: info.get(k) for k in keys}
