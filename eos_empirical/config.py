r"""The configuration of one training run: :class:`RunConfig`, validated before any work.

Every field that changes the trajectory or what is recorded lives here, so a run's
``config.json`` reproduces it and a resumed run can check that it continues the same
run. The paper's Experiments 1–9 are named instances of this class. Torch-free (the
allowed values come from :mod:`eos_empirical.vocabulary`), so the command line can parse
and validate options before importing the engine.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from fractions import Fraction

from eos_empirical.vocabulary import (
    ACTIVATIONS,
    ARCH_ACTIVATION,
    ARCHS,
    DATASETS,
    DTYPES,
    ENGINE_ARCHS,
    ENGINE_OPTIMIZERS,
    LOSSES,
    OPTIMIZERS,
)


def parse_eta(text: str | float) -> float:
    """A step size from a number or a fraction such as ``2/30``; ``ValueError`` otherwise.

    >>> parse_eta("2/30") == 2 / 30, parse_eta("0.1")
    (True, 0.1)
    """
    if isinstance(text, int | float):
        value = float(text)
    else:
        try:
            value = float(Fraction(str(text).strip()))
        except (ValueError, ZeroDivisionError):
            raise ValueError(
                f"eta must be a number or a fraction like 2/30, got {text!r}"
            ) from None
        except OverflowError:
            value = math.inf
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"eta must be finite and > 0, got {text!r}")
    return value


def tau_grid(points: int) -> list[float]:
    r"""The grid :math:`\tau \in \{1/m, 2/m, \dots, 1\}` (Experiment 5: ``m = 100``).

    >>> tau_grid(4)
    [0.25, 0.5, 0.75, 1.0]
    """
    return [k / points for k in range(1, points + 1)]


@dataclass(frozen=True)
class RunConfig:
    """One training run: GD/SGD on a fully connected net, or full batch through the Monitor.

    The GD/SGD engine runs ``opt`` gd or sgd on ``arch`` fc; full-batch momentum, Adam,
    RMSProp, and GD on a CNN go through the Monitor (:attr:`uses_monitor`).

    Data: ``dataset`` (``cifar10``/``synthetic``), ``n`` first training examples,
    ``data_root`` (else ``$EOS_CIFAR10_ROOT``), ``download`` through torchvision.
    Model: ``arch`` (``fc``, or Cohen et al.'s ``cnn-relu``/``cnn-tanh``/``cnn-bn-relu``,
    which fix the activation and ignore ``width``, ``depth`` and ``bias``), ``width``,
    ``depth`` hidden layers, ``activation`` (``tanh``/``relu``/``none``), ``bias`` (layers
    with biases), ``init_scale`` (multiplies the default initialization), ``loss``
    (``ce``/``mse``), ``seed`` (initialization, data order, samples). Optimizer: ``opt``
    (``gd``/``sgd``, or full-batch ``momentum``/``adam``/``rmsprop``), ``eta``, ``beta1`` and
    ``beta2`` (Adam's moment decays; ``beta2`` is RMSProp's), ``momentum`` (heavy ball's
    β), ``eps`` (Adam's and RMSProp's ε), ``max_steps`` (full batch),
    ``batch_size`` and ``epochs`` (SGD), ``acc_target`` (stop when train accuracy reaches
    it), ``blowup`` (diverged when the loss exceeds ``blowup`` times the initial loss or is
    not finite). Measurements: ``eig_every`` (sharpness every k steps/epochs, 0 = never;
    ``eig_pair``: also at the step after each, so both parities of a period-two cycle are
    measured, see :meth:`eig_due`) to relative tolerance ``eig_tol`` in at most ``eig_max_iter``
    HVPs; ``tau_every`` (every m steps, L on the τ grid of ``tau_points`` points);
    ``quad_every`` (every m steps, the Theorem 2 integral by ``quad_nodes``-point
    Gauss–Legendre); ``rp_samples`` (SGD: minibatches sampled for E[RP] and (5.1) per epoch;
    with ``rp_se_target`` > 0 the cap, sampling stopping once the standard error of LHS − RHS of
    (5.1) is at most the target). Numerics: ``dtype``, ``device`` (``None`` = cuda when
    available, else cpu), ``chunk_size`` (rows per pass, ``None`` = all), ``deterministic``
    (torch deterministic algorithms), ``checkpoint_every`` (steps; SGD checkpoints every epoch).
    """

    dataset: str = "cifar10"
    n: int = 5000
    data_root: str | None = None
    download: bool = False
    arch: str = "fc"
    width: int = 200
    depth: int = 2
    activation: str = "tanh"
    bias: bool = True
    init_scale: float = 1.0
    loss: str = "ce"
    opt: str = "gd"
    eta: float = 2 / 30
    beta1: float = 0.9
    beta2: float = 0.999
    momentum: float = 0.9
    eps: float = 1e-8
    max_steps: int = 5000
    batch_size: int = 32
    epochs: int = 100
    acc_target: float = 0.95
    blowup: float = 1e3
    eig_every: int = 0
    eig_pair: bool = False
    eig_tol: float = 1e-3
    eig_max_iter: int = 100
    tau_every: int = 0
    tau_points: int = 100
    quad_every: int = 0
    quad_nodes: int = 16
    rp_samples: int = 100
    rp_se_target: float = 0.0
    seed: int = 0
    dtype: str = "float32"
    device: str | None = None
    chunk_size: int | None = None
    deterministic: bool = True
    checkpoint_every: int = 100

    def __post_init__(self) -> None:
        if self.arch in ARCH_ACTIVATION:  # a CNN fixes its activation (its name says which)
            object.__setattr__(self, "activation", ARCH_ACTIVATION[self.arch])
        self.validate()

    @property
    def uses_monitor(self) -> bool:
        """Whether the run goes through the Monitor (:mod:`eos_empirical.monitor_run`): every
        optimizer but GD/SGD, and any optimizer on a CNN; else the GD/SGD engine.
        """  # noqa: D205
        return self.opt not in ENGINE_OPTIMIZERS or self.arch not in ENGINE_ARCHS

    def validate(self) -> None:
        """Raise ``ValueError`` naming the first bad field (called on construction)."""
        choices = {
            "dataset": DATASETS,
            "arch": ARCHS,
            "activation": ACTIVATIONS,
            "loss": LOSSES,
            "opt": OPTIMIZERS,
            "dtype": DTYPES,
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, got {getattr(self, name)!r}")
        positive = (
            "n",
            "width",
            "depth",
            "max_steps",
            "batch_size",
            "epochs",
            "eig_max_iter",
            "tau_points",
            "quad_nodes",
            "rp_samples",
            "checkpoint_every",
        )
        for name in positive:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        for name in ("eig_every", "tau_every", "quad_every", "seed"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
        if not (isinstance(self.eta, int | float) and math.isfinite(self.eta) and self.eta > 0):
            raise ValueError(f"eta must be finite and > 0, got {self.eta!r}")
        if not (
            isinstance(self.init_scale, int | float)
            and math.isfinite(self.init_scale)
            and self.init_scale > 0
        ):
            raise ValueError(f"init_scale must be finite and > 0, got {self.init_scale!r}")
        if not (
            isinstance(self.rp_se_target, int | float)
            and math.isfinite(self.rp_se_target)
            and self.rp_se_target >= 0
        ):
            raise ValueError(f"rp_se_target must be finite and >= 0, got {self.rp_se_target!r}")
        if self.eig_pair and self.eig_every < 2:
            raise ValueError(
                f"eig_pair needs eig_every >= 2 (every step already covers both parities), "
                f"got eig_every={self.eig_every}"
            )
        if not 0 < self.acc_target <= 1:
            raise ValueError(f"acc_target must lie in (0, 1], got {self.acc_target!r}")
        if not (math.isfinite(self.blowup) and self.blowup > 1):
            raise ValueError(f"blowup must be finite and > 1, got {self.blowup!r}")
        if not (0 < self.eig_tol < 1):
            raise ValueError(f"eig_tol must lie in (0, 1), got {self.eig_tol!r}")
        if self.opt == "sgd" and self.batch_size > self.n:
            raise ValueError(f"batch_size={self.batch_size} is larger than n={self.n}")
        if self.quad_nodes % 2:
            raise ValueError(
                f"quad_nodes must be even (error estimate uses half), got {self.quad_nodes}"
            )
        if self.chunk_size is not None and (
            not isinstance(self.chunk_size, int) or self.chunk_size < 1
        ):
            raise ValueError(
                f"chunk_size must be a positive integer or None, got {self.chunk_size!r}"
            )
        if self.device is not None and self.device.split(":")[0] not in ("cpu", "cuda", "mps"):
            raise ValueError(f"device must be cpu, cuda[:k] or None, got {self.device!r}")
        for name in ("beta1", "beta2", "momentum"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
                raise ValueError(f"{name} must lie in [0, 1), got {value!r}")
        if not (isinstance(self.eps, int | float) and math.isfinite(self.eps) and self.eps >= 0):
            raise ValueError(f"eps must be finite and >= 0, got {self.eps!r}")
        self._validate_monitor()

    def _validate_monitor(self) -> None:
        """The options a Monitor-driven run (:attr:`uses_monitor`) does not have."""
        if not self.uses_monitor:
            return
        if self.opt == "sgd":
            raise ValueError(
                f"opt: sgd runs on the fully connected net only (arch fc), got arch={self.arch!r}"
            )
        unsupported = {
            "tau_every": self.tau_every,
            "quad_every": self.quad_every,
            "eig_pair": self.eig_pair,
            "chunk_size": self.chunk_size,
        }
        for name, value in unsupported.items():
            if value:
                raise ValueError(
                    f"{name}: not available for opt={self.opt!r}, arch={self.arch!r} (the Monitor "
                    f"run measures RP_u, L, the (4.3) analogue and the (preconditioned) sharpness "
                    f"only), got {value!r}"
                )

    def eig_due(self, t: int) -> bool:
        """Whether the sharpness is measured at step (or epoch) ``t``.

        >>> [t for t in range(45) if RunConfig(eig_every=20, eig_pair=True).eig_due(t)]
        [0, 1, 20, 21, 40, 41]
        """
        if not self.eig_every:
            return False
        return t % self.eig_every == 0 or (self.eig_pair and t % self.eig_every == 1)

    def stop_rule(
        self, t: int, f: float, f_init: float, acc: float, grad_finite: bool = True
    ) -> tuple[str, str] | None:
        """The full-batch stop rule at step ``t``: ``(outcome, reason)``, or ``None`` to go on.

        ``diverged`` when the loss is not finite or above ``blowup`` times the initial one
        (or the gradient is not finite), ``reached-target`` at ``acc_target``, ``max-steps``
        at ``max_steps``, in that order; shared by the GD engine and the Monitor runs.

        >>> RunConfig(max_steps=3).stop_rule(3, 1.0, 2.0, 0.5)
        ('max-steps', 'reached max_steps=3')
        """
        if not math.isfinite(f) or f > self.blowup * abs(f_init) or not grad_finite:
            return "diverged", f"loss {f:.6g} at step {t} is not finite or above blowup x initial"
        if acc >= self.acc_target:
            return "reached-target", f"train accuracy {acc:.4f} at step {t}"
        if t >= self.max_steps:
            return "max-steps", f"reached max_steps={self.max_steps}"
        return None

    def to_dict(self) -> dict[str, object]:
        """The fields as a JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> RunConfig:
        """Inverse of :meth:`to_dict`; unknown keys raise ``ValueError``."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown RunConfig field(s) {unknown}")
        return cls(**data)  # type: ignore[arg-type]

    def trajectory_key(self) -> dict[str, object]:
        """The fields a resumed run must share with the interrupted one (all but the
        location of the data and the download flag).
        """  # noqa: D205
        d = self.to_dict()
        for name in ("data_root", "download"):
            d.pop(name)
        return d
