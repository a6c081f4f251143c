"""The layout's rules, enforced (DESIGN.md; issue 11): the paper is the spine, one direction
of imports, small modules with unique names, instant ``--help``.

- Coverage: every numbered item of the paper (:mod:`eos_theory.paper.index`) is checked by
  at least one claim of the registry, or listed in ``UNCHECKED`` with its reason.
- Imports: ``eos_theory`` imports neither torch nor ``eos_empirical``; the run-log, checks
  and report side of ``eos_empirical`` imports no torch.
- Size and names: no module of the two packages over 500 lines; no module name used twice.
- ``eos COMMAND --help`` imports no torch, for every subcommand.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from eos_empirical.commands import COMMANDS
from eos_theory.paper.index import ITEMS, UNCHECKED
from eos_theory.registry import all_claims

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("eos_theory", "eos_empirical")
MAX_LINES = 500
#: Modules of eos_empirical that read logs and judge them: they never import torch.
TORCH_FREE_EMPIRICAL = (
    "runlog",
    "checks",
    "report",
    "plots",
    "commands",
    "config",
    "vocabulary",
)


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imported_names(path: Path) -> set[str]:
    """Top-level package names imported anywhere in ``path`` (also inside functions)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_every_paper_item_is_checked_or_allowlisted():
    """Every item of the paper index has a claim whose ``ref`` names it, or a reason in
    ``UNCHECKED``; an allow-listed item that a claim does check is a stale entry."""
    checked = {name for c in all_claims() for name in c.ref}
    unchecked = [n for n in ITEMS if n not in checked and n not in UNCHECKED]
    assert not unchecked, (
        f"paper items with no claim and no reason in UNCHECKED: {unchecked}; add a claim "
        "with ref=(...) naming them, or a reason to eos_theory/paper/index.py::UNCHECKED"
    )
    stale = sorted(set(UNCHECKED) & checked)
    assert not stale, f"UNCHECKED lists items that claims do check: {stale}"
    unknown = set(UNCHECKED) - set(ITEMS)
    assert not unknown, f"UNCHECKED names unknown items: {unknown}"


def test_every_claim_names_its_paper_items():
    """Every claim carries ``ref``: the paper items it checks (paper order sorts by it)."""
    missing = [c.id for c in all_claims() if not c.ref]
    assert not missing, f"claims without ref=(paper items): {missing}"


def test_claims_come_in_paper_order():
    """``all_claims()`` is sorted by the position of each claim's first paper item."""
    keys = [c.order for c in all_claims()]
    assert keys == sorted(keys)


@pytest.mark.parametrize("package", PACKAGES)
def test_no_module_over_500_lines(package):
    """No module of the package is longer than 500 lines (split along its seams instead)."""
    long = {
        str(p.relative_to(ROOT)): n
        for p in _modules(package)
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_no_module_name_used_twice():
    """No two modules of the two packages share a file name (``__init__`` and ``__main__``
    excepted), so a name says which module is meant."""
    seen: dict[str, list[str]] = {}
    for package in PACKAGES:
        for p in _modules(package):
            if p.stem not in {"__init__", "__main__"}:
                seen.setdefault(p.stem, []).append(str(p.relative_to(ROOT)))
    twice = {k: v for k, v in seen.items() if len(v) > 1}
    assert not twice, f"module names used twice: {twice}"


def test_eos_theory_imports_neither_torch_nor_eos_empirical():
    """The mathematics never imports the training side (statically, anywhere in a module)."""
    bad = {
        str(p.relative_to(ROOT)): sorted(_imported_names(p) & {"torch", "eos_empirical"})
        for p in _modules("eos_theory")
    }
    bad = {k: v for k, v in bad.items() if v}
    assert not bad, f"eos_theory modules importing torch or eos_empirical: {bad}"


def test_log_side_of_eos_empirical_imports_no_torch():
    """The run-log reader, the checks, the report, the plots, the configuration and the
    commands layer import no torch (statically), so logs can be judged without it."""
    bad = {}
    for p in _modules("eos_empirical"):
        rel = p.relative_to(ROOT / "eos_empirical")
        if rel.parts[0].removesuffix(".py") in TORCH_FREE_EMPIRICAL:
            if "torch" in _imported_names(p):
                bad[str(rel)] = "imports torch"
    assert not bad, f"torch-free modules of eos_empirical that import torch: {bad}"


#: Runs every subcommand's --help in one process; for each heavy module, names the first
#: subcommand after which it was imported.
_PROBE = """
import contextlib, io, json, sys
from eos_empirical.commands import COMMANDS, main
heavy = ("torch", "eos_empirical.train")
first = {}
for name in COMMANDS:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        main([name, "--help"])
    for module in heavy:
        if module in sys.modules and module not in first:
            first[module] = name
print(json.dumps(first))
"""


def test_help_of_every_subcommand_imports_no_torch():
    """``eos COMMAND --help`` parses without importing torch or the training engine, for
    every subcommand of the dispatcher (the first command that pulls one in is named)."""
    out = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, cwd=ROOT, check=True
    )
    heavy = json.loads(out.stdout.strip().splitlines()[-1])
    assert not heavy, f"--help imported heavy modules (module: first subcommand): {heavy}"
    assert set(COMMANDS) >= {"verify", "run", "experiment", "report"}


def test_runtime_import_of_eos_theory_and_its_registry_loads_no_torch():
    """Importing every eos_theory module and listing every claim (incl. the experimental ones
    registered by eos_empirical.checks) leaves torch unimported."""
    code = (
        "import importlib, pkgutil, sys, eos_theory\n"
        "for m in pkgutil.walk_packages(eos_theory.__path__, 'eos_theory.'):\n"
        "    importlib.import_module(m.name)\n"
        "assert 'eos_empirical' not in sys.modules, 'eos_theory imported eos_empirical'\n"
        "from eos_theory.registry import all_claims\n"
        "all_claims()\n"
        "print('torch' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "False", "listing the claims imported torch"
