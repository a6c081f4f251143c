"""A run folder on disk: its file names, the schema of its per-step rows, and the reader.

The one home of what a run writes and what the checks, figures and report read:

- the file names of a run folder (:data:`CONFIG_FILE`, :data:`STEPS_FILE`,
  :data:`SUMMARY_FILE`, :data:`CHECKPOINT_FILE`, the registry's :data:`EXPERIMENT_FILE`,
  and :data:`STEPS_GZ_FILE`, the gzipped steps a report folder keeps);
- the fields of a ``steps.jsonl`` row: each name is defined once, as a member of :class:`F`
  (a ``str``, so ``row[F.LOSS]`` and ``run.col(F.LOSS)`` work on the JSON rows; a typo is an
  ``AttributeError``); the two kinds of rows, :data:`GD_ROW` (one per GD step) and
  :data:`SGD_ROW` (one per SGD epoch), list their fields with their JSON types, as does
  :data:`MONITOR_ROW` (one per step of :class:`eos_empirical.Monitor`, any optimizer);
- the reader: :func:`read_rows` (one steps file), :func:`load_run` (one folder, as a
  :class:`RunLog`), :func:`load_runs` (a folder of run folders) and :func:`runs_of`.

Writers (:mod:`eos_empirical.recorder`, :mod:`eos_empirical.train`,
:mod:`eos_empirical.diagnostics`) and readers (:mod:`eos_empirical.checks`,
:mod:`eos_empirical.plots`, :mod:`eos_empirical.report`, :mod:`eos_empirical.progress_line`)
name fields only through :class:`F`. This module imports numpy and the standard library
only (no torch), so logs can be read anywhere.

>>> F.SHARPNESS == "sharpness", {F.LOSS: 1.0} == {"loss": 1.0}
(True, True)
>>> [str(name) for name in GD_ROW.names[:4]]
['step', 'loss', 'acc', 'grad_norm']
>>> sorted(str(name) for name in set(SGD_ROW.names) - set(GD_ROW.names))
['iterations', 'rhs51', 'rhs51_se', 'rp_minus_rhs51', 'rp_minus_rhs51_se', 'rp_se', 'samples']
"""

from __future__ import annotations

import fcntl
import gzip
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np

# --- the files of a run folder -----------------------------------------------------------

#: ``{"config": RunConfig fields, "versions", "device", "dtype", "data", "model", ...}``.
CONFIG_FILE = "config.json"
#: One JSON object per GD step or SGD epoch (a row, see :class:`F`), flushed as it comes.
STEPS_FILE = "steps.jsonl"
#: A gzip of :data:`STEPS_FILE`, as a report folder keeps it (``eos report --copy-logs``).
STEPS_GZ_FILE = STEPS_FILE + ".gz"
#: Outcome, steps, timing and final loss and accuracy, written when the run ends.
SUMMARY_FILE = "summary.json"
#: The state at the last checkpoint, for resuming (torch format).
CHECKPOINT_FILE = "checkpoint.pt"
#: The run folder's lock: held by the one process writing the folder, holding its pid.
LOCK_FILE = ".lock"
#: The experiment registry's record: experiments using the run, regime, scale.
EXPERIMENT_FILE = "experiment.json"


def lock_holder(folder: str | os.PathLike[str]) -> str | None:
    """The pid (as written in :data:`LOCK_FILE`) of the process writing the run folder, or
    ``None`` when no process holds its lock (finished, interrupted, or never started).

    It asks by taking a shared lock for an instant, so a writer starting in that instant
    is refused as busy (and says so): ask at the end of a sweep, not in a loop.
    """  # noqa: D205
    lock = Path(folder) / LOCK_FILE
    if not lock.is_file():
        return None
    with lock.open("r") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return fh.read().strip() or "unknown"
        fcntl.flock(fh, fcntl.LOCK_UN)
    return None


# --- the rows of steps.jsonl -------------------------------------------------------------


