"""Numbered headings into a section tree, even when line breaks were lost.

Levels are not fixed per marker style: a document's styles get their depth by first appearance.
A marker is taken as a heading when it continues its style's sequence on the open stack (the
next number; at a line start also a small gap, a repeat or a restart at 1), or when it opens a
new, deeper style at its first value. Markers in the middle of a line must continue a sequence
exactly, or open a sublist right after a heading's title (`三、岗位职责 1.开发客户；2.…`);
enumerations inside running text (`须满足：一、…；二、…`) are not headings. Unnumbered label
headings (`任职资格：本科…`, `岗位职责：` alone on a line) become nodes with an empty marker.

Everything is kept: the preamble (text before the first heading) plus each node's marker, title
and text, in tree order, give back the document's text (up to whitespace and the colon that
separates a title from its text).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .chartable import to_simplified
from .doc_words import DocumentWords, document_words
from .document import Section
from .markers import STRONG_STYLES, Marker, find_markers

LABEL_STYLE = "label"
_SENTENCE_END = re.compile(r"[。；;！？!?]")
_TITLE_COLON = re.compile(r"^([^:：。；;，,！？!?]{1,24})\s*[:：]\s*")
_BULLET = re.compile(r"^[\s\-•·*]*")
_LABEL_ALONE = re.compile(r"^([^\s:：。；;，,！？!?]{2,14})\s*[:：]$")


_ENDS_SENTENCE = re.compile(r"[。！？!?]\s*$")
_ENDS_COLON = re.compile(r"[:：]\s*$")
_TAIL = re.compile(r"(?<![^。；;！？!?:：,，\s])[^。；;！？!?:：,，\s]+$")  # from a run's start: linear


def _title_tail(since: str) -> bool:
    """The text just before a marker ends in a title-like run (`…NAME电工岗位职责一、`)."""
    m = _TAIL.search(since.rstrip())
    return m is not None and 2 <= len(m.group(0)) <= 30


@dataclass
class _Open:
    style: str
    last: int
    node: Section


def _is_title_like(text: str, limit: int = 30) -> bool:
    text = text.strip()
    return 0 < len(text) <= limit and not _SENTENCE_END.search(text) and "," not in text and "，" not in text


TITLE_MAX = 60
"""A title is never longer: a longer first sentence keeps its first clause as the title."""
_CLAUSE_END = re.compile(r"[，,；;]|\s{2,}")
_LIST_COMMA = re.compile(r"、")
_AFTER_MARKER = re.compile(r"^\s*(?:[:：]+|[—–]+)?\s*")
_ENCLOSED = re.compile(r"^[【\[〖［]([^【】\[\]〖〗［］]+)[】\]〗］]$")


def split_title(segment: str) -> tuple[str, str]:
    """A heading's own words and the rest: `客户关系维护:建立…` → (`客户关系维护`, `建立…`).

    A numbered sentence keeps the whole first sentence as its title, up to TITLE_MAX
    characters: past that, its first clause (a flattened table or a paragraph glued to its
    heading is not a title).
    """
    # `第一部分：总则`, `第二章——职责`: the colon or dash parts the marker from its title
    segment = _AFTER_MARKER.sub("", segment, count=1).rstrip()
    m = _TITLE_COLON.match(segment)
    if m:
        title, text = m.group(1).strip(), segment[m.end() :].strip()
    else:
        end = _SENTENCE_END.search(segment)
        if end and end.end() < len(segment):
            title, text = segment[: end.end()].strip(), segment[end.end() :].strip()
        else:
            title, text = segment, ""
    if m := _ENCLOSED.match(title):  # `一、【岗位职责】`: the brackets decorate the words
        title = m.group(1).strip()
    if len(title) <= TITLE_MAX:
        return title, text
    # a clause's comma first; an enumeration's 、 (`通过电话、上门拜访…`) only when there is none
    clause = _CLAUSE_END.search(title, 4, TITLE_MAX) or _LIST_COMMA.search(title, 4, TITLE_MAX)
    cut = clause.end() if clause else TITLE_MAX
    return title[:cut].strip(), title[cut:].strip() + text


class _TreeBuilder:
    """Accepts or rejects markers against the stack of open styles, and builds the tree."""

    def __init__(self) -> None:
        self.roots: list[Section] = []
        self.stack: list[_Open] = []
        self.preamble: list[str] = []
        self.closed: dict[str, int] = {}  # the last number of each style a heading above closed
        self.ahead: Sequence[str] = ()  # the lines after the current one (a few)

    def depth_of(self, style: str) -> int:
        """The depth a label opens at: beside an open label, else below everything open."""
        for k in range(len(self.stack) - 1, -1, -1):
            if self.stack[k].style == style:
                return k
        return len(self.stack)

    def accepts(
        self,
        marker: Marker,
        at_start: bool,
        after_title: bool,
        since: str,
        inner: set[str],
        heads_a_list: bool = False,
    ) -> int | None:
        """Where the marker goes: the stack depth it continues or opens; None to reject it."""
        family = _family(marker.style)
        found = [k for k in range(len(self.stack) - 1, -1, -1) if _family(self.stack[k].style) == family]
        # The list the number continues exactly, the innermost first; then a slip or a skip in
        # the innermost that takes it: `3. 任职资格` ⏎ `1.`…`4. 素质要求` ⏎ `4. 职业发展` continues
        # the outer list (3 → 4), not the sublist again.
        for k in found:
            if marker.number == self.stack[k].last + 1:
                return k if at_start or marker.style not in inner else None
        for k in found:
            last = self.stack[k].last
            # the same number again is a slip, unless a bare title numbered 1 is followed by a
            # 1: then its items begin (`1. 岗位职责` ⏎ `1. 负责…`; `2. 任职要求` resumes it); or a
            # 1 under a label opened inside that item (`1. 前厅部经理` ⏎ `岗位职责:` ⏎ `1. 制订…`) or
            # after its text announced a list (`…主要分为以下五类:` ⏎ `1. 行政文员:…`)
            again = marker.number == last and not (
                last == 1
                and (
                    (self._bare(k) and _is_title_like(self.stack[k].node.title))
                    or self._label_below(k)
                    or self._announces_a_list(k)
                )
            )
            if at_start and (again or last < marker.number <= last + 3):
                return k
        if found:
            if not (at_start and marker.number == 1):
                return None
            # A restart at 1: a new list inside the current item, or the same flat list again.
            # Inside when something else is open below the list, when the list's current item
            # is a bare title so far (`2. 职务说明` then `1. 职务概要`: its parts follow), or when
            # its text announced a list (`…分为以下五类:`).
            inside = (
                found[0] < len(self.stack) - 1 or self._bare(found[0]) or self._announces_a_list(found[0])
            )
            return len(self.stack) if inside else found[0]
        if not self.stack:
            # The document's first heading. At a line start an excerpt may begin at 四、, but a
            # lone list number (2.) there is more often residue; mid-line it must follow a title
            # or a finished sentence.
            if at_start:
                # An excerpt may start at `4、` when `4.1` follows: its own decimals vouch for it.
                vouched = marker.number is not None and self._decimals_follow(marker.number)
                return 0 if marker.number == 1 or marker.style in STRONG_STYLES or vouched else None
            if marker.number != 1:
                return None
            after_colon = marker.style in STRONG_STYLES and _ENDS_COLON.search(since)
            # Or it heads a list of its own: `…修正第一章 总则第一条 为了…` (a chapter run into its
            # first article when a law's line breaks are lost).
            evidence = _title_tail(since) or _ENDS_SENTENCE.search(since) or after_colon or heads_a_list
            return 0 if evidence else None
        if marker.number != 1:
            # Numbering that runs on under the next parent (第三条 under 第二章, after 第二条).
            runs_on = marker.number is not None and self.closed.get(marker.style) == marker.number - 1
            return len(self.stack) if runs_on and (at_start or after_title) else None
        return len(self.stack) if at_start or after_title else None

    def _bare(self, k: int) -> bool:
        """Whether the open node at depth k is the innermost and a bare title so far."""
        head = self.stack[k].node
        return not head.text and not head.children and k == len(self.stack) - 1

    def _label_below(self, k: int) -> bool:
        """Whether a label is open inside the item at depth k."""
        return any(o.style == LABEL_STYLE for o in self.stack[k + 1 :])

    def _announces_a_list(self, k: int) -> bool:
        """Whether the innermost item's text so far ends with a colon."""
        head = self.stack[k].node
        return k == len(self.stack) - 1 and not head.children and bool(_ENDS_COLON.search(head.text))

    def _decimals_follow(self, number: int) -> bool:
        return any((m := _FIRST_DECIMAL.match(line)) and int(m.group(1)) == number for line in self.ahead)

    def open(
        self, depth: int, marker_text: str, style: str, number: int | None, title: str, text: str
    ) -> Section:
        """Open a node at a stack depth, closing everything at that depth and below."""
        for closing in self.stack[depth:]:
            self.closed[closing.style] = closing.last
        del self.stack[depth:]
        node = Section(marker=marker_text, number=number, level=len(self.stack) + 1, title=title, text=text)
        (self.stack[-1].node.children if self.stack else self.roots).append(node)
        self.stack.append(_Open(style, number or 0, node))
        return node

    def add_text(self, text: str) -> None:
        text = text.strip()
        if not text:
            return
        if self.stack:
            node = self.stack[-1].node
            node.text = f"{node.text}\n{text}" if node.text else text
        else:
            self.preamble.append(text)


