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


DEMO_OUT = "fastreg-demo"  # the demo's directory, or with --rules its plots' prefix


def _default(value, default):
    return default if value is None else value


def _demo(args) -> int:
    if args.kernels:
        from fastreg.cli._kernel_demo import kernel_demo

        return kernel_demo(size=args.size, repeat=args.repeat, threads=args.threads)
    if args.rules:
        from fastreg.cli._cv_demo import cv_demo

        return cv_demo(n=args.n, p=args.p, causal=_default(args.causal, 30), h2=args.h2,
                       seed=args.seed, threads=args.threads, folds=args.folds,
                       prefix=_default(args.out, DEMO_OUT))
    if args.compare:
        from fastreg.cli._lasso_demo import lasso_demo

        return lasso_demo(n=args.n, p=args.p, causal=_default(args.causal, 30), h2=args.h2,
                          seed=args.seed, threads=args.threads, sklearn=not args.no_sklearn)
    from fastreg.cli._plink_demo import plink_demo

    return plink_demo(n=args.n, p=args.p, causal=_default(args.causal, 20), h2=args.h2,
                      seed=args.seed, threads=args.threads, folds=args.folds,
                      out=_default(args.out, DEMO_OUT))


def _lasso_command(args) -> int:
    from fastreg.cli._lasso import run

    return run(args)


def build_parser() -> argparse.ArgumentParser:
    from fastreg._version import __version__  # a constant: no compiled code loaded

    parser = argparse.ArgumentParser(prog="fastreg", description="fastreg: fast regularization.")
    parser.add_argument("--version", action="version", version=f"fastreg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("info", help="version, build, OpenMP, threads, SIMD variant, GPU").set_defaults(run=_info)
    from fastreg.cli._lasso import add_arguments  # numpy only: keeps `fastreg info` light

    lasso = sub.add_parser(
        "lasso", help="cross-validated Lasso / elastic net on PLINK files (or .npy arrays)",
        description="Fit the cross-validated Lasso path (LassoCV; ElasticNetCV with "
        "--l1-ratio < 1) on PLINK 1 or 2 genotypes and a phenotype (a file, or the "
        ".fam/.psam's), samples matched by (FID, IID), those with a missing phenotype or "
        "covariate dropped, covariates unpenalized; or on an X.npy matrix and a y.npy "
        "target. By default 5 folds, the one-standard-error rule and standardized columns. "
        "Writes PREFIX.coef.tsv (the nonzero coefficients, the covariates and the "
        "intercept), PREFIX.path.png, PREFIX.cv.png, PREFIX.manhattan.png (with "
        "matplotlib) and PREFIX.log. A failed or interrupted run leaves earlier outputs as "
        "they were. Exit status: 0 done, 1 the fit or writing failed, 2 bad input, 130 "
        "Ctrl-C. See docs/cli/lasso.md.")
    add_arguments(lasso)
    lasso.set_defaults(run=_lasso_command)
    demo = sub.add_parser(
        "demo", help="write a synthetic PLINK dataset and run `fastreg lasso` on it",
        description="Write a synthetic PLINK dataset (n samples x p variants with some "
        "missing calls and a few monomorphic variants; a phenotype from a few causal "
        "variants at heritability h2 plus two covariates, some values missing; FID/IID "
        "ids) to a directory, run `fastreg lasso` on it, print the command so that you can "
        "repeat it, and score the selected variants against the causal ones (precision, "
        "recall); under 30 s on 2 cores at the default sizes. --out DIR (default ./fastreg-demo) "
        "must be new, empty, or the output of an earlier demo (then its files are "
        "replaced). With --compare: the Lasso path on in-memory data timed against "
        "scikit-learn's; --rules: LassoCV on that data with both selection rules and plots; "
        "--kernels: the regularization kernels timed against NumPy.")
    demo.add_argument("--n", type=int, default=1000, help="samples (default 1000)")
    demo.add_argument("--p", type=int, default=20_000, help="variants (default 20,000)")
    demo.add_argument("--causal", type=int, default=None,
                      help="causal variants (default 20; 30 with --compare and --cv)")
    demo.add_argument("--h2", type=float, default=0.5,
                      help="heritability: the share of the genetic part in y's variance "
                      "without the covariates (default 0.5)")
    demo.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    demo.add_argument("--threads", type=int, default=None, help="threads (default: all cores)")
    demo.add_argument("--cv", "--folds", dest="folds", type=int, default=5, metavar="K",
                      help="CV folds, as `fastreg lasso --cv` (default 5)")
    demo.add_argument("--out", default=None,
                      help="the dataset's directory (default fastreg-demo); with --rules the "
                      "prefix of the plot files PREFIX.path.png and PREFIX.cv.png (default "
                      "fastreg-demo)")
    compare = demo.add_argument_group("comparison with scikit-learn (--compare)")
    compare.add_argument("--compare", action="store_true",
                         help="instead: fit the Lasso path on 80%% of the samples of "
                         "in-memory genotype-like data, choose alpha by the error on the "
                         "rest, report the selected variants, and time scikit-learn's "
                         "lasso_path on the same data, alphas and tolerance (25-30 s on 2 "
                         "cores at the default sizes, mostly scikit-learn's)")
    compare.add_argument("--no-sklearn", action="store_true",
                         help="skip the scikit-learn comparison")
    cv = demo.add_argument_group("selection rules (--rules)")
    cv.add_argument("--rules", action="store_true",
                    help="instead: LassoCV on the --compare data: alpha by the minimum and "
                    "the one-standard-error rules, the held-out error of each, and PNG plots "
                    "of the path and the CV curve (needs matplotlib: pip install "
                    "'fastreg[plot]')")
    kernels = demo.add_argument_group("kernel timing (--kernels)")
    kernels.add_argument("--kernels", action="store_true",
                         help="instead: time soft_threshold and dropout against NumPy")
    kernels.add_argument("--size", type=int, default=10_000_000,
                         help="elements (default 10,000,000)")
    kernels.add_argument("--repeat", type=int, default=5,
                         help="timed repetitions (median reported)")
    demo.set_defaults(run=_demo)
    return parser


EXIT_INTERRUPT = 130  # 128 + SIGINT: what shells report for a command Ctrl-C stopped


def main(argv=None) -> int:
    """Run the `fastreg` command with the arguments argv (default: sys.argv[1:]); returns
    the exit status. Ctrl-C ends any command with one line on stderr and status 130."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    args.argv = argv  # what the log records as the command
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print(f"fastreg {args.command}: interrupted", file=sys.stderr, flush=True)
        return EXIT_INTERRUPT


if __name__ == "__main__":
    sys.exit(main())
