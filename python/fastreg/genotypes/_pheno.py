"""PLINK-style phenotype and covariate files, by PLINK's rules.

One line per sample: ``FID IID value...``, or ``IID value...`` under a PLINK 2 ``#IID``
header. Fields are separated by whitespace (spaces or tabs) or, when the first line has a
comma, by commas. The first line is a header when it starts with ``FID IID``, ``#FID IID``
or ``#IID`` (case-insensitive); without one, the first two fields are FID and IID and the
value columns are unnamed, referred to by a 1-based index, as PLINK's ``--mpheno``.

Missing values are ``NA``, ``nan`` (any case), ``-9`` and, in a comma-separated file, an
empty field. In a phenotype column coded case/control (PLINK's 1 = control, 2 = case: the
non-missing values are 0, 1 and 2 and both 1 and 2 occur) 0 is missing too, as PLINK 1.9
reads it. Every problem raises ValueError naming the file and, where there is one, the line.
"""

from __future__ import annotations

import os

import numpy as np

from ._text import text_lines

MISSING_TOKENS = ("NA", "nan", "-9")  # how the docs and the log describe missing values
_MISSING = {"na", "nan", ""}


class Table:
    """The parsed file: ``ids`` a list of (FID, IID) tuples in file order (FID None in a
    file without a FID column), ``values`` a float64 array (n_lines, n_columns) with NaN
    for missing, ``names`` the value columns' names (None without a header), ``lines``
    the 1-based line number of each row, ``has_fid`` whether the file has FIDs."""

    def __init__(self, path, ids, values, names, lines, has_fid=True):
        self.path = path
        self.ids = ids
        self.values = values
        self.names = names
        self.lines = lines
        self.has_fid = has_fid


def _header_ids(fields):
    """How many id columns a header line has (2: FID IID, 1: #IID), 0 when not a header."""
    first = fields[0].lower()
    if len(fields) >= 2 and first in ("fid", "#fid") and fields[1].lower() == "iid":
        return 2
    if first in ("#iid", "iid"):
        return 1
    return 0


def _number(token):
    """float of a value field, NaN for a missing one, None when it is not a number."""
    if token.lower() in _MISSING:
        return np.nan
    try:
        x = float(token)
    except ValueError:
        return None
    if x == -9.0:  # PLINK's missing code, however it is spelled (-9, -9.0)
        return np.nan
    if not np.isfinite(x):  # inf is no measurement; nan spelled otherwise was handled
        return None
    return x


def zero_is_missing(values):
    """True for a column PLINK 1.9 reads as case/control with 0 missing: its non-missing
    values are within {0, 1, 2} and both 1 and 2 occur."""
    v = values[~np.isnan(values)]
    if v.size == 0:
        return False
    present = set(np.unique(v).tolist())
    return present <= {0.0, 1.0, 2.0} and {1.0, 2.0} <= present


def case_control_missing(values):
    """`values` with 0 set to NaN when the column is coded case/control (a copy)."""
    values = np.array(values, dtype=np.float64)
    if zero_is_missing(values):
        values[values == 0] = np.nan
    return values


def is_case_control(values):
    """Whether a phenotype is case/control coded.

    Parameters
    ----------
    values : array-like of float
        The phenotype, NaN for missing (as :func:`fastreg.read_pheno` returns it).

    Returns
    -------
    bool
        True when the non-missing values are exactly two distinct values, 1 and 2
        (PLINK's control and case) or 0 and 1.
    """
    v = np.asarray(values, dtype=np.float64).reshape(-1)
    present = set(np.unique(v[~np.isnan(v)]).tolist())
    return present in ({1.0, 2.0}, {0.0, 1.0})


def tokens_to_values(tokens):
    """float64 values of a .fam/.psam phenotype column's tokens: NA, nan, -9 and anything
    that is not a number missing (as PLINK 1.9 reads the .fam), and 0 when the column is
    coded case/control."""
    out = np.empty(len(tokens), dtype=np.float64)
    for k, t in enumerate(tokens):
        x = _number(t)
        out[k] = np.nan if x is None else x
    return case_control_missing(out)


def _split(line, comma):
    if comma:
        return [f.strip() for f in line.rstrip("\r\n").split(",")]
    return line.split()


