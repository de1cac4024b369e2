"""Several PLINK 1 filesets read as one design: one ``.bed`` per chromosome, as PLINK
datasets usually come, given as a list of prefixes or a pattern ``data/chr{1:22}``.

The design's variants are the files' in the order given, concatenated; each ``.bed`` is
mapped on its own (_source.MappedFiles) and the core reads a table of column starts over
the maps, so nothing is copied or merged. The ``.fam`` files must list the same samples,
line for line (the rows of the design are shared); the first that differs is named.
"""

from __future__ import annotations

import itertools
import os
import re

import numpy as np

from ._info import Info
from ._plink1 import FAM_WHAT, check_bed_file, path_prefix, read_bim, read_fam
from ._source import MappedFile, MappedFiles
from ._text import read_columns

FAM_COLUMNS = ("FID", "IID", "father", "mother", "sex", "phenotype")

# a brace group with a range (1:22) or a list (1:22,X): one part of a pattern
_GROUP = re.compile(r"\{([^{}]*[:,][^{}]*)\}")


def is_pattern(prefix):
    """Whether the str `prefix` holds a brace group such as ``{1:22}`` or ``{1:22,X}``."""
    return isinstance(prefix, str) and _GROUP.search(prefix) is not None


def expand_pattern(pattern):
    """The prefixes of a pattern: ``chr{1:22}`` is chr1 ... chr22 (ends included; a start
    written with leading zeros, ``{01:22}``, pads to its width), ``chr{1:3,X}`` is chr1,
    chr2, chr3, chrX; several groups give every combination, the last varying fastest."""
    pieces, choices = [], []
    last = 0
    for m in _GROUP.finditer(pattern):
        pieces.append(pattern[last:m.start()])
        choices.append(_group_items(m.group(1), pattern))
        last = m.end()
    pieces.append(pattern[last:])
    out = []
    for combo in itertools.product(*choices):
        s = pieces[0]
        for item, piece in zip(combo, pieces[1:]):
            s += item + piece
        out.append(s)
    return out


def _group_items(body, pattern):
    items = []
    for item in body.split(","):
        item = item.strip()
        if ":" not in item:
            if not item:
                raise ValueError(f"prefix: pattern {pattern!r} has an empty item in "
                                 f"{{{body}}}")
            items.append(item)
            continue
        a, _, b = item.partition(":")
        a, b = a.strip(), b.strip()
        if not (a.isdigit() and b.isdigit()):
            raise ValueError(f"prefix: pattern {pattern!r}: range {item!r} needs two "
                             "non-negative integers, as in {1:22}")
        lo, hi = int(a), int(b)
        if lo > hi:
            raise ValueError(f"prefix: pattern {pattern!r}: range {item!r} is empty (start "
                             "after end)")
        width = len(a) if a.startswith("0") and len(a) > 1 else 0
        items.extend(str(k).zfill(width) for k in range(lo, hi + 1))
    return items


def prefixes_of(prefix):
    """The list of prefixes `prefix` stands for: a list or tuple of paths, a pattern, or
    one path (a list of one)."""
    if isinstance(prefix, (list, tuple)):
        if not prefix:
            raise ValueError("prefix: an empty list of PLINK 1 prefixes")
        out = [path_prefix(p, ".bed", f"prefix[{k}]") for k, p in enumerate(prefix)]
    else:
        one = path_prefix(prefix, ".bed")
        out = expand_pattern(one) if is_pattern(one) else [one]
    seen = {}
    for k, p in enumerate(out):
        key = os.path.abspath(p)
        if key in seen:
            raise ValueError(f"prefix: {p} is given twice (items {seen[key]} and {k}): each "
                             "file's variants would be columns twice")
        seen[key] = k
    return out


def read_fam_lines(fam):
    """The six columns of a .fam file, as lists of str."""
    cols, _ = read_columns(fam, range(6), 6, FAM_WHAT)
    if not cols[0]:
        raise ValueError(f"{fam}: no samples")
    return cols


def check_fams_agree(fams):
    """ValueError naming the first .fam that differs from the first one (and its first
    differing line and column)."""
    ref = read_fam_lines(fams[0])
    n = len(ref[0])
    for fam in fams[1:]:
        cols = read_fam_lines(fam)
        if cols == ref:
            continue
        m = len(cols[0])
        if m != n:
            raise ValueError(f"{fam}: {m} samples, but {fams[0]} has {n}: the .fam files of "
                             "one design must list the same samples in the same order")
        for i in range(n):
            for c, name in enumerate(FAM_COLUMNS):
                if cols[c][i] != ref[c][i]:
                    raise ValueError(
                        f"{fam}, line {i + 1}: {name} {cols[c][i]!r} differs from {fams[0]} "
                        f"line {i + 1} ({ref[c][i]!r}): the .fam files of one design must "
                        "list the same samples in the same order")


def read_infos(bims, fam):
    """Every annotation of several PLINK 1 filesets (their .bim files concatenated, the
    samples of `fam`), as Info's FIELDS."""
    return _concatenated([read_bim(b) for b in bims], fam)


def _concatenated(parts, fam):
    values = {
        "variant_ids": np.concatenate([v["variant_ids"] for v in parts]),
        "chromosomes": np.concatenate([v["chromosomes"] for v in parts]),
        "positions": np.concatenate([v["positions"] for v in parts]),
        "alleles": np.concatenate([v["alleles"] for v in parts], axis=0),
    }
    values["sample_ids"], values["phenotype"] = read_fam(fam)
    return values


def open_beds(prefixes):
    """(MappedFiles, Info, n_samples, n_variants, .bed paths) of PLINK 1 filesets
    `prefixes` (two or more), their variants concatenated in order."""
    beds = [p + ".bed" for p in prefixes]
    bims = [p + ".bim" for p in prefixes]
    fams = [p + ".fam" for p in prefixes]
    for trio in zip(beds, bims, fams):
        for f in trio:
            if not os.path.exists(f):
                raise FileNotFoundError(f"{f}: no such file (PLINK 1 needs .bed, .bim and "
                                        ".fam for each prefix)")
    check_fams_agree(fams)
    parts = [read_bim(b) for b in bims]
    values = _concatenated(parts, fams[0])
    n = len(values["sample_ids"])
    stride = (n + 3) // 4
    files = []
    for bed, bim, part in zip(beds, bims, parts):
        p_k = len(part["variant_ids"])
        check_bed_file(bed, n, p_k, stride, bim, fams[0])
        files.append(MappedFile(bed, "bed", opener="Genotypes.from_bed", nbytes=p_k * stride))
    p = len(values["variant_ids"])
    info = Info(values, loader=(read_infos, (bims, fams[0])), files=(*bims, fams[0]))
    return MappedFiles(files), info, n, p, beds

