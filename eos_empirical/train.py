r"""Full-batch GD and minibatch SGD with the paper's per-step diagnostics.

GD (Sections 3–4): :math:`\theta^{t+1} = \theta^t - \eta\nabla f(\theta^t)`. Each step
evaluates :math:`f, \nabla f` and the accuracy at :math:`\theta^{t+1}` in one forward and
backward pass; that gradient is the next step's, and with :math:`f(\theta^t),
\nabla f(\theta^t)` from the previous pass it gives RP (Definition 1) and
:math:`L(\theta^t;\eta\nabla f(\theta^t))` (Definition 2) for two inner products and one
device synchronization, no extra pass. Row ``t`` of ``steps.jsonl`` describes
:math:`\theta^t` and the step from it. Optional, every few steps: sharpness by Lanczos,
:math:`L(\theta^t;\eta\tau\nabla f)` on a τ grid (Experiment 5), and the Theorem 2
integral by Gauss–Legendre. With ``eig_every = 1`` the sharpness is tracked at every
step (:mod:`eos_empirical.sharpness_tracking`: warm per parity, over the step's own
gradient graph), ``eig_tol`` is then its stated eigenvalue-error bound (relative), logged
in ``eig_bound`` (absolute).

SGD (Section 5): shuffled epochs of minibatches of ``batch_size`` (the last incomplete
batch of an epoch is dropped); row ``e`` describes the iterate after ``e`` epochs: full-batch
loss and accuracy, Monte Carlo :math:`\mathbb{E}[\mathrm{RP}]` (Definition 3) and the
right-hand side of (5.1) with standard errors.

Stops: train accuracy at least ``acc_target`` (``reached-target``), the step or epoch cap
(``max-steps``), or a non-finite loss or one above ``blowup`` times the initial loss
(``diverged``; the log is kept).
"""

from __future__ import annotations

import hashlib
import math
import os
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from eos_empirical.config import RunConfig, tau_grid
from eos_empirical.cost import FullBatchCost
from eos_empirical.data import load_dataset
from eos_empirical.diagnostics import (
    sgd_relative_progress,
    sharpness,
    tau_smoothness,
    theorem2_gauss_legendre,
)
from eos_empirical.models import FlatMLP, fc_net, init_params
from eos_empirical.numerics import measurement_numerics, settings_in_force
from eos_empirical.provenance import provenance
from eos_empirical.recorder import Recorder
from eos_empirical.runlog import GD_ROW, F
from eos_empirical.sharpness_tracking import SharpnessTracker

StepCallback = Callable[[dict[str, Any]], None]


@dataclass
class RunResult:
    """What a run returns: its ``summary``, all its ``rows`` and the output folder."""

    summary: dict[str, Any]
    rows: list[dict[str, Any]] = field(default_factory=list)
    out: Path | None = None
    already_finished: bool = False


@dataclass
class Setup:
    """A run's data, net, cost and initial parameters on its device and dtype."""

    config: RunConfig
    device: torch.device
    dtype: torch.dtype
    net: FlatMLP
    cost: FullBatchCost
    theta0: torch.Tensor
    data_stats: dict[str, Any]


def resolve_device(name: str | None) -> torch.device:
    """``cuda`` when available else ``cpu`` for ``None``; ``ValueError`` if CUDA is asked
    for and absent.
    """  # noqa: D205
    if name is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    dev = torch.device(name)
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device={name!r} asked for, but CUDA is not available here")
    return dev


