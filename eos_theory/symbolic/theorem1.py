r"""The spectral step of Theorem 1's proof and Assumption 1's condition, proved with sympy.

.. math::

    \lambda_{\min} < 0 \ \text{or}\ \lambda_{\max} > 2/\eta \Rightarrow
    \exists\,|1 - \eta\lambda| > 1, \qquad \det(I - \eta H) = \eta^d\chi_H(1/\eta)

(:func:`prove_theorem1_spectrum`).

Paper: Ahn, Zhang & Sra (ICML 2022), Section 2, Theorem 1 (proof) and Assumption 1.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from eos_theory.symbolic.proof_kit import ETA, ProofResult


def prove_theorem1_spectrum() -> ProofResult:
    r"""The spectral step of Theorem 1's proof and Assumption 1's invertibility condition.

    .. math::

        \lambda_{\min} < 0 \ \text{or}\ \lambda_{\max} > 2/\eta \Rightarrow
        \exists\,|1 - \eta\lambda| > 1, \qquad \det(I - \eta H) = \eta^d\chi_H(1/\eta).

    Method: ``solveset`` of :math:`(1-\eta\lambda)^2 > 1` (via :math:`x = \eta\lambda`), and
    ``expand`` of :math:`\det(I - \eta H) - \eta^3\chi_H(1/\eta)` for a symbolic symmetric
    3x3 :math:`H`, so :math:`DF(p)` is invertible iff :math:`1/\eta` is not an eigenvalue.
    Spot check: eigenvalues of :math:`I - \eta H` for seeded random :math:`H` (numpy).

    >>> prove_theorem1_spectrum().proved
    True
    """
    x = sp.Symbol("x", real=True)
    grow = sp.solveset((1 - x) ** 2 > 1, x, sp.S.Reals)
    expected = sp.Union(sp.Interval.open(-sp.oo, 0), sp.Interval.open(2, sp.oo))
    hm = sp.Matrix(3, 3, lambda i, j: sp.Symbol(f"h{min(i, j)}{max(i, j)}", real=True))
    lam = sp.Symbol("lambda")
    chi = hm.charpoly(lam).as_expr()
    r_det = sp.expand((sp.eye(3) - ETA * hm).det() - ETA**3 * chi.subs(lam, 1 / ETA))
    rng = np.random.default_rng(0)
    mismatch = 0
    for _ in range(50):
        a = rng.standard_normal((3, 3))
        h = (a + a.T) / 2
        eta = float(rng.uniform(0.1, 2.0))
        ev = np.linalg.eigvalsh(h)
        cond = ev.min() < 0 or ev.max() > 2 / eta
        unstable = bool(np.abs(np.linalg.eigvals(np.eye(3) - eta * h)).max() > 1)
        mismatch += int(cond != unstable)
    return ProofResult(
        statement="Theorem 1 proof: lambda_min < 0 or lambda_max > 2/eta iff I - eta H has an "
        "eigenvalue of modulus > 1; Assumption 1: DF(p) invertible iff 1/eta is not an eigenvalue",
        method="solveset in x = eta*lambda; expand det(I - eta H) - eta^3 chi_H(1/eta)",
        residual=[sp.Complement(grow, expected), "det(I - eta H) - eta^3 chi_H(1/eta)"],
        simplified=[sp.Integer(0) if grow == expected else grow, r_det],
        spot_max_error=float(mismatch),
        spot_tolerance=0.0,
        spot_points=50,
    )
