"""Where a run came from: code version, library versions, threads, CPU and GPU, for
``config.json``, so that two runs that differ can be told apart by what was recorded.

Runs of the same configuration are bit-identical on one machine but can depart from each
other on another after the edge of stability sets in (a different CPU capability picks
other kernels); this records what decides that.
"""  # noqa: D205

from __future__ import annotations

import importlib.metadata
import platform
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import torch

#: The checkout holding this package, if it is one (``git`` is asked there).
_SOURCE = Path(__file__).resolve().parents[1]


def git_state(root: Path = _SOURCE) -> dict[str, Any] | None:
    """``{"commit", "dirty"}`` of the git checkout at ``root``; ``None`` outside one."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout.strip()  # fmt: skip
        status = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": commit, "dirty": bool(status.strip())}


def cpu_model() -> str:
    """The CPU's model name (``/proc/cpuinfo`` on Linux, else the platform's word)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _cuda_driver() -> str | None:
    """The CUDA driver version as major.minor (``None`` where torch does not expose it)."""
    getter = getattr(torch._C, "_cuda_getDriverVersion", None)
    if getter is None:
        return None
    try:
        version = int(getter())
    except (RuntimeError, TypeError, ValueError):
        return None
    return f"{version // 1000}.{version % 1000 // 10}"


def provenance(device: torch.device) -> dict[str, Any]:
    """Code, libraries, threads, CPU and (for CUDA) GPU of this process, as plain data.

    >>> sorted(provenance(torch.device("cpu")))  # doctest: +NORMALIZE_WHITESPACE
    ['cpu_capability', 'cpu_model', 'cuda', 'git', 'package', 'platform', 'torch_threads',
     'versions']
    """
    try:
        package = importlib.metadata.version("eos-unstable-convergence")
    except importlib.metadata.PackageNotFoundError:
        package = None
    cuda = None
    if device.type == "cuda":
        props = torch.cuda.get_device_properties(device)
        cuda = {
            "device": torch.cuda.get_device_name(device),
            "capability": f"{props.major}.{props.minor}",
            "torch_cuda": torch.version.cuda,
            "driver": _cuda_driver(),
            "cudnn": torch.backends.cudnn.version(),
        }
    return {
        "git": git_state(),
        "package": package,
        "versions": {"torch": torch.__version__, "numpy": np.__version__},
        "torch_threads": torch.get_num_threads(),
        "cpu_model": cpu_model(),
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "platform": platform.platform(),
        "cuda": cuda,
    }
