"""The experiment registry, the log-based checks, the figures and the report.

The checks (Experiments 1–9, (4.3), (5.1), Section 4.4) are tested on hand-made logs whose
verdict follows from the criterion written in :mod:`eos_empirical.checks`: each check gets
one log built to meet its criterion (expected ``holds``/``finding``) and one built to miss
it (expected ``fails``), so no check here is a test that cannot fail. No training happens
here except a seconds-long smoke-scale run on synthetic data (the wiring of ``eos
experiment``); the real runs are in ``tests/test_experiments_slow.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from eos_empirical import checks as ck
from eos_empirical.checks import CHECKS, MissingRunsError
from eos_empirical.commands.experiment_cli import main
from eos_empirical.experiments import (
    EXPERIMENTS,
    SCALES,
    all_runs,
    run_config,
    run_experiments,
)
from eos_empirical.runlog import EXPERIMENT_FILE, load_run, load_runs, runs_of
from eos_theory.registry import get_claim

PAPER_EXPERIMENTS = ("fig1", "exp1", "exp2", "exp3", "exp4", "exp5", "exp6", "exp7", "exp8", "exp9")
#: Beyond the paper (Section 6): registered after the paper's experiments.
EXTRA_EXPERIMENTS = ("adam-eos",)


# --- registry -----------------------------------------------------------------------------


def test_registry_names_and_docstrings():
    """Figure 1 and Experiments 1-9 are registered, each with the paper's text (a quote),
    its configuration, and at least one run."""
    assert tuple(EXPERIMENTS) == PAPER_EXPERIMENTS + EXTRA_EXPERIMENTS
    for e in EXPERIMENTS.values():
        assert e.doc.count('"') >= 2, f"{e.name}: docstring must quote the paper"
        assert "Configuration" in e.doc, f"{e.name}: docstring lacks the configuration"
        assert e.location.startswith("Section"), f"{e.name}: location {e.location!r}"
        assert e.runs, f"{e.name}: no runs"
        assert e.figure in ("gd", "tau", "sgd", "adaptive")


def test_registry_paper_values():
    """The paper's stated values: Exp. 1 eta = 2/30 with none/tanh/relu; Exp. 3 includes
    2/10; Exp. 5 tau grid of 100 points every 5 steps at 2/60; Exp. 6 depths 2 and 4;
    Exp. 7 SGD batch 32 at 2/100; Exp. 8/9 eta in {2/50, 2/100, 2/150} relu/tanh."""
    paper = SCALES["paper"]
    f = {e: [s.fields(paper) for s in EXPERIMENTS[e].runs] for e in EXPERIMENTS}
    for x in f.values():
        for cfg in x:
            assert (cfg["n"], cfg["width"], cfg["loss"], cfg["acc_target"] in (0.95, 1.0)) == (
                5000,
                200,
                "ce",
                True,
            )
    assert sorted(c["activation"] for c in f["exp1"]) == ["none", "relu", "tanh"]
    assert {c["eta"] for c in f["exp1"]} == {"2/30"}
    assert "2/10" in {c["eta"] for c in f["exp3"]}
    (e5,) = f["exp5"]
    assert (e5["eta"], e5["tau_every"], e5["tau_points"]) == ("2/60", 5, 100)
    assert {c["depth"] for c in f["exp6"]} == {2, 4}
    assert {c["activation"] for c in f["exp6"]} == {"relu"}
    (e7,) = f["exp7"]
    assert (e7["opt"], e7["batch_size"], e7["eta"], e7["activation"]) == (
        "sgd",
        32,
        "2/100",
        "relu",
    )
    for name, act in (("exp8", "relu"), ("exp9", "tanh")):
        assert {c["eta"] for c in f[name]} == {"2/50", "2/100", "2/150"}
        assert {c["activation"] for c in f[name]} == {act}


def test_every_check_is_attached_and_every_run_config_is_valid():
    """Each check reads at least one experiment; each run is a valid engine RunConfig at
    every scale, and the reduced scales really reduce (n and step caps)."""
    for c in CHECKS.values():
        assert any(c.id in e.checks for e in EXPERIMENTS.values()), c.id
        assert c.criterion and c.statement and c.location
    for sc in SCALES.values():
        for spec, _ in all_runs(EXPERIMENTS).values():
            cfg = run_config(spec, sc)
            if sc.reduced:
                assert cfg.n < 5000
                assert cfg.max_steps <= 1500 if cfg.opt != "sgd" else cfg.epochs <= 20
            else:
                assert cfg.n == 5000
    assert not SCALES["paper"].reduced and SCALES["cpu"].reduced
    assert "REDUCED" in SCALES["cpu"].note


def test_shared_runs():
    """Experiment 5's run is Experiment 3's eta = 2/60 run, and Experiment 7's run is
    Experiment 8's eta = 2/100 run (one folder each, listing both experiments)."""
    plan = all_runs(EXPERIMENTS)
    assert sorted(plan["gd-tanh-d2-eta2_60-tau"][1]) == ["exp3", "exp4", "exp5"]
    assert sorted(plan["sgd-relu-d2-b32-eta2_100"][1]) == ["exp7", "exp8"]
    with pytest.raises(ValueError, match="unknown name"):
        all_runs(["exp10"])


