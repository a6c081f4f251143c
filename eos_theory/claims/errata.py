r"""Errata of the two transcriptions of the paper, each a claim of kind ``erratum`` with a check.

A check returns ``erratum`` when the printed statement fails on its demonstration (a cost,
a point, numbers) *and* the corrected statement holds there; it returns ``fails`` when the
corrected statement stops holding or the printed one starts to hold. Textual errata
(inverted sentences, wrong cross-references, disagreements between the transcriptions) also
re-read the paper: the printed passage must still be found in the named transcription(s) in
``EOS_PAPER_DIR`` or, by default, ``../shared/paper`` relative to the repository root. When
that folder is absent the mathematical part is still decided and the detail says the text
was not re-read.

Transcriptions: ``ICML`` = ``unstable-convergence-icml2022.md``, ``preprint`` =
``unstable-convergence-preprint.md``. Text is compared after removing whitespace, ``$``,
``*``, braces and ``\boldsymbol``/``\mathbf`` wrappers, so the two transcriptions' spacing
and markup differences do not matter.

Tolerances: exact (``Fraction``) arithmetic where a quadratic decides; otherwise float64
values whose decisive gaps are orders of magnitude above round-off (each stated).
"""

from __future__ import annotations

import functools
import math
import os
import re
from fractions import Fraction
from pathlib import Path

import autograd.numpy as anp
import numpy as np
from autograd import grad

from eos_theory.registry import Verdict, claim
from eos_theory.symbolic import classify_exact_run, exact_gd

TRANSCRIPTIONS = {
    "ICML": "unstable-convergence-icml2022.md",
    "preprint": "unstable-convergence-preprint.md",
}
BOTH = ("ICML", "preprint")


def paper_dir() -> Path:
    """The folder holding the transcriptions: ``$EOS_PAPER_DIR`` or ``<repo>/../shared/paper``.

    >>> paper_dir().name
    'paper'
    """
    env = os.environ.get("EOS_PAPER_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared" / "paper"


def normalize(text: str) -> str:
    r"""Text with whitespace, ``$``, ``*``, braces and bold/mathbf wrappers removed.

    >>> normalize(r"$\boldsymbol{\theta}$ and  \mathbf{q}")
    '\\thetaandq'
    """
    text = re.sub(r"\\(?:boldsymbol|mathbf)\{", "{", text)
    text = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text)
    for token in ("\\left", "\\right", "\\,", "\\(", "\\)", "<sup>", "</sup>"):
        text = text.replace(token, "")
    return re.sub(r"[\s${}*#]", "", text)


@functools.lru_cache(maxsize=8)
def _read(path: str) -> str | None:
    p = Path(path)
    return normalize(p.read_text(encoding="utf-8")) if p.is_file() else None


def paper_text(transcription: str) -> str | None:
    """The normalized text of ``transcription`` (``ICML`` or ``preprint``), ``None`` if absent."""
    if transcription not in TRANSCRIPTIONS:
        raise ValueError(f"transcription must be one of {sorted(TRANSCRIPTIONS)}")
    return _read(str(paper_dir() / TRANSCRIPTIONS[transcription]))


def section(transcription: str, start: str, end: str) -> str | None:
    """Normalized text between the first ``start`` heading and the next ``end`` after it."""
    text = paper_text(transcription)
    if text is None:
        return None
    a = text.find(normalize(start))
    if a < 0:
        return ""
    b = text.find(normalize(end), a + 1)
    return text[a : b if b > 0 else None]


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


def _decide(
    printed_fails: bool,
    corrected_holds: bool,
    numbers: dict[str, object],
    detail: str,
    text_ok: bool | None = True,
    text_numbers: dict[str, object] | None = None,
) -> Verdict:
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


def _fr(x: float | int | str) -> Fraction:
    return Fraction(x)


def _diag(*values: object) -> list[list[Fraction]]:
    n = len(values)
    return [[_fr(values[i]) if i == j else Fraction(0) for j in range(n)] for i in range(n)]


def _run(
    p: list[list[Fraction]], eta: Fraction, x0: list, q: list | None = None, steps: int = 600
) -> str:
    q = q or [Fraction(0)] * len(p)
    return classify_exact_run(exact_gd(p, q, eta, [_fr(x) for x in x0], steps))


#: Example 1's cost (preprint): 20 theta1^2 + theta2^2 = 1/2 theta^T diag(40, 2) theta.
EX1_P = _diag(40, 2)


# ------------------------------------------------------------------------ Section 1


@claim(
    id="erratum.sec1.1-threshold-eta-over-2",
    location="Section 1.1 (Related Work), paragraph on edge of stability; both transcriptions",
    statement="...the sharpness at the iterate goes beyond the threshold eta/2, and often "
    "saturates right at (or above) the threshold.",
    corrected="...the sharpness goes beyond the threshold 2/eta (as stated in Sections 2, 3.1 "
    "and 4.4).",
    severity="wrong formula but right elsewhere",
    method="eta = 2/30 (Experiment 1): a quadratic with sharpness 1 (far above eta/2 = 1/30) "
    "is stable, |1 - eta*lambda| < 1; stability flips exactly at lambda = 2/eta = 30 "
    "(exact Fractions); text located in both transcriptions",
    kind="erratum",
)
def _threshold() -> Verdict:
    eta = Fraction(2, 30)
    mult = {lam: abs(1 - eta * lam) for lam in (Fraction(1), Fraction(29), Fraction(31))}
    printed_fails = eta / 2 < 1 and mult[Fraction(1)] < 1  # beyond eta/2, yet stable
    corrected_holds = mult[Fraction(29)] < 1 < mult[Fraction(31)] and 2 / eta == 30
    ok, tn = text_checks({tr: ("goes beyond the threshold \\eta/2",) for tr in BOTH})
    return _decide(
        printed_fails,
        corrected_holds,
        {f"|1 - eta*{k}|": float(v) for k, v in mult.items()} | {"eta/2": 1 / 30, "2/eta": 30.0},
        "sharpness 1 >> eta/2 is stable; the stability threshold is 2/eta = 30",
        ok,
        tn,
    )


@claim(
    id="erratum.sec1.1-crossref-section5",
    location="Section 1.1 (Related Work); both transcriptions",
    statement="In Section 5, we will explore the relations between our main features and their "
    "observed phenomenon [edge of stability].",
    corrected="In Section 4.4, ... (Section 5 is 'Relative Progress for SGD'; the edge of "
    "stability is discussed in Section 4.4 'Implications for Sharpness').",
    severity="typo",
    method="re-read: Section 4.4 mentions 'edge of stability' and '2/eta'; Section 5 (up to "
    "Section 6) does not mention 'edge of stability' or 'EoS'",
    kind="erratum",
)
def _crossref_sec5() -> Verdict:
    numbers: dict[str, object] = {}
    printed_fails = corrected_holds = True
    text_ok: bool | None = True
    for tr in BOTH:
        s44 = section(tr, "4.4. Implications for Sharpness", "5. Relative Progress for SGD")
        s5 = section(tr, "5. Relative Progress for SGD", "6. Discussion and Future Directions")
        if s44 is None or s5 is None:
            text_ok = None
            break
        in5 = "edgeofstability" in s5 or "EoS" in s5
        in44 = "edgeofstability" in s44 and "EoS" in s44
        numbers[f"{tr}: Section 5 mentions EoS"] = in5
        numbers[f"{tr}: Section 4.4 mentions EoS"] = in44
        printed_fails &= not in5
        corrected_holds &= in44
    ok, tn = text_checks({tr: ("In Section 5, we will explore the relations",) for tr in BOTH})
    if text_ok is None or ok is None:
        return _decide(True, True, {}, "the cross-reference is textual", None)
    return _decide(
        printed_fails,
        corrected_holds,
        numbers,
        "EoS is discussed in Section 4.4, not Section 5",
        ok,
        tn,
    )


