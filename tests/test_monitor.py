"""eos_empirical.Monitor (issue 15, items 2, 3 and 5): any module, any torch.optim optimizer.

Claims checked: RP_u, L(theta; u) and the exact identity for any update (issue 15 item 1,
Theorem 2 for u = eta grad f, Section 6) against eos_theory on tiny float64 models; the
preconditioned sharpness of Cohen et al. 2022 against a dense eigendecomposition; the batch
sharpness of Andreyev & Beneventano 2024 against exact enumeration of the minibatches; a CNN
with BatchNorm and user-defined modules (weight sharing); the GD engine's RP and L for plain
SGD; the null RP with its reason when <grad f, u> <= 0; bad input; the run folder.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from autograd import grad
from torch import nn
from torch.func import functional_call

from eos_empirical import Monitor
from eos_empirical.batch_sharpness import batch_sharpness
from eos_empirical.config import RunConfig
from eos_empirical.models import FlatMLP, init_params
from eos_empirical.module_cost import ModuleCost
from eos_empirical.preconditioning import stability_threshold
from eos_empirical.runlog import MONITOR_ROW, F, load_run
from eos_empirical.train import make_setup, train
from eos_theory.smoothness import directional_smoothness
from eos_theory.testing import assert_close
from eos_theory.updates import (
    update_identity_quadrature,
    update_relation43_rhs,
    update_relative_progress,
)
from tests.test_empirical_engine import numpy_cost  # the same tiny MLP's cost

ROOT = Path(__file__).resolve().parents[1]
D64 = torch.float64


# --- tiny models and independent evaluations ------------------------------------------------


def tiny_data(n: int = 5, seed: int = 5):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 3, generator=gen, dtype=D64)
    labels = torch.tensor([0, 1, 1, 0, 1, 0, 1, 1][:n])
    return x, labels


def tiny_mlp(seed: int = 2) -> nn.Sequential:
    """The engine's FlatMLP((3, 4, 2), "tanh") as an nn.Module, same initial weights."""
    theta = init_params(FlatMLP((3, 4, 2), "tanh"), seed=seed).double()
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).double()
    with torch.no_grad():
        torch.nn.utils.vector_to_parameters(theta, model.parameters())
    return model


def flat_params(model: nn.Module) -> torch.Tensor:
    return torch.nn.utils.parameters_to_vector(model.parameters()).detach().clone()


def run_monitor(mon: Monitor, steps: int):
    """Rows and the iterates theta_0 .. theta_steps (flat) of ``steps`` monitored steps."""
    thetas, rows = [flat_params(mon.model)], []
    for _ in range(steps):
        rows.append(mon.step())
        thetas.append(flat_params(mon.model))
    return rows, thetas


def independent_f_and_grad(model: nn.Module, loss_fn, x, y):
    """f and grad f at a flat theta by a deep copy of the module called plainly (own
    forward, own autograd), not through the Monitor's functional evaluation."""
    twin = copy.deepcopy(model)

    def at(theta: torch.Tensor):
        with torch.no_grad():
            torch.nn.utils.vector_to_parameters(theta, twin.parameters())
        twin.zero_grad()
        loss = loss_fn(twin(x), y)
        loss.backward()
        grad = torch.cat([p.grad.reshape(-1) for p in twin.parameters()])
        return float(loss.detach()), grad.detach().clone()

    return at


def dense_hessian(model: nn.Module, loss_fn, x, y, theta: torch.Tensor) -> torch.Tensor:
    """The Hessian of f at the flat theta by torch.autograd.functional.hessian (train-mode
    statistics on a copy of the buffers)."""
    names = [k for k, _ in model.named_parameters()]
    shapes = [p.shape for p in model.parameters()]
    sizes = [p.numel() for p in model.parameters()]

    def f(vec):
        params = {k: v.view(s) for k, v, s in zip(names, vec.split(sizes), shapes, strict=True)}
        buffers = {k: b.clone() for k, b in model.named_buffers()}
        return loss_fn(functional_call(model, (params, buffers), (x,)), y)

    return torch.autograd.functional.hessian(f, theta.clone())


