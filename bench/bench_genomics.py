"""Time lasso paths on genotypes: fastreg's float64, int8 and PLINK .bed designs and adelie's
SNP matrix on the same data, in one run.

Cases (`--case`):

- `path` (default): synthetic dosages Binomial(2, maf), maf ~ U(0.05, 0.5), about 1 %
  missing calls, a phenotype from `--causal` variants (heritability `--h2`), intercept on;
  one 100-alpha grid down to eps * alpha_max for every solver. Solvers: fastreg on the
  mean-imputed float64 matrix, on the int8 dosages (`Genotypes.from_array`), on a `.bed`
  written from them (`Genotypes.from_bed`), adelie's `snp_unphased` matrix (`grpnet`,
  Gaussian, groups of size 1) when importable, scikit-learn's `lasso_path` on float64 with
  `--sklearn`. Answers first: int8 and .bed coefficients must equal float64's (1e-6
  relative), and every solver's objective 1/(2n) ||y - b0 - Xw||^2 + alpha ||w||_1 must be
  within `--subopt` (relative) of the best at every alpha. Then `--repeat` interleaved
  rounds; medians, ratios to fastreg float64 and to adelie, bytes of X per format, and the
  process's peak RSS.
- `scale`: n = 10,000 samples x p = 1,000,000 variants as a 2.5 GB `.bed` written to
  `--dir` (default: a temporary directory, removed afterwards) a block of variants at a
  time, never the whole matrix in memory; one 100-alpha path of fastreg on it, time and
  peak RSS.
- `targets`: many phenotypes on the same genotypes (bench_targets.py, in float64 and int8).

    python bench/bench_genomics.py --repeat 3
    python bench/bench_genomics.py --n 2000 --p 20000 --repeat 5 --sklearn
    python bench/bench_genomics.py --case scale [--dir /data/tmp]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
import warnings

# fastreg and adelie each bring an OpenMP runtime: idle threads of one must not spin on
# the cores the other needs
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402

# Issue's targets: time over fastreg float64's, and over adelie's SNP path.
TARGETS = {"float64": 0.35, "adelie": 0.5}

# PLINK 1 codes by A1 dosage 0, 1, 2 and missing (index 3): 0 -> 11, 1 -> 10, 2 -> 00,
# missing -> 01
BED_CODES = np.array([0b11, 0b10, 0b00, 0b01], dtype=np.uint8)


# ---- data ---------------------------------------------------------------------------------

def genotype_blocks(n, p, seed, block=8192, missing=0.01):
    """Yields (j0, G) with G the int8 dosages of variants j0 .. j0 + G.shape[1], F-ordered,
    missing as -1, and finally nothing else: the whole matrix is never built here. Each
    allele is a comparison of 16 random bits with maf * 2^16 (maf quantized to 2^-16)."""
    rng = np.random.default_rng(seed)
    maf = rng.uniform(0.05, 0.5, p)
    thr = np.round(maf * 65536).astype(np.uint32)
    for j0 in range(0, p, block):
        j1 = min(p, j0 + block)
        t = thr[j0:j1]
        u = rng.integers(0, 2**32, size=(j1 - j0, n), dtype=np.uint32)  # variant-major
        g = ((u & 0xFFFF) < t[:, None]).view(np.int8)
        g += ((u >> 16) < t[:, None]).view(np.int8)
        g[rng.integers(0, 2**16, size=(j1 - j0, n), dtype=np.uint16) < round(missing * 65536)] = -1
        yield j0, g.T  # (n, m), F-ordered


def pack_bed(G):
    """The .bed bytes (variant-major, ceil(n / 4) per variant) of int8 dosages G (n, m)."""
    n, m = G.shape
    codes = BED_CODES[np.where(G < 0, 3, G).T]  # (m, n)
    stride = (n + 3) // 4
    if n % 4:
        codes = np.concatenate([codes, np.zeros((m, 4 * stride - n), np.uint8)], axis=1)
    q = codes.reshape(m, stride, 4)
    return q[..., 0] | (q[..., 1] << 2) | (q[..., 2] << 4) | (q[..., 3] << 6)


def write_bed(prefix, n, p, blocks):
    """prefix.bed/.bim/.fam from an iterator of (j0, int8 block), one block in memory."""
    with open(prefix + ".bed", "wb") as f:
        f.write(b"\x6c\x1b\x01")
        for _, G in blocks:
            f.write(pack_bed(G).tobytes())
    with open(prefix + ".bim", "w") as f:
        f.writelines(f"{1 + j % 22}\trs{j}\t0\t{1000 + 10 * j}\tA\tG\n" for j in range(p))
    with open(prefix + ".fam", "w") as f:
        f.writelines(f"fam{i} ind{i} 0 0 1 -9\n" for i in range(n))


def imputed(G):
    """Mean-imputed float64 copy of int8 dosages (n, m), F-ordered (numpy, independent of
    fastreg)."""
    X = G.astype(np.float64, order="F")
    miss = G < 0
    called = (~miss).sum(0)
    X[miss] = 0.0
    m = np.where(called > 0, X.sum(0) / np.maximum(called, 1), 0.0)
    X[miss] = np.broadcast_to(m, X.shape)[miss]
    return X


def phenotype(n, p, causal, h2, seed, columns):
    """y from `causal` variants with normal effects, heritability h2, mean 1.
    columns(idx) returns the imputed float64 columns idx (n, k)."""
    rng = np.random.default_rng(seed + 1)
    idx = np.sort(rng.choice(p, causal, replace=False))
    g = columns(idx) @ rng.standard_normal(causal)
    g = (g - g.mean()) / g.std()
    return np.sqrt(h2) * g + np.sqrt(1 - h2) * rng.standard_normal(n) + 1.0, idx


# ---- solvers ------------------------------------------------------------------------------

def peak_rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def anon_rss():
    """Current resident memory that is not file-backed (the mapped .bed excluded)."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith("RssAnon:"))


