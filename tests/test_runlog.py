"""The run-log schema and reader of :mod:`eos_empirical.runlog`.

The schema's row kinds are compared with what ``train_gd`` and ``train_sgd`` actually
write (tiny float64 runs on 5 examples), and the reader round-trips a folder written by
the recorder, plain and gzipped, stopping at a partial last line.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from types import NoneType, UnionType
from typing import get_args, get_origin

import numpy as np
import pytest
import torch

from eos_empirical.config import RunConfig
from eos_empirical.models import FlatMLP, init_params
from eos_empirical.runlog import (
    CONFIG_FILE,
    EXPERIMENT_FILE,
    GD_ROW,
    SGD_ESTIMATES,
    SGD_ROW,
    STEPS_FILE,
    STEPS_GZ_FILE,
    SUMMARY_FILE,
    F,
    RowKind,
    RunLog,
    load_run,
    load_runs,
    read_rows,
    runs_of,
)
from eos_empirical.train import make_setup, train

NET = FlatMLP((3, 4, 2), "tanh")


def tiny_run(out, *, net=NET, **kw):
    """A run on 5 fixed examples (float64), into ``out`` (or in memory for ``None``)."""
    gen = torch.Generator().manual_seed(5)
    x = torch.randn(5, 3, generator=gen, dtype=torch.float64)
    labels = torch.tensor([0, 1, 1, 0, 1])
    base = dict(dataset="synthetic", n=5, width=4, depth=1, acc_target=1.0, dtype="float64")
    cfg = RunConfig(**{**base, **kw})
    theta0 = init_params(net, seed=2).double()
    return train(cfg, out, setup=make_setup(cfg, net, x, labels, theta0=theta0))


def conforms(value, tp) -> bool:
    """``value`` (from JSON) has the schema type ``tp`` (``None`` only where allowed)."""
    options = get_args(tp) if isinstance(tp, UnionType) else (tp,)
    if value is None:
        return NoneType in options
    return any(isinstance(value, get_origin(t) or t) for t in options if t is not NoneType)


def assert_rows_of(kind: RowKind, rows) -> None:
    """Every row has the required fields, only fields of ``kind``, in its order, typed."""
    assert rows
    for row in rows:
        keys = list(row)
        assert set(kind.required) <= set(keys), (kind.name, keys)
        assert keys == [k for k in kind.names if k in row], (kind.name, keys)
        for k, v in row.items():
            assert conforms(v, kind.fields[F(k)]), (kind.name, k, v)


def test_gd_rows_match_the_schema(tmp_path):
    """``train_gd`` writes every field of GD_ROW in every row, in its order, with its type,
    in memory and on disk (with sharpness, the tau grid and the Theorem 2 quadrature)."""
    res = tiny_run(
        tmp_path / "gd", eta=1.5, max_steps=6, eig_every=2, tau_every=3, tau_points=4, quad_every=1
    )
    assert_rows_of(GD_ROW, res.rows)
    assert all(list(r) == list(GD_ROW.names) for r in res.rows)
    on_disk = read_rows(tmp_path / "gd" / STEPS_FILE)
    assert on_disk == res.rows
    measured = [r for r in on_disk if r[F.SHARPNESS] is not None]
    assert [r[F.STEP] for r in measured] == [0, 2, 4]
    assert all(len(r[F.TAU_SMOOTHNESS]) == 4 for r in on_disk if r[F.STEP] % 3 == 0)


def test_sgd_rows_match_the_schema(tmp_path):
    """``train_sgd`` writes the SGD_ROW fields: the estimates of every finite epoch, and
    ``eig_hvps`` exactly where the sharpness was measured."""
    res = tiny_run(
        tmp_path / "sgd", opt="sgd", eta=0.5, batch_size=2, epochs=3, rp_samples=3, eig_every=2
    )
    assert_rows_of(SGD_ROW, res.rows)
    assert read_rows(tmp_path / "sgd" / STEPS_FILE) == res.rows
    for r in res.rows:
        assert set(SGD_ESTIMATES) <= set(r)
        assert (F.EIG_HVPS in r) == (r[F.SHARPNESS] is not None) == (r[F.STEP] % 2 == 0)


def test_diverged_sgd_epoch_has_no_estimates():
    """The row of an epoch whose loss blew up holds only the required SGD fields."""
    net = FlatMLP((3, 4, 2), "none")
    res = tiny_run(None, net=net, activation="none", opt="sgd", eta=50.0, batch_size=2, epochs=200)
    assert res.summary["outcome"] == "diverged", res.summary
    assert_rows_of(SGD_ROW, res.rows)
    assert list(res.rows[-1]) == list(SGD_ROW.required)


def test_reader_round_trips_a_recorded_folder(tmp_path):
    """load_run gives back what the recorder wrote: config, metadata, rows, summary; the
    gzipped copy of a report folder reads the same; load_runs and runs_of find it."""
    res = tiny_run(tmp_path / "runs" / "a", eta=0.5, max_steps=5, eig_every=2)
    folder = tmp_path / "runs" / "a"
    (folder / EXPERIMENT_FILE).write_text(json.dumps({"experiments": ["x"], "regime": "stable"}))
    run = load_run(folder)
    assert run.name == "a" and run.rows == res.rows and run.summary == res.summary
    assert run.config == json.loads((folder / CONFIG_FILE).read_text())["config"]
    assert run.meta["dtype"] == "float64" and "config" not in run.meta
    assert run.eta == 0.5 and run.eta_label == "2/4" and run.regime == "stable"
    assert run.outcome == res.summary["outcome"]
    np.testing.assert_array_equal(run.col(F.RP), [r[F.RP] for r in res.rows])
    assert np.isnan(run.col(F.SHARPNESS)[1]) and np.isnan(run.col(F.TAU_SMOOTHNESS)).all()

    packed = tmp_path / "packed" / "a"
    packed.mkdir(parents=True)
    for name in (CONFIG_FILE, SUMMARY_FILE, EXPERIMENT_FILE):
        (packed / name).write_bytes((folder / name).read_bytes())
    (packed / STEPS_GZ_FILE).write_bytes(gzip.compress((folder / STEPS_FILE).read_bytes()))
    assert load_run(packed).rows == run.rows

    runs = load_runs(tmp_path / "runs")
    assert list(runs) == ["a"]
    assert runs_of(runs, "x") == [runs["a"]] and runs_of(runs, "y") == []


def test_reader_stops_at_a_partial_line_and_names_missing_files(tmp_path):
    """A partial last line (an interrupted write) ends the rows; an absent steps file gives
    no rows and no summary means unfinished; a folder without config.json is refused."""
    d = tmp_path / "r"
    d.mkdir()
    (d / CONFIG_FILE).write_text(json.dumps({"config": {"eta": 0.1}}))
    assert load_run(d).rows == [] and load_run(d).outcome == "unfinished"
    (d / STEPS_FILE).write_text(
        '{"step": 0, "loss": 1.0}\n{"step": 1, "loss": 0.5}\n{"step": 2, "lo'
    )
    assert read_rows(d / STEPS_FILE) == [{"step": 0, "loss": 1.0}, {"step": 1, "loss": 0.5}]
    assert read_rows(d / "absent.jsonl") == []
    with pytest.raises(ValueError, match="not a run folder"):
        load_run(tmp_path)


def test_field_names_are_checked(tmp_path):
    """A misspelt field is an error, not a column of NaN."""
    with pytest.raises(AttributeError):
        F.SHARPNES  # noqa: B018
    run = RunLog("r", tmp_path, {"eta": 1.0}, {}, {}, [{"step": 0}])
    assert run.col(F.STEP).tolist() == [0.0]
    with pytest.raises(ValueError, match="sharpnes"):
        run.col("sharpnes")


@pytest.mark.parametrize(
    ("opt", "eta", "label"),
    [("gd", 2 / 30, "2/30"), ("sgd", 0.02, "2/100"), ("adam", 4e-4, "0.0004"), ("gd", 0.3, "0.3")],
)
def test_step_size_label_names_gd_by_its_threshold_only(opt, eta, label):
    """The figures' step-size label (RunLog.eta_label): the paper names GD and SGD step
    sizes 2/k (the threshold 2/eta = k); Adam's 4e-4 is 2/5000 exactly, but its threshold
    is 38/eta, so it is named by its value."""
    run = RunLog(
        name="x",
        path=Path("x"),
        config={"opt": opt, "eta": eta},
        meta={},
        experiment={},
        rows=[],
        summary=None,
    )
    assert run.eta_label == label, (opt, eta, run.eta_label)
