"""Fact 1 (Section 2) on convex quadratics: divergence iff lambda_max > 2/eta, and its exceptions.

GD on a quadratic is the affine map ``theta <- theta - eta (P theta + q)``, iterated here
in numpy with the exact ``P`` and ``q`` of the draw for ``T = 3000`` steps. Decision rules,
fixed before running: *diverged* when ``|theta_T - theta*|`` exceeds ``1e6 |theta_0 -
theta*|`` (or overflows), *converged* when it is below ``1e-6 |theta_0 - theta*|``. With
``eta lambda / 2`` in ``[1.05, 3]`` the unstable factor is at least 1.1 and
``1.1**3000`` overflows; with ``eta lambda_max / 2 <= 0.95`` and condition number at most
10 every stable factor is at most ``max(0.9, 1 - 0.01) = 0.99`` and ``0.99**3000 < 1e-13``,
so both rules are decided far from their thresholds.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, note
from hypothesis import strategies as st

from eos_theory.families import Case
from eos_theory.testing import assert_close, assert_leq
from property_tests.strategies.points import draw_theta
from property_tests.strategies.quadratics import draw_quadratic

STEPS = 3000


def _iterate(p: np.ndarray, q: np.ndarray, theta0: np.ndarray, eta: float) -> np.ndarray:
    theta = theta0.copy()
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(STEPS):
            theta = theta - eta * (p @ theta + q)
            if not np.all(np.isfinite(theta)) or np.abs(theta).max() > 1e150:
                return np.full_like(theta, np.inf)
    return theta


@pytest.mark.slow  # a long property test (docs/testing.md)
@pytest.mark.parametrize("regime", ["stable", "unstable"])
@given(data=st.data())
def test_fact1_iff_for_almost_every_start(regime, data):
    """Fact 1: on a convex (PD) quadratic GD diverges iff lambda_max(P) > 2/eta (generic start)."""
    d = draw_quadratic(data, spectrum="pd", q_kind="range", regime=regime, max_cond=10.0)
    case = d.case
    note(case.repro())
    star = -np.linalg.solve(d.p, d.q)
    e0 = case.theta_array - star
    # a generic start has a component along every eigenvector (measure-zero exceptions below)
    assume(np.all(np.abs(d.basis.T @ e0) > 1e-6 * (1 + np.linalg.norm(e0))))
    dist = float(np.linalg.norm(_iterate(d.p, d.q, case.theta_array, case.eta) - star))
    ratio = dist / float(np.linalg.norm(e0))
    inputs = {"case": case.to_json(), "|theta_T - theta*| / |theta_0 - theta*|": ratio}
    if regime == "unstable":
        assert ratio > 1e6, f"did not diverge although lambda_max > 2/eta [Fact 1; {inputs}]"
    else:
        assert_leq(
            "|theta_T - theta*|/|theta_0 - theta*|",
            ratio,
            1e-6,
            claim="Fact 1 (converges when lambda_max < 2/eta)",
            inputs=inputs,
        )


@pytest.mark.slow  # a long property test (docs/testing.md)
@given(data=st.data())
def test_fact1_exception_start_orthogonal_to_unstable_eigenvectors(data):
    """Fact 1 exception: a start with no component on the unstable eigenvectors never diverges.

    P is exactly diagonal (``rotate=False``) and ``q = 0``, so a zero coordinate stays
    exactly zero in floating point and the other coordinates have factors ``|1 - eta
    lambda_i| <= 1``; the norm may grow only by rounding, at most ``(1 + 2 eps)`` per step.
    """
    d = draw_quadratic(data, spectrum="pd", regime="unstable", rotate=False, dims=(2, 4))
    lam, eta = d.eigenvalues, d.case.eta
    unstable = eta * lam >= 2.0
    assume(not unstable.all())
    theta0 = d.case.theta_array.copy()
    theta0[unstable] = 0.0
    assume(np.linalg.norm(theta0) > 0)
    note(d.case.repro())
    out = _iterate(d.p, d.q, theta0, eta)
    bound = float(np.linalg.norm(theta0)) * (1 + 2.3e-16) ** STEPS
    assert_leq(
        "|theta_T|",
        float(np.linalg.norm(out)),
        bound,
        claim="Fact 1 exception: start orthogonal to the unstable eigenvectors",
        inputs={"eigenvalues": lam, "eta": eta, "theta0": theta0},
    )


@pytest.mark.slow  # a long property test (docs/testing.md)
@given(data=st.data())
def test_fact1_exception_lambda_equals_two_over_eta(data):
    """Fact 1 edge lambda_max = 2/eta (Example 1, eta = 2/40): bounded, never convergent.

    ``eta = 2**-k`` and ``lambda_max = 2**(k+1)`` make ``1 - eta lambda_max = -1`` exactly,
    so the top coordinate flips sign forever with unchanged magnitude.
    """
    k = data.draw(st.integers(-1, 5), label="k (eta = 2**-k)")
    dim = data.draw(st.integers(1, 3), label="dim")
    eta = 2.0**-k
    fracs = data.draw(
        st.lists(st.floats(0.1, 0.9), min_size=dim - 1, max_size=dim - 1),
        label="other eigenvalues / lambda_max",
    )
    lam = np.array([2.0 ** (k + 1)] + [f * 2.0 ** (k + 1) for f in fracs])
    theta0 = draw_theta(data, dim)
    assume(theta0[0] != 0.0)
    case = Case("quadratic", {"eigenvalues": lam.tolist(), "rotation_seed": None}, theta0, eta)
    note(case.repro())
    out = _iterate(np.diag(lam), np.zeros(dim), theta0, eta)
    assert_close(
        "theta_T[top]",
        out[0],
        (-1) ** STEPS * theta0[0],
        atol=0.0,
        claim="Fact 1 at lambda_max = 2/eta: period-two oscillation",
        inputs={"case": case.to_json()},
    )


@pytest.mark.slow  # a long property test (docs/testing.md)
@given(data=st.data())
def test_fact1_exception_q_out_of_range(data):
    """Fact 1's 'iff' needs a minimizer: with q not in range(P), GD diverges at any eta.

    On the kernel of P the iteration is ``k_{t+1} = k_t - eta q_ker``, so
    ``|theta_T| >= T eta |q_ker| - |theta_0|`` even when lambda_max < 2/eta.
    """
    d = draw_quadratic(data, spectrum="singular", q_kind="out", regime="stable")
    case = d.case
    note(case.repro())
    kernel = d.basis[:, d.eigenvalues == 0.0]
    q_ker = float(np.linalg.norm(kernel.T @ d.q))
    out = _iterate(d.p, d.q, case.theta_array, case.eta)
    drift = STEPS * case.eta * q_ker - float(np.linalg.norm(case.theta_array))
    # kernel drift is exact up to the rotation's round-off (relative 1e-12 is generous)
    assert_leq(
        "T eta |q_ker| - |theta_0|",
        drift * (1 - 1e-9),
        float(np.linalg.norm(out)),
        claim="Fact 1: q outside range(P) diverges although lambda_max < 2/eta",
        inputs={"case": case.to_json(), "q_ker": q_ker},
    )
