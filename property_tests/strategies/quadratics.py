r"""Quadratic costs with a controlled spectrum (Fact 1, Example 4, the descent lemma).

:math:`f(\theta) = \tfrac12\theta^\top P\theta + q^\top\theta` with
:math:`P = Q\,\mathrm{diag}(\lambda)\,Q^\top` (family ``quadratic`` of
:mod:`eos_theory.families`). Spectra:

- ``pd``: :math:`\lambda_i > 0`, condition number :math:`\lambda_{\max}/\lambda_{\min}` in
  ``[1, max_cond]`` (log-uniform), :math:`\lambda_{\max} \in [0.5, 50]`;
- ``indefinite``: at least one eigenvalue of each sign, :math:`|\lambda_i| \in
  [\lambda_{\max}/\mathrm{max\_cond}, \lambda_{\max}]`;
- ``singular``: positive semidefinite with ``k >= 1`` exact zeros in :math:`\lambda` (so
  :math:`P` is singular up to the round-off of the rotation, about
  :math:`d\,\epsilon\,\lambda_{\max}`), the rest as in ``pd``.

``q`` is ``zero``, ``range`` (:math:`q = Pu`, in the range of :math:`P`) or ``out``
(:math:`q = Pu + s\,k` with :math:`k` a unit kernel vector and :math:`|s| \ge 0.1`,
only with ``singular``). ``rotate=False`` keeps :math:`Q = I`, so :math:`P` is exactly
diagonal and its eigenvalues are exact.

Cannot generate: dimension above ``max_dim`` (default 4); eigenvalues with
:math:`\lambda_{\max}` outside ``[0.5, 50]``; condition numbers above ``max_cond``;
repeated eigenvalues other than by chance; "nearly singular" spectra between
:math:`\lambda_{\max}/\mathrm{max\_cond}` and exact zero; a nonzero constant ``r``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

from eos_theory.families import Case, rotation, spectral_matrix
from property_tests.strategies.points import draw_eta, draw_seed, draw_theta

SPECTRA = ("pd", "indefinite", "singular")


@dataclass(frozen=True)
class QuadraticDraw:
    r"""A drawn quadratic case with its exact spectral data.

    ``case`` is the :class:`~eos_theory.families.Case`; ``eigenvalues`` the requested
    :math:`\lambda` (exact), ``basis`` the columns :math:`Q` (eigenvectors, same order),
    ``p`` and ``q`` the matrix and vector as built, ``spectrum`` and ``q_kind`` the request.
    """

    case: Case
    eigenvalues: np.ndarray
    basis: np.ndarray
    p: np.ndarray
    q: np.ndarray
    spectrum: str
    q_kind: str


def draw_spectrum(
    data: st.DataObject, spectrum: str, dim: int, *, max_cond: float = 1e3
) -> np.ndarray:
    """Eigenvalues for ``spectrum`` in ``pd``, ``indefinite``, ``singular`` (labelled draws)."""
    if spectrum not in SPECTRA:
        raise ValueError(f"spectrum must be one of {SPECTRA}, got {spectrum!r}")
    lam_max = data.draw(st.floats(0.5, 50.0), label="lambda_max")
    log_cond = data.draw(st.floats(0.0, float(np.log10(max_cond))), label="log10 condition")
    lam_min = lam_max / 10.0**log_cond
    rng = np.random.default_rng(draw_seed(data, "spectrum seed"))
    mags = np.exp(rng.uniform(np.log(lam_min), np.log(lam_max), size=dim))
    mags[0], mags[-1] = lam_max, lam_min
    if spectrum == "pd":
        lam = mags
    elif spectrum == "indefinite":
        if dim < 2:
            raise ValueError("an indefinite spectrum needs dim >= 2")
        n_neg = data.draw(st.integers(1, dim - 1), label="negative eigenvalues")
        signs = np.ones(dim)
        signs[dim - n_neg :] = -1.0
        lam = mags * signs
    else:
        if dim < 2:
            raise ValueError("a singular spectrum needs dim >= 2 (one zero, one positive)")
        n_zero = data.draw(st.integers(1, dim - 1), label="zero eigenvalues")
        lam = mags.copy()
        lam[dim - n_zero :] = 0.0
    return lam


def draw_quadratic(
    data: st.DataObject,
    *,
    spectrum: str = "pd",
    q_kind: str = "zero",
    regime: str = "stable",
    dims: tuple[int, int] = (1, 4),
    max_cond: float = 1e3,
    rotate: bool = True,
    theta_scale: float = 2.0,
) -> QuadraticDraw:
    r"""A quadratic with the requested spectrum, a point and a step size in ``regime``.

    The regime is relative to :math:`\lambda_{\max}(P)` (:func:`draw_eta`); ``dims`` bounds
    the dimension (at least 2 for ``indefinite`` and ``singular``).
    """
    if q_kind == "out" and spectrum != "singular":
        raise ValueError("q out of range(P) needs a singular spectrum")
    low = max(dims[0], 2) if spectrum != "pd" else dims[0]
    dim = data.draw(st.integers(low, max(low, dims[1])), label="dim")
    lam = draw_spectrum(data, spectrum, dim, max_cond=max_cond)
    seed = draw_seed(data, "rotation seed") if rotate else None
    basis = np.eye(dim) if seed is None else rotation(dim, seed)
    params = {"eigenvalues": lam.tolist(), "rotation_seed": seed}
    p = spectral_matrix(lam, seed)
    if q_kind == "zero":
        q = np.zeros(dim)
    else:
        rng = np.random.default_rng(draw_seed(data, "q seed"))
        q = p @ rng.standard_normal(dim)
        if q_kind == "out":
            kernel = basis[:, lam == 0.0]
            s = data.draw(st.floats(0.1, 2.0), label="kernel component of q")
            q = q + s * kernel[:, 0]
        elif q_kind != "range":
            raise ValueError(f"q_kind must be zero, range or out, got {q_kind!r}")
    params["q"] = q.tolist()
    theta = draw_theta(data, dim, scale=theta_scale)
    eta = draw_eta(data, float(lam.max()), regime)
    case = Case("quadratic", params, tuple(theta), eta, note=f"{spectrum}, q {q_kind}, {regime}")
    return QuadraticDraw(case, lam, basis, p, q, spectrum, q_kind)
