"""Tests of the sympy proofs (eos_theory.symbolic) beyond running the registered claims:
small cases of each proof, negative controls that show a proof can fail, and the spot checks.

The registered claims (tests/test_claims.py) run the full-size proofs; here each test names
the paper statement it checks and fails with the residual or the spot check's numbers.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
import sympy as sp

from eos_theory import symbolic as sym
from eos_theory.testing import assert_leq


@pytest.mark.parametrize(("dim", "degree"), [(1, 2), (1, 4), (2, 2), (2, 3)])
def test_theorem2_polynomial_small_cases(dim, degree):
    """Theorem 2 (4.2) / Appendix A on generic polynomials: residual 0, spot check in slack."""
    r = sym.prove_theorem2_polynomial(dim, degree, seed=dim * 10 + degree)
    assert r.simplified == 0, f"Theorem 2 residual {r.simplified} != 0 [dim={dim}, degree={degree}]"
    assert_leq(
        "spot |RP - quadrature|/slack",
        r.spot_max_error,
        1.0,
        claim="Theorem 2 (4.2)",
        inputs={"dim": dim, "degree": degree},
    )
    assert r.spot_points > 0


def test_generic_polynomial_has_every_monomial():
    """The symbolic cost of the Theorem 2 proof has C(d + n, n) coefficients (all monomials)."""
    for dim in (1, 2, 3):
        for degree in range(5):
            _, cs = sym.generic_polynomial(sp.symbols(f"x1:{dim + 1}", real=True), degree)
            assert len(cs) == math.comb(degree + dim, dim), (dim, degree, len(cs))


def test_preprint_theorem2_variant_is_refuted_symbolically():
    """Negative control (preprint (4.2) without tau inside L): the same machinery gives a
    nonzero residual, so the proof of the ICML form is not vacuous."""
    th = sp.Symbol("theta1", real=True)
    f, _ = sym.generic_polynomial((th,), 3)
    g = sp.diff(f, th)
    v = sym.ETA * g
    big_l = v * (g - g.subs(th, th - v)) / v**2  # L(theta; eta grad f), no tau
    rhs = -1 + sym.ETA / 2 * 2 * sp.integrate(sym.TAU * big_l, (sym.TAU, 0, 1))
    lhs = (f.subs(th, th - v) - f) / (sym.ETA * g**2)
    residual = sp.cancel(sp.together(lhs - rhs))
    assert residual != 0, "the preprint's (4.2) should not be an identity on cubics"


def test_direction_lemma_residual_and_tau_division():
    """Appendix A key identity for every direction u: residual 0 and integrand polynomial in tau."""
    th = sp.symbols("theta1:3", real=True)
    f, _ = sym.generic_polynomial(th, 3)
    resid, _raw, remainder, u = sym.direction_lemma(f, th)
    assert resid == 0 and remainder == 0 and len(u) == 2


def test_smooth_theorem2_each_step():
    """Theorem 2 for sympy Function costs: chain rule, FTC and algebra residuals each vanish."""
    r = sym.prove_theorem2_smooth(1)
    assert all(s == 0 for s in r.simplified), r.simplified
    assert_leq("spot error/slack", r.spot_max_error, 1.0, claim="Theorem 2, smooth f")


def test_sgd_identity_small():
    """Section 5 SGD identity with E[g] = grad f, n = 2 examples in 1-D (all batch sizes)."""
    r = sym.prove_sgd_identity(2, 1, 2, seed=3)
    assert r.symbolic_ok, [s for s in r.simplified if s != 0][:2]
    assert_leq(
        "spot error/slack", r.spot_max_error, 1.0, claim="Section 5 identity", inputs={"seed": 3}
    )


@pytest.mark.parametrize("name", sorted(sym.fact1_cases()))
def test_fact1_cases(name):
    """Fact 1's conditions: each exact-arithmetic case ends as its closed form predicts."""
    case = sym.fact1_cases()[name]
    assert case["outcome"] == case["expected"], f"{name}: {case}"


