"""`fastreg demo`: a synthetic PLINK dataset, then `fastreg lasso` on it, scored on the truth.

Writes to a directory: demo.bed/.bim/.fam (n samples x p variants, Binomial(2, maf) with
maf ~ U(0.05, 0.5), about 1 % missing calls, a few monomorphic variants and one with every
call missing), demo.pheno (a phenotype from a few causal variants at heritability h2 plus
two covariates, some values NA or -9, lines shuffled: samples are matched by id),
demo.covar (age, sex; a few NA), demo.cc.pheno (a case/control status from the same
liability: PLINK's 1 = control, 2 = case, the top CASE_FRACTION cases; missing 0 or -9) and
demo.causal.tsv (the truth). Then runs `fastreg lasso` in-process, through the command's
own function, on the quantitative trait, prints the command so that it can be repeated,
the precision and recall of the selected variants against the causal ones, and the command
that fits the case/control status (the binomial family; not run: its cross-validation
takes several times the quantitative trait's).

The directory must be new, empty, or the output of an earlier demo (it holds the marker
file MARKER): then the demo's files are replaced and nothing else is touched.
"""

from __future__ import annotations

import os
import shlex

import numpy as np

MARKER = ".fastreg-demo"
NAME = "demo"  # PLINK prefix inside the directory
MISSING_CALLS = 0.01
N_MONOMORPHIC = 5
MISSING_PHENO = 0.03
MISSING_COVAR = 0.005
CASE_FRACTION = 0.3  # the share of cases of demo.cc.pheno: the liability's top 30 %


# ---- a PLINK 1 writer -----------------------------------------------------------------


def write_plink(prefix, dosages, *, variant_ids, chromosomes, positions, alleles, fids, iids,
                sex=None):
    """prefix.bed/.bim/.fam for int8 dosages (n, p) (copies of A1; negative: missing):
    variant-major, 4 samples a byte, low bits first, the last byte padded with zero bits,
    as PLINK writes them."""
    G = np.asarray(dosages)
    n, p = G.shape
    # PLINK 1 codes by A1 dosage: 2 -> 00, 1 -> 10, 0 -> 11, missing -> 01
    codes = np.select([G == 2, G == 1, G == 0], [0b00, 0b10, 0b11], default=0b01).astype(np.uint8)
    stride = (n + 3) // 4
    padded = np.zeros((p, stride * 4), dtype=np.uint8)
    padded[:, :n] = codes.T
    q = padded.reshape(p, stride, 4)
    packed = q[..., 0] | (q[..., 1] << 2) | (q[..., 2] << 4) | (q[..., 3] << 6)
    with open(prefix + ".bed", "wb") as f:
        f.write(b"\x6c\x1b\x01")
        f.write(packed.astype(np.uint8).tobytes())
    with open(prefix + ".bim", "w") as f:
        f.writelines(f"{c}\t{v}\t0\t{pos}\t{a1}\t{a2}\n" for c, v, pos, (a1, a2)
                     in zip(chromosomes, variant_ids, positions, alleles))
    sex = np.zeros(n, dtype=int) if sex is None else sex
    with open(prefix + ".fam", "w") as f:
        f.writelines(f"{fid} {iid} 0 0 {s} -9\n" for fid, iid, s in zip(fids, iids, sex))


# ---- the synthetic dataset -------------------------------------------------------------


