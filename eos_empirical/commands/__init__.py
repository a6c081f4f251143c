"""The ``eos`` command: the commands layer, one entry point, subcommands imported lazily.

All argument parsing of the project lives in this package: each subcommand is a module
``<name>_cli`` here with a ``main(argv) -> int`` function and its own ``argparse`` parser;
domain modules take typed arguments. Parsing imports nothing heavy, so ``eos COMMAND
--help`` imports neither torch nor sympy (a test keeps it so). A reader that closes standard
output early (``eos verify | head``) ends the command quietly with exit status 141 (128 +
SIGPIPE, as a shell reports a command killed by a closed pipe), not a traceback.
"""

from __future__ import annotations

import importlib
import os
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
    """Dispatch ``eos COMMAND ...`` to the subcommand's ``main``; return its exit code
    (:data:`CLOSED_PIPE` when standard output was closed by its reader).
    """  # noqa: D205
    try:
        try:
            return _dispatch(sys.argv[1:] if argv is None else list(argv))
        finally:  # also after --help's SystemExit: a closed pipe shows here, not at exit
            sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        return CLOSED_PIPE


def _dispatch(args: list[str]) -> int:
    if not args or args[0] in {"-h", "--help", "help"}:
        print(_usage())
        return 0 if args else 2
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"eos: unknown command {name!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    module = importlib.import_module(module_of(name))
    return int(module.main(rest) or 0)


#: The exit status when standard output was closed by its reader (128 + SIGPIPE).
CLOSED_PIPE = 141


def _silence_stdout() -> None:
    """Point standard output at the null device, so that the interpreter's last flush of
    what is still buffered for the closed pipe raises nothing.
    """  # noqa: D205
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no file descriptor (an in-process test)
        pass