def objective(G, y, coefs, b0, alphas):
    r = y[:, None] - b0[None, :] - G @ coefs  # Genotypes @ decodes; float64 (n, k)
    return 0.5 * (r * r).sum(0) / len(y) + alphas * np.abs(coefs).sum(0)


def adelie_runner(args, y, alphas, G, tmp):
    """adelie's grpnet on its snp_unphased matrix, or None when adelie is not importable."""
    try:
        cpus = os.sched_getaffinity(0)
        import adelie as ad
        os.sched_setaffinity(0, cpus)  # importing adelie pins the process to CPU 0
    except ImportError:
        return None, None
    path = os.path.join(tmp, "g.snpdat")
    io = ad.io.snp_unphased(path, read_mode="mmap")
    io.write(np.asfortranarray(G), impute_method="mean", n_threads=args.n_threads or 1)
    io.read()
    nt = args.n_threads or os.cpu_count()
    mat = ad.matrix.snp_unphased(io, n_threads=nt)
    p = G.shape[1]

    def run():
        # Gaussian GLM, loss 1/n sum(-y eta + eta^2 / 2): lambda = alpha
        st = ad.grpnet(mat, ad.glm.gaussian(y), groups=np.arange(p), lmda_path=alphas,
                       intercept=True, early_exit=False, tol=args.adelie_tol, adev_tol=1.0,
                       ddev_tol=0.0, n_threads=nt, progress_bar=False)
        c = np.zeros((p, len(alphas)))
        b = st.betas.toarray().T
        c[:, : b.shape[1]] = b
        b0 = np.zeros(len(alphas))
        b0[: b.shape[1]] = st.intercepts
        return c, b0

    return run, {"bytes": os.path.getsize(path), "version": ad.__version__}


