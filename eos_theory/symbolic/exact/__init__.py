"""Exact (``Fraction``) arithmetic beside the sympy proofs: GD on quadratics without round-off.

:mod:`eos_theory.symbolic.exact.fraction_gd` holds the iteration, the outcome of a run and
the cases that decide Fact 1.
"""

from __future__ import annotations

from eos_theory.symbolic.exact.fraction_gd import classify_exact_run, exact_gd, fact1_cases

__all__ = ["classify_exact_run", "exact_gd", "fact1_cases"]
