"""范文-farm openers: the sentences a content farm puts between the title and the text.

Farms open every page with words of their own: a sentence about the genre, a rhetorical question
to the reader, and the hand-over (`下面是…为大家整理的…，供您参考`). The wordings vary from farm
to farm (小编, 网友, 我, 带来, 整理 …), so no phrase list keeps up; what they share is grammar:
the text is handed over to a reader who is addressed, and a question to that reader comes just
before. Among a page's first lines:

- a sentence that hands the text over, in a paragraph that addresses the reader, is the farm's;
- a paragraph with a rhetorical question that addresses the reader, or that comes right before
  a hand-over, is the farm's up to its last such sentence: the genre sentence that leads up to
  the question goes with it (a few sentences: a run-together page that asks a question deep
  inside is not cut up to there).

A document's own sentences before a bare hand-over (no question) stay.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .boilerplate import matching_view
from .charclass import HEADING_START
from .document import Removal
from .profiles import OpenerGrammar

RULE = "generic/farm-opener"
TITLE_CHARS = 40  # a first line this short is the page's title, even when it asks a question
MAX_LEAD_CHARS = 400  # an opener's lead-up to its question is a few sentences, not a page
_SENTENCE = re.compile(r"[^。！？!?]+(?:[。！？!?]+[”’」』\"]?|$)")


def cut_openers(lines: Sequence[str], grammar: OpenerGrammar | None) -> tuple[list[str], list[Removal]]:
    """The lines without the farm's opener sentences among the first `head_lines`."""
    if grammar is None or not lines:
        return list(lines), []
    head = min(grammar.head_lines, len(lines))
    views = [matching_view(ln) for ln in lines[: head + 1]]
    if not any(grammar.reader.search(v) or "?" in v or "？" in v for v in views[:head]):
        return list(lines), []  # no reader addressed and no question: the usual page, at once
    # per line: its sentences, and which of them hand the text over (when the line addresses the
    # reader) or ask; the line after the head is read too, for "right before a hand-over"
    read = [_read(ln, v, grammar) for ln, v in zip(lines[: head + 1], views, strict=True)]
    out = list(lines)
    removed: list[Removal] = []
    for i in range(head):
        view = views[i]
        if HEADING_START.match(view) or (i == 0 and len(view) <= TITLE_CHARS):
            continue
        sentences, offer, asks, reader = read[i]
        next_hands_over = i + 1 < len(read) and any(read[i + 1][1])
        cut = list(offer)
        if any(asks) and (reader or next_hands_over):
            last = max(k for k in range(len(sentences)) if asks[k] or offer[k])
            if sum(map(len, sentences[: last + 1])) <= MAX_LEAD_CHARS:
                cut[: last + 1] = [True] * (last + 1)
        if not any(cut):
            continue
        gone = "".join(s for s, c in zip(sentences, cut, strict=True) if c)
        out[i] = "".join(s for s, c in zip(sentences, cut, strict=True) if not c).strip()
        removed.append(Removal(RULE, gone.strip()))
    return [ln for ln in out if ln], removed


def _read(line: str, view: str, grammar: OpenerGrammar) -> tuple[list[str], list[bool], list[bool], bool]:
    """A line's sentences, which hand the text over (only when the line addresses the reader),
    which ask, and whether it addresses the reader."""
    sentences = _SENTENCE.findall(line)
    reader = bool(grammar.reader.search(view))
    seen = [matching_view(x) for x in sentences]
    offer = [reader and bool(grammar.offer.search(x)) for x in seen]
    asks = [bool(grammar.question.search(x.strip())) for x in seen]
    return sentences, offer, asks, reader
