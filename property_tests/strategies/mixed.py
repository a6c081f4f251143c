r"""Draw a case from any single-cost family (quadratic, polynomial, flattened, network).

Cannot generate: what the individual families cannot (see their modules); finite sums
(use :mod:`.finite_sums`) and homogeneous networks (use :mod:`.homogeneous`), which need
their own checks.
"""

from __future__ import annotations

from hypothesis import strategies as st

from eos_theory.families import Case
from property_tests.strategies.flattened import draw_flattened
from property_tests.strategies.networks import draw_network
from property_tests.strategies.polynomials import draw_polynomial
from property_tests.strategies.quadratics import draw_quadratic

FAMILIES = ("quadratic", "polynomial", "flattened", "network")


def draw_any(data: st.DataObject, *, regime: str, families: tuple[str, ...] = FAMILIES) -> Case:
    """A case of a drawn family with a step size in ``regime``."""
    family = data.draw(st.sampled_from(families), label="family")
    if family == "quadratic":
        spectrum = data.draw(st.sampled_from(["pd", "indefinite"]), label="spectrum")
        return draw_quadratic(data, spectrum=spectrum, q_kind="range", regime=regime).case
    if family == "polynomial":
        return draw_polynomial(data, regime=regime)
    if family == "flattened":
        return draw_flattened(data, regime=regime)
    return draw_network(data, regime=regime)
