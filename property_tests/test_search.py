"""The counterexample search itself (STYLE.md point 8): it must find a planted violation.

The planted claim ``planted-rp-negative`` ("RP < 0 on positive definite quadratics whenever
eta lambda_max < 2.1") is false: with the gradient along the top eigenvector and
``eta lambda_max / 2`` in ``(1, 1.05]``, RP = ``eta lambda_max / 2 - 1 > 0``. Counterexamples
fill only a small corner of the domain (``c > 1`` and near-alignment), so a blind search
can miss them in a small budget; the targeted search must find one within 300 examples for
seeds 0, 1 and 2 with ``database=None`` (built into :func:`eos_theory.search.run_search`).
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from eos_empirical.commands.search_cli import main
from eos_theory.families import Case
from eos_theory.search import SEARCHES, measure, regression_snippet, run_search
from eos_theory.smoothness import tau_spread

_RESULTS: dict[int, object] = {}


def _planted(seed: int):
    """The planted search for ``seed`` (run once per session, reused by two tests)."""
    if seed not in _RESULTS:
        _RESULTS[seed] = run_search("planted-rp-negative", seed=seed, max_examples=300)
    return _RESULTS[seed]


@pytest.mark.parametrize(
    "seed",
    [0, *(pytest.param(s, marks=pytest.mark.slow) for s in (1, 2))],  # docs/testing.md
)
def test_search_finds_planted_violation(seed):
    """Targeted search finds the planted counterexample within 300 examples (seeds 0-2)."""
    result = _planted(seed)
    assert result.found, (
        f"planted violation not found: worst margin {result.margin} in {result.examples} "
        f"examples, seed={seed}"
    )
    # the analytic maximum of the planted margin is 0.05 (RP = eta lambda_max/2 - 1 <= 0.05)
    assert 0 < result.margin <= 0.05 + 1e-12
    again = measure("planted-rp-negative", Case.from_dict(json.loads(result.worst.to_json())))
    assert again["margin"] == result.margin
    assert result.shrunk is None or result.shrunk_measured["margin"] >= 0.5 * result.margin


def test_search_is_reproducible():
    """Same seed and example budget -> the same worst case (database=None, seeded stages)."""
    a = run_search("planted-rp-negative", seed=3, max_examples=60, shrink=False)
    b = run_search("planted-rp-negative", seed=3, max_examples=60, shrink=False)
    assert a.worst.to_json() == b.worst.to_json()


@pytest.mark.slow  # imports every test module (about 10 s)
def test_search_does_not_depend_on_what_else_is_imported(monkeypatch):
    """`eos search --seed S` gives the same worst case whatever other local modules the
    process imported. Hypothesis mixes their literal constants into its draws; a CI run of
    2026-12-01 missed the planted violation at seed 2 inside the full slow suite (313
    examples, margin -0.021) while the same search alone found it. Here the process is made
    to look like one that imported every test module (Hypothesis's constants provider
    returns their literals); the search turns that provider off while it runs, so the worst
    case stays the one of a plain run (without it: margin -0.021 instead of 0.048)."""
    from hypothesis.internal.conjecture import providers
    from hypothesis.internal.constants_ast import Constants, constants_from_module

    plain = run_search("planted-rp-negative", seed=2, max_examples=300, shrink=False)
    crowded = Constants()  # what a process that imported every test module would hold
    root = Path(__file__).resolve().parents[1]
    for path in sorted([*root.glob("tests/test_*.py"), *root.glob("property_tests/test_*.py")]):
        crowded |= constants_from_module(importlib.import_module(f"{path.parent.name}.{path.stem}"))
    monkeypatch.setattr(providers, "_get_local_constants", lambda: crowded)
    providers.CONSTANTS_CACHE.cache.clear()
    try:
        busy = run_search("planted-rp-negative", seed=2, max_examples=300, shrink=False)
    finally:
        providers.CONSTANTS_CACHE.cache.clear()
    assert plain.worst.to_json() == busy.worst.to_json(), (
        f"seed 2, 300 examples: worst case {plain.worst.to_json()} in a plain process, "
        f"{busy.worst.to_json()} with the test modules' literals as local constants"
    )


def test_snippet_is_valid_python(tmp_path):
    """The ready-to-paste regression test compiles and, run as a test, passes."""
    result = _planted(0)
    code = regression_snippet(result, "300")
    namespace: dict = {}
    exec(compile(code, "snippet.py", "exec"), namespace)
    tests = [v for k, v in namespace.items() if k.startswith("test_")]
    assert len(tests) == 1
    tests[0]()


def test_cli_list_and_bad_input(capsys):
    """``eos search --list`` names every claim; a bad claim or budget exits with 2."""
    assert main(["--list"]) == 0
    out = capsys.readouterr().out
    for claim_id in SEARCHES:
        assert claim_id in out
    assert main(["no-such-claim"]) == 2
    assert main(["relation43", "--budget", "soon"]) == 2


def test_cli_reports_no_counterexample(capsys):
    """With a tiny budget on a hard claim the CLI says so instead of claiming it holds."""
    assert main(["planted-rp-negative", "--budget", "3", "--seed", "0"]) == 0
    out = capsys.readouterr().out
    assert "no counterexample found in" in out or "counterexample to" in out, out


@pytest.mark.parametrize("claim_id", ["relation43", "section44-pointwise"])
def test_example_budget_is_a_hard_cap(claim_id):
    """`eos search --budget N` evaluates the margin at most N times: rejected draws
    (section44-pointwise rejects flat points) and differential evolution's polish step
    count (a budget of 300 once evaluated 907 examples)."""
    result = run_search(claim_id, seed=0, max_examples=150, shrink=False)
    assert 0 < result.examples <= 150, (claim_id, result.examples, result.rejected)


#: Searched claims whose step is exact under the paper's premise, so a counterexample exists
#: only where the premise fails (the withdrawal of finding.section44-pointwise says why).
PREMISE_EXACT = ("section44-pointwise",)


@pytest.mark.search
@pytest.mark.parametrize(
    "claim_id", [c for c in SEARCHES if not SEARCHES[c].planted and c not in PREMISE_EXACT]
)
def test_long_search_finds_counterexample(claim_id):
    """Long run (``-m search``): every approximate claim has a counterexample in 600 examples."""
    result = run_search(claim_id, seed=0, max_examples=600)
    assert result.found, f"{claim_id}: worst margin {result.margin} in {result.examples} examples"


@pytest.mark.search
def test_section44_counterexamples_break_the_premise():
    """Section 4.4's step (2/eta)(RP+1) ~ lim L(theta; eta tau grad f) <= lambda_max (the
    withdrawal of finding.section44-pointwise): by Theorem 2, RP + 1 - eta lambda_max/2 is at
    most (eta/2) times the spread of L(theta; eta tau grad f) over tau. At the worst case of
    each search (seeds 0-2, 1500 examples) the excess must stay below that spread, and one
    of them (seed 2, with Hypothesis 6.155-6.170) violates the step at the edge of stability:
    the premise of (4.3) is what fails there. The spread is taken on Experiment 5's grid tau
    in {0.01, ..., 1} (no slack): where L grows with tau the grid's minimum is at or above
    the tau -> 0 limit, so this is a little stricter than the bound."""
    found = []
    for seed in (0, 1, 2):
        result = run_search("section44-pointwise", seed=seed, max_examples=1500, shrink=False)
        assert result.worst is not None, (seed, result.examples, result.rejected)
        case, m = result.worst, result.worst_measured
        excess = m["RP"] + 1 - case.eta * m["lambda_max(theta)"] / 2
        spread = tau_spread(case.cost, case.theta_array, case.eta, points=100)
        assert spread >= excess, (
            f"section44-pointwise, seed {seed}, at {case.family} {case.params}, eta "
            f"{case.eta}: RP + 1 - eta lambda_max/2 = {excess:.4g} exceeds (eta/2) x the "
            f"tau-spread of L = {spread:.4g} (no slack): Theorem 2 would be violated"
        )
        if result.found:
            found.append(seed)
    assert found, "no seed of 0-2 violates the step in 1500 examples (seed 2 did, margin 0.013)"


@pytest.mark.slow  # a long property test (docs/testing.md)
@pytest.mark.parametrize("claim_id", sorted(SEARCHES))
@given(data=st.data(), scale=st.sampled_from([1.0, 10.0, 1000.0]))
def test_search_domains_hold_costs_bounded_below(claim_id, data, scale):
    """Issue 12, item 4: every searched cost is natural, bounded below by 0 (flattened PSD
    quadratics, squared losses of small nets and single-neuron regressions, convex
    quadratics). Checked at the drawn point scaled by 1, 10 and 1000 (far from it too), and
    for the differential-evolution box at its centre and corners."""
    search = SEARCHES[claim_id]
    case = search.draw(data)
    note(case.repro())
    for point in (case.theta_array * scale, -case.theta_array * scale):
        value = float(case.cost(point))
        assert value >= 0.0, f"{claim_id}: f = {value} < 0 at {point.tolist()} ({case.family})"
    if search.vector is not None:
        lo, hi = np.array(search.bounds).T
        for x in (0.5 * (lo + hi), lo, hi):
            box = search.vector(x)
            for point in (box.theta_array * scale,):
                value = float(box.cost(point))
                assert value >= 0.0, f"{claim_id} box: f = {value} < 0 at {point.tolist()}"
