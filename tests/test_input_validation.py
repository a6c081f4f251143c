"""Bad input raises ``ValueError`` naming the argument and the reason, never a silent NaN.

The quantities of Definitions 1-3 divide by the gradient norm and are undefined (0/0) at a
stationary point; step sizes must be finite and positive; points finite 1-D arrays.
"""

from __future__ import annotations

import autograd.numpy as anp
import numpy as np
import pytest

from eos_theory import (
    directional_smoothness,
    expected_relative_progress,
    relation43_rhs,
    relation51_rhs,
    relative_progress,
    run_gd,
    segment_sharpness,
    sgd_identity_rhs,
    sharpness,
    theorem2_rhs,
)


def quad(th):
    return anp.sum(th**2)


FS = [lambda th: th[0] ** 2, lambda th: (th[0] - 1) ** 2, lambda th: 3 * th[0] ** 2]
GD_FUNCS = [relative_progress, theorem2_rhs, relation43_rhs, segment_sharpness]


@pytest.mark.parametrize("fn", GD_FUNCS, ids=lambda fn: fn.__name__)
@pytest.mark.parametrize(
    ("eta", "match"),
    [
        (0.0, "eta must be finite and > 0"),
        (-0.1, "eta must be finite and > 0"),
        (np.nan, "eta must be finite and > 0"),
        (np.inf, "eta must be finite and > 0"),
        ("big", "eta must be a real number"),
    ],
)
def test_bad_step_size(fn, eta, match):
    """eta <= 0, NaN, inf or not a number is rejected by every GD quantity."""
    with pytest.raises(ValueError, match=match):
        fn(quad, [1.0, 2.0], eta)


@pytest.mark.parametrize("fn", GD_FUNCS, ids=lambda fn: fn.__name__)
@pytest.mark.parametrize(
    ("theta", "match"),
    [
        ([np.nan, 1.0], "theta must be finite"),
        ([[1.0, 2.0]], "non-empty 1-D"),
        ([], "non-empty 1-D"),
        (["a", 1.0], "theta must be a 1-D array of real numbers"),
    ],
)
def test_bad_theta(fn, theta, match):
    """theta must be a finite, non-empty 1-D array of reals."""
    with pytest.raises(ValueError, match=match):
        fn(quad, theta, 0.1)


@pytest.mark.parametrize(
    "fn", [relative_progress, theorem2_rhs, relation43_rhs], ids=lambda fn: fn.__name__
)
def test_zero_gradient_is_rejected(fn):
    """RP and the Theorem 2 / (4.3) right-hand sides are 0/0 at a stationary point."""
    with pytest.raises(ValueError, match="gradient of f is zero"):
        fn(quad, [0.0, 0.0], 0.1)


def test_non_scalar_or_non_finite_cost():
    """f must return a finite scalar at theta, and at the next iterate for RP."""
    with pytest.raises(ValueError, match="must return a scalar"):
        relative_progress(lambda th: th**2, [1.0, 2.0], 0.1)
    with pytest.raises(ValueError, match="f is not finite"):
        relative_progress(lambda th: anp.log(th[0]), [0.0], 0.1)
    with pytest.raises(ValueError, match="next iterate"):
        relative_progress(lambda th: anp.log(th[0]), [1.0], 2.0)  # theta' = 1 - 2 = -1
    with pytest.raises(ValueError, match="f must be callable"):
        sharpness(3.0, [1.0])


def test_directional_smoothness_bad_direction():
    """Definition 2 needs v != 0 of the same shape as theta."""
    with pytest.raises(ValueError, match="update vector v is zero"):
        directional_smoothness(quad, [1.0, 2.0], [0.0, 0.0])
    with pytest.raises(ValueError, match="shape of theta"):
        directional_smoothness(quad, [1.0, 2.0], [1.0])


@pytest.mark.parametrize(
    "fn", [expected_relative_progress, sgd_identity_rhs, relation51_rhs], ids=lambda fn: fn.__name__
)
@pytest.mark.parametrize(
    ("b", "match"), [(0, "1..len"), (4, "1..len"), (1.5, "integer"), (True, "integer")]
)
def test_bad_batch_size(fn, b, match):
    """batch_size must be an integer in 1..len(fs) (sampling without replacement)."""
    with pytest.raises(ValueError, match=match):
        fn(FS, [0.5], 0.1, b)


def test_bad_costs_and_zero_full_gradient():
    """fs must be a non-empty sequence of callables; the full gradient must not vanish."""
    with pytest.raises(ValueError, match="at least one"):
        expected_relative_progress([], [0.5], 0.1, 1)
    with pytest.raises(ValueError, match=r"fs\[1\] must be callable"):
        expected_relative_progress([quad, 2], [0.5], 0.1, 1)
    with pytest.raises(ValueError, match="full gradient is zero"):
        # f = mean of x^2 and (x-1)^2 is stationary at x = 1/2
        expected_relative_progress(FS[:2], [0.5], 0.1, 1)


def test_run_gd_options():
    """run_gd rejects negative steps or intervals, and non-positive tolerances."""
    with pytest.raises(ValueError, match="steps"):
        run_gd(quad, [1.0], 0.1, -1)
    with pytest.raises(ValueError, match="sharpness_every"):
        run_gd(quad, [1.0], 0.1, 10, sharpness_every=-2)
    with pytest.raises(ValueError, match="gtol"):
        run_gd(quad, [1.0], 0.1, 10, gtol=0.0)
    with pytest.raises(ValueError, match="theta0"):
        run_gd(quad, [np.inf], 0.1, 10)
