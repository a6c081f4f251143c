"""``eos experiment``: run the paper's Figure 1 and Experiments 1-9 by name, list or show them.

``eos experiment --list`` lists the experiments (runs, checks) and the scales; ``eos
experiment exp3 --show`` prints an experiment's text and run configurations; ``eos
experiment exp3 [--scale cpu] [--out DIR]`` runs it (``all``: every experiment), resuming
where it stopped, with progress on stderr (runs done / total with an ETA, and each run's
steps; ``--quiet`` for none). The data location and numerics options are the run options of
:mod:`eos_empirical.commands.run_options`. The experiments are
:mod:`eos_empirical.experiments`; torch is imported when a run starts.
"""

from __future__ import annotations

import argparse
import os
import sys

from eos_empirical.commands.help_format import HelpFormatter
from eos_empirical.commands.output_paths import add_quiet_option, output_dir
from eos_empirical.commands.run_options import add_run_options, run_overrides

#: Examples of ``eos experiment --help`` (a test runs the cheap ones).
EPILOG = """examples:
  eos experiment --list
  eos experiment exp3 --show
  eos experiment exp3 --scale smoke --out runs/smoke-exp3
  eos experiment exp3 --scale cpu --out runs/cpu
  eos experiment all --scale paper --device cuda --out runs/paper
"""


def build_parser() -> argparse.ArgumentParser:
    """The ``eos experiment`` option parser."""
    from eos_empirical.experiments import SCALES  # the registry: no torch

    p = argparse.ArgumentParser(
        formatter_class=HelpFormatter,
        prog="eos experiment",
        description="Run the paper's Figure 1 and Experiments 1-9 by name (see --list).",
        epilog=EPILOG,
    )
    p.add_argument("names", nargs="*", help="experiment names (fig1, exp1 ... exp9) or 'all'")
    p.add_argument("--list", action="store_true", help="list the experiments and exit")
    p.add_argument(
        "--show",
        action="store_true",
        help="print each named experiment's text and its run configurations, run nothing",
    )
    p.add_argument(
        "--scale",
        default="paper",
        choices=tuple(SCALES),
        help="paper, cpu (reduced for a CPU) or smoke (see --list)",
    )
    p.add_argument("--out", default=None, help="runs folder (default: runs/<scale>)")
    add_quiet_option(p)
    add_run_options(p, ["data_root", "device", "dtype"], choices=True)
    p.add_argument(
        "--runs",
        default=None,
        metavar="RUN[,RUN...]",
        help="run only these runs of the named experiments (names as in --list), "
        "e.g. to split the work between processes; the others are left alone (default: every "
        "run of the named experiments)",
    )
    return p


def _list() -> str:
    """The ``--list`` text: each experiment with its runs and checks, then the scales."""
    from eos_empirical.experiments import EXPERIMENTS, SCALES

    lines = []
    for e in EXPERIMENTS.values():
        lines.append(f"{e.name:<5} {e.title}  [{e.location}]")
        lines.append(f"      runs: {', '.join(r.name for r in e.runs)}")
        lines.append(f"      checks: {', '.join(e.checks) or '-'}")
    lines.append("")
    lines.append("scales: " + "; ".join(f"{s.name}: {s.note}" for s in SCALES.values()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``eos experiment NAME [NAME ...] | all | --list``; 0 on success, 2 on bad input."""
    p = build_parser()
    args = p.parse_args(argv)
    from eos_empirical.experiments import EXPERIMENTS, SCALES, all_runs, run_specs

    if args.list:
        print(_list())
        return 0
    names = list(EXPERIMENTS) if args.names == ["all"] else args.names
    if not names:
        p.error("name an experiment (or 'all'), or use --list")
    unknown = [n for n in names if n not in EXPERIMENTS]
    if unknown:
        p.error(f"unknown experiment(s) {unknown}; known: {', '.join(EXPERIMENTS)}")
    sc = SCALES[args.scale]
    if args.show:
        for n in names:
            e = EXPERIMENTS[n]
            print(f"== {e.name}: {e.title} [{e.location}]\n{e.doc}\n")
            for spec in e.runs:
                print(f"  {spec.name} ({spec.regime}): {spec.fields(sc)}")
            print()
        return 0
    out = args.out if args.out is not None else os.path.join("runs", args.scale)
    try:
        output_dir(out, "--out")
    except ValueError as exc:
        print(f"eos experiment: error: {exc}", file=sys.stderr)
        return 2
    plan = all_runs(names)
    if args.runs:
        wanted = [r for r in args.runs.split(",") if r]
        missing = [r for r in wanted if r not in plan]
        if missing:
            p.error(f"--runs: {missing} are not runs of {names}; they have: {', '.join(plan)}")
        plan = {r: plan[r] for r in wanted}
    from eos_empirical.progress_line import RunsProgress

    finished = sum(os.path.isfile(os.path.join(out, name, "summary.json")) for name in plan)
    progress = RunsProgress(len(plan), done=finished, quiet=args.quiet)
    try:
        run_specs(plan, scale=args.scale, out=out, overrides=run_overrides(args), progress=progress)
    except ValueError as exc:
        progress.close()
        print(f"eos experiment: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        progress.close()
        print("eos experiment: interrupted; rerun the same command to resume", file=sys.stderr)
        return 130
    progress.close()
    if sc.reduced:
        print(
            f"done (scale {sc.name}, REDUCED: {sc.note}); runs in {out}; report: eos report {out}"
        )
    else:
        print(f"done; runs in {out}; report: eos report {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
