"""Timing statistics of ``eos bench``: spreads, interleaved rounds, paired ratios.

Every figure of the benchmark is a ratio of two operations timed in one process, in
rotation (A, B, A, B, ...), so that contention from other processes hits both alike; the
figure is the median of the per-pair ratios with its interquartile range and min–max.
Also the wall time of a command run in a subprocess (the theory-side figure).
"""

from __future__ import annotations

import math
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch


def spread(values: list[float]) -> dict[str, Any]:
    """Median, quartiles, min and max of ``values`` (``None`` entries when empty).

    >>> s = spread([1.0, 2.0, 3.0, 10.0])
    >>> s["median"], s["min"], s["max"], s["n"]
    (2.5, 1.0, 10.0, 4)
    """
    vals = sorted(float(v) for v in values if v is not None and math.isfinite(v))
    if not vals:
        return {"median": None, "q1": None, "q3": None, "min": None, "max": None, "n": 0}
    q1, q3 = (float(q) for q in np.percentile(vals, [25, 75]))
    return {
        "median": statistics.median(vals),
        "q1": q1,
        "q3": q3,
        "min": vals[0],
        "max": vals[-1],
        "n": len(vals),
    }


def _sync(device: torch.device) -> Callable[[], None]:
    if device.type == "cuda":
        return lambda: torch.cuda.synchronize(device)
    return lambda: None


def interleave(
    ops: dict[str, Callable[[], object]],
    *,
    repeats: int,
    warmup: int = 1,
    sync: Callable[[], None] = lambda: None,
) -> dict[str, list[float]]:
    """Seconds of each op, run in rotation (A, B, ..., A, B, ...) ``warmup + repeats`` times.

    The first ``warmup`` rounds are discarded. ``sync`` waits for the device.

    >>> t = interleave({"a": lambda: None, "b": lambda: None}, repeats=3)
    >>> sorted(t), len(t["a"])
    (['a', 'b'], 3)
    """
    times: dict[str, list[float]] = {name: [] for name in ops}
    for r in range(warmup + repeats):
        for name, op in ops.items():
            sync()
            start = time.perf_counter()
            op()
            sync()
            if r >= warmup:
                times[name].append(time.perf_counter() - start)
    return times


def paired_ratio(num: list[float], den: list[float]) -> dict[str, Any]:
    """Spread of the per-pair ratios ``num[i] / den[i]`` (pairs measured side by side).

    >>> paired_ratio([2.0, 4.0, 3.0], [1.0, 2.0, 1.0])["median"]
    2.0
    """
    return spread([a / b for a, b in zip(num, den, strict=True) if b > 0])


def time_subprocess(
    cmd: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 1800,
) -> dict[str, Any]:
    """Wall time, exit status and the last output line of ``cmd``."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout, check=False
        )
        rc, text = proc.returncode, (proc.stdout + proc.stderr).strip()
    except subprocess.TimeoutExpired:
        rc, text = None, f"timed out after {timeout} s"
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return {
        "command": " ".join(cmd),
        "seconds": time.perf_counter() - start,
        "rc": rc,
        "last_line": lines[-1] if lines else "",
    }
