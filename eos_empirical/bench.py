r"""``eos bench``: the engine's costs, measured side by side against their baselines.

Every figure is a RATIO taken in one process, on the same model, data, dtype and device,
with the two measured operations interleaved (A, B, A, B, ...) so that contention from
other processes hits both sides alike; each figure is the median of the per-pair ratios
with its spread (interquartile range and min–max).

Workload: the network of Cohen et al. (2021) used in the paper's Experiments 1–9
(3072 → 200 → 200 → 10, tanh, cross-entropy) on ``n`` = 5000 examples (the real CIFAR-10
files under ``$EOS_CIFAR10_ROOT`` when present, else the seeded synthetic set of the same
shape), at the initialization of seed 0, float32 with TF32 off and float64.

Figures:

1. a GD step of the engine (:func:`eos_empirical.train.train_gd`: f, accuracy,
   :math:`\|\nabla f\|`, RP and :math:`L(\theta;\eta\nabla f)` recorded to
   ``steps.jsonl``) against a plain torch GD step (``nn.Module``, ``loss.backward()``,
   ``p -= eta * p.grad``) on the same model and data; target overhead :math:`\le 5\%`;
2. one Hessian-vector product against one full-batch gradient; target :math:`\le 2.5\times`;
3. :math:`\lambda_{\max}` to :math:`10^{-3}` relative: the engine's Lanczos against
   ``scipy.sparse.linalg.eigsh(which='LA')`` over double-backward HVPs rebuilt for each
   product (the method of Cohen et al.'s code), power iteration (PyHessian's method) and
   the peer libraries (pyhessian, curvlinops-for-pytorch, hessian-eigenthings) when they
   import; wall time, HVP count and the error against a float64 reference converged to a
   relative residual of :math:`10^{-8}`. Targets: at least 2× faster than eigsh, and
   fewer HVPs than power iteration at equal or better accuracy;
4. the theory side: wall time of ``eos verify`` and of the property suite (``ci``
   profile), each in a subprocess;
5. on a GPU only: steps per second, achieved TFLOP/s of a GD step against the float32
   matrix-product count :math:`6n(3072\cdot200 + 200\cdot200 + 200\cdot10)` per step and
   the device's float32 peak, and the wall time of Experiment 3 (tanh, η = 2/60,
   sharpness every 20 steps, to 95% train accuracy).

Writes ``docs/benchmarks.md`` (``--output``) and, with ``--json PATH``, the raw figures.
``--quick`` is the seconds-long CI smoke version (tiny ``n``, few repeats; figures are
not meaningful and no target is judged).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from scipy.linalg import eigh_tridiagonal
from torch import nn

from eos_empirical.config import RunConfig
from eos_empirical.cost import FullBatchCost
from eos_empirical.data import ROOT_ENV, load_dataset
from eos_empirical.hessian import eigsh_top, lanczos_top, power_iteration
from eos_empirical.models import FlatMLP, fc_net, init_params
from eos_empirical.train import make_setup, measurement_numerics, train_gd

#: Weights of the Cohen et al. net that enter matrix products (biases excluded).
MATMUL_WEIGHTS = 3072 * 200 + 200 * 200 + 200 * 10
#: Relative accuracy asked of every eigensolver (the engine's default ``eig_tol``).
EIG_TARGET = 1e-3
#: Reference: Lanczos in float64 to this relative residual. With the Kato–Temple bound
#: (see :mod:`eos_empirical.hessian`) its eigenvalue error is far below the 1e-3 judged.
REF_TOL = 1e-8
#: Step size of the GD-step figure (Experiment 1's 2/30); the cost of a step does not
#: depend on it.
GD_ETA = 2 / 30
#: Targets of the issue (overhead fraction, HVP/gradient, eigsh/Lanczos time, TFLOP
#: fraction, Experiment 3 seconds on an H100).
TARGETS = {
    "gd_overhead": 0.05,
    "hvp_ratio": 2.5,
    "eigsh_speedup": 2.0,
    "gpu_flop_fraction": 0.5,
    "exp3_seconds": 60.0,
}
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
PEERS = ("pyhessian", "curvlinops-for-pytorch", "hessian-eigenthings")


# ---------------------------------------------------------------------------------------
# Timing


def spread(values: list[float]) -> dict[str, Any]:
    """Median, quartiles, min and max of ``values`` (``None`` entries when empty).

    >>> s = spread([1.0, 2.0, 3.0, 10.0])
    >>> s["median"], s["min"], s["max"], s["n"]
    (2.5, 1.0, 10.0, 4)
    """
    vals = sorted(float(v) for v in values if v is not None and math.isfinite(v))
    if not vals:
        return {"median": None, "q1": None, "q3": None, "min": None, "max": None, "n": 0}
    q1, q3 = (float(q) for q in np.percentile(vals, [25, 75]))
    return {
        "median": statistics.median(vals),
        "q1": q1,
        "q3": q3,
        "min": vals[0],
        "max": vals[-1],
        "n": len(vals),
    }


def _log(text: str) -> None:
    print(f"[eos bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def _sync(device: torch.device) -> Callable[[], None]:
    if device.type == "cuda":
        return lambda: torch.cuda.synchronize(device)
    return lambda: None


def interleave(
    ops: dict[str, Callable[[], object]],
    *,
    repeats: int,
    warmup: int = 1,
    sync: Callable[[], None] = lambda: None,
) -> dict[str, list[float]]:
    """Seconds of each op, run in rotation (A, B, ..., A, B, ...) ``warmup + repeats`` times.

    The first ``warmup`` rounds are discarded. ``sync`` waits for the device.

    >>> t = interleave({"a": lambda: None, "b": lambda: None}, repeats=3)
    >>> sorted(t), len(t["a"])
    (['a', 'b'], 3)
    """
    times: dict[str, list[float]] = {name: [] for name in ops}
    for r in range(warmup + repeats):
        for name, op in ops.items():
            sync()
            start = time.perf_counter()
            op()
            sync()
            if r >= warmup:
                times[name].append(time.perf_counter() - start)
    return times


def paired_ratio(num: list[float], den: list[float]) -> dict[str, Any]:
    """Spread of the per-pair ratios ``num[i] / den[i]`` (pairs measured side by side).

    >>> paired_ratio([2.0, 4.0, 3.0], [1.0, 2.0, 1.0])["median"]
    2.0
    """
    return spread([a / b for a, b in zip(num, den, strict=True) if b > 0])


# ---------------------------------------------------------------------------------------
# Workload


@dataclass
class Workload:
    """The benchmark's model, data and parameters on one device and dtype."""

    dataset: str
    n: int
    dtype: torch.dtype
    device: torch.device
    net: FlatMLP
    cost: FullBatchCost
    theta: torch.Tensor
    x: torch.Tensor
    labels: torch.Tensor
    data_stats: dict[str, Any]


