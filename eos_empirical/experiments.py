r"""The paper's Figure 1 and Experiments 1–9 as named, runnable configurations.

``eos experiment --list`` lists them; ``eos experiment exp3`` runs one (``all`` runs every
one); each experiment's docstring quotes the paper (Sections 3–5 of Ahn, Zhang & Sra,
ICML 2022) and states the configuration, the stop rule, what is measured and how often,
and every value the paper leaves open with the choice made and its reason. The choices are
fixed here and do not change between scales.

Common setting (Cohen et al. 2021, Section 3, as the paper says in Experiment 1): the
first ``n = 5000`` CIFAR-10 training images, standardized; a fully connected net with 2
hidden layers of width 200 (4 in part of Experiment 6); cross-entropy loss; PyTorch's
default initialization with seed 0; float32 with TF32 off; full-batch GD until 95% train
accuracy unless the experiment says otherwise.

Scales. ``--scale paper`` (default) is the paper's size; ``--scale cpu`` is the reduced
size for a CPU (``n = 1000`` examples and capped steps/epochs/samples, see
:data:`SCALES`); ``--scale smoke`` is a seconds-long wiring check. The step sizes, the
architecture, the loss and the measurement grids are the same at every scale. A reduced
run says so: its ``experiment.json`` and a ``scale`` entry added to its ``config.json``
carry ``"reduced": true`` and what was reduced, and the command prints it.

Runs are shared between experiments when their configurations are identical (each run
folder is named after its configuration, not after an experiment), and a run whose
``summary.json`` exists is skipped, so ``eos experiment all`` resumes where it stopped.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eos_empirical.checks import CHECKS, EXPERIMENT_FILE

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
#: not say. 500 at paper scale puts the standard error at std/22 (the engine reports it);
#: epochs until 95% train accuracy, capped at 200.
RP_SAMPLES = 500
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
        "(800 in Experiment 1), SGD capped at 20 epochs with 32 minibatch samples for E[RP] "
        "instead of 500; step sizes, architecture, loss, sharpness interval and tau grid "
        "unchanged",
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


EXPERIMENTS: dict[str, Experiment] = {}


def _experiment(
    name: str,
    *,
    title: str,
    location: str,
    figure: str,
) -> Callable[[Callable[[], tuple[RunSpec, ...]]], Callable[[], tuple[RunSpec, ...]]]:
    def register(fn: Callable[[], tuple[RunSpec, ...]]) -> Callable[[], tuple[RunSpec, ...]]:
        checks = tuple(c.id for c in CHECKS.values() if name in c.experiments)
        EXPERIMENTS[name] = Experiment(
            name, title, location, (fn.__doc__ or "").strip(), fn(), checks, figure
        )
        return fn

    return register


def _slug(eta: str) -> str:
    return eta.replace("/", "_")


def gd_run(
    activation: str,
    eta: str,
    *,
    depth: int = 2,
    regime: str,
    eig: bool = True,
    tau: bool = False,
    **extra: Any,
) -> RunSpec:
    """A full-batch GD run (until 95% train accuracy unless ``extra`` says otherwise)."""
    opts: dict[str, Any] = {
        "opt": "gd",
        "activation": activation,
        "depth": depth,
        "eta": eta,
        "max_steps": MAX_STEPS,
        "eig_every": EIG_EVERY if eig else 0,
    }
    name = f"gd-{activation}-d{depth}-eta{_slug(eta)}"
    if tau:
        opts |= {"tau_every": 5, "tau_points": 100}
        name += "-tau"
    reduced = {}
    if "reduced" in extra:
        reduced = extra.pop("reduced")
    opts |= extra
    if extra.get("acc_target") == 1.0:
        name += f"-budget{opts['max_steps']}"
    return RunSpec(name, regime, opts, reduced)


def sgd_run(activation: str, eta: str) -> RunSpec:
    """A minibatch SGD run, batch 32, with per-epoch E[RP] and (5.1)."""
    return RunSpec(
        f"sgd-{activation}-d2-b32-eta{_slug(eta)}",
        "sgd",
        {
            "opt": "sgd",
            "activation": activation,
            "eta": eta,
            "batch_size": 32,
            "epochs": SGD_EPOCHS,
            "rp_samples": RP_SAMPLES,
        },
    )


def _exp1_runs() -> tuple[RunSpec, ...]:
    budget = {"acc_target": 1.0, "max_steps": EXP1_STEPS, "reduced": {"cpu": {"max_steps": 800}}}
    return tuple(
        gd_run(a, "2/30", regime="diverge" if a == "none" else "unstable", **budget)
        for a in ("none", "tanh", "relu")
    )


@_experiment(
    "fig1",
    title="Figure 1: unstable convergence of a ReLU net",
    figure="gd",
    location="Section 1, Figure 1",
)
def fig1() -> tuple[RunSpec, ...]:
    """Figure 1 (Section 1): unstable convergence of a ReLU net at eta = 2/30.

    Paper: "Example of unstable convergence for training CIFAR-10 with GD. We follow
    the experimental setup of (Cohen et al., 2021); see Experiment 1 for details. We use a
    ReLU network. Here, condition (1.2) fails, but the training loss still
    (non-monotonically) decreases in the long run."

    Configuration: Experiment 1's ReLU run (same folder): n = 5000, 2 hidden layers of
    width 200, cross-entropy, eta = 2/30, a fixed budget of 3000 GD steps. Measured every
    step: loss, accuracy, RP, L(theta; eta grad f); sharpness every 20 steps (the figure's
    sharpness curve against 2/eta).
    """
    return (_exp1_runs()[2],)


@_experiment(
    "exp1",
    title="Experiment 1: linear vs tanh vs ReLU at eta = 2/30",
    figure="gd",
    location="Section 3.2, Experiment 1",
)
def exp1() -> tuple[RunSpec, ...]:
    """Experiment 1 (Section 3.2): linear, tanh and ReLU nets at eta = 2/30.

    Paper (CIFAR-10 experiment): "we use (full-batch) GD to train a neural network
    on 5,000 examples from CIFAR-10 with the CrossEntropy loss, and the network is a
    fully-connected architecture with two hidden layers of width 200. Under this common
    setting, we consider three types of networks: (i) linear network without activations;
    (ii) tanh activations; (ii) ReLU activations. We choose the step size eta = 2/30 [...]
    GD converges for the networks with activation functions, while GD diverges without
    activation functions."

    Configuration: activation none, tanh, relu; eta = 2/30; n = 5000; width 200, depth 2;
    cross-entropy. Stop rule (choice, the paper states none): a fixed budget of 3000 GD
    steps, not the 95% target, so a late divergence is not hidden by an early stop
    (acc_target 1.0); divergence = non-finite loss or loss above 1000x the initial loss.
    Measured every step: loss, accuracy, RP, L; sharpness every 20 steps.
    """
    return _exp1_runs()


@_experiment(
    "exp2",
    title="Experiment 2: the stable regime (tanh)",
    figure="gd",
    location="Section 4.1.1, Experiment 2",
)
def exp2() -> tuple[RunSpec, ...]:
    """Experiment 2 (Section 4.1.1): RP and loss in the stable regime (tanh).

    Paper (CIFAR-10; stable regime): "We use the same setting as Experiment 1 [...].
    For activations, we choose tanh following (Cohen et al., 2021). We choose much smaller
    step sizes so that GD is in the stable regime. We plot the loss and the relative
    progress ratio until the training accuracy hits 95%. [...] the relative progress ratio
    stays negative for all iterations. Moreover, there is no non-monotonic behavior in the
    loss curve." Remark 3: "the relative progress saturates around -1".

    Configuration: tanh, n = 5000, width 200, depth 2, cross-entropy; eta in {2/200, 2/400}
    (choice: see STABLE_ETAS); until 95% train accuracy (cap 100000 steps). Measured every
    step: loss, accuracy, RP, L; sharpness every 20 steps.
    """
    return tuple(gd_run("tanh", eta, regime="stable") for eta in STABLE_ETAS)


@_experiment(
    "exp3",
    title="Experiment 3: the unstable regime (tanh)",
    figure="gd",
    location="Section 4.1.2, Experiment 3 and Remark 4",
)
def exp3() -> tuple[RunSpec, ...]:
    """Experiment 3 (Section 4.1.2): RP and loss in the unstable regime (tanh).

    Paper (CIFAR-10; unstable regime): "We use the same setting as Experiment 2.
    This time we choose step sizes larger so that GD operates in the unstable convergence
    regime. We plot the loss and the relative progress ratio until the training accuracy
    hits 95%. [...] in the unstable regime, the relative progress ratio saturates around 0".
    Remark 4: "the optimization seems to get faster as we choose larger step sizes [...] we
    observe that the training loss diverges for step size eta = 2/10."

    Configuration: tanh, n = 5000, width 200, depth 2, cross-entropy; eta in {2/20, 2/30,
    2/60} (choice: see UNSTABLE_ETAS) and 2/10; until 95% train accuracy (cap 100000
    steps). Measured every step: loss, accuracy, RP, L; sharpness every 20 steps. The
    eta = 2/60 run is Experiment 5's (with the tau grid), shared.
    """
    runs = [gd_run("tanh", eta, regime="unstable", tau=eta == "2/60") for eta in UNSTABLE_ETAS]
    return (*runs, gd_run("tanh", DIVERGING_ETA, regime="diverge"))


@_experiment(
    "exp4",
    title="Experiment 4: directional smoothness in both regimes",
    figure="gd",
    location="Section 4.2, Experiment 4",
)
def exp4() -> tuple[RunSpec, ...]:
    """Experiment 4 (Section 4.2): directional smoothness in both regimes.

    Paper (Directional smoothness in stable and unstable regimes): "Under the same
    setting as Experiments 2 and 3, we measure the value L(theta_t; eta grad f(theta_t)) at
    each iteration. [...] for the unstable regime L(theta_t; eta grad f(theta_t)) saturates
    around 2/eta, indicating that GD is exhibiting an oscillating behavior." Remark 6: "the
    directional smoothness remains very small in the stable regime".

    Configuration: the runs of Experiments 2 and 3 (shared folders); L from the next
    iterate's gradient at every step (no extra pass).
    """
    return (*exp2(), *exp3())


@_experiment(
    "exp5",
    title="Experiment 5: L(theta; eta tau grad f) over tau at eta = 2/60",
    figure="tau",
    location="Section 4.3, Experiment 5",
)
def exp5() -> tuple[RunSpec, ...]:
    """Experiment 5 (Section 4.3): L(theta; eta tau grad f) over the tau grid at eta = 2/60.

    Paper: "In the same setting as Experiment 3, we choose step size eta = 2/60 and
    in every 5 iterations, we compute the following values: L(theta_t; eta tau grad
    f(theta_t)) for tau in {0.01, 0.02, ..., 1}. [...] we report the mean of [these] among
    tau together with the shades which indicate the standard deviations. This experiment
    verifies that L(theta_t; eta tau grad f(theta_t)) does [not] vary too much across tau in
    [0, 1]. Hence, the single value L(theta; eta grad f(theta)) well represents the
    weighted average in Theorem 2."

    Configuration: tanh, eta = 2/60, n = 5000, width 200, depth 2, cross-entropy, until 95%
    train accuracy; every 5 steps L on the grid tau = k/100, k = 1..100 (one gradient per
    tau); sharpness every 20 steps. Reported beside the plain mean over tau (the paper's
    plot) is the 2 tau-weighted mean that Theorem 2 uses.
    """
    return (gd_run("tanh", "2/60", regime="unstable", tau=True),)


@_experiment(
    "exp6",
    title="Experiment 6: ReLU nets with 2 and 4 hidden layers",
    figure="gd",
    location="Section 4.3.1, Experiment 6",
)
def exp6() -> tuple[RunSpec, ...]:
    """Experiment 6 (Section 4.3.1): ReLU nets with 2 and 4 hidden layers.

    Paper (CIFAR-10; ReLU networks): "Under the same setting as Experiment 2 [...]
    this time we choose ReLU as activation functions. In the next set of experiments, we put
    2 more hidden layers of width 200 (total 4 hidden layers of width 200). The results are
    largely similar to those for tanh activations, and the relation (4.3) holds for all
    cases."

    Configuration: ReLU, depth 2 and 4, width 200, n = 5000, cross-entropy, until 95% train
    accuracy; eta = 2/200 (stable; the smaller of STABLE_ETAS, to keep the run count down)
    and 2/30, 2/60 (unstable). Measured every step: loss, accuracy, RP, L; sharpness every
    20 steps.
    """
    runs = []
    for depth in (2, 4):
        runs.append(gd_run("relu", STABLE_ETAS[0], depth=depth, regime="stable"))
        runs += [gd_run("relu", eta, depth=depth, regime="unstable") for eta in ("2/30", "2/60")]
    return tuple(runs)


@_experiment(
    "exp7",
    title="Experiment 7: SGD, batch 32, eta = 2/100 (ReLU)",
    figure="sgd",
    location="Section 5, Experiment 7 and Remark 7",
)
def exp7() -> tuple[RunSpec, ...]:
    """Experiment 7 (Section 5): E[RP] of SGD, batch 32, eta = 2/100, ReLU.

    Paper (CIFAR-10; SGD on ReLU networks): "Under the same setting as Experiment 6,
    this time we train the network with SGD with minibatch size of 32 and step size eta =
    2/100. We compute the full-batch loss and the expected relative progress ratio at the
    end of each epoch. [...] E[RP(theta_t)] does not stay below zero." Remark 7: "E[RP] is
    not negative for a majority of iterations."

    Configuration: ReLU, depth 2, width 200, n = 5000, cross-entropy; SGD with shuffled
    epochs of minibatches of 32 (the last incomplete batch dropped), eta = 2/100, until 95%
    train accuracy (cap 200 epochs). At the end of each epoch: full-batch loss and accuracy,
    E[RP] over 500 sampled minibatches (choice: RP_SAMPLES) with its standard error. Shares
    its run with Experiment 8's eta = 2/100.
    """
    return (sgd_run("relu", "2/100"),)


@_experiment(
    "exp8",
    title="Experiment 8: (5.1) for SGD on ReLU nets",
    figure="sgd",
    location="Section 5, (5.1), Experiment 8",
)
def exp8() -> tuple[RunSpec, ...]:
    """Experiment 8 (Section 5): (5.1) for SGD on ReLU nets, eta = 2/50, 2/100, 2/150.

    Paper (CIFAR-10; verifying (5.1) for ReLU): "Under the same setting as
    Experiment 7, we compute E[RP(theta)] and the RHS of (5.1) at the end of each epoch and
    compare those values. We choose step sizes eta = 2/50, 2/100, 2/150. [...] the LHS and
    RHS of (5.1) are very similar in all results".

    Configuration: as Experiment 7 with eta in {2/50, 2/100, 2/150}; per epoch E[RP] and
    -1 + (eta/2) E[(|g|^2/|grad f|^2) L(theta; eta g)] from the same 500 minibatch samples,
    each with its standard error, and their paired difference.
    """
    return tuple(sgd_run("relu", eta) for eta in ("2/50", "2/100", "2/150"))


@_experiment(
    "exp9",
    title="Experiment 9: (5.1) for SGD on tanh nets",
    figure="sgd",
    location="Section 5, (5.1), Experiment 9",
)
def exp9() -> tuple[RunSpec, ...]:
    """Experiment 9 (Section 5): (5.1) for SGD on tanh nets, eta = 2/50, 2/100, 2/150.

    Paper (CIFAR-10; verifying (5.1) for tanh): "We repeat Experiment 8 with tanh
    activations. The results are similar to those for ReLU networks."

    Configuration: as Experiment 8 with tanh activations.
    """
    return tuple(sgd_run("tanh", eta) for eta in ("2/50", "2/100", "2/150"))


# --- running ------------------------------------------------------------------------------


def all_runs(names: Iterable[str]) -> dict[str, tuple[RunSpec, list[str]]]:
    """The distinct runs of the named experiments, each with the experiments that use it.

    Raises ``ValueError`` for an unknown name or for two different runs with one folder name.
    """
    out: dict[str, tuple[RunSpec, list[str]]] = {}
    for name in names:
        if name not in EXPERIMENTS:
            raise ValueError(f"experiment: unknown name {name!r}; known: {', '.join(EXPERIMENTS)}")
        for spec in EXPERIMENTS[name].runs:
            if spec.name in out:
                if out[spec.name][0] != spec:
                    raise ValueError(f"two different runs are named {spec.name!r}")
                if name not in out[spec.name][1]:
                    out[spec.name][1].append(name)
            else:
                out[spec.name] = (spec, [name])
    # a run also belongs to every experiment (not asked for) that lists the same spec
    for exp in EXPERIMENTS.values():
        for spec in exp.runs:
            if spec.name in out and exp.name not in out[spec.name][1]:
                out[spec.name][1].append(exp.name)
    return out


def run_config(
    spec: RunSpec,
    scale: Scale,
    *,
    data_root: str | None = None,
    device: str | None = None,
    dtype: str = "float32",
    overrides: Mapping[str, Any] | None = None,
):
    """The engine's :class:`~eos_empirical.config.RunConfig` of ``spec`` at ``scale``."""
    from eos_empirical.config import RunConfig, parse_eta

    fields = spec.fields(scale) | {"data_root": data_root, "device": device, "dtype": dtype}
    fields |= dict(overrides or {})
    fields["eta"] = parse_eta(fields["eta"])
    return RunConfig(**fields)


