r"""Figure 7 of ``eos bench --fair``: :math:`\lambda_{\max}` warm, along an edge-of-stability run.

The run: plain GD (float32) on the workload (tanh, cross-entropy, :math:`\eta = 2/30`)
from the initialization of seed 0. Every ``probe_every`` = 20 steps the engine's
sharpness (``eos run --eig-every 20``: Lanczos to relative residual :math:`10^{-3}`,
warm-started from the previous estimate's vector, over a freshly built gradient graph)
is measured and timed next to that step's plain gradient, which gives the overhead of one
estimate every 20 steps. Once a probe reaches :math:`2/\eta` (the onset), GD runs
``delay`` more steps (into the oscillating regime), then ``burn_in`` steps in which every
solver warms up (not judged), then the ``window`` of judged steps.

At each step :math:`t` of burn-in and window, over the graph of that step's own gradient
(``FullBatchCost.value_grad_acc_hvp``, as ``eos run --eig-every 1`` does):

- the timed pair: a plain GD step's gradient (``value_grad_acc``) and the tracked step
  (``SharpnessTracker.step`` with its defaults, then the kept-graph gradient at
  :math:`\theta_{t+1}`): the per-step tracking target of issue 16 item 1;
- every warm configuration of :data:`configs` runs from its OWN previous vectors
  (SharpnessTracker: its per-parity blocks of step :math:`t-2`; the engine's Lanczos,
  eigsh and power iteration: the previous step's vector; LOBPCG: the previous step's block,
  as centralflows warm-starts it), with its products counted;
- the reference: float64 Lanczos to relative residual :math:`10^{-8}`, warm from the
  previous reference vector, and cold (seeded random start) on the first judged step and
  every ``cold_every`` judged steps (the larger of the two converged Ritz values, both
  lower bounds on :math:`\lambda_{\max}`).

Per configuration: HVPs per step (median, mean, p90) and the fraction of judged steps
within :math:`10^{-3}` of the reference; per method the best configuration is the one
with the fewest mean HVPs among those within :math:`10^{-3}` at :math:`\ge 95\%` of the
steps (:func:`eos_empirical.bench.equal_error.window_best`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import torch

from eos_empirical.bench.equal_error import (
    TARGET,
    WINDOW_NEED,
    rel_error,
    window_best,
    window_summary,
)
from eos_empirical.bench.timing import paired_ratio, spread
from eos_empirical.bench.tunable_solvers import (
    MatVec,
    eigsh_la,
    lanczos,
    lobpcg,
    power,
    rayleigh_ritz,
    start_block,
)
from eos_empirical.bench.workload import Workload
from eos_empirical.cost import FullBatchCost
from eos_empirical.diagnostics import sharpness
from eos_empirical.hessian import lanczos_top
from eos_empirical.sharpness_tracking import SharpnessTracker

#: Reference: float64 Lanczos to this relative residual.
REF_TOL = 1e-8
#: The production tracker (``eos run --eig-every 1``: SharpnessTracker's defaults).
PRODUCTION = "SharpnessTracker, production (defaults block 2, tol 1e-3, check every 50)"


class _Carry:
    """A solver warm-started from its own previous vectors (cold from the shared start)."""

    def __init__(self, solver: Callable[..., Any], k: int, seed: int, **setting: Any) -> None:
        self.solver, self.k, self.seed, self.setting = solver, k, seed, setting
        self.vectors: list[torch.Tensor] | None = None

    def seed_with(self, vectors: list[torch.Tensor]) -> None:
        """Start the first solve from ``vectors`` (the shared tight cold solve)."""
        self.vectors = list(vectors[: self.k])

    def __call__(self, mv: MatVec, like: torch.Tensor, t: int) -> tuple[float, int]:
        start = self.vectors or start_block(like, self.seed, self.k)
        s = self.solver(mv, like, start, **self.setting)
        if math.isfinite(s.value):
            self.vectors = s.vectors[: self.k]
        return s.value, s.hvps


class _Tracked:
    """A :class:`SharpnessTracker` configuration (per-parity warm starts)."""

    def __init__(self, **kw: Any) -> None:
        self.tr = SharpnessTracker(**kw)

    def seed_with(self, vectors: list[torch.Tensor]) -> None:
        """Both parities start from ``vectors`` (the shared tight cold solve)."""
        self.tr.blocks = {p: list(vectors[: self.tr.block]) for p in (0, 1)}

    def __call__(self, mv: MatVec, like: torch.Tensor, t: int) -> tuple[float, int]:
        est = self.tr.step(mv, like, t)
        return est.value, est.hvps


def configs(seed: int, *, quick: bool) -> dict[str, dict[str, Any]]:
    """The warm configurations: name -> method, kind and a fresh stateful solver."""
    out: dict[str, dict[str, Any]] = {}

    def add(method: str, kind: str, name: str, solver: Any) -> None:
        out[f"{method}: {name}"] = {"method": method, "kind": kind, "solve": solver}

    trk = "SharpnessTracker"
    for block in (1, 2):
        for tol in (1e-2,) if quick else (1e-2, 1e-3):
            add(trk, "ours", f"block {block}, tol {tol:g}, no checks",
                _Tracked(tol=tol, block=block, check_every=0, seed=seed))  # fmt: skip
    for tol in (1e-2,) if quick else (3e-2, 1e-2, 1e-3):
        add("Lanczos (engine), warm", "ours", f"tol {tol:g}", _Carry(lanczos, 1, seed, tol=tol))
    for ncv in (4,) if quick else (4, 6, 8):
        for tol in (1e-2,) if quick else (1e-2, 1e-3):
            add("eigsh LA, v0 = previous vector", "same HVP", f"ncv {ncv}, tol {tol:g}",
                _Carry(eigsh_la, 1, seed, ncv=ncv, tol=tol))  # fmt: skip
    for k in (1,) if quick else (1, 2):
        for m in (1,) if quick else (1, 2, 4):
            add("LOBPCG (scipy), previous block", "same HVP", f"block {k}, maxiter {m}",
                _Carry(lobpcg, k, seed, maxiter=m))  # fmt: skip
    for tol in (1e-2,) if quick else (1e-2, 3e-3):
        add("power iteration, previous vector", "same HVP", f"tol {tol:g}",
            _Carry(power, 1, seed, tol=tol))  # fmt: skip
    return out


def _reference(h64: MatVec, like64: torch.Tensor, v0: torch.Tensor | None, seed: int | None):
    res = lanczos_top(h64, like64, v0=v0, tol=REF_TOL, max_iter=300, seed=seed or 0)
    return res


def warm_figure(
    w: Workload,
    *,
    eta: float = 2 / 30,
    window: int = 30,
    burn_in: int = 4,
    delay: int = 60,
    max_pre: int = 3000,
    probe_every: int = 20,
    cold_every: int = 10,
    quick: bool = False,
    seed: int = 0,
    log: Callable[[str], None] = lambda text: None,
) -> dict[str, Any]:
    """The run and the measurements of the module docstring (progress to ``log``); returns
    the JSON-ready figure."""  # noqa: D205, D209
    cost, theta = w.cost, w.theta.clone()
    cost64 = FullBatchCost(w.net, w.x.double(), w.labels, w.labels, "ce")
    # --- plain GD to the onset (+ delay), probing the sharpness every probe_every steps
    probes: list[dict[str, Any]] = []
    vec, onset, t = None, None, 0
    while t < max_pre and (onset is None or t < onset + delay):
        tick = time.perf_counter()
        f, g, _ = cost.value_grad_acc(theta)
        fv = float(f)  # the engine's one synchronization per step
        plain = time.perf_counter() - tick
        if t % probe_every == 0:
            tick = time.perf_counter()
            res = sharpness(cost, theta, v0=vec, tol=1e-3, seed=seed)
            est_s = time.perf_counter() - tick
            vec = res.vector
            probes.append({"step": t, "value": res.value, "hvps": res.hvps, "seconds": est_s,
                           "plain_s": plain})  # fmt: skip
            if onset is None and res.value >= 2 / eta:
                onset = t
            log(f"warm run: step {t} sharpness {res.value:.3f} ({res.hvps} HVPs), loss {fv:.4f}")
        theta = theta - eta * g
        t += 1
    start = t
    # --- burn-in + judged window: every configuration warm, the reference, the timed pair
    table = configs(seed, quick=quick)
    production = _Tracked(seed=seed)
    rows: list[dict[str, Any]] = []
    _, g, _, hvp = cost.value_grad_acc_hvp(theta)
    # every configuration starts warm: from the top two Ritz vectors of one tight cold solve
    shared = rayleigh_ritz(hvp, theta, start_block(theta, seed, 2), tol=1e-6, keep=2).vectors
    for c in [production, *(c["solve"] for c in table.values())]:
        c.seed_with(shared)
    ref_vec: torch.Tensor | None = None
    for i in range(burn_in + window):
        judged = i >= burn_in
        tick = time.perf_counter()
        f_plain, _, _ = cost.value_grad_acc(theta)
        float(f_plain)
        plain = time.perf_counter() - tick
        tick = time.perf_counter()
        est = production.tr.step(hvp, theta, t)
        theta_next = theta - eta * g
        f1, g1, _, hvp1 = cost.value_grad_acc_hvp(theta_next)
        float(f1)
        tracked = time.perf_counter() - tick
        row: dict[str, Any] = {
            "step": t,
            "loss": float(f_plain),
            "judged": judged,
            "plain_s": plain,
            "tracked_s": tracked,
            "values": {PRODUCTION: est.value},
            "hvps": {PRODUCTION: est.hvps},
        }
        for name, c in table.items():
            value, n_hvp = c["solve"](hvp, theta, t)
            row["values"][name], row["hvps"][name] = value, n_hvp
        if judged:
            h64, th64 = cost64.hvp_operator(theta.double()), theta.double()
            ref = _reference(h64, th64, ref_vec, None)
            row["ref_hvps"] = ref.hvps
            j = i - burn_in
            if j % cold_every == 0:
                cold = _reference(h64, th64, None, seed + 7919 * (t + 1))
                row["cold_minus_warm"] = cold.value - ref.value
                ref = cold if cold.value > ref.value else ref
            ref_vec = ref.vector
            row["ref"] = ref.value
            row["ref_converged"] = ref.converged
        rows.append(row)
        log(
            f"warm window: step {t} ({'judged' if judged else 'burn-in'}) "
            f"ref {row.get('ref', float('nan')):.5f} tracker {est.value:.5f} ({est.hvps} HVPs)"
        )
        theta, g, hvp = theta_next, g1, hvp1
        t += 1
    return _summarize(rows, probes, table, onset=onset, start=start, eta=eta, n=w.n,
                      probe_every=probe_every, burn_in=burn_in, delay=delay, window=window,
                      cold_every=cold_every)  # fmt: skip


def _summarize(
    rows: list[dict[str, Any]],
    probes: list[dict[str, Any]],
    table: dict[str, dict[str, Any]],
    **meta: Any,
) -> dict[str, Any]:
    judged = [r for r in rows if r["judged"]]
    refs = [r["ref"] for r in judged]
    names = [PRODUCTION, *table]
    per_config = {}
    for name in names:
        errs = [rel_error(r["values"][name], r["ref"]) for r in judged]
        errs = [e if math.isfinite(e) else math.inf for e in errs]
        per_config[name] = window_summary([r["hvps"][name] for r in judged], errs)
        per_config[name]["method"] = table[name]["method"] if name in table else PRODUCTION
        per_config[name]["kind"] = table[name]["kind"] if name in table else "ours"
    methods: dict[str, dict[str, Any]] = {}
    for name, s in per_config.items():
        methods.setdefault(s["method"], {"kind": s["kind"], "configs": {}})["configs"][name] = s
    for m in methods.values():
        m["best_config"], m["best"] = window_best(m["configs"])
    ours = {k: m for k, m in methods.items() if m["kind"] == "ours" and m["best"]}
    peers = {k: m for k, m in methods.items() if m["kind"] == "same HVP" and m["best"]}
    ours_best = min(ours, key=lambda k: ours[k]["best"]["hvps_mean"]) if ours else None
    peer_best = min(peers, key=lambda k: peers[k]["best"]["hvps_mean"]) if peers else None
    ratios = [r["tracked_s"] / r["plain_s"] for r in judged]
    every20 = [p["seconds"] / p["plain_s"] for p in probes]
    prod = per_config[PRODUCTION]
    return {
        **meta,
        "target": TARGET,
        "need": WINDOW_NEED,
        "dtype": "float32",
        "first_judged_step": judged[0]["step"] if judged else None,
        "sharpness_range": [min(refs), max(refs)] if refs else None,
        "steps_above_2_over_eta": sum(v >= 2 / meta["eta"] for v in refs),
        "loss_range": [min(r["loss"] for r in judged), max(r["loss"] for r in judged)]
        if judged
        else None,
        "reference": {
            "tol": REF_TOL,
            "dtype": "float64",
            "hvps_median": spread([r["ref_hvps"] for r in judged])["median"],
            "all_converged": all(r["ref_converged"] for r in judged),
            "cold_minus_warm_max": max(
                (abs(r["cold_minus_warm"]) for r in judged if "cold_minus_warm" in r), default=None
            ),
        },
        "methods": methods,
        "ours_best_method": ours_best,
        "best_peer_method": peer_best,
        "production": prod,
        "tracking": {
            "fraction_within": prod["fraction_within"],
            "wall_ratio_tracked_over_plain": spread(ratios),
            "plain_step_s": spread([r["plain_s"] for r in judged]),
            "tracked_step_s": spread([r["tracked_s"] for r in judged]),
        },
        "every20": {
            "probes": len(probes),
            "estimate_over_plain_step": spread(every20),
            "overhead_per_step": None
            if not every20
            else paired_ratio(
                [p["seconds"] for p in probes], [meta["probe_every"] * p["plain_s"] for p in probes]
            ),
            "hvps_median": spread([p["hvps"] for p in probes])["median"],
        },
        "probes": probes,
        "rows": [{k: v for k, v in r.items()} for r in rows],
    }
