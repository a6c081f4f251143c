"""The verdict table of ``eos verify``: run claims, make their records, render them.

Claims come in paper order (:attr:`eos_theory.registry.Claim.order`), grouped under the
paper's section headings; each line says whether the verdict is as expected for the
claim's kind (``ok``/``BAD``; ``res`` for an experimental verdict, a result about the runs),
the status, the id and its paper items, then the deciding numbers and one sentence.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from eos_theory.paper.index import ITEMS, section_title
from eos_theory.registry import Claim, Verdict


def format_numbers(numbers: dict[str, object], *, limit: int = 6) -> str:
    """The deciding numbers as ``key=value`` pairs, floats to 6 significant digits."""
    parts = []
    for key, value in list(numbers.items())[:limit]:
        if key == "seconds":
            continue
        text = f"{value:.6g}" if isinstance(value, float) else str(value)
        parts.append(f"{key}={text}")
    return ", ".join(parts)


def verdict_record(c: Claim, v: Verdict) -> dict[str, object]:
    """One row of ``eos verify --json``: the claim's fields and its verdict."""
    return {
        "id": c.id,
        "kind": c.kind,
        "location": c.location,
        "statement": c.statement,
        "corrected": c.corrected,
        "severity": c.severity,
        "method": c.method,
        "ref": list(c.ref),
        "section": ITEMS[c.ref[0]].section if c.ref else "",
        "status": v.status,
        "passed": c.passed(v),
        "numbers": {
            k: (x if isinstance(x, (int, float, str, bool)) or x is None else str(x))
            for k, x in v.numbers.items()
        },
        "detail": v.detail,
    }


def run_claims(
    claims: Sequence[Claim], *, runs: Any = None, progress: bool = True
) -> list[dict[str, object]]:
    """Run each claim's check (in order), showing progress on stderr; return the records.

    Experimental claims are judged on ``runs`` (the run logs; ``not run`` when ``None``).
    """
    records = []
    for i, c in enumerate(claims, 1):
        if progress:
            print(f"[{i}/{len(claims)}] {c.id} ...", file=sys.stderr, end="\r", flush=True)
        records.append(verdict_record(c, c.run(runs)))
    if progress:
        print(" " * 80, file=sys.stderr, end="\r")
    return records


def render_table(records: Sequence[dict[str, Any]]) -> str:
    """The human-readable verdict table, in the order of ``records``, by paper section.

    >>> rec = {"id": "a.b", "kind": "exact", "location": "Sec 4", "ref": ["Theorem 2"],
    ...        "section": "4.3", "status": "proved", "passed": True, "numbers": {},
    ...        "detail": ""}
    >>> print(render_table([rec]))
    == 4.3 Relation between relative progress ratio and directional smoothness ==
    ok  proved       a.b  [Theorem 2; Sec 4]
    <BLANKLINE>
    1 claims checked, 1 as expected
    """
    lines = []
    section = None
    for r in records:
        if r["section"] != section:
            section = r["section"]
            lines.append(f"== {section} {section_title(section)} ==" if section else "== ? ==")
        flag = "ok " if r["passed"] else "BAD"
        if r["kind"] == "experimental" and r["passed"]:
            flag = "res"
        where = "; ".join([*r["ref"], r["location"]])
        lines.append(f"{flag} {r['status']:<12} {r['id']}  [{where}]")
        nums = format_numbers(r["numbers"])
        if nums:
            lines.append(f"      {nums}")
        if r["detail"]:
            lines.append(f"      {r['detail']}")
    bad = [r["id"] for r in records if not r["passed"]]
    lines.append("")
    lines.append(
        f"{len(records)} claims checked, {len(records) - len(bad)} as expected"
        + (f", FAILED: {', '.join(map(str, bad))}" if bad else "")
    )
    return "\n".join(lines)
