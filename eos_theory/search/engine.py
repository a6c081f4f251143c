"""The search engine: :func:`run_search` and its three stages, with :class:`SearchResult`.

1. Hypothesis targeted search: ``target(margin)`` in a ``@given`` loop with ``database=None``
   and ``@seed(seed)``, phases generate + target (in chunks when the budget is in seconds);
2. differential evolution (seeded) over the claim's box, if it has one;
3. shrinking: ``hypothesis.find`` for the simplest case whose margin is at least half the
   worst one (the worst case is kept if ``find`` gets nowhere).

Hypothesis is a test extra, so it is imported inside the stages, never at import time.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from eos_theory.families import Case
from eos_theory.search.catalog import SEARCHES, SearchClaim
from eos_theory.search.margins import Rejected


@dataclass
class SearchResult:
    """Outcome of a search: the worst case, the shrunk one, and what was spent."""

    claim: str
    seed: int
    examples: int = 0
    seconds: float = 0.0
    worst: Case | None = None
    worst_measured: dict[str, float] = field(default_factory=dict)
    worst_source: str = ""
    shrunk: Case | None = None
    shrunk_measured: dict[str, float] = field(default_factory=dict)
    rejected: int = 0

    @property
    def margin(self) -> float:
        """The worst margin found (``-inf`` if no case was measurable)."""
        return float(self.worst_measured.get("margin", -math.inf))

    @property
    def found(self) -> bool:
        """Whether a counterexample (margin > 0) was found."""
        return self.margin > 0

    def offer(self, case: Case, measured: dict[str, float], source: str) -> None:
        """Keep ``case`` if its margin beats the worst so far."""
        if measured["margin"] > self.margin:
            self.worst, self.worst_measured, self.worst_source = case, measured, source

    def to_dict(self, budget: str = "") -> dict[str, Any]:
        """JSON-ready summary."""
        out: dict[str, Any] = {
            "claim": self.claim,
            "seed": self.seed,
            "budget": budget,
            "examples": self.examples,
            "seconds": round(self.seconds, 2),
            "found": self.found,
            "margin": self.margin if self.worst else None,
        }
        if self.worst is not None:
            out["worst"] = {
                **self.worst.to_dict(),
                "measured": self.worst_measured,
                "source": self.worst_source,
            }
        if self.shrunk is not None:
            out["shrunk"] = {**self.shrunk.to_dict(), "measured": self.shrunk_measured}
        return out


#: ``on_progress(result, stage)`` of :func:`run_search`: called after each example a stage
#: measures (``result.examples`` and ``result.seconds`` so far, the worst margin) and once
#: before shrinking. ``stage``: ``"hypothesis"``, ``"differential evolution"``,
#: ``"shrinking"``. A plain callback: the command shows it (``eos search``'s bar).
ProgressHook = Callable[[SearchResult, str], None]


def _no_progress(result: SearchResult, stage: str) -> None:
    """The default :data:`ProgressHook`: show nothing."""


@contextlib.contextmanager
def _without_local_constants() -> Iterator[None]:
    """Keep the literal constants of the process's own modules out of Hypothesis's draws.

    Hypothesis (6.13x and later, ``hypothesis.internal.conjecture.providers``) mixes into its
    draws, with a small probability, the literals of every local module in ``sys.modules``,
    so a seeded search would depend on what else the process imported (a test suite, not
    the command, found the planted violation or missed it by the suite's composition). This
    turns that off while a search runs. It is an internal interface: where it is absent
    nothing is changed.
    """
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:  # pragma: no cover - an older or newer Hypothesis
        yield
        return
    original = getattr(providers, "_get_local_constants", None)
    empty = getattr(providers, "Constants", None)
    cache = getattr(providers, "CONSTANTS_CACHE", None)
    if original is None or empty is None or cache is None:  # pragma: no cover
        yield
        return
    providers._get_local_constants = empty  # a fresh, empty set of constants
    cache.cache.clear()
    try:
        yield
    finally:
        providers._get_local_constants = original
        cache.cache.clear()


def _hypothesis_stage(
    claim: SearchClaim,
    result: SearchResult,
    *,
    seed: int,
    max_examples: int,
    progress: ProgressHook,
    start: float,
    cap: float = math.inf,
) -> None:
    """Hypothesis targeted search over ``max_examples`` evaluations of the margin.

    A draw the claim rejects (:class:`Rejected`) counts as one of them: it ends the example
    without a target instead of ``reject()``, which Hypothesis would not count. Hypothesis
    may still run a few more examples than ``max_examples`` (replays); past ``cap``
    evaluations they are drawn but not measured.
    """
    from hypothesis import HealthCheck, Phase, given, settings, target
    from hypothesis import seed as hseed
    from hypothesis import strategies as st

    @hseed(seed)
    @settings(
        max_examples=max_examples,
        database=None,
        deadline=None,
        derandomize=False,
        phases=[Phase.generate, Phase.target],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def explore(data: Any) -> None:
        try:
            case: Case | None = claim.draw(data)
        except Rejected:
            case = None
        if result.examples >= cap:
            return  # budget spent: the draw is kept (Hypothesis replays it), nothing measured
        result.examples += 1
        result.seconds = time.perf_counter() - start
        if case is None:  # the draw is outside the claim's domain
            result.rejected += 1
            return
        try:
            measured = claim.measure(case)
        except Rejected:
            result.rejected += 1
            return
        target(measured["margin"], label=claim.id)
        result.offer(case, measured, "hypothesis targeted search")
        progress(result, "hypothesis")

    with _without_local_constants():
        explore()


def _optimizer_stage(
    claim: SearchClaim,
    result: SearchResult,
    *,
    seed: int,
    maxiter: int,
    deadline: float,
    progress: ProgressHook,
    start: float,
    cap: float = math.inf,
) -> None:
    """Seeded differential evolution over the claim's box (its polish step included), until
    ``maxiter``, the ``deadline`` or ``result.examples`` reaching ``cap``.
    """  # noqa: D205
    from scipy.optimize import differential_evolution

    class _Timeout(Exception):
        pass

    vector = claim.vector
    assert vector is not None  # run_search runs this stage only for claims with a box

    def objective(x: np.ndarray) -> float:
        if time.perf_counter() > deadline or result.examples >= cap:
            raise _Timeout
        result.examples += 1
        result.seconds = time.perf_counter() - start
        try:
            case = vector(x)
            measured = claim.measure(case)
        except (Rejected, ValueError):
            return 1e6
        result.offer(case, measured, f"differential_evolution(seed={seed})")
        progress(result, "differential evolution")
        return -measured["margin"]

    try:
        differential_evolution(
            objective,
            claim.bounds,
            seed=seed,
            maxiter=maxiter,
            popsize=8,
            tol=0,
            polish=True,
            init="sobol",
        )
    except _Timeout:
        pass


def _shrink_stage(
    claim: SearchClaim, result: SearchResult, *, seed: int, max_examples: int
) -> None:
    """Simplest case (Hypothesis order) whose margin is at least half the worst one."""
    import random

    from hypothesis import HealthCheck, find, settings
    from hypothesis import strategies as st
    from hypothesis.errors import NoSuchExample, Unsatisfiable

    if not result.found:
        return
    goal = 0.5 * result.margin

    class _Adapter:
        def __init__(self, draw: Any):
            self._draw = draw

        def draw(self, strategy: Any, label: str | None = None) -> Any:
            return self._draw(strategy)

    @st.composite
    def cases(draw: Any) -> Case:
        return claim.draw(_Adapter(draw))

    def condition(case: Case) -> bool:
        try:
            return claim.measure(case)["margin"] >= goal
        except Rejected:
            return False

    try:
        shrunk = find(
            cases(),
            condition,
            settings=settings(
                max_examples=max_examples,
                database=None,
                deadline=None,
                suppress_health_check=list(HealthCheck),
            ),
            random=random.Random(seed),
        )
    except (NoSuchExample, Unsatisfiable):
        return
    result.shrunk, result.shrunk_measured = shrunk, claim.measure(shrunk)


def run_search(
    claim_id: str,
    *,
    seed: int = 0,
    max_examples: int | None = 500,
    seconds: float | None = None,
    optimizer: bool = True,
    shrink: bool = True,
    on_progress: ProgressHook = _no_progress,
) -> SearchResult:
    """Search ``claim_id`` for the worst margin within ``max_examples`` or ``seconds``.

    With an example budget, about 2/3 go to Hypothesis and 1/3 to differential evolution
    (when the claim has a box); with a time budget the same split applies to the time. An
    example is one evaluation of the claim's margin, rejected draws and the optimizer's
    polish step included, so ``result.examples`` never exceeds ``max_examples``.
    Shrinking gets up to 200 further examples, not counted. ``on_progress`` is told of each example
    (see :data:`ProgressHook`).
    """
    if claim_id not in SEARCHES:
        raise ValueError(f"unknown claim {claim_id!r}; known: {', '.join(SEARCHES)}")
    if (max_examples is None) == (seconds is None):
        raise ValueError("give exactly one of max_examples and seconds")
    claim = SEARCHES[claim_id]
    result = SearchResult(claim_id, seed)
    start = time.perf_counter()
    use_de = optimizer and claim.vector is not None and bool(claim.bounds)
    share = 2 / 3 if use_de else 1.0
    if seconds is not None:
        hyp_deadline = start + share * seconds
        chunk, k = 50, 0  # the clock is read between chunks (a run must not end mid-way)
        while time.perf_counter() < hyp_deadline:
            _hypothesis_stage(
                claim,
                result,
                seed=seed * 10_007 + k,
                max_examples=chunk,
                progress=on_progress,
                start=start,
            )
            k += 1
        de_deadline, de_iter = start + seconds, 10_000
    else:
        assert max_examples is not None  # exactly one budget was given (checked above)
        n_hyp = max(1, int(share * max_examples))
        _hypothesis_stage(
            claim,
            result,
            seed=seed,
            max_examples=n_hyp,
            progress=on_progress,
            start=start,
            cap=n_hyp,
        )
        n_de = max_examples - n_hyp
        de_iter = max(0, n_de // (8 * max(1, len(claim.bounds))) - 1)
        de_deadline = math.inf
    if use_de and (seconds is not None or de_iter > 0):
        _optimizer_stage(
            claim,
            result,
            seed=seed,
            maxiter=de_iter,
            deadline=de_deadline,
            progress=on_progress,
            start=start,
            cap=math.inf if max_examples is None else max_examples,
        )
    result.seconds = time.perf_counter() - start
    if shrink:
        on_progress(result, "shrinking")
        _shrink_stage(claim, result, seed=seed, max_examples=200)
    return result
