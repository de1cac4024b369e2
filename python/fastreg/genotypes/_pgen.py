"""PLINK 2 files: ``.pgen`` (genotypes, read with the PLINK 2 authors' ``pgenlib``),
``.pvar`` (variants), ``.psam`` (samples).

The hardcalls are read a block of variants at a time as int8 copies of ALT and packed
into the 2-bit codes of a PLINK 1 ``.bed`` (_plink1.pack_dosages), in memory: the design
then is a ``.bed`` design (the same C++ kernels), and memory stays at the packed size,
n / 4 bytes per variant, plus one block. ALT is what PLINK 2's ``--make-bed`` writes as
A1 (and PLINK 2 reads a ``.bed``'s A1 as ALT), so a ``.pgen`` and the ``.bed`` it was made
from, or made into, give the same dosages and the same fits.
"""

from __future__ import annotations

import os

import numpy as np

from ._info import Info
from ._plink1 import pack_dosages, path_prefix
from ._text import integers, objects, text_lines

# int8 genotypes per block (and as much again for their codes while packing): a few MB
# beside the packed result, whatever n is
BLOCK_BYTES = 1 << 22


def _pgenlib():
    try:
        import pgenlib
    except ImportError:
        raise ImportError("Genotypes.from_pgen needs pgenlib: pip install pgenlib (or "
                          "fastreg's extra: pip install 'fastreg[pgen]')") from None
    return pgenlib


def read_pvar(pvar):
    """The variants of a .pvar (PLINK 2 header #CHROM POS ID REF ALT ..., or no header and
    .bim columns): dict of variant_ids, chromosomes, positions, alleles (ALT, REF)."""
    names, rows, first = None, [], None
    for k, line in text_lines(pvar, ".pvar"):
        if line.startswith("##"):
            continue
        parts = line.split()
        if names is None and rows == [] and parts and parts[0].startswith("#"):
            names = [c.lstrip("#").upper() for c in parts]
            for need in ("CHROM", "POS", "ID", "REF", "ALT"):
                if need not in names:
                    raise ValueError(f"{pvar}, line {k}: the header has no {need} column "
                                     f"(expected #CHROM POS ID REF ALT ...)")
            continue
        if not parts:
            raise ValueError(f"{pvar}, line {k}: empty line")
        if first is None:
            first = k
            if names is None:  # .bim layout, with or without the cM column
                if len(parts) not in (5, 6):
                    raise ValueError(f"{pvar}, line {k}: no #CHROM header and {len(parts)} "
                                     "fields; expected a header or .bim columns")
                names = (["CHROM", "ID", "CM", "POS", "ALT", "REF"] if len(parts) == 6
                         else ["CHROM", "ID", "POS", "ALT", "REF"])
        if len(parts) < len(names):
            raise ValueError(f"{pvar}, line {k}: {len(parts)} fields, expected {len(names)} "
                             f"({' '.join(names)})")
        rows.append(parts)
    if not rows:
        raise ValueError(f"{pvar}: no variants")
    col = {c: names.index(c) for c in ("CHROM", "POS", "ID", "REF", "ALT")}
    seen = {}

    def column(c):
        j = col[c]
        return [seen.setdefault(r[j], r[j]) if len(r[j]) <= 4 else r[j] for r in rows]

    alt = column("ALT")
    for k, a in enumerate(alt):
        if "," in a:
            raise ValueError(f"{pvar}, line {first + k}: variant {rows[k][col['ID']]!r} has "
                             f"{a.count(',') + 1} ALT alleles ({a}); only biallelic variants "
                             "are read: split or drop multiallelic ones first (plink2 "
                             "--max-alleles 2, or --make-pgen multiallelics=-)")
    alleles = np.empty((len(rows), 2), dtype=object)
    alleles[:, 0], alleles[:, 1] = alt, column("REF")
    return dict(variant_ids=objects(column("ID")), chromosomes=objects(column("CHROM")),
                positions=integers(column("POS"), pvar, "position", first),
                alleles=alleles)