def prepare(config: RunConfig) -> Setup:
    """Load the data, build the net and its initial parameters, on the run's device/dtype.

    Raises ``ValueError`` (bad device, ``n`` larger than the data, bad files) before any
    training.
    """
    device = resolve_device(config.device)
    dtype = torch.float64 if config.dtype == "float64" else torch.float32
    data = load_dataset(
        config.dataset,
        n=config.n,
        loss=config.loss,
        data_root=config.data_root,
        seed=config.seed,
        download=config.download,
    )
    net = fc_net(
        width=config.width, depth=config.depth, activation=config.activation, bias=config.bias
    )
    x = torch.as_tensor(data.x).to(device=device, dtype=dtype)
    labels = torch.as_tensor(data.labels).to(device)
    targets = labels if config.loss == "ce" else torch.as_tensor(data.targets).to(device, dtype)
    cost = FullBatchCost(net, x, targets, labels, config.loss, chunk_size=config.chunk_size)
    theta0 = init_params(net, seed=config.seed, scale=config.init_scale)
    theta0 = theta0.to(device=device, dtype=dtype)
    stats = dict(data.stats) | {"fingerprint": data_fingerprint(x, labels)}
    return Setup(config, device, dtype, net, cost, theta0, stats)


def make_setup(
    config: RunConfig,
    net: FlatMLP,
    x: torch.Tensor,
    labels: torch.Tensor,
    *,
    theta0: torch.Tensor,
    stats: dict[str, Any] | None = None,
) -> Setup:
    """A :class:`Setup` from given tensors (custom data or a tiny net), for :func:`train`.

    ``x`` ``(n, net.sizes[0])`` and ``labels`` ``(n,)`` are moved to ``theta0``'s device; the
    run uses ``theta0``'s dtype. Targets follow ``config.loss`` (one-hot for ``mse``).
    ``config``'s data and architecture fields are then only labels for the record.
    """
    dev, dtype = theta0.device, theta0.dtype
    labels = labels.to(dev)
    targets = (
        labels
        if config.loss == "ce"
        else torch.nn.functional.one_hot(labels, net.sizes[-1]).to(dtype)
    )
    cost = FullBatchCost(
        net,
        x.to(device=dev, dtype=dtype),
        targets,
        labels,
        config.loss,
        chunk_size=config.chunk_size,
    )
    stats = dict(stats or {"dataset": "custom"})
    stats["fingerprint"] = data_fingerprint(x, labels)
    return Setup(config, dev, dtype, net, cost, theta0, stats)


def data_fingerprint(x: torch.Tensor, labels: torch.Tensor) -> str:
    """SHA-256 of the preprocessed inputs (float64) and labels a run trains on: a resumed
    run must see the same bytes (another data root or preprocessing changes it)."""  # noqa: D205, D209
    h = hashlib.sha256()
    h.update(x.detach().to("cpu", torch.float64).contiguous().numpy().tobytes())
    h.update(labels.detach().to("cpu", torch.int64).contiguous().numpy().tobytes())
    return h.hexdigest()


def run_metadata(setup: Setup) -> dict[str, Any]:
    """Versions, device, dtype, data statistics and model shape for ``config.json``."""
    import eos_empirical

    dev = setup.device
    with measurement_numerics(deterministic=setup.config.deterministic, device=dev):
        in_force = settings_in_force()
    return {
        "versions": {
            "python": platform.python_version(),
            "torch": torch.__version__,
            "numpy": np.__version__,
            "eos": getattr(eos_empirical, "__version__", "0.1.0"),
        },
        "device": str(dev),
        "device_name": torch.cuda.get_device_name(dev)
        if dev.type == "cuda"
        else platform.processor() or platform.machine(),
        "dtype": str(setup.dtype).removeprefix("torch."),
        "tf32": in_force["float32"] != "ieee",
        "deterministic_algorithms": setup.config.deterministic,
        "numerics": in_force,
        "provenance": provenance(dev),
        "data": setup.data_stats,
        "model": {
            "sizes": list(setup.net.sizes),
            "activation": setup.net.activation,
            "num_params": setup.net.num_params,
            "bias": setup.net.bias,
            "init": "torch.nn.Linear default"
            + (f" x {setup.config.init_scale}" if setup.config.init_scale != 1.0 else ""),
        },
    }


