r"""Checks of Section 5: SGD's expected relative progress and relation (5.1), per epoch.

- ``exp7.sgd-erp-not-staying-below-zero`` (Experiment 7): :math:`\mathbb{E}[\mathrm{RP}]`
  does not stay below zero: some epoch has it significantly above zero;
- ``exp7.sgd-erp-not-negative`` (Remark 7): :math:`\mathbb{E}[\mathrm{RP}]` is not
  significantly below zero for most epochs;
- ``exp8.relation51-relu``, ``exp9.relation51-tanh`` (Experiments 8 and 9): the two sides
  of (5.1) agree within their standard errors, for ReLU and for tanh nets.

Criteria and thresholds: :mod:`eos_empirical.checks.check_registry`.
"""

from __future__ import annotations

from collections.abc import Callable
from statistics import NormalDist

import numpy as np

from eos_empirical.checks.check_registry import (
    AGREE_FRAC,
    E43_MEDIAN,
    E43_P90,
    SE51_TARGET,
    SE_K,
    SGD_FAMILY_ALPHA,
    SGD_MOST,
    InconclusiveError,
    PerRun,
    register_every_run,
)
from eos_empirical.checks.log_statistics import quantile, round_sig
from eos_empirical.runlog import F, RunLog


def _epoch_ends(r: RunLog) -> np.ndarray:
    """The rows at the end of an epoch (epoch >= 1), where Experiment 7 measures E[RP].

    Row 0 is the initialization, before any step (stable by construction, E[RP] near -1).
    """
    return r.col(F.STEP) >= 1


def bonferroni_z(n: int, alpha: float = SGD_FAMILY_ALPHA) -> float:
    r"""The one-sided normal quantile :math:`z = \Phi^{-1}(1 - \alpha/n)` (Bonferroni).

    An estimate ``x`` with standard error ``se`` is significantly above zero in at least one
    of ``n`` epochs, at family-wise level ``alpha``, when ``x - z * se > 0`` there.

    >>> round(bonferroni_z(1), 3), round(bonferroni_z(23), 3)
    (1.645, 2.852)
    """
    if n < 1:
        raise ValueError(f"n (the number of epochs) must be at least 1, got {n}")
    return NormalDist().inv_cdf(1.0 - alpha / n)


def _register_exp7(
    id: str, ref: str, statement: str, criterion: str, holds: str, fails: str
) -> Callable[[PerRun], PerRun]:
    """Register a check of Experiment 7's SGD run (ReLU, batch 32, eta = 2/100) per run."""
    return register_every_run(
        id=id,
        ref=(ref,),
        statement=statement,
        criterion=criterion,
        kind="exact",
        experiments=("exp7",),
        runs=("SGD", lambda r: r.config["opt"] == "sgd"),
        holds=holds,
        fails=fails,
    )


@_register_exp7(
    id="exp7.sgd-erp-not-staying-below-zero",
    ref="Experiment 7",
    statement="For SGD (batch 32, eta = 2/100, ReLU) the expected relative progress ratio "
    "E[RP] at the end of each epoch does not stay below zero (which, by Section 4.1, "
    "suggests that SGD is in the unstable regime).",
    criterion=f"holds if E[RP] - z se > 0 at the end of at least one epoch (significantly "
    f"above zero; z = Phi^-1(1 - {SGD_FAMILY_ALPHA}/n), one-sided, Bonferroni over the run's "
    f"n epochs); fails if E[RP] + z se < 0 at every epoch end (significantly below zero "
    f"throughout); "
    f"inconclusive otherwise; the epochs with E[RP] >= 0 are reported",
    holds="E[RP] is significantly above zero in some epoch",
    fails="E[RP] is significantly below zero in every epoch",
)
def _sgd_erp_not_staying_below_zero(r: RunLog) -> tuple[bool, dict[str, object]]:
    """Experiment 7, one SGD run: E[RP] rises significantly above zero in some epoch."""
    rp, se = r.col(F.RP), r.col(F.RP_SE)
    m = np.isfinite(rp) & np.isfinite(se) & _epoch_ends(r)
    n = int(m.sum())
    if not n:
        raise InconclusiveError(f"{r.label()}: no epoch with E[RP] and its se", {})
    z = bonferroni_z(n)
    above, below = rp[m] - z * se[m] > 0, rp[m] + z * se[m] < 0
    nums: dict[str, object] = {
        f"{r.label()} epochs": n,
        f"{r.label()} z (Bonferroni)": round_sig(z, 3),
        f"{r.label()} epochs significantly above / below zero": f"{int(above.sum())}/"
        f"{int(below.sum())}",
        f"{r.label()} epochs with E[RP] >= 0": f"{int(np.sum(rp[m] >= 0))}/{n}",
        f"{r.label()} largest E[RP] (se)": f"{round_sig(float(np.max(rp[m])), 3)} "
        f"({round_sig(float(se[m][np.argmax(rp[m])]), 3)})",
    }
    if above.any():
        return True, nums
    no_se = int(np.sum(np.isfinite(rp) & ~np.isfinite(se) & _epoch_ends(r)))
    if below.all() and no_se:
        raise InconclusiveError(
            f"{r.label()}: E[RP] is significantly below zero in all {n} epochs with a standard "
            f"error, but {no_se} more epoch end(s) log E[RP] without one, so 'below zero at "
            "every epoch end' is not shown",
            nums | {f"{r.label()} epoch ends with E[RP] but no se": no_se},
        )
    if below.all():
        return False, nums
    raise InconclusiveError(
        f"{r.label()}: E[RP] is significantly above zero in no epoch and significantly "
        f"below zero in only {int(below.sum())} of {n}",
        nums,
    )


