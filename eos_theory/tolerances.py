r"""Round-off tolerances: the one home of the formulas every check of an identity uses.

A relative progress ratio is a difference of two losses divided by :math:`\eta\|\nabla
f\|^2`:

.. math::

    \mathrm{RP} = \frac{f(\theta') - f(\theta)}{\eta\|\nabla f(\theta)\|^2},
    \qquad \theta' = \theta - \eta\nabla f(\theta).

Each loss is a sum of terms computed with a relative round-off of a few :math:`\epsilon`
(the machine epsilon of the dtype), so its absolute round-off is a few :math:`\epsilon`
times its *scale*: the sum of the magnitudes of its terms. The scale is estimated in one
of two ways, and each check says which it uses:

- :func:`loss_scale` with the loss only, :math:`|f|`: when the terms do not cancel (the
  paper's costs along their own GD runs, and the training logs, which record no
  :math:`\theta`);
- :func:`loss_scale` with :math:`\|\theta\|\,\|\nabla f(\theta)\|` as well: on random costs
  whose terms may cancel (e.g. :math:`f(\theta') = 0` at the edge of stability of a
  quadratic with a linear term); for a term homogeneous of degree :math:`k`,
  :math:`|\theta\cdot\nabla\,\mathrm{term}| = k|\mathrm{term}|`, so the product bounds the
  magnitudes of the terms up to the degree.

The RP round-off is then :math:`k\epsilon\,(s(\theta) + s(\theta'))/(\eta\|\nabla
f(\theta)\|^2)` (:func:`rp_roundoff`), with ``k`` = :data:`FLOAT64_K` = 8 in the float64
checks of the theory and :data:`LOG_K` = 4 in the training logs (float32 or float64, a
single forward pass per loss). An identity between RP and a quadrature (Theorem 2, the
Section 5 identity) is checked to :func:`identity_tolerance`: that round-off, plus twice
QUADPACK's error estimate of the integral, plus :data:`ABS_FLOOR` absolute.

>>> tol = identity_tolerance(rp_roundoff(1.0, 1.0, eta=0.1, grad_norm_sq=4.0), abserr=1e-15)
>>> f"{tol:.3e}"
'1.109e-13'
"""

from __future__ import annotations

import numpy as np

#: Machine epsilon of each dtype a run or a check may use.
EPS: dict[str, float] = {
    "float32": float(np.finfo(np.float32).eps),
    "float64": float(np.finfo(np.float64).eps),
}
#: float64 machine epsilon, the dtype of every theory check.
EPS64 = EPS["float64"]
#: Machine epsilons allowed per loss scale in the float64 checks of the theory (a loss is
#: evaluated through a few nested operations, each with relative error at most eps).
FLOAT64_K = 8.0
#: Machine epsilons allowed per loss scale in the training logs (one reduction per loss).
LOG_K = 4.0
#: Absolute floor of an identity check: below it, differences are at the level of the
#: round-off of the integral's own nodes (QUADPACK reports ~1e-15 there).
ABS_FLOOR = 1e-13


def loss_scale(value: float, theta_norm: float = 0.0, grad_norm: float = 0.0) -> float:
    r"""The scale of a computed loss: :math:`|f| + \|\theta\|\,\|\nabla f(\theta)\|`.

    With the defaults (``theta_norm = grad_norm = 0``) it is :math:`|f|`; see the module
    docstring for when to pass the norms. A non-finite value gives ``inf``.

    >>> loss_scale(-2.0), loss_scale(0.0, theta_norm=3.0, grad_norm=0.5)
    (2.0, 1.5)
    """
    return abs(float(value)) + float(theta_norm) * float(grad_norm)


def rp_roundoff(
    scale_before: float,
    scale_after: float,
    *,
    eta: float,
    grad_norm_sq: float,
    eps: float = EPS64,
    k: float = FLOAT64_K,
) -> float:
    r"""The size of RP that round-off of its two losses can produce.

    .. math::

        \frac{k\,\epsilon\,(s(\theta) + s(\theta'))}{\eta\,\|\nabla f(\theta)\|^2}

    ``scale_before`` and ``scale_after`` are :math:`s(\theta)` and :math:`s(\theta')`
    (:func:`loss_scale`), ``eta`` is :math:`\eta`, ``grad_norm_sq`` is
    :math:`\|\nabla f(\theta)\|^2`, ``eps`` :math:`\epsilon` and ``k`` the number of
    epsilons allowed. Works elementwise on numpy arrays.

    >>> f"{rp_roundoff(1.0, 1.0, eta=0.5, grad_norm_sq=1.0):.3e}"
    '7.105e-15'
    """
    return k * eps * (scale_before + scale_after) / (eta * grad_norm_sq)


def identity_tolerance(rp_round: float, abserr: float) -> float:
    r"""Tolerance of an identity between RP and a quadrature: ``rp_round + 2 abserr + 1e-13``.

    ``rp_round`` is :func:`rp_roundoff` and ``abserr`` QUADPACK's error estimate of the
    integral (Theorem 2 (4.2); the Section 5 identity of Appendix A).

    >>> identity_tolerance(0.0, 0.0)
    1e-13
    """
    return rp_round + 2.0 * abserr + ABS_FLOOR
