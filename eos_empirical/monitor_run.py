r"""``eos run`` through the Monitor: full-batch momentum, Adam, RMSProp, and any optimizer on a CNN.

The GD/SGD engine (:mod:`eos_empirical.train`) runs GD and SGD on the paper's fully connected
net from a flat vector. Every other run of a :class:`~eos_empirical.config.RunConfig` (its
:attr:`~eos_empirical.config.RunConfig.uses_monitor`) goes through
:class:`eos_empirical.Monitor`: the module (:mod:`eos_empirical.cnn_models`: Cohen et al.'s
CNNs on ``(n, 3, 32, 32)`` images, the flattened CIFAR rows reshaped channels-first; or the
fully connected net as an ``nn.Sequential`` with the engine's initial vector) is trained by
a ``torch.optim`` optimizer on the full batch:

=========== ====================================================== ======================
``opt``     ``torch.optim``                                        stability threshold
=========== ====================================================== ======================
gd          ``SGD(lr=eta)``                                        2/η on the sharpness
momentum    ``SGD(lr=eta, momentum=momentum)`` (heavy ball)         (2 + 2β)/η
adam        ``Adam(lr=eta, betas=(beta1, beta2), eps=eps)``        (2 + 2β₁)/((1 − β₁)η) on
                                                                   the preconditioned one
rmsprop     ``RMSprop(lr=eta, alpha=beta2, eps=eps)``              2/η on the preconditioned
=========== ====================================================== ======================

(thresholds and their sources: :mod:`eos_empirical.preconditioning`). The run folder holds
the engine's files, so :func:`eos_empirical.runlog.load_run`, the checks and ``eos report``
read it: ``config.json`` (the RunConfig fields and the metadata), ``steps.jsonl`` (one row per
step: the fields of :data:`~eos_empirical.runlog.MONITOR_ROW` plus the train accuracy
``acc`` at :math:`\theta_t`) and ``summary.json``. Stops as GD's: train accuracy at least
``acc_target`` (``reached-target``), ``max_steps`` (``max-steps``), a loss not finite or above
``blowup`` times the initial one (``diverged``). Sharpness, and for Adam/RMSProp the
preconditioned sharpness, every ``eig_every`` steps.

The accuracy costs no extra pass: the loss function the Monitor calls also counts the correct
predictions of the full-batch forward it runs anyway. Resumable as the engine's runs: every
``checkpoint_every`` steps ``checkpoint.pt`` holds the module's and the optimizer's
``state_dict()``, the Monitor's (:meth:`eos_empirical.Monitor.state_dict`), the initial loss
and the elapsed time; the same call on the same folder continues from it, and in
deterministic mode the rows equal an uninterrupted run's. A finished run is reported, not
repeated.
"""

from __future__ import annotations

import os
import time
from collections import deque
from typing import Any

import torch
from torch import nn

from eos_empirical.cnn_models import IMAGE_SHAPE, cnn, fc_module
from eos_empirical.config import RunConfig
from eos_empirical.models import loss_per_batch
from eos_empirical.monitor import Monitor
from eos_empirical.numerics import measurement_numerics
from eos_empirical.recorder import Recorder
from eos_empirical.runlog import F
from eos_empirical.train import RunResult, Setup, StepCallback, prepare, run_metadata


def make_optimizer(config: RunConfig, params: Any) -> torch.optim.Optimizer:
    """The ``torch.optim`` optimizer of ``config.opt`` over ``params`` (module docstring).

    >>> p = [nn.Parameter(torch.zeros(2))]
    >>> type(make_optimizer(RunConfig(opt="adam", eta=1e-3), p)).__name__
    'Adam'
    """
    eta = float(config.eta)
    if config.opt == "gd":
        return torch.optim.SGD(params, lr=eta)
    if config.opt == "momentum":
        return torch.optim.SGD(params, lr=eta, momentum=config.momentum)
    if config.opt == "adam":
        return torch.optim.Adam(params, lr=eta, betas=(config.beta1, config.beta2), eps=config.eps)
    if config.opt == "rmsprop":
        return torch.optim.RMSprop(params, lr=eta, alpha=config.beta2, eps=config.eps)
    raise ValueError(f"opt: {config.opt!r} has no full-batch Monitor run")


def build_module(config: RunConfig, setup: Setup) -> tuple[nn.Module, torch.Tensor]:
    """The module of ``config.arch`` (on the setup's device and dtype, train mode) and its
    inputs: the flattened rows for ``fc``, reshaped to ``(n, 3, 32, 32)`` for a CNN.
    """  # noqa: D205
    x = setup.cost.x
    if config.arch == "fc":
        model = fc_module(setup.net, setup.theta0.cpu())
    else:
        model = cnn(config.arch, seed=config.seed, scale=config.init_scale)
        x = x.reshape(x.shape[0], *IMAGE_SHAPE)
    return model.to(device=setup.device, dtype=setup.dtype).train(), x


