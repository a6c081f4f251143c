"""The named choices of a training run (data set, net, loss, optimizer, precision), once.

Each vocabulary is the tuple of the values a :class:`~eos_empirical.config.RunConfig`
field accepts, in order, with a one-line meaning of each value (shown by ``eos run
--help``). The data reader, the model, the configuration and the command line all take
their allowed values from here. No torch: the configuration and ``--help`` import this.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType


class Vocabulary(tuple[str, ...]):
    """The allowed values of one option, in order, each with a one-line meaning.

    A tuple of the values (so ``value in vocabulary`` and its ``repr`` are a plain tuple's),
    plus :attr:`meanings` and :meth:`describe`.

    >>> v = Vocabulary({"gd": "full batch", "sgd": "minibatches"})
    >>> v, "sgd" in v, v.meanings["gd"]
    (('gd', 'sgd'), True, 'full batch')
    >>> v.describe()
    'gd (full batch) or sgd (minibatches)'
    """

    meanings: Mapping[str, str]

    def __new__(cls, meanings: Mapping[str, str]) -> Vocabulary:
        """The vocabulary of ``meanings``' keys, in their order."""
        self = super().__new__(cls, meanings)
        self.meanings = MappingProxyType(dict(meanings))
        return self

    def describe(self) -> str:
        """The values with their meanings, as one line (``a (...), b (...) or c (...)``)."""
        items = [f"{value} ({self.meanings[value]})" for value in self]
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


#: ``RunConfig.dataset``: where the training examples come from.
DATASETS = Vocabulary(
    {
        "cifar10": "the first n CIFAR-10 training images, standardized",
        "synthetic": "seeded Gaussian features of CIFAR-10's shape, teacher labels",
    }
)
#: ``RunConfig.arch``: the network architecture.
ARCHS = Vocabulary(
    {
        "fc": "fully connected: depth hidden layers of width units",
        "cnn-relu": "Cohen et al.'s CNN: 2 conv layers of 32 channels, ReLU, max pooling",
        "cnn-tanh": "the same CNN with tanh",
        "cnn-bn-relu": "the ReLU CNN with BatchNorm after each activation",
    }
)
#: A CNN architecture's activation (it fixes ``RunConfig.activation``).
ARCH_ACTIVATION = {"cnn-relu": "relu", "cnn-tanh": "tanh", "cnn-bn-relu": "relu"}
#: ``RunConfig.activation``: the nonlinearity after each hidden layer.
ACTIVATIONS = Vocabulary(
    {"tanh": "hyperbolic tangent", "relu": "max(0, x)", "none": "identity: a linear network"}
)
#: ``RunConfig.loss``: the per-example loss, averaged over the examples.
LOSSES = Vocabulary({"ce": "cross-entropy", "mse": "squared loss, half |z - e_y|^2"})
#: ``RunConfig.opt``: the optimizer.
OPTIMIZERS = Vocabulary(
    {
        "gd": "full-batch GD",
        "sgd": "minibatch SGD over shuffled epochs",
        "momentum": "full-batch heavy-ball momentum (beta: --momentum)",
        "adam": "full-batch Adam (--beta1, --beta2, --eps)",
        "rmsprop": "full-batch RMSProp (decay --beta2, --eps)",
    }
)
#: The optimizers and architectures that the GD/SGD engine (:mod:`eos_empirical.train`) runs;
#: every other combination is full-batch through the Monitor (:mod:`eos_empirical.monitor_run`).
ENGINE_OPTIMIZERS = ("gd", "sgd")
ENGINE_ARCHS = ("fc",)
#: ``RunConfig.dtype``: the floating-point precision of the run.
DTYPES = Vocabulary({"float32": "single precision, TF32 off", "float64": "double precision"})