def choose_dataset(n: int) -> tuple[str, str | None]:
    """``("cifar10", root)`` when ``$EOS_CIFAR10_ROOT`` holds the files, else synthetic."""
    root = os.environ.get(ROOT_ENV)
    if root and (Path(root) / "cifar-10-batches-py").is_dir():
        return "cifar10", root
    return "synthetic", None


def make_workload(
    *, n: int, dtype: torch.dtype, device: torch.device, seed: int = 0, dataset: str | None = None
) -> Workload:
    """The Cohen et al. net (3072-200-200-10, tanh, CE) on ``n`` examples, at init ``seed``."""
    name, root = (dataset, None) if dataset else choose_dataset(n)
    data = load_dataset(name, n=n, loss="ce", data_root=root, seed=seed)
    net = fc_net(activation="tanh")
    x = torch.as_tensor(data.x).to(device=device, dtype=dtype)
    labels = torch.as_tensor(data.labels).to(device)
    cost = FullBatchCost(net, x, labels, labels, "ce")
    theta = init_params(net, seed=seed).to(device=device, dtype=dtype)
    stats = {k: data.stats[k] for k in ("dataset", "n", "root") if k in data.stats}
    return Workload(name, n, dtype, device, net, cost, theta, x, labels, stats)


def torch_module(net: FlatMLP, theta: torch.Tensor) -> nn.Sequential:
    """The same net as a plain ``nn.Sequential`` holding a copy of ``theta``'s values."""
    act = {"tanh": nn.Tanh, "relu": nn.ReLU, "none": nn.Identity}[net.activation]
    layers: list[nn.Module] = []
    pairs = net.unflatten(theta.detach())
    for j, (w, b) in enumerate(pairs):
        lin = nn.Linear(w.shape[1], w.shape[0], device=theta.device, dtype=theta.dtype)
        with torch.no_grad():
            lin.weight.copy_(w)
            lin.bias.copy_(b)
        layers.append(lin)
        if j < len(pairs) - 1:
            layers.append(act())
    return nn.Sequential(*layers)


def plain_gd_step(model: nn.Module, x: torch.Tensor, y: torch.Tensor, eta: float) -> None:
    """The baseline: one full-batch GD step the textbook way (no diagnostics, no sync)."""
    params = list(model.parameters())
    for p in params:
        p.grad = None
    F.cross_entropy(model(x), y).backward()
    with torch.no_grad():
        for p in params:
            p -= eta * p.grad


# ---------------------------------------------------------------------------------------
# Figure 1: GD step with RP and L vs a plain torch step


def gd_step_figure(w: Workload, *, steps: int, eta: float = GD_ETA) -> dict[str, Any]:
    """Engine GD steps and plain steps, strictly alternating (see the module docstring).

    The engine runs :func:`train_gd` into a temporary folder; its ``on_step`` callback
    times one plain step of an ``nn.Module`` copy, so the timeline is engine step, plain
    step, engine step, ... Engine step ``i`` is the time from the end of callback ``i``
    to the start of callback ``i+1`` (parameter update, value + gradient + accuracy at
    the new point, RP, L, one synchronization, the row written to ``steps.jsonl``).
    """
    sync = _sync(w.device)
    model = torch_module(w.net, w.theta)
    plain: list[float] = []
    engine: list[float] = []
    mark: list[float] = []

    def on_step(row: dict[str, Any]) -> None:
        now = time.perf_counter()
        if mark:
            engine.append(now - mark[0])
        sync()
        start = time.perf_counter()
        plain_gd_step(model, w.x, w.labels, eta)
        sync()
        plain.append(time.perf_counter() - start)
        mark[:] = [time.perf_counter()]

    config = RunConfig(
        dataset=w.dataset,
        n=w.n,
        eta=eta,
        max_steps=steps + 2,
        acc_target=1.0,
        dtype=str(w.dtype).removeprefix("torch."),
        device=str(w.device),
        eig_every=0,
    )
    setup = make_setup(config, w.net, w.x, w.labels, theta0=w.theta, stats=w.data_stats)
    with tempfile.TemporaryDirectory() as out:
        result = train_gd(config, out, on_step=on_step, setup=setup)
    # pair engine step i with the plain step right after it; drop the first pair (warm-up)
    eng, pl = engine[1:], plain[2:]
    ratio = paired_ratio(eng, pl)
    return {
        "engine_step_s": spread(eng),
        "plain_step_s": spread(pl),
        "ratio": ratio,
        "overhead": None if ratio["median"] is None else ratio["median"] - 1.0,
        "pairs": len(eng),
        "eta": eta,
        "outcome": result.summary["outcome"],
        "baseline": "nn.Sequential copy, loss.backward(), p -= eta * p.grad (no logging)",
    }


# ---------------------------------------------------------------------------------------
# Figure 2: one HVP vs one gradient


def fwd_over_rev_hvp(w: Workload) -> Callable[[torch.Tensor], torch.Tensor]:
    r"""Prototype HVP by forward-over-reverse (``torch.func.jvp`` of ``torch.func.grad``).

    :math:`v \mapsto \frac{d}{d\epsilon}\nabla f(\theta + \epsilon v)|_0`: one forward, one
    backward and their tangents; no retained graph.
    """
    cost = w.cost

    def loss(th: torch.Tensor) -> torch.Tensor:
        logits = cost.net.forward(th, cost.x)
        return F.cross_entropy(logits, cost.targets)

    grad = torch.func.grad(loss)
    theta = w.theta.detach()

    def hvp(v: torch.Tensor) -> torch.Tensor:
        with _jvp_quiet():
            return torch.func.jvp(grad, (theta,), (v,))[1]

    return hvp


@contextlib.contextmanager
def _jvp_quiet() -> Iterator[None]:
    # torch 2.13's forward AD loads its decompositions through torch.jit.script on first
    # use, which raises a DeprecationWarning inside torch (nothing of ours to change).
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=".*torch.jit.script.*is deprecated.*", category=DeprecationWarning
        )
        yield


