"""The GD/SGD engine's logged quantities against the definitions and against eos_theory.

Claims checked (paper): Definition 1 (RP), Definition 2 (directional smoothness),
Theorem 2 (4.2) (RP equals its integral identity), Definition 3 and (5.1) (SGD), on a tiny
2-layer tanh net on 5 points in float64, where the engine, a direct torch evaluation of
the definitions and eos_theory (autograd.numpy, identical weights) must agree.
"""

from __future__ import annotations

import json
import math

import autograd.numpy as anp
import numpy as np
import pytest
import torch

from eos_empirical.commands.run_cli import main as run_main
from eos_empirical.config import RunConfig
from eos_empirical.cost import FullBatchCost
from eos_empirical.diagnostics import sgd_relative_progress, tau_smoothness
from eos_empirical.models import FlatMLP, init_params, loss_per_batch
from eos_empirical.runlog import read_rows
from eos_empirical.train import make_setup, train
from eos_theory import expected_relative_progress, relation51_rhs, run_gd
from eos_theory.testing import assert_close

DEVICES = [
    pytest.param("cpu", id="dev=cpu"),
    pytest.param("cuda", id="dev=cuda", marks=pytest.mark.gpu),
]
NET = FlatMLP((3, 4, 2), "tanh")


def tiny_data(device: str = "cpu"):
    gen = torch.Generator().manual_seed(5)
    x = torch.randn(5, 3, generator=gen, dtype=torch.float64)
    labels = torch.tensor([0, 1, 1, 0, 1])
    theta0 = init_params(NET, seed=2).double().to(device)
    return x.to(device), labels.to(device), theta0


def numpy_cost(x: np.ndarray, labels: np.ndarray):
    """The same cross-entropy cost in autograd.numpy, same parameter layout as FlatMLP."""

    def f(theta):
        w0, b0 = theta[:12].reshape(4, 3), theta[12:16]
        w1, b1 = theta[16:24].reshape(2, 4), theta[24:26]
        z = anp.dot(anp.tanh(anp.dot(x, w0.T) + b0), w1.T) + b1
        m = anp.max(z, axis=1, keepdims=True)
        lse = m[:, 0] + anp.log(anp.sum(anp.exp(z - m), axis=1))
        return anp.mean(lse - z[np.arange(len(labels)), labels])

    return f


def tiny_config(**kw) -> RunConfig:
    base = dict(
        dataset="synthetic",
        n=5,
        width=4,
        depth=1,
        eta=0.5,
        max_steps=12,
        acc_target=1.0,
        dtype="float64",
        checkpoint_every=4,
    )
    return RunConfig(**{**base, **kw})


@pytest.mark.parametrize("device", DEVICES)
def test_gd_rows_match_eos_theory(device):
    """Logged RP (Def. 1) and L(theta; eta grad f) (Def. 2) equal eos_theory's run_gd.

    eos_theory evaluates the same cost in autograd.numpy from the same theta0; both are
    float64 and the trajectories differ only by round-off, so rtol=1e-9 (observed ~1e-13).
    """
    x, labels, theta0 = tiny_data(device)
    cfg = tiny_config()
    res = train(cfg, None, setup=make_setup(cfg, NET, x, labels, theta0=theta0))
    f = numpy_cost(x.cpu().numpy(), labels.cpu().numpy())
    ref = run_gd(f, theta0.cpu().numpy(), cfg.eta, cfg.max_steps)
    rows = res.rows
    assert len(rows) == cfg.max_steps == ref.steps
    for key, arr in (
        ("loss", ref.loss),
        ("grad_norm", ref.grad_norm),
        ("rp", ref.rp),
        ("dir_smoothness", ref.dir_smoothness),
    ):
        assert_close(
            key,
            [r[key] for r in rows],
            arr,
            rtol=1e-9,
            atol=1e-12,
            claim="Definitions 1-2 (torch engine vs eos_theory)",
            inputs={"eta": cfg.eta, "seed": 2},
        )