def read_table(path, what):
    """Parse a PLINK-style file; `what` ('phenotype', 'covariate') names it in messages.

    Returns
    -------
    Table
    """
    try:
        path = os.fsdecode(path)
    except TypeError:
        raise TypeError(f"path: expected a path (str, bytes or os.PathLike), got "
                        f"{type(path).__name__}") from None
    if not os.path.isfile(path):
        raise ValueError(f"{path}: no such {what} file")
    ids, rows, lines, names = [], [], [], None
    seen = {}
    width = None
    n_ids = 2
    comma = None
    for k, line in text_lines(path, f"{what} file"):
        if not line.strip():
            continue  # blank lines (a trailing one is common) carry nothing
        if comma is None:
            comma = "," in line
        fields = _split(line, comma)
        if width is None and _header_ids(fields):
            n_ids = _header_ids(fields)
            names = fields[n_ids:]
            width = len(fields)
            if width <= n_ids:
                raise ValueError(f"{path}, line {k}: the header has no {what} column after "
                                 f"{' '.join(fields[:n_ids])}")
            dup = sorted({c for c in names if names.count(c) > 1})
            if dup:
                raise ValueError(f"{path}, line {k}: repeated column name(s) {', '.join(dup)}")
            continue
        if width is None and fields[0].startswith("#"):
            raise ValueError(f"{path}, line {k}: a header line must start with FID IID, "
                             f"#FID IID or #IID, got {' '.join(fields[:2])!r}")
        if width is None:
            width = len(fields)
            if width < 3:
                raise ValueError(f"{path}, line {k}: {width} field(s); expected FID, IID "
                                 f"and at least one {what} value")
        if len(fields) != width:
            idn = "FID IID" if n_ids == 2 else "IID"
            raise ValueError(f"{path}, line {k}: {len(fields)} fields, expected {width} "
                             f"({idn} and {width - n_ids} {what} value(s), as on the "
                             f"{'header' if names is not None else 'first'} line)")
        key = (fields[0], fields[1]) if n_ids == 2 else (None, fields[0])
        if key in seen:
            who = f"FID {key[0]!r} IID {key[1]!r}" if n_ids == 2 else f"IID {key[1]!r}"
            raise ValueError(f"{path}, line {k}: sample {who} repeats line {seen[key]}")
        seen[key] = k
        row = []
        for j, token in enumerate(fields[n_ids:]):
            x = _number(token)
            if x is None:
                col = repr(names[j]) if names is not None else f"column {j + n_ids + 1}"
                raise ValueError(f"{path}, line {k}: {what} {col} value {token!r} is not "
                                 f"a number (missing values are {', '.join(MISSING_TOKENS)})")
            row.append(x)
        ids.append(key)
        rows.append(row)
        lines.append(k)
    if not ids:
        raise ValueError(f"{path}: no {what} lines (expected FID IID value... per line)")
    values = np.array(rows, dtype=np.float64)
    if what == "phenotype":
        for j in range(values.shape[1]):
            values[:, j] = case_control_missing(values[:, j])
    return Table(path, ids, values, names, lines, has_fid=n_ids == 2)


def select_column(table, name, option="--pheno-name"):
    """Index of the value column `name` (a header name, or a 1-based index among the value
    columns, as PLINK's --pheno-col-nums; None: the first). ValueError listing what is
    available."""
    n_cols = table.values.shape[1]
    if name is None:
        return 0
    if isinstance(name, (bool, np.bool_)) or not isinstance(name, (str, int, np.integer)):
        raise TypeError(f"{option}: expected a column name or a 1-based column number, got "
                        f"{type(name).__name__}")
    if table.names is not None and str(name) in table.names:
        return table.names.index(str(name))
    try:
        j = int(name)
    except ValueError:
        j = None
    if j is not None and 1 <= j <= n_cols:
        return j - 1
    if table.names is None:
        raise ValueError(f"{table.path}: {option} {name!r}: the file has no header line "
                         f"(FID IID name...), so its columns are unnamed: give a 1-based "
                         f"index from 1 to {n_cols}, or omit {option} for the first")
    raise ValueError(f"{table.path}: {option} {name!r} not found; the columns are "
                     f"{', '.join(table.names)} (or a 1-based index from 1 to {n_cols})")