class F(StrEnum):
    r"""The field names of a ``steps.jsonl`` row (the member's value is the JSON key).

    In a GD row ``t`` the values describe :math:`\theta^t` and the step from it; in an SGD
    row ``e`` the iterate after ``e`` epochs, with Monte Carlo estimates over minibatches.
    """

    #: GD step :math:`t`, or SGD epoch :math:`e`.
    STEP = "step"
    #: SGD: minibatch iterations done (:math:`e` times the batches per epoch).
    ITERATIONS = "iterations"
    #: Full-batch loss :math:`f(\theta)`.
    LOSS = "loss"
    #: Full-batch training accuracy.
    ACC = "acc"
    #: :math:`\|\nabla f(\theta)\|`.
    GRAD_NORM = "grad_norm"
    #: GD: RP of the step (Definition 1); SGD: :math:`\mathbb{E}[\mathrm{RP}]` (Definition 3).
    RP = "rp"
    #: GD: :math:`L(\theta^t;\eta\nabla f)` (Definition 2); SGD: mean of
    #: :math:`L(\theta;\eta g_B)` over the sampled minibatches.
    DIR_SMOOTHNESS = "dir_smoothness"
    #: :math:`\lambda_{\max}(\nabla^2 f(\theta))` by Lanczos, where measured.
    SHARPNESS = "sharpness"
    #: Hessian-vector products the sharpness took.
    EIG_HVPS = "eig_hvps"
    #: GD: relative residual of the sharpness.
    EIG_RESIDUAL = "eig_residual"
    #: GD, sharpness tracked at every step: its stated eigenvalue-error bound (absolute;
    #: Kato–Temple with an estimated gap, :mod:`eos_empirical.sharpness_tracking`).
    EIG_BOUND = "eig_bound"
    #: GD: :math:`L(\theta^t;\eta\tau\nabla f)` on the τ grid (Experiment 5), a list.
    TAU_SMOOTHNESS = "tau_smoothness"
    #: GD: mean over the τ grid.
    TAU_SMOOTHNESS_MEAN = "tau_smoothness_mean"
    #: GD: standard deviation over the τ grid.
    TAU_SMOOTHNESS_STD = "tau_smoothness_std"
    #: GD: right-hand side of Theorem 2 (4.2) by Gauss–Legendre.
    THEOREM2_RHS = "theorem2_rhs"
    #: GD: error estimate of that quadrature.
    THEOREM2_ERR = "theorem2_err"
    #: SGD: standard error of :attr:`RP`.
    RP_SE = "rp_se"
    #: SGD: right-hand side of (5.1).
    RHS51 = "rhs51"
    #: SGD: standard error of :attr:`RHS51`.
    RHS51_SE = "rhs51_se"
    #: SGD: paired difference :math:`\mathbb{E}[\mathrm{RP}] -` RHS of (5.1).
    RP_MINUS_RHS51 = "rp_minus_rhs51"
    #: SGD: standard error of :attr:`RP_MINUS_RHS51`.
    RP_MINUS_RHS51_SE = "rp_minus_rhs51_se"
    #: SGD: minibatches sampled for the estimates.
    SAMPLES = "samples"
    #: Monitor: :math:`\langle\nabla f(\theta^t), u_t\rangle` with
    #: :math:`u_t = \theta^t - \theta^{t+1}`.
    GRAD_DOT_UPDATE = "grad_dot_update"
    #: Monitor: :math:`\|u_t\|`.
    UPDATE_NORM = "update_norm"
    #: Monitor: why :attr:`RP` is ``null`` (e.g. :math:`\langle\nabla f, u\rangle \le 0`).
    RP_NULL_REASON = "rp_null_reason"
    #: Monitor: the analogue of (4.3),
    #: :math:`-1 + \|u\|^2 L(\theta;u)/(2\langle\nabla f, u\rangle)`.
    RELATION43_RHS = "relation43_rhs"
    #: Monitor: :math:`\lambda_{\max}(P^{-1/2}\nabla^2 f P^{-1/2})` (Cohen et al. 2022).
    PRECONDITIONED_SHARPNESS = "preconditioned_sharpness"
    #: Monitor: Hessian-vector products the preconditioned sharpness took.
    PRECOND_EIG_HVPS = "precond_eig_hvps"
    #: Monitor: the optimizer's stability threshold at its current learning rate.
    STABILITY_THRESHOLD = "stability_threshold"
    #: Monitor: the quantity it bounds (``sharpness`` or ``preconditioned_sharpness``).
    STABILITY_THRESHOLD_OF = "stability_threshold_of"
    #: Monitor: where the threshold comes from (paper and equation).
    STABILITY_THRESHOLD_SOURCE = "stability_threshold_source"
    #: Monitor: the learning rate :math:`\eta` of the step (one value for all groups).
    LR = "lr"
    #: Monitor: batch sharpness :math:`\mathbb{E}_B[g_B^\top\nabla^2 f_B g_B/\|g_B\|^2]`.
    BATCH_SHARPNESS = "batch_sharpness"
    #: Monitor: standard error of :attr:`BATCH_SHARPNESS`.
    BATCH_SHARPNESS_SE = "batch_sharpness_se"
    #: Monitor: minibatches the batch sharpness averaged.
    BATCH_SHARPNESS_SAMPLES = "batch_sharpness_samples"


