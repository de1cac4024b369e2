"""`fastreg demo --kernels`: the kernels against NumPy on generated data, answers checked first."""

from __future__ import annotations

import numpy as np

import fastreg
from fastreg._timing import interleaved_medians


def kernel_demo(size=10_000_000, repeat=5, threads=None) -> int:
    if size < 1 or repeat < 1:
        raise SystemExit("fastreg demo: --size and --repeat must be positive")
    if threads is not None:
        fastreg.set_num_threads(threads)
    rng = np.random.default_rng(0)
    x = rng.standard_normal(size)
    y = np.empty_like(x)
    t, p, seed = 0.5, 0.1, 1234

    # Answers first: the same results as NumPy's expressions.
    expected = np.sign(x) * np.maximum(np.abs(x) - t, 0)
    if not np.array_equal(fastreg.soft_threshold(x, t), expected):
        print("soft_threshold disagrees with NumPy")
        return 1
    d, mask = fastreg.dropout(x, p, seed=seed, return_mask=True)
    kept = mask.mean()
    sd = np.sqrt(p * (1 - p) / size)
    if not (np.array_equal(d, np.where(mask, x * (1 / (1 - p)), 0.0)) and abs(kept - (1 - p)) < 6 * sd):
        print("dropout disagrees with its mask or its keep rate")
        return 1

    def numpy_dropout():
        return x * (rng.random(size) < 1 - p) / (1 - p)

    times = interleaved_medians(
        {
            "copy (np.copyto)": lambda: np.copyto(y, x),
            "numpy sign(x)*max(|x|-t,0)": lambda: np.sign(x) * np.maximum(np.abs(x) - t, 0),
            "fastreg.soft_threshold(out=)": lambda: fastreg.soft_threshold(x, t, out=y),
            "numpy x*(rand<1-p)/(1-p)": numpy_dropout,
            "fastreg.dropout(out=)": lambda: fastreg.dropout(x, p, seed=seed, out=y),
        },
        repeat=repeat,
    )
    copy = times["copy (np.copyto)"]
    print(f"fastreg {fastreg.__version__} kernels on {size:,} float64 elements, "
          f"{fastreg.get_num_threads()} threads, median of {repeat}")
    print(f"results checked: soft_threshold equals NumPy's; dropout kept {kept:.4f} (expected {1 - p})")
    print(f"{'operation':<32}{'ms':>9}{'x copy':>9}")
    for name, sec in times.items():
        print(f"{name:<32}{sec * 1e3:9.1f}{sec / copy:9.2f}")
    print(f"soft_threshold: {times['numpy sign(x)*max(|x|-t,0)'] / times['fastreg.soft_threshold(out=)']:.1f}x "
          f"faster than NumPy; dropout: {times['numpy x*(rand<1-p)/(1-p)'] / times['fastreg.dropout(out=)']:.1f}x faster")
    return 0
