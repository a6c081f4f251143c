r"""What ``eos search`` measures per case: the margin of each searchable claim.

A margin is a dimensionless number, positive exactly when the case
(:class:`eos_theory.families.Case`) is a counterexample; the thresholds it is measured
against (:data:`APPROX_THRESHOLD`, :data:`RP_ZERO_THRESHOLD`, :data:`INEQUALITY_ROUNDOFF`)
live here with the reason for their value. Cases where a claim's quantities are undefined
raise :class:`Rejected`. :func:`edge_step` finds the step :math:`\eta^*` with
:math:`\eta^* L(\theta;\eta^*\nabla f) = 2` that :func:`measure_edge` needs.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import numpy as np
from autograd import grad
from scipy.optimize import brentq

from eos_theory.families import Case
from eos_theory.progress import relative_progress
from eos_theory.sgd import expected_relative_progress, minibatch_gradients, relation51_rhs
from eos_theory.sharpness import sharpness
from eos_theory.smoothness import directional_smoothness, relation43_rhs

#: Threshold on the relative error of (4.3) and (5.1): half the gap between
#: RP's stable saturation value -1 and its unstable one 0 (Sections 4.1.1-4.1.2), so an
#: error above it can put a point in the wrong regime.
APPROX_THRESHOLD = 0.5
#: Threshold on |RP| for "L = 2/eta implies RP ~ 0": the same half gap.
RP_ZERO_THRESHOLD = 0.5
#: Margin above which the planted exact inequality counts as violated: far above the float64
#: round-off of RP on the bounded domains searched (about 1e-13).
INEQUALITY_ROUNDOFF = 1e-9


class Rejected(ValueError):
    """A case where a claim's quantities are undefined (zero gradient, overflow, no edge)."""