def test_gd_rows_match_direct_definitions():
    """Each logged RP and L equals a direct float64 torch evaluation of the definitions.

    At each iterate theta_t (re-derived by GD here), evaluate f(theta - eta g) and
    grad f(theta - eta g) separately (torch.func.grad), not reusing the loop's values.
    Tolerance 1e-10 relative: same float64 arithmetic, different evaluation order.
    """
    x, labels, theta = tiny_data()
    cfg = tiny_config()
    rows = train(cfg, None, setup=make_setup(cfg, NET, x, labels, theta0=theta)).rows

    def f(t):
        return loss_per_batch(NET.forward(t, x), labels, "ce")

    grad = torch.func.grad(f)
    for row in rows:
        g = grad(theta)
        nxt = theta - cfg.eta * g
        gg = float(g @ g)
        rp = (float(f(nxt)) - float(f(theta))) / (cfg.eta * gg)
        lsm = float(g @ (g - grad(nxt))) / (cfg.eta * gg)
        inputs = {"step": row["step"], "eta": cfg.eta}
        assert_close(
            "RP", row["rp"], rp, rtol=1e-10, atol=1e-13, claim="Definition 1", inputs=inputs
        )
        assert_close(
            "L", row["dir_smoothness"], lsm, rtol=1e-10, claim="Definition 2", inputs=inputs
        )
        theta = nxt


def test_theorem2_quadrature_and_tau_grid_in_run():
    """The logged RP equals the Theorem 2 integral (4.2) by 16-point Gauss-Legendre.

    The integrand is analytic along the segment (tanh net), so the 16-point rule is
    accurate to round-off; we require |RP - rhs| <= 1e-10 and the logged error estimate
    (difference to the 8-point rule) <= 1e-8. The tau-grid value at tau=1 is Definition 2
    itself, so it must equal the logged L to 1e-10 relative.
    """
    x, labels, theta0 = tiny_data()
    cfg = tiny_config(eta=1.5, max_steps=6, quad_every=1, tau_every=3, tau_points=10)
    rows = train(cfg, None, setup=make_setup(cfg, NET, x, labels, theta0=theta0)).rows
    for row in rows:
        inputs = {"step": row["step"], "eta": cfg.eta}
        assert_close(
            "RP - Theorem 2 rhs",
            row["rp"],
            row["theorem2_rhs"],
            atol=1e-10,
            claim="Theorem 2 (4.2)",
            inputs=inputs,
        )
        assert row["theorem2_err"] <= 1e-8, row
        if row["step"] % 3 == 0:
            assert len(row["tau_smoothness"]) == 10
            assert_close(
                "L(tau=1)",
                row["tau_smoothness"][-1],
                row["dir_smoothness"],
                rtol=1e-10,
                claim="Definition 2 / Experiment 5 grid",
                inputs=inputs,
            )
        else:
            assert row["tau_smoothness"] is None


def test_tau_smoothness_small_tau_tends_to_curvature():
    """L(theta; eta tau g) -> g^T H g / |g|^2 as tau -> 0 (Corollary 1's limit in Sec. 4.4).

    First order in tau: the difference is O(eta tau); with eta tau = 1e-6 we allow 1e-4
    relative.
    """
    x, labels, theta = tiny_data()
    cost = FullBatchCost(NET, x, labels, labels, "ce")
    g = cost.grad(theta)
    curv = float(g @ cost.hvp_operator(theta)(g)) / float(g @ g)
    val = tau_smoothness(cost, theta, g, 1e-6, [1.0])[0]
    assert_close("L(theta; tiny step)", val, curv, rtol=1e-4, claim="Section 4.4 limit")


def test_divergence_is_an_outcome():
    """A linear net with a huge step diverges: outcome 'diverged', rows and summary kept."""
    x, labels, _ = tiny_data()
    net = FlatMLP((3, 4, 2), "none")
    cfg = tiny_config(activation="none", eta=50.0, max_steps=200)
    res = train(
        cfg, None, setup=make_setup(cfg, net, x, labels, theta0=init_params(net, seed=2).double())
    )
    assert res.summary["outcome"] == "diverged", res.summary
    assert 0 < res.summary["steps"] < 200 and len(res.rows) == res.summary["steps"]


