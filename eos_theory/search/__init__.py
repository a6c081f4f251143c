r"""Counterexample search (``eos search CLAIM``): the worst violation of an approximate claim.

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
import time. Output (``eos search``, :mod:`eos_empirical.commands.search_cli`): the worst
and the shrunk case as JSON (family, parameters, theta, eta, the measured quantities and
the margin) and a pytest regression test with ``@example``; "no counterexample found in N
examples / S seconds" when the margin never became positive. Progress (examples or seconds
of the budget, stage, worst margin so far) reaches the command through the plain callback
``on_progress`` of :func:`run_search`.

Modules: :mod:`~eos_theory.search.margins` (what is measured per case, the thresholds),
:mod:`~eos_theory.search.domains` (Hypothesis draws, optimizer boxes),
:mod:`~eos_theory.search.catalog` (the searchable claims, :func:`measure`),
:mod:`~eos_theory.search.engine` (:func:`run_search` and its stages) and
:mod:`~eos_theory.search.codegen` (the regression test printed for a counterexample).

Example (the ``--list`` output names every claim):

>>> [c.id for c in SEARCHES.values() if not c.planted]  # doctest: +NORMALIZE_WHITESPACE
['relation43', 'relation51', 'section44-pointwise', 'edge-implies-rp0',
 'erp-implies-unstable']
"""

from eos_theory.search.catalog import SEARCHES, SearchClaim, measure
from eos_theory.search.codegen import regression_snippet
from eos_theory.search.engine import ProgressHook, SearchResult, run_search
from eos_theory.search.margins import (
    APPROX_THRESHOLD,
    INEQUALITY_ROUNDOFF,
    MIN_GRAD_NORM,
    RP_ZERO_THRESHOLD,
    Rejected,
    edge_step,
    measure_edge,
    measure_erp_unstable,
    measure_planted,
    measure_relation43,
    measure_relation51,
    measure_section44,
)

__all__ = [
    "APPROX_THRESHOLD",
    "INEQUALITY_ROUNDOFF",
    "MIN_GRAD_NORM",
    "RP_ZERO_THRESHOLD",
    "SEARCHES",
    "ProgressHook",
    "Rejected",
    "SearchClaim",
    "SearchResult",
    "edge_step",
    "measure",
    "measure_edge",
    "measure_erp_unstable",
    "measure_planted",
    "measure_relation43",
    "measure_relation51",
    "measure_section44",
    "regression_snippet",
    "run_search",
]
