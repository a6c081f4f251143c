r"""Proposition 1 proved with sympy: scale invariance plus weight decay leaves no stationary point.

.. math::

    f(x, [\xi, c\zeta]) = f(x, [\xi, \zeta])\ (c > 0) \Rightarrow
    \langle\nabla_\zeta f, \zeta\rangle = 0 \Rightarrow
    \langle\nabla_\zeta\ell, \zeta\rangle = 2\gamma\|\zeta\|^2 > 0\ (\zeta \ne 0)

for :math:`\ell = \tfrac1n\sum_i f(x_i,\theta) + \gamma\|\theta\|^2`
(:func:`prove_proposition1`, on the normalized neuron ``_normalized_layer`` and a layer
normalisation).

Paper: Ahn, Zhang & Sra (ICML 2022), Section 3.1, Proposition 1 and its proof.
"""

from __future__ import annotations

from typing import cast

import numpy as np
import sympy as sp

from eos_theory.symbolic.proof_kit import GAMMA, ProofResult, _dot


def _normalized_layer(
    dim: int = 3,
) -> tuple[sp.Expr, tuple[sp.Symbol, ...], sp.Symbol, tuple[sp.Symbol, ...]]:
    r"""A normalized neuron :math:`(\xi\langle\zeta, x\rangle/\|\zeta\| - y)^2` (Proposition 1)."""
    zeta = sp.symbols(f"zeta1:{dim + 1}", real=True)
    x = sp.symbols(f"x1:{dim + 1}", real=True)
    xi, y = sp.symbols("xi y", real=True)
    norm = sp.sqrt(_dot(zeta, zeta))
    return (xi * _dot(zeta, x) / norm - y) ** 2, zeta, xi, (*x, y)


