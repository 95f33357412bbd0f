"""The data that flows through the cleaning steps: a page in, records out.

`Page` is what a reader hands to the cleaners (text or bytes, plus where it came from);
`Record` is one document as the contract describes it. Both are plain dataclasses so they
pickle cheaply between worker processes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Page:
    """One saved page as read from disk, stdin, a JSONL row or a WARC record.

    Exactly one of `html`, `text` or `raw` is set. `raw` is undecoded bytes whose kind
    (`"html"` or `"text"`) is given by `kind`; `charset` is a declared charset if one is known
    (an HTTP header), never trusted blindly.
    """

    path: str | None = None
    url: str | None = None
    html: str | None = None
    text: str | None = None
    raw: bytes | None = None
    kind: str = "text"
    charset: str | None = None
    fetched: str | None = None  # when it was captured (a WARC record's WARC-Date), ISO 8601


@dataclass(slots=True)
class Removal:
    """One piece of text removed from a page and the rule that removed it."""

    rule: str
    text: str
    score: float | None = None  # the model's probability, for removals by a learned model


@dataclass(slots=True)
class Section:
    """A numbered heading (or label heading) and what belongs to it."""

    marker: str
    number: int | None
    level: int
    title: str
    text: str = ""
    children: list[Section] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The node as JSON (the fields in order, children recursively): what
        `dataclasses.asdict` gives, without its deep copies."""
        return {
            "marker": self.marker,
            "number": self.number,
            "level": self.level,
            "title": self.title,
            "text": self.text,
            "children": [c.to_dict() for c in self.children],
        }


@dataclass(slots=True)
class Record:
    """One document: the output record of the contract (see docs/contract.md)."""

    text: str
    title: str | None
    source: dict[str, Any]
    sections: list[Section] = field(default_factory=list)
    job: dict[str, Any] | None = None
    flags: list[str] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    duplicate_of: str | None = None

    @property
    def id(self) -> str:
        """Stable id: the same clean text always gives the same id."""
        return text_id(self.text)

    def to_dict(self) -> dict[str, Any]:
        """The record as the JSON object of the contract, every field present."""
        return {
            "id": self.id,
            "source": dict(self.source),
            "title": self.title,
            "text": self.text,
            "sections": [s.to_dict() for s in self.sections],
            "job": self.job,
            "flags": list(self.flags),
            "removed": [{"rule": r.rule, "text": r.text, "score": r.score} for r in self.removed],
            "duplicate_of": self.duplicate_of,
        }


def text_id(text: str) -> str:
    """A 16-hex-digit id derived from the text alone."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()
