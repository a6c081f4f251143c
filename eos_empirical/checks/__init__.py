"""Verdicts on the paper's empirical claims (Sections 3–5), decided from saved run logs only.

- :mod:`~eos_empirical.checks.check_registry`: the criteria (thresholds fixed before any
  run was looked at, with their reasons), :class:`EmpiricalCheck`, the registry
  :data:`CHECKS` and :func:`evaluate_all`;
- :mod:`~eos_empirical.checks.log_statistics`: the small statistics of run logs;
- the checks, by paper section: :mod:`~eos_empirical.checks.gd_regime_checks` (Sections
  3.2 and 4.1: Experiments 1–3), :mod:`~eos_empirical.checks.smoothness_checks` (Sections
  4.2–4.3: Experiments 4–6 and (4.3)), :mod:`~eos_empirical.checks.sharpness_checks`
  (Section 4.4: Corollary 1, edge of stability) and :mod:`~eos_empirical.checks.sgd_checks`
  (Section 5: Experiments 7–9).

Importing this package registers every check, in paper order (the order of the report's
verdict table). Runs are read by :mod:`eos_empirical.runlog`. No torch is imported.
"""

# The section modules register their checks on import: kept in paper order.
# isort: off
from eos_empirical.checks import gd_regime_checks
from eos_empirical.checks import smoothness_checks
from eos_empirical.checks import sharpness_checks
from eos_empirical.checks import sgd_checks
from eos_empirical.checks import adaptive_checks as adaptive_checks

# isort: on
from eos_empirical.checks.check_registry import (
    AGREE_FRAC,
    CHECKS,
    CV_MEDIAN,
    CV_P90,
    E43_MEDIAN,
    E43_P90,
    EIG_SLACK,
    EOS_ABOVE,
    EOS_AT,
    EOS_MOST,
    L_BELOW,
    L_NEAR,
    MIN_TAU_ROWS,
    RP_NEAR,
    RP_ZERO,
    SE51_TARGET,
    SE_K,
    SGD_MOST,
    SIGN_RATE,
    UNSTABLE_ROW,
    EmpiricalCheck,
    InconclusiveError,
    MissingRunsError,
    evaluate_all,
    register_check,
)
from eos_empirical.checks.log_statistics import (
    quantile,
    relation43_error,
    round_sig,
    roundoff_rp,
    second_half,
    sign_change_rate,
    tau_rows,
    tau_statistics,
)

__all__ = [
    "AGREE_FRAC",
    "CHECKS",
    "CV_MEDIAN",
    "CV_P90",
    "E43_MEDIAN",
    "E43_P90",
    "EIG_SLACK",
    "EOS_ABOVE",
    "EOS_AT",
    "EOS_MOST",
    "L_BELOW",
    "L_NEAR",
    "MIN_TAU_ROWS",
    "RP_NEAR",
    "RP_ZERO",
    "SE51_TARGET",
    "SE_K",
    "SGD_MOST",
    "SIGN_RATE",
    "UNSTABLE_ROW",
    "EmpiricalCheck",
    "InconclusiveError",
    "MissingRunsError",
    "evaluate_all",
    "gd_regime_checks",
    "quantile",
    "register_check",
    "relation43_error",
    "round_sig",
    "roundoff_rp",
    "second_half",
    "sgd_checks",
    "sharpness_checks",
    "sign_change_rate",
    "smoothness_checks",
    "tau_rows",
    "tau_statistics",
]
