"""Errata decided by the text alone: misspellings one transcription has and the other not.

Jastrzkebski (ICML) for Jastrzebski, IIS (preprint) for IIIS, "the the" (ICML) and
"characteristics" (preprint) for the singular. The check re-reads both transcriptions; with
the paper folder absent it says the text was not re-read.
"""

from __future__ import annotations

from eos_theory.claims.errata.erratum_kit import decide_textual, text_checks
from eos_theory.registry import Verdict, claim


def _misprint(
    *,
    id: str,
    ref: tuple[str, ...],
    location: str,
    statement: str,
    corrected: str,
    present: dict[str, tuple[str, ...]],
    absent: dict[str, tuple[str, ...]],
    detail: str,
    method: str = "re-read both transcriptions",
) -> None:
    """Register a misprint (severity ``typo``): ``present`` must be found in the named
    transcriptions and ``absent`` not; ``detail`` says what the misprint is.
    """  # noqa: D205

    def check() -> Verdict:
        ok, tn = text_checks(present, absent)
        return decide_textual(detail, ok, tn)

    check.__qualname__ = f"misprint_{id}"
    claim(
        id=id,
        ref=ref,
        location=location,
        statement=statement,
        corrected=corrected,
        severity="typo",
        method=method,
    )(check)


_misprint(
    id="erratum.icml-jastrzebski",
    ref=("Section 1.1",),
    location="Section 1.1 and References; ICML transcription (preprint: 'Jastrzebski')",
    statement="Jastrzkebski et al., 2017; 2018 / S. Jastrzkebski, Z. Kenton, ...",
    corrected="Jastrzębski (transliterated Jastrzebski), as in the preprint.",
    method="re-read: 'Jastrzkebski' in ICML (text and both references), absent in the preprint",
    present={"ICML": ("Jastrzkebski",), "preprint": ("Jastrzebski",)},
    absent={"preprint": ("Jastrzkebski",)},
    detail="misspelt author name",
)
_misprint(
    id="erratum.preprint-iis",
    ref=("Acknowledgements",),
    location="Acknowledgements; preprint transcription (ICML: 'IIIS')",
    statement="Jingzhao Zhang acknowledges support from IIS young scholar fellowship.",
    corrected="...from IIIS young scholar fellowship (IIIS, Tsinghua University, the "
    "affiliation in the author footnote).",
    method="re-read both acknowledgements and the preprint's affiliation footnote",
    present={
        "preprint": ("support from IIS young scholar", "IIIS, Tsinghua University"),
        "ICML": ("support from IIIS young scholar",),
    },
    absent={},
    detail="IIS for IIIS",
)
_misprint(
    id="erratum.icml-the-the",
    ref=("Experiment 3",),
    location="Section 4.1.2, Experiment 3 conclusion; ICML transcription",
    statement="The above experiment shows that in the the unstable regime, ...",
    corrected="...in the unstable regime, ... (as in the preprint).",
    present={"ICML": ("in the the unstable regime",)},
    absent={"preprint": ("in the the unstable regime",)},
    detail="doubled article",
)
_misprint(
    id="erratum.preprint-characteristics",
    ref=("Section 4.4",),
    location="Section 4.4, first paragraph; preprint transcription (ICML: 'characteristic')",
    statement="...we saw that one characteristics of unstable convergence ... implications of "
    "this characteristics for sharpness.",
    corrected="one characteristic ... this characteristic (as in ICML).",
    present={
        "preprint": ("one characteristics of unstable", "this characteristics for sharpness"),
        "ICML": ("one characteristic of unstable",),
    },
    absent={"ICML": ("one characteristics",)},
    detail="plural for singular",
)
