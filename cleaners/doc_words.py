"""The words that name a document's kind and its parts (`data/lexicon/documents.toml`), read by
the splitter and the segmenter.

Like the character table (`cleaners/chartable.py`), the words are installed once per process
by the loader when it builds the knowledge (`ProfileSet.build`), before any page is cleaned:
splitting and segmenting are grammar over a page's lines, called from many places (the
pipeline, dedup's part keys, tests of single steps) that should not each carry the lexicon,
and one process cleans with one knowledge set. Until words are installed, no line names a
document or a section (the patterns match nothing).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_NOTHING = "(?!)"


def _alternation(words: Sequence[str]) -> str:
    """The words as one regex alternation, in their order (the order decides what a lazy
    group before them captures)."""
    return "|".join(map(re.escape, words)) if words else _NOTHING


@dataclass(frozen=True)
class DocumentWords:
    """Regex alternations of the words in documents.toml, for the patterns of split and segment."""

    kinds: str = _NOTHING
    collection_words: str = _NOTHING
    glued_kinds: str = _NOTHING
    section_heads: str = _NOTHING
    section_kinds: str = _NOTHING
    label_endings: str = _NOTHING

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DocumentWords:
        documents, sections = data.get("documents", {}), data.get("sections", {})
        unknown = (
            set(documents) - {"kinds", "collection_words", "glued_kinds", "section_heads", "section_kinds"}
        ) | (set(sections) - {"label_endings"})
        if unknown:
            raise ValueError(f"unknown lists in the document words: {sorted(unknown)}")
        lists = {**documents, **sections}
        for name, words in lists.items():
            if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
                raise ValueError(f"document words `{name}` must be a list of non-empty strings")
        return cls(**{name: _alternation(words) for name, words in lists.items()})


_words = DocumentWords()


def use_words(words: DocumentWords) -> None:
    """Install the words for the process."""
    global _words
    _words = words


def document_words() -> DocumentWords:
    """The installed words."""
    return _words
