"""Numbers of a run's summary as people read them: 4 significant digits, accuracies as
percentages, GD steps as steps and SGD epochs as epochs, a non-finite loss as ``nan`` or
``inf`` with the reason the run stopped.

``summary.json`` stores a non-finite number as ``null`` (JSON has no NaN); the reason the
engine records (``loss nan at step 12 is not finite ...``) says which it was. Torch-free.
"""  # noqa: D205

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

_NON_FINITE = re.compile(r"\bloss (-?inf|nan)\b")


def sig4(value: Any) -> str:
    """A number to 4 significant digits (``nan``, ``inf`` as such; ``-`` for none).

    >>> sig4(0.9800000190734863), sig4(123456.0), sig4(float("inf")), sig4(None), sig4(40)
    ('0.98', '1.235e+05', 'inf', '-', '40')
    """
    if value is None or value == "":
        return "-"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return str(value) if isinstance(value, int) else f"{value:.4g}"


def percent(value: Any) -> str:
    """An accuracy in [0, 1] as a percentage with two decimals (``-`` for none).

    >>> percent(0.9800000190734863), percent(1.0), percent(None)
    ('98.00%', '100.00%', '-')
    """
    if value is None or value == "":
        return "-"
    value = float(value)
    return f"{100 * value:.2f}%" if math.isfinite(value) else sig4(value)


def unit_of(summary: Mapping[str, Any], opt: str | None = None) -> str:
    """``epochs`` for an SGD run (``opt``, else a summary with ``iterations``), ``steps``
    for GD.

    >>> unit_of({"steps": 3, "iterations": 30}), unit_of({"steps": 3}), unit_of({}, "sgd")
    ('epochs', 'steps', 'epochs')
    """  # noqa: D205
    if opt is not None:
        return "epochs" if opt == "sgd" else "steps"
    return "epochs" if "iterations" in summary else "steps"


def length(summary: Mapping[str, Any], opt: str | None = None) -> str:
    """How far the run went: ``40 steps`` (GD) or ``5 epochs (150 iterations)`` (SGD).

    >>> length({"steps": 5, "iterations": 150}), length({"steps": 1})
    ('5 epochs (150 iterations)', '1 step')
    """
    unit, steps = unit_of(summary, opt), summary.get("steps")
    text = f"{steps} {unit[:-1] if steps == 1 else unit}"
    if unit == "epochs" and summary.get("iterations") is not None:
        text += f" ({summary['iterations']} iterations)"
    return text


def non_finite(summary: Mapping[str, Any]) -> str:
    """What a ``null`` final loss was, from the reason: ``nan``, ``inf`` or ``not finite``.

    >>> non_finite({"reason": "loss inf at step 7 is not finite or above blowup x initial"})
    'inf'
    """
    match = _NON_FINITE.search(str(summary.get("reason", "")))
    return match.group(1) if match else "not finite"


def loss(summary: Mapping[str, Any]) -> str:
    """The final loss to 4 significant digits; ``nan``/``inf`` when it was not finite.

    >>> loss({"final_loss": 0.69314718}), loss({"final_loss": None, "reason": "loss nan at"})
    ('0.6931', 'nan')
    """
    value = summary.get("final_loss")
    return non_finite(summary) if value is None else sig4(value)


def run_line(summary: Mapping[str, Any], opt: str | None = None) -> str:
    """One line for a finished run: outcome, length, final loss and accuracy, wall time; a
    diverged run adds the engine's reason.

    >>> run_line({"outcome": "diverged", "steps": 12, "final_loss": None, "final_acc": 0.1,
    ...           "wall_time_s": 1.04,
    ...           "reason": "loss nan at step 12 is not finite or above blowup x initial"})
    'diverged: 12 steps, final loss nan, final acc 10.00%, 1.0 s (loss nan at step 12 is not finite or above blowup x initial)'
    """  # noqa: D205, E501
    text = (
        f"{summary.get('outcome')}: {length(summary, opt)}, final loss {loss(summary)}, "
        f"final acc {percent(summary.get('final_acc'))}, {summary.get('wall_time_s') or 0:.1f} s"
    )
    if summary.get("outcome") == "diverged" and summary.get("reason"):
        text += f" ({summary['reason']})"
    return text
