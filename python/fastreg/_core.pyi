"""Type stubs for fastreg._core, the C++ core. Use the fastreg package's functions: they
validate input, which these do only as far as memory safety requires."""

from typing import Optional, Tuple, Union

import numpy as np
import numpy.typing as npt

_Float = npt.NDArray[np.floating]

def build_info() -> dict: ...
def get_num_threads() -> int: ...
def set_num_threads(n: int) -> None: ...
def philox4x32_10(counter: tuple[int, int, int, int], key: tuple[int, int]) -> tuple[int, int, int, int]: ...
def soft_threshold(x: _Float, threshold: float | _Float, out: _Float) -> None: ...
def enet_prox(x: _Float, l1: float | _Float, l2: float | _Float, out: _Float) -> None: ...
def dropout(
    x: _Float,
    out: _Float,
    scale: float,
    seed: int,
    offset: int,
    threshold: int,
    mask: Optional[npt.NDArray[np.bool_]] = None,
    packed: Optional[npt.NDArray[np.uint8]] = None,
) -> None: ...
def dropout_apply_mask(
    grad: _Float,
    out: _Float,
    scale: float,
    mask: Optional[npt.NDArray[np.bool_]] = None,
    packed: Optional[npt.NDArray[np.uint8]] = None,
) -> None: ...
def dropout_mask(
    seed: int,
    offset: int,
    threshold: int,
    mask: Optional[npt.NDArray[np.bool_]] = None,
    packed: Optional[npt.NDArray[np.uint8]] = None,
    size: int = 0,
) -> None: ...
def philox_groups(seed: int, first_group: int, ngroups: int, variant: str) -> npt.NDArray[np.uint32]: ...

# The kernels' common case, checked in one call: each returns None when the call is not
# that case (and fastreg.kernels then takes the general path above).
def soft_threshold_fast(x: object, threshold: object, out: object) -> Optional[_Float]: ...
def enet_prox_fast(x: object, l1: object, l2: object, out: object) -> Optional[_Float]: ...
def dropout_fast(
    x: object, p: object, seed: object, offset: object, out: object, return_mask: object, packed_mask: object
) -> Union[None, _Float, Tuple[_Float, npt.NDArray[np.bool_] | npt.NDArray[np.uint8]]]: ...
def dropout_backward_fast(
    grad: object, p: object, mask: object, seed: object, offset: object, out: object
) -> Optional[_Float]: ...
def dropout_mask_fast(
    shape: object, p: object, seed: object, offset: object, packed: object, like: object
) -> Union[None, npt.NDArray[np.bool_], npt.NDArray[np.uint8]]: ...
def _probe_call(a: object, b: object, c: object) -> None: ...
def _probe_gil_release(n: int) -> float: ...
def _kernel_serial_below(bandwidth: int = 0, compute: int = 0) -> Tuple[int, int]: ...
# The options of every elastic-net path entry point; the defaults are the core's.
class PathOptions:
    l1_ratio: float
    fit_intercept: bool
    standardize: bool
    positive: bool
    tol: float
    max_iter: int
    screening: bool
    n_threads: int
    acceleration: bool
    random: bool
    seed: int
    gram: int
    n_alphas: int
    eps: float
    patience: int
    max_alphas: int
    sparse_coefs: bool
    def __init__(self) -> None: ...

# Every path entry point returns one dict: alphas, coefs (None with sparse_coefs), coefs_csc
# ((data, indices, indptr) with sparse_coefs, else None), intercepts, dual_gaps, n_iter,
# converged, n_done, val_mse (None without val_weights), tol_scaled, full_passes, epochs,
# grad_columns (and shared_passes for several targets).
def use_gram(n: int, p: int, gram: int) -> bool: ...
def enet_path_dense(X: _Float, y: _Float, sample_weight: Optional[_Float],
                    penalty_factor: Optional[_Float], coef_init: Optional[_Float],
                    alphas: Optional[npt.NDArray[np.float64]], val_weights: Optional[_Float],
                    options: PathOptions) -> dict: ...
def enet_path_csc(data: _Float, indices: npt.NDArray[np.integer],
                  indptr: npt.NDArray[np.integer], n_rows: int, y: _Float,
                  sample_weight: Optional[_Float], penalty_factor: Optional[_Float],
                  coef_init: Optional[_Float], alphas: Optional[npt.NDArray[np.float64]],
                  val_weights: Optional[_Float], options: PathOptions) -> dict: ...

# Genotype designs (fastreg.Genotypes): int8 dosages (F-ordered, negative = missing) or
# PLINK .bed bytes after the magic (variant-major); rows: a subset of the stored samples.
_Int8 = npt.NDArray[np.int8]
_Bytes = npt.NDArray[np.uint8]
# a .bed design over several files: one array per file, whole variants, in column order
_BedParts = Union[_Bytes, list[npt.NDArray[np.uint8]]]
_Rows = Optional[npt.NDArray[np.int64]]
_Impute = Optional[npt.NDArray[np.float64]]

