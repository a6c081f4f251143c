r"""Example 4 proved with sympy: the period-two orbit at :math:`\eta = 2/\lambda_{\max}`.

.. math::

    \eta = 2/\lambda_{\max}:\quad \theta^{1} = -\theta \ \text{on}\ q_{\max},\qquad
    L(\theta;\eta\nabla f) = 2/\eta,\qquad \mathrm{RP}(\theta) = 0,

for :math:`f = \frac12\theta^\top P\theta` (:func:`prove_example4`), with the printed
normalization :math:`f = \theta^\top P\theta` recorded beside it.

Paper: Ahn, Zhang & Sra (ICML 2022), Section 4.2, Example 4 and (4.1).
"""

from __future__ import annotations

import sympy as sp

from eos_theory.symbolic.proof_kit import ProofResult


def _rotation2(s: sp.Expr) -> tuple[sp.Matrix, sp.Matrix]:
    """Unit eigenvectors (cos, sin) and (-sin, cos) with the rational parametrisation in s."""
    c = (1 - s**2) / (1 + s**2)
    si = 2 * s / (1 + s**2)
    return sp.Matrix([c, si]), sp.Matrix([-si, c])


def prove_example4() -> ProofResult:
    r"""Example 4 with the normalization :math:`f = \frac12\theta^\top P\theta` (and as printed).

    .. math::

        \eta = 2/\lambda_{\max}:\quad \theta = c\,q_{\max} + d\,n \ (Pn = 0)
        \Rightarrow \theta^{1} = -c\,q_{\max} + d\,n,\quad L(\theta;\eta\nabla f) = 2/\eta,
        \quad \mathrm{RP}(\theta) = 0 \ (d = 0).

    :math:`P = \lambda q_{\max}q_{\max}^\top + \mu\,q_2q_2^\top` in 2-D with the eigenvectors
    rationally parametrised by a symbol :math:`s` (exact unit vectors). Method: ``cancel`` of
    the one-step map on the orbit (:math:`\mu` arbitrary, :math:`d = 0`), and on
    :math:`\mu = 0` with a null-space component :math:`d` (the component persists, so the
    orbit claim needs the other eigenvalues in :math:`(0, 2/\eta)`), and of
    :math:`L - 2/\eta`. The printed :math:`f = \theta^\top P\theta` has gradient
    :math:`2P\theta`: its GD multiplier on :math:`q_{\max}` at :math:`\eta = 2/\lambda` is
    :math:`-3` (divergence) and :math:`L = 4/\eta`; both recorded in ``facts``. Spot check:
    the numeric :func:`directional_smoothness` and :func:`relative_progress` on a seeded
    3-D instance.

    The eigenvectors are exact unit vectors for every ``s``:

    >>> q1, q2 = _rotation2(sp.Symbol("s", real=True))
    >>> sp.cancel((q1.T * q1)[0]), sp.cancel((q1.T * q2)[0])
    (1, 0)
    """
    from autograd import grad as agrad

    from eos_theory.families import rotation, spectral_matrix
    from eos_theory.problems import quadratic
    from eos_theory.progress import relative_progress
    from eos_theory.smoothness import directional_smoothness

    s = sp.Symbol("s", real=True)
    lam = sp.Symbol("lambda", positive=True)
    mu = sp.Symbol("mu", real=True)
    c, d = sp.symbols("c d", real=True)
    q1, q2 = _rotation2(s)
    p = lam * q1 * q1.T + mu * q2 * q2.T
    eta = 2 / lam
    th = c * q1

    def one_step(pm: sp.Matrix, theta: sp.Matrix, scale: int = 1) -> sp.Matrix:
        return theta - eta * scale * pm * theta

    def big_l(pm: sp.Matrix, theta: sp.Matrix, scale: int = 1) -> sp.Expr:
        v = eta * scale * pm * theta  # eta * grad f
        g_new = scale * pm * (theta - v)
        return (v.T * (scale * pm * theta - g_new))[0] / (v.T * v)[0]

    def f_half(pm: sp.Matrix, theta: sp.Matrix) -> sp.Expr:
        return (theta.T * pm * theta)[0] / 2

    r_flip = [sp.cancel(e) for e in one_step(p, th) + th]
    r_l = sp.cancel(big_l(p, th) - 2 / eta)
    rp = (f_half(p, one_step(p, th)) - f_half(p, th)) / (eta * ((p * th).T * (p * th))[0])
    r_rp = sp.cancel(rp)
    p0 = lam * q1 * q1.T  # mu = 0: q2 spans the null space
    th_n = c * q1 + d * q2
    r_null_step = [sp.cancel(e) for e in one_step(p0, th_n) - (-c * q1 + d * q2)]
    r_null_l = sp.cancel(big_l(p0, th_n) - 2 / eta)
    # printed normalization f = theta^T P theta: gradient 2 P theta
    printed_mult = sp.cancel((q1.T * one_step(p, th, scale=2))[0] / c)
    printed_l = sp.cancel(big_l(p, th, scale=2) * eta)
    qm = rotation(3, 4)
    fq = quadratic(spectral_matrix([3.0, 1.0, 0.0], 4))
    eta_n = 2 / 3
    worst = 0.0
    for cc in (0.7, -1.3):
        thn = cc * qm[:, 0]
        g = agrad(fq)(thn)
        worst = max(worst, abs(directional_smoothness(fq, thn, eta_n * g) - 3.0) / 3.0)
        worst = max(worst, abs(relative_progress(fq, thn, eta_n)))
    return ProofResult(
        statement="Example 4 with f = 1/2 theta^T P theta and eta = 2/lambda_max: theta^1 = -theta "
        "on the top eigenvector, L(theta; eta grad f) = 2/eta, RP = 0; a null-space component "
        "persists (L still 2/eta)",
        method="rationally parametrised eigenvectors; cancel of each residual",
        residual=["theta^1 + theta", "L - 2/eta", "RP", "null-space step", "null-space L"],
        simplified=[*r_flip, r_l, r_rp, *r_null_step, r_null_l],
        spot_max_error=worst,
        spot_tolerance=1e-12,
        spot_points=2,
        facts={
            "printed f=θᵀPθ: GD multiplier on q_max at eta=2/lambda": str(printed_mult),
            "printed f=θᵀPθ: eta*L on the orbit": str(printed_l),
            "printed normalization differs": printed_mult == -3 and printed_l == 4,
        },
    )
