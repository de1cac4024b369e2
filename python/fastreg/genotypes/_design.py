"""The Genotypes design: n samples x p variants of allele dosages, read in place.

A :class:`Genotypes` is n samples x p variants of allele dosages 0, 1, 2 (or missing),
stored as int8 (column-major, a negative value is missing) or as the 2-bit codes of a
PLINK 1 ``.bed`` (memory-mapped from a ``.bed``, or packed in memory from a PLINK 2
``.pgen``). Every estimator and path function of fastreg accepts one as X: the solver
decodes columns on the fly and never builds a float matrix.

Missing entries read as the variant's mean dosage over its non-missing samples (of the
samples in use: a subset imputes from its own samples), unweighted, as PLINK does; a
variant with every sample missing reads as 0 everywhere. See docs/genotypes.md and
docs/internals/genotypes.md.

The readers live beside this file (_plink1.py, _pgen.py); the linear-model code reads
``kind``, ``_data``, ``_rows``, ``_n_stored``, ``_p``, ``_cov``, ``_penalize_cov``,
``_impute()`` and ``_missing_flags()`` directly, so those keep their meaning.
"""

from __future__ import annotations

import os

import numpy as np

from .. import _core
from ._info import Info
from ._source import MappedFile

__all__ = ["Genotypes"]


