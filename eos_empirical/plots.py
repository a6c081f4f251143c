r"""Figures that mirror the paper's panels, drawn from saved run logs (PNG, matplotlib Agg).

- GD experiments (Figure 1, Experiments 1–4 and 6): the training loss; RP with the lines
  0 (unstable regime) and :math:`-1` (stable regime); :math:`L(\theta^t;\eta\nabla f)`
  with the line :math:`2/\eta` of each run; the sharpness :math:`\lambda_{\max}` with
  :math:`2/\eta`.
- Experiment 5: the mean of :math:`L(\theta^t;\eta\tau\nabla f)` over the τ grid with a
  band of one standard deviation (the paper's shading), the 2τ-weighted mean of Theorem 2
  and :math:`2/\eta`; RP against :math:`-1 + \tfrac{\eta}{2}L` ((4.3)).
- Adaptive methods (``adam-eos``, beyond the paper): the preconditioned sharpness over
  Cohen et al. 2022's threshold 38/η (1: at the threshold), :math:`\mathrm{RP}_u`, and the
  error of the (4.3) analogue, :math:`|\mathrm{RP}_u - (-1 + \|u\|^2L(\theta;u)/(2\langle
  \nabla f,u\rangle))|`.
- SGD experiments (7–9): the full-batch loss per epoch; :math:`\mathbb{E}[\mathrm{RP}]`
  with its standard error and the line 0; the two sides of (5.1) with their standard errors.

matplotlib is imported inside the functions (object-oriented API on an Agg canvas, no
``pyplot`` state), so importing this module costs nothing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from eos_empirical.checks.adaptive_checks import threshold_ratio
from eos_empirical.checks.log_statistics import tau_rows, tau_statistics
from eos_empirical.runlog import F, RunLog

#: Figure kinds of the registry (:attr:`eos_empirical.experiments.Experiment.figure`).
KINDS = ("gd", "tau", "sgd", "adaptive")


def _figure(rows: int, cols: int, *, title: str):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5.2 * cols, 3.6 * rows), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    fig.suptitle(title)
    return fig, axes


def _colors(n: int) -> list:
    from matplotlib import colormaps

    cmap = colormaps["tab10"]
    return [cmap(i % 10) for i in range(n)]


def _save(fig, path: str | os.PathLike[str]) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(p, dpi=90)
    return p


def _clip(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Values outside ``[lo, hi]`` (a diverging run) are drawn as gaps."""
    y = x.copy()
    with np.errstate(invalid="ignore"):
        y[(y < lo) | (y > hi)] = np.nan
    return y


def plot_gd(runs: Sequence[RunLog], path: str | os.PathLike[str], *, title: str) -> Path:
    """Loss, RP, directional smoothness and sharpness of GD runs (one colour per run)."""
    fig, (ax_loss, ax_rp, ax_l, ax_s) = _figure(2, 2, title=title)
    colors = _colors(len(runs))
    for r, c in zip(runs, colors, strict=True):
        t = r.col(F.STEP)
        lab = f"{r.label()} ({r.outcome})"
        loss = r.col(F.LOSS)
        ax_loss.plot(t, np.where(loss > 0, loss, np.nan), color=c, lw=0.9, label=lab)
        ax_rp.plot(t, _clip(r.col(F.RP), -1.6, 1.6), color=c, lw=0.6, label=r.label())
        two = 2.0 / r.eta
        ax_l.plot(
            t, _clip(r.col(F.DIR_SMOOTHNESS), -2 * two, 4 * two), color=c, lw=0.6, label=r.label()
        )
        ax_l.axhline(two, color=c, ls="--", lw=0.9)
        lam = r.col(F.SHARPNESS)
        m = np.isfinite(lam)
        if m.any():
            ax_s.plot(t[m], lam[m], ".-", color=c, ms=3, lw=0.8, label=r.label())
            ax_s.axhline(two, color=c, ls="--", lw=0.9)
    ax_loss.set(yscale="log", xlabel="GD step t", ylabel="training loss f(θ_t)", title="loss")
    ax_rp.axhline(0.0, color="k", lw=0.8, label="0 (unstable)")
    ax_rp.axhline(-1.0, color="k", ls=":", lw=0.8, label="−1 (stable)")
    ax_rp.set(
        xlabel="GD step t", ylabel="RP(θ_t)", title="relative progress ratio", ylim=(-1.6, 1.6)
    )
    ax_l.set(
        xlabel="GD step t", ylabel="L(θ_t; η∇f(θ_t))", title="directional smoothness (dashed: 2/η)"
    )
    ax_s.set(xlabel="GD step t", ylabel="λ_max(∇²f(θ_t))", title="sharpness (dashed: 2/η)")
    if not any(np.isfinite(r.col(F.SHARPNESS)).any() for r in runs):
        ax_s.text(0.5, 0.5, "not measured", ha="center", va="center", transform=ax_s.transAxes)
    for ax in (ax_loss, ax_rp, ax_l, ax_s):
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7)
    return _save(fig, path)


