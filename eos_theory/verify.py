"""``eos verify``: run every registered claim and print the verdict table."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence

from eos_theory.registry import Claim, Verdict, all_claims, get_claim


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
        "status": v.status,
        "passed": c.passed(v),
        "numbers": {
            k: (x if isinstance(x, (int, float, str, bool)) or x is None else str(x))
            for k, x in v.numbers.items()
        },
        "detail": v.detail,
    }


def run_claims(claims: Sequence[Claim], *, progress: bool = True) -> list[dict[str, object]]:
    """Run each claim's check (in order), showing progress on stderr; return the records."""
    records = []
    for i, c in enumerate(claims, 1):
        if progress:
            print(f"[{i}/{len(claims)}] {c.id} ...", file=sys.stderr, end="\r", flush=True)
        records.append(verdict_record(c, c.run()))
    if progress:
        print(" " * 80, file=sys.stderr, end="\r")
    return records


def render_table(records: Sequence[dict[str, object]]) -> str:
    """The human-readable verdict table (claim, location, verdict, deciding numbers)."""
    lines = []
    for section, kinds in (
        ("Claims", ("exact", "approximate", "finding")),
        ("Errata", ("erratum",)),
    ):
        rows = [r for r in records if r["kind"] in kinds]
        if not rows:
            continue
        lines.append(f"== {section} ({len(rows)}) ==")
        for r in rows:
            flag = "ok " if r["passed"] else "BAD"
            lines.append(f"{flag} {r['status']:<8} {r['id']}  [{r['location']}]")
            nums = format_numbers(r["numbers"])  # type: ignore[arg-type]
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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``eos verify``; exit status 1 when a claim that must hold fails."""
    parser = argparse.ArgumentParser(
        prog="eos verify",
        description="Check every registered claim of the paper (Ahn, Zhang & Sra 2022) and print "
        "a table: claim, paper location, verdict (proved / holds / fails / erratum / finding) and "
        "the numbers that decide it.",
    )
    parser.add_argument(
        "--json", metavar="PATH", help="also write the records as JSON ('-' for stdout)"
    )
    parser.add_argument(
        "--only", metavar="ID", action="append", help="run only this claim (repeatable)"
    )
    parser.add_argument(
        "--kind",
        choices=["exact", "approximate", "erratum", "finding"],
        action="append",
        help="run only claims of this kind (repeatable)",
    )
    parser.add_argument("--skip-slow", action="store_true", help="skip claims marked slow")
    parser.add_argument("--list", action="store_true", help="list the claim ids and exit")
    args = parser.parse_args(argv)

    try:
        claims = [get_claim(i) for i in args.only] if args.only else all_claims()
    except ValueError as exc:
        parser.error(str(exc))
    if args.kind:
        claims = [c for c in claims if c.kind in args.kind]
    if args.skip_slow:
        claims = [c for c in claims if not c.slow]
    if args.list:
        for c in claims:
            print(f"{c.id:<40} {c.kind:<12} {c.location}")
        return 0
    start = time.perf_counter()
    records = run_claims(claims, progress=sys.stderr.isatty())
    elapsed = time.perf_counter() - start
    if args.json == "-":
        json.dump(records, sys.stdout, indent=2)
        print()
    else:
        print(render_table(records))
        print(f"({elapsed:.1f} s)")
        if args.json:
            with open(args.json, "w", encoding="utf-8") as fh:
                json.dump(records, fh, indent=2)
    return 0 if all(r["passed"] for r in records) else 1
