r"""``eos search CLAIM``: hunt for the worst violation of an approximate claim of the paper.

Each searchable claim has a *margin*, a dimensionless number that is positive exactly when
the case is a counterexample (the threshold is stated with the claim), a Hypothesis domain
of cases (:class:`eos_theory.families.Case`) and, where a low-dimensional parametrisation
helps, a box for ``scipy.optimize.differential_evolution``. A search runs three stages:

1. Hypothesis targeted search: ``target(margin)`` in a ``@given`` loop with ``database=None``
   and ``@seed(seed)``, phases generate + target (in chunks when the budget is in seconds);
2. differential evolution (seeded) over the claim's box, if it has one;
3. shrinking: ``hypothesis.find`` for the simplest case whose margin is at least half the
   worst one (the worst case is kept if ``find`` gets nowhere).

Hypothesis is a test extra, so it is imported inside the functions that need it, never at
import time. Output: the worst and the shrunk case as JSON (family, parameters, theta,
eta, the measured quantities and the margin) and a pytest regression test with
``@example``; "no counterexample found in N examples / S seconds" when the margin never
became positive.

Example (the ``--list`` output names every claim):

>>> [c.id for c in SEARCHES.values() if not c.planted]  # doctest: +NORMALIZE_WHITESPACE
['relation43', 'relation51', 'section44-pointwise', 'edge-implies-rp0',
 'erp-implies-unstable']
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from autograd import grad
from scipy.optimize import brentq

from eos_theory.families import Case
from eos_theory.progress import relative_progress
from eos_theory.sgd import expected_relative_progress, minibatch_gradients, relation51_rhs
from eos_theory.sharpness import sharpness
from eos_theory.smoothness import directional_smoothness, relation43_rhs

#: Threshold on the relative error of (4.3) and (5.1): half the gap between
#: RP's stable saturation value -1 and its unstable one 0 (Sections 4.1.1-4.1.2), so an
#: error above it can put a point in the wrong regime.
APPROX_THRESHOLD = 0.5
#: Threshold on |RP| for "L = 2/eta implies RP ~ 0": the same half gap.
RP_ZERO_THRESHOLD = 0.5
#: Margin above which a pointwise inequality counts as violated: far above the float64
#: round-off of RP + 1 - eta*lambda/2 on the bounded domains searched (about 1e-13).
INEQUALITY_ROUNDOFF = 1e-9


class Rejected(ValueError):
    """A case where a claim's quantities are undefined (zero gradient, overflow, no edge)."""


