"""The progress line of a training run on stderr: step, loss, accuracy, latest sharpness.

:class:`Progress` is the ``on_step`` callback of :func:`eos_empirical.train.train` that
``eos run`` passes: redrawn in place on a terminal, one line every so many steps otherwise.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from eos_empirical.runlog import F


class Progress:
    """One status line on stderr: step, loss, accuracy, latest sharpness.

    Redrawn in place on a terminal (at most 5 times a second), one line every
    ``every`` rows otherwise.
    """

    def __init__(self, total: int, *, every: int = 100, stream: Any = None) -> None:
        self.total, self.every = total, every
        self.stream = sys.stderr if stream is None else stream
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.sharpness: float | None = None
        self.step: int | None = None
        self._last = 0.0

    def __call__(self, row: dict[str, Any]) -> None:
        """Show ``row`` (remembering its step, and its sharpness when present)."""
        self.step = row[F.STEP]
        if row.get(F.SHARPNESS) is not None:
            self.sharpness = row[F.SHARPNESS]
        now = time.monotonic()
        if self.tty and now - self._last < 0.2:
            return
        if not self.tty and row[F.STEP] % self.every:
            return
        self._last = now
        sharp = "-" if self.sharpness is None else f"{self.sharpness:.4g}"
        loss = "nan" if row[F.LOSS] is None else f"{row[F.LOSS]:.5g}"
        acc = "nan" if row[F.ACC] is None else f"{row[F.ACC]:.4f}"
        line = f"step {row[F.STEP]}/{self.total}  loss {loss}  acc {acc}  sharpness {sharp}"
        self.stream.write(("\r" + line.ljust(78)) if self.tty else line + "\n")
        self.stream.flush()

    def close(self) -> None:
        """End the status line."""
        if self.tty:
            self.stream.write("\n")