@claim(
    id="erratum.intro-diverges-needs-generic-init",
    location="Section 1 (Introduction), paragraph after Figure 1; both transcriptions",
    statement="When the cost is quadratic, condition (1.2) is in fact necessary for stability: "
    "if eta > 2/L, then GD diverges (see Fact 1).",
    corrected="...if eta > 2/L, GD diverges from every initialization whose component along "
    "an eigenvector with eigenvalue > 2/eta (or < 0) is nonzero, i.e. from almost every "
    "initialization; from the others it converges.",
    severity="imprecise",
    method="Example 1's cost 20 theta1^2 + theta2^2 (L = 40), eta = 2/39 > 2/L, exact Fraction "
    "GD for 600 steps from (0, 1) and from (1/1000, 1)",
    kind="erratum",
)
def _intro_generic() -> Verdict:
    special = _run(EX1_P, Fraction(2, 39), [0, 1])
    generic = _run(EX1_P, Fraction(2, 39), ["1/1000", 1])
    return _decide(
        special != "diverged",
        generic == "diverged" and special == "converged",
        {"from (0, 1)": special, "from (1/1000, 1)": generic, "eta": "2/39"},
        "with eta > 2/L GD converges from (0, 1) and diverges from (0.001, 1)",
    )


# ------------------------------------------------------------------------ Section 2


@claim(
    id="erratum.sec2-approach-stationary-point",
    location="Section 2, first paragraph; both transcriptions",
    statement="...the fixed points of the GD dynamics are the stationary points. Hence, the GD "
    "dynamics will eventually approach one of the stationary points.",
    corrected="If the GD iterates converge (and grad f is continuous), the limit is a "
    "stationary point; GD need not approach any stationary point (it can diverge or "
    "oscillate forever).",
    severity="false as printed",
    method="Example 1's cost, exact Fraction GD from (1, 1) for 600 steps: eta = 2/39 diverges "
    "and eta = 2/40 stays at distance >= 1 from the only stationary point 0 forever; "
    "eta = 2/41 converges and its limit is stationary",
    kind="erratum",
)
def _approach() -> Verdict:
    xs39 = exact_gd(EX1_P, [Fraction(0)] * 2, Fraction(2, 39), [Fraction(1)] * 2, 600)
    xs40 = exact_gd(EX1_P, [Fraction(0)] * 2, Fraction(2, 40), [Fraction(1)] * 2, 600)
    xs41 = exact_gd(EX1_P, [Fraction(0)] * 2, Fraction(2, 41), [Fraction(1)] * 2, 600)
    d39 = max(abs(float(c)) for c in xs39[-1])
    d40 = min(max(abs(float(c)) for c in x) for x in xs40[100:])
    g41 = max(abs(float(40 * xs41[-1][0])), abs(float(2 * xs41[-1][1])))
    return _decide(
        d39 > 1e3 and d40 >= 1.0,
        g41 < 1e-6,
        {
            "eta=2/39 |theta^600|": d39,
            "eta=2/40 min distance (t>=100)": d40,
            "eta=2/41 |grad f(theta^600)|": g41,
        },
        "GD from (1, 1) diverges at 2/39 and never approaches 0 at 2/40; where it converges "
        "(2/41) the limit is the stationary point",
    )


@claim(
    id="erratum.fact1-needs-generic-init",
    location="Section 2, Fact 1 (and the displayed intuition after Example 1); both",
    statement="On a quadratic cost f = 1/2 theta^T P theta + q^T theta + r, GD will diverge if "
    "any eigenvalue of P exceeds the threshold 2/eta.",
    corrected="...GD diverges for every initialization theta^0 whose component along some "
    "eigenvector with eigenvalue > 2/eta (or < 0) is nonzero (almost every theta^0); if all "
    "such components vanish it converges (when the other eigenvalues lie in (0, 2/eta)).",
    severity="imprecise",
    method="P = diag(3, 1/2), q = 0, eta = 1 (2/eta = 2 < 3): exact Fraction GD from (0, 1) "
    "and from (1/1000, 1) (see symbolic.fact1.divergence-conditions for the proof)",
    kind="erratum",
)
def _fact1_generic() -> Verdict:
    p = _diag(3, "1/2")
    special = _run(p, Fraction(1), [0, 1])
    generic = _run(p, Fraction(1), ["1/1000", 1])
    return _decide(
        special != "diverged",
        generic == "diverged" and special == "converged",
        {"from (0, 1)": special, "from (1/1000, 1)": generic},
        "eigenvalue 3 > 2/eta, yet GD converges from a start with no component along it",
    )


@claim(
    id="erratum.fact1-iff-singular-p",
    location="Section 2, Fact 1, second sentence; both transcriptions",
    statement="For convex quadratics, this condition [some eigenvalue of P exceeds 2/eta] is "
    "'iff' [for divergence].",
    corrected="For convex quadratics bounded below (q in range(P)), GD diverges from a generic "
    "start iff some eigenvalue exceeds 2/eta (at lambda_max = 2/eta exactly it stays bounded "
    "without converging). If P is singular and q is not in range(P), GD diverges for every "
    "eta > 0.",
    severity="false as printed",
    method="P = diag(1, 0) (convex), eta = 1 (every eigenvalue <= 1 < 2/eta = 2): exact "
    "Fraction GD from (1, 1) with q = (0, 1) (not in range P) and with q = (1, 0) (in "
    "range P); the closed form theta2^t = theta2^0 - t*eta is proved in "
    "symbolic.fact1.closed-form",
    kind="erratum",
)
def _fact1_iff() -> Verdict:
    p = _diag(1, 0)
    outside = exact_gd(p, [Fraction(0), Fraction(1)], Fraction(1), [Fraction(1)] * 2, 600)
    inside = _run(p, Fraction(1), [1, 1], q=[Fraction(1), Fraction(0)])
    drift_exact = all(x[1] == 1 - t for t, x in enumerate(outside))
    out_class = classify_exact_run(outside)
    return _decide(
        out_class == "diverged" and drift_exact,
        inside == "converged",
        {
            "q=(0,1) outcome": out_class,
            "theta2^t = 1 - t exactly": drift_exact,
            "q=(1,0) outcome": inside,
            "eigenvalues": "1, 0",
            "2/eta": 2,
        },
        "a convex quadratic with all eigenvalues below 2/eta diverges when q is outside range(P)",
    )