def segment_with_preamble(lines: Sequence[str]) -> tuple[str, list[Section]]:
    """The preamble (text before the first heading) and the section tree of a document."""
    tree = _TreeBuilder()
    for i, line in enumerate(lines):
        tree.ahead = lines[i + 1 : i + 4]
        _segment_line(tree, line)
    return "\n".join(tree.preamble), tree.roots


def segment(lines: Sequence[str]) -> list[Section]:
    """The section tree of one document's lines."""
    return segment_with_preamble(lines)[1]


_FIRST_DECIMAL = re.compile(r"^\s*(\d{1,2})[.．]1(?!\d)")  # `4.1` opening the decimals of 4
_FAMILIES = {"cn.": "cn、"}  # `四.` after `三、` continues the same list


def _family(style: str) -> str:
    """Styles one sequence may switch between: Chinese numerals with 、 or . (a typist's slip)."""
    return _FAMILIES.get(style, style)


def _heads_a_list(line: str, i: int, markers: Sequence[Marker]) -> bool:
    """A strong marker numbered 1 whose short title is followed by another style's first
    marker: `第一章 总则第一条`."""
    marker = markers[i]
    if marker.style not in STRONG_STYLES or marker.number != 1:
        return False
    # the next marker that does not overlap this one: among the next few (markers are sorted)
    nxt = next((m for m in markers[i + 1 : i + 4] if m.start >= marker.end), None)
    return (
        nxt is not None
        and nxt.style != marker.style
        and nxt.number == 1
        and _is_title_like(line[marker.end : nxt.start], 12)
    )


