"""Errata of Sections 2 and 3.2: Fact 1, Examples 1-2, Theorem 1, Experiment 1.

"GD will eventually approach a stationary point"; Fact 1's divergence, which needs a generic
initialization, and its "iff", false for singular P; Section 3.2's "the unstable regime
implies divergence" for "most convex costs", false for convex costs with bounded gradients;
the ICML transcription's Example 1 cost (2 theta1^2 for 20 theta1^2); Example 2's
cross-reference to Fact 1 (it is Example 1); a slip in the proof of Theorem 1 (p_0 for
theta_0); and Experiment 1's enumeration (ii) for (iii). Each quadratic is decided by exact
``Fraction`` GD (:mod:`~eos_theory.claims.errata.erratum_kit`).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import cast

import autograd.numpy as anp
import numpy as np

from eos_theory._validate import Cost
from eos_theory.claims.errata.erratum_kit import (
    EX1_P,
    decide,
    decide_textual,
    diag,
    exact_outcome,
    generic_start_verdict,
    text_absent,
    text_checks,
)
from eos_theory.gd import run_gd
from eos_theory.paper.transcription import BOTH, section
from eos_theory.registry import Verdict, claim
from eos_theory.symbolic import classify_exact_run, exact_gd


@claim(
    id="erratum.sec2-approach-stationary-point",
    ref=("Section 2",),
    location="Section 2, first paragraph; both transcriptions",
    statement="...the fixed points of the GD dynamics are the stationary points. Hence, the GD "
    "dynamics will eventually approach one of the stationary points.",
    corrected="If the GD iterates converge (and grad f is continuous), the limit is a "
    "stationary point; GD need not approach any stationary point (it can diverge or "
    "oscillate forever).",
    severity="imprecise",
    method="Example 1's cost, exact Fraction GD from (1, 1) for 600 steps: eta = 2/39 diverges "
    "and eta = 2/40 stays at distance >= 1 from the only stationary point 0 forever; "
    "eta = 2/41 converges and its limit is stationary",
)
def _approach() -> Verdict:
    xs39 = exact_gd(EX1_P, [Fraction(0)] * 2, Fraction(2, 39), [Fraction(1)] * 2, 600)
    xs40 = exact_gd(EX1_P, [Fraction(0)] * 2, Fraction(2, 40), [Fraction(1)] * 2, 600)
    xs41 = exact_gd(EX1_P, [Fraction(0)] * 2, Fraction(2, 41), [Fraction(1)] * 2, 600)
    d39 = max(abs(float(c)) for c in xs39[-1])
    d40 = min(max(abs(float(c)) for c in x) for x in xs40[100:])
    g41 = max(abs(float(40 * xs41[-1][0])), abs(float(2 * xs41[-1][1])))
    return decide(
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
    ref=("Fact 1", "Example 1"),
    location="Section 2, Fact 1 (and the displayed intuition after Example 1); both",
    statement="On a quadratic cost f = 1/2 theta^T P theta + q^T theta + r, GD will diverge if "
    "any eigenvalue of P exceeds the threshold 2/eta.",
    corrected="...GD diverges for every initialization theta^0 whose component along some "
    "eigenvector with eigenvalue > 2/eta (or < 0) is nonzero (almost every theta^0); if all "
    "such components vanish it converges (when the other eigenvalues lie in (0, 2/eta)).",
    severity="imprecise",
    method="P = diag(3, 1/2), q = 0, eta = 1 (2/eta = 2 < 3): exact Fraction GD from (0, 1) "
    "and from (1/1000, 1) (see symbolic.fact1.divergence-conditions for the proof)",
)
def _fact1_generic() -> Verdict:
    return generic_start_verdict(
        diag(3, "1/2"),
        Fraction(1),
        {},
        "eigenvalue 3 > 2/eta, yet GD converges from a start with no component along it",
    )


@claim(
    id="erratum.fact1-iff-singular-p",
    ref=("Fact 1",),
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
)
def _fact1_iff() -> Verdict:
    p = diag(1, 0)
    outside = exact_gd(p, [Fraction(0), Fraction(1)], Fraction(1), [Fraction(1)] * 2, 600)
    inside = exact_outcome(p, Fraction(1), [1, 1], q=[Fraction(1), Fraction(0)])
    drift_exact = all(x[1] == 1 - t for t, x in enumerate(outside))
    out_class = classify_exact_run(outside)
    return decide(
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


def _huber(theta: np.ndarray) -> float:
    x = theta[0]
    return cast(float, anp.where(anp.abs(x) <= 1.0, 0.5 * x**2, anp.abs(x) - 0.5))


#: Convex, L-smooth costs with bounded gradients, each with its smoothness constant
#: L = sup f'' (attained at 0): log-cosh (L = 1), Huber with delta = 1 (L = 1), and logistic
#: regression on the two examples (x, y) = (1, +1), (1, -1) (L = sigma'(0) = 1/4).
_BOUNDED_CONVEX: dict[str, tuple[Cost, float]] = {
    "log-cosh": (lambda th: cast(float, anp.log(anp.cosh(th[0]))), 1.0),
    "huber": (_huber, 1.0),
    "logistic": (
        lambda th: cast(float, 0.5 * (anp.logaddexp(0.0, -th[0]) + anp.logaddexp(0.0, th[0]))),
        0.25,
    ),
}


@claim(
    id="erratum.sec3.2-unstable-implies-divergence",
    ref=("Section 3.2", "Fact 1"),
    location="Section 3.2, first paragraph (also Section 1: 'carries over to most convex "
    "optimization settings'); both transcriptions",
    statement="As we discussed in Fact 1, for quadratic costs (or more generally for most "
    "convex costs), GD being in the unstable regime implies that GD will diverge entirely.",
    corrected="For quadratic costs, GD in the unstable regime eta > 2/L diverges from almost "
    "every initialization (Fact 1). It does not carry over to convex costs in general: on "
    "convex L-smooth costs with bounded gradients (log-cosh, Huber, logistic regression) GD "
    "with eta > 2/L stays bounded and the loss stays finite.",
    severity="imprecise",
    method="GD (run_gd, 2,000 steps, blow-up past 1e8) from theta0 = 0.3 at eta = 5/L "
    "(eta L/2 = 2.5, well inside the unstable regime) on log-cosh (L = 1), Huber delta = 1 "
    "(L = 1) and 1-D logistic regression on (1, +1), (1, -1) (L = 1/4): none diverges "
    "(max |theta_t| reported); Example 1's quadratic at eta = 2/39 > "
    "2/L diverges from (1, 1) (exact Fraction GD)",
)
def _sec32() -> Verdict:
    numbers: dict[str, object] = {}
    bounded = True
    for name, (f, lip) in _BOUNDED_CONVEX.items():
        tr = run_gd(f, [0.3], 5.0 / lip, 2_000)
        worst = float(np.max(np.abs(tr.thetas))) if tr.thetas.size else math.inf
        numbers[f"{name}: eta*L/2"] = 2.5
        numbers[f"{name}: outcome"] = tr.outcome
        numbers[f"{name}: max |theta_t|"] = round(worst, 4)
        bounded &= tr.outcome != "diverged" and math.isfinite(worst)
    quadratic = exact_outcome(EX1_P, Fraction(2, 39), [1, 1])
    numbers["Example 1 quadratic, eta = 2/39"] = quadratic
    return decide(
        bounded,
        quadratic == "diverged",
        numbers,
        "convex costs with bounded gradients stay bounded at eta = 5/L; the quadratic diverges",
    )


@claim(
    id="erratum.icml-example1-cost",
    ref=("Example 1",),
    location="Section 2, Example 1; ICML transcription (the preprint prints 20 theta1^2)",
    statement="Consider optimizing a quadratic cost f(theta1, theta2) = 2 theta1^2 + theta2^2. "
    "Note that in this case L = 40.",
    corrected="f(theta1, theta2) = 20 theta1^2 + theta2^2 (L = 40), as in the preprint and "
    "as Example 2's tanh(20 theta1^2 + theta2^2) requires.",
    severity="wrong formula but right elsewhere",
    method="Hessians: printed diag(4, 2) (L = 4), corrected diag(40, 2) (L = 40); exact "
    "Fraction GD from (1, 1) with eta = 2/39, 2/40, 2/41 on both; text of both transcriptions",
)
def _icml_ex1() -> Verdict:
    printed = {e: exact_outcome(diag(4, 2), Fraction(2, e), [1, 1]) for e in (39, 40, 41)}
    corrected = {e: exact_outcome(EX1_P, Fraction(2, e), [1, 1]) for e in (39, 40, 41)}
    ok, tn = text_checks(
        {
            "ICML": ("f(\\theta_1, \\theta_2) = 2\\theta_1^2 + \\theta_2^2",),
            "preprint": ("f(\\theta_1, \\theta_2) = 20\\theta_1^2 + \\theta_2^2",),
        }
    )
    return decide(
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
    ref=("Example 2",),
    location="Section 3.2, first paragraph and Example 2; both transcriptions",
    statement="...let us revisit the quadratic cost considered in Fact 1 ... Example 2: For "
    "the same quadratic cost as in Fact 1, we chose the same diverging step size eta = 2/39.",
    corrected="...the quadratic cost of Example 1 (20 theta1^2 + theta2^2, with eta = 2/39); "
    "Fact 1 concerns a general quadratic and names no cost or step size.",
    severity="typo",
    method="re-read: the Fact 1 paragraph contains no '20\\theta' and no '2/39'; Example 1 "
    "contains '2/39' (and, in the preprint, '20\\theta_1^2'); eta = 2/39 > 2/L only for L = 40",
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
        return text_absent(numbers, "cross-reference (Fact 1 names no cost)")
    printed_fails = corrected_holds = True
    for tr in BOTH:
        fact = section(tr, "Fact 1.", "Below we quickly illustrate") or ""
        ex1 = section(tr, "Example 1.", "Due to the above fact") or ""
        numbers[f"{tr}: Fact 1 names a cost"] = "20\\theta" in fact or "2/39" in fact
        numbers[f"{tr}: Example 1 has eta = 2/39"] = "2/39" in ex1
        printed_fails &= not numbers[f"{tr}: Fact 1 names a cost"]
        corrected_holds &= bool(numbers[f"{tr}: Example 1 has eta = 2/39"])
    return decide(
        printed_fails,
        corrected_holds,
        numbers,
        "the cost and step size come from Example 1",
        ok,
        tn,
    )


@claim(
    id="erratum.theorem1-proof-p0",
    ref=("Theorem 1",),
    location="Section 2, proof of Theorem 1; both transcriptions",
    statement="If GD converges to a stationary point p, there must exist t_0 and i such that "
    "F^t(p_0) in B_{p_i} for all t >= t_0.",
    corrected="...such that F^t(theta_0) in B_{p_i} for all t >= t_0 (p_0 is undefined; the "
    "next sentence uses F^t(theta_0)).",
    severity="typo",
    method="a stationary point p is a fixed point, F(p) = p, so 'F^t(p) in B_p' is trivially "
    "true and says nothing about GD from theta_0: checked on Example 1's cost (p = 0, "
    "eta = 2/41) with exact Fractions; text re-read",
)
def _thm1_p0() -> Verdict:
    z = [Fraction(0)] * 2
    fixed = exact_gd(EX1_P, z, Fraction(2, 41), z, 3)
    moving = exact_gd(EX1_P, z, Fraction(2, 41), [Fraction(1)] * 2, 3)
    ok, tn = text_checks({tr: ("F^t(p_0) \\in B_", "F^t(\\theta_0) \\in W") for tr in BOTH})
    return decide(
        all(x == z for x in fixed),
        len({tuple(x) for x in moving}) == len(moving),
        {"F^t(p) = p for t <= 3": all(x == z for x in fixed)},
        "F^t of a stationary point is constant; the argument needs F^t(theta_0)",
        ok,
        tn,
    )


@claim(
    id="erratum.experiment1-numbering",
    ref=("Experiment 1",),
    location="Section 3.2, Experiment 1; both transcriptions",
    statement="(i) linear network without activations; (ii) tanh activations; (ii) ReLU "
    "activations.",
    corrected="(i) linear ...; (ii) tanh ...; (iii) ReLU activations.",
    severity="typo",
    method="re-read the enumeration in both transcriptions",
)
def _exp1_numbering() -> Verdict:
    ok, tn = text_checks(
        {tr: ("(ii) tanh activations; (ii) ReLU activations",) for tr in BOTH},
        {tr: ("(iii) ReLU",) for tr in BOTH},
    )
    return decide_textual("the third item is numbered (ii)", ok, tn, {"items": 3})