def train(
    config: RunConfig,
    out: str | os.PathLike[str] | None = None,
    *,
    on_step: StepCallback | None = None,
    setup: Setup | None = None,
) -> RunResult:
    """Run ``config`` (GD or SGD) writing into ``out`` (resuming it if it holds this run).

    ``setup`` is :func:`prepare`'s result when the caller already has it. Momentum, Adam,
    RMSProp and CNN runs go through the Monitor (:mod:`eos_empirical.monitor_run`).
    """
    if config.uses_monitor:
        from eos_empirical.monitor_run import train_monitor

        return train_monitor(config, out, on_step=on_step, setup=setup)
    if config.opt == "gd":
        return train_gd(config, out, on_step=on_step, setup=setup)
    return train_sgd(config, out, on_step=on_step, setup=setup)


def _start(config: RunConfig, out: str | os.PathLike[str] | None, setup: Setup | None):
    if setup is None or setup.config != config:
        setup = prepare(config)
    rec = Recorder(out)
    state = rec.start(config, run_metadata(setup))
    return setup, rec, state


def _restore(state: dict[str, Any] | None, setup: Setup) -> tuple:
    """Step, iterate, warm-start eigenvector, initial loss, elapsed time and last sharpness
    from a checkpoint ``state``, or the start values when there is none.
    """  # noqa: D205
    if state is None:
        return 0, setup.theta0, None, None, 0.0, None
    eigvec = None if state["eigvec"] is None else state["eigvec"].to(setup.device)
    return (
        int(state["step"]),
        state["theta"].to(setup.device),
        eigvec,
        state["f_init"],
        float(state["elapsed"]),
        state["last_sharpness"],
    )


def _tracker(config: RunConfig, eigvec: torch.Tensor | None) -> SharpnessTracker | None:
    """The per-step tracker when ``eig_every == 1`` (else ``None``), warm from ``eigvec``."""
    if config.eig_every != 1:
        return None
    tracker = SharpnessTracker(tol=config.eig_tol, max_iter=config.eig_max_iter, seed=config.seed)
    tracker.seed_vector(eigvec)
    return tracker


def _evaluate(cost: FullBatchCost, theta: torch.Tensor, tracker: SharpnessTracker | None):
    """``f``, ``grad f``, accuracy at ``theta``, and the HVP operator on the same graph
    when tracking (``None`` otherwise)."""  # noqa: D205, D209
    if tracker is None:
        return (*cost.value_grad_acc(theta), None)
    return cost.value_grad_acc_hvp(theta)


