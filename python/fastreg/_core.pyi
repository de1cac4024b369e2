"""Type stubs for fastreg._core, the C++ core. Use the fastreg package's functions: they
validate input, which these do only as far as memory safety requires."""

from typing import Optional

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
