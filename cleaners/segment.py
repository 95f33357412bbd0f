"""Numbered headings into a section tree. (Filled in by the segmentation work, issue 3.)"""

from __future__ import annotations

from collections.abc import Sequence

from .document import Section


def segment(lines: Sequence[str]) -> list[Section]:
    """The section tree of one document's lines."""
    return []