def plot_tau(run: RunLog, path: str | os.PathLike[str], *, title: str) -> Path:
    r"""Experiment 5: the τ band of :math:`L(\theta^t;\eta\tau\nabla f)` and (4.3)."""
    fig, (ax_band, ax_43) = _figure(1, 2, title=title)
    steps, taus, vals = tau_rows(run)
    two = 2.0 / run.eta
    if len(steps):
        s = tau_statistics(taus, vals)
        ax_band.fill_between(
            steps,
            s["mean"] - s["std"],
            s["mean"] + s["std"],
            alpha=0.3,
            color="C0",
            label="mean ± std over τ",
        )
        ax_band.plot(steps, s["mean"], color="C0", lw=1.0, label="mean over τ (paper)")
        ax_band.plot(
            steps, s["weighted"], color="C3", lw=0.8, ls="-.", label="2τ-weighted mean (Theorem 2)"
        )
    else:
        ax_band.text(
            0.5, 0.5, "no τ-grid rows", ha="center", va="center", transform=ax_band.transAxes
        )
    ax_band.axhline(two, color="k", ls="--", lw=0.9, label="2/η")
    ax_band.set(
        xlabel="GD step t",
        ylabel="L(θ_t; ητ∇f(θ_t))",
        title=f"τ ∈ {{1/{len(taus)}, …, 1}}, every {run.config.get('tau_every')} steps",
    )
    ax_band.legend(fontsize=7)
    t = run.col(F.STEP)
    ax_43.plot(t, _clip(run.col(F.RP), -1.6, 1.6), lw=0.6, color="C0", label="RP(θ_t)")
    ax_43.plot(
        t,
        _clip(-1 + 0.5 * run.eta * run.col(F.DIR_SMOOTHNESS), -1.6, 1.6),
        lw=0.6,
        color="C1",
        ls="--",
        label="−1 + (η/2) L(θ_t; η∇f)  (4.3)",
    )
    ax_43.axhline(0.0, color="k", lw=0.8)
    ax_43.axhline(-1.0, color="k", ls=":", lw=0.8)
    ax_43.set(xlabel="GD step t", ylabel="value", title="relation (4.3)", ylim=(-1.6, 1.6))
    ax_43.legend(fontsize=7)
    return _save(fig, path)


def plot_sgd(runs: Sequence[RunLog], path: str | os.PathLike[str], *, title: str) -> Path:
    """SGD runs: full-batch loss, E[RP] ± se, and both sides of (5.1) ± se, per epoch."""
    fig, axes = _figure(1, 2 + len(runs), title=title)
    ax_loss, ax_rp, side = axes[0], axes[1], axes[2:]
    colors = _colors(len(runs))
    for r, c, ax in zip(runs, colors, side, strict=True):
        e = r.col(F.STEP)
        ax_loss.plot(e, r.col(F.LOSS), "o-", ms=2.5, color=c, lw=0.9, label=r.label())
        rp, se = r.col(F.RP), r.col(F.RP_SE)
        ax_rp.errorbar(
            e, rp, yerr=se, fmt="o-", ms=2.5, lw=0.8, color=c, capsize=2, label=r.label()
        )
        rhs, rse = r.col(F.RHS51), r.col(F.RHS51_SE)
        ax.errorbar(
            e, rp, yerr=se, fmt="o-", ms=3, lw=0.8, color="C0", capsize=2, label="LHS: E[RP]"
        )
        ax.errorbar(
            e + 0.15,
            rhs,
            yerr=rse,
            fmt="s--",
            ms=3,
            lw=0.8,
            color="C3",
            capsize=2,
            label="RHS of (5.1)",
        )
        ax.axhline(0.0, color="k", lw=0.8)
        ax.set(xlabel="epoch", ylabel="value", title=f"(5.1), η={r.eta_label}")
        ax.legend(fontsize=7)
    ax_loss.set(yscale="log", xlabel="epoch", ylabel="full-batch loss", title="loss")
    ax_rp.axhline(0.0, color="k", lw=0.8, label="0")
    ax_rp.axhline(-1.0, color="k", ls=":", lw=0.8, label="−1")
    ax_rp.set(xlabel="epoch", ylabel="E[RP(θ)] ± se", title="expected relative progress")
    ax_loss.legend(fontsize=7)
    ax_rp.legend(fontsize=7)
    return _save(fig, path)


def plot_adaptive(runs: Sequence[RunLog], path: str | os.PathLike[str], *, title: str) -> Path:
    """Adaptive runs: S_P/(38/η), RP_u and the (4.3)-analogue error (one colour per run)."""
    fig, (ax_s, ax_rp, ax_e) = _figure(1, 3, title=title)
    for r, c in zip(runs, _colors(len(runs)), strict=True):
        t = r.col(F.STEP)
        lab = f"{r.config.get('arch')} {r.config.get('opt')} η={r.eta:.3g} ({r.outcome})"
        ratio = threshold_ratio(r)
        m = np.isfinite(ratio)
        if m.any():
            ax_s.plot(t[m], ratio[m], ".-", color=c, ms=3, lw=0.8, label=lab)
        rp = r.col(F.RP)
        ax_rp.plot(t, _clip(rp, -1.6, 1.6), color=c, lw=0.6, label=lab)
        err = np.abs(rp - r.col(F.RELATION43_RHS))
        ax_e.plot(t, np.where(err > 0, err, np.nan), color=c, lw=0.6, label=lab)
    ax_s.axhline(1.0, color="k", ls="--", lw=0.9)
    ax_s.set(
        yscale="log",
        xlabel="step t",
        ylabel="λ_max(P⁻¹∇²f) / threshold",
        title="preconditioned sharpness over 38/η (dashed: 1)",
    )
    ax_rp.axhline(0.0, color="k", lw=0.8)
    ax_rp.axhline(-1.0, color="k", ls=":", lw=0.8)
    ax_rp.set(xlabel="step t", ylabel="RP_u(θ_t)", title="RP of the step u_t", ylim=(-1.6, 1.6))
    ax_e.set(
        yscale="log", xlabel="step t", ylabel="|RP_u − (4.3) analogue|", title="(4.3) analogue"
    )
    for ax in (ax_s, ax_rp, ax_e):
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7)
    return _save(fig, path)


def plot_experiment(
    kind: str, runs: Sequence[RunLog], path: str | os.PathLike[str], *, title: str
) -> Path:
    """The figure of one experiment: ``kind`` is ``gd``, ``tau``, ``sgd`` or ``adaptive``.

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
