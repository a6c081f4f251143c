r"""Checks of Section 5: SGD's expected relative progress and relation (5.1), per epoch.

- ``exp7.sgd-erp-not-negative`` (Experiment 7, Remark 7): :math:`\mathbb{E}[\mathrm{RP}]`
  is not significantly below zero for most epochs;
- ``exp8.relation51-relu``, ``exp9.relation51-tanh`` (Experiments 8 and 9): the two sides
  of (5.1) agree within their standard errors, for ReLU and for tanh nets.

Criteria and thresholds: :mod:`eos_empirical.checks.check_registry`.
"""

from __future__ import annotations

import math

import numpy as np

from eos_empirical.checks.check_registry import (
    AGREE_FRAC,
    SE_K,
    SGD_MOST,
    register_every_run,
)
from eos_empirical.checks.log_statistics import quantile, round_sig
from eos_empirical.runlog import F, RunLog


@register_every_run(
    id="exp7.sgd-erp-not-negative",
    ref=("Experiment 7", "Remark 7"),
    statement="For SGD (batch 32, eta = 2/100, ReLU) the expected relative progress ratio "
    "E[RP] does not stay below zero; it is not negative for a majority of epochs.",
    criterion=f"more than {SGD_MOST} of the epochs have E[RP] + {SE_K:g} se >= 0 (not "
    f"significantly below zero); the fraction with the point estimate >= 0 is reported",
    kind="exact",
    experiments=("exp7",),
    runs=("SGD", lambda r: r.config["opt"] == "sgd"),
    holds="E[RP] is not below zero for most epochs",
    fails="E[RP] is significantly below zero in most epochs",
)
def _sgd_erp_not_negative(r: RunLog) -> tuple[bool, dict[str, object]]:
    """Experiment 7, one SGD run: E[RP] not below zero for most epochs."""
    rp, se = r.col(F.RP), r.col(F.RP_SE)
    m = np.isfinite(rp)
    not_below = rp[m] + SE_K * np.nan_to_num(se[m]) >= 0
    frac = float(np.mean(not_below)) if m.any() else math.nan
    f = r.col(F.LOSS)
    return frac > SGD_MOST, {
        f"{r.label()} epochs": int(m.sum()),
        f"{r.label()} fraction E[RP]+2se >= 0": round_sig(frac, 3),
        f"{r.label()} fraction E[RP] >= 0": round_sig(float(np.mean(rp[m] >= 0)), 3)
        if m.any()
        else None,
        f"{r.label()} median E[RP]": round_sig(quantile(rp, 0.5), 3),
        f"{r.label()} loss first/last epoch": f"{round_sig(float(f[0]))}/{round_sig(float(f[-1]))}",
    }


def _relation51(r: RunLog) -> tuple[bool, dict[str, object]]:
    """Experiments 8 and 9, one SGD run: the two sides of (5.1) agree within 2 se per epoch."""
    lhs, rhs = r.col(F.RP), r.col(F.RHS51)
    se = np.hypot(np.nan_to_num(r.col(F.RP_SE)), np.nan_to_num(r.col(F.RHS51_SE)))
    m = np.isfinite(lhs) & np.isfinite(rhs)
    agree = np.abs(lhs[m] - rhs[m]) <= SE_K * se[m]
    frac = float(np.mean(agree)) if m.any() else math.nan
    d, dse = r.col(F.RP_MINUS_RHS51), r.col(F.RP_MINUS_RHS51_SE)
    md = np.isfinite(d) & np.isfinite(dse)
    tag = f"η={r.eta_label}"
    return m.any() and frac >= AGREE_FRAC, {
        f"{tag} epochs agreeing (2 se)": f"{int(agree.sum())}/{int(m.sum())}",
        f"{tag} median |LHS-RHS|": round_sig(quantile(np.abs(lhs - rhs), 0.5), 3),
        f"{tag} median combined se": round_sig(quantile(se[m], 0.5), 3),
        f"{tag} paired |d| <= 2 se_d": f"{int(np.sum(np.abs(d[md]) <= SE_K * dse[md]))}/"
        f"{int(md.sum())}",
    }


def _register_relation51(id: str, experiment: str, activation: str, statement: str) -> None:
    """Register the (5.1) check of ``experiment``: its SGD runs on ``activation`` nets."""
    register_every_run(
        id=id,
        location=f"Section 5, (5.1), Experiment {experiment.removeprefix('exp')}",
        statement=statement,
        criterion=f"every run: |LHS - RHS| <= {SE_K:g} sqrt(se_L^2 + se_R^2) in at least "
        f"{AGREE_FRAC} of the epochs; the paired difference test is reported",
        kind="approximate",
        experiments=(experiment,),
        ref=(f"Experiment {experiment.removeprefix('exp')}", "(5.1)"),
        runs=(
            f"SGD {activation}",
            lambda r: r.config["opt"] == "sgd" and r.config["activation"] == activation,
        ),
        holds="LHS and RHS of (5.1) agree within their standard errors",
        fails="LHS and RHS of (5.1) differ beyond their standard "
        "errors in more than 10% of the epochs of some run",
        order=lambda r: -r.eta,
    )(_relation51)


_register_relation51(
    "exp8.relation51-relu",
    "exp8",
    "relu",
    "E[RP] ≈ -1 + (eta/2) E[(|g|^2/|grad f|^2) L(theta; eta g)] (5.1) for SGD on "
    "ReLU nets with eta = 2/50, 2/100, 2/150: LHS and RHS are very similar.",
)
_register_relation51(
    "exp9.relation51-tanh",
    "exp9",
    "tanh",
    "(5.1) for SGD on tanh nets with eta = 2/50, 2/100, 2/150: results similar to "
    "ReLU (LHS and RHS very similar).",
)
