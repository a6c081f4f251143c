"""Errata of Sections 4.1-4.2: the squared step length of 4.1.2 and Example 4.

Section 4.1.2 writes ||eta^2 grad f||^2 for the squared distance eta^2 ||grad f||^2;
Example 4 writes f = theta^T P theta for 1/2 theta^T P theta, forgets the eigenvalue 0
that P >= 0 allows, states the period-two orbit without its null-space part, and mixes q
and q_max in one chain of equalities. Exact ``Fraction`` GD where a quadratic decides;
autograd float64 otherwise, with gaps orders of magnitude above round-off.
"""

from __future__ import annotations

from fractions import Fraction

import autograd.numpy as anp
import numpy as np
from autograd import grad

from eos_theory.claims.errata.erratum_kit import decide, diag, text_checks
from eos_theory.paper.transcription import BOTH
from eos_theory.registry import Verdict, claim
from eos_theory.symbolic import exact_gd


@claim(
    id="erratum.sec4.1.2-eta-squared",
    ref=("Section 4.1.2",),
    location="Section 4.1.2, paragraph before Section 4.2; both transcriptions",
    statement="...the loss change f(theta^t+1) - f(theta^t) would be much smaller compared to "
    "|| eta^2 grad f(theta^t) ||^2 the square of the distance that GD travels.",
    corrected="...compared to ||eta grad f(theta^t)||^2 = eta^2 ||grad f(theta^t)||^2, the "
    "square of the distance GD travels.",
    severity="typo",
    method="Example 1's cost at theta = (1, 1), eta = 2/41, exact Fractions: |theta^1 - "
    "theta^0|^2 against the printed ||eta^2 grad f||^2 = eta^4 ||grad f||^2",
)
def _eta_sq() -> Verdict:
    eta = Fraction(2, 41)
    g = [Fraction(40), Fraction(2)]
    step_sq = sum((eta * gi) ** 2 for gi in g)
    printed = sum((eta**2 * gi) ** 2 for gi in g)
    ok, tn = text_checks({tr: ("\\|\\eta^2 \\nabla f(\\theta^t)\\|^2",) for tr in BOTH})
    return decide(
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
    ref=("Example 4",),
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
    return decide(
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
    ref=("Example 4",),
    location="Section 4.2, Example 4; both transcriptions",
    statement="This implies that if lambda < 2/eta, then q^T theta^t -> 0.",
    corrected="...if 0 < lambda < 2/eta, then q^T theta^t -> 0 (for lambda = 0, allowed by "
    "P >= 0, q^T theta^t = q^T theta^0 for all t).",
    severity="imprecise",
    method="P = diag(1, 0), eta = 1, theta^0 = (1, 1), exact Fraction GD for 60 steps: the "
    "lambda = 0 coordinate stays 1; the lambda = 1 coordinate is 0",
)
def _ex4_lambda() -> Verdict:
    xs = exact_gd(diag(1, 0), [Fraction(0)] * 2, Fraction(1), [Fraction(1)] * 2, 60)
    return decide(
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
    ref=("Example 4",),
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
)
def _ex4_orbit() -> Verdict:
    p = diag(1, "1/2", 0)
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
    return decide(
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
    ref=("Example 4",),
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
)
def _ex4_q() -> Verdict:
    eta = Fraction(1, 2)
    p = diag(3, 1)
    theta = [Fraction(1), Fraction(1)]
    nxt = exact_gd(p, [Fraction(0)] * 2, eta, theta, 1)[-1]  # (I - eta P) theta
    q_max, q2 = (0, 3), (1, 1)  # (coordinate, eigenvalue)
    printed_lhs, printed_mid = nxt[q_max[0]], nxt[q2[0]]  # <q_max, .> vs q^T(.) with q = e2
    corrected = all(nxt[i] == (1 - eta * lam) * theta[i] for i, lam in (q_max, q2))
    ok, tn = text_checks(
        {tr: ("the quantity \\langle q_\\max, \\theta^t \\rangle evolves as",) for tr in BOTH}
    )
    return decide(
        printed_lhs != printed_mid,
        corrected,
        {"<q_max, theta^1>": float(printed_lhs), "e2^T (I - eta P) theta^0": float(printed_mid)},
        "q and q_max are mixed in one chain of equalities",
        ok,
        tn,
    )
