r"""Theorem 2 and (4.3) for any update step: the paper's Section 6 question, first part.

Section 6 asks how the characterizations carry over to other methods. For a step
:math:`\theta - u` with :math:`\langle\nabla f, u\rangle > 0` the identity of Theorem 2 holds
exactly with :math:`\eta\nabla f` replaced by :math:`u` (:mod:`eos_theory.updates`):

- ``update.identity.examples`` checks it numerically along the GD runs of the paper's Examples
  2 and 3 (tanh) for heavy-ball momentum and Adam-like steps (tolerance:
  :mod:`eos_theory.tolerances`, with :math:`\langle\nabla f, u\rangle` in place of
  :math:`\eta\|\nabla f\|^2`);
- ``symbolic.update-identity`` is the sympy proof of ``symbolic.theorem2.smooth`` read for
  what it proves: the step :math:`u` there is a free symbolic vector, never set to the
  gradient.
"""

from __future__ import annotations

import numpy as np
from autograd import grad

from eos_theory import symbolic as sym
from eos_theory.claims.examples import _trajectories
from eos_theory.registry import Verdict, claim
from eos_theory.tolerances import identity_tolerance, loss_scale, rp_roundoff
from eos_theory.updates import update_identity_quadrature, update_relative_progress


def _updates(g: np.ndarray, prev_step: np.ndarray, eta: float) -> dict[str, np.ndarray]:
    """Heavy-ball momentum (beta = 0.9, the previous GD step) and Adam-like (eps = 1e-3)."""
    return {"momentum": eta * g + 0.9 * prev_step, "adam-like": eta * g / (np.abs(g) + 1e-3)}


@claim(
    id="update.identity.examples",
    ref=("Theorem 2", "Section 6"),
    location="Section 4.3, Theorem 2 and Appendix A, for any update; Section 6",
    statement="For any step theta - u with <grad f, u> > 0: (f(theta - u) - f(theta)) / "
    "<grad f, u> = -1 + (|u|^2 / <grad f, u>) int_0^1 tau L(theta; tau u) dtau.",
    method="every 10th of the first 300 GD iterates of Examples 2 and 3 (tanh), with "
    "heavy-ball momentum (beta 0.9 on the previous step) and Adam-like (g/(|g| + 1e-3)) steps "
    "of the run's eta; quadrature against RP_u to 8 eps of the losses' round-off over "
    "<grad f, u> + 2 abserr + 1e-13; points with <grad f, u> <= 0 are counted, not used",
)
def _update_identity() -> Verdict:
    worst, count, skipped, where = 0.0, 0, 0, {}
    for label, (f, tr) in _trajectories().items():
        gf = grad(f)
        for t in range(1, tr.steps, 10):
            theta = tr.thetas[t]
            g = gf(theta)
            for kind, u in _updates(g, tr.thetas[t - 1] - theta, tr.eta).items():
                gu = float(g @ u)
                if gu <= 0:
                    skipped += 1
                    continue
                rp = update_relative_progress(f, theta, u)
                q = update_identity_quadrature(f, theta, u)
                round_off = rp_roundoff(
                    loss_scale(f(theta)), loss_scale(f(theta - u)), eta=1.0, grad_norm_sq=gu
                )
                ratio = abs(rp - q.value) / identity_tolerance(round_off, q.abserr)
                count += 1
                if ratio >= worst:
                    worst = ratio
                    where = {"run": label, "step": t, "update": kind, "RP_u": rp, "rhs": q.value}
    return Verdict(
        "holds" if worst <= 1 and count else "fails",
        where
        | {"points": count, "skipped (<grad f, u> <= 0)": skipped, "worst error/slack": worst},
        f"identity holds at all {count} points; worst error is {worst:.2g} of its slack",
    )


def _proof() -> Verdict:
    r = sym.prove_theorem2_smooth(2)
    numbers = dict(sym.describe(r))
    if r.proved:
        return Verdict(
            "proved",
            numbers,
            "proved by sympy with the step direction u a free symbolic vector: chain rule for "
            "phi(tau) = f(theta - eta tau u), FTC for an abstract phi, end points",
        )
    return Verdict("fails", numbers, "NOT proved: a residual did not vanish")


claim(
    id="symbolic.update-identity",
    ref=("Theorem 2", "Section 6", "Appendix A.1"),
    location="Section 4.3, Theorem 2 and Appendix A, for any update; Section 6",
    statement="f(theta - u) - f(theta) = -<u, grad f(theta)> + int_0^1 tau |u|^2 L(theta; tau u) "
    "dtau for every smooth f in 2-D and every step u (with eta u in place of u), hence the "
    "RP_u identity wherever <grad f, u> > 0.",
    method="the sympy proof of symbolic.theorem2.smooth (chain rule on a Function, FTC for an "
    "abstract phi, end points; composed by linearity) with the step direction u a free "
    "symbolic vector",
)(_proof)
