"""Errata of Section 3 about Proposition 1 and Experiment 1.

The proof of Proposition 1 concludes ``a + b != 0`` from ``b != 0`` (a non sequitur; the
inner product with zeta is the argument); the proposition omits its conditions (gamma > 0,
scale invariance: degree-0 homogeneity); Experiment 1 numbers its third network (ii).
Gradients of a normalized neuron by autograd at seeded points, relative slack 1e-12.
"""

from __future__ import annotations

from typing import cast

import autograd.numpy as anp
import numpy as np
from autograd import grad

from eos_theory._validate import Cost
from eos_theory.claims.errata.erratum_kit import decide, text_checks
from eos_theory.paper.transcription import BOTH
from eos_theory.registry import Verdict, claim


def _normalized_loss(gamma: float, xs: np.ndarray, ys: np.ndarray) -> Cost:
    def loss(p: np.ndarray) -> float:
        xi, zeta = p[0], p[1:]
        out = 0.0
        for x, y in zip(xs, ys, strict=True):
            out = out + (xi * anp.dot(zeta, x) / anp.sqrt(anp.dot(zeta, zeta)) - y) ** 2
        return cast(float, out / len(ys) + gamma * anp.dot(p, p))  # autograd is untyped

    return loss


@claim(
    id="erratum.proposition1-proof-non-sequitur",
    ref=("Proposition 1",),
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
    return decide(
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
    ref=("Proposition 1",),
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
    return decide(
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
    return decide(True, True, {"items": 3}, "the third item is numbered (ii)", ok, tn)