def small_cnn(bn: bool) -> nn.Sequential:
    torch.manual_seed(3)
    layers = [nn.Conv2d(1, 2, 3)]
    layers += [nn.BatchNorm2d(2)] if bn else []
    layers += [nn.ReLU() if bn else nn.Tanh(), nn.Flatten(), nn.Linear(2 * 3 * 3, 2)]
    return nn.Sequential(*layers).double()


def image_data(n: int = 8):
    gen = torch.Generator().manual_seed(7)
    return torch.randn(n, 1, 5, 5, generator=gen, dtype=D64), torch.arange(n) % 2


CE = nn.functional.cross_entropy


# --- 1. against eos_theory -------------------------------------------------------------------


@pytest.mark.parametrize(
    "make_opt",
    [
        pytest.param(lambda p: torch.optim.SGD(p, lr=0.5, momentum=0.9), id="heavy-ball"),
        pytest.param(lambda p: torch.optim.SGD(p, lr=0.3, momentum=0.5, nesterov=True), id="nag"),
        pytest.param(lambda p: torch.optim.Adam(p, lr=0.05), id="adam"),
        pytest.param(lambda p: torch.optim.RMSprop(p, lr=0.01), id="rmsprop"),
    ],
)
def test_rp_l_and_identity_match_eos_theory(make_opt):
    """issue 15 item 1 / Theorem 2 for any update (Section 6): on a tiny float64 tanh net,
    the Monitor's rp equals (f(theta_{t+1}) - f(theta_t))/grad_dot_update to 1e-8, and rp,
    dir_smoothness and relation43_rhs equal eos_theory's RP_u, L(theta; u) and the (4.3)
    analogue (autograd.numpy on the same cost, same theta_t and u_t) to 1e-9, and RP_u equals
    the exact identity -1 + (|u|^2/<grad f, u>) int_0^1 tau L(theta; tau u) dtau to 1e-9."""
    x, labels = tiny_data()
    model = tiny_mlp()
    mon = Monitor(model, CE, (x, labels), optimizer=make_opt(model.parameters()))
    rows, thetas = run_monitor(mon, 8)
    f = numpy_cost(x.numpy(), labels.numpy())
    checked = 0
    for t, row in enumerate(rows):
        theta, u = thetas[t].numpy(), (thetas[t] - thetas[t + 1]).numpy()
        inputs = {"step": t, "optimizer": type(mon.optimizer).__name__}
        assert_close("loss", row[F.LOSS], f(theta), rtol=1e-12, claim="f", inputs=inputs)
        assert_close(
            "grad_dot_update",
            row[F.GRAD_DOT_UPDATE],
            float(np.dot(grad(f)(theta), u)),
            rtol=1e-9,
            atol=1e-15,
            claim="issue 15: <grad f(theta_t), u_t>",
            inputs=inputs,
        )
        if row[F.RP] is None:
            assert row[F.GRAD_DOT_UPDATE] <= 0 and row[F.RP_NULL_REASON]
            continue
        checked += 1
        by_def = (f(theta - u) - f(theta)) / row[F.GRAD_DOT_UPDATE]
        claim = "issue 15 item 1: RP_u = (f(theta - u) - f(theta))/<grad f, u>"
        assert_close("rp", row[F.RP], by_def, rtol=1e-8, atol=1e-12, claim=claim, inputs=inputs)
        assert_close(
            "rp",
            row[F.RP],
            update_relative_progress(f, theta, u),
            rtol=1e-9,
            atol=1e-12,
            claim=claim + " (eos_theory.updates)",
            inputs=inputs,
        )
        assert_close(
            "dir_smoothness",
            row[F.DIR_SMOOTHNESS],
            directional_smoothness(f, theta, u),
            rtol=1e-9,
            atol=1e-12,
            claim="Definition 2: L(theta_t; u_t)",
            inputs=inputs,
        )
        quad = update_identity_quadrature(f, theta, u)
        assert_close(
            "rp",
            row[F.RP],
            quad.value,
            atol=1e-9,
            claim="Theorem 2 for any update: the exact identity (quadrature)",
            inputs={**inputs, "quad_abserr": quad.abserr},
        )
        assert_close(
            "relation43_rhs",
            row[F.RELATION43_RHS],
            update_relation43_rhs(f, theta, u),
            rtol=1e-9,
            atol=1e-12,
            claim="(4.3) analogue for any update",
            inputs=inputs,
        )
    assert checked >= 4, f"only {checked} of {len(rows)} steps descended"


