"""`fastreg lasso`: a cross-validated Lasso / elastic-net path on PLINK files or .npy arrays.

Reads the inputs (PLINK 1 .bed/.bim/.fam or PLINK 2 .pgen/.pvar/.psam with a phenotype
file or the .fam/.psam's own, optional covariates; or an X.npy with a y.npy), matches the
samples by (FID, IID), drops those with a missing phenotype or covariate, fits LassoCV
(ElasticNetCV when --l1-ratio < 1; LogisticRegressionCV for a case/control phenotype,
--family) with the covariates unpenalized, and writes
PREFIX.coef.tsv, PREFIX.path.png, PREFIX.cv.png, PREFIX.manhattan.png and PREFIX.log.
The outputs are one transaction (_Outputs): written to hidden temporary files next to the
targets and renamed into place only once all of them are complete, earlier files put back
if a rename fails or Ctrl-C comes, so a failed run leaves the earlier outputs byte for
byte (and never a partial log). docs/cli/lasso.md describes the options and formats.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
import threading
import time
import warnings

import numpy as np

EXIT_INPUT = 2  # bad input or options, as argparse's usage errors
EXIT_FIT = 1    # the fit itself failed
EXIT_INTERRUPT = 130  # Ctrl-C: 128 + SIGINT, as shells report a command killed by it


class InputError(Exception):
    """A problem with the user's files or options: reported as one message, no traceback."""


def add_arguments(p):
    """The options of `fastreg lasso` on an argparse parser."""
    src = p.add_argument_group("input (--bed or --pgen, with --pheno or the .fam/.psam "
                               "phenotype; --bgen with --pheno; or --npy with --y)")
    src.add_argument("--bed", metavar="PREFIX",
                     help="PLINK 1 files PREFIX.bed, PREFIX.bim, PREFIX.fam (variant-major); "
                     "a pattern such as 'data/chr{1:22}' reads one fileset per chromosome "
                     "as one design (quote it for the shell)")
    src.add_argument("--pgen", metavar="PREFIX",
                     help="PLINK 2 files PREFIX.pgen, PREFIX.pvar, PREFIX.psam (needs pgenlib: "
                     "pip install 'fastreg[pgen]')")
    src.add_argument("--bgen", metavar="PATH",
                     help="a BGEN 1.2/1.3 file: each sample's expected dosage of the second "
                     "allele rounded to 0, 1 or 2 (needs the bgen package: pip install "
                     "'fastreg[bgen]'); the phenotype comes from --pheno")
    src.add_argument("--sample", metavar="FILE",
                     help="the Oxford .sample file of --bgen (ID_1 ID_2 header): samples "
                     "matched by (ID_1, ID_2) as (FID, IID); default: the ids stored in the "
                     ".bgen, as IIDs with FID 0 (a --pheno file with a '#IID' header then "
                     "matches by IID)")
    src.add_argument("--pheno", metavar="FILE",
                     help="phenotype file: FID IID value... per line, whitespace-separated, an "
                     "optional header line 'FID IID name...' (or '#FID'); missing: NA, nan, -9")
    src.add_argument("--pheno-from-fam", action="store_true",
                     help="the phenotype in the .fam's 6th column (the .psam's first "
                     "phenotype column): PLINK's default, also taken when --pheno is not "
                     "given; missing: -9, NA, and 0 in a case/control column")
    src.add_argument("--pheno-name", metavar="COL",
                     help="phenotype column: a header name, or a 1-based index among the "
                     "value columns (default: the first)")
    src.add_argument("--covar", metavar="FILE",
                     help="covariates, same format as --pheno, every value column used; they "
                     "enter the model unpenalized")
    src.add_argument("--npy", metavar="X.npy",
                     help="a numeric (n, p) matrix instead of PLINK files")
    src.add_argument("--y", metavar="y.npy",
                     help="the target for --npy, shape (n,); NaN is missing")
    fit = p.add_argument_group("model")
    fit.add_argument("--family", choices=("auto", "binomial", "gaussian"), default="auto",
                     help="binomial: L1 logistic regression of a case/control phenotype "
                     "(two values: PLINK's 1 = control, 2 = case, or 0 and 1; the larger "
                     "is the case); gaussian: least squares on the values; auto (default): "
                     "binomial when the phenotype has exactly two values, else gaussian")
    fit.add_argument("--cv", type=int, default=5, metavar="K", help="CV folds (default 5)")
    fit.add_argument("--rule", choices=("min", "1se"), default="1se",
                     help="alpha of the final model: 1se, the largest alpha whose mean CV "
                     "error is within one standard error of the minimum (sparser: fewer "
                     "false positives; glmnet's lambda.1se), or min, the minimum mean CV "
                     "error (best prediction, many more variants) (default 1se)")
    fit.add_argument("--l1-ratio", type=float, default=1.0, metavar="R",
                     help="elastic-net mixing in (0, 1]; 1 is the Lasso (default 1)")
    fit.add_argument("--n-alphas", type=int, default=100, metavar="K",
                     help="alphas on the path (default 100)")
    fit.add_argument("--eps", type=float, default=None,
                     help="smallest alpha / largest alpha (default 0.01 when samples < "
                     "features, else 0.001, as glmnet)")
    fit.add_argument("--standardize", action=argparse.BooleanOptionalAction, default=True,
                     help="penalize the coefficients of unit-variance columns (on by "
                     "default, as glmnet; --no-standardize penalizes the raw dosages, which "
                     "favours common variants and selects more); coefficients are reported "
                     "per unit of the input either way (docs/cli.md)")
    fit.add_argument("--seed", type=int, default=0,
                     help="seed of the random assignment of samples to folds (default 0)")
    fit.add_argument("--threads", type=int, default=None, metavar="N",
                     help="threads (default: all cores)")
    out = p.add_argument_group("output")
    out.add_argument("--out", required=True, metavar="PREFIX",
                     help="writes PREFIX.coef.tsv, PREFIX.path.png, PREFIX.cv.png, "
                     "PREFIX.manhattan.png (PLINK input), PREFIX.log (the directory must "
                     "exist)")
    out.add_argument("--quiet", action="store_true",
                     help="print nothing (no summary, no progress bar); errors still go to stderr")


