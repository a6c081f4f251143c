r"""Verdicts on the paper's empirical claims (Sections 3–5), decided from saved run logs only.

Each check reads the files of finished runs (``config.json``, ``steps.jsonl``,
``summary.json`` and the ``experiment.json`` that :mod:`eos_empirical.experiments` writes
beside them) and returns an :class:`eos_theory.registry.Verdict` with the numbers that
decide it. No check touches a live model, so a GPU run's logs can be judged anywhere.

The criteria and their thresholds are fixed here, in code, BEFORE any run at scale was
looked at (see the git history of this file); a claim that fails its criterion gets the
status ``fails`` and the report says why. The thresholds, with their reasons:

- "near" for RP is measured in RP's own units, where the stable value is :math:`-1` and
  the unstable one :math:`0`: ``RP_NEAR`` = 0.1 for "settles near −1" (RP within 10% of
  the distance between the two regimes), ``RP_ZERO`` = 0.2 for "around 0" (an oscillating
  quantity, judged by its median over the second half of the run).
- Sign changes: an oscillation around 0 changes sign often; ``SIGN_RATE`` = 0.1 sign changes
  per step (at least one every 10 steps; a stable run has none).
- Directional smoothness is judged as :math:`\eta L/2`, so :math:`2/\eta` maps to 1:
  "saturates near :math:`2/\eta`" is a second-half median within ``L_NEAR`` = 0.2 of 1;
  "well below" is a maximum of at most ``L_BELOW`` = 0.5 along the whole stable run.
- τ spread (Experiment 5): coefficient of variation (std/mean over the grid) with median at
  most ``CV_MEDIAN`` = 0.1 and 90th percentile at most ``CV_P90`` = 0.25, over the grid rows
  of the unstable phase (mean at least half of :math:`2/\eta`, where (4.3) matters).
- (4.3): :math:`e_t = |\mathrm{RP}_t - (-1 + \tfrac{\eta}{2}L_t)|` with median at most
  ``E43_MEDIAN`` = 0.1 and 90th percentile at most ``E43_P90`` = 0.25 (RP units).
- Edge of stability (Section 4.4): "most iterates above :math:`2/\eta`" is a fraction of at
  least ``EOS_MOST`` = 0.5 of the second-half sharpness measurements with
  :math:`\eta\lambda/2 \ge` ``EOS_AT`` = 0.95 (5% below allows for the Lanczos tolerance and
  the oscillation of the sharpness about the threshold), and "saturates at or slightly
  above" a second-half median of :math:`\eta\lambda/2` in [``EOS_AT``, ``EOS_ABOVE`` = 1.5].
- SGD (Section 5): E[RP] "not below zero" for an epoch means not significantly below, i.e.
  :math:`\mathbb{E}[\mathrm{RP}] + 2\,\mathrm{se} \ge 0`, for a majority (> ``SGD_MOST`` =
  0.5) of epochs; (5.1) agrees in an epoch when :math:`|\mathrm{LHS} - \mathrm{RHS}| \le 2
  \sqrt{\mathrm{se}_L^2 + \mathrm{se}_R^2}` (``SE_K`` = 2, a two-standard-error band), in at
  least ``AGREE_FRAC`` = 0.9 of the epochs.
- Float round-off: a loss difference in a run's dtype is exact to about
  :math:`4\epsilon(|f_t| + |f_{t+1}|)`; RP "negative" and the loss "monotone" are judged
  beyond that (``ROUNDOFF_K`` = 4 machine epsilons).
"""

from __future__ import annotations

import gzip
import json
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from eos_theory.registry import Kind, Verdict

# --- criteria (fixed before looking at results; see the module docstring) ----------------
RP_NEAR = 0.1
RP_ZERO = 0.2
SIGN_RATE = 0.1
L_NEAR = 0.2
L_BELOW = 0.5
CV_MEDIAN = 0.1
CV_P90 = 0.25
UNSTABLE_ROW = 0.5
MIN_TAU_ROWS = 5
E43_MEDIAN = 0.1
E43_P90 = 0.25
EOS_MOST = 0.5
EOS_AT = 0.95
EOS_ABOVE = 1.5
SGD_MOST = 0.5
SE_K = 2.0
AGREE_FRAC = 0.9
ROUNDOFF_K = 4.0
#: Relative slack of the pointwise Corollary 1 comparison: the engine's Lanczos tolerance
#: (``eig_tol`` = 1e-3 by default) makes the measured sharpness a lower bound within 1e-3.
EIG_SLACK = 1e-3

EXPERIMENT_FILE = "experiment.json"
EPS = {"float32": float(np.finfo(np.float32).eps), "float64": float(np.finfo(np.float64).eps)}


class MissingRunsError(ValueError):
    """The logs a check needs are not in the runs folder (the experiment was not run)."""


@dataclass(frozen=True)
class RunLog:
    """A finished (or interrupted) run as saved on disk.

    ``name`` is the folder name, ``config`` the run's :class:`~eos_empirical.config.RunConfig`
    fields, ``meta`` the rest of ``config.json`` (versions, device, data), ``experiment``
    the registry's ``experiment.json`` (experiments using the run, regime, scale),
    ``rows`` the lines of ``steps.jsonl`` and ``summary`` ``summary.json`` (``None`` while
    the run is unfinished).
    """

    name: str
    path: Path
    config: Mapping[str, Any]
    meta: Mapping[str, Any]
    experiment: Mapping[str, Any]
    rows: Sequence[Mapping[str, Any]]
    summary: Mapping[str, Any] | None = None
    _cols: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    @property
    def eta(self) -> float:
        r"""The step size :math:`\eta`."""
        return float(self.config["eta"])

    @property
    def eta_label(self) -> str:
        r"""``2/k`` when :math:`\eta = 2/k` for an integer ``k``, else the number."""
        k = 2.0 / self.eta
        return f"2/{round(k)}" if abs(k - round(k)) < 1e-9 * k else f"{self.eta:.4g}"

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

    def col(self, key: str) -> np.ndarray:
        """Column ``key`` of the rows as float64, NaN where missing or ``null``."""
        if key not in self._cols:
            vals = [r.get(key) for r in self.rows]
            self._cols[key] = np.array(
                [np.nan if v is None or isinstance(v, list) else float(v) for v in vals],
                dtype=np.float64,
            )
        return self._cols[key]

    def label(self) -> str:
        """Short description: activation, depth, optimizer, step size."""
        c = self.config
        return f"{c['activation']} d{c['depth']} {c['opt']} η={self.eta_label}"


