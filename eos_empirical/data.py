r"""CIFAR-10 from the standard ``cifar-10-batches-py`` layout, and a synthetic stand-in.

The reader needs no torchvision: each batch file is a pickle (``encoding="latin1"``) of a
dict with ``data`` (uint8, ``(rows, 3072)``, channels-first 32×32 rows) and ``labels``
(ints 0–9). Preprocessing follows Cohen et al. (2021), the setting of the paper's
Experiments 1–9 (Sections 3–5):

.. math::

    x \leftarrow \frac{x / 255 - \mu}{\sigma}

per feature (pixel and channel), with :math:`\mu, \sigma` the mean and standard deviation
over the training files that are present (all 50,000 images for the full data set, fewer
for a subset; :attr:`Dataset.stats` says which), then the first ``n`` training examples.
Features stay in the files' channels-first order (Cohen's code flattens channels-last; for
a fully connected net that is a fixed permutation of the inputs).

Targets: integer labels for cross-entropy, one-hot rows for the squared loss.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from eos_empirical.vocabulary import DATASETS, LOSSES

#: Folder of the standard layout, under the data root.
CIFAR_FOLDER = "cifar-10-batches-py"
#: Training files of the standard layout, in order.
TRAIN_FILES = tuple(f"data_batch_{i}" for i in range(1, 6))
#: Environment variable naming the folder that holds ``cifar-10-batches-py/``.
ROOT_ENV = "EOS_CIFAR10_ROOT"
NUM_FEATURES = 3072
NUM_CLASSES = 10


class DataFileError(ValueError):
    """A data file is missing, truncated or malformed; the message names the file."""


@dataclass(frozen=True)
class Dataset:
    """Preprocessed training examples as numpy arrays (moved to torch by the engine).

    ``x``: float64 ``(n, 3072)`` standardized features; ``labels``: int64 ``(n,)`` classes;
    ``targets``: ``labels`` for ``ce``, float64 one-hot ``(n, 10)`` for ``mse``;
    ``stats``: where the data and the preprocessing statistics came from (for config.json).
    """

    x: np.ndarray
    labels: np.ndarray
    targets: np.ndarray
    stats: dict[str, object] = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of examples."""
        return int(self.labels.shape[0])


def resolve_root(data_root: str | os.PathLike[str] | None) -> Path:
    """The folder holding ``cifar-10-batches-py/``: ``data_root``, else ``$EOS_CIFAR10_ROOT``.

    Raises ``ValueError`` naming both sources when neither is given.
    """
    if data_root is None:
        data_root = os.environ.get(ROOT_ENV) or None
    if data_root is None:
        raise ValueError(
            f"data_root: no CIFAR-10 folder given; pass --data-root DIR or set {ROOT_ENV} to "
            f"the folder that contains {CIFAR_FOLDER}/ (or use --download, or --dataset "
            "synthetic)"
        )
    return Path(data_root)


