"""Fast paths against references derived by hand, each standing on its own (issue 12, item 5).

None of these leans on ``tests/test_reference_values.py`` or on a doctest: each expected value
is derived in the docstring, computed here with exact ``Fraction`` arithmetic where it can
be, and compared with the float64 fast path.

- ``sharpness`` (Section 4.4, lambda_max) at a point with an indefinite Hessian whose most
  negative eigenvalue is the largest in magnitude: the largest *algebraic* eigenvalue is
  meant, not the largest magnitude.
- ``segment_sharpness`` (Corollary 1, L_t) on a segment whose largest sharpness is at the far
  end theta^{t+1}: the end point belongs to the segment.
- ``expected_relative_progress`` (Definition 3) and ``relation51_rhs`` ((5.1)) on a finite sum
  of 1-D quadratics with batch size 2: minibatches are subsets of distinct examples (not
  draws with replacement, not multisets), and (5.1) carries its factor eta/2.

Tolerance: the Hessian-based values are a few float64 operations on O(1) numbers, checked
to 64 eps relative (1.4e-14). The SGD values are differences of losses divided by
eta |grad f|^2, so they are checked to the RP round-off of :mod:`eos_theory.tolerances`
(8 eps of the losses' scale over eta |grad f|^2, about 2e-13 here). Each planted bug moves
the value by more than 1e-3 relative, ten orders of magnitude above either tolerance.
"""

from __future__ import annotations

import importlib
import itertools
from fractions import Fraction

import autograd.numpy as anp
import numpy as np
import pytest

from eos_theory import (
    expected_relative_progress,
    hessian_eigenvalues,
    relation51_rhs,
    segment_sharpness,
    sharpness,
)
from eos_theory.testing import assert_close
from eos_theory.tolerances import rp_roundoff

EPS = float(np.finfo(np.float64).eps)
RTOL = 64 * EPS


def test_sharpness_is_the_largest_algebraic_eigenvalue():
    """lambda_max (Section 4.4) of f = theta1^2/2 - 2 theta2^2: the Hessian is diag(1, -4)
    everywhere, so lambda_max = 1, while the eigenvalue of largest magnitude is -4."""
    f = lambda th: 0.5 * th[0] ** 2 - 2.0 * th[1] ** 2  # noqa: E731
    theta = np.array([0.3, -0.7])
    assert_close("lambda_max", sharpness(f, theta), 1.0, rtol=RTOL, claim="Section 4.4")
    assert_close(
        "Hessian spectrum",
        np.sort(hessian_eigenvalues(f, theta)),
        np.array([-4.0, 1.0]),
        rtol=RTOL,
        claim="Section 4.4",
    )


@pytest.mark.parametrize("dim", [1, 3])
def test_segment_sharpness_reaches_the_far_end(dim):
    """L_t (Corollary 1) of f = sum theta_i^4 from theta = (1, ..., 1) with eta = 3/4: the step
    is theta^1 = theta - eta * 4 theta^3 = -2 in every coordinate; the Hessian is diag(12
    theta_i^2), largest at |theta_i| = 2 on the segment [1, -2], i.e. at its far end theta^1:
    L_t = 12 * 4 = 48."""
    f = lambda th: anp.sum(th**4)  # noqa: E731
    lt = segment_sharpness(f, np.ones(dim), 0.75)
    assert_close("L_t", lt, 48.0, rtol=RTOL, claim="Corollary 1", inputs={"dim": dim})


#: Per-example costs f_i(theta) = a_i/2 (theta - c_i)^2 in 1-D, exact rationals.
A = [Fraction(1), Fraction(2), Fraction(3), Fraction(5)]
C = [Fraction(1), Fraction(-1, 2), Fraction(2), Fraction(1, 3)]
THETA = Fraction(3, 4)


def _costs():
    return [
        (lambda th, a=float(a), c=float(c): 0.5 * a * (th[0] - c) ** 2)
        for a, c in zip(A, C, strict=True)
    ]


def _exact_relation(eta: Fraction, batch: int) -> Fraction:
    r"""-1 + (eta/2) a_bar E_B[g_B^2] / f'(theta)^2, exactly, over the C(4, batch) subsets B.

    For quadratics the full cost has constant curvature a_bar = mean a_i, so
    f(theta - eta g) - f(theta) = -eta g f'(theta) + a_bar eta^2 g^2 / 2; with E_B[g_B] =
    f'(theta) this makes Definition 3 equal to the expression above, and L(theta; eta g) =
    a_bar makes (5.1)'s right-hand side equal to it too."""
    grads = [a * (THETA - c) for a, c in zip(A, C, strict=True)]
    full = sum(grads) / len(grads)
    a_bar = sum(A) / len(A)
    subsets = list(itertools.combinations(range(len(A)), batch))
    mean_g2 = sum((sum(grads[i] for i in b) / batch) ** 2 for b in subsets) / len(subsets)
    return -1 + eta / 2 * a_bar * mean_g2 / full**2