def _segment_line(tree: _TreeBuilder, line: str) -> None:
    lead = _BULLET.match(line).end()  # type: ignore[union-attr]
    inner: set[str] = set()
    current: Section | None = None  # the node opened by the last accepted marker of this line
    cut = 0  # where the text not yet given to a node starts
    last_end: int | None = None
    markers = find_markers(line)
    ink_end = len(line.rstrip())
    following = _next_of_same_style(markers)
    if _label_glued_to_first_item(line, lead, markers, tree.ahead):
        # `岗位职责1、负责…` with `2、…` on the next line: the label, then its first item
        tree.open(
            tree.depth_of(LABEL_STYLE), "", LABEL_STYLE, None, line[lead : markers[0].start].strip(" :："), ""
        )
        lead = cut = markers[0].start
    # Every test of a marker looks at its own neighbourhood, never at the whole line before or
    # after it: a 60,000-character line with thousands of markers stays linear.
    for i, marker in enumerate(markers):
        if marker.start < cut or marker.style == "第篇":
            continue  # `第一篇`: a part of the page (documents are split there), not a section
        if marker.start != lead and marker.end >= ink_end:
            continue  # `…说明书(1)`: a number ending a line is part of it, not a heading
        nxt = following[i]
        if (
            current is None
            and not tree.stack
            and _inline_enumeration(line, marker, None if nxt is None else markers[nxt])
        ):
            inner.add(marker.style)
            continue
        at_start = marker.start == lead and current is None
        # what runs from the last accepted marker to this one; its end is what the tests read
        since = line[max(last_end or 0, marker.start - SINCE_WINDOW) : marker.start]
        after_title = current is not None and _is_title_like(since, 20)
        first_of_run = not tree.stack and marker.number == 1 and not at_start
        evidence = _heads_a_list(line, i, markers) or (
            first_of_run and _sequence_follows(line, i, markers, following)
        )
        nxt_marker = None if nxt is None else markers[nxt]
        if not at_start and (label := _mid_line_label(line, cut, marker, nxt_marker)):
            # `…支撑。任职资格：1、…2、…`: the next part's label run into the line, its list after
            # it; beside an open label, else in place of the list the line's items were on
            at, words = label
            _give(tree, current, line[cut:at])
            same = [k for k, o in enumerate(tree.stack) if _family(o.style) == _family(marker.style)]
            tree.open(min([tree.depth_of(LABEL_STYLE), *same[:1]]), "", LABEL_STYLE, None, words, "")
            current = tree.open(len(tree.stack), marker.text, marker.style, marker.number, "", "")
            cut = last_end = marker.end
            continue
        depth = tree.accepts(marker, at_start, after_title, since, inner, evidence)
        if depth is None:
            if not at_start and marker.number == 1:
                inner.add(marker.style)  # an enumeration inside the text: its siblings are not headings
            continue
        _give(tree, current, line[cut : marker.start])
        current = tree.open(depth, marker.text, marker.style, marker.number, "", "")
        cut = last_end = marker.end
    if current is None:
        _label_or_text(tree, line)
    else:
        _give(tree, current, line[cut:])


