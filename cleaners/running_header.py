"""Running headers and footers: a line a PDF printed at the top or foot of every page.

A document saved from a PDF keeps the line its pages repeat (the company's name over each page,
`- 3 -` under it, the document's title again) between its paragraphs, wherever a page broke. No
wording says so; the repetition inside one document does: the same short line (digits compared
as 0) three times or more, never two in a row, holding four CJK characters or more. Kept: lines
that are part of the document's own structure when repeated (a section label such as 岗位职责
heading each role of a compilation, a field key such as 岗位名称, a numbered heading, a title
naming a document that opens each part of a page of several documents, a lead-in followed by a
numbered list), and the first occurrence when it is among the document's first lines (its title).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from itertools import pairwise

from .charclass import CJK, HEADING_START, SENTENCE_PUNCT
from .chartable import to_simplified
from .document import Removal
from .markers import find_markers
from .site_template import fold

RULE = "generic/running-header"
MAX_CHARS = 40  # a header or footer line, not a paragraph
MIN_TIMES = 3
MIN_GAP = 3  # lines between two occurrences at least (a list repeating a short item is not one)
MIN_CJK = 4  # a name or a title: table cells (`15 %`, `工作`) repeat too
TITLE_LINES = 3  # a first occurrence this near the top is the document's title: kept
_SPACE = re.compile(r"\s+")


def _leads_lists(lines: Sequence[str], where: Sequence[int]) -> bool:
    """Whether the line opens a list where it stands (half its occurrences or more are followed
    by an item numbered 1): a lead-in each part of the document repeats (`(具备以下条件之一者)`).
    A header that falls inside a list is followed by its next item, numbered on."""
    return 2 * sum(1 for i in where if i + 1 < len(lines) and _starts_a_list(lines[i + 1])) >= len(where)


def _starts_a_list(line: str) -> bool:
    markers = find_markers(_SPACE.sub("", line))
    return bool(markers) and markers[0].start == 0 and markers[0].number == 1


def _key(line: str) -> str:
    return fold(to_simplified(line))  # as site templates compare lines: digits as 0, no spaces


def cut_running_headers(
    lines: Sequence[str], structural: Callable[[str], bool]
) -> tuple[list[str], list[Removal]]:
    """The lines without a running header's repeats, and a removal for each. `structural`
    says whether a line is one a document repeats by its structure (labels, keys, titles)."""
    at: dict[str, list[int]] = defaultdict(list)
    for i, line in enumerate(lines):
        if 2 <= len(line) <= MAX_CHARS:
            at[_key(line)].append(i)
    drop: set[int] = set()
    for where in at.values():
        if len(where) < MIN_TIMES or min(b - a for a, b in pairwise(where)) < MIN_GAP:
            continue
        line = lines[where[0]]
        if (
            len(CJK.findall(line)) < MIN_CJK
            or HEADING_START.match(line)
            or SENTENCE_PUNCT.search(line[-1:])
            or structural(line)
            or _leads_lists(lines, where)
        ):
            continue
        drop.update(where[1:] if where[0] < TITLE_LINES else where)
    if not drop:
        return list(lines), []
    return (
        [ln for i, ln in enumerate(lines) if i not in drop],
        [Removal(RULE, lines[i]) for i in sorted(drop)],
    )
