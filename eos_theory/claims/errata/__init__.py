r"""Errata of the two transcriptions of the paper, each a claim of kind ``erratum`` with a check.

A check returns ``erratum`` when the printed statement fails on its demonstration (a cost,
a point, numbers) *and* the corrected statement holds there; it returns ``fails`` when the
corrected statement stops holding or the printed one starts to hold
(:func:`~eos_theory.claims.errata.erratum_kit.decide`). Textual errata (inverted sentences,
wrong cross-references, disagreements between the transcriptions) also re-read the paper:
the printed passage must still be found in the named transcription(s), ``ICML`` or
``preprint``, read by :mod:`eos_theory.paper.transcription` from ``EOS_PAPER_DIR`` or, by
default, ``../shared/paper`` relative to the repository root. When that folder is absent
the mathematical part is still decided and the detail says the text was not re-read.

Tolerances: exact (``Fraction``) arithmetic where a quadratic decides; otherwise float64
values whose decisive gaps are orders of magnitude above round-off (each stated).

One module per part of the paper; importing this package registers every erratum (the
registry imports only the top-level modules of :mod:`eos_theory.claims`).
"""

from eos_theory.claims.errata import (
    sec1_intro,
    sec2_setup,
    sec4_example4,
    sec4_theorem2,
    sec5_sgd,
    sec6_discussion,
    text_only,
)

__all__ = [
    "sec1_intro",
    "sec2_setup",
    "sec4_example4",
    "sec4_theorem2",
    "sec5_sgd",
    "sec6_discussion",
    "text_only",
]
