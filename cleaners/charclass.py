"""Character classes and line shapes several steps read alike (boilerplate, flags, extraction,
the line model): one definition each, so that the steps agree on what a sentence end or a
numbered line start is."""

from __future__ import annotations

import re

CJK = re.compile(r"[\u3400-\u9fff]")
"""One CJK ideograph (unified and extension A)."""

SENTENCE_PUNCT = re.compile(r"[。！？!?；;]")
"""Punctuation that ends a sentence or clause, full-width or ASCII."""

MARKER = re.compile(
    r"(?:[一二三四五六七八九十]{1,4}[、.．]|[(（〔【][一二三四五六七八九十\d]{1,4}[)）〕】]|\d{1,2}[、.．)）]"
    r"|(?<![\u3400-\u9fff(（])[一二三四五六七八九十]{1,4}[)）]|[\u2160-\u217b]"
    r"|(?<![\u3400-\u9fff])[一二三四五六七八九十]{1,4}[:：](?![\d一二三四五六七八九十])|\d{1,2}[:：](?!\d)"
    r"|第[一二三四五六七八九十\d]{1,6}(?:[章节節条條篇款]|部分))"
)
"""A numbered-heading or list marker where it stands (`一、`, `（二）`, `3.`, `一）`, `一：`, `1：`, `Ⅱ`, `第四条`, `第一部分`: the
units of `markers.py`'s grammar); numbers are bounded, so that searching a run of numerals for a
marker start stays linear."""

HEADING_START = re.compile(
    rf"^[\s\-•·]*(?:{MARKER.pattern}|[一二三四五六七八九十]{{1,4}}[ \u3000]+(?=[\u4e00-\u9fff]))"
)
"""A line that opens with a numbered-heading or list marker (after bullets and spaces; at a
line's start, a numeral and a space too: `一 总则`, its stop lost in PDF or OCR text)."""

BULLET = re.compile(r"^\s*([\-•·●○◆■▪*])\s*(?=\S)")
"""A bullet opening a line (`• 负责…`), its symbol in group 1: a list item without a number."""

PINYIN_GLOSS = re.compile(r"\s?[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\s?[)）]")
"""A pinyin gloss after a character, as mirrored pages print them: `產(chǎn)` (or `產（chǎn）`)."""


def unglossed(line: str) -> str:
    """The line without its pinyin glosses (a bracket test first: most lines have none)."""
    return PINYIN_GLOSS.sub("", line) if "(" in line or "（" in line else line
