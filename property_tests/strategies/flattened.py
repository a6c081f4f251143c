r"""Flattened quadratics :math:`g(\tfrac12(\theta-c)^\top P(\theta-c))` (Example 2).

Family ``flattened`` with :math:`g \in \{\tanh, \log(1+x), x/(1+x)\}` and
:math:`P \succeq 0` positive definite with :math:`\lambda_{\max}(P) \in [0.5, 50]` and
condition number up to ``max_cond``; the center :math:`c` is in :math:`[-1, 1]^d`.

Cannot generate: indefinite or singular :math:`P` (:math:`g` is only defined for
:math:`x > -1`, and the family keeps :math:`x \ge 0`); outer functions other than the three
above; dimension above 3.
"""

from __future__ import annotations

from hypothesis import strategies as st

from eos_theory.families import OUTER
from property_tests.strategies.points import draw_point_and_step, draw_seed, draw_theta
from property_tests.strategies.quadratics import draw_spectrum


def draw_flattened(
    data: st.DataObject,
    *,
    regime: str = "stable",
    dims: tuple[int, int] = (1, 3),
    max_cond: float = 100.0,
    theta_scale: float = 2.0,
) -> object:
    """A flattened quadratic case with a point and a step size in ``regime``."""
    outer = data.draw(st.sampled_from(sorted(OUTER)), label="outer g")
    dim = data.draw(st.integers(*dims), label="dim")
    lam = draw_spectrum(data, "pd", dim, max_cond=max_cond)
    center = draw_theta(data, dim, scale=1.0, label="center")
    params = {
        "outer": outer,
        "eigenvalues": lam.tolist(),
        "rotation_seed": draw_seed(data, "rotation seed"),
        "center": center.tolist(),
    }
    return draw_point_and_step(
        data,
        "flattened",
        params,
        dim,
        regime=regime,
        theta_scale=theta_scale,
        note=f"flattened {outer}, {regime}",
    )
