"""Assertion helpers with one message format, for the test suites and property tests.

Every failure reads ``<quantity>=<measured>, but should be <expected> ± <slack> [<claim>;
<inputs>]`` so a reader sees the numbers, the paper's claim and how to reproduce it
without opening the code. The helpers hide their own frame from pytest tracebacks.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


def _context(claim: str, inputs: Mapping[str, object] | None) -> str:
    parts = [claim] if claim else []
    if inputs:
        parts.append(", ".join(f"{k}={_fmt(v)}" for k, v in inputs.items()))
    return "; ".join(parts)


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.17g}"
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=17, separator=", ")
    return repr(value)


def assert_close(
    quantity: str,
    measured: object,
    expected: object,
    *,
    rtol: float = 0.0,
    atol: float = 0.0,
    claim: str = "",
    inputs: Mapping[str, object] | None = None,
) -> None:
    r"""Assert :math:`|m - e| \le \mathrm{atol} + \mathrm{rtol}\,|e|` elementwise.

    ``quantity`` names what is compared, ``claim`` the paper's statement it checks
    (e.g. ``"Theorem 2 (4.2)"``) and ``inputs`` what reproduces it (eta, theta, seed).
    On arrays the message lists the worst entry, its index and its ratio to the slack.

    >>> assert_close("RP", -0.75, -0.75, atol=1e-12, claim="Definition 1")
    """
    __tracebackhide__ = True
    m = np.asarray(measured, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    slack = atol + rtol * np.abs(e)
    err = np.abs(m - e)
    bad = ~(err <= slack)  # NaN counts as a failure
    if not np.any(bad):
        return
    ctx = _context(claim, inputs)
    if m.ndim == 0:
        raise AssertionError(
            f"{quantity}={_fmt(float(m))}, but should be {_fmt(float(e))} ± "
            f"{float(slack):.3g} (off by {float(err):.3g}) [{ctx}]"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(slack > 0, err / slack, np.inf)
    idx = np.unravel_index(int(np.nanargmax(np.where(bad, ratio, -1.0))), m.shape)
    raise AssertionError(
        f"{quantity}[{', '.join(map(str, idx))}]={_fmt(float(m[idx]))}, but should be "
        f"{_fmt(float(e[idx]))} ± {float(slack[idx]):.3g} (error/slack={float(ratio[idx]):.3g}; "
        f"{int(bad.sum())} of {m.size} entries out of tolerance) [{ctx}]"
    )


def assert_leq(
    quantity: str,
    lhs: float,
    rhs: float,
    *,
    slack: float = 0.0,
    claim: str = "",
    inputs: Mapping[str, object] | None = None,
) -> None:
    r"""Assert the inequality :math:`\mathrm{lhs} \le \mathrm{rhs} + \mathrm{slack}`.

    >>> assert_leq("(2/eta)(RP+1)", 1.0, 2.0, claim="Corollary 1")
    """
    __tracebackhide__ = True
    if lhs <= rhs + slack:
        return
    raise AssertionError(
        f"{quantity}={_fmt(float(lhs))}, but should be <= {_fmt(float(rhs))} + {slack:.3g} "
        f"(violated by {float(lhs - rhs):.3g}) [{_context(claim, inputs)}]"
    )
