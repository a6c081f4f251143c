"""The catalog of searchable claims: :class:`SearchClaim`, :data:`SEARCHES` and :func:`measure`.

Each entry ties a claim of the paper (id, location, statement, margin formula) to its
margin function (:mod:`eos_theory.search.margins`) and its domains
(:mod:`eos_theory.search.domains`). The planted false claim ``planted-rp-negative`` tests
the search itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from eos_theory.families import Case
from eos_theory.search.domains import (
    _NOISE_BOUNDS,
    _REGRESSION_BOUNDS,
    _SINGLE_BOUNDS,
    _SINGLE_EOS_BOUNDS,
    DOMAIN_FAMILIES,
    _draw_noise,
    _draw_planted,
    _draw_regression,
    _draw_single,
    _draw_single_eos,
    _vector_noise,
    _vector_regression,
    _vector_single,
)
from eos_theory.search.margins import (
    APPROX_THRESHOLD,
    RP_ZERO_THRESHOLD,
    measure_edge,
    measure_erp_unstable,
    measure_planted,
    measure_relation43,
    measure_relation51,
    measure_section44,
)


@dataclass(frozen=True)
class SearchClaim:
    """A searchable approximate claim: its statement, margin, domains and threshold text."""

    id: str
    location: str
    statement: str
    margin_text: str
    measure: Callable[[Case], dict[str, float]]
    draw: Callable[[Any], Case]
    vector: Callable[[np.ndarray], Case] | None = None
    bounds: list[tuple[float, float]] = field(default_factory=list)
    planted: bool = False

    @property
    def families(self) -> str:
        """The cost families the search draws from (all bounded below)."""
        return DOMAIN_FAMILIES[self.draw.__name__]


SEARCHES: dict[str, SearchClaim] = {
    c.id: c
    for c in (
        SearchClaim(
            "relation43",
            "Section 4.3, relation (4.3)",
            "RP(theta) ~ -1 + (eta/2) L(theta; eta grad f(theta))",
            f"|RP - rhs(4.3)| / max(1, |RP|, |rhs|) - {APPROX_THRESHOLD}",
            measure_relation43,
            _draw_single,
            _vector_single,
            _SINGLE_BOUNDS,
        ),
        SearchClaim(
            "relation51",
            "Section 5, relation (5.1)",
            "E[RP] ~ -1 + (eta/2) E[|g|^2 L(theta; eta g) / |grad f|^2]",
            f"|E[RP] - rhs(5.1)| / max(1, |E[RP]|, |rhs|) - {APPROX_THRESHOLD}",
            measure_relation51,
            _draw_regression,
            _vector_regression,
            _REGRESSION_BOUNDS,
        ),
        SearchClaim(
            "section44-pointwise",
            "Section 4.4, the step (2/eta)(RP+1) ~ lim_{tau->0} L(theta; eta tau grad f) "
            "<= lambda_max (club)",
            "(2/eta)(RP(theta) + 1) <= lambda_max(Hessian at theta), Corollary 1 read at the "
            "current point",
            "(RP + 1 - eta lambda_max/2) / max(1, |RP + 1|, eta lambda_max/2) - "
            f"{APPROX_THRESHOLD}",
            measure_section44,
            _draw_single_eos,
            _vector_single,
            _SINGLE_EOS_BOUNDS,
        ),
        SearchClaim(
            "edge-implies-rp0",
            "Section 4.3 (after Theorem 2) and Takeaway 3",
            "L(theta; eta grad f) ~ 2/eta implies RP(theta) ~ 0",
            f"|RP| / max(1, |RP|) - {RP_ZERO_THRESHOLD} at the step eta* with "
            "eta* L(theta; eta* grad f) = 2",
            measure_edge,
            _draw_single,
            _vector_single,
            _SINGLE_BOUNDS,
        ),
        SearchClaim(
            "erp-implies-unstable",
            "Section 5, Experiment 7 and Remark 7",
            "E[RP] >= 0 suggests SGD is in the unstable regime",
            "min(E[RP], 1 - eta lambda_max/2): positive when E[RP] > 0 with lambda_max < 2/eta",
            measure_erp_unstable,
            _draw_noise,
            _vector_noise,
            _NOISE_BOUNDS,
        ),
        SearchClaim(
            "planted-rp-negative",
            "none (planted false claim, for testing the search)",
            "RP < 0 on positive definite quadratics whenever eta lambda_max < 2.1",
            "RP",
            measure_planted,
            _draw_planted,
            planted=True,
        ),
    )
}


def measure(claim_id: str, case: Case) -> dict[str, float]:
    """The measured quantities and ``margin`` of ``case`` for the search ``claim_id``."""
    if claim_id not in SEARCHES:
        raise ValueError(f"unknown claim {claim_id!r}; known: {', '.join(SEARCHES)}")
    return SEARCHES[claim_id].measure(case)
