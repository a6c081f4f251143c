"""Tests of the errata report: the ``eos errata`` command (text and --json), the errata's
metadata, their behaviour without the paper folder, and textual errata that must turn into
``fails`` when the printed passage is corrected in the transcription.

tests/test_claims.py already runs every erratum's check (status must be ``erratum``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import get_args

import pytest

from eos_empirical.commands import errata_cli as cli
from eos_theory.claims.withdrawn import WITHDRAWN
from eos_theory.errata_table import errata_claims
from eos_theory.paper import transcription as T
from eos_theory.registry import Severity, get_claim

SEVERITIES = set(get_args(Severity))
ERRATA = errata_claims()


def _paper_available() -> bool:
    return all((T.paper_dir() / name).is_file() for name in T.TRANSCRIPTIONS.values())


needs_paper = pytest.mark.skipif(not _paper_available(), reason="paper transcriptions absent")


def test_withdrawn_errata_stay_withdrawn(capsys):
    """Errata withdrawn after re-judging (issue 12: the printed text stands) are not claims of
    the registry, each keeps its printed text and reason, and `eos errata` lists them."""
    registered = {c.id for c in ERRATA}
    assert not set(WITHDRAWN) & registered, (
        f"withdrawn yet registered: {set(WITHDRAWN) & registered}"
    )
    for cid, w in WITHDRAWN.items():
        assert cid.startswith(("erratum.", "finding.")), cid
        assert w.location and w.printed and w.reason, cid
    assert cli.main(["--severity", "typo"]) == 0
    assert "Withdrawn after re-judging" not in capsys.readouterr().out
    # that the unfiltered `eos errata` lists them: test_errata_cli_text_and_json (one run)


def test_cli_severities_are_the_registry_ones():
    """`eos errata --severity` offers exactly the registry's severities."""
    assert set(cli.SEVERITIES) == SEVERITIES


def test_errata_metadata():
    """Every erratum has a severity from the fixed list, a correction, and a location naming
    the transcription it concerns (ICML, preprint or both)."""
    assert len(ERRATA) >= 25
    for c in ERRATA:
        assert c.severity in SEVERITIES, (c.id, c.severity)
        assert c.corrected and c.corrected != c.statement, c.id
        assert any(w in c.location for w in ("ICML", "preprint", "both")), (c.id, c.location)
        assert c.id.startswith("erratum."), c.id


def test_errata_cli_text_and_json(capsys, tmp_path):
    """One run of every erratum's demonstration (`eos errata --json PATH`): the file holds
    valid JSON, one record per erratum, each demonstrated (none 'not run': the paper's
    transcriptions must be present); the text lists every erratum and the withdrawn ones."""
    path = tmp_path / "errata.json"
    code = cli.main(["--json", str(path)])
    out = capsys.readouterr().out
    records = json.loads(path.read_text(encoding="utf-8"))
    assert code == 0
    assert all(c.id in out for c in ERRATA), "eos errata does not list every erratum"
    assert all(cid in out for cid in WITHDRAWN), "eos errata does not list the withdrawn errata"
    assert [r["id"] for r in records] == [c.id for c in ERRATA]
    not_run = [r["id"] for r in records if r["status"] == "not run"]
    assert not not_run, f"errata not demonstrated (paper at {T.paper_dir()}?): {not_run}"
    for r in records:
        assert r["status"] == "erratum" and r["passed"], (r["id"], r["status"], r["detail"])
        assert {"location", "statement", "corrected", "severity", "numbers"} <= r.keys()
        assert "seconds" not in r["numbers"]
        assert r["numbers"]["printed fails"] is True and r["numbers"]["corrected holds"] is True


