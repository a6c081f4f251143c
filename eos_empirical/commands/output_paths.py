"""Where commands write: checked before any work, one line naming the option when unusable.

:func:`output_dir` accepts a folder that exists or can be created and written; a file in the
way, an empty name or a folder that refuses a new file is a ``ValueError`` naming the
option. :func:`output_file` does the same for a file (``-`` is standard output). Both probe
by creating a file, which is what counts (permissions alone mislead when run as root).
:func:`input_file` checks a file to read. Torch-free.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _probe_dir(folder: Path, option: str, target: Path) -> None:
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise ValueError(
            f"{option}: cannot write in {folder} ({exc.strerror}), for {target}"
        ) from None


def output_dir(text: str | os.PathLike[str] | None, option: str) -> Path:
    """The folder ``text`` for ``option``, or ``ValueError``: empty, a file, or unwritable.

    >>> output_dir("", "--out")
    Traceback (most recent call last):
    ...
    ValueError: --out: must name a folder, got ''
    """
    if text is None or not str(text).strip():
        raise ValueError(f"{option}: must name a folder, got {str(text or '')!r}")
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise ValueError(f"{option}: {path} is a file, not a folder")
    ancestor = _nearest_existing(path)
    if not ancestor.is_dir():
        raise ValueError(f"{option}: {ancestor} is a file, so {path} cannot be a folder")
    _probe_dir(ancestor, option, path)
    return path


def output_file(text: str | os.PathLike[str], option: str) -> Path | None:
    """The file ``text`` for ``option`` (``None`` for ``-``, standard output), or
    ``ValueError`` when it cannot be written."""  # noqa: D205, D209
    if str(text) == "-":
        return None
    if not str(text).strip():
        raise ValueError(f"{option}: must name a file, got {str(text)!r}")
    path = Path(text)
    if path.is_dir():
        raise ValueError(f"{option}: {path} is a folder, not a file")
    if path.exists():
        try:
            with path.open("a"):
                pass
        except OSError as exc:
            raise ValueError(f"{option}: cannot write {path} ({exc.strerror})") from None
        return path
    ancestor = _nearest_existing(path.parent)
    if not ancestor.is_dir():
        raise ValueError(f"{option}: {ancestor} is a file, so {path} cannot be written")
    _probe_dir(ancestor, option, path)
    return path


def input_file(text: str | os.PathLike[str], option: str) -> Path:
    """The readable file ``text`` for ``option``, or ``ValueError`` naming it."""
    path = Path(text)
    if not path.is_file():
        raise ValueError(f"{option}: {path} is not a file")
    if not os.access(path, os.R_OK):
        raise ValueError(f"{option}: {path} is not readable")
    return path


def add_json_option(parser: argparse.ArgumentParser, what: str) -> None:
    """``--json [PATH]``, the same in every subcommand: alone, print ``what`` as JSON on
    standard output (instead of the text); with a PATH, also write it there."""  # noqa: D205, D209
    parser.add_argument(
        "--json",
        nargs="?",
        const="-",
        default=None,
        metavar="PATH",
        help=f"--json alone: print {what} as JSON instead of text; --json PATH: also write "
        "them to PATH (default: text only)",
    )


def add_quiet_option(parser: argparse.ArgumentParser) -> None:
    """``--quiet``/``-q``, the same in every subcommand that shows progress on stderr."""
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress on stderr (otherwise a bar on a terminal, else a line every 10 s)",
    )


def write_json(obj: object, target: str) -> None:
    """``obj`` as indented JSON on standard output (``-``) or into the file ``target``."""
    text = json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=False)
    if target == "-":
        print(text)
    else:
        Path(target).write_text(text + "\n", encoding="utf-8")
