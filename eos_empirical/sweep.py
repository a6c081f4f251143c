"""Grids of runs: ordinary run folders from a TOML grid, on a process pool or a Ray cluster.

The runs are summarized in one table.

A grid file has a ``[run]`` table of fixed ``eos run`` options (their long names, e.g.
``max-steps = 40``), a ``[grid]`` table whose lists are axes (their cartesian product), and
optional ``[[include]]`` tables, each one more point (a file with only ``[run]`` is one
run; with ``[[include]]`` and no ``[grid]``, ``[run]`` is what the included points share)::

    [run]
    dataset = "synthetic"
    n = 200
    opt = "gd"
    [grid]
    eta = ["2/100", "2/50"]
    seed = [0, 1]

Each point is one run folder under the sweep's folder, named from its varied values
(``eta=2_100-seed=0``), and is an ordinary resumable ``eos run`` folder: a finished run is
skipped, an interrupted one resumed.

A point may name a run of the paper's experiments (:mod:`eos_empirical.experiments`) with
``experiment-run = "gd-tanh-d2-eta2_20"``: its options are that run's at the paper's size, replaced
by the point's own (``seed``, ``eig-pair``, ...), and its folder gets the ``experiment.json`` that
the checks read (experiments, regime, seed), so ``eos verify --runs`` judges a sweep over seeds.
``control = "float64"`` labels a point that changes the paper's setting on purpose (precision,
initialization scale, biases): the checks report a control beside the verdict and never count it
among the seeds behind it. Points run through ``eos run``'s own parser, so every option is checked
once, in one place (:mod:`eos_empirical.commands.run_options`), before any
work. :func:`summarize` writes ``summary.csv`` and ``summary.md`` (one row per run) from the
run folders alone. Torch is imported only inside the workers.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import json
import math
import os
import re
import sys
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from eos_empirical import summary_text
from eos_empirical.runlog import EXPERIMENT_FILE, SUMMARY_FILE, F, load_run, lock_holder

#: What a sweep point is: ``eos run`` option (long name, no dashes) -> value.
Point = dict[str, Any]
EXECUTORS = ("local", "ray")


@dataclass(frozen=True)
class Grid:
    """An expanded grid: the fixed options, the varied option names, and the points."""

    fixed: Point
    varied: tuple[str, ...]
    points: tuple[Point, ...]


def _text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def load_grid(path: str | os.PathLike[str]) -> Grid:
    r"""Read and expand a grid file; ``ValueError`` naming the file and the problem.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.toml"
    >>> _ = p.write_text('[run]\nn = 10\n[grid]\neta = ["2/100", "2/50"]\nseed = [0, 1]\n')
    >>> [run_name(q, ("eta", "seed")) for q in load_grid(p).points]
    ['eta=2_100-seed=0', 'eta=2_100-seed=1', 'eta=2_50-seed=0', 'eta=2_50-seed=1']
    """
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"grid: cannot read {p}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"grid: {p} is not valid TOML: {exc}") from None
    unknown = set(data) - {"run", "grid", "include"}
    if unknown:
        raise ValueError(f"grid: {p} has unknown tables {sorted(unknown)} (run, grid, include)")
    fixed = dict(data.get("run", {}))
    axes = dict(data.get("grid", {}))
    for name, values in axes.items():
        if not isinstance(values, list) or not values:
            raise ValueError(f"grid: [grid] {name} must be a non-empty list, got {values!r}")
    names = tuple(axes)
    includes = data.get("include", [])
    if not isinstance(includes, list):
        raise ValueError("grid: [[include]] must be an array of tables")
    points = [
        fixed | dict(zip(names, combo, strict=True)) for combo in itertools.product(*axes.values())
    ]
    if not axes and includes:
        points = []  # [run] holds what the [[include]] points share; it is not a point itself
    varied = list(names)
    for extra in includes:
        varied += [k for k in extra if k not in varied]
        points.append(fixed | dict(extra))
    names_seen = [run_name(q, tuple(varied)) for q in points]
    if len(set(names_seen)) != len(names_seen):
        raise ValueError(f"grid: {p} gives two points the same run folder name")
    return Grid(fixed, tuple(varied), tuple(points))


def run_name(point: Mapping[str, Any], varied: Sequence[str]) -> str:
    """The run folder name of ``point``: its varied values, ``name=value`` joined by ``-``.

    >>> run_name({"eta": "2/30", "seed": 1, "n": 5}, ["eta", "seed"])
    'eta=2_30-seed=1'
    """
    parts = [f"{k}={_text(point[k])}" for k in varied if k in point] or ["run"]
    return re.sub(r"[^A-Za-z0-9=._-]", "_", "-".join(parts))


def point_argv(point: Mapping[str, Any], out: Path) -> list[str]:
    """The ``eos run`` command line of ``point`` into ``out`` (flags from the long names).

    >>> point_argv({"eta": "2/30", "max-steps": 40, "nondeterministic": False}, Path("r"))
    ['--out', 'r', '--eta', '2/30', '--max-steps', '40']
    """
    argv = ["--out", str(out)]
    for key, value in point.items():
        flag = "--" + key.replace("_", "-")
        if isinstance(value, bool):
            if value:
                argv.append(flag)
            continue
        argv += [flag, _text(value)]
    return argv


#: The grid keys that are not ``eos run`` options (see the module docstring).
EXPERIMENT_RUN, CONTROL = "experiment-run", "control"


def experiment_point(point: Mapping[str, Any]) -> tuple[Point, dict[str, Any] | None]:
    """The ``eos run`` options of ``point`` and its ``experiment.json`` record.

    The record is ``None`` for a plain point; ``ValueError`` for an unknown experiment run.

    >>> opts, rec = experiment_point({"experiment-run": "gd-tanh-d2-eta2_10", "seed": 3})
    >>> opts["eta"], opts["seed"], rec["regime"], rec["seed"], rec["control"]
    ('2/10', 3, 'diverge', 3, None)
    """
    opts = dict(point)
    spec_name = opts.pop(EXPERIMENT_RUN, None)
    control = opts.pop(CONTROL, None)
    if spec_name is None:
        if control is not None:
            raise ValueError(f"'{CONTROL}' needs '{EXPERIMENT_RUN}'")
        return opts, None
    from eos_empirical.experiments.runner import all_runs
    from eos_empirical.experiments.specs import BASE, EXPERIMENTS, SCALES

    plan = all_runs(EXPERIMENTS)
    if spec_name not in plan:
        raise ValueError(f"{EXPERIMENT_RUN} {spec_name!r} is not a run of the paper's experiments")
    spec, exps = plan[spec_name]
    paper = spec.fields(SCALES["paper"])
    base = {k.replace("_", "-"): v for k, v in paper.items()}
    opts = base | opts
    record = {
        "run": spec_name,
        "experiments": sorted(exps),
        "regime": spec.regime,
        "scale": SCALES["paper"].describe(),
        "reduced": False,
        "paper_options": dict(BASE) | dict(spec.options),
        "seed": int(opts.get("seed", 0)),
        "control": None if control is None else str(control),
    }
    return opts, record


def check_points(grid: Grid, out: Path, only: Sequence[str] = ()) -> list[tuple[str, list[str]]]:
    """Every point's (run name, ``eos run`` argv), each parsed by ``eos run``'s parser and
    config check first: a bad option is a ``ValueError`` naming the point, before any run.

    ``only``: keep the points whose run name contains one of these texts (all when empty);
    every text must match a point, else ``ValueError`` naming it (a mistyped filter among
    several would otherwise drop its runs silently). The whole grid is checked either way.
    A kept point naming an experiment run (:func:`experiment_point`) gets its
    ``experiment.json`` written here, before any run starts; the other points' folders are
    not touched.
    """  # noqa: D205
    from eos_empirical.commands.run_cli import build_parser
    from eos_empirical.commands.run_options import config_from_args

    parser = build_parser()
    plan = []
    records: dict[str, dict[str, Any]] = {}
    for raw in grid.points:
        name = run_name(raw, grid.varied)
        try:
            point, record = experiment_point(raw)
        except ValueError as exc:
            raise ValueError(f"grid point {name}: {exc}") from None
        if record is not None:
            records[name] = record
        argv = point_argv(point, out / name)
        try:
            args, rest = parser.parse_known_args(argv)
            if rest:
                raise ValueError(f"unknown options {rest}")
            config_from_args(args)
        except (ValueError, SystemExit) as exc:
            detail = str(exc) if isinstance(exc, ValueError) else "see eos run --help"
            raise ValueError(f"grid point {name}: {detail}") from None
        plan.append((name, argv))
    if only:
        unmatched = [t for t in only if not any(t in name for name, _ in plan)]
        if unmatched:
            raise ValueError(
                f"--only {unmatched[0]!r}: no point of the grid matches "
                f"({len(plan)} points, e.g. {plan[0][0]!r})"
            )
        plan = [(n, a) for n, a in plan if any(t in n for t in only)]
    kept = {name for name, _ in plan}
    for name, record in records.items():
        if name not in kept:
            continue
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / EXPERIMENT_FILE).write_text(json.dumps(record, indent=2) + "\n")
    return plan


def _exit_with_parent(poll_s: float = 1.0) -> None:
    """End this worker when the process that started it is gone (killed sweep): a daemon
    thread polls the parent's pid; the run resumes from its last checkpoint next time."""  # noqa: D205, D209
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(poll_s)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def run_point(argv: list[str]) -> int:
    """Run one point in this process with one torch thread (a pool or Ray worker), without
    its progress (and, when standard output is a terminal, without its last line: the
    sweep's log says how each run ended).

    A local pool worker ends with the sweep that started it (:func:`_exit_with_parent`):
    killing ``eos sweep`` leaves no run going on without it.
    """  # noqa: D205
    import torch

    from eos_empirical.commands.run_cli import main

    if os.environ.get("EOS_SWEEP_WORKER") == "local":
        _exit_with_parent()
    torch.set_num_threads(1)
    # On a terminal the sweep's bar is there, and its log line names this run's outcome.
    sink = open(os.devnull, "w") if sys.stdout.isatty() else None
    try:  # the sweep shows runs done; a bar per worker would garble it
        with contextlib.redirect_stdout(sink or sys.stdout):
            return int(main([*argv, "--quiet"]))
    except Exception as exc:  # one failed point must not stop the others
        print(f"eos sweep: {argv[1]} failed: {type(exc).__name__}: {exc}")
        return 1
    finally:
        if sink is not None:
            sink.close()


