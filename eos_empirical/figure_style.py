r"""The one style of the report's figures: layout, threshold lines, clipped axes, empty panels.

Every figure of :mod:`eos_empirical.plots` is made here, so they read alike when embedded
at 900 px:

- :func:`new_figure`: panels in a grid of at most :data:`MAX_COLS` columns (never a strip),
  :data:`PANEL_W` x :data:`PANEL_H` inches each, saved at :data:`DPI` (a two-column figure
  is 900 px wide);
- :func:`reference` (the lines 0 and −1) and :func:`threshold`: the stability threshold
  (:math:`2/\eta`, or an optimizer's) as a dashed line, drawn on every
  directional-smoothness and sharpness panel;
- :func:`plot_clipped`: a series drawn on a clipped axis, the points outside it marked at
  the edge (triangles) and counted in the panel ("3 points above 1.6"), never dropped in
  silence;
- :func:`no_data`: a panel without data says why, in the panel;
- :func:`panel_states`: what each panel shows (data, or the reason it has none), for tests.

matplotlib is imported inside the functions (Agg canvas, no ``pyplot`` state).
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import numpy as np

#: Panels per row at most: wider figures shrink to unreadable strips when embedded.
MAX_COLS = 2
#: Panel size in inches and the resolution: two columns are 2 * 4.5 * 100 = 900 px wide.
PANEL_W, PANEL_H, DPI = 4.5, 3.6, 100
#: Legend and annotation font size (points).
SMALL = 7
#: The attribute a panel's reason for having no data is kept under (for :func:`panel_states`).
_REASON = "_eos_no_data_reason"


def new_figure(panels: int, *, title: str) -> tuple[Any, list[Any]]:
    """A figure with ``panels`` axes in rows of at most :data:`MAX_COLS`; unused cells hidden.

    >>> fig, axes = new_figure(3, title="t")
    >>> len(axes), [round(x) for x in fig.get_size_inches() * DPI]
    (3, [900, 720])
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if panels < 1:
        raise ValueError(f"panels must be >= 1, got {panels}")
    cols = min(MAX_COLS, panels)
    rows = math.ceil(panels / cols)
    fig = Figure(figsize=(PANEL_W * cols, PANEL_H * rows), layout="constrained")
    FigureCanvasAgg(fig)
    grid = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax in grid[panels:]:
        ax.set_visible(False)
    fig.suptitle(title, fontsize=10)
    return fig, list(grid[:panels])


def colors(n: int) -> list[Any]:
    """``n`` distinguishable colours (tab10, cycled)."""
    from matplotlib import colormaps

    cmap = colormaps["tab10"]
    return [cmap(i % 10) for i in range(n)]


#: The ``gid`` of reference lines (thresholds, 0 and -1): not data (:func:`panel_states`).
REFERENCE = "reference"


def reference(ax: Any, value: float, **line: Any) -> None:
    """A horizontal reference line at ``value`` (0, −1, a threshold): drawn, not data."""
    if math.isfinite(value):
        ax.axhline(value, gid=REFERENCE, **({"color": "k", "lw": 0.8} | line))


def threshold(ax: Any, value: float, *, color: Any = "k", label: str | None = None) -> None:
    """The stability threshold ``value`` as a dashed horizontal line."""
    reference(ax, value, color=color, ls="--", lw=0.9, label=label)


def plot_clipped(
    ax: Any, x: np.ndarray, y: np.ndarray, lo: float, hi: float, **style: Any
) -> tuple[int, int]:
    """Plot ``y`` against ``x`` on the axis range ``[lo, hi]``; mark and count the rest.

    Points below ``lo`` or above ``hi`` are drawn as gaps in the line, marked by triangles
    at the edge, and counted in a note in the panel. Returns ``(below, above)``.
    """
    y = np.asarray(y, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        low, high = y < lo, y > hi
    shown = np.where(low | high, np.nan, y)
    ax.plot(x, shown, **style)
    color = style.get("color", "k")
    if high.any():
        ax.plot(x[high], np.full(int(high.sum()), hi), "^", ms=3, color=color, clip_on=False)
    if low.any():
        ax.plot(x[low], np.full(int(low.sum()), lo), "v", ms=3, color=color, clip_on=False)
    ax.set_ylim(lo, hi)
    counts = getattr(ax, "_eos_clipped", [0, 0])
    counts = [counts[0] + int(low.sum()), counts[1] + int(high.sum())]
    ax._eos_clipped = counts
    note = ", ".join(
        t
        for t in (
            f"{counts[1]} points above {hi:.3g} (▲)" if counts[1] else "",
            f"{counts[0]} below {lo:.3g} (▼)" if counts[0] else "",
        )
        if t
    )
    old = getattr(ax, "_eos_clip_note", None)
    if old is not None:
        old.remove()
    ax._eos_clip_note = (
        ax.text(0.01, 0.01, note, transform=ax.transAxes, fontsize=SMALL, va="bottom")
        if note
        else None
    )
    return int(low.sum()), int(high.sum())


def no_data(ax: Any, reason: str) -> None:
    """Mark ``ax`` as a panel without data, saying ``reason`` in the panel."""
    ax.text(0.5, 0.5, reason, ha="center", va="center", wrap=True, transform=ax.transAxes)
    setattr(ax, _REASON, reason)


def legend(ax: Any) -> None:
    """A small legend, when the panel has labelled artists."""
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=SMALL)


def panel_states(fig: Any) -> list[tuple[str, str]]:
    """Each visible panel's title and what it shows: ``"data"`` or ``"no data: <reason>"``,
    or ``"EMPTY"`` for a panel with neither data nor a reason (a bug).
    """  # noqa: D205
    out = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        reason = getattr(ax, _REASON, None)
        has = any(
            np.isfinite(np.asarray(line.get_ydata(), dtype=np.float64)).any()
            for line in ax.get_lines()
            if line.get_gid() != REFERENCE
        ) or bool(ax.collections)
        out.append(
            (ax.get_title(), "data" if has else (f"no data: {reason}" if reason else "EMPTY"))
        )
    return out


def save(fig: Any, path: str | os.PathLike[str]) -> Path:
    """Write ``fig`` as PNG at :data:`DPI`; the parent folder is created."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(p, dpi=DPI)
    return p
