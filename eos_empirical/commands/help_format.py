"""How every subcommand's ``--help`` reads: each option's default beside its help, and the
description and the examples of the epilog kept as written.

:class:`HelpFormatter` is the ``formatter_class`` of every parser of the commands layer
(passed as ``formatter_class``): an option that takes a value and has a default gets
``(default: VALUE)`` after its help, unless the help already says what the default is (an
option whose absence means something, such as ``--out`` defaulting to a folder named after
the scale, says so in its help text). Flags (on or off) and required options show none.
"""  # noqa: D205

from __future__ import annotations

import argparse

_NO_DEFAULT_SHOWN = (
    argparse._StoreTrueAction,
    argparse._StoreFalseAction,
    argparse._HelpAction,
    argparse._VersionAction,
)


def shows_default(action: argparse.Action) -> bool:
    """Whether ``--help`` appends ``(default: ...)`` to ``action``'s help."""
    if isinstance(action, _NO_DEFAULT_SHOWN) or action.required:
        return False
    if action.default is None or action.default is argparse.SUPPRESS:
        return False
    text = action.help or ""
    if "(default" in text or "default:" in text:  # the help says what the default is
        return False
    return bool(action.option_strings) or action.nargs in (argparse.OPTIONAL, "*")


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Options with their defaults (see the module docstring); epilog examples verbatim."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        return text + " (default: %(default)s)" if shows_default(action) else text
