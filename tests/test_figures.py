"""Issue 17, item 3: the report's figures read at a glance when embedded at 900 px.

Every figure kind (GD, tau grid, SGD) is rendered from small synthetic run logs, built
with the checks' test helpers; each must be at most 900 px wide and never a strip, every
visible panel must show data or say in the panel why it has none, the stability threshold
must be drawn on the directional-smoothness and sharpness panels, and points outside a
clipped axis must be counted in the panel.
"""

from __future__ import annotations

import numpy as np
import pytest

from eos_empirical import figure_style as style
from eos_empirical.plots import gd_figure, plot_experiment, sgd_figure, tau_figure
from eos_empirical.runlog import load_runs
from tests.test_experiments import (
    STEPS,
    gd_spec,
    sgd_spec,
    stable_series,
    unstable_series,
    write_run,
)

MAX_WIDTH_PX, MAX_ASPECT = 900, 2.5


@pytest.fixture
def runs(tmp_path):
    e = 2 / 30
    sharp = np.where(STEPS % 10 <= 1, 1.2 * 2 / e, np.nan)
    rp, hl, loss = unstable_series(e)
    rp = rp.copy()
    rp[[5, 6, 7]] = 3.0  # three spikes above the RP axis (1.6)
    specs = [
        gd_spec("u", e, regime="unstable", exps=["exp3"], series=(rp, hl, loss), sharp=sharp),
        gd_spec("s", 2 / 200, regime="stable", exps=["exp2"], series=stable_series(2 / 200)),
    ]
    for k, eta in enumerate((2 / 50, 2 / 100, 2 / 150)):
        x = np.linspace(-0.2, 0.3, 10)
        specs.append(sgd_spec(f"sgd{k}", eta, rp=x, rp_se=0.05, rhs=x + 0.02, rhs_se=0.05))
    for spec in specs:
        write_run(tmp_path, **spec)
    return load_runs(tmp_path)


def _check(fig, what):
    w, h = (fig.get_size_inches() * style.DPI).round()
    assert w <= MAX_WIDTH_PX and w / h <= MAX_ASPECT, f"{what}: {w:.0f} x {h:.0f} px"
    states = style.panel_states(fig)
    empty = [title for title, state in states if state == "EMPTY"]
    assert not empty, f"{what}: panels with neither data nor a reason: {empty} ({states})"
    return dict(states)


def test_gd_figure_thresholds_clipping_and_reasons(runs):
    """GD: 2x2 panels; 2/eta on the L and sharpness panels; the three RP spikes are counted
    in the panel; a run set without sharpness says so in its sharpness panel."""
    fig = gd_figure([runs["u"]], title="t")
    states = _check(fig, "gd figure")
    assert set(states.values()) == {"data"}, states
    ax_rp, ax_l, ax_s = fig.axes[1], fig.axes[2], fig.axes[3]
    for ax in (ax_l, ax_s):
        assert any(line.get_label() == "2/η" for line in ax.get_lines()), ax.get_title()
    notes = [t.get_text() for t in ax_rp.texts]
    assert "3 points above 1.6 (▲)" in notes, notes
    no_sharp = _check(gd_figure([runs["s"]], title="t"), "gd figure without sharpness")
    reason = no_sharp["sharpness over 2/η"]
    assert reason.startswith("no data: sharpness not measured"), reason


def test_tau_and_sgd_figures_have_no_strips(runs, tmp_path):
    """Experiment 5 without tau-grid rows says why in the panel; SGD with three runs lays its
    five panels in rows of two (the old layout was a 2340 x 324 strip); plot_experiment
    writes PNGs of those sizes."""
    states = _check(tau_figure(runs["u"], title="t"), "tau figure")
    assert any(s.startswith("no data: no τ-grid rows") for s in states.values()), states
    sgd = [runs[f"sgd{k}"] for k in range(3)]
    fig = sgd_figure(sgd, title="t")
    _check(fig, "sgd figure")
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 5
    from matplotlib.image import imread

    for kind, rs in (("gd", [runs["u"], runs["s"]]), ("sgd", sgd), ("tau", [runs["u"]])):
        png = imread(plot_experiment(kind, rs, tmp_path / f"{kind}.png", title=kind))
        h, w = png.shape[:2]
        assert w <= MAX_WIDTH_PX and w / h <= MAX_ASPECT, f"{kind}.png: {w} x {h} px"


def test_adaptive_figure(tmp_path):
    """The adam-eos figure (preconditioned sharpness over 38/eta, RP_u, the (4.3)-analogue
    error): within 900 px, no strip, the threshold drawn, no panel empty without a reason."""
    from eos_empirical.plots import adaptive_figure
    from tests.test_cnn_adaptive import _adam_log

    _adam_log(tmp_path, "adam", 4e-4, np.array([0.95, 1.05]))
    fig = adaptive_figure(list(load_runs(tmp_path).values()), title="adam-eos")
    states = _check(fig, "adaptive figure")
    assert set(states.values()) == {"data"}, states
    assert any(line.get_label() == "threshold" for line in fig.axes[0].get_lines())
