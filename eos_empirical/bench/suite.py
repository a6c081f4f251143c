"""Orchestration of ``eos bench``: run every figure, judge the targets, write the files.

:func:`run_bench` measures figures 1–3 per dtype (then the GPU figure and the theory
side) on the workload and returns the JSON-ready result with the machine, versions,
settings, targets judged and notes; :func:`write_outputs` writes ``docs/benchmarks.md``
(and the raw JSON) from it. Typed arguments only; the options are parsed by
:mod:`eos_empirical.commands.bench_cli`.
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import torch

from eos_empirical.bench.eig_figure import eig_figure, reference_sharpness
from eos_empirical.bench.fair_verdicts import judge_fair
from eos_empirical.bench.gd_step_figure import GD_ETA, gd_step_figure
from eos_empirical.bench.gpu_figure import gpu_figure
from eos_empirical.bench.hvp_figure import hvp_figure
from eos_empirical.bench.markdown import render_markdown
from eos_empirical.bench.monitor_figure import monitor_figure, monitor_rows
from eos_empirical.bench.theory_figure import theory_figure
from eos_empirical.bench.verdicts import judge, machine_info, versions
from eos_empirical.bench.workload import make_workload
from eos_empirical.numerics import measurement_numerics
from eos_empirical.progress_line import Stages
from eos_empirical.recorder import clean


def run_bench(
    *,
    command: str,
    quick: bool = False,
    repeats: int | None = None,
    eig_rounds: int | None = None,
    power_max_iter: int | None = None,
    n: int | None = None,
    device: str | None = None,
    dtype: str = "both",
    threads: int | None = None,
    skip_peers: bool = False,
    skip_theory: bool = False,
    skip_eig: bool = False,
    quiet: bool = False,
    fair: bool = False,
    fair_rounds: int | None = None,
    warm_n: int | None = None,
    warm_steps: int | None = None,
    monitor: bool = False,
) -> dict[str, Any]:
    """All figures; returns the JSON-ready result (``command`` is recorded to reproduce it).

    ``None`` counts take the defaults: ``repeats`` interleaved rounds per timing figure
    9 (quick 2), ``eig_rounds`` of the Lanczos/eigsh comparison 2 (quick 1),
    ``power_max_iter`` HVPs 120 (quick 8), ``n`` examples 5000 (quick 32); ``device``
    ``None`` is cuda when available; ``dtype`` is ``"float32"``, ``"float64"`` or
    ``"both"``; ``threads`` torch intra-op threads (default all cores), restored on
    return. ``fair`` adds figures 6–7 (equal true error, cold and warm along an
    edge-of-stability run; float32): ``fair_rounds`` interleaved timing rounds of the best
    settings 3 (quick 1), the warm run on ``warm_n`` examples (default ``n``) for
    ``warm_steps`` judged steps 30 (quick 3). ``monitor`` adds figure 8 per dtype (a
    Monitor step against the same plain loop, :mod:`~eos_empirical.bench.monitor_figure`)
    over as many pairs as figure 1. Figures done / total (with an ETA) and each
    eigensolver's cost go to stderr, nothing with ``quiet``. Raises ``ValueError`` naming
    the option when a count is below 1.
    """
    saved_threads = torch.get_num_threads()
    try:
        return _run(
            command=command,
            quick=quick,
            repeats=repeats or (2 if quick else 9),
            rounds=eig_rounds or (1 if quick else 2),
            power_iter=power_max_iter or (8 if quick else 120),
            n=n or (32 if quick else 5000),
            device_name=device,
            dtype=dtype,
            threads=threads,
            skip_peers=skip_peers,
            skip_theory=skip_theory,
            skip_eig=skip_eig,
            quiet=quiet,
            fair=fair,
            fair_rounds=fair_rounds or (1 if quick else 3),
            warm_n=warm_n or n or (32 if quick else 5000),
            warm_steps=warm_steps or (3 if quick else 30),
            monitor=monitor,
        )
    finally:
        torch.set_num_threads(saved_threads)  # run_bench() may run inside a test session


def _run(
    *,
    command: str,
    quick: bool,
    repeats: int,
    rounds: int,
    power_iter: int,
    n: int,
    device_name: str | None,
    dtype: str,
    threads: int | None,
    skip_peers: bool,
    skip_theory: bool,
    skip_eig: bool,
    quiet: bool,
    fair: bool,
    fair_rounds: int,
    warm_n: int,
    warm_steps: int,
    monitor: bool,
) -> dict[str, Any]:
    for name, value in (
        ("repeats", repeats),
        ("eig-rounds", rounds),
        ("n", n),
        ("power-max-iter", power_iter),
        ("fair-rounds", fair_rounds),
        ("warm-n", warm_n),
        ("warm-steps", warm_steps),
    ):
        if value < 1:
            raise ValueError(f"--{name} must be >= 1, got {value}")
    torch.set_num_threads(threads or os.cpu_count() or 1)
    from eos_empirical.train import resolve_device

    device = resolve_device(device_name)
    dtypes = {
        "float32": [torch.float32],
        "float64": [torch.float64],
        "both": [torch.float32, torch.float64],
    }[dtype]
    clock = time.perf_counter()
    result: dict[str, Any] = {
        "schema": 1,
        "quick": quick,
        "command": command,
        "created": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine_info(device),
        "versions": versions(),
        "figures": {},
        "notes": [],
    }
    ref = None
    gd32 = None
    gpu = device.type == "cuda" and torch.float32 in dtypes
    total = len(dtypes) * ((2 if skip_eig else 3) + monitor) + gpu + (not skip_theory) + 2 * fair
    stages = Stages(total, unit="figure", quiet=quiet)
    with measurement_numerics(deterministic=False, device=device):
        for i, dt in enumerate(dtypes):
            key = str(dt).removeprefix("torch.")
            fig: dict[str, Any] = {}
            with stages.stage(f"{key} figure 1 (GD step)"):
                w = make_workload(n=n, dtype=dt, device=device)
                # quick: a tiny n is fitted within a few steps at 2/30, which would end the run
                fig["gd_step"] = gd_step_figure(
                    w, steps=max(3 * repeats, 4), eta=1e-3 if quick else GD_ETA
                )
            if monitor:
                with stages.stage(f"{key} figure 8 (Monitor step vs plain loop)"):
                    fig["monitor"] = monitor_figure(w, steps=max(3 * repeats, 4))
            with stages.stage(f"{key} figure 2 (HVP vs gradient)"):
                fig["hvp"] = hvp_figure(w, repeats=repeats)
            if not skip_eig:
                with stages.stage(f"{key} figure 3 (λ_max)"):
                    if ref is None:  # one float64 reference for every dtype
                        ref = reference_sharpness(w, max_iter=30 if quick else 300)
                        stages.log(f"reference: {ref['hvps']} HVPs, {ref['seconds']:.1f} s")
                    fig["eigensolvers"] = eig_figure(
                        w,
                        ref,
                        rounds=rounds,
                        power_iter=power_iter,
                        peers=not skip_peers and i == 0,
                        log=stages.log,
                    )
            result["figures"][key] = fig
            if dt == torch.float32:
                gd32 = (w, fig["gd_step"])
        if fair:
            result["fair"] = _fair(
                gd32[0] if gd32 else make_workload(n=n, dtype=torch.float32, device=device),
                ref,
                quick=quick,
                rounds=fair_rounds,
                peers=not skip_peers,
                warm_n=warm_n,
                warm_steps=warm_steps,
                stages=stages,
            )
    result["settings"] = {
        "n": n,
        "dataset": w.dataset,
        "data_root": w.data_stats.get("root"),
        "num_params": w.net.num_params,
        "repeats": repeats,
        "eig_rounds": rounds,
        "power_max_iter": power_iter,
        "tf32": False,
        "threads": torch.get_num_threads(),
        "fair": fair,
        "monitor": monitor,
    }
    if fair:
        result["settings"].update(
            {"fair_rounds": fair_rounds, "warm_n": warm_n, "warm_steps": warm_steps}
        )
    if gpu and gd32 is not None:
        with stages.stage("figure 5 (GPU)"):
            result["gpu"] = {"measured": True, **gpu_figure(*gd32, quick=quick)}
    else:
        reason = (
            "no GPU in this run"
            if not torch.cuda.is_available()
            else f"device {device} chosen"
            if gd32 is not None
            else "float32 not run"
        )
        result["gpu"] = {"measured": False, "reason": reason}
    if skip_theory:
        result["theory"] = None
    else:
        with stages.stage("figure 4 (theory side)"):
            result["theory"] = theory_figure()
    stages.close()
    result["machine"]["load_average_end"] = (
        list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    )
    result["targets"] = judge(result) + judge_fair(result.get("fair") or {})
    for key, fig in result["figures"].items():
        if fig.get("monitor"):
            result["targets"] += monitor_rows(key, fig["monitor"])
    result["notes"] = _notes(result)
    result["wall_s"] = time.perf_counter() - clock
    return result


def _fair(
    w32: Any,
    ref: dict[str, Any] | None,
    *,
    quick: bool,
    rounds: int,
    peers: bool,
    warm_n: int,
    warm_steps: int,
    stages: Stages,
) -> dict[str, Any]:
    """Figures 6 (cold, on the float32 workload) and 7 (warm, on ``warm_n`` examples), two
    of ``stages``."""  # noqa: D205, D209
    from eos_empirical.bench.fair_cold import cold_figure
    from eos_empirical.bench.fair_warm import warm_figure

    ref = ref or reference_sharpness(w32, max_iter=30 if quick else 300)
    with stages.stage("figure 6 (equal true error, cold)"):
        cold = cold_figure(w32, ref, rounds=rounds, peers=peers, quick=quick, log=stages.log)
    with stages.stage(f"figure 7 (warm along an edge-of-stability run, n = {warm_n})"):
        ww = (
            w32
            if warm_n == w32.n
            else make_workload(n=warm_n, dtype=torch.float32, device=w32.device)
        )
        extra = {"burn_in": 2, "delay": 0, "max_pre": 6, "probe_every": 3} if quick else {}
        warm = warm_figure(ww, window=warm_steps, quick=quick, log=stages.log, **extra)
    return {"cold": cold, "warm": warm}


def write_outputs(
    result: dict[str, Any], *, output: str | Path, json_path: str | Path | None = None
) -> dict[str, Any]:
    """Write the markdown report to ``output`` (and the JSON to ``json_path``), print the
    targets; returns the result as written (non-finite floats cleaned).
    """  # noqa: D205
    result = clean(result)
    if json_path:
        Path(json_path).parent.mkdir(parents=True, exist_ok=True)
        Path(json_path).write_text(
            json.dumps(result, indent=1, allow_nan=False, default=_jsonable) + "\n"
        )
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_markdown(result))
    for row in result["targets"]:
        status = (
            "n/a" if result["quick"] or row["met"] is None else ("met" if row["met"] else "MISSED")
        )
        print(f"[{status}] {row['target']}: {row['value']}")
    print(f"wrote {out}" + (f" and {json_path}" if json_path else ""))
    return result


def _notes(result: dict[str, Any]) -> list[str]:
    notes = [
        "Figures 1–2 use the initialization of seed 0; the cost of a step or a product "
        "does not depend on the point, only the eigensolvers' HVP counts do."
    ]
    if not result["quick"]:
        notes.append(
            "Peers are run on the first dtype only (float32 by default) to bound the "
            "run time; they were installed with `pip install --no-deps` (their torch "
            "requirement is satisfied by the installed torch, which pip never touched)."
        )
    if result.get("fair"):
        notes.append(
            "Figures 6–7 (`--fair`, float32): the settings scanned, the warm run and every "
            "choice behind them are stated in `docs/fair_benchmarks.md`."
        )
    return notes


def _jsonable(obj: Any) -> Any:
    """numpy scalars (``np.bool_``, ``np.float64``) as Python values for ``json``."""
    if hasattr(obj, "item"):
        return obj.item()
    raise TypeError(f"not JSON serializable: {type(obj).__name__}")