def test_sgd_estimates_against_exact_enumeration():
    """Monte Carlo E[RP] (Def. 3) and (5.1) against eos_theory's exact enumeration.

    n=5, b=2 (10 minibatches); 400 seeded samples. The check allows 4 standard errors
    (two-sided probability ~6e-5 for a fixed seed, i.e. deterministic here). With b = n
    every sample is the full gradient, so E[RP] = RP exactly with standard error 0.
    """
    x, labels, theta = tiny_data()
    cost = FullBatchCost(NET, x, labels, labels, "ce")
    eta = 0.8
    est = sgd_relative_progress(
        cost, theta, eta, 2, samples=400, generator=torch.Generator().manual_seed(0)
    )
    xs, ls = x.numpy(), labels.numpy()
    fs = [numpy_cost(xs[i : i + 1], ls[i : i + 1]) for i in range(5)]
    th = theta.numpy()
    exact_rp = expected_relative_progress(fs, th, eta, 2)
    exact_rhs = relation51_rhs(fs, th, eta, 2)
    inputs = {"eta": eta, "b": 2, "samples": 400, "seed": 0}
    assert_close(
        "E[RP] (Monte Carlo)",
        est["rp"],
        exact_rp,
        atol=4 * est["rp_se"],
        claim="Definition 3",
        inputs=inputs,
    )
    assert_close(
        "(5.1) rhs (Monte Carlo)",
        est["rhs51"],
        exact_rhs,
        atol=4 * est["rhs51_se"],
        claim="(5.1)",
        inputs=inputs,
    )
    full = sgd_relative_progress(
        cost, theta, eta, 5, samples=3, generator=torch.Generator().manual_seed(0)
    )
    f = numpy_cost(xs, ls)
    from eos_theory import relative_progress

    assert_close(
        "E[RP] with b=n",
        full["rp"],
        relative_progress(f, th, eta),
        rtol=1e-10,
        claim="Definition 3 reduces to Definition 1",
        inputs=inputs,
    )
    assert full["rp_se"] < 1e-12


def test_sgd_samples_until_the_paired_se_target():
    """Issue 14, item 4: with se_target the Monte Carlo of (5.1) draws blocks of minibatches
    until the paired standard error of LHS - RHS is at most the target (or the cap), and the
    paired difference agrees with the exact enumeration of all C(5, 2) minibatches within 4
    of its standard errors. Without a target it draws exactly `samples`."""
    x, labels, theta = tiny_data()
    cost = FullBatchCost(NET, x, labels, labels, "ce")
    eta, target = 0.8, 0.05  # per-sample sd of LHS - RHS is about 0.94 here: ~350 draws
    gen = torch.Generator().manual_seed(0)
    est = sgd_relative_progress(
        cost, theta, eta, 2, samples=2000, block=16, generator=gen, se_target=target
    )
    n = est["samples"]
    inputs = {"eta": eta, "b": 2, "se_target": target, "block": 16, "samples drawn": n}
    assert est["rp_minus_rhs51_se"] <= target and n % 16 == 0 and 16 <= n < 2000, inputs
    xs, ls = x.numpy(), labels.numpy()
    fs = [numpy_cost(xs[i : i + 1], ls[i : i + 1]) for i in range(5)]
    th = theta.numpy()
    exact = expected_relative_progress(fs, th, eta, 2) - relation51_rhs(fs, th, eta, 2)
    assert_close("E[RP] - (5.1) rhs (paired Monte Carlo)", est["rp_minus_rhs51"], exact,
                 atol=4 * est["rp_minus_rhs51_se"], claim="(5.1)", inputs=inputs)  # fmt: skip
    fixed = sgd_relative_progress(cost, theta, eta, 2, samples=7,
                                  generator=torch.Generator().manual_seed(0))  # fmt: skip
    assert fixed["samples"] == 7
    capped = sgd_relative_progress(cost, theta, eta, 2, samples=20, block=16, se_target=1e-9,
                                   generator=torch.Generator().manual_seed(0))  # fmt: skip
    assert capped["samples"] == 20, capped


def _interrupt_at(step: int):
    def cb(row):
        if row["step"] == step:
            raise KeyboardInterrupt

    return cb


