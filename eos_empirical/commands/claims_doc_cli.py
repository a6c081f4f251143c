"""``eos claims-doc``: write ``docs/claims.md`` from the claims registry, in paper order.

``--check`` regenerates and exits 1 when the file differs (whoever adds or edits a claim
reruns ``eos claims-doc``). Experimental claims are judged on the committed paper-scale run
logs, as in ``eos verify`` (``--runs DIR``, ``--no-runs``).
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from pathlib import Path

from eos_empirical.commands.help_format import HelpFormatter
from eos_empirical.commands.output_paths import add_quiet_option
from eos_empirical.commands.verify_cli import (
    REPO_ROOT,
    add_runs_options,
    load_runs_option,
)

#: Default output: docs/claims.md of the checkout.
DEFAULT_OUTPUT = REPO_ROOT / "docs" / "claims.md"


def runs_label(folder: Path | None) -> str:
    """How the document names the run logs: relative to the checkout when inside it."""
    if folder is None:
        return ""
    try:
        return str(Path(folder).resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(folder)


def build_parser() -> argparse.ArgumentParser:
    """The ``eos claims-doc`` option parser."""
    parser = argparse.ArgumentParser(
        formatter_class=HelpFormatter,
        prog="eos claims-doc",
        description="Generate docs/claims.md from the claims registry: every claim and erratum "
        "in paper order, with paper items, location, statement, correction and severity, how it "
        "is checked, and its verdict.",
        epilog="""examples:
  eos claims-doc
  eos claims-doc --check
""",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="the markdown file to write or --check (default: docs/claims.md of the checkout)",
    )
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if the file is out of date"
    )
    parser.add_argument(
        "--include-slow", action="store_true", help="also run slow claims for their verdicts"
    )
    add_quiet_option(parser)
    add_runs_options(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``eos claims-doc``; with ``--check`` exit 1 when the file is stale."""
    parser = build_parser()
    args = parser.parse_args(argv)

    from eos_empirical.commands.output_paths import output_file
    from eos_theory import claims_markdown
    from eos_theory.registry import all_claims

    if not args.check:
        try:
            output_file(args.output, "--output")
        except ValueError as exc:
            parser.error(str(exc))

    claims = all_claims()
    runs, folder = load_runs_option(args, parser)
    from eos_empirical.progress_line import counted

    verdicts: dict[str, str] = {}
    for claim in counted(claims, unit="claim", label=lambda c: c.id, quiet=args.quiet):
        verdicts |= claims_markdown.verdicts_of([claim], include_slow=args.include_slow, runs=runs)
    text = claims_markdown.render(claims, verdicts, runs_label=runs_label(folder))
    if args.check:
        old = args.output.read_text(encoding="utf-8") if args.output.is_file() else ""
        if old == text:
            print(f"{args.output} is up to date ({len(claims)} entries)")
            return 0
        diff = difflib.unified_diff(
            old.splitlines(), text.splitlines(), str(args.output), "regenerated", lineterm=""
        )
        print("\n".join(list(diff)[:60]))
        print(f"{args.output} is out of date: run `eos claims-doc`", file=sys.stderr)
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({len(claims)} entries)")
    return 0