def load_run(path: str | os.PathLike[str]) -> RunLog:
    """Read one run folder; ``ValueError`` naming the file when ``config.json`` is absent.

    ``steps.jsonl`` may also be stored gzipped as ``steps.jsonl.gz``.
    """
    p = Path(path)
    cfg_file = p / "config.json"
    if not cfg_file.is_file():
        raise ValueError(f"path: {cfg_file} does not exist (not a run folder)")
    cfg = json.loads(cfg_file.read_text())
    rows: list[dict[str, Any]] = []
    steps, packed = p / "steps.jsonl", p / "steps.jsonl.gz"
    text = ""
    if steps.is_file():
        text = steps.read_text()
    elif packed.is_file():  # a report folder's copy (eos report --copy-logs)
        text = gzip.decompress(packed.read_bytes()).decode()
    if text:
        for line in text.splitlines():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:  # a partial last line of an interrupted run
                break
    summary = p / "summary.json"
    exp = p / EXPERIMENT_FILE
    return RunLog(
        name=p.name,
        path=p,
        config=cfg["config"],
        meta={k: v for k, v in cfg.items() if k != "config"},
        experiment=json.loads(exp.read_text()) if exp.is_file() else {},
        rows=rows,
        summary=json.loads(summary.read_text()) if summary.is_file() else None,
    )


def load_runs(runs_dir: str | os.PathLike[str]) -> dict[str, RunLog]:
    """Every run folder directly under ``runs_dir``, by folder name."""
    root = Path(runs_dir)
    if not root.is_dir():
        raise ValueError(f"runs_dir: {root} is not a folder")
    return {d.name: load_run(d) for d in sorted(root.iterdir()) if (d / "config.json").is_file()}


def runs_of(runs: Mapping[str, RunLog] | Sequence[RunLog], *experiments: str) -> list[RunLog]:
    """The runs whose ``experiment.json`` lists one of ``experiments``."""
    seq = list(runs.values()) if isinstance(runs, Mapping) else list(runs)
    return [r for r in seq if set(r.experiment.get("experiments", ())) & set(experiments)]


# --- small statistics --------------------------------------------------------------------


