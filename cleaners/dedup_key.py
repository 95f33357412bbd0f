"""Keys for exact deduplication and the order that picks the best copy of a document."""

from __future__ import annotations

import hashlib
from typing import Any

from .normalise import fold_words


def exact_key(text: str) -> str:
    """Hash of the text with width, case, whitespace and punctuation folded away."""
    folded = fold_words(text)
    if not folded:  # nothing left to compare: only the very same text is the same document
        folded = "\0" + text
    return hashlib.blake2b(folded.encode("utf-8"), digest_size=12).hexdigest()


def _count_sections(sections: list[dict[str, Any]]) -> int:
    return sum(1 + _count_sections(s.get("children") or []) for s in sections)


def completeness(record: dict[str, Any]) -> tuple[int, int, int]:
    """Higher is better: not truncated, then more structure, then longer text."""
    flags = record.get("flags") or []
    return (
        0 if "truncated" in flags else 1,
        _count_sections(record.get("sections") or []),
        len(record.get("text") or ""),
    )