# ---- the folds ------------------------------------------------------------------------


def cv_folds(n, k, seed):
    """(train, test) index pairs: the samples in the order of a seeded permutation
    (numpy's default_rng(seed).permutation(n)) cut into k near-equal blocks."""
    perm = np.random.default_rng(seed).permutation(n)
    out = []
    for test in np.array_split(perm, k):
        mask = np.ones(n, dtype=bool)
        mask[test] = False
        out.append((np.flatnonzero(mask), np.sort(test)))
    return out


# ---- outputs: temporary files renamed into place together -------------------------------


class _Outputs:
    """The outputs of one run as a transaction: each file is written to a hidden temporary
    name in the target directory and, once every one of them is complete, all are renamed
    into place together. A rename that fails half-way (or a Ctrl-C between renames) puts
    back the files it had replaced, so an earlier run's outputs stay as they were, byte for
    byte, unless every new one is in place."""

    def __init__(self, prefix):
        prefix = os.fspath(prefix)
        self.prefix = prefix
        self.dir = os.path.dirname(prefix) or "."
        self.base = os.path.basename(prefix)
        if not self.base or self.base in (".", ".."):
            raise InputError(f"--out {prefix!r}: expected a file-name prefix such as "
                             "DIR/result, not a directory")
        if not os.path.isdir(self.dir):
            raise InputError(f"--out {prefix!r}: directory {self.dir!r} does not exist")
        self.pending = {}     # final name -> temporary name
        self.stale = []       # final names to remove with the commit (plots not redrawn)
        umask = os.umask(0)  # mkstemp makes 0600 files; outputs get the usual permissions
        os.umask(umask)
        self.mode = 0o666 & ~umask

    def final(self, ext):
        return f"{self.prefix}.{ext}"

    def _hidden(self, ext, suffix):
        fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=f".{self.base}.{ext}.", suffix=suffix)
        os.close(fd)
        return tmp

    def temporary(self, ext):
        """A new hidden temporary file in the target directory (the rename is then
        atomic), committed later as PREFIX.ext."""
        tmp = self._hidden(ext, ".tmp")
        self.pending[self.final(ext)] = tmp
        os.chmod(tmp, self.mode)
        return tmp

    def remove_with_commit(self, ext):
        """PREFIX.ext goes when the commit succeeds (and stays if it fails)."""
        if os.path.lexists(self.final(ext)):
            self.stale.append(self.final(ext))

    def commit(self):
        for final in list(self.pending) + self.stale:  # fail before renaming anything
            if os.path.isdir(final) and not os.path.islink(final):
                raise OSError(f"{final}: is a directory, cannot write the output there")
        saved = []  # (final, its earlier content under a hidden name, or None)
        try:
            for final, tmp in list(self.pending.items()) + [(f, None) for f in self.stale]:
                backup = None
                if os.path.lexists(final):
                    # the earlier file moves aside (an atomic rename, the same inode)
                    backup = self._hidden(os.path.basename(final)[len(self.base) + 1:], ".old")
                    try:
                        os.replace(final, backup)
                    except BaseException:
                        os.remove(backup)
                        raise
                saved.append((final, backup, tmp))
                if tmp is not None:
                    os.replace(tmp, final)  # insertion order: the log last
        except BaseException:  # Ctrl-C included: no half-committed outputs
            for final, backup, tmp in reversed(saved):
                try:
                    if backup is not None:  # the earlier file back, over the new one if any
                        os.replace(backup, final)
                    elif tmp is not None and not os.path.lexists(tmp):  # renamed: new file
                        os.remove(final)
                except OSError:
                    pass
            raise
        self.pending.clear()
        for _, backup, _ in saved:
            if backup is not None:
                try:
                    os.remove(backup)
                except OSError:
                    pass
        self.stale.clear()

    def discard(self):
        for tmp in self.pending.values():
            try:
                os.remove(tmp)
            except OSError:
                pass
        self.pending.clear()
        self.stale.clear()


class _Log:
    """The lines of PREFIX.log, echoed to stdout unless quiet."""

    def __init__(self, echo):
        self.lines = []
        self.echo = echo

    def __call__(self, line=""):
        self.lines.append(line)
        if self.echo:
            print(line, flush=True)


class _Progress:
    """Progress of the fold paths and the full-data path on stderr (the share of their
    alphas fitted, which LassoCV reports as the core fits them): one line redrawn in place
    on a terminal (the elapsed time ticks between updates); elsewhere (a pipe, a file) one plain line when the fit starts and one when
    it ends, no carriage returns; nothing when disabled."""

    WIDTH = 30
    TICK = 0.5  # seconds between redraws of the elapsed time on a terminal

    def __init__(self, stream, enabled):
        self.stream = stream
        self.enabled = enabled
        self.tty = enabled and bool(getattr(stream, "isatty", lambda: False)())
        self.t0 = None
        self.state = (0, 1)
        self.lock = threading.Lock()  # paths finish on worker threads; the ticker has one
        self.stop = threading.Event()
        self.ticker = None

    def start(self, total, what):
        self.t0 = time.perf_counter()
        if not self.enabled:
            return
        if self.tty:
            self(0, total)
            self.ticker = threading.Thread(target=self._tick, daemon=True)
            self.ticker.start()
        else:
            print(f"fastreg lasso: fitting {what} ...", file=self.stream, flush=True)

    def _tick(self):
        while not self.stop.wait(self.TICK):
            self(*self.state)

    def __call__(self, done, total):
        if not self.tty:
            return
        with self.lock:
            self.state = (done, total)
            filled = self.WIDTH * done // max(total, 1)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            seconds = time.perf_counter() - self.t0
            percent = 100 * done // max(total, 1)
            self.stream.write(f"\rfastreg lasso: [{bar}] {percent:3d} % {seconds:6.1f} s")
            self.stream.flush()

    def _stop(self):
        self.stop.set()
        if self.ticker is not None:
            self.ticker.join()
            self.ticker = None

    def abort(self):
        self._stop()
        if self.tty:  # end the redrawn line before the error message
            self.stream.write("\n")
            self.stream.flush()

    def finish(self, total):
        self._stop()
        if not self.enabled:
            return
        seconds = time.perf_counter() - self.t0
        if self.tty:
            self(total, total)
            self.stream.write("\n")
            self.stream.flush()
        else:
            print(f"fastreg lasso: {total} paths done in {seconds:.1f} s", file=self.stream,
                  flush=True)


