r"""The instrumentation of one eigensolver run of figure 3 (:math:`\lambda_{\max}`).

What every solver of :mod:`eos_empirical.bench.eig_figure` and
:mod:`eos_empirical.bench.peers` shares: the accuracy asked (``EIG_TARGET``), the seeded
start vector, the HVP operator that counts its products and records the estimate each
product allows, the ideal-stopping count read from those estimates, and the result
record (value, HVPs, relative error against the reference, seconds).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from scipy.linalg import eigh_tridiagonal

#: Relative accuracy asked of every eigensolver (the engine's default ``eig_tol``).
EIG_TARGET = 1e-3


class TracedMatVec:
    """Counts products and records the estimate each product allows.

    ``mode="rayleigh"``: the Rayleigh quotient :math:`v^\\top Hv / v^\\top v` of each
    input (power iteration's estimate). ``mode="lanczos"``: the top Ritz value of the
    tridiagonal rebuilt from the inputs :math:`q_k` and outputs
    (:math:`\\alpha_k = q_k^\\top Hq_k`, :math:`\\beta_{k-1} = q_k^\\top Hq_{k-1}`), i.e.
    the value Lanczos would return if stopped there. ``None``: counting only. Costs one
    or two inner products per product.
    """  # noqa: D301

    def __init__(self, matvec: Callable[[torch.Tensor], torch.Tensor], mode: str | None = None):
        self.matvec, self.mode, self.count = matvec, mode, 0
        self.estimates: list[float] = []
        self._alphas: list[float] = []
        self._betas: list[float] = []
        self._prev: torch.Tensor | None = None

    def __call__(self, v: torch.Tensor) -> torch.Tensor:
        """:math:`Hv`, recording the count and the estimate."""
        w = self.matvec(v)
        self.count += 1
        if self.mode == "rayleigh":
            self.estimates.append(float(torch.dot(v, w) / torch.dot(v, v)))
        elif self.mode == "lanczos":
            self._alphas.append(float(torch.dot(v, w)))
            if self._prev is not None:
                self._betas.append(float(torch.dot(v, self._prev)))
            a, b = np.array(self._alphas), np.array(self._betas)
            self.estimates.append(
                float(eigh_tridiagonal(a, b, eigvals_only=True)[-1]) if b.size else float(a[0])
            )
            self._prev = w.detach()
        return w

    def kato_temple_stop(self, tol: float) -> tuple[int, float] | None:
        r"""Prototype stopping rule on the Lanczos trace: the first step :math:`k \ge 2`
        with :math:`r_k^2 \le \mathrm{tol}\,|\vartheta_1|\,(\vartheta_1 - \vartheta_2)`.

        :math:`r_k = \beta_k |s_k|` is the residual of the top Ritz pair, and
        :math:`\vartheta_1 - \vartheta_2` (top two Ritz values) estimates the gap in the
        Kato–Temple bound :math:`\lambda_{\max} - \vartheta_1 \le r^2/\delta`, so the rule
        stops on the estimated EIGENVALUE error instead of the residual (the engine's
        rule, which is much stricter for the eigenvalue). Returns ``(k, Ritz value)`` or
        ``None``. (The gap is estimated, not bounded: a heuristic, checked against the
        reference in the benchmark.)
        """  # noqa: D205
        a, b = np.array(self._alphas), np.array(self._betas)
        for k in range(2, a.size):
            evals, evecs = eigh_tridiagonal(a[:k], b[: k - 1])
            r = b[k - 1] * abs(evecs[-1, -1])
            if r * r <= tol * abs(evals[-1]) * (evals[-1] - evals[-2]):
                return k, float(evals[-1])
        return None


def hvps_to_accuracy(estimates: list[float], ref: float, tol: float) -> int | None:
    """Products after which every later estimate is within ``tol`` (relative) of ``ref``.

    ``None`` if the last estimate is not. This is the count an ideal stopping rule needs.

    >>> hvps_to_accuracy([1.0, 1.9, 2.01, 1.999], 2.0, 1e-2)
    3
    """
    errs = [abs(e - ref) / abs(ref) for e in estimates]
    if not errs or errs[-1] > tol:
        return None
    bad = [i for i, e in enumerate(errs) if e > tol]
    return (bad[-1] + 2) if bad else 1


def start_vector(like: torch.Tensor, seed: int) -> torch.Tensor:
    """The seeded unit Gaussian start every solver gets (as the engine draws it)."""
    gen = torch.Generator().manual_seed(seed)
    v = torch.randn(like.shape, generator=gen, dtype=torch.float64).to(like)
    return v / v.norm()


def _result(value: float, hvps: int, ref: float, seconds: float, **extra: Any) -> dict[str, Any]:
    if "converged" in extra:
        extra["converged"] = bool(extra["converged"])
    return {
        "value": value,
        "hvps": hvps,
        "rel_error": abs(value - ref) / abs(ref),
        "seconds": seconds,
        **extra,
    }
