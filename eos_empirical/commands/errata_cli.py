"""``eos errata``: list every erratum of the paper with its demonstration.

Runs each registered erratum's check (:mod:`eos_theory.errata_table`) and prints the id, the
location (section, equation, example and transcription), the statement as printed, the
corrected statement, the severity and the numbers that demonstrate it. ``--json`` prints
the same records as JSON; ``--id`` and ``--severity`` select errata. Exit status 1 when
some erratum's check no longer demonstrates it (verdict ``fails``: the corrected statement
stopped holding or the printed one started to). Parsing imports nothing but the standard
library; the errata are imported after it.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from eos_empirical.commands.help_format import HelpFormatter
from eos_empirical.commands.output_paths import (
    add_json_option,
    add_quiet_option,
    output_file,
    write_json,
)

#: The registry's ``Severity`` values, spelled out so that ``--help`` imports no eos_theory
#: (numpy); tests/test_errata.py checks that the two agree.
SEVERITIES = ["false as printed", "wrong formula but right elsewhere", "imprecise", "typo"]


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``eos errata``."""
    parser = argparse.ArgumentParser(
        formatter_class=HelpFormatter,
        prog="eos errata",
        description="List every erratum of the paper (both transcriptions): id, location, the "
        "statement as printed, the corrected statement, severity, and the numbers of the check "
        "that demonstrates it.",
        epilog="""examples:
  eos errata
  eos errata --json -
  eos errata --severity "false as printed"
""",
    )
    add_json_option(parser, "the errata records")
    parser.add_argument(
        "--id",
        metavar="ID",
        action="append",
        help="only this erratum (repeatable; default: every erratum)",
    )
    parser.add_argument(
        "--severity",
        choices=SEVERITIES,
        action="append",
        help="only errata of this severity (repeatable; default: every severity)",
    )
    add_quiet_option(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``eos errata``; exit status 1 when an erratum is no longer demonstrated."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.json is not None:
        try:
            output_file(args.json, "--json")
        except ValueError as exc:
            parser.error(str(exc))
    from eos_theory.errata_table import errata_claims, erratum_record, render, render_withdrawn

    claims = errata_claims()
    if args.id:
        known = {c.id for c in claims}
        unknown = [i for i in args.id if i not in known]
        if unknown:
            parser.error(f"unknown erratum id(s) {unknown}; known: {', '.join(sorted(known))}")
        claims = [c for c in claims if c.id in args.id]
    if args.severity:
        claims = [c for c in claims if c.severity in args.severity]
    from eos_empirical.progress_line import counted

    shown = counted(claims, unit="check", label=lambda c: c.id, quiet=args.quiet)
    records = [erratum_record(c) for c in shown]
    if args.json == "-":
        write_json(records, "-")
    else:
        print(render(records))
        if not (args.id or args.severity):
            print()
            print(render_withdrawn())
        if args.json:
            write_json(records, args.json)
    return 0 if all(r["passed"] for r in records) else 1