# ---- reading -------------------------------------------------------------------------


class _Data:
    """What the fit needs: X (Genotypes or array), y, and what the report needs."""

    kind = None          # 'bed' or 'npy'
    X = None
    y = None
    n_variants = 0       # penalized columns (variants or features)
    y_source = ""        # where y came from, for messages
    covariate_names = ()
    covariates = None    # (n, c) array of the covariates of the samples used


def _check_options(args):
    given = [opt for opt, val in (("--bed", args.bed), ("--pgen", args.pgen),
                                  ("--bgen", args.bgen), ("--npy", args.npy)) if val is not None]
    if len(given) != 1:
        raise InputError("give one of --bed PREFIX, --pgen PREFIX (with --pheno FILE or the "
                         ".fam/.psam phenotype), --bgen PATH (with --pheno FILE) or --npy "
                         "X.npy (with --y y.npy), " +
                         (f"not {' and '.join(given)}" if given else "got none"))
    if args.sample is not None and args.bgen is None:
        raise InputError("--sample goes with --bgen (the .bgen's sample file)")
    if args.bgen is not None and args.pheno is None:
        raise InputError("--bgen: a BGEN file and its .sample hold no phenotype fastreg "
                         "reads: give --pheno FILE" + (" (not --pheno-from-fam)"
                                                       if args.pheno_from_fam else ""))
    if args.npy is None:
        if args.pheno is not None and args.pheno_from_fam:
            raise InputError("--pheno-from-fam takes the phenotype from the .fam/.psam: give "
                             "it or --pheno FILE, not both")
        if args.y is not None:
            raise InputError(f"--y goes with --npy; with {given[0]} the phenotype comes from "
                             "--pheno or the .fam/.psam")
    else:
        if args.y is None:
            raise InputError("--npy needs --y y.npy (the target)")
        for opt, val in (("--pheno", args.pheno), ("--pheno-name", args.pheno_name),
                         ("--covar", args.covar),
                         ("--pheno-from-fam", args.pheno_from_fam or None)):
            if val is not None:
                raise InputError(f"{opt} goes with --bed, --pgen or --bgen; --npy takes the "
                                 "target from --y (covariates are columns of X.npy)")
    if args.pheno_name is not None and args.pheno is None:
        raise InputError("--pheno-name needs --pheno")
    if args.cv < 2:
        raise InputError(f"--cv: needs at least 2 folds, got {args.cv}")
    if not 0 < args.l1_ratio <= 1:
        raise InputError(f"--l1-ratio: must be in (0, 1], got {args.l1_ratio}")
    if args.n_alphas < 2:
        raise InputError(f"--n-alphas: needs at least 2 alphas, got {args.n_alphas}")
    if args.eps is not None and not 0 < args.eps < 1:
        raise InputError(f"--eps: must be in (0, 1), got {args.eps}")
    if args.seed < 0:
        raise InputError(f"--seed: must be a non-negative integer, got {args.seed}")
    if args.threads is not None and args.threads < 1:
        raise InputError(f"--threads: must be positive, got {args.threads}")


def _examples(names, limit=5):
    shown = ", ".join(str(x) for x in names[:limit])
    return shown + (f", ... ({len(names) - limit} more)" if len(names) > limit else "")


