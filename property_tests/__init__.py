"""Hypothesis property tests of the exact statements, and tests of the searches."""