def _finished(name: str, argv: Sequence[str], code: int) -> str:
    """What to log when the point ``name`` (run into ``argv[1]``) ended with ``code``."""
    path = Path(argv[1]) / SUMMARY_FILE
    if code == 0 and path.is_file():
        try:
            return f"{name}: {summary_text.run_line(json.loads(path.read_text()))}"
        except (OSError, ValueError):
            pass
    return f"{name}: exit {code}"


def execute(
    plan: Sequence[tuple[str, list[str]]],
    *,
    executor: str = "local",
    jobs: int | None = None,
    address: str | None = None,
    cuda: bool = False,
    log: Callable[[str], None] = print,
) -> dict[str, int]:
    """Run every point of ``plan``; the exit code of each, by run name.

    ``local``: a process pool of ``jobs`` workers (default: the cores). ``ray``: one Ray task
    per run (``num_gpus=1`` for CUDA runs); ``address`` joins a running cluster (``auto``),
    none starts a local one. ``log`` gets one line per finished run (``[done/total]``, its
    outcome from its ``summary.json``, else its exit code).
    """
    if executor not in EXECUTORS:
        raise ValueError(f"executor: {executor!r} is not one of {', '.join(EXECUTORS)}")
    codes: dict[str, int] = {}
    argvs = dict(plan)
    if executor == "local":
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        workers = jobs or os.cpu_count() or 1
        ctx = multiprocessing.get_context("spawn")
        os.environ["EOS_SWEEP_WORKER"] = "local"  # inherited by the spawned workers
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            futures = {pool.submit(run_point, argv): name for name, argv in plan}
            for done, fut in enumerate(as_completed(futures), 1):
                name = futures[fut]
                codes[name] = fut.result()
                log(f"[{done}/{len(plan)}] {_finished(name, argvs[name], codes[name])}")
        return codes
    import ray

    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False)
    task = ray.remote(num_gpus=1 if cuda else 0, num_cpus=1)(run_point)
    refs = {task.remote(argv): name for name, argv in plan}
    pending = list(refs)
    while pending:
        ready, pending = ray.wait(pending, num_returns=1)
        name = refs[ready[0]]
        codes[name] = int(ray.get(ready[0]))
        log(f"[{len(codes)}/{len(plan)}] {_finished(name, argvs[name], codes[name])}")
    return codes


