"""The ``eos`` command: the commands layer, one entry point, subcommands imported lazily.

All argument parsing of the project lives in this package: each subcommand is a module
``<name>_cli`` here with a ``main(argv) -> int`` function and its own ``argparse`` parser;
domain modules take typed arguments. Parsing imports nothing heavy, so ``eos COMMAND
--help`` imports neither torch nor sympy (a test keeps it so).
"""

from __future__ import annotations

import importlib
import sys

#: Subcommand name -> one-line help. Its parser and ``main(argv)`` live in the module
#: ``eos_empirical.commands.<name>_cli`` (a dash in the name becomes an underscore).
COMMANDS: dict[str, str] = {
    "verify": "check every registered claim of the paper, in paper order; print the table",
    "errata": "list the errata of both transcriptions, with demonstrations",
    "claims-doc": "write docs/claims.md from the claims registry",
    "search": "hunt counterexamples to the paper's approximate claims",
    "run": "train on CIFAR-10 or synthetic data with GD/SGD, logging RP, L",
    "experiment": "run one of the paper's Experiments 1-9 by name",
    "report": "write the markdown report of a folder of runs",
    "bench": "benchmarks: diagnostics overhead, HVPs, eigensolvers",
    "sweep": "run a TOML grid of runs on a process pool or a Ray cluster; summarize them",
}


def module_of(name: str) -> str:
    """The module that holds subcommand ``name``'s parser and ``main``.

    >>> module_of("claims-doc")
    'eos_empirical.commands.claims_doc_cli'
    """
    return f"{__name__}.{name.replace('-', '_')}_cli"


def _usage() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = ["usage: eos COMMAND [options]   (eos COMMAND --help for its options)", "", "commands:"]
    lines += [f"  {name:<{width}}  {text}" for name, text in COMMANDS.items()]
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
    module = importlib.import_module(module_of(name))
    return int(module.main(rest) or 0)
