"""The workload of ``eos bench``: Cohen et al.'s net on ``n`` examples, at one init.

The network of Cohen et al. (2021) used in the paper's Experiments 1–9 (3072 → 200 →
200 → 10, tanh, cross-entropy) on ``n`` examples (the real CIFAR-10 files under
``$EOS_CIFAR10_ROOT`` when present, else the seeded synthetic set of the same shape), at
the initialization of seed 0; and the same net as a plain ``nn.Module`` with the
textbook GD step, the baseline of figure 1 and the model handed to the peer libraries.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from eos_empirical.cost import FullBatchCost
from eos_empirical.data import ROOT_ENV, load_dataset
from eos_empirical.models import FlatMLP, fc_net, init_params


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
        lin = nn.Linear(
            w.shape[1], w.shape[0], bias=b is not None, device=theta.device, dtype=theta.dtype
        )
        with torch.no_grad():
            lin.weight.copy_(w)
            if b is not None:
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