def make_dataset(directory, n, p, n_causal, h2, seed):
    """Writes the files; returns (PLINK prefix, phenotype file, covariate file, causal ids)."""
    rng = np.random.default_rng(seed)
    maf = rng.uniform(0.05, 0.5, p)
    # drawn variant by variant: the transpose of a C-ordered (p, n) array is F-ordered
    true = rng.binomial(2, maf[:, None], size=(p, n)).astype(np.int8).T
    special = rng.choice(p, N_MONOMORPHIC + 1, replace=False)
    true[:, special[:-1]] = 0                   # monomorphic: everyone homozygous A2
    candidates = np.setdiff1d(np.arange(p), special)
    causal = np.sort(rng.choice(candidates, n_causal, replace=False))
    effect = rng.standard_normal(n_causal)
    genetic = true[:, causal] @ effect
    # scaled to variance h2; the effects written to the truth file take the same factor,
    # so that they are y's change per copy of A1
    scale = np.sqrt(h2) / genetic.std()
    effect = effect * scale
    genetic = (genetic - genetic.mean()) * scale
    age = rng.integers(20, 71, n).astype(np.float64)
    sex = rng.integers(1, 3, n)                 # PLINK's 1 = male, 2 = female
    y = (genetic + np.sqrt(1 - h2) * rng.standard_normal(n)
         + 0.02 * (age - 45.0) + 0.3 * (sex == 2) + 10.0)

    called = np.where(rng.random((n, p)) < MISSING_CALLS, np.int8(-1), true)
    called[:, special[-1]] = -1                 # one variant nobody was called for
    variant_ids = [f"rs{100_000 + 7 * j}" for j in range(p)]
    chrom = 1 + (np.arange(p) * 22) // p        # consecutive blocks on chromosomes 1..22
    positions = np.empty(p, dtype=np.int64)
    for c in np.unique(chrom):
        on = chrom == c
        positions[on] = np.cumsum(rng.integers(200, 5000, int(on.sum())))
    alleles = [tuple(rng.choice(list("ACGT"), 2, replace=False)) for _ in range(p)]
    fids = [f"FAM{i // 2 + 1:04d}" for i in range(n)]  # pairs of samples share a family
    iids = [f"IND{i + 1:05d}" for i in range(n)]
    prefix = os.path.join(directory, NAME)
    write_plink(prefix, called, variant_ids=variant_ids, chromosomes=chrom,
                positions=positions, alleles=alleles, fids=fids, iids=iids, sex=sex)

    pheno_file = prefix + ".pheno"
    missing = rng.random(n) < MISSING_PHENO
    with open(pheno_file, "w") as f:
        f.write("FID\tIID\ttrait\n")
        for i in rng.permutation(n):            # any order: matched by (FID, IID)
            value = ("NA" if i % 2 else "-9") if missing[i] else f"{y[i]:.6f}"
            f.write(f"{fids[i]}\t{iids[i]}\t{value}\n")
    # case/control: the samples of highest liability are the cases (a liability threshold
    # model); PLINK's coding, missing as 0 or -9
    case = y > np.quantile(y, 1 - CASE_FRACTION)
    with open(prefix + ".cc.pheno", "w") as f:
        f.write("FID\tIID\tstatus\n")
        for i in range(n):
            value = ("0" if i % 2 else "-9") if missing[i] else ("2" if case[i] else "1")
            f.write(f"{fids[i]}\t{iids[i]}\t{value}\n")
    covar_file = prefix + ".covar"
    no_age = rng.random(n) < MISSING_COVAR
    with open(covar_file, "w") as f:
        f.write("FID\tIID\tage\tsex\n")
        for i in range(n):
            f.write(f"{fids[i]}\t{iids[i]}\t{'NA' if no_age[i] else int(age[i])}\t{sex[i]}\n")
    with open(prefix + ".causal.tsv", "w") as f:
        f.write("id\tchrom\tpos\teffect_per_A1\n")
        for j, e in zip(causal, effect):
            f.write(f"{variant_ids[j]}\t{chrom[j]}\t{positions[j]}\t{e:.6g}\n")
    return prefix, pheno_file, covar_file, [variant_ids[j] for j in causal]


