"""Hypothesis strategies for random costs, one module per family (see each module's docstring)."""
