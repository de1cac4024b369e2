"""Files a Genotypes reads in place (a ``.bed``, a ``.npy``): mapped read-only, checked
before each pass, and mapped again after unpickling.

A memory map of a file that shrinks after it was mapped kills the process with SIGBUS on
the next read of the lost pages, and one rewritten in place changes the data under the
cached per-variant counts. So the file's size and modification time are recorded when it
is opened and compared before every pass over it (fits, decoding, counts), and a pickle
holds the path and these two numbers, not the data: a worker process maps the file
itself, after the same check.
"""

from __future__ import annotations

import os

import numpy as np


class MappedFile:
    """The file `path` holding the design's data: a PLINK ``.bed`` (`kind` 'bed', its
    2-bit codes after the 3-byte header, `nbytes` of them) or a ``.npy`` of int8
    (`kind` 'npy', `shape`)."""

    def __init__(self, path, kind, *, opener, nbytes=None, shape=None):
        # absolute: a worker process that unpickles the design may run in another folder
        # (a reused pool's workers keep the folder they started in)
        self.path = os.path.abspath(path)
        self.kind = kind
        self.opener = opener  # what built it, for messages: "Genotypes.from_bed"
        self.nbytes = nbytes
        self.shape = shape
        st = os.stat(path)
        self.size, self.mtime_ns = st.st_size, st.st_mtime_ns

    def check(self):
        """ValueError when the file is gone or changed since it was opened."""
        try:
            st = os.stat(self.path)
        except OSError as e:
            raise ValueError(f"{self.path}: the file was removed or cannot be read since "
                             f"{self.opener} opened it ({e.strerror})") from None
        if st.st_size != self.size or st.st_mtime_ns != self.mtime_ns:
            what = (f"{self.size} bytes then, {st.st_size} now" if st.st_size != self.size
                    else "modified since")
            raise ValueError(f"{self.path}: the file changed after {self.opener} opened it "
                             f"({what}); open it again with {self.opener}")

    def map(self):
        """The data, mapped read-only (after `check`)."""
        self.check()
        if self.kind == "bed":
            return np.memmap(self.path, dtype=np.uint8, mode="r", offset=3,
                             shape=(self.nbytes,))
        a = np.load(self.path, mmap_mode="r", allow_pickle=False)
        if a.dtype != np.int8 or a.shape != self.shape:
            raise ValueError(f"{self.path}: the file changed after {self.opener} opened it")
        return a

    def __repr__(self):
        return f"MappedFile({self.path!r}, {self.kind})"


class MappedFiles:
    """Several ``.bed`` files read as one design, their variants concatenated (one file per
    chromosome): each is mapped on its own, as a MappedFile, and the core reads the list of
    maps (a design over several mappings: no file is copied or merged)."""

    def __init__(self, files):
        self.files = list(files)

    def check(self):
        for f in self.files:
            f.check()

    def map(self):
        """The files' data, each mapped read-only (after `check`), in order."""
        return [f.map() for f in self.files]

    def __repr__(self):
        return f"MappedFiles({[f.path for f in self.files]!r})"
