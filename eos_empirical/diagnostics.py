r"""The paper's quantities for a torch cost, from what the training loop already has.

Torch counterparts of :mod:`eos_theory` (tested against it on tiny models in float64):

- :func:`gd_step_diagnostics`: RP (Definition 1) and :math:`L(\theta;\eta\nabla f)`
  (Definition 2) of one GD step from :math:`f, \nabla f` at :math:`\theta^t` and
  :math:`\theta^{t+1}` (no extra pass);
- :func:`tau_smoothness`: :math:`L(\theta; \eta\tau\nabla f(\theta))` on a grid of
  :math:`\tau` (Experiment 5);
- :func:`theorem2_gauss_legendre`: the right-hand side of Theorem 2 (4.2) by
  Gauss–Legendre quadrature, with an error estimate;
- :func:`sharpness`: :math:`\lambda_{\max}(\nabla^2 f(\theta))` by warm-started Lanczos;
- :func:`sgd_relative_progress`: :math:`\mathbb{E}[\mathrm{RP}]` (Definition 3) and the
  right-hand side of (5.1) by Monte Carlo over minibatches, with standard errors.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from eos_empirical.cost import FullBatchCost
from eos_empirical.hessian import EIG_MAX_ITER, EIG_TOL, EigResult, lanczos_top
from eos_empirical.runlog import F


def gd_step_diagnostics(
    f0: float, g0: torch.Tensor, f1: float, g1: torch.Tensor, eta: float
) -> tuple[float, float]:
    r"""RP and directional smoothness of the step :math:`\theta^{t+1} = \theta^t - \eta g_0`.

    .. math::

        \mathrm{RP} = \frac{f_1 - f_0}{\eta\|g_0\|^2}, \qquad
        L(\theta^t; \eta g_0) = \frac{\langle g_0, g_0 - g_1\rangle}{\eta\|g_0\|^2}

    ``f0``, ``g0`` are :math:`f, \nabla f` at :math:`\theta^t`; ``f1``, ``g1`` at
    :math:`\theta^{t+1}`; ``eta`` is :math:`\eta`. Paper: Definitions 1 and 2. The inner
    product is formed with the difference :math:`g_0 - g_1` (no cancellation when the step
    is small). The training loop computes the same expressions inline (one device sync).

    >>> g0 = torch.tensor([2.0]); g1 = torch.tensor([1.0])  # f = th^2 at th = 1, eta = 1/4
    >>> gd_step_diagnostics(1.0, g0, 0.25, g1, 0.25)
    (-0.75, 2.0)
    """
    gg = float(torch.dot(g0, g0))
    return (f1 - f0) / (eta * gg), float(torch.dot(g0, g0 - g1)) / (eta * gg)


def _segment_inner(
    cost: FullBatchCost, theta: torch.Tensor, g: torch.Tensor, eta: float, taus: list[float]
) -> np.ndarray:
    r""":math:`\langle g, g - \nabla f(\theta - \eta\tau g)\rangle` for each ``tau`` (float64)."""
    out = [torch.dot(g, g - cost.grad(theta - (eta * t) * g)) for t in taus]
    return torch.stack(out).double().cpu().numpy() if out else np.zeros(0)


def tau_smoothness(
    cost: FullBatchCost, theta: torch.Tensor, g: torch.Tensor, eta: float, taus: list[float]
) -> np.ndarray:
    r"""Directional smoothness :math:`L(\theta; \eta\tau g)` for each :math:`\tau` in ``taus``.

    .. math::

        L(\theta; \eta\tau g) = \frac{\langle g, g - \nabla f(\theta - \eta\tau g)\rangle}
                                     {\eta\tau\|g\|^2}

    with ``g`` :math:`=\nabla f(\theta)`. Paper: Experiment 5 (the grid
    :math:`\tau \in \{0.01, \dots, 1\}`). One gradient per :math:`\tau`.
    """
    gg = float(torch.dot(g, g))
    inner = _segment_inner(cost, theta, g, eta, taus)
    return inner / (eta * np.asarray(taus, dtype=np.float64) * gg)


def theorem2_gauss_legendre(
    cost: FullBatchCost, theta: torch.Tensor, g: torch.Tensor, eta: float, *, nodes: int = 16
) -> tuple[float, float]:
    r"""Right-hand side of Theorem 2 by ``nodes``-point Gauss–Legendre, and an error estimate.

    .. math::

        -1 + \eta\int_0^1 \frac{\langle g, g - \nabla f(\theta - \eta\tau g)\rangle}
        {\eta\|g\|^2}\, d\tau \;=\; -1 + \frac{\eta}{2}\cdot 2\int_0^1 \tau
        L(\theta; \eta\tau g)\, d\tau

    with ``g`` :math:`=\nabla f(\theta)`. Paper: Theorem 2, (4.2). The integrand is smooth
    for tanh and linear nets (Gauss–Legendre converges geometrically) and piecewise smooth
    for ReLU (kinks where a unit switches, slower convergence). The error estimate is the
    difference to the ``nodes/2``-point rule (a conservative bound for smooth integrands,
    since the ``nodes``-point rule is far more accurate than the half rule). Cost:
    ``nodes + nodes/2`` gradients.
    """
    if nodes < 2 or nodes % 2:
        raise ValueError(f"nodes must be an even integer >= 2, got {nodes}")
    gg = float(torch.dot(g, g))

    def rule(m: int) -> tuple[list[float], np.ndarray]:
        x, w = np.polynomial.legendre.leggauss(m)
        return ((x + 1) / 2).tolist(), w / 2

    t_full, w_full = rule(nodes)
    t_half, w_half = rule(nodes // 2)
    inner = _segment_inner(cost, theta, g, eta, t_full + t_half)
    full = -1.0 + float(w_full @ inner[:nodes]) / gg
    half = -1.0 + float(w_half @ inner[nodes:]) / gg
    return full, abs(full - half)


def sharpness(
    cost: FullBatchCost,
    theta: torch.Tensor,
    *,
    v0: torch.Tensor | None = None,
    tol: float = EIG_TOL,
    max_iter: int = EIG_MAX_ITER,
    seed: int = 0,
) -> EigResult:
    r"""Sharpness :math:`\lambda_{\max}(\nabla^2 f(\theta))` (largest algebraic) by Lanczos.

    Warm start ``v0`` (the previous top eigenvector), relative residual ``tol``; see
    :func:`eos_empirical.hessian.lanczos_top` for the stopping rule. The gradient graph is
    built once and each Hessian-vector product is one double-backward pass through it.
    """
    hvp = cost.hvp_operator(theta)
    return lanczos_top(hvp, theta.detach(), v0=v0, tol=tol, max_iter=max_iter, seed=seed)


def _mean_se(x: np.ndarray) -> tuple[float, float]:
    x = x[np.isfinite(x)]
    if x.size == 0:
        return math.nan, math.nan
    se = float(x.std(ddof=1) / math.sqrt(x.size)) if x.size > 1 else math.nan
    return float(x.mean()), se


def sgd_relative_progress(
    cost: FullBatchCost,
    theta: torch.Tensor,
    eta: float,
    batch_size: int,
    *,
    samples: int,
    generator: torch.Generator,
    full: tuple[torch.Tensor, torch.Tensor] | None = None,
    se_target: float = 0.0,
    block: int = 32,
) -> dict[F, float]:
    r"""Monte Carlo :math:`\mathbb{E}[\mathrm{RP}(\theta)]` and the right-hand side of (5.1).

    .. math::

        \mathbb{E}[\mathrm{RP}] = \frac{\mathbb{E} f(\theta - \eta g_B) - f(\theta)}
                                       {\eta\|\nabla f(\theta)\|^2}, \qquad
        \text{(5.1)} = -1 + \frac{\eta}{2}\,\mathbb{E}\Big[\frac{\|g_B\|^2}{\|\nabla f\|^2}
        L(\theta; \eta g_B)\Big] = -1 + \mathbb{E}\frac{\langle g_B, \nabla f(\theta) -
        \nabla f(\theta - \eta g_B)\rangle}{2\|\nabla f(\theta)\|^2}

    ``g_B`` is the mean gradient of a minibatch of ``batch_size`` distinct examples drawn
    uniformly (``torch.randperm`` with ``generator``); each costs one minibatch gradient and
    one full-batch value and gradient at :math:`\theta - \eta g_B`. With ``se_target`` = 0,
    exactly ``samples`` minibatches; with ``se_target`` > 0, blocks of ``block`` minibatches
    until the standard error of the paired difference LHS − RHS of (5.1) is at most
    ``se_target`` (at least one block, at most ``samples``, the cap): the precision the
    (5.1) check needs, whatever the epoch's variance. ``full`` =
    :math:`(f(\theta), \nabla f(\theta))` if known. Paper: Definition 3 and (5.1). Returns
    the estimates with their standard errors
    (sample standard deviation / :math:`\sqrt{\text{samples}}`), the paired difference
    ``rp - rhs51`` with its standard error, and the mean of :math:`L(\theta; \eta g_B)`.
    """
    f, g = full if full is not None else cost.value_grad_acc(theta)[:2]
    gg = float(torch.dot(g, g))
    f0 = float(f)
    if se_target < 0 or block < 1 or samples < 1:
        raise ValueError(f"se_target >= 0, block >= 1, samples >= 1 needed, got "
                         f"{se_target}, {block}, {samples}")  # fmt: skip
    rows: list[torch.Tensor] = []
    while len(rows) < samples:
        for _ in range(min(block, samples) if se_target else samples):
            if len(rows) == samples:
                break
            idx = torch.randperm(cost.n, generator=generator)[:batch_size].to(theta.device)
            gb = cost.value_grad_acc(theta, idx)[1]
            f1, g1, _ = cost.value_grad_acc(theta - eta * gb)
            rows.append(torch.stack([f1, torch.dot(gb, g - g1), torch.dot(gb, gb)]))
        v = torch.stack(rows).double().cpu().numpy()
        with np.errstate(all="ignore"):
            rp = (v[:, 0] - f0) / (eta * gg)
            rhs = -1.0 + v[:, 1] / (2.0 * gg)
            smooth = v[:, 1] / (eta * v[:, 2])
        if not se_target:
            break
        d_se = _mean_se(rp - rhs)[1]
        if math.isfinite(d_se) and d_se <= se_target:
            break
    rp_m, rp_se = _mean_se(rp)
    rhs_m, rhs_se = _mean_se(rhs)
    d_m, d_se = _mean_se(rp - rhs)
    return {
        F.RP: rp_m,
        F.RP_SE: rp_se,
        F.RHS51: rhs_m,
        F.RHS51_SE: rhs_se,
        F.RP_MINUS_RHS51: d_m,
        F.RP_MINUS_RHS51_SE: d_se,
        F.DIR_SMOOTHNESS: _mean_se(smooth)[0],
        F.SAMPLES: len(rows),
    }
