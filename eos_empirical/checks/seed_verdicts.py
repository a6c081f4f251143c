r"""A verdict over seeds: each seed's runs are judged alone, then the seeds are combined.

A claim of the paper is about a setting, not about one initialization. So a check's
criterion (:mod:`eos_empirical.checks.check_registry`) decides the runs of one seed at a
time (:func:`by_seed`), and :func:`combine_seeds` turns the per-seed verdicts into the
claim's verdict by a rule fixed, like the criteria, before the seeds' runs were looked at:

- ``holds`` when the criterion holds in every seed that decided it;
- ``fails`` when it fails in a majority of the seeds that decided it, and at least
  :data:`MIN_SEEDS_AGAINST` = 5 seeds decided it: a finding against the paper rests on
  several seeds, never on one;
- ``inconclusive`` otherwise: mixed seeds ("holds in 3 of 5 seeds"), or a failure seen in
  fewer than five seeds, with the count;
- a seed that lacks some run the criterion needs is listed, not judged; when every seed
  lacks it, the check is ``not run`` (:class:`MissingRunsError`);
- for a claim about every run of a kind (``register_every_run``), a ``fails`` also needs
  one run of the paper that fails in a majority of at least :data:`MIN_SEEDS_AGAINST` seeds
  that decided it (:func:`runs_against`); otherwise it is ``inconclusive``. Amended
  2026-12-01, before any verdict it changes was published: ReLU depth 4 at 2/200 failed
  Experiment 6 in seeds 0-2, the only seeds that made it, while seeds 3-4 held on the runs
  at 2/30 alone, and the seed count (3 of 5) made a verdict against the paper that rests on
  three seeds of the run that decides it. The amendment can only turn ``fails`` into
  ``inconclusive``. Its companion (same day, same case) can only turn ``holds`` into
  ``inconclusive``: such a claim ``holds`` only when each of its runs is decided in some
  seed (:func:`over_runs`).

The verdict's numbers say which seeds held and failed, and give each deciding number as its
spread over the seeds (:func:`spread`: ``"1.01–1.06 (5 seeds)"``, with the mean and its 95%
t-interval once three seeds give it, the seeds as the units; an outcome as counts,
``"reached-target ×5"``), so a reader sees the distribution beside the criterion. Findings
(measurements reported, not decided) are measured over all runs together; their numbers of
one run are given over the seeds that made it (:func:`merge_numbers`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence

from eos_empirical.runlog import RunLog
from eos_theory.registry import Status, Verdict

#: The fewest seeds a ``fails`` (a verdict against the paper) may rest on; issue 14 asks
#: for at least 5 seeds behind every verdict that disagrees with the paper.
MIN_SEEDS_AGAINST = 5


def run_seed(run: RunLog) -> int:
    """The seed of a run (initialization, data order, samples)."""
    return int(run.config.get("seed", 0))


def by_seed(runs: Sequence[RunLog]) -> dict[int, list[RunLog]]:
    """The runs grouped by seed, seeds in increasing order."""
    out: dict[int, list[RunLog]] = {}
    for r in sorted(runs, key=run_seed):
        out.setdefault(run_seed(r), []).append(r)
    return out


#: A number inside a string value, not preceded by a letter or digit: "d2" stays a label,
#: and "1-2" is not read as 1 and -2.
_NUMBER = re.compile(r"(?<![\w])[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
#: What may surround the numbers of a string value for :func:`spread` to give each number's
#: range ("0.3 (0.02)", "0.8..1.1", "9/21"); words make it a label, counted instead.
_FORM_CHARS = frozenset(" /().,:%")


def _shape(text: str) -> tuple[str, list[float]]:
    """A string value as its form (numbers replaced by ``{}``) and its numbers; no numbers
    when something other than :data:`_FORM_CHARS` surrounds them."""  # noqa: D205, D209
    nums = [float(m) for m in _NUMBER.findall(text)]
    form = _NUMBER.sub("{}", text.replace("{", "{{").replace("}", "}}"))
    if set(form.replace("{}", "")) - _FORM_CHARS:
        return form, []
    return form, nums


def _fmt(x: float) -> str:
    return f"{x:.4g}" if math.isfinite(x) else str(x)


def _range(lo: float, hi: float) -> str:
    return _fmt(lo) if lo == hi else f"{_fmt(lo)}–{_fmt(hi)}"


def mean_interval(values: Sequence[float]) -> tuple[float, float, float]:
    r"""The mean of values over seeds and its 95% t-interval, the seeds as the units.

    .. math:: \bar x \pm t_{0.975,\,n-1}\, s/\sqrt{n}

    with :math:`s` the sample standard deviation of the :math:`n` values (``values``; at
    least two). The seeds are independent draws of the setting (initialization, data order,
    samples), so this is the interval a referee reads for "the value in this setting".

    >>> m, lo, hi = mean_interval([0.50, 0.52, 0.42, 0.39, 0.65])
    >>> round(m, 3), round(lo, 2), round(hi, 2)
    (0.496, 0.37, 0.62)
    """
    from scipy.stats import t as student_t

    n = len(values)
    if n < 2:
        raise ValueError(f"mean_interval: values needs at least 2 numbers, got {n}")
    m = math.fsum(values) / n
    s = math.sqrt(math.fsum((v - m) ** 2 for v in values) / (n - 1))
    half = float(student_t.ppf(0.975, n - 1)) * s / math.sqrt(n)
    return m, m - half, m + half


#: The fewest finite values over seeds for which :func:`spread` adds the mean and its
#: t-interval: with two, the interval spans 12.7 standard errors and says little.
MIN_SEEDS_FOR_INTERVAL = 3


def spread(values: Sequence[object]) -> object:
    """One number's values over the seeds, as one entry of a verdict's numbers.

    Numbers give ``lo–hi (n seeds)`` (the value alone when all agree), then, from
    :data:`MIN_SEEDS_FOR_INTERVAL` finite values on, their mean and its 95% t-interval
    (:func:`mean_interval`); strings of one form with numbers in it (``"a/b"``, ``"x (se)"``,
    ``"lo..hi"``) give the range of each number; anything else gives counts.

    >>> spread([1.011, 1.06, 1.03])
    '1.011–1.06 (3 seeds); mean 1.034, 95% t-interval 0.9723–1.095'
    >>> spread([1.011, 1.06])
    '1.011–1.06 (2 seeds)'
    >>> spread(["0.01/0.06", "0.02/0.05"])
    '0.01–0.02/0.05–0.06 (2 seeds)'
    >>> spread(["0.312 (0.025)", "0.586 (0.0434)", "0.371 (0.0231)"])
    '0.312–0.586 (0.0231–0.0434) (3 seeds)'
    >>> spread(["568", "no", "127"])
    '568 ×1, no ×1, 127 ×1'
    >>> spread(["reached-target", "reached-target", "diverged"])
    'reached-target ×2, diverged ×1'
    >>> spread([2.5])
    2.5
    """
    if len(values) == 1:
        return values[0]
    nums = [float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if len(nums) == len(values):
        finite = [v for v in nums if math.isfinite(v)]
        if not finite:
            return f"{_fmt(nums[0])} ({len(nums)} seeds)"
        lo, hi = min(finite), max(finite)
        extra = f", {len(nums) - len(finite)} not finite" if len(finite) < len(nums) else ""
        text = f"{_range(lo, hi)} ({len(nums)} seeds{extra})"
        if lo != hi and len(finite) >= MIN_SEEDS_FOR_INTERVAL:
            m, m_lo, m_hi = mean_interval(finite)
            text += f"; mean {_fmt(m)}, 95% t-interval {_fmt(m_lo)}–{_fmt(m_hi)}"
        return text
    if all(isinstance(v, str) for v in values):
        shaped = [_shape(str(v)) for v in values]
        if len({form for form, _ in shaped}) == 1 and shaped[0][1]:
            cols = zip(*(nums for _, nums in shaped), strict=True)
            ranges = [_range(min(col), max(col)) for col in cols]
            return shaped[0][0].format(*ranges) + f" ({len(values)} seeds)"
    counts = Counter(str(v) for v in values)
    return ", ".join(f"{v} ×{c}" for v, c in counts.most_common())


def merge_numbers(parts: Sequence[Mapping[str, object]]) -> dict[str, object]:
    """Numbers decided apart (one seed's verdict, or one seed's run) as one dict: the keys
    in first-seen order, each with its values over the parts as :func:`spread`.

    >>> merge_numbers([{"a": 1.0, "b": "x"}, {"a": 2.0}])
    {'a': '1–2 (2 seeds)', 'b': 'x'}
    """  # noqa: D205
    keys: list[str] = []
    for part in parts:
        keys += [k for k in part if k not in keys]
    return {k: spread([part[k] for part in parts if k in part]) for k in keys}


def runs_against(outcomes: Mapping[str, Sequence[bool]]) -> tuple[bool, dict[str, str]]:
    """Whether some run fails in a majority of at least :data:`MIN_SEEDS_AGAINST` seeds
    that decided it, from each run's per-seed outcomes (``True``: the run meets the
    criterion); and, for the verdict's numbers, each run that fails in some seed with its
    count.

    >>> runs_against({"relu 2/200": [False] * 3, "relu 2/30": [True] * 5})
    (False, {'relu 2/200': 'fails in 3 of 3 seeds'})
    >>> runs_against({"relu 2/30": [False] * 4 + [True]})
    (True, {'relu 2/30': 'fails in 4 of 5 seeds'})
    """  # noqa: D205
    counts = {run: (sum(not ok for ok in seen), len(seen)) for run, seen in outcomes.items()}
    report = {run: f"fails in {f} of {n} seeds" for run, (f, n) in counts.items() if f}
    return any(2 * f > n >= MIN_SEEDS_AGAINST for f, n in counts.values()), report


def over_runs(
    verdict: Verdict, outcomes: Mapping[str, Sequence[bool]], made: Sequence[str]
) -> Verdict:
    """A claim about every run of a kind, beyond the seed count: ``verdict`` (from
    :func:`combine_seeds`) ``holds`` only when each run ``made`` has outcomes in some seed,
    and a ``fails`` stands only when some run fails in a majority of at least
    :data:`MIN_SEEDS_AGAINST` seeds that decided it (:func:`runs_against`); otherwise
    ``inconclusive``, naming the runs. ``outcomes``: each run's per-seed outcomes (``True``:
    it meets the criterion), undecided seeds left out.

    >>> v = over_runs(Verdict("fails", {}, "no"), {"a": [False] * 3, "b": [True] * 5}, "ab")
    >>> v.status, v.numbers
    ('inconclusive', {'failing runs over their seeds': {'a': 'fails in 3 of 3 seeds'}})
    >>> over_runs(Verdict("holds", {}, "yes"), {"b": [True] * 5}, "ab").detail
    'yes; but no seed decided a'
    """  # noqa: D205
    if verdict.status == "holds":
        undecided = [run for run in made if not outcomes.get(run)]
        if not undecided:
            return verdict
        return Verdict(
            "inconclusive",
            {**verdict.numbers, "runs no seed decided": undecided},
            f"{verdict.detail}; but no seed decided {', '.join(undecided)}",
        )
    stands, failing = runs_against(outcomes)
    numbers = {**verdict.numbers, "failing runs over their seeds": failing}
    if stands or verdict.status != "fails":
        return Verdict(verdict.status, numbers, verdict.detail)
    return Verdict(
        "inconclusive",
        numbers,
        f"{verdict.detail}; but no run fails in a majority of at least {MIN_SEEDS_AGAINST} "
        "seeds that decided it, which a verdict against the paper needs (see the failing runs "
        "over their seeds)",
    )


def combine_seeds(per_seed: Mapping[int, Verdict | Exception]) -> Verdict:
    """The claim's verdict from each seed's verdict (or the ``MissingRunsError`` of a seed
    that lacks a run), by the rule of the module docstring.

    >>> v = combine_seeds({s: Verdict("fails", {"x": 1.0 + s}, "no") for s in range(5)})
    >>> v.status, v.numbers["fails in seeds"], v.numbers["x"]
    ('fails', [0, 1, 2, 3, 4], '1–5 (5 seeds); mean 3, 95% t-interval 1.037–4.963')
    >>> combine_seeds({0: Verdict("fails", {}, "no")}).status
    'inconclusive'
    """  # noqa: D205
    from eos_empirical.checks.check_registry import MissingRunsError

    decided = {s: v for s, v in per_seed.items() if isinstance(v, Verdict)}
    missing = sorted(s for s, v in per_seed.items() if not isinstance(v, Verdict))
    if not decided:
        reasons = {str(v) for v in per_seed.values()}
        raise MissingRunsError("; ".join(sorted(reasons)) or "no runs")
    held = sorted(s for s, v in decided.items() if v.status == "holds")
    failed = sorted(s for s, v in decided.items() if v.status == "fails")
    other = sorted(s for s, v in decided.items() if s not in held and s not in failed)
    n = len(held) + len(failed)
    numbers: dict[str, object] = {"holds in seeds": held, "fails in seeds": failed}
    if other:
        numbers["undecided seeds"] = {s: decided[s].status for s in other}
    if missing:
        numbers["seeds without the runs"] = missing
    numbers |= merge_numbers([v.numbers for v in decided.values()])
    status: Status
    if n and not failed:
        status, detail = "holds", decided[held[0]].detail
        if n > 1:
            detail += f" (in all {n} seeds)"
    elif failed and 2 * len(failed) > n and n >= MIN_SEEDS_AGAINST:
        status = "fails"
        detail = f"{decided[failed[0]].detail} (in {len(failed)} of {n} seeds)"
    else:
        status = "inconclusive"
        if not n:
            detail = "no seed decided the criterion: " + decided[other[0]].detail
        elif not held:
            detail = (
                f"fails in {len(failed)} of {n} seeds ({decided[failed[0]].detail}); a verdict "
                f"against the paper needs a majority of at least {MIN_SEEDS_AGAINST} seeds"
            )
        else:
            detail = (
                f"holds in {len(held)} of {n} seeds, fails in {len(failed)} "
                f"({decided[failed[0]].detail})"
            )
    return Verdict(status, numbers, detail)