def hvp_figure(w: Workload, *, repeats: int) -> dict[str, Any]:
    """Interleaved: gradient, engine HVPs (retained graph and rebuilt), prototype HVP.

    ``grad``: :meth:`FullBatchCost.value_grad_acc` (one forward + backward, with the
    value and accuracy the engine records). ``hvp_retained``: one product through the
    gradient graph built once (the cost of each Lanczos step after the first).
    ``graph_build``: building that graph (forward + backward with ``create_graph``, once
    per sharpness call). ``hvp_rebuilt``: a self-contained product (forward, backward
    with ``create_graph``, double backward; Cohen et al.'s per-product cost).
    ``hvp_fwd_over_rev``: the :func:`fwd_over_rev_hvp` prototype.
    """
    cost, theta = w.cost, w.theta
    gen = torch.Generator().manual_seed(1)
    v = torch.randn(theta.shape, generator=gen, dtype=torch.float64).to(theta)
    retained = cost.hvp_operator(theta)
    rebuilt = cost.hvp_operator(theta, retain=False)
    fwd = fwd_over_rev_hvp(w)
    ops: dict[str, Callable[[], object]] = {
        "grad": lambda: cost.value_grad_acc(theta),
        "hvp_retained": lambda: retained(v),
        "graph_build": lambda: cost.hvp_operator(theta),
        "hvp_rebuilt": lambda: rebuilt(v),
        "hvp_fwd_over_rev": lambda: fwd(v),
    }
    times = interleave(ops, repeats=repeats, sync=_sync(w.device))
    ref = retained(v)
    agree = float((fwd(v) - ref).norm() / ref.norm())
    out: dict[str, Any] = {"seconds": {k: spread(t) for k, t in times.items()}}
    out["ratios"] = {k: paired_ratio(times[k], times["grad"]) for k in ops if k != "grad"}
    out["fwd_over_rev_rel_diff"] = agree
    out["repeats"] = repeats
    return out


# ---------------------------------------------------------------------------------------
# Figure 3: lambda_max


class TracedMatVec:
    """Counts products and records the estimate each product allows.

    ``mode="rayleigh"``: the Rayleigh quotient :math:`v^\\top Hv / v^\\top v` of each
    input (power iteration's estimate). ``mode="lanczos"``: the top Ritz value of the
    tridiagonal rebuilt from the inputs :math:`q_k` and outputs
    (:math:`\\alpha_k = q_k^\\top Hq_k`, :math:`\\beta_{k-1} = q_k^\\top Hq_{k-1}`), i.e.
    the value Lanczos would return if stopped there. ``None``: counting only. Costs one
    or two inner products per product.
    """  # noqa: D301

    def __init__(self, matvec: Callable[[torch.Tensor], torch.Tensor], mode: str | None = None):
        self.matvec, self.mode, self.count = matvec, mode, 0
        self.estimates: list[float] = []
        self._alphas: list[float] = []
        self._betas: list[float] = []
        self._prev: torch.Tensor | None = None

    def __call__(self, v: torch.Tensor) -> torch.Tensor:
        """:math:`Hv`, recording the count and the estimate."""
        w = self.matvec(v)
        self.count += 1
        if self.mode == "rayleigh":
            self.estimates.append(float(torch.dot(v, w) / torch.dot(v, v)))
        elif self.mode == "lanczos":
            self._alphas.append(float(torch.dot(v, w)))
            if self._prev is not None:
                self._betas.append(float(torch.dot(v, self._prev)))
            a, b = np.array(self._alphas), np.array(self._betas)
            self.estimates.append(
                float(eigh_tridiagonal(a, b, eigvals_only=True)[-1]) if b.size else float(a[0])
            )
            self._prev = w.detach()
        return w

    def kato_temple_stop(self, tol: float) -> tuple[int, float] | None:
        r"""Prototype stopping rule on the Lanczos trace: the first step :math:`k \ge 2`
        with :math:`r_k^2 \le \mathrm{tol}\,|\vartheta_1|\,(\vartheta_1 - \vartheta_2)`.

        :math:`r_k = \beta_k |s_k|` is the residual of the top Ritz pair, and
        :math:`\vartheta_1 - \vartheta_2` (top two Ritz values) estimates the gap in the
        Kato–Temple bound :math:`\lambda_{\max} - \vartheta_1 \le r^2/\delta`, so the rule
        stops on the estimated EIGENVALUE error instead of the residual (the engine's
        rule, which is much stricter for the eigenvalue). Returns ``(k, Ritz value)`` or
        ``None``. (The gap is estimated, not bounded: a heuristic, checked against the
        reference in the benchmark.)
        """  # noqa: D205
        a, b = np.array(self._alphas), np.array(self._betas)
        for k in range(2, a.size):
            evals, evecs = eigh_tridiagonal(a[:k], b[: k - 1])
            r = b[k - 1] * abs(evecs[-1, -1])
            if r * r <= tol * abs(evals[-1]) * (evals[-1] - evals[-2]):
                return k, float(evals[-1])
        return None


def hvps_to_accuracy(estimates: list[float], ref: float, tol: float) -> int | None:
    """Products after which every later estimate is within ``tol`` (relative) of ``ref``.

    ``None`` if the last estimate is not. This is the count an ideal stopping rule needs.

    >>> hvps_to_accuracy([1.0, 1.9, 2.01, 1.999], 2.0, 1e-2)
    3
    """
    errs = [abs(e - ref) / abs(ref) for e in estimates]
    if not errs or errs[-1] > tol:
        return None
    bad = [i for i, e in enumerate(errs) if e > tol]
    return (bad[-1] + 2) if bad else 1


def start_vector(like: torch.Tensor, seed: int) -> torch.Tensor:
    """The seeded unit Gaussian start every solver gets (as the engine draws it)."""
    gen = torch.Generator().manual_seed(seed)
    v = torch.randn(like.shape, generator=gen, dtype=torch.float64).to(like)
    return v / v.norm()


def reference_sharpness(w: Workload, *, max_iter: int = 300) -> dict[str, Any]:
    r""":math:`\lambda_{\max}` in float64 by Lanczos to relative residual ``REF_TOL``."""
    cost64 = FullBatchCost(w.net, w.x.double(), w.labels, w.labels, "ce")
    start = time.perf_counter()
    res = lanczos_top(
        cost64.hvp_operator(w.theta.double()),
        w.theta.double(),
        tol=REF_TOL,
        max_iter=max_iter,
        seed=7,
    )
    return {
        "value": res.value,
        "hvps": res.hvps,
        "residual": res.residual,
        "rel_residual": res.residual / abs(res.value),
        "converged": res.converged,
        "seconds": time.perf_counter() - start,
        "dtype": "float64",
        "tol": REF_TOL,
        "method": "engine Lanczos (full reorthogonalization), seed 7",
    }


def _result(value: float, hvps: int, ref: float, seconds: float, **extra: Any) -> dict[str, Any]:
    if "converged" in extra:
        extra["converged"] = bool(extra["converged"])
    return {
        "value": value,
        "hvps": hvps,
        "rel_error": abs(value - ref) / abs(ref),
        "seconds": seconds,
        **extra,
    }


