r"""Expected relative progress of SGD (Definition 3), its exact identity and relation (5.1).

The cost is the mean :math:`f = \frac1n\sum_i f_i` of the per-example costs ``fs``; the
stochastic gradient is the minibatch mean :math:`g_B = \frac1b\sum_{i\in B}\nabla f_i`,
with :math:`B` uniform among all :math:`\binom{n}{b}` subsets of ``batch_size`` distinct
examples (sampling without replacement), so :math:`\mathbb{E}[g_B] = \nabla f`. Every
expectation here is exact: it enumerates all subsets.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
from autograd import grad
from scipy.integrate import quad

from eos_theory._validate import (
    Cost,
    check_batch_size,
    check_costs,
    check_eta,
    check_theta,
    cost_value,
    nonzero_norm_sq,
)
from eos_theory.smoothness import QUAD_EPSABS, QUAD_EPSREL, QUAD_LIMIT, QuadratureResult

#: Default cap on the number of minibatches enumerated for an exact expectation.
MAX_SUBSETS = 100_000


def mean_cost(fs: Sequence[Cost]) -> Cost:
    r"""The full cost :math:`f(\theta) = \frac1n\sum_i f_i(\theta)` as one autograd function.

    >>> float(mean_cost([lambda th: th[0], lambda th: 3 * th[0]])(np.array([1.0])))
    2.0
    """
    costs = check_costs(fs)
    n = len(costs)

    def f(theta: np.ndarray) -> float:
        return sum(fi(theta) for fi in costs) / n

    return f


class _Sampler:
    """The per-example gradients at theta and the list of all minibatch gradients."""

    def __init__(self, fs: Sequence[Cost], theta: object, batch_size: object, max_subsets: int):
        self.costs = check_costs(fs)
        n = len(self.costs)
        self.b = check_batch_size(batch_size, n)
        self.theta = check_theta(theta)
        count = math.comb(n, self.b)
        if count > max_subsets:
            raise ValueError(
                f"batch_size={self.b} with len(fs)={n} gives {count} minibatches, more than "
                f"max_subsets={max_subsets}; exact enumeration would be too slow"
            )
        self.f = mean_cost(self.costs)
        self.f0 = cost_value(self.f, self.theta)
        with np.errstate(all="ignore"):
            per_example = np.array([grad(fi)(self.theta) for fi in self.costs])
        if not np.all(np.isfinite(per_example)):
            raise ValueError(f"a per-example gradient is not finite at theta={self.theta}")
        self.full_grad = per_example.mean(axis=0)
        self.g_sq = nonzero_norm_sq(self.full_grad, what="the full gradient", theta=self.theta)
        self.batch_grads = np.array(
            [per_example[list(b)].mean(axis=0) for b in itertools.combinations(range(n), self.b)]
        )
        self.gradient = grad(self.f)


def minibatch_gradients(
    fs: Sequence[Cost], theta: object, batch_size: int, *, max_subsets: int = MAX_SUBSETS
) -> np.ndarray:
    r"""All minibatch gradients :math:`g_B(\theta)`, one row per subset (lexicographic order).

    Under uniform sampling each row has probability :math:`1/\binom{n}{b}`, so the row mean
    is :math:`\mathbb{E}[g] = \nabla f(\theta)` (the unbiasedness assumed in Section 5).

    >>> fs = [lambda th: th[0] ** 2, lambda th: 3 * th[0] ** 2]
    >>> minibatch_gradients(fs, [1.0], 1).ravel().tolist()
    [2.0, 6.0]
    """
    return _Sampler(fs, theta, batch_size, max_subsets).batch_grads


def expected_relative_progress(
    fs: Sequence[Cost],
    theta: object,
    eta: float,
    batch_size: int,
    *,
    max_subsets: int = MAX_SUBSETS,
) -> float:
    r"""Expected relative progress ratio of one SGD step, exact over all minibatches.

    .. math::

        \mathbb{E}[\mathrm{RP}(\theta)] = \frac{\mathbb{E} f(\theta - \eta g(\theta)) - f(\theta)}
                                             {\eta\,\|\nabla f(\theta)\|^2}

    ``fs`` are the per-example costs :math:`f_i` (the cost :math:`f` is their mean),
    ``theta`` is :math:`\theta`, ``eta`` is :math:`\eta`, and ``batch_size`` is the
    minibatch size :math:`b` of :math:`g`. Paper: Definition 3 (Section 5). With
    ``batch_size=len(fs)`` it is :func:`eos_theory.relative_progress` of the mean cost.

    >>> fs = [lambda th: th[0] ** 2, lambda th: 3 * th[0] ** 2]
    >>> expected_relative_progress(fs, [1.0], 0.25, 2)
    -0.5
    """
    eta = check_eta(eta)
    s = _Sampler(fs, theta, batch_size, max_subsets)
    with np.errstate(all="ignore"):
        values = np.array([s.f(s.theta - eta * g) for g in s.batch_grads], dtype=np.float64)
    if not np.all(np.isfinite(values)):
        raise ValueError(f"f is not finite after an SGD step from theta={s.theta}, eta={eta}")
    return (float(values.mean()) - s.f0) / (eta * s.g_sq)


def _weighted_smoothness(s: _Sampler, eta: float, tau: float) -> np.ndarray:
    r"""Per-minibatch :math:`\|g\|^2 L(\theta; \eta\tau g)`, finite also where :math:`g = 0`."""
    with np.errstate(all="ignore"):
        diffs = np.array([s.full_grad - s.gradient(s.theta - eta * tau * g) for g in s.batch_grads])
    out: np.ndarray = np.einsum("ij,ij->i", s.batch_grads, diffs) / (eta * tau)
    if not np.all(np.isfinite(out)):
        raise ValueError(
            f"the gradient of f is not finite after an SGD step from theta={s.theta}, "
            f"eta={eta}, tau={tau}"
        )
    return out


def relation51_rhs(
    fs: Sequence[Cost],
    theta: object,
    eta: float,
    batch_size: int,
    *,
    max_subsets: int = MAX_SUBSETS,
) -> float:
    r"""Right-hand side of the approximate relation (5.1), exact over all minibatches.

    .. math::

        -1 + \frac{\eta}{2}\,\mathbb{E}\Big[\frac{\|g(\theta)\|^2}{\|\nabla f(\theta)\|^2}
        L(\theta; \eta g(\theta))\Big]

    Arguments as in :func:`expected_relative_progress`. :math:`L` is Definition 2 of the
    full cost :math:`f` (not of the minibatch cost). A minibatch with :math:`g = 0`
    contributes 0 (the product :math:`\|g\|^2 L` is computed as
    :math:`\langle g, \nabla f(\theta) - \nabla f(\theta - \eta g)\rangle/\eta`). Paper: (5.1).

    >>> fs = [lambda th: th[0] ** 2, lambda th: 3 * th[0] ** 2]
    >>> relation51_rhs(fs, [1.0], 0.25, 2)
    -0.5
    """
    eta = check_eta(eta)
    s = _Sampler(fs, theta, batch_size, max_subsets)
    return -1.0 + 0.5 * eta * float(_weighted_smoothness(s, eta, 1.0).mean()) / s.g_sq


def sgd_identity_quadrature(
    fs: Sequence[Cost],
    theta: object,
    eta: float,
    batch_size: int,
    *,
    max_subsets: int = MAX_SUBSETS,
    epsrel: float = QUAD_EPSREL,
    epsabs: float = QUAD_EPSABS,
) -> QuadratureResult:
    r"""Right-hand side of the exact SGD identity of Appendix A, with its quadrature error.

    .. math::

        \mathbb{E}[\mathrm{RP}(\theta)] = -1 + \frac{\eta}{2}\cdot 2\int_0^1 \tau\,
        \mathbb{E}_g\Big[\frac{\|g\|^2 L(\theta; \eta\tau g)}{\|\nabla f(\theta)\|^2}\Big] d\tau

    Arguments as in :func:`expected_relative_progress`. Paper: Section 5 (the identity
    before (5.1)), derived in Appendix A. Same quadrature as
    :func:`eos_theory.smoothness.theorem2_quadrature`, with the exact minibatch mean
    inside the integrand.
    """
    eta = check_eta(eta)
    s = _Sampler(fs, theta, batch_size, max_subsets)

    def integrand(tau: float) -> float:
        return tau * float(_weighted_smoothness(s, eta, tau).mean()) / s.g_sq

    integral, abserr, info, *rest = quad(
        integrand, 0.0, 1.0, epsabs=epsabs / eta, epsrel=epsrel, limit=QUAD_LIMIT, full_output=1
    )
    message = rest[0] if rest else ""
    return QuadratureResult(-1.0 + eta * integral, eta * abserr, int(info["neval"]), message)


def sgd_identity_rhs(
    fs: Sequence[Cost],
    theta: object,
    eta: float,
    batch_size: int,
    *,
    max_subsets: int = MAX_SUBSETS,
) -> float:
    r"""Right-hand side of the exact SGD identity (Section 5, Appendix A).

    .. math::

        -1 + \frac{\eta}{2}\cdot 2\int_0^1 \tau\,
        \mathbb{E}_g\Big[\frac{\|g\|^2 L(\theta; \eta\tau g)}{\|\nabla f(\theta)\|^2}\Big] d\tau

    See :func:`sgd_identity_quadrature` for the method and its error estimate.

    >>> fs = [lambda th: th[0] ** 4, lambda th: 3 * th[0] ** 2]
    >>> lhs = expected_relative_progress(fs, [1.0], 0.1, 1)
    >>> abs(sgd_identity_rhs(fs, [1.0], 0.1, 1) - lhs) < 1e-12
    True
    """
    return sgd_identity_quadrature(fs, theta, eta, batch_size, max_subsets=max_subsets).value


def sgd_tau_spread(
    fs: Sequence[Cost],
    theta: object,
    eta: float,
    batch_size: int,
    *,
    points: int = 20,
    max_subsets: int = MAX_SUBSETS,
) -> float:
    r"""How far :math:`L(\theta;\eta\tau g)` varies over :math:`\tau`, weighted as in (5.1).

    .. math::

        \frac{\eta}{2}\,\mathbb{E}_g\Big[\frac{\|g\|^2}{\|\nabla f(\theta)\|^2}
        \Big(\max_k L(\theta;\eta\tau_k g) - \min_k L(\theta;\eta\tau_k g)\Big)\Big],
        \qquad \tau_k = k/m

    Arguments as in :func:`expected_relative_progress`; ``points`` is :math:`m`. By the
    Section 5 identity the error of (5.1) is :math:`\frac\eta2\mathbb{E}[\|g\|^2(W_g -
    L_g(1))]/\|\nabla f\|^2` with :math:`W_g` a weighted average of :math:`L(\theta;\eta\tau
    g)` over :math:`\tau`, so it is at most this spread (up to the grid): the premise of
    (5.1), as :func:`eos_theory.smoothness.tau_spread` is that of (4.3). Paper: (5.1).

    On quadratics :math:`L` does not depend on :math:`\tau`:

    >>> fs = [lambda th: th[0] ** 2, lambda th: 3 * th[0] ** 2]
    >>> round(sgd_tau_spread(fs, [1.0], 0.25, 1), 12)
    0.0
    """
    eta = check_eta(eta)
    if isinstance(points, bool) or not isinstance(points, int) or points < 1:
        raise ValueError(f"points must be an integer >= 1, got {points!r}")
    s = _Sampler(fs, theta, batch_size, max_subsets)
    rows = np.array([_weighted_smoothness(s, eta, k / points) for k in range(1, points + 1)])
    return 0.5 * eta * float((rows.max(axis=0) - rows.min(axis=0)).mean()) / s.g_sq