def test_plain_sgd_rows_equal_the_gd_engine():
    """Definitions 1-2 (GD): for torch.optim.SGD without momentum the Monitor's loss, rp
    and dir_smoothness equal the GD engine's (eos_empirical.train, same tiny net, data,
    initial weights and eta) to 1e-9 in float64, and stability_threshold is 2/eta."""
    x, labels = tiny_data()
    cfg = RunConfig(
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
    net = FlatMLP((3, 4, 2), "tanh")
    engine = train(cfg, None, setup=make_setup(cfg, net, x, labels, theta0=flat_params(tiny_mlp())))
    model = tiny_mlp()
    mon = Monitor(model, CE, (x, labels), optimizer=torch.optim.SGD(model.parameters(), lr=0.5))
    rows = [mon.step() for _ in range(len(engine.rows))]
    assert len(rows) == cfg.max_steps
    for key in (F.LOSS, F.RP, F.DIR_SMOOTHNESS):
        assert_close(
            key,
            [r[key] for r in rows],
            [r[key] for r in engine.rows],
            rtol=1e-9,
            atol=1e-12,
            claim="Definitions 1-2: Monitor (SGD, no momentum) vs the GD engine",
            inputs={"eta": 0.5, "seed": 2},
        )
    assert_close("stability_threshold", rows[0][F.STABILITY_THRESHOLD], 4.0, rtol=1e-15)


# --- 2. preconditioned sharpness ---------------------------------------------------------------


def _adam_p(opt: torch.optim.Adam, params) -> torch.Tensor:
    """Cohen et al. 2022's P for Adam by hand: (1 - b1^t)(sqrt(v/(1 - b2^t)) + eps)."""
    (b1, b2), eps = opt.param_groups[0]["betas"], opt.param_groups[0]["eps"]
    parts = []
    for p in params:
        st = opt.state[p]
        t = int(st["step"])
        parts.append(((1 - b1**t) * ((st["exp_avg_sq"] / (1 - b2**t)).sqrt() + eps)).reshape(-1))
    return torch.cat(parts)


def _rmsprop_p(opt: torch.optim.RMSprop, params) -> torch.Tensor:
    """RMSprop's P by hand: sqrt(square_avg - grad_avg^2) + eps (centered)."""
    eps = opt.param_groups[0]["eps"]
    st = [opt.state[p] for p in params]
    return torch.cat(
        [((s["square_avg"] - s["grad_avg"] ** 2).sqrt() + eps).reshape(-1) for s in st]
    )


@pytest.mark.parametrize("kind", ["adam", "rmsprop-centered-momentum"])
def test_preconditioned_sharpness_matches_dense(kind):
    """Cohen et al. 2022: preconditioned_sharpness = lambda_max(P^{-1/2} H P^{-1/2}) with P
    formed by hand from the optimizer's state after the step (Adam: bias corrections
    included) and H the dense Hessian at theta_t (torch.autograd.functional.hessian), by
    eigvalsh, to 1e-8 relative; sharpness = lambda_max(H) likewise; the threshold is
    38/eta for Adam at beta1 = 0.9 and (2 + 2 beta)/eta for RMSprop with momentum beta."""
    x, labels = tiny_data()
    model = tiny_mlp()
    if kind == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=0.02)
        hand, threshold = _adam_p, 38 / 0.02
    else:
        opt = torch.optim.RMSprop(model.parameters(), lr=0.01, momentum=0.5, centered=True)
        hand, threshold = _rmsprop_p, 3.0 / 0.01
    mon = Monitor(
        model, CE, (x, labels), optimizer=opt, sharpness_every=2, eig_tol=1e-11, eig_max_iter=26
    )
    for t in range(5):
        theta = flat_params(model)
        row = mon.step()
        inputs = {"step": t, "optimizer": kind}
        if t % 2:
            assert row[F.SHARPNESS] is None and row[F.PRECONDITIONED_SHARPNESS] is None
            continue
        h = dense_hessian(model, CE, x, labels, theta)
        s = hand(opt, list(model.parameters())).rsqrt()
        expected_p = float(torch.linalg.eigvalsh(s[:, None] * h * s[None, :]).max())
        expected = float(torch.linalg.eigvalsh(h).max())
        claim = "Cohen et al. 2022: lambda_max(P^-1/2 H P^-1/2), dense eigvalsh"
        assert_close(
            "preconditioned_sharpness",
            row[F.PRECONDITIONED_SHARPNESS],
            expected_p,
            rtol=1e-8,
            claim=claim,
            inputs=inputs,
        )
        assert_close("sharpness", row[F.SHARPNESS], expected, rtol=1e-8, claim="lambda_max(H)")
        assert_close(
            "stability_threshold",
            row[F.STABILITY_THRESHOLD],
            threshold,
            rtol=1e-12,
            claim="Cohen et al. 2022 threshold",
            inputs=inputs,
        )
        assert row[F.STABILITY_THRESHOLD_OF] == "preconditioned_sharpness"
        assert "Cohen et al. 2022" in row[F.STABILITY_THRESHOLD_SOURCE]


