r"""Running experiments: the distinct runs of a set of experiments, each run's config, the runs.

Runs are shared between experiments when their configurations are identical (each run
folder is named after its configuration, not after an experiment), and a run whose
``summary.json`` exists is skipped, so ``eos experiment all`` resumes where it stopped.
Each run folder also gets ``experiment.json``: the experiments using the run, the regime
the paper expects, the scale and the options at the paper's scale. The engine (and torch)
is imported only when a run starts.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eos_empirical.config import RunConfig, parse_eta
from eos_empirical.experiments.specs import BASE, EXPERIMENTS, SCALES, RunSpec, Scale
from eos_empirical.runlog import EXPERIMENT_FILE
from eos_empirical.summary_text import run_line

if TYPE_CHECKING:
    from eos_empirical.progress_line import RunsProgress


def all_runs(names: Iterable[str]) -> dict[str, tuple[RunSpec, list[str]]]:
    """The distinct runs of the named experiments, each with the experiments that use it.

    Raises ``ValueError`` for an unknown name or for two different runs with one folder name.
    """
    out: dict[str, tuple[RunSpec, list[str]]] = {}
    for name in names:
        if name not in EXPERIMENTS:
            raise ValueError(f"experiment: unknown name {name!r}; known: {', '.join(EXPERIMENTS)}")
        for spec in EXPERIMENTS[name].runs:
            if spec.name in out:
                if out[spec.name][0] != spec:
                    raise ValueError(f"two different runs are named {spec.name!r}")
                if name not in out[spec.name][1]:
                    out[spec.name][1].append(name)
            else:
                out[spec.name] = (spec, [name])
    # a run also belongs to every experiment (not asked for) that lists the same spec
    for exp in EXPERIMENTS.values():
        for spec in exp.runs:
            if spec.name in out and exp.name not in out[spec.name][1]:
                out[spec.name][1].append(exp.name)
    return out


def run_config(
    spec: RunSpec,
    scale: Scale,
    *,
    data_root: str | None = None,
    device: str | None = None,
    dtype: str = "float32",
    overrides: Mapping[str, Any] | None = None,
) -> RunConfig:
    """The engine's :class:`~eos_empirical.config.RunConfig` of ``spec`` at ``scale``."""
    fields = spec.fields(scale) | {"data_root": data_root, "device": device, "dtype": dtype}
    fields |= dict(overrides or {})
    fields["eta"] = parse_eta(fields["eta"])
    return RunConfig(**fields)


def _write_json(path: Path, obj: object) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(obj, indent=2) + "\n")
    os.replace(tmp, path)


def run_experiments(
    names: Iterable[str],
    *,
    scale: str = "paper",
    out: str | os.PathLike[str] = "runs",
    data_root: str | None = None,
    device: str | None = None,
    dtype: str = "float32",
    overrides: Mapping[str, Any] | None = None,
    log: Callable[[str], None] | None = None,
) -> dict[str, dict[str, Any]]:
    """Run (or skip, when finished) every run of the named experiments into ``out``.

    Each run goes to ``out/<run name>/`` with the engine's files and ``experiment.json``
    (experiments using it, regime, scale); a finished run (``summary.json`` present) is
    skipped. Returns each run's summary by name. ``overrides`` replaces config fields
    (tests use it for synthetic data).
    """
    return run_specs(
        all_runs(names),
        scale=scale,
        out=out,
        data_root=data_root,
        device=device,
        dtype=dtype,
        overrides=overrides,
        log=log,
    )


def run_specs(
    plan: Mapping[str, tuple[RunSpec, list[str]]],
    *,
    scale: str = "paper",
    out: str | os.PathLike[str] = "runs",
    data_root: str | None = None,
    device: str | None = None,
    dtype: str = "float32",
    overrides: Mapping[str, Any] | None = None,
    log: Callable[[str], None] | None = None,
    progress: RunsProgress | None = None,
) -> dict[str, dict[str, Any]]:
    """Run the ``plan`` (run name -> (spec, experiments using it)); see
    :func:`run_experiments`.

    With ``progress`` (:class:`~eos_empirical.progress_line.RunsProgress`, counting the
    runs finished before as done), each run shows its own progress and the messages go
    through it.
    """  # noqa: D205
    from eos_empirical.train import train

    if scale not in SCALES:
        raise ValueError(f"scale must be one of {tuple(SCALES)}, got {scale!r}")
    sc = SCALES[scale]
    say = log or (progress.log if progress is not None else None)
    say = say or (lambda s: print(s, file=sys.stderr, flush=True))
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    if sc.reduced:
        say(f"[scale {sc.name}] {sc.note}")
    results: dict[str, dict[str, Any]] = {}
    for i, (run_name, (spec, exps)) in enumerate(plan.items(), 1):
        d = root / run_name
        config = run_config(
            spec, sc, data_root=data_root, device=device, dtype=dtype, overrides=overrides
        )
        d.mkdir(parents=True, exist_ok=True)
        _write_json(
            d / EXPERIMENT_FILE,
            {
                "run": run_name,
                "experiments": sorted(exps),
                "regime": spec.regime,
                "scale": sc.describe(),
                "reduced": sc.reduced,
                "paper_options": dict(BASE) | dict(spec.options),
            },
        )
        if (d / "summary.json").is_file():
            results[run_name] = json.loads((d / "summary.json").read_text())
            say(
                f"[{i}/{len(plan)}] {run_name}: finished before, skipped "
                f"({results[run_name]['outcome']})"
            )
            continue
        say(f"[{i}/{len(plan)}] {run_name} ({', '.join(sorted(exps))}) ...")
        on_step = None if progress is None else progress.run(run_name, config)
        res = train(config, d, on_step=on_step)
        if progress is not None:
            progress.run_done()
        cfg_path = d / "config.json"
        cfg = json.loads(cfg_path.read_text())
        cfg["scale"] = sc.describe()
        _write_json(cfg_path, cfg)
        results[run_name] = res.summary
        say(f"    {run_name}: {run_line(res.summary, config.opt)}")
    return results