def _read_bed(args, log):
    from ..genotypes._pheno import MISSING_TOKENS, match, read_table, select_column
    from ..genotypes import Genotypes

    G, fam, bim = _open_plink(args, Genotypes)
    ids = [(str(f), str(i)) for f, i in G.sample_ids]
    n_fam = len(ids)
    if len(set(ids)) != n_fam:
        first = {}
        for k, key in enumerate(ids):
            if key in first:
                # a .sample file has two header lines; a .bgen's own ids count from 1
                at = 2 if fam.endswith(".sample") else 0
                where = "sample" if fam == args.bgen else "line"
                raise InputError(f"{fam}, {where} {k + 1 + at}: sample FID {key[0]!r} IID "
                                 f"{key[1]!r} repeats {where} {first[key] + 1 + at}: samples "
                                 "are matched by id")
            first[key] = k
    log(f"genotypes   {G.source}: {n_fam:,} samples ({fam}), {G.n_variants:,} variants ({bim})")

    if args.pheno is None:
        y_all, drops, y_source = _fam_phenotype(G, fam, log)
    else:
        readers = (MISSING_TOKENS, match, read_table, select_column)
        y_all, drops, y_source = _pheno_file(args, ids, fam, log, readers)

    C_all = None
    names = ()
    if args.covar is not None:
        try:
            cv = read_table(args.covar, "covariate")
        except ValueError as e:
            raise InputError(str(e)) from None
        try:
            crow, cextra = match(ids, cv)
        except ValueError as e:
            raise InputError(str(e)) from None
        names = tuple(cv.names) if cv.names is not None else tuple(
            f"covar{j + 1}" for j in range(cv.values.shape[1]))
        if (crow < 0).all():
            raise InputError(f"{cv.path}: none of its {len(cv.ids):,} sample ids matches one "
                             f"in {fam} (samples are matched by FID and IID)")
        log(f"covariates  {cv.path}: {len(names)} ({_examples(list(names), 10)}), "
            f"{len(cv.ids):,} lines; {cextra:,} of its ids not in {fam} (ignored)")
        C_all = np.where((crow >= 0)[:, None], cv.values[np.maximum(crow, 0)], np.nan)
        drops += [(crow < 0, f"no line in {cv.path}"),
                  ((crow >= 0) & np.isnan(C_all).any(axis=1), "a missing covariate")]

    # Each dropped sample is counted under the first reason that applies.
    keep = np.ones(n_fam, dtype=bool)
    for mask, why in drops:
        hit = keep & mask
        if hit.any():
            log(f"dropped     {int(hit.sum()):,} sample(s) with {why}: "
                f"{_examples([f'{ids[i][0]}:{ids[i][1]}' for i in np.flatnonzero(hit)])}")
        keep &= ~mask
    n_used = int(keep.sum())
    if n_used == 0:
        raise InputError(f"no sample of {fam} has both a phenotype ({y_source}) and all "
                         f"covariates in {args.covar}")
    log(f"samples     {n_used:,} of {n_fam:,} used")

    data = _Data()
    data.kind = "bed"
    idx = np.flatnonzero(keep)
    Gs = G.subset(idx)
    data.n_variants = G.n_variants
    counts = Gs.counts()
    all_missing = counts[:, 3] == n_used
    mono = Gs.monomorphic & ~all_missing
    calls = float(counts[:, 3].sum()) / (n_used * G.n_variants)
    log(f"variants    {G.n_variants:,}; missing calls {100 * calls:.2f} % (mean-imputed per "
        "variant)")
    for mask, what in ((mono, "monomorphic"), (all_missing, "all-missing")):
        if mask.any():
            log(f"            {int(mask.sum()):,} {what} in the samples used, kept with "
                f"coefficient 0: {_examples(list(G.variant_ids[mask]))}")
    if C_all is not None:
        const = [names[j] for j in range(len(names)) if np.ptp(C_all[idx, j]) == 0]
        if const:
            log(f"            {len(const)} covariate(s) constant over the samples used, "
                f"coefficient 0 (the intercept takes their place): {_examples(const)}")
        Gs = Gs.with_covariates(C_all[idx])
        data.covariate_names = names
        data.covariates = C_all[idx]
    data.X = Gs
    data.y = y_all[idx]
    data.genotypes = G
    data.y_source = y_source
    return data


def _open_plink(args, Genotypes):
    """(Genotypes, sample file, variant file) of --bed, --pgen or --bgen."""
    if args.bgen is not None:
        try:
            G = Genotypes.from_bgen(args.bgen, sample=args.sample)
        except (ValueError, OSError, ImportError) as e:  # ImportError: no bgen package
            raise InputError(str(e)) from None
        return G, args.sample if args.sample is not None else args.bgen, args.bgen
    if args.bed is not None:
        prefix, ext, files = args.bed, ".bed", (".fam", ".bim")
        reader = Genotypes.from_bed
    else:
        prefix, ext, files = args.pgen, ".pgen", (".psam", ".pvar")
        reader = getattr(Genotypes, "from_pgen", None)
        if reader is None:
            raise InputError("--pgen: this version of fastreg cannot read PLINK 2 files; "
                             "convert them with plink2 --pfile PREFIX --make-bed")
    try:
        G = reader(prefix)
    except (ValueError, OSError, ImportError) as e:  # ImportError: pgenlib not installed
        raise InputError(str(e)) from None
    prefix = prefix[:-len(ext)] if prefix.endswith(ext) else prefix
    sources = getattr(G, "sources", ())
    if len(sources) > 1:  # a pattern: its .fam files agree; messages name the first
        return G, sources[0][:-len(ext)] + files[0], prefix + files[1]
    return G, prefix + files[0], prefix + files[1]


def _pheno_file(args, ids, fam, log, readers):
    """The --pheno column for each sample of the .fam/.psam (NaN without a value), the
    reasons to drop samples, and the phenotype's name for messages."""
    MISSING_TOKENS, match, read_table, select_column = readers

    try:
        ph = read_table(args.pheno, "phenotype")
        col = select_column(ph, args.pheno_name)
        rows, extra = match(ids, ph)
    except ValueError as e:
        raise InputError(str(e)) from None
    label = repr(ph.names[col]) if ph.names is not None else f"column {col + 3}"
    n_cols = ph.values.shape[1]
    log(f"phenotype   {ph.path}: {label} ({'header' if ph.names is not None else 'no header'}, "
        f"{n_cols} value column(s)), {len(ph.ids):,} lines; {extra:,} of its ids not in {fam} "
        "(ignored)")
    if (rows < 0).all():
        raise InputError(f"{ph.path}: none of its {len(ph.ids):,} sample ids matches one in "
                         f"{fam} (samples are matched by FID and IID; {fam} starts with "
                         f"{ids[0][0]} {ids[0][1]}, {ph.path} line {ph.lines[0]} with "
                         f"{ph.ids[0][0]} {ph.ids[0][1]})")
    y_all = np.where(rows >= 0, ph.values[np.maximum(rows, 0), col], np.nan)
    no_pheno = rows < 0
    missing_pheno = ~no_pheno & np.isnan(y_all)
    if not (~no_pheno & ~missing_pheno).any():
        raise InputError(f"{ph.path}: phenotype {label}: the values of all "
                         f"{int((~no_pheno).sum()):,} samples of {fam} it lists are missing "
                         f"({', '.join(MISSING_TOKENS)})")
    drops = [(no_pheno, f"no line in {ph.path}"),
             (missing_pheno, f"missing phenotype ({', '.join(MISSING_TOKENS)})")]

    return y_all, drops, f"{ph.path}: phenotype {label}"


