"""One registry of the paper's claims: each statement written once, with its check.

A claim is registered by decorating its check function with :func:`claim` in any module of
the package :mod:`eos_theory.claims`; :func:`all_claims` imports every such module, so a
new module of claims needs no other edit. ``eos verify``, ``eos errata``, ``docs/claims.md``
and the parametrised pytest tests are views of this registry.

Verdict statuses:

- ``proved``: a symbolic proof (sympy) went through; ``method`` names it.
- ``holds``: the statement held numerically on the stated inputs within the stated slack.
- ``fails``: the statement did not hold (for an erratum: the corrected statement failed,
  or the printed one held, so the erratum itself is wrong).
- ``erratum``: the printed statement is false or imprecise and the corrected one holds.
- ``finding``: a counterexample or measurement about an approximate claim, reported as a
  result (e.g. the largest error of (4.3) found by a search).
"""

from __future__ import annotations

import importlib
import pkgutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

Status = Literal["proved", "holds", "fails", "erratum", "finding"]
Kind = Literal["exact", "approximate", "erratum", "finding"]
Severity = Literal["false as printed", "wrong formula but right elsewhere", "imprecise", "typo"]

#: The statuses a claim of each kind may end in without failing ``eos verify``.
PASSING: dict[str, frozenset[str]] = {
    "exact": frozenset({"proved", "holds"}),
    "approximate": frozenset({"holds", "finding"}),
    "erratum": frozenset({"erratum"}),
    "finding": frozenset({"finding"}),
}


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
    of ``exact``, ``approximate``, ``erratum``, ``finding``, ``severity`` the erratum's
    severity, and ``slow`` marks a check that takes more than a few seconds.
    """

    id: str
    location: str
    statement: str
    method: str
    check: Callable[[], Verdict]
    kind: Kind = "exact"
    corrected: str | None = None
    severity: Severity | None = None
    slow: bool = False

    def run(self) -> Verdict:
        """Run the check; an exception becomes a ``fails`` verdict that names it."""
        start = time.perf_counter()
        try:
            verdict = self.check()
        except Exception as exc:
            verdict = Verdict("fails", {}, f"check raised {type(exc).__name__}: {exc}")
        if not isinstance(verdict, Verdict):
            verdict = Verdict("fails", {}, f"check returned {verdict!r}, not a Verdict")
        numbers = dict(verdict.numbers)
        numbers.setdefault("seconds", round(time.perf_counter() - start, 3))
        return Verdict(verdict.status, numbers, verdict.detail)

    def passed(self, verdict: Verdict) -> bool:
        """Whether ``verdict`` is a passing outcome for a claim of this kind."""
        return verdict.status in PASSING[self.kind]


_REGISTRY: dict[str, Claim] = {}


def claim(
    *,
    id: str,
    location: str,
    statement: str,
    method: str,
    kind: Kind = "exact",
    corrected: str | None = None,
    severity: Severity | None = None,
    slow: bool = False,
) -> Callable[[Callable[[], Verdict]], Callable[[], Verdict]]:
    """Register the decorated zero-argument check function as the claim ``id``."""
    if kind == "erratum" and (corrected is None or severity is None):
        raise ValueError(f"erratum {id!r} needs both corrected= and severity=")

    def register(check: Callable[[], Verdict]) -> Callable[[], Verdict]:
        if id in _REGISTRY and _REGISTRY[id].check.__qualname__ != check.__qualname__:
            raise ValueError(f"claim id {id!r} is registered twice")
        _REGISTRY[id] = Claim(
            id=id,
            location=location,
            statement=statement,
            method=method,
            check=check,
            kind=kind,
            corrected=corrected,
            severity=severity,
            slow=slow,
        )
        return check

    return register


def all_claims() -> list[Claim]:
    """Every registered claim, after importing each module of :mod:`eos_theory.claims`."""
    import eos_theory.claims as package

    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{info.name}")
    return sorted(_REGISTRY.values(), key=lambda c: c.id)


def get_claim(claim_id: str) -> Claim:
    """The claim with this id, or ``ValueError`` listing the known ids."""
    claims = {c.id: c for c in all_claims()}
    if claim_id not in claims:
        raise ValueError(f"unknown claim id {claim_id!r}; known ids: {', '.join(sorted(claims))}")
    return claims[claim_id]
