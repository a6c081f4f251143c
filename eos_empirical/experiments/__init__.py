r"""The paper's Figure 1 and Experiments 1–9: their specifications, the catalogue, the runner.

``eos experiment --list`` lists them; ``eos experiment exp3`` runs one (``all`` runs every
one; the command line is :mod:`eos_empirical.commands.experiment_cli`).

- :mod:`~eos_empirical.experiments.specs`: what a run, a scale and an experiment are, the
  registry :data:`EXPERIMENTS`, the shared setting :data:`BASE` and the values the paper
  leaves open with their reasons;
- :mod:`~eos_empirical.experiments.paper_experiments`: Figure 1 and Experiments 1–9, each
  quoting the paper (registering it here on import);
- :mod:`~eos_empirical.experiments.runner`: running the runs of named experiments into a
  folder (shared runs once, finished runs skipped).

Importing this package imports no torch; the engine is imported when a run starts.
"""

from eos_empirical.experiments.paper_experiments import gd_run, sgd_run
from eos_empirical.experiments.runner import all_runs, run_config, run_experiments, run_specs
from eos_empirical.experiments.specs import (
    BASE,
    EXPERIMENTS,
    SCALES,
    Experiment,
    RunSpec,
    Scale,
)

__all__ = [
    "BASE",
    "EXPERIMENTS",
    "SCALES",
    "Experiment",
    "RunSpec",
    "Scale",
    "all_runs",
    "gd_run",
    "run_config",
    "run_experiments",
    "run_specs",
    "sgd_run",
]
