"""Proposition 1 (Section 3.1): homogeneous networks with weight decay have no stationary point.

With ``theta = [xi; zeta]`` and the data term invariant under ``zeta -> c zeta``, Euler's
relation gives ``<grad_zeta data, zeta> = 0``, hence ``<grad_zeta l, zeta> = 2 gamma
|zeta|^2`` and, by Cauchy-Schwarz, ``|grad l| >= |grad_zeta l| >= 2 gamma |zeta| > 0``.
Slack on the inner product: ``64 d eps (|grad_zeta l| |zeta| + 2 gamma |zeta|^2)`` (a
d-term dot product of autograd's gradient, each entry exact to a few eps).
"""

from __future__ import annotations

import numpy as np
from autograd import grad
from hypothesis import given, note
from hypothesis import strategies as st

from eos_theory.testing import assert_close, assert_leq
from property_tests._slack import EPS
from property_tests.strategies.homogeneous import draw_homogeneous


@given(data=st.data())
def test_proposition1_gradient_bounded_away_from_zero(data):
    """Proposition 1: <grad_zeta l, zeta> = 2 gamma |zeta|^2 so |grad l| >= 2 gamma |zeta|."""
    case = draw_homogeneous(data)
    note(case.repro())
    theta = case.theta_array
    gamma, n_xi = case.params["gamma"], case.params["width"]
    g = grad(case.cost)(theta)
    zeta, g_zeta = theta[n_xi:], g[n_xi:]
    zn = float(np.linalg.norm(zeta))
    inner = float(g_zeta @ zeta)
    tol = 64 * theta.size * EPS * (float(np.linalg.norm(g_zeta)) * zn + 2 * gamma * zn**2)
    inputs = {"case": case.to_json()}
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
