r"""Checks of Sections 4.2–4.3: the directional smoothness :math:`L` and relation (4.3).

- ``exp4.unstable-L-at-2-over-eta``, ``exp4.stable-L-below`` (Section 4.2, Experiment 4):
  :math:`\eta L/2` saturates near 1 in unstable runs and stays well below it in stable ones;
- ``exp5.tau-spread`` (Section 4.3, Experiment 5): :math:`L(\theta^t;\eta\tau\nabla f)`
  varies little over τ in the unstable phase;
- ``relation43.unstable`` (Section 4.3, (4.3)): :math:`\mathrm{RP} \approx -1 +
  \tfrac{\eta}{2}L` along unstable GD runs, compared with Theorem 2 on τ-grid rows;
- ``exp6.relu-similar`` (Section 4.3.1, Experiment 6): ReLU nets show the tanh signatures
  and (4.3).

Criteria and thresholds: :mod:`eos_empirical.checks.check_registry`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from eos_empirical.checks.check_registry import (
    CV_MEDIAN,
    CV_P90,
    E43_MEDIAN,
    E43_P90,
    EOS_AT,
    L_BELOW,
    L_NEAR,
    MIN_TAU_ROWS,
    RP_NEAR,
    RP_ZERO,
    UNSTABLE_ROW,
    InconclusiveError,
    MissingRunsError,
    of_regime,
    premise_not_met,
    register_every_run,
)
from eos_empirical.checks.log_statistics import (
    median_or_nan,
    quantile,
    relation43_error,
    round_sig,
    second_half,
    tau_rows,
    tau_statistics,
    within_premise,
)
from eos_empirical.runlog import F, RunLog


@register_every_run(
    id="exp4.unstable-L-at-2-over-eta",
    ref=("Experiment 4", "(4.1)"),
    statement="In the unstable regime the directional smoothness L(theta_t; eta grad f) "
    "saturates around 2/eta (GD oscillates).",
    criterion=f"every unstable run: median of eta*L/2 over the second half within {L_NEAR} of 1",
    kind="approximate",
    experiments=("exp4",),
    runs=of_regime("unstable"),
    holds="L saturates at 2/eta in every unstable run",
    fails="L does not saturate near 2/eta in some unstable run",
)
def _unstable_l_at_2_over_eta(r: RunLog) -> tuple[bool, dict[str, object]]:
    """Experiment 4, one unstable run: η L / 2 saturates near 1."""
    x = second_half(0.5 * r.eta * r.col(F.DIR_SMOOTHNESS))
    med = median_or_nan(x)
    nums: dict[str, object] = {
        f"η={r.eta_label} median ηL/2 (2nd half)": round_sig(med),
        f"η={r.eta_label} 10-90% ηL/2": f"{round_sig(quantile(x, 0.1))}.."
        f"{round_sig(quantile(x, 0.9))}",
    }
    if not x.size:
        raise InconclusiveError(
            f"{r.label()}: no finite directional smoothness is logged in the second half of "
            "the run, so its saturation at 2/eta cannot be judged",
            nums,
        )
    return abs(med - 1) <= L_NEAR, nums


@register_every_run(
    id="exp4.stable-L-below",
    ref=("Experiment 4", "Remark 6"),
    statement="In the stable regime the directional smoothness stays well below 2/eta.",
    criterion=f"every stable run: max of eta*L/2 <= {L_BELOW} over its steps before the "
    f"sharpness first reaches {EOS_AT} * 2/eta (the stable premise; all its steps when it "
    "never does; a run that leaves it with this met is undecided)",
    kind="exact",
    experiments=("exp4",),
    runs=of_regime("stable"),
    holds="L stays well below 2/eta",
    fails="L comes close to or above 2/eta in a stable run",
)
def _stable_l_below(full: RunLog) -> tuple[bool, dict[str, object]]:
    """Experiment 4, one stable run: η L / 2 stays at most ``L_BELOW``, judged on the steps
    before the run leaves the stable premise."""  # noqa: D205, D209
    r, end, premise = within_premise(full, f"η={full.eta_label}", EOS_AT)
    x = 0.5 * r.eta * r.col(F.DIR_SMOOTHNESS)
    finite = np.isfinite(x)
    mx = float(np.max(x[finite])) if finite.any() else math.nan
    nums: dict[str, object] = {
        f"η={r.eta_label} max ηL/2": round_sig(mx),
        f"η={r.eta_label} median ηL/2": round_sig(quantile(x, 0.5)),
    } | premise
    if mx > L_BELOW:
        return False, nums
    # a GD log has L at every step (null only where not finite, i.e. where the run diverged):
    # the maximum "over the whole run" is not known while a step lacks it
    if not finite.size or not finite.all():
        raise InconclusiveError(
            f"{r.label()}: {int(np.sum(~finite))} of its {finite.size} logged steps have no "
            "finite directional smoothness, so its maximum over the whole run is not known",
            nums | {f"η={r.eta_label} steps without a finite ηL/2": int(np.sum(~finite))},
        )
    if end is not None:
        raise premise_not_met(full, end, nums)
    return True, nums


def _at_steps(r: RunLog, steps: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``values`` (one per logged row of ``r``) at the rows of ``steps``; NaN where absent."""
    idx = {int(t): i for i, t in enumerate(r.col(F.STEP)) if np.isfinite(t)}
    return np.array([values[idx[t]] if t in idx else np.nan for t in steps])