def prove_proposition1(*, seed: int = 0) -> ProofResult:
    r"""Proposition 1: Euler's identity for scale-invariant parameters and its consequence.

    .. math::

        f(x, [\xi, c\zeta]) = f(x, [\xi, \zeta])\ (c > 0) \Rightarrow
        \langle\nabla_\zeta f, \zeta\rangle = 0, \qquad
        \ell = \tfrac1n\textstyle\sum_i f(x_i,\theta) + \gamma\|\theta\|^2 \Rightarrow
        \langle\nabla_\zeta\ell, \zeta\rangle = 2\gamma\|\zeta\|^2 > 0\ (\zeta \ne 0),

    and for degree-:math:`k` homogeneity :math:`\langle\nabla_\zeta f, \zeta\rangle = k f`.
    Shown on (a) a normalized neuron :math:`(\xi\langle\zeta,x\rangle/\|\zeta\| - y)^2`,
    (b) a layer normalisation :math:`a/\|a\|` of :math:`a = W x` feeding an arbitrary
    readout ``Function`` :math:`h` (:math:`\zeta = \mathrm{vec}\,W`), (c)
    :math:`\|\zeta\|^k h(\zeta/\|\zeta\|)` for symbolic :math:`k`. Method: ``together`` /
    ``cancel`` (``simplify`` only for the ``Function`` case, whose derivatives are ``Subs``
    objects); a positive symbol :math:`c` for the scaling. For :math:`k \ne 0` a stationary
    point with :math:`\zeta \ne 0` exists: :math:`\ell = -\zeta + \gamma\zeta^2` at
    :math:`\zeta = 1/(2\gamma)` (``facts``). Spot check: autograd inner products at seeded
    points (slack ``1e-12`` relative).

    Euler's identity on the normalized neuron, the first residual of the proof:

    >>> f, zeta, xi, data = _normalized_layer(2)
    >>> sp.cancel(sp.together(_dot([sp.diff(f, z) for z in zeta], zeta)))
    0
    """
    import autograd.numpy as anp
    from autograd import grad as agrad

    f, zeta, xi, data = _normalized_layer(3)
    cpos = sp.Symbol("c", positive=True)
    scaled = f.subs({z: cpos * z for z in zeta}, simultaneous=True)
    r_inv = sp.cancel(sp.together(scaled - f))
    euler = _dot([sp.diff(f, z) for z in zeta], zeta)
    r_euler = sp.cancel(sp.together(euler))
    # two examples + weight decay
    f2 = f.subs({d: sp.Symbol(f"{d}_2", real=True) for d in data}, simultaneous=True)
    ell = (f + f2) / 2 + GAMMA * (xi**2 + _dot(zeta, zeta))
    r_wd = sp.cancel(
        sp.together(_dot([sp.diff(ell, z) for z in zeta], zeta) - 2 * GAMMA * _dot(zeta, zeta))
    )
    wd_nonneg = bool((2 * GAMMA * _dot(zeta, zeta)).is_nonnegative)
    # (b) layer normalisation with an arbitrary readout h
    w = sp.symbols("w11 w12 w21 w22", real=True)
    x1, x2 = sp.symbols("x1 x2", real=True)
    a1, a2 = w[0] * x1 + w[1] * x2, w[2] * x1 + w[3] * x2
    na = sp.sqrt(a1**2 + a2**2)
    h = sp.Function("h")
    fb = h(a1 / na, a2 / na)
    r_b = sp.simplify(_dot([sp.diff(fb, z) for z in w], w))
    # (c) degree-k homogeneity: Euler from the chain rule on an abstract F, then k = 0..3
    cpos2 = sp.Symbol("c", positive=True)
    big_f = sp.Function("F")
    zz = sp.symbols("z1:4", real=True)
    chain = sp.diff(big_f(*[cpos2 * z for z in zz]), cpos2).subs(cpos2, 1).doit()
    r_chain = sp.simplify(chain - _dot([sp.diff(big_f(*zz), z) for z in zz], zz))
    norm = sp.sqrt(_dot(zeta, zeta))
    r_k = []
    for k in range(4):
        fk = norm**k * f
        r_k.append(
            sp.cancel(
                sp.together(fk.subs({z: cpos * z for z in zeta}, simultaneous=True) - cpos**k * fk)
            )
        )
        r_k.append(sp.cancel(sp.together(_dot([sp.diff(fk, z) for z in zeta], zeta) - k * fk)))
    zs = sp.Symbol("zeta", real=True)
    stat = sp.solve(sp.diff(-zs + GAMMA * zs**2, zs), zs)
    # spot check
    rng = np.random.default_rng(seed)
    worst = 0.0
    gamma = 0.3
    for _ in range(5):
        xs = rng.standard_normal((2, 3))
        ys = rng.standard_normal(2)

        def loss(p: np.ndarray, xs: np.ndarray = xs, ys: np.ndarray = ys) -> float:
            z, xv = p[1:], p[0]
            out = sum(
                (xv * anp.dot(z, xs[i]) / anp.sqrt(anp.dot(z, z)) - ys[i]) ** 2 for i in range(2)
            )
            return cast(float, out / 2 + gamma * anp.dot(p, p))  # autograd is untyped

        p = rng.standard_normal(4)
        gz = agrad(loss)(p)[1:]
        val = float(gz @ p[1:])
        expected = 2 * gamma * float(p[1:] @ p[1:])
        worst = max(worst, abs(val - expected) / max(1.0, expected))
    return ProofResult(
        statement="Proposition 1: degree-0 homogeneity in zeta gives <grad_zeta f, zeta> = 0 "
        "(normalized neuron; layer norm with arbitrary readout), so with weight decay "
        "<grad_zeta l, zeta> = 2 gamma |zeta|^2 > 0 for zeta != 0: no stationary point; "
        "degree-k homogeneity gives k f instead",
        method="positive scaling symbol; together/cancel (simplify for Function readouts); "
        "solve for the degree-1 counterexample",
        residual=[
            "f(c zeta) - f(zeta)",
            "<grad_zeta f, zeta>",
            "<grad_zeta l, zeta> - 2 gamma |zeta|^2",
            "layer-norm Euler",
            "d/dc F(c zeta) at c=1 - <grad F, zeta>",
            "degree-k homogeneity and Euler (k = 0..3)",
        ],
        simplified=[r_inv, r_euler, r_wd, r_b, r_chain, *r_k],
        spot_max_error=worst,
        spot_tolerance=1e-12,
        spot_points=5,
        facts={
            "2 gamma |zeta|^2 >= 0": wd_nonneg,
            "degree-1 counterexample l = -zeta + gamma zeta^2 stationary at": str(stat),
        },
    )
