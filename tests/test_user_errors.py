"""User errors end in one line naming the argument and exit 2, before any work (issue 13,
part 4); Ctrl-C says how to resume. Each case failed on the main of 2026-11-30 (a traceback,
or an error only after the work was done)."""

from __future__ import annotations

import pytest
import torch

from eos_empirical.commands import (
    bench_cli,
    claims_doc_cli,
    experiment_cli,
    report_cli,
    run_cli,
    sweep_cli,
    verify_cli,
)
from eos_empirical.config import parse_eta
from tests.test_runlog import tiny_run

RUN = ["--dataset", "synthetic", "--n", "20", "--eta", "0.1", "--max-steps", "3", "--width", "4"]


def _one_line_error(capsys, *needles: str) -> str:
    err = capsys.readouterr().err.strip()
    last = err.splitlines()[-1]
    assert all(n in last for n in needles), err
    assert "Traceback" not in err, err
    return last


@pytest.mark.parametrize("kind", ["file", "under-file", "empty"])
def test_run_out_that_cannot_be_a_folder(tmp_path, capsys, kind):
    """`eos run --out X` where X is a file, lies under a file, or is empty: exit 2 naming
    --out, before any data is loaded."""
    afile = tmp_path / "f"
    afile.write_text("x")
    out = {"file": str(afile), "under-file": str(afile / "run"), "empty": ""}[kind]
    with pytest.raises(SystemExit) as exc:
        run_cli.main(["--out", out, *RUN])
    assert exc.value.code == 2
    _one_line_error(capsys, "--out")
    assert afile.read_text() == "x"


def test_eta_overflow_is_a_bad_value(capsys, tmp_path):
    """`--eta 1e999` was an OverflowError traceback; now one line naming eta."""
    with pytest.raises(ValueError, match="finite and > 0"):
        parse_eta("1e999")
    argv = ["--out", str(tmp_path / "r"), *RUN[:4], "--eta", "1e999"]
    with pytest.raises(SystemExit) as exc:
        run_cli.main(argv)
    assert exc.value.code == 2
    _one_line_error(capsys, "eta")


def test_outputs_are_checked_before_the_work(tmp_path, capsys):
    """`eos verify --json`, `eos claims-doc --output` and `eos bench` refuse an unwritable
    output at once (they used to fail after all the work)."""
    bad = tmp_path / "f"
    bad.write_text("x")
    with pytest.raises(SystemExit) as exc:
        verify_cli.main(["--only", "theorem2.examples", "--json", str(bad / "x.json")])
    assert exc.value.code == 2
    _one_line_error(capsys, "--json")
    with pytest.raises(SystemExit) as exc:
        claims_doc_cli.main(["--output", str(bad / "x.md"), "--no-runs"])
    assert exc.value.code == 2
    _one_line_error(capsys, "--output")
    assert bench_cli.main(["--quick", "--output", str(bad / "b.md")]) == 2
    _one_line_error(capsys, "--output")


def test_bench_threads_must_be_positive(capsys):
    assert bench_cli.main(["--quick", "--threads", "-1"]) == 2
    _one_line_error(capsys, "--threads")


def test_report_notes_must_exist(tmp_path, capsys):
    """`eos report --notes /nonexistent.md` was a traceback after the report was built."""
    tiny_run(tmp_path / "runs" / "a", eta=0.5, max_steps=3)
    code = report_cli.main([str(tmp_path / "runs"), "--notes", str(tmp_path / "none.md")])
    assert code == 2
    _one_line_error(capsys, "--notes")


def test_experiment_and_sweep_out(tmp_path, capsys):
    """`eos experiment --out` and `eos sweep --out` that are files: exit 2 naming --out."""
    afile = tmp_path / "f"
    afile.write_text("x")
    assert experiment_cli.main(["exp2", "--scale", "smoke", "--out", str(afile)]) == 2
    _one_line_error(capsys, "--out")
    grid = tmp_path / "g.toml"
    grid.write_text('[run]\ndataset = "synthetic"\neta = "0.1"\n')
    assert sweep_cli.main([str(grid), "--out", str(afile)]) == 2
    _one_line_error(capsys, "--out")


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 truncated"])
def test_damaged_checkpoint_is_one_line(tmp_path, capsys, content):
    """An empty or truncated checkpoint.pt was a torch traceback on resume; now one line
    naming the file and what to do."""
    out = tmp_path / "r"
    assert run_cli.main(["--out", str(out), *RUN]) == 0
    (out / "summary.json").unlink()
    (out / "checkpoint.pt").write_bytes(content)
    capsys.readouterr()
    assert run_cli.main(["--out", str(out), *RUN]) == 2
    _one_line_error(capsys, "checkpoint.pt", "damaged")


