"""Every subcommand's ``--help`` shows each option's default and a one-line help, and the
``eos ...`` examples of the README and of every ``--help`` work (issue 17, item 2).

The examples are run in-process (``eos_empirical.commands.main``) in a scratch folder; those
too long for the default suite are skipped with their reason (listed by ``-rs``), and an
example that is neither cheap nor listed here fails, so a new one gets classified.
"""

from __future__ import annotations

import argparse
import importlib
import re
import shlex
from pathlib import Path

import pytest

from eos_empirical.commands import COMMANDS, main, module_of
from eos_empirical.commands.help_format import shows_default

ROOT = Path(__file__).resolve().parents[1]

#: Examples not run by the default suite, with the reason (a test elsewhere, or the time).
TOO_LONG = {
    "eos verify": "every claim: about 2 minutes (the README's set-up runs it)",
    "eos verify --kind experimental --runs runs/cpu": "needs the runs of eos experiment "
    "--scale cpu (hours on a CPU); tests/test_verify_cli.py judges small run logs",
    "eos errata": "runs every erratum's demonstration (12 s measured on the loaded 2-core "
    "machine); tests/test_errata.py runs the command and its filters",
    "eos errata --json -": "as eos errata; tests/test_errata.py runs --json",
    'eos errata --severity "false as printed"': "as eos errata",
    "eos claims-doc": "rewrites docs/claims.md after running every claim; "
    "tests/test_claims_doc.py checks the file is in sync",
    "eos claims-doc --check": "runs every claim (about 2 minutes); tests/test_claims_doc.py",
    "eos search relation43 --seed 0 --budget 300 --json": "a counterexample search (30 s "
    "measured on the loaded 2-core machine); property_tests test the searches",
    "eos search relation43 --budget 30s": "a 30-second search",
    "eos run --dataset cifar10 --n 5000 --depth 2 --activation tanh --loss ce --opt gd --eta "
    "2/30 --max-steps 5000 --eig-every 20 --out runs/tanh-2_30": "5000 GD steps at n = 5000 "
    "(hours on a CPU)",
    "eos experiment exp3 --scale smoke --out runs/smoke-exp3": "4 training runs on CIFAR-10; "
    "tests/test_experiments.py runs the smoke scale on synthetic data",
    "eos experiment exp3 --scale cpu --out runs/cpu": "hours on a CPU",
    "eos experiment all --scale paper --device cuda --out runs/paper": "a GPU, hours",
    "eos report runs/cpu --out docs/results": "needs runs/cpu (eos experiment --scale cpu)",
    "eos report runs/try --no-figures": "needs runs/try (the eos run example); "
    "tests/test_user_errors.py reports a single run",
    "eos bench --threads 1": "the full benchmark: tens of minutes",
    "eos bench --threads 1 --fair --json docs/benchmarks.json --output docs/benchmarks.md": (
        "the full benchmark with the equal-error figures: about an hour; "
        "tests/test_bench_fair.py runs figures 6-7 on a tiny model"
    ),
    "eos bench --threads 1 --monitor --skip-eig --skip-theory --output "
    "docs/monitor_benchmark.md": "figures 1, 2 and 8 on both dtypes: about ten minutes; "
    "tests/test_bench.py runs figure 8 on a tiny workload",
    "eos bench --quick --skip-theory --output /tmp/bench.md": "minutes (peer libraries, "
    "eigensolvers); tests/test_bench.py",
    "eos sweep grids/smoke.toml --out runs/smoke": "four runs in worker processes; "
    "tests/test_sweep.py runs this grid",
    "eos sweep grids/smoke.toml --out runs/smoke-ray --executor ray": "starts Ray; "
    "tests/test_sweep.py runs this grid on Ray",
    "eos sweep grids/paper/unstable.toml --out runs/unstable --executor ray --address auto": (
        "paper-size runs on a Ray cluster"
    ),
}


def _parsers() -> dict[str, argparse.ArgumentParser]:
    return {n: importlib.import_module(module_of(n)).build_parser() for n in COMMANDS}


def _command_lines(text: str) -> list[str]:
    """The ``eos ...`` lines of ``text``: continuation lines joined, ``# comments`` cut."""
    found, lines = [], text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if line.startswith("eos "):
            while line.endswith("\\") and i + 1 < len(lines):
                i += 1
                line = line[:-1].rstrip() + " " + lines[i].strip()
            found.append(re.split(r"\s+#\s", line)[0].strip())
        i += 1
    return found


def _readme_examples() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    return [c for block in blocks for c in _command_lines(block)]