@claim(
    id="erratum.sec3.2-unstable-implies-divergence",
    location="Section 3.2, first paragraph; both transcriptions",
    statement="As we discussed in Fact 1, for quadratic costs (or more generally for most "
    "convex costs), GD being in the unstable regime implies that GD will diverge entirely.",
    corrected="For quadratic costs with L > 2/eta, GD diverges from almost every "
    "initialization; at the boundary L = 2/eta of the unstable regime (where (1.2) fails) "
    "it oscillates with period two without diverging.",
    severity="imprecise",
    method="Example 1's cost, eta = 2/40 = 2/L (condition (1.2) L < 2/eta fails): exact GD "
    "from (1, 1) stays bounded (theta1 flips sign forever); eta = 2/39 diverges",
    kind="erratum",
)
def _sec32() -> Verdict:
    boundary = _run(EX1_P, Fraction(2, 40), [1, 1])
    beyond = _run(EX1_P, Fraction(2, 39), [1, 1])
    return _decide(
        boundary == "bounded",
        beyond == "diverged",
        {"eta=2/40 (L = 2/eta)": boundary, "eta=2/39 (L > 2/eta)": beyond},
        "at L = 2/eta GD is in the unstable regime yet bounded",
    )


@claim(
    id="erratum.icml-example1-cost",
    location="Section 2, Example 1; ICML transcription (the preprint prints 20 theta1^2)",
    statement="Consider optimizing a quadratic cost f(theta1, theta2) = 2 theta1^2 + theta2^2. "
    "Note that in this case L = 40.",
    corrected="f(theta1, theta2) = 20 theta1^2 + theta2^2 (L = 40), as in the preprint and "
    "as Example 2's tanh(20 theta1^2 + theta2^2) requires.",
    severity="wrong formula but right elsewhere",
    method="Hessians: printed diag(4, 2) (L = 4), corrected diag(40, 2) (L = 40); exact "
    "Fraction GD from (1, 1) with eta = 2/39, 2/40, 2/41 on both; text of both transcriptions",
    kind="erratum",
)
def _icml_ex1() -> Verdict:
    printed = {e: _run(_diag(4, 2), Fraction(2, e), [1, 1]) for e in (39, 40, 41)}
    corrected = {e: _run(EX1_P, Fraction(2, e), [1, 1]) for e in (39, 40, 41)}
    ok, tn = text_checks(
        {
            "ICML": ("f(\\theta_1, \\theta_2) = 2\\theta_1^2 + \\theta_2^2",),
            "preprint": ("f(\\theta_1, \\theta_2) = 20\\theta_1^2 + \\theta_2^2",),
        }
    )
    return _decide(
        printed[39] != "diverged",
        corrected == {39: "diverged", 40: "bounded", 41: "converged"},
        {f"printed cost eta=2/{e}": v for e, v in printed.items()}
        | {f"20t1^2+t2^2 eta=2/{e}": v for e, v in corrected.items()}
        | {"printed L": 4, "stated L": 40},
        "the printed cost has L = 4 and GD converges for all three step sizes",
        ok,
        tn,
    )


@claim(
    id="erratum.example2-crossref-fact1",
    location="Section 3.2, first paragraph and Example 2; both transcriptions",
    statement="...let us revisit the quadratic cost considered in Fact 1 ... Example 2: For "
    "the same quadratic cost as in Fact 1, we chose the same diverging step size eta = 2/39.",
    corrected="...the quadratic cost of Example 1 (20 theta1^2 + theta2^2, with eta = 2/39); "
    "Fact 1 concerns a general quadratic and names no cost or step size.",
    severity="typo",
    method="re-read: the Fact 1 paragraph contains no '20\\theta' and no '2/39'; Example 1 "
    "contains '2/39' (and, in the preprint, '20\\theta_1^2'); eta = 2/39 > 2/L only for L = 40",
    kind="erratum",
)
def _ex2_crossref() -> Verdict:
    numbers: dict[str, object] = {"2/39 > 2/40": Fraction(2, 39) > Fraction(2, 40)}
    ok, tn = text_checks(
        {
            tr: ("For the same quadratic cost as in Fact 1", "quadratic cost considered in Fact 1")
            for tr in BOTH
        }
    )
    if ok is None:
        return _decide(True, True, numbers, "cross-reference (Fact 1 names no cost)", None)
    printed_fails = corrected_holds = True
    for tr in BOTH:
        fact = section(tr, "Fact 1.", "Below we quickly illustrate") or ""
        ex1 = section(tr, "Example 1.", "Due to the above fact") or ""
        numbers[f"{tr}: Fact 1 names a cost"] = "20\\theta" in fact or "2/39" in fact
        numbers[f"{tr}: Example 1 has eta = 2/39"] = "2/39" in ex1
        printed_fails &= not numbers[f"{tr}: Fact 1 names a cost"]
        corrected_holds &= bool(numbers[f"{tr}: Example 1 has eta = 2/39"])
    return _decide(
        printed_fails,
        corrected_holds,
        numbers,
        "the cost and step size come from Example 1",
        ok,
        tn,
    )


@claim(
    id="erratum.theorem1-proof-p0",
    location="Section 2, proof of Theorem 1; both transcriptions",
    statement="If GD converges to a stationary point p, there must exist t_0 and i such that "
    "F^t(p_0) in B_{p_i} for all t >= t_0.",
    corrected="...such that F^t(theta_0) in B_{p_i} for all t >= t_0 (p_0 is undefined; the "
    "next sentence uses F^t(theta_0)).",
    severity="typo",
    method="a stationary point p is a fixed point, F(p) = p, so 'F^t(p) in B_p' is trivially "
    "true and says nothing about GD from theta_0: checked on Example 1's cost (p = 0, "
    "eta = 2/41) with exact Fractions; text re-read",
    kind="erratum",
)
def _thm1_p0() -> Verdict:
    z = [Fraction(0)] * 2
    fixed = exact_gd(EX1_P, z, Fraction(2, 41), z, 3)
    moving = exact_gd(EX1_P, z, Fraction(2, 41), [Fraction(1)] * 2, 3)
    ok, tn = text_checks({tr: ("F^t(p_0) \\in B_", "F^t(\\theta_0) \\in W") for tr in BOTH})
    return _decide(
        all(x == z for x in fixed),
        len({tuple(x) for x in moving}) == len(moving),
        {"F^t(p) = p for t <= 3": all(x == z for x in fixed)},
        "F^t of a stationary point is constant; the argument needs F^t(theta_0)",
        ok,
        tn,
    )


