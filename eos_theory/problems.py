"""Named analytic costs of the paper, each with its provenance.

Every cost is a function of a 1-D float array written with ``autograd.numpy``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import autograd.numpy as anp
import numpy as np

from eos_theory._validate import Cost, check_theta

# autograd is untyped and traces these costs with boxed arrays, so ``float(...)`` would cut
# the gradient: ``cast(float, ...)`` only states the scalar result for the type checker.


@dataclass(frozen=True)
class Problem:
    """A named cost with the place in the paper it comes from.

    ``cost`` is the autograd cost, ``formula`` its formula as text, ``source`` the paper
    location (and transcription where they differ), ``theta0`` the paper's start when it
    gives one (else ``None``), and ``etas`` the step sizes the paper uses with it.
    """

    name: str
    cost: Cost
    formula: str
    source: str
    theta0: tuple[float, ...] | None
    etas: tuple[float, ...]


def quadratic(p: object, q: object | None = None, r: float = 0.0) -> Cost:
    r"""Quadratic cost of Fact 1.

    .. math::

        f(\theta) = \tfrac12\theta^\top P\theta + q^\top\theta + r


    ``p`` is the symmetric matrix :math:`P`, ``q`` the vector :math:`q` (zero when omitted),
    ``r`` the constant. Its Hessian is :math:`P`, so GD reads
    :math:`\theta^{t+1} = (I - \eta P)\theta^t - \eta q`.

    >>> f = quadratic([[40.0, 0.0], [0.0, 2.0]])
    >>> float(f(np.array([1.0, 1.0])))
    21.0
    """
    pm = np.array(p, dtype=np.float64)
    if pm.ndim != 2 or pm.shape[0] != pm.shape[1] or pm.shape[0] == 0:
        raise ValueError(f"p must be a non-empty square matrix, got shape {pm.shape}")
    if not np.all(np.isfinite(pm)) or not np.allclose(pm, pm.T, rtol=0, atol=0):
        raise ValueError("p must be finite and exactly symmetric")
    qv = np.zeros(pm.shape[0]) if q is None else check_theta(q, name="q")
    if qv.shape != (pm.shape[0],):
        raise ValueError(f"q must have length {pm.shape[0]}, got shape {qv.shape}")
    rr = float(r)

    def f(theta: np.ndarray) -> float:
        return cast(float, 0.5 * anp.dot(theta, anp.dot(pm, theta)) + anp.dot(qv, theta) + rr)

    return f


def example1(theta: np.ndarray) -> float:
    r"""Example 1: :math:`f(\theta) = 20\theta_1^2 + \theta_2^2`, sharpness :math:`L = 40`."""
    return cast(float, 20.0 * theta[0] ** 2 + theta[1] ** 2)


def example2(theta: np.ndarray) -> float:
    r"""Example 2: the flattened quadratic :math:`\tanh(20\theta_1^2 + \theta_2^2)`."""
    return cast(float, anp.tanh(20.0 * theta[0] ** 2 + theta[1] ** 2))


def example3_linear(theta: np.ndarray) -> float:
    r"""Example 3, linear network: :math:`(\theta_1\cdot(1\cdot\theta_2) - 0)^2`."""
    return cast(float, (theta[0] * (1.0 * theta[1]) - 0.0) ** 2)


def example3_tanh(theta: np.ndarray) -> float:
    r"""Example 3, tanh network: :math:`(\theta_1\tanh(1\cdot\theta_2) - 0)^2`."""
    return cast(float, (theta[0] * anp.tanh(1.0 * theta[1]) - 0.0) ** 2)


#: Registry of the paper's analytic costs, by name.
PROBLEMS: dict[str, Problem] = {
    p.name: p
    for p in (
        Problem(
            name="example1",
            cost=example1,
            formula="20*theta1**2 + theta2**2",
            source="Example 1 (preprint transcription; the ICML transcription prints "
            "2*theta1**2 + theta2**2, whose L is 4, not the stated 40)",
            theta0=None,
            etas=(2 / 39, 2 / 40, 2 / 41),
        ),
        Problem(
            name="example2",
            cost=example2,
            formula="tanh(20*theta1**2 + theta2**2)",
            source="Example 2 (Section 3.2)",
            theta0=None,
            etas=(2 / 39,),
        ),
        Problem(
            name="example3-linear",
            cost=example3_linear,
            formula="(theta1*(1*theta2) - 0)**2",
            source="Example 3 (Section 3.2), linear single-neuron network",
            theta0=(13.0, 0.01),
            etas=(2 / 150,),
        ),
        Problem(
            name="example3-tanh",
            cost=example3_tanh,
            formula="(theta1*tanh(1*theta2) - 0)**2",
            source="Example 3 (Section 3.2), tanh single-neuron network",
            theta0=(13.0, 0.01),
            etas=(2 / 150,),
        ),
    )
}
