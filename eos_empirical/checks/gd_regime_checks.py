"""Checks of Sections 3.2 and 4.1: the regime GD is in, and RP's signature in each.

- ``exp1.activation-needed`` (Section 3.2, Experiment 1): at η = 2/30 the linear net
  diverges, tanh and ReLU nets converge;
- ``exp2.stable-rp`` (Section 4.1.1, Experiment 2): stable regime, RP < 0 at every step,
  monotone loss, RP settles near −1;
- ``exp3.unstable-rp``, ``exp3.larger-eta-faster``, ``exp3.eta-2-10-diverges`` (Section
  4.1.2, Experiment 3, Remark 4): unstable regime, RP oscillates around 0 while the loss
  decreases; larger η is faster; η = 2/10 diverges.

Criteria and thresholds: :mod:`eos_empirical.checks.check_registry`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from eos_empirical.checks.check_registry import (
    EOS_AT,
    RP_NEAR,
    RP_ZERO,
    SIGN_RATE,
    InconclusiveError,
    holds_or_fails,
    need_runs,
    of_regime,
    premise_not_met,
    register_check,
    register_every_run,
)
from eos_empirical.checks.log_statistics import (
    loss_excursion,
    loss_increases,
    median_or_nan,
    round_sig,
    roundoff_rp,
    second_half,
    sign_change_rate,
    within_premise,
)
from eos_empirical.runlog import F, RunLog
from eos_theory.registry import Verdict
from eos_theory.tolerances import LOG_K


def _excursion_numbers(r: RunLog, tag: str) -> dict[str, object]:
    """Beside "diverged": the largest loss over the initial one, and whether the loss
    climbs back above its initial value after falling below it (the step, or "no")."""  # noqa: D205, D209
    ratio, back = loss_excursion(r.col(F.LOSS))
    return {
        f"{tag} max loss / initial loss": round_sig(ratio),
        f"{tag} returns above the initial loss at step": "no" if back is None else back,
    }


def _loss_decreased(run: RunLog) -> bool | None:
    """Whether the run ends below its initial loss; ``None`` when it logs no finite loss."""
    f = run.col(F.LOSS)
    f = f[np.isfinite(f)]
    if not f.size:
        return None
    final = run.summary.get("final_loss") if run.summary else None
    last = float(final) if final is not None else float(f[-1])
    return math.isfinite(last) and last < float(f[0])


def _finite_mean(x: np.ndarray) -> float:
    """The mean of the finite entries of ``x``, NaN when there are none."""
    x = x[np.isfinite(x)]
    return float(np.mean(x)) if x.size else math.nan


@register_check(
    id="exp1.activation-needed",
    ref=("Experiment 1", "Takeaway 2", "Figure 1"),
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
        by_act[act] = need_runs(
            runs, f"activation={act}", lambda r, a=act: r.config["activation"] == a
        )
    nums: dict[str, object] = {}
    ok = True
    no_loss: list[str] = []
    for act, rs in by_act.items():
        for r in rs:
            f = r.col(F.LOSS)
            nums[f"{act} η={r.eta_label} outcome"] = r.outcome
            nums[f"{act} η={r.eta_label} steps"] = r.summary.get("steps") if r.summary else None
            nums[f"{act} η={r.eta_label} loss first/last"] = (
                f"{round_sig(float(f[0]))}/{round_sig(float(r.summary['final_loss']))}"
                if r.summary and r.summary.get("final_loss") is not None and f.size
                else f"{round_sig(float(f[0])) if f.size else 'nan'}/non-finite"
            )
            if act == "none":
                ok &= r.outcome == "diverged"
                nums |= _excursion_numbers(r, f"{act} η={r.eta_label}")
            else:
                decreased = _loss_decreased(r)
                ok &= r.outcome not in ("diverged", "unfinished") and decreased is not False
                if decreased is None:
                    no_loss.append(f"{act} η={r.eta_label}")
    if ok and no_loss:
        raise InconclusiveError(
            f"no finite loss is logged for the {' and '.join(no_loss)} run, so whether it "
            "ends below its initial loss cannot be judged",
            nums,
        )
    lin = by_act["none"][0].outcome
    detail = (
        "the linear network diverges and both nets with activations converge, as claimed"
        if ok
        else f"linear outcome {lin!r}; tanh {[r.outcome for r in by_act['tanh']]}, relu "
        f"{[r.outcome for r in by_act['relu']]}: the claim's pattern is not reproduced"
    )
    return Verdict(holds_or_fails(ok), nums, detail)


@register_every_run(
    id="exp2.stable-rp",
    ref=("Experiment 2", "Remark 3"),
    statement="In the stable regime (small eta, tanh), RP stays negative at every step, "
    "the loss decreases monotonically, and RP saturates around -1.",
    criterion=f"every stable run, on its steps before the sharpness first reaches {EOS_AT} * "
    f"2/eta (the stable premise; a run that leaves it with this met is undecided): RP < 0 "
    f"beyond float round-off ({LOG_K:g} eps) at every step, no loss increase beyond round-off, "
    f"median RP over the second half within {RP_NEAR} of -1, not diverged",
    kind="exact",
    experiments=("exp2",),
    runs=of_regime("stable"),
    holds="RP is negative at every step, the loss never increases and RP settles near -1",
    fails="some stable run has RP >= 0, a loss increase, or RP not near -1 (see numbers)",
)
def _stable_rp(full: RunLog) -> tuple[bool, dict[str, object]]:
    """Experiment 2, one stable run: RP < 0 every step, monotone loss, RP settles near −1,
    judged on the steps before the run leaves the stable premise."""  # noqa: D205, D209
    tag = f"η={full.eta_label}"
    r, end, premise = within_premise(full, tag, EOS_AT)
    rp = r.col(F.RP)
    finite = np.isfinite(rp)
    nonneg = int(np.sum(finite & (rp > -roundoff_rp(r))))
    incr = loss_increases(r)
    med = median_or_nan(second_half(rp))
    stopped = r.outcome in ("diverged", "unfinished")
    nums: dict[str, object] = {
        f"{tag} outcome": r.outcome,
        f"{tag} steps": len(full.rows),
        f"{tag} steps with RP >= 0": nonneg,
        f"{tag} loss increases": incr,
        f"{tag} max RP": round_sig(float(np.nanmax(rp))) if finite.any() else math.nan,
        f"{tag} median RP (2nd half)": round_sig(med),
    } | premise
    if stopped or nonneg or incr or abs(med + 1) > RP_NEAR:
        return False, nums  # decided on the logged values (a NaN median compares False)
    # A GD log has RP and the loss at every step (null only where not finite, i.e. where the
    # run diverged): without them "at every step" cannot be judged.
    gaps = int(np.sum(~finite | ~np.isfinite(r.col(F.LOSS))))
    if not len(rp) or gaps:
        missing = (
            f"{gaps} of its {len(rp)} logged steps have no finite RP or loss"
            if gaps
            else "its log has no step"
        )
        raise InconclusiveError(
            f"{r.label()}: {missing}, so RP and the loss cannot be judged at every step",
            nums | {f"{tag} steps without a finite RP or loss": gaps},
        )
    if end is not None:
        raise premise_not_met(full, end, nums)
    return True, nums


@register_every_run(
    id="exp3.unstable-rp",
    ref=("Experiment 3", "Takeaway 3"),
    statement="In the unstable regime (larger eta, tanh), RP oscillates around 0 while the "
    "loss still decreases in the long run (until 95% train accuracy).",
    criterion=f"every unstable run reaches the target; over its second half |median RP| <= "
    f"{RP_ZERO}, RP changes sign at least {SIGN_RATE} times per step, and the mean loss over "
    f"the last tenth is below the mean over the tenth starting at mid-run",
    kind="exact",
    experiments=("exp3",),
    runs=of_regime("unstable"),
    holds="in every unstable run RP oscillates around 0 and the loss keeps decreasing",
    fails="some unstable run does not show RP oscillating around 0 with decreasing loss "
    "(see numbers)",
)
def _unstable_rp(r: RunLog) -> tuple[bool, dict[str, object]]:
    """Experiment 3, one unstable run: RP oscillates around 0; the loss decreases."""
    rp = r.col(F.RP)
    tail = second_half(rp)
    med = median_or_nan(tail)
    rate = sign_change_rate(rp[len(rp) // 2 :])
    signed = int(np.sum(tail != 0))  # the rate needs two nonzero values to be measured
    f = r.col(F.LOSS)
    n = len(f)
    w = max(1, n // 10)
    mid, end = (_finite_mean(f[a:b]) for a, b in ((n // 2, n // 2 + w), (n - w, n)))
    tag = f"{r.label()}"
    nums: dict[str, object] = {
        f"{tag} outcome": r.outcome,
        f"{tag} steps": n,
        f"{tag} median RP (2nd half)": round_sig(med),
        f"{tag} sign changes/step (2nd half)": round_sig(rate, 3),
        f"{tag} fraction RP>0 (2nd half)": round_sig(float(np.mean(tail > 0)), 3)
        if tail.size
        else None,
        f"{tag} mean loss at mid/end": f"{round_sig(mid)}/{round_sig(end)}",
    }
    # each part fails only on logged values (a NaN compares False); missing ones leave it open
    if (
        r.outcome != "reached-target"
        or abs(med) > RP_ZERO
        or (signed >= 2 and rate < SIGN_RATE)
        or end >= mid
    ):
        return False, nums
    lacking = [
        what
        for what, gone in (
            ("a finite RP in its second half", not tail.size),
            ("two nonzero RP values in its second half", bool(tail.size) and signed < 2),
            ("a finite loss at mid-run or at its end", math.isnan(mid) or math.isnan(end)),
        )
        if gone
    ]
    if lacking:
        raise InconclusiveError(
            f"{tag}: the run lacks {' and '.join(lacking)}, so RP's oscillation and the "
            "loss's decrease cannot be judged",
            nums,
        )
    return True, nums


@register_check(
    id="exp3.larger-eta-faster",
    ref=("Remark 4",),
    statement="The optimization gets faster with larger step sizes: larger eta reaches the "
    "95% train-accuracy target in fewer steps.",
    criterion="all unstable runs reach the target and their step counts strictly decrease "
    "as eta increases",
    kind="exact",
    experiments=("exp3",),
)
def check_exp3_faster(runs: Sequence[RunLog]) -> Verdict:
    """Remark 4: steps to the target decrease with η among the unstable runs."""
    unstable = sorted(need_runs(runs, *of_regime("unstable")), key=lambda r: r.eta)
    steps = [
        int(r.summary["steps"]) if r.summary and r.outcome == "reached-target" else None
        for r in unstable
    ]
    nums: dict[str, object] = {
        f"η={r.eta_label} steps": s for r, s in zip(unstable, steps, strict=True)
    }
    reached = all(s is not None for s in steps)
    if reached and len(steps) < 2:
        raise InconclusiveError(
            f"{unstable[0].label()} is the only finished unstable run of this seed, and the "
            "speed can only be compared across two step sizes or more",
            nums,
        )
    ok = reached and all(a > b for a, b in pairwise(steps))  # type: ignore[operator]
    return Verdict(
        holds_or_fails(ok),
        nums,
        "steps to the target fall as eta grows"
        if ok
        else (
            "not every unstable run reached the target"
            if not reached
            else "steps to the target do not fall monotonically with eta"
        ),
    )


@register_every_run(
    id="exp3.eta-2-10-diverges",
    ref=("Remark 4",),
    statement="In the setting of Experiment 3 the training loss diverges for eta = 2/10.",
    criterion="the run at eta = 2/10 ends with outcome 'diverged'",
    kind="exact",
    experiments=("exp3",),
    runs=("eta=2/10", lambda r: r.regime == "diverge"),
    holds="eta=2/10 diverges",
    fails="eta=2/10 does not diverge",
)
def _eta_2_10_diverges(r: RunLog) -> tuple[bool, dict[str, object]]:
    """Remark 4: the run at η = 2/10 diverges."""
    f = r.col(F.LOSS)
    return r.outcome == "diverged", {
        f"η={r.eta_label} outcome": r.outcome,
        f"η={r.eta_label} steps": len(f),
        f"η={r.eta_label} max finite loss": round_sig(float(np.nanmax(f)))
        if np.isfinite(f).any()
        else None,
    } | _excursion_numbers(r, f"η={r.eta_label}")
