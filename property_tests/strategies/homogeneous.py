r"""Positively homogeneous (normalized) networks with weight decay (Proposition 1).

Family ``homogeneous``: :math:`\ell(\theta) = \frac1n\sum_i\tfrac12(\xi^\top\tanh(Zx_i/
\|Z\|_F) - y_i)^2 + \gamma\|\theta\|^2`, :math:`\theta = [\xi; \zeta]`,
:math:`\zeta = \mathrm{vec}\,Z`; the data term is invariant under :math:`\zeta \mapsto c\zeta`
for :math:`c > 0` (degree-0 homogeneity, the normalization layer of Section 3.1).
:math:`\gamma` is log-uniform in ``[1e-4, 1]``, and :math:`\|\zeta\|` is at least
``min_zeta`` (default 0.05).

Cannot generate: :math:`\gamma = 0` (no weight decay); :math:`\zeta = 0` or
:math:`\|\zeta\| <` ``min_zeta`` (the loss is undefined at :math:`\zeta = 0`); the
:math:`\epsilon`-regularised normalization :math:`a/(\epsilon + \|a\|)`; homogeneity of
nonzero degree; deeper networks.
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from eos_theory.families import Case, homogeneous_split
from property_tests.strategies.points import draw_seed, draw_theta


def draw_homogeneous(
    data: st.DataObject, *, theta_scale: float = 2.0, min_zeta: float = 0.05
) -> Case:
    r"""A normalized network with weight decay and a point with :math:`\zeta \ne 0`."""
    params = {
        "gamma": float(10.0 ** data.draw(st.floats(-4.0, 0.0), label="log10 gamma")),
        "width": data.draw(st.integers(1, 3), label="width"),
        "n_inputs": data.draw(st.integers(1, 3), label="inputs"),
        "n_points": data.draw(st.integers(2, 4), label="data points"),
        "data_seed": draw_seed(data, "data seed"),
    }
    n_xi, n_zeta = homogeneous_split(params)
    theta = draw_theta(data, n_xi + n_zeta, scale=theta_scale)
    assume(float(np.linalg.norm(theta[n_xi:])) >= min_zeta)
    return Case("homogeneous", params, tuple(theta), 0.1, note="homogeneous")
