"""Smoke test of ``eos bench --quick`` (issue 7: CI runs a seconds-long benchmark, no
thresholds asserted; ``slow``, so CI's slow step, as the eigensolvers take most of a
minute on 2 cores; the default suite runs figures 1-2 of the cheapest ``eos bench`` in
tests/test_progress.py) and of the benchmark's pure helpers.

What is checked: the command runs end to end on a tiny ``n``, writes the JSON with every
figure's fields (GD-step ratio, HVP/gradient ratios, eigensolver results with HVP counts
and errors against the reference) and renders the markdown with its sections. The
measured numbers are not judged here (timings on a shared CI machine are not a test);
only their presence and basic sanity (positive times, finite ratios).
"""

from __future__ import annotations

import json

import pytest

from eos_empirical.bench.eig_trace import TracedMatVec, hvps_to_accuracy
from eos_empirical.bench.timing import paired_ratio, spread
from eos_empirical.commands import bench_cli
from eos_theory.testing import assert_close


def test_spread_and_paired_ratio_match_numpy_percentiles():
    """spread() reports median, quartiles (numpy's linear rule) and min-max; paired
    ratios are formed pair by pair, not as a ratio of medians."""
    s = spread([4.0, 1.0, 3.0, 2.0])
    assert_close("median", s["median"], 2.5, rtol=0, atol=0, claim="median of 1..4")
    assert_close("q1", s["q1"], 1.75, rtol=0, atol=1e-15, claim="numpy 25th percentile of 1..4")
    assert_close("q3", s["q3"], 3.25, rtol=0, atol=1e-15, claim="numpy 75th percentile of 1..4")
    r = paired_ratio([10.0, 1.0, 3.0], [5.0, 1.0, 1.0])
    assert_close(
        "paired ratio median",
        r["median"],
        2.0,
        rtol=0,
        atol=0,
        claim="median of pair ratios (2, 1, 3)",
    )


def test_hvps_to_accuracy_counts_until_estimates_stay_within_tolerance():
    """The ideal-stopping count is one past the last estimate outside the tolerance;
    None when the final estimate is outside it."""
    assert hvps_to_accuracy([1.0, 2.0005, 1.5, 2.0001], 2.0, 1e-3) == 4
    assert hvps_to_accuracy([2.0, 2.0], 2.0, 1e-3) == 1
    assert hvps_to_accuracy([2.0, 3.0], 2.0, 1e-3) is None


@pytest.mark.parametrize("mode", ["rayleigh", "lanczos"])
def test_traced_matvec_estimates_reach_top_eigenvalue(mode):
    """TracedMatVec's estimates are the power-iteration Rayleigh quotients or the Lanczos
    Ritz values rebuilt from the products; on diag(-5, 1, 3) Lanczos' Ritz value after 3
    products is the top algebraic eigenvalue 3 (exact in exact arithmetic; float64 slack
    1e-10)."""
    import torch

    from eos_empirical.hessian import lanczos_top, power_iteration

    h = torch.diag(torch.tensor([-5.0, 1.0, 3.0], dtype=torch.float64))
    mv = TracedMatVec(lambda v: h @ v, mode)
    like = torch.zeros(3, dtype=torch.float64)
    if mode == "lanczos":
        res = lanczos_top(mv, like, tol=1e-12)
        assert_close(
            "Ritz value",
            mv.estimates[-1],
            3.0,
            rtol=1e-10,
            claim="Ritz value = lambda_max",
            inputs={"hvps": res.hvps},
        )
    else:
        power_iteration(mv, like, tol=1e-12, max_iter=200)
        # power iteration converges to the largest-magnitude eigenvalue, -5
        assert_close(
            "Rayleigh quotient", mv.estimates[-1], -5.0, rtol=1e-8, claim="Rayleigh quotient -> -5"
        )
    assert mv.count == len(mv.estimates)


