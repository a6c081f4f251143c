"""Issue 14, item 5: what the published runs would cost on an H100/H200, estimated from CPU.

No CUDA timing of this project exists yet (no GPU was lent to the sessions that made these
runs); ``grids/paper/gpu_session.sh`` measures one first (``eos bench`` on CUDA). Until
then this script scales each published run's measured CPU wall time by the ratio of the
time of one full-batch gradient on this CPU to its time on the GPU:

    GPU seconds of a run ~= CPU wall seconds * t_gpu / t_cpu

- ``t_cpu``: measured, the median over the published GD runs of
  (wall time - diagnostics time) / steps (one full-batch gradient, loss and accuracy at
  n = 5000, one thread of the 2-core development CPU);
- ``t_gpu``: bracketed, not measured. Fast end: the matrix-product FLOPs of one gradient
  (``gd_step_flops(5000)``) at the H200's float32 peak (TF32 is off, so no tensor cores).
  Slow end: a quarter of that peak plus 1 ms a gradient for launches and Python (an
  assumption, chosen generous: the small layers and the per-step diagnostics launch many
  kernels).

It assumes a run's CPU time is all full-batch work (gradients, Hessian-vector products,
the forward passes of E[RP]'s samples), which holds for the GD runs and nearly for SGD,
whose batch-32 steps are a small part of its time next to its 224-1088 full-batch samples
an epoch. Run from the repository root after publishing: ``python
docs/results/paper/gpu_cost_estimate.py``.
"""

import json
from pathlib import Path
from statistics import median

from eos_empirical.bench.gpu_figure import GPU_FP32_PEAK, gd_step_flops

ROOT = Path("docs/results/paper/runs")
N = 5000
PEAK = dict(GPU_FP32_PEAK)["H200"]
SLOW_FRACTION, SLOW_OVERHEAD_S = 0.25, 1e-3

summaries = {p.parent: json.loads(p.read_text()) for p in sorted(ROOT.glob("*/*/summary.json"))}
per_gradient = [
    (s["wall_time_s"] - s["diagnostics_time_s"]) / s["steps"]
    for s in summaries.values()
    if s.get("diagnostics_time_s") is not None and s.get("iterations") is None and s["steps"]
]
t_cpu = median(per_gradient)
flops = gd_step_flops(N)
t_fast, t_slow = flops / PEAK, flops / (SLOW_FRACTION * PEAK) + SLOW_OVERHEAD_S
print(
    f"t_cpu = {t_cpu:.3f} s a gradient (median of {len(per_gradient)} GD runs); "
    f"t_gpu = {t_fast * 1e3:.2f}-{t_slow * 1e3:.2f} ms (H200, {flops / 1e9:.1f} GFLOP)"
)
print("| sweep | runs | CPU hours | H200 estimate, one run at a time |")
print("|---|---|---|---|")
by_sweep: dict[str, list[float]] = {}
for run, s in summaries.items():
    by_sweep.setdefault(run.parent.name, []).append(s["wall_time_s"])
for sweep, walls in [*sorted(by_sweep.items()), ("all", [w for v in by_sweep.values() for w in v])]:
    cpu = sum(walls)
    lo, hi = cpu * t_fast / t_cpu, cpu * t_slow / t_cpu
    print(f"| {sweep} | {len(walls)} | {cpu / 3600:.1f} | {lo:.0f}-{hi:.0f} s |")
