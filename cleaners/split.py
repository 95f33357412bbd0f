"""Split a page's lines into the documents it holds.

A new document starts at a title line that names a part (`…岗位说明书(1)`, `… 篇2`, `第3篇`,
`【第2篇】…`) or that names a document (`…岗位说明书`, `…管理制度`) and is followed by numbering
that restarts at the first value of the page's top-level style. A page that announces several
documents (`(通用3篇)`, `合集`) lets the title's own lines introduce the first part. Section
labels such as `岗位职责` are never document titles.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .charclass import PINYIN_GLOSS
from .chartable import to_simplified
from .doc_words import DocumentWords, document_words
from .markers import STRONG_STYLES, cn_to_int, find_markers

_PART_TITLE = re.compile(
    r"(?:\s篇\s*\d{1,2}|篇[一二三四五六七八九十\d]{1,3}|[(（]\d{1,2}[)）])$|^(?:推荐)?第[一二三四五六七八九十\d]{1,3}篇|^【第\d{1,3}篇】"
)
_SENTENCE = re.compile(r"[。；;！？!?，,:：]")
_PROSE = re.compile(r"[。；;！？!?，,]")
_FIRST_VALUE = {1}


@dataclass(frozen=True)
class _Patterns:
    """The splitter's patterns over the installed document words (documents.toml)."""

    doc_type: re.Pattern[str]  # a title naming a document's kind: `…岗位说明书`, `…制度范本2`
    section_only: re.Pattern[str]  # `岗位职责`, `岗位任职要求`, `基础要求`: a part of one document
    glued_title: re.Pattern[str]  # `客户经理岗位职责说明书一、…`, `客服主管岗位说明书岗位名称:…`
    glued_part: re.Pattern[str]  # `推荐第2篇` or `第2篇:` (a `第3篇` cited in a sentence has neither)
    kind_end: re.Pattern[str]  # a title that ends in a document's kind: `…岗位职责`


@functools.cache
def _patterns(words: DocumentWords) -> _Patterns:
    glued = rf"[^\s。；;，,:：!?！？]{{2,30}}?(?:{words.glued_kinds})"
    return _Patterns(
        doc_type=re.compile(rf"(?:{words.kinds})(?:{words.collection_words})?\d{{0,2}}$"),
        section_only=re.compile(rf"^(?:{words.section_heads}){{0,3}}(?:{words.section_kinds})\d{{0,2}}$"),
        glued_title=re.compile(
            rf"^({glued})(?=(?:\1)?[^。；;]{{0,24}}?(?:一、|1[.、．]|第一[章条])|[\u4e00-\u9fff]{{2,6}}[:：][^\s:：])"
        ),
        kind_end=re.compile(rf"(?:{words.kinds})$"),
        glued_part=re.compile(
            r"(?:推荐第(?P<n>[一二三四五六七八九十]{1,3}|\d{1,2})篇[:：]?|第(?P<m>[一二三四五六七八九十]{1,3}|\d{1,2})篇[:：])"
            rf"(?P<title>{glued}(?=\S))?"
        ),
    )


@dataclass(frozen=True, slots=True)
class DocumentPart:
    """One document of a page: its title line when the splitter found one, and its lines."""

    title: str | None
    lines: list[str]


def names_a_part(line: str) -> bool:
    """Whether a line is one a page of several documents repeats by its structure: a title
    naming a document's kind, a part's number or a section label (read on the simplified view)."""
    view = to_simplified(line.strip())
    pat = _patterns(document_words())
    return bool(pat.doc_type.search(view) or pat.section_only.match(view) or _PART_TITLE.search(view))


def _is_title_line(line: str) -> bool:
    return 2 <= len(line) <= 48 and not _SENTENCE.search(line) and not _starts_with_marker(line)


def _starts_with_marker(line: str) -> bool:
    markers = find_markers(line)
    return bool(markers) and markers[0].start == 0 and not markers[0].style.startswith("第篇")


