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
from eos_theory.families import Case, homogeneous_split, network_data
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


def euler_roundoff(case: Case) -> float:
    r"""Round-off of :math:`\langle\nabla_\zeta \ell, \zeta\rangle` on the ``homogeneous``
    family (Proposition 1): :math:`64\,d\,\epsilon\,(\|\nabla_\zeta\ell\|\|\zeta\| +
    2\gamma\|\zeta\|^2 + V)`, :math:`d` the number of parameters.

    Autograd computes the data term's gradient as :math:`(v - \hat u(\hat u\cdot v))/
    \|\zeta\|` with :math:`v = \partial D/\partial U` (:math:`U = Z/\|Z\|_F`,
    :math:`\hat u = \zeta/\|\zeta\|`): a difference of two vectors of norm up to
    :math:`\|v\|/\|\zeta\|` whose inner product with :math:`\zeta` is exactly zero. So
    its computed inner product is off by a few :math:`d\epsilon\|v\|` however small the
    result (a 1 x 1 layer has :math:`\nabla_\zeta D = 0` exactly and :math:`\|v\|` of order
    one). :math:`V = \|\xi\|\,\frac1n\sum_j(\|\xi\|_1 + |y_j|)\|x_j\|` bounds
    :math:`\|v\|`: :math:`\|\partial\,\mathrm{out}_j/\partial U\|_F \le
    \|\xi\|\|x_j\|` as :math:`|\tanh'| \le 1`, and the residual :math:`|\mathrm{out}_j
    - y_j| \le \|\xi\|_1 + |y_j|` as :math:`|\tanh| \le 1`. The other two terms are the
    dot product's own round-off and the weight-decay part's.
    """
    theta = case.theta_array
    n_xi, _ = homogeneous_split(case.params)
    xi, zeta = theta[:n_xi], theta[n_xi:]
    g_zeta = grad(case.cost)(theta)[n_xi:]
    x, y = network_data(case.params)
    v_bound = float(np.linalg.norm(xi)) * float(
        np.mean((np.abs(xi).sum() + np.abs(y)) * np.linalg.norm(x, axis=1))
    )
    zn = float(np.linalg.norm(zeta))
    gamma = float(case.params["gamma"])
    scale = float(np.linalg.norm(g_zeta)) * zn + 2 * gamma * zn**2 + v_bound
    return 64 * theta.size * EPS * scale
