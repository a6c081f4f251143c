"""One registry of the paper's claims: each statement written once, with its check.

A claim is registered by decorating its check function with :func:`claim` in any module of
the package :mod:`eos_theory.claims`; :func:`all_claims` imports every such module, so a
new module of claims needs no other edit. Claims judged from training logs (kind
``experimental``) are registered the same way from the empirical side, in the packages named
by the ``eos.claims`` entry point group (``eos_empirical.checks``): this package never
imports them by name. ``eos verify``, ``eos errata``, ``docs/claims.md`` and the
parametrised pytest tests are views of this registry, in paper order: every claim names the
paper items it checks in ``ref`` (:mod:`eos_theory.paper.index`).

Verdict statuses:

- ``proved``: a symbolic proof (sympy) went through; ``method`` names it.
- ``holds``: the statement held numerically on the stated inputs within the stated slack.
- ``fails``: the statement did not hold (for an erratum: the corrected statement failed,
  or the printed one held, so the erratum itself is wrong).
- ``erratum``: the printed statement is false or imprecise and the corrected one holds.
- ``finding``: a counterexample or measurement about an approximate claim, reported as a
  result (e.g. the largest error of (4.3) found by a search).
- ``not run``: an experimental claim whose run logs are not there.
- ``inconclusive``: an experimental claim whose logs hold too few qualifying rows to decide.
- ``damaged``: an experimental claim whose logs are damaged (never judged silently).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import pkgutil
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Literal

from eos_theory.paper.index import check_refs, paper_location, position

Status = Literal[
    "proved",
    "holds",
    "fails",
    "erratum",
    "finding",
    "not run",
    "inconclusive",
    "damaged",
]
Kind = Literal["exact", "approximate", "erratum", "finding", "experimental"]
Severity = Literal["false as printed", "wrong formula but right elsewhere", "imprecise", "typo"]
KINDS: tuple[Kind, ...] = ("exact", "approximate", "erratum", "finding", "experimental")

#: The statuses a claim of each kind may end in without failing ``eos verify``. An
#: approximate claim must meet its pre-registered criterion (``holds``): a miss is
#: ``fails``, to be re-judged by a person, and a counterexample that respects the claim's
#: premises is registered as a claim of kind ``finding``. An
#: experimental verdict is a result about the runs, not about this code: ``holds``,
#: ``fails``, ``finding`` (a measurement reported), ``not run`` and ``inconclusive`` are all
#: reported, none fails the command; damaged logs and a check that raised do.
PASSING: dict[str, frozenset[str]] = {
    "exact": frozenset({"proved", "holds"}),
    "approximate": frozenset({"holds"}),
    # "not run": a textual erratum without the paper folder (it cannot be re-read).
    "erratum": frozenset({"erratum", "not run"}),
    "finding": frozenset({"finding"}),
    "experimental": frozenset({"holds", "fails", "finding", "not run", "inconclusive"}),
}
#: Entry point group of the packages that register claims from outside this package.
ENTRY_POINT_GROUP = "eos.claims"


@dataclass(frozen=True)
class Verdict:
    """The outcome of a claim's check.

    ``status`` is one of the statuses above, ``numbers`` the values that decide it (measured,
    expected, slack, and the inputs needed to reproduce them), ``detail`` one sentence a
    reader understands without the code.
    """

    status: Status
    numbers: Mapping[str, object] = field(default_factory=dict)
    detail: str = ""


@dataclass(frozen=True)
class Claim:
    """A statement of the paper and the check that decides it.

    ``id`` is a short stable name (``theorem2.examples``), ``location`` the place in the
    paper (section, equation, example, and the transcription when they differ),
    ``statement`` the statement as printed, ``corrected`` the corrected statement when the
    printed one is wrong (``None`` otherwise), ``method`` how it is checked, ``kind`` one
    of :data:`KINDS`, ``severity`` the erratum's severity, ``slow`` marks a check that
    takes more than a few seconds, and ``ref`` names the paper items it checks
    (:data:`eos_theory.paper.index.ITEMS`).

    The check of an ``experimental`` claim takes one argument, the run logs (an object of
    the empirical side that this package does not look into); every other check takes
    none.
    """

    id: str
    location: str
    statement: str
    method: str
    check: Callable[..., Verdict]
    kind: Kind = "exact"
    corrected: str | None = None
    severity: Severity | None = None
    slow: bool = False
    ref: tuple[str, ...] = ()

    @property
    def order(self) -> tuple[int, str]:
        """Sort key in paper order: the position of the first item in ``ref``, then ``id``."""
        return (position(self.ref[0]) if self.ref else 10**6, self.id)

    def run(self, runs: Any = None) -> Verdict:
        """Run the check; an exception becomes a ``fails`` verdict that names it.

        An ``experimental`` claim is judged on ``runs`` (``not run`` when ``None``).
        """
        start = time.perf_counter()
        if self.kind == "experimental" and runs is None:
            return Verdict("not run", {}, "no run logs given (eos verify --runs DIR)")
        try:
            verdict = self.check(runs) if self.kind == "experimental" else self.check()
        except Exception as exc:
            verdict = Verdict(
                "fails", {"error": type(exc).__name__}, f"check raised {type(exc).__name__}: {exc}"
            )
        if not isinstance(verdict, Verdict):
            verdict = Verdict("fails", {"error": "bad return"}, f"check returned {verdict!r}")
        numbers = dict(verdict.numbers)
        numbers.setdefault("seconds", round(time.perf_counter() - start, 3))
        return Verdict(verdict.status, numbers, verdict.detail)

    def passed(self, verdict: Verdict) -> bool:
        """Whether ``verdict`` is a passing outcome for a claim of this kind.

        A check that raised never passes, whatever its kind.
        """
        return verdict.status in PASSING[self.kind] and "error" not in verdict.numbers


_REGISTRY: dict[str, Claim] = {}


def claim(
    *,
    id: str,
    statement: str,
    method: str,
    location: str | None = None,
    kind: Kind | None = None,
    corrected: str | None = None,
    severity: Severity | None = None,
    slow: bool = False,
    ref: Iterable[str] = (),
) -> Callable[[Callable[..., Verdict]], Callable[..., Verdict]]:
    """Register the decorated check function as the claim ``id``.

    ``ref`` names the paper items the claim checks; an unknown name is a ``ValueError``.
    ``kind`` defaults to ``erratum`` when a ``severity`` is given (an erratum is what has
    one), else to ``exact``; ``location`` defaults to :func:`~eos_theory.paper.index.
    paper_location` of ``ref`` (the first item's section, then the items).
    """
    if kind is None:
        kind = "erratum" if severity is not None else "exact"
    if kind == "erratum" and (corrected is None or severity is None):
        raise ValueError(f"erratum {id!r} needs both corrected= and severity=")
    if kind not in KINDS:
        raise ValueError(f"kind: {kind!r} is not one of {', '.join(KINDS)}")
    refs = check_refs(ref)
    where = location if location is not None else paper_location(refs)

    def register(check: Callable[..., Verdict]) -> Callable[..., Verdict]:
        if id in _REGISTRY and _REGISTRY[id].check.__qualname__ != check.__qualname__:
            raise ValueError(f"claim id {id!r} is registered twice")
        _REGISTRY[id] = Claim(
            id=id,
            location=where,
            statement=statement,
            method=method,
            check=check,
            kind=kind,
            corrected=corrected,
            severity=severity,
            slow=slow,
            ref=refs,
        )
        return check

    return register


def _import_all(package: ModuleType) -> None:
    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{info.name}")


def all_claims(*, experimental: bool = True) -> list[Claim]:
    """Every registered claim in paper order.

    Imports each module of :mod:`eos_theory.claims` and, with ``experimental``, the
    packages of the ``eos.claims`` entry points (the experimental claims of
    :mod:`eos_empirical.checks`, which import no torch).
    """
    import eos_theory.claims as package

    _import_all(package)
    if experimental:
        for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            module = importlib.import_module(entry.value)
            if hasattr(module, "__path__"):
                _import_all(module)
    claims: Iterable[Claim] = _REGISTRY.values()
    if not experimental:
        claims = [c for c in claims if c.kind != "experimental"]
    return sorted(claims, key=lambda c: c.order)


def get_claim(claim_id: str) -> Claim:
    """The claim with this id, or ``ValueError`` listing the known ids."""
    claims = {c.id: c for c in all_claims()}
    if claim_id not in claims:
        raise ValueError(f"unknown claim id {claim_id!r}; known ids: {', '.join(sorted(claims))}")
    return claims[claim_id]
