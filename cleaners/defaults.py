"""Numeric defaults shared by the cleaners and the CLI, in a module that imports nothing (so the
CLI can show them in `--help` without loading numpy or the pipeline)."""

THRESHOLD = 0.7
"""Near-duplicate threshold: estimated Jaccard similarity of the content 5-gram sets."""
