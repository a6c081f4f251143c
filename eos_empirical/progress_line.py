"""Progress on stderr through tqdm: a bar on a terminal, a plain line every so often in a log.

:func:`bar` is the one way the commands show progress: on a terminal a tqdm bar (count,
rate, ETA) redrawn in place; when the stream is not a terminal (a log file, a pipe) the same
counts as a plain line every :data:`LOG_EVERY_S` seconds, so logs stay readable; nothing
with ``quiet``. :class:`Progress` is the ``on_step`` callback of
:func:`eos_empirical.train.train` (``eos run``, each run of ``eos experiment``): step or
epoch, rate, ETA, loss, accuracy, and ηL/2 and ηλ/2 against 1. :class:`RunsProgress` counts
the runs of ``eos experiment`` (runs done / total, ETA) with each run's bar beneath it.
:class:`Stages` counts named stages (``eos bench``'s figures) and :func:`counted` the items
of ``eos verify``, ``errata`` and ``claims-doc``; ``eos search`` feeds :func:`bar` from the
search's callback. tqdm is imported when a bar is made, never on ``--help``. Torch-free.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from eos_empirical.runlog import F
from eos_empirical.summary_text import percent

#: Seconds between two progress lines when stderr is not a terminal.
LOG_EVERY_S = 10.0  # (the help of --quiet, commands/output_paths.py, says 10 s)
#: The line written when the stream is not a terminal (no bar, no carriage returns).
PLAIN_FORMAT = "{desc}{n_fmt}/{total_fmt} {unit}s [{elapsed}<{remaining}, {rate_fmt}]{postfix}"


def is_terminal(stream: Any) -> bool:
    """Whether ``stream`` is a terminal (a bar is redrawn in place there)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class _Lines:
    r"""A file for tqdm that turns its in-place redraws into whole lines (for logs).

    A line that repeats the one before but for its timing bracket (tqdm redraws the last
    state when the bar closes) is dropped, so a log ends with its final line once.

    >>> import io
    >>> out = io.StringIO()
    >>> lines = _Lines(out)
    >>> for text in ("\r3/9 [00:01<00:02] x", "\r3/9 [00:01<00:03] x", "\n4/9 [00:02<00:01]"):
    ...     lines.write(text)
    >>> print(out.getvalue(), end="")
    3/9 [00:01<00:02] x
    4/9 [00:02<00:01]
    """

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self._last = ""

    def write(self, text: str) -> None:
        for line in text.replace("\x1b[A", "\n").replace("\r", "\n").split("\n"):
            if not line.strip():
                continue
            key = re.sub(r"\[[^\]]*\]", "", line).strip()
            if key == self._last:
                continue
            self._last = key
            self.stream.write(line.rstrip() + "\n")

    def flush(self) -> None:
        self.stream.flush()


def bar(
    total: int | None,
    *,
    desc: str,
    unit: str,
    quiet: bool = False,
    stream: Any = None,
    initial: int = 0,
    position: int | None = None,
    leave: bool = True,
    every_s: float = LOG_EVERY_S,
) -> Any:
    """A tqdm progress bar on ``stream`` (default stderr), or a plain line every ``every_s``
    seconds when ``stream`` is not a terminal; disabled with ``quiet``.
    """  # noqa: D205
    from tqdm import tqdm

    stream = sys.stderr if stream is None else stream
    common: dict[str, Any] = {
        "total": total,
        "desc": desc,
        "unit": unit,
        "initial": initial,
        "disable": quiet,
        "leave": leave,
    }
    if is_terminal(stream):
        return tqdm(file=stream, position=position, dynamic_ncols=True, mininterval=0.2, **common)
    return tqdm(file=_Lines(stream), mininterval=every_s, bar_format=PLAIN_FORMAT, **common)


def write(line: str, *, stream: Any = None) -> None:
    """Write ``line`` to ``stream`` (default stderr) above any bar on a terminal."""
    stream = sys.stderr if stream is None else stream
    if is_terminal(stream):
        from tqdm import tqdm

        tqdm.write(line, file=stream)
    else:
        stream.write(line + "\n")
        stream.flush()