class Genotypes:
    """n samples x p variants of allele dosages, usable as X by every fastreg estimator.

    Build one with :meth:`from_bed`, :meth:`from_pgen`, :meth:`from_bgen`,
    :meth:`from_array` or :meth:`from_npy`; take sample subsets with :meth:`subset` or by indexing (``G[rows]``,
    rows an index array, a boolean mask or a slice: a view, nothing is copied); add a
    dense block of covariates, unpenalized by default, with :meth:`with_covariates`.

    It behaves as scikit-learn's model-selection tools expect of an X (``shape``,
    ``len``, row indexing), so ``cross_val_score``, ``GridSearchCV`` and ``Pipeline``
    take it, and pickles of one read from files hold the paths, not the data.

    Attributes
    ----------
    kind : {'int8', 'bed'}
        Storage: int8 dosages, or the 2-bit codes of a ``.bed`` (also for a ``.pgen`` or
        ``.bgen``, packed in memory).
    dtype : numpy.dtype
        Floating dtype fits run in (float64 by default; float32 halves the work vectors).
    source : str
        The file read (``'array'`` for an array in memory); for several ``.bed`` files,
        their paths joined (see ``sources``).
    sources : tuple of str
        The files the design reads in place, in column order (one per chromosome for
        :meth:`from_bed` of several filesets); empty for data in memory.
    variant_ids, chromosomes : ndarray of str, shape (n_variants,) or None
        From the ``.bim``/``.pvar`` file (None for arrays).
    positions : ndarray of int64, shape (n_variants,) or None
        Base-pair positions.
    alleles : ndarray of str, shape (n_variants, 2) or None
        (A1, A2) from the ``.bim`` file, (ALT, REF) from the ``.pvar``, (second, first)
        from a ``.bgen``: the dosage counts copies of the first.
    sample_ids : ndarray of str, shape (n_samples, 2) or None
        (FID, IID) of the samples in use, from the ``.fam``/``.psam``.
    """

    _is_genotypes = True  # what fastreg._validation recognizes, without importing this module

    def __init__(self, kind, data, n_stored, n_variants, *, rows=None, dtype=np.float64,
                 info=None, source=None, covariates=None, penalize_covariates=False,
                 file=None, variant_ids=None, chromosomes=None, positions=None,
                 alleles=None, sample_ids=None):
        self.kind = kind
        self._data = data
        self._n_stored = int(n_stored)
        self._p = int(n_variants)
        self._rows = rows
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise TypeError(f"dtype: expected float32 or float64, got {self.dtype}")
        if info is None:
            info = Info(dict(variant_ids=variant_ids, chromosomes=chromosomes,
                             positions=positions, alleles=alleles, sample_ids=sample_ids))
        self._info = info
        self._file = file  # the MappedFile _data maps, or None when _data is in memory
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
        path : str, bytes or path-like
        mmap : bool, default=True
            Memory-map the file (read through the page cache; the file may be larger than
            RAM; pickles hold the path). The array should have been saved F-ordered
            (``np.save`` of an F-ordered array): a C-ordered one is copied to memory.
        dtype : {float64, float32}, default=float64
        check : bool, default=True
            Reject values above 2 (one pass over the file).

        Returns
        -------
        Genotypes
        """
        path = _path(path, "path")
        try:
            a = np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False)
        except (ValueError, OSError, EOFError) as e:
            if isinstance(e, FileNotFoundError):
                raise FileNotFoundError(f"{path}: no such file") from None
            raise ValueError(f"{path}: not a readable .npy file of int8 dosages (truncated "
                             f"or not .npy: {e})") from None
        if a.dtype != np.int8:
            raise TypeError(f"{path}: expected an int8 array of dosages, got dtype {a.dtype}")
        if a.ndim != 2:
            raise ValueError(f"{path}: expected a 2-d array (samples x variants), got shape {a.shape}")
        g = cls.from_array(a, dtype=dtype, check=False)
        g.source = path
        if isinstance(g._data, np.memmap):  # used in place: a file-backed design
            g._file = MappedFile(path, "npy", opener="Genotypes.from_npy", shape=a.shape)
        if check:
            g._check_int8(path)
        return g

    @classmethod
    def from_bed(cls, prefix, *, dtype=np.float64):
        """Genotypes from PLINK 1 files ``prefix.bed``, ``prefix.bim``, ``prefix.fam``, or
        from several such filesets (one per chromosome) as one design.

        The ``.bed`` file is memory-mapped, not read: a file larger than RAM works through
        the page cache. The dosage counts copies of A1 (the ``.bim`` file's 5th column),
        as PLINK's ``--recode A`` and bed-reader's ``count_A1=True``.

        Several filesets (a list of prefixes, or a pattern ``"data/chr{1:22}"``) make one
        design whose variants are the files' in that order, concatenated: each ``.bed`` is
        mapped on its own, nothing is copied, and fits equal those on the merged file
        (``plink --merge-list``). Their ``.fam`` files must list the same samples in the
        same order. A pickle holds the paths.

        Parameters
        ----------
        prefix : str, bytes or path-like, or a list of them
            Path without the extension (a trailing ``.bed`` is accepted); a list of them;
            or a pattern with brace groups: ``{1:22}`` a range of integers (ends
            included; ``{01:22}`` pads to two digits), ``{1:22,X}`` a list of items.
        dtype : {float64, float32}, default=float64

        Returns
        -------
        Genotypes

        Raises
        ------
        ValueError
            A ``.bed`` file that is not PLINK 1 (magic bytes), sample-major, truncated or
            longer than the ``.bim``/``.fam`` counts say; malformed or non-UTF-8
            ``.bim``/``.fam`` lines; later, at a fit, a ``.bed`` that changed since;
            ``.fam`` files that differ (the first that differs is named) and malformed
            patterns.
        FileNotFoundError
            A missing file.
        """
        from ._plink1 import open_bed
        from ._plink1_multi import open_beds, prefixes_of

        prefixes = prefixes_of(prefix)
        if len(prefixes) > 1:
            files, info, n, p, beds = open_beds(prefixes)
            g = cls("bed", files.map(), n, p, dtype=dtype, info=info, file=files,
                    source=_sources(beds))
            return g
        file, info, n, p = open_bed(prefixes[0])
        return cls("bed", file.map(), n, p, dtype=dtype, info=info, source=file.path,
                   file=file)

    @classmethod
    def from_pgen(cls, prefix, *, dtype=np.float64):
        """Genotypes from PLINK 2 files ``prefix.pgen``, ``prefix.pvar``, ``prefix.psam``.

        The hardcalls are read with ``pgenlib`` (``pip install pgenlib``), a block of
        variants at a time, into the 2-bit codes of a ``.bed``, in memory: n_samples / 4
        bytes per variant (a quarter of int8). Dosages stored in the ``.pgen`` are read as
        PLINK 2's hardcalls. The dosage counts copies of ALT, the allele PLINK 2 writes
        as A1 in a ``.bed`` (and reads a ``.bed``'s A1 as): fits of a ``.pgen`` and of
        the ``.bed`` it was made from (``plink2 --make-pgen``) or into give the same
        coefficients. ``alleles`` is (ALT, REF).

        Parameters
        ----------
        prefix : str, bytes or path-like
            Path without the extension (a trailing ``.pgen`` is accepted).
        dtype : {float64, float32}, default=float64

        Returns
        -------
        Genotypes

        Raises
        ------
        ValueError
            Malformed ``.pvar``/``.psam`` lines, multiallelic variants (split them with
            PLINK 2 first), a ``.pgen`` whose counts disagree with them.
        FileNotFoundError
            A missing file.
        ImportError
            Without ``pgenlib``.
        """
        from ._pgen import read_pgen

        data, info, n, p, pgen = read_pgen(_path(prefix, "prefix"))
        return cls("bed", data, n, p, dtype=dtype, info=info, source=pgen)

    @classmethod
    def from_bgen(cls, path, sample=None, *, dtype=np.float64):
        """Genotypes from a BGEN 1.2/1.3 file (and its Oxford ``.sample`` file).

        Read with the ``bgen`` package (``pip install bgen``). Each sample's expected
        count of the variant's **second** allele (from the genotype probabilities) is
        rounded to the nearest integer dosage 0, 1 or 2 and packed, like a ``.pgen``'s
        hardcalls, into the 2-bit codes of a ``.bed`` in memory (n_samples / 4 bytes per
        variant); missing probabilities stay missing. ``alleles`` is (second, first): the
        first of the pair is counted. In a BGEN written REF first (UK Biobank's, PLINK 2's
        ``--export bgen-1.2 ref-first``) that is ALT, as :meth:`from_pgen` counts. For
        fractional (imputed) dosages, :func:`fastreg.genotypes.read_bgen_dosages` reads them
        unrounded into a float32 array, a valid X for every estimator.

        Parameters
        ----------
        path : str, bytes or path-like
            The ``.bgen`` file.
        sample : str, bytes or path-like, optional
            Its ``.sample`` file (ID_1 ID_2 ... header): ``sample_ids`` are (ID_1, ID_2).
            Default: the ids stored in the ``.bgen`` as IIDs (FID ``'0'``).
        dtype : {float64, float32}, default=float64

        Returns
        -------
        Genotypes

        Raises
        ------
        ValueError
            A file ``bgen`` cannot read, multiallelic or non-diploid variants, a
            ``.sample`` file whose count disagrees, no sample ids at all.
        ImportError
            Without the ``bgen`` package.
        """
        from ._bgen import read_bgen

        path = _path(path, "path")
        sample = None if sample is None else _path(sample, "sample")
        data, info, n, p = read_bgen(path, sample)
        return cls("bed", data, n, p, dtype=dtype, info=info, source=path)

    # ---- annotations ---------------------------------------------------------------------

    @property
    def sources(self):
        f = self._file
        if f is None:
            return ()
        return tuple(m.path for m in getattr(f, "files", [f]))

    @property
    def variant_ids(self):
        return self._info.get("variant_ids")

    @property
    def chromosomes(self):
        return self._info.get("chromosomes")

    @property
    def positions(self):
        return self._info.get("positions")

    @property
    def alleles(self):
        return self._info.get("alleles")

    @property
    def sample_ids(self):
        ids = self._info.get("sample_ids")
        if ids is None or self._rows is None:
            return ids
        return ids[self._rows]

    def fam_phenotype(self):
        """The phenotype column of the ``.fam`` (its 6th) or ``.psam`` (its first
        phenotype column), for the samples in use, as PLINK 1.9 reads it.

        ``NA``, ``nan``, ``-9`` and anything that is not a number are missing; when the
        column is coded case/control (values 1 = control, 2 = case, with 0) 0 is missing
        too. Test the coding with :func:`fastreg.genotypes.is_case_control`.

        Returns
        -------
        ndarray of float64, shape (n_samples,)
            NaN where missing.

        Raises
        ------
        ValueError
            Genotypes without a ``.fam``/``.psam``, or a ``.psam`` without a phenotype.
        """
        from ._pheno import tokens_to_values

        tokens = self._info.get("phenotype")
        if tokens is None:
            what = ("no .fam/.psam (built from an array)" if self.sample_ids is None
                    else f"no .fam/.psam phenotype column ({self.source})")
            raise ValueError(f"fam_phenotype: these genotypes have {what}")
        values = tokens_to_values(tokens)  # coded on all samples of the file, as PLINK
        return values if self._rows is None else values[self._rows]

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

    def __getitem__(self, key):
        """Rows: ``G[rows]`` or ``G[rows, :]``, rows an integer index array, a boolean
        mask or a slice; the same as :meth:`subset` (a view). Columns cannot be
        selected this way (use :meth:`to_dense` with ``columns``)."""
        if isinstance(key, tuple):
            if len(key) == 2 and (key[1] is Ellipsis or (isinstance(key[1], slice)
                                                         and key[1] == slice(None))):
                key = key[0]
            elif len(key) == 1:
                key = key[0]
            else:
                raise TypeError("Genotypes: only rows can be indexed (G[rows] or "
                                "G[rows, :]); decode columns with G.to_dense(columns=...)")
        if key is Ellipsis:
            return self
        idx = _row_index(key, self.n_samples)
        if idx is None:
            return self
        return self.subset(idx)

    def __array__(self, dtype=None, copy=None):
        """The mean-imputed dense matrix (``to_dense()``, covariates included), for code
        that needs an ndarray: n_samples x n_columns x 8 bytes."""
        if copy is False:
            raise ValueError("Genotypes: an ndarray of them is always a decoded copy")
        X = self.to_dense()
        return X if dtype is None else X.astype(dtype, copy=False)

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
        n = self.n_samples
        if not isinstance(samples, slice) and np.ndim(samples) == 0:
            samples = np.reshape(samples, 1)
        idx = _row_index(samples, n, "samples")
        if idx is None:
            idx = np.arange(n, dtype=np.int64)
        idx = idx.reshape(-1)
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
                          covariates=None if self._cov is None else np.asfortranarray(self._cov[idx]))

    def _view(self, **changes):
        args = dict(rows=self._rows, dtype=self.dtype, info=self._info, source=self.source,
                    covariates=self._cov, penalize_covariates=self._penalize_cov,
                    file=self._file)
        args.update(changes)
        return Genotypes(self.kind, self._data, self._n_stored, self._p, **args)

    # ---- pickling ------------------------------------------------------------------------

    def __getstate__(self):
        """A design read in place from a file pickles its path, the sample selection and
        the covariates; worker processes map the file again (after checking it did not
        change). Arrays in memory (from_array, from_pgen) pickle their data."""
        state = dict(self.__dict__)
        state["_counts"] = None  # one pass recomputes it; (p, 4) int64 is not small
        if self._file is not None:
            state["_data"] = None
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        if self._file is not None:
            self._data = self._file.map()

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
        from .. import _validation as v

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
            self._check_file()
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
        if coef.shape[-1:] != sd.shape:
            raise ValueError(f"coef: expected {sd.shape[0]} values per model (the design's "
                             f"columns) in its last axis, got shape {coef.shape}")
        return coef * sd.astype(coef.dtype if coef.dtype.kind == "f" else np.float64)

    # ---- decoding ----------------------------------------------------------------------

    def _check_file(self):
        """ValueError when the file this design maps changed since it was opened (a mapped
        file that shrank would kill the process with SIGBUS at the first read)."""
        if self._file is not None:
            self._file.check()

    def _impute(self):
        # every pass over the data (fits, CV, decoding, X @ w) asks for this first
        self._check_file()
        return np.ascontiguousarray(self.means, dtype=np.float64)

    def _missing_flags(self):
        return (self.counts()[:, 3] > 0).astype(np.uint8)

    def _variant_columns(self, columns):
        """(j0, j1) for a contiguous range of variants, else an int64 index array."""
        p = self._p
        if isinstance(columns, slice):
            j0, j1, step = columns.indices(p)
            if step == 1:
                return max(j0, 0), max(j0, j1)
            return np.arange(j0, j1, step, dtype=np.int64)
        idx = np.asarray(columns)
        if idx.dtype == bool:
            if idx.shape != (p,):
                raise ValueError(f"columns: a boolean mask needs shape ({p},) (one per "
                                 f"variant), got {idx.shape}")
            return np.flatnonzero(idx)
        if idx.ndim == 0 and idx.dtype.kind in "iu":
            idx = idx.reshape(1)
        if idx.ndim != 1 or (idx.size and idx.dtype.kind not in "iu"):
            raise TypeError(f"columns: expected a slice, integer indices or a boolean mask, "
                            f"got {idx.dtype} of shape {idx.shape}")
        idx = idx.astype(np.int64)
        bad = (idx < -p) | (idx >= p)
        if bad.any():
            raise IndexError(f"columns: index {int(idx[np.argmax(bad)])} out of range for "
                             f"{p} variants")
        return np.where(idx < 0, idx + p, idx)

    def _decode(self, j0, j1, imp):
        if self.kind == "int8":
            return _core.genotype_decode_int8(self._data, self._rows, imp, j0, j1)
        return _core.genotype_decode_bed(self._data, self._n_stored, self._p, self._rows, imp,
                                         j0, j1)

    def to_dense(self, standardize=False, *, columns=None):
        """The mean-imputed matrix as float64, shape (n_samples, n_variants) (for small
        data and tests: n_samples * n_variants * 8 bytes).

        Parameters
        ----------
        standardize : bool, default=False
            Center and scale each column to unit (unweighted, divisor n) variance; columns
            with standard deviation 0 become zeros.
        columns : slice, array-like of int or of bool, optional
            The variants to decode instead of all: a slice, indices (in the order given;
            negative ones count from the end) or a mask of length n_variants. The
            covariates are appended only when all variants are decoded (None).

        Returns
        -------
        ndarray of float64, F-ordered
        """
        sel = (0, self._p) if columns is None else self._variant_columns(columns)
        imp = self._impute()
        if isinstance(sel, tuple):
            X = self._decode(sel[0], sel[1], imp)
            which = slice(sel[0], sel[1])
        else:
            X = np.empty((self.n_samples, sel.size), dtype=np.float64, order="F")
            # runs of consecutive variants decode in one call each
            starts = np.flatnonzero(np.diff(sel, prepend=-2) != 1)
            ends = np.append(starts[1:], sel.size)
            for a, b in zip(starts, ends):
                X[:, a:b] = self._decode(int(sel[a]), int(sel[a]) + int(b - a), imp)
            which = sel
        if standardize:
            sd = self.stds[which]
            X -= self.means[which]
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
        """X @ coef for coef of shape (n_columns,) or (n_columns, k), n_columns =
        ``shape[1]`` (variants, then covariates), decoding the variants with a nonzero
        coefficient only (float64, or X's dtype)."""
        c = np.asarray(coef)
        m = self.shape[1]
        if c.ndim not in (1, 2) or c.shape[0] != m:
            raise ValueError(f"Genotypes @ coef: coef has shape {c.shape}, expected ({m},) "
                             f"or ({m}, k): one row per column of X ({self._p} variants"
                             f"{f' + {self.n_covariates} covariates' if self._cov is not None else ''})")
        if c.dtype.kind not in "biuf":
            raise TypeError(f"Genotypes @ coef: coef must be real numbers, got dtype {c.dtype}")
        one = c.ndim == 1
        c2 = c.reshape(m, -1).astype(np.float64)
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

    def _core_design(self, dtype):
        """What the core's paths take of this design (fastreg.linear_model._core_paths):
        (kind, its leading arguments, the default penalty factors: None, or the covariates
        unpenalized unless the design says otherwise), for fits in `dtype`."""
        imp, flags = self._impute(), self._missing_flags()
        cov = self._cov
        pf = None
        if cov is not None:
            cov = np.asfortranarray(cov, dtype=dtype)
            if not self._penalize_cov:
                pf = np.ones(self.shape[1], dtype=dtype)
                pf[self._p:] = 0.0
        if self.kind == "int8":
            return "int8", (self._data, self._rows, imp, flags, cov), pf
        return "bed", (self._data, self._n_stored, self._p, self._rows, imp, flags, cov), pf

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


def _sources(paths):
    """`source` of a design over several files: their paths, the middle elided past 3."""
    if len(paths) <= 3:
        return " + ".join(paths)
    return f"{paths[0]} + ... + {paths[-1]} ({len(paths)} files)"


def _path(path, argument):
    """A path argument (str, bytes or os.PathLike) as str."""
    try:
        return os.fsdecode(path)
    except TypeError:
        raise TypeError(f"{argument}: expected a path (str, bytes or os.PathLike), got "
                        f"{type(path).__name__}") from None


def _row_index(key, n, name="rows"):
    """int64 indices of `key` (integer array, boolean mask of length n, or slice) into n
    samples; None for the identity."""
    if isinstance(key, slice):
        idx = np.arange(n, dtype=np.int64)[key]
        return None if key == slice(None) else idx
    if isinstance(key, (int, np.integer)) and not isinstance(key, (bool, np.bool_)):
        raise TypeError(f"{name}: a single integer would select one sample as a 1-d row, "
                        f"which a Genotypes cannot be; use a list, G[[{int(key)}]]")
    idx = np.asarray(key)
    if idx.dtype == bool:
        if idx.shape != (n,):
            raise ValueError(f"{name}: a boolean mask needs shape ({n},), got {idx.shape}")
        return np.flatnonzero(idx)
    if idx.dtype.kind not in "iu":
        if idx.size == 0:
            return idx.astype(np.int64)
        raise TypeError(f"{name}: expected integer indices or a boolean mask, got dtype "
                        f"{idx.dtype}")
    return idx.astype(np.int64).reshape(-1)
