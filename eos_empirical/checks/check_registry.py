r"""The empirical checks' registry and their criteria, fixed before any run was looked at.

Each check reads the files of finished runs (``config.json``, ``steps.jsonl``,
``summary.json`` and the ``experiment.json`` that :mod:`eos_empirical.experiments` writes
beside them; see :mod:`eos_empirical.runlog`) and returns an
:class:`eos_theory.registry.Verdict` with the numbers that decide it. No check touches a
live model, so a GPU run's logs can be judged anywhere. A check is an
:class:`EmpiricalCheck` in :data:`CHECKS`, registered by the module of its paper section
with :func:`register_check` (a function of the runs) or :func:`register_every_run` (a
criterion every picked run must meet, decided run by run).

The criteria and their thresholds are fixed here, in code, BEFORE any run at scale was
looked at (see the git history of ``eos_empirical/checks.py``, where they were first
written); a claim that fails its criterion gets the status ``fails`` and the report says
why. The thresholds, with their reasons:

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
  Both are judged within the paper's scope, the steps before the run first reaches
  ``PAPER_ACC_TARGET`` = 95% train accuracy (where the paper stops), on the second half of
  those steps; the median is the mean of the even-step and the odd-step medians (in a
  period-two cycle the sharpness alternates between consecutive iterates, so one parity
  alone is biased), with at least ``MIN_PARITY_POINTS`` = 3 points of each parity.
- SGD (Section 5): E[RP] "not below zero" for an epoch means not significantly below, i.e.
  :math:`\mathbb{E}[\mathrm{RP}] + 2\,\mathrm{se} \ge 0`, for a majority (> ``SGD_MOST`` =
  0.5) of epochs (Remark 7). Experiment 7's weaker "does not stay below zero" needs one
  epoch significantly above zero, with the one-sided quantile corrected for the number of
  epochs tested (Bonferroni, family-wise level ``SGD_FAMILY_ALPHA`` = 0.05), so that noise
  in one of twenty epochs does not decide it; it fails only when every epoch is
  significantly below zero. (This criterion was written when the claim was split from
  Remark 7's, after seed 0 of the paper-scale run had been seen; Remark 7's criterion is
  the one fixed before.) Both count the ends of epochs 1, 2, ..., where Experiment 7
  measures, not the initialization (row 0): an amendment made after seed 0 of the paper-scale
  run, which it does not change (Remark 7: 11 of 23 measurements not significantly below
  zero, 11 of 22 epoch ends, neither a majority), and before seeds 1-4 were run.
  (5.1) is an approximation like (4.3) and is judged like it, by the size of
  its error, not by a significance test (which rejects any approximation once the samples
  are many): per epoch the paired difference :math:`d = \mathbb{E}[\mathrm{RP}] - \mathrm{RHS}`
  (both sides from the same minibatches), with median :math:`|d|` over the epochs at most
  ``E43_MEDIAN`` and 90th percentile at most ``E43_P90``. The samples must resolve that:
  the paired standard error of :math:`d` at most ``SE51_TARGET`` = 0.025 (a 2-se band of at
  most half of ``E43_MEDIAN``) in at least ``AGREE_FRAC`` = 0.9 of the epochs, else the
  verdict is inconclusive; the engine samples until it meets the target
  (``rp_se_target``). The two-standard-error test of :math:`d` is reported beside.
- Seeds: each seed's runs are judged alone by the criterion and the seeds are combined by
  :mod:`eos_empirical.checks.seed_verdicts` (``holds`` in every seed; ``fails`` only in a
  majority of at least 5 seeds, and for a claim about every run of a kind, in a majority of
  at least 5 seeds of one run; ``inconclusive`` otherwise). Control runs (float64, a
  scaled initialization, no biases) are reported beside a verdict, never counted in it.
- Stable premise (Experiments 2, 4, 6): a run the registry labels stable is in the stable
  regime while its measured sharpness stays below ``EOS_AT`` :math:`\cdot 2/\eta`. Its
  stable-regime criterion is judged on the steps before the first measurement at or above
  (:func:`eos_empirical.checks.log_statistics.within_premise`; all steps when there is
  none): a criterion that fails there fails; one that holds there, in a run that leaves
  the premise before its end, leaves the run undecided (the later steps are outside the
  regime the claim is about), and the verdict names the step. And a claim about every run
  of a kind holds only when each of its runs is decided in some seed. Amended 2026-12-01,
  after the ReLU depth-4 run at 2/200 was seen to reach the edge of stability before 95%
  accuracy in seeds 0-2 (its stable check failed on the later steps only); for a run that
  stays in the premise nothing changes.
- Float round-off: a loss difference in a run's dtype is exact to about
  :math:`4\epsilon(|f_t| + |f_{t+1}|)`; RP "negative" and the loss "monotone" are judged
  beyond that (:data:`eos_theory.tolerances.LOG_K` = 4 machine epsilons of the run's dtype,
  loss scale :math:`|f|`; see :func:`eos_empirical.checks.log_statistics.roundoff_rp`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from eos_empirical.checks.seed_verdicts import by_seed, combine_seeds, over_runs, run_seed
from eos_empirical.runlog import F, RunLog, controls_of, runs_of
from eos_theory.paper.index import paper_location
from eos_theory.registry import Kind, Verdict, claim

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
PAPER_ACC_TARGET = 0.95
MIN_PARITY_POINTS = 3
SGD_MOST = 0.5
SGD_FAMILY_ALPHA = 0.05
SE_K = 2.0
SE51_TARGET = 0.025
AGREE_FRAC = 0.9
#: Relative slack of the pointwise Corollary 1 comparison: the engine's Lanczos tolerance
#: (``eig_tol`` = 1e-3 by default) makes the measured sharpness a lower bound within 1e-3.
EIG_SLACK = 1e-3

CheckFunc = Callable[[Sequence[RunLog]], Verdict]
#: A per-run criterion: whether the run meets it, and the run's deciding numbers.
PerRun = Callable[[RunLog], tuple[bool, dict[str, object]]]
_ABSENT = object()  # a number's value where a verdict lacks it (equal to no value)


class MissingRunsError(ValueError):
    """The logs a check needs are not in the runs folder (the experiment was not run)."""


class InconclusiveError(ValueError):
    """The logs are there but hold too few qualifying rows to decide (``numbers``: how many)."""

    def __init__(self, message: str, numbers: Mapping[str, object] | None = None) -> None:
        super().__init__(message)
        self.numbers = dict(numbers or {})


def _paper_run(r: RunLog) -> str:
    """The run of the paper ``r`` is one seed of: ``experiment.json``'s ``run``, else its
    label with the config's fields other than the seed (a log written without the name).
    """  # noqa: D205
    if r.experiment.get("run"):
        return r.spec
    rest = {k: v for k, v in r.config.items() if k != "seed"}
    return f"{r.label()} {json.dumps(rest, sort_keys=True, default=str)}"


@dataclass(frozen=True)
class EmpiricalCheck:
    """One claim of the paper decided from run logs.

    ``id`` a stable name, ``location`` the paper's place, ``statement`` the claim as the
    paper makes it, ``criterion`` the decision rule with its thresholds, ``kind`` as in the
    claims registry (``exact``: holds or fails; ``approximate``: an ≈ relation, holds or
    fails; ``finding``: a measurement reported, not decided), ``experiments`` the registry
    experiments whose runs it reads, ``func`` the check on those runs.

    The same call that makes it registers the claim ``id`` of kind ``experimental`` in the
    claims registry (:mod:`eos_theory.registry`), whose check is :meth:`judge`: ``eos
    verify`` lists it with the theory claims, in paper order. This record keeps what only
    the empirical side uses (the criterion's nature, the experiments, the function).
    """

    id: str
    location: str
    statement: str
    criterion: str
    kind: Kind
    experiments: tuple[str, ...]
    func: CheckFunc
    #: experiment name -> the names of its runs (filled when the experiment registry is
    #: imported, :mod:`eos_empirical.experiments.paper_experiments`); a verdict names the
    #: runs of its experiments that no seed has finished (:meth:`evaluate`).
    expected: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    #: a check of every run of a kind (:func:`register_every_run`): which runs, and the
    #: criterion of one run, so that a ``fails`` can be traced to the runs that fail
    #: (:func:`~eos_empirical.checks.seed_verdicts.over_runs`).
    every: tuple[Callable[[RunLog], bool], PerRun] | None = field(default=None, compare=False)

    def evaluate(self, runs: Mapping[str, RunLog] | Sequence[RunLog]) -> Verdict:
        """The verdict on the runs of this check's experiments.

        Raises :class:`MissingRunsError` when none of them is in ``runs``; ``damaged``
        (with each damaged run's problems) when a log it would read is damaged. A run still
        going (or stopped without ``summary.json``) is not judged: the verdict's numbers
        name it under ``unfinished (not judged)``. Runs of the experiments (:attr:`expected`)
        that no seed has finished are named under ``not made (no seed)``, and the detail
        says the verdict covers only the runs made.
        """
        mine = runs_of(runs, *self.experiments)
        if not mine:
            raise MissingRunsError(f"no run of experiment(s) {', '.join(self.experiments)} found")
        unfinished = sorted(r.name for r in mine if r.summary is None)
        mine = [r for r in mine if r.summary is not None]
        if not mine:
            raise MissingRunsError(
                f"no finished run of experiment(s) {', '.join(self.experiments)} "
                f"(unfinished: {', '.join(unfinished)})"
            )
        verdict = self._evaluate_finished(mine)
        numbers, detail = dict(verdict.numbers), verdict.detail
        made = {r.spec for r in mine}
        wanted = [n for e in self.experiments for n in self.expected.get(e, ())]
        absent = [n for n in dict.fromkeys(wanted) if n not in made]
        if absent:
            numbers = {"not made (no seed)": absent, **numbers}
            detail = (
                f"{detail} [on the runs made: {len(absent)} of the {len(set(wanted))} runs of "
                f"{', '.join(self.experiments)} not made yet]"
            )
        if unfinished:
            numbers = {"unfinished (not judged)": unfinished, **numbers}
        return Verdict(verdict.status, numbers, detail)

    def _evaluate_finished(self, mine: list[RunLog]) -> Verdict:
        damaged = {r.name: "; ".join(r.damage) for r in mine if r.damage}
        if damaged:
            return Verdict(
                "damaged",
                damaged,
                f"not judged: the logs of {', '.join(sorted(damaged))} are damaged (see "
                "numbers); repair or rerun them",
            )
        if self.kind == "finding":  # measured over every run; the seeds are named
            v = self.decide(mine)
            seeds = sorted({run_seed(r) for r in mine})
            return Verdict(v.status, {"measured in seeds": seeds, **v.numbers}, v.detail)
        per_seed: dict[int, Verdict | Exception] = {}
        for seed, group in by_seed(mine).items():
            try:
                per_seed[seed] = self.decide(group)
            except MissingRunsError as exc:
                per_seed[seed] = exc
        verdict = combine_seeds(per_seed)
        if self.every is None or verdict.status not in ("holds", "fails"):
            return verdict
        pick, per_run = self.every  # the runs' own outcomes over their seeds
        outcomes: dict[str, list[bool]] = {}
        made: dict[str, None] = {}
        for r in mine:
            if pick(r):
                made[_paper_run(r)] = None
                try:
                    ok = per_run(r)[0]
                except InconclusiveError:
                    continue  # the run does not decide it in this seed
                outcomes.setdefault(_paper_run(r), []).append(ok)
        return over_runs(verdict, outcomes, list(made))

    def controls(self, runs: Mapping[str, RunLog] | Sequence[RunLog]) -> dict[str, Verdict]:
        """The criterion on each finished control run, beside the verdict (never in it).

        A control (``experiment.json`` ``control``) replaces the paper run it controls among
        the finished runs of its seed: the criterion is decided on those runs with the
        control in the paper run's place. Keyed ``"<paper run> [<control>]"``; the numbers
        that differ from those decided without the paper run (the control's own) come
        first, so a report's first few show them. A control
        the criterion cannot be decided on (a run it needs is missing), or does not read
        (the same verdict without it), is left out.
        """
        out: dict[str, Verdict] = {}
        mine = [r for r in runs_of(runs, *self.experiments) if r.summary is not None]
        for c in controls_of(runs, *self.experiments):
            if c.summary is None or c.damage:
                continue
            seed = int(c.config.get("seed", 0))
            group = [r for r in mine if r.spec != c.spec and int(r.config.get("seed", 0)) == seed]
            try:
                with_control = self.decide([*group, c])
            except MissingRunsError:
                continue
            try:
                without = self.decide(group)
            except MissingRunsError:
                without = None
            if without is not None and (without.status, without.numbers) == (
                with_control.status,
                with_control.numbers,
            ):
                continue  # the criterion does not read this run (e.g. another regime)
            # the numbers the control changes (its own run's) first, then the seed's others
            before = without.numbers if without is not None else {}
            own = {k: v for k, v in with_control.numbers.items() if before.get(k, _ABSENT) != v}
            numbers = own | {k: v for k, v in with_control.numbers.items() if k not in own}
            out[f"{c.spec} [{c.experiment.get('control')}]"] = Verdict(
                with_control.status, numbers, with_control.detail
            )
        return out

    def decide(self, runs: Sequence[RunLog]) -> Verdict:
        """The criterion on ``runs`` as given (one seed's runs; all runs for a finding).

        ``inconclusive`` when too few qualifying rows; raises :class:`MissingRunsError` when
        a run the criterion needs is absent.
        """
        try:
            return self.func(runs)
        except InconclusiveError as exc:
            return Verdict("inconclusive", exc.numbers, str(exc))

    def judge(self, runs: Mapping[str, RunLog] | Sequence[RunLog]) -> Verdict:
        """The registry's verdict: as :meth:`evaluate`, with missing runs as ``not run``.

        The numbers open with how many runs and which seeds the verdict rests on, so a
        ``fails`` from a single seed reads as such in ``eos verify``.
        """
        try:
            v = self.evaluate(runs)
        except MissingRunsError as exc:
            return Verdict("not run", {}, str(exc))
        mine = runs_of(runs, *self.experiments)
        seeds = sorted({int(r.config.get("seed", 0)) for r in mine})
        return Verdict(v.status, {"runs": len(mine), "seeds": seeds, **v.numbers}, v.detail)


#: Every registered check by id, in registration order (the order of the report's table).
CHECKS: dict[str, EmpiricalCheck] = {}


def register_check(
    *,
    id: str,
    statement: str,
    criterion: str,
    kind: Kind,
    experiments: tuple[str, ...],
    ref: tuple[str, ...],
    location: str | None = None,
    every: tuple[Callable[[RunLog], bool], PerRun] | None = None,
) -> Callable[[CheckFunc], CheckFunc]:
    """Decorator: register the decorated function as the check ``id`` in :data:`CHECKS`,
    and as the ``experimental`` claim ``id`` (paper items ``ref``) of the claims registry;
    ``location`` defaults to the one ``ref`` gives (:func:`eos_theory.paper.index.paper_location`);
    ``every`` is set by :func:`register_every_run`.
    """  # noqa: D205
    where = location if location is not None else paper_location(ref)

    def register(func: CheckFunc) -> CheckFunc:
        check = EmpiricalCheck(
            id, where, statement, criterion, kind, experiments, func, every=every
        )
        CHECKS[id] = check

        def judge(runs: Mapping[str, RunLog] | Sequence[RunLog]) -> Verdict:
            return check.judge(runs)

        judge.__qualname__ = f"judge_{id}"
        claim(
            id=id,
            location=where,
            statement=statement,
            method=f"judged from the run logs of {', '.join(experiments)} ({kind} claim): "
            f"{criterion}",
            kind="experimental",
            ref=ref,
        )(judge)
        return func

    return register


def register_every_run(
    *,
    id: str,
    statement: str,
    criterion: str,
    kind: Kind,
    experiments: tuple[str, ...],
    ref: tuple[str, ...],
    runs: tuple[str, Callable[[RunLog], bool]],
    holds: str,
    fails: str,
    order: Callable[[RunLog], float] | None = None,
    location: str | None = None,
) -> Callable[[PerRun], PerRun]:
    """Decorator: register the check "every run that ``runs`` picks meets the criterion".

    The decorated function decides one run (:func:`every_run`); ``runs`` is ``(what, pick)``
    as in :func:`need_runs`, ``holds`` and ``fails`` the verdict's two details. The check's
    ``func`` picks the runs and applies it to each, in the order given or sorted by
    ``order``.
    """
    what, pick = runs

    def register(per_run: PerRun) -> PerRun:
        def check(logs: Sequence[RunLog]) -> Verdict:
            picked = need_runs(logs, what, pick)
            if order is not None:
                picked = sorted(picked, key=order)
            return every_run(picked, per_run, holds, fails)

        check.__doc__ = per_run.__doc__
        check.__name__ = check.__qualname__ = f"check_{per_run.__name__.lstrip('_')}"
        register_check(
            id=id,
            location=location,
            statement=statement,
            criterion=criterion,
            kind=kind,
            experiments=experiments,
            ref=ref,
            every=(pick, per_run),
        )(check)
        return per_run

    return register


def premise_not_met(run: RunLog, end: int, numbers: Mapping[str, object]) -> InconclusiveError:
    """The run leaves the stable premise at row ``end`` with the stable-regime criterion met
    on the rows before: undecided (the rule of the module docstring, "Stable premise")."""  # noqa: D205, D209
    step = int(run.col(F.STEP)[end])
    return InconclusiveError(
        f"{run.label()}: leaves the stable regime at step {step} (first measurement with "
        f"eta*lambda/2 >= {EOS_AT}); the criterion holds on the {end} steps before it, and "
        "the later steps are outside the regime the claim is about",
        numbers,
    )


def need_runs(runs: Sequence[RunLog], what: str, pick: Callable[[RunLog], bool]) -> list[RunLog]:
    """The runs ``pick`` accepts; :class:`MissingRunsError` naming ``what`` when none."""
    got = [r for r in runs if pick(r)]
    if not got:
        raise MissingRunsError(f"no {what} run among {[r.name for r in runs]}")
    return got


def of_regime(regime: str) -> tuple[str, Callable[[RunLog], bool]]:
    """``(what, pick)`` for :func:`need_runs`: the runs the registry labels ``regime``.

    >>> of_regime("stable")[0]
    'stable-regime'
    """
    return f"{regime}-regime", lambda r: r.regime == regime


def holds_or_fails(ok: bool) -> str:
    """The verdict status of a decided criterion."""
    return "holds" if ok else "fails"


def every_run(
    runs: Sequence[RunLog],
    per_run: PerRun,
    ok_text: str,
    bad_text: str,
) -> Verdict:
    """``holds`` when ``per_run`` accepts every run; the numbers of all runs together.

    ``per_run(run)`` returns whether the run meets the criterion and its numbers, or raises
    :class:`InconclusiveError` when the run cannot decide it. The claim is a conjunction
    over the runs, so one run that fails decides ``fails`` even beside an undecided run
    (named under ``undecided runs``); with no failing run, an undecided one makes the
    verdict inconclusive (raises :class:`InconclusiveError` with every run's numbers).
    """
    nums: dict[str, object] = {}
    ok = True
    undecided: dict[str, str] = {}
    for r in runs:
        try:
            good, n = per_run(r)
        except InconclusiveError as exc:
            undecided[r.spec] = str(exc)
            nums.update(exc.numbers)
            continue
        ok &= good
        nums.update(n)
    if undecided:
        nums["undecided runs"] = undecided
        if ok:
            raise InconclusiveError(
                f"{len(undecided)} run(s) cannot decide it and none fails: "
                + "; ".join(f"{k}: {v}" for k, v in undecided.items()),
                nums,
            )
    return Verdict(holds_or_fails(ok), nums, ok_text if ok else bad_text)


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
