r"""Fact 1 proved with sympy: GD's closed form on a quadratic and its divergence conditions.

.. math::

    \theta^t - \theta^* = (I - \eta P)^t(\theta^0 - \theta^*), \qquad
    |1 - \eta\lambda| > 1 \iff \lambda < 0 \ \text{or}\ \lambda > 2/\eta,

for :math:`f = \frac12\theta^\top P\theta + q^\top\theta + r` with :math:`P\theta^* = -q`.
:func:`prove_fact1_closed_form` proves the closed form (induction step and ``rsolve``);
:func:`prove_fact1_divergence_conditions` the conditions (``solveset``), each spot checked
by exact ``Fraction`` GD (:mod:`eos_theory.symbolic.exact`).

Paper: Ahn, Zhang & Sra (ICML 2022), Section 2, Fact 1.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp

from eos_theory.symbolic.exact.fraction_gd import fact1_cases
from eos_theory.symbolic.proof_kit import ETA, ProofResult


def prove_fact1_closed_form(dim: int = 2, *, seed: int = 0) -> ProofResult:
    r"""Fact 1's closed form for GD on :math:`f = \frac12\theta^\top P\theta + q^\top\theta + r`.

    .. math::

        \theta^t - \theta^* = (I - \eta P)^t(\theta^0 - \theta^*), \qquad P\theta^* = -q,

    and, for a singular :math:`P` with :math:`q \notin \mathrm{range}(P)`, the null-space
    coordinate :math:`n^\top\theta^t = n^\top\theta^0 - t\eta\, n^\top q`. ``dim`` is the
    dimension (symbolic symmetric :math:`P`). Method: the induction step
    :math:`\theta^{t+1} - \theta^* - (I - \eta P)(\theta^t - \theta^*)` expands to 0; the
    scalar recurrences of each eigen-coordinate solved with ``rsolve``. Spot check: exact
    ``Fraction`` GD iterates against the closed form (error must be exactly 0).

    >>> prove_fact1_closed_form(2).proved
    True
    """
    p = sp.Matrix(dim, dim, lambda i, j: sp.Symbol(f"p{min(i, j)}{max(i, j)}", real=True))
    th_t = sp.Matrix(sp.symbols(f"x1:{dim + 1}", real=True))
    th_star = sp.Matrix(sp.symbols(f"s1:{dim + 1}", real=True))
    q = -p * th_star
    step = th_t - ETA * (p * th_t + q)
    resid = step - th_star - (sp.eye(dim) - ETA * p) * (th_t - th_star)
    simplified = [sp.expand(e) for e in resid]
    t = sp.Symbol("t", integer=True, nonnegative=True)
    y = sp.Function("y")
    lam, qc, y0 = sp.Symbol("lambda", real=True), sp.Symbol("q", real=True), sp.Symbol("y0")
    # eigen-coordinate with lambda != 0: y_{t+1} = (1 - eta lam) y_t - eta q
    sol = sp.rsolve(y(t + 1) - (1 - ETA * lam) * y(t) + ETA * qc, y(t), {y(0): y0})
    star = -qc / lam
    closed = star + (1 - ETA * lam) ** t * (y0 - star)
    r1 = sp.simplify(sol - closed)
    sol0 = sp.rsolve(y(t + 1) - y(t) + ETA * qc, y(t), {y(0): y0})
    r2 = sp.expand(sol0 - (y0 - t * ETA * qc))
    # Spot check: exact iteration on a rational instance.
    rng = np.random.default_rng(seed)
    pm = [[Fraction(int(rng.integers(-5, 6)), 4) for _ in range(dim)] for _ in range(dim)]
    pm = [[pm[min(i, j)][max(i, j)] for j in range(dim)] for i in range(dim)]
    star_v = [Fraction(int(rng.integers(-5, 6)), 3) for _ in range(dim)]
    qv = [-sum(pm[i][j] * star_v[j] for j in range(dim)) for i in range(dim)]
    eta_f = Fraction(1, 3)
    x = [Fraction(int(rng.integers(-5, 6)), 2) for _ in range(dim)]
    x0 = list(x)
    m = sp.eye(dim) - sp.Rational(1, 3) * sp.Matrix(pm)
    worst = 0.0
    for k in range(1, 6):
        x = [x[i] - eta_f * (sum(pm[i][j] * x[j] for j in range(dim)) + qv[i]) for i in range(dim)]
        pred = m**k * (sp.Matrix(x0) - sp.Matrix(star_v)) + sp.Matrix(star_v)
        worst = max(worst, max(abs(float(sp.Rational(str(x[i])) - pred[i])) for i in range(dim)))
    return ProofResult(
        statement="Fact 1: theta^t - theta* = (I - eta P)^t (theta^0 - theta*) when P theta* = -q; "
        "eigen-coordinates y_t = y* + (1-eta lambda)^t (y_0 - y*), null-space coordinates "
        "y_t = y_0 - t eta q_null",
        method="induction step expanded (expand); rsolve of the scalar recurrences",
        residual=[*list(resid), sol - closed, sol0 - (y0 - t * ETA * qc)],
        simplified=[*simplified, r1, r2],
        spot_max_error=worst,
        spot_tolerance=0.0,
        spot_points=5,
    )


def prove_fact1_divergence_conditions() -> ProofResult:
    r"""The exact divergence conditions behind Fact 1.

    .. math::

        |1 - \eta\lambda| > 1 \iff \lambda < 0 \ \text{or}\ \lambda > 2/\eta, \qquad
        |1 - \eta\lambda| = 1 \iff \lambda \in \{0, 2/\eta\}.

    With the closed form (:func:`prove_fact1_closed_form`) GD diverges iff some
    eigen-coordinate with :math:`|1-\eta\lambda| > 1` has :math:`y_0 \ne y^*` (generic
    initialisations; special ones on the complement converge), or :math:`q` has a component
    in the null space of :math:`P` (then no minimiser exists and the iterates drift
    linearly for every :math:`\eta`, even when every eigenvalue is below :math:`2/\eta`).
    At :math:`\lambda = 2/\eta` the coordinate flips sign forever: bounded, not convergent.
    Method: ``solveset`` over the reals in :math:`x = \eta\lambda`. Spot check: exact
    ``Fraction`` GD on five cases (generic/special initialisation, boundary, indefinite,
    singular with :math:`q \notin \mathrm{range}(P)`), each outcome must match.

    >>> prove_fact1_divergence_conditions().proved
    True
    """
    x = sp.Symbol("x", real=True)
    grow = sp.solveset((1 - x) ** 2 > 1, x, sp.S.Reals)
    unit = sp.solveset(sp.Eq((1 - x) ** 2, 1), x, sp.S.Reals)
    expected_grow = sp.Union(sp.Interval.open(-sp.oo, 0), sp.Interval.open(2, sp.oo))
    cases = fact1_cases()
    mismatches = sum(1 for c in cases.values() if c["outcome"] != c["expected"])
    return ProofResult(
        statement="|1 - eta lambda| > 1 iff lambda < 0 or lambda > 2/eta; = 1 iff lambda in "
        "{0, 2/eta}; divergence needs a generic start or q outside range(P)",
        method="solveset over the reals in x = eta*lambda; exact Fraction GD on five cases",
        residual=[
            sp.Complement(grow, expected_grow),
            sp.SymmetricDifference(unit, sp.FiniteSet(0, 2)),
        ],
        simplified=[
            sp.Integer(0) if grow == expected_grow else grow,
            sp.Integer(0) if unit == sp.FiniteSet(0, 2) else unit,
        ],
        spot_max_error=float(mismatches),
        spot_tolerance=0.0,
        spot_points=len(cases),
        facts={k: c["outcome"] for k, c in cases.items()},
    )