@pytest.mark.parametrize(
    ("make_opt", "expected"),
    [
        (lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9), 3.8 / 0.1),
        (lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.5, nesterov=True), 3.0 / (2.0 * 0.1)),
        (lambda p: torch.optim.AdamW(p, lr=0.1, betas=(0.8, 0.999)), 3.6 / (0.2 * 0.1)),
        (lambda p: torch.optim.RMSprop(p, lr=0.1), 2.0 / 0.1),
    ],
    ids=["heavy-ball", "nesterov", "adamw", "rmsprop"],
)
def test_stability_thresholds(make_opt, expected):
    """Cohen et al. 2022, Table 1 and Section 2: the threshold of heavy ball (2 + 2b)/eta,
    Nesterov (2 + 2b)/((1 + 2b) eta), Adam/AdamW (2 + 2 b1)/((1 - b1) eta), RMSprop 2/eta,
    each row naming its source."""
    x, labels = tiny_data()
    model = tiny_mlp()
    row = Monitor(model, CE, (x, labels), optimizer=make_opt(model.parameters())).step()
    assert_close(
        "stability_threshold", row[F.STABILITY_THRESHOLD], expected, rtol=1e-12, claim="Table 1"
    )
    assert row[F.STABILITY_THRESHOLD_SOURCE]


# --- 3. batch sharpness ------------------------------------------------------------------------


def test_batch_sharpness_against_exact_enumeration():
    """Andreyev & Beneventano 2024: batch sharpness E_B[g_B^T H_B g_B/|g_B|^2] over every
    minibatch of size 2 of 6 examples, by the library (exact mode) and by dense per-batch
    Hessians, agree to 1e-10; the seeded Monte Carlo estimate (400 draws) lies within 4
    standard errors of the exact value; the Monitor logs it beside lambda_max."""
    x, labels = tiny_data(6)
    model = tiny_mlp()
    names = [k for k, _ in model.named_parameters()]
    cost = ModuleCost(model, CE, x, labels, names)
    theta = flat_params(model)
    subsets = [torch.tensor(s) for s in itertools.combinations(range(6), 2)]
    dense = []
    for idx in subsets:
        h = dense_hessian(model, CE, x[idx], labels[idx], theta)
        g = independent_f_and_grad(model, CE, x[idx], labels[idx])(theta)[1]
        dense.append(float(g @ h @ g / (g @ g)))
    exact = float(np.mean(dense))
    got = batch_sharpness(cost, theta, {}, 2, batches=subsets)
    claim = "Andreyev & Beneventano 2024: batch sharpness, exact enumeration"
    assert_close("batch_sharpness", got.value, exact, rtol=1e-10, claim=claim)
    mc = batch_sharpness(
        cost, theta, {}, 2, samples=400, generator=torch.Generator().manual_seed(1)
    )
    assert_close(
        "batch_sharpness (Monte Carlo)",
        mc.value,
        exact,
        atol=4 * mc.se,
        claim=claim + ", 4 standard errors",
        inputs={"samples": 400, "seed": 1, "se": mc.se},
    )
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    mon = Monitor(
        model,
        CE,
        (x, labels),
        optimizer=opt,
        sharpness_every=1,
        batch_sharpness_every=1,
        batch_size=2,
        batch_samples=8,
    )
    row = mon.step()
    assert row[F.SHARPNESS] is not None and row[F.BATCH_SHARPNESS_SAMPLES] == 8
    assert row[F.BATCH_SHARPNESS_SE] > 0


