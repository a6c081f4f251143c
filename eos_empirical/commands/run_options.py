"""The options of one training run on the command line, declared once from :class:`RunConfig`.

:data:`RUN_OPTIONS` is the table: one row per :class:`~eos_empirical.config.RunConfig`
field that the command line sets, with its one-line help. The flag (``--field-name``), the
type and the default come from the dataclass, so each default is written once, in
:mod:`eos_empirical.config`; a field with a vocabulary lists its values with their
meanings (:mod:`eos_empirical.vocabulary`). :func:`add_run_options` adds the options (all,
or some) to a parser; :func:`run_overrides` and :func:`config_from_args` turn the parsed
options back into config fields. ``eos run`` adds them all, ``eos experiment`` the
location and numerics options; a sweep command can add any subset. Torch-free.
"""

from __future__ import annotations

import argparse
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import NoneType, UnionType
from typing import Any

from eos_empirical.config import RunConfig, parse_eta
from eos_empirical.vocabulary import (
    ACTIVATIONS,
    ARCHS,
    DATASETS,
    DTYPES,
    LOSSES,
    OPTIMIZERS,
    Vocabulary,
)


@dataclass(frozen=True)
class RunOption:
    """One :class:`RunConfig` field on the command line.

    ``field`` names the field (and the parsed attribute); ``help`` is one line (a field
    with a ``vocabulary`` gets its values and their meanings appended); ``parse`` turns the
    option's text into the field's value where a plain ``int``/``float`` will not do (the
    step size ``2/30``); ``flag`` replaces ``--field-name`` (``--nondeterministic`` clears
    the boolean ``deterministic``).
    """

    field: str
    help: str
    vocabulary: Vocabulary | None = None
    parse: Callable[[str], Any] | None = None
    flag: str | None = None


#: The run options, in the order of ``eos run --help`` (the order of :class:`RunConfig`).
#: ``eig_max_iter`` (the eigensolver's HVP cap) is set in code only.
RUN_OPTIONS: tuple[RunOption, ...] = (
    RunOption("dataset", "training data", DATASETS),
    RunOption("n", "first n training examples"),
    RunOption("data_root", "folder holding cifar-10-batches-py/ (default: $EOS_CIFAR10_ROOT)"),
    RunOption("download", "download CIFAR-10 into the data root first"),
    RunOption("arch", "architecture", ARCHS),
    RunOption("width", "units per hidden layer"),
    RunOption("depth", "hidden layers (paper: 2 or 4)"),
    RunOption("activation", "activation (a cnn-* arch sets its own)", ACTIVATIONS),
    RunOption("bias", "layers without biases (a control)", flag="--no-bias"),
    RunOption("init_scale", "multiply the default initialization by this (a control)"),
    RunOption("loss", "loss", LOSSES),
    RunOption("opt", "optimizer", OPTIMIZERS),
    RunOption("eta", "step size, a number or a fraction like 2/30", parse=parse_eta),
    RunOption(
        "beta1", "adam: first-moment decay beta1 (threshold (2 + 2 beta1)/((1 - beta1) eta))"
    ),
    RunOption("beta2", "adam: second-moment decay beta2; rmsprop: its decay (torch's alpha)"),
    RunOption("momentum", "momentum: heavy-ball beta (threshold (2 + 2 beta)/eta)"),
    RunOption("eps", "adam, rmsprop: epsilon of the preconditioner"),
    RunOption("max_steps", "full-batch step cap (GD, momentum, adam, rmsprop)"),
    RunOption("batch_size", "SGD minibatch size"),
    RunOption("epochs", "SGD epoch cap"),
    RunOption("acc_target", "stop when the train accuracy reaches this"),
    RunOption("blowup", "diverged when the loss exceeds this times the initial loss"),
    RunOption(
        "eig_every",
        "sharpness (adam, rmsprop: also preconditioned) every k steps/epochs (0: never)",
    ),
    RunOption("eig_pair", "also measure the sharpness one step after each (both parities)"),
    RunOption("eig_tol", "relative residual of λmax"),
    RunOption("tau_every", "L(θ; ητ∇f) on the τ grid every m steps"),
    RunOption("tau_points", "points of the τ grid {1/p, 2/p, ..., 1}"),
    RunOption("quad_every", "Theorem 2 quadrature every m steps"),
    RunOption("quad_nodes", "Gauss-Legendre nodes of the Theorem 2 quadrature (even)"),
    RunOption("rp_samples", "SGD: minibatches sampled for E[RP] and (5.1) (the cap)"),
    RunOption(
        "rp_se_target", "SGD: sample until the paired se of (5.1)'s LHS-RHS is this (0: all)"
    ),
    RunOption("seed", "seed of the initialization, the data order and the samples"),
    RunOption("dtype", "precision", DTYPES),
    RunOption("device", "cpu or cuda (default: cuda when available)"),
    RunOption("chunk_size", "rows per forward pass (default: all)"),
    RunOption("deterministic", "allow nondeterministic kernels", flag="--nondeterministic"),
    RunOption("checkpoint_every", "GD steps between checkpoints (SGD: every epoch)"),
)
_BY_FIELD = {option.field: option for option in RUN_OPTIONS}