@claim(
    id="erratum.theorem1-proof-measure-symbol",
    location="Section 2, proof of Theorem 1, last paragraph; both transcriptions",
    statement="...from the assumption that F^{-1}(X) is of measure zero if X is of measure zero",
    corrected="...from Assumption 1 (F^{-1}(S) has measure zero for every measure-zero S); X "
    "already denotes the theorem's domain subset, which in general has positive measure.",
    severity="typo",
    method="Example 1's cost with eta = 2/39: F is linear with det(I - eta P) = (1 - 80/39)"
    "(1 - 4/39) != 0, so Assumption 1 holds, while for the theorem's X = R^2, F^{-1}(X) = R^2 "
    "is not of measure zero; text re-read",
    kind="erratum",
)
def _thm1_symbol() -> Verdict:
    eta = Fraction(2, 39)
    det = (1 - eta * 40) * (1 - eta * 2)
    ok, tn = text_checks(
        {
            tr: (
                "F^-1(\\mathcalX) is of measure zero if \\mathcalX",
                "For a given subset \\mathcalX of the domain",
            )
            for tr in BOTH
        }
    )
    return _decide(
        True,  # F^{-1}(R^2) = R^2 has infinite measure: the literal reading fails for X = R^2
        det != 0,
        {"det(I - eta P)": float(det), "F^-1(X) for X = R^2": "R^2 (not measure zero)"},
        "the measure-zero property is Assumption 1's, for measure-zero S, not the domain X",
        ok,
        tn,
    )


# ------------------------------------------------------------------------ Proposition 1


def _normalized_loss(gamma: float, xs: np.ndarray, ys: np.ndarray):
    def loss(p):
        xi, zeta = p[0], p[1:]
        out = 0.0
        for x, y in zip(xs, ys, strict=True):
            out = out + (xi * anp.dot(zeta, x) / anp.sqrt(anp.dot(zeta, zeta)) - y) ** 2
        return out / len(ys) + gamma * anp.dot(p, p)

    return loss


@claim(
    id="erratum.proposition1-proof-non-sequitur",
    location="Section 3.1, proof of Proposition 1; both transcriptions",
    statement="...<grad_zeta f(x_i, [xi, zeta]), zeta> = 0. Therefore, if grad_zeta gamma "
    "|theta|^2 != 0, we have grad_zeta f(x_i, [xi, zeta]) + grad_zeta gamma |theta|^2 != 0.",
    corrected="<grad_zeta l(theta), zeta> = (1/n) sum_i <grad_zeta f(x_i, theta), zeta> + "
    "2 gamma |zeta|^2 = 2 gamma |zeta|^2 > 0 for zeta != 0, hence grad_zeta l != 0 (the "
    "inner product with zeta is the argument; the 1/n sum must be kept).",
    severity="imprecise",
    method="(a) 'b != 0 implies a + b != 0' fails for a = (-1, 0), b = (1, 0); (b) per-example "
    "vectors a_i = -2 gamma zeta +- w each give a_i + 2 gamma zeta != 0 while their mean gives "
    "0, so the per-example statement without 1/n sum does not transfer; (c) autograd on a "
    "normalized neuron with two examples (gamma = 0.3, seed 0): <grad_zeta l, zeta> = "
    "2 gamma |zeta|^2 to 1e-12 relative at 5 points",
    kind="erratum",
)
def _prop1_proof() -> Verdict:
    a, b = np.array([-1.0, 0.0]), np.array([1.0, 0.0])
    pattern_fails = bool(np.any(b != 0) and not np.any(a + b != 0))
    gamma = 0.3
    zeta = np.array([0.5, -1.0, 2.0])
    w = np.array([2.0, 1.0, 0.0])
    a1, a2 = -2 * gamma * zeta + w, -2 * gamma * zeta - w
    per_example = bool(np.any(a1 + 2 * gamma * zeta) and np.any(a2 + 2 * gamma * zeta))
    mean_zero = bool(np.allclose((a1 + a2) / 2 + 2 * gamma * zeta, 0.0, atol=1e-15))
    rng = np.random.default_rng(0)
    worst = 0.0
    for _ in range(5):
        xs, ys = rng.standard_normal((2, 3)), rng.standard_normal(2)
        p = rng.standard_normal(4)
        gz = grad(_normalized_loss(gamma, xs, ys))(p)[1:]
        expected = 2 * gamma * float(p[1:] @ p[1:])
        worst = max(worst, abs(float(gz @ p[1:]) - expected) / expected)
    return _decide(
        pattern_fails and per_example and mean_zero,
        worst <= 1e-12,
        {
            "a+b with b != 0": str(a + b),
            "mean of a_i + 2 gamma zeta": 0.0 if mean_zero else 1.0,
            "max rel. error of <grad_zeta l, zeta> = 2 gamma |zeta|^2": worst,
            "seed": 0,
        },
        "the printed step is a non sequitur; the inner product with zeta proves it",
    )


@claim(
    id="erratum.proposition1-conditions",
    location="Section 3.1, Proposition 1 (statement); both transcriptions",
    statement="If ... a subset of the network parameters zeta is positive homogeneous, i.e. "
    "f(x_i, [xi, zeta]) = f(x_i, [xi, c zeta]) for c > 0, then the loss l(theta) has no "
    "stationary point if zeta != 0.",
    corrected="If gamma > 0 and f is differentiable and scale-invariant (positively homogeneous "
    "of degree 0) in zeta, then l has no stationary point with zeta != 0. For gamma = 0, or "
    "for homogeneity of degree k != 0, stationary points with zeta != 0 exist.",
    severity="imprecise",
    method="gamma = 0: the normalized neuron (xi <zeta, x>/|zeta| - y)^2 with x = (1, 0), "
    "y = 1 is stationary at xi = 1, zeta = (1, 0); degree 1: l = -zeta + gamma zeta^2 is "
    "stationary at zeta = 1/(2 gamma) (autograd gradients); with gamma > 0 and degree 0 "
    "<grad_zeta l, zeta> = 2 gamma |zeta|^2 > 0 at seeded points",
    kind="erratum",
)
def _prop1_conditions() -> Verdict:
    xs, ys = np.array([[1.0, 0.0]]), np.array([1.0])
    p = np.array([1.0, 1.0, 0.0])
    g0 = float(np.abs(grad(_normalized_loss(0.0, xs, ys))(p)).max())
    gamma = 0.3
    g1 = abs(float(grad(lambda z: -z + gamma * z**2)(1 / (2 * gamma))))
    rng = np.random.default_rng(1)
    pos = min(
        float(grad(_normalized_loss(gamma, xs, ys))(q)[1:] @ q[1:])
        for q in rng.standard_normal((5, 3))
    )
    return _decide(
        g0 == 0.0 and g1 <= 1e-15,  # exact zero up to one rounding of 2*gamma/(2*gamma)
        pos > 0,
        {
            "|grad l| gamma=0 at zeta=(1,0)": g0,
            "|l'| degree 1 at 1/(2 gamma)": g1,
            "min <grad_zeta l, zeta> (gamma=0.3)": pos,
        },
        "stationary points with zeta != 0 exist for gamma = 0 and for degree-1 homogeneity",
    )


