r"""Fully connected networks on a flat parameter vector, and the two losses of the paper.

The network is the setting of Cohen et al. (2021) used in the paper's Experiments 1–9: ``depth``
hidden layers of ``width`` units (Linear + activation), then a Linear layer to the 10 classes, with
biases (``bias=False``: without, a control of Experiment 1). Parameters are initialized by
``torch.nn.Linear``'s default rule under a seed (on the CPU in float32, then cast), and live in one
flat vector :math:`\theta`, so GD is one vector update and the Hessian acts on :math:`\theta`.

Losses (per example, averaged over the examples):

.. math::

    \ell_{\mathrm{ce}}(z, y) = -\log\operatorname{softmax}(z)_y, \qquad
    \ell_{\mathrm{mse}}(z, y) = \tfrac12\|z - e_y\|^2

(the squared loss is Cohen's convention: half the squared norm, summed over classes,
averaged over examples).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from eos_empirical.vocabulary import ACTIVATIONS, LOSSES


@dataclass(frozen=True)
class FlatMLP:
    """A fully connected net evaluated from a flat parameter vector.

    ``sizes`` are the layer widths from input to output (e.g. ``(3072, 200, 200, 10)``),
    ``activation`` one of ``tanh``, ``relu``, ``none`` (a linear network). Layer ``i`` takes
    ``W_i`` (``sizes[i+1] × sizes[i]``, row-major) then ``b_i`` from the vector, in order;
    with ``bias=False`` the layers have no ``b_i``.

    >>> net = FlatMLP((3, 2, 1), "tanh")
    >>> net.num_params, FlatMLP((3, 2, 1), "none", bias=False).num_params
    (11, 8)
    """

    sizes: tuple[int, ...]
    activation: str
    bias: bool = True

    def __post_init__(self) -> None:
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {self.activation!r}")
        if len(self.sizes) < 2 or any(int(s) < 1 for s in self.sizes):
            raise ValueError(f"sizes must be >= 2 positive widths, got {self.sizes}")

    @property
    def num_params(self) -> int:
        """Length of the flat parameter vector."""
        per = 1 if self.bias else 0
        return sum(o * i + per * o for i, o in zip(self.sizes[:-1], self.sizes[1:], strict=True))

    def unflatten(self, theta: torch.Tensor) -> list[tuple[torch.Tensor, torch.Tensor | None]]:
        """Views ``(W_i, b_i)`` of ``theta`` (no copy; gradients flow back to ``theta``);
        ``b_i`` is ``None`` without biases.
        """  # noqa: D205
        if theta.ndim != 1 or theta.numel() != self.num_params:
            raise ValueError(
                f"theta must be a vector of {self.num_params} parameters, got shape "
                f"{tuple(theta.shape)}"
            )
        layers, k = [], 0
        for i, o in zip(self.sizes[:-1], self.sizes[1:], strict=True):
            w = theta[k : k + o * i].view(o, i)
            k += o * i
            if self.bias:
                layers.append((w, theta[k : k + o]))
                k += o
            else:
                layers.append((w, None))
        return layers

    def leaves(self, theta: torch.Tensor) -> list[torch.Tensor]:
        """Views of a detached ``theta`` as separate leaves requiring grad, in vector order.

        Differentiating with respect to these and concatenating (:func:`torch.cat`) gives the
        flat gradient with one copy, instead of one zero-filled vector per slice that
        differentiating through the slices of ``theta`` would allocate and add.
        """
        flat = theta.detach()
        return [t.requires_grad_(True) for wb in self.unflatten(flat) for t in wb if t is not None]

    def forward(self, theta: torch.Tensor | list[torch.Tensor], x: torch.Tensor) -> torch.Tensor:
        """Logits ``(rows, sizes[-1])`` of inputs ``x`` ``(rows, sizes[0])``.

        ``theta`` is the flat vector or the list ``[W_0, b_0, W_1, ...]`` of :meth:`leaves`
        (``[W_0, W_1, ...]`` without biases).
        """
        layers: list[tuple[torch.Tensor, torch.Tensor | None]]
        if isinstance(theta, torch.Tensor):
            layers = self.unflatten(theta)
        elif self.bias:
            layers = list(zip(theta[0::2], theta[1::2], strict=True))
        else:
            layers = [(w, None) for w in theta]
        h = x
        for j, (w, b) in enumerate(layers):
            h = F.linear(h, w, b)
            if j < len(layers) - 1:
                if self.activation == "tanh":
                    h = torch.tanh(h)
                elif self.activation == "relu":
                    h = torch.relu(h)
        return h


def fc_net(
    *,
    input_dim: int = 3072,
    width: int = 200,
    depth: int = 2,
    num_classes: int = 10,
    activation: str = "tanh",
    bias: bool = True,
) -> FlatMLP:
    """The fully connected architecture: ``depth`` hidden layers of ``width`` units.

    >>> fc_net(depth=2).sizes, fc_net(depth=2).num_params
    ((3072, 200, 200, 10), 656810)
    """
    for name, value in (
        ("input_dim", input_dim),
        ("width", width),
        ("depth", depth),
        ("num_classes", num_classes),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return FlatMLP((input_dim, *([width] * depth), num_classes), activation, bias)


def init_params(net: FlatMLP, *, seed: int, scale: float = 1.0) -> torch.Tensor:
    r"""PyTorch's default ``nn.Linear`` initialization under ``seed``, as a flat float32 vector.

    Weights and biases are uniform on :math:`[-1/\sqrt{\text{fan\_in}}, 1/\sqrt{\text{fan\_in}}]`
    (Kaiming-uniform with :math:`a=\sqrt5`). Built on the CPU with a private generator state
    (the global RNG is restored), so the same seed gives the same vector on every device.
    ``scale`` multiplies the whole vector (a control: ×1.25 tests whether an outcome hinges
    on the initialization's scale); without biases the same weights are drawn, biases dropped.

    >>> theta = init_params(fc_net(input_dim=4, width=3, depth=1, num_classes=2), seed=0)
    >>> theta.shape, bool(theta.abs().max() <= 4 ** -0.5)
    (torch.Size([23]), True)
    """
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        layers = [nn.Linear(i, o) for i, o in zip(net.sizes[:-1], net.sizes[1:], strict=True)]
    if not (math.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be finite and > 0, got {scale!r}")
    parts = []
    for layer in layers:
        parts.append(layer.weight.detach().reshape(-1))
        if net.bias:
            parts.append(layer.bias.detach())
    theta = torch.cat(parts)
    return theta if scale == 1.0 else theta * scale


def loss_per_batch(logits: torch.Tensor, targets: torch.Tensor, loss: str) -> torch.Tensor:
    r"""Mean loss over the rows: cross-entropy (``targets`` integer labels) or
    :math:`\tfrac12\|z - y\|^2` (``targets`` one-hot rows).

    >>> z = torch.tensor([[1.0, 0.0]]); y = torch.tensor([[0.0, 0.0]])
    >>> float(loss_per_batch(z, y, "mse"))
    0.5
    """  # noqa: D205
    if loss == "ce":
        return F.cross_entropy(logits, targets)
    if loss == "mse":
        return 0.5 * (logits - targets).square().sum(dim=1).mean()
    raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")
