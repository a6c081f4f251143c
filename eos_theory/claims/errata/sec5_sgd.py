"""Errata of Section 5 (Relative Progress for SGD): the SGD identity before (5.1).

The preprint drops the factor 2 in front of the integral of the identity before (5.1). Four
seeded polynomial costs with exact expectations over every minibatch.
"""

from __future__ import annotations

from typing import cast

import autograd.numpy as anp
import numpy as np

from eos_theory._validate import Cost
from eos_theory.claims.errata.erratum_kit import decide, text_checks
from eos_theory.registry import Verdict, claim


def _poly_sum() -> list[Cost]:
    rng = np.random.default_rng(7)
    cs = rng.uniform(-1, 1, size=(4, 3))

    def poly(c: np.ndarray) -> Cost:
        # autograd is untyped: cast states the scalar cost for the type checker.
        return lambda th: cast(
            float,
            c[0] * anp.sum(th**2) + c[1] * anp.sum(th**3) + c[2] * anp.sum(th**4) + anp.dot(c, th),
        )

    return [poly(c) for c in cs]


@claim(
    id="erratum.preprint-sgd-identity-factor-2",
    ref=("Section 5 identity",),
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
    return decide(
        abs(printed - lhs) > 1e-3,
        abs(q.value - lhs) <= 1e-10 + 2 * q.abserr,
        {"E[RP]": lhs, "printed rhs": printed, "corrected rhs": q.value, "seed": 7},
        "the preprint drops the factor 2 in front of the integral",
        ok,
        tn,
    )
