"""Writing a run's files: config.json, steps.jsonl, summary.json and the checkpoint.

Layout of the output folder ``DIR`` (file names and row fields in
:mod:`eos_empirical.runlog`, which also reads them back):

- ``config.json``: ``{"config": RunConfig fields, "versions", "device", "dtype", "data",
  "model", ...}``, written before the first step;
- ``steps.jsonl``: one JSON object per GD step or SGD epoch, flushed as it comes, with the
  fields of :data:`~eos_empirical.runlog.GD_ROW` or :data:`~eos_empirical.runlog.SGD_ROW`
  (``null`` when not computed or not finite);
- ``summary.json``: ``outcome`` (``reached-target``, ``diverged``, ``max-steps``), ``steps``,
  ``wall_time_s``, ``time_per_step_s`` and the final loss and accuracy, written at the end;
- ``checkpoint.pt``: the state at the last checkpoint (written atomically);
- ``.lock``: held (``flock``) by the one process writing the folder, with its pid; a second
  writer fails at once with :class:`RunFolderBusy` naming that pid.

Running the same configuration into the same folder again resumes: rows logged after the
last checkpoint are dropped and recomputed, so in deterministic mode the file ends up
identical to an uninterrupted run's; a damaged steps file (a bad line before the end, a step
gap) is refused rather than resumed. A finished run is not repeated.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
from pathlib import Path
from typing import Any, TextIO

import torch

from eos_empirical.config import RunConfig
from eos_empirical.runlog import (
    CHECKPOINT_FILE,
    CONFIG_FILE,
    LOCK_FILE,
    STEPS_FILE,
    SUMMARY_FILE,
    F,
    read_rows,
    read_steps,
)


def clean(value: Any) -> Any:
    """JSON-ready copy: non-finite floats become ``None``, tensors become Python numbers.

    >>> clean({"a": float("nan"), "b": [1.0, float("inf")], "c": 2})
    {'a': None, 'b': [1.0, None], 'c': 2}
    """
    if isinstance(value, torch.Tensor):
        value = value.tolist()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


def _write_json(path: Path, obj: object) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(clean(obj), indent=2, allow_nan=False) + "\n")
    os.replace(tmp, path)


class RunFolderBusy(ValueError):
    """Another process holds the run folder's lock (two writers would interleave rows)."""


