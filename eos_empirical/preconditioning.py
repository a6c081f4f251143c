r"""Stability thresholds of ``torch.optim`` optimizers; Adam's and RMSprop's preconditioner.

The diagonal preconditioner is read from the optimizer's state.

On a quadratic with Hessian :math:`H`, each method below is a linear recursion, stable
exactly while the (preconditioned) sharpness stays under its threshold; the edge of stability
(Cohen et al. 2021) and its adaptive analogue (Cohen et al. 2022, "Adaptive gradient methods at
the edge of stability", Section 2 and Table 1) are the observations that training hovers
there. With :math:`\eta` the learning rate (``lr``):

=====================================  ================================  ==========================
optimizer (torch)                      threshold, on                     source
=====================================  ================================  ==========================
``SGD`` (plain GD)                     :math:`2/\eta` on :math:`S`        paper (1.1); Cohen 2021
``SGD(momentum=β)`` (heavy ball)       :math:`(2+2β)/((1-d)\eta)` on S    Cohen 2022, Table 1
``SGD(momentum=β, nesterov=True)``     :math:`(2+2β)/((1+2β)\eta)` on S   Cohen 2022, Table 1
``RMSprop`` (``momentum=β``)           :math:`(2+2β)/\eta` on :math:`S_P` Cohen 2022, Section 2
``Adam``, ``AdamW`` (β₁)               :math:`(2+2β_1)/((1-β_1)\eta)`     Cohen 2022, Section 2
                                       on :math:`S_P`; 38/η at β₁ = 0.9
=====================================  ================================  ==========================

:math:`S = \lambda_{\max}(\nabla^2 f)` is the sharpness, :math:`S_P =
\lambda_{\max}(P^{-1/2}\nabla^2 f P^{-1/2}) = \lambda_{\max}(P^{-1}\nabla^2 f)` the
preconditioned sharpness, ``d`` torch's ``dampening``. Each follows from the recursion on one
eigen-direction of curvature :math:`\lambda` hitting the eigenvalue :math:`-1`: heavy ball
:math:`b^+ = βb + (1-d)\lambda x,\ x^+ = x - \eta b^+`; Nesterov (torch's form)
:math:`x^+ = x - \eta(\lambda x + βb^+)`; Adam's first moment is an exponential average,
:math:`m^+ = β_1 m + (1-β_1)\lambda x,\ x^+ = x - \eta P^{-1}m^+` with :math:`P` frozen.

Adam's preconditioner, as Cohen et al. 2022 (Section 2) write Adam: a preconditioned
momentum method :math:`\theta_{t+1} = \theta_t - \eta P_t^{-1} m_t` on the raw (exponentially
averaged) first moment :math:`m_t`, so both bias corrections sit in :math:`P_t`. Torch's step
:math:`t` (``state["step"]``) moves by :math:`\eta\,\hat m_t/(\sqrt{\hat v_t}+\epsilon)`
with :math:`\hat m_t = m_t/(1-β_1^t)`, :math:`\hat v_t = v_t/(1-β_2^t)`, hence

.. math::

    P_t = (1 - β_1^t)\,\operatorname{diag}\big(\sqrt{\hat v_t} + \epsilon\big),

with :math:`v_t` = ``exp_avg_sq`` (``max_exp_avg_sq`` with ``amsgrad``) and :math:`\epsilon`
= ``eps``; the factor :math:`1-β_1^t` tends to 1 (below 1% off after 44 steps at β₁ = 0.9).
The prediction is :math:`\lambda_{\max}(P_t^{-1}\nabla^2 f) \approx (2+2β_1)/((1-β_1)\eta)`
= 38/η at β₁ = 0.9 (frozen :math:`P`: exactly the stability limit). RMSprop: :math:`P =
\operatorname{diag}(\sqrt{v} + \epsilon)` with :math:`v` = ``square_avg`` (minus
``grad_avg``² when ``centered``), no bias correction (torch's RMSprop has none). Weight decay
is outside the analysis (it adds :math:`\lambda_{wd}` to the curvature of the objective the
step descends; thresholds are stated for the loss alone). Other optimizers: no threshold
(``None``, with the reason).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

#: The quantity a threshold bounds.
ON_SHARPNESS = "sharpness"
ON_PRECONDITIONED = "preconditioned_sharpness"

_COHEN_2021 = "Cohen et al. 2021 (edge of stability); the paper's (1.1): GD on a quadratic"
_COHEN_2022 = "Cohen et al. 2022, Adaptive gradient methods at the edge of stability"


@dataclass(frozen=True)
class Threshold:
    r"""A stability threshold: ``value`` (``None`` where unknown), the quantity it bounds
    (``on``: ``"sharpness"`` or ``"preconditioned_sharpness"``) and its ``source``.
    """  # noqa: D205

    value: float | None
    on: str | None
    source: str


def _single(optimizer: torch.optim.Optimizer, key: str) -> object | None:
    """The value of ``key`` shared by every parameter group, else ``None``."""
    values = [g.get(key) for g in optimizer.param_groups]
    return values[0] if all(v == values[0] for v in values) else None


def stability_threshold(optimizer: torch.optim.Optimizer) -> Threshold:
    r"""The stability threshold of ``optimizer`` at its current learning rate (table above).

    ``optimizer`` is any ``torch.optim`` optimizer; the learning rate :math:`\eta` and the
    momentum must be the same in every parameter group (else ``value`` is ``None``).

    >>> p = [torch.nn.Parameter(torch.zeros(1))]
    >>> stability_threshold(torch.optim.Adam(p, lr=0.01)).value  # (2 + 2*0.9)/(0.1*0.01)
    3800.0000000000005
    >>> stability_threshold(torch.optim.SGD(p, lr=0.5)).value, stability_threshold(
    ...     torch.optim.SGD(p, lr=0.5, momentum=0.5, nesterov=True)).value
    (4.0, 3.0)
    """
    lr = _single(optimizer, "lr")
    name = type(optimizer).__name__
    if not isinstance(lr, int | float) or isinstance(lr, bool) or lr <= 0:
        return Threshold(None, None, f"{name}: param groups differ in lr (or lr is a tensor)")
    eta = float(lr)
    if isinstance(optimizer, torch.optim.Adam):  # AdamW subclasses Adam
        betas = _single(optimizer, "betas")
        if betas is None:
            return Threshold(None, None, f"{name}: param groups differ in betas")
        b1 = float(betas[0])  # type: ignore[index]
        return Threshold(
            (2 + 2 * b1) / ((1 - b1) * eta),
            ON_PRECONDITIONED,
            f"{_COHEN_2022}, Section 2: (2 + 2 beta1)/((1 - beta1) eta), beta1={b1:g}",
        )
    if isinstance(optimizer, torch.optim.RMSprop):
        mom = _single(optimizer, "momentum")
        if mom is None:
            return Threshold(None, None, f"{name}: param groups differ in momentum")
        mom = float(mom)  # type: ignore[arg-type]
        return Threshold(
            (2 + 2 * mom) / eta,
            ON_PRECONDITIONED,
            f"{_COHEN_2022}, Section 2: 2/eta for RMSProp (2 + 2 beta)/eta with momentum "
            f"beta={mom:g}",
        )
    if isinstance(optimizer, torch.optim.SGD):
        mom, damp, nest = (_single(optimizer, k) for k in ("momentum", "dampening", "nesterov"))
        if mom is None or damp is None or nest is None:
            return Threshold(None, None, f"{name}: param groups differ in momentum settings")
        mom, damp = float(mom), float(damp)  # type: ignore[arg-type]
        if mom == 0:
            return Threshold(2 / eta, ON_SHARPNESS, f"{_COHEN_2021}: 2/eta")
        if nest:
            return Threshold(
                (2 + 2 * mom) / ((1 + 2 * mom) * eta),
                ON_SHARPNESS,
                f"{_COHEN_2022}, Table 1: Nesterov (2 + 2 beta)/((1 + 2 beta) eta), beta={mom:g}",
            )
        return Threshold(
            (2 + 2 * mom) / ((1 - damp) * eta),
            ON_SHARPNESS,
            f"{_COHEN_2022}, Table 1: heavy ball (2 + 2 beta)/((1 - dampening) eta), "
            f"beta={mom:g}, dampening={damp:g}",
        )
    return Threshold(None, None, f"{name}: no stability threshold known to this library")


def diagonal_preconditioner(
    optimizer: torch.optim.Optimizer, params: Sequence[torch.Tensor]
) -> torch.Tensor | None:
    r"""The diagonal of :math:`P` (module docstring) for ``params``, flat, or ``None``.

    ``optimizer`` is an ``Adam``/``AdamW`` (:math:`P_t = (1-β_1^t)(\sqrt{\hat v_t}+\epsilon)`)
    or ``RMSprop`` (:math:`P = \sqrt{v}+\epsilon`) that has taken at least one step; ``params``
    the parameters (in the order of the flat vector). ``None`` for other optimizers or before
    the first step. Source: Cohen et al. 2022, Section 2.

    >>> p = torch.nn.Parameter(torch.tensor([3.0]))
    >>> opt = torch.optim.Adam([p], lr=0.1, betas=(0.9, 0.99), eps=0.0)
    >>> p.grad = torch.tensor([2.0]); opt.step()
    >>> round(float(diagonal_preconditioner(opt, [p])), 6)  # (1 - 0.9) * sqrt(0.01*4/0.01)
    0.2
    """
    group_of = {id(p): g for g in optimizer.param_groups for p in g["params"]}
    parts = []
    for p in params:
        state, group = optimizer.state.get(p, {}), group_of.get(id(p))
        if not state or group is None:
            return None
        if isinstance(optimizer, torch.optim.Adam):
            b1, b2 = (float(b) for b in group["betas"])
            t = float(state["step"])
            v = state["max_exp_avg_sq"] if group.get("amsgrad") else state["exp_avg_sq"]
            diag = (1 - b1**t) * ((v / (1 - b2**t)).sqrt() + group["eps"])
        elif isinstance(optimizer, torch.optim.RMSprop):
            v = state["square_avg"]
            if group.get("centered"):
                v = v - state["grad_avg"] ** 2
            diag = v.sqrt() + group["eps"]
        else:
            return None
        parts.append(diag.detach().reshape(-1))
    return torch.cat(parts) if parts else None