def test_ctrl_c_says_how_to_resume(tmp_path, capsys, monkeypatch):
    """Ctrl-C during `eos run` ends with 'interrupted at step N; rerun the same command to
    resume' and exit status 130 (it used to print a 30-line traceback)."""
    from eos_empirical import progress_line

    real = progress_line.Progress.__call__

    def interrupt(self, row):
        real(self, row)
        if row["step"] == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(progress_line.Progress, "__call__", interrupt)
    argv = ["--out", str(tmp_path / "r"), *RUN[:-4], "--max-steps", "50", "--width", "4"]
    assert run_cli.main(argv) == 130
    _one_line_error(capsys, "interrupted at step 2", "rerun the same command")
    assert torch.get_num_threads() >= 1


@pytest.mark.parametrize(
    ("main", "argv"),
    [
        ("verify", ["--only", "theorem2.examples"]),
        ("errata", ["--id", "erratum.icml-the-the"]),
        ("search", ["planted-rp-negative", "--budget", "20", "--no-optimizer"]),
    ],
)
def test_json_means_the_same_in_every_subcommand(main, argv, tmp_path, capsys):
    """`--json` alone prints JSON (and only JSON) on stdout; `--json PATH` prints the text
    and writes the same JSON to PATH (`eos errata --json` used to be a flag and `eos verify
    --json` a path)."""
    import json

    from eos_empirical.commands import errata_cli, search_cli

    run = {"verify": verify_cli.main, "errata": errata_cli.main, "search": search_cli.main}[main]
    run([*argv, "--json"])
    alone = json.loads(capsys.readouterr().out)
    path = tmp_path / "out.json"
    run([*argv, "--json", str(path)])
    text = capsys.readouterr().out
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    written = json.loads(path.read_text())
    assert type(written) is type(alone) and len(written) == len(alone)


def test_reports_and_benchmarks_do_not_overwrite(tmp_path, capsys):
    """`eos report` into a folder that holds a report, and `eos bench` onto an existing
    output, refuse without --force (they used to overwrite committed results silently)."""
    tiny_run(tmp_path / "runs" / "a", eta=0.5, max_steps=3)
    out = tmp_path / "rep"
    assert report_cli.main([str(tmp_path / "runs"), "--out", str(out), "--no-figures"]) == 0
    first = (out / "report.md").read_text()
    capsys.readouterr()
    assert report_cli.main([str(tmp_path / "runs"), "--out", str(out), "--no-figures"]) == 2
    _one_line_error(capsys, "--force")
    assert (out / "report.md").read_text() == first
    assert report_cli.main([str(tmp_path / "runs"), "--out", str(out), "--no-figures",
                            "--force"]) == 0  # fmt: skip
    existing = tmp_path / "bench.md"
    existing.write_text("kept")
    assert bench_cli.main(["--quick", "--output", str(existing)]) == 2
    _one_line_error(capsys, "--force")
    assert existing.read_text() == "kept"


def test_report_of_a_single_run(tmp_path, capsys):
    """`eos report RUN_DIR` on the folder of one `eos run` writes its summary and figure
    (it used to find no runs there)."""
    out = tmp_path / "r"
    assert run_cli.main(["--out", str(out), *RUN, "--eig-every", "1"]) == 0
    capsys.readouterr()
    assert report_cli.main([str(out)]) == 0
    text = (out / "report.md").read_text()
    assert "| outcome |" in text and "median ηλ/2" in text and "figures/run.png" in text
    assert (out / "figures" / "run.png").stat().st_size > 1000
