r"""Figure 1 of ``eos bench``: an engine GD step against a plain torch GD step.

The engine's step (:func:`eos_empirical.train.train_gd`: f, accuracy,
:math:`\|\nabla f\|`, RP and :math:`L(\theta;\eta\nabla f)` recorded to
``steps.jsonl``) against a plain torch GD step (``nn.Module``, ``loss.backward()``,
``p -= eta * p.grad``) on the same model and data, strictly alternating; target overhead
:math:`\le 5\%`.
"""

from __future__ import annotations

import tempfile
import time
from typing import Any

from eos_empirical.bench.timing import _sync, paired_ratio, spread
from eos_empirical.bench.workload import Workload, plain_gd_step, torch_module
from eos_empirical.config import RunConfig
from eos_empirical.train import make_setup, train_gd

#: Step size of the GD-step figure (Experiment 1's 2/30); the cost of a step does not
#: depend on it.
GD_ETA = 2 / 30


def gd_step_figure(w: Workload, *, steps: int, eta: float = GD_ETA) -> dict[str, Any]:
    """Engine GD steps and plain steps, strictly alternating (see the module docstring).

    The engine runs :func:`train_gd` into a temporary folder; its ``on_step`` callback
    times one plain step of an ``nn.Module`` copy, so the timeline is engine step, plain
    step, engine step, ... Engine step ``i`` is the time from the end of callback ``i``
    to the start of callback ``i+1`` (parameter update, value + gradient + accuracy at
    the new point, RP, L, one synchronization, the row written to ``steps.jsonl``).
    """
    sync = _sync(w.device)
    model = torch_module(w.net, w.theta)
    plain: list[float] = []
    engine: list[float] = []
    mark: list[float] = []

    def on_step(row: dict[str, Any]) -> None:
        now = time.perf_counter()
        if mark:
            engine.append(now - mark[0])
        sync()
        start = time.perf_counter()
        plain_gd_step(model, w.x, w.labels, eta)
        sync()
        plain.append(time.perf_counter() - start)
        mark[:] = [time.perf_counter()]

    config = RunConfig(
        dataset=w.dataset,
        n=w.n,
        eta=eta,
        max_steps=steps + 2,
        acc_target=1.0,
        dtype=str(w.dtype).removeprefix("torch."),
        device=str(w.device),
        eig_every=0,
    )
    setup = make_setup(config, w.net, w.x, w.labels, theta0=w.theta, stats=w.data_stats)
    with tempfile.TemporaryDirectory() as out:
        result = train_gd(config, out, on_step=on_step, setup=setup)
    # pair engine step i with the plain step right after it; drop the first pair (warm-up)
    eng, pl = engine[1:], plain[2:]
    ratio = paired_ratio(eng, pl)
    return {
        "engine_step_s": spread(eng),
        "plain_step_s": spread(pl),
        "ratio": ratio,
        "overhead": None if ratio["median"] is None else ratio["median"] - 1.0,
        "pairs": len(eng),
        "eta": eta,
        "outcome": result.summary["outcome"],
        "baseline": "nn.Sequential copy, loss.backward(), p -= eta * p.grad (no logging)",
    }
