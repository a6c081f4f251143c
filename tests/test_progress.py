"""Progress of the commands that take more than a few seconds (issue 17, item 1): through
tqdm, a bar on a terminal and a plain line every so many seconds otherwise, quiet with
``--quiet``; per run (step or epoch, rate, ETA, loss, ηL/2 and ηλ/2 against 1), per
experiment and per sweep (runs done / total, ETA), per ``eos verify`` (claims done / total).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from eos_empirical.commands import bench_cli, run_cli, search_cli, sweep_cli, verify_cli
from eos_empirical.progress_line import Progress, RunsProgress

ROOT = Path(__file__).resolve().parents[1]
RUN = ["--dataset", "synthetic", "--n", "40", "--width", "8", "--eta", "2/30"]
#: The cheapest ``eos bench``: figures 1 and 2 only, on 8 examples, one round each.
BENCH = ["--quick", "--dtype", "float32", "--skip-peers", "--skip-theory", "--skip-eig"]
BENCH += ["--threads", "1", "--n", "8", "--repeats", "1"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _rows(n: int) -> list[dict[str, float | int | None]]:
    return [
        {"step": t, "loss": 1.0 / (t + 1), "acc": 0.5, "dir_smoothness": 19.0, "sharpness": 21.0}
        for t in range(n)
    ]


def test_run_progress_in_a_log_is_plain_lines_with_eta_and_thresholds():
    """Not a terminal: whole lines (no carriage return, no bar) with steps done / total,
    elapsed<ETA, rate, loss, accuracy, and ηL/2, ηλ/2 each against 1 (issue 17 item 1)."""
    log = io.StringIO()
    progress = Progress(10, eta=0.1, stream=log, every_s=0)
    for row in _rows(10):
        progress(row)
    progress.close()
    text = log.getvalue()
    lines = text.splitlines()
    assert "\r" not in text and "|" not in text, f"a log got a redrawn bar: {text!r}"
    last = lines[-1]
    for needle in ("10/10 steps", "step/s", "<", "loss 0.1", "acc 50.00%"):
        assert needle in last, f"last progress line {last!r} lacks {needle!r}"
    assert "ηL/2 0.95<1" in last and "ηλ/2 1.05>1" in last, (
        f"measured {last!r}, expected ηL/2 0.95<1 and ηλ/2 1.05>1 (η = 0.1, L = 19, λ = 21)"
    )
    assert len(lines) >= 10, f"every_s=0 gave {len(lines)} lines for 10 rows, expected >= 10"


def test_run_progress_on_a_terminal_is_a_bar_and_sgd_counts_epochs():
    """On a terminal the run's progress is a tqdm bar redrawn in place; an SGD run counts
    epochs, not steps (issue 17 item 1)."""
    tty = _Terminal()
    progress = Progress(4, eta=0.1, opt="sgd", stream=tty)
    for row in _rows(5):
        progress(row)
    progress.close()
    text = tty.getvalue()
    assert "\r" in text and "|" in text, f"measured {text!r}, expected a bar redrawn with \\r"
    assert "4/4 [" in text and "epoch/s" in text, f"measured {text!r}, expected 4/4 epochs"


def test_quiet_progress_writes_nothing():
    """``quiet`` silences the run's progress and the runs counter (issue 17 item 1)."""
    log = io.StringIO()
    progress = Progress(3, eta=0.1, stream=log, quiet=True, every_s=0)
    for row in _rows(3):
        progress(row)
    progress.close()
    runs = RunsProgress(2, quiet=True, stream=log, every_s=0)
    runs.one_done("[1/2] a: done")
    runs.close()
    assert log.getvalue() == "", f"quiet progress wrote {log.getvalue()!r}, expected nothing"
    assert progress.step == 2, f"quiet progress remembered step {progress.step}, expected 2"


def test_eos_run_shows_progress_and_quiet_silences_it(tmp_path, capsys):
    """`eos run` writes its progress (steps done / total, ηλ/2 against 1) to stderr and
    the outcome to stdout; `--quiet` leaves stderr empty (issue 17 item 1)."""
    argv = [*RUN, "--max-steps", "6", "--acc-target", "1", "--eig-every", "2"]
    assert run_cli.main(["--out", str(tmp_path / "a"), *argv]) == 0
    out, err = capsys.readouterr()
    assert "/6 steps" in err and "ηλ/2" in err, f"stderr {err!r} lacks the run's progress"
    assert out.startswith("max-steps: 6 steps"), f"stdout {out!r}"
    assert run_cli.main(["--out", str(tmp_path / "b"), "--quiet", *argv]) == 0
    out, err = capsys.readouterr()
    assert err == "", f"--quiet: stderr {err!r}, expected empty"
    assert "max-steps: 6 steps" in out, f"--quiet: stdout {out!r} lacks the outcome"