@claim(
    id="erratum.experiment1-numbering",
    location="Section 3.2, Experiment 1; both transcriptions",
    statement="(i) linear network without activations; (ii) tanh activations; (ii) ReLU "
    "activations.",
    corrected="(i) linear ...; (ii) tanh ...; (iii) ReLU activations.",
    severity="typo",
    method="re-read the enumeration in both transcriptions",
    kind="erratum",
)
def _exp1_numbering() -> Verdict:
    ok, tn = text_checks(
        {tr: ("(ii) tanh activations; (ii) ReLU activations",) for tr in BOTH},
        {tr: ("(iii) ReLU",) for tr in BOTH},
    )
    return _decide(True, True, {"items": 3}, "the third item is numbered (ii)", ok, tn)


# ------------------------------------------------------------------------ Section 4


@claim(
    id="erratum.sec4.1.2-eta-squared",
    location="Section 4.1.2, paragraph before Section 4.2; both transcriptions",
    statement="...the loss change f(theta^t+1) - f(theta^t) would be much smaller compared to "
    "|| eta^2 grad f(theta^t) ||^2 the square of the distance that GD travels.",
    corrected="...compared to ||eta grad f(theta^t)||^2 = eta^2 ||grad f(theta^t)||^2, the "
    "square of the distance GD travels.",
    severity="typo",
    method="Example 1's cost at theta = (1, 1), eta = 2/41, exact Fractions: |theta^1 - "
    "theta^0|^2 against the printed ||eta^2 grad f||^2 = eta^4 ||grad f||^2",
    kind="erratum",
)
def _eta_sq() -> Verdict:
    eta = Fraction(2, 41)
    g = [Fraction(40), Fraction(2)]
    step_sq = sum((eta * gi) ** 2 for gi in g)
    printed = sum((eta**2 * gi) ** 2 for gi in g)
    ok, tn = text_checks({tr: ("\\|\\eta^2 \\nabla f(\\theta^t)\\|^2",) for tr in BOTH})
    return _decide(
        printed != step_sq,
        step_sq == eta**2 * sum(gi**2 for gi in g),
        {
            "|theta^1 - theta^0|^2": float(step_sq),
            "printed": float(printed),
            "ratio": float(step_sq / printed),
        },
        "the printed quantity is eta^2 times too small",
        ok,
        tn,
    )


@claim(
    id="erratum.example4-normalization",
    location="Section 4.2, Example 4, first sentence; both transcriptions",
    statement="Consider a quadratic loss function f(theta) = theta^T P theta with P >= 0. "
    "Then, the GD update reads theta^t+1 = (I - eta P) theta^t.",
    corrected="f(theta) = 1/2 theta^T P theta (the normalization of Fact 1); with the printed "
    "f the update is (I - 2 eta P) theta^t.",
    severity="false as printed",
    method="P = diag(3, 1), eta = 2/lambda_max = 2/3, theta^0 = (1, 1/10): autograd GD on the "
    "printed f multiplies the top coordinate by -3 per step (|theta| > 1e4 after 10 steps) and "
    "gives eta*L = 4; on 1/2 theta^T P theta the update equals (I - eta P) theta and "
    "L = 2/eta (symbolic proof: symbolic.example4)",
    kind="erratum",
)
def _ex4_norm() -> Verdict:
    p = np.diag([3.0, 1.0])
    eta = 2 / 3
    printed = lambda th: anp.dot(th, anp.dot(p, th))  # noqa: E731
    half = lambda th: 0.5 * anp.dot(th, anp.dot(p, th))  # noqa: E731
    th0 = np.array([1.0, 0.1])
    gap_printed = float(np.abs((th0 - eta * grad(printed)(th0)) - (th0 - eta * p @ th0)).max())
    gap_half = float(np.abs((th0 - eta * grad(half)(th0)) - (th0 - eta * p @ th0)).max())
    th = th0.copy()
    for _ in range(10):
        th = th - eta * grad(printed)(th)
    top = np.array([1.0, 0.0])
    l_printed = float(
        (eta * grad(printed)(top))
        @ (grad(printed)(top) - grad(printed)(top - eta * grad(printed)(top)))
    ) / float((eta * grad(printed)(top)) @ (eta * grad(printed)(top)))
    gh = grad(half)(top)
    l_half = float((eta * gh) @ (gh - grad(half)(top - eta * gh))) / float((eta * gh) @ (eta * gh))
    return _decide(
        gap_printed > 0.1 and abs(th[0]) > 1e4 and abs(eta * l_printed - 4) < 1e-12,
        gap_half < 1e-15 and abs(eta * l_half - 2) < 1e-12,
        {
            "|printed update - (I - eta P)theta|": gap_printed,
            "|theta1^10| printed": float(th[0]),
            "eta*L printed": eta * l_printed,
            "eta*L with 1/2": eta * l_half,
        },
        "with f = theta^T P theta GD at eta = 2/lambda_max diverges and L = 4/eta",
    )


@claim(
    id="erratum.example4-lambda-positive",
    location="Section 4.2, Example 4; both transcriptions",
    statement="This implies that if lambda < 2/eta, then q^T theta^t -> 0.",
    corrected="...if 0 < lambda < 2/eta, then q^T theta^t -> 0 (for lambda = 0, allowed by "
    "P >= 0, q^T theta^t = q^T theta^0 for all t).",
    severity="imprecise",
    method="P = diag(1, 0), eta = 1, theta^0 = (1, 1), exact Fraction GD for 60 steps: the "
    "lambda = 0 coordinate stays 1; the lambda = 1 coordinate is 0",
    kind="erratum",
)
def _ex4_lambda() -> Verdict:
    xs = exact_gd(_diag(1, 0), [Fraction(0)] * 2, Fraction(1), [Fraction(1)] * 2, 60)
    return _decide(
        all(x[1] == 1 for x in xs),
        xs[-1][0] == 0,
        {
            "q0^T theta^60 (lambda=0)": float(xs[-1][1]),
            "q1^T theta^60 (lambda=1)": float(xs[-1][0]),
        },
        "the null-space coordinate never moves",
    )


@claim(
    id="erratum.example4-orbit-needs-contraction",
    location="Section 4.2, Example 4, last sentence; both transcriptions",
    statement="Hence, if eta = 2/lambda_max(P), then after sufficiently large iterations t, we "
    "have theta^t ~ (-1)^t <q_max, theta^0> q_max.",
    corrected="...if in addition every other eigenvalue lies in (0, lambda_max) (simple "
    "lambda_max, no null space component of theta^0), theta^t ~ (-1)^t <q_max, theta^0> "
    "q_max; in general theta^t ~ (-1)^t <q_max, theta^0> q_max + Proj_null(P) theta^0. "
    "L(theta^t; eta grad f) -> 2/eta holds either way.",
    severity="imprecise",
    method="f = 1/2 theta^T diag(1, 1/2, 0) theta, eta = 2, theta^0 = (1, 1, 1): exact Fraction "
    "GD for 100 steps; distance to the printed orbit and to the corrected one; L at step 100",
    kind="erratum",
)
def _ex4_orbit() -> Verdict:
    p = _diag(1, "1/2", 0)
    xs = exact_gd(p, [Fraction(0)] * 3, Fraction(2), [Fraction(1)] * 3, 100)
    x = xs[-1]
    printed = [Fraction(1), Fraction(0), Fraction(0)]  # (-1)^100 <q_max, theta^0> q_max
    corrected = [Fraction(1), Fraction(0), Fraction(1)]
    d_printed = max(abs(float(a - b)) for a, b in zip(x, printed, strict=True))
    d_corr = max(abs(float(a - b)) for a, b in zip(x, corrected, strict=True))
    g = [p[i][i] * x[i] for i in range(3)]
    x1 = [x[i] - 2 * g[i] for i in range(3)]
    g1 = [p[i][i] * x1[i] for i in range(3)]
    lval = sum(2 * g[i] * (g[i] - g1[i]) for i in range(3)) / sum((2 * gi) ** 2 for gi in g)
    return _decide(
        d_printed >= 1.0,
        d_corr < 1e-12 and lval == Fraction(1),
        {
            "distance to printed orbit": d_printed,
            "distance to corrected orbit": d_corr,
            "eta*L at t=100": float(2 * lval),
        },
        "the null-space component of theta^0 persists; L = 2/eta still",
    )


