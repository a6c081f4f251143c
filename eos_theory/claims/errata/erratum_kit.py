"""What every erratum check shares: the verdict rule, the text check, exact quadratic GD.

:func:`decide` turns a check's two findings into a :class:`~eos_theory.registry.Verdict`:
``erratum`` when the printed statement fails on its demonstration *and* the corrected one
holds there, ``fails`` otherwise, and ``fails`` too when a textual erratum's printed
passage is no longer found in the transcription (:func:`text_checks`, which reads the paper
through :mod:`eos_theory.paper.transcription`). With the paper folder absent the verdict is
decided on the mathematics alone and the detail says the text was not re-read.

:func:`diag` and :func:`exact_outcome` run GD on a quadratic 1/2 theta^T P theta + q^T theta
in exact ``Fraction`` arithmetic (:func:`eos_theory.symbolic.exact_gd`), so a verdict that
a quadratic decides carries no round-off; :data:`EX1_P` is Example 1's Hessian.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from eos_theory.paper.transcription import normalize, paper_dir, paper_text
from eos_theory.registry import Verdict
from eos_theory.symbolic import classify_exact_run, exact_gd


def text_checks(
    present: dict[str, tuple[str, ...]], absent: dict[str, tuple[str, ...]] | None = None
) -> tuple[bool | None, dict[str, object]]:
    """Whether each phrase is found (``present``) or not found (``absent``) per transcription.

    Returns ``(ok, numbers)``; ``ok`` is ``None`` when the paper folder is absent.
    """
    numbers: dict[str, object] = {}
    ok = True
    for want, table in ((True, present), (False, absent or {})):
        for tr, phrases in table.items():
            text = paper_text(tr)
            if text is None:
                return None, {"paper text": f"not re-read ({paper_dir()} absent)"}
            for phrase in phrases:
                found = normalize(phrase) in text
                numbers[f"{tr}: {'has' if want else 'lacks'} {phrase[:48]!r}"] = found == want
                ok &= found == want
    return ok, numbers


def decide(
    printed_fails: bool,
    corrected_holds: bool,
    numbers: Mapping[str, object],
    detail: str,
    text_ok: bool | None = True,
    text_numbers: dict[str, object] | None = None,
) -> Verdict:
    """The erratum's verdict: ``erratum`` iff the printed statement fails and the corrected holds.

    ``text_ok`` is :func:`text_checks`'s answer: ``False`` (printed passage not found) makes
    the verdict ``fails``; ``None`` (paper folder absent) leaves the mathematics to decide
    and notes it in the detail.

    >>> decide(True, True, {"x": 1}, "printed fails").status
    'erratum'
    >>> decide(True, False, {}, "corrected fails").status
    'fails'
    >>> decide(True, True, {}, "textual", None).detail
    'textual (paper text not re-read: folder absent)'
    """
    numbers = dict(numbers) | (text_numbers or {})
    numbers["printed fails"] = bool(printed_fails)
    numbers["corrected holds"] = bool(corrected_holds)
    if text_ok is None:
        detail += " (paper text not re-read: folder absent)"
    elif not text_ok:
        return Verdict(
            "fails", numbers, "printed passage not found in the transcription: " + detail
        )
    ok = printed_fails and corrected_holds
    return Verdict("erratum" if ok else "fails", numbers, detail)


def text_absent(numbers: Mapping[str, object], detail: str) -> Verdict:
    """``not run``: a textual erratum cannot be shown without re-reading the paper.

    >>> text_absent({}, "cross-reference").status
    'not run'
    """
    return Verdict(
        "not run",
        dict(numbers),
        f"{detail}: the paper folder is absent, and only re-reading the text shows this erratum",
    )


def decide_textual(
    detail: str,
    text_ok: bool | None,
    text_numbers: dict[str, object],
    numbers: Mapping[str, object] | None = None,
) -> Verdict:
    """The verdict of an erratum shown by the text alone (a misprint, a numbering slip).

    "Printed fails" and "corrected holds" are both what :func:`text_checks` found: the
    printed passage is present where the erratum says and the correct form where it says
    (``text_ok``); ``not run`` when the paper folder is absent.

    >>> decide_textual("misprint", True, {}).status
    'erratum'
    >>> decide_textual("misprint", False, {}).status
    'fails'
    """
    if text_ok is None:
        return text_absent(numbers or {}, detail)
    return decide(text_ok, text_ok, numbers or {}, detail, text_ok, text_numbers)


def _fr(x: float | int | str) -> Fraction:
    return Fraction(x)


def diag(*values: float | int | str) -> list[list[Fraction]]:
    """The diagonal matrix of ``values`` (ints or strings like ``"1/2"``) as exact Fractions.

    >>> diag(3, "1/2")
    [[Fraction(3, 1), Fraction(0, 1)], [Fraction(0, 1), Fraction(1, 2)]]
    """
    n = len(values)
    return [[_fr(values[i]) if i == j else Fraction(0) for j in range(n)] for i in range(n)]


def exact_outcome(
    p: list[list[Fraction]],
    eta: Fraction,
    x0: Sequence[float | int | str],
    q: list[Fraction] | None = None,
    steps: int = 600,
) -> str:
    """Outcome of ``steps`` exact GD steps on 1/2 x^T P x + q^T x from ``x0`` (q = 0 default).

    :func:`eos_theory.symbolic.classify_exact_run`'s label: ``converged``, ``diverged`` or
    ``bounded``.

    >>> exact_outcome(diag(40, 2), Fraction(2, 39), ["1/1000", 1])
    'diverged'
    """
    q = q or [Fraction(0)] * len(p)
    return classify_exact_run(exact_gd(p, q, eta, [_fr(x) for x in x0], steps))


def generic_start_verdict(
    p: list[list[Fraction]], eta: Fraction, numbers: dict[str, object], detail: str
) -> Verdict:
    """Fact 1's "GD diverges" against a start with no component along the top eigenvector.

    Exact GD (600 steps) on 1/2 theta^T P theta from (0, 1) and from (1/1000, 1), where
    ``p``'s first eigenvalue exceeds 2/eta: the printed "diverges" fails when GD converges
    from (0, 1); the corrected "diverges from almost every start" holds when it diverges from
    (1/1000, 1) and converges from (0, 1). ``numbers`` are added after the two outcomes.

    >>> generic_start_verdict(diag(3, "1/2"), Fraction(1), {}, "demo").status
    'erratum'
    """
    special = exact_outcome(p, eta, [0, 1])
    generic = exact_outcome(p, eta, ["1/1000", 1])
    return decide(
        special != "diverged",
        generic == "diverged" and special == "converged",
        {"from (0, 1)": special, "from (1/1000, 1)": generic} | numbers,
        detail,
    )


#: Example 1's cost (preprint): 20 theta1^2 + theta2^2 = 1/2 theta^T diag(40, 2) theta.
EX1_P = diag(40, 2)