def test_errata_cli_text_and_filters(capsys):
    """`eos errata` lists every id with printed/corrected/demonstration; --id and --severity
    filter; `--json` alone prints the records as JSON instead; an unknown id is a usage
    error."""
    assert cli.main(["--severity", "typo"]) == 0
    out = capsys.readouterr().out
    typos = [c.id for c in ERRATA if c.severity == "typo"]
    assert all(i in out for i in typos) and "printed:" in out and "demonstration:" in out
    assert f"{len(typos)} errata ({len(typos)} typo)" in out
    assert cli.main(["--severity", "typo", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in records] == typos, "eos errata --json is not the records alone"
    assert cli.main(["--id", "erratum.fact1-iff-singular-p"]) == 0
    out = capsys.readouterr().out
    assert "q=(0,1) outcome=diverged" in out
    with pytest.raises(SystemExit):
        cli.main(["--id", "no.such"])


#: Errata shown by the text alone: without the paper they cannot be demonstrated.
TEXTUAL = {
    "erratum.sec1.1-crossref-section5",
    "erratum.example2-crossref-fact1",
    "erratum.experiment1-numbering",
    "erratum.icml-jastrzebski",
    "erratum.preprint-iis",
    "erratum.icml-the-the",
    "erratum.preprint-characteristics",
    "erratum.sec6-obviates",
}


def test_errata_without_paper_folder(monkeypatch, tmp_path):
    """With EOS_PAPER_DIR pointing at an empty folder every erratum with a mathematical
    demonstration still decides it and says the text was not re-read; the purely textual
    ones are 'not run' (their 'printed fails' is the text itself, never assumed)."""
    monkeypatch.setenv("EOS_PAPER_DIR", str(tmp_path))
    T._read.cache_clear()
    try:
        for c in ERRATA:
            v = c.run()
            expected = "not run" if c.id in TEXTUAL else "erratum"
            assert v.status == expected, (c.id, v.status, v.detail)
            if any(k.startswith(("ICML:", "preprint:")) for k in v.numbers):
                pytest.fail(f"{c.id} claims to have re-read an absent paper")
        texty = get_claim("erratum.experiment5-inverted").run()
        assert "not re-read" in texty.detail
    finally:
        T._read.cache_clear()


#: Textual errata and the replacement that corrects the printed passage in a copy of the
#: transcription; the erratum's check must then report ``fails``.
CORRECTIONS = {
    "erratum.experiment5-inverted": ("does vary too much", "does not vary much"),
    "erratum.sec4.4-inverted": ("does vary much across", "does not vary much across"),
    "erratum.sec1.1-threshold-eta-over-2": ("threshold $\\eta/2$", "threshold $2/\\eta$"),
    "erratum.experiment1-numbering": ("(ii) ReLU", "(iii) ReLU"),
    "erratum.theorem1-proof-p0": ("F^t(\\mathbf{p}_0)", "F^t(\\theta_0)"),
    "erratum.sec1.1-crossref-section5": ("In Section 5, we will", "In Section 4.4, we will"),
    "erratum.icml-jastrzebski": ("Jastrzkebski", "Jastrzebski"),
    "erratum.sec4.1.2-eta-squared": ("\\|\\eta^2 \\nabla", "\\eta^2\\|\\nabla"),
    "erratum.sec6-obviates": ("This obviates the efficacy", "This undermines the efficacy"),
    "erratum.preprint-iis": ("support from IIS young", "support from IIIS young"),
}


@needs_paper
@pytest.mark.parametrize("claim_id", sorted(CORRECTIONS))
def test_textual_erratum_fails_once_corrected(claim_id, monkeypatch, tmp_path):
    """Each textual erratum turns into 'fails' when the printed passage is corrected in a copy
    of the transcriptions (so the check reads the text, not a constant)."""
    old, new = CORRECTIONS[claim_id]
    for name in T.TRANSCRIPTIONS.values():
        text = (T.paper_dir() / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace(old, new), encoding="utf-8")
    monkeypatch.setenv("EOS_PAPER_DIR", str(tmp_path))
    T._read.cache_clear()
    try:
        v = get_claim(claim_id).run()
    finally:
        T._read.cache_clear()
    assert v.status == "fails", f"{claim_id}: status {v.status} after correcting the text"


@needs_paper
def test_section_extraction_and_normalization(tmp_path):
    """The text helpers find Section 4.4 and Section 5 in both transcriptions."""
    for tr in T.TRANSCRIPTIONS:
        s44 = T.section(tr, "4.4. Implications for Sharpness", "5. Relative Progress for SGD")
        assert s44 and "Corollary1" in s44, tr
    assert T.paper_text("ICML") != T.paper_text("preprint")
    with pytest.raises(ValueError, match="transcription"):
        T.paper_text("arxiv")
    copy = tmp_path / "x.md"
    shutil.copy(T.paper_dir() / T.TRANSCRIPTIONS["ICML"], copy)
    assert Path(copy).stat().st_size > 40_000
