"""The CIFAR-10 reader: standard layout, Cohen et al. preprocessing, clear file errors.

Claim checked: the data of the paper's Experiments 1-9 (Cohen et al. 2021 setting,
Section 3.2): first n training examples, per-feature standardization with the statistics
of the training files present.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from eos_empirical.data import DataFileError, load_cifar10, load_synthetic, read_batch


def write_layout(root, rows=(3, 2), *, skip=()):
    folder = root / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for i, r in enumerate(rows, start=1):
        if i in skip:
            continue
        d = {
            "data": rng.integers(0, 256, (r, 3072), dtype=np.uint8),
            "labels": rng.integers(0, 10, r).tolist(),
            "batch_label": f"b{i}",
        }
        (folder / f"data_batch_{i}").write_bytes(pickle.dumps(d, protocol=2))
    return folder


def test_preprocessing_and_first_n(tmp_path):
    """Features standardized over ALL present rows (5), then the first n=4 kept."""
    folder = write_layout(tmp_path)
    d = load_cifar10(n=4, loss="mse", data_root=tmp_path)
    raw = np.concatenate([read_batch(folder / f"data_batch_{i}")[0] for i in (1, 2)]) / 255
    expected = (raw - raw.mean(0)) / raw.std(0)
    np.testing.assert_allclose(d.x, expected[:4], rtol=1e-12)
    assert d.targets.shape == (4, 10) and np.all(d.targets.sum(1) == 1)
    assert d.stats["statistics_rows"] == 5 and d.stats["statistics_from"] == {
        "data_batch_1": 3,
        "data_batch_2": 2,
    }
    with pytest.raises(ValueError, match="n=6 is larger than the 5"):
        load_cifar10(n=6, data_root=tmp_path)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda p: p.write_bytes(p.read_bytes()[:100]), "truncated"),
        (lambda p: p.write_bytes(b"not a pickle at all"), "not a CIFAR-10 pickle"),
        (lambda p: p.write_bytes(pickle.dumps([1, 2])), "expected a dict"),
        (lambda p: p.write_bytes(pickle.dumps({"data": 1})), "missing key"),
        (
            lambda p: p.write_bytes(
                pickle.dumps({"data": np.zeros((2, 5), np.uint8), "labels": [0, 1]})
            ),
            "shape",
        ),
        (
            lambda p: p.write_bytes(
                pickle.dumps({"data": np.zeros((2, 3072), np.uint8), "labels": [0]})
            ),
            "1 labels for 2 rows",
        ),
        (
            lambda p: p.write_bytes(
                pickle.dumps({"data": np.zeros((1, 3072), np.uint8), "labels": [12]})
            ),
            "labels must lie in 0..9",
        ),
        (lambda p: p.unlink(), "file is missing"),
    ],
)
def test_bad_files_name_the_file(tmp_path, damage, message):
    """Missing, truncated or malformed data_batch_1 -> DataFileError naming it."""
    folder = write_layout(tmp_path)
    damage(folder / "data_batch_1")
    with pytest.raises(DataFileError, match=message) as exc:
        load_cifar10(n=1, data_root=tmp_path)
    assert "data_batch_1" in str(exc.value)


def test_gap_in_files_is_an_error(tmp_path):
    """data_batch_2 missing while data_batch_3 exists: error naming data_batch_2."""
    write_layout(tmp_path, rows=(2, 2, 2), skip=(2,))
    with pytest.raises(DataFileError, match="data_batch_2: file is missing while data_batch_3"):
        load_cifar10(n=1, data_root=tmp_path)


def test_synthetic_is_seeded():
    """Same seed, same data; different seed, different data."""
    a, b, c = load_synthetic(n=8, seed=1), load_synthetic(n=8, seed=1), load_synthetic(n=8, seed=2)
    assert np.array_equal(a.x, b.x) and np.array_equal(a.labels, b.labels)
    assert not np.array_equal(a.x, c.x)


def test_real_subset(cifar10_root):
    """The shared subset: first labels frog, truck, truck, deer, automobile, ... (README)."""
    d = load_cifar10(n=8, data_root=cifar10_root)
    assert d.labels.tolist() == [6, 9, 9, 4, 1, 1, 2, 7]
    assert d.stats["statistics_rows"] == 5085 and d.x.shape == (8, 3072)