def _rp_tolerance(eta: Fraction, batch: int) -> float:
    """RP round-off: 8 eps of |f(theta)| and of the largest |f(theta - eta g_B)| over
    eta f'(theta)^2 (:func:`eos_theory.tolerances.rp_roundoff`)."""

    def f(x: Fraction) -> Fraction:
        return sum(a / 2 * (x - c) ** 2 for a, c in zip(A, C, strict=True)) / len(A)

    grads = [a * (THETA - c) for a, c in zip(A, C, strict=True)]
    full = sum(grads) / len(grads)
    after = max(
        abs(f(THETA - eta * sum(grads[i] for i in b) / batch))
        for b in itertools.combinations(range(len(A)), batch)
    )
    return rp_roundoff(
        float(abs(f(THETA))), float(after), eta=float(eta), grad_norm_sq=float(full**2)
    )


@pytest.mark.parametrize("batch", [2, 3])
@pytest.mark.parametrize("eta", [Fraction(1, 10), Fraction(3, 4)])
def test_sgd_expectations_over_subsets_of_distinct_examples(batch, eta):
    """Definition 3 (E[RP]) and the right-hand side of (5.1) on four 1-D quadratics with
    batch size 2 and 3 both equal -1 + (eta/2) a_bar E_B[g_B^2]/f'(theta)^2, the expectation
    over the C(4, b) subsets of distinct examples (derivation in _exact_relation). Sampling
    with replacement or over multisets changes E_B[g_B^2]; dropping the 1/2 of (5.1) doubles
    the second term."""
    expected = float(_exact_relation(eta, batch))
    inputs = {"batch_size": batch, "eta": str(eta), "theta": str(THETA)}
    erp = expected_relative_progress(_costs(), [float(THETA)], float(eta), batch)
    rhs = relation51_rhs(_costs(), [float(THETA)], float(eta), batch)
    tol = _rp_tolerance(eta, batch)
    assert_close("E[RP]", erp, expected, atol=tol, claim="Definition 3", inputs=inputs)
    assert_close("(5.1) rhs", rhs, expected, atol=tol, claim="(5.1)", inputs=inputs)


def test_subsets_and_draws_with_replacement_differ_here():
    """The check above can tell the sampling schemes apart: on these costs E_B[g_B^2] over
    subsets of 2 distinct examples differs from its value over ordered draws with
    replacement by more than 1e-3 relative (exact arithmetic)."""
    grads = [a * (THETA - c) for a, c in zip(A, C, strict=True)]
    subsets = list(itertools.combinations(range(4), 2))
    draws = list(itertools.product(range(4), repeat=2))
    sub = sum(((grads[i] + grads[j]) / 2) ** 2 for i, j in subsets) / len(subsets)
    rep = sum(((grads[i] + grads[j]) / 2) ** 2 for i, j in draws) / len(draws)
    assert abs(sub - rep) / abs(sub) > Fraction(1, 1000), (sub, rep)


# --- meta-tests: each check above catches the bug it is there for ---------------------------


class _Shim:
    """A stand-in for a module: ``overrides`` first, the real module for everything else."""

    def __init__(self, module: object, **overrides: object) -> None:
        self._module, self._overrides = module, overrides

    def __getattr__(self, name: str) -> object:
        return self._overrides.get(name, getattr(self._module, name))


def _plant_sampling(monkeypatch, combinations):
    sgd = importlib.import_module("eos_theory.sgd")
    monkeypatch.setattr(sgd, "itertools", _Shim(itertools, combinations=combinations))


@pytest.mark.parametrize(
    "bug",
    [
        pytest.param(lambda r, b: itertools.product(r, repeat=b), id="with-replacement"),
        pytest.param(itertools.combinations_with_replacement, id="multisets"),
    ],
)
def test_meta_subset_check_catches_other_sampling(monkeypatch, bug):
    """Planting SGD sampling with replacement, or over multisets, makes the Definition 3 /
    (5.1) check above fail."""
    _plant_sampling(monkeypatch, bug)
    with pytest.raises(AssertionError):
        test_sgd_expectations_over_subsets_of_distinct_examples(2, Fraction(1, 10))


def test_meta_relation51_check_catches_a_missing_half(monkeypatch):
    """Planting (5.1) without its 1/2 (the second term doubled) makes the check fail."""
    real = relation51_rhs
    monkeypatch.setitem(globals(), "relation51_rhs", lambda *a: 2 * (real(*a) + 1) - 1)
    with pytest.raises(AssertionError):
        test_sgd_expectations_over_subsets_of_distinct_examples(2, Fraction(3, 4))


def test_meta_sharpness_check_catches_largest_magnitude(monkeypatch):
    """Planting lambda_max as the eigenvalue of largest magnitude makes the check fail."""
    sh = importlib.import_module("eos_theory.sharpness")  # the package exports a function too
    real = sh.hessian_eigenvalues
    monkeypatch.setattr(sh, "hessian_eigenvalues", lambda f, th: sorted(real(f, th), key=abs))
    with pytest.raises(AssertionError):
        test_sharpness_is_the_largest_algebraic_eigenvalue()


def test_meta_segment_check_catches_a_grid_without_its_end(monkeypatch):
    """Planting a segment grid that leaves out theta^{t+1} makes the L_t check fail."""
    sh = importlib.import_module("eos_theory.sharpness")

    def linspace(start, stop, num):
        return np.linspace(start, stop, num, endpoint=False)

    monkeypatch.setattr(sh, "np", _Shim(np, linspace=linspace))
    with pytest.raises(AssertionError):
        test_segment_sharpness_reaches_the_far_end(1)
