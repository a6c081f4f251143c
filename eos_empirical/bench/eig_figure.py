r"""Figure 3 of ``eos bench``: :math:`\lambda_{\max}` to :math:`10^{-3}` relative.

The engine's Lanczos against ``scipy.sparse.linalg.eigsh(which='LA')`` over
double-backward HVPs rebuilt for each product (the method of Cohen et al.'s code),
power iteration (PyHessian's method) and the peer libraries of
:mod:`eos_empirical.bench.peers` when they import; wall time, HVP count and the error
against a float64 reference converged to a relative residual of :math:`10^{-8}`.
Targets: at least 2× faster than eigsh, and fewer HVPs than power iteration at equal or
better accuracy.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from eos_empirical.bench.eig_trace import (
    EIG_TARGET,
    TracedMatVec,
    _result,
    hvps_to_accuracy,
    start_vector,
)
from eos_empirical.bench.peers import _peer_runners, peer_versions
from eos_empirical.bench.timing import paired_ratio, spread
from eos_empirical.bench.workload import Workload
from eos_empirical.cost import FullBatchCost
from eos_empirical.hessian import eigsh_top, lanczos_top, power_iteration

#: Reference: Lanczos in float64 to this relative residual. With the Kato–Temple bound
#: (see :mod:`eos_empirical.hessian`) its eigenvalue error is far below the 1e-3 judged.
REF_TOL = 1e-8


def reference_sharpness(w: Workload, *, max_iter: int = 300) -> dict[str, Any]:
    r""":math:`\lambda_{\max}` in float64 by Lanczos to relative residual ``REF_TOL``."""
    cost64 = FullBatchCost(w.net, w.x.double(), w.labels, w.labels, "ce")
    start = time.perf_counter()
    res = lanczos_top(
        cost64.hvp_operator(w.theta.double()),
        w.theta.double(),
        tol=REF_TOL,
        max_iter=max_iter,
        seed=7,
    )
    return {
        "value": res.value,
        "hvps": res.hvps,
        "residual": res.residual,
        "rel_residual": res.residual / abs(res.value),
        "converged": res.converged,
        "seconds": time.perf_counter() - start,
        "dtype": "float64",
        "tol": REF_TOL,
        "method": "engine Lanczos (full reorthogonalization), seed 7",
    }


def ours(w: Workload, ref: float, seed: int) -> dict[str, Any]:
    """The engine's sharpness: Lanczos over the retained-graph HVP, tol 1e-3."""
    start = time.perf_counter()
    mv = TracedMatVec(w.cost.hvp_operator(w.theta), "lanczos")
    res = lanczos_top(mv, w.theta, v0=start_vector(w.theta, seed), tol=EIG_TARGET)
    sec = time.perf_counter() - start
    kt = mv.kato_temple_stop(EIG_TARGET)
    proto = (
        None
        if kt is None
        else {"hvps": kt[0], "value": kt[1], "rel_error": abs(kt[1] - ref) / abs(ref)}
    )
    return _result(
        res.value,
        res.hvps,
        ref,
        sec,
        converged=res.converged,
        hvps_to_tol=hvps_to_accuracy(mv.estimates, ref, EIG_TARGET),
        trace=mv.estimates,
        kato_temple_stop=proto,
    )


def _eigsh(w: Workload, ref: float, seed: int, *, retain: bool) -> dict[str, Any]:
    """ARPACK ``which='LA'`` to ``EIG_TARGET`` over HVPs with or without a retained graph."""
    start = time.perf_counter()
    mv = TracedMatVec(w.cost.hvp_operator(w.theta, retain=retain))
    res = eigsh_top(mv, w.theta, v0=start_vector(w.theta, seed), tol=EIG_TARGET)
    sec = time.perf_counter() - start
    return _result(
        res.value,
        mv.count,
        ref,
        sec,
        converged=res.converged,
        note="count includes eigsh_top's final residual check",
    )


def eigsh_cohen(w: Workload, ref: float, seed: int) -> dict[str, Any]:
    """ARPACK ``which='LA'`` over double-backward HVPs rebuilt per product (Cohen et al.)."""
    return _eigsh(w, ref, seed, retain=False)