def _median_half(values: np.ndarray) -> float:
    tail = values[len(values) // 2 :]
    tail = tail[np.isfinite(tail)]
    return float(np.median(tail)) if tail.size else math.nan


SUMMARY_COLUMNS = (
    "run",
    "outcome",
    "steps",
    "final_loss",
    "final_acc",
    "median_rp_2nd_half",
    "median_half_eta_L_2nd_half",
    "median_half_eta_lambda_2nd_half",
    "damage",
    "folder",
)


#: The outcome of a point whose folder another process is writing (two sweeps of one grid,
#: or a run started by hand): neither finished nor failed; rerun the sweep once it ends.
BUSY_OUTCOME = "busy"


def summarize(out: Path, names: Sequence[str], codes: Mapping[str, int]) -> list[dict[str, Any]]:
    """Write ``summary.csv`` and ``summary.md`` under ``out``: one row per run, from its
    folder alone (a failed or damaged run says so, a run another process is writing is
    :data:`BUSY_OUTCOME` with its pid); return the rows."""  # noqa: D205, D209
    rows = []
    summaries: dict[str, Mapping[str, Any]] = {}
    for name in names:
        folder = out / name
        row: dict[str, Any] = {c: "" for c in SUMMARY_COLUMNS} | {"run": name, "folder": name}
        if not (folder / SUMMARY_FILE).is_file():
            holder = lock_holder(folder)
            row["outcome"] = (
                f"failed (exit {codes.get(name, '?')})"
                if holder is None
                else f"{BUSY_OUTCOME} (pid {holder} is writing it)"
            )
            rows.append(row)
            continue
        run = load_run(folder)
        s = summaries[name] = run.summary or {}
        half_eta = 0.5 * run.eta
        row |= {
            "outcome": s.get("outcome"),
            "steps": s.get("steps"),
            "final_loss": s.get("final_loss"),
            "final_acc": s.get("final_acc"),
            "median_rp_2nd_half": _median_half(run.col(F.RP)),
            "median_half_eta_L_2nd_half": half_eta * _median_half(run.col(F.DIR_SMOOTHNESS)),
            "median_half_eta_lambda_2nd_half": half_eta * _median_half(run.col(F.SHARPNESS)),
            "damage": "; ".join(run.damage),
        }
        rows.append(row)
    with (out / "summary.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=SUMMARY_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    (out / "summary.md").write_text(summary_markdown(rows, summaries), encoding="utf-8")
    return rows


#: The columns of ``summary.md``: heading, and how a row's cell reads.
_MD_COLUMNS: tuple[tuple[str, Callable[[Mapping[str, Any], Mapping[str, Any]], str]], ...] = (
    ("run", lambda r, s: str(r["run"])),
    ("outcome", lambda r, s: _outcome_cell(r, s)),
    ("length", lambda r, s: summary_text.length(s) if s else "-"),
    ("final loss", lambda r, s: summary_text.loss(s) if s else "-"),
    ("final acc", lambda r, s: summary_text.percent(r["final_acc"])),
    ("median RP, 2nd half", lambda r, s: summary_text.sig4(r["median_rp_2nd_half"])),
    ("median ηL/2, 2nd half", lambda r, s: summary_text.sig4(r["median_half_eta_L_2nd_half"])),
    ("median ηλ/2, 2nd half", lambda r, s: summary_text.sig4(r["median_half_eta_lambda_2nd_half"])),
    ("damage", lambda r, s: str(r["damage"]) or "-"),
)


def _outcome_cell(row: Mapping[str, Any], summary: Mapping[str, Any]) -> str:
    text = str(row["outcome"])
    if text == "diverged" and summary.get("reason"):
        text += f" ({summary['reason']})"
    return text


def summary_markdown(
    rows: Sequence[Mapping[str, Any]], summaries: Mapping[str, Mapping[str, Any]]
) -> str:
    r"""``summary.md``: one row per run, numbers to 4 significant digits, accuracies as
    percentages, GD steps and SGD epochs by name, a non-finite loss as ``nan``/``inf``.

    >>> row = dict.fromkeys(SUMMARY_COLUMNS, "") | {"run": "a", "outcome": "diverged",
    ...        "final_acc": 0.1, "median_rp_2nd_half": 0.123456}
    >>> s = {"steps": 3, "iterations": 30, "final_loss": None, "reason": "loss inf at epoch 3"}
    >>> print(summary_markdown([row], {"a": s}).splitlines()[2])
    | a | diverged (loss inf at epoch 3) | 3 epochs (30 iterations) | inf | 10.00% | 0.1235 | - | - | - |
    """  # noqa: D205, E501
    lines = [
        "| " + " | ".join(name for name, _ in _MD_COLUMNS) + " |",
        "|" + "---|" * len(_MD_COLUMNS),
    ]
    for row in rows:
        s = summaries.get(str(row["run"]), {})
        lines.append("| " + " | ".join(cell(row, s) for _, cell in _MD_COLUMNS) + " |")
    return "\n".join(lines) + "\n"