# .psam columns that are not phenotypes
_PSAM_SAMPLE_COLUMNS = {"FID", "IID", "SID", "PAT", "MAT", "SEX"}


def read_psam(psam):
    """(FID, IID) as an (n, 2) object array (FID '0' without a FID column, as PLINK 2's
    --make-bed writes) and the first phenotype column's tokens (None without one)."""
    names, ids, pheno = None, [], []
    for k, line in text_lines(psam, ".psam"):
        if line.startswith("##"):
            continue
        parts = line.split()
        if names is None and not ids and parts and parts[0].startswith("#"):
            names = [c.lstrip("#").upper() for c in parts]
            if names[0] not in ("FID", "IID"):
                raise ValueError(f"{psam}, line {k}: a .psam header starts with #FID or "
                                 f"#IID, got {parts[0]!r}")
            continue
        if not parts:
            raise ValueError(f"{psam}, line {k}: empty line")
        if names is None:  # .fam layout
            names = ["FID", "IID", "PAT", "MAT", "SEX", "PHENO1"]
        if len(parts) < len(names):
            raise ValueError(f"{psam}, line {k}: {len(parts)} fields, expected {len(names)} "
                             f"({' '.join(names)})")
        iid = parts[names.index("IID")]
        ids.append((parts[0] if names[0] == "FID" else "0", iid))
        j = next((j for j, c in enumerate(names) if c not in _PSAM_SAMPLE_COLUMNS), None)
        pheno.append(None if j is None else parts[j])
    if not ids:
        raise ValueError(f"{psam}: no samples")
    samples = np.empty((len(ids), 2), dtype=object)
    samples[:, 0] = [f for f, _ in ids]
    samples[:, 1] = [i for _, i in ids]
    return samples, (None if pheno[0] is None else objects(pheno))


def read_info(pvar, psam):
    """Every annotation of a PLINK 2 fileset, as Info's FIELDS."""
    values = read_pvar(pvar)
    values["sample_ids"], values["phenotype"] = read_psam(psam)
    return values


def read_pgen(prefix):
    """(packed .bed codes in memory, Info, n_samples, n_variants, the .pgen's path)."""
    prefix = path_prefix(prefix, ".pgen")
    pgen, pvar, psam = prefix + ".pgen", prefix + ".pvar", prefix + ".psam"
    for f in (pgen, pvar, psam):
        if not os.path.exists(f):
            if f == pvar and os.path.exists(pvar + ".zst"):
                raise ValueError(f"{pvar}.zst: a compressed .pvar; decompress it first "
                                 f"(zstd -d {pvar}.zst)")
            raise FileNotFoundError(f"{f}: no such file (PLINK 2 needs .pgen, .pvar and "
                                    ".psam)")
    values = read_info(pvar, psam)
    n, p = len(values["sample_ids"]), len(values["variant_ids"])
    pgenlib = _pgenlib()
    try:
        reader = pgenlib.PgenReader(os.fsencode(pgen), raw_sample_ct=n, variant_ct=p)
    except RuntimeError as e:
        raise ValueError(f"{pgen}: pgenlib cannot read it with {n} samples ({psam}) and "
                         f"{p} variants ({pvar}): {str(e).strip()}") from None
    try:
        stride = (n + 3) // 4
        data = np.empty((p, stride), dtype=np.uint8)
        block = max(1, min(p, BLOCK_BYTES // n))
        buf = np.empty((block, n), dtype=np.int8)
        for j0 in range(0, p, block):
            j1 = min(p, j0 + block)
            d = buf[: j1 - j0]
            try:
                reader.read_range(j0, j1, d, allele_idx=1)  # copies of ALT; -9 missing
            except RuntimeError as e:
                raise ValueError(f"{pgen}: variants {j0} to {j1 - 1}: {str(e).strip()}") from None
            pack_dosages(d, data[j0:j1])
    finally:
        reader.close()
    info = Info(values, loader=(read_info, (pvar, psam)), files=(pvar, psam))
    return data.reshape(-1), info, n, p, pgen
