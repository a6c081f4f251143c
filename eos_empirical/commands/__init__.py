"""The ``eos`` command: the commands layer, one entry point, subcommands imported lazily.

All argument parsing of the project lives in this package: each subcommand is a module
``<name>_cli`` here with a ``main(argv) -> int`` function and its own ``argparse`` parser;
domain modules take typed arguments. Parsing imports nothing heavy, so ``eos COMMAND
--help`` imports neither torch nor sympy (a test keeps it so).
"""

from __future__ import annotations

import importlib
import sys

#: Subcommand name -> (module with ``main(argv)``, one-line help).
COMMANDS: dict[str, tuple[str, str]] = {
    "verify": ("eos_theory.verify", "check every registered claim of the paper; print the table"),
    "errata": (
        "eos_empirical.commands.errata_cli",
        "list the errata of both transcriptions, with demonstrations",
    ),
    "claims-doc": ("eos_theory.claims_doc", "write docs/claims.md from the claims registry"),
    "search": ("eos_theory.search", "hunt counterexamples to the paper's approximate claims"),
    "run": ("eos_empirical.run", "train on CIFAR-10 or synthetic data with GD/SGD, logging RP, L"),
    "experiment": ("eos_empirical.experiments", "run one of the paper's Experiments 1-9 by name"),
    "report": ("eos_empirical.report", "write the markdown report of a folder of runs"),
    "bench": ("eos_empirical.bench", "benchmarks: diagnostics overhead, HVPs, eigensolvers"),
}


def _usage() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = ["usage: eos COMMAND [options]   (eos COMMAND --help for its options)", "", "commands:"]
    lines += [f"  {name:<{width}}  {text}" for name, (_, text) in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Dispatch ``eos COMMAND ...`` to the subcommand's ``main``; return its exit code."""
    args = sys.argv[1:] if argv is None else list(argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(_usage())
        return 0 if args else 2
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"eos: unknown command {name!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    module = importlib.import_module(COMMANDS[name][0])
    return int(module.main(rest) or 0)
