r"""The training cost of any ``torch.nn.Module``, evaluated through ``torch.func.functional_call``.

.. math::

    f(\theta) = \mathtt{loss\_fn}\big(\mathrm{model}(\theta, B;\, x),\; y\big)

:math:`\theta` are the parameters an optimizer trains (named, in the module's order), every
other parameter is held fixed, and :math:`B` are the module's buffers (BatchNorm running
statistics). No architecture is assumed: the module's own ``forward`` runs with the
parameters swapped in, so weight sharing (a parameter used twice, or two submodules holding
the same tensor) is differentiated as the module defines it.

Buffers. Every evaluation runs on a COPY of the buffers it is given, so an evaluation never
changes the module: a BatchNorm layer in train mode normalizes with the statistics of the
rows evaluated (for the full-batch cost: of the whole data set) and its running-stat update
lands in the copy, which :meth:`ModuleCost.value_grad` returns for the caller to commit or
drop. In train mode such a layer's output does not read the running statistics, so
:math:`f` does not depend on :math:`B`; in eval mode it reads them and does not update them.
Either way :math:`f(\theta)` is one function of :math:`\theta` for the whole run. (A custom
module whose output reads a buffer that its own forward updates has no such fixed
:math:`f`; its RP then compares :math:`f` under the buffers of two consecutive steps.)

The flat vector of :math:`\theta` is the concatenation of the named tensors, each flattened
(row-major), in the order of ``names``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import nn
from torch.func import functional_call

LossFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
Buffers = dict[str, torch.Tensor]
Rows = torch.Tensor | slice


def flat(parts: Sequence[torch.Tensor]) -> torch.Tensor:
    """The tensors ``parts`` flattened and concatenated into one vector."""
    return torch.cat([p.reshape(-1) for p in parts])


class ModuleCost:
    r"""Value, gradient and Hessian-vector products of :math:`f(\theta)` for any module.

    ``model`` is the module, ``loss_fn(output, y)`` a scalar loss (mean over the rows), ``x``
    and ``y`` the inputs and targets (first dimension: examples), ``names`` the names (as in
    ``model.named_parameters()``) of the trained parameters :math:`\theta`.

    >>> net = nn.Linear(2, 1).double()
    >>> x = torch.eye(2, dtype=torch.float64); y = torch.zeros(2, 1, dtype=torch.float64)
    >>> cost = ModuleCost(net, nn.functional.mse_loss, x, y, ["weight", "bias"])
    >>> f, g, _ = cost.value_grad(cost.parameters(), cost.buffers())
    >>> g.shape
    torch.Size([3])
    """

    def __init__(
        self,
        model: nn.Module,
        loss_fn: LossFn,
        x: torch.Tensor,
        y: torch.Tensor,
        names: Sequence[str],
    ) -> None:
        self.model, self.loss_fn, self.x, self.y = model, loss_fn, x, y
        self.n = int(x.shape[0])
        params = dict(model.named_parameters())
        self.names = list(names)
        self.shapes = [params[k].shape for k in self.names]
        self.sizes = [params[k].numel() for k in self.names]
        self.fixed = {k: v.detach() for k, v in params.items() if k not in set(self.names)}
        self._params = [params[k] for k in self.names]
        self._buffers = dict(model.named_buffers())

    def parameters(self) -> list[torch.Tensor]:
        r"""The module's :math:`\theta` tensors (the live ``nn.Parameter`` objects)."""
        return list(self._params)

    def buffers(self) -> Buffers:
        """A copy of the module's current buffers."""
        return {k: b.detach().clone() for k, b in self._buffers.items()}

    def commit(self, buffers: Buffers) -> None:
        """Write ``buffers`` (e.g. running statistics updated by an evaluation) into the module."""
        with torch.no_grad():
            for k, b in buffers.items():
                self._buffers[k].copy_(b)

    def unflat(self, vec: torch.Tensor) -> list[torch.Tensor]:
        r"""Views of the flat vector ``vec`` shaped as the tensors of :math:`\theta`."""
        return [p.view(s) for p, s in zip(vec.split(self.sizes), self.shapes, strict=True)]

    def loss(self, theta: Sequence[torch.Tensor], buffers: Buffers, rows: Rows) -> torch.Tensor:
        """``loss_fn`` of the module at ``theta`` on ``rows``; runs on ``buffers`` in place.

        ``ValueError`` naming ``loss_fn`` when it does not return one number.
        """
        state = {**self.fixed, **dict(zip(self.names, theta, strict=True))}
        out = functional_call(self.model, (state, buffers), (self.x[rows],))
        value = self.loss_fn(out, self.y[rows])
        if not isinstance(value, torch.Tensor) or value.numel() != 1:
            raise ValueError(
                f"loss_fn must return a scalar tensor (the mean loss over the rows), got "
                f"{type(value).__name__} {tuple(getattr(value, 'shape', ()))}"
            )
        return value.reshape(())

    def value_grad(
        self,
        theta: Sequence[torch.Tensor],
        buffers: Buffers,
        rows: Rows | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor, Buffers]:
        r""":math:`f(\theta)`, the flat :math:`\nabla f(\theta)` and the buffers after the pass.

        One forward and one backward pass on ``rows`` (all rows when ``None``), on a copy of
        ``buffers`` (returned, updated as the module's forward updates them). ``theta`` may be
        the live parameters or any tensors of the same shapes; the value is a detached 0-d
        tensor (no device synchronization).
        """
        work = {k: b.clone() for k, b in buffers.items()}
        leaves = [t if t.requires_grad else t.detach().requires_grad_(True) for t in theta]
        with torch.enable_grad():
            value = self.loss(leaves, work, slice(None) if rows is None else rows)
            grads = torch.autograd.grad(value, leaves, allow_unused=True)
        grads = tuple(
            torch.zeros_like(t) if g is None else g for t, g in zip(leaves, grads, strict=True)
        )
        return value.detach(), flat(grads).detach(), work

    def hvp_operator(
        self, theta: torch.Tensor, buffers: Buffers, rows: Rows | None = None
    ) -> tuple[torch.Tensor, Callable[[torch.Tensor], torch.Tensor]]:
        r"""The gradient at the flat ``theta`` and the map :math:`v \mapsto \nabla^2 f(\theta)v`.

        The gradient graph is built once (double backward, ``create_graph=True``) on a copy of
        ``buffers``; each product is one backward pass through it. On ``rows`` when given (a
        minibatch's Hessian :math:`\nabla^2 f_B`).
        """
        work = {k: b.clone() for k, b in buffers.items()}
        leaves = [t.detach().clone().requires_grad_(True) for t in self.unflat(theta)]
        with torch.enable_grad():
            value = self.loss(leaves, work, slice(None) if rows is None else rows)
            parts = torch.autograd.grad(value, leaves, create_graph=True, allow_unused=True)
            parts = tuple(
                (p if p is not None else torch.zeros_like(t, requires_grad=True))
                for t, p in zip(leaves, parts, strict=True)
            )
            g = flat(parts)

        def hvp(v: torch.Tensor) -> torch.Tensor:
            if not g.requires_grad:  # the gradient does not depend on theta: H = 0
                return torch.zeros_like(v)
            with torch.enable_grad():
                out = torch.autograd.grad(
                    g, leaves, grad_outputs=v, retain_graph=True, allow_unused=True
                )
            pairs = zip(leaves, out, strict=True)
            return flat([torch.zeros_like(t) if o is None else o for t, o in pairs])

        return g.detach(), hvp
