r"""What an experiment is: its runs, the scales it runs at, the registry, the shared setting.

:class:`RunSpec` (one training run of an experiment, by the configuration fields beyond
:data:`BASE`), :class:`Scale` and :data:`SCALES` (the sizes at which the experiments run),
:class:`Experiment` and the registry :data:`EXPERIMENTS` (filled by
:mod:`eos_empirical.experiments.paper_experiments`), and the values the paper leaves open,
each chosen once with its reason.

Scales. ``--scale paper`` (default) is the paper's size; ``--scale cpu`` is the reduced
size for a CPU (``n = 1000`` examples and capped steps/epochs/samples, see
:data:`SCALES`); ``--scale smoke`` is a seconds-long wiring check. The step sizes, the
architecture, the loss and the measurement grids are the same at every scale. A reduced
run says so: its ``experiment.json`` and a ``scale`` entry added to its ``config.json``
carry ``"reduced": true`` and what was reduced, and the command prints it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from eos_empirical.checks.check_registry import SE51_TARGET

#: The setting every experiment shares (Cohen et al. 2021, Section 3; the paper's Exp. 1).
BASE: dict[str, Any] = {
    "dataset": "cifar10",
    "n": 5000,
    "arch": "fc",
    "width": 200,
    "depth": 2,
    "loss": "ce",
    "acc_target": 0.95,
    "seed": 0,
}

# --- values the paper leaves open: chosen once, with the reason -------------------------
#: Experiment 2, stable regime. The paper says "much smaller step sizes so that GD is in the
#: stable regime" and gives none. Chosen: 2/200 and 2/400, far below the unstable 2/30 and
#: 2/60 (2/eta = 200, 400 against sharpness up to 94 in a pilot run at n = 1000, linear
#: net, eta = 2/30); pilot runs (n = 1000, tanh) at 2/60 and 2/90 already stayed stable
#: (max eta*L/2 = 0.06 and 0.04). Steps to 95% scale like 1/eta in this regime (about
#: 6/eta at n = 1000). Judged by the checks exp2.stable-rp and exp4.stable-L-below.
STABLE_ETAS = ("2/200", "2/400")
#: Experiment 3, unstable regime: "step sizes larger so that GD operates in the unstable
#: convergence regime". Chosen: 2/20, 2/30 (Experiment 1's and Figure 1's) and 2/60
#: (Experiment 5's, "the same setting as Experiment 3", hence unstable at the paper's
#: scale); 2/20 is the largest below the diverging 2/10 on the 2/k grid used here. Plus
#: 2/10, which Remark 4 says diverges. Pilot runs at the reduced n = 1000 (tanh): 2/20 and
#: 2/30 reach the edge of stability (eta*L/2 ≈ 1 from step 100-150) but 2/60 stays stable
#: until 95% accuracy (max eta*L/2 = 0.06): at that scale the 2/60 run does not test the
#: unstable regime, and the report says so.
UNSTABLE_ETAS = ("2/20", "2/30", "2/60")
DIVERGING_ETA = "2/10"
#: Sharpness every 20 GD steps (Cohen et al. compute it every 20 or 50 iterations; the
#: paper does not say): enough points for the Section 4.4 checks, about 1/3 extra cost.
EIG_EVERY = 20
#: Experiment 1 and Figure 1 do not stop at the accuracy target (the paper plots a fixed
#: horizon and the point is whether the linear net diverges, which a target could hide):
#: a fixed budget of 3000 GD steps (acc_target 1.0: stop only at 100% train accuracy).
EXP1_STEPS = 3000
#: GD step caps at the paper's scale (generous: the stop rule is the 95% target).
MAX_STEPS = 100_000
#: SGD (Experiments 7-9): minibatch samples for E[RP] and (5.1) per epoch. The paper does
#: not say. Chosen by precision, not by count: minibatches are drawn in blocks until the
#: paired standard error of LHS - RHS of (5.1) is at most RP_SE_TARGET (the (5.1) check's
#: SE51_TARGET, a 2-se band of half its tolerance), at most RP_SAMPLES (the per-sample sd
#: of LHS - RHS measured at n = 1000 is 0.3-0.9, so 150-1300 draws). Epochs: until 95%
#: train accuracy, capped at SGD_EPOCHS = 200, a safeguard (the reduced runs needed 15-17
#: epochs at 2/50), not a limit that decides a verdict.
RP_SAMPLES = 2000
RP_SE_TARGET = SE51_TARGET
SGD_EPOCHS = 200


@dataclass(frozen=True)
class RunSpec:
    """One training run of an experiment.

    ``name`` is the run's folder (named after its configuration, so experiments that need
    the same run share it), ``regime`` the registry's label that the checks read
    (``stable``, ``unstable``, ``diverge``, ``sgd``: the regime the paper expects),
    ``options`` the :class:`~eos_empirical.config.RunConfig` fields at the paper's scale
    beyond :data:`BASE`, ``reduced`` per-scale overrides (e.g. a step cap) for this run.
    """

    name: str
    regime: str
    options: Mapping[str, Any]
    reduced: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def fields(self, scale: Scale) -> dict[str, Any]:
        """The run's config fields at ``scale`` (before data root, device and dtype)."""
        out = dict(BASE) | dict(self.options)
        out = scale.apply(out)
        return out | dict(self.reduced.get(scale.name, {}))


