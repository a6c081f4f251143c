r"""The SGD identity of Section 5 / Appendix A proved with sympy (uniform minibatches).

.. math::

    \frac{\mathbb E f(\theta - \eta g) - f(\theta)}{\eta\|\nabla f(\theta)\|^2}
    = -1 + \frac{\eta}{2}\cdot 2\int_0^1 \tau\,\mathbb E_g\Big[\frac{\|g\|^2
    L(\theta;\eta\tau g)}{\|\nabla f(\theta)\|^2}\Big] d\tau,
    \qquad \mathbb E[g] = \nabla f(\theta).

:func:`prove_sgd_identity` averages the direction lemma over every minibatch of a finite
sum of symbolic polynomials; its spot check compares
:func:`~eos_theory.sgd.expected_relative_progress` with
:func:`~eos_theory.sgd.sgd_identity_quadrature`.

Paper: Ahn, Zhang & Sra (ICML 2022), Section 5 (identity before (5.1)); Appendix A,
"Derivation for the SGD case".
"""

from __future__ import annotations

import itertools

import numpy as np
import sympy as sp

from eos_theory.symbolic.proof_kit import (
    ETA,
    ProofResult,
    _dot,
    _instance,
    _numeric_cost,
    direction_lemma,
    generic_polynomial,
)
from eos_theory.tolerances import identity_tolerance, loss_scale, rp_roundoff