def ours(w: Workload, ref: float, seed: int) -> dict[str, Any]:
    """The engine's sharpness: Lanczos over the retained-graph HVP, tol 1e-3."""
    start = time.perf_counter()
    mv = TracedMatVec(w.cost.hvp_operator(w.theta), "lanczos")
    res = lanczos_top(mv, w.theta, v0=start_vector(w.theta, seed), tol=EIG_TARGET)
    sec = time.perf_counter() - start
    kt = mv.kato_temple_stop(EIG_TARGET)
    proto = (
        None
        if kt is None
        else {"hvps": kt[0], "value": kt[1], "rel_error": abs(kt[1] - ref) / abs(ref)}
    )
    return _result(
        res.value,
        res.hvps,
        ref,
        sec,
        converged=res.converged,
        hvps_to_tol=hvps_to_accuracy(mv.estimates, ref, EIG_TARGET),
        trace=mv.estimates,
        kato_temple_stop=proto,
    )


def eigsh_cohen(w: Workload, ref: float, seed: int) -> dict[str, Any]:
    """ARPACK ``which='LA'`` over double-backward HVPs rebuilt per product (Cohen et al.)."""
    start = time.perf_counter()
    mv = TracedMatVec(w.cost.hvp_operator(w.theta, retain=False))
    res = eigsh_top(mv, w.theta, v0=start_vector(w.theta, seed), tol=EIG_TARGET)
    sec = time.perf_counter() - start
    return _result(
        res.value,
        mv.count,
        ref,
        sec,
        converged=res.converged,
        note="count includes eigsh_top's final residual check",
    )


def eigsh_retained(w: Workload, ref: float, seed: int) -> dict[str, Any]:
    """ARPACK ``which='LA'`` over the engine's retained-graph HVP (algorithm-only contrast)."""
    start = time.perf_counter()
    mv = TracedMatVec(w.cost.hvp_operator(w.theta))
    res = eigsh_top(mv, w.theta, v0=start_vector(w.theta, seed), tol=EIG_TARGET)
    sec = time.perf_counter() - start
    return _result(
        res.value,
        mv.count,
        ref,
        sec,
        converged=res.converged,
        note="count includes eigsh_top's final residual check",
    )


def power(w: Workload, ref: float, seed: int, *, max_iter: int) -> dict[str, Any]:
    """Power iteration over the retained-graph HVP, residual rule at 1e-3 (largest |λ|)."""
    start = time.perf_counter()
    mv = TracedMatVec(w.cost.hvp_operator(w.theta), "rayleigh")
    res = power_iteration(
        mv, w.theta, v0=start_vector(w.theta, seed), tol=EIG_TARGET, max_iter=max_iter
    )
    sec = time.perf_counter() - start
    return _result(
        res.value,
        res.hvps,
        ref,
        sec,
        converged=res.converged,
        hvps_to_tol=hvps_to_accuracy(mv.estimates, ref, EIG_TARGET),
        max_iter=max_iter,
        trace=mv.estimates,
        note="largest |eigenvalue|: equals lambda_max only when the top eigenvalue "
        "dominates the most negative one in magnitude",
    )


# --- peers ------------------------------------------------------------------------------


def peer_versions() -> dict[str, str | None]:
    """Installed versions of the peer libraries (``None`` when absent)."""
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, str | None] = {}
    for name in PEERS:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


@contextlib.contextmanager
def _quiet_peer() -> Iterator[None]:
    # pyhessian calls loss.backward(create_graph=True), on which torch warns about a
    # reference cycle between parameters and their gradients; that is the peer's design.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*create_graph=True.*", category=UserWarning)
        yield


def peer_pyhessian(w: Workload, ref: float, seed: int, *, max_iter: int) -> dict[str, Any]:
    """pyhessian's ``hessian(...).eigenvalues(tol=1e-3)``: power iteration, stopped when
    the eigenvalue changes by less than ``tol`` (relative) between two products.
    """  # noqa: D205
    import importlib

    # the package re-exports the class under the module's name: fetch the module itself
    ph = importlib.import_module("pyhessian.hessian")

    model = torch_module(w.net, w.theta)
    count = [0]
    original = ph.hessian_vector_product

    def counted(*args: Any, **kwargs: Any) -> Any:
        count[0] += 1
        return original(*args, **kwargs)

    start = time.perf_counter()
    ph.hessian_vector_product = counted
    old_dtype = torch.get_default_dtype()
    try:
        with _quiet_peer(), torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            torch.set_default_dtype(w.dtype)  # its start vector is torch.randn(p.size())
            h = ph.hessian(
                model, nn.CrossEntropyLoss(), data=(w.x, w.labels), cuda=w.device.type == "cuda"
            )
            values, _ = h.eigenvalues(maxIter=max_iter, tol=EIG_TARGET, top_n=1)
    finally:
        ph.hessian_vector_product = original
        torch.set_default_dtype(old_dtype)
    sec = time.perf_counter() - start
    return _result(
        float(values[0]),
        count[0],
        ref,
        sec,
        max_iter=max_iter,
        note="power iteration (largest |eigenvalue|); stops on a relative change "
        "< tol of the estimate, not on the residual",
    )


def peer_curvlinops(w: Workload, ref: float, seed: int) -> dict[str, Any]:
    """curvlinops' ``HessianLinearOperator(...).to_scipy()`` with ``eigsh(which='LA')``
    (the library's documented route to eigenvalues; its HVP is forward-over-reverse).
    """  # noqa: D205
    from curvlinops import HessianLinearOperator
    from scipy.sparse.linalg import LinearOperator, eigsh

    model = torch_module(w.net, w.theta)
    start = time.perf_counter()
    op = HessianLinearOperator(
        model,
        nn.CrossEntropyLoss(),
        list(model.parameters()),
        [(w.x, w.labels)],
        check_deterministic=False,
        num_data=w.n,
    )
    sp = op.to_scipy()
    count = [0]

    def mv(x: np.ndarray) -> np.ndarray:
        count[0] += 1
        return sp.matvec(x)

    lin = LinearOperator(sp.shape, matvec=mv, dtype=sp.dtype)
    v0 = start_vector(w.theta, seed).cpu().numpy().astype(sp.dtype)
    with _jvp_quiet():
        vals = eigsh(lin, k=1, which="LA", tol=EIG_TARGET, v0=v0, return_eigenvectors=False)
    sec = time.perf_counter() - start
    return _result(
        float(vals[0]),
        count[0],
        ref,
        sec,
        note="check_deterministic=False (its default True costs extra passes)",
    )


