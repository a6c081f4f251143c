"""The numerics guard of every measurement, and the settings it leaves in force.

The guard makes float32 exact (no TF32, no reduced precision) and kernels deterministic
when asked, and restores the previous settings on exit. torch has two APIs for reduced
float32 precision. From 2.9 on, each backend has an ``fp32_precision`` attribute
(``"ieee"`` is exact float32); the legacy flags (``torch.backends.cuda.matmul.allow_tf32``,
``torch.backends.cudnn.allow_tf32``, ``torch.set_float32_matmul_precision``) raise
``RuntimeError`` once anything in the process used the new API (seen on torch 2.13). The
guard uses the new API where it exists and the legacy flags otherwise (torch 2.11-2.14
here), and restores what it found.

``CUBLAS_WORKSPACE_CONFIG`` (deterministic cuBLAS) is read when CUDA initializes, so it is
set when this module is imported, before any run touches CUDA; a warning says so when CUDA
was initialized earlier without it.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import torch

#: Deterministic cuBLAS workspace (see the CUDA documentation on reproducibility).
CUBLAS_WORKSPACE = ":4096:8"
_CUBLAS_BEFORE_INIT = "CUBLAS_WORKSPACE_CONFIG" in os.environ or not torch.cuda.is_initialized()
os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", CUBLAS_WORKSPACE)


def _precision_backends() -> dict[str, Any]:
    """The backends with an ``fp32_precision`` attribute (the new API), by dotted name."""
    found: dict[str, Any] = {}
    for name in ("cuda.matmul", "cudnn", "cudnn.conv", "cudnn.rnn", "mkldnn", "mkldnn.matmul",
                 "mkldnn.conv", "mkldnn.rnn"):  # fmt: skip
        obj: Any = torch.backends
        for part in name.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                break
        if obj is not None and hasattr(obj, "fp32_precision"):
            found[name] = obj
    return found


def uses_new_precision_api() -> bool:
    """Whether this torch has the per-backend ``fp32_precision`` API."""
    return bool(_precision_backends())


@contextmanager
def measurement_numerics(*, deterministic: bool, device: torch.device) -> Iterator[None]:
    """Exact float32 in every backend and, if asked, deterministic algorithms; the previous
    settings are restored on exit.

    >>> with measurement_numerics(deterministic=False, device=torch.device("cpu")):
    ...     settings_in_force()["float32"]
    'ieee'
    """  # noqa: D205
    if device.type == "cuda" and deterministic and not _CUBLAS_BEFORE_INIT:
        warnings.warn(
            "CUDA was initialized before eos_empirical.numerics was imported without "
            "CUBLAS_WORKSPACE_CONFIG: cuBLAS may not be deterministic in this process",
            RuntimeWarning,
            stacklevel=3,
        )
    backends = _precision_backends()
    old_det = torch.are_deterministic_algorithms_enabled()
    if backends:
        old = {name: obj.fp32_precision for name, obj in backends.items()}
        for obj in backends.values():
            obj.fp32_precision = "ieee"
    else:
        legacy = (
            torch.backends.cuda.matmul.allow_tf32,
            torch.backends.cudnn.allow_tf32,
            torch.get_float32_matmul_precision(),
        )
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        torch.set_float32_matmul_precision("highest")
    if deterministic:
        torch.use_deterministic_algorithms(True)
    try:
        yield
    finally:
        if backends:
            for name in reversed(list(backends)):
                backends[name].fp32_precision = old[name]
        else:
            torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = legacy[:2]
            torch.set_float32_matmul_precision(legacy[2])
        torch.use_deterministic_algorithms(old_det)


def settings_in_force() -> dict[str, Any]:
    """The float32 precision and determinism settings in force now (for ``config.json``).

    ``float32`` is ``"ieee"`` when every backend computes exact float32, else the settings
    by backend; ``api`` says which of torch's two APIs was read.
    """
    backends = _precision_backends()
    if backends:
        values = {name: obj.fp32_precision for name, obj in backends.items()}
        exact = all(v == "ieee" for v in values.values())
        float32: Any = "ieee" if exact else values
        api = "fp32_precision"
    else:
        tf32 = torch.backends.cuda.matmul.allow_tf32 or torch.backends.cudnn.allow_tf32
        high = torch.get_float32_matmul_precision() == "highest"
        float32 = "ieee" if not tf32 and high else "reduced (TF32 or lower matmul precision)"
        api = "legacy allow_tf32 flags"
    return {
        "float32": float32,
        "precision_api": api,
        "deterministic_algorithms": torch.are_deterministic_algorithms_enabled(),
        "cublas_workspace_config": os.environ.get("CUBLAS_WORKSPACE_CONFIG"),
    }
