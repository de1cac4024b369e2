"""Reading the whitespace-separated text files of PLINK (.fam, .bim, .psam, .pvar,
phenotype files): UTF-8 only, a byte-order mark at the start dropped.

Ids are compared as text, so a file that is not UTF-8 is refused, naming the line:
decoding with replacement characters would make different ids (``IND\\xff1``,
``IND\\xfe1``) equal.
"""

from __future__ import annotations

import numpy as np


def text_lines(path, what):
    """(1-based line number, line) of the UTF-8 text file `path`; `what` names the file's
    role in messages. A BOM at the start is dropped (Excel writes one)."""
    try:
        with open(path, encoding="utf-8-sig") as f:
            for k, line in enumerate(f, start=1):
                yield k, line
    except UnicodeDecodeError:
        raise ValueError(_not_utf8(path, what)) from None


def _not_utf8(path, what):
    """The message naming the first line of `path` that is not UTF-8 (read again as bytes:
    the text reader decodes in blocks and cannot say which line failed)."""
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for k, raw in enumerate(data.split(b"\n"), start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as e:
            return (f"{path}, line {k}: not UTF-8 text (byte 0x{raw[e.start]:02x} at column "
                    f"{e.start + 1}) in this {what}; ids are compared as UTF-8 text, so "
                    "convert the file, e.g. `iconv -f latin1 -t utf-8`")
    return f"{path}: not UTF-8 text ({what})"


def read_columns(path, columns, fields, what, *, skip_header=None):
    """The given columns of a whitespace-separated file whose lines have at least `fields`
    fields, as lists of str (one pass; repeated short values such as chromosome names and
    alleles share one string object). `skip_header(fields)` True drops a line (headers and
    comments). Returns the lists and the 1-based line number of the first data line."""
    out = [[] for _ in columns]
    seen = {}
    first = None
    for k, line in text_lines(path, what):
        parts = line.split()
        if skip_header is not None and first is None and parts and skip_header(parts):
            continue
        if first is None:
            first = k
        if len(parts) < fields:
            if not parts:
                raise ValueError(f"{path}, line {k}: empty line (expected {what})")
            raise ValueError(f"{path}, line {k}: {len(parts)} fields, expected {fields}: {what}")
        for col, c in zip(out, columns):
            v = parts[c]
            col.append(seen.setdefault(v, v) if len(v) <= 4 else v)
    return out, (first or 1)


def objects(values):
    """A 1-d object array of the given strings."""
    a = np.empty(len(values), dtype=object)
    a[:] = values
    return a


def integers(values, path, what, first_line=1):
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
            raise ValueError(f"{path}, line {k + first_line}: {what} {v!r} is not an "
                             "integer") from None
    return out
