"""The peer sharpness libraries of figure 3, each run its documented way.

pyhessian (power iteration), curvlinops-for-pytorch (its linear operator under
``eigsh(which='LA')``) and hessian-eigenthings (its fixed-length Lanczos), on a plain
``nn.Module`` copy of the workload's net, with their HVPs counted; installed with
``pip install --no-deps`` (the ``bench`` extra), skipped with the reason when absent.
"""

from __future__ import annotations

import contextlib
import math
import time
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from eos_empirical.bench.eig_trace import EIG_TARGET, _result, start_vector
from eos_empirical.bench.hvp_figure import _jvp_quiet
from eos_empirical.bench.workload import Workload, torch_module

PEERS = ("pyhessian", "curvlinops-for-pytorch", "hessian-eigenthings")


def peer_versions() -> dict[str, str | None]:
    """Installed versions of the peer libraries (``None`` when absent)."""
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, str | None] = {}
    for name in PEERS:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


@contextlib.contextmanager
def _quiet_peer() -> Iterator[None]:
    # pyhessian calls loss.backward(create_graph=True), on which torch warns about a
    # reference cycle between parameters and their gradients; that is the peer's design.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*create_graph=True.*", category=UserWarning)
        yield


def peer_pyhessian(
    w: Workload, ref: float, seed: int, *, max_iter: int, tol: float = EIG_TARGET
) -> dict[str, Any]:
    """pyhessian's ``hessian(...).eigenvalues(tol=tol)``: power iteration, stopped when
    the eigenvalue changes by less than ``tol`` (relative) between two products.
    """  # noqa: D205
    import importlib

    # the package re-exports the class under the module's name: fetch the module itself
    ph = importlib.import_module("pyhessian.hessian")

    model = torch_module(w.net, w.theta)
    count = [0]
    original = ph.hessian_vector_product

    def counted(*args: Any, **kwargs: Any) -> Any:
        count[0] += 1
        return original(*args, **kwargs)

    start = time.perf_counter()
    ph.hessian_vector_product = counted
    old_dtype = torch.get_default_dtype()
    try:
        with _quiet_peer(), torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            torch.set_default_dtype(w.dtype)  # its start vector is torch.randn(p.size())
            h = ph.hessian(
                model, nn.CrossEntropyLoss(), data=(w.x, w.labels), cuda=w.device.type == "cuda"
            )
            values, _ = h.eigenvalues(maxIter=max_iter, tol=tol, top_n=1)
    finally:
        ph.hessian_vector_product = original
        torch.set_default_dtype(old_dtype)
    sec = time.perf_counter() - start
    return _result(
        float(values[0]),
        count[0],
        ref,
        sec,
        max_iter=max_iter,
        note="power iteration (largest |eigenvalue|); stops on a relative change "
        "< tol of the estimate, not on the residual",
    )


def peer_curvlinops(
    w: Workload, ref: float, seed: int, *, tol: float = EIG_TARGET, ncv: int | None = None
) -> dict[str, Any]:
    """curvlinops' ``HessianLinearOperator(...).to_scipy()`` with ``eigsh(which='LA')``
    (the library's documented route to eigenvalues; its HVP is forward-over-reverse);
    ``ncv`` ``None`` is eigsh's default.
    """  # noqa: D205
    from curvlinops import HessianLinearOperator
    from scipy.sparse.linalg import LinearOperator, eigsh

    model = torch_module(w.net, w.theta)
    start = time.perf_counter()
    op = HessianLinearOperator(
        model,
        nn.CrossEntropyLoss(),
        list(model.parameters()),
        [(w.x, w.labels)],
        check_deterministic=False,
        num_data=w.n,
    )
    sp = op.to_scipy()
    count = [0]

    def mv(x: np.ndarray) -> np.ndarray:
        count[0] += 1
        return sp.matvec(x)

    lin = LinearOperator(sp.shape, matvec=mv, dtype=sp.dtype)
    v0 = start_vector(w.theta, seed).cpu().numpy().astype(sp.dtype)
    with _jvp_quiet():
        vals = eigsh(lin, k=1, which="LA", tol=tol, ncv=ncv, v0=v0, return_eigenvectors=False)
    sec = time.perf_counter() - start
    return _result(
        float(vals[0]),
        count[0],
        ref,
        sec,
        note="check_deterministic=False (its default True costs extra passes)",
    )


def peer_eigenthings(w: Workload, ref: float, seed: int, *, first: int) -> dict[str, Any]:
    """hessian-eigenthings' ``lanczos(which='LA', tol=1e-3)`` on its ``HessianOperator``.

    Its Lanczos runs a fixed ``max_iter`` (no early stop). We give it ``first`` (the
    engine's count) and raise it by half until its own residual test passes; the figure
    is the passing run (a best case: a user must choose ``max_iter`` in advance).
    """
    m, tried = max(2, first), []
    while True:
        res, sec = _eigenthings_run(w, seed, m)
        tried.append(m)
        if bool(res.converged[0]) or m >= 200:
            break
        m = math.ceil(1.5 * m)
    return _result(
        float(res.eigenvalues[0]),
        int(res.iterations),
        ref,
        sec,
        converged=bool(res.converged[0]),
        max_iter_tried=tried,
        note="fixed max_iter chosen in advance (see tried); its HVP rebuilds the graph per product",
    )


def _eigenthings_run(w: Workload, seed: int, max_iter: int) -> tuple[Any, float]:
    """One ``lanczos(which='LA', max_iter=max_iter)`` of hessian-eigenthings, timed."""
    import hessian_eigenthings as he

    start = time.perf_counter()
    model = torch_module(w.net, w.theta)
    op = he.HessianOperator(model, [(w.x, w.labels)], he.supervised_loss(F.cross_entropy))
    res = he.lanczos(op, k=1, which="LA", tol=EIG_TARGET, max_iter=max_iter, seed=seed)
    return res, time.perf_counter() - start


def peer_eigenthings_fixed(w: Workload, ref: float, seed: int, *, max_iter: int) -> dict[str, Any]:
    """hessian-eigenthings' Lanczos for exactly ``max_iter`` steps (its one knob)."""
    res, sec = _eigenthings_run(w, seed, max_iter)
    return _result(float(res.eigenvalues[0]), int(res.iterations), ref, sec, max_iter=max_iter)


def _peer_runners(
    w: Workload, ref: float, seed: int, first: int, power_iter: int
) -> dict[str, Callable[[], dict[str, Any]]]:
    return {
        "pyhessian": lambda: peer_pyhessian(w, ref, seed, max_iter=power_iter),
        "curvlinops-for-pytorch": lambda: peer_curvlinops(w, ref, seed),
        "hessian-eigenthings": lambda: peer_eigenthings(w, ref, seed, first=first),
    }