def _leading_marker(line: str) -> tuple[str, int] | None:
    markers = find_markers(line)
    return (markers[0].style, markers[0].number) if markers and markers[0].start == 0 else None


def _first_marker(lines: Sequence[str], start: int) -> tuple[str, int] | None:
    """Style and number of the first marker at a line start within the next two lines."""
    return next((m for line in lines[start : start + 2] if (m := _leading_marker(line))), None)


def _styles(lines: Sequence[str]) -> set[str]:
    """The styles of the line-start markers of some lines."""
    return {m[0] for line in lines if (m := _leading_marker(line))}


def _top_style(lines: Sequence[str]) -> str | None:
    """The style of the first line-start marker: the page's top-level numbering."""
    return next((m[0] for line in lines if (m := _leading_marker(line))), None)


def _glued_title(lines: Sequence[str], views: Sequence[str], i: int, starts: list[int]) -> str | None:
    """A line that begins with a new document's title glued to its first heading or its first
    key–value field, after a finished document: `客户经理岗位职责说明书一、岗位概述…`,
    `客服主管岗位说明书岗位名称:客服主管…`. Found on the simplified view, cut from the line."""
    pat = _patterns(document_words())
    view, at, m = views[i], 0, None
    if (head := _REPEATED_HEAD.match(view)) and pat.doc_type.search(head.group(1)):
        # the site's title printed twice or more before the document's own, run together
        at, m = head.end(), pat.glued_title.match(view[head.end() :])
    if m is None:
        at, m = 0, pat.glued_title.match(view)
    if not m or _starts_with_marker(lines[i]) or pat.section_only.match(m.group(1)) or i - starts[-1] < 3:
        return None
    if _continues_a_label(m.group(1), views[starts[-1] : i]):
        return None
    return lines[i][at + m.start(1) : at + m.end(1)]


_REPEATED_HEAD = re.compile(r"^([^\s。；;，,:：!?！？]{6,30}?)\1+")


_ORDINAL_LABEL = re.compile(r"([\u4e00-\u9fff]{1,4}?)([一二三四五六七八九十]{1,3}|\d{1,2})")


def _continues_a_label(title: str, before: Sequence[str]) -> bool:
    """Whether a would-be title opens with a numbered label that continues one of the part's
    lines (`职责一` … then `职责二职责描述:…`): the next item of a sequence, not a new document."""
    m = _ORDINAL_LABEL.match(title)
    if not m:
        return False
    raw = m.group(2)
    n = int(raw) if raw.isdigit() else cn_to_int(raw)
    if n is None or n < 2:
        return False
    label, prev = m.group(1), n - 1
    forms = (label + str(prev), label + _CN_DIGITS[prev]) if prev < len(_CN_DIGITS) else (label + str(prev),)
    return any(line.startswith(forms) for line in before)


