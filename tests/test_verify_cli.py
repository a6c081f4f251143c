"""`eos verify` as a view of the one claims registry (issue 11; README "The claim table").

Every claim, the experimental ones (Experiments 1-9, judged from run logs) included, is
listed in paper order; experimental claims are `not run` without logs, a bad `--runs` is a
usage error naming the option, and a check that raises never passes, whatever its kind.
"""

from __future__ import annotations

import json

import pytest

from eos_empirical.commands import verify_cli
from eos_theory.registry import Claim, Verdict, all_claims


def test_list_shows_every_claim_in_paper_order(capsys):
    """`eos verify --list`: one line per registered claim (experimental included), in the
    order of `all_claims()` (paper order), each with its paper items."""
    assert verify_cli.main(["--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    claims = all_claims()
    assert [ln.split()[0] for ln in lines] == [c.id for c in claims]
    assert any(c.kind == "experimental" for c in claims), "no experimental claim registered"
    for line, c in zip(lines, claims, strict=True):
        assert "; ".join(c.ref) in line, f"{c.id}: paper items {c.ref} missing from {line!r}"


def test_experimental_claims_not_run_without_logs(capsys):
    """`--no-runs`: every experimental claim reads `not run`, and `not run` does not fail
    the command (exit 0)."""
    code = verify_cli.main(["--kind", "experimental", "--no-runs", "--json", "-"])
    records = json.loads(capsys.readouterr().out)
    assert code == 0
    assert records and {r["status"] for r in records} == {"not run"}, records


def test_bad_runs_folder_is_a_usage_error(tmp_path, capsys):
    """`--runs` naming a missing folder: exit status 2 and one line naming `--runs`."""
    with pytest.raises(SystemExit) as exc:
        verify_cli.main(["--kind", "experimental", "--runs", str(tmp_path / "absent")])
    assert exc.value.code == 2
    assert "--runs" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["exact", "experimental"])
def test_a_check_that_raises_never_passes(kind):
    """A check that raises becomes `fails` with the error named, and is not a passing
    verdict even for an experimental claim (whose `fails` otherwise is a result)."""

    def boom(*_args: object) -> Verdict:
        raise RuntimeError("broken check")

    c = Claim("x.y", "Sec 1", "a = a", "test", boom, kind=kind, ref=("Theorem 2",))
    v = c.run({} if kind == "experimental" else None)
    assert v.status == "fails" and "RuntimeError" in v.detail, v
    assert not c.passed(v), f"{kind}: a raising check passed"
    assert c.passed(Verdict("fails")) == (kind == "experimental")
