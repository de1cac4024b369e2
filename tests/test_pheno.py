"""Phenotype files and the .fam phenotype by PLINK's rules: fastreg.read_pheno,
Genotypes.fam_phenotype, fastreg.genotypes.is_case_control.

Each convention is checked against values written into the file by hand, and PLINK 1.9
itself (Debian's plink1.9, installed by .ci/run) is the reference for which values are
missing: its log counts the cases, controls and missing phenotypes it read.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import numpy as np
import pytest

import fastreg
from fastreg import Genotypes, read_pheno
from fastreg.genotypes import is_case_control

from test_genotypes import _dosages, write_plink

PLINK1 = shutil.which("plink1.9") or shutil.which("plink")


def _write(path, text, mode="w", encoding="utf-8"):
    with open(path, mode, encoding=None if "b" in mode else encoding) as f:
        f.write(text)
    return str(path)


@pytest.fixture
def geno(tmp_path):
    """6 samples fam0/ind0 ... fam5/ind5."""
    return Genotypes.from_bed(write_plink(str(tmp_path / "g"), _dosages(6, 3)))


def test_headers_and_separators(tmp_path, geno):
    expected = np.array([1.5, np.nan, 3.0, np.nan, np.nan, 0.25])  # ind4 absent
    files = {
        "fid_iid": "FID IID y\nfam0 ind0 1.5\nfam1 ind1 NA\nfam2 ind2 3\nfam3 ind3 -9\nfam5 ind5 0.25\n",
        "hash_fid": "#FID\tIID\ty\nfam5\tind5\t0.25\nfam0\tind0\t1.5\nfam1\tind1\tnan\n"
                    "fam2\tind2\t3.0\nfam3\tind3\t-9.0\n",
        "iid_only": "#IID y\nind0 1.5\nind1 NaN\nind2 3\nind3 NA\nind5 0.25\n",
        "no_header": "fam0 ind0 1.5\nfam1 ind1 NA\nfam2 ind2 3\nfam3 ind3 -9\nfam5 ind5 0.25\n",
        "comma": "FID,IID,y\nfam0,ind0,1.5\nfam1,ind1,\nfam2,ind2,3\nfam3,ind3,NA\nfam5,ind5,0.25\n",
        "comma_iid": "#IID,y\r\nind0,1.5\r\nind1,-9\r\nind2,3\r\nind3,nan\r\nind5,0.25\r\n",
        "bom": "\ufeffFID IID y\nfam0 ind0 1.5\nfam1 ind1 NA\nfam2 ind2 3\nfam3 ind3 -9\n"
               "fam5 ind5 0.25\n",
    }
    for name, text in files.items():
        path = _write(tmp_path / f"{name}.txt", text)
        for samples in (geno, geno.sample_ids, geno.sample_ids[:, 1]):
            np.testing.assert_array_equal(read_pheno(path, samples=samples), expected,
                                          err_msg=name)
    # without samples: the file's order
    np.testing.assert_array_equal(read_pheno(tmp_path / "hash_fid.txt"),
                                  [0.25, 1.5, np.nan, 3.0, np.nan])
    # a subset's samples, in its order
    np.testing.assert_array_equal(read_pheno(tmp_path / "fid_iid.txt", samples=geno[[5, 0]]),
                                  [0.25, 1.5])
    assert fastreg.read_pheno is read_pheno and "read_pheno" in fastreg.__all__


def test_column_by_name_and_number(tmp_path, geno):
    path = _write(tmp_path / "p.txt", "FID IID a b 3\nfam0 ind0 1 10 100\nfam1 ind1 2 20 200\n")
    ids = geno.sample_ids[:2]
    assert list(read_pheno(path, samples=ids)) == [1, 2]
    assert list(read_pheno(path, "b", samples=ids)) == [10, 20]
    assert list(read_pheno(path, 2, samples=ids)) == [10, 20]     # --pheno-col-nums: b
    assert list(read_pheno(path, "2", samples=ids)) == [10, 20]
    assert list(read_pheno(path, "3", samples=ids)) == [100, 200]  # a name first
    with pytest.raises(ValueError, match=r"p\.txt: name 'c' not found; the columns are a, b, 3"):
        read_pheno(path, "c")
    with pytest.raises(ValueError, match="1-based index from 1 to 3"):
        read_pheno(path, 4)
    nohead = _write(tmp_path / "n.txt", "fam0 ind0 1 10\nfam1 ind1 2 20\n")
    assert list(read_pheno(nohead, 2)) == [10, 20]
    with pytest.raises(ValueError, match="no header line"):
        read_pheno(nohead, "y")
    with pytest.raises(TypeError, match="column name or a 1-based column number"):
        read_pheno(nohead, 1.5)


def test_case_control_zero_missing(tmp_path, geno):
    ids = geno.sample_ids
    cc = _write(tmp_path / "cc.txt", "".join(f"{f} {i} {v}\n" for (f, i), v in
                                             zip(ids, ["1", "2", "0", "-9", "2", "NA"])))
    np.testing.assert_array_equal(read_pheno(cc, samples=geno), [1, 2, np.nan, np.nan, 2, np.nan])
    assert is_case_control(read_pheno(cc, samples=geno))
    # a quantitative column keeps its zeros
    qt = _write(tmp_path / "qt.txt", "".join(f"{f} {i} {v}\n" for (f, i), v in
                                             zip(ids, ["1", "2", "0", "-9", "3", "0.5"])))
    np.testing.assert_array_equal(read_pheno(qt, samples=geno), [1, 2, 0, np.nan, 3, 0.5])
    assert not is_case_control(read_pheno(qt, samples=geno))
    # 0/1 coding: 0 is a value (both are present), and it is case/control
    zo = _write(tmp_path / "zo.txt", "".join(f"{f} {i} {v}\n" for (f, i), v in
                                             zip(ids, ["0", "1", "1", "0", "NA", "0"])))
    y = read_pheno(zo, samples=geno)
    np.testing.assert_array_equal(y, [0, 1, 1, 0, np.nan, 0])
    assert is_case_control(y)
    assert not is_case_control([1.0, 1.0, np.nan])
    assert not is_case_control([1.0, 2.0, 3.0])
    assert is_case_control(np.array([2.0, 1.0, np.nan]))


def test_missing_values_as_plink_reads_them(tmp_path):
    """PLINK 1.9 counts the cases, controls and missing phenotypes of a .fam and of a
    --pheno file; fastreg's reading of the same files gives the same counts."""
    assert PLINK1, "PLINK 1.9 is needed: apt-get install plink1.9 (.ci/run installs it)"
    n = 40
    prefix = write_plink(str(tmp_path / "p"), _dosages(n, 5))
    codes = ["1", "2", "0", "-9", "2", "1", "2", "2", "1", "0"]
    with open(prefix + ".fam", "w") as f:
        for i in range(n):
            f.write(f"fam{i} ind{i} 0 0 1 {codes[i % 10]}\n")
    log = subprocess.run([PLINK1, "--bfile", prefix, "--make-bed", "--out",
                          str(tmp_path / "o1")], capture_output=True, text=True).stdout
    cases, controls, missing = map(int, re.search(
        r"(\d+) are cases and (\d+) are controls\.\s+\((\d+) phenotypes", log).groups())
    y = Genotypes.from_bed(prefix).fam_phenotype()
    assert ((y == 2).sum(), (y == 1).sum(), np.isnan(y).sum()) == (cases, controls, missing)
    assert missing == 12 and is_case_control(y)
    # a quantitative --pheno file: 0 is a value; NA and -9 are missing
    q = _write(tmp_path / "q.txt", "".join(
        f"fam{i} ind{i} {['NA', '-9', '0', '1.5', '2', '3'][i % 6]}\n" for i in range(n)))
    log = subprocess.run([PLINK1, "--bfile", prefix, "--pheno", q, "--make-bed", "--out",
                          str(tmp_path / "o2")], capture_output=True, text=True).stdout
    present = int(re.search(r"(\d+) phenotype values present after --pheno", log).group(1))
    assert "quantitative" in log
    y = read_pheno(q, samples=Genotypes.from_bed(prefix))
    assert (~np.isnan(y)).sum() == present and (y == 0).sum() == 7