_CN_DIGITS = ("", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十")


def cut_glued_parts(lines: Sequence[str]) -> list[str]:
    """Lines cut where a part of the page starts inside a line, as a page whose paragraphs ran
    together prints them: before each part marker (`…的罚款。推荐第2篇:设备维修人员岗位职责设备…`)
    and after its title when one ends in a document word, and around a numbered part title
    (`…其它任务。外贸跟单员的工作职责 篇21. 主要工作…`). Only numbers that go on in order
    through the page (第1篇, 第2篇 …; 篇1, 篇2 … after one repeated title: sequence evidence) are
    cut, so a `第3篇` named in a sentence stays where it is. A line break inside a numbered title
    (`…岗位职责` / `21、…`, where a re-lined blob broke before what looked like a marker) is
    closed: the title and its number make one line."""
    return _cut_glued(lines)[0]


def _cut_glued(lines: Sequence[str]) -> tuple[list[str], set[int]]:
    """`cut_glued_parts`, and which of the lines it gives open with a numbered part title."""
    views = [to_simplified(line) for line in lines]  # same lengths: cuts found there apply here
    page = _Joined.of(views)
    cuts = {page.opens[k] + at for k, ats in _part_marker_cuts(views).items() for at in ats}
    titles = _numbered_titles(page)
    if not cuts and not titles:
        return list(lines), set()
    inside = {p for a, b in titles for p in page.opens if a < p < b}
    cuts.update(x for span in titles for x in span)
    text = "".join(lines)
    bounds = sorted({0, len(text), *cuts, *(set(page.opens) - inside)})
    starts = {a for a, _ in titles}
    out: list[str] = []
    opened: list[int] = []
    for a, b in itertools.pairwise(bounds):
        if piece := text[a:b].strip():
            if a in starts:
                opened.append(len(out))
            out.append(piece)
    return out, _parts_not_links(opened)


def numbered_part_titles(lines: Sequence[str]) -> set[int]:
    """The lines that hold the start of a part title of the page's numbered sequence
    (`外贸业务员岗位职责1`, `…2`, `…3`): structure by sequence evidence, which no line-by-line judge
    may take for a related-documents entry (the last part of a cut page sits where such lists do)."""
    page = _Joined.of(lines)  # as printed: a page prints its titles in one script (kinds are read simplified)
    return _parts_not_links(bisect.bisect_right(page.opens, a) - 1 for a, _ in _numbered_titles(page))


def _parts_not_links(title_lines: Iterable[int]) -> set[int]:
    """The lines of numbered titles, unless two stand on consecutive lines: then they are a list
    of links to a compilation's parts, not parts of this page."""
    found = sorted(set(title_lines))
    return set() if any(b - a <= 1 for a, b in itertools.pairwise(found)) else set(found)


@dataclass(frozen=True, slots=True)
class _Joined:
    """A page's lines run together, and where each line started: numbered titles are found
    wherever the page's line breaks fell (a title may end one line and its number open the next)."""

    text: str
    opens: list[int]  # each line's start in `text`, ascending
    open_set: frozenset[int]

    @classmethod
    def of(cls, lines: Sequence[str]) -> _Joined:
        opens = list(itertools.accumulate((len(line) for line in lines[:-1]), initial=0)) if lines else []
        return cls("".join(lines), opens, frozenset(opens))

    def crosses_a_line(self, a: int, b: int) -> bool:
        """Whether a line starts strictly between a and b."""
        k = bisect.bisect_right(self.opens, a)
        return k < len(self.opens) and self.opens[k] < b


def _part_marker_cuts(lines: Sequence[str]) -> dict[int, set[int]]:
    """Where `推荐第N篇` / `第N篇:` markers numbered 1, 2, … in order start (and their titles end)."""
    glued_part = _patterns(document_words()).glued_part
    found = [(k, m) for k, line in enumerate(lines) for m in glued_part.finditer(line)]
    raw = [m["n"] or m["m"] for _, m in found]
    numbers = [int(x) if x.isdigit() else cn_to_int(x) for x in raw]
    if len(found) < 2 or numbers[0] != 1 or numbers != list(range(1, len(found) + 1)):
        return {}
    cuts: dict[int, set[int]] = {}
    for k, m in found:
        cuts.setdefault(k, set()).update((m.start(), m.end()) if m["title"] else (m.start(),))
    return cuts


# A part number after a title: `… 篇2`, `…(2)`, `…职责2`; a two-digit run may be the number and
# the first item's marker glued to it (`篇21. 主要…`: part 2, item 1). The lookahead skips, in one
# class test, the positions where none can start.
_TITLE_NUMBER = re.compile(r"(?=[篇(（\d])(?:篇\s*|[(（])?(\d{1,2})(?:[)）])?")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_STEM_BREAK = re.compile(r"[。；;，,:：!?！？\n]")
MAX_STEM = 30
_CANDIDATES = 40  # first parts and second parts tried, each


@dataclass(frozen=True, slots=True)
class _Numbered:
    start: int  # where the number (with its 篇 or bracket) starts in the page text
    end: int  # where it ends
    number: int
    bare: bool  # a bare number, not 篇N or (N): its title must end in a document kind


def _numbered_titles(page: _Joined) -> list[tuple[int, int]]:
    """The spans (title start, number end) of a title that the page repeats with its part number
    counting up, wherever the number falls: the longest chain 1, 2, … whose preceding text ends
    in one stem (the common ending of the text before 1 and before 2, of four characters or
    more, two of them Chinese, no clause punctuation; one ending in a document kind for a bare
    number)."""
    text = page.text
    found = [c for m in _TITLE_NUMBER.finditer(text) for c in _readings(page, m)]
    if len(found) < 2:
        return []
    by_number: dict[int, list[_Numbered]] = {}
    for c in found:
        by_number.setdefault(c.number, []).append(c)
    best: list[tuple[str, _Numbered]] = []
    for one in by_number.get(1, [])[:_CANDIDATES]:
        for two in [c for c in by_number.get(2, []) if c.start > one.end][:_CANDIDATES]:
            stem = _common_stem(page, one, two)
            if not stem:
                continue
            chain = [one, two]
            while nxt := next(
                (
                    c
                    for c in by_number.get(len(chain) + 1, [])
                    if c.start > chain[-1].end and _ends_with(page, c, stem)
                ),
                None,
            ):
                chain.append(nxt)
            if len(chain) > len(best):
                best = [(stem, c) for c in chain]
    return [(c.start - len(stem), c.end) for stem, c in best]


def _readings(page: _Joined, m: re.Match[str]) -> list[_Numbered]:
    """The part numbers a match may be: its digits, or for two digits followed by a marker's
    dot (`篇21.`, `职责21、`) the first digit alone, the second starting the first item. A bare
    number (no 篇, no bracket) follows a Chinese character, and is followed by one or by the
    line's end unless it is read so (`职责1岗位…` is part 1; `职责1. …` is a heading's marker)."""
    text = page.text
    digits, start, end = m.group(1), m.start(), m.end()
    bare = m.group(0) == digits
    if bare and (start == 0 or not _CJK.match(text[start - 1])):
        return []
    out: list[_Numbered] = []
    if not bare or end == len(text) or end in page.open_set or _CJK.match(text[end]):
        out.append(_Numbered(start, end, int(digits), bare))
    if len(digits) == 2 and end < len(text) and text[end] in ".、．" and not m.group(0).endswith((")", "）")):
        out.append(_Numbered(start, m.start(1) + 1, int(digits[0]), bare))
    return out


def _common_stem(page: _Joined, one: _Numbered, two: _Numbered) -> str | None:
    """The title both numbers follow: the common ending of the text before each, within its line
    (a title may end a line, its number opening the next)."""
    text = page.text
    a, b = text[max(0, one.start - MAX_STEM) : one.start], text[max(0, two.start - MAX_STEM) : two.start]
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    for c in (one, two):  # not across a line's start
        k = bisect.bisect_right(page.opens, c.start - n)
        if k < len(page.opens) and page.opens[k] < c.start:
            n = c.start - page.opens[k]
    stem = a[len(a) - n :] if n else ""
    brk = list(_STEM_BREAK.finditer(stem))
    if brk:
        stem = stem[brk[-1].end() :]
    stem = stem.lstrip()
    if len(stem.strip()) < 4 or len(re.findall(r"[\u4e00-\u9fff]", stem)) < 2:
        return None
    if (one.bare or two.bare) and not _names_a_kind(stem):
        return None
    if not _marked(text, one) and not (
        _after_boundary(page, one.start - len(stem)) and _after_boundary(page, two.start - len(stem))
    ):
        return None  # `签订劳动合同(1)份…续签劳动合同(2)次`: words inside sentences, not titles
    return stem


def _after_boundary(page: _Joined, at: int) -> bool:
    """Whether a title may start at `at`: the text's or a line's start, or after a clause's end
    or a closing bracket (a title glued to the previous paragraph)."""
    return at <= 0 or at in page.open_set or page.text[at - 1] in _TITLE_OPENS


_TITLE_OPENS = frozenset(' \t\u3000。；;！？!?:：,，、)）】」』”"')


def _marked(text: str, c: _Numbered) -> bool:
    """A part number written with 篇 (`篇2`): a part marker whatever precedes its title. A
    bracketed or bare number needs its title to start at a boundary."""
    return text.startswith("篇", c.start)


def _ends_with(page: _Joined, c: _Numbered, stem: str) -> bool:
    """Whether a later number of a chain follows the chain's stem as a title. Past 1 and 2 (each
    at a boundary), a stem that names a document's kind needs none: a run-together page glues
    the third title to the last words of the second document (`…工作安排外贸业务员岗位职责3`)."""
    at = c.start - len(stem)
    if page.text[max(0, at) : c.start] != stem or page.crosses_a_line(at, c.start):
        return False
    return _marked(page.text, c) or _after_boundary(page, at) or _names_a_kind(stem)


def _names_a_kind(stem: str) -> bool:
    return bool(
        _patterns(document_words()).kind_end.search(to_simplified(PINYIN_GLOSS.sub("", stem)).rstrip())
    )


def split_documents(lines: Sequence[str]) -> list[DocumentPart]:
    """The documents on a page, in page order; a page of one document gives one part."""
    lines, numbered = _cut_glued(lines)  # each numbered part title now opens its line
    views = [to_simplified(line) for line in lines]  # document words are read in simplified script
    pat = _patterns(document_words())
    starts: list[int] = [0]
    glued: dict[int, str] = {}
    top_of: dict[int, str] = {}  # each part's top-level style, once it is known
    for i in range(1, len(lines)):
        line, view = lines[i], views[i]
        if i in numbered:  # `…岗位职责3`, the page's numbered titles going on: sequence evidence
            starts.append(i)
            continue
        title = _glued_title(lines, views, i, starts)
        if title:
            starts.append(i)
            glued[i] = title
            continue
        if _PART_TITLE.search(view) and len(line) <= 48 and not _PROSE.search(line):
            starts.append(i)  # `推荐第2篇:…`, `…说明书(1)`, `… 篇2`: a colon is allowed here
            continue
        if not _is_title_line(line) or pat.section_only.match(view):
            continue
        if not pat.doc_type.search(view):
            continue
        current = lines[starts[-1] : i]
        top = top_of.get(starts[-1]) or _top_style(current)
        if top:
            top_of[starts[-1]] = top  # the first line-start marker of a part never changes
        nxt = _first_marker(lines, i + 1)
        restarts = bool(top and nxt and nxt[0] == top and nxt[1] in _FIRST_VALUE)
        # or a new sequence of a heading style the part has not used (`一、` after a part
        # numbered `1.` only): the page's first document may number only its items
        opens = bool(
            nxt and nxt[1] in _FIRST_VALUE and nxt[0] in STRONG_STYLES and nxt[0] not in _styles(current)
        )
        if (restarts or opens) and len(current) >= 4:
            starts.append(i)
    parts = [list(lines[a:b]) for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]
    titles: list[str | None] = [None] + [glued.get(s, lines[s]) for s in starts[1:]]
    # A lone wrapper title before the first part (`采购员岗位职责(通用2篇)`, perhaps printed again
    # or after the site's own title) belongs to that part.
    # So does a short head before the first of the page's numbered titles (`物业主管工作职责1`),
    # whatever it holds: a table of contents, an introduction.
    titles_only = len(parts[0]) <= 2 or (len(parts[0]) <= 5 and all(_is_title_line(x) for x in parts[0]))
    wrapper = titles_only and not _top_style(parts[0])
    head = len(parts) > 1 and len(parts[0]) <= 5 and starts[1] == min(numbered, default=None)
    if len(parts) > 1 and (wrapper or head):
        parts[1] = parts[0] + parts[1]
        del parts[0], titles[0]
    return [DocumentPart(t, p) for t, p in zip(titles, parts, strict=True)]
