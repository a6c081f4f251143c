"""Proposition 1 (Section 3.1): homogeneous networks with weight decay have no stationary point.

With ``theta = [xi; zeta]`` and the data term invariant under ``zeta -> c zeta``, Euler's
relation gives ``<grad_zeta data, zeta> = 0``, hence ``<grad_zeta l, zeta> = 2 gamma
|zeta|^2`` and, by Cauchy-Schwarz, ``|grad l| >= |grad_zeta l| >= 2 gamma |zeta| > 0``.
Slack on the inner product: ``_slack.euler_roundoff`` (derived there: autograd's data
gradient is a difference of terms of the size of the normalized layer's gradient, exactly
orthogonal to ``zeta``, so its inner product is off by a few ``d eps`` times that size
however small the result). The slack is checked to be under 1e-3 of ``2 gamma |zeta|^2``,
so a wrong factor in the relation (or a missing weight-decay term) still fails.
"""

from __future__ import annotations

import numpy as np
from autograd import grad
from hypothesis import given, note
from hypothesis import strategies as st

from eos_theory.families import Case
from eos_theory.testing import assert_close, assert_leq
from property_tests._slack import euler_roundoff
from property_tests.strategies.homogeneous import draw_homogeneous


@given(data=st.data())
def test_proposition1_gradient_bounded_away_from_zero(data):
    """Proposition 1: <grad_zeta l, zeta> = 2 gamma |zeta|^2 so |grad l| >= 2 gamma |zeta|."""
    case = draw_homogeneous(data)
    note(case.repro())
    _check_proposition1(case)


def test_proposition1_on_a_one_unit_layer():
    """Proposition 1 on the case Hypothesis found against the earlier slack (which scaled
    with |grad_zeta l| = 0.0015 here): a 1 x 1 layer, whose data gradient in zeta is exactly
    zero and computed as a difference of two terms of order one (off by 8.3e-17)."""
    params = {"data_seed": 1, "gamma": 0.001, "n_inputs": 1, "n_points": 2, "width": 1}
    _check_proposition1(Case("homogeneous", params, (1.0, 0.75), 0.1, note="homogeneous"))


def _check_proposition1(case: Case) -> None:
    theta = case.theta_array
    gamma, n_xi = case.params["gamma"], case.params["width"]
    g = grad(case.cost)(theta)
    zeta, g_zeta = theta[n_xi:], g[n_xi:]
    zn = float(np.linalg.norm(zeta))
    inner = float(g_zeta @ zeta)
    tol = euler_roundoff(case)
    inputs = {"case": case.to_json()}
    assert tol < 1e-3 * 2 * gamma * zn**2, (
        f"Proposition 1: the round-off slack {tol:.3g} is not below 1e-3 of 2 gamma |zeta|^2 "
        f"= {2 * gamma * zn**2:.3g}, so this case could not show a 0.1% error; {inputs}"
    )
    assert_close(
        "<grad_zeta l, zeta>",
        inner,
        2 * gamma * zn**2,
        atol=tol,
        claim="Proposition 1 (Euler relation)",
        inputs=inputs,
    )
    assert_leq(
        "2 gamma |zeta|",
        2 * gamma * zn,
        float(np.linalg.norm(g)),
        slack=tol / zn,
        claim="Proposition 1: |grad l| >= 2 gamma |zeta|",
        inputs=inputs,
    )
