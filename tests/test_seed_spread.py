"""The spread of a verdict's numbers over seeds (issue 14: "verdicts report the distribution
across seeds"): the range, and from three seeds on the mean with its 95% t-interval, the
seeds as the units (eos_empirical/checks/seed_verdicts.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats

from eos_empirical.checks.seed_verdicts import MIN_SEEDS_FOR_INTERVAL, mean_interval, spread


@pytest.mark.parametrize(
    "values",
    [
        [0.50, 0.52, 0.42, 0.39, 0.65],  # Remark 7's fractions over seeds 0-4 (NOTES.md)
        [1.62, 1.66, 1.64],
        [3.0, -1.0],
        list(np.linspace(-2.0, 7.0, 11)),
    ],
)
def test_mean_interval_matches_scipys_t_interval(values):
    """mean ± t_{0.975, n-1} s / sqrt(n), computed apart by scipy.stats.t.interval on
    scipy.stats.sem; float64 sums of at most 11 numbers of order 1: agreement to 1e-12."""
    m, lo, hi = mean_interval(values)
    ref_lo, ref_hi = scipy.stats.t.interval(
        0.95, len(values) - 1, loc=np.mean(values), scale=scipy.stats.sem(values)
    )
    for name, got, want in (("mean", m, np.mean(values)), ("lo", lo, ref_lo), ("hi", hi, ref_hi)):
        assert math.isclose(got, want, rel_tol=0, abs_tol=1e-12), (
            f"{name} of {values}: measured {got!r}, expected {want!r}, slack 1e-12"
        )


def test_remark7_interval_is_the_one_the_notes_give():
    """docs/results/paper/NOTES.md: Remark 7's fraction of epoch ends not significantly
    below zero, seeds 0-4 (11/22, 11/21, 10/24, 9/23, 15/23), averages 0.50 with 95%
    t-interval 0.37-0.62."""
    m, lo, hi = mean_interval([11 / 22, 11 / 21, 10 / 24, 9 / 23, 15 / 23])
    assert (round(m, 2), round(lo, 2), round(hi, 2)) == (0.50, 0.37, 0.62), (m, lo, hi)


def test_mean_interval_needs_two_values():
    """One seed has no spread: a ValueError naming the argument, never a NaN interval."""
    with pytest.raises(ValueError, match="values needs at least 2"):
        mean_interval([1.0])


def test_spread_adds_the_interval_from_three_finite_seeds_on():
    """Two seeds give the range alone; three give the mean and interval; the values that are
    not finite are counted and left out of both; equal values give the value alone."""
    assert MIN_SEEDS_FOR_INTERVAL == 3
    assert spread([1.0, 2.0]) == "1–2 (2 seeds)"
    assert spread([1.0, 2.0, 3.0]) == "1–3 (3 seeds); mean 2, 95% t-interval -0.4841–4.484"
    assert spread([1.0, 2.0, math.inf]) == "1–2 (3 seeds, 1 not finite)"
    assert spread([1.0, 2.0, 3.0, math.nan]).startswith("1–3 (4 seeds, 1 not finite); mean 2")
    assert spread([2.5, 2.5, 2.5]) == "2.5 (3 seeds)"


@pytest.mark.parametrize(
    ("values", "expected"),
    [  # the forms of string numbers in docs/results/paper/verdicts.json
        (["0.312 (0.025)", "0.586 (0.0434)"], "0.312–0.586 (0.025–0.0434) (2 seeds)"),
        (["0.8355..1.069", "0.8098..1.074"], "0.8098–0.8355..1.069–1.074 (2 seeds)"),
        (["7/21", "13/24", "9/22"], "7–13/21–24 (3 seeds)"),
        (["-0.049", "0.021"], "-0.049–0.021 (2 seeds)"),
        # labels, and numbers joined by a hyphen or a letter: counted, never ranged
        (["no", "568", "no"], "no ×2, 568 ×1"),
        (["1-2", "1-3"], "1-2 ×1, 1-3 ×1"),
        (["tanh d2", "tanh d4"], "tanh d2 ×1, tanh d4 ×1"),
        (["reached-target"] * 3, "reached-target ×3"),
    ],
)
def test_spread_of_strings_ranges_each_number_of_one_form(values, expected):
    """A string number over seeds ("x (se)", "lo..hi", "a/b"): each number's range when
    every seed's string has the same form and only spaces and / ( ) . , : % around the
    numbers; anything else (a label, "1-2") is counted."""
    assert spread(values) == expected, (
        f"spread({values!r}): {spread(values)!r}, expected {expected!r}"
    )