@dataclass(frozen=True)
class Scale:
    """A size at which the experiments run.

    ``n`` replaces the number of examples, ``max_steps``, ``epochs`` and ``rp_samples`` cap
    the GD steps, SGD epochs and E[RP] samples (``None``: unchanged); ``width`` replaces the
    hidden width (smoke only). ``note`` says in words what is reduced.
    """

    name: str
    note: str
    n: int | None = None
    max_steps: int | None = None
    epochs: int | None = None
    rp_samples: int | None = None
    width: int | None = None

    @property
    def reduced(self) -> bool:
        """Whether anything differs from the paper's size."""
        return any(
            v is not None
            for v in (self.n, self.max_steps, self.epochs, self.rp_samples, self.width)
        )

    def apply(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        """``fields`` with this scale's replacements and caps."""
        out = dict(fields)
        if self.n is not None:
            out["n"] = self.n
        if self.width is not None:
            out["width"] = self.width
        for key in ("max_steps", "epochs", "rp_samples"):
            cap = getattr(self, key)
            if cap is not None and key in out:
                out[key] = min(int(out[key]), cap)
        return out

    def describe(self) -> dict[str, Any]:
        """JSON-ready description for ``experiment.json`` and ``config.json``."""
        return {
            "name": self.name,
            "reduced": self.reduced,
            "note": self.note,
            **{
                k: getattr(self, k)
                for k in ("n", "max_steps", "epochs", "rp_samples", "width")
                if getattr(self, k) is not None
            },
        }


SCALES: dict[str, Scale] = {
    "paper": Scale("paper", "the paper's size: n = 5000, width 200, full step budgets"),
    "cpu": Scale(
        "cpu",
        "REDUCED for a CPU: n = 1000 examples instead of 5000, GD capped at 1500 steps "
        "(800 in Experiment 1), SGD capped at 20 epochs with at most 32 minibatch samples for "
        "E[RP] (too few for the standard-error target of (5.1), which is then inconclusive); "
        "step sizes, architecture, loss, sharpness interval and tau grid unchanged",
        n=1000,
        max_steps=1500,
        epochs=20,
        rp_samples=32,
    ),
    "smoke": Scale(
        "smoke",
        "REDUCED to a wiring check: n = 64 examples, width 16, 12 steps/2 epochs, 4 samples",
        n=64,
        max_steps=12,
        epochs=2,
        rp_samples=4,
        width=16,
    ),
}


@dataclass(frozen=True)
class Experiment:
    """A named experiment: its paper text (``doc``), runs, checks and figure kind."""

    name: str
    title: str
    location: str
    doc: str
    runs: tuple[RunSpec, ...]
    checks: tuple[str, ...]
    figure: str


#: Experiment name -> :class:`Experiment`, in the paper's order (Figure 1, then Experiments
#: 1-9); filled when :mod:`eos_empirical.experiments.paper_experiments` is imported.
EXPERIMENTS: dict[str, Experiment] = {}

# --- beyond the paper (Section 6, adaptive methods) ----------------------------------------
#: ``adam-eos``: full-batch Adam step sizes, the same for the FC tanh net and cnn-relu. Cohen
#: et al. 2022 pick eta so that the preconditioned sharpness reaches 38/eta within the
#: training budget; the threshold 38/eta is 380000, 190000 and 95000 here. A doubling grid
#: (as GD's 2/60, 2/30) around the largest, where a pilot (n = 2000, FC tanh, eta = 4e-4;
#: the experiment's docstring) saw S_P reach 38/eta (ratio 1.03) at step 75, near 95% accuracy.
ADAM_ETAS = ("1e-4", "2e-4", "4e-4")
#: Adam's beta1 (Cohen et al. 2022's default; threshold (2 + 2*0.9)/(0.1 eta) = 38/eta).
ADAM_BETA1 = 0.9
#: Preconditioned sharpness every 2 steps. It was 10; at n = 5000 the FC runs at eta = 2e-4
#: and 4e-4 reach 95% accuracy in 165 and 103 steps and spend only 30-40 of them at the
#: threshold, 4-5 measurements where the criterion needs at least 5 (checks/adaptive_checks).
ADAM_EIG_EVERY = 2
#: Step cap of an Adam run (generous: the stop rule is the 95% target).
ADAM_MAX_STEPS = 20_000