def _write_json(path: Path, obj: object) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(obj, indent=2) + "\n")
    os.replace(tmp, path)


def run_experiments(
    names: Iterable[str],
    *,
    scale: str = "paper",
    out: str | os.PathLike[str] = "runs",
    data_root: str | None = None,
    device: str | None = None,
    dtype: str = "float32",
    overrides: Mapping[str, Any] | None = None,
    log: Callable[[str], None] | None = None,
) -> dict[str, dict[str, Any]]:
    """Run (or skip, when finished) every run of the named experiments into ``out``.

    Each run goes to ``out/<run name>/`` with the engine's files and ``experiment.json``
    (experiments using it, regime, scale); a finished run (``summary.json`` present) is
    skipped. Returns each run's summary by name. ``overrides`` replaces config fields
    (tests use it for synthetic data).
    """
    return run_specs(
        all_runs(names),
        scale=scale,
        out=out,
        data_root=data_root,
        device=device,
        dtype=dtype,
        overrides=overrides,
        log=log,
    )


def run_specs(
    plan: Mapping[str, tuple[RunSpec, list[str]]],
    *,
    scale: str = "paper",
    out: str | os.PathLike[str] = "runs",
    data_root: str | None = None,
    device: str | None = None,
    dtype: str = "float32",
    overrides: Mapping[str, Any] | None = None,
    log: Callable[[str], None] | None = None,
) -> dict[str, dict[str, Any]]:
    """Run the ``plan`` (run name -> (spec, experiments using it)); see
    :func:`run_experiments`.
    """  # noqa: D205
    from eos_empirical.train import train

    if scale not in SCALES:
        raise ValueError(f"scale must be one of {tuple(SCALES)}, got {scale!r}")
    sc = SCALES[scale]
    say = log or (lambda s: print(s, file=sys.stderr, flush=True))
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    if sc.reduced:
        say(f"[scale {sc.name}] {sc.note}")
    results: dict[str, dict[str, Any]] = {}
    for i, (run_name, (spec, exps)) in enumerate(plan.items(), 1):
        d = root / run_name
        config = run_config(
            spec, sc, data_root=data_root, device=device, dtype=dtype, overrides=overrides
        )
        d.mkdir(parents=True, exist_ok=True)
        _write_json(
            d / EXPERIMENT_FILE,
            {
                "run": run_name,
                "experiments": sorted(exps),
                "regime": spec.regime,
                "scale": sc.describe(),
                "reduced": sc.reduced,
                "paper_options": dict(BASE) | dict(spec.options),
            },
        )
        if (d / "summary.json").is_file():
            results[run_name] = json.loads((d / "summary.json").read_text())
            say(
                f"[{i}/{len(plan)}] {run_name}: finished before, skipped "
                f"({results[run_name]['outcome']})"
            )
            continue
        say(f"[{i}/{len(plan)}] {run_name} ({', '.join(sorted(exps))}) ...")
        tick = time.perf_counter()
        res = train(config, d)
        cfg_path = d / "config.json"
        cfg = json.loads(cfg_path.read_text())
        cfg["scale"] = sc.describe()
        _write_json(cfg_path, cfg)
        results[run_name] = res.summary
        say(
            f"    {res.summary['outcome']} after {res.summary['steps']} steps/epochs, "
            f"{time.perf_counter() - tick:.1f} s"
        )
    return results


