"""Character- and line-level normalisation that keeps the author's typography.

Full-width letters and digits (Ａ, １) and the ideographic space are folded to ASCII because
they are never the intended form; full-width punctuation (，：（）) is kept because it is the
correct form in Chinese text, and heading markers such as ① ⑴ ㈠ keep their style (no NFKC:
it would turn ① into 1 and lose the marker style).
"""

from __future__ import annotations

import re
import unicodedata

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_FOLD = {cp: cp - 0xFEE0 for cp in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
_SPACES = {0x3000: " ", 0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x202F: " ", 0x0009: " "}
_TABLE = {**_ZERO_WIDTH, **_FOLD, **_SPACES}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_RUN_OF_SPACES = re.compile(r" {2,}")


_NEEDS_WORK = re.compile(
    "[" + "".join(chr(c) for c in sorted(_TABLE) if c > 0x20) + r"\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\t]"
)


def normalise_chars(text: str) -> str:
    """Fold widths of letters/digits/spaces, drop zero-width and control characters."""
    if not _NEEDS_WORK.search(text):  # most lines need nothing: skip the slow translate
        return text
    text = _NEWLINES.sub("\n", text.translate(_TABLE))
    return _CONTROL.sub("", text)


# Letter-spaced words that end the line (a title, a heading's or a label's words); inside a
# line, single characters between spaces are as often a flattened table's cells (`共 人`).
_LETTER_SPACED = re.compile(r"(?<![\u3400-\u9fff])[\u3400-\u9fff](?: [\u3400-\u9fff]){2,}(?=\s*(?:[:：]|$))")


def normalise_line(line: str) -> str:
    """One line: runs of spaces become one, ends trimmed, letter-spaced Chinese that ends it or
    its key (`岗 位 职 责`, `岗 位 名 称：出纳`, a title or a form's key spread to a width: three
    characters or more, each alone between spaces) closed up, and a line-start marker spaced
    from its stop (`三 、`) closed."""
    line = _RUN_OF_SPACES.sub(" ", line).strip()
    if " " in line and _LETTER_SPACED.search(line):
        line = _LETTER_SPACED.sub(lambda m: m.group(0).replace(" ", ""), line)
    if " " in line[:6]:
        line = _SPACED_MARKER.sub(r"\1", line)
    return line


# A heading marker spaced out at a line's start, as PDF and OCR text prints it: `三 、工作环境`.
_SPACED_MARKER = re.compile(r"^([一二三四五六七八九十]{1,4}|\d{1,2}) (?=[、．.](?!\d))")


def split_lines(text: str) -> list[str]:
    """Normalised, non-empty lines of a text."""
    return [ln for ln in (normalise_line(x) for x in normalise_chars(text).split("\n")) if ln]


_NOT_WORD = re.compile(r"[\W_]+")


def fold_words(text: str) -> str:
    """The text as duplicates are compared: NFKC (widths), lower case, nothing but letters and
    digits (punctuation, spaces and line breaks gone). The exact key and the near-duplicate
    content share it, so a copy that only differs in those is one document to both."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).lower())
