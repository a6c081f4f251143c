"""Issue 14: the sweep summaries of the published runs.

For each sweep folder under docs/results/paper/runs (disagreements, exp1, unstable,
controls, ...), write its summary.csv and summary.md (one row per finished run, as
``eos sweep`` does) from the committed logs. Run from the repository root after copying
the runs (STATUS.md).
"""

from pathlib import Path

from eos_empirical.runlog import CONFIG_FILE
from eos_empirical.sweep import summarize

ROOT = Path("docs/results/paper/runs")

for sweep_dir in sorted(p for p in ROOT.iterdir() if p.is_dir()):
    names = sorted(p.name for p in sweep_dir.iterdir() if (p / CONFIG_FILE).is_file())
    if names:
        summarize(sweep_dir, names, {})
        print(f"{sweep_dir}: {len(names)} runs")
