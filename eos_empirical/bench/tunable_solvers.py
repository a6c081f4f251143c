r"""The eigensolvers of the equal-error comparison, each with its knob, cold or warm.

Every solver here takes the SAME Hessian-vector product ``mv`` (a torch callable
:math:`v \mapsto Hv`, counted by the caller) and a start block ``start`` (a list of
vectors: the shared seeded start when cold, the solver's own previous vectors when warm),
and returns a :class:`Solve`: the estimate of :math:`\lambda_{\max}` (largest algebraic
eigenvalue), the vectors to warm-start the next solve from, and the products used.

- :func:`lanczos`: the engine's Lanczos (:func:`eos_empirical.hessian.lanczos_top`,
  full reorthogonalization), stopped at relative residual ``tol``:
  :math:`\beta_k|s_k| \le \mathrm{tol}\,|\vartheta_1|`. Warm: ``start[0]``.
- :func:`rayleigh_ritz`: the tracker's block Rayleigh–Ritz
  (:func:`eos_empirical.sharpness_tracking.block_rayleigh_ritz`), stopped when the
  Kato–Temple eigenvalue-error estimate :math:`\min(r_1, r_1^2/\hat\delta)` is at most
  ``tol`` :math:`|\vartheta_1|`. Warm: the whole block.
- :func:`eigsh_la`: ARPACK through ``scipy.sparse.linalg.eigsh(k=1, which='LA', ncv,
  tol, v0)``, ARPACK's relative residual rule; products converted to and from float64
  numpy (Cohen et al.'s and centralflows' ``scipy`` route). Warm: ``v0 = start[0]``.
- :func:`lobpcg`: ``scipy.sparse.linalg.lobpcg(largest=True)`` on the block ``start``
  (``k = len(start)`` columns), run for ``maxiter`` iterations (tolerance set below any
  reachable residual, so the count is the knob). centralflows tracks the top Hessian
  eigenvalues with LOBPCG warm-started from the previous step's eigenvector block; scipy's
  implementation spends :math:`k` products per iteration (plus :math:`k` at the start and
  :math:`k` in its final Rayleigh–Ritz), fewer than the :math:`4k` of centralflows' own
  torch port, so it is the cheaper stand-in. ``torch.lobpcg`` needs the matrix as a
  tensor (no callable), so it cannot take an HVP.
- :func:`power`: power iteration (:func:`eos_empirical.hessian.power_iteration`), the
  largest-MAGNITUDE eigenvalue, stopped at relative residual ``tol``. Warm: ``start[0]``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from eos_empirical.hessian import lanczos_top, power_iteration
from eos_empirical.sharpness_tracking import block_rayleigh_ritz

MatVec = Callable[[torch.Tensor], torch.Tensor]

#: Cap on products per solve (a setting that needs more is reported as not converged).
MAX_HVPS = 300


@dataclass(frozen=True)
class Solve:
    """An estimate ``value`` of :math:`\\lambda_{\\max}`, the ``vectors`` to warm-start the
    next solve from (top first) and the products ``hvps``.
    """  # noqa: D205, D301

    value: float
    vectors: list[torch.Tensor]
    hvps: int


class Counted:
    """``mv`` with a product counter (columns of a block count one each)."""

    def __init__(self, mv: MatVec) -> None:
        self.mv, self.count = mv, 0

    def __call__(self, v: torch.Tensor) -> torch.Tensor:
        """:math:`Hv`, counted."""
        self.count += 1
        return self.mv(v)


def start_block(like: torch.Tensor, seed: int, k: int) -> list[torch.Tensor]:
    """The shared seeded unit Gaussian start (``seed``) and ``k - 1`` more (seeds
    ``seed + 1000 + j``) for block solvers: every solver's first start vector is the same.
    """  # noqa: D205
    out = []
    for j in range(k):
        gen = torch.Generator().manual_seed(seed if j == 0 else seed + 1000 + j)
        v = torch.randn(like.shape, generator=gen, dtype=torch.float64).to(like)
        out.append(v / v.norm())
    return out


def lanczos(mv: MatVec, like: torch.Tensor, start: list[torch.Tensor], *, tol: float) -> Solve:
    """The engine's Lanczos from ``start[0]`` to relative residual ``tol``."""
    c = Counted(mv)
    r = lanczos_top(c, like, v0=start[0], tol=tol, max_iter=MAX_HVPS)
    return Solve(r.value, [r.vector.detach()], c.count)