def match(sample_ids, table):
    """Row of `table` for each sample id, -1 where the file has none; and how many of the
    file's ids are not among the samples.

    `sample_ids` holds (FID, IID) pairs (a .fam's) or IIDs alone. Samples are matched by
    FID and IID when both sides have FIDs, else by IID (then an IID the file lists twice,
    in two families, is ambiguous: ValueError)."""
    pairs = len(sample_ids) > 0 and not isinstance(sample_ids[0], str)
    if pairs and table.has_fid:
        where = {key: i for i, key in enumerate(table.ids)}
        keys = [(str(f), str(i)) for f, i in sample_ids]
    else:
        where = {}
        for i, (_, iid) in enumerate(table.ids):
            if iid in where:
                raise ValueError(f"{table.path}, line {table.lines[i]}: IID {iid!r} repeats "
                                 f"line {table.lines[where[iid]]} (in another family); the "
                                 "samples are matched by IID alone, so it is ambiguous")
            where[iid] = i
        keys = [str(s[1]) if pairs else str(s) for s in sample_ids]
    rows = np.array([where.get(key, -1) for key in keys], dtype=np.int64)
    extra = len(table.ids) - int(np.unique(rows[rows >= 0]).size)
    return rows, extra


def read_pheno(path, name=None, samples=None):
    """Read a phenotype from a PLINK-style file, aligned to the genotypes' samples.

    The file has one line per sample: ``FID IID value...`` (an optional header ``FID
    IID name...`` or ``#FID IID name...``), or ``IID value...`` under PLINK 2's ``#IID
    name...`` header; fields separated by whitespace or commas. Missing values are
    ``NA``, ``nan``, ``-9`` (and an empty field in a comma-separated file); in a column
    coded case/control (values 1 = control and 2 = case, with 0) 0 is missing too, as
    PLINK 1.9 reads it.

    Parameters
    ----------
    path : str, bytes or path-like
        The phenotype file.
    name : str or int, optional
        The column: a header name, or a 1-based number counting the value columns after
        the ids (PLINK's ``--pheno-col-nums``; ``1`` is the first phenotype). Default:
        the first value column.
    samples : Genotypes or array-like, optional
        The samples to align to: a :class:`fastreg.Genotypes` (its ``sample_ids``), an
        (n, 2) array of (FID, IID), or a 1-d array of IIDs. Samples are matched by FID
        and IID when both sides have FIDs, else by IID. Default: the file's samples, in
        file order.

    Returns
    -------
    ndarray of float64, shape (n_samples,)
        The phenotype, NaN where it is missing or the file has no line for the sample.

    Raises
    ------
    ValueError
        A malformed file (naming the line), an unknown column, ids that are ambiguous,
        no sample of `samples` in the file.

    Examples
    --------
    >>> G = fastreg.Genotypes.from_bed("data/chr22")             # doctest: +SKIP
    >>> y = fastreg.read_pheno("pheno.txt", "height", samples=G)  # doctest: +SKIP
    >>> keep = ~np.isnan(y)                                      # doctest: +SKIP
    >>> fastreg.Lasso(alpha=0.01).fit(G[keep], y[keep])          # doctest: +SKIP
    """
    table = read_table(path, "phenotype")
    col = select_column(table, name, option="name")
    if samples is None:
        return table.values[:, col].copy()
    if getattr(type(samples), "_is_genotypes", False) is True:
        ids = samples.sample_ids
        if ids is None:
            raise ValueError("samples: these Genotypes have no sample ids (built from an "
                             "array); pass the ids as an array")
    else:
        ids = np.asarray(samples, dtype=object)
        if ids.ndim not in (1, 2) or (ids.ndim == 2 and ids.shape[1] != 2):
            raise ValueError(f"samples: expected (n, 2) (FID, IID) pairs or n IIDs, got "
                             f"shape {ids.shape}")
    if ids.ndim == 1:
        ids = [str(s) for s in ids]
    rows, _ = match(ids, table)
    if len(rows) and (rows < 0).all():
        by_pair = not isinstance(ids[0], str) and table.has_fid
        first = (f"{ids[0][0]} {ids[0][1]}" if by_pair else
                 str(ids[0]) if isinstance(ids[0], str) else str(ids[0][1]))
        raise ValueError(f"{table.path}: none of its {len(table.ids)} sample ids matches one "
                         f"of the {len(rows)} samples (matched by "
                         f"{'FID and IID' if by_pair else 'IID'}; the samples start with "
                         f"{first}, line {table.lines[0]} of the file with "
                         f"{table.ids[0][1] if table.ids[0][0] is None else ' '.join(table.ids[0])})")
    return np.where(rows >= 0, table.values[np.maximum(rows, 0), col], np.nan)
