"""Directional smoothness (Definition 2), the Theorem 2 identity and relation (4.3)."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from autograd import grad
from scipy.integrate import quad

from eos_theory._validate import (
    Cost,
    check_eta,
    check_like,
    check_theta,
    cost_value,
    nonzero_norm_sq,
)

#: Relative tolerance requested from QUADPACK for the Theorem 2 integrals.
QUAD_EPSREL = 1e-12
#: Absolute tolerance on the right-hand side -1 + eta * integral (its scale is 1).
QUAD_EPSABS = 1e-13
#: Most subintervals QUADPACK may use.
QUAD_LIMIT = 200


class QuadratureResult(NamedTuple):
    """A right-hand side computed by adaptive quadrature.

    ``value`` is the right-hand side, ``abserr`` QUADPACK's estimate of the absolute error
    of ``value``, ``neval`` the number of integrand evaluations and ``message`` QUADPACK's
    diagnostic (empty when it reported no problem).
    """

    value: float
    abserr: float
    neval: int
    message: str


def directional_smoothness(f: Cost, theta: object, v: object) -> float:
    r"""Directional smoothness of ``f`` at ``theta`` along the update ``-v``.

    .. math::

        L(\theta; v) = \frac{\langle v, \nabla f(\theta) - \nabla f(\theta - v)\rangle}{\|v\|^2}

    ``f`` is the cost, ``theta`` the point :math:`\theta` and ``v`` the update vector
    :math:`v` (GD uses :math:`v = \eta\nabla f(\theta)`). Paper: Definition 2 (Section 4.2);
    by Corollary 1 it is the average curvature
    :math:`\int_0^1 v^\top\nabla^2 f(\theta - s v)\, v\, ds / \|v\|^2` along the segment.

    Raises ``ValueError`` when ``v`` is zero or does not match ``theta``.

    Example: on :math:`f(\theta) = \tfrac{5}{2}\theta^2` every direction has curvature 5.

    >>> import autograd.numpy as anp
    >>> directional_smoothness(lambda th: 2.5 * anp.sum(th**2), [1.0], [0.3])
    5.0
    """
    theta = check_theta(theta)
    v = check_like(v, theta, name="v")
    v_sq = nonzero_norm_sq(v, what="the update vector v", theta=theta)
    cost_value(f, theta)
    gradient = grad(f)
    with np.errstate(all="ignore"):
        diff = gradient(theta) - gradient(theta - v)
    value = float(v @ diff) / v_sq
    if not math.isfinite(value):
        raise ValueError(f"the gradient of f is not finite at theta - v = {theta - v}")
    return value


def relation43_rhs(f: Cost, theta: object, eta: float) -> float:
    r"""Right-hand side of the approximate relation (4.3).

    .. math::

        \mathrm{RP}(\theta) \approx -1 + \frac{\eta}{2}\, L(\theta; \eta\nabla f(\theta))

    ``f``, ``theta`` and ``eta`` are :math:`f`, :math:`\theta`, :math:`\eta`. Paper: (4.3),
    Section 4.3: Theorem 2 with the weighted average over :math:`\tau` replaced by its value
    at :math:`\tau = 1`. It is exact when :math:`L(\theta; \eta\tau\nabla f)` does not depend
    on :math:`\tau`, e.g. on quadratics.

    >>> import autograd.numpy as anp
    >>> relation43_rhs(lambda th: anp.sum(th**2), [1.0], 0.25)
    -0.75
    """
    eta = check_eta(eta)
    theta = check_theta(theta)
    cost_value(f, theta)
    g = grad(f)(theta)
    nonzero_norm_sq(g, what="the gradient of f", theta=theta)
    return -1.0 + 0.5 * eta * directional_smoothness(f, theta, eta * g)


def theorem2_quadrature(
    f: Cost,
    theta: object,
    eta: float,
    *,
    epsrel: float = QUAD_EPSREL,
    epsabs: float = QUAD_EPSABS,
) -> QuadratureResult:
    r"""Right-hand side of Theorem 2 by adaptive Gauss-Kronrod quadrature, with its error.

    .. math::

        -1 + \frac{\eta}{2}\cdot 2\int_0^1 \tau\, L(\theta; \eta\tau\nabla f(\theta))\, d\tau

    ``f``, ``theta``, ``eta`` are :math:`f`, :math:`\theta`, :math:`\eta`. Paper: Theorem 2,
    equation (4.2), proved in Appendix A.

    Method: QUADPACK's QAGS (``scipy.integrate.quad``: 21-point Gauss-Kronrod rule on
    adaptively bisected intervals, with Wynn's epsilon extrapolation) applied to the
    integrand :math:`\tau L(\theta; \eta\tau g) = \langle g, g - \nabla f(\theta - \eta\tau g)
    \rangle / (\eta\|g\|^2)` with :math:`g = \nabla f(\theta)`; the factor :math:`\tau` cancels
    the :math:`1/\tau` of Definition 2, so the integrand is smooth and has no 0/0 at
    :math:`\tau = 0`. Requested accuracy: ``epsrel`` relative to the integral or ``epsabs``
    absolute on the right-hand side, whichever is looser; ``abserr`` is QUADPACK's error
    estimate (difference between the Kronrod and Gauss rules, scaled), propagated to the
    right-hand side. Round-off in the gradient difference adds about
    :math:`\epsilon_{64}\cdot\max_\tau\|\nabla f(\theta - \eta\tau g)\| / \|g\|` to the
    right-hand side, far below ``epsabs`` unless the gradient grows by orders of magnitude
    along the step.

    >>> import autograd.numpy as anp
    >>> round(theorem2_quadrature(lambda th: anp.sum(th**2), [1.0], 0.25).value, 12)
    -0.75
    """
    eta = check_eta(eta)
    theta = check_theta(theta)
    cost_value(f, theta)
    gradient = grad(f)
    g = gradient(theta)
    g_sq = nonzero_norm_sq(g, what="the gradient of f", theta=theta)

    def integrand(tau: float) -> float:
        with np.errstate(all="ignore"):
            value = float(g @ (g - gradient(theta - eta * tau * g))) / (eta * g_sq)
        if not math.isfinite(value):
            raise ValueError(
                f"the gradient of f is not finite on the GD segment at tau={tau}, "
                f"theta={theta}, eta={eta}"
            )
        return value

    integral, abserr, info, *rest = quad(
        integrand, 0.0, 1.0, epsabs=epsabs / eta, epsrel=epsrel, limit=QUAD_LIMIT, full_output=1
    )
    message = rest[0] if rest else ""
    return QuadratureResult(-1.0 + eta * integral, eta * abserr, int(info["neval"]), message)


def theorem2_rhs(f: Cost, theta: object, eta: float) -> float:
    r"""Right-hand side of the Theorem 2 identity (4.2).

    .. math::

        \mathrm{RP}(\theta) = -1 + \frac{\eta}{2}\cdot 2\int_0^1 \tau\,
        L(\theta; \eta\tau\nabla f(\theta))\, d\tau

    ``f``, ``theta``, ``eta`` are :math:`f`, :math:`\theta`, :math:`\eta`. Paper: Theorem 2.
    Computed by :func:`theorem2_quadrature` (adaptive Gauss-Kronrod, relative error about
    ``1e-12`` of the integral, absolute ``1e-13`` on the result; use that function to get
    the error estimate).

    >>> import autograd.numpy as anp
    >>> f = lambda th: anp.sum(th**4)
    >>> from eos_theory import relative_progress
    >>> abs(theorem2_rhs(f, [1.0], 0.1) - relative_progress(f, [1.0], 0.1)) < 1e-12
    True
    """
    return theorem2_quadrature(f, theta, eta).value


def tau_spread(f: Cost, theta: object, eta: float, *, points: int = 20) -> float:
    r"""How far :math:`L(\theta;\eta\tau\nabla f)` varies over :math:`\tau`: the premise of (4.3).

    .. math::

        \frac{\eta}{2}\Big(\max_k L(\theta;\eta\tau_k\nabla f(\theta))
        - \min_k L(\theta;\eta\tau_k\nabla f(\theta))\Big), \qquad \tau_k = k/m

    ``f``, ``theta``, ``eta`` are :math:`f`, :math:`\theta`, :math:`\eta`; ``points`` is
    :math:`m` (the grid :math:`\{1/m, \dots, 1\}`, as in Experiment 5 with :math:`m = 100`).
    By Theorem 2 the error of (4.3) is :math:`\frac\eta2|W - L(\theta;\eta\nabla f)|` with
    :math:`W` a weighted average of :math:`L(\theta;\eta\tau\nabla f)` over :math:`\tau`, so
    it is at most this spread (up to the grid). Paper: Section 4.3, Experiment 5, (4.3).

    On a quadratic :math:`L` is the same for every :math:`\tau`:

    >>> round(tau_spread(lambda th: 2.0 * th[0] ** 2, [1.0], 0.1), 12)
    0.0
    """
    eta = check_eta(eta)
    theta = check_theta(theta)
    if isinstance(points, bool) or not isinstance(points, int) or points < 1:
        raise ValueError(f"points must be an integer >= 1, got {points!r}")
    g = grad(f)(theta)
    values = [
        directional_smoothness(f, theta, eta * (k / points) * g) for k in range(1, points + 1)
    ]
    return 0.5 * eta * float(max(values) - min(values))
