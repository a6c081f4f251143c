"""Period-two orbits (Example 4, relation (4.1)): L(theta; eta grad f) = 2/eta and RP = 0.

On an orbit ``theta' = 2c - theta`` of a cost even about ``c``, ``grad f(theta') =
-grad f(theta)`` and ``f(theta') = f(theta)``, so both hold exactly. The drawn point is on
the orbit only up to round-off ``delta = theta' - (2c - theta)``; slacks are first-order in
``|delta|``: ``|L - 2/eta| <= 2 |H(theta')| |delta| / (eta |g|)`` (mean value theorem on
the gradient, factor 2 for the Hessian's change over ``delta``) plus the gradient round-off
``8 eps max(|g|, |g'|) / (eta |g|)``; ``|RP| <= 2 |g'| |delta| / (eta |g|^2)`` plus the RP
round-off of :mod:`property_tests._slack`.
"""

from __future__ import annotations

import numpy as np
from autograd import grad
from hypothesis import given, note
from hypothesis import strategies as st

from eos_theory import directional_smoothness, relative_progress
from eos_theory.sharpness import hessian_eigenvalues
from eos_theory.testing import assert_close
from property_tests._slack import EPS, rp_roundoff
from property_tests.strategies.period_two import draw_orbit


@given(data=st.data())
def test_period_two_orbit(data):
    """Example 4 / (4.1): on a period-two orbit L(theta; eta grad f) = 2/eta and RP = 0."""
    d = draw_orbit(data)
    case = d.case
    note(case.repro())
    theta, eta = case.theta_array, case.eta
    gf = grad(case.cost)
    g = gf(theta)
    nxt = theta - eta * g
    g1 = gf(nxt)
    delta = float(np.linalg.norm(nxt - (2 * d.center - theta))) + EPS * float(
        np.linalg.norm(theta) + np.linalg.norm(d.center)
    )
    gn = float(np.linalg.norm(g))
    h = float(np.abs(hessian_eigenvalues(case.cost, nxt)).max())
    slack_l = 2 * h * delta / (eta * gn) + 8 * EPS * max(gn, float(np.linalg.norm(g1))) / (eta * gn)
    slack_rp = 2 * float(np.linalg.norm(g1)) * delta / (eta * gn**2) + rp_roundoff(case)
    inputs = {"case": case.to_json(), "|delta|": delta}
    lval = directional_smoothness(case.cost, theta, eta * g)
    assert_close(
        "L(theta; eta grad f)",
        lval,
        2 / eta,
        atol=slack_l,
        claim="(4.1) / Example 4 on a period-two orbit",
        inputs=inputs,
    )
    rp = relative_progress(case.cost, theta, eta)
    assert_close("RP", rp, 0.0, atol=slack_rp, claim="RP = 0 on a period-two orbit", inputs=inputs)
