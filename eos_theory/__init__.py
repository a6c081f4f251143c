"""Executable mathematics of Ahn, Zhang & Sra (ICML 2022).

"Understanding the Unstable Convergence of Gradient Descent": the paper's quantities as
small pure float64 functions (numpy + autograd + scipy), and a registry of the paper's
claims with their checks.

This package never imports torch or :mod:`eos_empirical`.
"""

from eos_theory.gd import GDTrajectory, run_gd
from eos_theory.progress import relative_progress
from eos_theory.registry import Claim, Verdict, all_claims, claim, get_claim
from eos_theory.sgd import (
    expected_relative_progress,
    mean_cost,
    minibatch_gradients,
    relation51_rhs,
    sgd_identity_quadrature,
    sgd_identity_rhs,
)
from eos_theory.sharpness import hessian_eigenvalues, hessian_matrix, segment_sharpness, sharpness
from eos_theory.smoothness import (
    QuadratureResult,
    directional_smoothness,
    relation43_rhs,
    tau_spread,
    theorem2_quadrature,
    theorem2_rhs,
)
from eos_theory.updates import (
    update_identity_quadrature,
    update_relation43_rhs,
    update_relative_progress,
)

__all__ = [
    "Claim",
    "GDTrajectory",
    "QuadratureResult",
    "Verdict",
    "all_claims",
    "claim",
    "directional_smoothness",
    "expected_relative_progress",
    "get_claim",
    "hessian_eigenvalues",
    "hessian_matrix",
    "mean_cost",
    "minibatch_gradients",
    "relation43_rhs",
    "relation51_rhs",
    "relative_progress",
    "run_gd",
    "segment_sharpness",
    "sgd_identity_quadrature",
    "sgd_identity_rhs",
    "sharpness",
    "tau_spread",
    "theorem2_quadrature",
    "theorem2_rhs",
    "update_identity_quadrature",
    "update_relation43_rhs",
    "update_relative_progress",
]
