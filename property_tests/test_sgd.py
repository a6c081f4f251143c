"""SGD (Section 5, Appendix A): the exact identity for E[RP], and E[g] = grad f.

Expectations are exact: all C(n, b) minibatches are enumerated. Slack of the identity:
``8 eps`` times the loss-summand scale of :mod:`property_tests._slack`, taken at theta and
the worst minibatch step, over ``eta |grad f|^2``, plus ``2 abserr`` (QUADPACK's estimate)
plus ``1e-13`` (the requested absolute accuracy). Slack of ``E[g] = grad f``:
``4 (n + C(n, b) + b) eps max_i |grad f_i|`` (the sums of per-example gradients behind
each side, each with at most that many additions).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from autograd import grad
from hypothesis import given, note
from hypothesis import strategies as st

from eos_theory import expected_relative_progress, minibatch_gradients, sgd_identity_quadrature
from eos_theory.testing import assert_close
from property_tests._slack import EPS
from property_tests.strategies.finite_sums import draw_finite_sum


@pytest.mark.slow  # a long property test (docs/testing.md)
@pytest.mark.parametrize("regime", ["stable", "unstable"])
@given(data=st.data())
def test_sgd_identity(regime, data):
    """SGD identity (Section 5, Appendix A): E[RP] equals its tau-integral form exactly."""
    case = draw_finite_sum(data, regime=regime)
    note(case.repro())
    fs, theta, eta, b = case.costs(), case.theta_array, case.eta, case.params["batch_size"]
    lhs = expected_relative_progress(fs, theta, eta, b)
    q = sgd_identity_quadrature(fs, theta, eta, b)
    gf = grad(case.cost)
    full = gf(theta)
    points = [theta] + [theta - eta * g for g in minibatch_gradients(fs, theta, b)]
    scale = abs(float(case.cost(theta))) + float(np.linalg.norm(theta) * np.linalg.norm(full))
    scale += max(
        abs(float(case.cost(x))) + float(np.linalg.norm(x) * np.linalg.norm(gf(x))) for x in points
    )
    slack = 8 * EPS * scale / (eta * float(full @ full)) + 2 * q.abserr + 1e-13
    assert_close(
        "E[RP]",
        lhs,
        q.value,
        atol=slack,
        claim="SGD identity (Section 5, Appendix A)",
        inputs={"case": case.to_json()},
    )


@given(data=st.data())
def test_minibatch_gradient_unbiased(data):
    """Section 5: E[g] = grad f under uniform minibatch sampling without replacement."""
    case = draw_finite_sum(data, regime="stable")
    fs, theta, b = case.costs(), case.theta_array, case.params["batch_size"]
    gs = minibatch_gradients(fs, theta, b)
    per_example = np.array([grad(fi)(theta) for fi in fs])
    n = len(fs)
    slack = 4 * (n + math.comb(n, b) + b) * EPS * float(np.abs(per_example).max())
    assert_close(
        "E[g]",
        gs.mean(axis=0),
        grad(case.cost)(theta),
        atol=slack,
        claim="E[g] = grad f (Section 5)",
        inputs={"case": case.to_json()},
    )
