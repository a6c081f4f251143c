r"""``eos run``: one GD or SGD training run with the paper's diagnostics, into a folder.

Example (the paper's Experiment 1 setting, tanh)::

    eos run --dataset cifar10 --n 5000 --arch fc --depth 2 --activation tanh --loss ce \\
        --opt gd --eta 2/30 --max-steps 5000 --eig-every 20 --out runs/exp1-tanh

Writes ``config.json``, ``steps.jsonl``, ``summary.json`` and ``checkpoint.pt`` under
``--out`` (see :mod:`eos_empirical.recorder`); the same command resumes an interrupted
run. Progress goes to stderr (:mod:`eos_empirical.progress_line`: step or epoch, rate, ETA,
loss, accuracy, ηL/2 and ηλ/2 against 1; ``--quiet`` for none); the last line on stdout is
the outcome in the paper's terms (:mod:`eos_empirical.summary_text`). Bad options fail
before any work with exit status 2. The run options are those of
:mod:`eos_empirical.commands.run_options`; torch is imported after parsing.
"""

from __future__ import annotations

import argparse
import sys

from eos_empirical.commands.help_format import HelpFormatter
from eos_empirical.commands.output_paths import add_quiet_option, output_dir
from eos_empirical.commands.run_options import add_run_options, config_from_args

#: Examples of ``eos run --help`` (a test runs the cheap ones).
EPILOG = """examples:
  eos run --dataset synthetic --n 200 --eta 2/30 --max-steps 50 --out runs/try
  eos run --dataset synthetic --n 200 --opt sgd --eta 0.05 --epochs 3 --rp-samples 8 \\
      --out runs/try-sgd
  eos run --dataset cifar10 --n 5000 --depth 2 --activation tanh --loss ce --opt gd \\
      --eta 2/30 --max-steps 5000 --eig-every 20 --out runs/tanh-2_30
"""


def build_parser() -> argparse.ArgumentParser:
    """The ``eos run`` option parser: ``--out`` and every run option (``--eta`` required)."""
    p = argparse.ArgumentParser(
        formatter_class=HelpFormatter,
        prog="eos run",
        description="One GD or SGD training run with the paper's diagnostics, into a folder.",
        epilog=EPILOG,
    )
    p.add_argument("--out", required=True, help="output folder (resumed if it holds this run)")
    add_quiet_option(p)
    add_run_options(p, required=["eta"])
    return p


def main(argv: list[str] | None = None) -> int:
    """Parse options, run, print the summary; 0 on success, 2 on a bad option or data."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = config_from_args(args)
        output_dir(args.out, "--out")
    except ValueError as exc:
        parser.error(str(exc))
    from eos_empirical import summary_text
    from eos_empirical.progress_line import Progress
    from eos_empirical.train import prepare, train  # torch is imported here, not on --help

    try:
        setup = prepare(config)  # data, device and n checked before any training
    except (ValueError, RuntimeError) as exc:
        print(f"eos run: error: {exc}", file=sys.stderr)
        return 2
    total = config.epochs if config.opt == "sgd" else config.max_steps
    progress = Progress(total, eta=float(config.eta), opt=config.opt, quiet=args.quiet)
    try:
        result = train(config, args.out, on_step=progress, setup=setup)
    except ValueError as exc:  # e.g. --out holds a different run
        progress.close()
        print(f"eos run: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        progress.close()
        step = "?" if progress.step is None else progress.step
        print(
            f"eos run: interrupted at {progress.unit} {step}; rerun the same command to resume",
            file=sys.stderr,
        )
        return 130
    progress.close()
    s = result.summary
    if result.already_finished:
        print(
            f"already finished: {args.out} holds this run ({s['outcome']}, "
            f"{summary_text.length(s, config.opt)}); nothing to do (choose another --out to run "
            "it again)"
        )
        return 0
    print(f"{summary_text.run_line(s, config.opt)}  -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
