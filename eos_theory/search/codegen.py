"""The pytest regression test that ``eos search`` prints for a counterexample it found.

:func:`regression_snippet` writes a ready-to-paste test that pins the (shrunk, else worst)
case with ``@example`` and asserts its margin is still positive and unchanged to 1e-6.
"""

from __future__ import annotations

from eos_theory.search.catalog import SEARCHES
from eos_theory.search.engine import SearchResult


def regression_snippet(result: SearchResult, budget: str) -> str:
    """A ready-to-paste pytest regression test pinning the case with ``@example``."""
    case = result.shrunk or result.worst
    if case is None:
        return ""
    measured = result.shrunk_measured if result.shrunk else result.worst_measured
    name = result.claim.replace("-", "_")
    return f'''import json

from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st

from eos_theory.families import Case
from eos_theory.search import measure
from eos_theory.testing import assert_close


@example(case_json={case.to_json()!r})
@settings(phases=[Phase.explicit], database=None, deadline=None)
@given(case_json=st.just(""))
def test_{name}_counterexample_seed{result.seed}(case_json):
    """{SEARCHES[result.claim].location}: counterexample, margin {measured["margin"]:.6g}.

    Found by `eos search {result.claim} --seed {result.seed} --budget {budget}`.
    """
    measured = measure({result.claim!r}, Case.from_dict(json.loads(case_json)))
    assert measured["margin"] > 0, measured
    assert_close("margin", measured["margin"], {measured["margin"]!r}, rtol=1e-6,
                 claim={SEARCHES[result.claim].location!r}, inputs={{"case": case_json}})
'''