def second_half(x: np.ndarray) -> np.ndarray:
    """The entries from the middle of the run on, finite ones only.

    >>> second_half(np.array([1.0, 2.0, np.nan, 4.0]))
    array([4.])
    """
    tail = x[len(x) // 2 :]
    return tail[np.isfinite(tail)]


def sign_change_rate(x: np.ndarray) -> float:
    """Fraction of consecutive pairs of nonzero finite entries with opposite signs.

    >>> sign_change_rate(np.array([1.0, -1.0, 1.0, 1.0]))
    0.6666666666666666
    """
    s = np.sign(x[np.isfinite(x)])
    s = s[s != 0]
    if s.size < 2:
        return 0.0
    return float(np.mean(s[1:] != s[:-1]))


def _q(x: np.ndarray, q: float) -> float:
    x = x[np.isfinite(x)]
    return float(np.quantile(x, q)) if x.size else math.nan


def _r(x: float, digits: int = 4) -> float:
    return float(f"{x:.{digits}g}") if math.isfinite(x) else x


def roundoff_rp(run: RunLog) -> np.ndarray:
    r"""Per step, the size of RP that float round-off of the two losses can produce.

    .. math::

        \frac{k\epsilon(|f_t| + |f_{t+1}|)}{\eta\|\nabla f(\theta^t)\|^2}

    with :math:`k` = ``ROUNDOFF_K`` and :math:`\epsilon` the machine epsilon of the run's
    dtype (:math:`f_{t+1}` is the next row's loss, or :math:`f_t` on the last row).
    """
    f = run.col("loss")
    f_next = np.append(f[1:], f[-1:]) if f.size else f
    gn = run.col("grad_norm")
    with np.errstate(all="ignore"):
        return ROUNDOFF_K * EPS[run.dtype] * (np.abs(f) + np.abs(f_next)) / (run.eta * gn**2)


def relation43_error(run: RunLog) -> np.ndarray:
    r""":math:`|\mathrm{RP}_t - (-1 + \tfrac{\eta}{2}L(\theta^t;\eta\nabla f(\theta^t)))|`
    per logged step (paper (4.3)).
    """  # noqa: D205
    return np.abs(run.col("rp") - (-1.0 + 0.5 * run.eta * run.col("dir_smoothness")))


def tau_rows(run: RunLog) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""The Experiment 5 grid rows: steps, the τ grid, and :math:`L(\theta^t;\eta\tau\nabla f)`.

    The grid is :math:`\{1/m, \dots, 1\}` with :math:`m` = the run's ``tau_points``
    (the engine's :func:`~eos_empirical.config.tau_grid`); rows without values are skipped.
    """
    steps, vals = [], []
    for r in run.rows:
        v = r.get("tau_smoothness")
        if isinstance(v, list) and v and all(x is not None for x in v):
            steps.append(int(r["step"]))
            vals.append(v)
    m = len(vals[0]) if vals else int(run.config.get("tau_points", 100))
    taus = np.arange(1, m + 1, dtype=np.float64) / m
    return np.array(steps, dtype=np.int64), taus, np.array(vals, dtype=np.float64).reshape(-1, m)


def tau_statistics(taus: np.ndarray, values: np.ndarray) -> dict[str, np.ndarray]:
    r"""Per grid row: plain mean and standard deviation over τ, and the 2τ-weighted mean.

    .. math::

        \bar L = \frac1m\sum_k L_k, \qquad
        W = \frac{\sum_k 2\tau_k L_k}{\sum_k 2\tau_k} \approx 2\int_0^1 \tau L\,d\tau

    :math:`\bar L` is what the paper plots (Experiment 5), :math:`W` what Theorem 2 (4.2)
    uses; the weights are normalized so a constant :math:`L` gives :math:`W = L`.

    >>> s = tau_statistics(np.array([0.5, 1.0]), np.array([[1.0, 3.0]]))
    >>> [round(float(s[k][0]), 4) for k in ("mean", "weighted", "std")]
    [2.0, 2.3333, 1.0]
    """
    w = 2.0 * taus
    return {
        "mean": values.mean(axis=1),
        "std": values.std(axis=1),
        "weighted": values @ w / w.sum(),
        "at_one": values[:, -1],
    }


# --- the checks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EmpiricalCheck:
    """One claim of the paper decided from run logs.

    ``id`` a stable name, ``location`` the paper's place, ``statement`` the claim as the
    paper makes it, ``criterion`` the decision rule with its thresholds, ``kind`` as in the
    claims registry (``exact``: holds or fails; ``approximate``: an ≈ relation, holds or
    fails; ``finding``: a measurement reported, not decided), ``experiments`` the registry
    experiments whose runs it reads, ``func`` the check on those runs.
    """

    id: str
    location: str
    statement: str
    criterion: str
    kind: Kind
    experiments: tuple[str, ...]
    func: Callable[[Sequence[RunLog]], Verdict]

    def evaluate(self, runs: Mapping[str, RunLog] | Sequence[RunLog]) -> Verdict:
        """The verdict on the runs of this check's experiments.

        Raises :class:`MissingRunsError` when none of them is in ``runs``.
        """
        mine = runs_of(runs, *self.experiments)
        if not mine:
            raise MissingRunsError(f"no run of experiment(s) {', '.join(self.experiments)} found")
        return self.func(mine)


CHECKS: dict[str, EmpiricalCheck] = {}


def _check(
    *,
    id: str,
    location: str,
    statement: str,
    criterion: str,
    kind: Kind,
    experiments: tuple[str, ...],
) -> Callable[[Callable[[Sequence[RunLog]], Verdict]], Callable[[Sequence[RunLog]], Verdict]]:
    def register(func: Callable[[Sequence[RunLog]], Verdict]):
        CHECKS[id] = EmpiricalCheck(id, location, statement, criterion, kind, experiments, func)
        return func

    return register


def _need(runs: Sequence[RunLog], what: str, pick: Callable[[RunLog], bool]) -> list[RunLog]:
    got = [r for r in runs if pick(r)]
    if not got:
        raise MissingRunsError(f"no {what} run among {[r.name for r in runs]}")
    return got


def _status(ok: bool) -> str:
    return "holds" if ok else "fails"


def _every_run(
    runs: Sequence[RunLog],
    per_run: Callable[[RunLog], tuple[bool, dict[str, object]]],
    ok_text: str,
    bad_text: str,
) -> Verdict:
    """``holds`` when ``per_run`` accepts every run; the numbers of all runs together."""
    nums: dict[str, object] = {}
    ok = True
    for r in runs:
        good, n = per_run(r)
        ok &= good
        nums.update(n)
    return Verdict(_status(ok), nums, ok_text if ok else bad_text)


def _loss_decreased(run: RunLog) -> bool:
    f = run.col("loss")
    f = f[np.isfinite(f)]
    final = run.summary.get("final_loss") if run.summary else None
    last = float(final) if final is not None else (float(f[-1]) if f.size else math.nan)
    return bool(f.size) and math.isfinite(last) and last < float(f[0])


@_check(
    id="exp1.activation-needed",
    location="Section 3.2, Experiment 1 (and Takeaway 2)",
    statement="With eta = 2/30, full-batch GD on the CIFAR-10 setting of Cohen et al. "
    "diverges for the linear network (no activation) and converges for tanh and ReLU.",
    criterion="outcome of the linear run is 'diverged'; tanh and ReLU runs are not "
    "'diverged' and end below their initial loss",
    kind="exact",
    experiments=("exp1",),
)
def check_exp1(runs: Sequence[RunLog]) -> Verdict:
    """Experiment 1: the linear net diverges at η = 2/30; tanh and ReLU do not."""
    by_act = {}
    for act in ("none", "tanh", "relu"):
        by_act[act] = _need(runs, f"activation={act}", lambda r, a=act: r.config["activation"] == a)
    nums: dict[str, object] = {}
    ok = True
    for act, rs in by_act.items():
        for r in rs:
            f = r.col("loss")
            nums[f"{act} η={r.eta_label} outcome"] = r.outcome
            nums[f"{act} η={r.eta_label} steps"] = r.summary.get("steps") if r.summary else None
            nums[f"{act} η={r.eta_label} loss first/last"] = (
                f"{_r(float(f[0]))}/{_r(float(r.summary['final_loss']))}"
                if r.summary and r.summary.get("final_loss") is not None and f.size
                else f"{_r(float(f[0])) if f.size else 'nan'}/non-finite"
            )
            if act == "none":
                ok &= r.outcome == "diverged"
            else:
                ok &= r.outcome not in ("diverged", "unfinished") and _loss_decreased(r)
    lin = by_act["none"][0].outcome
    detail = (
        "the linear network diverges and both nets with activations converge, as claimed"
        if ok
        else f"linear outcome {lin!r}; tanh {[r.outcome for r in by_act['tanh']]}, relu "
        f"{[r.outcome for r in by_act['relu']]}: the claim's pattern is not reproduced"
    )
    return Verdict(_status(ok), nums, detail)


def _stable_numbers(r: RunLog) -> tuple[bool, dict[str, object]]:
    rp = r.col("rp")
    f = r.col("loss")
    tol = roundoff_rp(r)
    finite = np.isfinite(rp)
    nonneg = int(np.sum(finite & (rp > -tol)))
    incr = int(np.sum(f[1:] > f[:-1] + ROUNDOFF_K * EPS[r.dtype] * np.abs(f[:-1])))
    med = float(np.median(second_half(rp))) if second_half(rp).size else math.nan
    ok = (
        r.outcome not in ("diverged", "unfinished")
        and nonneg == 0
        and int(np.sum(~finite)) == 0
        and incr == 0
        and abs(med + 1) <= RP_NEAR
    )
    tag = f"η={r.eta_label}"
    return ok, {
        f"{tag} outcome": r.outcome,
        f"{tag} steps": len(rp),
        f"{tag} steps with RP >= 0": nonneg,
        f"{tag} loss increases": incr,
        f"{tag} max RP": _r(float(np.nanmax(rp))) if finite.any() else math.nan,
        f"{tag} median RP (2nd half)": _r(med),
    }


@_check(
    id="exp2.stable-rp",
    location="Section 4.1.1, Experiment 2 and Remark 3",
    statement="In the stable regime (small eta, tanh), RP stays negative at every step, "
    "the loss decreases monotonically, and RP saturates around -1.",
    criterion=f"every stable run: RP < 0 beyond float round-off ({ROUNDOFF_K:g} eps) at "
    f"every step, no loss increase beyond round-off, median RP over the second half within "
    f"{RP_NEAR} of -1, not diverged",
    kind="exact",
    experiments=("exp2",),
)
def check_exp2(runs: Sequence[RunLog]) -> Verdict:
    """Experiment 2: RP < 0 every step, monotone loss, RP settles near −1."""
    return _every_run(
        _need(runs, "stable-regime", lambda r: r.regime == "stable"),
        _stable_numbers,
        "RP is negative at every step, the loss never increases and RP settles near -1",
        "some stable run has RP >= 0, a loss increase, or RP not near -1 (see numbers)",
    )


def _unstable_numbers(r: RunLog) -> tuple[bool, dict[str, object]]:
    rp = r.col("rp")
    tail = second_half(rp)
    med = float(np.median(tail)) if tail.size else math.nan
    rate = sign_change_rate(rp[len(rp) // 2 :])
    f = r.col("loss")
    n = len(f)
    w = max(1, n // 10)
    mid = float(np.nanmean(f[n // 2 : n // 2 + w])) if n else math.nan
    end = float(np.nanmean(f[n - w :])) if n else math.nan
    ok = r.outcome == "reached-target" and abs(med) <= RP_ZERO and rate >= SIGN_RATE and end < mid
    tag = f"{r.label()}"
    return ok, {
        f"{tag} outcome": r.outcome,
        f"{tag} steps": n,
        f"{tag} median RP (2nd half)": _r(med),
        f"{tag} sign changes/step (2nd half)": _r(rate, 3),
        f"{tag} fraction RP>0 (2nd half)": _r(float(np.mean(tail > 0)), 3) if tail.size else None,
        f"{tag} mean loss at mid/end": f"{_r(mid)}/{_r(end)}",
    }


@_check(
    id="exp3.unstable-rp",
    location="Section 4.1.2, Experiment 3 and Takeaway 3",
    statement="In the unstable regime (larger eta, tanh), RP oscillates around 0 while the "
    "loss still decreases in the long run (until 95% train accuracy).",
    criterion=f"every unstable run reaches the target; over its second half |median RP| <= "
    f"{RP_ZERO}, RP changes sign at least {SIGN_RATE} times per step, and the mean loss over "
    f"the last tenth is below the mean over the tenth starting at mid-run",
    kind="exact",
    experiments=("exp3",),
)
def check_exp3(runs: Sequence[RunLog]) -> Verdict:
    """Experiment 3: RP oscillates around 0 (median, sign changes); loss decreases."""
    return _every_run(
        _need(runs, "unstable-regime", lambda r: r.regime == "unstable"),
        _unstable_numbers,
        "in every unstable run RP oscillates around 0 and the loss keeps decreasing",
        "some unstable run does not show RP oscillating around 0 with decreasing loss "
        "(see numbers)",
    )


@_check(
    id="exp3.larger-eta-faster",
    location="Section 4.1.2, Remark 4",
    statement="The optimization gets faster with larger step sizes: larger eta reaches the "
    "95% train-accuracy target in fewer steps.",
    criterion="all unstable runs reach the target and their step counts strictly decrease "
    "as eta increases",
    kind="exact",
    experiments=("exp3",),
)
def check_exp3_faster(runs: Sequence[RunLog]) -> Verdict:
    """Remark 4: steps to the target decrease with η among the unstable runs."""
    unstable = sorted(
        _need(runs, "unstable-regime", lambda r: r.regime == "unstable"), key=lambda r: r.eta
    )
    steps = [
        int(r.summary["steps"]) if r.summary and r.outcome == "reached-target" else None
        for r in unstable
    ]
    nums: dict[str, object] = {
        f"η={r.eta_label} steps": s for r, s in zip(unstable, steps, strict=True)
    }
    reached = all(s is not None for s in steps)
    ok = reached and len(steps) >= 2 and all(a > b for a, b in pairwise(steps))  # type: ignore[operator]
    return Verdict(
        _status(ok),
        nums,
        "steps to the target fall as eta grows"
        if ok
        else (
            "not every unstable run reached the target"
            if not reached
            else "steps to the target do not fall monotonically with eta"
        ),
    )


@_check(
    id="exp3.eta-2-10-diverges",
    location="Section 4.1.2, Remark 4",
    statement="In the setting of Experiment 3 the training loss diverges for eta = 2/10.",
    criterion="the run at eta = 2/10 ends with outcome 'diverged'",
    kind="exact",
    experiments=("exp3",),
)
def check_exp3_diverges(runs: Sequence[RunLog]) -> Verdict:
    """Remark 4: η = 2/10 diverges."""
    div = _need(runs, "eta=2/10", lambda r: r.regime == "diverge")
    ok = all(r.outcome == "diverged" for r in div)
    nums: dict[str, object] = {}
    for r in div:
        f = r.col("loss")
        nums[f"η={r.eta_label} outcome"] = r.outcome
        nums[f"η={r.eta_label} steps"] = len(f)
        nums[f"η={r.eta_label} max finite loss"] = (
            _r(float(np.nanmax(f))) if np.isfinite(f).any() else None
        )
    return Verdict(_status(ok), nums, "eta=2/10 diverges" if ok else "eta=2/10 does not diverge")


@_check(
    id="exp4.unstable-L-at-2-over-eta",
    location="Section 4.2, Experiment 4 and (4.1)",
    statement="In the unstable regime the directional smoothness L(theta_t; eta grad f) "
    "saturates around 2/eta (GD oscillates).",
    criterion=f"every unstable run: median of eta*L/2 over the second half within {L_NEAR} of 1",
    kind="approximate",
    experiments=("exp4",),
)
def check_exp4_unstable(runs: Sequence[RunLog]) -> Verdict:
    """Experiment 4, unstable runs: η L / 2 saturates near 1."""
    unstable = _need(runs, "unstable-regime", lambda r: r.regime == "unstable")
    nums: dict[str, object] = {}
    ok = True
    for r in unstable:
        x = second_half(0.5 * r.eta * r.col("dir_smoothness"))
        med = float(np.median(x)) if x.size else math.nan
        ok &= abs(med - 1) <= L_NEAR
        nums[f"η={r.eta_label} median ηL/2 (2nd half)"] = _r(med)
        nums[f"η={r.eta_label} 10-90% ηL/2"] = f"{_r(_q(x, 0.1))}..{_r(_q(x, 0.9))}"
    return Verdict(
        _status(ok),
        nums,
        "L saturates at 2/eta in every unstable run"
        if ok
        else "L does not saturate near 2/eta in some unstable run",
    )


@_check(
    id="exp4.stable-L-below",
    location="Section 4.2, Experiment 4 and Remark 6",
    statement="In the stable regime the directional smoothness stays well below 2/eta.",
    criterion=f"every stable run: max of eta*L/2 over the whole run <= {L_BELOW}",
    kind="exact",
    experiments=("exp4",),
)
def check_exp4_stable(runs: Sequence[RunLog]) -> Verdict:
    """Experiment 4, stable runs: η L / 2 stays at most ``L_BELOW``."""
    stable = _need(runs, "stable-regime", lambda r: r.regime == "stable")
    nums: dict[str, object] = {}
    ok = True
    for r in stable:
        x = 0.5 * r.eta * r.col("dir_smoothness")
        mx = float(np.nanmax(x)) if np.isfinite(x).any() else math.nan
        ok &= mx <= L_BELOW
        nums[f"η={r.eta_label} max ηL/2"] = _r(mx)
        nums[f"η={r.eta_label} median ηL/2"] = _r(float(np.nanmedian(x)))
    return Verdict(
        _status(ok),
        nums,
        "L stays well below 2/eta" if ok else "L comes close to or above 2/eta in a stable run",
    )


def _tau_numbers(r: RunLog) -> dict[str, Any]:
    steps, taus, vals = tau_rows(r)
    if not len(steps):
        raise MissingRunsError(f"run {r.name} has no tau-grid rows (tau_every=0?)")
    s = tau_statistics(taus, vals)
    scale = 2.0 / r.eta
    with np.errstate(all="ignore"):
        cv = s["std"] / np.abs(s["mean"])
    unstable = s["mean"] >= UNSTABLE_ROW * scale
    rp = r.col("rp")
    idx = {int(t): i for i, t in enumerate(r.col("step")) if np.isfinite(t)}
    rp_at = np.array([rp[idx[t]] if t in idx else np.nan for t in steps])
    # Theorem 2 in the run: RP = -1 + (eta/2) W, up to the 100-point grid's quadrature error.
    thm2 = np.abs(rp_at - (-1.0 + 0.5 * r.eta * s["weighted"]))
    return {
        "steps": steps,
        "stats": s,
        "cv": cv,
        "unstable": unstable,
        "rp_at": rp_at,
        "thm2": thm2,
        "scale": scale,
    }


@_check(
    id="exp5.tau-spread",
    location="Section 4.3, Experiment 5",
    statement="L(theta_t; eta*tau*grad f) does not vary much across tau in [0, 1] (eta = "
    "2/60, every 5 steps, tau in {0.01, ..., 1}), so the single value L(theta_t; eta grad f) "
    "represents the weighted average of Theorem 2.",
    criterion=f"over grid rows of the unstable phase (mean over tau >= {UNSTABLE_ROW} * 2/eta; "
    f"at least {MIN_TAU_ROWS} rows): median of std/mean <= {CV_MEDIAN} and 90th percentile "
    f"<= {CV_P90}; the 2tau-weighted mean (Theorem 2) is reported beside the plain mean "
    f"(the paper's plot)",
    kind="approximate",
    experiments=("exp5",),
)
def check_exp5(runs: Sequence[RunLog]) -> Verdict:
    """Experiment 5: the spread of L over τ is small relative to its mean."""
    grid_runs = _need(runs, "tau-grid", lambda r: bool(r.config.get("tau_every")))
    nums: dict[str, object] = {}
    ok = True
    for r in grid_runs:
        t = _tau_numbers(r)
        s, cv, un = t["stats"], t["cv"], t["unstable"]
        tag = f"η={r.eta_label}"
        nums[f"{tag} grid rows (unstable/all)"] = f"{int(un.sum())}/{len(cv)}"
        med, p90 = _q(cv[un], 0.5), _q(cv[un], 0.9)
        nums[f"{tag} std/mean median (unstable rows)"] = _r(med)
        nums[f"{tag} std/mean p90 (unstable rows)"] = _r(p90)
        nums[f"{tag} std/mean median (all rows)"] = _r(_q(cv, 0.5))
        nums[f"{tag} median plain mean ·η/2 (unstable)"] = _r(_q(s["mean"][un] / t["scale"], 0.5))
        nums[f"{tag} median 2τ-weighted mean ·η/2 (unstable)"] = _r(
            _q(s["weighted"][un] / t["scale"], 0.5)
        )
        nums[f"{tag} median |weighted-plain|·η/2"] = _r(
            _q(np.abs(s["weighted"] - s["mean"]) / t["scale"], 0.5)
        )
        nums[f"{tag} median |RP-(-1+ηW/2)| (Thm 2 on grid)"] = _r(_q(t["thm2"], 0.5))
        ok &= int(un.sum()) >= MIN_TAU_ROWS and med <= CV_MEDIAN and p90 <= CV_P90
    return Verdict(
        _status(ok),
        nums,
        "the spread over tau is small relative to the mean in the unstable phase"
        if ok
        else "the spread over tau is not small relative to its mean (or too few unstable rows)",
    )


@_check(
    id="relation43.unstable",
    location="Section 4.3, (4.3), Experiments 5 and 6",
    statement="RP(theta) ≈ -1 + (eta/2) L(theta; eta grad f(theta)) along GD, in particular "
    "in the unstable regime; its error is governed by the spread of L over tau.",
    criterion=f"every unstable GD run: e_t = |RP_t - (-1 + eta L_t / 2)| has median <= "
    f"{E43_MEDIAN} and 90th percentile <= {E43_P90}; on tau-grid rows e_t is compared with "
    f"(eta/2)|W - L(1)| (its exact value by Theorem 2) and (eta/2) std over tau",
    kind="approximate",
    experiments=("exp3", "exp5", "exp6"),
)
def check_relation43(runs: Sequence[RunLog]) -> Verdict:
    """(4.3) along unstable runs, and its relation to the τ spread of Experiment 5."""
    unstable = _need(
        runs, "unstable GD", lambda r: r.regime == "unstable" and r.config["opt"] == "gd"
    )
    nums: dict[str, object] = {}
    ok = True
    for r in unstable:
        e = relation43_error(r)
        med, p90 = _q(e, 0.5), _q(e, 0.9)
        ok &= med <= E43_MEDIAN and p90 <= E43_P90
        nums[f"{r.name} |RP-(4.3)| median/p90/max"] = (
            f"{_r(med, 3)}/{_r(p90, 3)}/{_r(_q(e, 1.0), 3)}"
        )
        if r.config.get("tau_every"):
            t = _tau_numbers(r)
            s = t["stats"]
            idx = {int(st): i for i, st in enumerate(r.col("step")) if np.isfinite(st)}
            e_at = np.array([e[idx[st]] if st in idx else np.nan for st in t["steps"]])
            exact = 0.5 * r.eta * np.abs(s["weighted"] - s["at_one"])
            spread = 0.5 * r.eta * s["std"]
            nums[f"{r.name} grid rows: median e_t / (η/2)|W-L(1)|"] = (
                f"{_r(_q(e_at, 0.5), 3)}/{_r(_q(exact, 0.5), 3)}"
            )
            nums[f"{r.name} grid rows: median (η/2)·std_τ"] = _r(_q(spread, 0.5), 3)
            ok_rows = np.isfinite(e_at) & np.isfinite(spread)
            if ok_rows.sum() >= 3:
                nums[f"{r.name} corr(e_t, (η/2)std_τ)"] = _r(
                    float(np.corrcoef(e_at[ok_rows], spread[ok_rows])[0, 1]), 3
                )
    return Verdict(
        _status(ok),
        nums,
        "(4.3) holds to the stated accuracy in every unstable run"
        if ok
        else "(4.3) misses the stated accuracy in some unstable run",
    )


@_check(
    id="exp6.relu-similar",
    location="Section 4.3.1, Experiment 6",
    statement="With ReLU activations (2 and 4 hidden layers of width 200) the results are "
    "largely similar to tanh, and (4.3) holds for all cases.",
    criterion=f"every run: (4.3) error median <= {E43_MEDIAN} and p90 <= {E43_P90}; stable "
    f"runs: median RP over the second half within {RP_NEAR} of -1; unstable runs: |median "
    f"RP| over the second half <= {RP_ZERO} and median eta*L/2 within {L_NEAR} of 1",
    kind="approximate",
    experiments=("exp6",),
)
def check_exp6(runs: Sequence[RunLog]) -> Verdict:
    """Experiment 6: ReLU nets show the same signatures and (4.3)."""
    relu = _need(runs, "ReLU GD", lambda r: r.config["activation"] == "relu")
    nums: dict[str, object] = {}
    ok = True
    for r in relu:
        e = relation43_error(r)
        rp_med = (
            float(np.median(second_half(r.col("rp"))))
            if second_half(r.col("rp")).size
            else math.nan
        )
        lx = second_half(0.5 * r.eta * r.col("dir_smoothness"))
        l_med = float(np.median(lx)) if lx.size else math.nan
        good = _q(e, 0.5) <= E43_MEDIAN and _q(e, 0.9) <= E43_P90 and r.outcome != "unfinished"
        if r.regime == "stable":
            good &= abs(rp_med + 1) <= RP_NEAR
        elif r.regime == "unstable":
            good &= abs(rp_med) <= RP_ZERO and abs(l_med - 1) <= L_NEAR
        ok &= good
        nums[f"{r.label()} outcome"] = r.outcome
        nums[f"{r.label()} median RP / ηL/2 (2nd half)"] = f"{_r(rp_med, 3)}/{_r(l_med, 3)}"
        nums[f"{r.label()} |RP-(4.3)| median/p90"] = f"{_r(_q(e, 0.5), 3)}/{_r(_q(e, 0.9), 3)}"
    return Verdict(
        _status(ok),
        nums,
        "ReLU runs show the tanh signatures and (4.3)"
        if ok
        else "some ReLU run misses a signature or (4.3) (see numbers)",
    )


def _sharp_points(runs: Sequence[RunLog]) -> list[tuple[RunLog, np.ndarray, np.ndarray]]:
    out = []
    for r in runs:
        lam = r.col("sharpness")
        if r.config["opt"] == "gd" and np.isfinite(lam).any():
            out.append((r, lam, r.col("rp")))
    return out


@_check(
    id="corollary1.pointwise",
    location="Section 4.4, Corollary 1 and the (♣) argument",
    statement="(2/eta)(RP(theta_t) + 1) <= L_t (Corollary 1); the paper argues the "
    "pointwise version (2/eta)(RP + 1) ≈ lim L(theta; eta tau grad f) <= lambda_max(theta_t).",
    criterion=f"where sharpness was measured: fraction of steps with lambda_max(theta_t) >= "
    f"(2/eta)(RP_t + 1) - {EIG_SLACK} * lambda_max (the Lanczos tolerance); every such step "
    f"also certifies Corollary 1 there (L_t >= lambda_max(theta_t)); a step where it fails "
    f"does not contradict Corollary 1 (L_t is a sup over the segment); reported as a finding",
    kind="finding",
    experiments=("fig1", "exp1", "exp2", "exp3", "exp6"),
)
def check_corollary1(runs: Sequence[RunLog]) -> Verdict:
    """Section 4.4: how often the pointwise sharpness bound holds where measured."""
    pts = _sharp_points(runs)
    if not pts:
        raise MissingRunsError("no GD run with sharpness measurements")
    nums: dict[str, object] = {}
    total = held = 0
    for r, lam, rp in pts:
        bound = (2.0 / r.eta) * (rp + 1.0)
        m = np.isfinite(lam) & np.isfinite(bound)
        h = lam[m] >= bound[m] - EIG_SLACK * np.abs(lam[m])
        total += int(m.sum())
        held += int(h.sum())
        worst = float(np.max((bound[m] - lam[m]) / np.abs(lam[m]))) if m.any() else math.nan
        nums[f"{r.name} pointwise holds"] = f"{int(h.sum())}/{int(m.sum())}"
        nums[f"{r.name} max (bound-λ)/λ"] = _r(worst, 3)
    nums["all runs pointwise holds"] = f"{held}/{total}"
    frac = held / total if total else math.nan
    nums["fraction"] = _r(frac, 4)
    return Verdict(
        "finding",
        nums,
        f"the pointwise bound lambda_max(theta_t) >= (2/eta)(RP+1) holds at {held} of {total} "
        f"measured steps (each such step certifies Corollary 1 there)",
    )


@_check(
    id="eos.sharpness-at-2-over-eta",
    location="Section 4.4, edge of stability parts A and B (Cohen et al. 2021)",
    statement="Under unstable convergence the sharpness is above 2/eta for most iterates "
    "(A) and saturates right at or slightly above 2/eta (B).",
    criterion=f"every unstable GD run with sharpness measurements, over its second half: "
    f"fraction of measurements with eta*lambda/2 >= {EOS_AT} at least {EOS_MOST} (A) and "
    f"median eta*lambda/2 in [{EOS_AT}, {EOS_ABOVE}] (B)",
    kind="approximate",
    experiments=("fig1", "exp1", "exp3", "exp6"),
)
def check_eos(runs: Sequence[RunLog]) -> Verdict:
    """Section 4.4: the sharpness hovers at or above 2/η in unstable runs."""
    pts = [p for p in _sharp_points(runs) if p[0].regime == "unstable"]
    if not pts:
        raise MissingRunsError("no unstable GD run with sharpness measurements")
    nums: dict[str, object] = {}
    ok = True
    for r, lam, _ in pts:
        x = second_half(0.5 * r.eta * lam[np.isfinite(lam)])
        frac = float(np.mean(x >= EOS_AT)) if x.size else math.nan
        med = float(np.median(x)) if x.size else math.nan
        ok &= frac >= EOS_MOST and EOS_AT <= med <= EOS_ABOVE
        nums[f"{r.name} fraction ηλ/2 >= {EOS_AT}"] = _r(frac, 3)
        nums[f"{r.name} median ηλ/2 (2nd half, {x.size} pts)"] = _r(med, 4)
    return Verdict(
        _status(ok),
        nums,
        "sharpness hovers at or just above 2/eta"
        if ok
        else "sharpness does not hover at or just above 2/eta in some run",
    )


@_check(
    id="exp7.sgd-erp-not-negative",
    location="Section 5, Experiment 7 and Remark 7",
    statement="For SGD (batch 32, eta = 2/100, ReLU) the expected relative progress ratio "
    "E[RP] does not stay below zero; it is not negative for a majority of epochs.",
    criterion=f"more than {SGD_MOST} of the epochs have E[RP] + {SE_K:g} se >= 0 (not "
    f"significantly below zero); the fraction with the point estimate >= 0 is reported",
    kind="exact",
    experiments=("exp7",),
)
def check_exp7(runs: Sequence[RunLog]) -> Verdict:
    """Experiment 7: E[RP] not below zero for most epochs."""
    sgd = _need(runs, "SGD", lambda r: r.config["opt"] == "sgd")
    nums: dict[str, object] = {}
    ok = True
    for r in sgd:
        rp, se = r.col("rp"), r.col("rp_se")
        m = np.isfinite(rp)
        not_below = rp[m] + SE_K * np.nan_to_num(se[m]) >= 0
        frac = float(np.mean(not_below)) if m.any() else math.nan
        ok &= frac > SGD_MOST
        f = r.col("loss")
        nums[f"{r.label()} epochs"] = int(m.sum())
        nums[f"{r.label()} fraction E[RP]+2se >= 0"] = _r(frac, 3)
        nums[f"{r.label()} fraction E[RP] >= 0"] = (
            _r(float(np.mean(rp[m] >= 0)), 3) if m.any() else None
        )
        nums[f"{r.label()} median E[RP]"] = _r(_q(rp, 0.5), 3)
        nums[f"{r.label()} loss first/last epoch"] = f"{_r(float(f[0]))}/{_r(float(f[-1]))}"
    return Verdict(
        _status(ok),
        nums,
        "E[RP] is not below zero for most epochs"
        if ok
        else "E[RP] is significantly below zero in most epochs",
    )


def _check51(runs: Sequence[RunLog], activation: str) -> Verdict:
    sgd = _need(
        runs,
        f"SGD {activation}",
        lambda r: r.config["opt"] == "sgd" and r.config["activation"] == activation,
    )
    nums: dict[str, object] = {}
    ok = True
    for r in sorted(sgd, key=lambda r: -r.eta):
        lhs, rhs = r.col("rp"), r.col("rhs51")
        se = np.hypot(np.nan_to_num(r.col("rp_se")), np.nan_to_num(r.col("rhs51_se")))
        m = np.isfinite(lhs) & np.isfinite(rhs)
        agree = np.abs(lhs[m] - rhs[m]) <= SE_K * se[m]
        frac = float(np.mean(agree)) if m.any() else math.nan
        ok &= m.any() and frac >= AGREE_FRAC
        d, dse = r.col("rp_minus_rhs51"), r.col("rp_minus_rhs51_se")
        md = np.isfinite(d) & np.isfinite(dse)
        tag = f"η={r.eta_label}"
        nums[f"{tag} epochs agreeing (2 se)"] = f"{int(agree.sum())}/{int(m.sum())}"
        nums[f"{tag} median |LHS-RHS|"] = _r(_q(np.abs(lhs - rhs), 0.5), 3)
        nums[f"{tag} median combined se"] = _r(_q(se[m], 0.5), 3)
        nums[f"{tag} paired |d| <= 2 se_d"] = (
            f"{int(np.sum(np.abs(d[md]) <= SE_K * dse[md]))}/{int(md.sum())}"
        )
    return Verdict(
        _status(ok),
        nums,
        "LHS and RHS of (5.1) agree within their standard errors"
        if ok
        else "LHS and RHS of (5.1) differ beyond their standard "
        "errors in more than 10% of the epochs of some run",
    )


@_check(
    id="exp8.relation51-relu",
    location="Section 5, (5.1), Experiment 8",
    statement="E[RP] ≈ -1 + (eta/2) E[(|g|^2/|grad f|^2) L(theta; eta g)] (5.1) for SGD on "
    "ReLU nets with eta = 2/50, 2/100, 2/150: LHS and RHS are very similar.",
    criterion=f"every run: |LHS - RHS| <= {SE_K:g} sqrt(se_L^2 + se_R^2) in at least "
    f"{AGREE_FRAC} of the epochs; the paired difference test is reported",
    kind="approximate",
    experiments=("exp8",),
)
def check_exp8(runs: Sequence[RunLog]) -> Verdict:
    """Experiment 8: (5.1) per epoch for ReLU."""
    return _check51(runs, "relu")


@_check(
    id="exp9.relation51-tanh",
    location="Section 5, (5.1), Experiment 9",
    statement="(5.1) for SGD on tanh nets with eta = 2/50, 2/100, 2/150: results similar to "
    "ReLU (LHS and RHS very similar).",
    criterion=f"every run: |LHS - RHS| <= {SE_K:g} sqrt(se_L^2 + se_R^2) in at least "
    f"{AGREE_FRAC} of the epochs; the paired difference test is reported",
    kind="approximate",
    experiments=("exp9",),
)
def check_exp9(runs: Sequence[RunLog]) -> Verdict:
    """Experiment 9: (5.1) per epoch for tanh."""
    return _check51(runs, "tanh")


def evaluate_all(
    runs: Mapping[str, RunLog] | Sequence[RunLog],
) -> dict[str, Verdict | MissingRunsError]:
    """Every check's verdict on ``runs``, or the :class:`MissingRunsError` saying what is
    missing.
    """  # noqa: D205
    out: dict[str, Verdict | MissingRunsError] = {}
    for cid, c in CHECKS.items():
        try:
            out[cid] = c.evaluate(runs)
        except MissingRunsError as exc:
            out[cid] = exc
    return out
