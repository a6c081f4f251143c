"""Figure 4 of ``eos bench``: wall time of the theory side.

``eos verify`` and the property suite (``ci`` profile), each in a subprocess. The property
suite is every property test but the ``search`` ones, its ``slow`` ones included (as when
this figure was first measured, before some moved to ``slow``; docs/testing.md).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from eos_empirical.bench.timing import time_subprocess


def theory_figure() -> dict[str, Any]:
    """``eos verify`` and the property suite in the ``ci`` profile, each in a subprocess."""
    root = Path(__file__).resolve().parents[2]  # the repository root
    env = {**os.environ, "CI": "true"}
    env.pop("HYPOTHESIS_PROFILE", None)
    verify = time_subprocess([sys.executable, "-m", "eos_empirical.commands", "verify"], cwd=root)
    pytest = [sys.executable, "-m", "pytest", "property_tests", "-q", "-p", "no:cacheprovider"]
    props = time_subprocess(
        [*pytest, "-m", "not search"],
        env=env,
        cwd=root,
    )
    props["command"] = "CI=true " + props["command"]
    return {"eos_verify": verify, "property_suite_ci": props}