def _tau_numbers(r: RunLog) -> dict[str, Any]:
    steps, taus, vals = tau_rows(r)
    if not len(steps):
        raise MissingRunsError(f"run {r.name} has no tau-grid rows (tau_every=0?)")
    s = tau_statistics(taus, vals)
    scale = 2.0 / r.eta
    with np.errstate(all="ignore"):
        cv = s["std"] / np.abs(s["mean"])
    unstable = s["mean"] >= UNSTABLE_ROW * scale
    rp_at = _at_steps(r, steps, r.col(F.RP))
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


@register_every_run(
    id="exp5.tau-spread",
    ref=("Experiment 5",),
    statement="L(theta_t; eta*tau*grad f) does not vary much across tau in [0, 1] (eta = "
    "2/60, every 5 steps, tau in {0.01, ..., 1}), so the single value L(theta_t; eta grad f) "
    "represents the weighted average of Theorem 2.",
    criterion=f"over grid rows of the unstable phase (mean over tau >= {UNSTABLE_ROW} * 2/eta; "
    f"at least {MIN_TAU_ROWS} rows): median of std/mean <= {CV_MEDIAN} and 90th percentile "
    f"<= {CV_P90}; the 2tau-weighted mean (Theorem 2) is reported beside the plain mean "
    f"(the paper's plot)",
    kind="approximate",
    experiments=("exp5",),
    runs=("tau-grid", lambda r: bool(r.config.get("tau_every"))),
    holds="the spread over tau is small relative to the mean in the unstable phase",
    fails="the spread over tau is not small relative to its mean",
)
def _tau_spread(r: RunLog) -> tuple[bool, dict[str, object]]:
    """Experiment 5, one τ-grid run: the spread of L over τ is small relative to its mean."""
    t = _tau_numbers(r)
    s, cv, un = t["stats"], t["cv"], t["unstable"]
    tag = f"η={r.eta_label}"
    med, p90 = quantile(cv[un], 0.5), quantile(cv[un], 0.9)
    nums: dict[str, object] = {
        f"{tag} grid rows (unstable/all)": f"{int(un.sum())}/{len(cv)}",
        f"{tag} std/mean median (unstable rows)": round_sig(med),
        f"{tag} std/mean p90 (unstable rows)": round_sig(p90),
        f"{tag} std/mean median (all rows)": round_sig(quantile(cv, 0.5)),
        f"{tag} median plain mean ·η/2 (unstable)": round_sig(
            quantile(s["mean"][un] / t["scale"], 0.5)
        ),
        f"{tag} median 2τ-weighted mean ·η/2 (unstable)": round_sig(
            quantile(s["weighted"][un] / t["scale"], 0.5)
        ),
        f"{tag} median |weighted-plain|·η/2": round_sig(
            quantile(np.abs(s["weighted"] - s["mean"]) / t["scale"], 0.5)
        ),
        f"{tag} median |RP-(-1+ηW/2)| (Thm 2 on grid)": round_sig(quantile(t["thm2"], 0.5)),
    }
    if int(un.sum()) < MIN_TAU_ROWS:
        raise InconclusiveError(
            f"run {r.name}: {int(un.sum())} of {len(cv)} tau-grid rows are in the unstable "
            f"phase, fewer than the {MIN_TAU_ROWS} needed to judge the spread",
            nums,
        )
    return med <= CV_MEDIAN and p90 <= CV_P90, nums


