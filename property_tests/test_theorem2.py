"""Theorem 2 (4.2) on random costs, and (4.3) exact on quadratics.

Tolerance of Theorem 2: ``2 * abserr`` (QUADPACK's error estimate of the right-hand side,
doubled because it is an estimate) + the RP round-off of :mod:`property_tests._slack` +
the integrand's gradient round-off + ``1e-13`` (the quadrature's requested absolute
accuracy, ``QUAD_EPSABS``).
"""

from __future__ import annotations

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from eos_theory import relation43_rhs, relative_progress, theorem2_quadrature
from eos_theory.testing import assert_close
from property_tests._slack import gradient_roundoff, rp_roundoff
from property_tests.strategies.mixed import draw_any
from property_tests.strategies.quadratics import draw_quadratic


@pytest.mark.parametrize("regime", ["stable", "unstable"])
@given(data=st.data())
def test_theorem2_identity(regime, data):
    """Theorem 2, (4.2): RP = -1 + (eta/2) 2 int_0^1 tau L(theta; eta tau grad f) dtau."""
    case = draw_any(data, regime=regime)
    note(case.repro())
    rp = relative_progress(case.cost, case.theta_array, case.eta)
    q = theorem2_quadrature(case.cost, case.theta_array, case.eta)
    slack = 2 * q.abserr + rp_roundoff(case) + gradient_roundoff(case) + 1e-13
    note(
        f"RP={rp!r}, rhs={q.value!r}, abserr={q.abserr:.3g}, slack={slack:.3g}, "
        f"quadpack message={q.message!r}"
    )
    assert_close(
        "RP", rp, q.value, atol=slack, claim="Theorem 2 (4.2)", inputs={"case": case.to_json()}
    )


@pytest.mark.parametrize("spectrum", ["pd", "indefinite"])
@given(data=st.data())
def test_relation43_exact_on_quadratics(spectrum, data):
    """(4.3) is exact on quadratics: L(theta; eta tau grad f) does not depend on tau."""
    d = draw_quadratic(
        data,
        spectrum=spectrum,
        q_kind="range",
        regime=data.draw(st.sampled_from(["stable", "unstable"]), label="regime"),
    )
    case = d.case
    note(case.repro())
    rp = relative_progress(case.cost, case.theta_array, case.eta)
    rhs = relation43_rhs(case.cost, case.theta_array, case.eta)
    slack = rp_roundoff(case) + gradient_roundoff(case) + 1e-13
    assert_close(
        "RP", rp, rhs, atol=slack, claim="(4.3) on quadratics", inputs={"case": case.to_json()}
    )
