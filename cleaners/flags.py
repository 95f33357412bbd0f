"""Quality flags of a document (see the README for the vocabulary)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .charclass import CJK, PINYIN_GLOSS

_FINAL = re.compile(r"[。！？!?；;…”」』）)】\].．:：]$")
_OPEN_END = re.compile(r"[,，、:：(（“《\-—]$")
_ITEM = re.compile(r"^[\s\-•·]*(?:\d{1,2}[.、．)）]|[(（]\d{1,2}[)）]|[a-z][.、]|[\u2460-\u2473])")
# A lost dash: "13年" (1-3年) beside experience words; "8k15k" salaries. Never rewritten.
_SUSPECT_YEARS = re.compile(r"(?<![\d.\-~～—–至到/])([1-9])([2-9])\s*年(?!\d|以上|以下|度|级|月|代)")
_EXPERIENCE = re.compile(r"经验|工龄|从业|工作|年限|资历")
_SUSPECT_PAY = re.compile(r"(?<![\d.\-~～])\d{1,2}[kK]\d{1,2}[kK]")
_MOJIBAKE_RUN = re.compile(r"[^\x00-\x7f]{4,}")
# Characters that UTF-8 read as GBK (or Latin-1) produces at every turn and real text rarely has.
_MOJIBAKE_TELLTALE = re.compile("[鍙鐨锛銆浠鏄涓鎴绠璇鑰瀹宀閿鍏鏈鍒缁勭鐢鈥閫鏂勫鍐绛煎ÃÂåæçèéä]")
SHORT_CJK = 80


def is_truncated(lines: Sequence[str], preview_marker_seen: bool) -> bool:
    """Preview markers, or a document that stops mid-sentence or mid-list."""
    if preview_marker_seen:
        return True
    if not lines:
        return False
    last = lines[-1]
    if _OPEN_END.search(last):
        return True
    if _FINAL.search(last):
        return False
    # Mid-list: the items before the last one end their sentences, the last one does not.
    items = [ln for ln in lines[-9:-1] if _ITEM.match(ln)]
    if _ITEM.match(last) and len(items) >= 2:
        return sum(bool(_FINAL.search(ln)) for ln in items) / len(items) >= 0.5
    longer = [ln for ln in lines[:-1] if len(ln) >= 10]
    if not longer:
        return False
    ending = sum(bool(_FINAL.search(ln)) for ln in longer)
    return ending / len(longer) >= 0.5


def lost_dash_years(text: str) -> re.Match[str] | None:
    """`13年` beside experience words: most likely `1-3年` with the dash lost."""
    for m in _SUSPECT_YEARS.finditer(text):
        if int(m.group(1)) < int(m.group(2)):
            window = text[max(0, m.start() - 12) : m.end() + 16]
            if _EXPERIENCE.search(window) and "岁" not in text[m.end() : m.end() + 2]:
                return m
    return None


def has_suspect_number(text: str) -> bool:
    return lost_dash_years(text) is not None or bool(_SUSPECT_PAY.search(text))


def is_garbled(text: str) -> bool:
    """Mojibake: UTF-8 read as GBK or Latin-1, replacement characters, pinyin-glossed mirrors."""
    if text.count("\ufffd") >= 3:
        return True
    if len(PINYIN_GLOSS.findall(text)) >= 3:
        return True
    if len(_MOJIBAKE_TELLTALE.findall(text)) < 2:
        return False  # cheap test first: mojibake is full of characters real text rarely uses
    hits = 0
    for m in _MOJIBAKE_RUN.finditer(text):
        run = m.group(0)
        for codec in ("gb18030", "cp1252", "latin-1"):
            try:
                fixed = run.encode(codec).decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            if fixed != run and any(ord(c) > 0x7F for c in fixed):
                hits += 2 if len(fixed) >= 6 else 1  # one long repaired run is proof enough
                break
        if hits >= 2:
            return True
    return False


def is_short(text: str) -> bool:
    return len(CJK.findall(text)) < SHORT_CJK


def document_flags(lines: Sequence[str], preview_marker_seen: bool, lossy_decode: bool) -> list[str]:
    text = "\n".join(lines)
    flags = []
    if is_truncated(lines, preview_marker_seen):
        flags.append("truncated")
    if is_short(text):
        flags.append("short")
    if has_suspect_number(text):
        flags.append("suspect_number")
    if lossy_decode or is_garbled(text):
        flags.append("garbled")
    return flags