@_register_exp7(
    id="exp7.sgd-erp-not-negative",
    ref="Remark 7",
    statement="For SGD (batch 32, eta = 2/100, ReLU, as in Experiment 7) the expected "
    "relative progress ratio E[RP] is not negative for a majority of epochs.",
    criterion=f"more than {SGD_MOST} of the epoch ends have E[RP] + {SE_K:g} se >= 0 (not "
    f"significantly below zero); the fraction with the point estimate >= 0 is reported",
    holds="E[RP] is not significantly below zero at most epoch ends",
    fails="E[RP] is significantly below zero at half of the epoch ends or more",
)
def _sgd_erp_not_negative(r: RunLog) -> tuple[bool, dict[str, object]]:
    """Remark 7, one SGD run: E[RP] not below zero for most epochs."""
    rp, se = r.col(F.RP), r.col(F.RP_SE)
    m = np.isfinite(rp) & _epoch_ends(r)
    if not m.any():
        raise InconclusiveError(f"{r.label()}: no epoch end with E[RP]", {})
    # an epoch end without se counts as not below zero only where E[RP] >= 0 itself
    not_below = rp[m] + SE_K * np.nan_to_num(se[m]) >= 0
    frac = float(np.mean(not_below))
    f = r.col(F.LOSS)
    nums: dict[str, object] = {
        f"{r.label()} epochs": int(m.sum()),
        f"{r.label()} fraction E[RP]+2se >= 0": round_sig(frac, 3),
        f"{r.label()} fraction E[RP] >= 0": round_sig(float(np.mean(rp[m] >= 0)), 3),
        f"{r.label()} median E[RP]": round_sig(quantile(rp[m], 0.5), 3),
        f"{r.label()} loss first/last epoch": f"{round_sig(float(f[0]))}/{round_sig(float(f[-1]))}",
    }
    open_ends = int(np.sum(~not_below & ~np.isfinite(se[m])))  # below zero, se not logged
    if frac <= SGD_MOST < frac + open_ends / int(m.sum()):
        raise InconclusiveError(
            f"{r.label()}: {open_ends} epoch end(s) with E[RP] below zero log no standard "
            "error, and whether E[RP] is significantly below zero there decides the majority",
            nums | {f"{r.label()} epoch ends with E[RP] < 0 but no se": open_ends},
        )
    return frac > SGD_MOST, nums


def _relation51(r: RunLog) -> tuple[bool, dict[str, object]]:
    """Experiments 8 and 9, one SGD run: the paired error of (5.1) is small in the epochs.

    ``d`` = E[RP] − RHS per epoch, both sides from the same minibatches, with its paired
    standard error; inconclusive when fewer than ``AGREE_FRAC`` of the epochs resolve
    ``d`` to ``SE51_TARGET``.
    """
    d, dse = r.col(F.RP_MINUS_RHS51), r.col(F.RP_MINUS_RHS51_SE)
    m = np.isfinite(d)
    tag = f"η={r.eta_label}"
    precise = m & np.isfinite(dse) & (dse <= SE51_TARGET)
    n, n_precise = int(m.sum()), int(precise.sum())
    samples = r.col(F.SAMPLES)
    nums: dict[str, object] = {
        f"{tag} epochs with se_d <= {SE51_TARGET}": f"{n_precise}/{n}",
        f"{tag} median se_d": round_sig(quantile(dse[m], 0.5), 3),
        f"{tag} samples per epoch median/max": f"{round_sig(quantile(samples, 0.5))}/"
        f"{round_sig(quantile(samples, 1.0))}",
    }
    if not n or n_precise < AGREE_FRAC * n:
        raise InconclusiveError(
            f"{tag}: the samples resolve LHS - RHS of (5.1) to {SE51_TARGET} in {n_precise} of "
            f"{n} epochs (at least {AGREE_FRAC} needed; sample more: rp_se_target)",
            nums,
        )
    err = np.abs(d[m])
    med, p90 = quantile(err, 0.5), quantile(err, 0.9)
    nums |= {
        f"{tag} |LHS-RHS| median/p90": f"{round_sig(med, 3)}/{round_sig(p90, 3)}",
        f"{tag} paired |d| <= 2 se_d": f"{int(np.sum(err <= SE_K * dse[m]))}/{n}",
    }
    return med <= E43_MEDIAN and p90 <= E43_P90, nums


def _register_relation51(id: str, experiment: str, activation: str, statement: str) -> None:
    """Register the (5.1) check of ``experiment``: its SGD runs on ``activation`` nets."""
    register_every_run(
        id=id,
        location=f"Section 5, (5.1), Experiment {experiment.removeprefix('exp')}",
        statement=statement,
        criterion=f"every run: the paired difference d = E[RP] - RHS per epoch (same "
        f"minibatches) has median |d| <= {E43_MEDIAN} and 90th percentile <= {E43_P90} over the "
        f"epochs (the tolerance of (4.3)); inconclusive unless the paired se of d is <= "
        f"{SE51_TARGET} in at least {AGREE_FRAC} of the epochs; the 2-se test of d is reported",
        kind="approximate",
        experiments=(experiment,),
        ref=(f"Experiment {experiment.removeprefix('exp')}", "(5.1)"),
        runs=(
            f"SGD {activation}",
            lambda r: r.config["opt"] == "sgd" and r.config["activation"] == activation,
        ),
        holds="LHS and RHS of (5.1) agree to the tolerance of (4.3)",
        fails="LHS and RHS of (5.1) differ by more than the tolerance of (4.3) in some run",
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
