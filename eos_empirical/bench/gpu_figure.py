r"""Figure 5 of ``eos bench`` (a GPU only): steps/s, TFLOP/s, Experiment 3's wall time.

Steps per second and achieved TFLOP/s of a GD step against the matrix-product FLOPs the
step actually computes (:func:`gd_step_flops`: forward, weight gradients, and the input
gradients of every layer but the first, which backpropagation never forms:
:math:`2n(3W - W_1)` for weights :math:`W = \sum_l W_l`, about 1.45× less than the
textbook :math:`6nW` on this net) and the device's float32 peak (engine and a
``torch.compile`` prototype), and the wall time of
Experiment 3 (tanh, η = 2/60, sharpness every 20 steps, to 95% train accuracy).
"""

from __future__ import annotations

import tempfile
import time
from typing import Any

import torch
import torch.nn.functional as F

from eos_empirical.bench.gd_step_figure import GD_ETA
from eos_empirical.bench.timing import _sync, interleave, spread
from eos_empirical.bench.workload import Workload
from eos_empirical.config import RunConfig
from eos_empirical.train import make_setup, train_gd

#: Weights of each layer of the Cohen et al. net that enter matrix products (no biases).
LAYER_WEIGHTS = (3072 * 200, 200 * 200, 200 * 10)
#: Their total.
MATMUL_WEIGHTS = sum(LAYER_WEIGHTS)


def gd_step_flops(n: int, layer_weights: tuple[int, ...] = LAYER_WEIGHTS) -> float:
    r"""Matrix-product FLOPs of one full-batch gradient on ``n`` examples, as computed.

    Per layer :math:`l` with :math:`W_l` weights: forward :math:`2nW_l`, weight gradient
    :math:`2nW_l`, input gradient :math:`2nW_l` for every layer but the first (the
    gradient with respect to the data is never formed). Total :math:`2n(3W - W_1)`.

    >>> round(6 * 1000 * MATMUL_WEIGHTS / gd_step_flops(1000), 3)
    1.453
    """
    total = sum(layer_weights)
    return 2.0 * n * (3 * total - layer_weights[0])


#: Float32 non-tensor-core peaks (FLOP/s) from NVIDIA's data sheets, by name fragment.
GPU_FP32_PEAK = (
    ("H100 PCIe", 51.2e12),
    ("H100", 66.9e12),
    ("H200", 66.9e12),
    ("A100", 19.5e12),
    ("L40S", 91.6e12),
    ("A10", 31.2e12),
    ("V100", 15.7e12),
)


def gpu_peak(name: str) -> float | None:
    """Float32 (non-tensor-core) peak FLOP/s of a GPU by name, from ``GPU_FP32_PEAK``.

    >>> gpu_peak("NVIDIA H100 80GB HBM3") / 1e12
    66.9
    """
    for fragment, peak in GPU_FP32_PEAK:
        if fragment in name:
            return peak
    return None


def gpu_figure(w: Workload, gd: dict[str, Any], *, quick: bool) -> dict[str, Any]:
    """Steps/s, achieved TFLOP/s (engine and a ``torch.compile`` prototype), Experiment 3."""
    name = torch.cuda.get_device_name(w.device)
    flops = gd_step_flops(w.n)
    peak = gpu_peak(name)
    step = gd["engine_step_s"]["median"]
    out: dict[str, Any] = {
        "device_name": name,
        "fp32_peak_flops": peak,
        "flops_per_step": flops,
        "flops_count": "2n(3W - W_1): forward, weight and input gradients (not the first "
        "layer's input gradient); the textbook 6nW overstates by 1.45x",
        "engine_steps_per_s": 1.0 / step,
        "engine_tflops": flops / step / 1e12,
        "engine_fraction_of_peak": None if peak is None else flops / step / peak,
    }
    try:
        out["compiled"] = _compiled_step(w, flops, peak)
    except Exception as exc:
        out["compiled"] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    if not quick:
        out["experiment3"] = _experiment3(w)
    return out


def _compiled_step(w: Workload, flops: float, peak: float | None) -> dict[str, Any]:
    """Prototype: one fused ``torch.compile``'d full-batch GD step on the flat vector."""
    cost = w.cost

    def loss(th: torch.Tensor) -> torch.Tensor:
        return F.cross_entropy(cost.net.forward(th, cost.x), cost.targets)

    grad = torch.func.grad(loss)

    @torch.compile(mode="max-autotune-no-cudagraphs")
    def step(th: torch.Tensor) -> torch.Tensor:
        return th - GD_ETA * grad(th)

    th = w.theta.clone()
    for _ in range(3):
        th = step(th)
    times = interleave({"compiled": lambda: step(th)}, repeats=20, sync=_sync(w.device))
    t = spread(times["compiled"])["median"]
    return {
        "step_s": t,
        "tflops": flops / t / 1e12,
        "fraction_of_peak": None if peak is None else flops / t / peak,
    }


def _experiment3(w: Workload) -> dict[str, Any]:
    config = RunConfig(
        dataset=w.dataset,
        n=w.n,
        activation="tanh",
        loss="ce",
        eta=2 / 60,
        eig_every=20,
        acc_target=0.95,
        max_steps=100_000,
        dtype="float32",
        device=str(w.device),
    )
    setup = make_setup(config, w.net, w.x, w.labels, theta0=w.theta.float(), stats=w.data_stats)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        summary = train_gd(config, out, setup=setup).summary
    return {
        "seconds": time.perf_counter() - start,
        "outcome": summary["outcome"],
        "steps": summary["steps"],
        "dataset": w.dataset,
        "config": "tanh, CE, eta=2/60, sharpness every 20 steps, to 95% train accuracy",
    }
