"""Sentences of the document copied above it as a teaser (an SEO opener that quotes the body).

Copy-and-paste sites open a page with its own sentences (`二、公司倡导…。三、公司通过…` above the
title, then the document from `一、`), so the copy heads the section tree with the wrong number
and is read twice. No wording says it is a teaser; the repetition does: a line among the page's
first lines whose first full sentence the page prints again further down is the copy, and the
text further down is the document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .document import Removal

RULE = "generic/teaser-copy"
HEAD_LINES = 5  # where teasers sit
MIN_CHARS = 20  # a sentence, not a title or a label that a page may well repeat
MIN_LINES = 8  # a page this short has no room for a teaser
_FIRST_SENTENCE = re.compile(r"^[^。！？!?；;]+[。！？!?；;]")


def cut_teaser_copies(lines: Sequence[str]) -> tuple[list[str], list[Removal]]:
    """The lines without head copies of later sentences, and a removal for each copy."""
    if len(lines) < MIN_LINES:
        return list(lines), []
    kept: list[str] = []
    removed: list[Removal] = []
    for i, line in enumerate(lines):
        # the head counted in kept lines: a second pass looks at the same lines (idempotent)
        m = _FIRST_SENTENCE.match(line.strip()) if len(kept) < HEAD_LINES else None
        if m and len(m.group(0)) >= MIN_CHARS and any(m.group(0) in later for later in lines[i + 1 :]):
            removed.append(Removal(RULE, line))
            continue
        kept.append(line)
    return kept, removed