def prove_sgd_identity(n: int = 3, dim: int = 2, degree: int = 3, *, seed: int = 0) -> ProofResult:
    r"""The SGD identity of Section 5 / Appendix A under uniform minibatch sampling.

    .. math::

        \frac{\mathbb E f(\theta - \eta g) - f(\theta)}{\eta\|\nabla f(\theta)\|^2}
        = -1 + \frac{\eta}{2}\cdot 2\int_0^1 \tau\,\mathbb E_g\Big[\frac{\|g\|^2
        L(\theta;\eta\tau g)}{\|\nabla f(\theta)\|^2}\Big] d\tau,
        \qquad \mathbb E[g] = \nabla f(\theta),

    for :math:`f = \frac1n\sum_i f_i` with symbolic per-example polynomials :math:`f_i`
    (``n`` of them, dimension ``dim``, degree ``degree``) and :math:`g = \frac1b\sum_{i\in B}
    \nabla f_i` for :math:`B` uniform among the :math:`b`-subsets, every :math:`b = 1..n`.
    Method: :math:`\mathbb E[g] - \nabla f` expanded to 0 for each :math:`b`; the direction
    lemma (every :math:`u`, hence every :math:`g_B`) averaged over the subsets; the residual
    of the identity times :math:`\eta\|\nabla f\|^2` is then
    :math:`\eta(\mathbb E\langle g,\nabla f\rangle - \|\nabla f\|^2)`, expanded to 0. Also a
    direct expansion of the whole identity with exact random Rational coefficients and
    symbolic :math:`\theta, \eta`. Spot check: :func:`expected_relative_progress` against
    :func:`sgd_identity_quadrature` (slack :func:`~eos_theory.tolerances.identity_tolerance`
    of :func:`~eos_theory.tolerances.rp_roundoff` with loss scale :math:`|f|`, the worst
    minibatch step after, as in ``claims/examples.py``).

    >>> prove_sgd_identity(2, 1, 2).proved
    True
    """
    from autograd import grad as agrad

    from eos_theory.sgd import (
        expected_relative_progress,
        mean_cost,
        minibatch_gradients,
        sgd_identity_quadrature,
    )

    theta = sp.symbols(f"theta1:{dim + 1}", real=True)
    fs, coeff_sets = [], []
    for i in range(n):
        fi, ci = generic_polynomial(theta, degree, name=f"a{i}_")
        fs.append(fi)
        coeff_sets.append(ci)
    f = sp.Add(*fs) / n
    grads = [[sp.diff(fi, x) for x in theta] for fi in fs]
    full = [sp.diff(f, x) for x in theta]
    residuals, simplified = [], []
    for b in range(1, n + 1):
        subsets = list(itertools.combinations(range(n), b))
        gbs = [[sp.Add(*[grads[i][k] for i in sub]) / b for k in range(dim)] for sub in subsets]
        mean_g = [sp.Add(*[gb[k] for gb in gbs]) / len(subsets) for k in range(dim)]
        unbiased = [sp.expand(m - fk) for m, fk in zip(mean_g, full, strict=True)]
        inner = sp.Add(*[_dot(gb, full) for gb in gbs]) / len(subsets) - _dot(full, full)
        residuals += [m - fk for m, fk in zip(mean_g, full, strict=True)] + [inner]
        simplified += [*unbiased, sp.expand(inner)]
    lemma, _raw, remainder, _u = direction_lemma(
        generic_polynomial(theta, degree, name="m")[0], theta
    )
    residuals.append(lemma)
    simplified.append(lemma)
    # Direct: exact random rational instance, all subsets, whole identity expanded.
    rng = np.random.default_rng(seed)
    inst: dict[sp.Symbol, sp.Rational] = {}
    for cs in coeff_sets:
        inst |= _instance(cs, rng)
    fs_num = [fi.subs(inst) for fi in fs]
    f_num = sp.Add(*fs_num) / n
    g_full = [sp.diff(f_num, x) for x in theta]
    b = max(1, n - 1)
    subsets = list(itertools.combinations(range(n), b))
    total = 0
    for sub in subsets:
        gb = [sp.Add(*[sp.diff(fs_num[i], x) for i in sub]) / b for x in theta]
        r_b, _, _, u = direction_lemma(f_num, theta)
        total += r_b.subs(dict(zip(u, gb, strict=True)), simultaneous=True)
    inner_num = sp.Add(
        *[
            _dot([sp.Add(*[sp.diff(fs_num[i], x) for i in sub]) / b for x in theta], g_full)
            for sub in subsets
        ]
    )
    # E[LHS numerator] - RHS numerator = mean_B R_B - eta (E<g, grad f> - |grad f|^2)
    direct = sp.expand(
        total / len(subsets) - ETA * (inner_num / len(subsets) - _dot(g_full, g_full))
    )
    residuals.append(direct)
    simplified.append(direct)
    # Spot check.
    worst, points = 0.0, 0
    num_costs = [_numeric_cost(fi, theta) for fi in fs_num]
    th = rng.uniform(-1, 1, size=dim)
    fm = mean_cost(num_costs)
    g = agrad(fm)(th)
    for bb in range(1, n + 1):
        for eta in (0.1, 0.7):
            lhs = expected_relative_progress(num_costs, th, eta, bb)
            q = sgd_identity_quadrature(num_costs, th, eta, bb)
            batch_grads = minibatch_gradients(num_costs, th, bb)
            after = max(loss_scale(fm(th - eta * gb)) for gb in batch_grads)
            rp_round = rp_roundoff(loss_scale(fm(th)), after, eta=eta, grad_norm_sq=float(g @ g))
            tol = identity_tolerance(rp_round, q.abserr)
            worst = max(worst, abs(lhs - q.value) / tol)
            points += 1
    return ProofResult(
        statement=f"Section 5 SGD identity and E[g] = ∇f for n={n} symbolic per-example "
        f"polynomials (dim {dim}, degree {degree}), uniform minibatches without replacement, "
        f"every batch size 1..{n}",
        method="expand E[g]-∇f and E<g,∇f>-|∇f|² over all C(n,b) subsets; direction lemma "
        "(polynomial identity in u) averaged over subsets; direct expansion on an exact "
        "Rational instance",
        residual=residuals,
        simplified=simplified,
        spot_max_error=float(worst),
        spot_tolerance=1.0,
        spot_points=points,
        facts={"integrand polynomial in tau": remainder == 0},
    )
