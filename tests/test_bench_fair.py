"""The equal-true-error comparison of ``eos bench --fair`` (issue 16 item 2) on a tiny model.

Claims: (1) the search keeps, for each solver, the CHEAPEST setting whose estimate is
within 1e-3 of the reference: every looser setting tried misses, no trial that meets the
target uses fewer products, and the kept estimate is within 1e-3 of the dense
eigenvalue; (2) the count search (doubling, then bisection) returns the smallest count
that meets the target for an error falling with the count; (3) a warm window picks the
cheapest configuration meeting the target at 95% of the steps; (4) a target row reports
``met`` false and the gap (``missed by ×r``) when missed, ``met`` true when met.

Model: a 6-12-3 tanh MLP (123 parameters) on 24 seeded Gaussian points, float64; the
reference is the top eigenvalue of its dense Hessian (``torch.linalg.eigvalsh``), exact
to round-off (1e-12 relative is far below the 1e-3 judged).
"""

from __future__ import annotations

import copy

import pytest
import torch

from eos_empirical.bench.equal_error import TARGET, scan, scan_count, window_best
from eos_empirical.bench.fair_cold import OURS, cold_figure
from eos_empirical.bench.fair_verdicts import judge_fair
from eos_empirical.bench.fair_warm import warm_figure
from eos_empirical.bench.tunable_solvers import eigsh_la, lanczos, lobpcg, start_block
from eos_empirical.bench.workload import Workload
from eos_empirical.cost import FullBatchCost
from eos_empirical.models import FlatMLP, init_params


def tiny_workload() -> Workload:
    net = FlatMLP((6, 12, 3), "tanh")
    gen = torch.Generator().manual_seed(3)
    x = torch.randn(24, 6, generator=gen, dtype=torch.float64)
    labels = torch.randint(0, 3, (24,), generator=gen)
    theta = 3.0 * init_params(net, seed=1).double()  # a larger scale: a sharper Hessian
    cost = FullBatchCost(net, x, labels, labels, "ce")
    return Workload("synthetic", 24, torch.float64, torch.device("cpu"), net, cost, theta, x,
                    labels, {})  # fmt: skip


def dense_top(w: Workload) -> float:
    h = w.cost.hvp_operator(w.theta)
    eye = torch.eye(w.theta.numel(), dtype=torch.float64)
    H = torch.stack([h(e) for e in eye])
    return float(torch.linalg.eigvalsh((H + H.T) / 2)[-1])


@pytest.fixture(scope="module")
def tiny():
    w = tiny_workload()
    return w, dense_top(w)


def _run(w: Workload, solver, k: int = 1, **fixed):
    def run(setting):
        s = solver(w.cost.hvp_operator(w.theta), w.theta, start_block(w.theta, 0, k),
                   **fixed, **setting)  # fmt: skip
        return s.value, s.hvps, 0.0

    return run


@pytest.mark.parametrize(
    ("solver", "fixed"),
    [(lanczos, {}), (eigsh_la, {"ncv": 4})],
    ids=["lanczos", "eigsh-ncv4"],
)
def test_scan_keeps_the_cheapest_setting_that_meets_the_target(tiny, solver, fixed):
    """Tolerances 1e-1 ... 1e-6 (loose to tight): the kept setting meets 1e-3 against the
    dense eigenvalue, every looser one tried misses, and no meeting trial is cheaper."""
    w, lam = tiny
    tols = [{"tol": t} for t in (1e-1, 3e-2, 1e-2, 3e-3, 1e-3, 1e-4, 1e-6)]
    res = scan(_run(w, solver, **fixed), tols, lam)
    best, trials = res["best"], res["trials"]
    assert res["met"] and best["rel_error"] <= TARGET
    i = next(j for j, t in enumerate(trials) if t["setting"] == best["setting"])
    assert all(not t["meets"] for t in trials[:i]), trials
    assert all(t["hvps"] >= best["hvps"] for t in trials if t["meets"]), trials
    assert len(trials) <= i + 2  # stops one setting after the first that meets


def test_scan_count_finds_the_smallest_count_for_lobpcg(tiny):
    """LOBPCG's iteration count: the kept count meets 1e-3 and the count one below it (run
    by the bisection) misses; every count tried is recorded."""
    w, lam = tiny
    res = scan_count(_run(w, lobpcg, k=1), "maxiter", 1, 60, lam)
    best = res["best"]
    assert res["met"] and best["rel_error"] <= TARGET
    by_count = {t["setting"]["maxiter"]: t for t in res["trials"]}
    m = best["setting"]["maxiter"]
    assert m == 1 or not by_count[m - 1]["meets"], res["trials"]


