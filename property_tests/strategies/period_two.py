r"""Points on (and near) period-two orbits of GD, where theta flips about a center c.

On a cost even about a center :math:`c` along the drawn direction, a point with
:math:`\eta\nabla f(\theta) = 2(\theta - c)` flips to its mirror image, so
:math:`L(\theta; \eta\nabla f) = 2/\eta` and :math:`\mathrm{RP} = 0` exactly (Example 4,
relation (4.1)). Three constructions, each solved in closed form:

- ``quadratic``: :math:`\theta = \theta^* + s\,q_{\max}`, :math:`\eta = 2/\lambda_{\max}(P)`
  (Example 4, with :math:`\theta^* = -P^{-1}q`);
- ``radial_quartic``: :math:`f = a\|\theta\|^2 + b\|\theta\|^4` (:math:`b > 0`, :math:`a` of
  either sign: a double well when :math:`a < 0`), any direction, radius :math:`r`,
  :math:`\eta = 1/(a + 2br^2)` (needs :math:`a + 2br^2 > 0`);
- ``flattened``: :math:`g(\tfrac12(\theta-c)^\top P(\theta-c))` with
  :math:`\theta = c + s\,q_{\max}` and :math:`\eta\lambda_{\max} g'(\tfrac12\lambda_{\max}s^2)
  = 2` solved for :math:`s` (needs :math:`\eta\lambda_{\max} > 2`: the orbits of Example 2).

``offset`` > 0 moves :math:`\theta` off the orbit by a relative amount up to ``offset``
(a point near the orbit).

Cannot generate: period-two orbits of costs that are not even about a center (e.g.
generic polynomials or networks, whose orbits have no closed form), orbits of period
higher than two, and orbits that are not aligned with an eigenvector of :math:`P`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

from eos_theory.families import Case, rotation, spectral_matrix
from property_tests.strategies.points import draw_seed
from property_tests.strategies.quadratics import draw_spectrum

KINDS = ("quadratic", "radial_quartic", "flattened")


@dataclass(frozen=True)
class OrbitDraw:
    """A case on a period-two orbit; ``center`` is the mirror point :math:`c`."""

    case: Case
    center: np.ndarray
    kind: str


def _flattened_level(outer: str, ratio: float) -> float:
    """The level x with g'(x) = 1/ratio, where ratio = eta * lambda_max / 2 > 1."""
    if outer == "tanh":  # sech^2 x = 1/ratio
        return float(np.arccosh(np.sqrt(ratio)))
    if outer == "log1p":  # 1/(1+x) = 1/ratio
        return ratio - 1.0
    if outer == "rational":  # 1/(1+x)^2 = 1/ratio
        return float(np.sqrt(ratio)) - 1.0
    raise ValueError(f"unknown outer function {outer!r}")


def draw_orbit(
    data: st.DataObject, *, kinds: tuple[str, ...] = KINDS, offset: float = 0.0
) -> OrbitDraw:
    """A point on (or, with ``offset``, near) a period-two orbit, with its step size."""
    kind = data.draw(st.sampled_from(kinds), label="orbit kind")
    dim = data.draw(st.integers(1, 3), label="dim")
    rng = np.random.default_rng(draw_seed(data, "orbit seed"))
    if kind == "quadratic":
        lam = draw_spectrum(data, "pd", dim, max_cond=100.0)
        seed = int(rng.integers(2**32))
        p = spectral_matrix(lam, seed)
        q = p @ rng.uniform(-1, 1, size=dim)
        center = -np.linalg.solve(p, q)
        direction = rotation(dim, seed)[:, int(np.argmax(lam))]
        s = data.draw(st.floats(0.05, 2.0), label="orbit amplitude")
        theta = center + s * direction
        eta = 2.0 / float(lam.max())
        family, params = (
            "quadratic",
            {"eigenvalues": lam.tolist(), "rotation_seed": seed, "q": q.tolist()},
        )
    elif kind == "radial_quartic":
        a = data.draw(st.floats(-2.0, 2.0), label="a (quadratic coefficient)")
        b = data.draw(st.floats(0.1, 2.0), label="b (quartic coefficient)")
        r = data.draw(st.floats(0.2, 1.5), label="orbit radius")
        curv = a + 2.0 * b * r**2
        if curv <= 0.05:  # no orbit at this radius: move it out to where one exists
            r = float(np.sqrt((0.05 - a) / (2.0 * b)) + 0.1)
            curv = a + 2.0 * b * r**2
        u = rng.standard_normal(dim)
        direction = u / np.linalg.norm(u)
        center = np.zeros(dim)
        theta = r * direction
        eta = 1.0 / curv
        terms = []
        for j in range(dim):
            e2 = [0] * dim
            e2[j] = 2
            e4 = [0] * dim
            e4[j] = 4
            terms += [[a, e2], [b, e4]]
            for k in range(j + 1, dim):
                e22 = [0] * dim
                e22[j] = e22[k] = 2
                terms.append([2.0 * b, e22])
        family, params = "polynomial", {"terms": terms}
    else:
        outer = data.draw(st.sampled_from(["log1p", "rational", "tanh"]), label="outer g")
        lam = draw_spectrum(data, "pd", dim, max_cond=100.0)
        seed = int(rng.integers(2**32))
        center = rng.uniform(-1, 1, size=dim)
        ratio = data.draw(st.floats(1.05, 3.0), label="eta * lambda_max / 2")
        lam_max = float(lam.max())
        eta = 2.0 * ratio / lam_max
        s = float(np.sqrt(2.0 * _flattened_level(outer, ratio) / lam_max))
        direction = rotation(dim, seed)[:, int(np.argmax(lam))]
        theta = center + s * direction
        family, params = (
            "flattened",
            {
                "outer": outer,
                "eigenvalues": lam.tolist(),
                "rotation_seed": seed,
                "center": center.tolist(),
            },
        )
    if offset > 0:
        rel = data.draw(st.floats(-offset, offset), label="relative offset from orbit")
        theta = center + (1.0 + rel) * (theta - center)
    case = Case(family, params, tuple(theta), eta, note=f"period-two {kind}")
    return OrbitDraw(case, center, kind)