def test_fam_phenotype(tmp_path):
    prefix = write_plink(str(tmp_path / "f"), _dosages(5, 3))
    with open(prefix + ".fam", "w") as f:
        f.write("a a1 0 0 1 2\na a2 0 0 1 1\na a3 0 0 2 0\na a4 0 0 2 -9\na a5 0 0 1 x\n")
    G = Genotypes.from_bed(prefix)
    np.testing.assert_array_equal(G.fam_phenotype(), [2, 1, np.nan, np.nan, np.nan])
    np.testing.assert_array_equal(G[[4, 0]].fam_phenotype(), [np.nan, 2])
    with open(prefix + ".fam", "w") as f:
        f.write("a a1 0 0 1 2.5\na a2 0 0 1 0\na a3 0 0 2 1\na a4 0 0 2 -9\na a5 0 0 1 2\n")
    np.testing.assert_array_equal(Genotypes.from_bed(prefix).fam_phenotype(),
                                  [2.5, 0, 1, np.nan, 2])
    with pytest.raises(ValueError, match="fam_phenotype: .*no .fam"):
        Genotypes.from_array(_dosages(5, 3)).fam_phenotype()


def test_non_utf8_ids_do_not_match(tmp_path):
    """Different bytes that are not UTF-8 must not compare equal (both decode to U+FFFD
    with replacement): the file is refused, naming the line."""
    prefix = write_plink(str(tmp_path / "u"), _dosages(3, 2))
    with open(prefix + ".fam", "wb") as f:
        f.write(b"F1 IND1 0 0 1 -9\nF2 IND\xff0001 0 0 1 -9\nF3 IND3 0 0 1 -9\n")
    with pytest.raises(ValueError, match=r"u\.fam, line 2: not UTF-8 text \(byte 0xff at "
                                         r"column 7\)"):
        Genotypes.from_bed(prefix)
    ph = _write(tmp_path / "ph.txt", b"FID IID y\nF2 IND\xfe0001 1.0\n", mode="wb")
    with pytest.raises(ValueError, match=r"ph\.txt, line 2: not UTF-8"):
        read_pheno(ph)
    with open(prefix + ".fam", "w") as f:
        f.write("F1 IND1 0 0 1 -9\nF2 IND2 0 0 1 -9\nF3 IND3 0 0 1 -9\n")
    with open(prefix + ".bim", "ab") as f:
        f.write(b"1 rs\xe9 0 5 A G\n")
    with pytest.raises(ValueError, match=r"u\.bim, line 3: not UTF-8 text \(byte 0xe9"):
        Genotypes.from_bed(prefix)