def _guard(fn: Callable[[], dict[str, float]]) -> dict[str, float]:
    """Evaluate ``fn`` with float warnings silenced; non-finite results raise Rejected."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = fn()
        except (ValueError, ArithmeticError, np.linalg.LinAlgError) as exc:
            raise Rejected(str(exc)) from None
    if not all(isinstance(v, int | str) or math.isfinite(v) for v in out.values()):
        raise Rejected(f"non-finite quantity: {out}")
    return out


#: Smallest gradient norm searched: below it RP and L are ratios of round-off (0/0 in effect).
MIN_GRAD_NORM = 1e-6


def _require_gradient(case: Case) -> None:
    """Reject cases whose (full) gradient is below :data:`MIN_GRAD_NORM`."""
    g = grad(case.cost)(case.theta_array)
    if not float(np.linalg.norm(g)) >= MIN_GRAD_NORM:
        raise Rejected(f"|grad f| = {float(np.linalg.norm(g)):.3g} < {MIN_GRAD_NORM}")


def measure_relation43(case: Case) -> dict[str, float]:
    r"""Relative error of (4.3), :math:`r = -1 + \tfrac\eta2 L(\theta;\eta\nabla f)`.

    .. math:: |\mathrm{RP} - r| / \max(1, |\mathrm{RP}|, |r|)

    An absolute error would grow without bound with :math:`\eta` (RP itself does), so the
    error is taken relative to the larger of 1 and the two sides; margin: that minus 0.5.
    """

    def run() -> dict[str, float]:
        _require_gradient(case)
        f, theta, eta = case.cost, case.theta_array, case.eta
        rp = relative_progress(f, theta, eta)
        rhs = relation43_rhs(f, theta, eta)
        err = abs(rp - rhs) / max(1.0, abs(rp), abs(rhs))
        return {"RP": rp, "rhs (4.3)": rhs, "relative error": err, "margin": err - APPROX_THRESHOLD}

    return _guard(run)


def measure_relation51(case: Case) -> dict[str, float]:
    r"""Relative error of (5.1), exact expectations over all minibatches.

    .. math:: |\mathbb{E}[\mathrm{RP}] - r| / \max(1, |\mathbb{E}[\mathrm{RP}]|, |r|)

    with :math:`r` the right-hand side of (5.1); margin: that minus 0.5.
    """

    def run() -> dict[str, float]:
        _require_gradient(case)
        fs, theta, eta = case.costs(), case.theta_array, case.eta
        b = int(case.params["batch_size"])
        lhs = expected_relative_progress(fs, theta, eta, b)
        rhs = relation51_rhs(fs, theta, eta, b)
        err = abs(lhs - rhs) / max(1.0, abs(lhs), abs(rhs))
        return {
            "E[RP]": lhs,
            "rhs (5.1)": rhs,
            "relative error": err,
            "margin": err - APPROX_THRESHOLD,
        }

    return _guard(run)


def measure_section44(case: Case) -> dict[str, float]:
    r"""Pointwise Section 4.4 step: relative excess of (2/eta)(RP + 1) over lambda_max(theta).

    Margin :math:`(\ell - \lambda)/\max(|\ell|, \lambda) - 10^{-9}` with
    :math:`\ell = (2/\eta)(\mathrm{RP} + 1)` and :math:`\lambda = \lambda_{\max}(\nabla^2
    f(\theta)) \ge 0.5` (flatter points are outside the EoS setting searched here and
    are rejected, so that :math:`\eta = 2c/\lambda` is exact): positive exactly when
    Corollary 1 with :math:`L_t` replaced by the sharpness at the current point fails; 1
    means :math:`\ell \gg \lambda`.
    """

    def run() -> dict[str, float]:
        f, theta, eta = case.cost, case.theta_array, case.eta
        _require_gradient(case)
        rp = relative_progress(f, theta, eta)
        lam = sharpness(f, theta)
        if lam < 0.5:
            raise Rejected("lambda_max < 0.5: outside the searched edge-of-stability setting")
        lhs = 2.0 / eta * (rp + 1.0)
        return {
            "RP": rp,
            "(2/eta)(RP+1)": lhs,
            "lambda_max(theta)": lam,
            "2/eta": 2.0 / eta,
            "margin": (lhs - lam) / max(abs(lhs), lam) - INEQUALITY_ROUNDOFF,
        }

    return _guard(run)


def edge_step(case: Case, *, span: float = 4.0, grid: int = 25) -> float:
    r"""The step :math:`\eta^*` nearest ``case.eta`` with :math:`\eta^* L(\theta;\eta^* g) = 2`.

    Scans :math:`\phi(\eta) = \eta L(\theta; \eta\nabla f)/2 - 1` on ``grid`` log-spaced steps
    in :math:`[\eta/\mathrm{span}, \eta\,\mathrm{span}]` and refines the sign change nearest
    ``case.eta`` with Brent's method (``xtol=1e-15``); raises :class:`Rejected` if there is none.
    """
    f, theta = case.cost, case.theta_array
    g = grad(f)(theta)

    def phi(eta: float) -> float:
        return eta * directional_smoothness(f, theta, eta * g) / 2.0 - 1.0

    etas = np.geomspace(case.eta / span, case.eta * span, grid)
    vals = np.array([phi(e) for e in etas])
    ok = np.isfinite(vals)
    changes = [
        i
        for i in range(grid - 1)
        if ok[i] and ok[i + 1] and np.sign(vals[i]) != np.sign(vals[i + 1])
    ]
    if not changes:
        raise Rejected("no step with eta * L = 2 in the scanned range")
    i = min(changes, key=lambda k: abs(math.log(etas[k] / case.eta)))
    return float(brentq(phi, etas[i], etas[i + 1], xtol=1e-15, rtol=4 * np.finfo(float).eps))


def measure_edge(case: Case) -> dict[str, float]:
    r"""RP at the step :math:`\eta^*` where :math:`\eta^* L(\theta;\eta^* g) = 2`.

    Margin :math:`|\mathrm{RP}(\theta;\eta^*)| - 0.5`: positive when "L ~ 2/eta implies RP ~ 0"
    (Section 4.3, after Theorem 2) fails by more than half the regime gap.
    """

    def run() -> dict[str, float]:
        _require_gradient(case)
        eta = edge_step(case)
        f, theta = case.cost, case.theta_array
        rp = relative_progress(f, theta, eta)
        lval = directional_smoothness(f, theta, eta * grad(f)(theta))
        return {
            "eta*": eta,
            "L(theta; eta* grad f)": lval,
            "2/eta*": 2.0 / eta,
            "RP at eta*": rp,
            "margin": abs(rp) - RP_ZERO_THRESHOLD,
        }

    return _guard(run)


def measure_erp_unstable(case: Case) -> dict[str, float]:
    r"""Noise-only test of "E[RP] >= 0 implies the unstable regime" (Section 5, Remark 7).

    Margin :math:`\min(\mathbb{E}[\mathrm{RP}],\ 2/\eta - \lambda_{\max})\cdot\eta/2`:
    positive exactly when :math:`\mathbb{E}[\mathrm{RP}] > 0` although GD on the full cost
    is stable, :math:`\lambda_{\max}(\nabla^2 f(\theta)) < 2/\eta`.
    """

    def run() -> dict[str, float]:
        _require_gradient(case)
        fs, theta, eta = case.costs(), case.theta_array, case.eta
        b = int(case.params["batch_size"])
        erp = expected_relative_progress(fs, theta, eta, b)
        lam = sharpness(case.cost, theta)
        gs = minibatch_gradients(fs, theta, b)
        full = gs.mean(axis=0)
        noise = float(np.mean(np.sum((gs - full) ** 2, axis=1)) / (full @ full))
        return {
            "E[RP]": erp,
            "lambda_max": lam,
            "2/eta": 2.0 / eta,
            "E|g - grad f|^2 / |grad f|^2": noise,
            "margin": min(erp, (2.0 / eta - lam) * eta / 2.0),
        }

    return _guard(run)


def measure_planted(case: Case) -> dict[str, float]:
    r"""Planted (false) claim for testing the search: "RP < 0 whenever eta lambda_max < 2.1".

    Margin :math:`\mathrm{RP}`; the domain draws :math:`\eta\lambda_{\max}/2 \in [0.5, 1.05]`,
    so counterexamples exist (gradient aligned with the top eigenvector and
    :math:`\eta\lambda_{\max} > 2`) but fill only a small corner of it.
    """

    def run() -> dict[str, float]:
        rp = relative_progress(case.cost, case.theta_array, case.eta)
        return {
            "RP": rp,
            "eta*lambda_max/2": case.eta * sharpness(case.cost, case.theta_array) / 2,
            "margin": rp - INEQUALITY_ROUNDOFF,
        }

    return _guard(run)


# ----------------------------------------------------------------------------------------
# Domains: Hypothesis draws (``data.draw(strategy, label=...)``) and DE boxes.
# ----------------------------------------------------------------------------------------


def _poly_terms(coefs: list[float], dim: int) -> list[list[Any]]:
    """Monomials of degree 1..4 in ``dim`` <= 2 variables, in a fixed order, with ``coefs``."""
    exps = [[i, j][:dim] for i in range(5) for j in range(5 if dim == 2 else 1) if 1 <= i + j <= 4]
    return [[float(c), e] for c, e in zip(coefs, exps, strict=False)]


def _n_monomials(dim: int) -> int:
    return 4 if dim == 1 else 14


def _step_for(case: Case, c: float) -> float:
    r""":math:`\eta = 2c/\max(\lambda_{\max}(\theta), 0.5)`: at most :math:`4c` on flat points."""
    with np.errstate(all="ignore"):
        lam = sharpness(case.cost, case.theta_array)
    return 2.0 * float(c) / max(float(lam), 0.5)


def _draw_single(data: Any, *, c_range: tuple[float, float] = (0.05, 3.0)) -> Case:
    """A polynomial (1-2 variables), flattened (1-2 variables) or network case."""
    from hypothesis import strategies as st

    fl = st.floats
    family = data.draw(st.sampled_from(["polynomial", "flattened", "network"]), label="family")
    if family == "polynomial":
        dim = data.draw(st.integers(1, 2), label="dim")
        k = _n_monomials(dim)
        coefs = data.draw(st.lists(fl(-2, 2), min_size=k, max_size=k), label="coefficients")
        params: dict[str, Any] = {"terms": _poly_terms(coefs, dim)}
    elif family == "flattened":
        dim = data.draw(st.integers(1, 2), label="dim")
        eig = data.draw(st.lists(fl(0.1, 50), min_size=dim, max_size=dim), label="eigenvalues")
        params = {
            "outer": data.draw(st.sampled_from(["tanh", "log1p", "rational"]), label="outer"),
            "eigenvalues": eig,
            "rotation_seed": data.draw(st.integers(0, 9), label="rotation seed"),
            "center": [0.0] * dim,
        }
    else:
        params = {
            "activation": data.draw(st.sampled_from(["tanh", "softplus"]), label="activation"),
            "width": 2,
            "n_inputs": 1,
            "n_points": 3,
            "data_seed": data.draw(st.integers(0, 9), label="data seed"),
        }
        dim = 4
    theta = data.draw(st.lists(fl(-2, 2), min_size=dim, max_size=dim), label="theta")
    case = Case(family, params, theta, 1.0)
    c = data.draw(fl(*c_range), label="eta * lambda_max / 2")
    return Case(family, params, theta, _step_for(case, c), note=f"c={float(c)!r}")


def _vector_single(x: np.ndarray) -> Case:
    """DE box for single costs: 1-D quartic polynomial coefficients, theta and c."""
    coefs, theta, c = x[:4], x[4], x[5]
    case = Case("polynomial", {"terms": _poly_terms(list(coefs), 1)}, (theta,), 1.0)
    return Case(case.family, case.params, case.theta, _step_for(case, c), note=f"c={float(c)!r}")


_SINGLE_BOUNDS = [(-2.0, 2.0)] * 4 + [(-2.0, 2.0), (0.05, 3.0)]


def _draw_finite_poly(data: Any) -> Case:
    """Finite sum of 2-3 one-variable quartics, batch size 1..n-1, eta relative to f."""
    from hypothesis import strategies as st

    n = data.draw(st.integers(2, 3), label="examples n")
    terms_list = [
        _poly_terms(
            data.draw(st.lists(st.floats(-2, 2), min_size=4, max_size=4), label=f"f_{i} coefs"), 1
        )
        for i in range(n)
    ]
    b = data.draw(st.integers(1, n - 1), label="batch size")
    theta = [data.draw(st.floats(-2, 2), label="theta")]
    params = {"kind": "polynomial", "terms_list": terms_list, "batch_size": b}
    case = Case("finite_sum", params, theta, 1.0)
    c = data.draw(st.floats(0.05, 3.0), label="eta * lambda_max / 2")
    return Case("finite_sum", params, theta, _step_for(case, c), note=f"c={float(c)!r}")


def _vector_finite_poly(x: np.ndarray) -> Case:
    """DE box: two one-variable quartics (8 coefficients), theta, c; batch size 1."""
    params = {
        "kind": "polynomial",
        "terms_list": [_poly_terms(list(x[:4]), 1), _poly_terms(list(x[4:8]), 1)],
        "batch_size": 1,
    }
    case = Case("finite_sum", params, (x[8],), 1.0)
    return Case("finite_sum", params, case.theta, _step_for(case, x[9]), note=f"c={float(x[9])!r}")


_FINITE_POLY_BOUNDS = [(-2.0, 2.0)] * 8 + [(-2.0, 2.0), (0.05, 3.0)]


def _noise_case(
    centers: list[list[float]], lam: list[float], offset: list[float], c: float, batch: int
) -> Case:
    """Finite sum of quadratics with one Hessian; theta = mean center + offset; stable eta."""
    params = {
        "kind": "quadratic",
        "eigenvalues": lam,
        "rotation_seed": 0,
        "centers": centers,
        "batch_size": batch,
    }
    theta = np.mean(np.asarray(centers), axis=0) + np.asarray(offset)
    return Case("finite_sum", params, theta, 2.0 * c / max(lam), note=f"c={float(c)!r}")


def _draw_noise(data: Any) -> Case:
    """Noise-only finite sums: same Hessian P for every example, different centers."""
    from hypothesis import strategies as st

    dim = data.draw(st.integers(1, 2), label="dim")
    n = data.draw(st.integers(2, 4), label="examples n")
    lam = data.draw(st.lists(st.floats(0.1, 10), min_size=dim, max_size=dim), label="eig P")
    centers = data.draw(
        st.lists(st.lists(st.floats(-1, 1), min_size=dim, max_size=dim), min_size=n, max_size=n),
        label="centers",
    )
    offset = data.draw(st.lists(st.floats(0.05, 1), min_size=dim, max_size=dim), label="offset")
    c = data.draw(st.floats(0.05, 0.95), label="eta * lambda_max / 2")
    b = data.draw(st.integers(1, n - 1), label="batch size")
    return _noise_case(centers, lam, offset, c, b)


def _vector_noise(x: np.ndarray) -> Case:
    """DE box: 1-D, two centers, lambda, offset, c; batch size 1."""
    return _noise_case([[x[0]], [x[1]]], [x[2]], [x[3]], x[4], 1)


_NOISE_BOUNDS = [(-1.0, 1.0), (-1.0, 1.0), (0.1, 10.0), (0.05, 1.0), (0.05, 0.95)]


def _draw_planted(data: Any) -> Case:
    """PD quadratics in 2-3 dimensions with eta * lambda_max / 2 in [0.5, 1.05]."""
    from hypothesis import strategies as st

    dim = data.draw(st.integers(2, 3), label="dim")
    lam = data.draw(st.lists(st.floats(0.5, 10), min_size=dim, max_size=dim), label="eig P")
    theta = data.draw(st.lists(st.floats(-2, 2), min_size=dim, max_size=dim), label="theta")
    c = data.draw(st.floats(0.5, 1.05), label="eta * lambda_max / 2")
    params = {"eigenvalues": lam, "rotation_seed": 0}
    return Case("quadratic", params, theta, 2.0 * c / max(lam), note=f"c={float(c)!r}")


@dataclass(frozen=True)
class SearchClaim:
    """A searchable approximate claim: its statement, margin, domains and threshold text."""

    id: str
    location: str
    statement: str
    margin_text: str
    measure: Callable[[Case], dict[str, float]]
    draw: Callable[[Any], Case]
    vector: Callable[[np.ndarray], Case] | None = None
    bounds: list[tuple[float, float]] = field(default_factory=list)
    planted: bool = False


SEARCHES: dict[str, SearchClaim] = {
    c.id: c
    for c in (
        SearchClaim(
            "relation43",
            "Section 4.3, relation (4.3)",
            "RP(theta) ~ -1 + (eta/2) L(theta; eta grad f(theta))",
            f"|RP - rhs(4.3)| / max(1, |RP|, |rhs|) - {APPROX_THRESHOLD}",
            measure_relation43,
            _draw_single,
            _vector_single,
            _SINGLE_BOUNDS,
        ),
        SearchClaim(
            "relation51",
            "Section 5, relation (5.1)",
            "E[RP] ~ -1 + (eta/2) E[|g|^2 L(theta; eta g) / |grad f|^2]",
            f"|E[RP] - rhs(5.1)| / max(1, |E[RP]|, |rhs|) - {APPROX_THRESHOLD}",
            measure_relation51,
            _draw_finite_poly,
            _vector_finite_poly,
            _FINITE_POLY_BOUNDS,
        ),
        SearchClaim(
            "section44-pointwise",
            "Section 4.4, the step (2/eta)(RP+1) ~ lim_{tau->0} L(theta; eta tau grad f) "
            "<= lambda_max (club)",
            "(2/eta)(RP(theta) + 1) <= lambda_max(Hessian at theta), Corollary 1 read at the "
            "current point",
            "((2/eta)(RP+1) - lambda_max) / max(|(2/eta)(RP+1)|, lambda_max) - "
            f"{INEQUALITY_ROUNDOFF}",
            measure_section44,
            _draw_single,
            _vector_single,
            _SINGLE_BOUNDS,
        ),
        SearchClaim(
            "edge-implies-rp0",
            "Section 4.3 (after Theorem 2) and Takeaway 3",
            "L(theta; eta grad f) ~ 2/eta implies RP(theta) ~ 0",
            f"|RP| - {RP_ZERO_THRESHOLD} at the step eta* with eta* L(theta; eta* grad f) = 2",
            measure_edge,
            _draw_single,
            _vector_single,
            _SINGLE_BOUNDS,
        ),
        SearchClaim(
            "erp-implies-unstable",
            "Section 5, Experiment 7 and Remark 7",
            "E[RP] >= 0 suggests SGD is in the unstable regime",
            "min(E[RP], 1 - eta lambda_max/2): positive when E[RP] > 0 with lambda_max < 2/eta",
            measure_erp_unstable,
            _draw_noise,
            _vector_noise,
            _NOISE_BOUNDS,
        ),
        SearchClaim(
            "planted-rp-negative",
            "none (planted false claim, for testing the search)",
            "RP < 0 on positive definite quadratics whenever eta lambda_max < 2.1",
            "RP",
            measure_planted,
            _draw_planted,
            planted=True,
        ),
    )
}


def measure(claim_id: str, case: Case) -> dict[str, float]:
    """The measured quantities and ``margin`` of ``case`` for the search ``claim_id``."""
    if claim_id not in SEARCHES:
        raise ValueError(f"unknown claim {claim_id!r}; known: {', '.join(SEARCHES)}")
    return SEARCHES[claim_id].measure(case)


@dataclass
class SearchResult:
    """Outcome of a search: the worst case, the shrunk one, and what was spent."""

    claim: str
    seed: int
    examples: int = 0
    seconds: float = 0.0
    worst: Case | None = None
    worst_measured: dict[str, float] = field(default_factory=dict)
    worst_source: str = ""
    shrunk: Case | None = None
    shrunk_measured: dict[str, float] = field(default_factory=dict)
    rejected: int = 0

    @property
    def margin(self) -> float:
        """The worst margin found (``-inf`` if no case was measurable)."""
        return float(self.worst_measured.get("margin", -math.inf))

    @property
    def found(self) -> bool:
        """Whether a counterexample (margin > 0) was found."""
        return self.margin > 0

    def offer(self, case: Case, measured: dict[str, float], source: str) -> None:
        """Keep ``case`` if its margin beats the worst so far."""
        if measured["margin"] > self.margin:
            self.worst, self.worst_measured, self.worst_source = case, measured, source

    def to_dict(self, budget: str = "") -> dict[str, Any]:
        """JSON-ready summary."""
        out: dict[str, Any] = {
            "claim": self.claim,
            "seed": self.seed,
            "budget": budget,
            "examples": self.examples,
            "seconds": round(self.seconds, 2),
            "found": self.found,
            "margin": self.margin if self.worst else None,
        }
        if self.worst is not None:
            out["worst"] = {
                **self.worst.to_dict(),
                "measured": self.worst_measured,
                "source": self.worst_source,
            }
        if self.shrunk is not None:
            out["shrunk"] = {**self.shrunk.to_dict(), "measured": self.shrunk_measured}
        return out


class _Progress:
    def __init__(self, claim: str, stream: Any, every: float = 2.0):
        self.claim, self.stream, self.every = claim, stream, every
        self.last = 0.0

    def __call__(self, result: SearchResult, stage: str, force: bool = False) -> None:
        if self.stream is None:
            return
        now = time.perf_counter()
        if force or now - self.last >= self.every:
            self.last = now
            print(
                f"[{self.claim}] {stage}: {result.examples} examples, {result.seconds:.1f} s, "
                f"worst margin {result.margin:.6g}",
                file=self.stream,
                flush=True,
            )


def _hypothesis_stage(
    claim: SearchClaim,
    result: SearchResult,
    *,
    seed: int,
    max_examples: int,
    progress: _Progress,
    start: float,
) -> None:
    from hypothesis import HealthCheck, Phase, given, reject, settings, target
    from hypothesis import seed as hseed
    from hypothesis import strategies as st

    @hseed(seed)
    @settings(
        max_examples=max_examples,
        database=None,
        deadline=None,
        derandomize=False,
        phases=[Phase.generate, Phase.target],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def explore(data: Any) -> None:
        result.examples += 1
        result.seconds = time.perf_counter() - start
        try:
            case = claim.draw(data)
            measured = claim.measure(case)
        except Rejected:
            result.rejected += 1
            reject()
        target(measured["margin"], label=claim.id)
        result.offer(case, measured, "hypothesis targeted search")
        progress(result, "hypothesis")

    explore()


def _optimizer_stage(
    claim: SearchClaim,
    result: SearchResult,
    *,
    seed: int,
    maxiter: int,
    deadline: float,
    progress: _Progress,
    start: float,
) -> None:
    from scipy.optimize import differential_evolution

    class _Timeout(Exception):
        pass

    def objective(x: np.ndarray) -> float:
        if time.perf_counter() > deadline:
            raise _Timeout
        result.examples += 1
        result.seconds = time.perf_counter() - start
        try:
            case = claim.vector(x)
            measured = claim.measure(case)
        except (Rejected, ValueError):
            return 1e6
        result.offer(case, measured, f"differential_evolution(seed={seed})")
        progress(result, "differential evolution")
        return -measured["margin"]

    try:
        differential_evolution(
            objective,
            claim.bounds,
            seed=seed,
            maxiter=maxiter,
            popsize=8,
            tol=0,
            polish=True,
            init="sobol",
        )
    except _Timeout:
        pass


def _shrink_stage(
    claim: SearchClaim, result: SearchResult, *, seed: int, max_examples: int
) -> None:
    """Simplest case (Hypothesis order) whose margin is at least half the worst one."""
    import random

    from hypothesis import HealthCheck, find, settings
    from hypothesis import strategies as st
    from hypothesis.errors import NoSuchExample, Unsatisfiable

    if not result.found:
        return
    goal = 0.5 * result.margin

    class _Adapter:
        def __init__(self, draw: Any):
            self._draw = draw

        def draw(self, strategy: Any, label: str | None = None) -> Any:
            return self._draw(strategy)

    @st.composite
    def cases(draw: Any) -> Case:
        return claim.draw(_Adapter(draw))

    def condition(case: Case) -> bool:
        try:
            return claim.measure(case)["margin"] >= goal
        except Rejected:
            return False

    try:
        shrunk = find(
            cases(),
            condition,
            settings=settings(
                max_examples=max_examples,
                database=None,
                deadline=None,
                suppress_health_check=list(HealthCheck),
            ),
            random=random.Random(seed),
        )
    except (NoSuchExample, Unsatisfiable):
        return
    result.shrunk, result.shrunk_measured = shrunk, claim.measure(shrunk)


def run_search(
    claim_id: str,
    *,
    seed: int = 0,
    max_examples: int | None = 500,
    seconds: float | None = None,
    optimizer: bool = True,
    shrink: bool = True,
    progress_stream: Any = None,
) -> SearchResult:
    """Search ``claim_id`` for the worst margin within ``max_examples`` or ``seconds``.

    With an example budget, about 2/3 go to Hypothesis and 1/3 to differential evolution
    (when the claim has a box); with a time budget the same split applies to the time.
    Shrinking gets up to 200 further examples.
    """
    if claim_id not in SEARCHES:
        raise ValueError(f"unknown claim {claim_id!r}; known: {', '.join(SEARCHES)}")
    if (max_examples is None) == (seconds is None):
        raise ValueError("give exactly one of max_examples and seconds")
    claim = SEARCHES[claim_id]
    result = SearchResult(claim_id, seed)
    progress = _Progress(claim_id, progress_stream)
    start = time.perf_counter()
    use_de = optimizer and claim.vector is not None and bool(claim.bounds)
    share = 2 / 3 if use_de else 1.0
    if seconds is not None:
        hyp_deadline = start + share * seconds
        chunk, k = 50, 0  # the clock is read between chunks (a run must not end mid-way)
        while time.perf_counter() < hyp_deadline:
            _hypothesis_stage(
                claim,
                result,
                seed=seed * 10_007 + k,
                max_examples=chunk,
                progress=progress,
                start=start,
            )
            k += 1
        de_deadline, de_iter = start + seconds, 10_000
    else:
        n_hyp = max(1, int(share * max_examples))
        _hypothesis_stage(
            claim,
            result,
            seed=seed,
            max_examples=n_hyp,
            progress=progress,
            start=start,
        )
        n_de = max_examples - n_hyp
        de_iter = max(0, n_de // (8 * max(1, len(claim.bounds))) - 1)
        de_deadline = math.inf
    if use_de and (seconds is not None or de_iter > 0):
        _optimizer_stage(
            claim,
            result,
            seed=seed,
            maxiter=de_iter,
            deadline=de_deadline,
            progress=progress,
            start=start,
        )
    result.seconds = time.perf_counter() - start
    progress(result, "search done", force=True)
    if shrink:
        _shrink_stage(claim, result, seed=seed, max_examples=200)
    return result


def regression_snippet(result: SearchResult, budget: str) -> str:
    """A ready-to-paste pytest regression test pinning the case with ``@example``."""
    case = result.shrunk or result.worst
    if case is None:
        return ""
    measured = result.shrunk_measured if result.shrunk else result.worst_measured
    name = result.claim.replace("-", "_")
    return f'''import json

from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st

from eos_theory.families import Case
from eos_theory.search import measure
from eos_theory.testing import assert_close


@example(case_json={case.to_json()!r})
@settings(phases=[Phase.explicit], database=None, deadline=None)
@given(case_json=st.just(""))
def test_{name}_counterexample_seed{result.seed}(case_json):
    """{SEARCHES[result.claim].location}: counterexample, margin {measured["margin"]:.6g}.

    Found by `eos search {result.claim} --seed {result.seed} --budget {budget}`.
    """
    measured = measure({result.claim!r}, Case.from_dict(json.loads(case_json)))
    assert measured["margin"] > 0, measured
    assert_close("margin", measured["margin"], {measured["margin"]!r}, rtol=1e-6,
                 claim={SEARCHES[result.claim].location!r}, inputs={{"case": case_json}})
'''


def _parse_budget(text: str) -> tuple[int | None, float | None]:
    text = text.strip().lower()
    try:
        if text.endswith("s"):
            value = float(text[:-1])
            if value > 0:
                return None, value
        else:
            n = int(text)
            if n > 0:
                return n, None
    except ValueError:
        pass
    raise ValueError(
        f"--budget must be a positive example count (500) or seconds (30s), got {text!r}"
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``eos search``; returns the exit code (0 also when a case is found)."""
    parser = argparse.ArgumentParser(
        prog="eos search",
        description="Hunt for the worst violation of an approximate claim of the paper "
        "(Hypothesis targeted search + differential evolution).",
    )
    parser.add_argument("claim", nargs="?", help="claim to search (see --list)")
    parser.add_argument("--list", action="store_true", help="list the searchable claims")
    parser.add_argument("--seed", type=int, default=0, help="seed of every stage (default 0)")
    parser.add_argument(
        "--budget", default="500", help="examples (e.g. 500) or seconds with a suffix (e.g. 30s)"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON only")
    parser.add_argument(
        "--no-optimizer", action="store_true", help="skip the differential-evolution stage"
    )
    args = parser.parse_args(argv)
    if args.list:
        for c in SEARCHES.values():
            tag = "  (planted, tests the search)" if c.planted else ""
            print(f"{c.id}{tag}\n    {c.location}: {c.statement}\n    margin: {c.margin_text}")
        return 0
    if not args.claim:
        parser.print_usage(sys.stderr)
        print("eos search: give a CLAIM or --list", file=sys.stderr)
        return 2
    if args.claim not in SEARCHES:
        print(
            f"eos search: unknown claim {args.claim!r}; known: {', '.join(SEARCHES)}",
            file=sys.stderr,
        )
        return 2
    try:
        n, secs = _parse_budget(args.budget)
    except ValueError as exc:
        print(f"eos search: {exc}", file=sys.stderr)
        return 2
    result = run_search(
        args.claim,
        seed=args.seed,
        max_examples=n,
        seconds=secs,
        optimizer=not args.no_optimizer,
        progress_stream=sys.stderr,
    )
    summary = result.to_dict(args.budget)
    if args.json:
        print(json.dumps(summary, indent=2, sort_keys=True))
        return 0
    if not result.found:
        print(
            f"no counterexample found in {result.examples} examples / "
            f"{result.seconds:.1f} seconds (worst margin {result.margin:.6g}, seed {args.seed})"
        )
    else:
        print(
            f"counterexample to {args.claim}: worst margin {result.margin:.6g} "
            f"({result.worst_source}; {result.examples} examples, {result.seconds:.1f} s, "
            f"seed {args.seed})"
        )
    print(json.dumps(summary, indent=2, sort_keys=True))
    if result.found:
        print("\n# ready-to-paste regression test\n" + regression_snippet(result, args.budget))
    return 0


if __name__ == "__main__":
    sys.exit(main())