@pytest.mark.parametrize("opt", ["gd", "sgd"])
def test_resume_reproduces_trajectory(tmp_path, opt):
    """An interrupted run, re-run with the same config, ends with the same rows as an
    uninterrupted run (bitwise, deterministic CPU), and a finished run is not repeated.
    """
    kw = dict(dataset="synthetic", n=64, width=8, eta=0.05, acc_target=1.0)
    cfg = (
        RunConfig(**kw, max_steps=23, checkpoint_every=5, eig_every=4)
        if opt == "gd"
        else RunConfig(**kw, opt="sgd", batch_size=16, epochs=5, rp_samples=4, eig_every=2)
    )
    full = train(cfg, tmp_path / "full")
    with pytest.raises(KeyboardInterrupt):
        train(cfg, tmp_path / "cut", on_step=_interrupt_at(17 if opt == "gd" else 3))
    assert not (tmp_path / "cut" / "summary.json").exists()
    resumed = train(cfg, tmp_path / "cut")
    rows_full = read_rows(tmp_path / "full" / "steps.jsonl")
    rows_cut = read_rows(tmp_path / "cut" / "steps.jsonl")
    assert rows_cut == rows_full and resumed.rows == full.rows
    assert json.loads((tmp_path / "cut" / "config.json").read_text())["resumed_at_step"] in (15, 3)
    again = train(cfg, tmp_path / "cut", on_step=_interrupt_at(0))  # finished: no work
    assert again.summary["steps"] == full.summary["steps"]
    with pytest.raises(ValueError, match="different configuration"):
        train(RunConfig(**{**kw, "eta": 0.1}, max_steps=3), tmp_path / "full")


def test_eos_run_synthetic_writes_files(tmp_path, capsys):
    """``eos run`` on synthetic data writes config/steps/summary with the required fields."""
    out = tmp_path / "run"
    code = run_main(
        [
            "--dataset",
            "synthetic",
            "--n",
            "50",
            "--width",
            "8",
            "--eta",
            "1/10",
            "--max-steps",
            "6",
            "--eig-every",
            "3",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    cfg = json.loads((out / "config.json").read_text())
    assert cfg["config"]["eta"] == 0.1 and cfg["dtype"] == "float32" and cfg["tf32"] is False
    assert {"versions", "device", "data", "model"} <= set(cfg)
    rows = read_rows(out / "steps.jsonl")
    need = {"step", "loss", "acc", "grad_norm", "rp", "dir_smoothness", "sharpness"}
    assert rows and all(need <= set(r) for r in rows)
    assert [r["sharpness"] is not None for r in rows] == [s % 3 == 0 for s in range(len(rows))]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["outcome"] in {"reached-target", "diverged", "max-steps"}
    assert {"steps", "wall_time_s", "time_per_step_s"} <= set(summary)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--eta", "0"], "eta must be finite and > 0"),
        (["--eta=-2/30"], "eta must be finite and > 0"),
        (["--eta", "1", "--activation", "sigmoid"], "activation must be one of"),
        (["--eta", "1/0"], "eta must be a number"),
    ],
)
def test_eos_run_bad_options_fail_before_work(tmp_path, capsys, args, message):
    """Bad options exit with status 2 and a message, and create no output folder."""
    with pytest.raises(SystemExit) as exc:
        run_main([*args, "--out", str(tmp_path / "x")])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_eos_run_n_larger_than_data(tmp_path, capsys, cifar10_root):
    """n larger than the CIFAR files present fails before training, naming n."""
    code = run_main(
        [
            "--eta",
            "1",
            "--n",
            "60000",
            "--data-root",
            str(cifar10_root),
            "--out",
            str(tmp_path / "x"),
        ]
    )
    assert code == 2 and "n=60000 is larger" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


@pytest.mark.slow
def test_short_cifar_run(tmp_path, cifar10_root):
    """A short CPU GD run on the shared subset (n=1000): files, fields, finite values."""
    cfg = RunConfig(
        n=1000,
        data_root=str(cifar10_root),
        eta=2 / 30,
        max_steps=10,
        eig_every=5,
        quad_every=5,
        quad_nodes=4,
    )
    res = train(cfg, tmp_path / "c")
    cfg_json = json.loads((tmp_path / "c" / "config.json").read_text())
    assert cfg_json["data"]["statistics_rows"] == 5085 and cfg_json["data"]["n"] == 1000
    rows = read_rows(tmp_path / "c" / "steps.jsonl")
    assert len(rows) == 10 and res.summary["outcome"] == "max-steps"
    assert all(math.isfinite(r["rp"]) and math.isfinite(r["dir_smoothness"]) for r in rows)
    assert rows[0]["sharpness"] > 0 and rows[5]["sharpness"] > 0
