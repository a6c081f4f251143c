"""Input validation shared by the diagnostics: bad input raises ``ValueError``, never NaN."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

Cost = Callable[[np.ndarray], float]


def check_eta(eta: float) -> float:
    """Return ``eta`` as a float, or raise if it is not a finite positive step size."""
    try:
        value = float(eta)
    except (TypeError, ValueError):
        raise ValueError(f"eta must be a real number, got {eta!r}") from None
    if not math.isfinite(value) or value <= 0.0:
        raise ValueError(f"eta must be finite and > 0, got {eta!r}")
    return value


def check_theta(theta: object, *, name: str = "theta") -> np.ndarray:
    """Return ``theta`` as a finite, non-empty, 1-D float64 array (a copy)."""
    try:
        arr = np.array(theta, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a 1-D array of real numbers, got {theta!r}") from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {arr}")
    return arr


def check_like(v: object, theta: np.ndarray, *, name: str = "v") -> np.ndarray:
    """Return ``v`` as a finite float64 vector with the shape of ``theta``."""
    arr = check_theta(v, name=name)
    if arr.shape != theta.shape:
        raise ValueError(f"{name} must have the shape of theta {theta.shape}, got {arr.shape}")
    return arr


def cost_value(f: Cost, theta: np.ndarray, *, name: str = "f") -> float:
    """Evaluate ``f(theta)``, raising if the value is not a finite scalar."""
    if not callable(f):
        raise ValueError(f"{name} must be callable, got {type(f).__name__}")
    with np.errstate(all="ignore"):
        value = f(theta)
    if np.ndim(value) != 0:
        raise ValueError(
            f"{name} must return a scalar, got shape {np.shape(value)} at theta={theta}"
        )
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} is not finite at theta={theta}: {name}(theta)={value}")
    return value


def nonzero_norm_sq(vec: np.ndarray, *, what: str, theta: np.ndarray) -> float:
    """Return ``||vec||^2``, raising if it is zero (the quantity would be 0/0)."""
    norm_sq = float(vec @ vec)
    if norm_sq == 0.0:
        raise ValueError(f"{what} is zero at theta={theta}: the ratio is undefined (0/0)")
    if not math.isfinite(norm_sq):
        raise ValueError(f"{what} is not finite at theta={theta}")
    return norm_sq


def check_costs(fs: Sequence[Cost]) -> list[Cost]:
    """Return the per-example costs ``fs`` as a non-empty list of callables."""
    try:
        costs = list(fs)
    except TypeError:
        raise ValueError(f"fs must be a sequence of callables, got {type(fs).__name__}") from None
    if not costs:
        raise ValueError("fs must contain at least one per-example cost")
    for i, fi in enumerate(costs):
        if not callable(fi):
            raise ValueError(f"fs[{i}] must be callable, got {type(fi).__name__}")
    return costs


def check_batch_size(batch_size: object, n: int) -> int:
    """Return ``batch_size`` as an int in ``1..n``, or raise."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)):
        raise ValueError(f"batch_size must be an integer, got {batch_size!r}")
    if not 1 <= int(batch_size) <= n:
        raise ValueError(f"batch_size must lie in 1..len(fs)={n}, got {batch_size}")
    return int(batch_size)
