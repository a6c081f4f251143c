r"""The reader of the paper's two transcriptions: find them, normalize them, cut sections.

Ahn, Zhang & Sra, "Understanding the Unstable Convergence of Gradient Descent", exists in
two versions, each transcribed to markdown with LaTeX math:

- ``ICML``: the ICML 2022 proceedings version, ``unstable-convergence-icml2022.md``;
- ``preprint``: the arXiv preprint, ``unstable-convergence-preprint.md``.

They are looked up in the folder ``$EOS_PAPER_DIR`` when that variable is set, otherwise in
``shared/paper`` beside the repository root (``<repo>/../shared/paper``); see
:func:`paper_dir`. The files are not part of the package: when they are absent
:func:`paper_text` and :func:`section` return ``None`` and the textual errata
(:mod:`eos_theory.claims.errata`) decide their mathematics without re-reading the text.

Text is compared after :func:`normalize`: whitespace, ``$``, ``*``, ``#``, braces,
``\boldsymbol``/``\mathbf`` wrappers, ``\left``/``\right``, ``\,``, ``\(``/``\)``,
``<sup>`` tags and markdown ``[...](#)`` links are removed, so the two transcriptions'
spacing and markup differences do not matter. Each file is read and normalized once
(cached by path; ``_read.cache_clear()`` forgets it).
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

#: Transcription name -> file name inside :func:`paper_dir`.
TRANSCRIPTIONS = {
    "ICML": "unstable-convergence-icml2022.md",
    "preprint": "unstable-convergence-preprint.md",
}
#: Both transcription names, for passages printed in both.
BOTH = ("ICML", "preprint")


def paper_dir() -> Path:
    """The folder holding the transcriptions: ``$EOS_PAPER_DIR`` or ``<repo>/../shared/paper``.

    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ):
    ...     _ = os.environ.pop("EOS_PAPER_DIR", None)
    ...     print(paper_dir().parts[-2:])
    ('shared', 'paper')
    >>> with mock.patch.dict(os.environ, {"EOS_PAPER_DIR": "/data/paper-copy"}):
    ...     print(paper_dir().as_posix())
    /data/paper-copy
    """
    env = os.environ.get("EOS_PAPER_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared" / "paper"


def normalize(text: str) -> str:
    r"""Text with whitespace, ``$``, ``*``, braces and bold/mathbf wrappers removed.

    >>> normalize(r"$\boldsymbol{\theta}$ and  \mathbf{q}")
    '\\thetaandq'
    >>> normalize(r"## 4.4. Implications for $\left\| x \right\|$ [Fact 1](#)")
    '4.4.Implicationsfor\\|x\\|Fact1'
    """
    text = re.sub(r"\\(?:boldsymbol|mathbf)\{", "{", text)
    text = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text)
    for token in ("\\left", "\\right", "\\,", "\\(", "\\)", "<sup>", "</sup>"):
        text = text.replace(token, "")
    return re.sub(r"[\s${}*#]", "", text)


@functools.lru_cache(maxsize=8)
def _read(path: str) -> str | None:
    p = Path(path)
    return normalize(p.read_text(encoding="utf-8")) if p.is_file() else None


def paper_text(transcription: str) -> str | None:
    """The normalized text of ``transcription`` (``ICML`` or ``preprint``), ``None`` if absent.

    >>> paper_text("arxiv")
    Traceback (most recent call last):
    ...
    ValueError: transcription must be one of ['ICML', 'preprint']
    """
    if transcription not in TRANSCRIPTIONS:
        raise ValueError(f"transcription must be one of {sorted(TRANSCRIPTIONS)}")
    return _read(str(paper_dir() / TRANSCRIPTIONS[transcription]))


def section(transcription: str, start: str, end: str) -> str | None:
    r"""Normalized text between the first ``start`` heading and the next ``end`` after it.

    ``None`` when the transcription is absent, ``""`` when ``start`` is not found; without
    ``end`` after ``start`` the section runs to the end of the text.

    >>> import tempfile
    >>> from unittest import mock
    >>> with (
    ...     tempfile.TemporaryDirectory() as d,
    ...     mock.patch.dict(os.environ, {"EOS_PAPER_DIR": d}),
    ... ):
    ...     _ = (Path(d) / TRANSCRIPTIONS["ICML"]).write_text(
    ...         "## 1. Intro\nSome *text*.\n## 2. Setup\nMore.", encoding="utf-8"
    ...     )
    ...     print(section("ICML", "1. Intro", "2. Setup"))
    ...     print(repr(section("ICML", "3. X", "4. Y")), section("preprint", "1. Intro", "2. X"))
    1.IntroSometext.
    '' None
    """
    text = paper_text(transcription)
    if text is None:
        return None
    a = text.find(normalize(start))
    if a < 0:
        return ""
    b = text.find(normalize(end), a + 1)
    return text[a : b if b > 0 else None]