def peer_eigenthings(w: Workload, ref: float, seed: int, *, first: int) -> dict[str, Any]:
    """hessian-eigenthings' ``lanczos(which='LA', tol=1e-3)`` on its ``HessianOperator``.

    Its Lanczos runs a fixed ``max_iter`` (no early stop). We give it ``first`` (the
    engine's count) and raise it by half until its own residual test passes; the figure
    is the passing run (a best case: a user must choose ``max_iter`` in advance).
    """
    import hessian_eigenthings as he

    model = torch_module(w.net, w.theta)
    op = he.HessianOperator(model, [(w.x, w.labels)], he.supervised_loss(F.cross_entropy))
    m, tried = max(2, first), []
    while True:
        start = time.perf_counter()
        res = he.lanczos(op, k=1, which="LA", tol=EIG_TARGET, max_iter=m, seed=seed)
        sec = time.perf_counter() - start
        tried.append(m)
        if bool(res.converged[0]) or m >= 200:
            break
        m = math.ceil(1.5 * m)
    return _result(
        float(res.eigenvalues[0]),
        int(res.iterations),
        ref,
        sec,
        converged=bool(res.converged[0]),
        max_iter_tried=tried,
        note="fixed max_iter chosen in advance (see tried); its HVP rebuilds the graph per product",
    )


def _peer_runners(
    w: Workload, ref: float, seed: int, first: int, power_iter: int
) -> dict[str, Callable[[], dict[str, Any]]]:
    return {
        "pyhessian": lambda: peer_pyhessian(w, ref, seed, max_iter=power_iter),
        "curvlinops-for-pytorch": lambda: peer_curvlinops(w, ref, seed),
        "hessian-eigenthings": lambda: peer_eigenthings(w, ref, seed, first=first),
    }


def eig_figure(
    w: Workload, ref: dict[str, Any], *, rounds: int, power_iter: int, peers: bool, seed: int = 0
) -> dict[str, Any]:
    """All solvers on ``w`` (see the module docstring); cheap ones for ``rounds`` rounds.

    Rounds rotate the engine's Lanczos and the two eigsh variants (interleaved, so the
    time ratios are paired); power iteration and the peers, whose HVP counts and errors
    do not change between rounds, run once.
    """
    value = float(ref["value"])
    cheap = {
        "lanczos (engine)": lambda: ours(w, value, seed),
        "eigsh LA, rebuilt double-backward HVP (Cohen et al.)": lambda: eigsh_cohen(w, value, seed),
        "eigsh LA, retained-graph HVP": lambda: eigsh_retained(w, value, seed),
    }
    runs: dict[str, list[dict[str, Any]]] = {k: [] for k in cheap}
    for _ in range(rounds):
        for name, fn in cheap.items():
            runs[name].append(fn())
            _log(f"{name}: {runs[name][-1]['hvps']} HVPs, {runs[name][-1]['seconds']:.1f} s")
    first = runs["lanczos (engine)"][0]["hvps"]
    once: dict[str, Callable[[], dict[str, Any]]] = {
        "power iteration (residual rule)": lambda: power(w, value, seed, max_iter=power_iter)
    }
    skipped: dict[str, str] = {}
    if peers:
        versions = peer_versions()
        for name, fn in _peer_runners(w, value, seed, first, power_iter).items():
            if versions[name] is None:
                skipped[name] = "not installed (pip install --no-deps, see docs/benchmarks.md)"
            else:
                once[name] = fn
    for name, fn in once.items():
        try:
            runs[name] = [fn()]
            _log(f"{name}: {runs[name][-1]['hvps']} HVPs, {runs[name][-1]['seconds']:.1f} s")
        except Exception as exc:  # a peer that cannot run is skipped with its reason
            skipped[name] = f"{type(exc).__name__}: {exc}"[:300]
    methods = {}
    for name, rs in runs.items():
        last = dict(rs[-1])
        last.pop("trace", None)
        last["seconds"] = spread([r["seconds"] for r in rs])
        methods[name] = last
    ours_t = [r["seconds"] for r in runs["lanczos (engine)"]]
    cohen = "eigsh LA, rebuilt double-backward HVP (Cohen et al.)"
    speedups = {
        name: paired_ratio([r["seconds"] for r in runs[name]], ours_t[: len(runs[name])])
        for name in runs
        if name != "lanczos (engine)"
    }
    traces = {name: rs[0].get("trace") for name, rs in runs.items() if rs[0].get("trace")}
    return {
        "reference": ref,
        "methods": methods,
        "time_ratio_vs_lanczos": speedups,
        "skipped": skipped,
        "rounds": rounds,
        "cohen_key": cohen,
        "traces": {k: [round(e, 10) for e in v] for k, v in traces.items()},
    }


# ---------------------------------------------------------------------------------------
# Theory side and GPU figures


