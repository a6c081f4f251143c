r"""Finite sums :math:`f = \frac1n\sum_i f_i` for SGD (Section 5, Appendix A).

Family ``finite_sum`` with two kinds:

- ``quadratic``: :math:`f_i = \tfrac{a_i}2(\theta - c_i)^\top P(\theta - c_i)` with a shared
  positive definite :math:`P` (spectrum as in :mod:`.quadratics`), centers
  :math:`c_i \in [-1, 1]^d` and scales :math:`a_i \in [0.5, 2]`;
- ``tanh_regression``: :math:`f_i = \tfrac12(\tanh(\theta^\top x_i)\theta_1 - y_i)^2 +
  \mathrm{wd}\|\theta\|^2` with seeded Gaussian data.

:math:`n \in [2, 5]` and the batch size :math:`b \in [1, n]`, so the expectation over all
:math:`\binom{n}{b}` minibatches is exact. The regime is relative to the sharpness of the
mean cost at :math:`\theta`.

Cannot generate: more than 5 examples; sampling with replacement or non-uniform
sampling; per-example Hessians that are not multiples of one matrix (``quadratic`` kind);
non-smooth losses.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from eos_theory.families import Case
from property_tests.strategies.points import draw_point_and_step, draw_seed
from property_tests.strategies.quadratics import draw_spectrum


def draw_finite_sum(
    data: st.DataObject,
    *,
    regime: str = "stable",
    kinds: tuple[str, ...] = ("quadratic", "tanh_regression"),
) -> Case:
    """A finite-sum case; ``case.params['batch_size']`` is the minibatch size."""
    kind = data.draw(st.sampled_from(kinds), label="kind")
    n = data.draw(st.integers(2, 5), label="examples n")
    batch = data.draw(st.integers(1, n), label="batch size")
    dim = data.draw(st.integers(1, 3), label="dim")
    rng = np.random.default_rng(draw_seed(data, "finite-sum seed"))
    if kind == "quadratic":
        lam = draw_spectrum(data, "pd", dim, max_cond=100.0)
        params = {
            "kind": kind,
            "eigenvalues": lam.tolist(),
            "rotation_seed": int(rng.integers(2**32)),
            "centers": rng.uniform(-1, 1, size=(n, dim)).tolist(),
            "scales": rng.uniform(0.5, 2.0, size=n).tolist(),
        }
    else:
        params = {
            "kind": kind,
            "n_points": n,
            "dim": dim,
            "data_seed": int(rng.integers(2**32)),
            "weight_decay": float(rng.uniform(0.0, 0.2)),
        }
    params["batch_size"] = batch
    return draw_point_and_step(
        data, "finite_sum", params, dim, regime=regime, note=f"finite sum {kind}, b={batch}"
    )