def test_scan_count_on_a_known_error_curve():
    """Error 2^-m: doubling 1, 2, 4, 8, 16 then bisection lands on m = 10 (first with
    2^-m <= 1e-3), and 11 is run to confirm."""
    seen = []

    def run(s):
        seen.append(s["m"])
        return 1.0 + 2.0 ** -s["m"], s["m"] + 3, 0.0

    res = scan_count(run, "m", 1, 80, 1.0)
    assert res["best"]["setting"] == {"m": 10} and res["best"]["hvps"] == 13
    assert seen[:5] == [1, 2, 4, 8, 16] and 9 in seen and 11 in seen


def test_window_best_needs_95_percent_of_steps():
    """A cheaper configuration within 1e-3 at 90% of steps loses to one at 100%."""
    name, best = window_best(
        {
            "cheap": {"hvps_mean": 2.0, "fraction_within": 0.90},
            "ok": {"hvps_mean": 3.5, "fraction_within": 1.0},
            "dear": {"hvps_mean": 6.0, "fraction_within": 1.0},
        }
    )
    assert name == "ok" and best["hvps_mean"] == 3.5


@pytest.fixture(scope="module")
def fair(tiny):
    w, lam = tiny
    ref = {"value": lam, "tol": 0.0, "method": "dense eigvalsh"}
    cold = cold_figure(w, ref, rounds=1, peers=False, quick=True)
    warm = warm_figure(w, eta=0.5, window=4, burn_in=2, delay=0, max_pre=4, probe_every=2,
                       quick=True)  # fmt: skip
    return {"cold": cold, "warm": warm}


def test_cold_figure_keeps_each_methods_cheapest_meeting_run(fair):
    """Figure 6 on the tiny model: each method's best is its cheapest meeting trial, our
    Lanczos meets the target, and the production rule's run is reported with its ratio."""
    cold = fair["cold"]
    assert cold["methods"][OURS]["best"]["rel_error"] <= TARGET
    for name, m in cold["methods"].items():
        meeting = [t for s in m["scans"].values() for t in s["trials"] if t["meets"]]
        if m["best"] is None:
            assert not meeting, name
            continue
        assert m["best"]["hvps"] == min(t["hvps"] for t in meeting), name
        assert m["time_ratio_vs_ours_production"]["median"] > 0, name
    assert cold["production"]["setting"] == {"tol": 1e-3}


def test_warm_figure_counts_every_configuration_every_step(fair):
    """Figure 7 on the tiny model: every configuration has one count per judged step, the
    production tracker is judged, and each method's best meets 1e-3 at >= 95% of steps."""
    warm = fair["warm"]
    for m in warm["methods"].values():
        for s in m["configs"].values():
            assert s["steps"] == warm["window"]
        if m["best"] is not None:
            assert m["best"]["fraction_within"] >= 0.95
    assert warm["production"]["steps"] == warm["window"]
    assert warm["tracking"]["wall_ratio_tracked_over_plain"]["n"] == warm["window"]


def _row(rows, start):
    return next(r for r in rows if r["target"].startswith(start))


def test_target_rows_report_met_false_with_the_gap(fair):
    """Rows (a)-(c): forced misses say ``missed by ×r`` (r = need / measured) and give
    ``met`` false; forced passes give ``met`` true."""
    f = copy.deepcopy(fair)
    f["warm"]["tracking"]["fraction_within"] = 0.90
    f["warm"]["tracking"]["wall_ratio_tracked_over_plain"].update(median=4.5, q1=4.0, q3=5.0)
    peer = f["cold"]["best_same_hvp_peer"]
    f["cold"]["methods"][peer]["time_ratio_vs_ours_best"].update(median=1.2, q1=1.1, q3=1.3)
    wb = f["warm"]["methods"][f["warm"]["best_peer_method"]]["best"]
    ob = f["warm"]["methods"][f["warm"]["ours_best_method"]]["best"]
    ob["hvps_mean"], wb["hvps_mean"] = 4.0, 5.0
    rows = judge_fair(f)
    a = _row(rows, "float32: per-step tracking")
    assert a["met"] is False
    assert "fraction missed by 5.0 points" in a["by"] and "wall time missed by ×1.50" in a["by"]
    b = _row(rows, "float32: cold lambda_max")
    assert b["met"] is False and b["by"] == "missed by ×1.25"
    c = _row(rows, "float32: warm along")
    assert c["met"] is False and c["by"] == "missed by ×1.60"
    f["cold"]["methods"][peer]["time_ratio_vs_ours_best"]["median"] = 3.0
    wb["hvps_mean"] = 10.0
    rows = judge_fair(f)
    assert _row(rows, "float32: cold lambda_max")["met"] is True
    assert _row(rows, "float32: cold lambda_max")["by"] == "2.00 of the target"
    assert _row(rows, "float32: warm along")["met"] is True
    assert all(r["met"] is None for r in rows if "sharpness overhead" in r["target"])
