r"""Equal true error: each eigensolver at the cheapest setting that reaches the target.

The fair comparison of issue 16 item 2 compares solvers at EQUAL TRUE ERROR, not at
equal nominal tolerance (solvers' tolerances mean different things: a relative residual,
a relative change between iterates, an absolute residual, a fixed step count). For one
solver with settings :math:`s_1, s_2, \dots` ordered from loose to tight (tolerance
:math:`10^{-1}, 3\cdot10^{-2}, \dots` or step count :math:`1, 2, \dots`), the run with
setting :math:`s` returns :math:`\hat\lambda(s)` after :math:`h(s)` Hessian-vector
products; its true relative error is

.. math::

    e(s) = |\hat\lambda(s) - \lambda_{\rm ref}| / |\lambda_{\rm ref}|

against a tight reference :math:`\lambda_{\rm ref}` (float64 Lanczos to relative residual
:math:`10^{-8}`). The solver's best setting is

.. math::

    s^\star = \arg\min \{ h(s) : e(s) \le \epsilon \}, \qquad \epsilon = 10^{-3},

ties broken by the looser setting (first in the list). :func:`scan` runs the settings in
order and stops ``confirm`` settings after the first that meets the target: for a solver
whose run at a tighter setting repeats the looser run's iterations and only stops later
(Lanczos, ARPACK, power iteration, LOBPCG from the same start), :math:`h` is
non-decreasing in the setting, so the first setting that meets the target is
:math:`s^\star`; the ``confirm`` extra runs check that on the measured instance.

Along a run (warm starts, :func:`window_best`), one setting serves a window of steps:
the best setting is the one with the fewest mean products per step among those whose
error is within :math:`\epsilon` at a fraction ``need`` (0.95, item 1's criterion) of the
window's steps.

Pure Python (no torch): the runs are callables handed in by the figures.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

#: Target true relative error of the comparison.
TARGET = 1e-3
#: Fraction of a window's steps that must meet the target (issue 16 item 1's 95%).
WINDOW_NEED = 0.95


@dataclass(frozen=True)
class Trial:
    """One run: its ``setting``, ``value``, products ``hvps``, true ``rel_error``,
    ``seconds`` and whether it ``meets`` the target.
    """  # noqa: D205

    setting: dict[str, Any]
    value: float
    hvps: int
    rel_error: float
    seconds: float
    meets: bool

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready record."""
        return asdict(self)


def rel_error(value: float, ref: float) -> float:
    """:math:`|\\hat\\lambda - \\lambda_{\\rm ref}| / |\\lambda_{\\rm ref}|`.

    >>> rel_error(10.01, 10.0) < 1.1e-3
    True
    """  # noqa: D301
    return abs(value - ref) / abs(ref)


def cheapest(trials: Sequence[Trial]) -> Trial | None:
    """The trial with the fewest products among those meeting the target (first on ties).

    >>> t = [Trial({"tol": 1e-1}, 9.0, 5, 0.1, 0.0, False),
    ...      Trial({"tol": 1e-2}, 9.99, 8, 1e-4, 0.0, True),
    ...      Trial({"tol": 1e-3}, 9.999, 8, 1e-5, 0.0, True)]
    >>> cheapest(t).setting
    {'tol': 0.01}
    """
    best: Trial | None = None
    for t in trials:
        if t.meets and (best is None or t.hvps < best.hvps):
            best = t
    return best


def scan(
    run: Callable[[dict[str, Any]], tuple[float, int, float]],
    settings: Sequence[dict[str, Any]],
    ref: float,
    *,
    target: float = TARGET,
    confirm: int = 1,
) -> dict[str, Any]:
    """Run ``settings`` (loose to tight) and return the cheapest meeting ``target``.

    ``run(setting)`` returns ``(value, hvps, seconds)``. Stops ``confirm`` settings after
    the first that meets the target (see the module docstring). Returns ``{"best":
    trial dict or None, "trials": [...], "met": bool}``; ``best`` is ``None`` when no
    setting meets the target (the row then says the tightest setting's error).
    """
    trials: list[Trial] = []
    first_met: int | None = None
    for i, setting in enumerate(settings):
        value, hvps, seconds = run(setting)
        err = rel_error(value, ref)
        trials.append(Trial(dict(setting), value, hvps, err, seconds, err <= target))
        if first_met is None and err <= target:
            first_met = i
        if first_met is not None and i - first_met >= confirm:
            break
    best = cheapest(trials)
    return {
        "best": None if best is None else best.as_dict(),
        "trials": [t.as_dict() for t in trials],
        "met": best is not None,
    }


