r"""Corollary 1 and (♣) with sympy: the integral form of L for any C^2 f, the Rayleigh bound.

.. math::

    L(\theta; v) = \frac{1}{\|v\|^2}\int_0^1 v^\top\nabla^2 f(\theta - s v)\,v\,ds, \qquad
    \frac{2}{\eta}(\mathrm{RP}(\theta^t) + 1) \le L_t

(:func:`prove_corollary1`), with the limit
:math:`\lim_{\tau\to0}L(\theta;\eta\tau g) = g^\top\nabla^2 f(\theta) g/\|g\|^2`. Scope:
the integral form for a general C^2 f (sympy Function) and for a symbolic polynomial, the
Rayleigh bound for a symbolic 2x2 Hessian (the spectral theorem in general, named); Theorem
2 and 2 int tau dtau = 1 compose them.

Paper: Ahn, Zhang & Sra (ICML 2022), Section 4.4, Corollary 1 and (♣).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from eos_theory.symbolic.proof_kit import (
    ETA,
    TAU,
    ProofResult,
    S,
    _at,
    _dot,
    _instance,
    _numeric_cost,
    generic_polynomial,
)


def prove_corollary1(dim: int = 2, degree: int = 4, *, seed: int = 0) -> ProofResult:
    r"""Corollary 1: the integral representation of L and :math:`(2/\eta)(\mathrm{RP}+1) \le L_t`.

    .. math::

        L(\theta; v) = \frac{1}{\|v\|^2}\int_0^1 v^\top\nabla^2 f(\theta - s v)\,v\,ds, \qquad
        \frac{2}{\eta}(\mathrm{RP}(\theta^t) + 1) = 2\int_0^1\tau L(\theta^t;\eta\tau\nabla
        f)\,d\tau \le L_t.

    Method: (i) for a general :math:`C^2` cost (a sympy ``Function`` of :math:`u = \theta -
    sv`) the chain rule, written out, gives :math:`\tfrac{d}{ds}\langle v, \nabla f(u)\rangle
    = -v^\top\nabla^2 f(u)v` (sympy checks the algebra), and for a polynomial :math:`f` of
    degree ``degree`` in dimension ``dim`` with symbolic coefficients
    :math:`\langle v, \nabla f(\theta) - \nabla f(\theta - v)\rangle -
    \int_0^1 v^\top\nabla^2 f(\theta - sv)v\,ds` expands to 0; (ii) Rayleigh bound for a
    symbolic symmetric 2x2 Hessian: :math:`\lambda_{\max}I - H` has determinant 0 and trace
    :math:`2\sqrt{\cdot} \ge 0`, hence is PSD, so each integrand is at most
    :math:`\lambda_{\max}(\nabla^2 f(\theta - sv))\|v\|^2 \le L_t\|v\|^2` on the segment;
    with Theorem 2 and :math:`2\int_0^1\tau\,d\tau = 1` the inequality follows;
    (iii) (♣): :math:`\lim_{\tau\to0}L(\theta;\eta\tau g) = g^\top\nabla^2 f(\theta) g/\|g\|^2`
    for the symbolic polynomial (cancel, then :math:`\tau = 0`). Spot check: the numeric
    inequality with :func:`segment_sharpness` on random instances (slack ``1e-8|L_t|``).

    >>> prove_corollary1(2, 3).proved
    True
    """
    from autograd import grad as agrad

    from eos_theory.progress import relative_progress

    theta = sp.symbols(f"theta1:{dim + 1}", real=True)
    v = sp.symbols(f"v1:{dim + 1}", real=True)
    f, coeffs = generic_polynomial(theta, degree)
    grad = [sp.diff(f, x) for x in theta]
    hess = sp.hessian(f, theta)
    shifted = [x - S * vi for x, vi in zip(theta, v, strict=True)]
    vv = sp.Matrix(v)
    quad_form = (vv.T * _at(hess, theta, shifted) * vv)[0]
    integral = sp.integrate(sp.expand(quad_form), (S, 0, 1))
    lhs = _dot(
        v, [g - _at(g, theta, [x - vi for x, vi in zip(theta, v, strict=True)]) for g in grad]
    )
    r_int = sp.expand(lhs - integral)
    # (i') the same for a general C^2 f (sympy Function of u = theta - s v): by the chain rule
    # d/ds G(u) = sum_j dG/du_j * (-v_j); for G = <v, grad f(u)> this must equal
    # -v^T Hess f(u) v, which with the fundamental theorem of calculus is the integral form
    # of L for every f, not only for the polynomial above.
    u = sp.symbols(f"u1:{dim + 1}", real=True)
    fn = sp.Function("f")(*u)
    g_u = _dot(v, [sp.diff(fn, x) for x in u])
    d_ds = sum(sp.diff(g_u, uj) * (-vj) for uj, vj in zip(u, v, strict=True))
    form_u = (vv.T * sp.hessian(fn, u) * vv)[0]
    r_general = sp.expand(d_ds + form_u)
    h11, h12, h22 = sp.symbols("h11 h12 h22", real=True)
    hm = sp.Matrix([[h11, h12], [h12, h22]])
    root = sp.sqrt(((h11 - h22) / 2) ** 2 + h12**2)
    lmax = (h11 + h22) / 2 + root
    gap = lmax * sp.eye(2) - hm
    r_det = sp.expand(gap.det())
    trace_nonneg = bool(sp.simplify(gap.trace() - 2 * root) == 0 and root.is_nonnegative)
    w = sp.Integer(2) * sp.integrate(TAU, (TAU, 0, 1))
    g = [sp.Symbol(f"g{i + 1}", real=True) for i in range(dim)]
    vt = [ETA * TAU * gi for gi in g]
    l_tau = _dot(
        vt, [gr - _at(gr, theta, [x - vi for x, vi in zip(theta, vt, strict=True)]) for gr in grad]
    ) / _dot(vt, vt)
    num, den = sp.fraction(sp.cancel(sp.together(l_tau)))
    lim = sp.cancel(num.subs(TAU, 0) / den.subs(TAU, 0))
    gm = sp.Matrix(g)
    rayleigh = (gm.T * hess * gm)[0] / (gm.T * gm)[0]
    r_lim = sp.cancel(lim - rayleigh)
    rng = np.random.default_rng(seed)
    worst, points = -np.inf, 0
    for _ in range(3):
        inst = _instance(coeffs, rng)
        fn = _numeric_cost(f.subs(inst), theta)
        hess_num = sp.lambdify(list(theta), hess.subs(inst), "numpy")
        th = rng.uniform(-1, 1, size=dim)
        gg = agrad(fn)(th)
        if float(gg @ gg) < 1e-8:
            continue
        for eta in (0.05, 0.5):
            # L_t on a 201-point grid of the segment: a lower bound of the supremum, so the
            # check lhs <= grid max is, if anything, stricter than the corollary.
            lt = max(
                float(np.linalg.eigvalsh(np.array(hess_num(*(th - a * eta * gg)), float))[-1])
                for a in np.linspace(0.0, 1.0, 201)
            )
            lhs_n = 2 / eta * (relative_progress(fn, th, eta) + 1)
            worst = max(worst, (lhs_n - lt) / (1e-8 * max(1.0, abs(lt))))
            points += 1
    return ProofResult(
        statement=f"Corollary 1 for every C^2 f in dimension {dim}: L(theta; v) = int_0^1 "
        "v^T H(theta - s v) v ds / |v|^2 (the chain rule written out, sympy checking the "
        "algebra on a Function, and expanded for a symbolic polynomial); v^T H v <= "
        "lambda_max |v|^2 (shown for a symbolic 2x2 H, the spectral theorem in general, "
        "named); with Theorem 2 (symbolic.theorem2.*) and "
        "2 int_0^1 tau dtau = 1 these compose to (2/eta)(RP(theta^t)+1) <= L_t; "
        "lim_{tau->0} L(theta; eta tau g) = g^T H g/|g|^2 <= lambda_max (club)",
        method="chain rule on a Function of u = theta - s v (expand) and expand + integrate "
        "in s for a polynomial with symbolic coefficients; det/trace of lambda_max I - H; "
        "2 int tau dtau = 1; cancel then tau = 0 for the limit",
        residual=[
            "d/ds <v, grad f(theta - s v)> + v^T H(theta - s v) v (general f)",
            lhs - integral,
            "det(lambda_max I - H)",
            "2 int_0^1 tau dtau - 1",
            "limit",
        ],
        simplified=[r_general, r_int, r_det, w - 1, r_lim],
        spot_max_error=max(worst, 0.0),
        spot_tolerance=1.0,
        spot_points=points,
        facts={"trace(lambda_max I - H) = 2 sqrt(...) >= 0": trace_nonneg},
    )
