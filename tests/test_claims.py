"""Every registered claim of the paper, one test each (ids are the claim ids).

The registry (:mod:`eos_theory.registry`) holds each statement once; this module only runs
the checks, so ``pytest`` and ``eos verify`` cannot drift apart.
"""

from __future__ import annotations

import math

import pytest

from eos_theory.registry import PASSING, all_claims
from eos_theory.verdict_table import format_numbers

CLAIMS = all_claims()


@pytest.mark.parametrize(
    "c",
    [pytest.param(c, id=c.id, marks=[pytest.mark.slow] if c.slow else []) for c in CLAIMS],
)
def test_claim(c):
    """Run the claim's check; it must end in a passing status for its kind.

    Exact statements must be ``proved`` or ``holds``; errata must show ``erratum`` (the
    printed statement fails and the corrected one holds); approximate claims report
    ``holds`` or a ``finding`` with finite numbers.
    """
    __tracebackhide__ = True
    v = c.run()
    if not c.passed(v):
        pytest.fail(
            f"claim {c.id} [{c.location}]: status={v.status}, but should be one of "
            f"{sorted(PASSING[c.kind])}\n  statement: {c.statement}\n  method: {c.method}\n"
            f"  numbers: {format_numbers(dict(v.numbers), limit=20)}\n  detail: {v.detail}",
            pytrace=False,
        )
    bad = {k: x for k, x in v.numbers.items() if isinstance(x, float) and not math.isfinite(x)}
    assert not bad, f"claim {c.id}: non-finite deciding numbers {bad}"


def test_registry_is_well_formed():
    """Every claim has a unique id, a location, a statement and a method; errata a correction."""
    ids = [c.id for c in CLAIMS]
    assert len(ids) == len(set(ids)), f"duplicate claim ids: {sorted(ids)}"
    for c in CLAIMS:
        assert c.location and c.statement and c.method, f"claim {c.id} lacks a field"
        if c.kind == "erratum":
            assert c.corrected and c.severity, f"erratum {c.id} lacks corrected/severity"
