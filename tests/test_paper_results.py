"""Issue 14: the committed paper-scale results agree with their logs.

``docs/results/paper/verdicts.json`` was written by ``eos report`` from the logs committed
beside it; judging those logs again (as ``eos verify --runs docs/results/paper`` does) must
give the same verdict for every experimental claim, and each entry must name its criterion
and the seeds it rests on.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eos_empirical.checks import CHECKS, MissingRunsError, evaluate_all
from eos_empirical.runlog import load_runs

RESULTS = Path(__file__).resolve().parents[1] / "docs" / "results" / "paper"


@pytest.mark.skipif(
    not (RESULTS / "verdicts.json").is_file(), reason="no committed paper-scale verdicts yet"
)
def test_committed_verdicts_match_their_logs():
    """Every claim of verdicts.json: same status when its committed logs are judged again;
    id, criterion and seeds recorded; the seeds are those of the logs."""
    recorded = json.loads((RESULTS / "verdicts.json").read_text())
    runs = load_runs(RESULTS)
    again = evaluate_all(runs)
    assert set(recorded) == set(CHECKS), sorted(set(recorded) ^ set(CHECKS))
    seeds_in_logs = {int(r.config.get("seed", 0)) for r in runs.values()}
    for cid, rec in recorded.items():
        v = again[cid]
        status = "not run" if isinstance(v, MissingRunsError) else v.status
        assert rec["status"] == status, (
            f"{cid}: verdicts.json says {rec['status']!r}, its logs give {status!r}"
        )
        assert rec["id"] == cid and rec["criterion"] == CHECKS[cid].criterion, cid
        assert set(rec["seeds"]) <= seeds_in_logs, (cid, rec["seeds"], sorted(seeds_in_logs))
