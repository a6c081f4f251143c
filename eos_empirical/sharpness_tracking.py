r"""Sharpness at every GD step, carrying the eigenvectors across steps.

At the edge of stability GD settles into a period-two cycle (Cohen et al. 2021; the paper,
Section 3): :math:`\theta^t` alternates between two nearby regions and so does
:math:`\lambda_{\max}(\nabla^2 f(\theta^t))`. The top eigenvector at step :math:`t-2`
(same parity) is then an excellent start at step :math:`t`; the one at :math:`t-1` may not
be. :class:`SharpnessTracker` keeps, per parity, the top ``block`` Ritz vectors of its last
solve and starts each solve from them (a block, so that when the top two eigenvalues cross
the new top eigenvector is already in the start space).

**The solver** (:func:`block_rayleigh_ritz`): Rayleigh–Ritz on a growing basis
:math:`Q = [q_1,\dots,q_k]`, started from the warm block and expanded by the residual of the
top Ritz pair (with one start vector this spans the Krylov space, i.e. it is Lanczos; with
a block it is block-start Lanczos/Davidson without preconditioner). With :math:`W = HQ`,
the projected matrices :math:`M = Q^\top Q`, :math:`T = Q^\top W` (symmetrized) and
:math:`G = W^\top W` are accumulated in float64 on the device (one host transfer per
product, the only synchronization); the Ritz pairs solve :math:`Ts = \vartheta Ms`, and a
pair's residual :math:`r = (W - \vartheta Q)s` has, exactly,

.. math::

    \|r\|^2 = s^\top G s - 2\vartheta\, s^\top T s + \vartheta^2 s^\top M s
            = s^\top G s - \vartheta^2 ,

free of the float32 rounding of the vectors (float64 Grams of float32 vectors).

**Error bound** (Kato–Temple; Parlett, *The Symmetric Eigenvalue Problem*, Thm. 10.2.1):
for a unit vector with Rayleigh quotient :math:`\vartheta_1` and residual :math:`r_1`, if
no eigenvalue other than :math:`\lambda_{\max}` lies above :math:`\vartheta_1 - \delta`
(:math:`\delta` a lower bound on the gap), then

.. math::

    0 \le \lambda_{\max} - \vartheta_1 \le \|r_1\|^2 / \delta .

The gap is estimated, not known: :math:`\hat\delta = \vartheta_1 - \vartheta_2 - \|r_2\|`
(second Ritz pair) when the basis has two vectors or more, capped by ``gap_safety`` times
the gap of the parity's last tight solve (the second Ritz value of a small basis lies
below :math:`\lambda_2`, which overstates the gap). The stated bound is
:math:`\min(\|r_1\|, \|r_1\|^2/\hat\delta)` when :math:`\hat\delta > \|r_1\|`, else
:math:`\|r_1\|` (some eigenvalue lies within :math:`\|r_1\|` of :math:`\vartheta_1`); a
solve stops when the bound is at most ``tol`` :math:`|\vartheta_1|`. Both forms assume the
top eigenvector is represented in the basis: a start space (numerically) orthogonal to it
would return :math:`\lambda_2`. That is what the **periodic check** guards: every
``check_every`` steps a cold solve from a fresh random vector to eigenvalue error
``check_tol``; when it disagrees with the tracked value by more than the tracked bound plus
its own, the cold result replaces the tracked one (``source="fallback"``) and both
parities restart from its Ritz vectors. A tracked solve that does not converge in
``max_iter`` products also falls back to a cold one.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import scipy.linalg
import torch

MatVec = Callable[[torch.Tensor], torch.Tensor]


@dataclass(frozen=True)
class TrackedEig:
    r"""One estimate of :math:`\lambda_{\max}`: the top Ritz ``value`` and unit ``vector``,
    the products ``hvps`` (check included), the residual norm ``residual``, the stated
    eigenvalue-error ``bound`` (absolute), the gap estimate ``gap``, ``converged`` (bound
    within the tolerance), ``source`` (``"tracked"``, ``"cold"``, ``"checked"`` or
    ``"fallback"``) and the top ``ritz`` vectors carried to the next solve of the parity.
    """  # noqa: D205

    value: float
    vector: torch.Tensor
    hvps: int
    residual: float
    bound: float
    gap: float
    converged: bool
    source: str = "tracked"
    ritz: list[torch.Tensor] = field(default_factory=list, repr=False)


def _bound(theta1: float, r1: float, gap: float) -> float:
    r"""Kato–Temple :math:`r_1^2/\hat\delta` when the gap exceeds the residual, else
    :math:`r_1` (see the module docstring).

    >>> _bound(10.0, 0.1, 1.0), _bound(10.0, 0.1, 0.05)
    (0.010000000000000002, 0.1)
    """  # noqa: D205
    if math.isfinite(gap) and gap > r1:
        return min(r1, r1 * r1 / gap)
    return r1


def block_rayleigh_ritz(
    matvec: MatVec,
    start: list[torch.Tensor],
    *,
    tol: float,
    max_iter: int,
    gap_cap: float = math.inf,
    keep: int = 2,
) -> TrackedEig:
    r"""Top eigenpair of the symmetric ``matvec`` from the ``start`` block (module doc).

    Stops when the stated bound is at most ``tol`` :math:`|\vartheta_1|`, after at most
    ``max_iter`` products (at least ``len(start)``). ``gap_cap`` caps the gap estimate;
    ``keep`` top Ritz vectors are returned in ``ritz``. One host synchronization per
    product (per block for the start block).

    >>> H = torch.diag(torch.tensor([-5.0, 1.0, 2.0, 3.0], dtype=torch.float64))
    >>> v = torch.ones(4, dtype=torch.float64)
    >>> r = block_rayleigh_ritz(lambda x: H @ x, [v], tol=1e-10, max_iter=10)
    >>> round(r.value, 8), r.hvps
    (3.0, 4)
    """
    if not start:
        raise ValueError("block_rayleigh_ritz needs at least one start vector")
    dtype = start[0].dtype
    Q = torch.linalg.qr(torch.stack([s.to(dtype) for s in start], dim=1))[0].T.contiguous()
    basis: list[torch.Tensor] = list(Q.unbind(0))
    images: list[torch.Tensor] = []
    M = T = G = np.zeros((0, 0))
    pending = list(basis)
    value, r1, bound, gap, s = math.nan, math.inf, math.inf, math.nan, np.ones((1, 1))
    while True:
        for q in pending:
            images.append(matvec(q))
        k0, k = len(images) - len(pending), len(images)
        Qd = torch.stack(basis).double()
        Wd = torch.stack(images).double()
        new = slice(k0, k)
        # the new columns of M, T (both ways, symmetrized on the host) and G: ONE transfer
        packed = torch.cat(
            [
                (Qd @ Qd[new].T).reshape(-1),
                (Qd @ Wd[new].T).reshape(-1),
                (Qd[new] @ Wd.T).reshape(-1),
                (Wd @ Wd[new].T).reshape(-1),
            ]
        )
        vals = np.asarray(packed.tolist(), dtype=np.float64)
        cols = k * (k - k0)
        blocks = [vals[i * cols : (i + 1) * cols].reshape(k, k - k0) for i in range(3)]
        blocks[2] = blocks[2].reshape(k - k0, k).T
        blocks.append(vals[3 * cols :].reshape(k, k - k0))
        M, T, G = (_grow(A, b) for A, b in ((M, blocks[0]), (T, blocks[1]), (G, blocks[3])))
        T[:, k0:] = (blocks[1] + blocks[2]) / 2
        T[k0:, :] = T[:, k0:].T
        evals, s = scipy.linalg.eigh(T, M)
        order = np.argsort(evals)[::-1]
        evals, s = evals[order], s[:, order]
        res = np.sqrt(np.maximum(np.einsum("ij,ik,kj->j", s, G, s) - evals**2, 0.0))
        value, r1 = float(evals[0]), float(res[0])
        gap = float(evals[0] - evals[1] - res[1]) if k > 1 else math.inf
        gap = min(gap, gap_cap)
        bound = _bound(value, r1, gap)
        if bound <= tol * abs(value) or k >= max_iter or r1 <= 1e-14 * abs(value):
            break
        sd = torch.as_tensor(s[:, 0], dtype=dtype).to(basis[0].device)
        Qs, Ws = torch.stack(basis), torch.stack(images)
        w = Ws.T @ sd - value * (Qs.T @ sd)
        for _ in range(2):  # classical Gram–Schmidt, twice (no host synchronization)
            w = w - Qs.T @ (Qs @ w)
        pending = [w / w.norm()]
        basis.append(pending[0])
    Qs = torch.stack(basis)
    ritz = []
    for j in range(min(keep, s.shape[1])):
        y = Qs.T @ torch.as_tensor(s[:, j], dtype=dtype).to(Qs.device)
        ritz.append(y / y.norm())
    return TrackedEig(
        value, ritz[0], len(images), r1, bound, gap, bound <= tol * abs(value), ritz=ritz
    )


def _grow(A: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``A`` (k0 x k0) grown to k x k with the new columns ``cols`` (k x (k-k0)), symmetric."""
    k, k0 = cols.shape[0], A.shape[0]
    out = np.zeros((k, k))
    out[:k0, :k0] = A
    out[:, k0:] = cols
    out[k0:, :] = cols.T
    return out


