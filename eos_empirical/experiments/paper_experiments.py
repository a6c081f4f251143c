r"""The paper's Figure 1 and Experiments 1–9 as named, runnable configurations.

Each experiment is a function returning its runs, registered in
:data:`~eos_empirical.experiments.specs.EXPERIMENTS` with the checks that judge it; its
docstring quotes the paper (Sections 3–5 of Ahn, Zhang & Sra, ICML 2022) and states the
configuration, the stop rule, what is measured and how often, and every value the paper
leaves open with the choice made (see :mod:`eos_empirical.experiments.specs` for the values
and their reasons). The choices are fixed and do not change between scales.

Common setting (Cohen et al. 2021, Section 3, as the paper says in Experiment 1): the
first ``n = 5000`` CIFAR-10 training images, standardized; a fully connected net with 2
hidden layers of width 200 (4 in part of Experiment 6); cross-entropy loss; PyTorch's
default initialization with seed 0; float32 with TF32 off; full-batch GD until 95% train
accuracy unless the experiment says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eos_empirical.checks import CHECKS
from eos_empirical.experiments.specs import (
    ADAM_BETA1,
    ADAM_EIG_EVERY,
    ADAM_ETAS,
    ADAM_MAX_STEPS,
    DIVERGING_ETA,
    EIG_EVERY,
    EXP1_STEPS,
    EXPERIMENTS,
    MAX_STEPS,
    RP_SAMPLES,
    RP_SE_TARGET,
    SGD_EPOCHS,
    STABLE_ETAS,
    UNSTABLE_ETAS,
    Experiment,
    RunSpec,
)


def _experiment(
    name: str,
    *,
    title: str,
    location: str,
    figure: str,
) -> Callable[[Callable[[], tuple[RunSpec, ...]]], Callable[[], tuple[RunSpec, ...]]]:
    def register(fn: Callable[[], tuple[RunSpec, ...]]) -> Callable[[], tuple[RunSpec, ...]]:
        checks = tuple(c.id for c in CHECKS.values() if name in c.experiments)
        runs = fn()
        EXPERIMENTS[name] = Experiment(
            name, title, location, (fn.__doc__ or "").strip(), runs, checks, figure
        )
        for c in checks:  # a verdict names the runs of its experiments not made yet
            CHECKS[c].expected[name] = tuple(r.name for r in runs)
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
            "rp_se_target": RP_SE_TARGET,
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
    E[RP] over minibatches sampled until the paired standard error of (5.1) is at most 0.025
    (choice: RP_SE_TARGET, at most RP_SAMPLES = 2000) with its standard error. Shares
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
    -1 + (eta/2) E[(|g|^2/|grad f|^2) L(theta; eta g)] from the same minibatch samples
    (drawn until the paired standard error of LHS - RHS is at most RP_SE_TARGET, as in
    Experiment 7), each with its standard error, and their paired difference.
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


def adam_run(arch: str, eta: str) -> RunSpec:
    """A full-batch Adam run (beta1 = 0.9) through the Monitor, until 95% train accuracy."""
    opts: dict[str, Any] = {
        "opt": "adam",
        "arch": arch,
        "activation": "tanh" if arch == "fc" else "relu",
        "eta": eta,
        "beta1": ADAM_BETA1,
        "max_steps": ADAM_MAX_STEPS,
        "eig_every": ADAM_EIG_EVERY,
    }
    name = f"adam-{'fc-tanh-d2' if arch == 'fc' else arch}-eta{eta.replace('-', 'm')}"
    return RunSpec(name, "adaptive", opts)


@_experiment(
    "adam-eos",
    title="Beyond the paper: full-batch Adam at the adaptive edge of stability",
    figure="adaptive",
    location="Section 6, adaptive methods (Cohen et al. 2022)",
)
def adam_eos() -> tuple[RunSpec, ...]:
    """Beyond the paper (Section 6): full-batch Adam, preconditioned sharpness against 38/eta.

    Paper (Section 6, discussion): the paper's characterizations are for GD (and SGD) and it
    asks how they carry over to other methods, "adaptive methods" among them. Cohen et al.
    2022 predict that full-batch Adam trains at an "adaptive edge of stability": the
    preconditioned sharpness lambda_max(P^-1 H) rises to (2 + 2 beta1)/((1 - beta1) eta) =
    38/eta at beta1 = 0.9 and hovers there.

    Configuration: CIFAR-10, n = 5000, cross-entropy; the FC tanh net (2 hidden layers of width
    200) and Cohen et al.'s cnn-relu (eos_empirical.cnn_models); full-batch Adam
    (torch.optim.Adam, beta1 = 0.9, beta2 = 0.999, eps = 1e-8) at eta in {1e-4, 2e-4, 4e-4}
    (choice: ADAM_ETAS, the same for both nets; 38/eta = 380000, 190000, 95000); until 95% train
    accuracy (cap 20000 steps). Measured every step (eos_empirical.monitor_run): loss, accuracy,
    RP_u, L(theta; u), the (4.3) analogue; sharpness and preconditioned sharpness every 2 steps
    (ADAM_EIG_EVERY). The criterion was fixed before any run and amended twice since, with
    reasons (eos_empirical.checks.adaptive_checks). Pilot, reduced (n = 2000, FC tanh, eta =
    4e-4, CPU, measured every 25 steps): S_P/(38/eta) = 0.33, 0.76, 1.03 at steps 25, 50, 75
    (95% accuracy first at step 68), so it rises to the threshold within the budget at that
    scale; at n = 5000 the way to 95% is longer (not piloted; nor were cnn-relu and the smaller
    step sizes).
    """
    return tuple(adam_run(arch, eta) for arch in ("fc", "cnn-relu") for eta in ADAM_ETAS)
