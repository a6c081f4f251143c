"""Sharpness: Hessian eigenvalues at a point and the segment maximum L_t of Corollary 1."""

from __future__ import annotations

import math

import numpy as np
from autograd import grad, hessian
from scipy.optimize import minimize_scalar

from eos_theory._validate import Cost, check_eta, check_theta, cost_value

#: Default number of equispaced points on the segment for :func:`segment_sharpness`.
SEGMENT_GRID = 257
#: Default number of grid maxima refined by Brent's method.
SEGMENT_REFINE = 3


def _hessian(f: Cost, theta: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        h = np.asarray(hessian(f)(theta), dtype=np.float64).reshape(theta.size, theta.size)
    if not np.all(np.isfinite(h)):
        raise ValueError(f"the Hessian of f is not finite at theta={theta}")
    return 0.5 * (h + h.T)


def hessian_matrix(f: Cost, theta: object) -> np.ndarray:
    r"""Dense Hessian :math:`\nabla^2 f(\theta)` by autograd, symmetrised, float64.

    >>> import autograd.numpy as anp
    >>> hessian_matrix(lambda th: th[0] ** 2 * th[1], [1.0, 2.0]).tolist()
    [[4.0, 2.0], [2.0, 0.0]]
    """
    theta = check_theta(theta)
    cost_value(f, theta)
    return _hessian(f, theta)


def hessian_eigenvalues(f: Cost, theta: object) -> np.ndarray:
    r"""All eigenvalues of :math:`\nabla^2 f(\theta)`, in ascending order.

    ``f`` is the cost and ``theta`` the point. Dense symmetric eigensolver (LAPACK ``syevd``
    through ``numpy.linalg.eigvalsh``) on the autograd Hessian, accurate to about
    :math:`\epsilon_{64}\|\nabla^2 f\|` in absolute terms.

    >>> import autograd.numpy as anp
    >>> hessian_eigenvalues(lambda th: 20 * th[0] ** 2 + th[1] ** 2, [1.0, 1.0]).tolist()
    [2.0, 40.0]
    """
    return np.linalg.eigvalsh(hessian_matrix(f, theta))


def sharpness(f: Cost, theta: object) -> float:
    r"""Sharpness: the largest algebraic eigenvalue of the Hessian.

    .. math::

        \lambda_{\max}(\nabla^2 f(\theta))

    ``f`` is the cost and ``theta`` the point :math:`\theta`. Paper: footnote 1 (Section 1.1),
    following Cohen et al. (2021). Largest *algebraic*, not largest in magnitude: on an
    indefinite Hessian the two differ.

    >>> import autograd.numpy as anp
    >>> sharpness(lambda th: th[0] ** 2 - 3 * th[1] ** 2, [0.0, 0.0])
    2.0
    """
    return float(hessian_eigenvalues(f, theta)[-1])


def segment_sharpness(
    f: Cost,
    theta: object,
    eta: float,
    *,
    grid: int = SEGMENT_GRID,
    refine: int = SEGMENT_REFINE,
) -> float:
    r"""Largest sharpness on the GD segment, :math:`L_t` of Corollary 1.

    .. math::

        L_t = \max_{s\in[0,1]} \lambda_{\max}\big(\nabla^2 f(\theta - s\eta\nabla f(\theta))\big)

    ``f``, ``theta``, ``eta`` are :math:`f`, :math:`\theta^t`, :math:`\eta`; the segment runs
    from :math:`\theta^t` to :math:`\theta^{t+1}`. Paper: Corollary 1 (Section 4.4), which
    gives :math:`(2/\eta)(\mathrm{RP}(\theta^t) + 1) \le L_t`.

    Method: :math:`\lambda_{\max}` on ``grid`` equispaced points of :math:`s \in [0, 1]`
    (default 257 = 2^8 + 1, so the endpoints and dyadic points are included and any bump of
    :math:`s \mapsto \lambda_{\max}` wider than 1/128 of the segment has a grid point
    near its top), then the ``refine`` best local maxima of the grid are refined with
    Brent's bounded method on their neighbouring grid cells (tolerance ``1e-10`` in
    :math:`s`). :math:`\lambda_{\max}(s)` is continuous and piecewise smooth (kinks only where
    the top eigenvalue crosses another), so the refined value is exact to round-off at a
    smooth maximum and to ``1e-10`` times the slope at a kink. A bump narrower than two
    grid cells can be missed: raise ``grid`` for costs whose curvature changes that fast.

    Example: on :math:`f(\theta) = \theta^4` from :math:`\theta = 1` with :math:`\eta = 3/4`
    the step lands on :math:`\theta^1 = -2`, where :math:`f'' = 12\theta^2 = 48` is largest.

    >>> import autograd.numpy as anp
    >>> round(segment_sharpness(lambda th: anp.sum(th**4), [1.0], 0.75), 6)
    48.0
    """
    eta = check_eta(eta)
    theta = check_theta(theta)
    if isinstance(grid, bool) or not isinstance(grid, int) or grid < 2:
        raise ValueError(f"grid must be an integer >= 2, got {grid!r}")
    if isinstance(refine, bool) or not isinstance(refine, int) or refine < 0:
        raise ValueError(f"refine must be a non-negative integer, got {refine!r}")
    cost_value(f, theta)
    step = eta * grad(f)(theta)
    if not np.all(np.isfinite(step)):
        raise ValueError(f"the gradient of f is not finite at theta={theta}")

    def lam(s: float) -> float:
        return float(np.linalg.eigvalsh(_hessian(f, theta - s * step))[-1])

    s_grid = np.linspace(0.0, 1.0, grid)
    values = np.array([lam(s) for s in s_grid])
    best = float(values.max())
    if refine == 0 or not np.any(step):
        return best
    padded = np.concatenate(([-np.inf], values, [-np.inf]))
    is_peak = (padded[1:-1] >= padded[:-2]) & (padded[1:-1] >= padded[2:])
    peaks = np.flatnonzero(is_peak)
    peaks = peaks[np.argsort(values[peaks])[::-1][:refine]]
    for i in map(int, peaks):
        lo, hi = s_grid[max(i - 1, 0)], s_grid[min(i + 1, grid - 1)]
        res = minimize_scalar(
            lambda s: -lam(s), bounds=(lo, hi), method="bounded", options={"xatol": 1e-10}
        )
        if math.isfinite(res.fun):
            best = max(best, -float(res.fun))
    return best
