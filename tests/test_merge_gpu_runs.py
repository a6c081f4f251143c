"""grids/paper/merge_gpu_runs.py (issue 14, item 5): a GPU lease's runs join runs/paper
without overwriting a finished or running local run, and the GPU tests' seed-0 runs stay
out of the published sweeps."""

import fcntl
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "merge_gpu_runs", ROOT / "grids" / "paper" / "merge_gpu_runs.py"
)
assert _spec is not None and _spec.loader is not None
merge_gpu_runs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(merge_gpu_runs)


def _run(folder: Path, tag: str, *, finished: bool) -> Path:
    folder.mkdir(parents=True)
    (folder / "config.json").write_text("{}")
    (folder / "steps.jsonl").write_text(tag)
    if finished:
        (folder / "summary.json").write_text("{}")
    return folder


def _log(folder: Path) -> str:
    return (folder / "steps.jsonl").read_text()


def test_merge_keeps_local_finished_and_running_runs(tmp_path):
    stage, repo = tmp_path / "stage", tmp_path / "repo"
    g, here = stage / "runs/paper/sgd", repo / "runs/paper/sgd"
    for name in ["both-done", "gpu-done", "gpu-cut", "new-cut", "busy"]:
        _run(g / name, f"gpu {name}", finished=not name.endswith("cut"))
    _run(here / "both-done", "cpu", finished=True)
    _run(here / "gpu-done", "cpu", finished=False)
    _run(here / "gpu-cut", "cpu", finished=False)
    _run(here / "busy", "cpu", finished=False)
    (here / "new-cut").mkdir(parents=True)  # a sweep's planned point: no run started
    (here / "new-cut" / "experiment.json").write_text("{}")
    _run(stage / "runs/paper/gpu-seed0/exp3", "gpu test", finished=True)
    with (here / "busy" / ".lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        lines = merge_gpu_runs.merge(stage, repo)
    got = {n: _log(here / n) for n in ["both-done", "gpu-done", "gpu-cut", "new-cut", "busy"]}
    expected = {
        "both-done": "cpu",  # a finished local run is kept
        "gpu-done": "gpu gpu-done",  # a finished GPU run replaces an unfinished local one
        "gpu-cut": "cpu",  # an unfinished GPU run never replaces a local folder
        "new-cut": "gpu new-cut",  # ... but is copied where there is none, to resume
        "busy": "cpu",  # a folder a local run is writing is never touched
    }
    assert got == expected, f"merged logs {got}, expected {expected}; merge said {lines}"
    assert _log(repo / "runs/gpu-seed0/exp3") == "gpu test", lines
    assert not (here.parent / "gpu-seed0").exists(), "GPU test runs must stay out of runs/paper"


def test_merge_dry_run_changes_nothing_and_bad_stage_is_one_line(tmp_path):
    stage, repo = tmp_path / "stage", tmp_path / "repo"
    _run(stage / "runs/paper/rest/a", "gpu", finished=True)
    lines = merge_gpu_runs.merge(stage, repo, dry_run=True)
    assert lines == [f"{repo}/runs/paper/rest/a: finished on the GPU: copied"], lines
    assert not (repo / "runs").exists(), "a dry run wrote files"
    with pytest.raises(ValueError, match=r"^stage: .* holds no runs/paper"):
        merge_gpu_runs.merge(tmp_path / "empty", repo)
