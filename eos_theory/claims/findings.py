r"""Counterexamples to the paper's approximate claims, found by ``eos search`` and pinned here.

Each entry of :data:`PINNED` is the worst case that ``eos search CLAIM --seed S --budget B``
printed (JSON copied verbatim from its output, with the margin it reported). The check of
each finding recomputes the quantities from the pinned parameters with
:func:`eos_theory.search.measure` (no search at verify time) and reports them with status
``finding`` while the margin is still positive; if a change to the diagnostics makes the
case stop being a counterexample, the status becomes ``fails`` and ``eos verify`` shows it.
``property_tests/test_regressions.py`` pins the same cases with ``@example``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from eos_theory.families import Case
from eos_theory.registry import Verdict, claim


@dataclass(frozen=True)
class Pinned:
    """A counterexample found by a search: where it came from and what it measured."""

    claim: str
    seed: int
    budget: str
    margin: float
    case_json: str

    @property
    def command(self) -> str:
        """The command that found it."""
        return f"eos search {self.claim} --seed {self.seed} --budget {self.budget}"

    def case(self) -> Case:
        """The pinned case, rebuilt."""
        return Case.from_dict(json.loads(self.case_json))


#: Pinned counterexamples by search claim id: the shrunk case of ``eos search CLAIM --seed 0
#: --budget 300 --json`` (the worst case when shrinking found nothing), JSON copied verbatim.
PINNED: dict[str, Pinned] = {
    p.claim: p
    for p in (
        Pinned(
            claim="relation43",
            seed=0,
            budget="300",
            margin=1.499999992363069,
            case_json=(
                '{"eta": 1.3252793499317366, "family": "polynomial", "note": "c=0.3313198'
                '3748293414", "params": {"terms": [[1.5655423483537059, [1]], [0.73975519'
                "76814407, [2]], [-1.5823637730872642, [3]], [0.07241051706003512, [4]]]}"
                ', "theta": [1.9956870734945857]}'
            ),
        ),
        Pinned(
            claim="relation51",
            seed=0,
            budget="300",
            margin=0.9827586206896546,
            case_json=(
                '{"eta": 1.6, "family": "finite_sum", "note": "c=1.5", "params": {"batch_'
                'size": 1, "kind": "polynomial", "terms_list": [[[1.0, [1]], [0.0, [2]], '
                "[0.0, [3]], [0.0, [4]]], [[-0.5, [1]], [0.0, [2]], [-1.0, [3]], [0.0, [4"
                ']]]]}, "theta": [-0.625]}'
            ),
        ),
        Pinned(
            claim="section44-pointwise",
            seed=0,
            budget="300",
            margin=0.8600223954165734,
            case_json=(
                '{"eta": 0.8, "family": "polynomial", "note": "c=1.0", "params": {"terms"'
                ': [[0.0, [1]], [-1.0, [2]], [-1.0, [3]], [0.5, [4]]]}, "theta": [1.5]}'
            ),
        ),
        Pinned(
            claim="edge-implies-rp0",
            seed=0,
            budget="300",
            margin=657.0366575829784,
            case_json=(
                '{"eta": 7.263514873708554, "family": "polynomial", "note": "c=1.81587871'
                '84271385", "params": {"terms": [[0.4927845381149256, [1]], [-0.381579338'
                "47173087, [2]], [-1.9463541659873775, [3]], [0.031917635996597506, [4]]]"
                '}, "theta": [0.537969621222509]}'
            ),
        ),
        Pinned(
            claim="erp-implies-unstable",
            seed=0,
            budget="300",
            margin=0.5,
            case_json=(
                '{"eta": 1.0, "family": "finite_sum", "note": "c=0.5", "params": {"batch_'
                'size": 1, "centers": [[0.0], [1.0]], "eigenvalues": [1.0], "kind": "quad'
                'ratic", "rotation_seed": 0}, "theta": [0.75]}'
            ),
        ),
    )
}


def _verdict(pinned: Pinned, meaning: str) -> Verdict:
    from eos_theory.search import measure

    case = pinned.case()
    measured = measure(pinned.claim, case)
    numbers: dict[str, object] = {
        "family": case.family,
        "theta": list(case.theta),
        "eta": case.eta,
        **measured,
        "margin when found": pinned.margin,
        "seed": pinned.seed,
        "found by": pinned.command,
    }
    if measured["margin"] > 0:
        return Verdict("finding", numbers, meaning)
    return Verdict(
        "fails",
        numbers,
        f"the pinned case no longer violates the claim (margin {measured['margin']:.3g} <= 0): "
        "the diagnostics changed since it was found",
    )


#: For each search claim: (registry id, location, statement as printed, what the finding means).
_FINDINGS: dict[str, tuple[str, str, str, str]] = {
    "relation43": (
        "finding.relation43-counterexample",
        "Section 4.3, relation (4.3)",
        "RP(theta) ~ -1 + (eta/2) L(theta; eta grad f(theta)).",
        "(4.3) can be off by more than half the regime gap (relative error > 0.5), even with "
        "the opposite sign, when L(theta; eta tau grad f) varies strongly in tau (a quartic "
        "whose GD step crosses a region of very different curvature)",
    ),
    "relation51": (
        "finding.relation51-counterexample",
        "Section 5, relation (5.1)",
        "E[RP] ~ -1 + (eta/2) E[|g|^2 L(theta; eta g) / |grad f|^2].",
        "(5.1) can be off by more than half the regime gap (relative error > 0.5) on a "
        "finite sum of quartics: the tau-average of the exact SGD identity is not its "
        "tau = 1 value",
    ),
    "section44-pointwise": (
        "finding.section44-pointwise",
        "Section 4.4, the step (2/eta)(RP+1) ~ lim_{tau->0} L(theta; eta tau grad f) <= "
        "lambda_max(Hessian at theta) (club)",
        "(2/eta)(RP(theta)+1) ~ lim_{tau->0} L(theta; eta tau grad f(theta)) <= "
        "lambda_max(Hessian at theta).",
        "the pointwise version of Corollary 1 fails: (2/eta)(RP+1) exceeds the sharpness at "
        "theta (Corollary 1 itself, with L_t over the whole segment, still holds)",
    ),
    "edge-implies-rp0": (
        "finding.edge-implies-rp0",
        "Section 4.3 (after Theorem 2) and Takeaway 3",
        "L(theta; eta grad f) ~ 2/eta implies RP(theta) ~ 0.",
        "L(theta; eta grad f) = 2/eta exactly, yet |RP| > 0.5: only the tau-weighted average "
        "of L determines RP (Theorem 2), and it can differ from its tau = 1 value",
    ),
    "erp-implies-unstable": (
        "finding.erp-implies-unstable",
        "Section 5, Experiment 7 and Remark 7",
        "E[RP(theta^t)] does not stay below zero; this suggests SGD is in the unstable regime.",
        "noise alone makes E[RP] >= 0 on a finite sum of quadratics with one Hessian and "
        "lambda_max < 2/eta (GD on the full cost is stable): E[RP] = -1 + (eta/2)(g^T P g + "
        "E[xi^T P xi])/|g|^2 is positive once the gradient noise dominates |grad f|^2",
    ),
}


#: The paper items each finding checks (registry ``ref``).
_REFS: dict[str, tuple[str, ...]] = {
    "finding.relation43-counterexample": ("(4.3)",),
    "finding.edge-implies-rp0": ("(4.3)", "Takeaway 3"),
    "finding.section44-pointwise": ("Section 4.4", "Corollary 1"),
    "finding.erp-implies-unstable": ("Experiment 7", "Remark 7"),
    "finding.relation51-counterexample": ("(5.1)",),
}


def _register(search_id: str) -> None:
    claim_id, location, statement, meaning = _FINDINGS[search_id]

    def check() -> Verdict:
        if search_id not in PINNED:
            return Verdict("fails", {}, f"no pinned counterexample for {search_id}")
        return _verdict(PINNED[search_id], meaning)

    check.__qualname__ = f"finding_{search_id.replace('-', '_')}"
    claim(
        id=claim_id,
        location=location,
        statement=statement,
        method=f"counterexample found by `eos search {search_id}` (Hypothesis targeted search + "
        "differential evolution), pinned in eos_theory/claims/findings.py and recomputed from "
        "its parameters with eos_theory.search.measure; margin > 0 means a violation",
        kind="finding",
        ref=_REFS[claim_id],
    )(check)


for _search_id in _FINDINGS:
    _register(_search_id)
