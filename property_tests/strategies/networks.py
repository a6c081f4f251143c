r"""Small smooth two-layer networks on a few random data points (family ``network``).

:math:`f(\theta) = \frac1n\sum_i \tfrac12(w^\top\sigma(Wx_i) - y_i)^2` with
:math:`\sigma \in \{\tanh, \mathrm{softplus}\}`, width 1..3, 1..2 inputs, 2..4 points, data
:math:`x_i, y_i \sim N(0, 1)` from a drawn seed, :math:`\theta = [\mathrm{vec}\,W; w]`.

Cannot generate: ReLU or other non-smooth activations (the identities need
:math:`C^2`); biases; more than one hidden layer; width above 3 or more than 4 points;
cross-entropy losses; weights outside ``[-theta_scale, theta_scale]``.
"""

from __future__ import annotations

from hypothesis import strategies as st

from eos_theory.families import Case
from property_tests.strategies.points import draw_point_and_step, draw_seed


def draw_network(data: st.DataObject, *, regime: str = "stable", theta_scale: float = 1.5) -> Case:
    """A tiny smooth network cost with a point and a step size in ``regime``."""
    params = {
        "activation": data.draw(st.sampled_from(["tanh", "softplus"]), label="activation"),
        "width": data.draw(st.integers(1, 3), label="width"),
        "n_inputs": data.draw(st.integers(1, 2), label="inputs"),
        "n_points": data.draw(st.integers(2, 4), label="data points"),
        "data_seed": draw_seed(data, "data seed"),
    }
    dim = params["width"] * (params["n_inputs"] + 1)
    return draw_point_and_step(
        data,
        "network",
        params,
        dim,
        regime=regime,
        theta_scale=theta_scale,
        note=f"network {params['activation']}, {regime}",
    )
