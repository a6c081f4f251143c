"""Project-wide pytest configuration: Hypothesis profiles, the gpu skip, the data root.

Hypothesis profiles are registered here and only here, chosen by ``HYPOTHESIS_PROFILE``:

- ``dev`` (default outside CI): 25 examples, random, quick feedback;
- ``ci`` (default when ``CI=true``): 60 examples, derandomized, no deadline, so the whole
  property suite stays under 3 minutes on 2 cores and a CI failure reproduces exactly;
- ``search``: 5,000 examples with the target phase, for ``-m search`` counterexample hunts.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

settings.register_profile(
    "dev", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci",
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "search",
    max_examples=5_000,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") == "true" else "dev")
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip ``gpu``-marked tests with the reason 'CUDA not available' when it is not."""
    gpu_items = [item for item in items if "gpu" in item.keywords]
    if not gpu_items:
        return
    import torch

    if not torch.cuda.is_available():
        skip = pytest.mark.skip(reason="CUDA not available")
        for item in gpu_items:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def cifar10_root() -> Path:
    """The folder holding ``cifar-10-batches-py/``, from ``EOS_CIFAR10_ROOT``; skip if absent."""
    root = os.environ.get("EOS_CIFAR10_ROOT")
    if not root:
        pytest.skip("EOS_CIFAR10_ROOT is not set: no CIFAR-10 data for this test")
    path = Path(root)
    if not (path / "cifar-10-batches-py").is_dir():
        pytest.skip(f"EOS_CIFAR10_ROOT={root} has no cifar-10-batches-py/ folder")
    return path
