"""The paper's CIFAR-10 experiments in torch.

Data, models, the GD/SGD engine with per-step diagnostics, experiments, reports and
benchmarks; and :class:`Monitor`, the diagnostics for any model and ``torch.optim`` optimizer
(:mod:`eos_empirical.monitor`).

Importing this package does not import torch; its modules do (``Monitor`` is imported on
first use, through the module ``__getattr__``). It may use :mod:`eos_theory`, never the other
way round.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Monitor"]


def __getattr__(name: str) -> Any:
    """``eos_empirical.Monitor``, imported lazily (it imports torch)."""
    if name == "Monitor":
        from eos_empirical.monitor import Monitor

        return Monitor
    raise AttributeError(f"module 'eos_empirical' has no attribute {name!r}")
