"""The annotations of a Genotypes' rows and columns (variant ids, chromosomes, positions,
alleles, sample ids, the phenotype column of a ``.fam``/``.psam``), shared by its views.

Read from the text files when the design is opened (they give its shape and are
validated then), and read again, only when asked for, after unpickling: a pickle holds
the file names, not the tens of MB of strings of a biobank's ``.bim``.
"""

from __future__ import annotations

import os

FIELDS = ("variant_ids", "chromosomes", "positions", "alleles", "sample_ids", "phenotype")


class Info:
    """`values`: a dict of FIELDS (missing ones are None). `loader`: (function, args), a
    picklable call returning that dict from the files `args` names (None: in memory only,
    pickled with the values)."""

    def __init__(self, values=None, loader=None, files=()):
        self._values = dict(values or {})
        self._loader = loader
        self._stamps = [(f, *_stamp(f)) for f in files]

    def get(self, name):
        if not self._values and self._loader is not None:
            for path, size, mtime in self._stamps:
                if _stamp(path) != (size, mtime):
                    raise ValueError(f"{path}: the file changed after the genotypes were "
                                     "opened; open them again")
            fn, args = self._loader
            self._values = fn(*args)
        return self._values.get(name)

    def __getstate__(self):
        state = dict(self.__dict__)
        if self._loader is not None:
            state["_values"] = {}  # read again from the files when asked for
        return state


def _stamp(path):
    try:
        st = os.stat(path)
    except OSError:
        return (-1, -1)
    return (st.st_size, st.st_mtime_ns)
