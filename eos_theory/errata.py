"""``eos errata``: list every erratum of the paper with its demonstration.

The errata are the registered claims of kind ``erratum`` (see
:mod:`eos_theory.claims.errata`); this command runs each check and prints the id, the
location (section, equation, example and transcription), the statement as printed, the
corrected statement, the severity and the numbers that demonstrate it. ``--json`` prints
the same records as JSON. Exit status 1 when some erratum's check no longer demonstrates it
(verdict ``fails``: the corrected statement stopped holding or the printed one started to).
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Sequence

from eos_theory.registry import Claim, all_claims
from eos_theory.verdict_table import format_numbers, verdict_record


def errata_claims() -> list[Claim]:
    """The registered errata, sorted by id.

    >>> all(c.kind == "erratum" for c in errata_claims())
    True
    """
    return [c for c in all_claims() if c.kind == "erratum"]


def erratum_record(c: Claim) -> dict[str, object]:
    """Run the erratum's check; its JSON record (``verify``'s fields, seconds dropped)."""
    record = verdict_record(c, c.run())
    numbers = dict(record["numbers"])  # type: ignore[arg-type]
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
        nums = format_numbers(r["numbers"], limit=12)  # type: ignore[arg-type]
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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``eos errata``; exit status 1 when an erratum is no longer demonstrated."""
    parser = argparse.ArgumentParser(
        prog="eos errata",
        description="List every erratum of the paper (both transcriptions): id, location, the "
        "statement as printed, the corrected statement, severity, and the numbers of the check "
        "that demonstrates it.",
    )
    parser.add_argument("--json", action="store_true", help="print the records as JSON")
    parser.add_argument(
        "--id", metavar="ID", action="append", help="only this erratum (repeatable)"
    )
    parser.add_argument(
        "--severity",
        choices=["false as printed", "wrong formula but right elsewhere", "imprecise", "typo"],
        action="append",
        help="only errata of this severity (repeatable)",
    )
    args = parser.parse_args(argv)
    claims = errata_claims()
    if args.id:
        known = {c.id for c in claims}
        unknown = [i for i in args.id if i not in known]
        if unknown:
            parser.error(f"unknown erratum id(s) {unknown}; known: {', '.join(sorted(known))}")
        claims = [c for c in claims if c.id in args.id]
    if args.severity:
        claims = [c for c in claims if c.severity in args.severity]
    records = [erratum_record(c) for c in claims]
    if args.json:
        json.dump(records, sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        print(render(records))
    return 0 if all(r["passed"] for r in records) else 1
