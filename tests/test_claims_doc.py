"""docs/claims.md is generated from the claims registry and must stay in sync with it.

If a test here fails after you added or edited a claim (eos_theory/claims/*.py), run
`eos claims-doc` and commit docs/claims.md.
"""

from __future__ import annotations

import pytest

from eos_empirical.commands import claims_doc_cli
from eos_empirical.commands.verify_cli import default_runs
from eos_theory import claims_markdown as claims_doc
from eos_theory.registry import all_claims

FIX = "docs/claims.md is out of date: run `eos claims-doc` and commit docs/claims.md"


def test_claims_doc_in_sync():
    """The committed document equals the one rendered from the registry with the verdicts it
    records (every field, every claim); each recorded verdict is a passing status for its kind.
    The verdicts themselves are re-decided by tests/test_claims.py (and by the slow full check
    below), so this test does not run the checks a second time."""
    path = claims_doc_cli.DEFAULT_OUTPUT
    assert path.is_file(), FIX
    text = path.read_text(encoding="utf-8")
    claims = all_claims()
    recorded = claims_doc.parse_verdicts(text)
    missing = sorted({c.id for c in claims} - set(recorded))
    extra = sorted(set(recorded) - {c.id for c in claims})
    assert not missing and not extra, f"{FIX} (missing {missing}, stale {extra})"
    bad = claims_doc.recorded_verdicts_are_passing(claims, recorded)
    assert not bad, f"{FIX} (recorded verdicts not passing: {bad})"
    label = claims_doc_cli.runs_label(default_runs())
    assert claims_doc.render(claims, recorded, runs_label=label) == text, FIX


@pytest.mark.slow
def test_claims_doc_full_check():
    """Full regeneration, running every non-slow check: `eos claims-doc --check` exits 0."""
    assert claims_doc_cli.main(["--check"]) == 0, FIX


def test_render_is_deterministic_and_complete():
    """Rendering twice gives the same text; every claim, correction and severity appears and no
    timing does."""
    claims = all_claims()
    verdicts = {c.id: "proved" for c in claims}
    a, b = claims_doc.render(claims, verdicts), claims_doc.render(list(reversed(claims)), verdicts)
    assert a == b
    assert "seconds" not in a
    for c in claims:
        assert f"### `{c.id}`" in a
        if c.severity:
            assert f"- **Severity**: {c.severity}" in a
    assert claims_doc.parse_verdicts(a) == verdicts


def test_check_mode_detects_stale_file(tmp_path, capsys, monkeypatch):
    """`eos claims-doc --check` exits 1 on a stale file and names the command to run."""
    stale = tmp_path / "claims.md"
    stale.write_text("# old\n", encoding="utf-8")
    monkeypatch.setattr(claims_doc, "verdicts_of", lambda cs, **k: {c.id: "holds" for c in cs})
    assert claims_doc_cli.main(["--check", "--output", str(stale)]) == 1
    assert "run `eos claims-doc`" in capsys.readouterr().err
    assert claims_doc_cli.main(["--output", str(stale)]) == 0
    assert claims_doc_cli.main(["--check", "--output", str(stale)]) == 0