def genotype_int8_values(X: _Int8) -> npt.NDArray[np.int64]: ...
# The int8 kernels of double on one column (tests): (i8_dot, i8raw_dot, r after i8_axpby,
# r after i8raw_axpby); portable forces the portable kernels over the AVX-512 ones.
def genotype_i8_scan(x: _Int8, portable: bool) -> Tuple[npt.NDArray[np.int32], Tuple[int, int, int],
                                                       npt.NDArray[np.uint8]]: ...
def genotype_i8_kernels(x: _Int8, m: float, v: Optional[npt.NDArray[np.float64]],
                        r: npt.NDArray[np.float64], a: float, b: float,
                        portable: bool) -> tuple: ...
# The fused kernel (tests): (y^T v r', r') with r' = r + a x + b.
def genotype_i8_axpby_dot(x: _Int8, a: float, b: float, y: _Int8,
                          v: Optional[npt.NDArray[np.float64]], r: npt.NDArray[np.float64],
                          portable: bool) -> Tuple[float, npt.NDArray[np.float64]]: ...
def genotype_i8_avx512() -> bool: ...
# One contiguous int8 or .bed column decoded as double, a missing entry as m (tests).
def genotype_decode_column(x: npt.NDArray[np.uint8] | npt.NDArray[np.int8], n: int, m: float,
                           bed: bool) -> npt.NDArray[np.float64]: ...
# bed_dot of double on one .bed column (tests); portable forces the portable kernel.
def genotype_bed_dot(x: npt.NDArray[np.uint8], m: float, missing: bool,
                     v: Optional[npt.NDArray[np.float64]], r: npt.NDArray[np.float64],
                     portable: bool) -> float: ...
def genotype_bed_avx512() -> bool: ...
# The integer kernels on one column (tests): (x^T q, q's values, max |e - q|) for the
# Quantized form q of e; x int8 (with missing, bytes outside 0..2 read as m) or, with bed,
# .bed bytes (missing as 0).
def genotype_quantized_dot(x: Union[_Int8, _Bytes], e: npt.NDArray[np.float64], bed: bool,
                           m: float, missing: bool,
                           portable: bool) -> Tuple[float, npt.NDArray[np.float64], float]: ...
def genotype_quantized_vnni() -> bool: ...
def genotype_counts_int8(X: _Int8, rows: _Rows) -> npt.NDArray[np.int64]: ...
def genotype_counts_bed(data: _BedParts, n_stored: int, p: int, rows: _Rows) -> npt.NDArray[np.int64]: ...
def genotype_matmul_int8(X: _Int8, rows: _Rows, impute: _Impute, missing: Optional[_Bytes],
                         coef: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]: ...
def genotype_matmul_bed(data: _BedParts, n_stored: int, p: int, rows: _Rows, impute: _Impute,
                        missing: Optional[_Bytes], coef: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]: ...
def genotype_decode_int8(X: _Int8, rows: _Rows, impute: _Impute, j0: int, j1: int) -> npt.NDArray[np.float64]: ...
def genotype_decode_bed(data: _BedParts, n_stored: int, p: int, rows: _Rows, impute: _Impute,
                        j0: int, j1: int) -> npt.NDArray[np.float64]: ...
def enet_path_int8(X: _Int8, rows: _Rows, impute: _Impute, missing: Optional[_Bytes],
                   covariates: Optional[_Float], y: _Float, sample_weight: Optional[_Float],
                   penalty_factor: Optional[_Float], coef_init: Optional[_Float],
                   alphas: Optional[npt.NDArray[np.float64]], val_weights: Optional[_Float],
                   options: PathOptions) -> dict: ...
def enet_path_bed(data: _BedParts, n_stored: int, p: int, rows: _Rows, impute: _Impute,
                  missing: Optional[_Bytes], covariates: Optional[_Float], y: _Float,
                  sample_weight: Optional[_Float], penalty_factor: Optional[_Float],
                  coef_init: Optional[_Float], alphas: Optional[npt.NDArray[np.float64]],
                  val_weights: Optional[_Float], options: PathOptions) -> dict: ...

# The elastic-net path from summary statistics (fastreg.enet_path_gram): XtX dense (C or F
# order) or CSC/CSR (symmetric), all float64; yty < 0 means unknown. Returns (alphas,
# coefs, gaps, n_iter, converged, stats).
def enet_path_gram_dense(
    XtX: npt.NDArray[np.float64],
    diag: npt.NDArray[np.float64],
    Xty: npt.NDArray[np.float64],
    n: float,
    yty: float,
    penalty_factor: Optional[npt.NDArray[np.float64]],
    coef_init: Optional[npt.NDArray[np.float64]],
    alphas: Optional[npt.NDArray[np.float64]] = None,
    n_alphas: int = 100,
    eps: float = 1e-3,
    l1_ratio: float = 1.0,
    positive: bool = False,
    tol: float = 1e-4,
    max_iter: int = 1000,
    screening: bool = True,
    acceleration: bool = True,
) -> tuple: ...
def enet_path_gram_csc(
    data: npt.NDArray[np.float64],
    indices: npt.NDArray[np.integer],
    indptr: npt.NDArray[np.integer],
    diag: npt.NDArray[np.float64],
    Xty: npt.NDArray[np.float64],
    n: float,
    yty: float,
    penalty_factor: Optional[npt.NDArray[np.float64]],
    coef_init: Optional[npt.NDArray[np.float64]],
    alphas: Optional[npt.NDArray[np.float64]] = None,
    n_alphas: int = 100,
    eps: float = 1e-3,
    l1_ratio: float = 1.0,
    positive: bool = False,
    tol: float = 1e-4,
    max_iter: int = 1000,
    screening: bool = True,
    acceleration: bool = True,
) -> tuple: ...

