"""A mirror in traditional script is read as its simplified original (issues #16, #17).

Document-sharing sites mirror pages in traditional script (renrendoc's mirrors, Taiwanese and
Hong Kong copies). Every step that reads words (site recognition, rules, the splitter's document
words, section labels, job fields, heading markers such as 第一條) reads the simplified view, and
values are cut from the text as printed. The development pages, converted with OpenCC's `s2t`
at run time, must give the same documents, headings and JD decisions as the originals.
"""

from __future__ import annotations

import unicodedata

import pytest

from cleaners import Page, clean_page
from cleaners.errors import CleanError

# the marker as printed: 第一條 is the simplified 第一条, （一） the ASCII-bracketed (一)
_UNITS = str.maketrans("條節", "条节")


def _reading(text: str, profiles) -> list[tuple[bool, list[str], int]]:
    """Per document: taken for a JD, its top-level heading markers, its sections."""
    try:
        records = clean_page(Page(text=text), profiles)
    except CleanError:
        return []
    out = []
    for rec in records:
        markers = [
            unicodedata.normalize("NFKC", s.marker).translate(_UNITS) for s in rec.sections if s.marker
        ]
        out.append((rec.job is not None, markers, len(rec.sections)))
    return out


def test_the_traditional_mirror_of_every_development_page_reads_as_the_original(corpus_rows, profiles):
    opencc = pytest.importorskip("opencc")
    s2t = opencc.OpenCC("s2t")
    same = [_reading(r["text"], profiles) == _reading(s2t.convert(r["text"]), profiles) for r in corpus_rows]
    differ = [r["id"] for r, ok in zip(corpus_rows, same, strict=True) if not ok]
    # OpenCC converts by phrase, so a few words come out in another variant than a mirror prints
    assert len(differ) <= 2, differ


def test_a_traditional_regulation_numbers_its_articles_with_tiao(profiles):
    text = "車輛管理辦法\n第一條 為規範公司車輛使用,制定本辦法。\n第二條 本辦法適用於全體員工。\n第三條 本辦法自發布之日起施行。"
    (rec,) = clean_page(Page(text=text), profiles)
    assert [s.marker for s in rec.sections] == ["第一條", "第二條", "第三條"]
