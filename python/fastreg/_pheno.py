"""PLINK-style phenotype and covariate files: ``FID IID value...`` per line.

Fields are separated by whitespace (spaces or tabs). The first line is a header when its
first two fields are ``FID IID`` (or ``#FID IID``, case-insensitive); without one, the
value columns are unnamed and referred to by a 1-based index, as PLINK's ``--mpheno``.
Missing values are ``NA``, ``nan`` (any case) and ``-9``, as PLINK. Every problem raises
ValueError naming the file and, where there is one, the line.
"""

from __future__ import annotations

import os

import numpy as np

MISSING_TOKENS = ("NA", "nan", "-9")  # how the docs and the log describe missing values
_MISSING = {"na", "nan"}


class Table:
    """The parsed file: ``ids`` a list of (FID, IID) tuples in file order, ``values`` a
    float64 array (n_lines, n_columns) with NaN for missing, ``names`` the value columns'
    names (None without a header), ``lines`` the 1-based line number of each row."""

    def __init__(self, path, ids, values, names, lines):
        self.path = path
        self.ids = ids
        self.values = values
        self.names = names
        self.lines = lines


def _is_header(fields):
    return len(fields) >= 2 and fields[0].lower() in ("fid", "#fid") and fields[1].lower() == "iid"


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


def read_table(path, what):
    """Parse a PLINK-style file; `what` ('phenotype', 'covariate') names it in messages.

    Returns
    -------
    Table
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise ValueError(f"{path}: no such {what} file")
    ids, rows, lines, names = [], [], [], None
    seen = {}
    width = None
    with open(path, encoding="utf-8-sig", errors="replace") as f:  # -sig: a BOM from Excel
        for k, line in enumerate(f, start=1):
            fields = line.split()
            if not fields:
                continue  # blank lines (a trailing one is common) carry nothing
            if width is None and _is_header(fields):
                names = fields[2:]
                width = len(fields)
                if width < 3:
                    raise ValueError(f"{path}, line {k}: the header has no {what} column "
                                     f"after FID IID")
                dup = sorted({c for c in names if names.count(c) > 1})
                if dup:
                    raise ValueError(f"{path}, line {k}: repeated column name(s) {', '.join(dup)}")
                continue
            if width is None and fields[0].startswith("#"):
                raise ValueError(f"{path}, line {k}: a header line must start with FID IID "
                                 f"(or #FID IID), got {' '.join(fields[:2])!r}; files without "
                                 "a FID column (PLINK 2's #IID) are not supported")
            if width is None:
                width = len(fields)
                if width < 3:
                    raise ValueError(f"{path}, line {k}: {width} field(s); expected FID, IID "
                                     f"and at least one {what} value")
            if len(fields) != width:
                raise ValueError(f"{path}, line {k}: {len(fields)} fields, expected {width} "
                                 f"(FID IID and {width - 2} {what} value(s), as on the "
                                 f"{'header' if names is not None else 'first'} line)")
            key = (fields[0], fields[1])
            if key in seen:
                raise ValueError(f"{path}, line {k}: sample FID {key[0]!r} IID {key[1]!r} "
                                 f"repeats line {seen[key]}")
            seen[key] = k
            row = []
            for j, token in enumerate(fields[2:]):
                x = _number(token)
                if x is None:
                    col = repr(names[j]) if names is not None else f"column {j + 3}"
                    raise ValueError(f"{path}, line {k}: {what} {col} value {token!r} is not "
                                     f"a number (missing values are {', '.join(MISSING_TOKENS)})")
                row.append(x)
            ids.append(key)
            rows.append(row)
            lines.append(k)
    if not ids:
        raise ValueError(f"{path}: no {what} lines (expected FID IID value... per line)")
    return Table(path, ids, np.array(rows, dtype=np.float64), names, lines)


def select_column(table, name, option="--pheno-name"):
    """Index of the value column `name` (a header name, or a 1-based index among the value
    columns; None: the first). ValueError listing what is available."""
    n_cols = table.values.shape[1]
    if name is None:
        return 0
    if table.names is not None and name in table.names:
        return table.names.index(name)
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
    """Row of `table` for each sample id ((FID, IID) pairs, e.g. a .fam file's), -1 where
    the file has none; and how many of the file's ids are not among the samples."""
    where = {key: i for i, key in enumerate(table.ids)}
    rows = np.array([where.get((str(f), str(i)), -1) for f, i in sample_ids], dtype=np.int64)
    extra = len(table.ids) - int(np.unique(rows[rows >= 0]).size)
    return rows, extra