def case_path(args):
    import fastreg

    n, p = args.n, args.p
    tmp = tempfile.mkdtemp(prefix="bench_genomics_", dir=args.dir)
    try:
        t0 = time.perf_counter()
        G = np.empty((n, p), np.int8, order="F")
        for j0, g in genotype_blocks(n, p, args.seed):
            G[:, j0:j0 + g.shape[1]] = g
        prefix = os.path.join(tmp, "g")
        write_bed(prefix, n, p, ((j0, G[:, j0:j0 + 8192]) for j0 in range(0, p, 8192)))
        X = np.empty((n, p), np.float64, order="F")
        for j0 in range(0, p, 8192):
            X[:, j0:j0 + 8192] = imputed(G[:, j0:j0 + 8192])
        y, _ = phenotype(n, p, args.causal, args.h2, args.seed, lambda idx: X[:, idx])
        gen = time.perf_counter() - t0
        designs = {"float64": X, "int8": fastreg.Genotypes.from_array(G),
                   "bed": fastreg.Genotypes.from_bed(prefix)}
        nbytes = {"float64": X.nbytes, "int8": G.nbytes,
                  "bed": os.path.getsize(prefix + ".bed")}
        kw = dict(eps=args.eps, tol=args.tol, fit_intercept=True, return_intercept=True,
                  max_iter=100_000)
        if args.n_threads:
            kw["n_threads"] = args.n_threads
        runs = {}
        for name, D in designs.items():
            def fit(D=D):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    a, c, _, b0 = fastreg.lasso_path(D, y, alphas=grid, **kw)
                return c, b0
            runs[f"fastreg {name}"] = fit
        grid = alpha_grid(designs["int8"], y, args.eps, args.n_alphas)
        run_adelie, adelie_info = adelie_runner(args, y, grid, G, tmp)
        if run_adelie:
            runs["adelie snp_unphased"] = run_adelie
            nbytes["adelie"] = adelie_info["bytes"]
        if args.sklearn:
            from sklearn.linear_model import lasso_path

            def run_sklearn():  # no intercept in lasso_path: center y and X's columns
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    Xc = X - X.mean(0)
                    c = lasso_path(Xc, y - y.mean(), alphas=grid, tol=args.sklearn_tol,
                                   max_iter=100_000)[1]
                return c, y.mean() - X.mean(0) @ c

            runs["scikit-learn"] = run_sklearn

        # answers first
        res = {name: run() for name, run in runs.items()}
        ref = res["fastreg float64"][0]
        scale = np.abs(ref).max(0)
        scale[scale == 0] = 1.0
        for name in ("fastreg int8", "fastreg bed"):
            d = float(np.max(np.abs(res[name][0] - ref).max(0) / scale))
            print(f"{name}: coefficients vs fastreg float64, max rel diff {d:.1e}")
            if d > 1e-6:
                raise SystemExit(f"{name} differs from float64 ({d:.1e} > 1e-6)")
        obj = {name: objective(designs["int8"], y, c, b0, grid) for name, (c, b0) in res.items()}
        best = np.min(np.vstack(list(obj.values())), axis=0)
        sub = {name: float(np.max((o - best) / best)) for name, o in obj.items()}
        for name in ("fastreg float64", "fastreg int8", "fastreg bed"):
            if sub[name] > args.subopt:
                raise SystemExit(f"{name}: relative suboptimality {sub[name]:.1e} > {args.subopt:g}")
        del res

        times = {name: [] for name in runs}
        for _ in range(args.repeat):
            for name, run in runs.items():
                t = time.perf_counter()
                run()
                times[name].append(time.perf_counter() - t)
        med = {name: statistics.median(t) for name, t in times.items()}
        peer = f"; adelie {adelie_info['version']}" if run_adelie else ""
        print(f"n={n} p={p} causal={args.causal} h2={args.h2} alphas={args.n_alphas} "
              f"eps={args.eps} repeat={args.repeat} tol: fastreg {args.tol:g}"
              f"{f', adelie {args.adelie_tol:g}' if run_adelie else ''}; threads "
              f"{args.n_threads or os.cpu_count()}; data generated in {gen:.1f} s{peer}")
        print(f"X: float64 {nbytes['float64']:,} B, int8 {nbytes['int8']:,} B, .bed "
              f"{nbytes['bed']:,} B" + (f", adelie .snpdat {nbytes['adelie']:,} B"
                                       if run_adelie else ""))
        base = med["fastreg float64"]
        ad_ok = "adelie snp_unphased" in med and sub["adelie snp_unphased"] <= args.subopt
        ad_med = med["adelie snp_unphased"] if ad_ok else None
        print("| solver | median s | runs s | / fastreg float64 | / adelie | max rel subopt | counted |")
        print("|---|--:|---|--:|--:|--:|---|")
        for name in runs:
            r_ad = f"{med[name] / ad_med:.3f}" if ad_med else "-"
            print(f"| {name} | {med[name]:.3f} | {' '.join(f'{t:.2f}' for t in times[name])} | "
                  f"{med[name] / base:.3f} | {r_ad} | {sub[name]:.1e} | "
                  f"{'yes' if sub[name] <= args.subopt else 'NO (suboptimal)'} |")
        for name in ("fastreg int8", "fastreg bed"):
            r = med[name] / base
            print(f"{name} / fastreg float64: {r:.3f}  target <= {TARGETS['float64']}: "
                  f"{'PASS' if r <= TARGETS['float64'] else 'MISS'}")
            if ad_med:
                r = med[name] / ad_med
                print(f"{name} / adelie: {r:.3f}  target <= {TARGETS['adelie']}: "
                      f"{'PASS' if r <= TARGETS['adelie'] else 'MISS'}")
        print(f"peak RSS of the process: {peak_rss() / 2**30:.2f} GiB (all designs and peers "
              f"loaded at once)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def alpha_grid(G, y, eps, k):
    """alpha_max = max_j |x~_j^T (y - ybar)| / n with centered columns (intercept on),
    by blocks of decoded columns; the geometric grid down to eps * alpha_max."""
    yc = y - y.mean()
    amax = 0.0
    for j0 in range(0, G.shape[1], 8192):
        Xb = G.to_dense(columns=slice(j0, j0 + 8192))
        amax = max(amax, float(np.abs(Xb.T @ yc).max()))
    amax /= len(y)
    return np.geomspace(amax, amax * eps, k)


def case_scale(args):
    import fastreg

    n, p = args.scale_n, args.scale_p
    tmp = tempfile.mkdtemp(prefix="bench_genomics_scale_", dir=args.dir)
    try:
        prefix = os.path.join(tmp, "g")
        t0 = time.perf_counter()
        # the phenotype's causal columns are kept as they are generated, nothing else
        rng = np.random.default_rng(args.seed + 1)
        causal = np.sort(rng.choice(p, args.causal, replace=False))
        kept = np.empty((n, args.causal))

        def blocks():
            for j0, g in genotype_blocks(n, p, args.seed, block=2048):
                sel = causal[(causal >= j0) & (causal < j0 + g.shape[1])]
                if sel.size:
                    kept[:, np.searchsorted(causal, sel)] = imputed(g[:, sel - j0])
                yield j0, g

        write_bed(prefix, n, p, blocks())
        g = kept @ rng.standard_normal(args.causal)
        g = (g - g.mean()) / g.std()
        y = np.sqrt(args.h2) * g + np.sqrt(1 - args.h2) * rng.standard_normal(n) + 1.0
        gen = time.perf_counter() - t0
        G = fastreg.Genotypes.from_bed(prefix)
        size = os.path.getsize(prefix + ".bed")
        rss0 = peak_rss()
        kw = dict(eps=args.eps, tol=args.tol, fit_intercept=True, return_intercept=True,
                  max_iter=100_000)
        if args.n_threads:
            kw["n_threads"] = args.n_threads
        t = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            a, c, gaps, b0 = fastreg.lasso_path(G, y, alphas=args.n_alphas, **kw)
        dt = time.perf_counter() - t
        nnz = (c != 0).sum(0)
        print(f"n={n} p={p} .bed {size:,} B written in {gen:.1f} s; {args.n_alphas} alphas, "
              f"eps={args.eps}, tol={args.tol:g}, threads {args.n_threads or os.cpu_count()}")
        print(f"fastreg bed path: {dt:.1f} s; nonzeros at the last alpha {nnz[-1]}; peak RSS "
              f"{peak_rss() / 2**30:.2f} GiB (before the fit {rss0 / 2**30:.2f} GiB; RSS "
              f"counts the pages of the memory-mapped .bed read so far, up to its "
              f"{size / 2**30:.2f} GiB), of which not file-backed now: "
              f"{anon_rss() / 2**30:.2f} GiB; the returned (p, {args.n_alphas}) coefficients span "
              f"{c.nbytes / 2**30:.2f} GiB, resident only where written (rows of features "
              f"ever nonzero)")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


def case_targets(args):
    """Many phenotypes on the same genotypes: k = 100 traits, n = 1,000, p = 20,000 (the
    issue's sizes, not --n/--p), one call against 100 single calls, in float64 and int8:
    bench_targets.py's protocol."""
    import bench_targets  # beside this script

    for fmt in ("float64", "int8"):
        bench_targets.main(["--format", fmt, "--repeat", str(args.repeat)])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", choices=["path", "scale", "targets"], default="path")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--p", type=int, default=200_000)
    ap.add_argument("--scale-n", type=int, default=10_000)
    ap.add_argument("--scale-p", type=int, default=1_000_000)
    ap.add_argument("--causal", type=int, default=300)
    ap.add_argument("--h2", type=float, default=0.5)
    ap.add_argument("--eps", type=float, default=1e-2)
    ap.add_argument("--n-alphas", type=int, default=100)
    ap.add_argument("--tol", type=float, default=1e-4, help="fastreg's (scikit-learn's rule)")
    ap.add_argument("--adelie-tol", type=float, default=1e-9)
    ap.add_argument("--sklearn-tol", type=float, default=1e-6)
    ap.add_argument("--subopt", type=float, default=1e-4,
                    help="largest relative suboptimality a solver may have to be timed")
    ap.add_argument("--sklearn", action="store_true", help="also scikit-learn (slow)")
    ap.add_argument("--n-threads", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dir", default=None, help="where data files go (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="scale: keep the .bed")
    args = ap.parse_args(argv)
    {"path": case_path, "scale": case_scale, "targets": case_targets}[args.case](args)


if __name__ == "__main__":
    sys.exit(main())
