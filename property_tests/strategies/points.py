r"""Labelled draws of points :math:`\theta`, step sizes :math:`\eta` and seeds.

Regimes are relative to the sharpness :math:`\lambda = \lambda_{\max}(\nabla^2 f(\theta))`
at the drawn point (Section 2, Theorem 1): ``stable`` draws :math:`\eta = c\cdot 2/\lambda`
with :math:`c \in [0.05, 0.95]`, ``unstable`` with :math:`c \in [1.05, 3]`, ``edge`` puts
:math:`c = 1` exactly (as far as float division allows), ``near_edge`` draws
:math:`c \in [1 - 10^{-3}, 1 + 10^{-3}]`. Every draw goes through ``data.draw(...,
label=...)`` so a failing example prints each value with its name.

Cannot generate: step sizes with :math:`c` in the gaps :math:`(0.95, 1.05)` outside
``near_edge``, or above 3 times the threshold; points with a coordinate beyond the
``scale`` passed in; step sizes for points where :math:`\lambda \le 0` other than the
fixed log-uniform range :math:`[10^{-3}, 1]`; steps (from :func:`draw_point_and_step`)
whose next iterate's cost overflows float64; any randomness not derived from Hypothesis
draws (numpy generators are seeded with drawn integers).
"""

from __future__ import annotations

import numpy as np
from autograd import grad
from hypothesis import assume
from hypothesis import strategies as st

from eos_theory.families import Case
from eos_theory.sharpness import sharpness

#: Multipliers c of the threshold 2/lambda per regime: (low, high).
REGIMES: dict[str, tuple[float, float]] = {
    "stable": (0.05, 0.95),
    "unstable": (1.05, 3.0),
    "edge": (1.0, 1.0),
    "near_edge": (1.0 - 1e-3, 1.0 + 1e-3),
}


def draw_seed(data: st.DataObject, label: str) -> int:
    """A seed for ``numpy.random.default_rng``, drawn (and printed) by Hypothesis."""
    return data.draw(st.integers(0, 2**32 - 1), label=label)


def draw_rng(data: st.DataObject, label: str) -> np.random.Generator:
    """A numpy generator seeded with a labelled Hypothesis draw (no unseeded randomness)."""
    return np.random.default_rng(draw_seed(data, label))


def draw_regime(data: st.DataObject, regimes: tuple[str, ...] = ("stable", "unstable")) -> str:
    """One of ``regimes``, labelled ``regime``."""
    return data.draw(st.sampled_from(regimes), label="regime")


def draw_eta(data: st.DataObject, lam_max: float, regime: str, *, label: str = "eta") -> float:
    r"""A step size in ``regime`` relative to the threshold :math:`2/\lambda_{\max}`.

    ``lam_max`` is :math:`\lambda_{\max}` at the point; when it is not positive there is no
    threshold and :math:`\eta` is log-uniform in :math:`[10^{-3}, 1]`.
    """
    if lam_max <= 0:
        log_eta = data.draw(st.floats(-3.0, 0.0), label=f"log10 {label} (no threshold)")
        return float(10.0**log_eta)
    low, high = REGIMES[regime]
    c = 1.0 if low == high else data.draw(st.floats(low, high), label=f"{label} * lam_max / 2")
    return 2.0 * c / lam_max


def draw_theta(
    data: st.DataObject, dim: int, *, scale: float = 2.0, label: str = "theta"
) -> np.ndarray:
    r"""A point :math:`\theta \in [-\mathrm{scale}, \mathrm{scale}]^{\mathrm{dim}}`."""
    values = data.draw(
        st.lists(
            st.floats(-scale, scale, allow_nan=False, allow_subnormal=False),
            min_size=dim,
            max_size=dim,
        ),
        label=label,
    )
    return np.array(values, dtype=np.float64)


def draw_point_and_step(
    data: st.DataObject,
    family: str,
    params: dict,
    dim: int,
    *,
    regime: str,
    theta_scale: float = 2.0,
    note: str = "",
) -> Case:
    r"""Finish a case: draw :math:`\theta`, then :math:`\eta` in ``regime`` at that point.

    The threshold is :math:`2/\lambda_{\max}(\nabla^2 f(\theta))` at the drawn point (dense
    autograd Hessian). Points where the gradient is zero are rejected (``assume``): RP and
    :math:`L` are 0/0 there. So are steps whose next iterate has a cost beyond float64's
    range: near a point where :math:`\lambda_{\max}` vanishes (:math:`\theta = 2.6\times
    10^{-100}` on :math:`-0.056\,\theta + \theta^4`, :math:`\lambda_{\max} \approx
    10^{-199}`) a "stable" :math:`\eta \approx 10^{198}` sends the iterate to
    :math:`10^{196}`, where no identity can be evaluated in floats.
    """
    theta = draw_theta(data, dim, scale=theta_scale)
    case = Case(family, params, tuple(theta), 1.0)
    g = grad(case.cost)(theta)
    assume(bool(np.all(np.isfinite(g))) and float(g @ g) > 1e-12)
    lam = sharpness(case.cost, theta)
    eta = draw_eta(data, lam, regime)
    with np.errstate(all="ignore"):
        assume(bool(np.isfinite(case.cost(theta - eta * g))))
    return Case(family, params, tuple(theta), eta, note=note or regime)
