"""The paper itself: its numbered items (the index every claim refers to) and its text.

:mod:`eos_theory.paper.index` lists the numbered items of Ahn, Zhang & Sra (ICML 2022);
:mod:`eos_theory.paper.transcription` reads the two transcriptions in ``shared/paper/``.
"""