def _fam_phenotype(G, fam, log):
    """The .fam's 6th column (the .psam's first phenotype), PLINK's default phenotype."""
    read = getattr(G, "fam_phenotype", None)
    if read is None:
        raise InputError(f"no --pheno FILE given, and this version of fastreg cannot read "
                         f"the phenotype column of {fam}: give --pheno FILE")
    try:
        y_all = np.asarray(read(), dtype=np.float64)
    except ValueError as e:
        raise InputError(f"{e}; give --pheno FILE") from None
    column = "6th column" if fam.endswith(".fam") else "first phenotype column"
    missing = np.isnan(y_all)
    log(f"phenotype   {fam}: its {column} (no --pheno given: PLINK's default), "
        f"{int((~missing).sum()):,} of {y_all.size:,} values present")
    if missing.all():
        raise InputError(f"{fam}: the phenotype in its {column} is missing for every sample "
                         "(-9, NA, or 0 in a case/control column): give --pheno FILE")
    return y_all, [(missing, f"missing phenotype in {fam}")], f"{fam}: phenotype ({column})"


def _load_npy(path, what):
    try:
        a = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file ({what})") from None
    except (ValueError, OSError) as e:
        raise InputError(f"{path}: not a readable .npy array ({what}): {e}") from None
    if not isinstance(a, np.ndarray) or a.dtype.kind not in "biuf":
        raise InputError(f"{path}: expected a numeric array ({what}), got dtype "
                         f"{getattr(a, 'dtype', type(a).__name__)}")
    return a


def _read_npy(args, log):
    X = _load_npy(args.npy, "X")
    y = _load_npy(args.y, "y")
    if X.ndim != 2 or X.shape[0] < 1 or X.shape[1] < 1:
        raise InputError(f"{args.npy}: expected a 2-d array (samples x features), got shape "
                         f"{X.shape}")
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise InputError(f"{args.y}: expected a 1-d array (one value per sample), got shape "
                         f"{y.shape}")
    n, p = X.shape
    if y.shape[0] != n:
        raise InputError(f"{args.y}: {y.shape[0]} values, but {args.npy} has {n} rows "
                         "(samples)")
    dtype = np.float32 if X.dtype == np.float32 else np.float64
    X = np.asarray(X, dtype=dtype)
    bad = ~np.isfinite(X)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise InputError(f"{args.npy}: row {i}, column {j} is {X[i, j]}: X must be finite "
                         f"({int(bad.sum())} non-finite value(s))")
    with np.errstate(over="ignore", invalid="ignore"):
        sums = np.einsum("ij,ij->j", X, X)  # in X's dtype: what the fit's norms need
    if not np.isfinite(sums).all():
        j = int(np.flatnonzero(~np.isfinite(sums))[0])
        raise InputError(f"{args.npy}: column {j} has values as large as "
                         f"{X[np.argmax(np.abs(X[:, j])), j]:g}: their squares overflow "
                         f"{X.dtype}; rescale X (e.g. standardize its columns)")
    y = np.asarray(y, dtype=np.float64)
    if np.isinf(y).any():
        raise InputError(f"{args.y}: value {int(np.flatnonzero(np.isinf(y))[0])} is "
                         "infinite (NaN marks a missing value)")
    log(f"matrix      {args.npy}: {n:,} samples x {p:,} features ({X.dtype})")
    missing = np.isnan(y)
    if missing.all():
        raise InputError(f"{args.y}: all {n} values are missing (NaN)")
    log(f"target      {args.y}: {n:,} values")
    if missing.any():
        log(f"dropped     {int(missing.sum()):,} sample(s) with a missing target (NaN): rows "
            f"{_examples(list(np.flatnonzero(missing)))}")
    keep = ~missing
    log(f"samples     {int(keep.sum()):,} of {n:,} used")
    data = _Data()
    data.kind = "npy"
    data.X = np.asfortranarray(X[keep] if missing.any() else X)
    data.y = y[keep].astype(dtype)
    data.n_variants = p
    data.y_source = args.y
    zero = np.flatnonzero(data.X.std(axis=0) == 0)
    if zero.size:
        log(f"            {zero.size:,} constant feature(s), coefficient 0: columns "
            f"{_examples(list(zero))}")
    return data


# ---- fitting -------------------------------------------------------------------------


def _check_target(data):
    """What the fit cannot answer: a constant target, one whose squares overflow, and one
    that the unpenalized part of the model (intercept and covariates) explains exactly,
    which would leave only rounding errors for the variants to fit."""
    y = np.asarray(data.y, dtype=np.float64)
    n = y.size
    if not np.ptp(y) > 0:
        raise InputError(f"{data.y_source}: constant ({y[0]:g}) over the {n} samples "
                         "used: nothing to predict")
    with np.errstate(over="ignore", invalid="ignore"):
        centered = y - y.mean()
        ss = float(centered @ centered)
    if not np.isfinite(ss):
        big = y[np.argmax(np.abs(y))]
        raise InputError(f"{data.y_source}: values as large as {big:g} overflow the sums of "
                         "squares the fit needs (float64); rescale the phenotype (e.g. to "
                         "standard units)")
    C = getattr(data, "covariates", None)
    if C is None or C.shape[1] == 0:
        return
    with np.errstate(over="ignore", invalid="ignore"):
        Cc = C - C.mean(axis=0)
        spread = np.sqrt((Cc * Cc).sum(axis=0))
    if not np.isfinite(spread).all():
        j = int(np.flatnonzero(~np.isfinite(spread))[0])
        raise InputError(f"covariate {data.covariate_names[j]!r}: values as large as "
                         f"{C[np.argmax(np.abs(C[:, j])), j]:g} overflow the sums of squares "
                         "the fit needs (float64); rescale it")
    # least squares on [1, covariates], on scaled columns so that the test is about
    # the fit, not units
    A = np.column_stack([np.ones(n), Cc])
    scale = np.sqrt((A * A).sum(axis=0))
    scale[scale == 0] = 1.0
    z = centered / np.sqrt(ss)
    coef = np.linalg.lstsq(A / scale, z, rcond=None)[0]
    r = z - (A / scale) @ coef
    if np.sqrt(r @ r) <= 1e-9:
        names = ", ".join(data.covariate_names)
        raise InputError(f"{data.y_source}: the covariates ({names}) and the intercept "
                         "explain the phenotype exactly (residual below 1e-9 of its spread): "
                         "nothing is left for the variants to explain, and a fit would select "
                         "variants on rounding errors; check that the phenotype is not a "
                         "covariate (or a combination of them)")