def time_subprocess(
    cmd: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 1800,
) -> dict[str, Any]:
    """Wall time, exit status and the last output line of ``cmd``."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout, check=False
        )
        rc, text = proc.returncode, (proc.stdout + proc.stderr).strip()
    except subprocess.TimeoutExpired:
        rc, text = None, f"timed out after {timeout} s"
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return {
        "command": " ".join(cmd),
        "seconds": time.perf_counter() - start,
        "rc": rc,
        "last_line": lines[-1] if lines else "",
    }


def theory_figure() -> dict[str, Any]:
    """``eos verify`` and the property suite in the ``ci`` profile, each in a subprocess."""
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "CI": "true"}
    env.pop("HYPOTHESIS_PROFILE", None)
    verify = time_subprocess([sys.executable, "-m", "eos_empirical.commands", "verify"], cwd=root)
    props = time_subprocess(
        [sys.executable, "-m", "pytest", "property_tests", "-q", "-p", "no:cacheprovider"],
        env=env,
        cwd=root,
    )
    props["command"] = "CI=true " + props["command"]
    return {"eos_verify": verify, "property_suite_ci": props}


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
    flops = 6.0 * w.n * MATMUL_WEIGHTS
    peak = gpu_peak(name)
    step = gd["engine_step_s"]["median"]
    out: dict[str, Any] = {
        "device_name": name,
        "fp32_peak_flops": peak,
        "flops_per_step": flops,
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


# ---------------------------------------------------------------------------------------
# Machine, targets, report


def machine_info(device: torch.device) -> dict[str, Any]:
    """CPU model, cores, torch threads, load average and GPU (if any)."""
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    info: dict[str, Any] = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "torch_interop_threads": torch.get_num_interop_threads(),
        "platform": platform.platform(),
        "load_average_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "device": str(device),
        "gpu": torch.cuda.get_device_name(device) if device.type == "cuda" else None,
    }
    return info


def versions() -> dict[str, Any]:
    """Versions of Python, torch, numpy, scipy and the peers."""
    import scipy

    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "peers": peer_versions(),
    }


def judge(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target with the measured value, whether it is met and by how much."""
    rows: list[dict[str, Any]] = []
    for dt, fig in result["figures"].items():
        gd = fig.get("gd_step")
        if gd and gd["overhead"] is not None:
            o = gd["overhead"]
            rows.append(
                {
                    "target": f"{dt}: diagnostics overhead per GD step <= 5%",
                    "value": f"{100 * o:+.1f}% (IQR {100 * (gd['ratio']['q1'] - 1):+.1f}"
                    f" to {100 * (gd['ratio']['q3'] - 1):+.1f}%)",
                    "met": o <= TARGETS["gd_overhead"],
                    "by": f"{100 * (o - TARGETS['gd_overhead']):+.1f} points",
                }
            )
        hv = fig.get("hvp")
        if hv:
            r = hv["ratios"]["hvp_retained"]["median"]
            r2 = hv["ratios"]["hvp_rebuilt"]["median"]
            rows.append(
                {
                    "target": f"{dt}: one HVP <= 2.5x one gradient (engine's "
                    "retained-graph product)",
                    "value": f"{r:.2f}x",
                    "met": r <= TARGETS["hvp_ratio"],
                    "by": f"{r / 2.5:.2f} of the bound",
                }
            )
            rows.append(
                {
                    "target": f"{dt}: one self-contained HVP (graph rebuilt) <= 2.5x one gradient",
                    "value": f"{r2:.2f}x",
                    "met": r2 <= TARGETS["hvp_ratio"],
                    "by": f"{r2 / 2.5:.2f} of the bound",
                }
            )
        eig = fig.get("eigensolvers")
        if eig:
            rows += _judge_eig(dt, eig)
    gpu = result.get("gpu", {})
    if gpu.get("measured"):
        for key in ("engine", "compiled"):
            frac = (
                gpu["engine_fraction_of_peak"]
                if key == "engine"
                else gpu.get("compiled", {}).get("fraction_of_peak")
            )
            if frac is not None:
                rows.append(
                    {
                        "target": f"GPU ({key} step) >= 50% of the fp32 matmul limit",
                        "value": f"{100 * frac:.1f}%",
                        "met": frac >= 0.5,
                        "by": "",
                    }
                )
        e3 = gpu.get("experiment3")
        if e3:
            rows.append(
                {
                    "target": "Experiment 3 on one H100 < 60 s",
                    "value": f"{e3['seconds']:.1f} s ({gpu['device_name']})",
                    "met": e3["seconds"] < 60 and "H100" in gpu["device_name"],
                    "by": "",
                }
            )
    return rows


