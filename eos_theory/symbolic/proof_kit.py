r"""The shared kit of the sympy proofs: :class:`ProofResult`, the symbols and the direction lemma.

Every ``prove_*`` function of :mod:`eos_theory.symbolic` returns a :class:`ProofResult` and
builds its residuals from the pieces here: the symbols :data:`ETA` (:math:`\eta`,
positive), :data:`GAMMA` (:math:`\gamma`, positive), :data:`TAU` (:math:`\tau`) and
:data:`S` (:math:`s`); the inner product ``_dot`` and the substitution ``_at``; the
generic polynomial with one symbol per coefficient (:func:`generic_polynomial`), its exact
random Rational instances (``_instance``) and their autograd costs (``_numeric_cost``);
:func:`describe`, the deciding numbers of a proof for a claim verdict; and the key lemma,
for *every* direction :math:`u` (:func:`direction_lemma`),

.. math::

    f(\theta - \eta u) - f(\theta) = -\eta\langle u, \nabla f(\theta)\rangle
    + \eta^2 \int_0^1 \tau\,\|u\|^2 L(\theta; \eta\tau u)\, d\tau .

Paper: Ahn, Zhang & Sra (ICML 2022), Definition 2, Appendix A.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import sympy as sp

from eos_theory._validate import Cost

#: The step size :math:`\eta` (positive).
ETA = sp.Symbol("eta", positive=True)
#: The weight decay :math:`\gamma` of Proposition 1 (positive).
GAMMA = sp.Symbol("gamma", positive=True)
#: The integration variable :math:`\tau` of Theorem 2 and the SGD identity.
TAU = sp.Symbol("tau", real=True)
#: The segment parameter :math:`s` of Corollary 1 and the descent lemma.
S = sp.Symbol("s", real=True)


@dataclass(frozen=True)
class ProofResult:
    """Outcome of one symbolic proof and its numeric spot check.

    ``statement`` is what was proved, ``method`` how, ``residual`` the expression (or the
    list of expressions) that must vanish, as built from the paper's definitions, and
    ``simplified`` what the targeted simplification made of it (``0`` for a proof).
    ``spot_max_error`` is the largest error of the spot check over ``spot_points`` seeded
    points, ``spot_tolerance`` its stated bound. ``facts`` holds further deciding values.
    """

    statement: str
    method: str
    residual: object
    simplified: object
    spot_max_error: float
    spot_tolerance: float
    spot_points: int
    facts: dict[str, object] = field(default_factory=dict)

    @property
    def symbolic_ok(self) -> bool:
        """Whether every residual simplified to exactly zero (and every fact held)."""
        vals = self.simplified if isinstance(self.simplified, (list, tuple)) else [self.simplified]
        facts_ok = all(v is not False for v in self.facts.values())
        return bool(all(sp.sympify(v) == 0 for v in vals) and facts_ok)

    @property
    def spot_ok(self) -> bool:
        """Whether the numeric spot check stayed within its tolerance."""
        return bool(self.spot_points > 0 and self.spot_max_error <= self.spot_tolerance)

    @property
    def proved(self) -> bool:
        """Symbolic proof through and spot check within tolerance."""
        return bool(self.symbolic_ok and self.spot_ok)


def _dot(a: Sequence[sp.Expr], b: Sequence[sp.Expr]) -> sp.Expr:
    return sp.Add(*[x * y for x, y in zip(a, b, strict=True)])


def _at(expr: sp.Expr, theta: Sequence[sp.Symbol], point: Sequence[sp.Expr]) -> sp.Expr:
    return expr.subs(dict(zip(theta, point, strict=True)), simultaneous=True)


def generic_polynomial(
    theta: Sequence[sp.Symbol], degree: int, name: str = "c"
) -> tuple[sp.Expr, tuple[sp.Symbol, ...]]:
    r"""The polynomial of total degree ``degree`` in ``theta`` with one symbol per coefficient.

    .. math:: f(\theta) = \sum_{|\alpha| \le d} c_\alpha \theta^\alpha

    ``theta`` are the coordinate symbols, ``degree`` is :math:`d`, ``name`` the coefficient
    prefix. Returns ``(f, coefficients)``.

    >>> x = sp.symbols("x1:3", real=True)
    >>> f, cs = generic_polynomial(x, 2)
    >>> len(cs)
    6
    """
    if degree < 0:
        raise ValueError(f"degree must be >= 0, got {degree}")
    monomials = [
        m for d in range(degree + 1) for m in itertools.combinations_with_replacement(theta, d)
    ]
    cs = sp.symbols(f"{name}0:{len(monomials)}", real=True)
    return sp.Add(*[c * sp.Mul(*m) for c, m in zip(cs, monomials, strict=True)]), tuple(cs)


def _numeric_cost(expr: sp.Expr, theta: Sequence[sp.Symbol]) -> Cost:
    """An autograd-compatible cost from a polynomial/elementary sympy expression."""
    import autograd.numpy as anp

    lam = sp.lambdify(list(theta), expr, modules=[{"tanh": anp.tanh, "log": anp.log}, anp])

    def f(th: np.ndarray) -> float:
        # lambdify's function is untyped; on th it returns the scalar (or autograd box) cost.
        return cast(float, lam(*[th[i] for i in range(len(theta))]))

    return f


def _instance(
    coeffs: Sequence[sp.Symbol], rng: np.random.Generator
) -> dict[sp.Symbol, sp.Rational]:
    return {c: sp.Rational(int(rng.integers(-1000, 1001)), 1000) for c in coeffs}


def direction_lemma(
    f: sp.Expr, theta: Sequence[sp.Symbol]
) -> tuple[sp.Expr, sp.Expr, sp.Expr, tuple[sp.Symbol, ...]]:
    r"""Residual of the key identity for a polynomial cost and an arbitrary direction ``u``.

    .. math::

        R = f(\theta - \eta u) - f(\theta) + \eta\langle u, \nabla f(\theta)\rangle
        - \eta^2\int_0^1 \tau\,\|u\|^2 L(\theta; \eta\tau u)\,d\tau,

    with :math:`L(\theta; v) = \langle v, \nabla f(\theta) - \nabla f(\theta - v)\rangle/\|v\|^2`
    (Definition 2) and :math:`v = \eta\tau u`. The integrand
    :math:`\tau\|u\|^2 L = \langle v, \nabla f(\theta) - \nabla f(\theta - v)\rangle/(\eta^2\tau)`
    is shown to be a polynomial in :math:`\tau` by exact division (remainder returned).

    ``f`` is a polynomial in ``theta``. Returns ``(R_expanded, R_unexpanded, remainder, u)``.
    Paper: Appendix A (both derivations).
    """
    dim = len(theta)
    u = sp.symbols(f"u1:{dim + 1}", real=True)
    grad = [sp.diff(f, x) for x in theta]
    v = [ETA * TAU * ui for ui in u]
    diff = [g - _at(g, theta, [x - vi for x, vi in zip(theta, v, strict=True)]) for g in grad]
    # tau * |u|^2 * L(theta; v) = tau * |u|^2 <v, diff> / |v|^2 = <v, diff> / (eta^2 tau)
    numerator = sp.Poly(sp.expand(_dot(v, diff)), TAU)
    quotient, remainder = sp.div(numerator, sp.Poly(TAU, TAU))
    integral = sp.integrate(quotient.as_expr(), (TAU, 0, 1)) / ETA**2
    lhs = _at(f, theta, [x - ETA * ui for x, ui in zip(theta, u, strict=True)]) - f
    rhs = -ETA * _dot(u, grad) + ETA**2 * integral
    raw = lhs - rhs
    return sp.expand(raw), raw, remainder.as_expr(), tuple(u)


def describe(result: ProofResult) -> dict[str, object]:
    """The deciding numbers of a proof, for a claim verdict (short strings, rounded floats).

    >>> from eos_theory.symbolic import prove_relation41
    >>> describe(prove_relation41())["symbolic residuals zero"]
    True
    """
    vals = (
        result.simplified if isinstance(result.simplified, (list, tuple)) else [result.simplified]
    )
    out: dict[str, object] = {"symbolic residuals zero": result.symbolic_ok, "residuals": len(vals)}
    if result.spot_tolerance:
        out["spot check max error/slack"] = round(result.spot_max_error / result.spot_tolerance, 6)
    else:
        out["spot check mismatches"] = result.spot_max_error
    out["spot points"] = result.spot_points
    for k, v in result.facts.items():
        out[k] = v
    return out
