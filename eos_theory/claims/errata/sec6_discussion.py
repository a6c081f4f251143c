"""Errata of Section 6 (Discussion and Future Directions).

"This obviates the efficacy of many efficient methods": to obviate is to remove the need
for (or to prevent); the sentence means the opposite of undermining, which the argument
before it supports (adjacent iterates have nearly opposite gradients, while variance
reduction assumes similar ones). Shown by re-reading both transcriptions.
"""

from __future__ import annotations

from eos_theory.claims.errata.erratum_kit import decide_textual, text_checks
from eos_theory.paper.transcription import BOTH
from eos_theory.registry import Verdict, claim


@claim(
    id="erratum.sec6-obviates",
    ref=("Section 6",),
    location="Section 6, 'Better optimizer?'; both transcriptions",
    statement="The characteristics ... suggests that the adjacent iterates have nearly opposite "
    "gradients in the unstable regime. This obviates the efficacy of many efficient methods "
    "(e.g. variance reduced methods) which are designed based on the intuition that the "
    "adjacent iterates have similar gradients.",
    corrected="This undermines (calls into question) the efficacy of many efficient methods "
    "...: 'obviates' (makes unnecessary) says the opposite of what the argument supports.",
    severity="typo",
    method="re-read both transcriptions: 'obviates the efficacy' follows 'nearly opposite "
    "gradients' and precedes 'designed based on the intuition that the adjacent iterates have "
    "similar gradients'",
)
def _obviates() -> Verdict:
    ok, tn = text_checks(
        {
            tr: (
                "adjacent iterates have nearly opposite gradients in the unstable regime",
                "This obviates the efficacy of many efficient methods",
                "adjacent iterates have similar gradients",
            )
            for tr in BOTH
        }
    )
    return decide_textual("'obviates' for 'undermines'", ok, tn)
