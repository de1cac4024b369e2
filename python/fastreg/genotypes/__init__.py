"""Genotypes as designs, and the files they come from.

- :class:`Genotypes` (_design.py): n samples x p variants of dosages, read in place,
  usable as X by every estimator and in scikit-learn's model-selection tools;
- PLINK 1 ``.bed``/``.bim``/``.fam`` (_plink1.py), PLINK 2 ``.pgen``/``.pvar``/``.psam``
  (_pgen.py, through pgenlib), BGEN (_bgen.py, through the bgen package; also its
  unrounded dosages as a dense array, :func:`read_bgen_dosages`);
- phenotype files by PLINK's rules (_pheno.py): :func:`read_pheno`,
  :func:`is_case_control`.
"""

from ._bgen import read_bgen_dosages
from ._design import Genotypes
from ._pheno import is_case_control, read_pheno

__all__ = ["Genotypes", "read_pheno", "read_bgen_dosages", "is_case_control"]