def test_cli_list_and_errors(capsys):
    """``eos experiment --list`` lists every experiment; bad names exit with status 2."""
    assert main(["--list"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in PAPER_EXPERIMENTS)
    with pytest.raises(SystemExit) as exc:
        main(["exp10"])
    assert exc.value.code == 2
    assert main(["exp5", "--show", "--scale", "cpu"]) == 0
    assert "'n': 1000" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        main(["exp3", "--runs", "gd-tanh-d2-eta2_10,bogus"])
    assert exc.value.code == 2
    assert "['bogus'] are not runs of ['exp3']" in capsys.readouterr().err


def test_cli_runs_subset(cifar10_root, tmp_path):
    """``--runs`` runs only the named runs of an experiment (how docs/results/paper-cpu was
    split between processes): Experiment 3 at smoke scale, one of its four runs."""
    out = tmp_path / "runs"
    assert (
        main(
            [
                "exp3",
                "--scale",
                "smoke",
                "--runs",
                "gd-tanh-d2-eta2_10",
                "--out",
                str(out),
                "--data-root",
                str(cifar10_root),
                "--device",
                "cpu",
            ]
        )
        == 0
    )
    assert sorted(p.name for p in out.iterdir()) == ["gd-tanh-d2-eta2_10"]
    assert (out / "gd-tanh-d2-eta2_10" / "summary.json").is_file()


# --- hand-made logs -----------------------------------------------------------------------


def write_run(
    root: Path,
    name: str,
    *,
    config: dict,
    rows: list[dict],
    summary: dict | None,
    experiments: list[str],
    regime: str,
) -> Path:
    """A run folder in the engine's format, plus the registry's experiment.json."""
    d = root / name
    d.mkdir(parents=True)
    base = {
        "opt": "gd",
        "activation": "tanh",
        "depth": 2,
        "n": 100,
        "dtype": "float32",
        "tau_every": 0,
        "tau_points": 100,
    }
    (d / "config.json").write_text(json.dumps({"config": base | config, "device": "cpu"}))
    (d / "steps.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    if summary is not None:
        (d / "summary.json").write_text(json.dumps(summary))
    (d / EXPERIMENT_FILE).write_text(
        json.dumps(
            {
                "experiments": experiments,
                "regime": regime,
                "scale": {"name": "test", "reduced": True},
            }
        )
    )
    return d


def gd_rows(
    eta: float,
    *,
    rp: np.ndarray,
    half_eta_l: np.ndarray,
    loss: np.ndarray,
    sharp: np.ndarray | None = None,
    acc: np.ndarray | None = None,
) -> list[dict]:
    """GD rows with the given RP, eta*L/2 and loss; grad norm 1; accuracy 0.5 unless given."""
    rows = []
    for t in range(len(rp)):
        rows.append(
            {
                "step": t,
                "loss": float(loss[t]),
                "acc": 0.5 if acc is None else float(acc[t]),
                "grad_norm": 1.0,
                "rp": float(rp[t]),
                "dir_smoothness": float(half_eta_l[t] * 2 / eta),
                "sharpness": None
                if sharp is None or not np.isfinite(sharp[t])
                else float(sharp[t]),
            }
        )
    return rows


def summary(outcome: str, steps: int, loss: float) -> dict:
    return {
        "outcome": outcome,
        "steps": steps,
        "final_loss": loss,
        "final_acc": 0.95,
        "wall_time_s": 1.0,
        "time_per_step_s": 1.0 / max(steps, 1),
    }


T = 200
STEPS = np.arange(T)


def stable_series(eta: float, *, rp_level: float = -0.99):
    """RP near rp_level, eta*L/2 = 1 + RP (so (4.3) holds), loss falling by RP*eta*|g|^2."""
    rp = np.full(T, rp_level)
    loss = 2.3 + np.cumsum(np.r_[0.0, rp[:-1] * eta])
    return rp, rp + 1.0, loss


def unstable_series(eta: float, *, center: float = 0.0, amp: float = 0.1):
    """RP alternating center +- amp, eta*L/2 = 1 + RP, loss slowly decreasing with wiggles."""
    rp = center + amp * np.where(STEPS % 2 == 0, 1.0, -1.0)
    loss = 2.3 - 1.5 * STEPS / T + 0.05 * (STEPS % 2)
    return rp, rp + 1.0, loss


@pytest.fixture
def logs(tmp_path):
    """Builder of run folders under tmp_path; returns the loaded runs."""

    def make(specs):
        for spec in specs:
            write_run(tmp_path, **spec)
        return load_runs(tmp_path)

    return make


def gd_spec(
    name, eta, *, regime, exps, series, outcome="reached-target", sharp=None, acc=None, **config
):
    rp, hl, loss = series
    return {
        "name": name,
        "config": {"eta": eta} | config,
        "rows": gd_rows(eta, rp=rp, half_eta_l=hl, loss=loss, sharp=sharp, acc=acc),
        "summary": summary(outcome, T, float(loss[-1])),
        "experiments": exps,
        "regime": regime,
    }


def criterion(check_id, runs):
    """The check's criterion on the runs of one seed (the seed rule is tested apart)."""
    c = CHECKS[check_id]
    return c.decide(runs_of(runs, *c.experiments))


def status(check_id, runs):
    return criterion(check_id, runs).status


def exp1_specs(e, lin_outcome="diverged"):
    """Experiment 1's three runs at step ``e``: linear (``lin_outcome``), tanh and ReLU."""
    return [
        gd_spec(
            "lin",
            e,
            regime="diverge",
            exps=["exp1"],
            series=unstable_series(e),
            outcome=lin_outcome,
            activation="none",
        ),
        gd_spec("tanh", e, regime="unstable", exps=["exp1"], series=unstable_series(e)),
        gd_spec(
            "relu",
            e,
            regime="unstable",
            exps=["exp1"],
            series=unstable_series(e),
            activation="relu",
        ),
    ]


def test_exp1_check(logs):
    """Experiment 1 criterion: linear 'diverged', tanh/relu not diverged and below the
    initial loss -> holds; a linear run that reaches the target -> fails."""
    assert status("exp1.activation-needed", logs(exp1_specs(2 / 30))) == "holds"


def test_exp1_check_fails(logs):
    """A linear net that does not diverge contradicts Experiment 1 -> fails."""
    e = 2 / 30
    bad = [
        gd_spec(
            "lin", e, regime="diverge", exps=["exp1"], series=unstable_series(e), activation="none"
        ),
        gd_spec("tanh", e, regime="unstable", exps=["exp1"], series=unstable_series(e)),
        gd_spec(
            "relu",
            e,
            regime="unstable",
            exps=["exp1"],
            series=unstable_series(e),
            activation="relu",
        ),
    ]
    v = criterion("exp1.activation-needed", logs(bad))
    assert v.status == "fails" and "none η=2/30 outcome" in v.numbers


@pytest.mark.parametrize(("rp_level", "expected"), [(-0.99, "holds"), (-0.85, "fails")])
def test_exp2_check_rp_near_minus_one(logs, rp_level, expected):
    """Experiment 2 / Remark 3: median RP within RP_NEAR = 0.1 of -1 -> holds; -0.85 is
    0.15 away -> fails (all steps still negative, loss still monotone)."""
    e = 2 / 200
    runs = logs(
        [
            gd_spec(
                "s",
                e,
                regime="stable",
                exps=["exp2", "exp4"],
                series=stable_series(e, rp_level=rp_level),
            )
        ]
    )
    assert status("exp2.stable-rp", runs) == expected


def test_exp2_check_one_positive_step_fails(logs):
    """Experiment 2: a single step with RP > 0 (and the loss rising there) -> fails."""
    e = 2 / 200
    rp, hl, loss = stable_series(e)
    rp[50] = 0.3
    loss[51:] += 0.3 * e + 0.01
    runs = logs([gd_spec("s", e, regime="stable", exps=["exp2"], series=(rp, hl, loss))])
    v = criterion("exp2.stable-rp", runs)
    assert v.status == "fails"
    assert v.numbers["η=2/200 steps with RP >= 0"] == 1
    assert v.numbers["η=2/200 loss increases"] == 1


def test_exp3_checks(logs):
    """Experiment 3: RP alternating around 0 with falling loss, faster at larger eta, and
    2/10 diverged -> all hold; RP oscillating around -0.5 -> the oscillation check fails;
    steps not decreasing with eta -> the speed check fails; 2/10 reaching the target ->
    the divergence check fails."""

    def build(center, steps_small, div_outcome):
        out = []
        for k, n in ((30, T), (60, steps_small)):
            e = 2 / k
            spec = gd_spec(
                f"u{k}",
                e,
                regime="unstable",
                exps=["exp3", "exp4"],
                series=unstable_series(e, center=center),
            )
            spec["summary"]["steps"] = n
            out.append(spec)
        out.append(
            gd_spec(
                "d",
                0.2,
                regime="diverge",
                exps=["exp3"],
                series=unstable_series(0.2),
                outcome=div_outcome,
            )
        )
        return out

    import shutil

    runs = logs(build(0.0, 2 * T, "diverged"))
    assert status("exp3.unstable-rp", runs) == "holds"
    assert status("exp3.larger-eta-faster", runs) == "holds"
    assert status("exp3.eta-2-10-diverges", runs) == "holds"
    assert status("exp4.unstable-L-at-2-over-eta", runs) == "holds"
    root = next(iter(runs.values())).path.parent
    shutil.rmtree(root)
    root.mkdir()
    runs = logs(build(-0.5, T // 2, "reached-target"))
    assert status("exp3.unstable-rp", runs) == "fails"
    assert status("exp3.larger-eta-faster", runs) == "fails"
    assert status("exp3.eta-2-10-diverges", runs) == "fails"
    assert status("exp4.unstable-L-at-2-over-eta", runs) == "fails"  # eta L/2 = 0.5


def test_exp3_check_needs_sign_changes(logs):
    """Experiment 3: RP with median 0 but no sign changes in the second half (a block of
    positives then negatives) has a sign-change rate below SIGN_RATE -> fails."""
    e = 2 / 30
    rp = np.where(STEPS < 150, 0.1, -0.1)
    loss = 2.3 - STEPS / T
    runs = logs([gd_spec("u", e, regime="unstable", exps=["exp3"], series=(rp, rp + 1, loss))])
    v = criterion("exp3.unstable-rp", runs)
    assert v.status == "fails"
    assert v.numbers["tanh d2 gd η=2/30 sign changes/step (2nd half)"] < ck.SIGN_RATE


@pytest.mark.parametrize(("level", "expected"), [(0.3, "holds"), (0.6, "fails")])
def test_exp4_stable_check(logs, level, expected):
    """Experiment 4 (stable): max eta*L/2 <= L_BELOW = 0.5 -> holds at 0.3, fails at 0.6."""
    e = 2 / 200
    rp, _, loss = stable_series(e)
    hl = np.full(T, 0.01)
    hl[10] = level
    runs = logs([gd_spec("s", e, regime="stable", exps=["exp4"], series=(rp, hl, loss))])
    assert status("exp4.stable-L-below", runs) == expected


def tau_spec(eta, spread, *, rp_shift=0.0, unstable_from=T // 4):
    """A run with tau rows every 5 steps: L(tau) = (2/eta)(1 + spread*(tau - 0.5)) from step
    ``unstable_from`` on (a tenth of that before); RP from Theorem 2 with the weighted mean,
    (4.3) error shifted."""
    taus = np.arange(1, 101) / 100
    rows = []
    rng = np.random.default_rng(0)
    for t in range(T):
        scale = 2 / eta if t >= unstable_from else 0.1 * 2 / eta
        lt = scale * (1 + spread * (taus - 0.5) * (1 + 0.1 * rng.standard_normal()))
        w = float(lt @ (2 * taus) / (2 * taus).sum())
        rp = -1 + 0.5 * eta * w + rp_shift * (t % 2)
        row = {
            "step": t,
            "loss": 2.3 - t / T,
            "acc": 0.5,
            "grad_norm": 1.0,
            "rp": rp,
            "dir_smoothness": float(lt[-1]),
            "sharpness": None,
        }
        if t % 5 == 0:
            row["tau_smoothness"] = lt.tolist()
        rows.append(row)
    return {
        "name": f"tau{spread}-{rp_shift}",
        "config": {"eta": eta, "tau_every": 5},
        "rows": rows,
        "summary": summary("reached-target", T, 1.3),
        "experiments": ["exp3", "exp5"],
        "regime": "unstable",
    }


@pytest.mark.parametrize(("spread", "expected"), [(0.1, "holds"), (1.0, "fails")])
def test_exp5_check(logs, spread, expected):
    """Experiment 5: a linear profile L(tau) = m(1 + s(tau - 1/2)) has std/mean = s*0.289;
    s = 0.1 gives 0.029 <= CV_MEDIAN = 0.1 (holds), s = 1 gives 0.29 (fails)."""
    runs = logs([tau_spec(2 / 60, spread)])
    v = criterion("exp5.tau-spread", runs)
    assert v.status == expected
    med = v.numbers["η=2/60 std/mean median (unstable rows)"]
    assert abs(med - spread * np.std(np.arange(1, 101) / 100)) < 0.2 * spread
    # Theorem 2 holds on the grid by construction: RP = -1 + (eta/2) W exactly.
    assert v.numbers["η=2/60 median |RP-(-1+ηW/2)| (Thm 2 on grid)"] < 1e-12


def test_exp5_check_inconclusive_with_too_few_unstable_rows(logs):
    """Experiment 5 judges the tau spread on unstable-phase grid rows only: a run that turns
    unstable 10 steps before its end has 2 such rows (grid every 5 steps), fewer than
    MIN_TAU_ROWS = 5, so the verdict is 'inconclusive' with the row count, not 'fails'; the
    registry's claim says the same, and 'not run' without runs of Experiment 5."""
    runs = logs([tau_spec(2 / 60, 0.1, unstable_from=T - 10)])
    v = criterion("exp5.tau-spread", runs)
    assert v.status == "inconclusive", (v.status, v.detail)
    rows = v.numbers["η=2/60 grid rows (unstable/all)"]
    assert rows.startswith("2/"), f"unstable/all grid rows = {rows}, expected 2 unstable rows"
    assert "fewer than the 5" in v.detail
    claim = get_claim("exp5.tau-spread")
    assert claim.kind == "experimental" and claim.run(runs).status == "inconclusive"
    assert claim.run({}).status == "not run"
    assert claim.run(None).status == "not run"


@pytest.mark.parametrize(("shift", "expected"), [(0.0, "holds"), (0.6, "fails")])
def test_relation43_check(logs, shift, expected):
    """(4.3): with spread 0.1 the error |RP - (-1 + eta L/2)| = (eta/2)|W - L(1)| is about
    0.016 (holds); adding 0.6 to RP on every other step puts the 90th percentile at 0.6 >
    E43_P90 = 0.25 (fails). The grid rows report e_t beside (eta/2)|W - L(1)|."""
    runs = logs([tau_spec(2 / 60, 0.1, rp_shift=shift)])
    v = criterion("relation43.unstable", runs)
    assert v.status == expected
    (key,) = [k for k in v.numbers if k.endswith("grid rows: median e_t / (η/2)|W-L(1)|")]
    e_med, exact_med = (float(x) for x in v.numbers[key].split("/"))
    if shift == 0:
        assert abs(e_med - exact_med) < 1e-6


@pytest.mark.parametrize(("rp_level", "expected"), [(-0.99, "holds"), (-0.5, "fails")])
def test_exp6_check(logs, rp_level, expected):
    """Experiment 6: ReLU stable run with RP near -1 and an unstable one with RP around 0,
    both with (4.3) exact -> holds; a 'stable' run at RP = -0.5 -> fails."""
    e_s, e_u = 2 / 200, 2 / 30
    runs = logs(
        [
            gd_spec(
                "s",
                e_s,
                regime="stable",
                exps=["exp6"],
                series=stable_series(e_s, rp_level=rp_level),
                activation="relu",
            ),
            gd_spec(
                "u",
                e_u,
                regime="unstable",
                exps=["exp6"],
                series=unstable_series(e_u),
                activation="relu",
                depth=4,
            ),
        ]
    )
    assert status("exp6.relu-similar", runs) == expected


def sharpening_stable_run(
    e: float, *, reach: int | None, activation: str = "tanh", rp_level: float = -0.99
) -> dict:
    """A run of the stable regime whose sharpness, measured every 10 steps, rises linearly
    from 0.5 x 2/e to 1.3 x 2/e and first reaches 0.95 x 2/e at step ``reach`` (``None``: it
    stays at 0.5 x 2/e); RP is ``rp_level`` before that step and alternates +-0.2 from it
    on, with eta*L/2 = 1 + RP throughout ((4.3) exact)."""
    half_eta_lam = np.full(T, 0.5)
    rp = np.full(T, rp_level)
    if reach is not None:
        half_eta_lam = np.clip(0.95 + (STEPS - reach) * 0.01, 0.5, 1.3)
        rp[reach:] = np.where(STEPS[reach:] % 2 == 0, 0.2, -0.2)
    loss = 2.3 + np.cumsum(np.r_[0.0, rp[:-1] * e])
    sharp = np.where(STEPS % 10 == 0, half_eta_lam * 2 / e, np.nan)
    return gd_spec(
        "s",
        e,
        regime="stable",
        exps=["exp2", "exp4", "exp6"],
        series=(rp, rp + 1.0, loss),
        sharp=sharp,
        activation=activation,
    )


STABLE_CHECKS = ["exp2.stable-rp", "exp4.stable-L-below", "exp6.relu-similar"]


@pytest.mark.parametrize("check_id", STABLE_CHECKS)
def test_a_stable_run_that_leaves_the_premise_is_undecided(logs, check_id):
    """Experiments 2, 4 and 6 (stable premise, amended 2026-12-01): a "stable" run whose
    sharpness first reaches EOS_AT = 0.95 x 2/eta at step 120 and which oscillates from
    then on (RP +-0.2, eta*L/2 0.8-1.2) is judged on its steps 0-119, where RP = -0.99 and
    eta*L/2 = 0.01 meet every stable-regime criterion: the run is undecided (premise not
    met), not failed, and the verdict names step 120."""
    e = 2 / 200
    relu = "relu" if check_id.startswith("exp6") else "tanh"
    v = criterion(check_id, logs([sharpening_stable_run(e, reach=120, activation=relu)]))
    (key,) = [k for k in v.numbers if k.endswith("first step with ηλ/2 >= 0.95")]
    got = (v.status, v.numbers[key])
    assert got == ("inconclusive", 120), f"{check_id}: (verdict, premise end) {got}: {v.detail}"
    assert "leaves the stable regime at step 120" in v.detail, v.detail


@pytest.mark.parametrize("check_id", ["exp2.stable-rp", "exp6.relu-similar"])
def test_a_stable_run_failing_within_the_premise_fails(logs, check_id):
    """Experiments 2 and 6: the same run with RP = -0.5 before step 120 (median RP 0.5 away
    from -1, beyond RP_NEAR = 0.1) fails on the steps where the premise holds."""
    e = 2 / 200
    relu = "relu" if check_id.startswith("exp6") else "tanh"
    spec = sharpening_stable_run(e, reach=120, activation=relu, rp_level=-0.5)
    v = criterion(check_id, logs([spec]))
    assert v.status == "fails", f"{check_id}: {v.status}, {v.detail}, {v.numbers}"


@pytest.mark.parametrize(("sharp", "expected"), [(True, "never"), (False, "not measured")])
def test_stable_run_premise_numbers_without_an_end(logs, sharp, expected):
    """Experiment 2: a run whose measured sharpness stays at 0.5 x 2/eta is judged on all
    its steps (holds) and reports "never" for the end of the stable premise; a log without
    sharpness "not measured"."""
    e = 2 / 200
    spec = sharpening_stable_run(e, reach=None)
    if not sharp:
        spec = gd_spec("s", e, regime="stable", exps=["exp2"], series=stable_series(e))
    v = criterion("exp2.stable-rp", logs([spec]))
    assert (v.status, v.numbers["η=2/200 first step with ηλ/2 >= 0.95"]) == ("holds", expected)


PAIRS = (STEPS % 10 == 0) | (STEPS % 10 == 1)  # eig_every 10 with eig_pair: t and t + 1


@pytest.mark.parametrize(("level", "expected"), [(1.05, "holds"), (0.8, "fails")])
def test_eos_and_corollary1_checks(logs, level, expected):
    """Section 4.4: sharpness measured at steps t and t + 1 every 10 steps at level*(2/eta).
    At 1.05 the EoS check holds (parity medians' mean in [0.95, 1.5], all points >= 0.95);
    at 0.8 it fails. The pointwise bound lambda >= (2/eta)(RP + 1) holds where 1 + RP <=
    level: RP = +0.1 on even steps, -0.1 on odd ones."""
    e = 2 / 30
    sharp = np.where(PAIRS, level * 2 / e, np.nan)
    runs = logs(
        [gd_spec("u", e, regime="unstable", exps=["exp3"], series=unstable_series(e), sharp=sharp)]
    )
    assert status("eos.sharpness-at-2-over-eta", runs) == expected
    v = CHECKS["corollary1.pointwise"].evaluate(runs)
    assert v.status == "finding"
    held = v.numbers["all runs pointwise holds"]
    assert held == ("20/40" if level > 0.9 else "0/40"), held


def _eos_verdict(logs, sharp, acc=None):
    e = 2 / 30
    spec = gd_spec("u", e, regime="unstable", exps=["exp3"], series=unstable_series(e),
                   sharp=sharp * 2 / e, acc=acc)  # fmt: skip
    return criterion("eos.sharpness-at-2-over-eta", logs([spec]))


def test_eos_part_b_uses_both_parities(logs):
    """Issue 14, item 3: in a period-two cycle eta*lambda/2 alternates (here 1.9 on even
    steps, 1.0 on odd ones). Part B is judged on the mean of the parity medians, 1.45, in
    [0.95, 1.5] -> holds, where the even steps alone (1.9) would have failed; both medians
    are reported."""
    v = _eos_verdict(logs, np.where(PAIRS, np.where(STEPS % 2 == 0, 1.9, 1.0), np.nan))
    assert v.status == "holds", (v.status, v.numbers)
    assert v.numbers["u median ηλ/2 even/odd steps"] == "1.9/1.0", v.numbers
    assert v.numbers["u mean of the parity medians"] == 1.45, v.numbers


def test_eos_part_b_on_one_parity_is_inconclusive(logs):
    """Issue 14, item 3: sharpness on even steps only cannot decide part B -> inconclusive,
    naming the counts of each parity."""
    v = _eos_verdict(logs, np.where(STEPS % 10 == 0, 1.05, np.nan))
    assert v.status == "inconclusive" and "both parities" in v.detail, (v.status, v.detail)


def test_eos_part_b_is_judged_before_95_percent_accuracy(logs):
    """Issue 14, item 3: a run continued past 95% train accuracy (Experiment 1's budget) is
    judged on its steps before the target; the later phase (here eta*lambda/2 = 0.5) is
    reported apart and does not decide the verdict."""
    acc = np.where(STEPS < 120, 0.6, 0.97)
    sharp = np.where(PAIRS, np.where(STEPS < 120, 1.05, 0.5), np.nan)
    v = _eos_verdict(logs, sharp, acc)
    assert v.status == "holds", (v.status, v.numbers)
    later = v.numbers["u after 95% accuracy: median ηλ/2 (16 pts)"]
    assert later == 0.5, v.numbers


@pytest.mark.parametrize(("other", "expected"), [(2.0, "fails"), (1.05, "inconclusive")])
def test_eos_part_b_one_failing_run_decides_beside_an_undecided_one(logs, other, expected):
    """Section 4.4, part B is a claim on every unstable run (checks.every_run): run `a`
    has sharpness on even steps only (undecided), run `b` both parities at `other`*(2/eta).
    With b at 2.0 (above the bound 1.5) the seed fails, the undecided run named beside it;
    with b at 1.05 (within [0.95, 1.5]) nothing fails and the seed stays inconclusive."""
    e = 2 / 30
    one_parity = np.where(STEPS % 10 == 0, 1.05, np.nan) * 2 / e
    both = np.where(PAIRS, other, np.nan) * 2 / e
    specs = [
        gd_spec(name, e, regime="unstable", exps=["exp3"], series=unstable_series(e), sharp=s)
        for name, s in (("a", one_parity), ("b", both))
    ]
    v = criterion("eos.sharpness-at-2-over-eta", logs(specs))
    assert v.status == expected, (other, v.status, v.detail, v.numbers)
    undecided = v.numbers["undecided runs"]
    assert list(undecided) == ["a"] and "both parities" in undecided["a"], v.numbers


def sgd_spec(name, eta, *, rp, rp_se, rhs, rhs_se, act="relu", exps=("exp8",), d_se=None):
    rows = [
        {
            "step": k,
            "loss": 2.0 - 0.05 * k,
            "acc": 0.5,
            "grad_norm": 1.0,
            "rp": rp[k],
            "rp_se": rp_se,
            "rhs51": rhs[k],
            "rhs51_se": rhs_se,
            "rp_minus_rhs51": rp[k] - rhs[k],
            "rp_minus_rhs51_se": rp_se / 3 if d_se is None else d_se,
            "samples": 500,
            "sharpness": None,
        }
        for k in range(len(rp))
    ]
    return {
        "name": name,
        "config": {"eta": eta, "opt": "sgd", "activation": act},
        "rows": rows,
        "summary": summary("max-steps", len(rp), 1.0),
        "experiments": list(exps),
        "regime": "sgd",
    }


@pytest.mark.parametrize(("offset", "expected"), [(0.05, "holds"), (0.3, "fails")])
def test_relation51_check(logs, offset, expected):
    """(5.1), Experiments 8/9: paired se of d = LHS - RHS 0.0167 <= SE51_TARGET = 0.025 in
    every epoch; a gap of 0.05 is within E43_MEDIAN = 0.1 (holds), a gap of 0.3 is not
    (fails)."""
    rp = np.linspace(-0.2, 0.3, 20)
    runs = logs(
        [
            sgd_spec("a", 2 / 100, rp=rp, rp_se=0.05, rhs=rp + offset, rhs_se=0.05),
            sgd_spec(
                "b",
                2 / 100,
                rp=rp,
                rp_se=0.05,
                rhs=rp + offset,
                rhs_se=0.05,
                act="tanh",
                exps=("exp9",),
            ),
        ]
    )
    assert status("exp8.relation51-relu", runs) == expected
    assert status("exp9.relation51-tanh", runs) == expected


@pytest.mark.parametrize(
    ("d_se", "expected"), [(1e-4, "holds"), (0.02, "holds"), (0.03, "inconclusive")]
)
def test_relation51_verdict_does_not_move_with_the_sample_count(logs, d_se, expected):
    """Issue 14, item 4: (5.1) is judged by the size of its paired error (0.05 here, within
    E43_MEDIAN = 0.1), so more samples (se_d 1e-4, where a 2-se test would reject in every
    epoch) do not flip it; too few samples (se_d 0.03 > SE51_TARGET = 0.025) are
    inconclusive, not a verdict."""
    rp = np.linspace(-0.2, 0.3, 20)
    runs = logs([sgd_spec("a", 2 / 100, rp=rp, rp_se=0.05, rhs=rp + 0.05, rhs_se=0.05,
                          d_se=d_se)])  # fmt: skip
    v = criterion("exp8.relation51-relu", runs)
    assert v.status == expected, (d_se, v.status, v.detail, v.numbers)


@pytest.mark.parametrize(("level", "expected"), [(0.05, "holds"), (-0.5, "fails")])
def test_exp7_check(logs, level, expected):
    """Remark 7: E[RP] = level +- 0.1 with se 0.05; at 0.05 the majority is >= -2se
    (holds); at -0.5 every epoch is significantly below zero (fails)."""
    rp = level + 0.1 * np.where(np.arange(20) % 2 == 0, 1.0, -1.0)
    runs = logs([sgd_spec("a", 2 / 100, rp=rp, rp_se=0.05, rhs=rp, rhs_se=0.05, exps=("exp7",))])
    assert status("exp7.sgd-erp-not-negative", runs) == expected


@pytest.mark.parametrize(
    ("peak", "rest", "expected"),
    [
        # one epoch 0.3 above zero at se 0.02 (15 se): significant after Bonferroni
        (0.3, -0.3, "holds"),
        # one epoch 2.2 se above zero: beyond a single 2-se test, within z(20) = 2.81
        (0.044, -0.3, "inconclusive"),
        # every epoch at least 0.06 / 0.02 = 3 se below zero, z(20) = 2.81
        (-0.06, -0.3, "fails"),
        # every epoch at -0.03 +- ...: near zero, neither side significant
        (-0.03, -0.03, "inconclusive"),
    ],
)
def test_exp7_not_staying_below_zero(logs, peak, rest, expected):
    """Experiment 7 ("E[RP] does not stay below zero"): 20 epochs at ``rest`` with one at
    ``peak``, se 0.02; holds only when an epoch is above zero by more than the one-sided
    Bonferroni quantile z = Phi^-1(1 - 0.05/20) = 2.81 se, fails only when every epoch is
    that far below zero."""
    rp = np.full(20, rest)
    rp[7] = peak
    runs = logs([sgd_spec("a", 2 / 100, rp=rp, rp_se=0.02, rhs=rp, rhs_se=0.02, exps=("exp7",))])
    v = criterion("exp7.sgd-erp-not-staying-below-zero", runs)
    assert v.status == expected, (peak, rest, v.status, v.detail, v.numbers)


def test_exp7_counts_epoch_ends_not_the_start(logs):
    """Experiment 7 measures "at the end of each epoch": row 0 (the initialization) is not
    one. E[RP] significantly above zero only there decides nothing (19 epoch ends near zero:
    inconclusive), and Remark 7's majority is over the 19 epoch ends (9 of 19 not below: fails)."""
    rp = np.where(np.arange(20) % 2 == 0, 0.0, -0.5)
    rp[0] = 0.5
    runs = logs([sgd_spec("a", 2 / 100, rp=rp, rp_se=0.02, rhs=rp, rhs_se=0.02, exps=("exp7",))])
    v = criterion("exp7.sgd-erp-not-staying-below-zero", runs)
    assert v.status == "inconclusive", (v.status, v.detail, v.numbers)
    v = criterion("exp7.sgd-erp-not-negative", runs)
    assert v.status == "fails", (v.status, v.detail, v.numbers)  # 9 of 19 even epoch ends
    assert v.numbers["relu d2 sgd η=2/100 epochs"] == 19, v.numbers


@pytest.mark.parametrize(
    "check_id", ["exp7.sgd-erp-not-negative", "exp7.sgd-erp-not-staying-below-zero"]
)
def test_exp7_without_epoch_ends_is_inconclusive(logs, check_id):
    """Experiment 7 / Remark 7 on a log with the initialization row only (E[RP] -0.9): no
    epoch end to judge, so inconclusive, never 'fails' for want of rows."""
    rp = np.array([-0.9])
    runs = logs([sgd_spec("a", 2 / 100, rp=rp, rp_se=0.02, rhs=rp, rhs_se=0.02, exps=("exp7",))])
    v = criterion(check_id, runs)
    assert v.status == "inconclusive", (check_id, v.status, v.detail)


def test_missing_runs_and_bad_folder(tmp_path):
    """A check with no runs of its experiments raises MissingRunsError (the report's 'not
    run'); a folder without config.json is not a run (ValueError naming the file)."""
    with pytest.raises(MissingRunsError):
        CHECKS["exp5.tau-spread"].evaluate({})
    with pytest.raises(ValueError, match=r"config\.json"):
        load_run(tmp_path)


def test_stats_helpers():
    """Second half, sign-change rate and the 2tau-weighted mean on small inputs."""
    assert ck.sign_change_rate(np.array([1.0, -1.0, 1.0, -1.0])) == 1.0
    assert ck.sign_change_rate(np.array([1.0, 1.0, 1.0])) == 0.0
    s = ck.tau_statistics(np.array([0.5, 1.0]), np.array([[3.0, 3.0]]))
    assert s["weighted"][0] == 3.0 and s["std"][0] == 0.0


# --- report, figures and the smoke-scale wiring ------------------------------------------


def test_report_and_figures(logs, tmp_path):
    """``eos report`` on tiny logs writes report.md with the verdict table, one PNG per
    experiment that has runs, 'not run' for the others, and verdicts.json."""
    from eos_empirical.commands.report_cli import main as report_main

    e = 2 / 60
    runs = logs(
        [
            tau_spec(e, 0.1),
            sgd_spec(
                "sgd",
                2 / 100,
                rp=np.zeros(5),
                rp_se=0.1,
                rhs=np.zeros(5),
                rhs_se=0.1,
                exps=("exp7", "exp8"),
            ),
        ]
    )
    out = tmp_path / "report"
    assert (
        report_main([str(next(iter(runs.values())).path.parent), "--out", str(out), "--copy-logs"])
        == 0
    )
    text = (out / "report.md").read_text()
    assert "| `exp5.tau-spread` |" in text and "not run" in text
    assert (out / "figures" / "exp5.png").stat().st_size > 1000
    assert (out / "figures" / "exp8.png").stat().st_size > 1000
    assert not (out / "figures" / "exp1.png").exists()
    verdicts = json.loads((out / "verdicts.json").read_text())
    assert verdicts["exp5.tau-spread"]["status"] == "holds"
    assert verdicts["exp1.activation-needed"]["status"] == "not run"
    # the copied logs (gzipped steps) give the same verdicts
    again = ck.evaluate_all(load_runs(out / "runs"))
    assert again["exp5.tau-spread"].status == "holds"


def test_smoke_scale_run(tmp_path):
    """``run_experiments`` at the smoke scale on synthetic data: files written, the scale
    recorded as reduced in experiment.json and config.json, a second call skips."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny nets: one thread avoids OpenMP contention on a busy box
    try:
        _smoke(tmp_path)
    finally:
        torch.set_num_threads(threads)


def _smoke(tmp_path):
    lines: list[str] = []
    out = tmp_path / "runs"
    res = run_experiments(
        ["exp5", "exp7"],
        scale="smoke",
        out=out,
        device="cpu",
        overrides={"dataset": "synthetic"},
        log=lines.append,
    )
    assert set(res) == {"gd-tanh-d2-eta2_60-tau", "sgd-relu-d2-b32-eta2_100"}
    assert any("REDUCED" in s for s in lines)
    for name in res:
        d = out / name
        assert {"config.json", "steps.jsonl", "summary.json", "experiment.json"} <= {
            p.name for p in d.iterdir()
        }
        assert json.loads((d / "config.json").read_text())["scale"]["reduced"] is True
        assert json.loads((d / "experiment.json").read_text())["reduced"] is True
    run = load_run(out / "gd-tanh-d2-eta2_60-tau")
    assert run.config["n"] == 64 and any(r.get("tau_smoothness") for r in run.rows)
    lines.clear()
    run_experiments(
        ["exp5"],
        scale="smoke",
        out=out,
        device="cpu",
        overrides={"dataset": "synthetic"},
        log=lines.append,
    )
    assert any("skipped" in s for s in lines)


def _remark4_runs(logs, outcomes, *, control=None):
    """Remark 4's eta = 2/10 run, one per seed, ending with the given outcomes."""
    e = 2 / 10
    specs = []
    for seed, outcome in enumerate(outcomes):
        spec = gd_spec(f"r4-seed{seed}", e, regime="diverge", exps=["exp3"],
                       series=unstable_series(e), outcome=outcome, seed=seed)  # fmt: skip
        specs.append(spec)
    return logs(specs)


@pytest.mark.parametrize(
    ("outcomes", "expected", "detail"),
    [
        (["reached-target"] * 5, "fails", "in 5 of 5 seeds"),
        (["diverged"] * 5, "holds", "in all 5 seeds"),
        (["reached-target"], "inconclusive", "needs a majority of at least 5 seeds"),
        (["reached-target"] * 3 + ["diverged"] * 2, "fails", "in 3 of 5 seeds"),
        (["reached-target"] * 2 + ["diverged"] * 3, "inconclusive", "holds in 3 of 5 seeds"),
        (["reached-target"] * 4, "inconclusive", "fails in 4 of 4 seeds"),
    ],
)
def test_seed_rule_a_verdict_against_the_paper_needs_five_seeds(logs, outcomes, expected, detail):
    """Issue 14 (seed rule of checks/seed_verdicts): Remark 4's criterion decided per seed;
    'fails' only when it fails in a majority of at least 5 seeds, 'holds' only in all, the
    rest 'inconclusive'; the numbers give each deciding number's spread over the seeds."""
    v = CHECKS["exp3.eta-2-10-diverges"].evaluate(_remark4_runs(logs, outcomes))
    assert v.status == expected and detail in v.detail, (outcomes, v.status, v.detail)
    failed = [s for s, o in enumerate(outcomes) if o != "diverged"]
    assert v.numbers["fails in seeds"] == failed, v.numbers
    if len(outcomes) > 1:
        assert f"({len(outcomes)} seeds)" in str(v.numbers["η=2/10 max finite loss"]), v.numbers
        # the wiggly loss of unstable_series is back above its start at step 3 (2.3275 > 2.3)
        back = v.numbers["η=2/10 returns above the initial loss at step"]
        assert back == f"3 ({len(outcomes)} seeds)", v.numbers


def _exp6_over_seeds(logs, tmp_path, stable: dict[int, dict]):
    """Experiment 6's verdict over seeds 0-4: an unstable ReLU run `u` at 2/30 that holds
    in every seed, and the ReLU "stable" run `s` given per seed (``stable``: seed -> spec);
    each run named as one paper run across its seeds (``experiment.json``'s ``run``)."""
    specs = []
    for seed in range(5):
        if seed in stable:
            s = stable[seed]
            specs.append(s | {"name": f"s{seed}", "config": s["config"] | {"seed": seed}})
        series = unstable_series(2 / 30)
        specs.append(gd_spec(f"u{seed}", 2 / 30, regime="unstable", exps=["exp6"],
                             series=series, activation="relu", seed=seed))  # fmt: skip
    logs(specs)
    for spec in specs:
        path = tmp_path / spec["name"] / EXPERIMENT_FILE
        run = spec["name"].rstrip("0123456789")  # the paper run: the same in every seed
        path.write_text(json.dumps(json.loads(path.read_text()) | {"run": run}))
    return CHECKS["exp6.relu-similar"].evaluate(load_runs(tmp_path))


@pytest.mark.parametrize(
    ("stable_seeds", "expected"),
    [((0, 1, 2), "inconclusive"), ((0, 1, 2, 3, 4), "fails")],
)
def test_seed_rule_a_failing_run_needs_five_seeds_of_its_own(
    logs, tmp_path, stable_seeds, expected
):
    """Issue 14 (seed rule, amended 2026-12-01), Experiment 6: a ReLU "stable" run at
    2/200 with RP at -0.5 (fails the criterion) made in seeds 0-2, beside an unstable run
    at 2/30 that holds in seeds 0-4, fails in 3 of 5 seeds, but seeds 3-4 never made the
    failing run: no run fails in a majority of five seeds that decided it, so the verdict is
    inconclusive. With the stable run in all five seeds, failing in 0-2 and holding in 3-4,
    the failure rests on five seeds of its run: fails."""
    stable = {
        seed: gd_spec("s", 2 / 200, regime="stable", exps=["exp6"], activation="relu",
                      series=stable_series(2 / 200, rp_level=-0.5 if seed < 3 else -0.99))
        for seed in stable_seeds
    }  # fmt: skip
    v = _exp6_over_seeds(logs, tmp_path, stable)
    failing = v.numbers.get("failing runs over their seeds")
    got = (v.status, v.numbers["fails in seeds"], failing)
    want = (expected, [0, 1, 2], {"s": f"fails in 3 of {len(stable_seeds)} seeds"})
    assert got == want, f"(verdict, failing seeds, failing runs): got {got}, expected {want}"


def test_a_claim_holds_only_when_each_of_its_runs_is_decided(logs, tmp_path):
    """Issue 14 (seed rule, amended 2026-12-01), Experiment 6: a ReLU "stable" run that
    leaves the stable premise at step 120 in seeds 0-2 (undecided there) beside an unstable
    run at 2/30 that holds in seeds 0-4. Seeds 3-4 hold, but no seed decided the stable
    run: the verdict is inconclusive and names it, not "holds in all 2 seeds"."""
    leaving = sharpening_stable_run(2 / 200, reach=120, activation="relu")
    v = _exp6_over_seeds(logs, tmp_path, dict.fromkeys(range(3), leaving))
    got = (v.status, v.numbers.get("runs no seed decided"), v.numbers["holds in seeds"])
    assert got == ("inconclusive", ["s"], [3, 4]), f"(verdict, undecided runs, seeds held): {got}"


def test_controls_never_count_among_the_seeds(logs, tmp_path):
    """Issue 14: a control run (experiment.json 'control', here float64) of the same paper
    run is not one of the seeds a verdict rests on."""
    runs = _remark4_runs(logs, ["reached-target"] * 5)
    folder = tmp_path / "r4-seed0"
    rec = json.loads((folder / EXPERIMENT_FILE).read_text())
    (folder / EXPERIMENT_FILE).write_text(json.dumps(rec | {"control": "float64"}))
    v = CHECKS["exp3.eta-2-10-diverges"].evaluate(load_runs(tmp_path))
    assert v.status == "inconclusive" and v.numbers["fails in seeds"] == [1, 2, 3, 4], v
    # beside the verdict: the criterion decided on the control alone in its run's place
    found = CHECKS["exp3.eta-2-10-diverges"].controls(load_runs(tmp_path))
    assert list(found) == ["r4-seed0 [float64]"] and found["r4-seed0 [float64]"].status == "fails"
    del runs


def test_a_verdict_names_the_runs_of_its_experiments_not_made(logs, tmp_path):
    """Issue 14 ("say exactly what was shown"): Remark 4's check reads Experiment 3, whose
    runs are 2/20, 2/30, 2/60 (tau grid) and 2/10. With only 2/10 made (5 seeds), the
    verdict names the three others under 'not made (no seed)' and its detail says it covers
    the runs made; a run made in any seed is not named."""
    _remark4_runs(logs, ["reached-target"] * 5)
    for seed in range(5):
        d = tmp_path / f"r4-seed{seed}"
        rec = json.loads((d / EXPERIMENT_FILE).read_text())
        (d / EXPERIMENT_FILE).write_text(json.dumps(rec | {"run": "gd-tanh-d2-eta2_10"}))
    check = CHECKS["exp3.eta-2-10-diverges"]
    expected = ["gd-tanh-d2-eta2_20", "gd-tanh-d2-eta2_30", "gd-tanh-d2-eta2_60-tau"]
    assert sorted(check.expected["exp3"]) == sorted([*expected, "gd-tanh-d2-eta2_10"])
    v = check.evaluate(load_runs(tmp_path))
    assert v.status == "fails" and v.numbers["not made (no seed)"] == expected, v
    assert "[on the runs made: 3 of the 4 runs of exp3 not made yet]" in v.detail, v.detail


def test_a_controls_own_numbers_come_first(logs, tmp_path):
    """Issue 14 (controls beside the verdict, the report's first numbers): part B decided
    on seed 0's two unstable runs `gd-a` and `gd-b` with a float64 control in `gd-a`'s
    place (sharpness 1.2 x 2/eta against the paper run's 1.05). The control's verdict
    lists the control run's numbers (keys of `gd-a`, mean of the parity medians 1.2) before
    those of `gd-b`, which it shares with the seed's verdict."""
    e = 2 / 30
    specs = [
        gd_spec(
            name,
            e,
            regime="unstable",
            exps=["exp3"],
            series=unstable_series(e),
            sharp=np.where(PAIRS, level, np.nan) * 2 / e,
        )
        for name, level in (("gd-b", 1.05), ("gd-a", 1.05), ("gd-a-f64", 1.2))
    ]
    logs(specs)
    records = {
        "gd-a": {"run": "gd-a"},
        "gd-b": {"run": "gd-b"},
        "gd-a-f64": {"run": "gd-a", "control": "float64"},
    }
    for folder, record in records.items():
        path = tmp_path / folder / EXPERIMENT_FILE
        path.write_text(json.dumps(json.loads(path.read_text()) | record))
    found = CHECKS["eos.sharpness-at-2-over-eta"].controls(load_runs(tmp_path))
    assert list(found) == ["gd-a [float64]"], found
    keys = list(found["gd-a [float64]"].numbers)
    first_b = next(i for i, k in enumerate(keys) if k.startswith("gd-b "))
    assert all(k.startswith("gd-a ") for k in keys[:first_b]) and first_b > 0, keys
    assert found["gd-a [float64]"].numbers["gd-a mean of the parity medians"] == 1.2, keys


def test_a_findings_numbers_of_one_run_span_its_seeds(logs, tmp_path):
    """Section 4.4, Corollary 1's pointwise finding over two seeds of the same run `u`
    (sharpness 1.05 x 2/eta in seed 0, 0.8 x 2/eta in seed 1; RP = +/-0.1 as in
    test_eos_and_corollary1_checks, where these levels give 20/40 and 0/40): the run's
    numbers give both seeds (it fails at 20 and at 40 of its 40 measured steps: '20–40 (2
    seeds)'), not the last seed's alone, and the total counts every run (20/80)."""
    e = 2 / 30
    specs = [
        gd_spec(
            f"u-seed{seed}",
            e,
            regime="unstable",
            exps=["exp3"],
            series=unstable_series(e),
            sharp=np.where(PAIRS, level * 2 / e, np.nan),
            seed=seed,
        )
        for seed, level in ((0, 1.05), (1, 0.8))
    ]
    logs(specs)
    for seed in (0, 1):  # the same paper run `u` in both seeds
        path = tmp_path / f"u-seed{seed}" / EXPERIMENT_FILE
        path.write_text(json.dumps(json.loads(path.read_text()) | {"run": "u"}))
    v = CHECKS["corollary1.pointwise"].evaluate(load_runs(tmp_path))
    assert v.numbers["all runs pointwise holds"] == "20/80", v.numbers
    assert v.numbers["u steps where it fails"] == "20–40 (2 seeds)", v.numbers
    assert v.numbers["u measured steps"] == "40 (2 seeds)", v.numbers
