"""The Theorem 2 identity for any update step (Section 6: momentum, Adam-like, ...).

For a step theta - u with <grad f, u> > 0, RP_u = (f(theta - u) - f(theta)) / <grad f, u>
equals -1 + (|u|^2 / <grad f, u>) int_0^1 tau L(theta; tau u) dtau exactly
(:mod:`eos_theory.updates`). The updates drawn: GD, heavy-ball momentum (GD plus a drawn
previous step), Adam-like (the direction g / (|g| + eps), at the GD step's length) and a
random descent step (the GD step plus a random vector of at most sqrt(dim) times its
length). Tolerance: 2 * abserr + the RP round-off over <grad f, u>
(:mod:`eos_theory.tolerances`, 8 eps of both losses' scales) + 8 eps of the larger gradient
times |u| over <grad f, u> (the integrand's gradient difference) + 1e-13.
"""

from __future__ import annotations

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad
from hypothesis import assume, given, note
from hypothesis import strategies as st

from eos_theory import tolerances
from eos_theory.testing import assert_close
from eos_theory.tolerances import EPS64, FLOAT64_K, loss_scale
from eos_theory.updates import (
    update_identity_quadrature,
    update_relation43_rhs,
    update_relative_progress,
)
from property_tests.strategies.mixed import draw_any


def _update(data: st.DataObject, kind: str, g: np.ndarray, eta: float) -> np.ndarray:
    dim = g.size
    if kind == "gd":
        return eta * g
    if kind == "momentum":
        beta = data.draw(st.floats(0.0, 0.99), label="beta")
        prev = np.array(data.draw(st.lists(st.floats(-1, 1), min_size=dim, max_size=dim),
                                  label="previous step"))  # fmt: skip
        return eta * g + beta * prev
    if kind == "adam":
        # Adam's direction g / (|g| + eps), at the length of the GD step (Adam's own steps
        # are of the order of its eta; a unit-per-coordinate step at GD's eta on a flat point
        # would be thousands of times the GD step, far outside any method's use)
        eps = data.draw(st.floats(1e-8, 1e-1), label="eps")
        d = g / (np.abs(g) + eps)
        return d * (eta * float(np.linalg.norm(g)) / float(np.linalg.norm(d)))
    direction = np.array(data.draw(st.lists(st.floats(-1, 1), min_size=dim, max_size=dim),
                                   label="direction"))  # fmt: skip
    return eta * (g + direction * float(np.linalg.norm(g)))


@pytest.mark.slow  # a long property test (docs/testing.md)
@pytest.mark.parametrize("kind", ["gd", "momentum", "adam", "random"])
@given(data=st.data())
def test_identity_for_any_update(kind, data):
    """RP_u = -1 + (|u|^2/<grad f, u>) int_0^1 tau L(theta; tau u) dtau (Theorem 2 for any
    step, Section 6)."""
    case = draw_any(data, regime=data.draw(st.sampled_from(["stable", "unstable"]), label="regime"))
    theta, f = case.theta_array, case.cost
    gf = grad(f)
    g = gf(theta)
    u = _update(data, kind, g, case.eta)
    gu = float(g @ u)
    assume(np.all(np.isfinite(u)) and gu > 1e-8 * max(1.0, float(u @ u)))
    note(f"{case.repro()}\nu = {u.tolist()!r}")
    with np.errstate(all="ignore"):
        after = theta - u
        scales = [
            loss_scale(float(f(x)), float(np.linalg.norm(x)), float(np.linalg.norm(gf(x))))
            for x in (theta, after)
        ]
        g_far = float(np.linalg.norm(gf(after)))
    assume(all(np.isfinite(scales)) and np.isfinite(g_far))
    rp = update_relative_progress(f, theta, u)
    q = update_identity_quadrature(f, theta, u)
    slack = (
        2 * q.abserr
        + tolerances.rp_roundoff(*scales, eta=1.0, grad_norm_sq=gu)
        + FLOAT64_K * EPS64 * max(float(np.linalg.norm(g)), g_far) * float(np.linalg.norm(u)) / gu
        + 1e-13
    )
    assert_close(
        "RP_u", rp, q.value, atol=slack, claim="Theorem 2 for any update (Section 6)",
        inputs={"case": case.to_json(), "u": u.tolist()},
    )  # fmt: skip


def test_undefined_for_a_non_descent_step():
    """<grad f, u> <= 0: RP_u is undefined, a ValueError naming u."""
    f = lambda th: anp.sum(th**2)  # noqa: E731
    with pytest.raises(ValueError, match="u: <grad f"):
        update_relative_progress(f, [1.0, 0.0], [0.0, 1.0])


def test_gd_step_is_theorem2_and_relation43():
    """For u = eta grad f the update quantities are Definition 1, Theorem 2 and (4.3): the
    same formulas with the factors grouped differently, so they agree to round-off (a few
    1e-16 here); 1e-12 relative leaves room for the quadrature's different node errors."""
    from eos_theory import relation43_rhs, relative_progress, theorem2_quadrature

    f = lambda th: anp.tanh(20 * th[0] ** 2 + th[1] ** 2)  # noqa: E731  (Example 2)
    theta, eta = np.array([0.3, 0.2]), 2 / 39
    u = eta * grad(f)(theta)
    for name, got, want in (
        ("RP", update_relative_progress(f, theta, u), relative_progress(f, theta, eta)),
        ("identity", update_identity_quadrature(f, theta, u).value,
         theorem2_quadrature(f, theta, eta).value),
        ("(4.3)", update_relation43_rhs(f, theta, u), relation43_rhs(f, theta, eta)),
    ):  # fmt: skip
        assert_close(name, got, want, rtol=1e-12, atol=1e-13, claim="Section 6 / Theorem 2")
