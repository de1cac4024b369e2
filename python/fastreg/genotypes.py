"""Genotype matrices as designs: int8 dosages and PLINK 1 ``.bed`` files, read in place.

A :class:`Genotypes` is n samples x p variants of allele dosages 0, 1, 2 (or missing),
stored as int8 (column-major, a negative value is missing) or as the 2-bit codes of a
PLINK 1 ``.bed`` file, memory-mapped. Every estimator and path function of fastreg accepts
one as X: the solver decodes columns on the fly and never builds a float matrix.

Missing entries read as the variant's mean dosage over its non-missing samples (of the
samples in use: a subset imputes from its own samples), unweighted, as PLINK does; a
variant with every sample missing reads as 0 everywhere. See docs/genotypes.md.
"""

from __future__ import annotations

import os

import numpy as np

from . import _core

__all__ = ["Genotypes"]

BED_MAGIC = b"\x6c\x1b"
BED_VARIANT_MAJOR = 0x01
BED_SAMPLE_MAJOR = 0x00


class Genotypes:
    """n samples x p variants of allele dosages, usable as X by every fastreg estimator.

    Build one with :meth:`from_bed`, :meth:`from_array` or :meth:`from_npy`; take sample
    subsets with :meth:`subset` (a view: nothing is copied); add a dense block of
    covariates, unpenalized by default, with :meth:`with_covariates`.

    Attributes
    ----------
    kind : {'int8', 'bed'}
        Storage.
    dtype : numpy.dtype
        Floating dtype fits run in (float64 by default; float32 halves the work vectors).
    variant_ids, chromosomes : ndarray of str, shape (n_variants,) or None
        From the ``.bim`` file (None for arrays).
    positions : ndarray of int64, shape (n_variants,) or None
        Base-pair positions from the ``.bim`` file.
    alleles : ndarray of str, shape (n_variants, 2) or None
        (A1, A2) from the ``.bim`` file; the dosage counts copies of A1.
    sample_ids : ndarray of str, shape (n_samples, 2) or None
        (FID, IID) from the ``.fam`` file, for the samples in use.
    """

    _is_genotypes = True  # what fastreg._validation recognizes, without importing this module

    def __init__(self, kind, data, n_stored, n_variants, *, rows=None, dtype=np.float64,
                 variant_ids=None, chromosomes=None, positions=None, alleles=None,
                 sample_ids=None, source=None, covariates=None, penalize_covariates=False):
        self.kind = kind
        self._data = data
        self._n_stored = int(n_stored)
        self._p = int(n_variants)
        self._rows = rows
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise TypeError(f"dtype: expected float32 or float64, got {self.dtype}")
        self.variant_ids = variant_ids
        self.chromosomes = chromosomes
        self.positions = positions
        self.alleles = alleles
        self.sample_ids = sample_ids
        self.source = source
        self._cov = covariates
        self._penalize_cov = bool(penalize_covariates)
        self._counts = None

    # ---- construction ------------------------------------------------------------------

    @classmethod
    def from_array(cls, array, *, dtype=np.float64, check=True):
        """Genotypes from an int8 array of shape (n_samples, n_variants).

        Parameters
        ----------
        array : ndarray of int8, shape (n_samples, n_variants)
            Dosages 0, 1, 2; a negative value is missing. Used in place when F-ordered
            (each variant's samples contiguous), else copied once to F order.
        dtype : {float64, float32}, default=float64
            Floating dtype of the fits.
        check : bool, default=True
            Reject values above 2 (one pass over the data).

        Returns
        -------
        Genotypes
        """
        a = np.asanyarray(array)  # a memory map stays one
        if a.dtype != np.int8:
            if a.dtype.kind not in "iub":
                raise TypeError(f"Genotypes.from_array: expected an int8 array of dosages, "
                                f"got dtype {a.dtype}")
            if a.size and (a.max() > 2):
                _raise_high(a, "array")
            a = np.where(a < 0, -1, a).astype(np.int8, order="F")
        if a.ndim != 2:
            raise ValueError(f"Genotypes.from_array: expected a 2-d array (samples x variants), "
                             f"got {a.ndim}-d with shape {a.shape}")
        if a.shape[0] < 1 or a.shape[1] < 1:
            raise ValueError(f"Genotypes.from_array: needs at least one sample and one variant, "
                             f"got shape {a.shape}")
        if not (a.flags.f_contiguous or a.shape[0] == 1) or not a.flags.aligned:
            a = np.asfortranarray(a)
        g = cls("int8", a, a.shape[0], a.shape[1], dtype=dtype, source="array")
        if check:
            g._check_int8("array")
        return g

    @classmethod
    def from_npy(cls, path, *, mmap=True, dtype=np.float64, check=True):
        """Genotypes from a ``.npy`` file holding an int8 array (n_samples, n_variants).

        Parameters
        ----------
        path : str or path-like
        mmap : bool, default=True
            Memory-map the file (read through the page cache; the file may be larger than
            RAM). The array should have been saved F-ordered (``np.save`` of an
            F-ordered array): a C-ordered one is copied to memory.
        dtype : {float64, float32}, default=float64
        check : bool, default=True
            Reject values above 2 (one pass over the file).

        Returns
        -------
        Genotypes
        """
        path = os.fspath(path)
        a = np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False)
        if a.dtype != np.int8:
            raise TypeError(f"{path}: expected an int8 array of dosages, got dtype {a.dtype}")
        if a.ndim != 2:
            raise ValueError(f"{path}: expected a 2-d array (samples x variants), got shape {a.shape}")
        g = cls.from_array(a, dtype=dtype, check=False)
        g.source = path
        if check:
            g._check_int8(path)
        return g

    @classmethod
    def from_bed(cls, prefix, *, dtype=np.float64):
        """Genotypes from PLINK 1 files ``prefix.bed``, ``prefix.bim``, ``prefix.fam``.

        The ``.bed`` file is memory-mapped, not read: a file larger than RAM works through
        the page cache. The dosage counts copies of A1 (the ``.bim`` file's 5th column),
        as PLINK's ``--recode A`` and bed-reader's ``count_A1=True``.

        Parameters
        ----------
        prefix : str or path-like
            Path without the extension (a trailing ``.bed`` is accepted).
        dtype : {float64, float32}, default=float64

        Returns
        -------
        Genotypes

        Raises
        ------
        ValueError
            A ``.bed`` file that is not PLINK 1 (magic bytes), sample-major, truncated or
            longer than the ``.bim``/``.fam`` counts say; malformed ``.bim``/``.fam`` lines.
        FileNotFoundError
            A missing file.
        """
        prefix = os.fspath(prefix)
        if prefix.endswith(".bed"):
            prefix = prefix[:-4]
        bed, bim, fam = prefix + ".bed", prefix + ".bim", prefix + ".fam"
        for f in (bed, bim, fam):
            if not os.path.exists(f):
                raise FileNotFoundError(f"{f}: no such file (PLINK 1 needs .bed, .bim and .fam)")
        fid, iid = _read_columns(fam, (0, 1), 6, ".fam (FID IID father mother sex phenotype)")
        chrom, vid, pos, a1, a2 = _read_columns(bim, (0, 1, 3, 4, 5), 6,
                                                ".bim (chromosome id cM position A1 A2)")
        n, p = len(fid), len(vid)
        if n == 0:
            raise ValueError(f"{fam}: no samples")
        if p == 0:
            raise ValueError(f"{bim}: no variants")
        positions = _integers(pos, bim, "position")
        del pos
        stride = (n + 3) // 4
        _check_bed_file(bed, n, p, stride, bim, fam)
        data = np.memmap(bed, dtype=np.uint8, mode="r", offset=3, shape=(p * stride,))
        alleles = np.empty((p, 2), dtype=object)
        alleles[:, 0], alleles[:, 1] = a1, a2
        samples = np.empty((n, 2), dtype=object)
        samples[:, 0], samples[:, 1] = fid, iid
        return cls("bed", data, n, p, dtype=dtype, variant_ids=_objects(vid),
                   chromosomes=_objects(chrom), positions=positions, alleles=alleles,
                   sample_ids=samples, source=bed)

    # ---- shape and views ---------------------------------------------------------------

    @property
    def n_samples(self):
        """Number of samples in use (the subset's size for a subset)."""
        return self._n_stored if self._rows is None else int(self._rows.shape[0])

    @property
    def n_variants(self):
        return self._p

    @property
    def shape(self):
        """(n_samples, n_variants + n_covariates): the design's shape."""
        return (self.n_samples, self._p + self.n_covariates)

    @property
    def ndim(self):
        return 2

    def __len__(self):
        return self.n_samples

    def __repr__(self):
        where = f", {self.source!r}" if self.source and self.source != "array" else ""
        sub = "" if self._rows is None else f", subset of {self._n_stored}"
        cov = f" + {self.n_covariates} covariates" if self._cov is not None else ""
        return (f"Genotypes({self.kind}, {self.n_samples} samples x {self._p} variants{cov}"
                f"{sub}{where})")

    def subset(self, samples):
        """The samples ``samples`` (indices into this object's samples, in that order), as
        a view: nothing is copied, decoding gathers the rows.

        Parameters
        ----------
        samples : array-like of int, or of bool with length n_samples
            Sample indices (0-based; repeats allowed), or a mask.

        Returns
        -------
        Genotypes
        """
        idx = np.asarray(samples)
        n = self.n_samples
        if idx.dtype == bool:
            if idx.shape != (n,):
                raise ValueError(f"samples: a boolean mask needs shape ({n},), got {idx.shape}")
            idx = np.flatnonzero(idx)
        elif idx.dtype.kind not in "iu":
            if idx.size == 0:
                idx = idx.astype(np.int64)
            else:
                raise TypeError(f"samples: expected integer indices or a boolean mask, got dtype {idx.dtype}")
        idx = idx.astype(np.int64).reshape(-1)
        if idx.size == 0:
            raise ValueError("samples: at least one sample is needed")
        bad = (idx < 0) | (idx >= n)
        if bad.any():
            raise IndexError(f"samples: index {int(idx[np.argmax(bad)])} out of range for {n} samples")
        rows = idx if self._rows is None else self._rows[idx]
        rows = np.ascontiguousarray(rows, dtype=np.int64)
        if self._rows is None and rows.size == n and np.array_equal(rows, np.arange(n)):
            rows = None
        return self._view(rows=rows,
                          sample_ids=None if self.sample_ids is None else self.sample_ids[idx],
                          covariates=None if self._cov is None else np.asfortranarray(self._cov[idx]))

    def _view(self, **changes):
        args = dict(rows=self._rows, dtype=self.dtype, variant_ids=self.variant_ids,
                    chromosomes=self.chromosomes, positions=self.positions,
                    alleles=self.alleles, sample_ids=self.sample_ids, source=self.source,
                    covariates=self._cov, penalize_covariates=self._penalize_cov)
        args.update(changes)
        return Genotypes(self.kind, self._data, self._n_stored, self._p, **args)

    def astype(self, dtype):
        """The same genotypes, fitted in another floating dtype (a view)."""
        dtype = np.dtype(dtype)
        cov = None if self._cov is None else np.asfortranarray(self._cov, dtype=dtype)
        g = self._view(dtype=dtype, covariates=cov)
        g._counts = self._counts
        return g

    def with_covariates(self, covariates, *, penalize=False):
        """These genotypes with a dense block of covariates (age, sex, principal
        components, ...) as extra columns after the variants.

        Fits then have ``n_variants + n_covariates`` coefficients, the covariates' last.
        By default the covariates are unpenalized (penalty factor 0, as glmnet's
        ``penalty.factor``) when no ``penalty_factor`` is given to the estimator.

        Parameters
        ----------
        covariates : array-like of shape (n_samples, q) or (n_samples,)
            Real values, one row per sample in use (after any subset), finite.
        penalize : bool, default=False
            Penalize the covariates like the variants by default.

        Returns
        -------
        Genotypes
        """
        from . import _validation as v

        C = np.asarray(covariates)
        if C.ndim == 1:
            C = C.reshape(-1, 1)
        if C.ndim != 2 or C.shape[0] != self.n_samples or C.shape[1] < 1:
            raise ValueError(f"covariates: expected shape ({self.n_samples}, q) with q >= 1, "
                             f"got {np.shape(covariates)}")
        C = v.design_matrix(C, "covariates", dtype=self.dtype)
        if self._cov is not None:
            C = np.asfortranarray(np.hstack([self._cov, C]))
        return self._view(covariates=C, penalize_covariates=bool(penalize))

    @property
    def n_covariates(self):
        """Columns of covariates after the variants (0 without)."""
        return 0 if self._cov is None else int(self._cov.shape[1])

    @property
    def covariates(self):
        """The covariates block (n_samples, n_covariates), or None."""
        return self._cov

    # ---- per-variant statistics ---------------------------------------------------------

    def counts(self):
        """(n_variants, 4) int64: samples with dosage 0, 1, 2 and missing, per variant (of
        the samples in use). Computed once (one pass over the data), then cached."""
        if self._counts is None:
            if self.kind == "int8":
                self._counts = _core.genotype_counts_int8(self._data, self._rows)
            else:
                self._counts = _core.genotype_counts_bed(self._data, self._n_stored, self._p,
                                                         self._rows)
        return self._counts

    @property
    def means(self):
        """Mean dosage per variant over its non-missing samples (the imputed value; 0 for
        an all-missing variant)."""
        c = self.counts()
        called = c[:, :3].sum(axis=1)
        total = c[:, 1] + 2.0 * c[:, 2]
        return np.divide(total, called, out=np.zeros(self._p), where=called > 0)

    @property
    def stds(self):
        """Standard deviation (divisor n) per variant of the mean-imputed dosages, unweighted:
        the scale of ``standardize=True`` without sample weights. 0 for monomorphic and
        all-missing variants."""
        c = self.counts().astype(np.float64)
        m = self.means
        n = self.n_samples
        ssq = c[:, 0] * m**2 + c[:, 1] * (1.0 - m) ** 2 + c[:, 2] * (2.0 - m) ** 2
        sd = np.sqrt(ssq / n)
        sd[self.monomorphic] = 0.0
        return sd

    @property
    def missing_counts(self):
        """Missing samples per variant."""
        return self.counts()[:, 3].copy()

    @property
    def all_missing(self):
        """Boolean mask of the variants with every sample missing (they read as zeros and
        get coefficient 0)."""
        return self.counts()[:, 3] == self.n_samples

    @property
    def monomorphic(self):
        """Boolean mask of the variants whose non-missing samples all have one dosage
        (standard deviation 0 after imputation; all-missing ones included). With an
        intercept they are zero columns and get coefficient 0."""
        return (self.counts()[:, :3] > 0).sum(axis=1) <= 1

    def standardized_coef(self, coef):
        """Coefficients per allele (X's units, as fitted) on the scale of unit-variance
        columns: ``coef * sd`` with the unweighted standard deviations (divisor n) of the
        genotypes (``stds``) and of the covariates, if any."""
        coef = np.asarray(coef)
        sd = self.stds
        if self._cov is not None:
            sd = np.concatenate([sd, np.asarray(self._cov, dtype=np.float64).std(axis=0)])
        return coef * sd.astype(coef.dtype if coef.dtype.kind == "f" else np.float64)

    # ---- decoding ----------------------------------------------------------------------

    def _impute(self):
        return np.ascontiguousarray(self.means, dtype=np.float64)

    def _missing_flags(self):
        return (self.counts()[:, 3] > 0).astype(np.uint8)

    def to_dense(self, standardize=False, *, columns=None):
        """The mean-imputed matrix as float64, shape (n_samples, n_variants) (for small
        data and tests: n_samples * n_variants * 8 bytes).

        Parameters
        ----------
        standardize : bool, default=False
            Center and scale each column to unit (unweighted, divisor n) variance; columns
            with standard deviation 0 become zeros.
        columns : slice, optional
            A contiguous range of variants (step 1) to decode instead of all (without
            the covariates).
        """
        j0, j1 = 0, self._p
        if columns is not None:
            j0, j1, step = columns.indices(self._p)
            if step != 1:
                raise ValueError("columns: only a contiguous slice (step 1)")
            j1 = max(j0, j1)
        imp = self._impute()
        if self.kind == "int8":
            X = _core.genotype_decode_int8(self._data, self._rows, imp, j0, j1)
        else:
            X = _core.genotype_decode_bed(self._data, self._n_stored, self._p, self._rows, imp,
                                          j0, j1)
        if standardize:
            sd = self.stds[j0:j1]
            X -= self.means[j0:j1]
            X /= np.where(sd > 0, sd, 1.0)
            X[:, sd == 0] = 0.0
        if self._cov is not None and columns is None:
            C = np.asarray(self._cov, dtype=np.float64)
            if standardize:
                sd = C.std(axis=0)
                C = np.where(sd > 0, (C - C.mean(axis=0)) / np.where(sd > 0, sd, 1.0), 0.0)
            X = np.asfortranarray(np.hstack([X, C]))
        return X

    def __matmul__(self, coef):
        """X @ coef for coef of shape (n_variants,) or (n_variants, k), decoding the
        variants with a nonzero coefficient only (float64, or X's dtype)."""
        c = np.asarray(coef)
        one = c.ndim == 1
        c2 = c.reshape(self.shape[1], -1).astype(np.float64)
        c2, cc = np.asfortranarray(c2[:self._p]), c2[self._p:]
        if self.kind == "int8":
            out = _core.genotype_matmul_int8(self._data, self._rows, self._impute(),
                                             self._missing_flags(), c2)
        else:
            out = _core.genotype_matmul_bed(self._data, self._n_stored, self._p, self._rows,
                                            self._impute(), self._missing_flags(), c2)
        if self._cov is not None:
            out += np.asarray(self._cov, dtype=np.float64) @ cc
        dt = np.result_type(c.dtype, np.float32) if c.dtype.kind == "f" else np.float64
        out = out.astype(dt, copy=False)
        return out[:, 0] if one else out

    def _enet_path(self, y, sample_weight, penalty_factor, coef_init, **options):
        """The core's path on these genotypes (arguments as _core.enet_path_dense)."""
        imp, flags = self._impute(), self._missing_flags()
        cov = self._cov
        if cov is not None:
            cov = np.asfortranarray(cov, dtype=y.dtype)
            if penalty_factor is None and not self._penalize_cov:
                penalty_factor = np.ones(self.shape[1], dtype=y.dtype)
                penalty_factor[self._p:] = 0.0
        if self.kind == "int8":
            return _core.enet_path_int8(self._data, self._rows, imp, flags, cov, y,
                                        sample_weight, penalty_factor, coef_init, **options)
        return _core.enet_path_bed(self._data, self._n_stored, self._p, self._rows, imp, flags,
                                   cov, y, sample_weight, penalty_factor, coef_init, **options)

    # ---- validation --------------------------------------------------------------------

    def _check_int8(self, where):
        values = _core.genotype_int8_values(self._data)
        high = values[:, 4]
        if high.any():
            _raise_high(self._data, where, variant=int(np.flatnonzero(high)[0]))


