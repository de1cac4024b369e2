"""The suite's cases: a name, how to build its data, and the variant it runs.

A case builds a `Problem`: the raw design(s) fastreg fits (several formats of one matrix
for genotypes), the dense or sparse matrix the peers get, and y. `all_cases(quick)` lists
them; the quick subset is one seed, one signal-to-noise ratio and one variant per family,
on smaller matrices.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field

import numpy as np

from bench.suite import realdata, simulate

SEEDS = (0, 1, 2)
SNRS = (1.0, 4.0)


@dataclass
class Problem:
    formats: dict  # {label: X as fastreg gets it (ndarray, CSC, Genotypes)}
    X: object  # the same data for the peers: float64 F-ordered ndarray, or CSC
    y: np.ndarray
    cleanup: list = field(default_factory=list)


@dataclass
class Case:
    name: str
    family: str
    build: object  # () -> Problem
    eps: float = 1e-2
    standardize: bool = True
    intercept: bool = True
    skip: str | None = None  # why it cannot run here (data not installed)


def _dense(X, y):
    return Problem({"float64": X}, X, y)


def _genotype_problem(G, y, bed_prefix=None):
    """float64 (mean-imputed), int8 and .bed formats of the int8 dosages G (-1 missing)."""
    import fastreg

    cleanup = []
    if bed_prefix is None:
        from bench.bench_genomics import write_bed

        d = tempfile.mkdtemp(prefix="bench_suite_bed_")
        cleanup.append(d)
        bed_prefix = os.path.join(d, "g")
        write_bed(bed_prefix, G.shape[0], G.shape[1], [(0, G)])
    geno = fastreg.Genotypes.from_array(G)
    X = np.asfortranarray(geno.to_dense())
    formats = {"float64": X, "int8": geno, ".bed": fastreg.Genotypes.from_bed(bed_prefix)}
    return Problem(formats, X, y, cleanup)


def _ld(n, p, seed, snr):
    def build():
        G = simulate.ld_genotypes(n, p, seed)
        rng = np.random.default_rng(seed + 100)
        y = simulate.response(G.astype(np.float64), 50, snr, rng)
        return _genotype_problem(G, y)

    return build


def _snps10(seed, snr, p=None):
    """snpStats' genotypes; with `p`, the first p SNPs only (a contiguous stretch of the
    chromosome, so the LD stays real), written to a temporary .bed."""
    def build():
        from bed_reader import open_bed

        prefix = realdata.bed_prefix("snps10")
        with open_bed(prefix + ".bed") as bed:
            G = np.asfortranarray(bed.read(dtype="int8", index=np.s_[:, :p]))
        G[G < 0] = -1
        # the phenotype is simulated (50 causal SNPs) on the real genotypes
        rng = np.random.default_rng(seed + 100)
        Xi = np.where(G < 0, np.nan, G).astype(np.float64)
        Xi = np.where(np.isnan(Xi), np.nanmean(Xi, axis=0), Xi)
        y = simulate.response(Xi, 50, snr, rng)
        return _genotype_problem(G, y, prefix if p is None else None)

    return build


def _real(name):
    def build():
        return _dense(*realdata.load_xy(name))

    return build


def _variants(name, family, build, eps=1e-2, **kw):
    """The default variant (standardize on, `eps`) and the three others."""
    out = []
    for std in (True, False):
        for e in (eps, 1e-3 if eps != 1e-3 else 1e-2):
            tag = f"{'std' if std else 'raw'}-eps{e:g}"
            out.append(Case(f"{name}/{tag}", family, build, eps=e, standardize=std, **kw))
    return out


def all_cases(quick=False):
    cases = []
    # real data: every variant
    for name in realdata.DATASETS:
        why = realdata.missing(name)
        label = name
        if name == "snps10":  # quick: the first 2,000 SNPs
            build = _snps10(0, 1.0, 2000 if quick else None)
            label = "snps10-2000" if quick else name
        else:
            build = _real(name)
        vs = _variants(f"real-{label}", "real", build, skip=why)
        cases += vs[:1] if quick else vs

    def sim(family, label, make, eps=1e-2, **kw):
        """Seeds x SNRs at the default variant, plus the other variants of the first."""
        if quick:
            cases.append(Case(f"{family}-{label}/s0-snr{SNRS[0]:g}/std-eps{eps:g}", family,
                              make(0, SNRS[0]), eps=eps, **kw))
            return
        for seed in SEEDS:
            for snr in SNRS:
                vs = _variants(f"{family}-{label}/s{seed}-snr{snr:g}", family, make(seed, snr),
                               eps=eps, **kw)
                cases.extend(vs if (seed, snr) == (SEEDS[0], SNRS[0]) else vs[:1])

    n, p = (500, 5000) if quick else (1000, 20000)
    sim("gauss", f"{n}x{p}", lambda s, r: lambda: _dense(*simulate.gaussian(n, p, s, r)))
    na, pa = (300, 3000) if quick else (500, 10000)
    for rho in ((0.9,) if quick else (0.6, 0.9, 0.99)):
        sim("ar1", f"rho{rho:g}-{na}x{pa}",
            lambda s, r, rho=rho: lambda: _dense(*simulate.ar1(na, pa, rho, s, r)))
    # genotype-like dosages: eps 1e-3 takes the path to where the nonzeros approach n
    ng, pg = (400, 2000) if quick else (1000, 20000)
    sim("ld", f"{ng}x{pg}", lambda s, r: _ld(ng, pg, s, r), eps=1e-3)
    ns, ps = (5000, 10000) if quick else (20000, 50000)

    def sparse(s, r):
        def build():
            X, y = simulate.sparse_design(ns, ps, 1e-3, s, r)
            return Problem({"csc": X}, X, y)
        return build

    # sparse X stays uncentered (centering would densify it): no intercept, no scaling
    if quick:
        cases.append(Case(f"sparse-{ns}x{ps}/s0-snr{SNRS[0]:g}/raw-eps0.01", "sparse",
                          sparse(0, SNRS[0]), standardize=False, intercept=False))
    else:
        for seed in SEEDS:
            for snr in SNRS:
                for e in ((1e-2, 1e-3) if (seed, snr) == (SEEDS[0], SNRS[0]) else (1e-2,)):
                    cases.append(Case(f"sparse-{ns}x{ps}/s{seed}-snr{snr:g}/raw-eps{e:g}",
                                      "sparse", sparse(seed, snr), eps=e, standardize=False,
                                      intercept=False))
    sim("tall", "100000x100", lambda s, r: lambda: _dense(*simulate.gaussian(100_000, 100, s, r)))
    for c in _variants("small-diabetes-442x10", "small", lambda: _dense(*simulate.diabetes())):
        cases.append(c)
        if quick:
            break
    sim("small", "100x1000", lambda s, r: lambda: _dense(*simulate.gaussian(100, 1000, s, r)))
    return cases
