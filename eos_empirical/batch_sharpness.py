r"""Batch sharpness (Andreyev & Beneventano 2024, "Edge of stochastic stability").

.. math::

    \mathrm{BS}(\theta) = \mathbb{E}_B\left[\frac{g_B^\top \nabla^2 f_B(\theta)\, g_B}
                                              {\|g_B\|^2}\right],
    \qquad g_B = \nabla f_B(\theta)

with :math:`f_B` the mean loss over a minibatch :math:`B` of ``batch_size`` distinct examples
drawn uniformly, and :math:`\nabla^2 f_B` its Hessian: the curvature of each minibatch's own
loss along its own step direction. Andreyev & Beneventano observe that under minibatch SGD it
is this quantity, not :math:`\lambda_{\max}(\nabla^2 f)`, that settles at :math:`2/\eta`.
Estimated by Monte Carlo over minibatches (one gradient and one Hessian-vector product each),
with the standard error of the mean; or exactly, over every minibatch given in ``batches``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import torch

from eos_empirical.module_cost import Buffers, ModuleCost


@dataclass(frozen=True)
class BatchSharpness:
    """A batch-sharpness estimate: ``value`` (mean over minibatches), its standard error
    ``se`` (sample standard deviation / sqrt(samples); NaN for one sample or an exact
    enumeration) and the number of minibatches ``samples``.
    """  # noqa: D205

    value: float
    se: float
    samples: int


def batch_rayleigh(cost: ModuleCost, theta: torch.Tensor, buffers: Buffers, rows) -> float:
    r""":math:`g_B^\top\nabla^2 f_B g_B/\|g_B\|^2` for the minibatch ``rows`` at the flat
    ``theta`` (NaN when :math:`g_B = 0`).
    """  # noqa: D205
    gb, hvp = cost.hvp_operator(theta, buffers, rows)
    gg = torch.dot(gb, gb)
    return float(torch.dot(gb, hvp(gb)) / gg) if float(gg) > 0 else math.nan


def batch_sharpness(
    cost: ModuleCost,
    theta: torch.Tensor,
    buffers: Buffers,
    batch_size: int,
    *,
    samples: int = 32,
    generator: torch.Generator | None = None,
    batches: Iterable[torch.Tensor] | None = None,
) -> BatchSharpness:
    r"""Batch sharpness at the flat ``theta`` (module docstring), by Monte Carlo or exactly.

    ``cost`` is the model's :class:`~eos_empirical.module_cost.ModuleCost`, ``buffers`` the
    buffers to evaluate with (a copy is used), ``batch_size`` :math:`|B|`. Monte Carlo:
    ``samples`` minibatches, each the first ``batch_size`` entries of a ``torch.randperm``
    drawn from ``generator`` (a seeded CPU generator makes it reproducible on any device).
    Exact: ``batches`` lists index tensors (e.g. every subset of a tiny data set) and the
    value is their plain mean. Minibatches with :math:`g_B = 0` are skipped. Source:
    Andreyev & Beneventano 2024.

    >>> import torch.nn as nn
    >>> x = torch.tensor([[1.0], [2.0]], dtype=torch.float64); y = torch.zeros(2, 1).double()
    >>> lin = nn.Linear(1, 1, bias=False).double(); _ = nn.init.ones_(lin.weight)
    >>> cost = ModuleCost(lin, nn.functional.mse_loss, x, y, ["weight"])
    >>> r = batch_sharpness(cost, torch.ones(1).double(), {}, 1, batches=[torch.tensor([0]),
    ...                     torch.tensor([1])])
    >>> r.value  # f_B = (w x_i)^2 has curvature 2 x_i^2: mean of 2 and 8
    5.0
    """
    if isinstance(batch_size, bool) or not isinstance(batch_size, int):
        raise ValueError(f"batch_size must be an integer, got {batch_size!r}")
    if not 1 <= batch_size <= cost.n:
        raise ValueError(f"batch_size must be in [1, {cost.n}] (the examples), got {batch_size}")
    if batches is None:
        if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
            raise ValueError(f"samples must be a positive integer, got {samples!r}")
        gen = generator if generator is not None else torch.Generator().manual_seed(0)
        draws: Iterable[torch.Tensor] = (
            torch.randperm(cost.n, generator=gen)[:batch_size] for _ in range(samples)
        )
        exact = False
    else:
        draws, exact = batches, True
    vals = np.array(
        [batch_rayleigh(cost, theta, buffers, idx.to(theta.device)) for idx in draws],
        dtype=np.float64,
    )
    vals = vals[np.isfinite(vals)]
    if vals.size == 0:
        return BatchSharpness(math.nan, math.nan, 0)
    se = math.nan if exact or vals.size < 2 else float(vals.std(ddof=1) / math.sqrt(vals.size))
    return BatchSharpness(float(vals.mean()), se, int(vals.size))
