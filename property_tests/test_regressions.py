"""Regression tests: counterexamples found by ``eos search``, pinned with ``@example``.

The cases and the margins the search reported live once, in
:data:`eos_theory.claims.findings.PINNED` (JSON copied from ``eos search ... --json``); here
each becomes an ``@example`` of a test that recomputes the margin and asserts it is still
positive and unchanged to ``rtol = 1e-6`` (far above the float64 round-off of the
quantities, far below any change of the diagnostics that would matter), so the test fails
if the diagnostics change and a counterexample stops being one.
"""

from __future__ import annotations

import json

from hypothesis import Phase, example, given, note, settings
from hypothesis import strategies as st

from eos_theory.claims.findings import PINNED
from eos_theory.families import Case
from eos_theory.search import measure
from eos_theory.testing import assert_close


def _pinned(test):
    for pinned in PINNED.values():
        test = example(claim_id=pinned.claim, case_json=pinned.case_json, margin=pinned.margin)(
            test
        )
    return test


@_pinned
@settings(phases=[Phase.explicit], database=None, deadline=None)
@given(claim_id=st.just(""), case_json=st.just(""), margin=st.just(0.0))
def test_pinned_counterexample(claim_id, case_json, margin):
    """Each pinned case still violates its approximate claim, by the margin found."""
    note(f"claim={claim_id}, case={case_json}")
    measured = measure(claim_id, Case.from_dict(json.loads(case_json)))
    assert measured["margin"] > 0, f"{claim_id}: no longer a counterexample: {measured}"
    assert_close(
        "margin", measured["margin"], margin, rtol=1e-6, claim=claim_id, inputs={"case": case_json}
    )


def test_every_search_claim_is_pinned_or_its_finding_withdrawn():
    """Every non-planted searchable claim has a pinned counterexample on a natural cost, or
    its former finding is listed as withdrawn with the reason (issue 12)."""
    from eos_theory.claims.withdrawn import WITHDRAWN
    from eos_theory.search import SEARCHES

    missing = [
        c
        for c, s in SEARCHES.items()
        if not s.planted
        and c not in PINNED
        and not any(w.startswith(f"finding.{c}") for w in WITHDRAWN)
    ]
    assert not missing, f"no pinned counterexample and no withdrawn finding for {missing}"