def _raise_high(a, where, variant=None):
    """ValueError naming the first variant (column) and sample with a value above 2."""
    if variant is None:
        variant = int(np.flatnonzero((np.asarray(a) > 2).any(axis=0))[0])
    col = np.asarray(a[:, variant])
    i = int(np.flatnonzero(col > 2)[0])
    raise ValueError(f"{where}: variant {variant} (column {variant}), sample {i}: value "
                     f"{int(col[i])} is not a dosage (expected 0, 1, 2, or negative for missing)")


def _read_columns(path, columns, fields, what):
    """The given columns of a whitespace-separated file whose lines have at least `fields`
    fields, as lists of str (one pass; repeated values such as chromosome names and
    alleles share one string object)."""
    out = [[] for _ in columns]
    seen = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for k, line in enumerate(f):
            parts = line.split()
            if len(parts) < fields:
                if not parts:
                    raise ValueError(f"{path}, line {k + 1}: empty line (expected {what})")
                raise ValueError(f"{path}, line {k + 1}: {len(parts)} fields, expected {fields}: "
                                 f"{what}")
            for col, c in zip(out, columns):
                v = parts[c]
                col.append(seen.setdefault(v, v) if len(v) <= 4 else v)
    return out


def _objects(values):
    a = np.empty(len(values), dtype=object)
    a[:] = values
    return a


def _integers(values, path, what):
    """int64 array of decimal strings; ValueError naming the first bad line."""
    try:
        return np.array(values, dtype=np.int64) if values else np.empty(0, np.int64)
    except (ValueError, OverflowError):
        pass
    out = np.empty(len(values), dtype=np.int64)
    for k, v in enumerate(values):
        try:
            out[k] = int(v)
        except (ValueError, OverflowError):
            raise ValueError(f"{path}, line {k + 1}: {what} {v!r} is not an integer") from None
    return out


def _check_bed_file(bed, n, p, stride, bim, fam):
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