def test_exact_gd_matches_closed_form_null_space():
    """Fact 1, singular P with q outside range(P): theta2^t = theta2^0 - t*eta*q2 exactly."""
    one, zero = Fraction(1), Fraction(0)
    xs = sym.exact_gd([[one, zero], [zero, zero]], [zero, one], Fraction(1, 3), [one, one], 30)
    assert all(x[1] == 1 - Fraction(t, 3) for t, x in enumerate(xs))


def test_example4_printed_normalization_diverges():
    """Example 4 as printed (f = theta^T P theta): multiplier -3 at eta = 2/lambda_max, eta*L = 4;
    with 1/2 theta^T P theta the orbit and L = 2/eta are proved."""
    r = sym.prove_example4()
    assert r.proved
    assert r.facts["printed f=θᵀPθ: GD multiplier on q_max at eta=2/lambda"] == "-3"
    assert r.facts["printed f=θᵀPθ: eta*L on the orbit"] == "4"


def test_descent_lemma_and_relation41():
    """(1.1)-(1.2) and (4.1): residuals vanish; the log cosh spot check never violates (1.1)."""
    for r in (sym.prove_descent_lemma(seed=5), sym.prove_relation41()):
        assert r.proved, (r.statement, r.simplified, r.spot_max_error)


def test_corollary1_small():
    """Corollary 1 on a cubic in 2-D: integral representation, Rayleigh bound, limit (♣)."""
    r = sym.prove_corollary1(2, 3, seed=2)
    assert r.symbolic_ok, r.simplified
    assert_leq("(lhs - L_t)/slack", r.spot_max_error, 1.0, claim="Corollary 1", inputs={"seed": 2})


def test_proposition1_degree_one_breaks_the_argument():
    """Proposition 1: for degree-1 homogeneity <grad f, zeta> = f (not 0), so weight decay can
    balance it: l = -zeta + gamma zeta^2 is stationary at 1/(2 gamma) != 0."""
    z = sp.Symbol("z", positive=True)
    f = -z
    assert sp.simplify(sp.diff(f, z) * z - f) == 0
    assert sp.simplify(sp.diff(f, z) * z) != 0
    gamma = sp.Symbol("gamma", positive=True)
    assert sp.solve(sp.diff(f + gamma * z**2, z), z) == [1 / (2 * gamma)]


def test_theorem1_spectrum():
    """Theorem 1 proof: |1 - eta lambda| > 1 iff lambda < 0 or lambda > 2/eta (50 spot checks)."""
    r = sym.prove_theorem1_spectrum()
    assert r.proved and r.spot_points == 50


def test_proof_result_flags_nonzero_residual():
    """A ProofResult with a nonzero residual or a failed spot check is not 'proved'."""
    base = dict(statement="s", method="m", residual=0, spot_tolerance=1.0, spot_points=1)
    assert sym.ProofResult(simplified=0, spot_max_error=0.5, **base).proved
    assert not sym.ProofResult(simplified=sp.Symbol("x"), spot_max_error=0.5, **base).proved
    assert not sym.ProofResult(simplified=0, spot_max_error=2.0, **base).proved
    assert not sym.ProofResult(
        simplified=0, spot_max_error=0.0, **(base | {"spot_points": 0})
    ).proved


def test_bad_arguments_raise():
    """Out-of-range dimension/degree -> ValueError naming them."""
    with pytest.raises(ValueError, match="dim"):
        sym.prove_theorem2_polynomial(4, 2)
    with pytest.raises(ValueError, match="degree"):
        sym.generic_polynomial(sp.symbols("x1:2"), -1)


def test_symbolic_claims_name_their_method():
    """Every registered symbolic claim names sympy in its method and reports 'proved'."""
    from eos_theory.registry import all_claims

    claims = [c for c in all_claims() if c.id.startswith("symbolic.")]
    assert len(claims) >= 11
    for c in claims:
        assert "sympy" in c.method, c.id
        assert c.kind == "exact", c.id
