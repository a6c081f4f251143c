r"""Figure 2 of ``eos bench``: one Hessian-vector product against one gradient.

The engine's HVPs (over the retained gradient graph, and self-contained with the graph
rebuilt per product as in Cohen et al.'s code), the cost of building that graph, and a
forward-over-reverse prototype, each timed interleaved with one full-batch gradient;
target :math:`\le 2.5\times`.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import torch
import torch.nn.functional as F

from eos_empirical.bench.timing import _sync, interleave, paired_ratio, spread
from eos_empirical.bench.workload import Workload


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
