r"""Sharpness tracking along an edge-of-stability GD run, against a tight reference.

The measurement of issue 16 item 1: GD (tanh, cross-entropy, float32, η = 2/30) on the
workload's ``n`` examples, :class:`eos_empirical.sharpness_tracking.SharpnessTracker` at
every step over the step's own graph (:meth:`FullBatchCost.value_grad_acc_hvp`); from the
onset of the edge of stability (the first step whose tracked sharpness reaches
:math:`2/\eta`) for ``window`` steps, each estimate is compared with a float64 Lanczos
reference to relative residual ``1e-8`` (warm-started from the tracked vector, and cold
every ``cold_every`` judged steps to catch a wrong warm start; on every ``ref_every``-th
step when the machine is short of time), and the tracked step is timed
against a plain GD step in rotation (plain, tracked, plain, tracked, ...; same process).
"""

from __future__ import annotations

import argparse
import json
import math
import time
from typing import Any

import numpy as np
import torch

from eos_empirical.bench.timing import spread
from eos_empirical.bench.workload import make_workload
from eos_empirical.cost import FullBatchCost
from eos_empirical.hessian import lanczos_top
from eos_empirical.sharpness_tracking import SharpnessTracker

REF_TOL = 1e-8


def tracking_run(
    *,
    n: int,
    eta: float = 2 / 30,
    window: int = 300,
    max_pre: int = 3000,
    cold_every: int = 25,
    tracker: dict[str, Any] | None = None,
    reference: bool = True,
    ref_every: int = 1,
) -> dict[str, Any]:
    """Run GD with the tracker at every step; judge ``window`` steps past the onset."""
    w = make_workload(n=n, dtype=torch.float32, device=torch.device("cpu"))
    cost, theta = w.cost, w.theta.clone()
    cost64 = FullBatchCost(w.net, w.x.double(), w.labels, w.labels, "ce")
    tr = SharpnessTracker(**(tracker or {}))
    rows: list[dict[str, Any]] = []
    onset = None
    t = 0
    f, g, _, hvp = cost.value_grad_acc_hvp(theta)
    while t < max_pre + window and (onset is None or t < onset + window):
        judged = onset is not None
        if judged:  # time one plain GD step at this iterate (the baseline), then the tracked one
            tick = time.perf_counter()
            cost.value_grad_acc(theta)
            plain = time.perf_counter() - tick
        tick = time.perf_counter()
        est = tr.step(hvp, theta, t)
        theta_next = theta - eta * g
        f1, g1, _, hvp1 = cost.value_grad_acc_hvp(theta_next)
        float(f1)  # the engine's one synchronization per step
        tracked = time.perf_counter() - tick
        row: dict[str, Any] = {
            "step": t,
            "value": est.value,
            "bound": est.bound,
            "hvps": est.hvps,
            "source": est.source,
        }
        if judged:
            row.update({"plain_s": plain, "tracked_s": tracked})
            if reference and (t - onset) % ref_every == 0:
                h64 = cost64.hvp_operator(theta.double())
                warm = lanczos_top(
                    h64, theta.double(), v0=est.vector.double(), tol=REF_TOL, max_iter=300
                )
                ref = warm
                if (t - onset) % (cold_every * ref_every) == 0:
                    cold = lanczos_top(h64, theta.double(), tol=REF_TOL, max_iter=300, seed=t)
                    row["cold_minus_warm"] = cold.value - warm.value
                    ref = cold if cold.value > warm.value else warm
                row.update({"ref": ref.value, "ref_hvps": warm.hvps})
                row["rel_err"] = abs(est.value - ref.value) / abs(ref.value)
        rows.append(row)
        if onset is None and est.value >= 2 / eta:
            onset = t + 1
        theta, f, g, hvp = theta_next, f1, g1, hvp1
        t += 1
        if t % 50 == 0:
            print(f"step {t} sharpness {est.value:.4f} hvps {est.hvps} loss {float(f):.4f}",
                  flush=True)  # fmt: skip
    return summarize(rows, onset, tr, n=n, eta=eta, dataset=w.dataset)


def summarize(rows: list[dict[str, Any]], onset: int | None, tr: SharpnessTracker, **meta: Any):
    """Fraction within 1e-3, HVPs per step, wall ratio, fallbacks (judged window only)."""
    judged = [r for r in rows if "plain_s" in r]
    errs = np.array([r["rel_err"] for r in judged if "rel_err" in r])
    hv = np.array([r["hvps"] for r in judged])
    ratios = [r["tracked_s"] / r["plain_s"] for r in judged]
    bounds_ok = [
        r["rel_err"] * abs(r["ref"]) <= r["bound"] + 1e-6 * abs(r["ref"])
        for r in judged
        if "rel_err" in r
    ]
    sources = sorted({r["source"] for r in judged})
    return {
        **meta,
        "onset_step": onset,
        "judged_steps": len(judged),
        "fraction_within_1e-3": float(np.mean(errs <= 1e-3)) if errs.size else None,
        "max_rel_err": float(errs.max()) if errs.size else None,
        "median_rel_err": float(np.median(errs)) if errs.size else None,
        "fraction_within_stated_bound": float(np.mean(bounds_ok)) if bounds_ok else None,
        "hvps_median": float(np.median(hv)) if hv.size else None,
        "hvps_p90": float(np.percentile(hv, 90)) if hv.size else None,
        "hvps_mean": float(hv.mean()) if hv.size else None,
        "wall_ratio_tracked_over_plain": spread(ratios),
        "fallbacks": tr.fallbacks,
        "checks": tr.checks,
        "sources": {s: sum(r["source"] == s for r in judged) for s in sources},
        "rows": rows,
    }


def main() -> None:
    """``python -m eos_empirical.bench.tracking_figure --n 1000 --out track.json``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--window", type=int, default=300)
    ap.add_argument("--block", type=int, default=2)
    ap.add_argument("--check-every", type=int, default=50)
    ap.add_argument("--cross-parity", action="store_true")
    ap.add_argument("--no-reference", action="store_true")
    ap.add_argument("--ref-every", type=int, default=1)
    ap.add_argument("--out", default="tracking.json")
    a = ap.parse_args()
    cfg = {"block": a.block, "check_every": a.check_every, "cross_parity": a.cross_parity}
    res = tracking_run(
        n=a.n, window=a.window, tracker=cfg, reference=not a.no_reference, ref_every=a.ref_every
    )
    res["tracker"] = cfg
    with open(a.out, "w") as fh:
        json.dump(res, fh, default=lambda x: None if isinstance(x, float) and math.isnan(x) else x)
    print(json.dumps({k: v for k, v in res.items() if k != "rows"}, indent=1))


if __name__ == "__main__":
    main()