@claim(
    id="erratum.example4-q-vs-qmax",
    location="Section 4.2, Example 4, displayed computation; both transcriptions",
    statement="For an eigenvector/eigenvalue pair (q, lambda) of P, the quantity <q_max, "
    "theta^t> evolves as <q_max, theta^t> = q^T (I - eta P) theta^t-1 = (1 - eta lambda) "
    "<q_max, theta^t-1>.",
    corrected="<q, theta^t> = q^T (I - eta P) theta^t-1 = (1 - eta lambda) <q, theta^t-1> for "
    "each eigenpair (q, lambda), q a unit vector; q_max is the case lambda = lambda_max. "
    "(q also clashes with Fact 1's linear term q.)",
    severity="typo",
    method="P = diag(3, 1), eta = 1/2, theta = (1, 1): with q = e2 (lambda = 1), <q_max, "
    "(I - eta P) theta> = -1/2 differs from q^T (I - eta P) theta = 1/2; with q = q_max the "
    "two sides agree (exact Fractions); text re-read",
    kind="erratum",
)
def _ex4_q() -> Verdict:
    eta = Fraction(1, 2)
    p = _diag(3, 1)
    theta = [Fraction(1), Fraction(1)]
    nxt = exact_gd(p, [Fraction(0)] * 2, eta, theta, 1)[-1]  # (I - eta P) theta
    q_max, q2 = (0, 3), (1, 1)  # (coordinate, eigenvalue)
    printed_lhs, printed_mid = nxt[q_max[0]], nxt[q2[0]]  # <q_max, .> vs q^T(.) with q = e2
    corrected = all(nxt[i] == (1 - eta * lam) * theta[i] for i, lam in (q_max, q2))
    ok, tn = text_checks(
        {tr: ("the quantity \\langle q_\\max, \\theta^t \\rangle evolves as",) for tr in BOTH}
    )
    return _decide(
        printed_lhs != printed_mid,
        corrected,
        {"<q_max, theta^1>": float(printed_lhs), "e2^T (I - eta P) theta^0": float(printed_mid)},
        "q and q_max are mixed in one chain of equalities",
        ok,
        tn,
    )


def _tau_profile(theta: np.ndarray, eta: float):
    from eos_theory.problems import PROBLEMS
    from eos_theory.progress import relative_progress
    from eos_theory.smoothness import directional_smoothness

    f = PROBLEMS["example2"].cost
    g = grad(f)(theta)
    taus = np.linspace(0.01, 1.0, 100)
    ls = np.array([directional_smoothness(f, theta, eta * t * g) for t in taus])
    avg = 2 / eta * (relative_progress(f, theta, eta) + 1)  # = 2 int tau L dtau (Theorem 2)
    return ls, avg


@claim(
    id="erratum.experiment5-inverted",
    location="Section 4.3, Experiment 5, conclusion; both transcriptions",
    statement="This experiment verifies that L(theta^t; eta tau grad f(theta^t)) does vary too "
    "much across tau in [0, 1]. Hence, the single value L(theta; eta grad f(theta)) well "
    "represents the weighted average in Theorem 2.",
    corrected="...does not vary much across tau in [0, 1]. Hence, the single value ... well "
    "represents the weighted average (which always lies within [min_tau L, max_tau L]).",
    severity="typo",
    method="Example 2's cost tanh(20 t1^2 + t2^2), eta = 2/39: at theta = (0.2, 0.05) L varies "
    "over [-24.6, 24.5] across tau = 0.01..1 and the weighted average 2 int tau L = "
    "(2/eta)(RP + 1) = 14.2 is 10 away from L(tau = 1); on Example 1's quadratic L is constant "
    "in tau and equals the average exactly; text re-read",
    kind="erratum",
)
def _exp5() -> Verdict:
    ls, avg = _tau_profile(np.array([0.2, 0.05]), 2 / 39)
    spread, gap = float(ls.max() - ls.min()), abs(avg - float(ls[-1]))
    # Example 1's quadratic: L(theta; eta*tau*g) is the same for every tau and equals the
    # weighted average (2/eta)(RP + 1); relative slack 1e-12 (a few ulps of values ~ 40).
    from eos_theory.problems import PROBLEMS
    from eos_theory.progress import relative_progress
    from eos_theory.smoothness import directional_smoothness

    f1, th1, eta1 = PROBLEMS["example1"].cost, np.array([1.0, 1.0]), 2 / 41
    g1 = grad(f1)(th1)
    lq = [directional_smoothness(f1, th1, eta1 * t * g1) for t in (0.01, 0.5, 1.0)]
    avg_q = 2 / eta1 * (relative_progress(f1, th1, eta1) + 1)
    quad_gap = max(abs(v - avg_q) for v in lq) / abs(avg_q)
    ok, tn = text_checks({tr: ("does vary too much across",) for tr in BOTH})
    return _decide(
        spread > 10 and gap > 5,
        gap <= spread and quad_gap <= 1e-12,
        {
            "L spread over tau": spread,
            "|average - L(tau=1)|": gap,
            "average": float(avg),
            "quadratic: max rel. gap L(tau) vs average": quad_gap,
        },
        "when L varies much the single value does not represent the average",
        ok,
        tn,
    )


