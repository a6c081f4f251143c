r"""Whether a verdict on new runs reproduces a recorded one (issue 14: the GPU runs).

The paper-scale runs on a GPU (``tests/test_experiments_slow.py``, ``-m gpu``) make seed 0
of every experiment again on another device. What they must show is that the engine works
there and that the recorded CPU verdicts (``docs/results/paper/verdicts.json``) come out
again within the spread of the CPU seeds, not that every claim of the paper holds: a
finding against the paper is a valid outcome. :func:`reproduction_problem` says, for one
claim, why the new verdict does not reproduce the recorded one (``None`` when it does):

- the new runs must be usable: a ``damaged`` or ``not run`` verdict is a problem;
- a claim recorded as ``not run`` (or not recorded) has nothing to reproduce: any decided
  new verdict is accepted;
- a ``finding`` must stay a finding (measurements, not decided);
- otherwise each new seed's decision (``holds`` or ``fails``, from the verdict's ``holds in
  seeds`` and ``fails in seeds``) must be one the recorded seeds made; a new seed that
  decides nothing (too few points) where the recorded seeds decided is a problem too.

>>> from eos_theory.registry import Verdict
>>> rec = {"status": "fails", "numbers": {"holds in seeds": "[]", "fails in seeds": "[0, 1]"}}
>>> new = Verdict("inconclusive", {"holds in seeds": [], "fails in seeds": [0]}, "one seed")
>>> reproduction_problem("x", new, rec) is None
True
>>> print(reproduction_problem("x", Verdict("holds", {"holds in seeds": [0]}, ""), rec))
x: the new seeds decide ['holds'], the recorded seeds only ['fails'] (recorded verdict fails)
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

from eos_theory.registry import Verdict


def _seeds(numbers: Mapping[str, Any], key: str) -> list[int]:
    value = numbers.get(key) or []
    if isinstance(value, str):
        value = ast.literal_eval(value)
    return [int(s) for s in value]


def decided_statuses(numbers: Mapping[str, Any]) -> set[str]:
    """The decisions (``holds``, ``fails``) the seeds of a verdict's ``numbers`` made."""
    return {s for s in ("holds", "fails") if _seeds(numbers, f"{s} in seeds")}


def reproduction_problem(
    check_id: str, new: Verdict, recorded: Mapping[str, Any] | None
) -> str | None:
    """Why ``new`` does not reproduce ``recorded`` (a ``verdicts.json`` entry), or ``None``.

    The rules are the module docstring's.
    """
    if new.status in ("damaged", "not run"):
        return f"{check_id}: the new runs give '{new.status}': {new.detail}"
    if recorded is None or recorded.get("status") == "not run":
        return None
    rec_status = str(recorded.get("status"))
    if rec_status == "finding":
        if new.status != "finding":
            return f"{check_id}: recorded as a finding, the new runs give '{new.status}'"
        return None
    before = decided_statuses(recorded.get("numbers") or {})
    now = decided_statuses(new.numbers)
    if not now:
        if before:
            return (
                f"{check_id}: the new seeds decide nothing ('{new.status}': {new.detail}); "
                f"the recorded seeds decided {sorted(before)}"
            )
        return None
    if not now <= before:
        return (
            f"{check_id}: the new seeds decide {sorted(now)}, the recorded seeds only "
            f"{sorted(before)} (recorded verdict {rec_status})"
        )
    return None