# Cross-validation paths sharing their passes over X: one entry per task in
# sample_weights / val_weights / alphas (None: unweighted / no validation / generated grid);
# targets: the column of a 2-d y each task fits. Returns (one dict per task, shared passes).
_Tasks = list[Optional[_Float]]
_Grids = list[Optional[npt.NDArray[np.float64]]]
# progress: a writable 1-element int64 array (alphas fitted, summed), or None
_Progress = Optional[npt.NDArray[np.int64]]

def enet_paths_cv_dense(X: _Float, y: _Float, targets: Optional[npt.NDArray[np.int64]],
                        sample_weights: _Tasks, val_weights: _Tasks, alphas: _Grids,
                        penalty_factor: Optional[_Float], options: PathOptions,
                        progress: _Progress = None) -> tuple: ...
def enet_paths_cv_csc(data: _Float, indices: npt.NDArray[np.integer],
                      indptr: npt.NDArray[np.integer], n_rows: int, y: _Float,
                      targets: Optional[npt.NDArray[np.int64]], sample_weights: _Tasks,
                      val_weights: _Tasks, alphas: _Grids, penalty_factor: Optional[_Float],
                      options: PathOptions, progress: _Progress = None) -> tuple: ...
def enet_paths_cv_int8(X: npt.NDArray[np.int8], rows, impute, missing,
                       covariates: Optional[_Float], y: _Float,
                       targets: Optional[npt.NDArray[np.int64]], sample_weights: _Tasks,
                       val_weights: _Tasks, alphas: _Grids, penalty_factor: Optional[_Float],
                       options: PathOptions, progress: _Progress = None) -> tuple: ...
def enet_paths_cv_bed(data: _BedParts, n_stored: int, p: int, rows, impute,
                      missing, covariates: Optional[_Float], y: _Float,
                      targets: Optional[npt.NDArray[np.int64]], sample_weights: _Tasks,
                      val_weights: _Tasks, alphas: _Grids, penalty_factor: Optional[_Float],
                      options: PathOptions, progress: _Progress = None) -> tuple: ...

# The binomial family's path (fastreg/cd/logistic_path.hpp): y holds 0/1 in X's dtype; the
# Gaussian path's arguments with the family's extras (offset, intercept_init, early_stop)
# in place of val_weights. options.max_iter counts Newton steps; standardize, positive,
# random, gram=1 and the cross-validation extras are not the family's (ValueError).
# Returns the path's dict (n_iter: Newton steps; dual_gaps None) plus deviance (k),
# null_deviance and stop (why a generated path ended early: 0 none, 1 or 2 glmnet's rules).
def logistic_path_dense(X: _Float, y: _Float, sample_weight: Optional[_Float],
                        penalty_factor: Optional[_Float], coef_init: Optional[_Float],
                        alphas: Optional[npt.NDArray[np.float64]], offset: Optional[_Float],
                        intercept_init: float, early_stop: bool, options: PathOptions) -> dict: ...
def logistic_path_csc(data: _Float, indices: npt.NDArray[np.integer],
                      indptr: npt.NDArray[np.integer], n_rows: int, y: _Float,
                      sample_weight: Optional[_Float], penalty_factor: Optional[_Float],
                      coef_init: Optional[_Float], alphas: Optional[npt.NDArray[np.float64]],
                      offset: Optional[_Float], intercept_init: float, early_stop: bool,
                      options: PathOptions) -> dict: ...
def logistic_path_int8(X: npt.NDArray[np.int8], rows, impute, missing,
                       covariates: Optional[_Float], y: _Float,
                       sample_weight: Optional[_Float], penalty_factor: Optional[_Float],
                       coef_init: Optional[_Float], alphas: Optional[npt.NDArray[np.float64]],
                       offset: Optional[_Float], intercept_init: float, early_stop: bool,
                       options: PathOptions) -> dict: ...
def logistic_path_bed(data: _BedParts, n_stored: int, p: int, rows, impute,
                      missing, covariates: Optional[_Float], y: _Float,
                      sample_weight: Optional[_Float], penalty_factor: Optional[_Float],
                      coef_init: Optional[_Float], alphas: Optional[npt.NDArray[np.float64]],
                      offset: Optional[_Float], intercept_init: float, early_stop: bool,
                      options: PathOptions) -> dict: ...