def train_gd(
    config: RunConfig,
    out: str | os.PathLike[str] | None = None,
    *,
    on_step: StepCallback | None = None,
    setup: Setup | None = None,
) -> RunResult:
    """Full-batch GD with per-step RP and directional smoothness (see the module docstring).

    ``on_step(row)`` is called after each row is written (progress display; an exception
    there interrupts the run, which the same call resumes from the last checkpoint).
    """
    if config.opt != "gd":
        raise ValueError(f"train_gd needs opt='gd', got {config.opt!r}")
    setup, rec, state = _start(config, out, setup)
    if rec.finished:
        return RunResult(rec.summary or {}, rec.rows, rec.out, already_finished=True)
    cost, eta, dev = setup.cost, float(config.eta), setup.device
    taus = tau_grid(config.tau_points)
    with measurement_numerics(deterministic=config.deterministic, device=dev):
        t, theta, eigvec, f_init, elapsed, last_sharp = _restore(state, setup)
        clock = time.perf_counter()
        # time in diagnostics so far, carried across a resume (the checkpoint keeps it)
        diag_time = float(state.get("diagnostics_time", 0.0)) if state is not None else 0.0
        # eig_every = 1: sharpness tracked at every step, over the step's own gradient graph
        tracker = _tracker(config, eigvec)
        f_t, g, acc_t, hvp = _evaluate(cost, theta, tracker)
        f, acc, gg = (float(v) for v in torch.stack([f_t, acc_t, torch.dot(g, g)]).tolist())
        f_init = f if f_init is None else f_init
        outcome, reason = "max-steps", f"reached max_steps={config.max_steps}"
        try:
            while True:
                stop = config.stop_rule(t, f, f_init, acc, math.isfinite(gg))
                if stop is not None:
                    if stop[0] != "max-steps":
                        outcome, reason = stop
                    break
                row: dict[str, Any] = dict.fromkeys(GD_ROW.names)
                row.update({F.STEP: t, F.LOSS: f, F.ACC: acc, F.GRAD_NORM: math.sqrt(gg)})
                tick = time.perf_counter()
                if tracker is not None:
                    tr = tracker.step(hvp, theta.detach(), t)
                    eigvec, last_sharp = tr.vector, tr.value
                    row.update(
                        {
                            F.SHARPNESS: tr.value,
                            F.EIG_HVPS: tr.hvps,
                            F.EIG_RESIDUAL: tr.residual,
                            F.EIG_BOUND: tr.bound,
                        }
                    )
                elif config.eig_due(t):
                    res = sharpness(
                        cost,
                        theta,
                        v0=eigvec,
                        tol=config.eig_tol,
                        max_iter=config.eig_max_iter,
                        seed=config.seed,
                    )
                    eigvec, last_sharp = res.vector, res.value
                    row.update(
                        {F.SHARPNESS: res.value, F.EIG_HVPS: res.hvps, F.EIG_RESIDUAL: res.residual}
                    )
                if config.tau_every and t % config.tau_every == 0:
                    ls = tau_smoothness(cost, theta, g, eta, taus)
                    row.update(
                        {
                            F.TAU_SMOOTHNESS: ls.tolist(),
                            F.TAU_SMOOTHNESS_MEAN: float(ls.mean()),
                            F.TAU_SMOOTHNESS_STD: float(ls.std()),
                        }
                    )
                if config.quad_every and t % config.quad_every == 0:
                    rhs, err = theorem2_gauss_legendre(cost, theta, g, eta, nodes=config.quad_nodes)
                    row.update({F.THEOREM2_RHS: rhs, F.THEOREM2_ERR: err})
                diag_time += time.perf_counter() - tick
                theta = theta - eta * g
                f1_t, g1, acc1_t, hvp = _evaluate(cost, theta, tracker)
                f1, acc1, gg1, inner = torch.stack(
                    [f1_t, acc1_t, torch.dot(g1, g1), torch.dot(g, g - g1)]
                ).tolist()
                row.update({F.RP: (f1 - f) / (eta * gg), F.DIR_SMOOTHNESS: inner / (eta * gg)})
                t, f, g, acc, gg = t + 1, f1, g1, acc1, gg1
                row = rec.write_row(row)
                if t % config.checkpoint_every == 0:
                    rec.checkpoint(
                        {
                            "step": t,
                            "theta": theta,
                            "eigvec": eigvec,
                            "f_init": f_init,
                            "elapsed": elapsed + time.perf_counter() - clock,
                            "last_sharpness": last_sharp,
                            "diagnostics_time": diag_time,
                        }
                    )
                if on_step is not None:
                    on_step(row)
        finally:
            rec.close()
        wall = elapsed + time.perf_counter() - clock
    summary = {
        "outcome": outcome,
        "reason": reason,
        "steps": t,
        "wall_time_s": wall,
        "time_per_step_s": wall / t if t else None,
        "diagnostics_time_s": diag_time,
        "final_loss": f,
        "final_acc": acc,
        "final_grad_norm": math.sqrt(gg) if math.isfinite(gg) else None,
        "last_sharpness": last_sharp,
        "device": str(dev),
    }
    return RunResult(rec.finish(summary), rec.rows, rec.out)