def _judge_eig(dt: str, eig: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    m = eig["methods"]
    ours_m = m["lanczos (engine)"]
    sp = eig["time_ratio_vs_lanczos"].get(eig["cohen_key"], {}).get("median")
    if sp is not None:
        rows.append(
            {
                "target": f"{dt}: lambda_max at 1e-3 >= 2x faster than eigsh over "
                "double-backward HVPs",
                "value": f"{sp:.2f}x faster",
                "met": sp >= TARGETS["eigsh_speedup"] and ours_m["rel_error"] <= EIG_TARGET,
                "by": f"{sp / 2:.2f} of the target",
            }
        )
    pw = m.get("power iteration (residual rule)")
    if pw:
        need = pw.get("hvps_to_tol")
        ok = ours_m["rel_error"] <= EIG_TARGET and (need is None or ours_m["hvps"] < need)
        rows.append(
            {
                "target": f"{dt}: fewer HVPs than power iteration at equal or better accuracy",
                "value": f"Lanczos {ours_m['hvps']} HVPs (error "
                f"{ours_m['rel_error']:.1e}) vs power iteration "
                f"{need if need is not None else '>' + str(pw['hvps'])} HVPs to reach 1e-3"
                f" (own rule: {pw['hvps']} HVPs, error {pw['rel_error']:.1e})",
                "met": ok,
                "by": "",
            }
        )
    return rows


def _fmt_spread(
    s: dict[str, Any],
    *,
    scale: float = 1.0,
    unit: str = "",
    digits: int = 3,
) -> str:
    if s.get("median") is None:
        return "n/a"

    def f(v: float) -> str:
        return f"{v * scale:.{digits}g}"

    if s["n"] < 2:
        return f"{f(s['median'])}{unit} (1 run)"
    return (
        f"{f(s['median'])}{unit} (IQR {f(s['q1'])}–{f(s['q3'])}, min–max {f(s['min'])}–"
        f"{f(s['max'])}, n={s['n']})"
    )


def render_markdown(result: dict[str, Any]) -> str:
    """``docs/benchmarks.md`` from the result dict."""
    mach, ver, st = result["machine"], result["versions"], result["settings"]
    out = [
        "# Benchmarks",
        "",
        f"Generated by `{result['command']}` on {result['created']} "
        f"(wall time {result['wall_s']:.0f} s)."
        + (
            " **Quick smoke run: tiny n, figures not meaningful, no target judged.**"
            if result["quick"]
            else ""
        ),
        "",
        "Every ratio is measured in one process with the two operations interleaved "
        "(A, B, A, B, ...); the figure is the median of the per-pair ratios, with the "
        "interquartile range (IQR) and min–max over the pairs.",
        "",
        "## Machine and versions",
        "",
        f"- CPU: {mach['cpu']}, {mach['cores']} cores; torch threads "
        f"{mach['torch_threads']} (interop {mach['torch_interop_threads']}); load average "
        f"at start {_load(mach['load_average_start'])}, at end "
        f"{_load(mach.get('load_average_end'))} (other processes shared the cores)",
        f"- Device: {mach['device']}; GPU: {mach['gpu'] or 'none'}",
        f"- Python {ver['python']}, torch {ver['torch']}, numpy {ver['numpy']}, scipy "
        f"{ver['scipy']}; peers: "
        + ", ".join(f"{k} {v or 'not installed'}" for k, v in ver["peers"].items()),
        f"- Workload: Cohen et al. net 3072-200-200-10 (tanh, cross-entropy, "
        f"{st['num_params']} parameters) on n = {st['n']} {st['dataset']} examples, "
        f"initialization seed 0; float32 with TF32 off (highest matmul precision), and "
        "float64; deterministic algorithms as in `eos run`.",
        "",
        "## Targets",
        "",
        "| target | measured | met | margin |",
        "|---|---|---|---|",
    ]
    for row in result["targets"]:
        met = "n/a (quick)" if result["quick"] else ("yes" if row["met"] else "**no**")
        out.append(f"| {row['target']} | {row['value']} | {met} | {row['by']} |")
    gpu = result["gpu"]
    if not gpu.get("measured"):
        out.append(
            f"| GPU figures (steps/s, TFLOP/s vs fp32 limit, Experiment 3 < 60 s) | "
            f"not measured: {gpu['reason']} | n/a | |"
        )
    for dt, fig in result["figures"].items():
        out += ["", f"## {dt}", ""]
        out += _md_gd(fig.get("gd_step")) + _md_hvp(fig.get("hvp"))
        out += _md_eig(fig.get("eigensolvers"))
    out += _md_theory(result.get("theory")) + _md_gpu(gpu)
    out += ["", "## Notes", ""] + [f"- {n}" for n in result.get("notes", [])]
    root = st.get("data_root")
    env = f"EOS_CIFAR10_ROOT={root} " if root else ""
    out += ["", "## Reproduce", "", "```", env + result["command"], "```", ""]
    return "\n".join(out)


def _load(v: list[float] | None) -> str:
    return "n/a" if not v else "/".join(f"{x:.1f}" for x in v)


def _md_gd(gd: dict[str, Any] | None) -> list[str]:
    if not gd:
        return []
    return [
        "### 1. GD step with RP and L vs a plain torch GD step",
        "",
        f"- engine step: {_fmt_spread(gd['engine_step_s'], unit=' s')}",
        f"- plain step ({gd['baseline']}): {_fmt_spread(gd['plain_step_s'], unit=' s')}",
        f"- ratio engine/plain: {_fmt_spread(gd['ratio'], digits=4)} over {gd['pairs']} "
        f"alternating pairs (η = {gd['eta']:.4g})",
        "",
    ]


def _md_hvp(hv: dict[str, Any] | None) -> list[str]:
    if not hv:
        return []
    out = [
        "### 2. Hessian-vector product vs full-batch gradient",
        "",
        "| operation | seconds | ratio to gradient |",
        "|---|---|---|",
    ]
    for name, s in hv["seconds"].items():
        r = hv["ratios"].get(name)
        out.append(f"| {name} | {_fmt_spread(s)} | {_fmt_spread(r) if r else '1'} |")
    out += [
        "",
        f"Forward-over-reverse prototype agrees with the engine's HVP to a relative "
        f"difference of {hv['fwd_over_rev_rel_diff']:.1e}. {hv['repeats']} interleaved "
        "rounds after one warm-up round.",
        "",
    ]
    return out


def _md_eig(eig: dict[str, Any] | None) -> list[str]:
    if not eig:
        return []
    ref = eig["reference"]
    out = [
        "### 3. λ_max to 1e-3 relative",
        "",
        f"Reference: λ_max = {ref['value']:.10g} ({ref['method']}, float64, relative "
        f"residual {ref['rel_residual']:.1e} after {ref['hvps']} HVPs, {ref['seconds']:.0f}"
        " s). Every solver starts from the same seeded Gaussian vector (pyhessian draws its"
        " own from the same seed).",
        "",
        "| method | λ | HVPs | HVPs to stay within 1e-3 | rel. error | seconds | time / "
        "Lanczos time |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, m in eig["methods"].items():
        ratio = eig["time_ratio_vs_lanczos"].get(name)
        out.append(
            f"| {name} | {m['value']:.6g} | {m['hvps']} | {m.get('hvps_to_tol', '')} | "
            f"{m['rel_error']:.1e} | {_fmt_spread(m['seconds'])} | "
            f"{_fmt_spread(ratio) if ratio else '1'} |"
        )
    for name, reason in eig["skipped"].items():
        out.append(f"| {name} | skipped: {reason} | | | | | |")
    notes = [f"{k}: {m['note']}" for k, m in eig["methods"].items() if m.get("note")]
    kt = eig["methods"]["lanczos (engine)"].get("kato_temple_stop")
    if kt:
        notes.append(
            f"Prototype stopping rule (estimated Kato–Temple eigenvalue error r²/(ϑ1−ϑ2)"
            f" ≤ 1e-3·ϑ1 instead of residual r ≤ 1e-3·ϑ1) on the same Lanczos run: "
            f"{kt['hvps']} HVPs, error {kt['rel_error']:.1e}"
        )
    out += (
        [""]
        + [f"- {n}" for n in notes]
        + [
            f"- The engine's Lanczos and the two eigsh variants ran {eig['rounds']} interleaved "
            "rounds; power iteration and the peers once (their HVP counts and errors are "
            "deterministic; their time is HVPs × the per-product time of figure 2)."
            " 'HVPs to stay within 1e-3' is the count an ideal stopping rule would need, from the"
            " Ritz value (Lanczos) or Rayleigh quotient (power iteration) after each product.",
            "",
        ]
    )
    return out


def _md_theory(th: dict[str, Any] | None) -> list[str]:
    if not th:
        return []
    out = [
        "",
        "## 4. Theory side",
        "",
        "| command | seconds | exit | last line |",
        "|---|---|---|---|",
    ]
    for r in th.values():
        if "skipped" in r:
            out.append(f"| {r['command']} | skipped: {r['skipped']} | | |")
            continue
        out.append(
            f"| `{r['command']}` | {r['seconds']:.1f} | {r['rc']} | "
            f"{r['last_line'].replace('|', '/')[:120]} |"
        )
    return out


def _md_gpu(gpu: dict[str, Any]) -> list[str]:
    out = ["", "## 5. GPU", ""]
    if not gpu.get("measured"):
        return [*out, f"Not measured: {gpu['reason']}."]
    peak = gpu["fp32_peak_flops"]
    out += [
        f"- {gpu['device_name']}, float32 peak {peak / 1e12 if peak else 'unknown'} "
        "TFLOP/s (non-tensor-core, data sheet)",
        f"- matrix-product FLOPs per step: {gpu['flops_per_step']:.3g}",
        f"- engine: {gpu['engine_steps_per_s']:.1f} steps/s, {gpu['engine_tflops']:.2f} TFLOP/s",
    ]
    comp = gpu.get("compiled", {})
    if "error" in comp:
        out.append(f"- torch.compile prototype failed: {comp['error']}")
    elif comp:
        out.append(
            f"- torch.compile fused step: {comp['step_s'] * 1e3:.2f} ms, "
            f"{comp['tflops']:.2f} TFLOP/s"
        )
    if gpu.get("experiment3"):
        e3 = gpu["experiment3"]
        out.append(
            f"- Experiment 3 ({e3['config']}, {e3['dataset']}): {e3['seconds']:.1f} s, "
            f"{e3['steps']} steps, {e3['outcome']}"
        )
    return out


# ---------------------------------------------------------------------------------------
# Command


def build_parser() -> argparse.ArgumentParser:
    """The ``eos bench`` option parser."""
    p = argparse.ArgumentParser(prog="eos bench", description=__doc__.split("\n")[0])
    a = p.add_argument
    a("--quick", action="store_true", help="seconds-long smoke run (tiny n, no targets judged)")
    a("--json", metavar="PATH", default=None, help="also write the raw figures as JSON")
    a("--output", default="docs/benchmarks.md", help="markdown report (default: %(default)s)")
    a(
        "--repeats",
        type=int,
        default=None,
        help="interleaved rounds per timing figure (default 9; quick 2)",
    )
    a(
        "--eig-rounds",
        type=int,
        default=None,
        help="rounds of the Lanczos/eigsh comparison (default 2; quick 1)",
    )
    a(
        "--power-max-iter",
        type=int,
        default=None,
        help="cap on power-iteration HVPs (default 120; quick 8)",
    )
    a("--n", type=int, default=None, help="examples (default 5000; quick 32)")
    a("--device", default=None, help="cpu or cuda (default: cuda when available)")
    a("--dtype", default="both", choices=["float32", "float64", "both"])
    a(
        "--threads",
        type=int,
        default=None,
        help="torch intra-op threads (default: all cores; "
        "on a CPU shared with other processes 1 avoids OpenMP spin-wait stalls)",
    )
    a("--skip-peers", action="store_true", help="skip the peer libraries")
    a("--skip-theory", action="store_true", help="skip eos verify and the property suite")
    a("--skip-eig", action="store_true", help="skip the eigensolver figure")
    return p


def run_bench(args: argparse.Namespace, command: str) -> dict[str, Any]:
    """All figures for parsed ``args``; returns the JSON-ready result."""
    quick = args.quick
    repeats = args.repeats or (2 if quick else 9)
    rounds = args.eig_rounds or (1 if quick else 2)
    power_iter = args.power_max_iter or (8 if quick else 120)
    n = args.n or (32 if quick else 5000)
    for name, value in (
        ("repeats", repeats),
        ("eig-rounds", rounds),
        ("n", n),
        ("power-max-iter", power_iter),
    ):
        if value < 1:
            raise ValueError(f"--{name} must be >= 1, got {value}")
    torch.set_num_threads(args.threads or os.cpu_count() or 1)
    from eos_empirical.train import resolve_device

    device = resolve_device(args.device)
    dtypes = {
        "float32": [torch.float32],
        "float64": [torch.float64],
        "both": [torch.float32, torch.float64],
    }[args.dtype]
    clock = time.perf_counter()
    result: dict[str, Any] = {
        "schema": 1,
        "quick": quick,
        "command": command,
        "created": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine_info(device),
        "versions": versions(),
        "figures": {},
        "notes": [],
    }
    ref = None
    gd32 = None
    with measurement_numerics(deterministic=False, device=device):
        for i, dtype in enumerate(dtypes):
            w = make_workload(n=n, dtype=dtype, device=device)
            key = str(dtype).removeprefix("torch.")
            fig: dict[str, Any] = {}
            _log(f"{key}: figure 1 (GD step)")
            # quick: a tiny n is fitted within a few steps at 2/30, which would end the run
            fig["gd_step"] = gd_step_figure(
                w, steps=max(3 * repeats, 4), eta=1e-3 if quick else GD_ETA
            )
            _log(f"{key}: figure 2 (HVP vs gradient)")
            fig["hvp"] = hvp_figure(w, repeats=repeats)
            if not args.skip_eig:
                _log(f"{key}: figure 3 (lambda_max)")
                ref = ref or reference_sharpness(w, max_iter=30 if quick else 300)
                _log(f"reference: {ref['hvps']} HVPs, {ref['seconds']:.1f} s")
                fig["eigensolvers"] = eig_figure(
                    w,
                    ref,
                    rounds=rounds,
                    power_iter=power_iter,
                    peers=not args.skip_peers and i == 0,
                )
            result["figures"][key] = fig
            if dtype == torch.float32:
                gd32 = (w, fig["gd_step"])
    result["settings"] = {
        "n": n,
        "dataset": w.dataset,
        "data_root": w.data_stats.get("root"),
        "num_params": w.net.num_params,
        "repeats": repeats,
        "eig_rounds": rounds,
        "power_max_iter": power_iter,
        "tf32": False,
        "threads": torch.get_num_threads(),
    }
    if device.type == "cuda" and gd32 is not None:
        result["gpu"] = {"measured": True, **gpu_figure(*gd32, quick=quick)}
    else:
        reason = (
            "no GPU in this run"
            if not torch.cuda.is_available()
            else f"device {device} chosen"
            if gd32 is not None
            else "float32 not run"
        )
        result["gpu"] = {"measured": False, "reason": reason}
    if args.skip_theory:
        result["theory"] = None
    else:
        _log("figure 4 (theory side)")
        result["theory"] = theory_figure()
    result["machine"]["load_average_end"] = (
        list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    )
    result["targets"] = judge(result)
    result["notes"] = _notes(result)
    result["wall_s"] = time.perf_counter() - clock
    return result


def _notes(result: dict[str, Any]) -> list[str]:
    notes = [
        "Figures 1–2 use the initialization of seed 0; the cost of a step or a product "
        "does not depend on the point, only the eigensolvers' HVP counts do."
    ]
    if not result["quick"]:
        notes.append(
            "Peers are run on the first dtype only (float32 by default) to bound the "
            "run time; they were installed with `pip install --no-deps` (their torch "
            "requirement is satisfied by the installed torch, which pip never touched)."
        )
    return notes


def _jsonable(obj: Any) -> Any:
    """numpy scalars (``np.bool_``, ``np.float64``) as Python values for ``json``."""
    if hasattr(obj, "item"):
        return obj.item()
    raise TypeError(f"not JSON serializable: {type(obj).__name__}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks, write the markdown (and JSON); 0 on success, 2 on bad options."""
    parser = build_parser()
    args = parser.parse_args(argv)
    command = "eos bench " + " ".join(sys.argv[1:] if argv is None else argv)
    threads = torch.get_num_threads()
    try:
        result = run_bench(args, command.strip())
    except ValueError as exc:
        print(f"eos bench: error: {exc}", file=sys.stderr)
        return 2
    finally:
        torch.set_num_threads(threads)  # main() may run inside a test session
    from eos_empirical.recorder import clean

    result = clean(result)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(
            json.dumps(result, indent=1, allow_nan=False, default=_jsonable) + "\n"
        )
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_markdown(result))
    for row in result["targets"]:
        status = "n/a" if result["quick"] else ("met" if row["met"] else "MISSED")
        print(f"[{status}] {row['target']}: {row['value']}")
    print(f"wrote {out}" + (f" and {args.json}" if args.json else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