class Recorder:
    """Writes one run's files under ``out`` (or only keeps rows in memory when ``None``).

    Call :meth:`start` with the config and metadata; it returns the checkpoint state to
    resume from (``None`` for a fresh start) and sets :attr:`finished` when ``out`` already
    holds the finished run (its summary is then in :attr:`summary`).
    """

    def __init__(self, out: str | os.PathLike[str] | None) -> None:
        self.out = None if out is None else Path(out)
        self.rows: list[dict[str, Any]] = []
        self.finished = False
        self.summary: dict[str, Any] | None = None
        self._fh: TextIO | None = None
        self._lock: TextIO | None = None

    def _acquire(self) -> None:
        """Take the folder's exclusive lock (``.lock``, holding our pid), or raise
        :class:`RunFolderBusy` naming the pid of the process that holds it."""  # noqa: D205, D209
        fh = self._path(LOCK_FILE).open("a+")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown"
            fh.close()
            raise RunFolderBusy(
                f"out: {self.out} is being written by another eos process (pid {holder}); "
                "wait for it to finish or choose another folder"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        self._lock = fh

    def _release(self) -> None:
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None

    def _path(self, name: str) -> Path:
        assert self.out is not None
        return self.out / name

    def start(self, config: RunConfig, meta: dict[str, Any]) -> dict[str, Any] | None:
        """Open the folder; return the checkpoint state to resume from, or ``None``."""
        if self.out is None:
            return None
        self.out.mkdir(parents=True, exist_ok=True)
        self._acquire()
        try:
            return self._open(config, meta)
        except BaseException:
            self._release()
            raise

    def _open(self, config: RunConfig, meta: dict[str, Any]) -> dict[str, Any] | None:
        state = None
        cfg_path = self._path(CONFIG_FILE)
        if cfg_path.is_file():
            old_json = json.loads(cfg_path.read_text())
            old = RunConfig.from_dict(old_json["config"])
            new_key, old_key = config.trajectory_key(), old.trajectory_key()
            if new_key != old_key:
                diff = {k: (old_key[k], new_key[k]) for k in new_key if new_key[k] != old_key[k]}
                raise ValueError(
                    f"out: {self.out} holds a run with a different configuration "
                    f"(field: (old, new) = {diff}); choose another output folder"
                )
            old_fp = old_json.get("data", {}).get("fingerprint")
            new_fp = meta.get("data", {}).get("fingerprint")
            if old_fp and new_fp and old_fp != new_fp:
                raise ValueError(
                    f"out: {self.out} holds a run on other data (fingerprint {old_fp[:12]}..., "
                    f"now {new_fp[:12]}...): another data root or preprocessing; choose "
                    "another output folder or the same data"
                )
            if self._path(SUMMARY_FILE).is_file():
                self.finished = True
                self.summary = json.loads(self._path(SUMMARY_FILE).read_text())
                self.rows = read_rows(self._path(STEPS_FILE))
                self._release()
                return None
            if self._path(CHECKPOINT_FILE).is_file():
                try:
                    state = torch.load(
                        self._path(CHECKPOINT_FILE), map_location="cpu", weights_only=True
                    )
                except Exception as exc:  # truncated, empty or not a checkpoint at all
                    raise ValueError(
                        f"out: {self._path(CHECKPOINT_FILE)} is damaged "
                        f"({type(exc).__name__}); move it away to restart the run from "
                        "scratch, or restore it"
                    ) from None
        keep: list[dict[str, Any]] = []
        if state is not None:
            scan = read_steps(self._path(STEPS_FILE))
            if scan.damage:
                raise ValueError(
                    f"out: {self._path(STEPS_FILE)} is damaged ({'; '.join(scan.damage)}); the "
                    "run cannot be resumed from it: move the folder away and rerun"
                )
            keep = [r for r in scan.rows if r[F.STEP] < state["step"]]
        self.rows = keep
        with self._path(STEPS_FILE).open("w") as fh:
            fh.writelines(json.dumps(r, allow_nan=False) + "\n" for r in keep)
        _write_json(
            cfg_path,
            {
                "config": config.to_dict(),
                **meta,
                "resumed_at_step": None if state is None else state["step"],
            },
        )
        self._fh = self._path(STEPS_FILE).open("a")
        return state

    def write_row(self, row: dict[str, Any]) -> dict[str, Any]:
        """Append one row (cleaned) to ``steps.jsonl`` and flush; return the cleaned row."""
        row = clean(row)
        self.rows.append(row)
        if self._fh is not None:
            self._fh.write(json.dumps(row, allow_nan=False) + "\n")
            self._fh.flush()
        return row

    def checkpoint(self, state: dict[str, Any]) -> None:
        """Save ``state`` (tensors moved to the CPU; must hold ``step``) atomically."""
        if self.out is None:
            return
        cpu = {k: v.detach().cpu() if isinstance(v, torch.Tensor) else v for k, v in state.items()}
        tmp = self._path(CHECKPOINT_FILE + ".tmp")
        torch.save(cpu, tmp)
        os.replace(tmp, self._path(CHECKPOINT_FILE))

    def finish(self, summary: dict[str, Any]) -> dict[str, Any]:
        """Write ``summary.json`` and close the steps file; return the cleaned summary."""
        self.summary = clean(summary)
        self.close()
        if self.out is not None:
            _write_json(self._path(SUMMARY_FILE), self.summary)
        return self.summary

    def close(self) -> None:
        """Close the steps file and release the folder's lock (safe to call twice)."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        self._release()