def _value_type(name: str) -> type:
    """The field's type without ``None`` (``int | None`` -> ``int``)."""
    hint = typing.get_type_hints(RunConfig)[name]
    if isinstance(hint, UnionType):
        (hint,) = (t for t in hint.__args__ if t is not NoneType)
    return hint


def _argument(option: RunOption, *, required: bool, choices: bool) -> tuple[str, dict[str, Any]]:
    """The flag and the ``add_argument`` keywords of ``option`` (default from RunConfig)."""
    default = RunConfig.__dataclass_fields__[option.field].default
    flag = option.flag or "--" + option.field.replace("_", "-")
    help_text = option.help
    if option.vocabulary is not None:
        help_text += ": " + option.vocabulary.describe()
    kwargs: dict[str, Any] = {"dest": option.field, "default": default, "help": help_text}
    kind = _value_type(option.field)
    if kind is bool:
        kwargs["action"] = "store_false" if default else "store_true"
    elif option.parse is None and kind is not str:
        kwargs["type"] = kind
    if required:
        kwargs["required"] = True
    if choices and option.vocabulary is not None:
        kwargs["choices"] = option.vocabulary
    return flag, kwargs


def add_run_options(
    parser: argparse.ArgumentParser,
    names: Iterable[str] | None = None,
    *,
    required: Iterable[str] = (),
    choices: bool = False,
) -> None:
    """Add the run options ``names`` (default: all of :data:`RUN_OPTIONS`) to ``parser``.

    ``required`` options have no default; with ``choices`` a field with a vocabulary is
    checked by the parser (``invalid choice``), without it by :class:`RunConfig` (which
    names the field). Unknown names raise ``KeyError``.

    >>> p = argparse.ArgumentParser()
    >>> add_run_options(p, ["n", "eta", "deterministic"], required=["eta"])
    >>> run_overrides(p.parse_args(["--eta", "2/30", "--nondeterministic"]))
    {'n': 5000, 'eta': 0.06666666666666667, 'deterministic': False}
    """
    required = set(required)
    selected = RUN_OPTIONS if names is None else tuple(_BY_FIELD[name] for name in names)
    for option in selected:
        flag, kwargs = _argument(option, required=option.field in required, choices=choices)
        parser.add_argument(flag, **kwargs)


def run_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The :class:`RunConfig` fields that the run options on ``args`` set (text parsed).

    Only the options :func:`add_run_options` added are present; ``ValueError`` for a bad
    step size.
    """
    out: dict[str, Any] = {}
    for option in RUN_OPTIONS:
        if hasattr(args, option.field):
            value = getattr(args, option.field)
            if option.parse is not None and value is not None:
                value = option.parse(value)
            out[option.field] = value
    return out


def config_from_args(args: argparse.Namespace) -> RunConfig:
    """The :class:`RunConfig` of parsed options, defaults for the rest (``ValueError`` for a
    bad one, naming the field).

    >>> p = argparse.ArgumentParser()
    >>> add_run_options(p)
    >>> config_from_args(p.parse_args(["--opt", "sgd", "--eta", "0.1"])).batch_size
    32
    >>> sorted(set(RunConfig.__dataclass_fields__) - {o.field for o in RUN_OPTIONS})
    ['eig_max_iter']
    """  # noqa: D205
    return RunConfig(**run_overrides(args))