_GLUED_LABEL = re.compile(r"([\u4e00-\u9fff]{2,8})\s*([:：]?)")  # `岗位职责1、…`, `职责：1、…`


def _label_glued_to_first_item(line: str, lead: int, markers: Sequence[Marker], ahead: Sequence[str]) -> bool:
    """A short label run into the first item of its list (`岗位职责1、负责…`), which the next
    line's `2、` at its start continues, or a `2、` of the same style later on this line (a
    posting printed as one paragraph: `岗位职责：1、…；2、…`): the sequence vouches for the item,
    and the label heads it."""
    if not markers or markers[0].number != 1 or markers[0].start <= lead:
        return False
    m = _GLUED_LABEL.fullmatch(line[lead : markers[0].start].strip())
    if not m or (m.group(2) and not _label_word(document_words()).search(to_simplified(m.group(1)))):
        return False  # with a colon, only a section's label (`须满足：一、…二、…` is a sentence)
    first = markers[0]
    if any(x.style == first.style and x.number == 2 for x in markers[1:]):
        return True
    nxt = find_markers(ahead[0]) if ahead else ()
    return bool(nxt) and nxt[0].start <= 1 and nxt[0].style == first.style and nxt[0].number == 2


_TAIL_LABEL = re.compile(
    r"(?:^|[。；;！？!?])\s*(?:【([\u4e00-\u9fff]{2,8})】\s*[:：]?|([\u4e00-\u9fff]{2,8})\s*[:：])\s*$"
)


