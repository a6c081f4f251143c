r"""The training cost :math:`f(\theta)` of a flat parameter vector on a fixed data set.

.. math::

    f(\theta) = \frac1n\sum_{i=1}^n \ell(\mathrm{net}(\theta, x_i), y_i)

One object holds the net, the data (on the device, in the run's dtype) and the loss, and
gives what the engine needs: value, gradient and accuracy in ONE forward and backward
pass, minibatch values and gradients, and Hessian-vector products. ``chunk_size`` bounds
the rows per pass (results are exact sums over chunks weighted by their sizes); ``None``
means the whole data set in one pass.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from eos_empirical.models import FlatMLP, loss_per_batch


class FullBatchCost:
    """Full-batch cost of ``net`` on ``(x, targets, labels)`` with ``loss`` (``ce``/``mse``).

    ``x``, ``targets`` and ``labels`` are tensors already on the run's device; ``x`` and a
    one-hot ``targets`` in the run's dtype.
    """

    def __init__(
        self,
        net: FlatMLP,
        x: torch.Tensor,
        targets: torch.Tensor,
        labels: torch.Tensor,
        loss: str,
        *,
        chunk_size: int | None = None,
    ) -> None:
        if chunk_size is not None and chunk_size < 1:
            raise ValueError(f"chunk_size must be a positive integer or None, got {chunk_size}")
        self.net, self.x, self.targets, self.labels, self.loss = net, x, targets, labels, loss
        self.n = int(x.shape[0])
        self.chunk_size = chunk_size

    def _chunks(self, idx: torch.Tensor | None = None) -> list[tuple[slice | torch.Tensor, float]]:
        """Row selections and their weights (rows / total) covering the data or ``idx``."""
        total = self.n if idx is None else int(idx.numel())
        step = self.chunk_size or total
        out = []
        for start in range(0, total, step):
            sel = slice(start, min(start + step, total))
            rows = sel if idx is None else idx[sel]
            out.append((rows, (sel.stop - sel.start) / total))
        return out

    def _loss_logits(self, theta: torch.Tensor | list[torch.Tensor], rows: slice | torch.Tensor):
        logits = self.net.forward(theta, self.x[rows])
        return loss_per_batch(logits, self.targets[rows], self.loss), logits

    def value_grad_acc(
        self, theta: torch.Tensor, idx: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        r""":math:`f(\theta)`, :math:`\nabla f(\theta)` and the accuracy, in one pass per chunk.

        On the rows ``idx`` (a minibatch) when given, else on all rows. Returns 0-d tensors
        for value and accuracy (no device synchronization) and a detached gradient.
        """
        leaves = self.net.leaves(theta)
        value = torch.zeros((), dtype=theta.dtype, device=theta.device)
        grad = torch.zeros((), dtype=theta.dtype, device=theta.device)
        correct = torch.zeros((), dtype=theta.dtype, device=theta.device)
        chunks = self._chunks(idx)
        for rows, weight in chunks:
            with torch.enable_grad():
                loss, logits = self._loss_logits(leaves, rows)
                g = torch.cat([p.reshape(-1) for p in torch.autograd.grad(loss, leaves)])
            value = value + weight * loss.detach()
            grad = g if len(chunks) == 1 else grad + weight * g
            labels = self.labels[rows]
            correct = correct + (logits.detach().argmax(dim=1) == labels).sum()
        total = self.n if idx is None else int(idx.numel())
        return value, grad, correct / total

    def value_grad_acc_hvp(
        self, theta: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, Callable[[torch.Tensor], torch.Tensor]]:
        r""":meth:`value_grad_acc` and the HVP operator at :math:`\theta` from ONE graph.

        The gradient is built with ``create_graph=True`` and kept, so each product
        :math:`v \mapsto \nabla^2 f(\theta)v` is one backward pass through the step's own
        graph (measured on CIFAR n = 1000, float32, CPU: the kept-graph gradient costs what
        a plain one does, and saves the graph build of :meth:`hvp_operator`, about one
        gradient). With chunking, the gradient is :meth:`value_grad_acc`'s and the operator
        :meth:`hvp_operator`'s (no shared graph).
        """
        if self.chunk_size is not None:
            value, grad, acc = self.value_grad_acc(theta)
            return value, grad, acc, self.hvp_operator(theta)
        leaves = self.net.leaves(theta)
        with torch.enable_grad():
            loss, logits = self._loss_logits(leaves, slice(None))
            parts = torch.autograd.grad(loss, leaves, create_graph=True)
            g = torch.cat([p.reshape(-1) for p in parts])
        acc = (logits.detach().argmax(dim=1) == self.labels).sum().to(theta.dtype) / self.n

        def hvp(v: torch.Tensor) -> torch.Tensor:
            hv = torch.autograd.grad(g, leaves, grad_outputs=v, retain_graph=True)
            return torch.cat([p.reshape(-1) for p in hv])

        return loss.detach(), g.detach(), acc, hvp

    def value(self, theta: torch.Tensor) -> torch.Tensor:
        r""":math:`f(\theta)` (no gradient) as a 0-d tensor."""
        with torch.no_grad():
            value = torch.zeros((), dtype=theta.dtype, device=theta.device)
            for rows, weight in self._chunks():
                value = value + weight * self._loss_logits(theta, rows)[0]
        return value

    def grad(self, theta: torch.Tensor) -> torch.Tensor:
        r""":math:`\nabla f(\theta)` (detached)."""
        return self.value_grad_acc(theta)[1]

    def hvp_operator(
        self, theta: torch.Tensor, *, retain: bool = True
    ) -> Callable[[torch.Tensor], torch.Tensor]:
        r"""The map :math:`v \mapsto \nabla^2 f(\theta)\, v` (double backward).

        With ``retain=True`` (and no chunking) the gradient graph at :math:`\theta` is built
        once and every product is one backward pass through it (the fast path for Lanczos).
        Otherwise each product rebuilds the gradient graph chunk by chunk, as Cohen et al.'s
        code does (bounded memory, one forward + backward + double backward per chunk).
        """
        leaves = self.net.leaves(theta)

        def flat(parts: tuple[torch.Tensor, ...]) -> torch.Tensor:
            return torch.cat([p.reshape(-1) for p in parts])

        if retain and self.chunk_size is None:
            with torch.enable_grad():
                loss, _ = self._loss_logits(leaves, slice(None))
                g = flat(torch.autograd.grad(loss, leaves, create_graph=True))

            def hvp(v: torch.Tensor) -> torch.Tensor:
                return flat(torch.autograd.grad(g, leaves, grad_outputs=v, retain_graph=True))

            return hvp

        def hvp_chunked(v: torch.Tensor) -> torch.Tensor:
            out = torch.zeros_like(theta)
            for rows, weight in self._chunks():
                with torch.enable_grad():
                    loss, _ = self._loss_logits(leaves, rows)
                    g = flat(torch.autograd.grad(loss, leaves, create_graph=True))
                    hv = flat(torch.autograd.grad(g, leaves, grad_outputs=v))
                out += weight * hv
            return out

        return hvp_chunked