def rayleigh_ritz(
    mv: MatVec, like: torch.Tensor, start: list[torch.Tensor], *, tol: float, keep: int = 2
) -> Solve:
    """The tracker's block Rayleigh–Ritz from the block ``start`` (Kato–Temple rule)."""
    c = Counted(mv)
    r = block_rayleigh_ritz(c, start, tol=tol, max_iter=MAX_HVPS, keep=keep)
    return Solve(r.value, [v.detach() for v in r.ritz], c.count)


def _np_operator(mv: MatVec, like: torch.Tensor, count: list[int]):
    from scipy.sparse.linalg import LinearOperator

    def one(x: np.ndarray) -> np.ndarray:
        count[0] += 1
        v = torch.as_tensor(np.ascontiguousarray(x).ravel(), device=like.device).to(like.dtype)
        return mv(v).detach().cpu().double().numpy()

    def block(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        if x.ndim == 1:
            return one(x)
        return np.stack([one(x[:, j]) for j in range(x.shape[1])], axis=1)

    n = like.numel()
    return LinearOperator((n, n), matvec=one, matmat=block, dtype=np.float64)


def _to_torch(x: np.ndarray, like: torch.Tensor) -> torch.Tensor:
    v = torch.as_tensor(np.ascontiguousarray(x), device=like.device).to(like.dtype)
    return v / v.norm()


def eigsh_la(
    mv: MatVec, like: torch.Tensor, start: list[torch.Tensor], *, ncv: int, tol: float
) -> Solve:
    """ARPACK ``eigsh(k=1, which='LA', ncv=ncv, tol=tol, v0=start[0])``."""
    from scipy.sparse.linalg import ArpackNoConvergence, eigsh

    count = [0]
    op = _np_operator(mv, like, count)
    v0 = start[0].detach().cpu().double().numpy()
    maxiter = max(1, MAX_HVPS // max(1, ncv - 1))
    try:
        vals, vecs = eigsh(op, k=1, which="LA", ncv=ncv, tol=tol, v0=v0, maxiter=maxiter)
    except ArpackNoConvergence as exc:  # over the product cap: its best Ritz pair, if any
        if len(exc.eigenvalues) == 0:
            return Solve(float("nan"), [start[0]], count[0])
        vals, vecs = exc.eigenvalues, exc.eigenvectors
    return Solve(float(vals[-1]), [_to_torch(vecs[:, -1], like)], count[0])


def lobpcg(mv: MatVec, like: torch.Tensor, start: list[torch.Tensor], *, maxiter: int) -> Solve:
    """scipy's LOBPCG (``largest=True``) on the block ``start`` for ``maxiter`` iterations."""
    from scipy.sparse.linalg import lobpcg as sp_lobpcg

    count = [0]
    op = _np_operator(mv, like, count)
    x = np.stack([s.detach().cpu().double().numpy() for s in start], axis=1)
    with warnings.catch_warnings():
        # it warns when it stops at maxiter short of its (unreachable) tolerance: intended
        warnings.simplefilter("ignore", UserWarning)
        vals, vecs = sp_lobpcg(op, x, tol=1e-300, maxiter=maxiter, largest=True)
    order = np.argsort(np.asarray(vals))[::-1]
    vectors = [_to_torch(vecs[:, j], like) for j in order]
    return Solve(float(np.asarray(vals)[order[0]]), vectors, count[0])


def power(mv: MatVec, like: torch.Tensor, start: list[torch.Tensor], *, tol: float) -> Solve:
    """Power iteration from ``start[0]`` to relative residual ``tol`` (largest |λ|)."""
    c = Counted(mv)
    r = power_iteration(c, like, v0=start[0], tol=tol, max_iter=MAX_HVPS)
    return Solve(r.value, [r.vector.detach()], c.count)