def read_batch(path: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray]:
    """Read one batch file: ``(data uint8 (rows, 3072), labels int64 (rows,))``.

    Raises :class:`DataFileError` naming the file and what is wrong (missing, truncated,
    not a pickle, missing keys, wrong shape or dtype, labels out of range or miscounted).
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"{path}: file is missing")
    try:
        with path.open("rb") as fh:
            obj = pickle.load(fh, encoding="latin1")
    except EOFError:
        raise DataFileError(f"{path}: file is truncated (pickle ended early)") from None
    except (pickle.UnpicklingError, ValueError, TypeError, AttributeError, IndexError) as exc:
        what = f"{type(exc).__name__}: {exc}"
        raise DataFileError(f"{path}: not a CIFAR-10 pickle ({what})") from None
    if not isinstance(obj, dict):
        raise DataFileError(f"{path}: expected a dict, found {type(obj).__name__}")
    missing = [k for k in ("data", "labels") if k not in obj]
    if missing:
        raise DataFileError(f"{path}: missing key(s) {missing}; keys present {sorted(obj)}")
    data = obj["data"]
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8:
        kind = getattr(data, "dtype", type(data).__name__)
        raise DataFileError(f"{path}: 'data' must be a uint8 array, found {kind}")
    if data.ndim != 2 or data.shape[1] != NUM_FEATURES:
        raise DataFileError(f"{path}: 'data' must have shape (rows, 3072), found {data.shape}")
    try:
        labels = np.asarray(obj["labels"], dtype=np.int64)
    except (TypeError, ValueError):
        raise DataFileError(f"{path}: 'labels' is not a list of integers") from None
    if labels.shape != (data.shape[0],):
        raise DataFileError(
            f"{path}: {labels.size} labels for {data.shape[0]} rows of 'data' (shape "
            f"{labels.shape})"
        )
    if labels.size and (labels.min() < 0 or labels.max() >= NUM_CLASSES):
        raise DataFileError(
            f"{path}: labels must lie in 0..9, found {labels.min()}..{labels.max()}"
        )
    return data, labels


def training_files(root: Path) -> list[Path]:
    """The consecutive training files ``data_batch_1 .. k`` present under ``root``.

    Raises :class:`DataFileError` when ``data_batch_1`` is missing or a later file is
    present after a missing one (so a lost file is never silently skipped).
    """
    folder = root / CIFAR_FOLDER
    if not folder.is_dir():
        raise DataFileError(f"{folder}: folder is missing (expected the standard layout)")
    present = [(folder / name).is_file() for name in TRAIN_FILES]
    if not present[0]:
        raise DataFileError(f"{folder / TRAIN_FILES[0]}: file is missing")
    k = present.index(False) if False in present else len(present)
    if any(present[k:]):
        later = TRAIN_FILES[k + present[k:].index(True)]
        raise DataFileError(f"{folder / TRAIN_FILES[k]}: file is missing while {later} is present")
    return [folder / name for name in TRAIN_FILES[:k]]


def standardize(pixels: np.ndarray) -> tuple[np.ndarray, dict[str, object]]:
    r"""Cohen et al.'s preprocessing: :math:`(x/255 - \mu)/\sigma` per feature.

    ``pixels`` is uint8 ``(rows, 3072)``; :math:`\mu, \sigma` are the per-feature mean and
    (population) standard deviation over all its rows. A constant feature keeps
    :math:`\sigma = 1` (counted in the returned statistics).

    >>> x, s = standardize(np.array([[0, 255], [255, 255]], dtype=np.uint8))
    >>> x.tolist(), s["constant_features"]
    ([[-1.0, 0.0], [1.0, 0.0]], 1)
    """
    x = pixels.astype(np.float64) / 255.0
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    constant = std == 0
    std[constant] = 1.0
    stats = {
        "feature_mean_range": [float(mean.min()), float(mean.max())],
        "feature_std_range": [float(std.min()), float(std.max())],
        "constant_features": int(constant.sum()),
    }
    return (x - mean) / std, stats


def one_hot(labels: np.ndarray, num_classes: int = NUM_CLASSES) -> np.ndarray:
    """Float64 one-hot rows of integer labels (targets of the squared loss)."""
    out = np.zeros((labels.size, num_classes))
    out[np.arange(labels.size), labels] = 1.0
    return out


def _targets(labels: np.ndarray, loss: str) -> np.ndarray:
    return labels if loss == "ce" else one_hot(labels)


def load_cifar10(
    *, n: int = 5000, loss: str = "ce", data_root: str | os.PathLike[str] | None = None
) -> Dataset:
    """The first ``n`` preprocessed CIFAR-10 training examples (see the module docstring).

    Statistics come from every training file present; ``stats`` records the files, their
    row counts and the statistics. Raises ``ValueError`` when ``n`` exceeds the rows present
    and :class:`DataFileError` for a bad file.
    """
    _check_n_loss(n, loss)
    root = resolve_root(data_root)
    files = training_files(root)
    parts = [read_batch(p) for p in files]
    pixels = np.concatenate([d for d, _ in parts])
    labels = np.concatenate([lab for _, lab in parts])
    if n > labels.size:
        raise ValueError(
            f"n={n} is larger than the {labels.size} training examples in "
            f"{root / CIFAR_FOLDER} ({', '.join(p.name for p in files)})"
        )
    x, stat = standardize(pixels)
    stats: dict[str, object] = {
        "dataset": "cifar10",
        "root": str(root),
        "statistics_from": {p.name: int(parts[i][1].size) for i, p in enumerate(files)},
        "statistics_rows": int(labels.size),
        "preprocessing": "pixels/255, flattened channels-first, per-feature centering and "
        "standardization with the statistics of the training files present, first n",
        **stat,
        "n": n,
        "class_counts": np.bincount(labels[:n], minlength=NUM_CLASSES).tolist(),
    }
    return Dataset(x[:n], labels[:n], _targets(labels[:n], loss), stats)


def load_synthetic(*, n: int = 5000, loss: str = "ce", seed: int = 0) -> Dataset:
    r"""A seeded data set with CIFAR-10's shapes: standard normal features, teacher labels.

    Labels are :math:`\arg\max_k (x W)_k` for a fixed Gaussian :math:`W` (3072×10), so a
    network can fit them. The same ``seed`` gives the same data on every machine (numpy
    PCG64).

    >>> d = load_synthetic(n=4, seed=1)
    >>> d.x.shape, d.labels.shape, d.targets.dtype.kind
    ((4, 3072), (4,), 'i')
    """
    _check_n_loss(n, loss)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, NUM_FEATURES))
    teacher = rng.standard_normal((NUM_FEATURES, NUM_CLASSES))
    labels = np.argmax(x @ teacher, axis=1).astype(np.int64)
    stats = {
        "dataset": "synthetic",
        "seed": seed,
        "preprocessing": "x ~ N(0, I) iid, labels = argmax(x @ W) with W ~ N(0, I) (3072x10)",
        "n": n,
        "class_counts": np.bincount(labels, minlength=NUM_CLASSES).tolist(),
    }
    return Dataset(x, labels, _targets(labels, loss), stats)


def download_cifar10(data_root: str | os.PathLike[str] | None) -> Path:
    """Fetch CIFAR-10 into ``data_root`` through torchvision (imported here, lazily).

    Raises ``RuntimeError`` with what to do instead when torchvision does not import.
    """
    root = resolve_root(data_root)
    try:
        from torchvision.datasets import CIFAR10
    except Exception as exc:  # ImportError, or a torch/torchvision version mismatch
        raise RuntimeError(
            f"--download needs torchvision, which does not import here ({type(exc).__name__}: "
            f"{exc}); install the 'vision' extra where it matches torch, or place the "
            f"standard {CIFAR_FOLDER}/ folder under {root} yourself"
        ) from None
    root.mkdir(parents=True, exist_ok=True)
    CIFAR10(str(root), train=True, download=True)
    return root


def load_dataset(
    name: str,
    *,
    n: int = 5000,
    loss: str = "ce",
    data_root: str | os.PathLike[str] | None = None,
    seed: int = 0,
    download: bool = False,
) -> Dataset:
    """Dispatch to :func:`load_cifar10` (after :func:`download_cifar10` if asked) or
    :func:`load_synthetic`; ``ValueError`` for an unknown ``name``.
    """  # noqa: D205
    if name not in DATASETS:
        raise ValueError(f"dataset must be one of {DATASETS}, got {name!r}")
    if name == "synthetic":
        return load_synthetic(n=n, loss=loss, seed=seed)
    if download:
        data_root = download_cifar10(data_root)
    return load_cifar10(n=n, loss=loss, data_root=data_root)


def _check_n_loss(n: int, loss: str) -> None:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")
