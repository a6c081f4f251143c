r"""Definition 2 at :math:`v = \eta\nabla f` and relation (4.1) proved with sympy.

.. math::

    L(\theta;\eta\nabla f) = \frac{\langle\nabla f, \nabla f - \nabla f(\theta - \eta\nabla
    f)\rangle}{\eta\|\nabla f\|^2}, \qquad \langle\nabla f(\theta), \nabla f(\theta^+)\rangle
    = -\|\nabla f\|^2 \Rightarrow L = 2/\eta

(:func:`prove_relation41`).

Paper: Ahn, Zhang & Sra (ICML 2022), Section 4.2, Definition 2 and (4.1).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from eos_theory.symbolic.proof_kit import ETA, ProofResult


def prove_relation41() -> ProofResult:
    r"""Definition 2 at :math:`v = \eta\nabla f` and relation (4.1) under exact oscillation.

    .. math::

        L(\theta;\eta\nabla f) = \frac{\langle\nabla f, \nabla f - \nabla f(\theta - \eta\nabla
        f)\rangle}{\eta\|\nabla f\|^2}, \qquad \langle\nabla f(\theta), \nabla f(\theta^+)\rangle
        = -\|\nabla f\|^2 \Rightarrow L = 2/\eta.

    Method: with symbolic gradients :math:`g, g^+` (any dimension 3 vectors), ``cancel`` of
    the difference of the two forms, and of :math:`L - 2/\eta` after substituting
    :math:`g^+ = -g + w` with :math:`\langle g, w\rangle = 0` (the general solution of the
    oscillation condition). Spot check: float64 L at ten seeded oscillating pairs
    (relative slack ``1e-12``).

    >>> prove_relation41().proved
    True
    """
    g = sp.Matrix(sp.symbols("g1:4", real=True))
    gp = sp.Matrix(sp.symbols("h1:4", real=True))
    v = ETA * g
    l_def = (v.T * (g - gp))[0] / (v.T * v)[0]
    l_printed = (g.T * (g - gp))[0] / (ETA * (g.T * g)[0])
    r1 = sp.cancel(l_def - l_printed)
    # general g+ with <g, g+> = -|g|^2: g+ = -g + w, w orthogonal to g (w = a x g, cross product)
    a = sp.Matrix(sp.symbols("a1:4", real=True))
    w = a.cross(g)
    r2 = sp.cancel(l_def.subs(dict(zip(gp, -g + w, strict=True)), simultaneous=True) - 2 / ETA)
    rng = np.random.default_rng(2)
    worst = 0.0
    for _ in range(10):
        gn, an = rng.standard_normal(3), rng.standard_normal(3)
        eta = float(rng.uniform(0.01, 2.0))
        gpn = -gn + np.cross(an, gn)
        val = float((eta * gn) @ (gn - gpn)) / float((eta * gn) @ (eta * gn))
        worst = max(worst, abs(val - 2 / eta) / (2 / eta))
    return ProofResult(
        statement="L(theta; eta grad f) = <grad f, grad f - grad f(theta^+)>/(eta |grad f|^2), "
        "and = 2/eta exactly when <grad f(theta), grad f(theta^+)> = -|grad f(theta)|^2",
        method="cancel with symbolic gradient vectors; oscillation condition parametrised by "
        "g+ = -g + a x g",
        residual=[l_def - l_printed, "L - 2/eta under oscillation"],
        simplified=[r1, r2],
        spot_max_error=worst,
        spot_tolerance=1e-12,
        spot_points=10,
    )
