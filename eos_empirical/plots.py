r"""Figures that mirror the paper's panels, drawn from saved run logs (PNG, matplotlib Agg).

- GD experiments (Figure 1, Experiments 1–4 and 6): the training loss; RP with the lines
  0 (unstable regime) and :math:`-1` (stable regime); :math:`\tfrac{\eta}{2}L(\theta^t;
  \eta\nabla f)` and the sharpness :math:`\tfrac{\eta}{2}\lambda_{\max}` against the
  threshold 1 (that is, :math:`2/\eta` for every run at once).
- Experiment 5: the mean of :math:`L(\theta^t;\eta\tau\nabla f)` over the τ grid with a
  band of one standard deviation (the paper's shading), the 2τ-weighted mean of Theorem 2
  and :math:`2/\eta`; RP against :math:`-1 + \tfrac{\eta}{2}L` ((4.3)).
- SGD experiments (7–9): the full-batch loss per epoch; :math:`\mathbb{E}[\mathrm{RP}]`
  with its standard error and the line 0; the two sides of (5.1) with their standard errors.

The style (layout in rows of two panels, thresholds, clipped axes with the points outside
marked and counted, panels without data saying why) is :mod:`eos_empirical.figure_style`;
``*_figure`` functions return the figure, ``plot_*`` save it. One colour per paper run,
its seeds sharing it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from eos_empirical import figure_style as style
from eos_empirical.checks.adaptive_checks import threshold_ratio
from eos_empirical.checks.log_statistics import tau_rows, tau_statistics
from eos_empirical.runlog import F, RunLog

#: Figure kinds of the registry (:attr:`eos_empirical.experiments.Experiment.figure`).
KINDS = ("gd", "tau", "sgd", "adaptive")


def _label(r: RunLog) -> str:
    """The run's legend entry: its description, with the seed and any control named."""
    c = r.experiment.get("control")
    seed = r.config.get("seed", 0)
    return f"{r.label()} s{seed}" + (f" [{c}]" if c else "")


def _series(runs: Sequence[RunLog]) -> list[tuple[RunLog, Any, str | None]]:
    """Each run with its colour and legend entry: one colour per paper run (the seeds of a
    run share it), one legend entry per paper run, naming how many seeds it has."""  # noqa: D205, D209
    keys: list[str] = []
    for r in runs:
        key = _key(r)
        if key not in keys:
            keys.append(key)
    palette = dict(zip(keys, style.colors(len(keys)), strict=True))
    seeds = {k: sorted({int(r.config.get("seed", 0)) for r in runs if _key(r) == k}) for k in keys}
    out, seen = [], set()
    for r in runs:
        key = _key(r)
        label = None
        if key not in seen:
            seen.add(key)
            n = len(seeds[key])
            label = _label(r) if n == 1 else f"{key} ({n} seeds)"
        out.append((r, palette[key], label))
    return out


def _key(r: RunLog) -> str:
    c = r.experiment.get("control")
    return r.label() + (f" [{c}]" if c else "")


def gd_figure(runs: Sequence[RunLog], *, title: str) -> Any:
    """Loss, RP, directional smoothness and sharpness of GD runs (2 x 2 panels).

    RP is drawn on [-1.6, 1.6] and eta*L/2, eta*lambda/2 against the threshold 1 (2/eta for
    every run at once), the points outside the axis marked and counted.
    """
    fig, (ax_loss, ax_rp, ax_l, ax_s) = style.new_figure(4, title=title)
    lines = _series(runs)
    any_sharp = False
    for r, c, lab in lines:
        t = r.col(F.STEP)
        loss = r.col(F.LOSS)
        ax_loss.plot(t, np.where(loss > 0, loss, np.nan), color=c, lw=0.8, label=lab)
        style.plot_clipped(ax_rp, t, r.col(F.RP), -1.6, 1.6, color=c, lw=0.5, label=lab)
        half = 0.5 * r.eta
        style.plot_clipped(
            ax_l, t, half * r.col(F.DIR_SMOOTHNESS), -0.5, 2.5, color=c, lw=0.5, label=lab
        )
        lam = r.col(F.SHARPNESS)
        m = np.isfinite(lam)
        if m.any():
            any_sharp = True
            style.plot_clipped(
                ax_s, t[m], half * lam[m], 0.0, 2.5, color=c, lw=0.6, marker=".", ms=2, label=lab
            )
    ax_loss.set(yscale="log", xlabel="GD step t", ylabel="f(θ_t)", title="training loss")
    style.reference(ax_rp, 0.0, color="k", lw=0.8, label="0 (unstable)")
    style.reference(ax_rp, -1.0, color="k", ls=":", lw=0.8, label="−1 (stable)")
    ax_rp.set(xlabel="GD step t", ylabel="RP(θ_t)", title="relative progress ratio")
    for ax, name in ((ax_l, "(η/2) L(θ_t; η∇f(θ_t))"), (ax_s, "(η/2) λ_max(∇²f(θ_t))")):
        style.threshold(ax, 1.0, label="2/η")
        ax.set(xlabel="GD step t", ylabel=name)
    ax_l.set_title("directional smoothness over 2/η")
    ax_s.set_title("sharpness over 2/η")
    if not any_sharp:
        style.no_data(ax_s, "sharpness not measured in these runs (eig_every = 0)")
    for ax in (ax_loss, ax_rp, ax_l, ax_s):
        style.legend(ax)
    return fig


