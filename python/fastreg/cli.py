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
    from fastreg._demo import kernel_demo

    return kernel_demo(size=args.size, repeat=args.repeat, threads=args.threads)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="fastreg", description="fastreg: fast regularization.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("info", help="version, build, OpenMP, threads, SIMD variant, GPU").set_defaults(run=_info)
    demo = sub.add_parser(
        "demo", help="time the kernels against NumPy on generated data, checking results first")
    demo.add_argument("--size", type=int, default=10_000_000, help="elements (default 10,000,000)")
    demo.add_argument("--repeat", type=int, default=5, help="timed repetitions (median reported)")
    demo.add_argument("--threads", type=int, default=None, help="threads (default: all cores)")
    demo.set_defaults(run=_demo)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