def random_unit(like: torch.Tensor, seed: int) -> torch.Tensor:
    """A seeded Gaussian unit vector with ``like``'s shape, dtype and device."""
    gen = torch.Generator().manual_seed(seed)
    v = torch.randn(like.shape, generator=gen, dtype=torch.float64).to(like)
    return v / v.norm()


class SharpnessTracker:
    r""":math:`\lambda_{\max}` at every step, warm-started per parity (see the module doc).

    ``tol``: stated relative eigenvalue error per estimate (bound / value). ``block``:
    Ritz vectors carried per parity and used as the start block. ``cross_parity``: add the
    other parity's top vector to the start block. ``check_every``: steps between cold
    checks (0: never), to eigenvalue error ``check_tol``. ``gap_safety``: the gap cap as
    a fraction of the last tight solve's gap. Counts ``fallbacks`` and ``checks``.
    """

    def __init__(
        self,
        *,
        tol: float = 1e-3,
        block: int = 2,
        cross_parity: bool = False,
        check_every: int = 50,
        check_tol: float = 1e-6,
        gap_safety: float = 0.5,
        max_iter: int = 100,
        seed: int = 0,
    ) -> None:
        if not (0 < tol < 1) or block < 1 or check_every < 0 or max_iter < 2:
            raise ValueError(
                f"need 0 < tol < 1, block >= 1, check_every >= 0, max_iter >= 2; got "
                f"{tol}, {block}, {check_every}, {max_iter}"
            )
        self.tol, self.block, self.cross_parity = tol, block, cross_parity
        self.check_every, self.check_tol, self.gap_safety = check_every, check_tol, gap_safety
        self.max_iter, self.seed = max_iter, seed
        self.blocks: dict[int, list[torch.Tensor]] = {0: [], 1: []}
        self.gaps: dict[int, float] = {0: math.inf, 1: math.inf}
        self.fallbacks = self.checks = 0

    def seed_vector(self, v: torch.Tensor | None) -> None:
        """Warm start both parities from ``v`` (e.g. a checkpoint's eigenvector)."""
        if v is not None:
            self.blocks = {0: [v], 1: [v]}

    def cold(self, matvec: MatVec, like: torch.Tensor, t: int, tol: float) -> TrackedEig:
        """A solve from a fresh seeded random vector to eigenvalue error ``tol``."""
        start = [random_unit(like, self.seed + 7919 * (t + 1))]
        res = block_rayleigh_ritz(
            matvec, start, tol=tol, max_iter=max(self.max_iter, 200), keep=self.block
        )
        return _replace(res, source="cold")

    def step(self, matvec: MatVec, like: torch.Tensor, t: int) -> TrackedEig:
        r""":math:`\lambda_{\max}` of ``matvec`` (the Hessian at :math:`\theta^t`)."""
        p = t % 2
        start = list(self.blocks[p] or self.blocks[1 - p])
        if self.cross_parity and self.blocks[p] and self.blocks[1 - p]:
            start.append(self.blocks[1 - p][0])
        if not start:
            res = self.cold(matvec, like, t, self.check_tol)
            self._keep(p, res, tight=True, both=True)
            return res
        cap = self.gap_safety * self.gaps[p] if math.isfinite(self.gaps[p]) else math.inf
        res = block_rayleigh_ritz(
            matvec, start, tol=self.tol, max_iter=self.max_iter, gap_cap=cap, keep=self.block
        )
        due = self.check_every and t % self.check_every == 0
        if not res.converged or due:
            self.checks += bool(due)
            ref = self.cold(matvec, like, t, self.check_tol)
            slack = res.bound + ref.bound + 1e-12 * abs(ref.value)
            ok = res.converged and abs(res.value - ref.value) <= slack
            hvps = res.hvps + ref.hvps
            if not ok:
                self.fallbacks += 1
                self._keep(p, ref, tight=True, both=True)
                return _replace(ref, hvps=hvps, source="fallback")
            self._keep(p, ref, tight=True)  # the tight solve's vectors and gap
            return _replace(res, hvps=hvps, source="checked", ritz=ref.ritz)
        self._keep(p, res, tight=False)
        return res

    def _keep(self, p: int, res: TrackedEig, *, tight: bool, both: bool = False) -> None:
        for q in (0, 1) if both else (p,):
            self.blocks[q] = [v.detach() for v in res.ritz[: self.block]]
            if tight:
                self.gaps[q] = res.gap


def _replace(res: TrackedEig, **changes: object) -> TrackedEig:
    from dataclasses import replace

    return replace(res, **changes)
