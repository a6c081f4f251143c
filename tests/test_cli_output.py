"""What the commands print: summaries in the paper's terms (issue 17, item 4) and a quiet
end when standard output is closed early, as by ``eos verify | head`` (issue 17, item 6).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from eos_empirical import sweep
from eos_empirical.commands import CLOSED_PIPE, run_cli

ROOT = Path(__file__).resolve().parents[1]
TINY = ["--dataset", "synthetic", "--n", "40", "--width", "8"]


def _last_line(capsys) -> str:
    return capsys.readouterr().out.strip().splitlines()[-1]


def test_gd_summary_line_rounds_and_gives_percentages(tmp_path, capsys):
    """`eos run`'s last line: steps for GD, the final loss to 4 significant digits, the
    accuracy as a percentage with two decimals (it printed 0.9800000190734863) (issue 17
    item 4)."""
    out = tmp_path / "gd"
    assert run_cli.main(["--out", str(out), *TINY, "--eta", "2/30", "--max-steps", "3"]) == 0
    line = _last_line(capsys)
    loss, acc = line.split("final loss ")[1].split(", final acc ")
    acc = acc.split(",")[0]
    assert line.startswith(("max-steps: 3 steps,", "reached-target:")), line
    assert len(loss.replace(".", "").lstrip("0")) <= 4, f"loss {loss!r}: more than 4 digits"
    assert acc.endswith("%") and len(acc.split(".")[1]) == 3, f"acc {acc!r}, expected NN.NN%"


def test_sgd_summary_counts_epochs(tmp_path, capsys):
    """An SGD run reports epochs (with the minibatch iterations), never 'steps' (issue 17
    item 4); the outcome keeps the engine's label (max-steps: the cap was reached)."""
    argv = ["--out", str(tmp_path / "sgd"), *TINY, "--opt", "sgd", "--eta", "0.05"]
    argv += ["--batch-size", "20", "--epochs", "2", "--acc-target", "1", "--rp-samples", "2"]
    assert run_cli.main(argv) == 0
    line = _last_line(capsys).split(": ", 1)[1]
    assert "2 epochs (4 iterations)" in line and "steps" not in line, (
        f"measured {line!r}, expected '2 epochs (4 iterations)' and no 'steps'"
    )


def test_diverged_run_prints_nan_or_inf_with_the_reason(tmp_path, capsys):
    """A run whose loss became NaN or infinite prints `final loss nan` (or inf) and why it
    stopped, never `final loss None`; so does summary.md of a sweep (issue 17 item 4)."""
    out = tmp_path / "runs" / "big-eta"
    argv = ["--out", str(out), *TINY, "--loss", "mse", "--eta", "1e6", "--max-steps", "20"]
    argv += ["--blowup", "1e300"]
    assert run_cli.main(argv) == 0
    line = _last_line(capsys)
    assert "None" not in line, f"measured {line!r}: a None in the summary line"
    assert line.startswith("diverged:"), f"measured {line!r}, expected a diverged run"
    value = line.split("final loss ")[1].split(",")[0]
    assert value in {"nan", "inf"}, f"final loss {value!r}, expected nan or inf"
    assert f"(loss {value} at step" in line, f"measured {line!r}, expected the reason"
    sweep.summarize(out.parent, ["big-eta"], {"big-eta": 0})
    table = (out.parent / "summary.md").read_text().splitlines()
    assert f"| {value} |" in table[2] and "None" not in table[2], table
    assert "| diverged (loss" in table[2], table


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["verify", "--list"], CLOSED_PIPE),
        (["experiment", "--list"], CLOSED_PIPE),
        (["--help"], CLOSED_PIPE),
        (["run", "--help"], 0),  # argparse's --help already ignores a closed pipe
    ],
)
def test_closed_stdout_ends_quietly(argv, expected):
    """`eos ... | head`: a reader that closes standard output at once gets no
    BrokenPipeError traceback; the command exits 141 (128 + SIGPIPE), or 0 where argparse
    ignores the closed pipe itself (issue 17 item 6)."""
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "eos_empirical.commands", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    proc.stdout.close()  # before the command writes anything
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=120)
    proc.stderr.close()
    assert "Traceback" not in err and "BrokenPipeError" not in err, f"stderr: {err}"
    assert code == expected, f"exit status {code}, expected {expected}"


def test_closed_stdout_through_head():
    """The case of the issue, through a shell: `eos verify --list | head -n 2` prints two
    lines and nothing on stderr (issue 17 item 6)."""
    cmd = f"{sys.executable} -m eos_empirical.commands verify --list | head -n 2"
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    done = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, env=env)
    assert len(done.stdout.splitlines()) == 2, f"stdout {done.stdout!r}, expected 2 lines"
    assert done.stderr == "", f"stderr {done.stderr!r}, expected empty"
