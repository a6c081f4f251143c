"""`eos sweep` (issue 13, part 5): a TOML grid into ordinary run folders, on a local process
pool and on a real local Ray cluster, with identical results, and one summary table.

The grid parsing and the refusals run in the default suite; every test that starts worker
processes or Ray is ``slow`` (CI's slow step runs them; see docs/testing.md).
"""

from __future__ import annotations

import csv
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from eos_empirical import sweep
from eos_empirical.commands import sweep_cli
from eos_empirical.runlog import LOCK_FILE

ROOT = Path(__file__).resolve().parents[1]
SMOKE = ROOT / "grids" / "smoke.toml"
NAMES = ["eta=2_100-seed=0", "eta=2_100-seed=1", "eta=2_50-seed=0", "eta=2_50-seed=1"]


def _rows(out: Path) -> list[dict[str, str]]:
    with (out / "summary.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _sweep_cli(*args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "eos_empirical.commands", "sweep", *args]
    env = os.environ | {"OMP_NUM_THREADS": "1", "RAY_AUTH_MODE": "disabled"}
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)


def test_grid_expansion_names_and_includes(tmp_path):
    """[grid] axes give their cartesian product, [[include]] adds points, and each run
    folder is named from the varied values."""
    g = tmp_path / "g.toml"
    g.write_text(
        '[run]\nn = 10\n[grid]\neta = ["2/100", "2/50"]\n[[include]]\neta = "0.1"\nseed = 3\n'
    )
    grid = sweep.load_grid(g)
    assert [sweep.run_name(p, grid.varied) for p in grid.points] == [
        "eta=2_100",
        "eta=2_50",
        "eta=0.1-seed=3",
    ]
    assert all(p["n"] == 10 for p in grid.points)
    # without [grid], [run] is what the included points share, not a point of its own
    g.write_text('[run]\nn = 10\n[[include]]\neta = "0.1"\n[[include]]\neta = "0.2"\n')
    grid = sweep.load_grid(g)
    assert [sweep.run_name(p, grid.varied) for p in grid.points] == ["eta=0.1", "eta=0.2"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[grid]\neta = 3\n", "must be a non-empty list"),
        ("[grd]\n", "unknown tables"),
        ("[grid\n", "not valid TOML"),
        ("[grid]\neta = []\n", "must be a non-empty list"),
    ],
)
def test_bad_grid_files_are_one_line_errors(tmp_path, text, message):
    g = tmp_path / "g.toml"
    g.write_text(text)
    with pytest.raises(ValueError, match=message):
        sweep.load_grid(g)


