"""``eos report RUNS_DIR``: the markdown report of the paper's experiments from saved runs.

Parses the options and calls :func:`eos_empirical.report.write_report` (imported after
parsing, so ``eos report --help`` imports neither torch nor matplotlib). Writes
``report.md``, ``figures/`` and ``verdicts.json`` into ``--out`` (default: ``RUNS_DIR``);
``--copy-logs`` also copies the runs' small files and gzipped steps there. Exit status 2
when ``RUNS_DIR`` is not a folder of runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from eos_empirical.commands.help_format import HelpFormatter
from eos_empirical.commands.output_paths import add_quiet_option


def build_parser() -> argparse.ArgumentParser:
    """The ``eos report`` option parser."""
    p = argparse.ArgumentParser(
        formatter_class=HelpFormatter,
        prog="eos report",
        description="Write the markdown report of a folder of runs: verdict table, figures, "
        "configs, timings.",
        epilog="""examples:
  eos report runs/cpu --out docs/results
  eos report runs/try --no-figures
""",
    )
    p.add_argument(
        "runs_dir",
        help="folder of run folders (eos experiment, eos sweep), or one run folder (eos run)",
    )
    p.add_argument("--out", default=None, help="report folder (default: RUNS_DIR)")
    p.add_argument(
        "--notes", default=None, help="markdown file with a discussion to include (default: none)"
    )
    p.add_argument(
        "--copy-logs",
        action="store_true",
        help="copy each run's JSON files and gzipped steps next to the report",
    )
    p.add_argument("--no-figures", action="store_true", help="skip the figures")
    p.add_argument("--force", action="store_true", help="overwrite a report.md already in --out")
    add_quiet_option(p)
    return p


def main(argv: list[str] | None = None) -> int:
    """``eos report RUNS_DIR [--out DIR] [--notes FILE] [--copy-logs] [--no-figures]``."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from eos_empirical.commands.output_paths import input_file, output_dir

    out = Path(args.out if args.out is not None else args.runs_dir)
    try:
        output_dir(out, "--out")
        if args.notes is not None:
            input_file(args.notes, "--notes")
        if (out / "report.md").exists() and not args.force:
            raise ValueError(
                f"--out: {out} already holds report.md; pass --force to overwrite it (or "
                "choose another --out)"
            )
    except ValueError as exc:
        print(f"eos report: error: {exc}", file=sys.stderr)
        return 2
    from eos_empirical.report import write_report, write_run_report

    if (Path(args.runs_dir) / "config.json").is_file():  # one run folder, e.g. of eos run
        try:
            path = write_run_report(args.runs_dir, args.out, figures=not args.no_figures)
        except ValueError as exc:
            print(f"eos report: error: {exc}", file=sys.stderr)
            return 2
        print(f"report written to {path}")
        return 0

    try:
        path = write_report(
            args.runs_dir,
            args.out,
            notes=args.notes,
            copy=args.copy_logs,
            figures=not args.no_figures,
            quiet=args.quiet,
        )
    except ValueError as exc:
        print(f"eos report: error: {exc}", file=sys.stderr)
        return 2
    print(f"report written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
