"""Real runs on CIFAR-10: the paper's qualitative signatures (slow, CPU) and Experiments
1–9 at the paper's scale (GPU).

Slow CPU tests (``-m slow``, need ``EOS_CIFAR10_ROOT``): the shared subset at the reduced
size n = 1000 (width 200, depth 2, cross-entropy, float32), each asserting the same
criteria as the checks of :mod:`eos_empirical.checks`. At n = 1000 the regime boundary
lies lower than at the paper's n = 5000: pilot runs found tanh GD stable at eta = 2/60 and
2/90, so these tests use the step sizes where the reduced setting shows each signature:

- Experiment 1 at the paper's eta = 2/30: the linear net (800 steps, no accuracy stop)
  does NOT diverge at n = 1000 (a pilot reached 99.5% train accuracy and loss 0.09 by step
  500, and eta = 2/20 reached 95% at step 342): a strict xfail that records this reduced-
  scale finding and flags it if it ever changes; tanh and ReLU converge;
- unstable regime (Experiments 3-5, (4.3), Section 4.4): tanh at eta = 2/30 until 95%
  accuracy, with the tau grid every 5 steps and the sharpness every 20;
- stable regime (Experiments 2 and 4): tanh at eta = 2/200, 600 steps;
- SGD (Experiments 7-8, (5.1)): ReLU, batch 32, eta = 2/100, 6 epochs, 32 samples; (5.1)
  agrees, but E[RP] is still far below zero in these first epochs (Remark 7 not reproduced
  at this size: a strict xfail with the measured numbers).

Measured: the whole slow module takes 2 min 32 s wall (285 s CPU) on the shared 2-core box (one
module-scoped fixture does all runs).

GPU tests (``-m gpu``; skipped without CUDA or data): ``eos experiment all --scale paper``
into ``$EOS_RUNS_DIR`` (default: a temporary folder), then every check must reproduce the
CPU verdicts of ``docs/results/paper`` within the CPU seeds' spread (issue 14, item 5;
:mod:`eos_empirical.checks.reproduction`), not pass: a finding against the paper is a
valid outcome.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from eos_empirical.checks import CHECKS, SE51_TARGET
from eos_empirical.checks.reproduction import reproduction_problem
from eos_empirical.experiments import EXPERIMENTS, gd_run, run_experiments, run_specs, sgd_run
from eos_empirical.runlog import load_runs
from eos_theory.registry import PASSING


def _verdict(check_id: str, runs_dir: Path):
    v = CHECKS[check_id].evaluate(load_runs(runs_dir))
    return v


def assert_check(check_id: str, runs_dir: Path, *, expected: tuple[str, ...] | None = None):
    """The check's verdict must be passing for its kind (or in ``expected``)."""
    __tracebackhide__ = True
    c = CHECKS[check_id]
    v = _verdict(check_id, runs_dir)
    ok = v.status in (expected or PASSING[c.kind])
    assert ok, (
        f"{check_id} [{c.location}]: status={v.status}, but should be one of "
        f"{sorted(expected or PASSING[c.kind])}\n  criterion: {c.criterion}\n"
        f"  numbers: {dict(v.numbers)}\n  detail: {v.detail}\n  runs: {runs_dir}"
    )


@pytest.fixture(scope="module")
def cpu_runs(cifar10_root, tmp_path_factory):
    """The reduced runs, done once per module (about 6-10 minutes on 2 cores)."""
    out = tmp_path_factory.mktemp("cpu-runs")
    plan = {}

    def add(spec, *exps):
        plan[spec.name] = (spec, list(exps))

    add(gd_run("none", "2/30", regime="diverge", eig=False, acc_target=1.0, max_steps=800), "exp1")
    add(gd_run("relu", "2/30", regime="unstable", eig=False), "exp1")
    add(gd_run("tanh", "2/30", regime="unstable", tau=True), "exp1", "exp3", "exp4", "exp5")
    add(gd_run("tanh", "2/200", regime="stable", eig=False, max_steps=600), "exp2", "exp4")
    add(sgd_run("relu", "2/100"), "exp7", "exp8")
    run_specs(
        plan,
        scale="cpu",
        out=out,
        data_root=str(cifar10_root),
        device="cpu",
        # SGD: 4 epochs (0-3), E[RP] and (5.1) sampled until the paired se of LHS - RHS is at
        # most the (5.1) check's SE51_TARGET (at most 1500 minibatches: the per-sample sd of
        # LHS - RHS is 0.3-0.9 at n = 1000, so 150-1300 are needed)
        overrides={"epochs": 3, "rp_se_target": SE51_TARGET, "rp_samples": 1500},
    )
    return out


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="reduced scale (n = 1000): the linear net converges "
    "at eta = 2/30 instead of diverging (pilot: 99.5% train accuracy, loss "
    "0.09 at step 500); at the paper's n = 5000 on a CPU it does not diverge "
    "either (docs/results/paper-cpu: 3000 steps, loss 2.30 -> 0.84, sharpness "
    "1.44 x 2/eta at the median); the GPU test below repeats it at paper scale",
)
def test_linear_net_diverges_where_tanh_and_relu_converge(cpu_runs):
    """Experiment 1 / Takeaway 2 (reduced: n = 1000, eta = 2/30, linear net 800 steps): the
    linear net should diverge while tanh and ReLU converge."""
    assert_check("exp1.activation-needed", cpu_runs)


