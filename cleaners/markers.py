"""Heading and list markers of Chinese documents: find them in a line and read their values.

A marker has a *style* (`一、`, `(一)`, `1.`, `1、`, `(1)`, `1)`, `⑴`, `①`, `a.`, `第一条`,
`1.1` …) and a *number*. Styles are recognised on the raw text: the full-width and ASCII forms of
one style (`（一）` and `(一)`, `1．` and `1.`) are one style, but `⑴` and `(1)` are not. Numbers
that only look like markers (`1.5万`, `2.0版`, `2023.06`, `一、二级建造师`) are not markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN = "零〇一二三四五六七八九十百千两兩"


def cn_to_int(text: str) -> int | None:
    """Value of a Chinese numeral such as 十一, 二十三, 一百零一, 两; None if it is not one."""
    if not text or any(ch not in CN_DIGITS and ch not in CN_UNITS for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * CN_UNITS[ch]
            digit = None
    return total + (digit or 0)


@dataclass(frozen=True, slots=True)
class Marker:
    style: str
    number: int
    start: int
    end: int
    text: str


# Units and words after a number that make it a quantity, version or date, not a marker.
_QUANTITY = (  # units as words: `1.5公里` is a quantity, `4.1 公司…`, `2.1 年度…`, `1.2 人员…` headings
    r"(?:万|千|百|亿|元|倍|%|％|米|公[里斤分顷升]|年(?!度)|个(?!人)|人(?![员事力才])|次|天|月(?!度)|日|号|时"
    r"|分(?![析配工布管])|秒|岁|版|寸|克|吨|斤|级|度|期|K|k|G|M|m)"
)
_NOT_AFTER_DIGIT = r"(?<![\d.．A-Za-z/])"
_PATTERNS: list[tuple[str, str]] = [
    ("第章", rf"第([{_CN}]{{1,4}}|\d{{1,3}})\s?(章|节|節|条|條|篇|部分|款)"),
    ("decimal", rf"{_NOT_AFTER_DIGIT}([1-9]\d?(?:[.．][1-9]\d?){{1,3}})(?![\d.．%]|\s?{_QUANTITY})"),
    # 一、 but not 一、二级 / 三、四季度 (an abbreviated range of numerals).
    (
        "cn、",
        rf"(?<![{_CN}第])([{_CN}]{{1,4}})、(?![{_CN}]+(?:级|类|等|季度|年级|线|期|批|档|星|号|种|次|轮|产业))",
    ),
    ("cn.", rf"(?<![{_CN}第])([{_CN}]{{1,4}})[.．](?!\d)"),
    # 一：总则, and 一 总则 at a line's start (a stop lost in PDF or OCR text)
    ("cn：", rf"(?<![\u3400-\u9fff])([{_CN}]{{1,4}})[:：](?![\d{_CN}])"),
    ("cn ", rf"^\s*([{_CN}]{{1,4}})[ \u3000]+(?=[\u4e00-\u9fff])"),
    ("(cn)", rf"[(（]([{_CN}]{{1,4}})[)）]"),
    # 一） with no opening bracket; not after a character (`统一）`) or an opening bracket
    ("cn)", rf"(?<![\u3400-\u9fff(（])([{_CN}]{{1,4}})[)）]"),
    ("〔cn〕", rf"〔([{_CN}]{{1,4}})〕"),
    ("【cn】", rf"【([{_CN}]{{1,4}})】"),
    ("(n)", r"[(（](\d{1,2})[)）]"),
    ("n.", rf"{_NOT_AFTER_DIGIT}(\d{{1,2}})[.．](?![\d.．])"),
    ("n、", rf"{_NOT_AFTER_DIGIT}(\d{{1,2}})、"),
    ("n：", rf"{_NOT_AFTER_DIGIT}(\d{{1,2}})[:：](?!\d)"),
    ("n)", rf"{_NOT_AFTER_DIGIT}(?<![(（])(\d{{1,2}})[)）]"),
    ("(a)", r"[(（]([a-z])[)）]"),
    ("a.", r"(?<![A-Za-z\d])([a-z])[.．、](?![A-Za-z\d])"),
    ("A.", r"(?<![A-Za-z\d])([A-Z])[.．、](?![A-Za-z\d])"),
    ("circled", r"([\u2460-\u2473])"),
    ("roman", r"([\u2160-\u216b])[、.．]?"),  # Ⅰ、 Ⅱ. Ⅲ: the numeral forms, not the letters I, V, X
    ("small-roman", r"([\u2170-\u217b])[、.．]?"),
    ("paren-digit", r"([\u2474-\u2487])"),
    ("digit-stop", r"([\u2488-\u249b])"),
    ("neg-circled", r"([\u2776-\u277f\u278a-\u2793])"),
    ("sans-circled", r"([\u2780-\u2789])"),
    ("paren-cn", r"([\u3220-\u3229])"),
]
# The lookahead lets the scanner skip, in one class test, the many positions where no marker
# can start, instead of trying every alternative there.
_FIRST_CHARS = rf"[第\d{_CN}(（〔【A-Za-z\u2160-\u217b\u2460-\u249b\u2776-\u2793\u3220-\u3229]"
_SCAN = re.compile(
    f"(?={_FIRST_CHARS})(?:" + "|".join(f"(?P<s{i}>{pat})" for i, (_, pat) in enumerate(_PATTERNS)) + ")"
)
_STYLE_OF = {f"s{i}": name for i, (name, _) in enumerate(_PATTERNS)}
_CODEPOINT_BASE = {
    "circled": 0x2460,
    "paren-digit": 0x2474,
    "digit-stop": 0x2488,
    "paren-cn": 0x3220,
    "roman": 0x2160,
    "small-roman": 0x2170,
}


_UNIT_SCRIPT = {"節": "节", "條": "条"}  # a traditional-script 第一條 is the style 第条


def _value(style: str, raw: str) -> int | None:
    if style == "decimal":
        return int(re.split(r"[.．]", raw)[-1])
    if style in ("n.", "n、", "n：", "n)", "(n)"):
        return int(raw)
    if style in ("a.", "(a)"):
        return ord(raw) - ord("a") + 1
    if style == "A.":
        return ord(raw) - ord("A") + 1
    if style in _CODEPOINT_BASE:
        return ord(raw) - _CODEPOINT_BASE[style] + 1
    if style == "neg-circled":
        cp = ord(raw)
        return cp - 0x2776 + 1 if cp <= 0x277F else cp - 0x278A + 1
    if style == "sans-circled":
        return ord(raw) - 0x2780 + 1
    if raw.isdigit():
        return int(raw)
    return cn_to_int(raw.replace("两", "二"))


@lru_cache(maxsize=8192)
def find_markers(line: str) -> tuple[Marker, ...]:
    """Every marker candidate in a line, left to right, not overlapping (cached: the splitter
    and the segmenter read the same lines)."""
    out: list[Marker] = []
    for m in _SCAN.finditer(line):
        group = m.lastgroup or ""
        style = _STYLE_OF[group]
        at = _SCAN.groupindex[group]
        raw = m.group(at + 1)  # each pattern's first capture group holds the number
        value = _value(style, raw)
        if not value or value > 200:
            continue
        if style == "第章":
            style = "第" + _UNIT_SCRIPT.get(m.group(at + 2), m.group(at + 2))
        elif style == "decimal":
            style = f"decimal{raw.count('.') + raw.count('．') + 1}"
        out.append(Marker(style, value, m.start(), m.end(), m.group(0)))
    return tuple(out)


_BROKEN_HEAD = re.compile(rf"第\s*(?:[{_CN}]{{1,4}}|\d{{1,3}})\s*$")
_BROKEN_TAIL = re.compile(r"^\s*(?:章|节|節|条|條|篇|款|部分)")


def rejoin_split_markers(lines: list[str]) -> list[str]:
    """Join `第10` at a line end with `条…` on the next line: a marker cut by a hard wrap."""
    out: list[str] = []
    for line in lines:
        if out and _BROKEN_HEAD.search(out[-1]) and _BROKEN_TAIL.match(line):
            out[-1] = out[-1].rstrip() + line.lstrip()
        else:
            out.append(line)
    return out


# Styles that head sections; a document excerpt may begin in the middle of their sequence.
STRONG_STYLES = frozenset(
    {
        "cn、",
        "cn.",
        "(cn)",
        "cn)",
        "cn：",
        "cn ",
        "roman",
        "〔cn〕",
        "【cn】",
        "paren-cn",
        "第章",
        "第节",
        "第条",
        "第篇",
        "第部分",
        "decimal2",
        "decimal3",
    }
)
