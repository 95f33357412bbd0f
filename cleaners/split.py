"""Split a page's lines into documents. (A page is one document until issue 3 lands.)"""

from __future__ import annotations

from collections.abc import Sequence


def split_documents(lines: Sequence[str]) -> list[list[str]]:
    """The documents on a page, each as its lines, in page order."""
    return [list(lines)]