@claim(
    id="erratum.sec4.4-inverted",
    location="Section 4.4, paragraph after Corollary 1; both transcriptions",
    statement="In light of Experiment 5, if L(theta^t; eta tau grad f(theta^t)) does vary much "
    "across tau in [0, 1], then one can actually write (2/eta)(RP(theta^t) + 1) ~ "
    "lim_{tau->0} L(theta^t; eta tau grad f(theta^t)).",
    corrected="...if L(theta^t; eta tau grad f(theta^t)) does not vary much across tau in "
    "[0, 1], then (2/eta)(RP + 1) = 2 int tau L dtau ~ lim_{tau->0} L.",
    severity="typo",
    method="Example 2's cost, eta = 2/39, theta = (0.2, 0.05): L varies over [-24.6, 24.5] and "
    "(2/eta)(RP + 1) = 14.2 is 38.8 away from L(tau = 0.01) ~ lim; the deviation is bounded by "
    "the spread (weighted average); text re-read",
    kind="erratum",
)
def _sec44() -> Verdict:
    ls, avg = _tau_profile(np.array([0.2, 0.05]), 2 / 39)
    spread, gap = float(ls.max() - ls.min()), abs(avg - float(ls[0]))
    ok, tn = text_checks({tr: ("does vary much across \\tau",) for tr in BOTH})
    return _decide(
        spread > 10 and gap > 10,
        gap <= spread,
        {"L spread over tau": spread, "|(2/eta)(RP+1) - L(tau=0.01)|": gap},
        "the approximation by the tau -> 0 limit needs a small spread",
        ok,
        tn,
    )


@claim(
    id="erratum.corollary1-rp-theta",
    location="Section 4.4, Corollary 1 and its proof; both transcriptions",
    statement="(2/eta) (RP(theta) + 1) <= L_t [with L_t the sharpness sup on the segment "
    "theta^t theta^t+1]; proof: L(theta; eta tau grad f(theta)) <= sup{lambda_max(Hess f(theta))"
    " : theta lies on the segment between theta^t and theta^t - eta tau grad f(theta)}.",
    corrected="(2/eta)(RP(theta^t) + 1) <= L_t; in the proof theta = theta^t and the bound "
    "variable needs its own name.",
    severity="typo",
    method="f = theta^4/4 + theta^2/2, eta = 0.1: L_t at theta^t = 0.1 is 1.03, while "
    "(2/eta)(RP(theta) + 1) at theta = 2 is 9.5 (RP at the wrong point violates it); at "
    "theta^t it is <= L_t; text re-read",
    kind="erratum",
)
def _cor1_theta() -> Verdict:
    from eos_theory.progress import relative_progress
    from eos_theory.sharpness import segment_sharpness

    f = lambda th: anp.sum(th**4 / 4 + th**2 / 2)  # noqa: E731
    eta = 0.1
    lt = segment_sharpness(f, np.array([0.1]), eta)
    other = 2 / eta * (relative_progress(f, np.array([2.0]), eta) + 1)
    own = 2 / eta * (relative_progress(f, np.array([0.1]), eta) + 1)
    ok, tn = text_checks({tr: ("\\frac2\\eta\\cdot(\\textRP(\\theta)+1)\\leqL_t",) for tr in BOTH})
    return _decide(
        other > lt + 1,
        own <= lt * (1 + 1e-9),
        {"L_t at theta^t=0.1": lt, "(2/eta)(RP(2)+1)": other, "(2/eta)(RP(theta^t)+1)": own},
        "RP must be evaluated at theta^t",
        ok,
        tn,
    )


@claim(
    id="erratum.preprint-corollary1-segment",
    location="Section 4.4, Corollary 1, definition of L_t; preprint transcription (ICML has "
    "the segment overline)",
    statement="L_t := sup_{theta in theta^t theta^t+1} {lambda_max(Hess f(theta))} (segment "
    "bar missing: reads as the two iterates).",
    corrected="L_t := sup over the line segment [theta^t, theta^t+1] (overline, as in ICML).",
    severity="typo",
    method="f = log cosh(theta), theta^t = 2, eta = 4/tanh(2) (theta^t+1 = -2): sharpness at "
    "both endpoints is 0.071 < (2/eta)(RP + 1) = 0.48 <= sup on the segment = 1; text of "
    "both transcriptions",
    kind="erratum",
)
def _pre_segment() -> Verdict:
    from eos_theory.progress import relative_progress
    from eos_theory.sharpness import segment_sharpness, sharpness

    f = lambda th: anp.sum(anp.log(anp.cosh(th)))  # noqa: E731
    th = np.array([2.0])
    eta = 4 / math.tanh(2.0)
    lhs = 2 / eta * (relative_progress(f, th, eta) + 1)
    ends = max(sharpness(f, th), sharpness(f, th - eta * np.tanh(th)))
    seg = segment_sharpness(f, th, eta)
    ok, tn = text_checks(
        {
            "preprint": ("L_t:=\\sup_\\theta\\in\\theta^t\\theta^t+1",),
            "ICML": ("\\sup_\\theta\\in\\overline\\theta^t\\theta^t+1",),
        }
    )
    return _decide(
        lhs > ends + 0.1,
        lhs <= seg * (1 + 1e-9),
        {"(2/eta)(RP+1)": lhs, "max sharpness at endpoints": ends, "sup on segment": seg},
        "the supremum must run over the whole segment",
        ok,
        tn,
    )


@claim(
    id="erratum.preprint-theorem2-missing-tau",
    location="Section 4.3, Theorem 2 (4.2) and the two displays after it; preprint "
    "transcription (ICML and Appendix A have tau)",
    statement="RP(theta) = -1 + (eta/2) * 2 * int_0^1 tau * L(theta; eta grad f(theta)) dtau.",
    corrected="RP(theta) = -1 + (eta/2) * 2 * int_0^1 tau * L(theta; eta tau grad f(theta)) dtau.",
    severity="wrong formula but right elsewhere",
    method="f = theta^4, theta = 1, eta = 0.1: the printed right side equals -1 + (eta/2) "
    "L(theta; eta grad f) = -0.608, RP = -0.544, the corrected right side (theorem2_quadrature)"
    " = -0.544 within 1e-12; text of both transcriptions",
    kind="erratum",
)
def _pre_tau() -> Verdict:
    from eos_theory.progress import relative_progress
    from eos_theory.smoothness import relation43_rhs, theorem2_quadrature

    f = lambda th: anp.sum(th**4)  # noqa: E731
    th, eta = np.array([1.0]), 0.1
    rp = relative_progress(f, th, eta)
    printed = relation43_rhs(f, th, eta)  # 2 int tau dtau = 1 leaves -1 + (eta/2) L(eta grad f)
    corr = theorem2_quadrature(f, th, eta)
    ok, tn = text_checks(
        {
            "preprint": (
                "2\\int_0^1\\tau\\cdotL(\\theta;\\eta\\nablaf(\\theta))d\\tau.\\quad(4.2)",
            ),
            "ICML": (
                "2\\int_0^1\\tau\\cdotL(\\theta;\\eta\\tau\\nablaf(\\theta))d\\tau.\\quad(4.2)",
            ),
        }
    )
    return _decide(
        abs(printed - rp) > 0.05,
        abs(corr.value - rp) <= 1e-12 + 2 * corr.abserr,
        {"RP": rp, "printed rhs": printed, "corrected rhs": corr.value},
        "without tau inside L the identity collapses to the approximation (4.3)",
        ok,
        tn,
    )


def _poly_sum():
    rng = np.random.default_rng(7)
    cs = rng.uniform(-1, 1, size=(4, 3))
    return [
        (
            lambda th, c=c: (
                c[0] * anp.sum(th**2)
                + c[1] * anp.sum(th**3)
                + c[2] * anp.sum(th**4)
                + anp.dot(c, th)
            )
        )
        for c in cs
    ]