class ScoredLoss:
    """The run's loss (:func:`eos_empirical.models.loss_per_batch`) that, while
    :attr:`watch` is set, also records the accuracy of the outputs it scores.
    """  # noqa: D205

    def __init__(self, loss: str) -> None:
        self.loss, self.watch = loss, False
        self.acc: torch.Tensor | None = None

    def __call__(self, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """The mean loss of ``out`` against ``y`` (labels, or one-hot rows for mse)."""
        if self.watch:
            labels = y if y.ndim == 1 else y.argmax(dim=1)
            self.acc = (out.detach().argmax(dim=1) == labels).to(out.dtype).mean()
        return loss_per_batch(out, y, self.loss)


class RunMonitor(Monitor):
    r"""The Monitor, keeping f and the accuracy of its last two full-batch passes: after
    :meth:`step` ``t``, :attr:`passes` holds those of :math:`\theta_t` and
    :math:`\theta_{t+1}`.
    """  # noqa: D205

    def __init__(self, *args: Any, scored: ScoredLoss, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scored = scored
        self.passes: deque[tuple[torch.Tensor, torch.Tensor]] = deque(maxlen=2)

    def _pass(self) -> tuple[torch.Tensor, torch.Tensor, dict, dict]:
        self.scored.watch = True
        try:
            out = super()._pass()
        finally:
            self.scored.watch = False
        assert self.scored.acc is not None
        self.passes.append((out[0], self.scored.acc))
        return out

    def evaluate(self) -> tuple[float, float]:
        """f and the accuracy at the current parameters (one forward, buffers untouched)."""
        self.scored.watch = True
        try:
            with torch.no_grad():
                f = self.cost.loss(self.cost.parameters(), self.cost.buffers(), slice(None))
        finally:
            self.scored.watch = False
        assert self.scored.acc is not None
        return float(f), float(self.scored.acc)


def _metadata(setup: Setup, model: nn.Module, opt: torch.optim.Optimizer) -> dict[str, Any]:
    meta = run_metadata(setup)
    config = setup.config
    meta["model"] = {
        "arch": config.arch,
        "class": type(model).__name__,
        "modules": repr(model),
        "num_params": sum(p.numel() for p in model.parameters()),
        "init": "torch defaults under the seed"
        + (f" x {config.init_scale}" if config.init_scale != 1.0 else ""),
    }
    meta["optimizer"] = {
        "class": type(opt).__name__,
        "defaults": {k: repr(v) for k, v in opt.defaults.items()},
    }
    meta["monitor"] = {"resumable": True, "row": "MONITOR_ROW fields plus acc"}
    return meta


def _restore(
    state: dict[str, Any] | None, model: nn.Module, opt: torch.optim.Optimizer, mon: Monitor
) -> tuple[float, dict[str, Any]]:
    """Load a checkpoint ``state`` into the module, the optimizer and the Monitor; return the
    elapsed time and the last (preconditioned) sharpness so far (zero and empty without one).
    """  # noqa: D205
    if state is None:
        return 0.0, {}
    model.load_state_dict(state["model"])
    opt.load_state_dict(state["optimizer"])
    mon.load_state_dict(state["monitor"])
    if mon.t != int(state["step"]):
        raise ValueError(f"checkpoint: step {state['step']} but the Monitor's state is at {mon.t}")
    return float(state["elapsed"]), dict(state["last"])


def train_monitor(
    config: RunConfig,
    out: str | os.PathLike[str] | None = None,
    *,
    on_step: StepCallback | None = None,
    setup: Setup | None = None,
) -> RunResult:
    """Run ``config`` through the Monitor into ``out`` (see the module docstring).

    ``setup`` is :func:`eos_empirical.train.prepare`'s result (its data are reused) when the
    caller has it. ``ValueError`` when ``config`` is an engine run, or ``out`` holds another
    run or a damaged one (:class:`eos_empirical.recorder.Recorder`).
    """
    if not config.uses_monitor:
        raise ValueError(f"opt={config.opt!r}, arch={config.arch!r} is a GD/SGD engine run")
    if setup is None or setup.config != config:
        setup = prepare(config)
    dev = setup.device
    with measurement_numerics(deterministic=config.deterministic, device=dev):
        model, x = build_module(config, setup)
        scored = ScoredLoss(config.loss)
        opt = make_optimizer(config, model.parameters())
        mon = RunMonitor(
            model,
            scored,
            (x, setup.cost.targets),
            optimizer=opt,
            sharpness_every=config.eig_every,
            eig_tol=config.eig_tol,
            eig_max_iter=config.eig_max_iter,
            seed=config.seed,
            scored=scored,
        )
        rec = Recorder(out)
        state = rec.start(config, _metadata(setup, model, opt))
        if rec.finished:
            return RunResult(rec.summary or {}, rec.rows, rec.out, already_finished=True)
        elapsed, last = _restore(state, model, opt, mon)
        clock = time.perf_counter()
        f, acc = mon.evaluate()
        t = mon.t
        f_init = f if state is None else float(state["f_init"])
        outcome, reason = "max-steps", f"reached max_steps={config.max_steps}"
        try:
            while True:
                stop = config.stop_rule(t, f, f_init, acc)
                if stop is not None:
                    outcome, reason = stop
                    break
                row = mon.step()
                (_, acc_t), (f1, acc1) = mon.passes
                row = {F.STEP: row[F.STEP], F.LOSS: row[F.LOSS], F.ACC: float(acc_t), **row}
                row = rec.write_row(row)
                for key in (F.SHARPNESS, F.PRECONDITIONED_SHARPNESS):
                    if row.get(key) is not None:
                        last[key.value] = row[key]  # plain str keys: the checkpoint loads
                f, acc, t = float(f1), float(acc1), t + 1
                if t % config.checkpoint_every == 0:
                    rec.checkpoint(
                        {
                            "step": t,
                            "model": model.state_dict(),
                            "optimizer": opt.state_dict(),
                            "monitor": mon.state_dict(),
                            "f_init": f_init,
                            "elapsed": elapsed + time.perf_counter() - clock,
                            "last": last,
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
        "final_loss": f,
        "final_acc": acc,
        "last_sharpness": last.get(F.SHARPNESS),
        "last_preconditioned_sharpness": last.get(F.PRECONDITIONED_SHARPNESS),
        "optimizer": type(opt).__name__,
        "device": str(dev),
    }
    return RunResult(rec.finish(summary), rec.rows, rec.out)
