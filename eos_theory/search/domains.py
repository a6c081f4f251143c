r"""The input domains of ``eos search``: Hypothesis draws and differential-evolution boxes.

Every domain holds natural costs only, bounded below and from the paper's own families
(issue 12): tanh-, log1p- and rational-flattened quadratics, small tanh/softplus networks
with square or two-class cross-entropy loss (softplus standing in for ReLU, whose kinks
Theorem 2's smooth setting excludes), finite sums of single-neuron tanh regressions, and
finite sums of convex quadratics (the noise-only SGD setting). Each ``_draw_*`` builds a
:class:`eos_theory.families.Case` from ``data.draw(strategy, label=...)`` calls
(Hypothesis is a test extra, imported inside the draws); each ``_vector_*`` maps a point
of the matching ``*_BOUNDS`` box to a case for ``scipy.optimize.differential_evolution``.
Steps are set relative to the sharpness, :math:`\eta = 2c/\lambda_{\max}`, so ``c`` is
:math:`\eta\lambda_{\max}/2`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from eos_theory.families import Case
from eos_theory.sharpness import sharpness


def _step_for(case: Case, c: float) -> float:
    r""":math:`\eta = 2c/\max(\lambda_{\max}(\theta), 0.5)`: at most :math:`4c` on flat points."""
    with np.errstate(all="ignore"):
        lam = sharpness(case.cost, case.theta_array)
    return 2.0 * float(c) / max(float(lam), 0.5)


#: The fixed small network of the differential-evolution box: 1 input, 2 tanh units, a
#: linear readout, 3 data points (seed 0), square loss: 4 parameters, bounded below by 0.
_BOX_NETWORK = {"activation": "tanh", "width": 2, "n_inputs": 1, "n_points": 3, "data_seed": 0}
#: The fixed finite sum of the differential-evolution box: single-neuron tanh regressions
#: (theta_1 tanh(<theta, x_i>) - y_i)^2 / 2 on 3 points in 2-D (seed 0), batch size 1.
_BOX_REGRESSION = {
    "kind": "tanh_regression",
    "n_points": 3,
    "dim": 2,
    "data_seed": 0,
    "batch_size": 1,
}


def _draw_single(data: Any, *, c_range: tuple[float, float] = (0.05, 3.0)) -> Case:
    """A natural single cost, bounded below: a flattened quadratic or a small network."""
    from hypothesis import strategies as st

    fl = st.floats
    family = data.draw(st.sampled_from(["flattened", "network"]), label="family")
    if family == "flattened":
        dim = data.draw(st.integers(1, 2), label="dim")
        eig = data.draw(st.lists(fl(0.1, 50), min_size=dim, max_size=dim), label="eigenvalues")
        params: dict[str, Any] = {
            "outer": data.draw(st.sampled_from(["tanh", "log1p", "rational"]), label="outer"),
            "eigenvalues": eig,
            "rotation_seed": data.draw(st.integers(0, 9), label="rotation seed"),
            "center": [0.0] * dim,
        }
    else:
        params = {
            "activation": data.draw(st.sampled_from(["tanh", "softplus"]), label="activation"),
            "width": 2,
            "n_inputs": 1,
            "n_points": 3,
            "data_seed": data.draw(st.integers(0, 9), label="data seed"),
            "loss": data.draw(st.sampled_from(["square", "logistic"]), label="loss"),
        }
        dim = 4
    theta = data.draw(st.lists(fl(-2, 2), min_size=dim, max_size=dim), label="theta")
    case = Case(family, params, theta, 1.0)
    c = data.draw(fl(*c_range), label="eta * lambda_max / 2")
    return Case(family, params, theta, _step_for(case, c), note=f"c={float(c)!r}")


def _draw_single_eos(data: Any) -> Case:
    """As :func:`_draw_single`, at the edge of stability: eta lambda_max / 2 in [0.9, 1.5]."""
    return _draw_single(data, c_range=EOS_C_RANGE)


#: eta lambda_max(theta) / 2 at the edge of stability, the setting of Section 4.4 (sharpness
#: at or slightly above 2/eta, up to the 1.5 of the experimental EoS criterion).
EOS_C_RANGE = (0.9, 1.5)


def _vector_single(x: np.ndarray) -> Case:
    """DE box for single costs: the 4 parameters of :data:`_BOX_NETWORK`, then c."""
    case = Case("network", _BOX_NETWORK, tuple(x[:4]), 1.0)
    return Case(
        "network", _BOX_NETWORK, case.theta, _step_for(case, x[4]), note=f"c={float(x[4])!r}"
    )


_SINGLE_BOUNDS = [(-2.0, 2.0)] * 4 + [(0.05, 3.0)]
_SINGLE_EOS_BOUNDS = [(-2.0, 2.0)] * 4 + [EOS_C_RANGE]


def _draw_regression(data: Any) -> Case:
    """Finite sum of 2-4 single-neuron tanh regressions in 1-2 dimensions, batch 1..n-1."""
    from hypothesis import strategies as st

    n = data.draw(st.integers(2, 4), label="examples n")
    dim = data.draw(st.integers(1, 2), label="dim")
    params = {
        "kind": "tanh_regression",
        "n_points": n,
        "dim": dim,
        "data_seed": data.draw(st.integers(0, 9), label="data seed"),
        "batch_size": data.draw(st.integers(1, n - 1), label="batch size"),
    }
    theta = data.draw(st.lists(st.floats(-2, 2), min_size=dim, max_size=dim), label="theta")
    case = Case("finite_sum", params, theta, 1.0)
    c = data.draw(st.floats(0.05, 3.0), label="eta * lambda_max / 2")
    return Case("finite_sum", params, theta, _step_for(case, c), note=f"c={float(c)!r}")


def _vector_regression(x: np.ndarray) -> Case:
    """DE box: theta of :data:`_BOX_REGRESSION` (2 parameters), then c."""
    case = Case("finite_sum", _BOX_REGRESSION, tuple(x[:2]), 1.0)
    return Case(
        "finite_sum", _BOX_REGRESSION, case.theta, _step_for(case, x[2]), note=f"c={float(x[2])!r}"
    )


_REGRESSION_BOUNDS = [(-2.0, 2.0)] * 2 + [(0.05, 3.0)]


def _noise_case(
    centers: list[list[float]], lam: list[float], offset: list[float], c: float, batch: int
) -> Case:
    """Finite sum of quadratics with one Hessian; theta = mean center + offset; stable eta."""
    params = {
        "kind": "quadratic",
        "eigenvalues": lam,
        "rotation_seed": 0,
        "centers": centers,
        "batch_size": batch,
    }
    theta = np.mean(np.asarray(centers), axis=0) + np.asarray(offset)
    return Case("finite_sum", params, theta, 2.0 * c / max(lam), note=f"c={float(c)!r}")


def _draw_noise(data: Any) -> Case:
    """Noise-only finite sums: same Hessian P for every example, different centers."""
    from hypothesis import strategies as st

    dim = data.draw(st.integers(1, 2), label="dim")
    n = data.draw(st.integers(2, 4), label="examples n")
    lam = data.draw(st.lists(st.floats(0.1, 10), min_size=dim, max_size=dim), label="eig P")
    centers = data.draw(
        st.lists(st.lists(st.floats(-1, 1), min_size=dim, max_size=dim), min_size=n, max_size=n),
        label="centers",
    )
    offset = data.draw(st.lists(st.floats(0.05, 1), min_size=dim, max_size=dim), label="offset")
    c = data.draw(st.floats(0.05, 0.95), label="eta * lambda_max / 2")
    b = data.draw(st.integers(1, n - 1), label="batch size")
    return _noise_case(centers, lam, offset, c, b)


def _vector_noise(x: np.ndarray) -> Case:
    """DE box: 1-D, two centers, lambda, offset, c; batch size 1."""
    return _noise_case([[x[0]], [x[1]]], [x[2]], [x[3]], x[4], 1)


_NOISE_BOUNDS = [(-1.0, 1.0), (-1.0, 1.0), (0.1, 10.0), (0.05, 1.0), (0.05, 0.95)]


def _draw_planted(data: Any) -> Case:
    """PD quadratics in 2-3 dimensions with eta * lambda_max / 2 in [0.5, 1.05]."""
    from hypothesis import strategies as st

    dim = data.draw(st.integers(2, 3), label="dim")
    lam = data.draw(st.lists(st.floats(0.5, 10), min_size=dim, max_size=dim), label="eig P")
    theta = data.draw(st.lists(st.floats(-2, 2), min_size=dim, max_size=dim), label="theta")
    c = data.draw(st.floats(0.5, 1.05), label="eta * lambda_max / 2")
    params = {"eigenvalues": lam, "rotation_seed": 0}
    return Case("quadratic", params, theta, 2.0 * c / max(lam), note=f"c={float(c)!r}")


#: What each draw searches, for the report of a search that finds nothing.
DOMAIN_FAMILIES: dict[str, str] = {
    "_draw_single": "tanh/log1p/rational-flattened quadratics in 1-2 dimensions and 4-parameter "
    "tanh/softplus networks with square or two-class cross-entropy loss (box: a fixed tanh "
    "network, square loss)",
    "_draw_single_eos": "the families of _draw_single at the edge of stability, "
    "eta lambda_max/2 in [0.9, 1.5]",
    "_draw_regression": "finite sums of 2-4 single-neuron tanh regressions in 1-2 dimensions "
    "(box: a fixed sum of 3)",
    "_draw_noise": "finite sums of 2-4 convex quadratics with one Hessian, at stable steps",
    "_draw_planted": "positive definite quadratics in 2-3 dimensions",
}