Number = float | None


@dataclass(frozen=True)
class RowKind:
    """One kind of ``steps.jsonl`` row: its fields in the order written, with JSON types.

    ``fields`` maps each field to the type of its value (``None`` stands for JSON ``null``:
    not computed at that row, or not finite); ``optional`` are the fields some rows omit.
    """

    name: str
    fields: Mapping[F, Any]
    optional: frozenset[F] = frozenset()

    @property
    def names(self) -> tuple[F, ...]:
        """The fields in the order a writer puts them in a row."""
        return tuple(self.fields)

    @property
    def required(self) -> tuple[F, ...]:
        """The fields every row of this kind has."""
        return tuple(k for k in self.fields if k not in self.optional)


#: A GD step row: every field present, ``None`` where not computed at that step.
GD_ROW = RowKind(
    "GD step",
    {
        F.STEP: int,
        F.LOSS: Number,
        F.ACC: Number,
        F.GRAD_NORM: Number,
        F.RP: Number,
        F.DIR_SMOOTHNESS: Number,
        F.SHARPNESS: Number,
        F.EIG_HVPS: int | None,
        F.EIG_RESIDUAL: Number,
        F.EIG_BOUND: Number,
        F.TAU_SMOOTHNESS: list[Number] | None,
        F.TAU_SMOOTHNESS_MEAN: Number,
        F.TAU_SMOOTHNESS_STD: Number,
        F.THEOREM2_RHS: Number,
        F.THEOREM2_ERR: Number,
    },
    optional=frozenset((F.EIG_BOUND,)),  # logs written before issue 16 lack it
)

#: The SGD estimates of an epoch (:func:`eos_empirical.diagnostics.sgd_relative_progress`),
#: absent from the row of an epoch whose loss diverged.
SGD_ESTIMATES: tuple[F, ...] = (
    F.RP,
    F.RP_SE,
    F.RHS51,
    F.RHS51_SE,
    F.RP_MINUS_RHS51,
    F.RP_MINUS_RHS51_SE,
    F.DIR_SMOOTHNESS,
    F.SAMPLES,
)

#: An SGD epoch row; :data:`SGD_ESTIMATES` and ``eig_hvps`` (only where the sharpness was
#: measured) are optional.
SGD_ROW = RowKind(
    "SGD epoch",
    {
        F.STEP: int,
        F.ITERATIONS: int,
        F.LOSS: Number,
        F.ACC: Number,
        F.GRAD_NORM: Number,
        F.SHARPNESS: Number,
        **{k: int if k is F.SAMPLES else Number for k in SGD_ESTIMATES},
        F.EIG_HVPS: int,
    },
    optional=frozenset((*SGD_ESTIMATES, F.EIG_HVPS)),
)


#: A :class:`eos_empirical.Monitor` step row (any model and ``torch.optim`` optimizer): every
#: field present, ``None`` where not computed at that step.
MONITOR_ROW = RowKind(
    "Monitor step",
    {
        F.STEP: int,
        F.LOSS: Number,
        F.GRAD_NORM: Number,
        F.GRAD_DOT_UPDATE: Number,
        F.UPDATE_NORM: Number,
        F.RP: Number,
        F.RP_NULL_REASON: str | None,
        F.DIR_SMOOTHNESS: Number,
        F.RELATION43_RHS: Number,
        F.LR: Number,
        F.SHARPNESS: Number,
        F.EIG_HVPS: int | None,
        F.EIG_RESIDUAL: Number,
        F.PRECONDITIONED_SHARPNESS: Number,
        F.PRECOND_EIG_HVPS: int | None,
        F.STABILITY_THRESHOLD: Number,
        F.STABILITY_THRESHOLD_OF: str | None,
        F.STABILITY_THRESHOLD_SOURCE: str | None,
        F.BATCH_SHARPNESS: Number,
        F.BATCH_SHARPNESS_SE: Number,
        F.BATCH_SHARPNESS_SAMPLES: int | None,
    },
)