# --- 4. BatchNorm and user-defined modules -----------------------------------------------------


def test_cnn_with_batchnorm():
    """issue 15 item 2 (buffers): a float64 CNN with BatchNorm in train mode (full-batch
    statistics): rp equals (f(theta_{t+1}) - f(theta_t))/<grad f(theta_t), u_t> with f and
    grad f from an independent plain forward/backward of a copy of the module, to 1e-8;
    the sharpness equals the dense Hessian's lambda_max to 1e-8; and parameters and running
    statistics end exactly as in the same plain loop without the Monitor."""
    x, y = image_data()
    model, plain = small_cnn(bn=True), small_cnn(bn=True)
    opt = torch.optim.SGD(model.parameters(), lr=0.2, momentum=0.5)
    plain_opt = torch.optim.SGD(plain.parameters(), lr=0.2, momentum=0.5)
    at = independent_f_and_grad(model, CE, x, y)
    mon = Monitor(
        model, CE, (x, y), optimizer=opt, sharpness_every=3, eig_tol=1e-11, eig_max_iter=62
    )
    for t in range(6):
        theta = flat_params(model)
        f0, g0 = at(theta)
        row = mon.step()
        f1, _ = at(flat_params(model))
        u = theta - flat_params(model)
        inputs = {"step": t}
        assert_close("grad_dot_update", row[F.GRAD_DOT_UPDATE], float(g0 @ u), rtol=1e-10)
        assert_close(
            "rp",
            row[F.RP],
            (f1 - f0) / float(g0 @ u),
            rtol=1e-8,
            atol=1e-12,
            claim="issue 15: RP_u with BatchNorm (train-mode full-batch statistics)",
            inputs=inputs,
        )
        if t % 3 == 0:
            expected = float(torch.linalg.eigvalsh(dense_hessian(model, CE, x, y, theta)).max())
            assert_close("sharpness", row[F.SHARPNESS], expected, rtol=1e-8, inputs=inputs)
        plain_opt.zero_grad()
        CE(plain(x), y).backward()
        plain_opt.step()
    for (k, a), b in zip(model.state_dict().items(), plain.state_dict().values(), strict=True):
        assert_close(k, a.double().numpy(), b.double().numpy(), rtol=1e-12, atol=1e-14)


class SharedWeight(nn.Module):
    """A user-defined module: one parameter used twice, and two attributes holding one Linear."""

    def __init__(self) -> None:
        super().__init__()
        gen = torch.Generator().manual_seed(4)
        self.w = nn.Parameter(0.5 * torch.randn(3, 3, generator=gen, dtype=D64))
        self.a = nn.Linear(3, 3).double()
        self.b = self.a

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """b(tanh(a(tanh(x w^T))) w^T): w enters twice, a and b are one layer."""
        return self.b(torch.tanh(self.a(torch.tanh(x @ self.w.T))) @ self.w.T)


