"""No empirical check decides ``holds`` or ``fails`` because its data are missing.

Each test builds a tiny log (the helpers of ``tests/test_experiments.py``) in which the
numbers one part of a criterion reads are absent (no rows, ``null`` values, a missing
standard error) while every part that is logged passes. Before this audit each of them
gave ``fails`` (or ``holds``): a NaN median compared False, a sign-change rate of no points
was 0, a missing se counted as 0, a run without measurements was left out of a conjunction.
Now each is ``inconclusive``; where a logged part fails, the verdict still ``fails``.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from eos_empirical.runlog import load_runs
from tests import test_experiments
from tests.test_cnn_adaptive import _adam_log
from tests.test_experiments import (
    T,
    criterion,
    exp1_specs,
    gd_spec,
    sgd_spec,
    stable_series,
    unstable_series,
)

logs = test_experiments.logs  # the run-folder builder fixture, shared


def _inconclusive(v, was: str) -> None:
    """Assert ``v`` is inconclusive; ``was`` is what the old code decided."""
    assert v.status == "inconclusive", (
        f"measured {v.status!r} ({v.detail}), expected 'inconclusive' (missing data; the old "
        f"code gave {was!r})"
    )


def _set(rows: list[dict], key: str, steps, value=None) -> None:
    """Set ``key`` to ``value`` (JSON null by default) in the rows of ``steps``."""
    for t in steps:
        rows[t][key] = value


def test_exp1_tanh_run_without_loss_is_inconclusive(logs):
    """``exp1.activation-needed`` (Section 3.2, Experiment 1): a tanh run whose steps file
    is empty cannot show it ends below its initial loss -> inconclusive (was 'fails'); with
    the linear run not diverging, the logged part fails and the verdict is 'fails'."""
    e = 2 / 30

    def specs(lin_outcome):
        out = exp1_specs(e, lin_outcome)
        out[1]["rows"] = []
        for s in out:
            s["name"] += f"-{lin_outcome}"
        return out

    v = criterion("exp1.activation-needed", logs(specs("diverged")))
    _inconclusive(v, "fails")
    assert "no finite loss" in v.detail, f"detail {v.detail!r}, expected it to say no loss"
    v = criterion("exp1.activation-needed", logs(specs("reached-target")))
    assert v.status == "fails", f"measured {v.status!r}, expected 'fails' (linear converges)"


@pytest.mark.parametrize("gap", ["no steps", "RP null at 5 steps"])
def test_exp2_stable_run_without_rp_is_inconclusive(logs, gap):
    """``exp2.stable-rp`` (Section 4.1.1, Experiment 2): "RP < 0 at every step" cannot be
    judged on a log with no steps (the median RP of nothing was NaN) or with RP null at some
    steps of a run that did not diverge -> inconclusive (was 'fails')."""
    e = 2 / 200
    spec = gd_spec("s", e, regime="stable", exps=["exp2"], series=stable_series(e))
    if gap == "no steps":
        spec["rows"] = []
    else:
        _set(spec["rows"], "rp", range(100, 105))
    v = criterion("exp2.stable-rp", logs([spec]))
    _inconclusive(v, "fails")
    assert "cannot be judged at every step" in v.detail, f"detail {v.detail!r}"


@pytest.mark.parametrize(
    ("gap", "key", "steps"),
    [
        ("no RP in the second half", "rp", range(T // 2, T)),
        ("one RP value in the second half", "rp", range(T // 2 + 1, T)),
        ("no loss in the last tenth", "loss", range(T - T // 10, T)),
    ],
)
def test_exp3_unstable_run_with_gaps_is_inconclusive(logs, gap, key, steps):
    """``exp3.unstable-rp`` (Section 4.1.2, Experiment 3): RP oscillating around 0 with the
    loss decreasing, but the second-half RP (its median was NaN), the two values a sign
    change needs (the rate of one value was 0) or the loss at the end (its mean was NaN) not
    logged -> inconclusive (was 'fails')."""
    e = 2 / 30
    spec = gd_spec("u", e, regime="unstable", exps=["exp3"], series=unstable_series(e))
    _set(spec["rows"], key, steps)
    v = criterion("exp3.unstable-rp", logs([spec]))
    _inconclusive(v, "fails")
    assert "lacks" in v.detail, f"{gap}: detail {v.detail!r}, expected what the run lacks"


def test_exp3_speed_with_one_unstable_run_is_inconclusive(logs):
    """``exp3.larger-eta-faster`` (Section 4.1.2, Remark 4): a seed with one finished
    unstable run has no second step size to compare with -> inconclusive (was 'fails');
    a lone run that does not reach the target still fails."""
    e = 2 / 30
    one = [gd_spec("u", e, regime="unstable", exps=["exp3"], series=unstable_series(e))]
    v = criterion("exp3.larger-eta-faster", logs(one))
    _inconclusive(v, "fails")
    assert "only finished unstable run" in v.detail, f"detail {v.detail!r}"
    one[0] |= {"name": "u-max", "summary": one[0]["summary"] | {"outcome": "max-steps"}}
    v = criterion("exp3.larger-eta-faster", logs(one))
    assert v.status == "fails", f"measured {v.status!r}, expected 'fails' (target not reached)"


def test_exp4_unstable_run_without_l_is_inconclusive(logs):
    """``exp4.unstable-L-at-2-over-eta`` (Section 4.2, Experiment 4): no directional
    smoothness in the second half (its median was NaN) -> inconclusive (was 'fails')."""
    e = 2 / 30
    spec = gd_spec("u", e, regime="unstable", exps=["exp4"], series=unstable_series(e))
    _set(spec["rows"], "dir_smoothness", range(T // 2, T))
    v = criterion("exp4.unstable-L-at-2-over-eta", logs([spec]))
    _inconclusive(v, "fails")


@pytest.mark.parametrize(("steps", "was"), [(range(T), "fails"), (range(10, 20), "holds")])
def test_exp4_stable_run_with_l_missing_is_inconclusive(logs, steps, was):
    """``exp4.stable-L-below`` (Section 4.2, Experiment 4, Remark 6): "max of eta*L/2 over
    the whole run" is not known with L null at every step (the max was NaN: 'fails') or at
    ten steps (the max of the rest was 0.01: 'holds') -> inconclusive."""
    e = 2 / 200
    spec = gd_spec("s", e, regime="stable", exps=["exp4"], series=stable_series(e))
    _set(spec["rows"], "dir_smoothness", steps)
    v = criterion("exp4.stable-L-below", logs([spec]))
    _inconclusive(v, was)
    assert "no finite directional smoothness" in v.detail, f"detail {v.detail!r}"


def test_relation43_run_without_l_is_inconclusive(logs):
    """``relation43.unstable`` (Section 4.3, (4.3)): an unstable run with no directional
    smoothness has no error e_t to measure (its median was NaN) -> inconclusive (was
    'fails')."""
    e = 2 / 30
    spec = gd_spec("u", e, regime="unstable", exps=["exp3"], series=unstable_series(e))
    _set(spec["rows"], "dir_smoothness", range(T))
    v = criterion("relation43.unstable", logs([spec]))
    _inconclusive(v, "fails")


def test_exp6_relu_run_without_l_is_inconclusive(logs):
    """``exp6.relu-similar`` (Section 4.3.1, Experiment 6): an unstable ReLU run with RP
    around 0 and (4.3) exact on its logged steps, but no directional smoothness in the
    second half (median eta*L/2 was NaN) -> inconclusive (was 'fails')."""
    e = 2 / 30
    spec = gd_spec("u", e, regime="unstable", exps=["exp6"], series=unstable_series(e),
                   activation="relu", depth=4)  # fmt: skip
    _set(spec["rows"], "dir_smoothness", range(T // 2, T))
    v = criterion("exp6.relu-similar", logs([spec]))
    _inconclusive(v, "fails")
    assert "ηL/2 in the second half" in v.detail, f"detail {v.detail!r}"


def test_exp7_epoch_without_se_keeps_below_zero_open(logs):
    """``exp7.sgd-erp-not-staying-below-zero`` (Section 5, Experiment 7): every epoch end
    with a standard error is significantly below zero, but one more logs E[RP] = +0.5
    without its se (it was dropped, so 'below at every epoch end' was 'fails') ->
    inconclusive."""
    rp = np.full(20, -0.5)
    rp[7] = 0.5
    spec = sgd_spec("a", 2 / 100, rp=rp, rp_se=0.02, rhs=rp, rhs_se=0.02, exps=("exp7",))
    _set(spec["rows"], "rp_se", [7])
    v = criterion("exp7.sgd-erp-not-staying-below-zero", logs([spec]))
    _inconclusive(v, "fails")
    key = "relu d2 sgd η=2/100 epoch ends with E[RP] but no se"
    assert v.numbers.get(key) == 1, f"measured {v.numbers.get(key)}, expected 1 epoch without se"


@pytest.mark.parametrize(("missing", "expected"), [(range(20), "inconclusive"), ([3, 4], "fails")])
def test_remark7_epochs_without_se(logs, missing, expected):
    """``exp7.sgd-erp-not-negative`` (Section 5, Remark 7): E[RP] = -0.01 at every epoch end
    with no se logged: whether it is significantly below zero decides the majority (a
    missing se counted as 0 gave 'fails') -> inconclusive. At E[RP] = -0.5 (se 0.02, 25 se
    below zero) with two se missing, the 17 logged epochs already decide -> fails."""
    level = -0.01 if expected == "inconclusive" else -0.5
    rp = np.full(20, level)
    spec = sgd_spec("a", 2 / 100, rp=rp, rp_se=0.02, rhs=rp, rhs_se=0.02, exps=("exp7",))
    _set(spec["rows"], "rp_se", missing)
    v = criterion("exp7.sgd-erp-not-negative", logs([spec]))
    if expected == "inconclusive":
        _inconclusive(v, "fails")
    else:
        assert v.status == "fails", f"measured {v.status!r} ({v.detail}), expected 'fails'"


def test_adam_run_without_preconditioned_sharpness_is_not_left_out(tmp_path):
    """``adam-eos.preconditioned-sharpness-at-threshold`` (Section 6, Cohen et al. 2022):
    of two Adam runs, one equilibrates at 38/eta and one logs no preconditioned sharpness.
    The second was reported as 'not in the regime (not judged)' and the verdict 'holds' on
    the first alone; with no measurement it is not shown to stay out -> inconclusive."""
    _adam_log(tmp_path, "adam-4e-4", 4e-4, np.array([0.95, 1.05, 0.98, 1.02]))
    _adam_log(tmp_path, "adam-2e-4", 2e-4, np.array([0.95, 1.05, 0.98, 1.02]))
    steps = tmp_path / "adam-2e-4" / "steps.jsonl"
    rows = [json.loads(line) for line in steps.read_text().splitlines()]
    _set(rows, "preconditioned_sharpness", range(len(rows)))
    steps.write_text("".join(json.dumps(r) + "\n" for r in rows))
    v = criterion("adam-eos.preconditioned-sharpness-at-threshold", load_runs(tmp_path))
    _inconclusive(v, "holds")
    assert "no preconditioned sharpness" in v.detail, f"detail {v.detail!r}"
