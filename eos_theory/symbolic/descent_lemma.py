r"""The descent lemma (1.1) and its step-size condition (1.2) proved with sympy.

.. math::

    f(\theta^{t+1}) \le f(\theta^t) - \eta\Big(1 - \frac{L\eta}{2}\Big)\|\nabla f(\theta^t)\|^2,
    \qquad 1 - \frac{L\eta}{2} > 0 \iff L < 2/\eta

(:func:`prove_descent_lemma`): for an L-smooth cost in n dimensions from the integral form of
the remainder, with Cauchy-Schwarz and the Lipschitz bound on the gradient as the two named
inequalities; equality for 1-D quadratics.

Paper: Ahn, Zhang & Sra (ICML 2022), Section 1, (1.1) and (1.2); Section 4.1.1.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from eos_theory.symbolic.proof_kit import ETA, ProofResult, S, _at, _dot


def prove_descent_lemma(*, dim: int = 3, seed: int = 0) -> ProofResult:
    r"""The descent lemma (1.1) for an L-smooth cost in ``dim`` dimensions, and (1.2).

    .. math::

        f(\theta - v) - f(\theta) + \langle v, \nabla f(\theta)\rangle
        = \int_0^1 \langle v, \nabla f(\theta) - \nabla f(\theta - s v)\rangle\,ds
        \le \int_0^1 L s\|v\|^2\,ds = \frac{L}{2}\|v\|^2

    and with :math:`v = \eta\nabla f(\theta)` this is (1.1). Method, for a sympy ``Function``
    :math:`f(\theta_1, \dots, \theta_d)` and a symbolic vector :math:`v`: (i) the chain rule
    :math:`\tfrac{d}{ds}f(\theta - sv) = -\langle v, \nabla f(\theta - sv)\rangle` (residual
    0); (ii) the fundamental theorem of calculus for an abstract :math:`\varphi`; (iii) the
    integrand bound :math:`\langle v, \nabla f(\theta) - \nabla f(\theta - sv)\rangle \le
    \|v\|\,L s\|v\|` is Cauchy-Schwarz followed by the hypothesis that :math:`\nabla f` is
    L-Lipschitz: the two named inequalities, not sympy steps; (iv) sympy integrates
    :math:`\int_0^1 Ls\|v\|^2 ds = L\|v\|^2/2` and (v) expands the substitution
    :math:`v = \eta\nabla f` into (1.1); (vi) equality for 1-D quadratics (the constant is
    sharp); (vii) (1.2): :math:`1 - L\eta/2 > 0 \iff L < 2/\eta` (``solveset``). Spot check:
    (1.1) on the 1-smooth :math:`\sum_i\log\cosh\theta_i` at seeded points, slack ``1e-12``.

    >>> prove_descent_lemma(dim=2).proved
    True
    """
    theta = sp.symbols(f"theta1:{dim + 1}", real=True)
    v = sp.symbols(f"v1:{dim + 1}", real=True)
    fn = sp.Function("f")(*theta)
    grad = [sp.diff(fn, x) for x in theta]
    moved = [x - S * vi for x, vi in zip(theta, v, strict=True)]
    # (i) chain rule along the segment
    chain = sp.diff(_at(fn, theta, moved), S) + _dot(v, [_at(g, theta, moved) for g in grad])
    r_chain = sp.simplify(chain.doit())
    # (ii) fundamental theorem of calculus for an abstract phi
    phi = sp.Function("phi")
    ftc = sp.expand(sp.integrate(sp.Derivative(phi(S), S), (S, 0, 1)) - (phi(1) - phi(0)))
    # (iv) the integrated bound, and (v) the substitution v = eta grad f
    big_l = sp.Symbol("L", positive=True)
    v_sq = _dot(v, v)
    bound = sp.integrate(big_l * S * v_sq, (S, 0, 1))
    r_bound = sp.expand(bound - big_l * v_sq / 2)
    g_sq = _dot(grad, grad)
    step = [ETA * g for g in grad]
    r_11 = sp.expand(
        (-_dot(step, grad) + bound.subs(dict(zip(v, step, strict=True))))
        - (-ETA * (1 - big_l * ETA / 2) * g_sq)
    )
    # (vi) 1-D quadratics: equality
    th = sp.Symbol("theta", real=True)
    a, b, c = sp.symbols("a b c", real=True)
    f_q = a * th**2 / 2 + b * th + c
    fp = sp.diff(f_q, th)
    r_eq = sp.expand(f_q.subs(th, th - ETA * fp) - (f_q - ETA * (1 - a * ETA / 2) * fp**2))
    # (vii) (1.2)
    xl = sp.Symbol("x", positive=True)  # x = L * eta
    cond = sp.solveset(1 - xl / 2 > 0, xl, sp.Interval.open(0, sp.oo))
    r_12 = sp.Integer(0) if cond == sp.Interval.open(0, 2) else cond
    lc = sp.log(sp.cosh(th))
    r_smooth = sp.simplify(1 - sp.diff(lc, th, 2) - sp.tanh(th) ** 2)
    rng = np.random.default_rng(seed)
    worst = 0.0
    for _ in range(20):
        x = rng.uniform(-4, 4, size=dim)
        eta = float(rng.uniform(0.05, 3.0))
        g = np.tanh(x)
        lhs = float(np.sum(np.log(np.cosh(x - eta * g))))
        rhs = float(np.sum(np.log(np.cosh(x)))) - eta * (1 - eta / 2) * float(g @ g)
        worst = max(worst, lhs - rhs)
    return ProofResult(
        statement=f"(1.1) for every L-smooth f in dimension {dim} (chain rule, FTC, the "
        "integral and the substitution by sympy; Cauchy-Schwarz and the L-Lipschitz gradient "
        "as the two named inequalities), with equality for 1-D quadratics; (1.2) L < 2/eta is "
        "exactly 1 - L eta/2 > 0",
        method="chain rule on sympy Function (simplify), FTC for abstract phi (integrate), "
        "integral of L s |v|^2 and the substitution v = eta grad f (expand); quadratic equality "
        "(expand); solveset for (1.2); log cosh is 1-smooth",
        residual=[
            "chain rule",
            "FTC",
            "bound integral",
            "(1.1) from bound",
            "quadratic equality",
            "(1.2)",
            "1 - (log cosh)'' - tanh^2",
        ],
        simplified=[r_chain, ftc, r_bound, r_11, r_eq, r_12, r_smooth],
        spot_max_error=max(worst, 0.0),
        spot_tolerance=1e-12,
        spot_points=20,
    )