def test_user_module_with_shared_parameters():
    """issue 15 item 2 (any module): a parameter used twice and a tied submodule: rp and
    dir_smoothness equal the definitions evaluated by independent plain autograd of the
    module (RP_u, Definition 2) to 1e-9, under Adam, in float64."""
    x, labels = tiny_data()
    labels = labels % 3
    model = SharedWeight()
    assert len(list(model.parameters())) == 3  # w, a.weight, a.bias (b is a)
    at = independent_f_and_grad(model, CE, x, labels)
    mon = Monitor(model, CE, (x, labels), optimizer=torch.optim.Adam(model.parameters(), lr=0.01))
    for t in range(5):
        theta = flat_params(model)
        f0, g0 = at(theta)
        row = mon.step()
        theta1 = flat_params(model)
        f1, g1 = at(theta1)
        u = theta - theta1
        inputs = {"step": t}
        assert_close("rp", row[F.RP], (f1 - f0) / float(g0 @ u), rtol=1e-9, inputs=inputs)
        assert_close(
            "dir_smoothness",
            row[F.DIR_SMOOTHNESS],
            float((g0 - g1) @ u) / float(u @ u),
            rtol=1e-9,
            claim="Definition 2",
            inputs=inputs,
        )


# --- 5. the "done when" -------------------------------------------------------------------


def test_done_when_small_cnn_with_adam():
    """issue 15, done when: the contract runs on a small CNN with torch.optim.Adam in
    float64, rp equals (f(theta_{t+1}) - f(theta_t))/grad_dot_update to 1e-8 (f evaluated
    independently), and stability_threshold = 38/eta (Cohen et al. 2022, beta1 = 0.9)."""
    x, y = image_data()
    model = small_cnn(bn=False)
    at = independent_f_and_grad(model, CE, x, y)
    eta = 0.003
    opt = torch.optim.Adam(model.parameters(), lr=eta)
    mon = Monitor(model, CE, (x, y), optimizer=opt, sharpness_every=5)
    losses, rows = [at(flat_params(model))[0]], []
    for _ in range(10):
        rows.append(mon.step())
        losses.append(at(flat_params(model))[0])
    for t, row in enumerate(rows):
        assert_close(
            "rp",
            row[F.RP],
            (losses[t + 1] - losses[t]) / row[F.GRAD_DOT_UPDATE],
            rtol=1e-8,
            claim="issue 15 done-when: rp = (f(theta_{t+1}) - f(theta_t))/grad_dot_update",
            inputs={"step": t, "eta": eta},
        )
        assert_close("stability_threshold", row[F.STABILITY_THRESHOLD], 38 / eta, rtol=1e-12)
    assert [r[F.PRECONDITIONED_SHARPNESS] is not None for r in rows] == [
        t % 5 == 0 for t in range(10)
    ]


# --- 6. no descent, bad input, the run folder ---------------------------------------------


def test_non_descent_step_gives_null_rp_with_reason():
    """issue 15 item 1: where <grad f, u> <= 0 (here SGD with maximize=True, an ascent
    step) rp and relation43_rhs are None and rp_null_reason says why; no NaN, no exception;
    dir_smoothness is still defined."""
    x, labels = tiny_data()
    model = tiny_mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, maximize=True)
    row = Monitor(model, CE, (x, labels), optimizer=opt).step()
    assert row[F.GRAD_DOT_UPDATE] < 0
    assert row[F.RP] is None and row[F.RELATION43_RHS] is None
    assert "not a descent direction" in row[F.RP_NULL_REASON]
    assert row[F.DIR_SMOOTHNESS] is not None
    json.dumps(row, allow_nan=False)


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"optimizer": "other"}, "optimizer"),
        ({"sharpness_every": -1}, "sharpness_every"),
        ({"data": (np.zeros((5, 3)), np.zeros(5))}, "data"),
        ({"data": (torch.zeros(5, 3),)}, "data"),
        ({"batch_sharpness_every": 2}, "batch_size"),
        ({"model": "not a module"}, "model"),
        ({"loss_fn": 3}, "loss_fn"),
    ],
)
def test_bad_input_names_the_argument(kwargs, argument):
    """issue 15 item 2: bad input is a ValueError naming the argument (an optimizer over
    other tensors, a negative sharpness_every, data that are not tensors, ...)."""
    x, labels = tiny_data()
    model = tiny_mlp()
    base = {"model": model, "loss_fn": CE, "data": (x, labels)}
    base["optimizer"] = torch.optim.SGD(model.parameters(), lr=0.1)
    if kwargs.get("optimizer") == "other":
        kwargs = {"optimizer": torch.optim.SGD(tiny_mlp().parameters(), lr=0.1)}
    args = {**base, **kwargs}
    with pytest.raises(ValueError, match=rf"^{argument}\b"):
        Monitor(args.pop("model"), args.pop("loss_fn"), args.pop("data"), **args)