@pytest.mark.slow
def test_unstable_regime_rp_near_zero_and_L_near_2_over_eta(cpu_runs):
    """Experiments 3 and 4 (reduced: n = 1000, tanh, eta = 2/30): RP oscillates around 0
    with falling loss, and eta*L/2 saturates near 1."""
    assert_check("exp3.unstable-rp", cpu_runs)
    assert_check("exp4.unstable-L-at-2-over-eta", cpu_runs)


@pytest.mark.slow
def test_stable_regime_rp_near_minus_one(cpu_runs):
    """Experiments 2 and 4 (reduced: n = 1000, tanh, eta = 2/200, 600 steps): RP < 0 at
    every step, monotone loss, RP near -1, L well below 2/eta."""
    assert_check("exp2.stable-rp", cpu_runs)
    assert_check("exp4.stable-L-below", cpu_runs)


@pytest.mark.slow
def test_tau_spread_and_relation43(cpu_runs):
    """Experiment 5 and (4.3) (reduced: n = 1000, tanh, eta = 2/30, tau grid of 100 points
    every 5 steps): small spread over tau in the unstable phase, (4.3) within its stated
    accuracy."""
    assert_check("exp5.tau-spread", cpu_runs)
    assert_check("relation43.unstable", cpu_runs)


@pytest.mark.slow
def test_sharpness_pointwise_bound_reported(cpu_runs):
    """Section 4.4 (reduced): the pointwise bound's frequency is reported as a finding."""
    assert_check("corollary1.pointwise", cpu_runs)


@pytest.mark.slow
def test_sgd_relation51(cpu_runs):
    """Experiment 8, (5.1) (reduced: n = 1000, ReLU, batch 32, eta = 2/100, 4 epochs,
    minibatches sampled to the paired standard-error target): the paired error of (5.1)
    has median at most 0.1 and 90th percentile at most 0.25 over the epochs."""
    assert_check("exp8.relation51-relu", cpu_runs)


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="reduced scale (n = 1000, 4 epochs): E[RP] is still "
    "climbing from -0.9 towards 0 (measured with 6 epochs: median E[RP] -0.54, no epoch "
    "within 2 se of >= 0; 20 epochs in docs/results: 29% of epochs); Remark 7 "
    "is for n = 5000 and the whole run (GPU test below)",
)
def test_sgd_expected_rp_not_below_zero(cpu_runs):
    """Experiment 7 / Remark 7 (reduced): E[RP] should not be significantly below zero in
    most epochs."""
    assert_check("exp7.sgd-erp-not-negative", cpu_runs)


# --- paper scale on a GPU -----------------------------------------------------------------


@pytest.fixture(scope="module")
def paper_runs(cifar10_root, tmp_path_factory):
    """Every experiment at the paper's scale on CUDA (resumable in ``$EOS_RUNS_DIR``)."""
    out = Path(os.environ.get("EOS_RUNS_DIR") or tmp_path_factory.mktemp("paper-runs"))
    run_experiments(
        list(EXPERIMENTS), scale="paper", out=out, data_root=str(cifar10_root), device="cuda"
    )
    return out


#: The CPU verdicts the CUDA runs must reproduce (issue 14, item 5).
CPU_VERDICTS = Path(__file__).resolve().parents[1] / "docs" / "results" / "paper" / "verdicts.json"


@pytest.mark.gpu
@pytest.mark.slow
@pytest.mark.parametrize("check_id", list(CHECKS))
def test_paper_scale_reproduces_the_cpu_verdicts(paper_runs, check_id):
    """Issue 14, item 5: each claim's check on the CUDA runs (seed 0 of Figure 1 and
    Experiments 1-9 at the paper's size, n = 5000) reproduces the CPU verdict recorded in
    docs/results/paper/verdicts.json within the CPU seeds' spread: the CUDA seed decides
    as one of the CPU seeds did (holds or fails), a finding stays a finding, and a claim
    with no CPU runs gets a usable verdict (engine works on CUDA). Not that every claim of
    the paper holds: a finding against the paper is a valid outcome
    (checks/reproduction.py)."""
    recorded = json.loads(CPU_VERDICTS.read_text()).get(check_id)
    v = CHECKS[check_id].evaluate(load_runs(paper_runs))
    problem = reproduction_problem(check_id, v, recorded)
    assert problem is None, f"{problem}\n  numbers: {dict(v.numbers)}\n  runs: {paper_runs}"