@register_every_run(
    id="relation43.unstable",
    ref=("(4.3)", "Experiment 5", "Experiment 6"),
    location="Section 4.3, (4.3), Experiments 5 and 6",
    statement="RP(theta) ≈ -1 + (eta/2) L(theta; eta grad f(theta)) along GD, in particular "
    "in the unstable regime; its error is governed by the spread of L over tau.",
    criterion=f"every unstable GD run: e_t = |RP_t - (-1 + eta L_t / 2)| has median <= "
    f"{E43_MEDIAN} and 90th percentile <= {E43_P90}; on tau-grid rows e_t is compared with "
    f"(eta/2)|W - L(1)| (its exact value by Theorem 2) and (eta/2) std over tau",
    kind="approximate",
    experiments=("exp3", "exp5", "exp6"),
    runs=("unstable GD", lambda r: r.regime == "unstable" and r.config["opt"] == "gd"),
    holds="(4.3) holds to the stated accuracy in every unstable run",
    fails="(4.3) misses the stated accuracy in some unstable run",
)
def _relation43_unstable(r: RunLog) -> tuple[bool, dict[str, object]]:
    """(4.3) along one unstable run, and its relation to the τ spread of Experiment 5."""
    e = relation43_error(r)
    med, p90 = quantile(e, 0.5), quantile(e, 0.9)
    nums: dict[str, object] = {
        f"{r.spec} |RP-(4.3)| median/p90/max": (
            f"{round_sig(med, 3)}/{round_sig(p90, 3)}/{round_sig(quantile(e, 1.0), 3)}"
        )
    }
    if not np.isfinite(e).any():
        raise InconclusiveError(
            f"{r.label()}: no logged step has both a finite RP and a finite directional "
            "smoothness, so the error of (4.3) cannot be measured",
            nums,
        )
    if r.config.get("tau_every"):
        t = _tau_numbers(r)
        s = t["stats"]
        e_at = _at_steps(r, t["steps"], e)
        exact = 0.5 * r.eta * np.abs(s["weighted"] - s["at_one"])
        spread = 0.5 * r.eta * s["std"]
        nums[f"{r.spec} grid rows: median e_t / (η/2)|W-L(1)|"] = (
            f"{round_sig(quantile(e_at, 0.5), 3)}/{round_sig(quantile(exact, 0.5), 3)}"
        )
        nums[f"{r.spec} grid rows: median (η/2)·std_τ"] = round_sig(quantile(spread, 0.5), 3)
        ok_rows = np.isfinite(e_at) & np.isfinite(spread)
        if ok_rows.sum() >= 3:
            nums[f"{r.spec} corr(e_t, (η/2)std_τ)"] = round_sig(
                float(np.corrcoef(e_at[ok_rows], spread[ok_rows])[0, 1]), 3
            )
    return med <= E43_MEDIAN and p90 <= E43_P90, nums


@register_every_run(
    id="exp6.relu-similar",
    ref=("Experiment 6",),
    statement="With ReLU activations (2 and 4 hidden layers of width 200) the results are "
    "largely similar to tanh, and (4.3) holds for all cases.",
    criterion=f"every run: (4.3) error median <= {E43_MEDIAN} and p90 <= {E43_P90}; stable "
    f"runs: median RP over the second half within {RP_NEAR} of -1, on the steps before the "
    f"sharpness first reaches {EOS_AT} * 2/eta (the stable premise; a run that leaves it with "
    f"this met is undecided); unstable runs: |median "
    f"RP| over the second half <= {RP_ZERO} and median eta*L/2 within {L_NEAR} of 1",
    kind="approximate",
    experiments=("exp6",),
    runs=("ReLU GD", lambda r: r.config["activation"] == "relu"),
    holds="ReLU runs show the tanh signatures and (4.3)",
    fails="some ReLU run misses a signature or (4.3) (see numbers)",
)
def _relu_similar(r: RunLog) -> tuple[bool, dict[str, object]]:
    """Experiment 6, one ReLU run: the tanh signatures and (4.3)."""
    e = relation43_error(r)  # (4.3) on every step, whatever the regime
    part, end, premise = (
        within_premise(r, r.label(), EOS_AT) if r.regime == "stable" else (r, None, {})
    )
    rp_med = median_or_nan(second_half(part.col(F.RP)))
    l_med = median_or_nan(second_half(0.5 * r.eta * part.col(F.DIR_SMOOTHNESS)))
    # each part: (measured?, met?); a part whose numbers are not logged is left open
    parts = {
        "the (4.3) error": (
            np.isfinite(e).any(),
            quantile(e, 0.5) <= E43_MEDIAN and quantile(e, 0.9) <= E43_P90,
        ),
    }
    if r.regime == "stable":
        parts["RP in the second half"] = (math.isfinite(rp_med), abs(rp_med + 1) <= RP_NEAR)
    elif r.regime == "unstable":
        parts["RP in the second half"] = (math.isfinite(rp_med), abs(rp_med) <= RP_ZERO)
        parts["ηL/2 in the second half"] = (math.isfinite(l_med), abs(l_med - 1) <= L_NEAR)
    nums: dict[str, object] = {
        f"{r.label()} outcome": r.outcome,
        f"{r.label()} median RP / ηL/2 (2nd half)": f"{round_sig(rp_med, 3)}/{round_sig(l_med, 3)}",
        f"{r.label()} |RP-(4.3)| median/p90": f"{round_sig(quantile(e, 0.5), 3)}/"
        f"{round_sig(quantile(e, 0.9), 3)}",
    } | premise
    if r.outcome == "unfinished" or any(seen and not met for seen, met in parts.values()):
        return False, nums
    open_parts = [name for name, (seen, _) in parts.items() if not seen]
    if open_parts:
        raise InconclusiveError(
            f"{r.label()}: the log has no finite value of {' nor of '.join(open_parts)}, so the "
            "run cannot be judged against the tanh signatures and (4.3)",
            nums,
        )
    if end is not None:
        raise premise_not_met(r, end, nums)
    return True, nums