@pytest.mark.slow  # a long end-to-end run (docs/testing.md)
def test_bench_quick_writes_json_and_markdown(tmp_path, capsys):
    """``eos bench --quick`` (float32, no peers, no theory, 1 thread) writes the JSON with
    figures 1-3 and the markdown report; the GPU part says why it was not measured; stderr
    counts the 3 figures and gives each eigensolver's cost."""
    js, md = tmp_path / "b.json", tmp_path / "b.md"
    rc = bench_cli.main(
        [
            "--quick",
            "--dtype",
            "float32",
            "--skip-peers",
            "--skip-theory",
            "--threads",
            "1",
            "--json",
            str(js),
            "--output",
            str(md),
        ]
    )
    assert rc == 0
    err = capsys.readouterr().err
    assert "3/3 figures [" in err and "last float32 figure 3 (λ_max)" in err, err
    assert "reference: " in err and "lanczos (engine): " in err and " HVPs, " in err, err
    result = json.loads(js.read_text())
    assert result["quick"] is True and result["settings"]["threads"] == 1
    fig = result["figures"]["float32"]
    gd = fig["gd_step"]
    assert gd["pairs"] >= 1 and gd["engine_step_s"]["median"] > 0
    assert gd["ratio"]["median"] > 0
    for key in ("hvp_retained", "hvp_rebuilt", "hvp_fwd_over_rev", "graph_build"):
        assert fig["hvp"]["ratios"][key]["median"] > 0, key
    # the prototype HVP computes the same product as the engine's (float32 rounding)
    assert fig["hvp"]["fwd_over_rev_rel_diff"] < 1e-3
    eig = fig["eigensolvers"]
    assert eig["reference"]["value"] > 0
    methods = eig["methods"]
    for name in (
        "lanczos (engine)",
        "eigsh LA, rebuilt double-backward HVP (Cohen et al.)",
        "power iteration (residual rule)",
    ):
        assert methods[name]["hvps"] >= 1 and methods[name]["rel_error"] >= 0, name
    assert result["gpu"]["measured"] in (True, False)
    if not result["gpu"]["measured"]:
        assert result["gpu"]["reason"]
    assert {row["target"].split(":")[0] for row in result["targets"]} == {"float32"}
    text = md.read_text()
    for heading in (
        "# Benchmarks",
        "## Machine and versions",
        "## Targets",
        "### 1. GD step",
        "### 2. Hessian-vector product",
        "### 3. λ_max",
        "## 5. GPU",
        "## Reproduce",
    ):
        assert heading in text, heading


def test_bench_rejects_bad_options(capsys):
    """A non-positive repeat count fails with exit status 2 and names the option."""
    assert (
        bench_cli.main(
            ["--quick", "--repeats", "-1", "--skip-theory", "--skip-peers", "--output", "/dev/null"]
        )
        == 2
    )
    assert "--repeats" in capsys.readouterr().err


@pytest.mark.slow  # figures 1, 2 and 8 end to end: 15 s on 2 loaded cores (docs/testing.md)
def test_bench_monitor_figure_times_the_same_work(tmp_path):
    """Issue 15 (the Monitor's overhead per step against the same plain loop), figure 8 of
    ``eos bench --monitor`` on the quick workload in float64: for each case (FC with GD and
    Adam, cnn-relu and cnn-bn-relu with Adam) both copies take the steps (pairs >= 1,
    positive times) and end at the same parameters up to rounding (max |difference| <=
    1e-12; it is 0 on this CPU, both sides making the same float64 operations), so the two
    sides timed the same training; its rows and its markdown section are written."""
    js, md = tmp_path / "b.json", tmp_path / "b.md"
    args = ["--quick", "--dtype", "float64", "--skip-peers", "--skip-theory", "--skip-eig"]
    args += ["--threads", "1", "--monitor", "--json", str(js), "--output", str(md)]
    assert bench_cli.main(args) == 0
    result = json.loads(js.read_text())
    cases = result["figures"]["float64"]["monitor"]["cases"]
    assert set(cases) == {"fc-tanh / GD", "fc-tanh / Adam", "cnn-relu / Adam", "cnn-bn-relu / Adam"}
    for name, c in cases.items():
        assert c["pairs"] >= 1 and c["monitor_step_s"]["median"] > 0, (name, c)
        assert c["plain_step_s"]["median"] > 0 and c["ratio"]["median"] > 0, (name, c)
        assert c["max_param_difference"] <= 1e-12, (name, c["max_param_difference"])
    rows = [r for r in result["targets"] if "Monitor overhead" in r["target"]]
    assert len(rows) == 4 and all(r["met"] is None for r in rows), rows
    assert "### 8. Monitor step vs the same plain loop" in md.read_text()
