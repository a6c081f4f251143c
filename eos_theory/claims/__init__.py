"""Claims of the paper, one module per family; each registers with ``@claim``."""
