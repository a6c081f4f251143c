"""``eos bench``: the engine's costs, measured side by side against their baselines.

The command layer of :mod:`eos_empirical.bench`: the option parser and :func:`main`,
which hands the parsed options to :func:`eos_empirical.bench.suite.run_bench` and
:func:`~eos_empirical.bench.suite.write_outputs`. Parsing imports no torch (the suite is
imported inside :func:`main`, after ``parse_args``), so ``eos bench --help`` is instant.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from eos_empirical.commands.help_format import HelpFormatter
from eos_empirical.commands.output_paths import add_quiet_option, output_file


def build_parser() -> argparse.ArgumentParser:
    """The ``eos bench`` option parser."""
    p = argparse.ArgumentParser(
        formatter_class=HelpFormatter,
        prog="eos bench",
        description="Benchmarks: the diagnostics' overhead, HVPs and eigensolvers, side by side "
        "with peer libraries; writes a markdown report. Figures done / total (with an ETA) "
        "and each eigensolver's cost go to stderr.",
        epilog="""examples:
  eos bench --threads 1
  eos bench --quick --skip-theory --output /tmp/bench.md
  eos bench --threads 1 --fair --json docs/benchmarks.json --output docs/benchmarks.md
  eos bench --threads 1 --monitor --skip-eig --skip-theory --output docs/monitor_benchmark.md
""",
    )
    a = p.add_argument
    a(
        "--quick",
        action="store_true",
        help="a short smoke run (tiny n, no targets judged); eos verify and the property suite "
        "still run unless --skip-theory",
    )
    a(
        "--json",
        metavar="PATH",
        default=None,
        help="also write the raw figures as JSON (default: none)",
    )
    a("--output", default="docs/benchmarks.md", help="markdown report")
    a("--force", action="store_true", help="overwrite --output (and --json) if they exist")
    a(
        "--repeats",
        type=int,
        default=None,
        help="interleaved rounds per timing figure (default 9; quick 2)",
    )
    a(
        "--eig-rounds",
        type=int,
        default=None,
        help="rounds of the Lanczos/eigsh comparison (default 2; quick 1)",
    )
    a(
        "--power-max-iter",
        type=int,
        default=None,
        help="cap on power-iteration HVPs (default 120; quick 8)",
    )
    a("--n", type=int, default=None, help="examples (default 5000; quick 32)")
    a("--device", default=None, help="cpu or cuda (default: cuda when available)")
    a(
        "--dtype",
        default="both",
        choices=["float32", "float64", "both"],
        help="precision of the timed runs",
    )
    a(
        "--threads",
        type=int,
        default=None,
        help="torch intra-op threads (default: all cores; "
        "on a CPU shared with other processes 1 avoids OpenMP spin-wait stalls)",
    )
    a("--skip-peers", action="store_true", help="skip the peer libraries")
    a("--skip-theory", action="store_true", help="skip eos verify and the property suite")
    a("--skip-eig", action="store_true", help="skip the eigensolver figure")
    a(
        "--fair",
        action="store_true",
        help="add the equal-true-error figures (issue 16 item 2): every eigensolver at its "
        "cheapest setting reaching 1e-3 true error, cold at initialization and warm along an "
        "edge-of-stability run, with the per-step tracking measurement (float32; adds about "
        "90 minutes at n = 5000 on 2 loaded cores)",
    )
    a(
        "--fair-rounds",
        type=int,
        default=None,
        help="interleaved timing rounds of the best settings, cold (default 3; quick 1)",
    )
    a(
        "--warm-n",
        type=int,
        default=None,
        help="examples of the warm edge-of-stability run and the tracking measurement "
        "(default: --n)",
    )
    a(
        "--warm-steps",
        type=int,
        default=None,
        help="judged consecutive steps of the warm run (default 30; quick 3)",
    )
    a(
        "--monitor",
        action="store_true",
        help="add figure 8 per dtype: a Monitor step against the same plain loop (issue 15; "
        "the FC net with GD and Adam, cnn-relu and cnn-bn-relu with Adam on 500 examples)",
    )
    add_quiet_option(p)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks, write the markdown (and JSON); 0 on success, 2 on bad options."""
    parser = build_parser()
    args = parser.parse_args(argv)

    try:
        if args.threads is not None and args.threads < 1:
            raise ValueError(f"--threads: must be >= 1, got {args.threads}")
        for option, target in (("--output", args.output), ("--json", args.json)):
            if target is None:
                continue
            output_file(target, option)
            if target != "-" and Path(target).is_file() and not args.force:
                raise ValueError(f"{option}: {target} exists; pass --force to overwrite it")
    except ValueError as exc:
        print(f"eos bench: error: {exc}", file=sys.stderr)
        return 2
    command = "eos bench " + " ".join(sys.argv[1:] if argv is None else argv)
    from eos_empirical.bench.suite import run_bench, write_outputs

    # every option but the two output paths is a keyword of run_bench, under its name
    options = vars(args)
    output, json_path = options.pop("output"), options.pop("json")
    options.pop("force")
    try:
        result = run_bench(command=command.strip(), **options)
    except ValueError as exc:
        print(f"eos bench: error: {exc}", file=sys.stderr)
        return 2
    write_outputs(result, output=output, json_path=json_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