def test_bad_point_is_refused_before_any_run(tmp_path, capsys):
    """A point `eos run` would reject (here an unknown activation) stops the sweep before
    any run starts: exit 2, one line naming the point."""
    g = tmp_path / "g.toml"
    g.write_text('[run]\ndataset = "synthetic"\nn = 20\n[grid]\nactivation = ["tanh", "sine"]\n'
                 'eta = ["0.1"]\n')  # fmt: skip
    assert sweep_cli.main([str(g), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "grid point activation=sine-eta=0.1" in err and err.count("\n") == 1, err
    assert not any((tmp_path / "out").iterdir())


@pytest.mark.slow  # worker processes (docs/testing.md)
def test_local_sweep_runs_the_grid_and_skips_finished_runs(tmp_path):
    """The smoke grid on the local pool: four run folders with summary.json and a four-row
    summary.csv; running it again finds every run finished."""
    out = tmp_path / "local"
    done = _sweep_cli(str(SMOKE), "--out", str(out), "--jobs", "2")
    assert done.returncode == 0, done.stderr[-2000:]
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == NAMES
    assert all((out / n / "summary.json").is_file() for n in NAMES)
    first = _rows(out)
    assert [r["run"] for r in first] == NAMES
    again = _sweep_cli(str(SMOKE), "--out", str(out), "--jobs", "2")
    assert again.returncode == 0, again.stderr[-2000:]
    assert again.stdout.count("already finished") == 4, again.stdout
    assert _rows(out) == first


@pytest.mark.slow  # worker processes (docs/testing.md)
def test_failed_point_does_not_stop_the_others(tmp_path):
    """A point that fails at run time (more examples than the data has) is reported as
    failed in the summary; the other points run; the sweep exits 1."""
    g = tmp_path / "g.toml"
    g.write_text('[run]\ndataset = "synthetic"\neta = "0.1"\nmax-steps = 3\nwidth = 4\n'
                 'depth = 1\ndevice = "cpu"\n[grid]\nn = [20, 10000000]\n')  # fmt: skip
    done = _sweep_cli(str(g), "--out", str(tmp_path / "out"), "--jobs", "1")
    assert done.returncode == 1, done.stderr[-2000:]
    rows = {r["run"]: r for r in _rows(tmp_path / "out")}
    assert rows["n=20"]["outcome"] in {"reached-target", "max-steps"}
    assert rows["n=10000000"]["outcome"].startswith("failed"), rows


def _hold_lock(folder: Path, pid: str):
    """Hold the run folder's lock as a writer does (flock on LOCK_FILE, the pid inside)."""
    import fcntl

    folder.mkdir(parents=True, exist_ok=True)
    fh = (folder / LOCK_FILE).open("a+")
    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    fh.write(f"{pid}\n")
    fh.flush()
    return fh


def test_summary_names_a_point_another_process_writes_busy_not_failed(tmp_path):
    """Issue 14 (two CPU lanes sweep one grid; each skips the run the other holds): a point
    without summary.json whose folder's lock is held reads 'busy (pid N is writing it)' in
    summary.csv, not 'failed'; the same folder, lock released, reads failed with its exit."""
    out = tmp_path / "out"
    fh = _hold_lock(out / "p", "4242")
    try:
        rows = sweep.summarize(out, ["p"], {"p": 1})
        assert rows[0]["outcome"] == "busy (pid 4242 is writing it)", rows
        assert _rows(out)[0]["outcome"] == "busy (pid 4242 is writing it)"
    finally:
        fh.close()
    assert sweep.summarize(out, ["p"], {"p": 1})[0]["outcome"] == "failed (exit 1)"


@pytest.mark.slow  # worker processes (docs/testing.md)
def test_sweep_skips_a_point_another_process_writes_and_exits_3(tmp_path):
    """`eos sweep` meeting a point whose folder another process writes (here this test,
    holding its lock) runs the others, reports that point busy with the pid, and exits 3
    (nothing failed, something left to rerun), not 1."""
    g = tmp_path / "g.toml"
    g.write_text('[run]\ndataset = "synthetic"\nn = 20\nwidth = 4\ndepth = 1\nmax-steps = 2\n'
                 'device = "cpu"\n[grid]\neta = ["0.1", "0.2"]\n')  # fmt: skip
    out = tmp_path / "out"
    fh = _hold_lock(out / "eta=0.2", str(os.getpid()))
    try:
        done = _sweep_cli(str(g), "--out", str(out), "--jobs", "1")
    finally:
        fh.close()
    assert done.returncode == 3, (done.returncode, done.stdout[-2000:], done.stderr[-2000:])
    assert "2 runs, 0 failed, 1 written by another process" in done.stdout, done.stdout
    rows = {r["run"]: r["outcome"] for r in _rows(out)}
    assert rows["eta=0.1"] in {"reached-target", "max-steps"}, rows
    assert rows["eta=0.2"] == f"busy (pid {os.getpid()} is writing it)", rows


@pytest.mark.slow  # starts a local Ray cluster (docs/testing.md)
@pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="Ray not installed (.[sweep])")
def test_ray_sweep_matches_the_local_one(tmp_path):
    """The smoke grid on a real local Ray cluster gives the same four runs as the local
    pool: same outcomes, step counts and final losses (each run is deterministic)."""
    local, ray = tmp_path / "local", tmp_path / "ray"
    assert _sweep_cli(str(SMOKE), "--out", str(local), "--jobs", "2").returncode == 0
    done = _sweep_cli(str(SMOKE), "--out", str(ray), "--executor", "ray")
    assert done.returncode == 0, done.stderr[-3000:]
    keys = ("run", "outcome", "steps", "final_loss")
    assert [[r[k] for k in keys] for r in _rows(ray)] == [
        [r[k] for k in keys] for r in _rows(local)
    ]


def _paper_run_grid(tmp_path: Path) -> Path:
    """Two seeds of a paper run at a tiny size, and a float64 control of seed 0."""
    g = tmp_path / "g.toml"
    g.write_text('[run]\ndataset = "synthetic"\nn = 40\nwidth = 8\nmax-steps = 2\n'
                 'device = "cpu"\n[grid]\nexperiment-run = ["gd-tanh-d2-eta2_10"]\n'
                 'seed = [0, 1]\n[[include]]\nexperiment-run = "gd-tanh-d2-eta2_10"\n'
                 'seed = 0\ndtype = "float64"\ncontrol = "float64"\n')  # fmt: skip
    return g


def test_experiment_run_points_take_the_papers_options(tmp_path):
    """Issue 14: a point naming a paper run (`experiment-run`) takes that run's options at the
    paper's size, replaced by the point's own."""
    grid = sweep.load_grid(_paper_run_grid(tmp_path))
    plan = dict(sweep.check_points(grid, tmp_path / "out"))
    argv = plan["experiment-run=gd-tanh-d2-eta2_10-seed=1"]
    opts = dict(zip(argv[::2], argv[1::2], strict=False))
    # the paper's run: tanh, eta 2/10, 95% target; the grid's own values win (n, width)
    assert (opts["--activation"], opts["--eta"], opts["--acc-target"]) == ("tanh", "2/10", "0.95")
    assert (opts["--n"], opts["--width"], opts["--seed"]) == ("40", "8", "1"), opts


@pytest.mark.slow  # worker processes (docs/testing.md)
def test_experiment_run_points_are_judged_as_the_papers_runs(tmp_path):
    """Issue 14: the folder of a point naming a paper run gets the experiment.json the
    checks read; a `control` point is never among the runs a verdict rests on."""
    from eos_empirical.runlog import controls_of, load_runs, runs_of

    done = _sweep_cli(str(_paper_run_grid(tmp_path)), "--out", str(tmp_path / "out"), "--jobs", "1")
    assert done.returncode == 0, done.stderr[-2000:]
    runs = load_runs(tmp_path / "out")
    judged = sorted((r.experiment["seed"], r.regime) for r in runs_of(runs, "exp3"))
    assert judged == [(0, "diverge"), (1, "diverge")], judged
    controls = controls_of(runs, "exp3")
    assert [(r.experiment["control"], r.config["dtype"]) for r in controls] == [
        ("float64", "float64")
    ]


def test_control_without_experiment_run_is_refused(tmp_path):
    g = tmp_path / "g.toml"
    g.write_text('[run]\ndataset = "synthetic"\neta = "0.1"\ncontrol = "float64"\n')
    with pytest.raises(ValueError, match="'control' needs 'experiment-run'"):
        sweep.check_points(sweep.load_grid(g), tmp_path / "out")


@pytest.mark.slow  # worker processes (docs/testing.md)
def test_killed_sweep_leaves_no_worker_running(tmp_path):
    """Issue 13/14 (runs you can trust): killing `eos sweep` (SIGKILL, no cleanup) ends its
    local pool worker within seconds, instead of leaving an orphan run holding the folder's
    lock; the run is resumable from its checkpoint."""
    import signal
    import time

    g = tmp_path / "g.toml"
    g.write_text('[run]\ndataset = "synthetic"\nn = 40\nwidth = 4\ndepth = 1\neta = "1e-7"\n'
                 'max-steps = 10000000\nacc-target = 1.0\ndevice = "cpu"\n')  # fmt: skip
    out = tmp_path / "out"
    env = os.environ | {"OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "eos_empirical.commands", "sweep", str(g),
                             "--out", str(out), "--jobs", "1"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    steps = out / "run" / "steps.jsonl"
    deadline = time.monotonic() + 120
    while not (steps.is_file() and steps.stat().st_size > 0):
        assert time.monotonic() < deadline, "the sweep's run did not start within 120 s"
        time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    size = steps.stat().st_size
    time.sleep(6)  # the worker polls its parent every second
    grown = steps.stat().st_size
    time.sleep(2)
    assert steps.stat().st_size == grown, (
        f"a worker still writes {steps} after its sweep was killed (size {size} -> {grown} -> "
        f"{steps.stat().st_size})"
    )


@pytest.mark.slow  # worker processes (docs/testing.md)
def test_only_runs_the_matching_points(tmp_path, capsys):
    """`eos sweep --only TEXT` runs the points whose names contain TEXT (a subset of a grid,
    e.g. the short controls first); no match is one usage line, exit 2."""
    g = tmp_path / "g.toml"
    g.write_text('[run]\ndataset = "synthetic"\nn = 20\nwidth = 4\ndepth = 1\nmax-steps = 2\n'
                 'device = "cpu"\n[grid]\neta = ["0.1", "0.2"]\n')  # fmt: skip
    out = tmp_path / "out"
    assert sweep_cli.main([str(g), "--out", str(out), "--jobs", "1", "--only", "0.2"]) == 0
    assert (out / "eta=0.2" / "summary.json").is_file()
    assert not (out / "eta=0.1" / "summary.json").exists()
    assert sweep_cli.main([str(g), "--out", str(out), "--only", "0.3"]) == 2
    assert "no point of the grid matches" in capsys.readouterr().err


def test_only_checks_every_filter_and_touches_only_kept_points(tmp_path):
    """`--only` (issue 13, trustworthy sweeps): every filter must match a point (a mistyped
    one among several is a ValueError naming it, not runs dropped in silence), and only the
    kept points' folders get an experiment.json."""
    g = tmp_path / "g.toml"
    g.write_text('[grid]\nseed = [0, 1]\nexperiment-run = ["gd-tanh-d2-eta2_10"]\n')
    grid, out = sweep.load_grid(g), tmp_path / "out"
    with pytest.raises(ValueError, match=r"--only 'seed=7': no point of the grid matches"):
        sweep.check_points(grid, out, only=["seed=1", "seed=7"])
    assert not out.exists(), "a refused filter wrote run folders"
    plan = sweep.check_points(grid, out, only=["seed=1"])
    assert [name for name, _ in plan] == ["seed=1-experiment-run=gd-tanh-d2-eta2_10"]
    written = sorted(p.parent.name for p in out.glob("*/experiment.json"))
    assert written == ["seed=1-experiment-run=gd-tanh-d2-eta2_10"], written


def _queue_steps() -> list[tuple[Path, list[str]]]:
    """The sweeps of grids/paper/cpu_queue.sh: (grid, its --only filters) per step."""
    text = (ROOT / "grids" / "paper" / "cpu_queue.sh").read_text()
    steps = []
    for line in text.splitlines():
        words = line.strip().strip('"').split()
        if words[:1] == ["sweep"]:
            only = [words[i + 1] for i, w in enumerate(words) if w == "--only"]
            steps.append((ROOT / words[1], only))
    return steps


@pytest.mark.parametrize(
    "grid_file", sorted((ROOT / "grids").rglob("*.toml")), ids=lambda p: p.name
)
def test_every_committed_grid_checks(grid_file, tmp_path):
    """Every grid in grids/ (issue 14's paper-scale runs among them) loads and each of its
    points passes `eos run`'s option check, so a long queue never stops at a bad point."""
    plan = sweep.check_points(sweep.load_grid(grid_file), tmp_path)
    assert plan, f"{grid_file} has no point"


def test_cpu_queue_filters_match_their_grids(tmp_path):
    """Every `--only` of grids/paper/cpu_queue.sh (issue 14's CPU queue, hours per step)
    matches a point of its grid: a typo would skip its runs."""
    steps = _queue_steps()
    assert len(steps) >= 8, steps  # the parse found the queue's sweeps
    for grid_file, only in steps:
        assert grid_file.is_file(), f"cpu_queue.sh names a missing grid {grid_file}"
        if only:
            sweep.check_points(sweep.load_grid(grid_file), tmp_path / grid_file.stem, only)
