r"""Figure 8 of ``eos bench`` (``--monitor``): a Monitor step against the same plain loop.

Issue 15 asks what :class:`eos_empirical.Monitor` costs per step beside the loop a user
would write anyway. For each case (model, optimizer) two identical copies of the module
train side by side from the same initialization with the same optimizer settings: one
through ``Monitor.step()`` (every row field: f, ‖∇f‖, ⟨∇f, u⟩, RP_u, L(θ; u), the (4.3)
analogue, the stability threshold; rows written to ``steps.jsonl`` in a temporary folder;
no sharpness), one through the textbook loop

.. code-block:: python

    opt.zero_grad(); loss_fn(model(x), y).backward(); opt.step()

strictly alternating (Monitor step, plain step, ...), so contention from other processes
hits both alike. The figure is the median of the per-pair ratios (``timing.paired_ratio``),
the first pair dropped: the Monitor's first step also evaluates the gradient at θ₀, which
each later step has from the step before (the pass at θₜ₊₁ that gives f(θₜ₊₁) for RP gives
the next step's gradient). No target is set: the row reports the overhead the Monitor's
documentation (``docs/monitor.md``, Cost) describes.

Cases: the paper's FC tanh net (3072-200-200-10) on the workload's ``n`` examples with
``torch.optim.SGD`` (plain GD, η = 2/30) and with ``torch.optim.Adam`` (η = 2e-4, β₁ = 0.9),
and Cohen et al.'s ``cnn-relu`` and ``cnn-bn-relu`` with Adam on ``min(n, cnn_n)`` examples
(a CNN step costs about 100 FC steps on a CPU).
"""

from __future__ import annotations

import copy
import tempfile
import time
from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from eos_empirical.bench.timing import _sync, paired_ratio, spread
from eos_empirical.bench.workload import Workload, torch_module
from eos_empirical.cnn_models import IMAGE_SHAPE, cnn
from eos_empirical.monitor import Monitor

#: Examples for the CNN cases (a cnn-relu gradient on 5000 CIFAR images takes about 12 s
#: on one CPU core; 500 keep the figure within minutes while every layer stays busy).
CNN_N = 500

OptimizerFactory = Callable[[list[nn.Parameter]], torch.optim.Optimizer]

#: Adam as the cases use it (beta1 = 0.9, Cohen et al. 2022's setting): its text, its factory.
_ADAM: tuple[str, OptimizerFactory] = (
    "torch.optim.Adam(lr=2e-4, betas=(0.9, 0.999))",
    lambda p: torch.optim.Adam(p, lr=2e-4, betas=(0.9, 0.999)),
)

#: The cases: name -> (model kind, optimizer description, optimizer factory).
CASES: dict[str, tuple[str, str, OptimizerFactory]] = {
    "fc-tanh / GD": ("fc", "torch.optim.SGD(lr=2/30)", lambda p: torch.optim.SGD(p, lr=2 / 30)),
    "fc-tanh / Adam": ("fc", *_ADAM),
    "cnn-relu / Adam": ("cnn-relu", *_ADAM),
    "cnn-bn-relu / Adam": ("cnn-bn-relu", *_ADAM),
}


def _model_and_data(
    w: Workload, kind: str, cnn_n: int
) -> tuple[nn.Module, torch.Tensor, torch.Tensor]:
    if kind == "fc":
        return torch_module(w.net, w.theta), w.x, w.labels
    m = min(w.n, cnn_n)
    x = w.x[:m].reshape(m, *IMAGE_SHAPE)
    return cnn(kind, seed=0).to(device=w.device, dtype=w.dtype), x, w.labels[:m]


