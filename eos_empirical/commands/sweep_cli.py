"""``eos sweep GRID.toml --out DIR``: a grid of ``eos run`` runs on a process pool or on Ray.

See :mod:`eos_empirical.sweep` for the grid file. Every point is checked by ``eos run``'s
parser before any run starts (a bad one is one line naming the point, exit 2); finished runs
are skipped and interrupted ones resumed; progress on stderr counts the runs done, with an ETA
(``--quiet``: none); a failed point is reported in ``DIR/summary.csv``
and ``DIR/summary.md`` and does not stop the others (exit 1 at the end); a point whose folder
another process is writing is skipped and reported as busy, with that process's pid (exit 3
when nothing failed: rerun the sweep once that process ends).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from eos_empirical.commands.help_format import HelpFormatter
from eos_empirical.commands.output_paths import add_quiet_option


def build_parser() -> argparse.ArgumentParser:
    """The ``eos sweep`` option parser."""
    p = argparse.ArgumentParser(
        formatter_class=HelpFormatter,
        prog="eos sweep",
        description="Run a TOML grid of eos run options ([run] fixed, [grid] axes, "
        "[[include]] points), one run folder per point, and summarize them.",
        epilog="""examples:
  eos sweep grids/smoke.toml --out runs/smoke
  eos sweep grids/smoke.toml --out runs/smoke-ray --executor ray
  eos sweep grids/paper/unstable.toml --out runs/unstable --executor ray --address auto
""",
    )
    p.add_argument("grid", type=Path, help="the grid file (TOML)")
    p.add_argument("--out", type=Path, required=True, help="folder of the run folders")
    p.add_argument(
        "--executor",
        choices=("local", "ray"),
        default="local",
        help="local process pool or Ray (a local cluster, or --address)",
    )
    p.add_argument(
        "--address",
        default=None,
        help="Ray cluster to join ('auto': the running one; default: start a local one)",
    )
    add_quiet_option(p)
    p.add_argument(
        "--jobs", type=int, default=None, help="local workers (default: the number of cores)"
    )
    p.add_argument(
        "--only",
        metavar="TEXT",
        action="append",
        default=None,
        help="run only the points whose run name contains TEXT (repeatable; default: every point)",
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``eos sweep``: 0 when every point finished, 1 when one failed, 2 on
    bad input, 3 when none failed but another process was writing some (rerun later)."""  # noqa: D205, D209
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.jobs is not None and args.jobs < 1:
        parser.error(f"--jobs must be >= 1, got {args.jobs}")
    if args.address is not None and args.executor != "ray":
        parser.error("--address goes with --executor ray")
    from eos_empirical import sweep
    from eos_empirical.commands.output_paths import input_file, output_dir

    try:
        input_file(args.grid, "grid")
        output_dir(args.out, "--out")
        grid = sweep.load_grid(args.grid)
        args.out.mkdir(parents=True, exist_ok=True)
        plan = sweep.check_points(grid, args.out, only=args.only or ())
    except (ValueError, OSError) as exc:
        print(f"eos sweep: error: {exc}", file=sys.stderr)
        return 2
    if args.executor == "ray":
        try:
            import ray  # noqa: F401
        except ImportError:
            print("eos sweep: error: --executor ray needs Ray: pip install -e '.[sweep]'",
                  file=sys.stderr)  # fmt: skip
            return 2
    from eos_empirical.progress_line import RunsProgress

    start = time.perf_counter()
    progress = RunsProgress(len(plan), quiet=args.quiet)
    try:
        codes = sweep.execute(
            plan,
            executor=args.executor,
            jobs=args.jobs,
            address=args.address,
            cuda=str(grid.fixed.get("device", "")) == "cuda",
            log=progress.one_done,  # called once per finished run
        )
    finally:
        progress.close()
    rows = sweep.summarize(args.out, [name for name, _ in plan], codes)
    failed = [r["run"] for r in rows if str(r["outcome"]).startswith("failed")]
    busy = [r["run"] for r in rows if str(r["outcome"]).startswith(sweep.BUSY_OUTCOME)]
    elsewhere = f", {len(busy)} written by another process" if busy else ""
    print(
        f"{len(rows)} runs, {len(failed)} failed{elsewhere}, "
        f"{time.perf_counter() - start:.1f} s ({args.executor}) -> {args.out / 'summary.csv'}"
    )
    return 1 if failed else 3 if busy else 0
