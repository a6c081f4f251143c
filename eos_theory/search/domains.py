r"""The input domains of ``eos search``: Hypothesis draws and differential-evolution boxes.

Each ``_draw_*`` builds a :class:`eos_theory.families.Case` from ``data.draw(strategy,
label=...)`` calls (Hypothesis is a test extra, imported inside the draws); each
``_vector_*`` maps a point of the matching ``*_BOUNDS`` box to a case for
``scipy.optimize.differential_evolution``. Steps are set relative to the sharpness,
:math:`\eta = 2c/\lambda_{\max}`, so ``c`` is :math:`\eta\lambda_{\max}/2`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from eos_theory.families import Case
from eos_theory.sharpness import sharpness


def _poly_terms(coefs: list[float], dim: int) -> list[list[Any]]:
    """Monomials of degree 1..4 in ``dim`` <= 2 variables, in a fixed order, with ``coefs``."""
    exps = [[i, j][:dim] for i in range(5) for j in range(5 if dim == 2 else 1) if 1 <= i + j <= 4]
    return [[float(c), e] for c, e in zip(coefs, exps, strict=False)]


def _n_monomials(dim: int) -> int:
    return 4 if dim == 1 else 14


def _step_for(case: Case, c: float) -> float:
    r""":math:`\eta = 2c/\max(\lambda_{\max}(\theta), 0.5)`: at most :math:`4c` on flat points."""
    with np.errstate(all="ignore"):
        lam = sharpness(case.cost, case.theta_array)
    return 2.0 * float(c) / max(float(lam), 0.5)


def _draw_single(data: Any, *, c_range: tuple[float, float] = (0.05, 3.0)) -> Case:
    """A polynomial (1-2 variables), flattened (1-2 variables) or network case."""
    from hypothesis import strategies as st

    fl = st.floats
    family = data.draw(st.sampled_from(["polynomial", "flattened", "network"]), label="family")
    if family == "polynomial":
        dim = data.draw(st.integers(1, 2), label="dim")
        k = _n_monomials(dim)
        coefs = data.draw(st.lists(fl(-2, 2), min_size=k, max_size=k), label="coefficients")
        params: dict[str, Any] = {"terms": _poly_terms(coefs, dim)}
    elif family == "flattened":
        dim = data.draw(st.integers(1, 2), label="dim")
        eig = data.draw(st.lists(fl(0.1, 50), min_size=dim, max_size=dim), label="eigenvalues")
        params = {
            "outer": data.draw(st.sampled_from(["tanh", "log1p", "rational"]), label="outer"),
            "eigenvalues": eig,
            "rotation_seed": data.draw(st.integers(0, 9), label="rotation seed"),
            "center": [0.0] * dim,
        }
    else:
        params = {
            "activation": data.draw(st.sampled_from(["tanh", "softplus"]), label="activation"),
            "width": 2,
            "n_inputs": 1,
            "n_points": 3,
            "data_seed": data.draw(st.integers(0, 9), label="data seed"),
        }
        dim = 4
    theta = data.draw(st.lists(fl(-2, 2), min_size=dim, max_size=dim), label="theta")
    case = Case(family, params, theta, 1.0)
    c = data.draw(fl(*c_range), label="eta * lambda_max / 2")
    return Case(family, params, theta, _step_for(case, c), note=f"c={float(c)!r}")


def _vector_single(x: np.ndarray) -> Case:
    """DE box for single costs: 1-D quartic polynomial coefficients, theta and c."""
    coefs, theta, c = x[:4], x[4], x[5]
    case = Case("polynomial", {"terms": _poly_terms(list(coefs), 1)}, (theta,), 1.0)
    return Case(case.family, case.params, case.theta, _step_for(case, c), note=f"c={float(c)!r}")


_SINGLE_BOUNDS = [(-2.0, 2.0)] * 4 + [(-2.0, 2.0), (0.05, 3.0)]


def _draw_finite_poly(data: Any) -> Case:
    """Finite sum of 2-3 one-variable quartics, batch size 1..n-1, eta relative to f."""
    from hypothesis import strategies as st

    n = data.draw(st.integers(2, 3), label="examples n")
    terms_list = [
        _poly_terms(
            data.draw(st.lists(st.floats(-2, 2), min_size=4, max_size=4), label=f"f_{i} coefs"), 1
        )
        for i in range(n)
    ]
    b = data.draw(st.integers(1, n - 1), label="batch size")
    theta = (data.draw(st.floats(-2, 2), label="theta"),)
    params = {"kind": "polynomial", "terms_list": terms_list, "batch_size": b}
    case = Case("finite_sum", params, theta, 1.0)
    c = data.draw(st.floats(0.05, 3.0), label="eta * lambda_max / 2")
    return Case("finite_sum", params, theta, _step_for(case, c), note=f"c={float(c)!r}")


def _vector_finite_poly(x: np.ndarray) -> Case:
    """DE box: two one-variable quartics (8 coefficients), theta, c; batch size 1."""
    params = {
        "kind": "polynomial",
        "terms_list": [_poly_terms(list(x[:4]), 1), _poly_terms(list(x[4:8]), 1)],
        "batch_size": 1,
    }
    case = Case("finite_sum", params, (x[8],), 1.0)
    return Case("finite_sum", params, case.theta, _step_for(case, x[9]), note=f"c={float(x[9])!r}")


_FINITE_POLY_BOUNDS = [(-2.0, 2.0)] * 8 + [(-2.0, 2.0), (0.05, 3.0)]


def _noise_case(
    centers: list[list[float]], lam: list[float], offset: list[float], c: float, batch: int
) -> Case:
    """Finite sum of quadratics with one Hessian; theta = mean center + offset; stable eta."""
    params = {
        "kind": "quadratic",
        "eigenvalues": lam,
        "rotation_seed": 0,
        "centers": centers,
        "batch_size": batch,
    }
    theta = np.mean(np.asarray(centers), axis=0) + np.asarray(offset)
    return Case("finite_sum", params, theta, 2.0 * c / max(lam), note=f"c={float(c)!r}")


def _draw_noise(data: Any) -> Case:
    """Noise-only finite sums: same Hessian P for every example, different centers."""
    from hypothesis import strategies as st

    dim = data.draw(st.integers(1, 2), label="dim")
    n = data.draw(st.integers(2, 4), label="examples n")
    lam = data.draw(st.lists(st.floats(0.1, 10), min_size=dim, max_size=dim), label="eig P")
    centers = data.draw(
        st.lists(st.lists(st.floats(-1, 1), min_size=dim, max_size=dim), min_size=n, max_size=n),
        label="centers",
    )
    offset = data.draw(st.lists(st.floats(0.05, 1), min_size=dim, max_size=dim), label="offset")
    c = data.draw(st.floats(0.05, 0.95), label="eta * lambda_max / 2")
    b = data.draw(st.integers(1, n - 1), label="batch size")
    return _noise_case(centers, lam, offset, c, b)


def _vector_noise(x: np.ndarray) -> Case:
    """DE box: 1-D, two centers, lambda, offset, c; batch size 1."""
    return _noise_case([[x[0]], [x[1]]], [x[2]], [x[3]], x[4], 1)


_NOISE_BOUNDS = [(-1.0, 1.0), (-1.0, 1.0), (0.1, 10.0), (0.05, 1.0), (0.05, 0.95)]


def _draw_planted(data: Any) -> Case:
    """PD quadratics in 2-3 dimensions with eta * lambda_max / 2 in [0.5, 1.05]."""
    from hypothesis import strategies as st

    dim = data.draw(st.integers(2, 3), label="dim")
    lam = data.draw(st.lists(st.floats(0.5, 10), min_size=dim, max_size=dim), label="eig P")
    theta = data.draw(st.lists(st.floats(-2, 2), min_size=dim, max_size=dim), label="theta")
    c = data.draw(st.floats(0.5, 1.05), label="eta * lambda_max / 2")
    params = {"eigenvalues": lam, "rotation_seed": 0}
    return Case("quadratic", params, theta, 2.0 * c / max(lam), note=f"c={float(c)!r}")