def monitor_case(w: Workload, name: str, *, steps: int, cnn_n: int = CNN_N) -> dict[str, Any]:
    """One case of :data:`CASES`: ``steps`` pairs (Monitor step, plain step), timed.

    Returns the spreads of the Monitor's and the plain loop's step times, the spread of
    the per-pair ratios (the first pair dropped), the overhead (median ratio − 1), the
    case's model, optimizer and number of examples, and ``max_param_difference``: the
    largest |θ_Monitor − θ_plain| after the steps, which says that both copies trained
    alike (rounding only: the Monitor's gradient comes from ``torch.func``, the loop's from
    ``backward()``), so the two sides timed the same work.
    """
    kind, opt_text, make_opt = CASES[name]
    model, x, y = _model_and_data(w, kind, cnn_n)
    twin = copy.deepcopy(model)
    opt_plain = make_opt(list(twin.parameters()))
    sync = _sync(w.device)

    def plain_step() -> None:
        opt_plain.zero_grad()
        F.cross_entropy(twin(x), y).backward()
        opt_plain.step()

    mon_s: list[float] = []
    plain_s: list[float] = []
    with tempfile.TemporaryDirectory() as out:
        mon = Monitor(
            model, F.cross_entropy, (x, y), optimizer=make_opt(list(model.parameters())), out=out
        )
        with mon:
            for _ in range(steps + 1):
                for op, sink in ((mon.step, mon_s), (plain_step, plain_s)):
                    sync()
                    start = time.perf_counter()
                    op()
                    sync()
                    sink.append(time.perf_counter() - start)
    ratio = paired_ratio(mon_s[1:], plain_s[1:])
    with torch.no_grad():
        drift = max(
            float((a - b).abs().max())
            for a, b in zip(model.parameters(), twin.parameters(), strict=True)
        )
    return {
        "model": kind,
        "optimizer": opt_text,
        "n": int(x.shape[0]),
        "monitor_step_s": spread(mon_s[1:]),
        "plain_step_s": spread(plain_s[1:]),
        "ratio": ratio,
        "overhead": None if ratio["median"] is None else ratio["median"] - 1.0,
        "pairs": len(mon_s) - 1,
        "max_param_difference": drift,
    }


def monitor_figure(w: Workload, *, steps: int, cnn_n: int = CNN_N) -> dict[str, Any]:
    """Every case of :data:`CASES` on the workload ``w`` (its device and dtype)."""
    return {
        "cases": {name: monitor_case(w, name, steps=steps, cnn_n=cnn_n) for name in CASES},
        "baseline": "a deep copy of the module, the same optimizer type and settings: "
        "opt.zero_grad(); loss_fn(model(x), y).backward(); opt.step()",
        "monitor": "Monitor(model, F.cross_entropy, (x, y), optimizer=opt, out=tmpdir); "
        "sharpness off; rows written to steps.jsonl",
    }


def monitor_rows(dt: str, fig: dict[str, Any]) -> list[dict[str, Any]]:
    """The target-table rows of figure 8 for dtype ``dt`` (reported, no target set)."""
    rows = []
    for name, c in fig["cases"].items():
        r = c["ratio"]
        if r["median"] is None:
            continue
        rows.append(
            {
                "target": f"{dt}: Monitor overhead per step, {name} (n = {c['n']}; every row "
                "field, rows to steps.jsonl, no sharpness) vs the same plain loop",
                "value": f"{100 * (r['median'] - 1):+.1f}% (IQR {100 * (r['q1'] - 1):+.1f} to "
                f"{100 * (r['q3'] - 1):+.1f}%; {c['pairs']} pairs)",
                "met": None,
                "by": "no target set",
            }
        )
    return rows


def md_monitor(fig: dict[str, Any] | None, fmt: Callable[..., str]) -> list[str]:
    """Figure 8's markdown section (``fmt``: the report's spread formatter)."""
    if not fig:
        return []
    out = [
        "### 8. Monitor step vs the same plain loop",
        "",
        f"- Monitor: `{fig['monitor']}`",
        f"- plain loop: {fig['baseline']}",
        "",
        "| case | n | optimizer | Monitor step | plain step | ratio Monitor/plain |",
        "|---|---|---|---|---|---|",
    ]
    for name, c in fig["cases"].items():
        out.append(
            f"| {name} | {c['n']} | `{c['optimizer']}` | {fmt(c['monitor_step_s'], unit=' s')} "
            f"| {fmt(c['plain_step_s'], unit=' s')} | {fmt(c['ratio'], digits=4)} |"
        )
    return [*out, ""]