def test_dropout_in_train_mode_is_refused():
    """issue 15 item 2: f must be a function of theta; active dropout would make it random."""
    model = nn.Sequential(nn.Linear(3, 2), nn.Dropout(0.5)).double()
    x, labels = tiny_data()
    with pytest.raises(ValueError, match=r"^model: dropout"):
        Monitor(model, CE, (x, labels), optimizer=torch.optim.SGD(model.parameters(), lr=0.1))


def test_run_folder_is_read_by_load_run(tmp_path):
    """issue 15 item 2: with an output folder, rows go to steps.jsonl with the fields of
    MONITOR_ROW in its order and types, and load_run reads them (eta, dtype, columns)."""
    x, labels = tiny_data()
    model = tiny_mlp()
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    with Monitor(model, CE, (x, labels), optimizer=opt, sharpness_every=2, out=tmp_path) as mon:
        rows = [mon.step() for _ in range(4)]
    run = load_run(tmp_path)
    assert run.rows == rows and run.eta == 0.01 and run.dtype == "float64"
    assert run.summary is not None and run.summary["steps"] == 4
    for row in run.rows:
        assert list(row) == list(MONITOR_ROW.names)
    assert np.isnan(run.col(F.PRECONDITIONED_SHARPNESS)[1])
    assert np.isfinite(run.col(F.PRECONDITIONED_SHARPNESS)[[0, 2]]).all()
    with pytest.raises(ValueError, match=r"^out"):
        Monitor(model, CE, (x, labels), optimizer=opt, out=tmp_path)


def test_importing_eos_empirical_does_not_import_torch():
    """issue 15 item 2: Monitor is exported lazily; ``import eos_empirical`` loads no torch."""
    code = "import sys, eos_empirical; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "False", out.stderr[-2000:]


def test_docs_snippet_runs():
    """docs/monitor.md: the README section's code (monitoring one's own model and
    optimizer in about ten lines) runs as written."""
    text = (ROOT / "docs" / "monitor.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "docs/monitor.md has no python block"
    namespace: dict[str, object] = {}
    exec(compile(blocks[0], "docs/monitor.md", "exec"), namespace)
    rows = namespace["rows"]
    assert isinstance(rows, list) and rows and rows[0][F.STABILITY_THRESHOLD] is not None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"momentum": 0.0},
        {"momentum": 0.9},
        {"momentum": 0.7, "dampening": 0.3},
        {"momentum": 0.5, "nesterov": True},
    ],
    ids=["gd", "heavy-ball", "dampening", "nesterov"],
)
def test_sgd_thresholds_are_torch_stability_limits(kwargs):
    """Cohen et al. 2022, Table 1 (and the paper's 2/eta): torch.optim.SGD on the quadratic
    f = lambda x^2 / 2 converges for lambda 2% below the reported stability_threshold and
    diverges 2% above it (1000 steps, float64; the slowest of the four crosses 1e-3 or 1e3
    within 177 steps)."""
    eta = 0.1
    probe = nn.Parameter(torch.zeros(1, dtype=D64))
    value = stability_threshold(torch.optim.SGD([probe], lr=eta, **kwargs)).value
    finals = {}
    for factor in (0.98, 1.02):
        x = nn.Parameter(torch.ones(1, dtype=D64))
        opt = torch.optim.SGD([x], lr=eta, **kwargs)
        for _ in range(1000):
            opt.zero_grad()
            (0.5 * factor * value * x**2).sum().backward()
            opt.step()
        finals[factor] = float(x.detach().abs())
    assert finals[0.98] < 1e-3 and finals[1.02] > 1e3, (kwargs, value, finals)
