"""Gradient descent with the paper's per-step diagnostics recorded along the way."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from autograd import value_and_grad

from eos_theory._validate import Cost, check_eta, check_theta, cost_value
from eos_theory.sharpness import sharpness as _sharpness

Outcome = Literal["converged", "diverged", "bounded"]


@dataclass(frozen=True)
class GDTrajectory:
    r"""The record of a GD run :math:`\theta^{t+1} = \theta^t - \eta\nabla f(\theta^t)`.

    Arrays indexed by step ``t = 0 .. steps-1`` hold, for each completed step (both
    :math:`\theta^t` and :math:`\theta^{t+1}` finite): ``loss`` :math:`f(\theta^t)`,
    ``grad_norm`` :math:`\|\nabla f(\theta^t)\|`, ``rp`` :math:`\mathrm{RP}(\theta^t)`
    (Definition 1) and ``dir_smoothness`` :math:`L(\theta^t; \eta\nabla f(\theta^t))`
    (Definition 2). ``thetas`` has one more row than the step arrays: the last iterate
    reached. ``sharpness`` maps a step index to :math:`\lambda_{\max}(\nabla^2 f(\theta^t))`
    where it was computed. ``outcome`` is ``converged`` (gradient norm fell below
    ``gtol``), ``diverged`` (a non-finite value, or the iterate or the loss grew past
    ``blowup``) or ``bounded`` (neither, within ``steps``); ``reason`` says which test fired.
    """

    eta: float
    thetas: np.ndarray
    loss: np.ndarray
    grad_norm: np.ndarray
    rp: np.ndarray
    dir_smoothness: np.ndarray
    outcome: Outcome
    reason: str
    sharpness: dict[int, float] = field(default_factory=dict)

    @property
    def steps(self) -> int:
        """Number of completed steps (rows of the step arrays)."""
        return int(self.loss.size)


def run_gd(
    f: Cost,
    theta0: object,
    eta: float,
    steps: int,
    *,
    sharpness_every: int = 0,
    gtol: float = 1e-10,
    blowup: float = 1e8,
) -> GDTrajectory:
    r"""Run full-batch gradient descent and record RP and directional smoothness per step.

    .. math::

        \theta^{t+1} = \theta^t - \eta\nabla f(\theta^t), \quad
        \mathrm{RP}(\theta^t) = \frac{f(\theta^{t+1}) - f(\theta^t)}{\eta\|\nabla f(\theta^t)\|^2},
        \quad
        L(\theta^t; \eta\nabla f(\theta^t)) =
        \frac{\langle \nabla f(\theta^t), \nabla f(\theta^t) - \nabla f(\theta^{t+1})\rangle}
             {\eta\|\nabla f(\theta^t)\|^2}

    ``f`` is the cost, ``theta0`` the start :math:`\theta^0`, ``eta`` the step size and
    ``steps`` the most steps to take. Paper: the GD iteration of Section 1 with
    Definitions 1 and 2. One value-and-gradient evaluation per iterate: the next iterate's
    loss and gradient give RP and L of the current step, with no extra evaluation.

    ``sharpness_every = k > 0`` also records :math:`\lambda_{\max}` every ``k`` steps.
    The run stops early as ``converged`` when
    :math:`\|\nabla f(\theta^t)\| \le` ``gtol`` :math:`\cdot\max(1, \|\nabla f(\theta^0)\|)`,
    and as ``diverged`` when a value is not finite, or
    :math:`\|\theta^t - \theta^0\| >` ``blowup`` :math:`(1 + \|\theta^0\|)`, or
    :math:`f(\theta^t) - f(\theta^0) >` ``blowup`` :math:`(1 + |f(\theta^0)|)`. Divergence is
    a result, never an exception.

    >>> import autograd.numpy as anp
    >>> run_gd(lambda th: 20 * th[0] ** 2 + th[1] ** 2, [1.0, 1.0], 2 / 39, 5000).outcome
    'diverged'
    >>> run_gd(lambda th: 20 * th[0] ** 2 + th[1] ** 2, [1.0, 1.0], 2 / 41, 5000).outcome
    'converged'
    """
    eta = check_eta(eta)
    theta = check_theta(theta0, name="theta0")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    if isinstance(sharpness_every, bool) or not isinstance(sharpness_every, int):
        raise ValueError(f"sharpness_every must be an integer, got {sharpness_every!r}")
    if sharpness_every < 0:
        raise ValueError(f"sharpness_every must be >= 0, got {sharpness_every}")
    for name, val in (("gtol", gtol), ("blowup", blowup)):
        if not (isinstance(val, (int, float)) and math.isfinite(val) and val > 0):
            raise ValueError(f"{name} must be finite and > 0, got {val!r}")
    f_start = cost_value(f, theta, name="f")
    vg = value_and_grad(f)

    def evaluate(point: np.ndarray) -> tuple[float, np.ndarray]:
        with np.errstate(all="ignore"):
            value, g = vg(point)
        return float(value), np.asarray(g, dtype=np.float64)

    thetas = [theta]
    losses: list[float] = []
    grad_norms: list[float] = []
    rps: list[float] = []
    smooths: list[float] = []
    sharp: dict[int, float] = {}
    f_t, g_t = evaluate(theta)
    scale = max(1.0, float(np.linalg.norm(g_t))) if np.all(np.isfinite(g_t)) else 1.0
    outcome: Outcome = "bounded"
    reason = f"neither converged nor diverged within {steps} steps"
    for t in range(steps + 1):
        g_norm = float(np.linalg.norm(g_t))
        if not (math.isfinite(f_t) and math.isfinite(g_norm)):
            outcome, reason = "diverged", f"non-finite loss or gradient at step {t}"
            break
        if np.linalg.norm(thetas[-1] - theta) > blowup * (1.0 + np.linalg.norm(theta)):
            outcome, reason = "diverged", f"|theta_t - theta_0| exceeded blowup at step {t}"
            break
        if f_t - f_start > blowup * (1.0 + abs(f_start)):
            outcome, reason = "diverged", f"f(theta_t) - f(theta_0) exceeded blowup at step {t}"
            break
        if g_norm <= gtol * scale:
            outcome, reason = "converged", f"|grad f| <= gtol at step {t}"
            break
        if t == steps:
            break
        if sharpness_every and t % sharpness_every == 0:
            sharp[t] = _sharpness(f, thetas[-1])
        with np.errstate(all="ignore"):
            theta_next = thetas[-1] - eta * g_t
        f_next, g_next = evaluate(theta_next)
        if not (math.isfinite(f_next) and np.all(np.isfinite(g_next))):
            thetas.append(theta_next)
            outcome, reason = "diverged", f"non-finite loss or gradient at step {t + 1}"
            break
        denom = eta * g_norm * g_norm
        losses.append(f_t)
        grad_norms.append(g_norm)
        rps.append((f_next - f_t) / denom)
        smooths.append(float(g_t @ (g_t - g_next)) / denom)
        thetas.append(theta_next)
        f_t, g_t = f_next, g_next
    return GDTrajectory(
        eta=eta,
        thetas=np.array(thetas),
        loss=np.array(losses),
        grad_norm=np.array(grad_norms),
        rp=np.array(rps),
        dir_smoothness=np.array(smooths),
        outcome=outcome,
        reason=reason,
        sharpness=sharp,
    )
