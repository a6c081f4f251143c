r"""Random polynomials of total degree at most 4 (family ``polynomial``).

:math:`f(\theta) = \sum_k c_k \prod_j \theta_j^{e_{kj}}` in ``dim`` in ``[1, 3]`` variables:
every monomial of degree 1..4 is present with probability ``density`` (seeded), with
coefficients uniform in ``[-coef, coef]``; a positive quartic
:math:`\mathrm{quartic}\cdot\sum_j\theta_j^4` can be added so that :math:`f` is coercive.

Cannot generate: degree above 4; more than 3 variables; a constant term (it cancels in
every quantity checked); coefficients beyond ``coef``; exactly sparse structures other
than by the random density (e.g. a pure quartic with nothing else only when all other
monomials are dropped).
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import strategies as st

from eos_theory.families import Case
from property_tests.strategies.points import draw_point_and_step, draw_seed


def monomials(dim: int, max_degree: int = 4) -> list[tuple[int, ...]]:
    """All exponent tuples of total degree ``1..max_degree`` in ``dim`` variables."""
    return [
        e for e in itertools.product(range(max_degree + 1), repeat=dim) if 1 <= sum(e) <= max_degree
    ]


def draw_polynomial(
    data: st.DataObject,
    *,
    regime: str = "stable",
    dims: tuple[int, int] = (1, 3),
    coef: float = 1.0,
    theta_scale: float = 1.5,
) -> Case:
    """A random polynomial cost with a point and a step size in ``regime``."""
    dim = data.draw(st.integers(*dims), label="dim")
    density = data.draw(st.floats(0.2, 1.0), label="density")
    coercive = data.draw(st.booleans(), label="add positive quartic")
    rng = np.random.default_rng(draw_seed(data, "coefficient seed"))
    terms = [
        [float(rng.uniform(-coef, coef)), list(e)]
        for e in monomials(dim)
        if rng.uniform() < density
    ]
    if coercive:
        for j in range(dim):
            terms.append([coef, [4 if i == j else 0 for i in range(dim)]])
    if not terms:
        terms = [[coef, [2] + [0] * (dim - 1)]]
    return draw_point_and_step(
        data,
        "polynomial",
        {"terms": terms},
        dim,
        regime=regime,
        theta_scale=theta_scale,
        note=f"polynomial, {regime}",
    )