def _fit(data, args, log, progress):
    import fastreg

    n, p = data.X.shape
    if n < 2 * args.cv:
        raise InputError(f"{n} sample(s) left: too few for {args.cv}-fold cross-validation "
                         f"(at least {2 * args.cv})")
    family = _family(data, args, log)
    if family == "gaussian":
        _check_target(data)
    eps = args.eps if args.eps is not None else (1e-2 if n < p else 1e-3)
    folds = cv_folds(n, args.cv, args.seed)
    common = dict(cv=folds, alphas=args.n_alphas, eps=eps, selection_rule=args.rule,
                  standardize=args.standardize, n_threads=args.threads, progress=progress)
    if family == "binomial":
        model, name = _binomial_model(args, folds, eps)
    elif args.l1_ratio < 1:
        model = fastreg.ElasticNetCV(l1_ratio=args.l1_ratio, **common)
        name = f"ElasticNetCV (l1_ratio {args.l1_ratio:g})"
    else:
        model = fastreg.LassoCV(**common)
        name = "LassoCV"
    cov = f", {len(data.covariate_names)} unpenalized covariate(s)" if data.covariate_names else ""
    log(f"model       {name}: {args.cv} folds (seed {args.seed}), {args.n_alphas} alphas down "
        f"to {eps:g} x the largest, intercept{cov}"
        f"{', standardized' if args.standardize else ''}, "
        f"{args.threads or fastreg.get_num_threads()} threads")
    progress.start(args.cv + 1, f"{args.cv} fold paths and the path on all samples")
    t0 = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model.fit(data.X, data.y)
        except (ValueError, MemoryError) as e:
            progress.abort()
            raise _FitError(f"the fit failed: {e}") from None
        except Exception as e:  # a bug of ours on these data: still one line, no traceback
            progress.abort()
            raise _FitError(f"the fit failed ({type(e).__name__}: {e}); this is a bug in "
                            "fastreg: please report it with the command") from None
        except BaseException:  # Ctrl-C included: stop the ticker, end the bar's line
            progress.abort()
            raise
    seconds = time.perf_counter() - t0
    progress.finish(args.cv + 1)
    if family == "binomial":
        model = _BinomialFit(model, data.n_variants)
    return model, seconds, [str(w.message) for w in caught]


# ---- the binomial family -------------------------------------------------------------


def _family(data, args, log):
    """'binomial' or 'gaussian' by --family; a binomial phenotype becomes 0/1 (1: the
    case, the larger of its two values), its counts go to the log and data.cases."""
    y = np.asarray(data.y, dtype=np.float64)
    values = np.unique(y)
    two = values.size == 2
    family = args.family
    if family == "auto":
        family = "binomial" if two else "gaussian"
    elif family == "binomial" and not two:
        shown = ", ".join(f"{v:g}" for v in values[:5]) + (", ..." if values.size > 5 else "")
        raise InputError(f"{data.y_source}: --family binomial needs a case/control phenotype "
                         f"(exactly two values), got {values.size} distinct value(s): {shown}")
    data.family = family
    if family == "gaussian":
        if two:
            log(f"family      gaussian (--family gaussian): the two values {values[0]:g} and "
                f"{values[1]:g} are fitted as numbers, by least squares")
        return family
    control, case = float(values[0]), float(values[1])
    y01 = (y == case).astype(y.dtype if y.dtype.kind == "f" else np.float64)
    n_case = int(y01.sum())
    data.cases = (n_case, y01.size - n_case, control, case)
    coding = {(1.0, 2.0): "PLINK's 1 = control, 2 = case", (0.0, 1.0): "0 = control, 1 = case"}
    meaning = coding.get((control, case), f"{control:g} = control, {case:g} = case: the larger "
                         "value is the case")
    how = "auto: the phenotype has two values" if args.family == "auto" else "--family binomial"
    log(f"family      binomial ({how}; {meaning}): {n_case:,} cases, "
        f"{y01.size - n_case:,} controls")
    data.y = y01.astype(data.y.dtype if np.asarray(data.y).dtype.kind == "f" else np.float64)
    return family


def _binomial_model(args, folds, eps):
    """LogisticRegressionCV with glmnet's grid (the same alphas in every fold), the
    deviance as the CV measure, and the command's rule."""
    import fastreg

    if args.l1_ratio < 1 and args.standardize:
        raise InputError(f"--l1-ratio {args.l1_ratio:g} with the binomial family needs "
                         "--no-standardize: standardized elastic-net logistic regression is "
                         "not implemented (the lasso, --l1-ratio 1, is)")
    model = fastreg.LogisticRegressionCV(
        alphas=args.n_alphas, eps=eps, l1_ratios=[args.l1_ratio], cv=folds,
        scoring="deviance", selection_rule=args.rule, standardize=args.standardize,
        n_threads=args.threads, use_legacy_attributes=False)
    name = ("LogisticRegressionCV (binomial, lasso)" if args.l1_ratio == 1 else
            f"LogisticRegressionCV (binomial, l1_ratio {args.l1_ratio:g})")
    return model, name


