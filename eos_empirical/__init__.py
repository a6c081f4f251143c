"""The paper's CIFAR-10 experiments in torch.

Data, models, the GD/SGD engine with per-step diagnostics, experiments, reports and
benchmarks.

Importing this package does not import torch; its modules do. It may use
:mod:`eos_theory`, never the other way round.
"""