# --- the reader ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StepsScan:
    """A steps file as read: its parseable ``rows`` and the ``damage`` found in it.

    ``damage`` lists, with line numbers, every line that is not a JSON object (except a torn
    last line, the normal end of an interrupted run, which is dropped and noted in
    ``torn_tail``) and every gap in the step numbers. A damaged log is never judged silently.
    """

    rows: list[dict[str, Any]]
    damage: tuple[str, ...] = ()
    torn_tail: bool = False


def scan_steps(text: str) -> StepsScan:
    r"""Parse the lines of a steps file, finding damage.

    >>> scan_steps('{"step": 0}\n{"step": 1}\n{"st').torn_tail
    True
    >>> scan_steps('{"step": 0}\nxx\n{"step": 1}\n').damage
    ('line 2 is not a JSON object',)
    >>> scan_steps('{"step": 0}\n{"step": 2}\n').damage
    ('step gap at line 2: step 0 is followed by step 2',)
    """
    lines = text.split("\n")
    complete = text.endswith("\n") or not text
    if complete:
        lines = lines[:-1]
    rows: list[dict[str, Any]] = []
    damage: list[str] = []
    torn = False
    last = len(lines) - 1
    for i, line in enumerate(lines):
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            row = None
        if not isinstance(row, dict):
            if i == last and not complete:
                torn = True
            else:
                damage.append(f"line {i + 1} is not a JSON object")
            continue
        if rows and F.STEP in row and F.STEP in rows[-1]:
            before, now = rows[-1][F.STEP], row[F.STEP]
            if isinstance(before, int) and isinstance(now, int) and now != before + 1:
                damage.append(f"step gap at line {i + 1}: step {before} is followed by step {now}")
        rows.append(row)
    return StepsScan(rows, tuple(damage), torn)


def read_steps(path: str | os.PathLike[str]) -> StepsScan:
    """:func:`scan_steps` of a steps file, plain or gzipped (a name ending in ``.gz``);
    empty when the file is absent."""  # noqa: D205, D209
    p = Path(path)
    if not p.is_file():
        return StepsScan([])
    text = gzip.decompress(p.read_bytes()).decode() if p.name.endswith(".gz") else p.read_text()
    return scan_steps(text)