class _BinomialFit:
    """A fitted LogisticRegressionCV with the attributes the report, the coefficient file
    and the plots read from LassoCV (coef_ of shape (n_features,), a float intercept_, the
    CV curve along cv_alphas_), plus the held-out deviance, AUC and misclassification
    rate at each rule's alpha."""

    family = "binomial"

    def __init__(self, model, n_variants):
        self.model = model
        self.coef_ = np.asarray(model.coef_, dtype=np.float64)[0]
        self.intercept_ = float(model.intercept_[0])
        self.alphas_ = self.cv_alphas_ = np.asarray(model.alphas_, dtype=np.float64)
        self.cv_mean_, self.cv_se_ = model.cv_mean_, model.cv_se_
        self.alpha_, self.alpha_min_, self.alpha_1se_ = (model.alpha_, model.alpha_min_,
                                                        model.alpha_1se_)
        self.n_folds_ = model.n_folds_
        self.coef_path_ = model.coef_path_
        self.n_variants = n_variants

    def at(self, alpha):
        """(index in the grid, {measure: (mean over folds, standard error)}) at alpha."""
        i = int(np.argmin(np.abs(self.cv_alphas_ - alpha)))
        out = {}
        for name, values in self.model.cv_measures_.items():
            v = values[:, 0, i]
            v = v[~np.isnan(v)]
            se = v.std(ddof=1) / np.sqrt(v.size) if v.size > 1 else np.nan
            out[name] = (float(v.mean()) if v.size else np.nan, float(se))
        return i, out


class _FitError(Exception):
    pass


def _report_fit(model, data, args, log, seconds, caught):
    mean, se, grid = model.cv_mean_, model.cv_se_, model.cv_alphas_
    what = "variants" if data.kind == "bed" else "features"
    _, rows, index = _path_rows(model)
    rows = rows[index < data.n_variants]  # the penalized ones: variants or features
    for rule, alpha in (("min", model.alpha_min_), ("1se", model.alpha_1se_)):
        i = int(np.argmin(np.abs(grid - alpha)))
        chosen = "  <- chosen (--rule " + rule + ")" if rule == args.rule else ""
        count = int(np.count_nonzero(rows[:, i])) if i < rows.shape[1] else 0
        if isinstance(model, _BinomialFit):
            _, m = model.at(alpha)
            log(f"alpha {rule:<5} {alpha:.6g} (#{i + 1} of {grid.size}): CV deviance "
                f"{m['deviance'][0]:.6g} (se {m['deviance'][1]:.3g}), AUC {m['auc'][0]:.4f} "
                f"(se {m['auc'][1]:.3g}), misclassification {m['misclassification'][0]:.4f}, "
                f"{count:,} nonzero {what}{chosen}")
            continue
        log(f"alpha {rule:<5} {alpha:.6g} (#{i + 1} of {grid.size}): CV MSE {mean[i]:.6g} "
            f"(se {se[i]:.3g}), {count:,} nonzero {what}{chosen}")
    log("            (min: the best CV prediction, with many weak or false positives "
        "among its variants; 1se: the sparsest model within one standard error of it, "
        "fewer false positives)" if data.kind == "bed" else
        "            (min: the best CV prediction; 1se: the sparsest model within one "
        "standard error of it)")
    coef = model.coef_
    nz = int(np.count_nonzero(coef[:data.n_variants]))
    log(f"nonzero     {nz:,} of {data.n_variants:,} {what} at alpha {model.alpha_:.6g}; "
        f"intercept {model.intercept_:.6g}")
    for name, c in zip(data.covariate_names, coef[data.n_variants:]):
        log(f"            covariate {name}: {c:.6g}")
    log(f"time        fit {seconds:.2f} s")
    for message in caught:
        if data.covariate_names:  # the top of the grid keeps the unpenalized covariates
            message = message.replace("the intercept-only model",
                                      "the model of the intercept and covariates alone")
        log(f"warning     {message}")


# ---- writing -------------------------------------------------------------------------


def _write_coef(path, model, data):
    """Nonzero variant (or feature) coefficients in input order, then every covariate,
    then the intercept; values with 17 significant digits (exact round trip)."""
    coef = np.asarray(model.coef_, dtype=np.float64)
    nz = np.flatnonzero(coef[:data.n_variants])
    with open(path, "w", encoding="utf-8") as f:
        if isinstance(model, _BinomialFit):  # comment lines before the header
            f.writelines(_binomial_summary(model, data))
        if data.kind == "bed":
            G = data.genotypes
            f.write("id\tchrom\tpos\ta1\ta2\tcoef\tkind\n")
            for j in nz:
                f.write(f"{G.variant_ids[j]}\t{G.chromosomes[j]}\t{G.positions[j]}\t"
                        f"{G.alleles[j, 0]}\t{G.alleles[j, 1]}\t{coef[j]:.17g}\tvariant\n")
            for name, c in zip(data.covariate_names, coef[data.n_variants:]):
                f.write(f"{name}\t.\t.\t.\t.\t{c:.17g}\tcovariate\n")
            f.write(f"(intercept)\t.\t.\t.\t.\t{model.intercept_:.17g}\tintercept\n")
        else:
            f.write("index\tcoef\tkind\n")
            for j in nz:
                f.write(f"{j}\t{coef[j]:.17g}\tfeature\n")
            f.write(f".\t{model.intercept_:.17g}\tintercept\n")


def _binomial_summary(model, data):
    """The '#' lines that open a binomial fit's coefficient file: the case and control
    counts, and the CV deviance and AUC at both rules' alphas."""
    n_case, n_control, control, case = data.cases
    lines = [f"# family binomial: {n_case} cases (phenotype {case:g}), {n_control} controls "
             f"(phenotype {control:g}); coefficients are log odds ratios per unit\n"]
    for rule, alpha in (("min", model.alpha_min_), ("1se", model.alpha_1se_)):
        _, m = model.at(alpha)
        chosen = " (chosen)" if alpha == model.alpha_ else ""
        lines.append(f"# alpha_{rule} {alpha:.17g}{chosen}: CV deviance {m['deviance'][0]:.6g} "
                     f"(se {m['deviance'][1]:.3g}), CV AUC {m['auc'][0]:.6g} "
                     f"(se {m['auc'][1]:.3g})\n")
    return lines