def test_experiment_runs_counted_with_each_runs_progress(tmp_path):
    """`eos experiment` shows runs done / total with an ETA, each run's steps beneath, and
    counts runs finished before as done (issue 17 item 1)."""
    from eos_empirical.experiments import all_runs, run_specs

    plan = dict(list(all_runs(["exp3"]).items())[:1])
    (name,) = plan
    log = io.StringIO()
    overrides = {"dataset": "synthetic", "device": "cpu", "acc_target": 1.0}
    progress = RunsProgress(1, stream=log, every_s=0)
    run_specs(plan, scale="smoke", out=tmp_path, overrides=overrides, progress=progress)
    progress.close()
    text = log.getvalue()
    assert "1/1 runs [" in text, f"measured {text!r}, expected '1/1 runs ['"
    assert re.search(rf"{name} [1-9]\d*/12 steps", text), f"measured {text!r}, expected steps"
    assert re.search(rf"{name}: \S+: \d+ steps, final loss", text), f"measured {text!r}"
    again = io.StringIO()
    progress = RunsProgress(1, done=1, stream=again, every_s=0)
    run_specs(plan, scale="smoke", out=tmp_path, overrides=overrides, progress=progress)
    progress.close()
    assert "finished before, skipped" in again.getvalue(), again.getvalue()
    assert "1/1 runs" in again.getvalue().splitlines()[0], again.getvalue()


