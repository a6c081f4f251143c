"""``run_gd``: outcomes as results, and per-step records equal to the definitions.

Reference values come from closed forms on quadratics (Fact 1: theta^t = (I - eta P)^t theta^0)
and from the pure functions of Definitions 1 and 2 evaluated directly.
"""

from __future__ import annotations

import numpy as np
import pytest

from eos_theory import directional_smoothness, relative_progress, run_gd, sharpness
from eos_theory.problems import PROBLEMS, quadratic
from eos_theory.testing import assert_close


@pytest.mark.parametrize(
    ("eta", "outcome"),
    [(2 / 39, "diverged"), (2 / 40, "bounded"), (2 / 41, "converged")],
    ids=["eta=2/39", "eta=2/40", "eta=2/41"],
)
def test_example1_outcomes(eta, outcome):
    """Example 1 / Fact 1 on 20 x^2 + y^2 (L = 40): diverge above 2/L, converge below, and
    oscillate forever exactly at 2/L. Divergence is recorded, not raised."""
    tr = run_gd(PROBLEMS["example1"].cost, [1.0, 1.0], eta, 5000)
    assert tr.outcome == outcome, f"outcome={tr.outcome}, but should be {outcome} [eta={eta}]"
    assert tr.loss.size == tr.rp.size == tr.dir_smoothness.size == tr.grad_norm.size
    assert np.all(np.isfinite(tr.rp)), "recorded rows must be finite even for a diverging run"


def test_trajectory_matches_fact1_closed_form():
    """Fact 1: on f = 1/2 theta^T P theta + q^T theta the iterates are
    theta^t - theta* = (I - eta P)^t (theta^0 - theta*)."""
    rng = np.random.default_rng(1)
    a = rng.standard_normal((3, 3))
    p = a @ a.T + np.eye(3)
    q = rng.standard_normal(3)
    eta = 1.0 / np.linalg.eigvalsh(p)[-1]
    theta0 = rng.standard_normal(3)
    tr = run_gd(quadratic(p, q), theta0, eta, 30)
    star = -np.linalg.solve(p, q)
    m = np.eye(3) - eta * p
    closed = np.array([star + np.linalg.matrix_power(m, t) @ (theta0 - star) for t in range(31)])
    assert_close(
        "theta^t",
        tr.thetas,
        closed,
        rtol=1e-12,
        atol=1e-12,
        claim="Fact 1 closed form",
        inputs={"seed": 1, "eta": eta},
    )


def test_recorded_rp_and_l_equal_definitions():
    """Definitions 1 and 2: the loop's RP and L (from the next iterate) equal the direct
    evaluation at every step, to 1e-12 relative (same float operations up to ordering)."""
    f = PROBLEMS["example3-tanh"].cost
    tr = run_gd(f, (13.0, 0.01), 2 / 150, 60, sharpness_every=20)
    from autograd import grad

    for t in range(tr.steps):
        th = tr.thetas[t]
        inputs = {"theta": th, "eta": 2 / 150, "step": t}
        assert_close(
            "RP",
            tr.rp[t],
            relative_progress(f, th, 2 / 150),
            rtol=1e-12,
            atol=1e-14,
            claim="Definition 1",
            inputs=inputs,
        )
        assert_close(
            "L",
            tr.dir_smoothness[t],
            directional_smoothness(f, th, 2 / 150 * grad(f)(th)),
            rtol=1e-12,
            claim="Definition 2",
            inputs=inputs,
        )
    assert sorted(tr.sharpness) == [0, 20, 40]
    assert_close(
        "sharpness@20",
        tr.sharpness[20],
        sharpness(f, tr.thetas[20]),
        rtol=1e-14,
        claim="footnote 1",
    )


def test_zero_steps_and_stationary_start():
    """A run of 0 steps records nothing; a stationary start is 'converged' at step 0."""
    tr = run_gd(PROBLEMS["example1"].cost, [1.0, 1.0], 0.01, 0)
    assert (tr.steps, tr.outcome) == (0, "bounded")
    tr = run_gd(PROBLEMS["example1"].cost, [0.0, 0.0], 0.01, 10)
    assert (tr.steps, tr.outcome) == (0, "converged")


def test_overflow_is_a_divergence_not_an_exception():
    """A cost that overflows along the run ends as 'diverged' with the finite rows kept."""
    import autograd.numpy as anp

    tr = run_gd(lambda th: anp.exp(th[0] ** 2), [1.0], 1.0, 50, blowup=1e300)
    assert tr.outcome == "diverged", tr.reason
    assert "non-finite" in tr.reason