def test_fam_with_bom_keeps_first_sample(tmp_path):
    prefix = write_plink(str(tmp_path / "b"), _dosages(3, 2))
    with open(prefix + ".fam", "rb") as f:
        body = f.read()
    with open(prefix + ".fam", "wb") as f:
        f.write(b"\xef\xbb\xbf" + body)
    G = Genotypes.from_bed(prefix)
    assert G.sample_ids[0, 0] == "fam0"
    ph = _write(tmp_path / "ph.txt", "FID IID y\nfam0 ind0 7\n")
    assert read_pheno(ph, samples=G)[0] == 7


def test_bad_files(tmp_path, geno):
    cases = {
        "word": ("FID IID y\nfam0 ind0 high\n", r"line 2: phenotype 'y' value 'high' is not a number"),
        "short": ("FID IID y\nfam0 ind0\n", r"line 2: 2 fields, expected 3"),
        "dup": ("FID IID y\nfam0 ind0 1\nfam0 ind0 2\n", r"line 3: sample FID 'fam0' IID 'ind0' repeats line 2"),
        "dupiid": ("#IID y\nind0 1\nind0 2\n", r"line 3: sample IID 'ind0' repeats line 2"),
        "hash": ("#SAMPLE y\nind0 1\n", r"line 1: a header line must start with FID IID"),
        "empty": ("\n\n", r"no phenotype lines"),
        "nocol": ("#IID\nind0\n", r"line 1: the header has no phenotype column"),
    }
    for name, (text, message) in cases.items():
        path = _write(tmp_path / f"{name}.txt", text)
        with pytest.raises(ValueError, match=re.escape(os.path.basename(path)) + ".*" + message):
            read_pheno(path, samples=geno)
    # an IID in two families is ambiguous when matching by IID alone
    amb = _write(tmp_path / "amb.txt", "FID IID y\nA ind0 1\nB ind0 2\n")
    with pytest.raises(ValueError, match=r"amb\.txt, line 3: IID 'ind0' repeats line 2 .*ambiguous"):
        read_pheno(amb, samples=["ind0"])
    np.testing.assert_array_equal(read_pheno(amb, samples=[("B", "ind0")]), [2.0])
    with pytest.raises(ValueError, match=r"amb\.txt: none of its 2 sample ids matches one of "
                                         r"the 6 samples \(matched by FID and IID; the samples "
                                         r"start with fam0 ind0, line 2 of the file with A ind0\)"):
        read_pheno(amb, samples=geno)
    iid = _write(tmp_path / "iid.txt", "#IID y\nind0 1\n")
    with pytest.raises(ValueError, match=r"matched by IID; the samples start with ind1, line 2 "
                                         r"of the file with ind0\)"):
        read_pheno(iid, samples=geno[[1, 2]])
    with pytest.raises(ValueError, match="no such phenotype file"):
        read_pheno(tmp_path / "absent.txt")
    with pytest.raises(ValueError, match=r"samples: expected \(n, 2\)"):
        read_pheno(amb, samples=np.zeros((2, 3)))
    with pytest.raises(ValueError, match="no sample ids"):
        read_pheno(amb, samples=Genotypes.from_array(_dosages(3, 2)))
