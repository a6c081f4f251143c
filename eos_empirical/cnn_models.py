r"""Cohen et al.'s small CNNs for CIFAR-10 as ``torch.nn`` modules, and the run's module builder.

The architectures are those named ``cnn-relu``, ``cnn-tanh`` and ``cnn-bn-relu`` in the public
code of Cohen et al. (2021), "Gradient descent on neural networks typically occurs at the edge
of stability" (repository ``locuslab/edge-of-stability``, ``src/archs.py``: ``convnet`` and
``convnet_bn`` with widths ``[32, 32]``, max pooling, biases), re-written here (not copied):

=====  ============================================================  ==========================
block  ``cnn-relu`` / ``cnn-tanh``                                   ``cnn-bn-relu``
=====  ============================================================  ==========================
1      Conv2d(3→32, 3×3, stride 1, padding 1, bias), act,             Conv2d, ReLU,
       MaxPool2d(2×2): 32×32 → 16×16                                  BatchNorm2d(32), MaxPool
2      Conv2d(32→32, 3×3, stride 1, padding 1, bias), act,            Conv2d, ReLU,
       MaxPool2d(2×2): 16×16 → 8×8                                    BatchNorm2d(32), MaxPool
head   Flatten, Linear(32·8·8 = 2048 → 10, bias)                      the same
=====  ============================================================  ==========================

(act = ReLU or tanh; in the BatchNorm variant the normalization comes after the activation
and before the pooling, as in ``convnet_bn``.) Parameter counts: 896 + 9,248 + 20,490 =
30,634 for ``cnn-relu``/``cnn-tanh``; 30,762 for ``cnn-bn-relu`` (plus 2 × 64 BatchNorm
weights and biases). Inputs are ``(N, 3, 32, 32)`` images; logits ``(N, 10)``. Initialization:
PyTorch's defaults for ``Conv2d``, ``Linear`` and ``BatchNorm2d``, drawn under the run's seed
(:func:`cnn`).

:mod:`eos_empirical.monitor_run` trains these modules, or the paper's fully connected net as
an ``nn.Sequential`` holding exactly the GD engine's initial vector (:func:`fc_module`).
"""

from __future__ import annotations

import math

import torch
from torch import nn

from eos_empirical.models import FlatMLP

#: Architecture name -> (activation, with BatchNorm), as in Cohen et al.'s ``src/archs.py``.
CNN_ARCHS: dict[str, tuple[str, bool]] = {
    "cnn-relu": ("relu", False),
    "cnn-tanh": ("tanh", False),
    "cnn-bn-relu": ("relu", True),
}
#: Channels of the two convolutional layers (``widths=[32, 32]`` in ``src/archs.py``).
CNN_WIDTHS = (32, 32)
IMAGE_SHAPE = (3, 32, 32)
NUM_CLASSES = 10


def _act(name: str) -> nn.Module:
    return nn.ReLU() if name == "relu" else nn.Tanh()


def cnn(arch: str, *, seed: int = 0, scale: float = 1.0) -> nn.Sequential:
    """The CNN ``arch`` (``cnn-relu``, ``cnn-tanh``, ``cnn-bn-relu``; module docstring).

    Built on the CPU in float32 under ``seed`` with a private generator state (the global RNG
    is restored), so a seed gives the same initial weights on every machine; ``scale``
    multiplies every parameter (a control, as ``init_scale`` for the fully connected net).

    >>> sum(p.numel() for p in cnn("cnn-relu").parameters())
    30634
    >>> cnn("cnn-bn-relu")(torch.zeros(2, 3, 32, 32)).shape
    torch.Size([2, 10])
    """
    if arch not in CNN_ARCHS:
        raise ValueError(f"arch must be one of {tuple(CNN_ARCHS)}, got {arch!r}")
    if not (math.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be finite and > 0, got {scale!r}")
    activation, batchnorm = CNN_ARCHS[arch]
    layers: list[nn.Module] = []
    size, channels = IMAGE_SHAPE[1], IMAGE_SHAPE[0]
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        for width in CNN_WIDTHS:
            conv = nn.Conv2d(channels, width, kernel_size=3, stride=1, padding=1)
            layers += [conv, _act(activation)]
            if batchnorm:
                layers.append(nn.BatchNorm2d(width))
            layers.append(nn.MaxPool2d(2))
            channels, size = width, size // 2
        layers += [nn.Flatten(), nn.Linear(channels * size * size, NUM_CLASSES)]
        net = nn.Sequential(*layers)
    if scale != 1.0:
        with torch.no_grad():
            for p in net.parameters():
                p.mul_(scale)
    return net


def fc_module(net: FlatMLP, theta0: torch.Tensor) -> nn.Sequential:
    """The fully connected ``net`` as an ``nn.Sequential`` whose parameters are ``theta0``.

    Layer ``i`` is ``nn.Linear(sizes[i], sizes[i+1])`` (then the activation, except after the
    last), its weight and bias read from ``theta0`` in :class:`~eos_empirical.models.FlatMLP`'s
    order; so the module computes ``net.forward(theta0, x)`` and starts where the GD engine does.

    >>> from eos_empirical.models import fc_net, init_params
    >>> net = fc_net(input_dim=4, width=3, depth=1, num_classes=2)
    >>> theta = init_params(net, seed=0)
    >>> x = torch.randn(5, 4)
    >>> bool(torch.equal(fc_module(net, theta)(x), net.forward(theta, x)))
    True
    """
    layers: list[nn.Module] = []
    pairs = list(zip(net.sizes[:-1], net.sizes[1:], strict=True))
    for j, (i, o) in enumerate(pairs):
        layers.append(nn.Linear(i, o, bias=net.bias))
        if j < len(pairs) - 1 and net.activation != "none":
            layers.append(_act(net.activation))
    module = nn.Sequential(*layers).to(theta0.dtype)
    with torch.no_grad():
        params = list(module.parameters())
        parts = [t for wb in net.unflatten(theta0.detach().cpu()) for t in wb if t is not None]
        for p, t in zip(params, parts, strict=True):
            p.copy_(t)
    return module
