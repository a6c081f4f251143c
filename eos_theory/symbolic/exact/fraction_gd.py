r"""Exact GD in ``Fraction`` arithmetic on quadratics, and the cases that decide Fact 1.

.. math::

    \theta^{t+1} = \theta^t - \eta\,(P\theta^t + q) \quad\text{on}\quad
    f = \tfrac12\theta^\top P\theta + q^\top\theta

:func:`exact_gd` iterates it without round-off, :func:`classify_exact_run` names the
outcome (diverged, converged, bounded) and :func:`fact1_cases` runs the five cases behind
Fact 1's conditions (used by :func:`~eos_theory.symbolic.fact1.prove_fact1_divergence_conditions`
and by the Fact 1 errata).

Paper: Ahn, Zhang & Sra (ICML 2022), Section 2, Fact 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction


def exact_gd(
    p: Sequence[Sequence[Fraction]],
    q: Sequence[Fraction],
    eta: Fraction,
    x0: Sequence[Fraction],
    steps: int,
) -> list[list[Fraction]]:
    r"""Exact GD iterates on :math:`f = \tfrac12 x^\top P x + q^\top x` (Fraction arithmetic).

    ``p`` is :math:`P`, ``q`` the linear term, ``eta`` the step, ``x0`` the start and
    ``steps`` the number of GD steps (Fact 1). Returns the iterates, start included.

    >>> exact_gd([[Fraction(1)]], [Fraction(0)], Fraction(1, 2), [Fraction(1)], 2)[-1]
    [Fraction(1, 4)]
    """
    xs = [list(x0)]
    x = list(x0)
    d = len(x)
    for _ in range(steps):
        x = [x[i] - eta * (sum(p[i][j] * x[j] for j in range(d)) + q[i]) for i in range(d)]
        xs.append(x)
    return xs


def classify_exact_run(xs: list[list[Fraction]]) -> str:
    """Outcome of an exact run: diverged, converged or bounded.

    ``xs`` are the iterates. Diverged: the max-norm grew past 100 times max(1, start);
    converged: the last step moved less than 1e-9; bounded otherwise.

    >>> classify_exact_run([[Fraction(1)], [Fraction(-1)], [Fraction(1)]])
    'bounded'
    """
    norms = [max(abs(float(c)) for c in x) for x in xs]
    if norms[-1] > 100 * max(1.0, norms[0]):
        return "diverged"
    if max(abs(float(a - b)) for a, b in zip(xs[-1], xs[-2], strict=True)) < 1e-9:
        return "converged"
    return "bounded"


def fact1_cases(steps: int = 120) -> dict[str, dict[str, str]]:
    """Exact GD outcomes on the cases that decide Fact 1's conditions (η = 1 throughout).

    >>> fact1_cases()["singular P, q outside range(P)"]["outcome"]
    'diverged'
    """
    one, zero, half = Fraction(1), Fraction(0), Fraction(1, 2)
    eta = one

    def diag(a: Fraction | int, b: Fraction | int) -> list[list[Fraction]]:
        return [[Fraction(a), zero], [zero, Fraction(b)]]

    specs = {
        "lambda=3 > 2/eta, generic start": (
            diag(3, half),
            [zero, zero],
            [Fraction(1, 1000), one],
            "diverged",
        ),
        "lambda=3 > 2/eta, start with no top component": (
            diag(3, half),
            [zero, zero],
            [zero, one],
            "converged",
        ),
        "lambda_max = 2/eta exactly": (diag(2, half), [zero, zero], [one, one], "bounded"),
        "indefinite P (lambda=-1/2), small eta": (
            diag(half, -half),
            [zero, zero],
            [one, Fraction(1, 1000)],
            "diverged",
        ),
        "singular P, q outside range(P)": (diag(1, 0), [zero, one], [one, one], "diverged"),
    }
    out = {}
    for name, (p, q, x0, expected) in specs.items():
        outcome = classify_exact_run(exact_gd(p, q, eta, x0, steps))
        out[name] = {"outcome": outcome, "expected": expected}
    return out