def _prepare(directory):
    """Create the directory, or accept an empty one or an earlier demo's."""
    if os.path.exists(directory):
        if not os.path.isdir(directory):
            raise SystemExit(f"fastreg demo: --out {directory!r} exists and is not a directory")
        if os.listdir(directory) and not os.path.exists(os.path.join(directory, MARKER)):
            raise SystemExit(f"fastreg demo: --out {directory!r} is not empty and not the "
                             "output of an earlier demo; give a new directory")
    else:
        os.makedirs(directory)
    with open(os.path.join(directory, MARKER), "w") as f:
        f.write("written by `fastreg demo`: the demo may replace its files here\n")


def _selected_variants(coef_file):
    with open(coef_file) as f:
        lines = [line.rstrip("\n") for line in f if not line.startswith("#")]
    header = lines[0].split("\t")
    rows = [line.split("\t") for line in lines[1:]]
    kind = header.index("kind")
    return [r[0] for r in rows if r[kind] == "variant"]


def plink_demo(n=1000, p=20_000, causal=20, h2=0.5, seed=0, threads=None, folds=5,
               out="fastreg-demo") -> int:
    from .. import cli
    from ._lasso import run

    if n < 10 * folds or p < 10 or not 1 <= causal <= p - N_MONOMORPHIC - 1:
        raise SystemExit("fastreg demo: need --n >= 10 * --folds, --p >= 10 and "
                         "1 <= --causal <= --p - 6")
    if folds < 2:
        raise SystemExit("fastreg demo: --folds must be at least 2")
    if not 0 < h2 < 1:
        raise SystemExit("fastreg demo: --h2 must be in (0, 1)")
    if threads is not None and threads < 1:
        raise SystemExit("fastreg demo: --threads must be positive")
    _prepare(out)
    prefix, pheno, covar, truth = make_dataset(out, n, p, causal, h2, seed)
    print(f"fastreg demo: wrote a synthetic PLINK dataset to {out}/: {n:,} samples x {p:,} "
          f"variants ({NAME}.bed/.bim/.fam, {100 * MISSING_CALLS:g} % missing calls, "
          f"{N_MONOMORPHIC} monomorphic variants, 1 all missing), {NAME}.pheno (from {causal} "
          f"causal variants at h2 = {h2} and 2 covariates; about {100 * MISSING_PHENO:g} % NA "
          f"or -9), {NAME}.covar (age, sex), {NAME}.causal.tsv (the truth)")
    # The one-standard-error rule (the command's default, written out so that the printed
    # command says it): the sparsest model about as good as the best, the usual choice
    # when the selected variants matter more than the prediction.
    argv = ["lasso", "--bed", prefix, "--pheno", pheno, "--covar", covar, "--cv", str(folds),
            "--rule", "1se", "--out", os.path.join(out, "lasso")]
    if threads is not None:
        argv += ["--threads", str(threads)]
    print(f"\n$ fastreg {shlex.join(argv)}\n", flush=True)
    args = cli.build_parser().parse_args(argv)
    args.argv = argv
    status = run(args)
    if status != 0:
        return status
    selected = _selected_variants(os.path.join(out, "lasso.coef.tsv"))
    hits = len(set(selected) & set(truth))
    precision = hits / len(selected) if selected else 0.0
    print(f"\ntruth    {len(selected)} variants selected, {hits} of the {len(truth)} causal "
          f"ones among them: precision {precision:.3f}, recall {hits / len(truth):.3f} "
          f"(the causal ids are in {prefix}.causal.tsv; `--rule min` selects more "
          "variants: higher recall, lower precision)")
    print(f"repeat   fastreg {shlex.join(argv)}")
    # the same liability seen as case/control: the binomial family (--family auto picks
    # it for a phenotype of two values)
    cc_argv = ["lasso", "--bed", prefix, "--pheno", prefix + ".cc.pheno", "--covar", covar,
               "--cv", str(folds), "--rule", "1se", "--out", os.path.join(out, "cc")]
    print(f"case/control: the top {100 * CASE_FRACTION:g} % of the same liability are the "
          f"cases of {prefix}.cc.pheno; fit them with the binomial family (L1 logistic "
          f"regression):\n         fastreg {shlex.join(cc_argv)}")
    return 0