def eigsh_retained(w: Workload, ref: float, seed: int) -> dict[str, Any]:
    """ARPACK ``which='LA'`` over the engine's retained-graph HVP (algorithm-only contrast)."""
    return _eigsh(w, ref, seed, retain=True)


def power(w: Workload, ref: float, seed: int, *, max_iter: int) -> dict[str, Any]:
    """Power iteration over the retained-graph HVP, residual rule at 1e-3 (largest |λ|)."""
    start = time.perf_counter()
    mv = TracedMatVec(w.cost.hvp_operator(w.theta), "rayleigh")
    res = power_iteration(
        mv, w.theta, v0=start_vector(w.theta, seed), tol=EIG_TARGET, max_iter=max_iter
    )
    sec = time.perf_counter() - start
    return _result(
        res.value,
        res.hvps,
        ref,
        sec,
        converged=res.converged,
        hvps_to_tol=hvps_to_accuracy(mv.estimates, ref, EIG_TARGET),
        max_iter=max_iter,
        trace=mv.estimates,
        note="largest |eigenvalue|: equals lambda_max only when the top eigenvalue "
        "dominates the most negative one in magnitude",
    )


def eig_figure(
    w: Workload,
    ref: dict[str, Any],
    *,
    rounds: int,
    power_iter: int,
    peers: bool,
    seed: int = 0,
    log: Callable[[str], None] = lambda line: None,
) -> dict[str, Any]:
    """All solvers on ``w`` (see the module docstring); cheap ones for ``rounds`` rounds.

    ``log`` is given each solver's HVP count and seconds as it finishes. Rounds rotate the
    engine's Lanczos and the two eigsh variants (interleaved, so the time ratios are
    paired); power iteration and the peers, whose HVP counts and errors do not change
    between rounds, run once.
    """
    value = float(ref["value"])
    cheap = {
        "lanczos (engine)": lambda: ours(w, value, seed),
        "eigsh LA, rebuilt double-backward HVP (Cohen et al.)": lambda: eigsh_cohen(w, value, seed),
        "eigsh LA, retained-graph HVP": lambda: eigsh_retained(w, value, seed),
    }
    runs: dict[str, list[dict[str, Any]]] = {k: [] for k in cheap}
    for _ in range(rounds):
        for name, fn in cheap.items():
            runs[name].append(fn())
            log(f"{name}: {runs[name][-1]['hvps']} HVPs, {runs[name][-1]['seconds']:.1f} s")
    first = runs["lanczos (engine)"][0]["hvps"]
    once: dict[str, Callable[[], dict[str, Any]]] = {
        "power iteration (residual rule)": lambda: power(w, value, seed, max_iter=power_iter)
    }
    skipped: dict[str, str] = {}
    if peers:
        versions = peer_versions()
        for name, fn in _peer_runners(w, value, seed, first, power_iter).items():
            if versions[name] is None:
                skipped[name] = "not installed (pip install --no-deps, see docs/benchmarks.md)"
            else:
                once[name] = fn
    for name, fn in once.items():
        try:
            runs[name] = [fn()]
            log(f"{name}: {runs[name][-1]['hvps']} HVPs, {runs[name][-1]['seconds']:.1f} s")
        except Exception as exc:  # a peer that cannot run is skipped with its reason
            skipped[name] = f"{type(exc).__name__}: {exc}"[:300]
    methods = {}
    for name, rs in runs.items():
        last = dict(rs[-1])
        last.pop("trace", None)
        last["seconds"] = spread([r["seconds"] for r in rs])
        methods[name] = last
    ours_t = [r["seconds"] for r in runs["lanczos (engine)"]]
    cohen = "eigsh LA, rebuilt double-backward HVP (Cohen et al.)"
    speedups = {
        name: paired_ratio([r["seconds"] for r in runs[name]], ours_t[: len(runs[name])])
        for name in runs
        if name != "lanczos (engine)"
    }
    traces = {name: rs[0].get("trace") for name, rs in runs.items() if rs[0].get("trace")}
    return {
        "reference": ref,
        "methods": methods,
        "time_ratio_vs_lanczos": speedups,
        "skipped": skipped,
        "rounds": rounds,
        "cohen_key": cohen,
        "traces": {k: [round(e, 10) for e in v] for k, v in traces.items()},
    }
