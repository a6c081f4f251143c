"""The markdown report of the paper's experiments from saved runs (``eos report RUNS_DIR``).

Reads every run folder under ``RUNS_DIR`` (logs only, through :mod:`eos_empirical.runlog`),
decides every empirical claim (:mod:`eos_empirical.checks`), draws one figure per experiment
(:mod:`eos_empirical.plots`) and writes ``report.md`` with

- the verdict table (claim, criterion, measured, verdict), ``not run`` where an
  experiment's runs are missing;
- per experiment: its figure, its runs (configuration, outcome, steps, wall time, time per
  step) and the paper's text;
- the scale (paper or REDUCED, and what was reduced), the hardware and library versions of
  the runs, and every run's full configuration;
- an optional discussion (``--notes FILE``, written by a person after reading the numbers).

``--copy-logs`` also copies each run's ``config.json``, ``summary.json``,
``experiment.json`` and a gzip of ``steps.jsonl`` (no checkpoints) next to the report, so
the verdicts can be recomputed from the report folder alone (``eos report OUT/runs``).
The command line is :mod:`eos_empirical.commands.report_cli`.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import platform
import shutil
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from eos_empirical.checks import CHECKS, MissingRunsError, evaluate_all
from eos_empirical.progress_line import counted
from eos_empirical.runlog import (
    CONFIG_FILE,
    EXPERIMENT_FILE,
    STEPS_FILE,
    STEPS_GZ_FILE,
    SUMMARY_FILE,
    F,
    RunLog,
    load_run,
    load_runs,
    runs_of,
)
from eos_theory.registry import PASSING, Verdict


def _fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:.4g}" if math.isfinite(v) else str(v)
    return str(v)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def measured_text(numbers: Mapping[str, object], *, limit: int = 12) -> str:
    """The deciding numbers as ``key: value`` items separated by ``; ``.

    >>> measured_text({"a": 0.123456, "b": "x", "seconds": 1.0})
    'a: 0.1235; b: x'
    """
    items = [(k, v) for k, v in numbers.items() if k != "seconds"]
    text = "; ".join(f"{k}: {_fmt(v)}" for k, v in items[:limit])
    if len(items) > limit:
        text += f"; … ({len(items) - limit} more below)"
    return text


def verdict_label(check_id: str, v: Verdict | MissingRunsError) -> str:
    """``holds``/``fails``/``finding`` with a mark; ``not run`` for missing runs, and
    ``inconclusive`` (unmarked) when the logs hold too few qualifying rows.
    """  # noqa: D205
    if isinstance(v, MissingRunsError):
        return "not run"
    if v.status == "inconclusive":
        return "inconclusive"
    if v.status == "damaged":
        return "❌ damaged logs"
    ok = v.status in PASSING[CHECKS[check_id].kind]
    return f"{'✅' if ok else '❌'} {v.status}"


def _scale_of(runs: Mapping[str, RunLog]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for r in runs.values():
        s = r.experiment.get("scale") or r.meta.get("scale")
        if isinstance(s, dict):
            seen[str(s.get("name"))] = s
    return list(seen.values())


def _hardware(runs: Mapping[str, RunLog]) -> list[str]:
    lines = set()
    for r in runs.values():
        m = r.meta
        v = m.get("versions", {})
        lines.add(
            f"device {m.get('device', '?')} ({m.get('device_name', '?')}), dtype "
            f"{m.get('dtype', r.dtype)}, TF32 {m.get('tf32', '?')}, deterministic "
            f"{m.get('deterministic_algorithms', '?')}; python {v.get('python', '?')}, torch "
            f"{v.get('torch', '?')}, numpy {v.get('numpy', '?')}"
        )
    return sorted(lines)


def _run_row(r: RunLog) -> str:
    s = r.summary or {}
    c = r.config
    wall = s.get("wall_time_s")
    tps = s.get("time_per_step_s")
    unit = "epochs" if c["opt"] == "sgd" else "steps"
    return (
        f"| `{r.name}` | {r.regime} | {c['activation']} | {c['depth']} | {c['opt']} | "
        f"{r.eta_label} | {c['n']} | {r.outcome} | {s.get('steps', len(r.rows))} {unit} | "
        f"{_fmt(s.get('final_loss'))} / {_fmt(s.get('final_acc'))} | "
        f"{'' if wall is None else f'{wall:.1f}'} | {'' if tps is None else f'{tps:.4f}'} |"
    )


RUN_HEADER = (
    "| run | regime | activation | depth | opt | η | n | outcome | length | final loss / acc "
    "| wall time (s) | time per step/epoch (s) |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def _json_numbers(numbers: Mapping[str, object]) -> dict[str, object]:
    return {
        k: x if isinstance(x, int | float | str | bool) or x is None else str(x)
        for k, x in numbers.items()
    }


def verdict_record(
    cid: str, v: Verdict | MissingRunsError, controls: Mapping[str, Verdict]
) -> dict[str, object]:
    """One claim's entry of ``verdicts.json``: id, verdict, criterion, the seeds behind it,
    the deciding numbers, and the criterion on each control run (beside the verdict)."""  # noqa: D205, D209
    c = CHECKS[cid]
    record: dict[str, object] = {"id": cid, "criterion": c.criterion}
    if isinstance(v, MissingRunsError):
        return record | {"status": "not run", "detail": str(v), "seeds": []}
    held = v.numbers.get("holds in seeds", [])
    failed = v.numbers.get("fails in seeds", [])
    seeds = sorted([*held, *failed]) if isinstance(held, list) and isinstance(failed, list) else []
    if v.status == "finding":  # a measurement over every run: the seeds it was measured in
        seeds = list(v.numbers.get("measured in seeds", []))  # type: ignore[call-overload]
    record |= {"status": v.status, "detail": v.detail, "seeds": seeds}
    record["numbers"] = _json_numbers(v.numbers)
    if controls:
        record["controls"] = {
            name: {"status": cv.status, "detail": cv.detail, "numbers": _json_numbers(cv.numbers)}
            for name, cv in controls.items()
        }
    return record


def copy_logs(runs: Mapping[str, RunLog], dest: Path) -> None:
    """Copy each finished run's small files and a gzip of its ``steps.jsonl`` under ``dest``
    (a sweep's run keeps its ``sweep/run`` place); an unfinished run is not copied."""  # noqa: D205, D209
    for key, r in runs.items():
        if r.summary is None:
            continue  # still running or stopped: its log is not final
        d = dest / key
        d.mkdir(parents=True, exist_ok=True)
        for name in (CONFIG_FILE, SUMMARY_FILE, EXPERIMENT_FILE):
            if (r.path / name).is_file():
                shutil.copyfile(r.path / name, d / name)
        src = r.path / STEPS_FILE
        if src.is_file():
            with src.open("rb") as fi, gzip.GzipFile(d / STEPS_GZ_FILE, "wb", mtime=0) as fo:
                shutil.copyfileobj(fi, fo)
        elif (r.path / STEPS_GZ_FILE).is_file():
            shutil.copyfile(r.path / STEPS_GZ_FILE, d / STEPS_GZ_FILE)


def write_report(
    runs_dir: str | os.PathLike[str],
    out: str | os.PathLike[str] | None = None,
    *,
    notes: str | os.PathLike[str] | None = None,
    copy: bool = False,
    figures: bool = True,
    title: str = "Experiments 1–9 of Ahn, Zhang & Sra (ICML 2022): verdicts from runs",
    quiet: bool = True,
) -> Path:
    """Write ``report.md`` (+ ``figures/``, ``verdicts.json``) for ``runs_dir`` into ``out``.

    ``out`` defaults to ``runs_dir``; returns the report's path. Unless ``quiet``, the
    experiments done / total show on stderr (:func:`eos_empirical.progress_line.counted`).
    """
    from eos_empirical.experiments import EXPERIMENTS
    from eos_empirical.plots import plot_experiment

    runs = load_runs(runs_dir)
    out_dir = Path(out) if out is not None else Path(runs_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    verdicts = evaluate_all(runs)
    controls = {cid: CHECKS[cid].controls(runs) for cid in verdicts}
    lines = [f"# {title}", ""]
    scales = _scale_of(runs)
    reduced = any(s.get("reduced") for s in scales)
    lines.append(
        f"Generated {time.strftime('%Y-%m-%d %H:%M %Z')} by `eos report` from "
        f"{len(runs)} run folders."
    )
    lines.append("")
    for s in scales:
        lines.append(f"**Scale: {s.get('name')}** — {s.get('note')}")
        lines.append("")
    if reduced:
        lines.append(
            "> These runs are REDUCED in size (see the scale above): the verdicts "
            "are those of the reduced setting, not of the paper's n = 5000. The "
            "paper-scale runs need a GPU (`python -m pytest -m gpu "
            "tests/test_experiments_slow.py` or `eos experiment all --scale "
            "paper`)."
        )
        lines.append("")
    lines += [
        "## Verdicts",
        "",
        "Criteria are fixed in `eos_empirical/checks/check_registry.py` (thresholds in its "
        "docstring), "
        "written before the runs were looked at.",
        "",
        "| claim | location | statement | criterion | measured | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for cid, v in verdicts.items():
        c = CHECKS[cid]
        meas = (
            f"not run: {v}"
            if isinstance(v, MissingRunsError)
            else measured_text(v.numbers, limit=6) + (f". {v.detail}" if v.detail else "")
        )
        lines.append(
            f"| `{cid}` | {_cell(c.location)} | {_cell(c.statement)} | "
            f"{_cell(c.criterion)} | {_cell(meas)} | {verdict_label(cid, v)} |"
        )
    lines.append("")
    if any(controls.values()):
        lines += [
            "## Controls",
            "",
            "Each control changes the paper's setting on purpose (precision, initialization "
            "scale, biases) and is judged by the same criterion in the paper run's place, "
            "beside the verdict, never in it.",
            "",
            "| claim | control run | criterion on it | measured |",
            "|---|---|---|---|",
        ]
        for cid, found in controls.items():
            for name, cv in found.items():
                lines.append(
                    f"| `{cid}` | {_cell(name)} | {cv.status} | "
                    f"{_cell(measured_text(cv.numbers, limit=6))} |"
                )
        lines.append("")
    if notes is not None:
        lines += ["## Discussion", "", Path(notes).read_text().strip(), ""]
    lines += ["## All deciding numbers", ""]
    for cid, v in verdicts.items():
        if isinstance(v, MissingRunsError):
            continue
        lines += [f"<details><summary><code>{cid}</code>: {verdict_label(cid, v)}</summary>", ""]
        lines += [f"- {k}: {_fmt(x)}" for k, x in v.numbers.items() if k != "seconds"]
        lines += ["", "</details>", ""]
    total = sum(float((r.summary or {}).get("wall_time_s") or 0.0) for r in runs.values())
    lines += ["## Hardware and timing", ""]
    lines += [f"- {h}" for h in _hardware(runs)]
    lines += [
        f"- report written on {platform.platform()}, {os.cpu_count()} CPU cores",
        f"- total wall time of the runs: {total:.0f} s ({total / 60:.1f} min)",
        "",
    ]
    lines += ["## Experiments", ""]
    experiments = list(EXPERIMENTS.values())
    for e in counted(experiments, unit="experiment", label=lambda e: e.name, quiet=quiet):
        mine = sorted(runs_of(runs, e.name), key=lambda r: r.name)
        lines += [f"### {e.name}: {e.title}", "", f"*{e.location}*", ""]
        if not mine:
            lines += ["Not run (no run folder of this experiment).", ""]
            continue
        if figures:
            fig_path = out_dir / "figures" / f"{e.name}.png"
            plot_experiment(e.figure, mine, fig_path, title=f"{e.name}: {e.title}")
            lines += [f"![{e.name}](figures/{e.name}.png)", ""]
        lines += [RUN_HEADER, *[_run_row(r) for r in mine], ""]
        checks = [cid for cid in e.checks if cid in verdicts]
        if checks:
            lines += [
                "Checks: "
                + ", ".join(f"`{cid}` {verdict_label(cid, verdicts[cid])}" for cid in checks),
                "",
            ]
        doc = e.doc.replace("\n", "\n> ")
        lines += [
            "<details><summary>Paper text, configuration and choices</summary>",
            "",
            f"> {doc}",
            "",
            "</details>",
            "",
        ]
    lines += ["## Run configurations", ""]
    for r in sorted(runs.values(), key=lambda r: r.name):
        lines += [
            f"<details><summary><code>{r.name}</code></summary>",
            "",
            "```json",
            json.dumps(
                {"config": dict(r.config), "experiment": dict(r.experiment), "summary": r.summary},
                indent=1,
            ),
            "```",
            "",
            "</details>",
            "",
        ]
    report = out_dir / "report.md"
    report.write_text("\n".join(lines) + "\n")
    (out_dir / "verdicts.json").write_text(
        json.dumps(
            {cid: verdict_record(cid, v, controls.get(cid, {})) for cid, v in verdicts.items()},
            indent=1,
            allow_nan=True,
        )
        + "\n"
    )
    if copy:
        copy_logs(runs, out_dir / "runs")
    return report


def write_run_report(run_dir: str | os.PathLike[str], out: str | os.PathLike[str] | None = None,
                     *, figures: bool = True) -> Path:  # fmt: skip
    """Write ``report.md`` (and ``figures/run.png``) for ONE run folder, e.g. of ``eos run``.

    The summary (outcome, steps, final loss and accuracy, wall time), the second-half
    medians of RP, ηL/2 and ηλ/2 (1 is the stability threshold 2/η), any damage found in
    the log, and one figure: loss, RP, L and sharpness with their 2/η lines (GD), or the SGD
    panels. ``out`` defaults to the run folder; returns the report's path.
    """
    from eos_empirical.plots import plot_gd, plot_sgd

    run = load_run(run_dir)
    out_dir = Path(out) if out is not None else Path(run_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    s = run.summary or {}
    half = 0.5 * run.eta

    def med(values: np.ndarray) -> str:
        tail = values[len(values) // 2 :]
        tail = tail[np.isfinite(tail)]
        return _fmt(float(np.median(tail))) if tail.size else "not measured"

    lines = [
        f"# Run `{run.name}`: {run.label()}",
        "",
        f"Generated {time.strftime('%Y-%m-%d %H:%M %Z')} by `eos report` from one run folder.",
        "",
        "| quantity | value |",
        "|---|---|",
        f"| outcome | {run.outcome} |",
        f"| steps | {s.get('steps', len(run.rows))} |",
        f"| final loss | {_fmt(s.get('final_loss'))} |",
        f"| final accuracy | {_fmt(s.get('final_acc'))} |",
        f"| wall time (s) | {_fmt(s.get('wall_time_s'))} |",
        f"| median RP, second half | {med(run.col(F.RP))} |",
        f"| median ηL/2, second half (1 = 2/η) | {med(half * run.col(F.DIR_SMOOTHNESS))} |",
        f"| median ηλ/2, second half (1 = 2/η) | {med(half * run.col(F.SHARPNESS))} |",
        f"| log damage | {'; '.join(run.damage) or 'none'} |",
        "",
    ]
    if figures and run.rows:
        fig_dir = out_dir / "figures"
        plot = plot_sgd if run.config.get("opt") == "sgd" else plot_gd
        plot([run], fig_dir / "run.png", title=run.label())
        lines += ["![the run](figures/run.png)", ""]
    path = out_dir / "report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
