r"""The descent lemma (1.1) and its step-size condition (1.2) proved with sympy.

.. math::

    f(\theta^{t+1}) \le f(\theta^t) - \eta\Big(1 - \frac{L\eta}{2}\Big)\|\nabla f(\theta^t)\|^2,
    \qquad 1 - \frac{L\eta}{2} > 0 \iff L < 2/\eta

(:func:`prove_descent_lemma`): equality for 1-D quadratics; for smooth 1-D costs, the
remainder's integral form, with the Lipschitz bound on its integrand assumed. The
n-dimensional lemma is not proved here.

Paper: Ahn, Zhang & Sra (ICML 2022), Section 1, (1.1) and (1.2); Section 4.1.1.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from eos_theory.symbolic.proof_kit import ETA, ProofResult, S


def prove_descent_lemma(*, seed: int = 0) -> ProofResult:
    r"""The descent lemma (1.1): equality for 1-D quadratics, inequality for L-smooth costs.

    .. math::

        f(\theta^{t+1}) \le f(\theta^t) - \eta\Big(1 - \frac{L\eta}{2}\Big)\|\nabla f(\theta^t)\|^2

    Method: (i) :math:`f = \frac a2\theta^2 + b\theta + c` with :math:`L = a`: the two sides
    differ by an expression that expands to 0 (equality, so the constant is sharp);
    (ii) for a general smooth 1-D :math:`f` (sympy ``Function``) the remainder
    :math:`R = f(\theta - v) - f(\theta) + v f'(\theta)` equals
    :math:`\int_0^1 v\,(f'(\theta) - f'(\theta - sv))\,ds` (chain rule + FTC on an abstract
    function); L-smoothness bounds the integrand by :math:`L s v^2`, whose integral is
    :math:`L v^2/2` (sympy integrates), which with :math:`v = \eta f'` is (1.1);
    (iii) (1.2): :math:`1 - L\eta/2 > 0 \iff L < 2/\eta` (``solveset``); (iv) the concrete
    :math:`\log\cosh` cost is 1-smooth: :math:`1 - f'' = \tanh^2 \ge 0`. Spot check:
    (1.1) on :math:`\log\cosh` at seeded :math:`(\theta, \eta)`, slack ``1e-12``.

    >>> prove_descent_lemma().proved
    True
    """
    th = sp.Symbol("theta", real=True)
    a, b, c = sp.symbols("a b c", real=True)
    f = a * th**2 / 2 + b * th + c
    fp = sp.diff(f, th)
    r_eq = sp.expand(f.subs(th, th - ETA * fp) - (f - ETA * (1 - a * ETA / 2) * fp**2))
    fn = sp.Function("f")
    v = sp.Symbol("v", real=True)
    phi = sp.Function("phi")  # phi(s) = v (f'(theta) - f'(theta - s v)) integrated by FTC:
    # d/ds f(theta - s v) = -v f'(theta - s v)
    chain = sp.diff(fn(th - S * v), S) + v * sp.diff(fn(th), th).subs(th, th - S * v)
    r_chain = sp.simplify(chain.doit())
    ftc = sp.expand(sp.integrate(sp.Derivative(phi(S), S), (S, 0, 1)) - (phi(1) - phi(0)))
    big_l = sp.Symbol("L", positive=True)
    bound = sp.integrate(big_l * S * v**2, (S, 0, 1))
    r_bound = sp.expand(bound - big_l * v**2 / 2)
    r_11 = sp.expand(
        (fn(th) - ETA * fn(th).diff(th) ** 2 + bound.subs(v, ETA * fn(th).diff(th)))
        - (fn(th) - ETA * (1 - big_l * ETA / 2) * fn(th).diff(th) ** 2)
    )
    xl = sp.Symbol("x", positive=True)  # x = L * eta
    cond = sp.solveset(1 - xl / 2 > 0, xl, sp.Interval.open(0, sp.oo))
    r_12 = sp.Integer(0) if cond == sp.Interval.open(0, 2) else cond
    lc = sp.log(sp.cosh(th))
    r_smooth = sp.simplify(1 - sp.diff(lc, th, 2) - sp.tanh(th) ** 2)
    rng = np.random.default_rng(seed)
    worst = 0.0
    for _ in range(20):
        x = float(rng.uniform(-4, 4))
        eta = float(rng.uniform(0.05, 3.0))
        g = math.tanh(x)
        lhs = math.log(math.cosh(x - eta * g))
        rhs = math.log(math.cosh(x)) - eta * (1 - eta / 2) * g * g
        worst = max(worst, lhs - rhs)
    return ProofResult(
        statement="(1.1) with equality for 1-D quadratics (L = a); for smooth 1-D f, (1.1) "
        "given the Lipschitz bound on the remainder's integrand (assumed); (1.2) L < 2/eta is "
        "exactly the condition 1 - L eta/2 > 0",
        method="expand (quadratic equality); chain rule + FTC on sympy Function and "
        "integrate the Lipschitz bound; solveset for (1.2); log cosh is 1-smooth",
        residual=[
            "quadratic equality",
            "chain rule",
            "FTC",
            "bound integral",
            "(1.1) from bound",
            "(1.2)",
            "1 - (log cosh)'' - tanh^2",
        ],
        simplified=[r_eq, r_chain, ftc, r_bound, r_11, r_12, r_smooth],
        spot_max_error=max(worst, 0.0),
        spot_tolerance=1e-12,
        spot_points=20,
    )
