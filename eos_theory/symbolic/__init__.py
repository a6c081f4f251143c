r"""Symbolic proofs (sympy) of the paper's exact statements, each with a numeric spot check.

Every ``prove_*`` function is pure and returns a :class:`ProofResult`: the statement proved,
the method, the residual expression (left side minus right side, as built from the paper's
definitions) and what it simplified to (``0`` when the proof went through), plus a numeric
spot check of the same statement at seeded random points, computed independently of the
simplification (float64, mostly through the package's numeric API).

Conventions. :math:`\eta` and :math:`\gamma` carry ``positive=True``; coordinates, coefficients
and directions are ``real=True``; constants are exact ``Rational``; simplification is targeted
(``expand``, ``cancel``, ``together``, polynomial division in :math:`\tau`) before comparing
with zero, never a blind ``simplify`` of a large expression.

The key lemma behind Theorem 2, the SGD identity and the descent lemma is the identity, for
*every* direction :math:`u`,

.. math::

    f(\theta - \eta u) - f(\theta) = -\eta\langle u, \nabla f(\theta)\rangle
    + \eta^2 \int_0^1 \tau\,\|u\|^2 L(\theta; \eta\tau u)\, d\tau ,

proved as a polynomial identity in :math:`(\theta, u, \eta, \tau)` and the coefficients of
:math:`f`. Substituting :math:`u = \nabla f(\theta)` (Theorem 2) or :math:`u = g` (Section 5)
into an identically vanishing polynomial keeps it zero, so the specialisations are proofs too;
for dimension 1 the substitution is also expanded directly.

Paper: Ahn, Zhang & Sra (ICML 2022), Theorem 2 (4.2), Appendix A, Section 5, Fact 1,
Example 4, (1.1), Corollary 1, Proposition 1, Theorem 1.

Layout: the shared kit (:class:`ProofResult`, the symbols, :func:`direction_lemma`) is in
:mod:`~eos_theory.symbolic.proof_kit`; one module per statement proved
(:mod:`~eos_theory.symbolic.theorem2`, :mod:`~eos_theory.symbolic.sgd_identity`,
:mod:`~eos_theory.symbolic.fact1`, :mod:`~eos_theory.symbolic.example4`,
:mod:`~eos_theory.symbolic.relation41`, :mod:`~eos_theory.symbolic.descent_lemma`,
:mod:`~eos_theory.symbolic.corollary1`, :mod:`~eos_theory.symbolic.proposition1`,
:mod:`~eos_theory.symbolic.theorem1`); exact ``Fraction`` GD in
:mod:`eos_theory.symbolic.exact`. Every public name is re-exported here.
"""

from __future__ import annotations

from eos_theory.symbolic.corollary1 import prove_corollary1
from eos_theory.symbolic.descent_lemma import prove_descent_lemma
from eos_theory.symbolic.exact import classify_exact_run, exact_gd, fact1_cases
from eos_theory.symbolic.example4 import prove_example4
from eos_theory.symbolic.fact1 import prove_fact1_closed_form, prove_fact1_divergence_conditions
from eos_theory.symbolic.proof_kit import (
    ETA,
    GAMMA,
    TAU,
    ProofResult,
    S,
    describe,
    direction_lemma,
    generic_polynomial,
)
from eos_theory.symbolic.proposition1 import prove_proposition1
from eos_theory.symbolic.relation41 import prove_relation41
from eos_theory.symbolic.sgd_identity import prove_sgd_identity
from eos_theory.symbolic.theorem1 import prove_theorem1_spectrum
from eos_theory.symbolic.theorem2 import prove_theorem2_polynomial, prove_theorem2_smooth

__all__ = [
    "ETA",
    "GAMMA",
    "TAU",
    "ProofResult",
    "S",
    "classify_exact_run",
    "describe",
    "direction_lemma",
    "exact_gd",
    "fact1_cases",
    "generic_polynomial",
    "prove_corollary1",
    "prove_descent_lemma",
    "prove_example4",
    "prove_fact1_closed_form",
    "prove_fact1_divergence_conditions",
    "prove_proposition1",
    "prove_relation41",
    "prove_sgd_identity",
    "prove_theorem1_spectrum",
    "prove_theorem2_polynomial",
    "prove_theorem2_smooth",
]