@claim(
    id="erratum.preprint-sgd-identity-factor-2",
    location="Section 5, identity before (5.1); preprint transcription (ICML and Appendix A "
    "have the factor 2)",
    statement="E[RP(theta)] = -1 + (eta/2) * E[ int_0^1 tau E_g[ |g|^2 L(theta; eta tau g) / "
    "|grad f|^2 ] dtau ].",
    corrected="E[RP(theta)] = -1 + (eta/2) * 2 * int_0^1 tau E_g[ |g|^2 L(theta; eta tau g) / "
    "|grad f|^2 ] dtau.",
    severity="wrong formula but right elsewhere",
    method="4 seeded per-example polynomials in R^3 (seed 7), batch size 2, eta = 0.3, exact "
    "expectation over all 6 minibatches: the corrected right side (sgd_identity_quadrature) "
    "matches E[RP] within 1e-10; the printed one (half the integral term) misses by 0.1+",
    kind="erratum",
)
def _pre_sgd() -> Verdict:
    from eos_theory.sgd import expected_relative_progress, sgd_identity_quadrature

    fs = _poly_sum()
    th, eta = np.array([0.4, -0.3, 0.5]), 0.3
    lhs = expected_relative_progress(fs, th, eta, 2)
    q = sgd_identity_quadrature(fs, th, eta, 2)
    printed = -1 + (q.value + 1) / 2  # (eta/2) * integral, the integral being (value + 1)/eta
    ok, tn = text_checks(
        {
            "preprint": ("\\frac\\eta2\\cdot\\mathbbE[\\int_0^1\\tau\\mathbbE_g",),
            "ICML": ("\\frac\\eta2\\cdot2\\int_0^1\\tau\\mathbbE_g",),
        }
    )
    return _decide(
        abs(printed - lhs) > 1e-3,
        abs(q.value - lhs) <= 1e-10 + 2 * q.abserr,
        {"E[RP]": lhs, "printed rhs": printed, "corrected rhs": q.value, "seed": 7},
        "the preprint drops the factor 2 in front of the integral",
        ok,
        tn,
    )


@claim(
    id="erratum.definition3-ratio-of-expectations",
    location="Section 5, Definition 3; both transcriptions",
    statement="E[RP(theta)] := (E f(theta - eta g(theta)) - f(theta)) / (eta |grad f(theta)|^2).",
    corrected="The defined quantity is a ratio (expected loss change over eta |grad f|^2), not "
    "the expectation of RP: RP(theta) of Definition 1 is deterministic, and the per-sample "
    "ratio (f(theta - eta g) - f(theta))/(eta |g|^2) has a different mean. Name it e.g. "
    "RP_SGD(theta).",
    severity="imprecise",
    method="the 4 seeded polynomials of the previous erratum (seed 7), batch size 1, eta = 0.3,"
    " exact expectation over the 4 samples: Definition 3's value, RP(theta) (Definition 1) and "
    "E[(f(theta - eta g) - f(theta))/(eta |g|^2)] are pairwise different",
    kind="erratum",
)
def _def3() -> Verdict:
    from eos_theory.progress import relative_progress
    from eos_theory.sgd import expected_relative_progress, mean_cost, minibatch_gradients

    fs = _poly_sum()
    f = mean_cost(fs)
    th, eta = np.array([0.4, -0.3, 0.5]), 0.3
    defn = expected_relative_progress(fs, th, eta, 1)
    gs = minibatch_gradients(fs, th, 1)
    manual = (np.mean([f(th - eta * g) for g in gs]) - f(th)) / (
        eta * float(grad(f)(th) @ grad(f)(th))
    )
    per_sample = float(np.mean([(f(th - eta * g) - f(th)) / (eta * float(g @ g)) for g in gs]))
    rp = relative_progress(f, th, eta)
    return _decide(
        min(abs(defn - per_sample), abs(defn - rp)) > 1e-3,
        abs(defn - manual) <= 1e-12,
        {"Definition 3 value": defn, "E[per-sample RP]": per_sample, "RP(theta) (GD)": rp},
        "the three readings of 'E[RP]' differ",
    )


# ------------------------------------------------------------------------ text only


def _text_only(
    present: dict[str, tuple[str, ...]], absent: dict[str, tuple[str, ...]], detail: str
) -> Verdict:
    ok, tn = text_checks(present, absent)
    return _decide(True, True, {}, detail, ok, tn)


@claim(
    id="erratum.icml-jastrzebski",
    location="Section 1.1 and References; ICML transcription (preprint: 'Jastrzebski')",
    statement="Jastrzkebski et al., 2017; 2018 / S. Jastrzkebski, Z. Kenton, ...",
    corrected="Jastrzębski (transliterated Jastrzebski), as in the preprint.",
    severity="typo",
    method="re-read: 'Jastrzkebski' in ICML (text and both references), absent in the preprint",
    kind="erratum",
)
def _jastrzebski() -> Verdict:
    return _text_only(
        {"ICML": ("Jastrzkebski",), "preprint": ("Jastrzebski",)},
        {"preprint": ("Jastrzkebski",)},
        "misspelt author name",
    )


@claim(
    id="erratum.preprint-iis",
    location="Acknowledgements; preprint transcription (ICML: 'IIIS')",
    statement="Jingzhao Zhang acknowledges support from IIS young scholar fellowship.",
    corrected="...from IIIS young scholar fellowship (IIIS, Tsinghua University, the "
    "affiliation in the author footnote).",
    severity="typo",
    method="re-read both acknowledgements and the preprint's affiliation footnote",
    kind="erratum",
)
def _iis() -> Verdict:
    return _text_only(
        {
            "preprint": ("support from IIS young scholar", "IIIS, Tsinghua University"),
            "ICML": ("support from IIIS young scholar",),
        },
        {},
        "IIS for IIIS",
    )


@claim(
    id="erratum.icml-the-the",
    location="Section 4.1.2, Experiment 3 conclusion; ICML transcription",
    statement="The above experiment shows that in the the unstable regime, ...",
    corrected="...in the unstable regime, ... (as in the preprint).",
    severity="typo",
    method="re-read both transcriptions",
    kind="erratum",
)
def _the_the() -> Verdict:
    return _text_only(
        {"ICML": ("in the the unstable regime",)},
        {"preprint": ("in the the unstable regime",)},
        "doubled article",
    )


@claim(
    id="erratum.preprint-characteristics",
    location="Section 4.4, first paragraph; preprint transcription (ICML: 'characteristic')",
    statement="...we saw that one characteristics of unstable convergence ... implications of "
    "this characteristics for sharpness.",
    corrected="one characteristic ... this characteristic (as in ICML).",
    severity="typo",
    method="re-read both transcriptions",
    kind="erratum",
)
def _characteristics() -> Verdict:
    return _text_only(
        {
            "preprint": ("one characteristics of unstable", "this characteristics for sharpness"),
            "ICML": ("one characteristic of unstable",),
        },
        {"ICML": ("one characteristics",)},
        "plural for singular",
    )
