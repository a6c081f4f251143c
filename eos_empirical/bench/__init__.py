r"""``eos bench``: the engine's costs, measured side by side against their baselines.

Every figure is a RATIO taken in one process, on the same model, data, dtype and device,
with the two measured operations interleaved (A, B, A, B, ...) so that contention from
other processes hits both sides alike; each figure is the median of the per-pair ratios
with its spread (interquartile range and min–max).

Workload: the network of Cohen et al. (2021) used in the paper's Experiments 1–9
(3072 → 200 → 200 → 10, tanh, cross-entropy) on ``n`` = 5000 examples (the real CIFAR-10
files under ``$EOS_CIFAR10_ROOT`` when present, else the seeded synthetic set of the same
shape), at the initialization of seed 0, float32 with TF32 off and float64.

Figures:

1. a GD step of the engine (:func:`eos_empirical.train.train_gd`: f, accuracy,
   :math:`\|\nabla f\|`, RP and :math:`L(\theta;\eta\nabla f)` recorded to
   ``steps.jsonl``) against a plain torch GD step (``nn.Module``, ``loss.backward()``,
   ``p -= eta * p.grad``) on the same model and data; target overhead :math:`\le 5\%`;
2. one Hessian-vector product against one full-batch gradient; target :math:`\le 2.5\times`;
3. :math:`\lambda_{\max}` to :math:`10^{-3}` relative: the engine's Lanczos against
   ``scipy.sparse.linalg.eigsh(which='LA')`` over double-backward HVPs rebuilt for each
   product (the method of Cohen et al.'s code), power iteration (PyHessian's method) and
   the peer libraries (pyhessian, curvlinops-for-pytorch, hessian-eigenthings) when they
   import; wall time, HVP count and the error against a float64 reference converged to a
   relative residual of :math:`10^{-8}`. Targets: at least 2× faster than eigsh, and
   fewer HVPs than power iteration at equal or better accuracy;
4. the theory side: wall time of ``eos verify`` and of the property suite (``ci``
   profile), each in a subprocess;
5. on a GPU only: steps per second, achieved TFLOP/s of a GD step against the float32
   matrix-product count :math:`6n(3072\cdot200 + 200\cdot200 + 200\cdot10)` per step and
   the device's float32 peak, and the wall time of Experiment 3 (tanh, η = 2/60,
   sharpness every 20 steps, to 95% train accuracy).

6. with ``--fair`` (issue 16 item 2), :math:`\lambda_{\max}` at EQUAL TRUE ERROR, cold at
   the initialization (float32): every solver (the engine's Lanczos, the tracker's block
   Rayleigh–Ritz, eigsh ``'LA'`` over ``ncv`` in {4, 6, 8}, scipy's LOBPCG over block sizes
   {1, 2, 3}, power iteration, pyhessian, hessian-eigenthings, curvlinops) at the cheapest
   setting whose estimate is within :math:`10^{-3}` of the float64 reference, HVPs and
   interleaved seconds; target: the engine at least 1.5× faster than the best peer over the
   same HVP;
7. with ``--fair``, WARM along an edge-of-stability run (plain GD, η = 2/30, float32, on
   ``--warm-n`` examples): each warm-startable configuration from its own previous
   vectors for ``--warm-steps`` consecutive steps against a float64 reference at every
   step; HVPs per step at 1e-3; targets: at least 2× fewer HVPs than the best warm-started
   peer, and issue 16 item 1's per-step tracking (≥ 95% of steps within 1e-3, ≤ 3× a plain
   GD step), with the sharpness overhead per GD step (one estimate every 20 steps; every
   step).

Writes ``docs/benchmarks.md`` (``--output``) and, with ``--json PATH``, the raw figures.
``--quick`` is the seconds-long CI smoke version (tiny ``n``, few repeats; figures are
not meaningful and no target is judged).

Modules: :mod:`~eos_empirical.bench.timing` (spreads, interleaving, paired ratios),
:mod:`~eos_empirical.bench.workload` (the net, data and baseline step), one module per
figure (:mod:`~eos_empirical.bench.gd_step_figure`,
:mod:`~eos_empirical.bench.hvp_figure`, :mod:`~eos_empirical.bench.eig_figure` with
:mod:`~eos_empirical.bench.eig_trace` and :mod:`~eos_empirical.bench.peers`,
:mod:`~eos_empirical.bench.theory_figure`, :mod:`~eos_empirical.bench.gpu_figure`,
:mod:`~eos_empirical.bench.fair_cold` and :mod:`~eos_empirical.bench.fair_warm` with
:mod:`~eos_empirical.bench.equal_error` and :mod:`~eos_empirical.bench.tunable_solvers`),
:mod:`~eos_empirical.bench.verdicts` and :mod:`~eos_empirical.bench.fair_verdicts`
(machine, versions, targets judged), :mod:`~eos_empirical.bench.markdown` and
:mod:`~eos_empirical.bench.fair_markdown` (the report) and
:mod:`~eos_empirical.bench.suite` (runs them all and writes the files). The options
are parsed by :mod:`eos_empirical.commands.bench_cli`.

Importing this package does not import torch; its modules do.
"""
