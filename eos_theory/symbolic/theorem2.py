r"""Theorem 2 (4.2) proved with sympy: for polynomial costs and for a general smooth cost.

.. math::

    \mathrm{RP}(\theta) = -1 + \frac{\eta}{2}\cdot 2\int_0^1 \tau\,
    L(\theta; \eta\tau\nabla f(\theta))\,d\tau

:func:`prove_theorem2_polynomial` specialises the direction lemma
(:func:`~eos_theory.symbolic.proof_kit.direction_lemma`) to :math:`u = \nabla f(\theta)` for
polynomials with symbolic coefficients; :func:`prove_theorem2_smooth` carries the chain rule
and the fundamental theorem of calculus through sympy ``Function`` objects. Each spot
checks :func:`~eos_theory.progress.relative_progress` against
:func:`~eos_theory.smoothness.theorem2_quadrature`.

Paper: Ahn, Zhang & Sra (ICML 2022), Section 4.3, Theorem 2 (4.2); Appendix A.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from eos_theory.symbolic.proof_kit import (
    ETA,
    TAU,
    ProofResult,
    _at,
    _dot,
    _instance,
    _numeric_cost,
    direction_lemma,
    generic_polynomial,
)
from eos_theory.tolerances import identity_tolerance, loss_scale, rp_roundoff


def prove_theorem2_polynomial(dim: int, degree: int, *, seed: int = 0) -> ProofResult:
    r"""Theorem 2 (4.2) for polynomial costs with symbolic coefficients.

    .. math::

        \mathrm{RP}(\theta) = -1 + \frac{\eta}{2}\cdot 2\int_0^1 \tau\,
        L(\theta; \eta\tau\nabla f(\theta))\,d\tau

    ``dim`` is the dimension of :math:`\theta` (1 to 3), ``degree`` the total degree of
    :math:`f` (up to 4), ``seed`` the seed of the spot check. Method: the direction lemma
    (:func:`direction_lemma`) as a polynomial identity, then :math:`u = \nabla f(\theta)`;
    dividing by :math:`\eta\|\nabla f\|^2 \neq 0` gives (4.2). For ``dim == 1`` the
    substitution is also expanded directly. Spot check: :func:`relative_progress` against
    :func:`theorem2_quadrature` on random numeric coefficients (slack
    ``8*eps*(|f(θ)|+|f(θ⁺)|)/(η|∇f|²) + 2*abserr + 1e-13``:
    :func:`~eos_theory.tolerances.identity_tolerance` of
    :func:`~eos_theory.tolerances.rp_roundoff` with loss scale :math:`|f|`, as in
    ``claims/examples.py``).

    >>> r = prove_theorem2_polynomial(1, 3)
    >>> r.proved, r.simplified
    (True, 0)
    """
    if not 1 <= dim <= 3 or not 0 <= degree <= 4:
        raise ValueError(f"need 1 <= dim <= 3 and 0 <= degree <= 4, got dim={dim}, degree={degree}")
    from eos_theory.progress import relative_progress
    from eos_theory.smoothness import theorem2_quadrature

    theta = sp.symbols(f"theta1:{dim + 1}", real=True)
    f, coeffs = generic_polynomial(theta, degree)
    resid, raw, remainder, u = direction_lemma(f, theta)
    facts: dict[str, object] = {"integrand polynomial in tau (remainder 0)": remainder == 0}
    if dim == 1:
        grad = [sp.diff(f, x) for x in theta]
        direct = sp.expand(raw.subs(dict(zip(u, grad, strict=True)), simultaneous=True))
        facts["direct substitution u = grad f expands to 0"] = direct == 0
    # Spot check on numeric instances (a degree-0/1 cost has RP = -1 exactly, still checked).
    rng = np.random.default_rng(seed)
    worst, points = 0.0, 0
    for _ in range(3):
        inst = _instance(coeffs, rng)
        fn = _numeric_cost(f.subs(inst), theta)
        th = rng.uniform(-1, 1, size=dim)
        eta = float(rng.uniform(0.05, 0.5))
        from autograd import grad as agrad

        g = agrad(fn)(th)
        if float(g @ g) < 1e-8:
            continue
        rp = relative_progress(fn, th, eta)
        q = theorem2_quadrature(fn, th, eta)
        rp_round = rp_roundoff(
            loss_scale(fn(th)), loss_scale(fn(th - eta * g)), eta=eta, grad_norm_sq=float(g @ g)
        )
        tol = identity_tolerance(rp_round, q.abserr)
        worst = max(worst, abs(rp - q.value) / tol)
        points += 1
    return ProofResult(
        statement=f"Theorem 2 (4.2) for every polynomial cost of degree <= {degree} in "
        f"dimension {dim} (symbolic coefficients)",
        method="direction lemma: f(θ-ηu)-f(θ)+η<u,∇f>-η²∫τ|u|²L(θ;ητu)dτ expanded as a "
        "polynomial in θ, u, η and the coefficients (τ-division exact, integral in closed "
        "form), then u = ∇f(θ)" + ("; direct substitution expanded" if dim == 1 else ""),
        residual=raw,
        simplified=resid,
        spot_max_error=float(worst),
        spot_tolerance=1.0,
        spot_points=points,
        facts=facts | {"coefficients": len(coeffs)},
    )


def prove_theorem2_smooth(dim: int = 2) -> ProofResult:
    r"""Theorem 2 for a general smooth cost, through sympy ``Function`` objects.

    .. math::

        f(\theta - \eta u) - f(\theta) = -\eta\langle u,\nabla f(\theta)\rangle
        + \eta^2\int_0^1 \tau\|u\|^2 L(\theta;\eta\tau u)\,d\tau

    ``dim`` is the dimension. Method, as far as sympy carries it: (i) with
    :math:`\varphi(\tau) = f(\theta - \eta\tau u)` sympy's chain rule gives
    :math:`\tau\|u\|^2 L(\theta;\eta\tau u) = (\langle u, \nabla f(\theta)\rangle
    + \varphi'(\tau)/\eta)/\eta` (residual cancels to 0); (ii) sympy integrates
    :math:`\int_0^1 \varphi'` to :math:`\varphi(1) - \varphi(0)` for an abstract
    :math:`\varphi` (fundamental theorem of calculus); (iii) the end points:
    :math:`\varphi(1) = f(\theta - \eta u)` and :math:`\varphi(0) = f(\theta)` (two
    residuals). Integrating (i) over :math:`[0, 1]` (linearity of the integral, not a sympy
    step) and using (ii) and (iii) gives the identity. sympy does not integrate the composite
    derivative by itself, so step (ii) is applied to the abstract function. Spot check:
    :func:`theorem2_quadrature` on :math:`\log\cosh` and tanh costs.

    >>> prove_theorem2_smooth(1).symbolic_ok
    True
    """
    from autograd import numpy as anp

    from eos_theory.progress import relative_progress
    from eos_theory.smoothness import theorem2_quadrature

    theta = sp.symbols(f"theta1:{dim + 1}", real=True)
    u = sp.symbols(f"u1:{dim + 1}", real=True)
    f = sp.Function("f")(*theta)
    grad = [sp.diff(f, x) for x in theta]
    v = [ETA * TAU * ui for ui in u]
    shifted = [x - vi for x, vi in zip(theta, v, strict=True)]
    big_l = _dot(v, [g - _at(g, theta, shifted) for g in grad]) / _dot(v, v)
    phi = _at(f, theta, shifted)
    dphi = sp.diff(phi, TAU)
    step1 = sp.cancel(sp.together(TAU * _dot(u, u) * big_l - (_dot(u, grad) + dphi / ETA) / ETA))
    abstract = sp.Function("phi")
    ftc = sp.integrate(sp.Derivative(abstract(TAU), TAU), (TAU, 0, 1))
    step2 = sp.expand(ftc - (abstract(1) - abstract(0)))
    # (iii) the end points of phi, against f evaluated where the theorem evaluates it.
    end1 = phi.subs(TAU, 1) - _at(f, theta, [x - ETA * ui for x, ui in zip(theta, u, strict=True)])
    end0 = phi.subs(TAU, 0) - f
    step3, step4 = sp.simplify(end1), sp.simplify(end0)
    worst, points = 0.0, 0
    costs = [
        lambda th: anp.sum(anp.log(anp.cosh(th))) + 0.3 * anp.tanh(anp.sum(th)) ** 2,
        lambda th: anp.tanh(anp.sum(th**2)) + 0.1 * anp.sum(th**4),
    ]
    rng = np.random.default_rng(1)
    for fn in costs:
        for _ in range(2):
            th = rng.uniform(-1.5, 1.5, size=dim)
            eta = float(rng.uniform(0.1, 1.5))
            rp = relative_progress(fn, th, eta)
            q = theorem2_quadrature(fn, th, eta)
            worst = max(worst, abs(rp - q.value) / (1e-12 + 2 * q.abserr))
            points += 1
    return ProofResult(
        statement=f"Theorem 2 / Appendix A for a general smooth f in dimension {dim}",
        method="sympy Function: chain rule for φ(τ)=f(θ-ητu) (cancel), fundamental theorem "
        "of calculus for abstract φ (integrate), end points φ(1) = f(θ-ηu), φ(0) = f(θ); "
        "composed by linearity of the integral (by hand); then u = ∇f(θ)",
        residual=[
            TAU * _dot(u, u) * big_l - (_dot(u, grad) + dphi / ETA) / ETA,
            ftc,
            end1,
            end0,
        ],
        simplified=[step1, step2, step3, step4],
        spot_max_error=float(worst),
        spot_tolerance=1.0,
        spot_points=points,
    )