class Stages:
    """Stages done / total (rate, ETA) on ``stream``, each stage named while it runs (on a
    terminal) and once done (in a log); messages between them with :meth:`log`. ``eos
    bench`` counts its figures with it, :func:`counted` its items.

    >>> import io
    >>> log = io.StringIO()
    >>> with Stages(2, stream=log) as stages:
    ...     with stages.stage("a"):
    ...         pass
    ...     stages.log("a: 3 HVPs")
    ...     with stages.stage("b"):
    ...         pass
    >>> print(log.getvalue().replace("00:00", "TIME"), end="")  # doctest: +ELLIPSIS
    0/2 stages [TIME<?, ?stage/s]
    a: 3 HVPs
    2/2 stages [TIME<TIME, ...stage/s], last b
    """  # noqa: D205

    def __init__(
        self,
        total: int,
        *,
        unit: str = "stage",
        verb: str = "running",
        quiet: bool = False,
        stream: Any = None,
        every_s: float = LOG_EVERY_S,
    ) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.quiet, self.verb = quiet, verb
        self.redraw = is_terminal(self.stream)
        self.bar = bar(total, desc="", unit=unit, quiet=quiet, stream=self.stream, every_s=every_s)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Name ``name`` as running, and count it done when the block ends."""
        self.bar.set_postfix_str(f"{self.verb} {name}", refresh=self.redraw)
        yield
        self.bar.set_postfix_str(f"last {name}", refresh=False)
        self.bar.update(1)

    def log(self, line: str) -> None:
        """A message above the bar (nothing with ``quiet``)."""
        if not self.quiet:
            write(line, stream=self.stream)

    def close(self) -> None:
        """End the bar (its last state stays)."""
        self.bar.close()

    def __enter__(self) -> Stages:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


T = TypeVar("T")


def counted(
    items: Sequence[T],
    *,
    unit: str,
    label: Callable[[T], str] = str,
    quiet: bool = False,
    stream: Any = None,
) -> Iterator[T]:
    """Each of ``items``, with items done / total (rate, ETA) on ``stream``: on a terminal
    the bar names the item being worked on, in a log each line the last one done.

    >>> list(counted([1, 2], unit="claim", quiet=True))
    [1, 2]
    """  # noqa: D205
    with Stages(len(items), unit=unit, verb="checking", quiet=quiet, stream=stream) as shown:
        for item in items:
            with shown.stage(label(item)):
                yield item


def _num(value: float | None) -> str:
    """``value`` to 4 significant digits; ``nan``/``inf`` as such, ``-`` when unknown.

    >>> _num(0.98000001), _num(None), _num(float("nan")), _num(12345.678)
    ('0.98', '-', 'nan', '1.235e+04')
    """
    return "-" if value is None else f"{value:.4g}"


def against_one(value: float | None) -> str:
    """``value`` to 4 significant digits with its side of 1 (the stability threshold).

    >>> against_one(0.98), against_one(1.02), against_one(None)
    ('0.98<1', '1.02>1', '-')
    """
    if value is None or not math.isfinite(value):
        return _num(value)
    return f"{value:.4g}" + ("<1" if value < 1 else ">1" if value > 1 else "=1")


class Progress:
    """The progress of one run, fed its rows: step (GD) or epoch (SGD) out of the cap,
    rate, ETA, loss, accuracy, ηL/2 and ηλ/2 against 1 (λ: the latest sharpness); for a
    Monitor run (rows with ``stability_threshold``) RP and the latest measured (preconditioned)
    sharpness over the optimizer's threshold instead.

    Passed as ``on_step`` to :func:`eos_empirical.train.train`; the bar starts at the first
    row (a resumed run counts from there). ``step`` is the last row's step.
    """  # noqa: D205

    def __init__(
        self,
        total: int,
        *,
        eta: float,
        opt: str = "gd",
        quiet: bool = False,
        stream: Any = None,
        desc: str = "",
        position: int | None = None,
        leave: bool = True,
        every_s: float = LOG_EVERY_S,
    ) -> None:
        self.total, self.eta, self.opt = total, eta, opt
        self.unit = "epoch" if opt == "sgd" else "step"
        self.step: int | None = None
        self.sharpness: float | None = None
        self.threshold_ratio: float | None = None
        self._bar: Any = None
        self._options = {
            "quiet": quiet,
            "stream": stream,
            "desc": desc,
            "position": position,
            "leave": leave,
            "every_s": every_s,
        }

    def done(self, row: dict[str, Any]) -> int:
        """Steps (GD: the row's step, then one update) or epochs (SGD) done at ``row``."""
        return int(row[F.STEP]) + (0 if self.opt == "sgd" else 1)

    def postfix(self, row: dict[str, Any]) -> str:
        """The numbers shown after the counts.

        >>> p = Progress(10, eta=0.1)
        >>> p.postfix({"step": 3, "loss": 0.5, "acc": 0.875, "dir_smoothness": 19.0,
        ...            "sharpness": 21.0})
        'loss 0.5  acc 87.50%  ηL/2 0.95<1  ηλ/2 1.05>1'
        """
        if row.get(F.STABILITY_THRESHOLD) is not None:
            return self._threshold_postfix(row)
        if row.get(F.SHARPNESS) is not None:
            self.sharpness = row[F.SHARPNESS]
        half = 0.5 * self.eta
        smooth = row.get(F.DIR_SMOOTHNESS)
        return "  ".join(
            [
                f"loss {_num(row.get(F.LOSS))}",
                f"acc {percent(row.get(F.ACC))}",
                f"ηL/2 {against_one(None if smooth is None else half * smooth)}",
                f"ηλ/2 {against_one(None if self.sharpness is None else half * self.sharpness)}",
            ]
        )

    def _threshold_postfix(self, row: dict[str, Any]) -> str:
        """A Monitor run's row (momentum, Adam, RMSProp, a CNN): RP of its step and the
        latest measured (preconditioned) sharpness over the optimizer's stability threshold
        (``stability_threshold_of`` says which), against 1.

        >>> p = Progress(10, eta=1e-3, opt="adam")
        >>> p.postfix({"step": 4, "loss": 0.5, "acc": 0.5, "rp": -0.9,
        ...            "preconditioned_sharpness": 39000.0, "stability_threshold": 38000.0,
        ...            "stability_threshold_of": "preconditioned_sharpness"})
        'loss 0.5  acc 50.00%  RP -0.9  S_P/thr 1.026>1'
        """  # noqa: D205
        of = row.get(F.STABILITY_THRESHOLD_OF)
        value = row.get(of) if isinstance(of, str) else None
        if value is not None:
            self.threshold_ratio = float(value) / float(row[F.STABILITY_THRESHOLD])
        label = "S_P/thr" if of == F.PRECONDITIONED_SHARPNESS else "λ/thr"
        return "  ".join(
            [
                f"loss {_num(row.get(F.LOSS))}",
                f"acc {percent(row.get(F.ACC))}",
                f"RP {_num(row.get(F.RP))}",
                f"{label} {against_one(self.threshold_ratio)}",
            ]
        )

    def __call__(self, row: dict[str, Any]) -> None:
        """Show ``row`` (remembering its step, and its sharpness when present)."""
        self.step = int(row[F.STEP])
        if self._bar is None:
            o = self._options
            self._bar = bar(self.total, unit=self.unit, initial=self.step, **o)
        text = self.postfix(row)
        self._bar.set_postfix_str(text, refresh=False)
        self._bar.update(min(self.done(row), self.total) - self._bar.n)

    def close(self) -> None:
        """End the bar (its last state stays on screen, unless ``leave`` is false)."""
        if self._bar is not None:
            self._bar.close()


class RunsProgress:
    """Runs done / total (with an ETA) over the runs of a command, each run's own bar
    beneath it; ``done`` runs (finished before) count as done from the start.
    """  # noqa: D205

    def __init__(
        self,
        total: int,
        *,
        done: int = 0,
        quiet: bool = False,
        stream: Any = None,
        every_s: float = LOG_EVERY_S,
    ) -> None:
        self.quiet, self.stream, self.every_s = quiet, stream, every_s
        self.bar = bar(
            total,
            desc="",
            unit="run",
            initial=done,
            quiet=quiet,
            stream=stream,
            position=0,
            every_s=every_s,
        )
        self.current: Progress | None = None

    def log(self, line: str) -> None:
        """A message between the bars (nothing with ``quiet``)."""
        if not self.quiet:
            write(line, stream=self.stream)

    def run(self, name: str, config: Any) -> Progress:
        """The ``on_step`` callback of the run ``name`` (a :class:`RunConfig`)."""
        total = config.epochs if config.opt == "sgd" else config.max_steps
        stream = sys.stderr if self.stream is None else self.stream
        self.current = Progress(
            total,
            eta=float(config.eta),
            opt=config.opt,
            quiet=self.quiet,
            stream=stream,
            desc=f"{name} ",
            position=1,
            leave=not is_terminal(stream),  # on a terminal only the runs bar stays
            every_s=self.every_s,
        )
        return self.current

    def one_done(self, line: str) -> None:
        """Count one run done (run elsewhere: a sweep's worker) and show ``line`` about it."""
        self.log(line)
        self.bar.update(1)

    def run_done(self) -> None:
        """Close the current run's bar and count one run done."""
        if self.current is not None:
            self.current.close()
            self.current = None
        self.bar.update(1)

    def close(self) -> None:
        """End the bars."""
        if self.current is not None:
            self.current.close()
        self.bar.close()