def read_rows(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The parseable rows of a steps file (see :func:`read_steps` for the damage found)."""
    return read_steps(path).rows


@dataclass(frozen=True)
class RunLog:
    """A finished (or interrupted) run as saved on disk.

    ``name`` is the folder name, ``config`` the run's :class:`~eos_empirical.config.RunConfig`
    fields, ``meta`` the rest of ``config.json`` (versions, device, data), ``experiment``
    the registry's ``experiment.json`` (experiments using the run, regime, scale),
    ``rows`` the lines of ``steps.jsonl``, ``summary`` ``summary.json`` (``None`` while
    the run is unfinished) and ``damage`` what :func:`scan_steps` found wrong in the steps
    (empty for a sound log; a damaged run is never judged).
    """

    name: str
    path: Path
    config: Mapping[str, Any]
    meta: Mapping[str, Any]
    experiment: Mapping[str, Any]
    rows: Sequence[Mapping[str, Any]]
    summary: Mapping[str, Any] | None = None
    damage: tuple[str, ...] = ()
    _cols: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    @property
    def eta(self) -> float:
        r"""The step size :math:`\eta`."""
        return float(self.config["eta"])

    @property
    def eta_label(self) -> str:
        r"""The step size as the figures name it.

        ``2/k`` when :math:`\eta = 2/k` for an integer ``k`` (the paper names GD and SGD
        step sizes by their threshold 2/η), else the number: always for Adam, momentum and
        RMSProp, whose thresholds are not 2/η (4e-4, not 2/5000).
        """
        k = 2.0 / self.eta
        plain = self.config.get("opt", "gd") in ("gd", "sgd")
        return f"2/{round(k)}" if plain and abs(k - round(k)) < 1e-9 * k else f"{self.eta:.4g}"

    @property
    def regime(self) -> str:
        """The registry's label: ``stable``, ``unstable``, ``diverge`` or ``sgd``."""
        return str(self.experiment.get("regime", "unknown"))

    @property
    def outcome(self) -> str:
        """``reached-target``, ``diverged``, ``max-steps``, or ``unfinished``."""
        return "unfinished" if self.summary is None else str(self.summary["outcome"])

    @property
    def dtype(self) -> str:
        """The run's floating-point type."""
        return str(self.config.get("dtype", "float32"))

    def col(self, key: F) -> np.ndarray:
        """Column ``key`` of the rows as float64, NaN where missing or ``null``.

        ``key`` must name a field of :class:`F` (``ValueError`` otherwise).
        """
        key = F(key)
        if key not in self._cols:
            vals = [r.get(key) for r in self.rows]
            self._cols[key] = np.array(
                [np.nan if v is None or isinstance(v, list) else float(v) for v in vals],
                dtype=np.float64,
            )
        return self._cols[key]

    @property
    def spec(self) -> str:
        """The paper run this is (``experiment.json``'s ``run``; the folder name otherwise):
        the same for every seed of one run of the experiments.
        """  # noqa: D205
        return str(self.experiment.get("run") or self.name)

    def label(self) -> str:
        """Short description: activation, depth, optimizer, step size."""
        c = self.config
        return f"{c['activation']} d{c['depth']} {c['opt']} η={self.eta_label}"


def load_run(path: str | os.PathLike[str]) -> RunLog:
    """Read one run folder; ``ValueError`` naming the file when ``config.json`` is absent.

    ``steps.jsonl`` may also be stored gzipped as ``steps.jsonl.gz``.
    """
    p = Path(path)
    cfg_file = p / CONFIG_FILE
    if not cfg_file.is_file():
        raise ValueError(f"path: {cfg_file} does not exist (not a run folder)")
    cfg = json.loads(cfg_file.read_text())
    steps = p / STEPS_FILE
    scan = read_steps(steps if steps.is_file() else p / STEPS_GZ_FILE)
    summary = p / SUMMARY_FILE
    exp = p / EXPERIMENT_FILE
    return RunLog(
        name=p.name,
        path=p,
        config=cfg["config"],
        meta={k: v for k, v in cfg.items() if k != "config"},
        experiment=json.loads(exp.read_text()) if exp.is_file() else {},
        rows=scan.rows,
        summary=json.loads(summary.read_text()) if summary.is_file() else None,
        damage=scan.damage,
    )


def load_runs(runs_dir: str | os.PathLike[str]) -> dict[str, RunLog]:
    """Every run folder under ``runs_dir``, by name: the folders directly under it, and one
    level further for a folder of runs (a sweep's, named ``sweep/run``). A report folder
    (``report.md`` beside ``runs/``) is read through its ``runs/``.
    """  # noqa: D205
    root = Path(runs_dir)
    if not root.is_dir():
        raise ValueError(f"runs_dir: {root} is not a folder")
    if (root / "runs").is_dir() and (root / "report.md").is_file():
        root = root / "runs"  # a report folder (eos report --copy-logs) keeps its runs there
    out: dict[str, RunLog] = {}
    for d in sorted(p for p in root.iterdir() if p.is_dir()):
        if (d / CONFIG_FILE).is_file():
            out[d.name] = load_run(d)
            continue
        for sub in sorted(p for p in d.iterdir() if p.is_dir()):
            if (sub / CONFIG_FILE).is_file():
                out[f"{d.name}/{sub.name}"] = load_run(sub)
    return out


def runs_of(runs: Mapping[str, RunLog] | Sequence[RunLog], *experiments: str) -> list[RunLog]:
    """The runs whose ``experiment.json`` lists one of ``experiments``, controls excepted.

    A control (``experiment.json`` ``control``: a run that changes the paper's setting on
    purpose, e.g. float64 or a scaled initialization) is never among the runs a verdict
    rests on; :func:`controls_of` gives them.
    """
    seq = list(runs.values()) if isinstance(runs, Mapping) else list(runs)
    return [
        r
        for r in seq
        if set(r.experiment.get("experiments", ())) & set(experiments)
        and not r.experiment.get("control")
    ]


def controls_of(runs: Mapping[str, RunLog] | Sequence[RunLog], *experiments: str) -> list[RunLog]:
    """The control runs (``experiment.json`` ``control`` set) of ``experiments``."""
    seq = list(runs.values()) if isinstance(runs, Mapping) else list(runs)
    return [
        r
        for r in seq
        if set(r.experiment.get("experiments", ())) & set(experiments)
        and r.experiment.get("control")
    ]