def plot_gd(runs: Sequence[RunLog], path: str | os.PathLike[str], *, title: str) -> Path:
    """:func:`gd_figure`, saved as PNG."""
    return style.save(gd_figure(runs, title=title), path)


def tau_figure(run: RunLog, *, title: str) -> Any:
    r"""Experiment 5: the τ band of :math:`L(\theta^t;\eta\tau\nabla f)` and (4.3)."""
    fig, (ax_band, ax_43) = style.new_figure(2, title=title)
    steps, taus, vals = tau_rows(run)
    two = 2.0 / run.eta
    if len(steps):
        s = tau_statistics(taus, vals)
        ax_band.fill_between(steps, s["mean"] - s["std"], s["mean"] + s["std"], alpha=0.3,
                             color="C0", label="mean ± std over τ")  # fmt: skip
        ax_band.plot(steps, s["mean"], color="C0", lw=1.0, label="mean over τ (paper)")
        ax_band.plot(steps, s["weighted"], color="C3", lw=0.8, ls="-.",
                     label="2τ-weighted mean (Theorem 2)")  # fmt: skip
    else:
        style.no_data(
            ax_band,
            f"no τ-grid rows: run {run.name} has tau_every = {run.config.get('tau_every', 0)}",
        )
    style.threshold(ax_band, two, label="2/η")
    every = run.config.get("tau_every")
    grid = f"τ ∈ {{1/{len(taus)}, …, 1}}, every {every} steps"
    ax_band.set(xlabel="GD step t", ylabel="L(θ_t; ητ∇f(θ_t))", title=grid)
    t = run.col(F.STEP)
    style.plot_clipped(ax_43, t, run.col(F.RP), -1.6, 1.6, lw=0.6, color="C0", label="RP(θ_t)")
    rhs = -1 + 0.5 * run.eta * run.col(F.DIR_SMOOTHNESS)
    style.plot_clipped(ax_43, t, rhs, -1.6, 1.6, lw=0.6, color="C1", ls="--",
                       label="−1 + (η/2) L(θ_t; η∇f)  (4.3)")  # fmt: skip
    style.reference(ax_43, 0.0, color="k", lw=0.8)
    style.reference(ax_43, -1.0, color="k", ls=":", lw=0.8)
    ax_43.set(xlabel="GD step t", ylabel="value", title="relation (4.3)")
    style.legend(ax_band)
    style.legend(ax_43)
    return fig


def plot_tau(run: RunLog, path: str | os.PathLike[str], *, title: str) -> Path:
    """:func:`tau_figure`, saved as PNG."""
    return style.save(tau_figure(run, title=title), path)


