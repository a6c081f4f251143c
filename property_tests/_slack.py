r"""Round-off slacks shared by the property tests, each derived once here.

RP is a difference of two losses divided by :math:`\eta\|\nabla f\|^2`. Each loss is a sum
of terms computed with a relative round-off of a few :math:`\epsilon` (float64 machine
epsilon), so its absolute round-off is a few :math:`\epsilon` times the *sum of the
magnitudes of its terms*, which can exceed :math:`|f|` when the terms cancel (e.g.
:math:`f(\theta') = 0` at the edge of stability of a quadratic with a linear term). That sum
is estimated by :math:`|f(\theta)| + \|\theta\|\,\|\nabla f(\theta)\|` (for a term
homogeneous of degree :math:`k`, :math:`|\theta\cdot\nabla\,\mathrm{term}| = k|\mathrm{term}|`),
at both ends of the step. The formulas and the factor (8 epsilons) live in
:mod:`eos_theory.tolerances`; this module only evaluates them on a :class:`Case`.
"""

from __future__ import annotations

import numpy as np
from autograd import grad

from eos_theory import tolerances
from eos_theory.families import Case
from eos_theory.tolerances import EPS64 as EPS
from eos_theory.tolerances import FLOAT64_K, loss_scale


def rp_roundoff(case: Case) -> float:
    r"""RP round-off :math:`8\epsilon\sum_{\vartheta\in\{\theta,\theta'\}}(|f(\vartheta)| +
    \|\vartheta\|\|\nabla f(\vartheta)\|)/(\eta\|\nabla f(\theta)\|^2)`."""
    theta = case.theta_array
    gf = grad(case.cost)
    g = gf(theta)
    nxt = theta - case.eta * g
    with np.errstate(over="ignore", invalid="ignore"):
        before, after = (
            loss_scale(float(case.cost(x)), float(np.linalg.norm(x)), float(np.linalg.norm(gf(x))))
            for x in (theta, nxt)
        )
    return tolerances.rp_roundoff(before, after, eta=case.eta, grad_norm_sq=float(g @ g))


def gradient_roundoff(case: Case) -> float:
    r""":math:`8\epsilon\max(\|\nabla f(\theta)\|, \|\nabla f(\theta')\|)/\|\nabla f(\theta)\|`.

    The round-off of the Theorem 2 integrand :math:`\langle g, g - \nabla f(\theta -
    \eta\tau g)\rangle/(\eta\|g\|^2)` after multiplying by :math:`\eta`: the gradient
    difference loses about :math:`\epsilon` times the larger gradient.
    """
    theta = case.theta_array
    gf = grad(case.cost)
    g = gf(theta)
    with np.errstate(over="ignore", invalid="ignore"):
        g1 = gf(theta - case.eta * g)
    gn = float(np.linalg.norm(g))
    return FLOAT64_K * EPS * max(gn, float(np.linalg.norm(g1))) / gn
