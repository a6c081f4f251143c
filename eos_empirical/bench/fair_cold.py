r"""Figure 6 of ``eos bench --fair``: :math:`\lambda_{\max}` cold, at equal true error.

At the workload's initialization (float32), every solver is run at the cheapest setting
that brings its estimate within :math:`10^{-3}` relative of the float64 reference
(:mod:`eos_empirical.bench.equal_error`): its tolerance scanned over ``TOLS`` (loose to
tight), or its iteration count over ``ITERS`` for the solvers whose knob is a count, and
for ARPACK also ``ncv`` in ``EIGSH_NCV`` and for LOBPCG the block size in ``BLOCKS`` (the
best reported). The solvers of :mod:`eos_empirical.bench.tunable_solvers` share the
engine's retained-graph HVP (built inside each timed run, once per solve) and the seeded
start vector; the peer libraries (pyhessian, hessian-eigenthings, curvlinops) force
their own HVP through their API and are counted and timed as called (pyhessian and
hessian-eigenthings also draw their own seeded start).

Seconds: the best settings are re-run in ``rounds`` interleaved rounds (A, B, C, A, B, C,
...) together with the engine's Lanczos at its production stopping rule (relative
residual :math:`10^{-3}`, ``eos run``'s default); each time ratio is the median over the
rounds of the per-round ratio. HVP counts are deterministic (one run each).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import Any

from eos_empirical.bench.equal_error import TARGET, best_of, rel_error, scan, scan_count
from eos_empirical.bench.peers import (
    peer_curvlinops,
    peer_eigenthings_fixed,
    peer_pyhessian,
    peer_versions,
)
from eos_empirical.bench.timing import interleave, paired_ratio, spread
from eos_empirical.bench.tunable_solvers import (
    eigsh_la,
    lanczos,
    lobpcg,
    power,
    rayleigh_ritz,
    start_block,
)
from eos_empirical.bench.workload import Workload
from eos_empirical.hessian import EIG_TOL

#: Tolerances scanned, loose to tight.
TOLS = (1e-1, 3e-2, 1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5, 1e-6)
#: Iteration counts scanned (doubling, then bisection) for the solvers whose knob is a count.
ITERS = (1, 80)
#: ARPACK's Lanczos basis sizes scanned (issue 16 item 2).
EIGSH_NCV = (4, 6, 8)
#: LOBPCG block sizes scanned (centralflows tracks a small block of top eigenvectors).
BLOCKS = (1, 2, 3)
#: The engine's solver (the denominator of every ratio).
OURS = "Lanczos (engine, residual rule)"

Run = Callable[[dict[str, Any]], tuple[float, int, float]]


def _same_hvp(w: Workload, seed: int, solver: Callable[..., Any], k: int = 1, **fixed: Any) -> Run:
    """A run of ``solver`` over the retained-graph HVP built inside the timed region."""

    def run(setting: dict[str, Any]) -> tuple[float, int, float]:
        tick = time.perf_counter()
        mv = w.cost.hvp_operator(w.theta)
        s = solver(mv, w.theta, start_block(w.theta, seed, k), **fixed, **setting)
        return s.value, s.hvps, time.perf_counter() - tick

    return run


def _peer(fn: Callable[..., dict[str, Any]], w: Workload, ref: float, seed: int, **fixed: Any):
    def run(setting: dict[str, Any]) -> tuple[float, int, float]:
        r = fn(w, ref, seed, **fixed, **setting)
        return r["value"], r["hvps"], r["seconds"]

    return run


def methods(
    w: Workload, ref: float, seed: int, *, quick: bool, peers: bool
) -> dict[str, dict[str, Any]]:
    """Each method: its kind (ours / same HVP / own HVP), families of settings, note."""
    tols = TOLS[::2] if quick else TOLS
    hi = 12 if quick else ITERS[1]
    ts = [{"tol": t} for t in tols]
    out: dict[str, dict[str, Any]] = {
        OURS: {"kind": "ours", "families": {"": (ts, _same_hvp(w, seed, lanczos))}},
        "block Rayleigh–Ritz, Kato–Temple rule (tracker's solver)": {
            "kind": "ours",
            "families": {"": (ts, _same_hvp(w, seed, rayleigh_ritz))},
        },
        "eigsh LA (ARPACK)": {
            "kind": "same HVP",
            "families": {
                f"ncv={c}": (ts, _same_hvp(w, seed, eigsh_la, ncv=c))
                for c in (EIGSH_NCV[:1] if quick else EIGSH_NCV)
            },
        },
        "LOBPCG (scipy)": {
            "kind": "same HVP",
            "families": {
                f"block={k}": (("maxiter", 1, hi), _same_hvp(w, seed, lobpcg, k=k))
                for k in (BLOCKS[:1] if quick else BLOCKS)
            },
        },
        "power iteration (residual rule)": {
            "kind": "same HVP",
            "families": {"": (ts, _same_hvp(w, seed, power))},
            "note": "largest |eigenvalue| (equals lambda_max here: the top eigenvalue dominates)",
        },
    }
    if peers:
        have = peer_versions()
        if have["pyhessian"]:
            out["pyhessian"] = {
                "kind": "own HVP",
                "families": {"": (ts, _peer(peer_pyhessian, w, ref, seed, max_iter=300))},
                "note": "power iteration; stops on a relative change < tol; own start",
            }
        if have["hessian-eigenthings"]:
            out["hessian-eigenthings"] = {
                "kind": "own HVP",
                "families": {
                    "": (("max_iter", 2, hi), _peer(peer_eigenthings_fixed, w, ref, seed))
                },
                "note": "fixed-length Lanczos (max_iter is its knob); graph rebuilt per "
                "product; own start",
            }
        if have["curvlinops-for-pytorch"]:
            out["curvlinops-for-pytorch (eigsh LA)"] = {
                "kind": "own HVP",
                "families": {},  # filled with eigsh's best ncv (same algorithm, own HVP)
                "note": "forward-over-reverse HVP; eigsh at the ncv best for ARPACK above",
            }
    return out


def cold_figure(
    w: Workload,
    ref: dict[str, Any],
    *,
    rounds: int,
    peers: bool,
    quick: bool = False,
    seed: int = 0,
    log: Callable[[str], None] = lambda text: None,
) -> dict[str, Any]:
    """Scan every method to its cheapest setting at 1e-3, then time the best settings
    (each method's result to ``log``)."""  # noqa: D205, D209
    value = float(ref["value"])
    table = methods(w, value, seed, quick=quick, peers=peers)
    ts = [{"tol": t} for t in (TOLS[::2] if quick else TOLS)]
    out: dict[str, Any] = {}
    runs: dict[str, Callable[[], tuple[float, int, float]]] = {}
    for name, m in table.items():
        if name.startswith("curvlinops"):
            ncv = out.get("eigsh LA (ARPACK)", {}).get("best_family") or "ncv=6"
            c = int(ncv.split("=")[1])
            m["families"] = {ncv: (ts, _peer(peer_curvlinops, w, value, seed, ncv=c))}
        scans = {}
        for fam, (settings, run) in m["families"].items():
            scans[fam] = (
                scan_count(run, settings[0], settings[1], settings[2], value)
                if isinstance(settings, tuple)
                else scan(run, settings, value)
            )
            b = scans[fam]["best"]
            log(
                f"cold {name} {fam}: "
                + (f"{b['hvps']} HVPs at {b['setting']}" if b else "target not reached")
            )
        fam_key, best = best_of(scans)
        out[name] = {
            "kind": m["kind"],
            "scans": scans,
            "best_family": fam_key,
            "best": best,
            "note": m.get("note", ""),
        }
        if best is not None:
            runs[name] = partial(m["families"][fam_key][1], best["setting"])
    prod_run = _same_hvp(w, seed, lanczos)
    runs["production"] = partial(prod_run, {"tol": EIG_TOL})
    results: dict[str, list[tuple[float, int, float]]] = {k: [] for k in runs}

    def record(k: str) -> None:
        results[k].append(runs[k]())

    ops: dict[str, Callable[[], object]] = {k: partial(record, k) for k in runs}
    times = interleave(ops, repeats=rounds, warmup=0)
    pv, ph, _ = results["production"][0]
    production = {
        "setting": {"tol": EIG_TOL},
        "value": pv,
        "hvps": ph,
        "rel_error": rel_error(pv, value),
        "meets": rel_error(pv, value) <= TARGET,
        "seconds": spread(times["production"]),
    }
    ours_t = times.get(OURS)
    for name, rec in out.items():
        if name not in times:
            continue
        rec["seconds"] = spread(times[name])
        if ours_t:
            rec["time_ratio_vs_ours_best"] = paired_ratio(times[name], ours_t)
            rec["hvp_ratio_vs_ours_best"] = rec["best"]["hvps"] / out[OURS]["best"]["hvps"]
        rec["time_ratio_vs_ours_production"] = paired_ratio(times[name], times["production"])
        rec["hvp_ratio_vs_ours_production"] = rec["best"]["hvps"] / ph
    same = {
        n: r for n, r in out.items() if r["kind"] == "same HVP" and r.get("time_ratio_vs_ours_best")
    }
    best_peer = min(same, key=lambda n: same[n]["seconds"]["median"]) if same else None
    return {
        "reference": ref,
        "target": TARGET,
        "methods": out,
        "production": production,
        "best_same_hvp_peer": best_peer,
        "rounds": rounds,
        "timing": "best settings re-run in interleaved rounds; ratio = median of per-round ratios",
        "grids": {
            "tol": list(TOLS[::2] if quick else TOLS),
            "iters": [ITERS[0], 12 if quick else ITERS[1]],
            "eigsh_ncv": list(EIGSH_NCV),
            "lobpcg_blocks": list(BLOCKS),
        },
    }
