"""The `fastreg` command (also `python -m fastreg`)."""

from __future__ import annotations

import argparse
import sys


def _info(args) -> int:
    import fastreg
    from fastreg import _core, _gpu

    b = _core.build_info()
    rows = [
        ("fastreg", fastreg.__version__),
        ("build type", b["build_type"]),
        ("compiler", b["compiler"]),
        ("OpenMP", "on" if b["openmp"] else "off (one thread)"),
        ("threads", str(fastreg.get_num_threads())),
        ("SIMD", b["simd"]),
        ("GPU (CuPy)", _gpu.describe()),
    ]
    width = max(len(k) for k, _ in rows)
    for k, val in rows:
        print(f"{k:<{width}}  {val}")
    return 0


def _demo(args) -> int:
    if args.kernels:
        from fastreg._demo import kernel_demo

        return kernel_demo(size=args.size, repeat=args.repeat, threads=args.threads)
    if args.cv:
        from fastreg._cv_demo import cv_demo

        return cv_demo(n=args.n, p=args.p, causal=args.causal, h2=args.h2, seed=args.seed,
                       threads=args.threads, folds=args.folds, prefix=args.out)
    from fastreg._lasso_demo import lasso_demo

    return lasso_demo(n=args.n, p=args.p, causal=args.causal, h2=args.h2, seed=args.seed,
                      threads=args.threads, sklearn=not args.no_sklearn)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="fastreg", description="fastreg: fast regularization.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("info", help="version, build, OpenMP, threads, SIMD variant, GPU").set_defaults(run=_info)
    demo = sub.add_parser(
        "demo", help="Lasso path on a wide genotype-like problem with a known sparse truth",
        description="Generate a genotype-like problem (n samples x p variants valued 0/1/2, "
        "Binomial(2, maf) with maf ~ U(0.05, 0.5); a phenotype from a few causal variants at "
        "heritability h2), fit the Lasso path on 80% of the samples, choose alpha by the "
        "error on the other 20%, and report time, the selected variants and their "
        "precision/recall against the truth. With scikit-learn installed, its lasso_path "
        "runs on the same data, alphas and tolerance and the times are compared (the "
        "default sizes take 25-30 s in all on 2 cores, mostly scikit-learn's; use "
        "--no-sklearn or smaller --n/--p for a quick run). With --cv: LassoCV on the same "
        "data, both selection rules and plots. With --kernels: the regularization kernels "
        "timed against NumPy instead.")
    demo.add_argument("--n", type=int, default=1000, help="samples (default 1000)")
    demo.add_argument("--p", type=int, default=20_000, help="variants (default 20,000)")
    demo.add_argument("--causal", type=int, default=30, help="causal variants (default 30)")
    demo.add_argument("--h2", type=float, default=0.5,
                      help="heritability: the share of y's variance the causal variants "
                      "explain (default 0.5)")
    demo.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    demo.add_argument("--threads", type=int, default=None, help="threads (default: all cores)")
    demo.add_argument("--no-sklearn", action="store_true",
                      help="skip the scikit-learn comparison")
    cv = demo.add_argument_group("cross-validation (--cv)")
    cv.add_argument("--cv", action="store_true",
                    help="run LassoCV instead: alpha by the minimum and the one-standard-error "
                    "rules, the held-out error of each, and PNG plots of the path and the CV "
                    "curve (needs matplotlib: pip install 'fastreg[plot]')")
    cv.add_argument("--folds", type=int, default=5, help="CV folds (default 5)")
    cv.add_argument("--out", default="fastreg_demo",
                    help="prefix of the plot files, PREFIX.path.png and PREFIX.cv.png "
                    "(default fastreg_demo)")
    kernels = demo.add_argument_group("kernel timing (--kernels)")
    kernels.add_argument("--kernels", action="store_true",
                         help="time soft_threshold and dropout against NumPy instead")
    kernels.add_argument("--size", type=int, default=10_000_000,
                         help="elements (default 10,000,000)")
    kernels.add_argument("--repeat", type=int, default=5,
                         help="timed repetitions (median reported)")
    demo.set_defaults(run=_demo)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