@pytest.mark.slow  # two CIFAR-10 runs end to end (docs/testing.md)
def test_eos_experiment_shows_runs_and_quiet_silences_it(tmp_path, capsys, cifar10_root):
    """`eos experiment` (one smoke-scale run on the CIFAR-10 subset) shows runs done /
    total and the run's steps on stderr; `--quiet` leaves stderr empty (issue 17 item 1)."""
    from eos_empirical.commands import experiment_cli

    argv = ["exp3", "--scale", "smoke", "--runs", "gd-tanh-d2-eta2_30", "--device", "cpu"]
    argv += ["--data-root", str(cifar10_root)]
    assert experiment_cli.main([*argv, "--out", str(tmp_path / "a")]) == 0
    out, err = capsys.readouterr()
    assert "1/1 runs [" in err and "gd-tanh-d2-eta2_30 " in err, f"stderr {err!r}"
    assert out.startswith("done (scale smoke"), f"stdout {out!r}"
    assert experiment_cli.main([*argv, "--out", str(tmp_path / "b"), "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert err == "", f"--quiet: stderr {err!r}, expected empty"
    assert out.startswith("done (scale smoke"), f"--quiet: stdout {out!r}"


def test_verify_counts_claims_and_quiet_silences_it(capsys):
    """`eos verify` shows claims done / total on stderr also when it is not a terminal;
    `--quiet` leaves stderr empty (issue 17 item 1)."""
    assert verify_cli.main(["--only", "theorem2.examples", "--no-runs"]) == 0
    err = capsys.readouterr().err
    assert "1/1 claims" in err and "theorem2.examples" in err, f"stderr {err!r}"
    assert verify_cli.main(["--only", "theorem2.examples", "--no-runs", "--quiet"]) == 0
    err = capsys.readouterr().err
    assert err == "", f"--quiet: stderr {err!r}, expected empty"


def _grid(tmp_path: Path) -> Path:
    grid = tmp_path / "g.toml"
    grid.write_text(
        '[run]\ndataset = "synthetic"\nn = 40\nwidth = 8\nmax-steps = 4\ndevice = "cpu"\n'
        '[grid]\neta = ["2/30", "2/20"]\n'
    )
    return grid


def test_sweep_counts_runs_done_and_quiet_silences_it(tmp_path, capsys, monkeypatch):
    """`eos sweep` counts runs done / total on stderr, one line per finished run (the
    executor's log); `--quiet` leaves stderr empty (issue 17 item 1). The executor is
    replaced by one that only logs, so no worker starts."""
    from eos_empirical import sweep

    def fake_execute(plan, *, log, **_):
        for k, (name, _argv) in enumerate(plan, 1):
            log(f"[{k}/{len(plan)}] {name}: exit 0")
        return {name: 0 for name, _ in plan}

    monkeypatch.setattr(sweep, "execute", fake_execute)
    argv = [str(_grid(tmp_path)), "--out", str(tmp_path / "s")]
    sweep_cli.main(argv)
    err = capsys.readouterr().err
    assert "2/2 runs [" in err, f"stderr {err!r}, expected '2/2 runs ['"
    assert "[2/2] eta=2_20: exit 0" in err, f"stderr {err!r}, expected the executor's line"
    sweep_cli.main([*argv, "--quiet"])
    err = capsys.readouterr().err
    assert err == "", f"--quiet: stderr {err!r}, expected empty"


@pytest.mark.slow
def test_real_sweep_logs_each_runs_outcome_without_worker_bars(tmp_path):
    """A real local sweep logs each finished run's outcome (steps, final loss) beside the
    runs-done count, and the workers' own bars stay off (issue 17 item 1)."""
    env = os.environ | {"OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "eos_empirical.commands", "sweep", str(_grid(tmp_path))]
    done = subprocess.run(
        [*cmd, "--jobs", "1", "--out", str(tmp_path / "s")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "2/2 runs [" in done.stderr, f"stderr {done.stderr!r}, expected '2/2 runs ['"
    assert "] eta=2_30: " in done.stderr and "final loss" in done.stderr, done.stderr
    assert "/4 steps" not in done.stderr, f"a worker's bar reached stderr: {done.stderr!r}"


def _numbers_masked(text: str) -> str:
    """``text`` with every number masked (the timings vary from run to run)."""
    return re.sub(r"[-+]?\d+(\.\d+)?(e[-+]?\d+)?", "#", text)


def test_bench_counts_figures_and_quiet_silences_it(tmp_path, capsys):
    """`eos bench` shows figures done / total with an ETA on stderr when it is not a
    terminal, naming the last figure done; `--quiet` leaves stderr empty and stdout (the
    targets and the file written) as it was (issue 17 item 1)."""
    assert bench_cli.main([*BENCH, "--output", str(tmp_path / "a.md")]) == 0
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert lines[0].startswith("0/2 figures [00:00<?"), f"stderr {err!r}"
    assert "2/2 figures [" in lines[-1], f"stderr {err!r}, expected '2/2 figures [' last"
    assert "last float32 figure 2 (HVP vs gradient)" in lines[-1], f"stderr {err!r}"
    assert "figures [" not in out and "[n/a] float32:" in out, f"stdout {out!r}"
    assert bench_cli.main([*BENCH, "--output", str(tmp_path / "a.md"), "--force", "-q"]) == 0
    quiet_out, quiet_err = capsys.readouterr()
    assert quiet_err == "", f"--quiet: stderr {quiet_err!r}, expected empty"
    assert _numbers_masked(quiet_out) == _numbers_masked(out), f"{quiet_out!r} != {out!r}"


def test_search_counts_examples_and_quiet_silences_it(capsys):
    """`eos search` shows examples done / budget with an ETA, the stage and the worst
    margin on stderr when it is not a terminal; `--quiet` leaves stderr empty and stdout
    as it was, but for the seconds (issue 17 item 1)."""
    argv = ["planted-rp-negative", "--budget", "20", "--seed", "0", "--no-optimizer"]
    assert search_cli.main(argv) == 0
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert lines[0].startswith("0/20 examples [00:00<?"), f"stderr {err!r}"
    assert "20/20 examples [" in lines[-1], f"stderr {err!r}, expected '20/20 examples [' last"
    assert "hypothesis: " in err and "worst margin " in lines[-1], f"stderr {err!r}"
    assert "examples [" not in out, f"stdout {out!r}"
    assert search_cli.main([*argv, "--quiet"]) == 0
    quiet_out, quiet_err = capsys.readouterr()
    assert quiet_err == "", f"--quiet: stderr {quiet_err!r}, expected empty"
    seconds = r'"seconds": [\d.]+|[\d.]+ s(econds)?\b'
    assert re.sub(seconds, "#", quiet_out) == re.sub(seconds, "#", out), f"{quiet_out!r}"


def test_search_progress_counts_seconds_of_a_time_budget_and_what_runs_past_it():
    """A time budget (`--budget 2.5s`) counts whole seconds of 3 with the examples in the
    text; past the budget (shrinking) the count stays at the budget and the text says so
    (issue 17 item 1)."""
    log = io.StringIO()
    progress = search_cli.SearchProgress(examples=None, seconds=2.5, stream=log, every_s=0)
    progress(SimpleNamespace(examples=4, seconds=1.2, margin=-0.5), "hypothesis")
    progress(SimpleNamespace(examples=9, seconds=3.4, margin=0.01), "shrinking")
    progress.close()
    lines = log.getvalue().splitlines()
    assert lines[0].startswith("0/3 seconds ["), f"measured {lines!r}"
    assert any(
        line.startswith("1/3 seconds [") and "hypothesis: 4 examples, worst margin -0.5" in line
        for line in lines
    ), f"measured {lines!r}, expected 1/3 seconds with 4 examples"
    assert lines[-1].startswith("3/3 seconds ["), f"measured {lines!r}"
    assert "shrinking: 9 examples (past the budget), worst margin 0.01" in lines[-1], lines