def scan_count(
    run: Callable[[dict[str, Any]], tuple[float, int, float]],
    key: str,
    lo: int,
    hi: int,
    ref: float,
    *,
    target: float = TARGET,
) -> dict[str, Any]:
    """:func:`scan` for a knob that is a count (iterations), from ``lo`` up to ``hi``.

    Doubles the count until a run meets ``target``, then bisects between the last count
    that missed and the first that met (the error is taken to fall with the count, as it
    does for a solver whose longer run extends the shorter one), then runs one count more
    to confirm. Every run is kept in ``trials`` (sorted by count); ``best`` is the
    cheapest run meeting the target among them.
    """
    trials: dict[int, Trial] = {}

    def meets(m: int) -> bool:
        if m not in trials:
            value, hvps, seconds = run({key: m})
            err = rel_error(value, ref)
            trials[m] = Trial({key: m}, value, hvps, err, seconds, err <= target)
        return trials[m].meets

    missed, m = lo - 1, lo
    while m <= hi and not meets(m):
        missed, m = m, min(2 * m, hi) if m < hi else hi + 1
    if m <= hi:
        a, b = missed + 1, m
        while a < b:
            mid = (a + b) // 2
            if meets(mid):
                b = mid
            else:
                a = mid + 1
        if a + 1 <= hi:
            meets(a + 1)
    ordered = [trials[k] for k in sorted(trials)]
    best = cheapest(ordered)
    return {
        "best": None if best is None else best.as_dict(),
        "trials": [t.as_dict() for t in ordered],
        "met": best is not None,
    }


def best_of(scans: dict[str, dict[str, Any]]) -> tuple[str | None, dict[str, Any] | None]:
    """The family (e.g. eigsh's ``ncv``) whose best trial has the fewest products.

    >>> best_of({"ncv=4": {"best": {"hvps": 12}}, "ncv=6": {"best": {"hvps": 9}},
    ...          "ncv=8": {"best": None}})
    ('ncv=6', {'hvps': 9})
    """
    key, best = None, None
    for name, s in scans.items():
        b = s.get("best")
        if b is not None and (best is None or b["hvps"] < best["hvps"]):
            key, best = name, b
    return key, best


def window_summary(hvps: Sequence[int], errors: Sequence[float], target: float = TARGET):
    """Products per step (median, mean, p90, max) and the fraction of steps within target.

    >>> s = window_summary([2, 3, 4], [1e-4, 2e-3, 1e-5])
    >>> s["hvps_median"], round(s["fraction_within"], 3), s["steps"]
    (3.0, 0.667, 3)
    """
    hv = sorted(float(h) for h in hvps)
    within = [e <= target for e in errors]
    p90 = hv[min(len(hv) - 1, int(0.9 * len(hv)))] if hv else None
    return {
        "steps": len(hv),
        "hvps_median": statistics.median(hv) if hv else None,
        "hvps_mean": statistics.fmean(hv) if hv else None,
        "hvps_p90": p90,
        "hvps_max": hv[-1] if hv else None,
        "hvps_total": int(sum(hv)),
        "fraction_within": sum(within) / len(within) if within else None,
        "max_rel_error": max(errors) if errors else None,
    }


def window_best(
    configs: dict[str, dict[str, Any]], *, need: float = WINDOW_NEED
) -> tuple[str | None, dict[str, Any] | None]:
    """The config with the fewest mean products per step among those within the target at
    a fraction ``need`` of the window's steps (``configs``: name -> :func:`window_summary`).

    >>> window_best({"a": {"hvps_mean": 2.0, "fraction_within": 0.9},
    ...              "b": {"hvps_mean": 3.0, "fraction_within": 1.0},
    ...              "c": {"hvps_mean": 4.0, "fraction_within": 1.0}})
    ('b', {'hvps_mean': 3.0, 'fraction_within': 1.0})
    """  # noqa: D205
    key, best = None, None
    for name, s in configs.items():
        ok = s.get("fraction_within") is not None and s["fraction_within"] >= need
        if ok and (best is None or s["hvps_mean"] < best["hvps_mean"]):
            key, best = name, s
    return key, best
