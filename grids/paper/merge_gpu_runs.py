"""Bring a GPU lease's runs (``gpu_session.sh``) into ``runs/paper`` without clobbering.

The lease starts from a bare machine, so it may make runs the CPU lanes have made or are
making here (same sweep, same folder name). Unpacking its tarballs straight into the
repository would then overwrite a finished CPU run's log with a GPU run's, or with a cut
one. Instead unpack them into a staging folder and merge, folder by folder:

- a finished GPU run (``summary.json``) replaces a local folder only if that one is not
  finished (or missing); a finished local run is kept;
- an unfinished GPU run (log and checkpoint, to resume) is copied only where no run was
  started here (a folder holding only the sweep's ``experiment.json`` counts as none);
- a local folder that a run here is writing (its ``.lock`` held) is never touched;
- the GPU tests' runs (``gpu-seed0``, seed 0 of every experiment, made for the
  reproduction check) go to ``runs/gpu-seed0``, outside the published sweeps, so a seed is
  never judged twice.

Usage, from the repository root (``files_at``: where the device tool put the lease's files)::

    mkdir -p /tmp/gpu-stage && tar xzf <files_at>/gpu-logs.tar.gz -C /tmp/gpu-stage
    for t in <files_at>/gpu-ckpt-*.tar; do tar xf "$t" -C /tmp/gpu-stage; done
    python grids/paper/merge_gpu_runs.py /tmp/gpu-stage            # --dry-run to preview
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from eos_empirical.runlog import CONFIG_FILE, SUMMARY_FILE, lock_holder

RUNS = Path("runs/paper")
GPU_TESTS = "gpu-seed0"


def _finished(run: Path) -> bool:
    return (run / SUMMARY_FILE).is_file()


def _started(run: Path) -> bool:
    """Whether a run was started in the folder (a sweep writes experiment.json before)."""
    return (run / CONFIG_FILE).is_file()


def merge(stage: Path, root: Path = Path("."), *, dry_run: bool = False) -> list[str]:
    """Merge the run folders under ``stage/runs/paper`` into ``root``; one line per folder."""
    src_runs = stage / RUNS
    if not src_runs.is_dir():
        raise ValueError(f"stage: {stage} holds no {RUNS} (unpack gpu-logs.tar.gz into it)")
    lines = []
    for src in sorted(p.parent for p in src_runs.rglob(CONFIG_FILE)):
        rel = src.relative_to(src_runs)
        if rel.parts[0] == GPU_TESTS:
            dst = root / "runs" / rel
        else:
            dst = root / RUNS / rel
        copy = False
        if lock_holder(dst):
            action = "kept the local folder: a run here is writing it (merge again later)"
        elif _finished(src):
            if _finished(dst):
                action = "kept the local finished run"
            else:
                copy = True
                over = " over an unfinished one" if _started(dst) else ""
                action = f"finished on the GPU: copied{over}"
        elif _started(dst):
            action = "unfinished on the GPU: kept the local folder"
        else:
            copy = True
            action = "unfinished on the GPU: copied (resumes from its checkpoint, if one came back)"
        if copy and not dry_run:
            if dst.exists():
                shutil.rmtree(dst)
            shutil.copytree(src, dst)
        lines.append(f"{dst}: {action}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """The command line: merge, print one line per folder; exit 2 on a bad stage."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stage", type=Path, help="folder the lease's tarballs were unpacked into")
    parser.add_argument("--dry-run", action="store_true", help="say what would happen")
    args = parser.parse_args(argv)
    try:
        lines = merge(args.stage, dry_run=args.dry_run)
    except ValueError as exc:
        print(f"merge_gpu_runs: {exc}", file=sys.stderr)
        return 2
    print("\n".join(lines) or "no run folders in the stage")
    return 0


if __name__ == "__main__":
    sys.exit(main())
