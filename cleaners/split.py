"""Split a page's lines into the documents it holds.

A new document starts at a title line that names a part (`…岗位说明书(1)`, `… 篇2`, `第3篇`,
`【第2篇】…`) or that names a document (`…岗位说明书`, `…管理制度`) and is followed by numbering
that restarts at the first value of the page's top-level style. A page that announces several
documents (`(通用3篇)`, `合集`) lets the title's own lines introduce the first part. Section
labels such as `岗位职责` are never document titles.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .doc_words import DocumentWords, document_words
from .markers import cn_to_int, find_markers

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


@functools.cache
def _patterns(words: DocumentWords) -> _Patterns:
    glued = rf"[^\s。；;，,:：!?！？]{{2,30}}?(?:{words.glued_kinds})"
    return _Patterns(
        doc_type=re.compile(rf"(?:{words.kinds})(?:{words.collection_words})?\d{{0,2}}$"),
        section_only=re.compile(rf"^(?:{words.section_heads}){{0,3}}(?:{words.section_kinds})\d{{0,2}}$"),
        glued_title=re.compile(
            rf"^({glued})(?=(?:\1)?[^。；;]{{0,24}}?(?:一、|1[.、．]|第一[章条])|[\u4e00-\u9fff]{{2,6}}[:：][^\s:：])"
        ),
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


def _top_style(lines: Sequence[str]) -> str | None:
    """The style of the first line-start marker: the page's top-level numbering."""
    return next((m[0] for line in lines if (m := _leading_marker(line))), None)


def _glued_title(lines: Sequence[str], i: int, starts: list[int]) -> str | None:
    """A line that begins with a new document's title glued to its first heading or its first
    key–value field, after a finished document: `客户经理岗位职责说明书一、岗位概述…`,
    `客服主管岗位说明书岗位名称:客服主管…`."""
    pat = _patterns(document_words())
    m = pat.glued_title.match(lines[i])
    if not m or _starts_with_marker(lines[i]) or pat.section_only.match(m.group(1)) or i - starts[-1] < 3:
        return None
    return m.group(1)


def cut_glued_parts(lines: Sequence[str]) -> list[str]:
    """Lines cut before each part marker run into a line, and after its title when one ends in a
    document word (`…的罚款。推荐第2篇:设备维修人员岗位职责设备…`), as a page whose paragraphs ran
    together prints them. Only markers whose numbers go on in order through the page (第1篇,
    第2篇 …: sequence evidence) are cut, so a `第3篇` named in a sentence stays where it is."""
    glued_part = _patterns(document_words()).glued_part
    found = [(k, m) for k, line in enumerate(lines) for m in glued_part.finditer(line)]
    raw = [m["n"] or m["m"] for _, m in found]
    numbers = [int(x) if x.isdigit() else cn_to_int(x) for x in raw]
    if len(found) < 2 or numbers[0] != 1 or numbers != list(range(1, len(found) + 1)):
        return list(lines)
    cuts: dict[int, set[int]] = {}
    for k, m in found:
        cuts.setdefault(k, set()).update((m.start(), m.end()) if m["title"] else (m.start(),))
    out: list[str] = []
    for k, line in enumerate(lines):
        bounds = sorted({0, *cuts.get(k, ()), len(line)})
        out.extend(piece for a, b in itertools.pairwise(bounds) if (piece := line[a:b].strip()))
    return out


def split_documents(lines: Sequence[str]) -> list[DocumentPart]:
    """The documents on a page, in page order; a page of one document gives one part."""
    lines = cut_glued_parts(lines)
    pat = _patterns(document_words())
    starts: list[int] = [0]
    glued: dict[int, str] = {}
    top_of: dict[int, str] = {}  # each part's top-level style, once it is known
    for i in range(1, len(lines)):
        line = lines[i]
        title = _glued_title(lines, i, starts)
        if title:
            starts.append(i)
            glued[i] = title
            continue
        if _PART_TITLE.search(line) and len(line) <= 48 and not _PROSE.search(line):
            starts.append(i)  # `推荐第2篇:…`, `…说明书(1)`, `… 篇2`: a colon is allowed here
            continue
        if not _is_title_line(line) or pat.section_only.match(line):
            continue
        if not pat.doc_type.search(line):
            continue
        current = lines[starts[-1] : i]
        top = top_of.get(starts[-1]) or _top_style(current)
        if top:
            top_of[starts[-1]] = top  # the first line-start marker of a part never changes
        nxt = _first_marker(lines, i + 1)
        if top and nxt and nxt[0] == top and nxt[1] in _FIRST_VALUE and len(current) >= 4:
            starts.append(i)
    parts = [list(lines[a:b]) for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]
    titles: list[str | None] = [None] + [glued.get(s, lines[s]) for s in starts[1:]]
    # A lone wrapper title before the first part (`采购员岗位职责(通用2篇)`) belongs to that part.
    if len(parts) > 1 and len(parts[0]) <= 2 and not _top_style(parts[0]):
        parts[1] = parts[0] + parts[1]
        del parts[0], titles[0]
    return [DocumentPart(t, p) for t, p in zip(titles, parts, strict=True)]