def _guard(fn: Callable[[], dict[str, float]]) -> dict[str, float]:
    """Evaluate ``fn`` with float warnings silenced; non-finite results raise Rejected."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = fn()
        except (ValueError, ArithmeticError, np.linalg.LinAlgError) as exc:
            raise Rejected(str(exc)) from None
    if not all(isinstance(v, int | str) or math.isfinite(v) for v in out.values()):
        raise Rejected(f"non-finite quantity: {out}")
    return out


#: Smallest gradient norm searched: below it RP and L are ratios of round-off (0/0 in effect).
MIN_GRAD_NORM = 1e-6


def _require_gradient(case: Case) -> None:
    """Reject cases whose (full) gradient is below :data:`MIN_GRAD_NORM`."""
    g = grad(case.cost)(case.theta_array)
    if not float(np.linalg.norm(g)) >= MIN_GRAD_NORM:
        raise Rejected(f"|grad f| = {float(np.linalg.norm(g)):.3g} < {MIN_GRAD_NORM}")


def measure_relation43(case: Case) -> dict[str, float]:
    r"""Relative error of (4.3), :math:`r = -1 + \tfrac\eta2 L(\theta;\eta\nabla f)`.

    .. math:: |\mathrm{RP} - r| / \max(1, |\mathrm{RP}|, |r|)

    An absolute error would grow without bound with :math:`\eta` (RP itself does), so the
    error is taken relative to the larger of 1 and the two sides; margin: that minus 0.5.
    """

    def run() -> dict[str, float]:
        _require_gradient(case)
        f, theta, eta = case.cost, case.theta_array, case.eta
        rp = relative_progress(f, theta, eta)
        rhs = relation43_rhs(f, theta, eta)
        err = abs(rp - rhs) / max(1.0, abs(rp), abs(rhs))
        return {"RP": rp, "rhs (4.3)": rhs, "relative error": err, "margin": err - APPROX_THRESHOLD}

    return _guard(run)


def measure_relation51(case: Case) -> dict[str, float]:
    r"""Relative error of (5.1), exact expectations over all minibatches.

    .. math:: |\mathbb{E}[\mathrm{RP}] - r| / \max(1, |\mathbb{E}[\mathrm{RP}]|, |r|)

    with :math:`r` the right-hand side of (5.1); margin: that minus 0.5.
    """

    def run() -> dict[str, float]:
        _require_gradient(case)
        fs, theta, eta = case.costs(), case.theta_array, case.eta
        b = int(case.params["batch_size"])
        lhs = expected_relative_progress(fs, theta, eta, b)
        rhs = relation51_rhs(fs, theta, eta, b)
        err = abs(lhs - rhs) / max(1.0, abs(lhs), abs(rhs))
        return {
            "E[RP]": lhs,
            "rhs (5.1)": rhs,
            "relative error": err,
            "margin": err - APPROX_THRESHOLD,
        }

    return _guard(run)


def measure_section44(case: Case) -> dict[str, float]:
    r"""Pointwise Section 4.4 step, in RP units: how far RP exceeds what lambda_max(theta) allows.

    .. math::

        \frac{\mathrm{RP} + 1 - \eta\lambda/2}
             {\max(1, |\mathrm{RP} + 1|, \eta\lambda/2)} - 0.5

    with :math:`\lambda = \lambda_{\max}(\nabla^2 f(\theta)) \ge 0.5` (flatter points are
    outside the EoS setting searched here and are rejected, so that :math:`\eta =
    2c/\lambda` is exact). :math:`\mathrm{RP} + 1 - \eta\lambda/2` is
    :math:`\tfrac\eta2\big((2/\eta)(\mathrm{RP} + 1) - \lambda\big)`, the step's
    "(2/eta)(RP+1) <~ lambda_max" read in RP units; the paper states it with "~", so it is
    judged against half the regime gap (:data:`APPROX_THRESHOLD`), not round-off, and the
    relative form keeps the margin bounded.
    """

    def run() -> dict[str, float]:
        f, theta, eta = case.cost, case.theta_array, case.eta
        _require_gradient(case)
        rp = relative_progress(f, theta, eta)
        lam = sharpness(f, theta)
        if lam < 0.5:
            raise Rejected("lambda_max < 0.5: outside the searched edge-of-stability setting")
        excess = rp + 1.0 - eta * lam / 2.0
        return {
            "RP": rp,
            "(2/eta)(RP+1)": 2.0 / eta * (rp + 1.0),
            "lambda_max(theta)": lam,
            "2/eta": 2.0 / eta,
            "margin": excess / max(1.0, abs(rp + 1.0), eta * lam / 2.0) - APPROX_THRESHOLD,
        }

    return _guard(run)


def edge_step(case: Case, *, span: float = 4.0, grid: int = 25) -> float:
    r"""The step :math:`\eta^*` nearest ``case.eta`` with :math:`\eta^* L(\theta;\eta^* g) = 2`.

    Scans :math:`\phi(\eta) = \eta L(\theta; \eta\nabla f)/2 - 1` on ``grid`` log-spaced steps
    in :math:`[\eta/\mathrm{span}, \eta\,\mathrm{span}]` and refines the sign change nearest
    ``case.eta`` with Brent's method (``xtol=1e-15``); raises :class:`Rejected` if there is none.
    """
    f, theta = case.cost, case.theta_array
    g = grad(f)(theta)

    def phi(eta: float) -> float:
        return eta * directional_smoothness(f, theta, eta * g) / 2.0 - 1.0

    etas = np.geomspace(case.eta / span, case.eta * span, grid)
    vals = np.array([phi(e) for e in etas])
    ok = np.isfinite(vals)
    changes = [
        i
        for i in range(grid - 1)
        if ok[i] and ok[i + 1] and np.sign(vals[i]) != np.sign(vals[i + 1])
    ]
    if not changes:
        raise Rejected("no step with eta * L = 2 in the scanned range")
    i = min(changes, key=lambda k: abs(math.log(etas[k] / case.eta)))
    return float(brentq(phi, etas[i], etas[i + 1], xtol=1e-15, rtol=4 * np.finfo(float).eps))


def measure_edge(case: Case) -> dict[str, float]:
    r"""RP at the step :math:`\eta^*` where :math:`\eta^* L(\theta;\eta^* g) = 2`.

    Margin :math:`|\mathrm{RP}|/\max(1, |\mathrm{RP}|) - 0.5` at :math:`\eta^*`: positive
    when "L ~ 2/eta implies RP ~ 0" (Section 4.3, after Theorem 2) fails by more than half
    the regime gap; bounded by 0.5, so a search is not drawn to degenerate points where RP
    itself is huge.
    """

    def run() -> dict[str, float]:
        _require_gradient(case)
        eta = edge_step(case)
        f, theta = case.cost, case.theta_array
        rp = relative_progress(f, theta, eta)
        lval = directional_smoothness(f, theta, eta * grad(f)(theta))
        return {
            "eta*": eta,
            "L(theta; eta* grad f)": lval,
            "2/eta*": 2.0 / eta,
            "RP at eta*": rp,
            "margin": abs(rp) / max(1.0, abs(rp)) - RP_ZERO_THRESHOLD,
        }

    return _guard(run)


def measure_erp_unstable(case: Case) -> dict[str, float]:
    r"""Noise-only test of "E[RP] >= 0 implies the unstable regime" (Section 5, Remark 7).

    Margin :math:`\min(\mathbb{E}[\mathrm{RP}],\ 2/\eta - \lambda_{\max})\cdot\eta/2`:
    positive exactly when :math:`\mathbb{E}[\mathrm{RP}] > 0` although GD on the full cost
    is stable, :math:`\lambda_{\max}(\nabla^2 f(\theta)) < 2/\eta`.
    """

    def run() -> dict[str, float]:
        _require_gradient(case)
        fs, theta, eta = case.costs(), case.theta_array, case.eta
        b = int(case.params["batch_size"])
        erp = expected_relative_progress(fs, theta, eta, b)
        lam = sharpness(case.cost, theta)
        gs = minibatch_gradients(fs, theta, b)
        full = gs.mean(axis=0)
        noise = float(np.mean(np.sum((gs - full) ** 2, axis=1)) / (full @ full))
        return {
            "E[RP]": erp,
            "lambda_max": lam,
            "2/eta": 2.0 / eta,
            "E|g - grad f|^2 / |grad f|^2": noise,
            "margin": min(erp, (2.0 / eta - lam) * eta / 2.0),
        }

    return _guard(run)


def measure_planted(case: Case) -> dict[str, float]:
    r"""Planted (false) claim for testing the search: "RP < 0 whenever eta lambda_max < 2.1".

    Margin :math:`\mathrm{RP}`; the domain draws :math:`\eta\lambda_{\max}/2 \in [0.5, 1.05]`,
    so counterexamples exist (gradient aligned with the top eigenvector and
    :math:`\eta\lambda_{\max} > 2`) but fill only a small corner of it.
    """

    def run() -> dict[str, float]:
        rp = relative_progress(case.cost, case.theta_array, case.eta)
        return {
            "RP": rp,
            "eta*lambda_max/2": case.eta * sharpness(case.cost, case.theta_array) / 2,
            "margin": rp - INEQUALITY_ROUNDOFF,
        }

    return _guard(run)
