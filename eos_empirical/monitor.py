r"""The paper's diagnostics in one's own training loop: any module, any ``torch.optim`` optimizer.

.. code-block:: python

    mon = Monitor(model, loss_fn, (x, y), optimizer=opt, sharpness_every=5)
    for t in range(T):
        row = mon.step()  # one full-batch step of opt; this step's row (a dict)

Step :math:`t` takes the optimizer's step :math:`\theta_{t+1} = \theta_t - u_t` on the
full-batch cost :math:`f` (:mod:`eos_empirical.module_cost`: the module's own forward through
``torch.func.functional_call``, BatchNorm with full-batch statistics in train mode, buffers
never changed by an evaluation) and logs, for :math:`g_t = \nabla f(\theta_t)`:

.. math::

    \mathrm{RP}_{u}(\theta_t) = \frac{f(\theta_{t+1}) - f(\theta_t)}{\langle g_t, u_t\rangle},
    \qquad
    L(\theta_t; u_t) = \frac{\langle g_t - g_{t+1}, u_t\rangle}{\|u_t\|^2},
    \qquad
    -1 + \frac{\|u_t\|^2 L(\theta_t; u_t)}{2\langle g_t, u_t\rangle}

(``rp``, ``dir_smoothness``, ``relation43_rhs``): the torch counterparts of
:func:`eos_theory.updates.update_relative_progress`, Definition 2
(:func:`eos_theory.smoothness.directional_smoothness` with :math:`v = u_t`) and
:func:`eos_theory.updates.update_relation43_rhs`. For plain GD (``SGD`` without momentum)
:math:`u_t = \eta g_t`, and they are Definition 1, Definition 2 and (4.3) of the paper. Where
:math:`\langle g_t, u_t\rangle \le 0` (an Adam step that does not descend to first order)
``rp`` is ``None`` and ``rp_null_reason`` says why. Cost: :math:`f(\theta_{t+1})` and
:math:`g_{t+1}` come from ONE forward and backward pass, whose gradient is cached as the next
step's; so a step costs one pass, as a plain loop does (plus one at the very first step).

On the steps asked (``sharpness_every``): the sharpness :math:`\lambda_{\max}(\nabla^2
f(\theta_t))` and, for Adam/AdamW/RMSprop, the preconditioned sharpness
:math:`\lambda_{\max}(P^{-1/2}\nabla^2 f(\theta_t) P^{-1/2})` with :math:`P` the preconditioner
of the step just taken (:mod:`eos_empirical.preconditioning`), each by warm-started Lanczos
(:func:`eos_empirical.hessian.lanczos_top`, double-backward products); every step: the
optimizer's ``stability_threshold`` with its source. On the steps asked
(``batch_sharpness_every``): the batch sharpness of :mod:`eos_empirical.batch_sharpness` at
:math:`\theta_t` for minibatches of ``batch_size``, seeded, with its standard error.

Buffers: the module's buffers evolve as in a plain loop (the running statistics of the pass at
:math:`\theta_t` are committed when step :math:`t` is taken); the extra pass at
:math:`\theta_{t+1}` and the Hessian products run on copies. The model must be deterministic
(dropout active in train mode is refused). If the parameters are changed between steps (their
version counters move), the cached gradient is dropped and recomputed.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any, TextIO

import torch
from torch import nn

from eos_empirical.batch_sharpness import batch_sharpness
from eos_empirical.hessian import EIG_MAX_ITER, EIG_TOL, lanczos_top
from eos_empirical.module_cost import LossFn, ModuleCost, flat
from eos_empirical.preconditioning import diagonal_preconditioner, stability_threshold
from eos_empirical.recorder import clean
from eos_empirical.runlog import CONFIG_FILE, MONITOR_ROW, STEPS_FILE, SUMMARY_FILE, F


def _count(name: str, value: object, *, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    return value


def _check_data(data: object) -> tuple[torch.Tensor, torch.Tensor]:
    if not isinstance(data, tuple | list) or len(data) != 2:
        raise ValueError(f"data must be a pair (x, y) of tensors, got {type(data).__name__}")
    x, y = data
    if not isinstance(x, torch.Tensor) or not isinstance(y, torch.Tensor):
        raise ValueError(
            f"data must be a pair (x, y) of tensors, got ({type(x).__name__}, {type(y).__name__})"
        )
    if x.ndim == 0 or y.ndim == 0 or x.shape[0] != y.shape[0] or x.shape[0] == 0:
        raise ValueError(
            f"data: x and y must hold the same number (>= 1) of examples along dim 0, got "
            f"shapes {tuple(x.shape)} and {tuple(y.shape)}"
        )
    return x, y


def _trained_names(model: nn.Module, optimizer: torch.optim.Optimizer) -> list[str]:
    """Names of the model's parameters that ``optimizer`` trains, in the model's order."""
    if isinstance(optimizer, torch.optim.LBFGS):
        raise ValueError("optimizer: LBFGS needs a closure; the Monitor calls optimizer.step()")
    opt_ids = [id(p) for g in optimizer.param_groups for p in g["params"]]
    by_id = {id(p): k for k, p in model.named_parameters()}
    foreign = [i for i in opt_ids if i not in by_id]
    if foreign or not opt_ids:
        raise ValueError(
            f"optimizer must be over the model's parameters: {len(foreign)} of its "
            f"{len(opt_ids)} tensors are not parameters of model"
        )
    chosen = set(opt_ids)
    return [k for k, p in model.named_parameters() if id(p) in chosen]


class Monitor:
    r"""Full-batch training of ``model`` by ``optimizer`` with the paper's per-step diagnostics.

    ``model`` any ``nn.Module`` (its mode, train or eval, is used as set); ``loss_fn(output,
    y)`` the mean loss (a 0-d tensor); ``data`` the pair ``(x, y)`` of tensors (moved to the
    parameters' device); ``optimizer`` a ``torch.optim`` optimizer over (some of) the model's
    parameters, :math:`\theta` being those it trains. ``sharpness_every`` :math:`k`: sharpness
    (and preconditioned sharpness) on steps :math:`t \equiv 0 \pmod k` (0: never), to relative
    residual ``eig_tol`` within ``eig_max_iter`` products. ``batch_sharpness_every``,
    ``batch_size``, ``batch_samples``: batch sharpness on those steps. ``seed`` seeds Lanczos'
    start and the minibatch draws. ``out``: a new folder for ``config.json``, ``steps.jsonl``
    (rows of :data:`~eos_empirical.runlog.MONITOR_ROW`) and, at :meth:`close`,
    ``summary.json``; :func:`eos_empirical.runlog.load_run` reads it. Bad arguments:
    ``ValueError`` naming the argument.

    >>> torch.manual_seed(0) and None
    >>> model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).double()
    >>> x, y = torch.randn(8, 3).double(), torch.randint(0, 2, (8,))
    >>> opt = torch.optim.SGD(model.parameters(), lr=0.5)
    >>> mon = Monitor(model, nn.functional.cross_entropy, (x, y), optimizer=opt)
    >>> row = mon.step()
    >>> row["stability_threshold"], row["rp"] < 0
    (4.0, True)
    """

    def __init__(
        self,
        model: nn.Module,
        loss_fn: LossFn,
        data: tuple[torch.Tensor, torch.Tensor],
        *,
        optimizer: torch.optim.Optimizer,
        sharpness_every: int = 0,
        eig_tol: float = EIG_TOL,
        eig_max_iter: int = EIG_MAX_ITER,
        batch_sharpness_every: int = 0,
        batch_size: int | None = None,
        batch_samples: int = 32,
        seed: int = 0,
        out: str | os.PathLike[str] | None = None,
    ) -> None:
        if not isinstance(model, nn.Module):
            raise ValueError(f"model must be a torch.nn.Module, got {type(model).__name__}")
        if not callable(loss_fn):
            raise ValueError(f"loss_fn must be callable, got {type(loss_fn).__name__}")
        if not isinstance(optimizer, torch.optim.Optimizer):
            raise ValueError(f"optimizer must be a torch.optim optimizer, got {optimizer!r}")
        dropout = [
            k
            for k, m in model.named_modules()
            if isinstance(m, nn.modules.dropout._DropoutNd) and m.training and m.p > 0
        ]
        if dropout:
            raise ValueError(
                f"model: dropout is active in train mode ({dropout}), so f would be random; "
                "set p=0 or put those modules in eval mode"
            )
        x, y = _check_data(data)
        self.sharpness_every = _count("sharpness_every", sharpness_every)
        self.batch_sharpness_every = _count("batch_sharpness_every", batch_sharpness_every)
        self.batch_samples = _count("batch_samples", batch_samples, low=1)
        self.eig_max_iter = _count("eig_max_iter", eig_max_iter, low=1)
        if not (isinstance(eig_tol, int | float) and math.isfinite(eig_tol) and eig_tol > 0):
            raise ValueError(f"eig_tol must be finite and > 0, got {eig_tol!r}")
        if self.batch_sharpness_every and not (
            isinstance(batch_size, int) and 1 <= batch_size <= x.shape[0]
        ):
            raise ValueError(
                f"batch_size must be an integer in [1, {x.shape[0]}] when "
                f"batch_sharpness_every > 0, got {batch_size!r}"
            )
        names = _trained_names(model, optimizer)
        like = dict(model.named_parameters())[names[0]]
        self.model, self.optimizer, self.eig_tol, self.seed = model, optimizer, eig_tol, seed
        self.batch_size = batch_size
        self.cost = ModuleCost(model, loss_fn, x.to(like.device), y.to(like.device), names)
        self.t = 0
        self._cache: tuple[torch.Tensor, torch.Tensor, dict, dict] | None = None
        self._versions: list[int] = []
        self._eigvec: torch.Tensor | None = None
        self._peigvec: torch.Tensor | None = None
        self._sampler = torch.Generator().manual_seed(seed)
        self.rows: list[dict[str, Any]] = []
        self.out = None if out is None else Path(out)
        self._fh: TextIO | None = None
        if self.out is not None:
            self._open(like)

    # --- output folder ---------------------------------------------------------------------

    def _open(self, like: torch.Tensor) -> None:
        assert self.out is not None
        steps = self.out / STEPS_FILE
        if steps.is_file() and steps.stat().st_size:
            raise ValueError(f"out: {self.out} already holds a run's steps; choose a new folder")
        self.out.mkdir(parents=True, exist_ok=True)
        opt = self.optimizer
        config = {
            "kind": "monitor",
            "opt": type(opt).__name__,
            "eta": opt.param_groups[0]["lr"],
            "dtype": str(like.dtype).removeprefix("torch."),
            "arch": type(self.model).__name__,
            "n": self.cost.n,
            "sharpness_every": self.sharpness_every,
            "batch_sharpness_every": self.batch_sharpness_every,
            "batch_size": self.batch_size,
            "seed": self.seed,
        }
        meta = {
            "versions": {"torch": torch.__version__},
            "device": str(like.device),
            "optimizer_defaults": {k: repr(v) for k, v in opt.defaults.items()},
            "model": {"class": type(self.model).__name__, "num_params": sum(self.cost.sizes)},
        }
        (self.out / CONFIG_FILE).write_text(json.dumps(clean({"config": config, **meta}), indent=2))
        self._fh = steps.open("w")

    def close(self) -> None:
        """Write ``summary.json`` (steps, final loss) and close the steps file."""
        if self._fh is None:
            return
        self._fh.close()
        self._fh = None
        assert self.out is not None
        last = self.rows[-1] if self.rows else {}
        summary = {"outcome": "max-steps", "steps": self.t, "final_loss": last.get(F.LOSS)}
        (self.out / SUMMARY_FILE).write_text(json.dumps(clean(summary), indent=2) + "\n")

    def __enter__(self) -> Monitor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- checkpoints -------------------------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        """What the Monitor carries from step to step, for a checkpoint.

        To be saved beside the model's and the optimizer's own ``state_dict()``: the step
        count, the warm-start vectors of the two Lanczos solves and the minibatch sampler's
        state (batch sharpness). The cached gradient is not kept: after
        :meth:`load_state_dict` the next :meth:`step` recomputes it.

        >>> import torch
        >>> model = torch.nn.Linear(2, 1)
        >>> opt = torch.optim.SGD(model.parameters(), lr=0.1)
        >>> data = (torch.randn(4, 2), torch.randn(4, 1))
        >>> mon = Monitor(model, torch.nn.functional.mse_loss, data, optimizer=opt)
        >>> _ = mon.step()
        >>> state = mon.state_dict()
        >>> mon2 = Monitor(model, torch.nn.functional.mse_loss, data, optimizer=opt)
        >>> mon2.load_state_dict(state)
        >>> mon2.t
        1
        """
        return {
            "t": self.t,
            "eigvec": self._eigvec,
            "peigvec": self._peigvec,
            "sampler": self._sampler.get_state(),
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Continue from :meth:`state_dict`'s ``state`` (load the model's and the optimizer's
        state first); ``ValueError`` when ``state`` lacks a field.
        """  # noqa: D205
        missing = {"t", "eigvec", "peigvec", "sampler"} - set(state)
        if missing:
            raise ValueError(f"state: not a Monitor state (missing {sorted(missing)})")
        like = self.cost.parameters()[0]

        def vec(v: torch.Tensor | None) -> torch.Tensor | None:
            return None if v is None else v.to(device=like.device, dtype=like.dtype)

        self.t = _count("state['t']", state["t"])
        self._eigvec, self._peigvec = vec(state["eigvec"]), vec(state["peigvec"])
        self._sampler.set_state(state["sampler"])
        self._cache, self._versions = None, []

    # --- the step ----------------------------------------------------------------------------

    def _pass(self) -> tuple[torch.Tensor, torch.Tensor, dict, dict]:
        """f and the flat gradient at the live parameters, the buffers after the pass and the
        buffers before it (a snapshot for the Hessian at this point)."""  # noqa: D205, D209
        before = self.cost.buffers()
        f, g, after = self.cost.value_grad(self.cost.parameters(), before)
        return f, g, after, before

    def _fresh(self) -> bool:
        return self._cache is not None and self._versions == [
            p._version for p in self.cost.parameters()
        ]

    def step(self) -> dict[str, Any]:
        """Take one full-batch step of the optimizer; return (and log) its row."""
        cost, opt = self.cost, self.optimizer
        cached = self._cache if self._fresh() else None
        f0, g0, after, buffers0 = cached if cached is not None else self._pass()
        cost.commit(after)
        params = cost.parameters()
        theta0 = flat([p.detach() for p in params])
        threshold = stability_threshold(opt)
        lrs = {g["lr"] for g in opt.param_groups}
        for p, gp in zip(params, cost.unflat(g0), strict=True):
            p.grad = gp.clone()
        opt.step()
        u = theta0 - flat([p.detach() for p in params])
        f1, g1, after1, buffers1 = self._pass()
        self._cache = (f1, g1, after1, buffers1)
        self._versions = [p._version for p in params]
        scalars = torch.stack(
            [f0, f1, torch.dot(g0, g0), torch.dot(g0, u), torch.dot(u, u), torch.dot(g0 - g1, u)]
        )
        f, fn, gg, gu, uu, inner = (float(v) for v in scalars.double().tolist())
        row: dict[str, Any] = dict.fromkeys(MONITOR_ROW.names)
        row.update({F.STEP: self.t, F.LOSS: f, F.GRAD_NORM: math.sqrt(gg)})
        row.update({F.GRAD_DOT_UPDATE: gu, F.UPDATE_NORM: math.sqrt(uu)})
        row[F.LR] = float(next(iter(lrs))) if len(lrs) == 1 else None
        row.update(self._progress(f, fn, gu, uu, inner))
        row.update(
            {
                F.STABILITY_THRESHOLD: threshold.value,
                F.STABILITY_THRESHOLD_OF: threshold.on,
                F.STABILITY_THRESHOLD_SOURCE: threshold.source,
            }
        )
        if self.sharpness_every and self.t % self.sharpness_every == 0:
            row.update(self._sharpness(theta0, buffers0, params))
        if self.batch_sharpness_every and self.t % self.batch_sharpness_every == 0:
            assert self.batch_size is not None
            bs = batch_sharpness(
                cost,
                theta0,
                buffers0,
                self.batch_size,
                samples=self.batch_samples,
                generator=self._sampler,
            )
            row.update(
                {
                    F.BATCH_SHARPNESS: bs.value,
                    F.BATCH_SHARPNESS_SE: bs.se,
                    F.BATCH_SHARPNESS_SAMPLES: bs.samples,
                }
            )
        row = clean(row)
        self.rows.append(row)
        if self._fh is not None:
            self._fh.write(json.dumps(row, allow_nan=False) + "\n")
            self._fh.flush()
        self.t += 1
        return row

    @staticmethod
    def _progress(f: float, fn: float, gu: float, uu: float, inner: float) -> dict[str, Any]:
        r"""RP_u, L(θ; u) and the (4.3) analogue from the step's scalars, or nulls with a reason."""
        out: dict[str, Any] = {F.DIR_SMOOTHNESS: inner / uu if uu > 0 else None}
        reason = None
        if not all(math.isfinite(v) for v in (f, fn, gu, uu, inner)):
            reason = "f or its gradient is not finite at theta_t or theta_{t+1}"
        elif uu == 0:
            reason = "the step did not move the parameters (u_t = 0)"
        elif gu <= 0:
            reason = (
                f"<grad f(theta_t), u_t> = {gu:.6g} <= 0: u_t is not a descent direction to "
                "first order, so RP_u = (f(theta_t - u_t) - f(theta_t))/<grad f, u_t> is "
                "undefined (eos_theory.updates)"
            )
        if reason is None:
            out.update({F.RP: (fn - f) / gu, F.RELATION43_RHS: -1.0 + inner / (2.0 * gu)})
        out[F.RP_NULL_REASON] = reason
        return out

    def _sharpness(
        self, theta: torch.Tensor, buffers: dict, params: list[torch.Tensor]
    ) -> dict[str, Any]:
        """Sharpness at θ_t and, where the optimizer has one, the preconditioned sharpness."""
        _, hvp = self.cost.hvp_operator(theta, buffers)
        tol, max_iter, seed = self.eig_tol, self.eig_max_iter, self.seed
        res = lanczos_top(hvp, theta, v0=self._eigvec, tol=tol, max_iter=max_iter, seed=seed)
        self._eigvec = res.vector
        out: dict[str, Any] = {
            F.SHARPNESS: res.value,
            F.EIG_HVPS: res.hvps,
            F.EIG_RESIDUAL: res.residual,
        }
        diag = diagonal_preconditioner(self.optimizer, params)
        if diag is not None and bool((diag > 0).all()):
            s = diag.rsqrt()
            pres = lanczos_top(
                lambda v: s * hvp(s * v),
                theta,
                v0=self._peigvec,
                tol=tol,
                max_iter=max_iter,
                seed=seed,
            )
            self._peigvec = pres.vector
            out.update({F.PRECONDITIONED_SHARPNESS: pres.value, F.PRECOND_EIG_HVPS: pres.hvps})
        return out
