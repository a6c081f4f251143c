r"""Sharpness :math:`\lambda_{\max}(\nabla^2 f(\theta))` from Hessian-vector products.

The largest ALGEBRAIC eigenvalue (the paper's sharpness, Section 4.4 and Cohen et al.
2021), not the largest in magnitude: a network's Hessian is indefinite and its most
negative eigenvalue can be the larger in magnitude.

:func:`lanczos_top` is the engine's solver: Lanczos with full reorthogonalization,
warm-started from the previous top eigenvector. Stopping rule: after :math:`k` steps the
Ritz pair :math:`(\vartheta, y)` of the tridiagonal :math:`T_k` has residual

.. math::

    \|\nabla^2 f\, y - \vartheta y\| = \beta_k |s_k|

(:math:`s_k` the last entry of the eigenvector of :math:`T_k`), and for a symmetric matrix
some eigenvalue lies within that residual of :math:`\vartheta`; moreover
:math:`\vartheta \le \lambda_{\max}` (Cauchy interlacing), and when the gap
:math:`\delta` to the next eigenvalue exceeds the residual, Kato–Temple gives
:math:`0 \le \lambda_{\max} - \vartheta \le \text{residual}^2/\delta`. The solver stops
when ``residual <= tol * |theta|``, so the returned value is within ``tol`` (relative) of
an eigenvalue and a lower bound on :math:`\lambda_{\max}`; it is :math:`\lambda_{\max}`
itself unless the start vector is (numerically) orthogonal to the top eigenvector, which a
random start or a warm start from a nearby top eigenvector rules out in practice.

:func:`power_iteration` (the largest-magnitude eigenvalue, same residual rule) and
:func:`eigsh_top` (ARPACK through ``scipy.sparse.linalg.eigsh``, ``which='LA'``, the
method of Cohen et al.'s code) are here for comparison and benchmarks.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from scipy.linalg import eigh_tridiagonal

MatVec = Callable[[torch.Tensor], torch.Tensor]

#: Default relative tolerance on the top eigenvalue (residual / |eigenvalue|).
EIG_TOL = 1e-3
#: Default cap on Lanczos steps (HVPs) per eigenvalue.
EIG_MAX_ITER = 100


@dataclass(frozen=True)
class EigResult:
    r"""An eigenvalue estimate: ``value``, unit ``vector``, number of Hessian-vector products
    ``hvps``, residual norm ``residual`` :math:`\\|Hv - \\lambda v\\|`, and ``converged``
    (residual within the tolerance).
    """  # noqa: D205

    value: float
    vector: torch.Tensor
    hvps: int
    residual: float
    converged: bool


def _start(v0: torch.Tensor | None, like: torch.Tensor, seed: int) -> torch.Tensor:
    # one host synchronization: finite and nonzero, tested together
    if v0 is not None and bool(torch.isfinite(v0).all() & (v0.norm() > 0)):
        v = v0.to(device=like.device, dtype=like.dtype).clone()
    else:
        gen = torch.Generator().manual_seed(seed)
        v = torch.randn(like.shape, generator=gen, dtype=torch.float64).to(like)
    return v / v.norm()


def lanczos_expand(
    matvec: MatVec, basis: list[torch.Tensor], beta_prev: float
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    r"""One Lanczos step on the device, no host synchronization.

    With :math:`q_k` = ``basis[-1]``: :math:`w = Hq_k - \alpha_k q_k - \beta_{k-1}q_{k-1}`,
    :math:`\alpha_k = q_k^\top Hq_k`, then full reorthogonalization against ``basis``
    (twice, modified Gram–Schmidt); returns ``(w, alpha_k, beta_k = ||w||)`` as tensors.
    """
    q = basis[-1]
    w = matvec(q)
    alpha = torch.dot(q, w)
    w = w - alpha * q
    if len(basis) > 1:
        w = w - beta_prev * basis[-2]
    for _ in range(2):
        for b in basis:
            w = w - torch.dot(b, w) * b
    return w, alpha, w.norm()


def lanczos_top(
    matvec: MatVec,
    like: torch.Tensor,
    *,
    v0: torch.Tensor | None = None,
    tol: float = EIG_TOL,
    max_iter: int = EIG_MAX_ITER,
    seed: int = 0,
) -> EigResult:
    r"""Largest algebraic eigenvalue of a symmetric operator by Lanczos (see module doc).

    ``matvec`` is :math:`v \mapsto Hv`, ``like`` a tensor with the shape, dtype and device
    of :math:`v`, ``v0`` the warm start (else a seeded Gaussian), ``tol`` the relative
    residual at which to stop, ``max_iter`` the most products. Full reorthogonalization
    (twice, modified Gram–Schmidt) keeps the basis orthonormal in float32 too.

    >>> H = torch.diag(torch.tensor([-5.0, 1.0, 3.0], dtype=torch.float64))
    >>> r = lanczos_top(lambda v: H @ v, torch.zeros(3, dtype=torch.float64), tol=1e-10)
    >>> round(r.value, 8), r.hvps <= 3
    (3.0, True)
    """
    if not (tol > 0 and math.isfinite(tol)):
        raise ValueError(f"tol must be finite and > 0, got {tol}")
    if max_iter < 1:
        raise ValueError(f"max_iter must be >= 1, got {max_iter}")
    q = _start(v0, like, seed)
    basis = [q]
    alphas: list[float] = []
    betas: list[float] = []
    value, s, residual = math.nan, np.ones(1), math.inf
    for k in range(max_iter):
        w, alpha_t, beta_t = lanczos_expand(matvec, basis, betas[-1] if k else 0.0)
        alpha, beta = torch.stack([alpha_t, beta_t]).tolist()  # the iteration's one sync
        alphas.append(alpha)
        evals, evecs = (
            eigh_tridiagonal(np.array(alphas), np.array(betas))
            if k
            else (np.array(alphas), np.ones((1, 1)))
        )
        value, s = float(evals[-1]), evecs[:, -1]
        residual = beta * abs(float(s[-1]))
        if residual <= tol * abs(value) or beta <= 1e-12 * max(abs(value), 1e-300):
            break
        betas.append(beta)
        q = w / beta
        basis.append(q)
    Q = torch.stack(basis[: len(s)])
    vec = Q.T @ torch.as_tensor(s, dtype=Q.dtype, device=Q.device)
    vec = vec / vec.norm()
    return EigResult(value, vec, len(alphas), residual, residual <= tol * abs(value))


def power_iteration(
    matvec: MatVec,
    like: torch.Tensor,
    *,
    v0: torch.Tensor | None = None,
    tol: float = EIG_TOL,
    max_iter: int = 1000,
    seed: int = 0,
) -> EigResult:
    r"""Largest-MAGNITUDE eigenvalue by power iteration, stopped when
    :math:`\|Hv - \lambda v\| \le` ``tol`` :math:`|\lambda|` (for comparison with Lanczos).

    >>> H = torch.diag(torch.tensor([-5.0, 1.0, 3.0], dtype=torch.float64))
    >>> round(power_iteration(lambda v: H @ v, torch.zeros(3, dtype=torch.float64)).value, 2)
    -5.0
    """  # noqa: D205
    v = _start(v0, like, seed)
    value, residual, hvps = math.nan, math.inf, 0
    for _ in range(max_iter):
        w = matvec(v)
        hvps += 1
        value = float(torch.dot(v, w))
        residual = float((w - value * v).norm())
        if residual <= tol * abs(value):
            break
        v = w / w.norm()
    return EigResult(value, v, hvps, residual, residual <= tol * abs(value))


def eigsh_top(
    matvec: MatVec,
    like: torch.Tensor,
    *,
    v0: torch.Tensor | None = None,
    tol: float = EIG_TOL,
    seed: int = 0,
) -> EigResult:
    """Largest algebraic eigenvalue by ARPACK (``scipy.sparse.linalg.eigsh``, ``which='LA'``).

    Each product converts to and from float64 numpy on the CPU, as Cohen et al.'s code does.
    ARPACK's ``tol`` is the same relative residual rule as :func:`lanczos_top`.
    """
    from scipy.sparse.linalg import LinearOperator, eigsh

    count = [0]

    def mv(x: np.ndarray) -> np.ndarray:
        count[0] += 1
        v = torch.as_tensor(np.ascontiguousarray(x).ravel(), device=like.device).to(like.dtype)
        return matvec(v).detach().cpu().double().numpy()

    n = like.numel()
    start = _start(v0, like, seed).detach().cpu().double().numpy()
    op = LinearOperator((n, n), matvec=mv, dtype=np.float64)
    evals, evecs = eigsh(op, k=1, which="LA", tol=tol, v0=start)
    vec = torch.as_tensor(evecs[:, 0], device=like.device).to(like.dtype)
    residual = float((matvec(vec) - float(evals[0]) * vec).norm())
    return EigResult(float(evals[0]), vec, count[0], residual, residual <= tol * abs(evals[0]))