def _path_rows(model):
    """(alphas, coefficients, feature indices) of the path on all samples, for the
    features nonzero somewhere on it only: coef_path_ would densify all n_features x
    n_alphas values (800 MB for a million variants), so read the model's sparse path when
    it has one."""
    alphas = np.asarray(model.cv_alphas_)
    stored = getattr(model, "_path_coefs", None)
    if stored is None:
        coefs = model.coef_path_
        index = np.flatnonzero(np.any(coefs != 0, axis=1))
        return alphas, coefs[index], index
    (data, indices, indptr), _, _, k = stored
    cols = np.repeat(np.arange(k), np.diff(indptr))
    nz = data != 0
    rows, pos = np.unique(indices[nz], return_inverse=True)
    out = np.zeros((rows.size, k))
    out[pos, cols[nz]] = data[nz]
    return alphas[:k], out[:, :alphas.size], rows


PLOTS = ("path.png", "cv.png", "manhattan.png")


def _write_plots(outputs, model, data, args):
    """PREFIX.path.png, PREFIX.cv.png and (PLINK input) PREFIX.manhattan.png into
    temporary files; returns their extensions, or None without matplotlib."""
    try:
        import matplotlib
    except ImportError:
        return None
    matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.pyplot as plt

    from .. import plot

    rule = f"chosen: --rule {args.rule}"
    nv = data.n_variants
    what = "variants" if data.kind == "bed" else "features"
    if data.kind == "bed":
        G = data.genotypes
        names = lambda idx: [str(G.variant_ids[j]) if j < nv else  # noqa: E731
                             data.covariate_names[j - nv] for j in idx]
    else:
        names = lambda idx: [f"x{j}" for j in idx]  # noqa: E731
    alphas, rows, index = _path_rows(model)

    def draw_path():
        return plot.path((alphas, rows), labels=names(index), covariates=index >= nv,
                         alpha_min=model.alpha_min_, alpha_1se=model.alpha_1se_,
                         count_label=f"nonzero {what}")

    draws = [("path.png", draw_path, f"Coefficient path on all samples ({rule})"),
             ("cv.png", lambda: plot.cv(model, ylabel="binomial deviance"
                                        if isinstance(model, _BinomialFit)
                                        else "mean squared error"),
              f"{model.n_folds_}-fold cross-validation ({rule})")]
    if data.kind == "bed":
        coef = np.asarray(model.coef_[:nv], dtype=np.float64)

        def draw_manhattan():
            return plot.manhattan(coef, G.chromosomes, G.positions,
                                  labels=G.variant_ids, ylabel="coefficient per copy of A1")

        nz = int(np.count_nonzero(coef))
        draws.append(("manhattan.png", draw_manhattan,
                      f"{nz:,} of {nv:,} variants nonzero at alpha {model.alpha_:.3g} ({rule})"))
    for ext, draw, title in draws:
        ax = draw()
        ax.set_title(title)
        try:
            ax.figure.savefig(outputs.temporary(ext), format="png", dpi=100)
        finally:
            plt.close(ax.figure)
    return [ext for ext, _, _ in draws]


# ---- the command -----------------------------------------------------------------------


def run(args, stderr=None):
    """`fastreg lasso` with parsed arguments; returns the exit status (0 on success)."""
    import fastreg

    stderr = sys.stderr if stderr is None else stderr
    t_start = time.perf_counter()
    log = _Log(echo=not args.quiet)
    outputs = None
    try:
        _check_options(args)
        outputs = _Outputs(args.out)
        command = "fastreg " + shlex.join(getattr(args, "argv", None) or ["lasso"])
        log(f"fastreg {fastreg.__version__} lasso, "
            f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}")
        log(f"command     {command}")
        t0 = time.perf_counter()
        data = _read_npy(args, log) if args.npy is not None else _read_bed(args, log)
        log(f"time        read {time.perf_counter() - t0:.2f} s")
        progress = _Progress(stderr, enabled=not args.quiet)
        model, seconds, caught = _fit(data, args, log, progress)
        _report_fit(model, data, args, log, seconds, caught)

        t0 = time.perf_counter()
        _write_coef(outputs.temporary("coef.tsv"), model, data)
        drawn = _write_plots(outputs, model, data, args)
        if drawn is not None:
            plots = "".join(f", {outputs.final(ext)}" for ext in drawn)
        else:
            plots = ""
            log("plots       matplotlib is not installed: no PNG written (pip install "
                "'fastreg[plot]', or matplotlib, to get them)")
        log(f"time        write {time.perf_counter() - t0:.2f} s, total "
            f"{time.perf_counter() - t_start:.2f} s")
        log(f"written     {outputs.final('coef.tsv')}{plots}, {outputs.final('log')}")
        with open(outputs.temporary("log"), "w", encoding="utf-8") as f:
            f.write("\n".join(log.lines) + "\n")
        for ext in PLOTS:  # stale plots of an earlier run would contradict this log: they
            if ext not in (drawn or ()):  # go with the commit, and stay if it fails
                outputs.remove_with_commit(ext)
        outputs.commit()
        return 0
    except InputError as e:
        print(f"fastreg lasso: error: {e}", file=stderr)
        return EXIT_INPUT
    except (_FitError, OSError) as e:  # OSError: writing the outputs (disk full, permissions)
        print(f"fastreg lasso: error: {e}", file=stderr)
        return EXIT_FIT
    except KeyboardInterrupt:
        print("fastreg lasso: interrupted: no output written", file=stderr, flush=True)
        return EXIT_INTERRUPT
    finally:
        if outputs is not None:
            outputs.discard()  # after a commit there is nothing left to discard