def _list() -> str:
    lines = []
    for e in EXPERIMENTS.values():
        lines.append(f"{e.name:<5} {e.title}  [{e.location}]")
        lines.append(f"      runs: {', '.join(r.name for r in e.runs)}")
        lines.append(f"      checks: {', '.join(e.checks) or '-'}")
    lines.append("")
    lines.append("scales: " + "; ".join(f"{s.name}: {s.note}" for s in SCALES.values()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``eos experiment NAME [NAME ...] | all | --list``; 0 on success, 2 on bad input."""
    p = argparse.ArgumentParser(
        prog="eos experiment",
        description="Run the paper's Figure 1 and Experiments 1-9 by name (see --list).",
    )
    p.add_argument("names", nargs="*", help="experiment names (fig1, exp1 ... exp9) or 'all'")
    p.add_argument("--list", action="store_true", help="list the experiments and exit")
    p.add_argument(
        "--show",
        action="store_true",
        help="print each named experiment's text and its run configurations, run nothing",
    )
    p.add_argument(
        "--scale",
        default="paper",
        choices=tuple(SCALES),
        help="paper (default) or cpu (reduced for a CPU) or smoke",
    )
    p.add_argument("--out", default=None, help="runs folder (default: runs/<scale>)")
    p.add_argument(
        "--data-root",
        default=None,
        help="folder holding cifar-10-batches-py/ (default: $EOS_CIFAR10_ROOT)",
    )
    p.add_argument("--device", default=None, help="cpu or cuda (default: cuda if available)")
    p.add_argument("--dtype", default="float32", choices=("float32", "float64"))
    p.add_argument(
        "--runs",
        default=None,
        metavar="RUN[,RUN...]",
        help="run only these runs of the named experiments (names as in --list), "
        "e.g. to split the work between processes; the others are left alone",
    )
    args = p.parse_args(argv)
    if args.list:
        print(_list())
        return 0
    names = list(EXPERIMENTS) if args.names == ["all"] else args.names
    if not names:
        p.error("name an experiment (or 'all'), or use --list")
    unknown = [n for n in names if n not in EXPERIMENTS]
    if unknown:
        p.error(f"unknown experiment(s) {unknown}; known: {', '.join(EXPERIMENTS)}")
    sc = SCALES[args.scale]
    if args.show:
        for n in names:
            e = EXPERIMENTS[n]
            print(f"== {e.name}: {e.title} [{e.location}]\n{e.doc}\n")
            for spec in e.runs:
                print(f"  {spec.name} ({spec.regime}): {spec.fields(sc)}")
            print()
        return 0
    out = args.out or os.path.join("runs", args.scale)
    plan = all_runs(names)
    if args.runs:
        wanted = [r for r in args.runs.split(",") if r]
        missing = [r for r in wanted if r not in plan]
        if missing:
            p.error(f"--runs: {missing} are not runs of {names}; they have: {', '.join(plan)}")
        plan = {r: plan[r] for r in wanted}
    try:
        run_specs(
            plan,
            scale=args.scale,
            out=out,
            data_root=args.data_root,
            device=args.device,
            dtype=args.dtype,
        )
    except ValueError as exc:
        print(f"eos experiment: error: {exc}", file=sys.stderr)
        return 2
    if sc.reduced:
        print(
            f"done (scale {sc.name}, REDUCED: {sc.note}); runs in {out}; report: eos report {out}"
        )
    else:
        print(f"done; runs in {out}; report: eos report {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
