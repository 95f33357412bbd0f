"""Bytes to text, the way browsers do it for Chinese pages.

Order of evidence: byte-order mark, the declared charset (HTTP header), `<meta charset>` in
the first bytes, strict UTF-8, then detection with charset-normalizer. A declared `gb2312` or
`gbk` is widened to `gb18030`, its superset: real "gb2312" pages carry characters such as 喆
that only GBK/GB18030 can hold.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from .errors import NotTextError

_GB_FAMILY = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "ms936", "gb18030", "euc-cn", "hz-gb-2312"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    # True when bytes had to be replaced: the text is readable but damaged.
    lossy: bool = False


def canonical_charset(name: str | None) -> str | None:
    """Python codec name for a declared charset, with the GB family widened to gb18030."""
    if not name:
        return None
    name = name.strip().strip("'\"").lower()
    if name in _GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f]")


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes in the first 8 KB mean a binary file, not a page."""
    head = data[:8192]
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = len(_CONTROL_BYTES.findall(head))
    return controls / len(head) > 0.05


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded:
    """Decode page bytes; raises NotTextError for binary data."""
    for bom, bom_codec in _BOMS:
        if data.startswith(bom):
            return _decode(data, bom_codec)
    if looks_binary(data):
        # UTF-16 without a BOM: every other byte is NUL in ASCII-heavy text.
        guess = _utf16_without_bom(data)
        if guess:
            return guess
        raise NotTextError("binary content (NUL or control bytes), not a text or HTML page")
    for name in (declared, _meta_charset(data)):
        codec = canonical_charset(name)
        if codec:
            try:
                return Decoded(data.decode(codec), codec)
            except UnicodeDecodeError:
                break  # the declaration lies: fall through to evidence from the bytes
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few damaged bytes (a cut multi-byte character, a stray byte) is still UTF-8.
    lenient = data.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") <= max(3, len(data) // 200):
        return Decoded(lenient, "utf-8", lossy=True)
    try:
        # GB18030 decodes almost any byte string; accept it only when it needs no replacement.
        return Decoded(data.decode("gb18030"), "gb18030")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:200_000]).best()
    if best is not None:
        codec = canonical_charset(best.encoding) or best.encoding
        return _decode(data, codec)
    return _decode(data, "gb18030")


def _decode(data: bytes, codec: str) -> Decoded:
    try:
        return Decoded(data.decode(codec), codec)
    except UnicodeDecodeError:
        return Decoded(data.decode(codec, errors="replace"), codec, lossy=True)


def _meta_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "ignore") if m else None


def _utf16_without_bom(data: bytes) -> Decoded | None:
    head = data[:4096]
    even_nuls = head[0::2].count(0)
    odd_nuls = head[1::2].count(0)
    half = max(1, len(head) // 2)
    for codec, nuls in (("utf-16-le", odd_nuls), ("utf-16-be", even_nuls)):
        if nuls / half > 0.3:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                return Decoded(text, codec)
    return None
