"""The errata table: every erratum of the paper with its demonstration, as records or text.

The errata are the registered claims of kind ``erratum`` (see
:mod:`eos_theory.claims.errata`). :func:`erratum_record` runs one check and returns its
record: the id, the location (section, equation, example and transcription), the statement
as printed, the corrected statement, the severity, the numbers that demonstrate it and the
verdict (``passed`` is false when the check no longer demonstrates the erratum: the
corrected statement stopped holding or the printed one started to). :func:`render` lays the
records out for reading. The command ``eos errata``
(:mod:`eos_empirical.commands.errata_cli`) prints this view, as text or JSON.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import cast

from eos_theory.claims.withdrawn import WITHDRAWN
from eos_theory.registry import Claim, all_claims
from eos_theory.verdict_table import format_numbers, verdict_record


def errata_claims() -> list[Claim]:
    """The registered errata, in paper order.

    >>> all(c.kind == "erratum" for c in errata_claims())
    True
    """
    return [c for c in all_claims() if c.kind == "erratum"]


def erratum_record(c: Claim) -> dict[str, object]:
    """Run the erratum's check; its JSON record (``verify``'s fields, seconds dropped)."""
    record = verdict_record(c, c.run())
    numbers = dict(cast("dict[str, object]", record["numbers"]))  # verdict_record: a dict
    numbers.pop("seconds", None)
    record["numbers"] = numbers
    return record


def render(records: Sequence[dict[str, object]]) -> str:
    """Human-readable listing: one block per erratum, then a count by severity."""
    wrap = textwrap.TextWrapper(width=100, initial_indent="    ", subsequent_indent="    ")
    lines: list[str] = []
    for r in records:
        flag = "" if r["passed"] else "  [CHECK FAILS: not demonstrated]"
        lines.append(f"{r['id']}  ({r['severity']}){flag}")
        lines.append(f"  location:  {r['location']}")
        for label, key in (("printed", "statement"), ("corrected", "corrected")):
            lines.append(f"  {label}:")
            lines.extend(wrap.wrap(str(r[key])))
        lines.append("  demonstration:")
        lines.extend(wrap.wrap(str(r["method"])))
        # records are verdict_record rows: "numbers" holds a dict
        nums = format_numbers(cast("dict[str, object]", r["numbers"]), limit=12)
        if nums:
            lines.extend(wrap.wrap("numbers: " + nums))
        if r["detail"]:
            lines.extend(wrap.wrap("verdict: " + str(r["status"]) + " - " + str(r["detail"])))
        lines.append("")
    counts: dict[str, int] = {}
    for r in records:
        counts[str(r["severity"])] = counts.get(str(r["severity"]), 0) + 1
    bad = [str(r["id"]) for r in records if not r["passed"]]
    lines.append(
        f"{len(records)} errata ("
        + ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        + ")"
        + (f"; NOT demonstrated: {', '.join(bad)}" if bad else "; all demonstrated")
    )
    return "\n".join(lines)


def render_withdrawn() -> str:
    """The errata and findings withdrawn after re-judging, each with the reason.

    >>> render_withdrawn().splitlines()[0].startswith("Withdrawn after re-judging")
    True
    """
    wrap = textwrap.TextWrapper(width=100, initial_indent="    ", subsequent_indent="    ")
    lines = [f"Withdrawn after re-judging ({len(WITHDRAWN)} errata and findings)"]
    for cid, w in WITHDRAWN.items():
        lines.append(f"  {cid}  [{w.location}]")
        lines.extend(wrap.wrap("printed: " + w.printed))
        lines.extend(wrap.wrap("why withdrawn: " + w.reason))
    return "\n".join(lines)
