r"""Small statistics of run logs that the checks (and figures) decide and report with.

Second half of a run, sign changes, quantiles and rounding of reported numbers; the RP
that float round-off can produce (through :mod:`eos_theory.tolerances`); the error of
(4.3); and the τ-grid rows of Experiment 5 with their per-row statistics.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from eos_empirical.runlog import F, RunLog
from eos_theory.tolerances import EPS, LOG_K, loss_scale, rp_roundoff


def second_half(x: np.ndarray) -> np.ndarray:
    """The entries from the middle of the run on, finite ones only.

    >>> second_half(np.array([1.0, 2.0, np.nan, 4.0]))
    array([4.])
    """
    tail = x[len(x) // 2 :]
    return tail[np.isfinite(tail)]


def median_or_nan(x: np.ndarray) -> float:
    """The median of ``x``, NaN when it is empty.

    >>> median_or_nan(np.array([3.0, 1.0, 2.0])), median_or_nan(np.array([]))
    (2.0, nan)
    """
    return float(np.median(x)) if x.size else math.nan


def sign_change_rate(x: np.ndarray) -> float:
    """Fraction of consecutive pairs of nonzero finite entries with opposite signs.

    >>> sign_change_rate(np.array([1.0, -1.0, 1.0, 1.0]))
    0.6666666666666666
    """
    s = np.sign(x[np.isfinite(x)])
    s = s[s != 0]
    if s.size < 2:
        return 0.0
    return float(np.mean(s[1:] != s[:-1]))


def quantile(x: np.ndarray, q: float) -> float:
    """The ``q`` quantile of the finite entries of ``x``, NaN when there are none.

    >>> quantile(np.array([1.0, np.nan, 3.0]), 0.5)
    2.0
    """
    x = x[np.isfinite(x)]
    return float(np.quantile(x, q)) if x.size else math.nan


def round_sig(x: float, digits: int = 4) -> float:
    """``x`` rounded to ``digits`` significant digits, for reporting (non-finite kept).

    >>> round_sig(0.0123456), round_sig(1234.5678, 3)
    (0.01235, 1230.0)
    """
    return float(f"{x:.{digits}g}") if math.isfinite(x) else x


def loss_scales(f: np.ndarray) -> np.ndarray:
    r"""Per row, the scale :math:`|f_t|` of the logged loss (:func:`eos_theory.tolerances.loss_scale`).

    The logs record no :math:`\theta`, so the scale is the loss alone.
    """  # noqa: E501
    return np.vectorize(loss_scale, otypes=[np.float64])(f)


def roundoff_rp(run: RunLog) -> np.ndarray:
    r"""Per step, the size of RP that float round-off of the two losses can produce.

    .. math::

        \frac{k\epsilon(|f_t| + |f_{t+1}|)}{\eta\|\nabla f(\theta^t)\|^2}

    (:func:`eos_theory.tolerances.rp_roundoff`) with :math:`k` =
    :data:`~eos_theory.tolerances.LOG_K` and :math:`\epsilon` the machine epsilon of the
    run's dtype (:math:`f_{t+1}` is the next row's loss, or :math:`f_t` on the last row).
    """
    scale = loss_scales(run.col(F.LOSS))
    scale_next = np.append(scale[1:], scale[-1:]) if scale.size else scale
    gn = run.col(F.GRAD_NORM)
    with np.errstate(all="ignore"):
        return rp_roundoff(
            scale, scale_next, eta=run.eta, grad_norm_sq=gn**2, eps=EPS[run.dtype], k=LOG_K
        )


def loss_increases(run: RunLog) -> int:
    r"""Steps where the loss increases beyond round-off: :math:`f_{t+1} > f_t + k\epsilon|f_t|`.

    :math:`k` = :data:`~eos_theory.tolerances.LOG_K`, :math:`\epsilon` the machine epsilon of
    the run's dtype.
    """
    f = run.col(F.LOSS)
    return int(np.sum(f[1:] > f[:-1] + LOG_K * EPS[run.dtype] * loss_scales(f[:-1])))


def loss_excursion(loss: np.ndarray) -> tuple[float, int | None]:
    """The largest loss over the initial one, and the first step at which the loss, having
    fallen below its initial value, returns above it (``None`` if it never does).

    Reported beside "diverged" (loss above ``blowup`` x initial): a run can climb back
    above its start and fall again without meeting the divergence criterion.

    >>> loss_excursion(np.array([2.0, 1.5, 2.2, 1.0]))
    (1.1, 2)
    >>> loss_excursion(np.array([2.0, 1.0, 0.5]))
    (1.0, None)
    """  # noqa: D205
    f = loss[np.isfinite(loss)]
    if not f.size:
        return math.nan, None
    ratio = float(np.max(f) / f[0])
    below = np.flatnonzero(loss < loss[0])
    if not below.size:
        return ratio, None
    above = np.flatnonzero(loss[below[0] :] > loss[0])
    return ratio, (int(below[0] + above[0]) if above.size else None)


def premise_end(run: RunLog, level: float) -> int | None:
    r"""The row at which a run leaves the stable premise: the first whose measured sharpness
    gives :math:`\eta\lambda/2 \ge` ``level``; ``None`` when no measurement does.

    >>> from pathlib import Path
    >>> rows = [{"step": t, "sharpness": lam} for t, lam in enumerate([50.0, None, 120.0])]
    >>> premise_end(RunLog("r", Path("."), {"eta": 0.02}, {}, {}, rows), 0.95)
    2
    """  # noqa: D205
    reached = np.flatnonzero(0.5 * run.eta * run.col(F.SHARPNESS) >= level)  # NaN: False
    return int(reached[0]) if reached.size else None


def within_premise(
    run: RunLog, tag: str, level: float
) -> tuple[RunLog, int | None, dict[str, object]]:
    r"""The run cut before the row at which it leaves the stable premise
    :math:`\eta\lambda_{\max}/2 <` ``level`` (:func:`premise_end`), that row (``None``
    when it never leaves: the run itself), and where it leaves as a verdict's number: the
    step, "never", or "not measured" when the log has no sharpness.

    A run at a small η can still reach the edge of stability by progressive sharpening
    before its accuracy target; a stable-regime criterion is judged on the cut run, as the
    later steps are not in the regime the claim is about. Sharpness is measured every
    ``eig_every`` steps, so the end is known to that resolution.

    >>> from pathlib import Path
    >>> rows = [{"step": t, "sharpness": lam} for t, lam in enumerate([50.0, None, 120.0])]
    >>> part, end, nums = within_premise(
    ...     RunLog("r", Path("."), {"eta": 0.02}, {}, {}, rows), "η=2/100", 0.95)
    >>> len(part.rows), end, nums
    (2, 2, {'η=2/100 first step with ηλ/2 >= 0.95': 2})
    """  # noqa: D205
    key = f"{tag} first step with ηλ/2 >= {level:g}"
    end = premise_end(run, level)
    if end is not None:
        part = replace(run, rows=run.rows[:end], _cols={})
        return part, end, {key: int(run.col(F.STEP)[end])}
    measured = np.isfinite(run.col(F.SHARPNESS)).any()
    return run, None, {key: "never" if measured else "not measured"}


def relation43_error(run: RunLog) -> np.ndarray:
    r""":math:`|\mathrm{RP}_t - (-1 + \tfrac{\eta}{2}L(\theta^t;\eta\nabla f(\theta^t)))|`
    per logged step (paper (4.3)).
    """  # noqa: D205
    return np.abs(run.col(F.RP) - (-1.0 + 0.5 * run.eta * run.col(F.DIR_SMOOTHNESS)))


def tau_rows(run: RunLog) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""The Experiment 5 grid rows: steps, the τ grid, and :math:`L(\theta^t;\eta\tau\nabla f)`.

    The grid is :math:`\{1/m, \dots, 1\}` with :math:`m` = the run's ``tau_points``
    (the engine's :func:`~eos_empirical.config.tau_grid`); rows without values are skipped.
    """
    steps, vals = [], []
    for r in run.rows:
        v = r.get(F.TAU_SMOOTHNESS)
        if isinstance(v, list) and v and all(x is not None for x in v):
            steps.append(int(r[F.STEP]))
            vals.append(v)
    m = len(vals[0]) if vals else int(run.config.get("tau_points", 100))
    taus = np.arange(1, m + 1, dtype=np.float64) / m
    return np.array(steps, dtype=np.int64), taus, np.array(vals, dtype=np.float64).reshape(-1, m)


def tau_statistics(taus: np.ndarray, values: np.ndarray) -> dict[str, np.ndarray]:
    r"""Per grid row: plain mean and standard deviation over τ, and the 2τ-weighted mean.

    .. math::

        \bar L = \frac1m\sum_k L_k, \qquad
        W = \frac{\sum_k 2\tau_k L_k}{\sum_k 2\tau_k} \approx 2\int_0^1 \tau L\,d\tau

    :math:`\bar L` is what the paper plots (Experiment 5), :math:`W` what Theorem 2 (4.2)
    uses; the weights are normalized so a constant :math:`L` gives :math:`W = L`.

    >>> s = tau_statistics(np.array([0.5, 1.0]), np.array([[1.0, 3.0]]))
    >>> [round(float(s[k][0]), 4) for k in ("mean", "weighted", "std")]
    [2.0, 2.3333, 1.0]
    """
    w = 2.0 * taus
    return {
        "mean": values.mean(axis=1),
        "std": values.std(axis=1),
        "weighted": values @ w / w.sum(),
        "at_one": values[:, -1],
    }
