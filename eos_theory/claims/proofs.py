"""The paper's exact statements as claims decided by sympy proofs (:mod:`eos_theory.symbolic`).

Each check runs one or more ``prove_*`` functions; the verdict is ``proved`` when every
residual simplified to exactly zero and the numeric spot check beside each proof stayed
within its stated slack, ``fails`` otherwise. The method (what sympy did) is in ``method``
and repeated in ``detail``; the deciding numbers are the count of vanishing residuals and
the spot check's worst error relative to its slack. Every claim here is registered by
:func:`_proof_claim` from its text and the proofs that decide it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from eos_theory import symbolic as sym
from eos_theory.registry import Verdict, claim


def _verdict(results: list[sym.ProofResult], labels: Sequence[str]) -> Verdict:
    numbers: dict[str, object] = {}
    ok = True
    for label, r in zip(labels, results, strict=True):
        ok &= r.proved
        for k, v in sym.describe(r).items():
            numbers[f"{label}: {k}" if label else k] = v
    detail = (
        "proved by "
        if ok
        else "NOT proved (a residual did not vanish or a spot check failed); method: "
    ) + results[0].method
    return Verdict("proved" if ok else "fails", numbers, detail)


def _proof_claim(
    *,
    proofs: Sequence[Callable[[], sym.ProofResult]],
    labels: Sequence[str] | None = None,
    **text: Any,
) -> None:
    """Register the exact claim decided by running ``proofs`` (their numbers under ``labels``).

    ``text`` are :func:`~eos_theory.registry.claim`'s keywords (``id``, ``location``,
    ``statement``, ``method``); the verdict is :func:`_verdict` of the proofs' results.
    """

    def check() -> Verdict:
        return _verdict([p() for p in proofs], labels or [""] * len(proofs))

    check.__qualname__ = "proof_" + text["id"].replace(".", "_").replace("-", "_")
    claim(**text)(check)


_proof_claim(
    id="symbolic.theorem2.polynomial",
    ref=("Theorem 2", "(4.2)", "Appendix A.1"),
    location="Section 4.3, Theorem 2, (4.2); Appendix A (ICML; the preprint's (4.2) drops tau, "
    "see erratum preprint.theorem2-missing-tau)",
    statement="RP(theta) = -1 + (eta/2) * 2 * int_0^1 tau * L(theta; eta*tau*grad f(theta)) dtau, "
    "for every polynomial cost of degree <= 4 in dimension 1, 2 and 3.",
    method="sympy: direction lemma f(θ-ηu)-f(θ)+η<u,∇f>-η²∫τ|u|²L(θ;ητu)dτ expanded to 0 as a "
    "polynomial in θ, u, η and symbolic coefficients (τ-division exact), then u = ∇f(θ) "
    "(direct substitution expanded in dim 1); spot check relative_progress vs "
    "theorem2_quadrature on seeded numeric instances",
    proofs=[
        lambda: sym.prove_theorem2_polynomial(1, 4),
        lambda: sym.prove_theorem2_polynomial(2, 4),
        lambda: sym.prove_theorem2_polynomial(3, 4),
    ],
    labels=["dim 1", "dim 2", "dim 3"],
)

_proof_claim(
    id="symbolic.theorem2.smooth",
    ref=("Theorem 2", "Appendix A.1"),
    location="Section 4.3, Theorem 2; Appendix A",
    statement="The Theorem 2 identity for a general smooth f in 2-D (fundamental theorem of "
    "calculus): its three ingredients, the last step (integrating the chain-rule identity "
    "over [0, 1], linearity) by hand.",
    method="sympy Function f(θ1, θ2): chain rule for φ(τ)=f(θ-ητu) (cancel), fundamental "
    "theorem of calculus on abstract φ (integrate), end points φ(1) = f(θ-ηu) and φ(0) = f(θ) "
    "(simplify); spot check on log cosh and tanh costs",
    proofs=[lambda: sym.prove_theorem2_smooth(2)],
)

_proof_claim(
    id="symbolic.sgd-identity",
    ref=("Section 5 identity", "Appendix A.2"),
    location="Section 5 (identity before (5.1), ICML); Appendix A, 'Derivation for the SGD case'",
    statement="E[RP(theta)] = -1 + (eta/2) * 2 * int_0^1 tau * E_g[|g|^2 L(theta; eta*tau*g) / "
    "|grad f|^2] dtau, where E[g] = grad f.",
    method="sympy: 3 symbolic per-example cubics in 2-D, uniform minibatches without "
    "replacement (all C(3,b) subsets, b = 1..3): E[g]-∇f and E<g,∇f>-|∇f|² expanded to 0, "
    "direction lemma averaged; direct expansion on an exact Rational instance; spot check "
    "expected_relative_progress vs sgd_identity_quadrature",
    proofs=[lambda: sym.prove_sgd_identity(3, 2, 3)],
)

_proof_claim(
    id="symbolic.fact1.closed-form",
    ref=("Fact 1",),
    statement="On f = 1/2 theta^T P theta + q^T theta + r, GD satisfies theta^t - theta* = "
    "(I - eta P)^t (theta^0 - theta*) (P theta* = -q); a null-space coordinate drifts by "
    "-eta q_null per step.",
    method="sympy: induction step expanded to 0 for symbolic symmetric 3x3 P; rsolve of the "
    "eigen-coordinate recurrences; spot check exact Fraction iterates vs closed form",
    proofs=[lambda: sym.prove_fact1_closed_form(3)],
)

_proof_claim(
    id="symbolic.fact1.divergence-conditions",
    ref=("Fact 1",),
    statement="GD on a quadratic diverges if an eigenvalue of P exceeds 2/eta (generic start).",
    method="sympy solveset: |1-ηλ| > 1 iff λ < 0 or λ > 2/η, |1-ηλ| = 1 iff λ in {0, 2/η}; "
    "exact Fraction GD on five cases (generic/special start, λ = 2/η, indefinite P, singular "
    "P with q outside range P); see errata fact1.* for what the printed statement omits",
    proofs=[sym.prove_fact1_divergence_conditions],
)

_proof_claim(
    id="symbolic.example4",
    ref=("Example 4", "(4.1)"),
    location="Section 4.2, Example 4 and (4.1), with f = 1/2 theta^T P theta",
    statement="With eta = 2/lambda_max(P), GD on the top eigenvector flips sign (period two) "
    "and L(theta; eta grad f) = 2/eta.",
    method="sympy: rationally parametrised eigenvectors, cancel of theta^1 + theta, L - 2/eta, RP, "
    "and of the null-space case; printed normalization f = theta^T P theta recorded "
    "(multiplier -3, eta*L = 4); spot check directional_smoothness on a 3-D instance",
    proofs=[sym.prove_example4],
)

_proof_claim(
    id="symbolic.relation41",
    ref=("Definition 2", "(4.1)"),
    location="Section 4.2, Definition 2 at v = eta grad f and (4.1)",
    statement="L(theta; eta grad f) = <grad f, grad f - grad f(theta - eta grad f)>/"
    "(eta |grad f|^2), which equals 2/eta when <grad f(theta), grad f(theta - v)> = "
    "-|grad f(theta)|^2.",
    method="sympy cancel with symbolic gradient vectors; oscillation parametrised by "
    "g+ = -g + a x g; float64 spot check",
    proofs=[sym.prove_relation41],
)

_proof_claim(
    id="symbolic.descent-lemma",
    ref=("(1.1)", "(1.2)"),
    location="Section 1, (1.1) and (1.2); Section 4.1.1",
    statement="(1.1) f(theta^t+1) <= f(theta^t) - eta (1 - L eta/2) |grad f(theta^t)|^2 for "
    "every L-smooth f (shown in 3 symbolic dimensions from the integral form of the remainder; "
    "Cauchy-Schwarz and the L-Lipschitz gradient are the two named inequalities), with "
    "equality for 1-D quadratics; (1.2) L < 2/eta is exactly 1 - L eta/2 > 0.",
    method="sympy: chain rule along the segment on a Function of 3 variables, FTC on an "
    "abstract phi, integral of L s |v|^2 and the substitution v = eta grad f; equality for "
    "1-D quadratics (expand); solveset for (1.2); float64 spot check on sum log cosh",
    proofs=[sym.prove_descent_lemma],
)

_proof_claim(
    id="symbolic.corollary1",
    ref=("Corollary 1",),
    location="Section 4.4, Corollary 1 and (♣)",
    statement="(2/eta)(RP(theta^t) + 1) <= L_t for every C^2 f: the integral form L(theta; v) "
    "|v|^2 = int_0^1 v^T Hess f(theta - s v) v ds (chain rule on a sympy Function, and for a "
    "symbolic quartic in 2-D), the Rayleigh bound v^T H v <= lambda_max |v|^2 (a symbolic 2x2 "
    "H; the spectral theorem in general, named), composed with Theorem 2 and 2 int tau dtau = "
    "1; and (club): lim_{tau->0} L(theta; eta tau grad f) is the Rayleigh quotient at theta.",
    method="sympy: L(θ;v)|v|² = ∫ vᵀ∇²f(θ-sv)v ds expanded for a symbolic quartic in 2-D; "
    "λ_max I - H PSD (det 0, trace >= 0) for symbolic 2x2 H; limit by cancel then τ = 0; "
    "spot check against a 201-point segment grid of λ_max",
    proofs=[lambda: sym.prove_corollary1(2, 4)],
)

_proof_claim(
    id="symbolic.proposition1",
    ref=("Proposition 1",),
    location="Section 3.1, Proposition 1 and its proof",
    statement="If f(x_i, [xi, c zeta]) = f(x_i, [xi, zeta]) for c > 0, then "
    "l = (1/n) sum f(x_i, theta) + gamma |theta|^2 has no stationary point with zeta != 0.",
    method="sympy: scale invariance and Euler <∇_ζ f, ζ> = 0 by together/cancel on a normalized "
    "neuron and a layer norm with arbitrary readout Function; <∇_ζ l, ζ> = 2γ|ζ|² (γ > 0); "
    "degree-k homogeneity gives k f (k = 0..3); autograd spot check",
    proofs=[sym.prove_proposition1],
)

_proof_claim(
    id="symbolic.theorem1.spectrum",
    ref=("Theorem 1", "Assumption 1"),
    location="Section 2, Theorem 1 (proof) and Assumption 1",
    statement="If lambda_min < 0 or lambda_max > 2/eta at p, then I - eta Hessian(p) has an "
    "eigenvalue of modulus > 1; DF(p) = I - eta Hessian(p) is invertible iff 1/eta is not an "
    "eigenvalue.",
    method="sympy solveset in x = eta*lambda; det(I - eta H) - eta^3 chi_H(1/eta) expanded for "
    "symbolic symmetric 3x3 H; numpy spot check on 50 seeded matrices",
    proofs=[sym.prove_theorem1_spectrum],
)
