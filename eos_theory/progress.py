"""Relative progress ratio RP (Definition 1 of the paper)."""

from __future__ import annotations

from autograd import value_and_grad

from eos_theory._validate import Cost, check_eta, check_theta, cost_value, nonzero_norm_sq


def relative_progress(f: Cost, theta: object, eta: float) -> float:
    r"""Relative progress ratio of one gradient-descent step.

    .. math::

        \mathrm{RP}(\theta) = \frac{f(\theta - \eta\nabla f(\theta)) - f(\theta)}
                                   {\eta\,\|\nabla f(\theta)\|^2}

    ``f`` is the cost :math:`f` (written with ``autograd.numpy``), ``theta`` the point
    :math:`\theta` and ``eta`` the step size :math:`\eta`. Paper: Definition 1 (Section 4.1).
    The descent lemma (1.1) gives :math:`\mathrm{RP} \le -1 + \eta L / 2` for an
    :math:`L`-smooth cost.

    Raises ``ValueError`` when ``eta`` is not finite and positive, ``theta`` is not a finite
    1-D array, ``f`` is not a finite scalar at ``theta`` or at the next iterate, or the
    gradient vanishes (the ratio is 0/0).

    Example: on :math:`f(\theta) = \theta^2` the step :math:`\eta = 1/4` halves
    :math:`\theta`, so :math:`\mathrm{RP} = (1/4 - 1) / (1/4 \cdot 4) = -3/4`.

    >>> import autograd.numpy as anp
    >>> relative_progress(lambda th: anp.sum(th**2), [1.0], 0.25)
    -0.75
    """
    eta = check_eta(eta)
    theta = check_theta(theta)
    f0 = cost_value(f, theta)
    _, g = value_and_grad(f)(theta)
    g_sq = nonzero_norm_sq(g, what="the gradient of f", theta=theta)
    f1 = cost_value(f, theta - eta * g, name="f at the next iterate")
    return (f1 - f0) / (eta * g_sq)
