r"""The target rows of ``eos bench --fair`` (issue 16 items 1–2), each with its gap.

Three targets, judged on figures 6 (cold) and 7 (warm along an edge-of-stability run):

(a) per-step tracking, every step: the SharpnessTracker's defaults (``eos run
    --eig-every 1``) within :math:`10^{-3}` of the float64 reference at
    :math:`\ge 95\%` of the judged steps, at :math:`\le 3\times` the wall time of a plain
    GD step (median of the per-step ratios);
(b) cold :math:`\lambda_{\max}` to :math:`10^{-3}` true error :math:`\ge 1.5\times` faster
    than the best-configured peer over the same HVP: ratio = peer's time / engine
    Lanczos' time, both at their cheapest setting meeting the error (median of the
    per-round ratios);
(c) warm along the run :math:`\ge 2\times` fewer HVPs than the best warm-started peer:
    ratio = the peer's mean HVPs per step / ours, each at its cheapest configuration
    within :math:`10^{-3}` at :math:`\ge 95\%` of the steps.

A missed target's ``by`` says by how much (``missed by ×1.3``: the measured ratio must
grow 1.3-fold, or the wall ratio shrink 1.3-fold, to meet it). Two informational rows
give the sharpness overhead per GD step (one estimate every 20 steps; every step), for
which the issue sets no bound other than (a)'s; their ``met`` is ``None``.
"""

from __future__ import annotations

from typing import Any

#: Issue 16's bounds.
FAIR_TARGETS = {"fraction": 0.95, "wall": 3.0, "cold_speedup": 1.5, "warm_hvp_ratio": 2.0}


def _gap(measured: float, need: float, *, higher_is_better: bool = True) -> str:
    """``"1.25 of the target"`` when met, else ``"missed by ×1.30"``.

    >>> _gap(3.0, 2.0), _gap(1.0, 1.5), _gap(4.0, 3.0, higher_is_better=False)
    ('1.50 of the target', 'missed by ×1.50', 'missed by ×1.33')
    """
    f = measured / need if higher_is_better else need / measured
    return f"{f:.2f} of the target" if f >= 1 else f"missed by ×{1 / f:.2f}"