def train_sgd(
    config: RunConfig,
    out: str | os.PathLike[str] | None = None,
    *,
    on_step: StepCallback | None = None,
    setup: Setup | None = None,
) -> RunResult:
    """Minibatch SGD with end-of-epoch E[RP] and (5.1) (see the module docstring).

    Shuffling and the E[RP] minibatch samples use two CPU generators seeded from
    ``config.seed`` (saved in checkpoints), so runs reproduce on any device.
    """
    if config.opt != "sgd":
        raise ValueError(f"train_sgd needs opt='sgd', got {config.opt!r}")
    setup, rec, state = _start(config, out, setup)
    if rec.finished:
        return RunResult(rec.summary or {}, rec.rows, rec.out, already_finished=True)
    cost, eta, dev, b = setup.cost, float(config.eta), setup.device, config.batch_size
    shuffle = torch.Generator().manual_seed(config.seed + 1)
    sampler = torch.Generator().manual_seed(config.seed + 2)
    batches = cost.n // b
    with measurement_numerics(deterministic=config.deterministic, device=dev):
        e, theta, eigvec, f_init, elapsed, last_sharp = _restore(state, setup)
        if state is not None:
            shuffle.set_state(state["shuffle"])
            sampler.set_state(state["sampler"])
        clock = time.perf_counter()
        outcome, reason = "max-steps", f"reached epochs={config.epochs}"
        f = acc = math.nan
        try:
            while True:
                f_t, g, acc_t = cost.value_grad_acc(theta)
                f, acc, gg = torch.stack([f_t, acc_t, torch.dot(g, g)]).tolist()
                f_init = f if f_init is None else f_init
                row: dict[str, Any] = {
                    F.STEP: e,
                    F.ITERATIONS: e * batches,
                    F.LOSS: f,
                    F.ACC: acc,
                    F.GRAD_NORM: math.sqrt(gg),
                    F.SHARPNESS: None,
                }
                bad = not math.isfinite(f) or f > config.blowup * abs(f_init)
                if not bad:
                    row.update(
                        sgd_relative_progress(
                            cost,
                            theta,
                            eta,
                            b,
                            samples=config.rp_samples,
                            generator=sampler,
                            se_target=config.rp_se_target,
                            full=(f_t, g),
                        )
                    )
                    if config.eig_due(e):
                        res = sharpness(
                            cost,
                            theta,
                            v0=eigvec,
                            tol=config.eig_tol,
                            max_iter=config.eig_max_iter,
                            seed=config.seed,
                        )
                        eigvec, last_sharp = res.vector, res.value
                        row.update({F.SHARPNESS: res.value, F.EIG_HVPS: res.hvps})
                row = rec.write_row(row)
                if on_step is not None:
                    on_step(row)
                if bad:
                    outcome = "diverged"
                    reason = f"loss {f:.6g} after epoch {e} is not finite or above blowup x initial"
                    break
                if acc >= config.acc_target:
                    outcome, reason = "reached-target", f"train accuracy {acc:.4f} at epoch {e}"
                    break
                if e >= config.epochs:
                    break
                perm = torch.randperm(cost.n, generator=shuffle).to(dev)
                for k in range(batches):
                    gb = cost.value_grad_acc(theta, perm[k * b : (k + 1) * b])[1]
                    theta = theta - eta * gb
                e += 1
                rec.checkpoint(
                    {
                        "step": e,
                        "theta": theta,
                        "eigvec": eigvec,
                        "f_init": f_init,
                        "elapsed": elapsed + time.perf_counter() - clock,
                        "last_sharpness": last_sharp,
                        "shuffle": shuffle.get_state(),
                        "sampler": sampler.get_state(),
                    }
                )
        finally:
            rec.close()
        wall = elapsed + time.perf_counter() - clock
    summary = {
        "outcome": outcome,
        "reason": reason,
        "steps": e,
        "iterations": e * batches,
        "wall_time_s": wall,
        "time_per_step_s": wall / e if e else None,
        "final_loss": f,
        "final_acc": acc,
        "last_sharpness": last_sharp,
        "device": str(dev),
    }
    return RunResult(rec.finish(summary), rec.rows, rec.out)
