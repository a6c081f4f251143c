"""``eos verify``: run every registered claim, in paper order, and print the verdict table.

Theory claims (symbolic, numeric, errata, findings) run their checks; experimental claims
are judged from the run logs in ``--runs DIR`` (default: the committed paper-scale results
of a checkout, :data:`COMMITTED_RUNS`, when present), ``not run`` without logs.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eos_empirical.commands.help_format import HelpFormatter
from eos_empirical.commands.output_paths import add_json_option, add_quiet_option, write_json

#: The repository root of a checkout (the folder holding ``docs/``).
REPO_ROOT = Path(__file__).resolve().parents[2]
#: Committed paper-scale run logs, most complete first: the GPU report, then the CPU one.
COMMITTED_RUNS = (
    REPO_ROOT / "docs" / "results" / "paper" / "runs",
    REPO_ROOT / "docs" / "results" / "paper-cpu" / "runs",
)
KIND_CHOICES = ("exact", "approximate", "erratum", "finding", "experimental")


#: Examples of ``eos verify --help`` (a test runs the cheap ones).
EPILOG = """examples:
  eos verify
  eos verify --only theorem2.examples --json -
  eos verify --list
  eos verify --kind experimental --runs runs/cpu
"""


def default_runs() -> Path | None:
    """The first of :data:`COMMITTED_RUNS` that exists (``None`` outside a checkout)."""
    return next((p for p in COMMITTED_RUNS if p.is_dir()), None)


def add_runs_options(parser: argparse.ArgumentParser) -> None:
    """``--runs DIR`` and ``--no-runs``: where experimental claims read their logs."""
    parser.add_argument(
        "--runs",
        metavar="DIR",
        type=Path,
        default=None,
        help="folder of run folders to judge the experimental claims on (default: the "
        "committed paper-scale results of a checkout, docs/results/paper/runs, else "
        "docs/results/paper-cpu/runs)",
    )
    parser.add_argument(
        "--no-runs", action="store_true", help="judge no run logs: experimental claims 'not run'"
    )


def load_runs_option(
    args: argparse.Namespace, parser: argparse.ArgumentParser
) -> tuple[Any, Path | None]:
    """The run logs named by ``--runs``/``--no-runs`` and their folder (``None, None`` when
    none); a bad folder is a usage error naming ``--runs``.
    """  # noqa: D205
    if args.no_runs:
        return None, None
    folder = args.runs if args.runs is not None else default_runs()
    if folder is None:
        return None, None
    from eos_empirical.runlog import load_runs

    try:
        return load_runs(folder), folder
    except ValueError as exc:
        parser.error(f"--runs: {exc}")


def build_parser() -> argparse.ArgumentParser:
    """The ``eos verify`` option parser."""
    parser = argparse.ArgumentParser(
        formatter_class=HelpFormatter,
        prog="eos verify",
        description="Check every registered claim of the paper (Ahn, Zhang & Sra 2022), in paper "
        "order, and print a table: claim, paper items, verdict (proved / holds / fails / erratum "
        "/ finding / not run / inconclusive) and the numbers that decide it. Claims done / "
        "total go to stderr.",
        epilog=EPILOG,
    )
    add_json_option(parser, "the verdict records")
    parser.add_argument(
        "--only",
        metavar="ID",
        action="append",
        help="run only this claim (repeatable; default: every claim)",
    )
    parser.add_argument(
        "--kind",
        choices=KIND_CHOICES,
        action="append",
        help="run only claims of this kind (repeatable; default: every kind)",
    )
    parser.add_argument("--skip-slow", action="store_true", help="skip claims marked slow")
    parser.add_argument(
        "--list", action="store_true", help="list the claims in paper order and exit"
    )
    add_quiet_option(parser)
    add_runs_options(parser)
    return parser


def check_all(claims: Sequence[Any], runs: Any, *, quiet: bool) -> list[dict[str, object]]:
    """Each claim's verdict record, in order, with claims done / total (and the claim being
    checked) on stderr.
    """  # noqa: D205
    from eos_empirical.progress_line import counted
    from eos_theory.verdict_table import run_claims

    records: list[dict[str, object]] = []
    for claim in counted(claims, unit="claim", label=lambda c: c.id, quiet=quiet):
        records += run_claims([claim], runs=runs, progress=False)
    return records


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``eos verify``; exit status 1 when a claim that must hold fails."""
    parser = build_parser()
    args = parser.parse_args(argv)

    from eos_empirical.commands.output_paths import output_file
    from eos_theory.registry import all_claims, get_claim
    from eos_theory.verdict_table import render_table

    if args.json is not None:
        try:
            output_file(args.json, "--json")
        except ValueError as exc:
            parser.error(str(exc))

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
            print(f"{c.id:<40} {c.kind:<12} {'; '.join(c.ref):<28} {c.location}")
        return 0
    runs = None
    if any(c.kind == "experimental" for c in claims):
        runs, folder = load_runs_option(args, parser)
        if folder is not None:
            print(f"experimental claims judged on the run logs in {folder}", file=sys.stderr)
    start = time.perf_counter()
    records = check_all(claims, runs, quiet=args.quiet)
    elapsed = time.perf_counter() - start
    if args.json == "-":
        write_json(records, "-")
    else:
        print(render_table(records))
        print(f"({elapsed:.1f} s)")
        if args.json:
            write_json(records, args.json)
    return 0 if all(r["passed"] for r in records) else 1