def judge_fair(fair: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows (a)–(c) and the two sharpness-overhead rows from ``result["fair"]``."""
    rows: list[dict[str, Any]] = []
    warm, cold = fair.get("warm"), fair.get("cold")
    if warm:
        rows += _tracking_rows(warm)
    if cold:
        rows.append(_cold_row(cold))
    if warm:
        rows.append(_warm_row(warm))
    return rows


def _tracking_rows(warm: dict[str, Any]) -> list[dict[str, Any]]:
    tr = warm["tracking"]
    frac, wr = tr["fraction_within"], tr["wall_ratio_tracked_over_plain"]
    prod = warm["production"]
    steps = prod["steps"]
    ok_f = frac is not None and frac >= FAIR_TARGETS["fraction"]
    ok_w = wr["median"] is not None and wr["median"] <= FAIR_TARGETS["wall"]
    gaps = []
    if not ok_f:
        gaps.append(f"fraction missed by {100 * (FAIR_TARGETS['fraction'] - frac):.1f} points")
    if not ok_w:
        gaps.append("wall time " + _gap(wr["median"], FAIR_TARGETS["wall"], higher_is_better=False))
    rows = [
        {
            "target": f"float32: per-step tracking, every step (SharpnessTracker defaults; n = "
            f"{warm['n']}, {steps} consecutive steps at the edge of stability): >= 95% of "
            "steps within 1e-3 of the float64 reference and <= 3x the wall time of a plain "
            "GD step",
            "value": f"{100 * frac:.1f}% within 1e-3 ({round(frac * steps)}/{steps}, max "
            f"error {prod['max_rel_error']:.1e}); {wr['median']:.2f}x a plain step (IQR "
            f"{wr['q1']:.2f}–{wr['q3']:.2f}); {prod['hvps_mean']:.2f} HVPs/step (median "
            f"{prod['hvps_median']:g})",
            "met": ok_f and ok_w,
            "by": "; ".join(gaps) if gaps else "both met",
        }
    ]
    e20 = warm["every20"]["overhead_per_step"]
    if e20 and e20["median"] is not None:
        rows.append(
            {
                "target": f"float32: sharpness overhead per GD step, one lambda_max estimate every "
                f"{warm['probe_every']} steps (engine Lanczos, tol 1e-3, warm; n = {warm['n']})",
                "value": f"{100 * e20['median']:+.1f}% (IQR {100 * e20['q1']:+.1f} to "
                f"{100 * e20['q3']:+.1f}%; {warm['every20']['hvps_median']:g} HVPs per estimate"
                f", {warm['every20']['probes']} estimates)",
                "met": None,
                "by": "no target set",
            }
        )
    rows.append(
        {
            "target": f"float32: sharpness overhead per GD step, lambda_max every step "
            f"(SharpnessTracker; n = {warm['n']})",
            "value": f"{100 * (wr['median'] - 1):+.0f}% (IQR {100 * (wr['q1'] - 1):+.0f} to "
            f"{100 * (wr['q3'] - 1):+.0f}%)",
            "met": None,
            "by": "bound: the 3x of the tracking row",
        }
    )
    return rows


def _cold_row(cold: dict[str, Any]) -> dict[str, Any]:
    from eos_empirical.bench.fair_cold import OURS

    ours = cold["methods"][OURS]
    peer = cold.get("best_same_hvp_peer")
    target = "float32: cold lambda_max to 1e-3 true error >= 1.5x faster than the best-configured "
    target += "peer with the same HVP (at initialization, each at its cheapest setting)"
    if peer is None or ours.get("best") is None:
        return {"target": target, "value": "not measured", "met": False, "by": "n/a"}
    p = cold["methods"][peer]
    r = p["time_ratio_vs_ours_best"]
    rp = p["time_ratio_vs_ours_production"]
    prod = cold["production"]
    value = (
        f"best peer {peer} ({p['best_family'] or ''} {_setting(p['best']['setting'])}: "
        f"{p['best']['hvps']} HVPs) takes {r['median']:.2f}x the time of our Lanczos at its "
        f"best setting ({_setting(ours['best']['setting'])}: {ours['best']['hvps']} HVPs) "
        f"(IQR {r['q1']:.2f}–{r['q3']:.2f}, {r['n']} rounds); {rp['median']:.2f}x the time "
        f"of our Lanczos with its production rule (tol 1e-3: {prod['hvps']} HVPs)"
    )
    return {
        "target": target,
        "value": value,
        "met": r["median"] >= FAIR_TARGETS["cold_speedup"],
        "by": _gap(r["median"], FAIR_TARGETS["cold_speedup"]),
    }


def _warm_row(warm: dict[str, Any]) -> dict[str, Any]:
    target = (
        f"float32: warm along an edge-of-stability run (n = {warm['n']}, "
        f"{warm['production']['steps']} steps) >= 2x fewer HVPs than the best warm-started peer"
    )
    ob, pb = warm.get("ours_best_method"), warm.get("best_peer_method")
    if ob is None or pb is None:
        return {"target": target, "value": "no configuration met 1e-3 at 95% of steps",
                "met": False, "by": "n/a"}  # fmt: skip
    o, p = warm["methods"][ob], warm["methods"][pb]
    ratio = p["best"]["hvps_mean"] / o["best"]["hvps_mean"]
    prod = warm["production"]
    value = (
        f"best peer {p['best_config']}: {p['best']['hvps_mean']:.2f} HVPs/step (median "
        f"{p['best']['hvps_median']:g}) vs ours {o['best_config']}: "
        f"{o['best']['hvps_mean']:.2f} (median {o['best']['hvps_median']:g}): ratio "
        f"{ratio:.2f}; our production tracker {prod['hvps_mean']:.2f} HVPs/step (ratio "
        f"{p['best']['hvps_mean'] / prod['hvps_mean']:.2f})"
    )
    return {
        "target": target,
        "value": value,
        "met": ratio >= FAIR_TARGETS["warm_hvp_ratio"],
        "by": _gap(ratio, FAIR_TARGETS["warm_hvp_ratio"]),
    }


def _setting(s: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}" for k, v in s.items())
