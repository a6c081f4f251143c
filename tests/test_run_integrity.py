"""Run folders that can be trusted (issue 13, integrity): damage is found and never judged
silently, one writer per folder, no resume from a damaged log, a finished run says so.

Each test names the fault it guards against; each failed on the main of 2026-11-30 before
this change (the reader stopped silently at the first bad line, two writers interleaved).
"""

from __future__ import annotations

import json

import pytest

from eos_empirical.checks import CHECKS
from eos_empirical.commands import run_cli
from eos_empirical.config import RunConfig
from eos_empirical.recorder import Recorder, RunFolderBusy
from eos_empirical.runlog import STEPS_FILE, load_run, load_runs
from eos_theory.registry import get_claim
from tests.test_experiments import T, gd_spec, stable_series, write_run
from tests.test_runlog import tiny_run


def _stable_run(root):
    """An Experiment 2 (stable) run folder whose check holds while the log is sound."""
    spec = gd_spec("stable", 2 / 200, regime="stable", exps=["exp2"], series=stable_series(2 / 200))
    return write_run(root, **spec)


def _corrupt_line(path, line_no: int, text: str = "{not json") -> None:
    lines = path.read_text().splitlines(keepends=True)
    lines[line_no - 1] = text + "\n"
    path.write_text("".join(lines))


def test_a_damaged_middle_line_is_reported_not_cut(tmp_path):
    """A cut line in the middle of steps.jsonl used to end the log there silently (a median
    over a prefix); now the run reads in full, its damage names the line, and the check of
    Experiment 2 is 'damaged' instead of a verdict; `eos verify` does not count it as passed."""
    d = _stable_run(tmp_path)
    assert CHECKS["exp2.stable-rp"].evaluate(load_runs(tmp_path)).status == "holds"
    _corrupt_line(d / STEPS_FILE, 50)
    run = load_run(d)
    assert run.damage == (
        "line 50 is not a JSON object",
        "step gap at line 51: step 48 is followed by step 50",
    ), run.damage
    assert len(run.rows) == T - 1, "the rows after the damaged line must still be read"
    v = CHECKS["exp2.stable-rp"].evaluate(load_runs(tmp_path))
    assert v.status == "damaged" and "line 50" in str(v.numbers), v
    claim = get_claim("exp2.stable-rp")
    assert not claim.passed(claim.run(load_runs(tmp_path)))


def test_a_torn_last_line_is_still_repaired(tmp_path):
    """The partial last line of an interrupted run is dropped, as before: no damage."""
    d = _stable_run(tmp_path)
    steps = d / STEPS_FILE
    steps.write_text(steps.read_text() + '{"step": ')
    run = load_run(d)
    assert run.damage == () and len(run.rows) == T


def test_a_step_gap_is_damage(tmp_path):
    """Rows lost in the middle (a gap in the step numbers) are damage, named by line."""
    d = _stable_run(tmp_path)
    lines = (d / STEPS_FILE).read_text().splitlines(keepends=True)
    (d / STEPS_FILE).write_text("".join(lines[:10] + lines[20:]))
    assert load_run(d).damage == ("step gap at line 11: step 9 is followed by step 20",)


def test_one_writer_per_run_folder(tmp_path):
    """A second writer into a folder that is being written fails at once, naming the pid of
    the holder (two `eos run` into one --out used to interleave every row); once the first
    closes, the folder can be opened again."""
    cfg = RunConfig(dataset="synthetic", n=5, width=4, depth=1, eta=0.1, max_steps=3)
    first, second = Recorder(tmp_path / "run"), Recorder(tmp_path / "run")
    first.start(cfg, {})
    with pytest.raises(RunFolderBusy, match=r"pid \d+"):
        second.start(cfg, {})
    first.close()
    second.start(cfg, {})
    second.close()


def test_no_resume_from_a_damaged_log(tmp_path):
    """An interrupted run whose steps file is damaged before its checkpoint is not resumed
    (its rows would silently become the new run's history): a one-line error instead."""
    out = tmp_path / "gd"
    tiny_run(out, eta=0.5, max_steps=12, checkpoint_every=5)
    (out / "summary.json").unlink()  # as if interrupted after the last checkpoint
    _corrupt_line(out / STEPS_FILE, 2)
    with pytest.raises(ValueError, match="damaged"):
        tiny_run(out, eta=0.5, max_steps=12, checkpoint_every=5)


def test_rerunning_a_finished_run_says_so(tmp_path, capsys):
    """`eos run` into a folder holding the same finished run prints that it is finished."""
    args = ["--out", str(tmp_path / "r"), "--dataset", "synthetic", "--n", "20", "--eta", "0.1"]
    args += ["--max-steps", "3", "--width", "4", "--depth", "1", "--device", "cpu"]
    assert run_cli.main(args) == 0
    capsys.readouterr()
    assert run_cli.main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("already finished:"), out
    assert json.loads((tmp_path / "r" / "summary.json").read_text())["steps"] >= 1


def test_resume_refuses_other_data(tmp_path):
    """Resuming with different data (another data root or preprocessing: here other inputs)
    used to be accepted, the second half trained on other data; now the data's fingerprint,
    recorded in config.json, must match."""
    import torch

    from eos_empirical.models import init_params
    from eos_empirical.train import make_setup, train
    from tests.test_runlog import NET

    cfg = RunConfig(dataset="synthetic", n=5, width=4, depth=1, eta=0.5, max_steps=12,
                    checkpoint_every=5, acc_target=1.0, dtype="float64")  # fmt: skip
    gen = torch.Generator().manual_seed(5)
    x = torch.randn(5, 3, generator=gen, dtype=torch.float64)
    labels = torch.tensor([0, 1, 1, 0, 1])
    theta0 = init_params(NET, seed=2).double()
    out = tmp_path / "r"
    train(cfg, out, setup=make_setup(cfg, NET, x, labels, theta0=theta0))
    meta = json.loads((out / "config.json").read_text())
    assert len(meta["data"]["fingerprint"]) == 64
    (out / "summary.json").unlink()
    with pytest.raises(ValueError, match="other data"):
        train(cfg, out, setup=make_setup(cfg, NET, x + 1.0, labels, theta0=theta0))


def test_diagnostics_time_survives_a_resume(tmp_path):
    """diagnostics_time_s counts the time spent before an interruption too (it was reset on
    resume: a resumed run reported 4% where about 20% was spent)."""
    import torch

    out = tmp_path / "gd"
    tiny_run(out, eta=0.5, max_steps=30, checkpoint_every=25, eig_every=1)
    saved = torch.load(out / "checkpoint.pt", weights_only=True)
    assert saved["step"] == 25 and saved["diagnostics_time"] > 0
    (out / "summary.json").unlink()
    resumed = tiny_run(out, eta=0.5, max_steps=30, checkpoint_every=25, eig_every=1)
    assert resumed.summary["diagnostics_time_s"] >= saved["diagnostics_time"]
