"""Meta-tests: each strategy delivers what its docstring promises (STYLE.md point 4).

Tolerances: a rotated spectrum ``Q diag(lambda) Q^T`` reproduces its eigenvalues to about
``d * eps * lambda_max`` (backward-stable QR and eigensolver), so spectra are compared
with ``64 * d * eps * lambda_max``; Hessians come from autograd's exact derivative
arithmetic and are compared entrywise with the same relative scale.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from autograd import grad
from hypothesis import given
from hypothesis import strategies as st

from eos_theory.families import Case, rotation
from eos_theory.sharpness import hessian_matrix, sharpness
from eos_theory.testing import assert_close, assert_leq
from property_tests.strategies.finite_sums import draw_finite_sum
from property_tests.strategies.flattened import draw_flattened
from property_tests.strategies.homogeneous import draw_homogeneous
from property_tests.strategies.networks import draw_network
from property_tests.strategies.period_two import draw_orbit
from property_tests.strategies.points import REGIMES
from property_tests.strategies.polynomials import draw_polynomial
from property_tests.strategies.quadratics import draw_quadratic

EPS = float(np.finfo(np.float64).eps)


def _spectral_slack(lam: np.ndarray) -> float:
    return 64 * lam.size * EPS * float(np.abs(lam).max())


@pytest.mark.parametrize("spectrum", ["pd", "indefinite", "singular"])
@given(data=st.data())
def test_quadratic_spectrum_as_requested(spectrum, data):
    """Quadratic strategy: Hessian symmetric, eigenvalues as drawn, PD/indefinite/singular."""
    d = draw_quadratic(data, spectrum=spectrum, q_kind="range" if spectrum != "pd" else "zero")
    h = hessian_matrix(d.case.cost, d.case.theta_array)
    assert np.array_equal(h, h.T)
    got = np.linalg.eigvalsh(d.p)
    slack = _spectral_slack(d.eigenvalues)
    inputs = {"case": d.case.to_json()}
    assert_close("eig(P)", got, np.sort(d.eigenvalues), atol=slack, claim="strategy", inputs=inputs)
    assert_close("Hessian", h, d.p, atol=slack, claim="strategy", inputs=inputs)
    if spectrum == "pd":
        assert got[0] > 0
        assert_leq("cond(P)", got[-1] / got[0], 1e3 * (1 + 1e-9), claim="strategy", inputs=inputs)
    elif spectrum == "indefinite":
        assert got[0] < 0 < got[-1]
    else:
        n_zero = int(np.sum(d.eigenvalues == 0.0))
        assert n_zero >= 1
        assert np.sum(np.abs(got) <= slack) == n_zero
        assert np.linalg.matrix_rank(d.p, tol=slack) == d.eigenvalues.size - n_zero


@pytest.mark.parametrize("q_kind", ["range", "out"])
@given(data=st.data())
def test_singular_q_in_or_out_of_range(q_kind, data):
    """q in range(P) has no kernel component; q out of range has one of at least 0.1."""
    d = draw_quadratic(data, spectrum="singular", q_kind=q_kind)
    kernel = d.basis[:, d.eigenvalues == 0.0]
    component = float(np.linalg.norm(kernel.T @ d.q))
    scale = float(np.linalg.norm(d.q)) + 1.0
    if q_kind == "range":
        assert_leq("|proj_ker q|", component, 64 * d.q.size * EPS * scale * d.eigenvalues.max())
    else:
        assert component >= 0.1 - 1e-12


@pytest.mark.parametrize("regime", ["stable", "unstable", "edge", "near_edge"])
@given(data=st.data())
def test_quadratic_step_in_regime(regime, data):
    """eta * lambda_max / 2 lies in the requested regime's interval."""
    d = draw_quadratic(data, regime=regime)
    c = d.case.eta * d.eigenvalues.max() / 2
    low, high = REGIMES[regime]
    assert low * (1 - 1e-15) <= c <= high * (1 + 1e-15)


def test_rotation_is_orthogonal_and_seeded():
    """Seeded rotations are orthogonal and reproducible."""
    q = rotation(4, 123)
    assert_close("Q Q^T", q @ q.T, np.eye(4), atol=16 * EPS, claim="strategy")
    assert np.array_equal(q, rotation(4, 123))


@pytest.mark.parametrize(
    "draw",
    [draw_polynomial, draw_flattened, draw_network, draw_finite_sum],
    ids=["polynomial", "flattened", "network", "finite_sum"],
)
@pytest.mark.parametrize("regime", ["stable", "unstable"])
@given(data=st.data())
def test_cases_in_regime_and_reproducible(draw, regime, data):
    """Every family: Hessian symmetric, nonzero gradient, eta in regime, a next iterate
    whose cost is finite in float64, JSON round-trip."""
    case = draw(data, regime=regime)
    theta = case.theta_array
    h = hessian_matrix(case.cost, theta)
    assert np.array_equal(h, h.T)
    g = grad(case.cost)(theta)
    assert float(g @ g) > 0
    with np.errstate(all="ignore"):
        after = float(case.cost(theta - case.eta * g))
    assert np.isfinite(after), f"f at the next iterate is {after}: {case.to_json()}"
    lam = sharpness(case.cost, theta)
    if lam > 0:
        low, high = REGIMES[regime]
        c = case.eta * lam / 2
        assert low * (1 - 1e-12) <= c <= high * (1 + 1e-12)
    again = Case.from_dict(json.loads(case.to_json()))
    assert float(again.cost(theta)) == float(case.cost(theta))
    if case.family == "finite_sum":
        fs = case.costs()
        assert 1 <= case.params["batch_size"] <= len(fs)
        assert_close(
            "mean f_i",
            np.mean([fi(theta) for fi in fs]),
            case.cost(theta),
            rtol=16 * EPS,
            atol=1e-300,
            claim="strategy",
        )


@given(data=st.data())
def test_homogeneous_is_scale_invariant(data):
    """Homogeneous family: the data term is invariant under zeta -> c zeta (c > 0)."""
    case = draw_homogeneous(data)
    c = data.draw(st.floats(0.1, 10.0), label="scale c")
    gamma = case.params["gamma"]
    n_xi = case.params["width"]
    theta = case.theta_array
    scaled = theta.copy()
    scaled[n_xi:] *= c
    data_term = case.cost(theta) - gamma * float(theta @ theta)
    data_scaled = case.cost(scaled) - gamma * float(scaled @ scaled)
    assert_close(
        "data term",
        data_scaled,
        data_term,
        rtol=1e-12,
        atol=1e-12 * (1 + gamma * float(scaled @ scaled)),
        claim="strategy (Proposition 1 homogeneity)",
        inputs={"case": case.to_json(), "c": c},
    )


@given(data=st.data())
def test_orbit_points_flip(data):
    """Period-two strategy: theta - eta grad f(theta) is the mirror image 2c - theta."""
    d = draw_orbit(data)
    theta = d.case.theta_array
    nxt = theta - d.case.eta * grad(d.case.cost)(theta)
    scale = float(np.abs(theta).max() + np.abs(d.center).max()) + 1.0
    assert_close(
        "theta'",
        nxt,
        2 * d.center - theta,
        atol=1e-10 * scale,
        claim="strategy (period two)",
        inputs={"case": d.case.to_json()},
    )