def _epilog_examples() -> list[str]:
    return [c for p in _parsers().values() for c in _command_lines(p.epilog or "")]


EXAMPLES = sorted(set(_readme_examples()) | set(_epilog_examples()))


def _cheap(command: str) -> bool:
    """A cheap example: help or a listing, one claim, or a tiny synthetic run."""
    words = shlex.split(command)
    if {"--help", "-h", "--list", "--show"} & set(words) or words[1:3] == ["verify", "--only"]:
        return True
    if words[1] == "run" and "synthetic" in words:
        opts = dict(zip(words[2::2], words[3::2], strict=False))
        small = int(opts.get("--n", 5000)) <= 500 and int(opts.get("--max-steps", 0)) <= 100
        return small and int(opts.get("--epochs", 0)) <= 5
    return False


def test_every_option_has_a_one_line_help_and_shows_its_default():
    """Each option of each subcommand has a help text of one line, and each option that
    takes a value shows its default in --help (or says what its absence means) (issue 17
    item 2)."""
    missing, no_default = [], []
    for name, parser in _parsers().items():
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            flag = "/".join(action.option_strings) or action.dest
            if not (action.help or "").strip() or "\n" in action.help:
                missing.append(f"eos {name} {flag}")
            takes_value = action.option_strings and action.nargs != 0 and not action.required
            text = action.help or ""
            if takes_value and not (shows_default(action) or "default" in text):
                no_default.append(f"eos {name} {flag}")
    assert not missing, f"options without a one-line help: {missing}"
    assert not no_default, f"options whose --help shows no default: {no_default}"


def test_help_shows_defaults():
    """`eos run --help` prints '(default: 5000)' after --max-steps, and `eos sweep --help`
    '(default: local)' after --executor (issue 17 item 2)."""
    parsers = _parsers()
    run = " ".join(parsers["run"].format_help().split())
    sweep = " ".join(parsers["sweep"].format_help().split())
    assert "rmsprop) (default: 5000)" in run, "eos run --help: --max-steps default missing"
    assert "(default: local)" in sweep, "eos sweep --help: --executor default missing"


def test_examples_were_found():
    """The README and the epilogs give examples of every subcommand (issue 17 item 2)."""
    named = {shlex.split(c)[1] for c in EXAMPLES}
    assert named >= set(COMMANDS), f"no example for {sorted(set(COMMANDS) - named)}"


@pytest.mark.parametrize("command", EXAMPLES)
def test_example_runs(command, tmp_path, monkeypatch, capsys):
    """Each example of the README and of --help exits 0 (cheap ones run here; the others are
    skipped with their reason) (issue 17 item 2)."""
    if not _cheap(command):
        if command not in TOO_LONG:
            pytest.fail(f"{command!r} is neither cheap nor listed in TOO_LONG with a reason")
        pytest.skip(f"example {command!r} not run here: {TOO_LONG[command]}")
    monkeypatch.chdir(tmp_path)
    try:
        code = main(shlex.split(command)[1:])
    except SystemExit as exc:  # --help
        code = exc.code
    captured = capsys.readouterr()
    assert code in (0, None), f"{command!r} exited {code}, expected 0: {captured.err[-2000:]}"


def test_skipped_examples_are_still_examples():
    """Every TOO_LONG entry is an example of the README or of --help, so the list of skipped
    examples never outlives them (issue 17 item 2)."""
    stale = sorted(set(TOO_LONG) - set(EXAMPLES))
    assert not stale, f"TOO_LONG names commands no longer in the README or --help: {stale}"


def _readme_python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


@pytest.mark.parametrize("index", range(len(_readme_python_blocks())))
def test_readme_python_examples_run(index, capsys):
    """Issue 17, item 2 (and issue 15's README section): every Python example of the README
    runs as printed (the Monitor snippet trains 20 Adam steps on random data)."""
    block = _readme_python_blocks()[index]
    exec(compile(block, f"README.md python block {index}", "exec"), {"__name__": "readme"})
    capsys.readouterr()


def test_readme_shows_the_monitor():
    """Issue 15 (done when): the README shows monitoring one's own model and optimizer in
    about ten lines."""
    blocks = [b for b in _readme_python_blocks() if "Monitor(" in b]
    assert blocks, "README.md has no Python example using eos_empirical.Monitor"
    lines = [ln for ln in blocks[0].splitlines() if ln.strip()]
    assert len(lines) <= 12, f"the Monitor example is {len(lines)} lines, expected about ten"
