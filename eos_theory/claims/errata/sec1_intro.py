"""Errata of Section 1 (Introduction, 1.1 Related Work), each a claim of kind ``erratum``.

The edge-of-stability threshold printed as eta/2 (it is 2/eta), the cross-reference to
Section 5 for the edge of stability (it is Section 4.4), and "if eta > 2/L then GD diverges",
which holds only from a generic initialization. Exact ``Fraction`` arithmetic throughout.
"""

from __future__ import annotations

from fractions import Fraction

from eos_theory.claims.errata.erratum_kit import (
    EX1_P,
    decide,
    generic_start_verdict,
    text_absent,
    text_checks,
)
from eos_theory.paper.transcription import BOTH, section
from eos_theory.registry import Verdict, claim


@claim(
    id="erratum.sec1.1-threshold-eta-over-2",
    ref=("Section 1.1",),
    location="Section 1.1 (Related Work), paragraph on edge of stability; both transcriptions",
    statement="...the sharpness at the iterate goes beyond the threshold eta/2, and often "
    "saturates right at (or above) the threshold.",
    corrected="...the sharpness goes beyond the threshold 2/eta (as stated in Sections 2, 3.1 "
    "and 4.4).",
    severity="wrong formula but right elsewhere",
    method="eta = 2/30 (Experiment 1): a quadratic with sharpness 1 (far above eta/2 = 1/30) "
    "is stable, |1 - eta*lambda| < 1; stability flips exactly at lambda = 2/eta = 30 "
    "(exact Fractions); text located in both transcriptions",
)
def _threshold() -> Verdict:
    eta = Fraction(2, 30)
    mult = {lam: abs(1 - eta * lam) for lam in (Fraction(1), Fraction(29), Fraction(31))}
    printed_fails = eta / 2 < 1 and mult[Fraction(1)] < 1  # beyond eta/2, yet stable
    corrected_holds = mult[Fraction(29)] < 1 < mult[Fraction(31)] and 2 / eta == 30
    ok, tn = text_checks({tr: ("goes beyond the threshold \\eta/2",) for tr in BOTH})
    return decide(
        printed_fails,
        corrected_holds,
        {f"|1 - eta*{k}|": float(v) for k, v in mult.items()} | {"eta/2": 1 / 30, "2/eta": 30.0},
        "sharpness 1 >> eta/2 is stable; the stability threshold is 2/eta = 30",
        ok,
        tn,
    )


@claim(
    id="erratum.sec1.1-crossref-section5",
    ref=("Section 1.1",),
    location="Section 1.1 (Related Work); both transcriptions",
    statement="In Section 5, we will explore the relations between our main features and their "
    "observed phenomenon [edge of stability].",
    corrected="In Section 4.4, ... (Section 5 is 'Relative Progress for SGD'; the edge of "
    "stability is discussed in Section 4.4 'Implications for Sharpness').",
    severity="typo",
    method="re-read: Section 4.4 mentions 'edge of stability' and '2/eta'; Section 5 (up to "
    "Section 6) does not mention 'edge of stability' or 'EoS'",
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
        return text_absent(numbers, "the cross-reference is textual")
    return decide(
        printed_fails,
        corrected_holds,
        numbers,
        "EoS is discussed in Section 4.4, not Section 5",
        ok,
        tn,
    )


@claim(
    id="erratum.intro-diverges-needs-generic-init",
    ref=("(1.2)", "Fact 1"),
    location="Section 1 (Introduction), paragraph after Figure 1; both transcriptions",
    statement="When the cost is quadratic, condition (1.2) is in fact necessary for stability: "
    "if eta > 2/L, then GD diverges (see Fact 1).",
    corrected="...if eta > 2/L, GD diverges from every initialization whose component along "
    "an eigenvector with eigenvalue > 2/eta (or < 0) is nonzero, i.e. from almost every "
    "initialization; from the others it converges.",
    severity="imprecise",
    method="Example 1's cost 20 theta1^2 + theta2^2 (L = 40), eta = 2/39 > 2/L, exact Fraction "
    "GD for 600 steps from (0, 1) and from (1/1000, 1)",
)
def _intro_generic() -> Verdict:
    return generic_start_verdict(
        EX1_P,
        Fraction(2, 39),
        {"eta": "2/39"},
        "with eta > 2/L GD converges from (0, 1) and diverges from (0.001, 1)",
    )
