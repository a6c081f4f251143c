r"""Relative progress of any update step :math:`\theta^+ = \theta - u` (momentum, Adam, ...).

The paper's quantities are written for the GD step :math:`u = \eta\nabla f(\theta)`; its
Section 6 asks how they carry over to other methods. For any step :math:`u` with
:math:`\langle\nabla f(\theta), u\rangle > 0` (a descent direction to first order):

.. math::

    \mathrm{RP}_u(\theta) = \frac{f(\theta - u) - f(\theta)}{\langle\nabla f(\theta), u\rangle}
    = -1 + \frac{\|u\|^2}{\langle\nabla f(\theta), u\rangle}\int_0^1 \tau\,L(\theta;\tau u)\,d\tau

exactly, with :math:`L` of Definition 2 (the proof of Theorem 2, Appendix A, with
:math:`\eta\nabla f` replaced by :math:`u`), and the analogue of (4.3) is

.. math::

    \mathrm{RP}_u(\theta) \approx
    -1 + \frac{\|u\|^2 L(\theta; u)}{2\langle\nabla f(\theta), u\rangle}.

For :math:`u = \eta\nabla f(\theta)`, :math:`\|u\|^2/\langle\nabla f, u\rangle = \eta`, and
these are Definition 1, Theorem 2 and (4.3). Where :math:`\langle\nabla f(\theta), u\rangle
\le 0` the ratio is undefined: ``ValueError``.
"""

from __future__ import annotations

import math

import numpy as np
from autograd import grad
from scipy.integrate import quad

from eos_theory._validate import Cost, check_like, check_theta, cost_value
from eos_theory.smoothness import (
    QUAD_EPSABS,
    QUAD_EPSREL,
    QUAD_LIMIT,
    QuadratureResult,
    directional_smoothness,
)


def _descent(f: Cost, theta: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, float]:
    """The gradient at ``theta`` and <grad f(theta), u>, which must be > 0."""
    g = grad(f)(theta)
    gu = float(g @ u)
    if not (math.isfinite(gu) and gu > 0):
        raise ValueError(
            f"u: <grad f(theta), u> = {gu:.6g} is not > 0, so RP_u is undefined (u is not a "
            f"descent direction at theta={theta})"
        )
    return g, gu


def update_relative_progress(f: Cost, theta: object, u: object) -> float:
    r"""Relative progress of the step :math:`\theta - u`.

    .. math::

        \mathrm{RP}_u(\theta) = \frac{f(\theta - u) - f(\theta)}{\langle\nabla f(\theta), u\rangle}

    ``f`` is the cost, ``theta`` the point :math:`\theta`, ``u`` the update (the step is
    :math:`\theta - u`). Paper: Definition 1 for :math:`u = \eta\nabla f(\theta)`; Section 6
    for other methods. ``ValueError`` when :math:`\langle\nabla f(\theta), u\rangle \le 0`.

    >>> import autograd.numpy as anp
    >>> update_relative_progress(lambda th: anp.sum(th**2), [1.0], [0.5])  # u = 0.25 grad f
    -0.75
    """
    theta = check_theta(theta)
    u = check_like(u, theta, name="u")
    _, gu = _descent(f, theta, u)
    return (cost_value(f, theta - u) - cost_value(f, theta)) / gu


def update_identity_quadrature(
    f: Cost,
    theta: object,
    u: object,
    *,
    epsrel: float = QUAD_EPSREL,
    epsabs: float = QUAD_EPSABS,
) -> QuadratureResult:
    r"""The exact identity for any step, by adaptive Gauss-Kronrod quadrature, with its error.

    .. math::

        -1 + \frac{\|u\|^2}{\langle\nabla f(\theta), u\rangle}\int_0^1 \tau\,L(\theta;\tau u)
        \,d\tau

    Arguments as in :func:`update_relative_progress`. The integrand :math:`\tau\|u\|^2
    L(\theta;\tau u) = \langle u, \nabla f(\theta) - \nabla f(\theta - \tau u)\rangle` has no
    0/0; the method and the accuracy are those of
    :func:`eos_theory.smoothness.theorem2_quadrature` (Theorem 2 is the case
    :math:`u = \eta\nabla f`). Paper: Theorem 2 and Appendix A, for any update (Section 6).

    >>> import autograd.numpy as anp
    >>> f = lambda th: anp.sum(th**4)
    >>> q = update_identity_quadrature(f, [1.0, 0.5], [0.3, -0.1])
    >>> abs(q.value - update_relative_progress(f, [1.0, 0.5], [0.3, -0.1])) < 1e-12
    True
    """
    theta = check_theta(theta)
    u = check_like(u, theta, name="u")
    g, gu = _descent(f, theta, u)
    gradient = grad(f)

    def integrand(tau: float) -> float:
        with np.errstate(all="ignore"):
            value = float(u @ (g - gradient(theta - tau * u))) / gu
        if not math.isfinite(value):
            raise ValueError(f"the gradient of f is not finite at theta - tau u, tau={tau}")
        return value

    integral, abserr, info, *rest = quad(
        integrand, 0.0, 1.0, epsabs=epsabs, epsrel=epsrel, limit=QUAD_LIMIT, full_output=1
    )
    return QuadratureResult(-1.0 + integral, abserr, int(info["neval"]), rest[0] if rest else "")


def update_relation43_rhs(f: Cost, theta: object, u: object) -> float:
    r"""The analogue of (4.3) for any step: :math:`-1 + \|u\|^2 L(\theta;u)/(2\langle\nabla
    f(\theta), u\rangle)`.

    Arguments as in :func:`update_relative_progress`; exact on quadratics, where :math:`L`
    does not depend on the step length. Paper: (4.3) for :math:`u = \eta\nabla f`; Section 6.

    >>> import autograd.numpy as anp
    >>> update_relation43_rhs(lambda th: anp.sum(th**2), [1.0], [0.5])
    -0.75
    """  # noqa: D205
    theta = check_theta(theta)
    u = check_like(u, theta, name="u")
    _, gu = _descent(f, theta, u)
    return -1.0 + float(u @ u) * directional_smoothness(f, theta, u) / (2.0 * gu)
