"""The numerics guard and the provenance recorded in config.json (issue 13, parts 2 and 3).

On the main of 2026-11-30 the guard wrote the legacy ``allow_tf32`` flags, which raise
``RuntimeError`` on torch 2.13 once anything in the process used the ``fp32_precision``
API; and ``config.json`` recorded no code version, threads or CPU.
"""

from __future__ import annotations

import json

import pytest
import torch

from eos_empirical.numerics import (
    measurement_numerics,
    settings_in_force,
    uses_new_precision_api,
)
from tests.test_runlog import tiny_run

CPU = torch.device("cpu")


@pytest.mark.skipif(not uses_new_precision_api(), reason="this torch has no fp32_precision API")
def test_guard_works_after_the_new_precision_api_was_used():
    """After someone set cuBLAS matmul to TF32 through the new API, the guard still makes
    float32 exact inside, and restores TF32 after (it used to raise RuntimeError)."""
    matmul = torch.backends.cuda.matmul
    before = matmul.fp32_precision
    matmul.fp32_precision = "tf32"
    try:
        with measurement_numerics(deterministic=True, device=CPU):
            inside = settings_in_force()
            assert torch.are_deterministic_algorithms_enabled()
        assert inside["float32"] == "ieee", inside
        assert matmul.fp32_precision == "tf32", "the guard did not restore the setting"
        assert not torch.are_deterministic_algorithms_enabled()
    finally:
        matmul.fp32_precision = before


def test_config_records_provenance_and_numerics(tmp_path):
    """config.json of a run says which code (git commit, dirty flag, package version), which
    libraries, how many torch threads, which CPU and CPU capability, and the float32 and
    determinism settings in force during the run."""
    tiny_run(tmp_path / "gd", eta=0.5, max_steps=3)
    meta = json.loads((tmp_path / "gd" / "config.json").read_text())
    prov, num = meta["provenance"], meta["numerics"]
    assert prov["git"] is None or len(prov["git"]["commit"]) == 40, prov["git"]
    assert prov["torch_threads"] == torch.get_num_threads()
    assert prov["cpu_capability"] == torch.backends.cpu.get_cpu_capability()
    assert prov["cpu_model"] and prov["versions"]["torch"] == torch.__version__
    assert num["float32"] == "ieee" and meta["tf32"] is False, num
    assert num["deterministic_algorithms"] is True


def test_cublas_workspace_is_set_when_the_engine_is_imported():
    """CUBLAS_WORKSPACE_CONFIG is read when CUDA initializes, so it must be set before any
    CUDA use: importing the engine sets it (it used to be set inside the guard, possibly
    after CUDA was initialized)."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "CUBLAS_WORKSPACE_CONFIG"}
    code = "import os, eos_empirical.train; print(os.environ.get('CUBLAS_WORKSPACE_CONFIG'))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == ":4096:8", out
