"""Issue 14: bring the earlier seed-0 paper-scale runs into the published set.

The runs of docs/results/paper-cpu (2026-11-23, sharpness on even steps only) are copied to
runs/paper/seed0-2026-11-23, unless a finished new run of the same paper run and seed
supersedes it (then the old copy is removed). Run from the repository root before
publishing (STATUS.md).
"""

import shutil
from pathlib import Path

from eos_empirical.runlog import load_runs

OLD, DEST = Path("docs/results/paper-cpu/runs"), Path("runs/paper/seed0-2026-11-23")

new = load_runs("runs/paper")
have = {
    (r.spec, int(r.config.get("seed", 0)))
    for key, r in new.items()
    if r.summary is not None
    and not key.startswith(f"{DEST.name}/")
    and not r.experiment.get("control")
}
for name, r in load_runs(OLD).items():
    target = DEST / name
    if (r.spec, 0) in have:
        if target.exists():
            shutil.rmtree(target)
            print("superseded, removed", name)
    elif not target.exists():
        shutil.copytree(OLD / name, target)
        print("copied", name)
