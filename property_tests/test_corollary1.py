"""Corollary 1 (Section 4.4): (2/eta)(RP(theta) + 1) <= L_t on random costs.

``L_t`` is :func:`eos_theory.segment_sharpness` with a 17-point grid and 3 Brent
refinements: a lower estimate of the supremum, so a pass is conclusive and a failure
would need a finer grid to be confirmed (the failure message prints the case to rerun).
Slack: ``(2/eta)`` times the RP round-off (:mod:`property_tests._slack`) plus
``1e-9 |L_t|`` for the eigensolver and Brent's tolerance in ``s``.
"""

from __future__ import annotations

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from eos_theory import relative_progress, segment_sharpness
from eos_theory.testing import assert_leq
from property_tests._slack import rp_roundoff
from property_tests.strategies.mixed import draw_any


@pytest.mark.slow  # a long property test (docs/testing.md)
@pytest.mark.parametrize("regime", ["stable", "unstable"])
@given(data=st.data())
def test_corollary1(regime, data):
    """Corollary 1: (2/eta)(RP + 1) <= L_t = max sharpness on [theta^t, theta^{t+1}]."""
    case = draw_any(data, regime=regime)
    note(case.repro())
    theta, eta = case.theta_array, case.eta
    lhs = 2 / eta * (relative_progress(case.cost, theta, eta) + 1)
    lt = segment_sharpness(case.cost, theta, eta, grid=17)
    slack = 2 / eta * rp_roundoff(case) + 1e-9 * abs(lt)
    note(f"(2/eta)(RP+1)={lhs!r}, L_t={lt!r}, slack={slack:.3g}")
    assert_leq(
        "(2/eta)(RP+1)", lhs, lt, slack=slack, claim="Corollary 1", inputs={"case": case.to_json()}
    )