def sgd_figure(runs: Sequence[RunLog], *, title: str) -> Any:
    """SGD runs: full-batch loss, E[RP] ± se, and both sides of (5.1) ± se, per epoch (one
    (5.1) panel per run, in rows of two panels: no strips)."""  # noqa: D205, D209
    fig, axes = style.new_figure(2 + len(runs), title=title)
    ax_loss, ax_rp, side = axes[0], axes[1], axes[2:]
    for (r, c, lab), ax in zip(_series(runs), side, strict=True):
        e = r.col(F.STEP)
        ax_loss.plot(e, r.col(F.LOSS), "o-", ms=2.5, color=c, lw=0.9, label=lab)
        rp, se = r.col(F.RP), r.col(F.RP_SE)
        ax_rp.errorbar(e, rp, yerr=se, fmt="o-", ms=2.5, lw=0.8, color=c, capsize=2, label=lab)
        rhs, rse = r.col(F.RHS51), r.col(F.RHS51_SE)
        if not np.isfinite(rp).any():
            style.no_data(ax, f"no E[RP] rows in {r.name}")
        ax.errorbar(e, rp, yerr=se, fmt="o-", ms=3, lw=0.8, color="C0", capsize=2,
                    label="LHS: E[RP]")  # fmt: skip
        ax.errorbar(e + 0.15, rhs, yerr=rse, fmt="s--", ms=3, lw=0.8, color="C3", capsize=2,
                    label="RHS of (5.1)")  # fmt: skip
        style.reference(ax, 0.0, color="k", lw=0.8)
        ax.set(xlabel="epoch", ylabel="value", title=f"(5.1), {_label(r)}")
        style.legend(ax)
    ax_loss.set(yscale="log", xlabel="epoch", ylabel="full-batch loss", title="loss")
    style.reference(ax_rp, 0.0, color="k", lw=0.8, label="0")
    style.reference(ax_rp, -1.0, color="k", ls=":", lw=0.8, label="−1")
    ax_rp.set(xlabel="epoch", ylabel="E[RP(θ)] ± se", title="expected relative progress")
    style.legend(ax_loss)
    style.legend(ax_rp)
    return fig


def plot_sgd(runs: Sequence[RunLog], path: str | os.PathLike[str], *, title: str) -> Path:
    """:func:`sgd_figure`, saved as PNG."""
    return style.save(sgd_figure(runs, title=title), path)


def adaptive_figure(runs: Sequence[RunLog], *, title: str) -> Any:
    """Adaptive runs: preconditioned sharpness over the optimizer's threshold (38/η for Adam
    at β₁ = 0.9), RP_u and the error of the (4.3) analogue."""  # noqa: D205, D209
    fig, (ax_s, ax_rp, ax_e) = style.new_figure(3, title=title)
    any_ratio = False
    for r, c, lab in _series(runs):
        t = r.col(F.STEP)
        ratio = threshold_ratio(r)
        m = np.isfinite(ratio)
        if m.any():
            any_ratio = True
            style.plot_clipped(ax_s, t[m], ratio[m], 0.0, 2.5, color=c, lw=0.8, marker=".",
                               ms=3, label=lab)  # fmt: skip
        rp = r.col(F.RP)
        style.plot_clipped(ax_rp, t, rp, -1.6, 1.6, color=c, lw=0.6, label=lab)
        err = np.abs(rp - r.col(F.RELATION43_RHS))
        ax_e.plot(t, np.where(err > 0, err, np.nan), color=c, lw=0.6, label=lab)
    style.threshold(ax_s, 1.0, label="threshold")
    ax_s.set(xlabel="step t", ylabel="λ_max(P⁻¹∇²f) / threshold",
             title="preconditioned sharpness over its threshold")  # fmt: skip
    if not any_ratio:
        style.no_data(ax_s, "preconditioned sharpness not measured (eig_every = 0, or not Adam)")
    style.reference(ax_rp, 0.0)
    style.reference(ax_rp, -1.0, ls=":")
    ax_rp.set(xlabel="step t", ylabel="RP_u(θ_t)", title="RP of the step u_t")
    ax_e.set(yscale="log", xlabel="step t", ylabel="|RP_u − (4.3) analogue|",
             title="(4.3) analogue")  # fmt: skip
    for ax in (ax_s, ax_rp, ax_e):
        style.legend(ax)
    return fig


def plot_adaptive(runs: Sequence[RunLog], path: str | os.PathLike[str], *, title: str) -> Path:
    """:func:`adaptive_figure`, saved as PNG."""
    return style.save(adaptive_figure(runs, title=title), path)


def plot_experiment(
    kind: str, runs: Sequence[RunLog], path: str | os.PathLike[str], *, title: str
) -> Path:
    """The figure of one experiment: ``kind`` is ``gd``, ``tau`` or ``sgd``.

    Raises ``ValueError`` for an unknown ``kind`` or no runs.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    if not runs:
        raise ValueError("runs: no run logs to plot")
    ordered = sorted(runs, key=lambda r: (r.config["activation"], r.config["depth"], -r.eta))
    if kind == "gd":
        return plot_gd(ordered, path, title=title)
    if kind == "tau":
        grid = [r for r in ordered if r.config.get("tau_every")] or ordered
        return plot_tau(grid[0], path, title=title)
    if kind == "adaptive":
        return plot_adaptive(ordered, path, title=title)
    return plot_sgd(ordered, path, title=title)