def _mid_line_label(line: str, cut: int, marker: Marker, nxt: Marker | None) -> tuple[int, str] | None:
    """A section's label with its colon (or in 【】) after a finished sentence, right before a `1、` whose
    `2、` follows on the line (`…技术支撑。任职资格：1、…；2、…`): where the label starts, and its
    words. Only a section's label (`须满足：一、…` is a sentence's enumeration)."""
    if marker.number != 1 or nxt is None or nxt.number != 2:
        return None
    m = _TAIL_LABEL.search(line, max(cut, marker.start - 20), marker.start)
    group = 1 if m is not None and m.group(1) else 2
    if m is None or not _label_end(document_words()).search(to_simplified(m.group(group))):
        return None
    return m.start(group) - (group == 1), m.group(group)


@functools.cache
def _label_end(words: DocumentWords) -> re.Pattern[str]:
    """Words that end in a section word and nothing after it (`任职资格`, not `其具体职权为`)."""
    return re.compile(rf"(?:{words.label_endings})$")


SINCE_WINDOW = 200
"""How much of the text before a marker its tests read (they read its end: a title, a colon)."""


def _next_of_same_style(markers: Sequence[Marker]) -> list[int | None]:
    """For each marker, the index of the next one of its style (one pass from the end)."""
    out: list[int | None] = [None] * len(markers)
    last: dict[str, int] = {}
    for i in range(len(markers) - 1, -1, -1):
        out[i] = last.get(markers[i].style)
        last[markers[i].style] = i
    return out


def _sequence_follows(line: str, i: int, markers: Sequence[Marker], following: Sequence[int | None]) -> bool:
    """`…生效日期一、岗位设置目的…。二、主要职责…三、…`: the marker's own style goes on in the
    line, 2 after a finished sentence, then 3. A document run into one line whose opening is a
    flattened table (no punctuation before its first heading) still shows its headings so."""
    second = following[i]
    if second is None or markers[second].number != 2:
        return False
    before = line[max(0, markers[second].start - SINCE_WINDOW) : markers[second].start]
    third = following[second]
    return bool(_ENDS_SENTENCE.search(before)) and third is not None and markers[third].number == 3


def _inline_enumeration(line: str, marker: Marker, nxt: Marker | None) -> bool:
    """`须满足：一、持CPA证书；二、三年审计经验。`: short items after a colon, joined by semicolons."""
    before = line[max(0, marker.start - SINCE_WINDOW) : marker.start]
    if marker.number != 1 or not _ENDS_COLON.search(before):
        return False
    if nxt is None or nxt.number != 2:
        return False
    between = line[marker.end : nxt.start].rstrip()
    return len(between) <= 40 and between[-1:] in ("；", ";", "，", ",")


def _give(tree: _TreeBuilder, node: Section | None, segment: str) -> None:
    """A piece of a line: the title and text of the node its marker opened, else running text."""
    if node is None:
        tree.add_text(segment)
        return
    node.title, node.text = split_title(segment)


@functools.cache
def _label_word(words: DocumentWords) -> re.Pattern[str]:
    """A word ending in a section word (documents.toml `label_endings`): `职责`, `任职要求`."""
    return re.compile(rf"(?:{words.label_endings})[^\s:：。；;，,]{{0,4}}$")


@functools.cache
def _label_line(words: DocumentWords) -> re.Pattern[str]:
    """A section label and its text (`任职资格：本科…`): a label ending in a section word
    (documents.toml); field names such as 岗位名称 are not sections."""
    return re.compile(
        rf"^([^\s:：。；;，,！？!?()（）]{{2,14}}?(?:{words.label_endings})[^\s:：。；;，,]{{0,4}})\s*[:：]\s*(.*)$"
    )


def _label_or_text(tree: _TreeBuilder, line: str) -> None:
    starts_numbered = any(mk.start < 6 for mk in find_markers(line))
    # label words are read in simplified script; the label and its text are cut from the line
    m = (
        None
        if starts_numbered
        else (_label_line(document_words()).match(to_simplified(line)) or _LABEL_ALONE.match(line))
    )
    if m:
        rest = line[m.start(2) : m.end(2)] if m.lastindex and m.lastindex >= 2 else ""
        tree.open(
            tree.depth_of(LABEL_STYLE), "", LABEL_STYLE, None, line[m.start(1) : m.end(1)], rest.strip()
        )
        return
    tree.add_text(line)
