"""GPU readiness of the engine (issue 16 item 3): host-device synchronizations and devices.

A host-device synchronization stalls the host until the GPU has drained its queue; the
engine's budget is at most one per GD step and one per Lanczos iteration (HVP). They are
counted on the CPU with a ``torch.overrides.TorchFunctionMode`` that sees every call of
``Tensor.item``, ``tolist``, ``cpu``, ``numpy``, ``__float__``, ``__int__`` and ``__bool__``
(the calls that copy a device value to the host; nested calls inside one of them are not
seen twice, since a mode is disabled while its handler runs). The ``meta`` device (shapes,
no data) runs the cost, the HVP and a Lanczos step: a stray CPU tensor mixed into the
device's arithmetic raises there, as it would on a GPU.
"""

from __future__ import annotations

import pytest
import torch
from torch.overrides import TorchFunctionMode

from eos_empirical.config import RunConfig
from eos_empirical.cost import FullBatchCost
from eos_empirical.hessian import lanczos_expand, lanczos_top
from eos_empirical.models import FlatMLP, init_params
from eos_empirical.sharpness_tracking import block_rayleigh_ritz
from eos_empirical.train import make_setup, train_gd
from eos_theory.testing import assert_close

SYNCS = {"item", "tolist", "cpu", "numpy", "__float__", "__int__", "__bool__"}
NET = FlatMLP((6, 5, 3), "tanh")


class SyncCounter(TorchFunctionMode):
    """Counts the tensor calls that copy device values to the host (see module doc)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.names: list[str] = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        name = getattr(func, "__name__", "")
        if name in SYNCS or (name == "to" and _to_cpu(args, kwargs or {})):
            self.count += 1
            self.names.append(name)
        return func(*args, **(kwargs or {}))


def _to_cpu(args, kwargs) -> bool:
    """``.to("cpu")`` written as such: ``.to(like.device)`` is device-agnostic (a no-op on
    the CPU, where this test runs, and no transfer to the host on a GPU), so not counted.
    """
    dev = kwargs.get("device", args[1] if len(args) > 1 else None)
    return isinstance(dev, str) and dev.startswith("cpu")


def tiny(device: str = "cpu", dtype=torch.float64):
    gen = torch.Generator().manual_seed(3)
    x = torch.randn(8, 6, generator=gen, dtype=torch.float64)
    labels = torch.randint(0, 3, (8,), generator=gen)
    theta = init_params(NET, seed=1).to(torch.float64)
    return x.to(device, dtype), labels.to(device), theta.to(device, dtype)


def test_counter_sees_each_kind_of_sync():
    """The counter itself (issue 16 item 3): each listed call counts once, arithmetic not."""
    t = torch.ones(3)
    with SyncCounter() as c:
        (t * 2).sum()
        t.sum().item()
        t.tolist()
        t.cpu()
        float(t.sum())
        bool(t.sum() > 0)
    assert c.count == 5, f"counted {c.count} syncs ({c.names}), expected 5"


def _gd_syncs(steps: int) -> int:
    x, labels, theta0 = tiny()
    cfg = RunConfig(dataset="synthetic", n=8, width=5, depth=1, eta=0.1, max_steps=steps,
                    acc_target=1.0, dtype="float64", checkpoint_every=10_000)  # fmt: skip
    setup = make_setup(cfg, NET, x, labels, theta0=theta0)
    with SyncCounter() as c:
        train_gd(cfg, None, setup=setup)
    return c.count


def test_gd_step_holds_one_sync():
    """Engine GD step (issue 16 item 3): at most 1 host sync per step (no diagnostics).

    Counted as the difference between runs of 20 and 10 steps (the setup's syncs, data
    fingerprint and first evaluation, cancel); budget 1 per step, so <= 10 in total.
    """
    per = (_gd_syncs(20) - _gd_syncs(10)) / 10
    assert per <= 1.0, f"measured {per} syncs per GD step, expected <= 1 (inputs: 10 vs 20 steps)"


def test_lanczos_holds_one_sync_per_iteration():
    """Lanczos (issue 16 item 3): at most one sync per iteration, plus one for the start.

    A 30x30 diagonal with distinct eigenvalues and tol 1e-12 forces many iterations.
    """
    H = torch.diag(torch.linspace(-1.0, 2.0, 30, dtype=torch.float64))
    v0 = torch.ones(30, dtype=torch.float64)
    with SyncCounter() as c:
        r = lanczos_top(lambda v: H @ v, v0, v0=v0, tol=1e-12, max_iter=30)
    assert r.hvps >= 10
    assert c.count <= r.hvps + 1, f"{c.count} syncs ({set(c.names)}) for {r.hvps} HVPs"
    assert_close("lambda_max", r.value, 2.0, atol=1e-10, claim="issue 16 item 3 (Lanczos)")


def test_tracker_solver_holds_one_sync_per_hvp():
    """Tracker solver (issue 16 item 3): one sync per product (one per start block)."""
    H = torch.diag(torch.linspace(-1.0, 2.0, 30, dtype=torch.float64))
    start = [torch.ones(30, dtype=torch.float64), torch.arange(30.0, dtype=torch.float64)]
    with SyncCounter() as c:
        r = block_rayleigh_ritz(lambda v: H @ v, start, tol=1e-10, max_iter=30)
    assert c.count <= r.hvps - 1, f"{c.count} syncs ({set(c.names)}) for {r.hvps} HVPs"


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_cost_hvp_and_lanczos_step_run_on_meta(dtype):
    """Meta device (issue 16 item 3): cost, HVP, Lanczos start and step, tracker's HVP.

    On ``meta`` every tensor is data-free, so an op mixing a CPU tensor into the device's
    arithmetic fails. What cannot run on meta is a value read on the host (``.item()``,
    ``.tolist()``): the loop's one sync per iteration, so :func:`lanczos_expand` (the
    device part of an iteration) is run instead of the whole :func:`lanczos_top`.
    """
    x, labels, theta = tiny("meta", dtype)
    cost = FullBatchCost(NET, x, labels, labels, "ce")
    f, g, acc = cost.value_grad_acc(theta)
    assert f.device.type == g.device.type == acc.device.type == "meta"
    *_, hvp = cost.value_grad_acc_hvp(theta)
    v = torch.ones_like(theta)
    assert hvp(v).device.type == "meta" and hvp(v).shape == theta.shape
    hv_rebuilt = cost.hvp_operator(theta, retain=False)(v)
    assert hv_rebuilt.device.type == "meta"
    gen = torch.Generator().manual_seed(0)
    q = torch.randn(theta.shape, generator=gen, dtype=torch.float64).to(theta)
    w, alpha, beta = lanczos_expand(hvp, [q / q.norm()], 0.0)
    w2, _, _ = lanczos_expand(hvp, [q, w / beta], 1.0)
    assert {t.device.type for t in (w, alpha, beta, w2)} == {"meta"}
