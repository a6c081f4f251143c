"""Descent lemma (1.1) in RP form (Section 4.1.1) on L-smooth quadratics.

For a quadratic, ``RP = -1 + (eta/2) g^T P g / |g|^2`` and ``|g^T P g| <= L |g|^2`` with
``L = max |lambda_i(P)|``, so ``RP <= -1 + eta L / 2``; in the stable regime
``eta < 2 / L`` this gives ``RP < 0``. Slack: the RP round-off of
:mod:`property_tests._slack`.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from eos_theory import relative_progress
from eos_theory.testing import assert_leq
from property_tests._slack import rp_roundoff
from property_tests.strategies.quadratics import draw_quadratic


@pytest.mark.parametrize("spectrum", ["pd", "indefinite", "singular"])
@given(data=st.data())
def test_descent_lemma_quadratic(spectrum, data):
    """Descent lemma (1.1): RP <= -1 + eta L / 2 for an L-smooth quadratic, L = max|lambda|."""
    regime = data.draw(st.sampled_from(["stable", "unstable", "edge"]), label="regime")
    d = draw_quadratic(data, spectrum=spectrum, q_kind="range", regime=regime)
    case = d.case
    note(case.repro())
    g = d.p @ case.theta_array + d.q
    if not float(g @ g) > 0:  # at a stationary point RP is 0/0: nothing to check
        return
    big_l = float(np.abs(d.eigenvalues).max())
    rp = relative_progress(case.cost, case.theta_array, case.eta)
    assert_leq(
        "RP",
        rp,
        -1 + case.eta * big_l / 2,
        slack=rp_roundoff(case),
        claim="descent lemma (1.1), Section 4.1.1",
        inputs={"case": case.to_json()},
    )


@given(data=st.data())
def test_rp_negative_in_stable_regime(data):
    """Section 4.1.1: in the stable regime eta < 2/L, RP < 0 (at most -1 + eta L/2 < 0)."""
    spectrum = data.draw(st.sampled_from(["pd", "indefinite", "singular"]), label="spectrum")
    d = draw_quadratic(data, spectrum=spectrum, q_kind="range", regime="stable")
    case = d.case
    note(case.repro())
    g = d.p @ case.theta_array + d.q
    if not float(g @ g) > 0:
        return
    big_l = float(np.abs(d.eigenvalues).max())
    rp = relative_progress(case.cost, case.theta_array, case.eta)
    # the bound -1 + eta L/2 <= -0.025 (eta L/2 <= 0.95 by the strategy) leaves a margin
    assert_leq(
        "RP",
        rp,
        min(0.0, -1 + case.eta * big_l / 2),
        slack=rp_roundoff(case),
        claim="RP < 0 in the stable regime (Section 4.1.1)",
        inputs={"case": case.to_json()},
    )
    assert rp < 0
