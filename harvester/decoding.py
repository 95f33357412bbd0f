"""Content-Encoding undone piece by piece under a cap on the decoded size.

httpx decodes a whole network chunk before anyone can count it, so a stacked encoding
(`gzip, gzip`: 16 KB on the wire, 10 GiB decoded) is out of memory before a cap is checked. Here
every stage hands on at most PIECE bytes at a time and the cap is checked after each piece:
memory stays within the cap plus a few pieces, for any stack of gzip, deflate and identity.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Protocol

PIECE = 64 * 1024
KNOWN = ("gzip", "x-gzip", "deflate", "identity")


class BodyTooLarge(ValueError):
    pass


class UnknownEncoding(ValueError):
    """The body cannot be decoded: `code` is `unsupported encoding` or `bad encoding`."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class _Stage(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...


class _Zlib:
    """gzip or deflate (zlib-wrapped, or raw as some servers send it)."""

    def __init__(self, gzip: bool) -> None:
        self.gzip = gzip
        self.d = zlib.decompressobj(16 + zlib.MAX_WBITS if gzip else zlib.MAX_WBITS)
        self.started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        if not self.started and not self.gzip and data:
            self.started = True
            if data[0] & 0x0F != 8:  # no zlib header: raw deflate
                self.d = zlib.decompressobj(-zlib.MAX_WBITS)
        while True:
            out = self.d.decompress(data, PIECE)
            if out:
                yield out
            data = self.d.unconsumed_tail
            if self.d.eof:
                data = self.d.unused_data
                if not (self.gzip and data):
                    return
                self.d = zlib.decompressobj(16 + zlib.MAX_WBITS)  # the next member of a multi-member gzip
            elif not data and len(out) < PIECE:
                return  # all input taken and nothing held back


class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        for i in range(0, len(data), PIECE):
            yield data[i : i + PIECE]


def stages_for(content_encoding: str | None) -> list[_Stage]:
    """The decoders for a Content-Encoding header, in the order to apply them (the last-applied
    encoding is listed last, so it is undone first)."""
    names = [n.strip().lower() for n in (content_encoding or "").split(",") if n.strip()]
    stages: list[_Stage] = []
    for name in reversed(names):
        if name not in KNOWN:
            raise UnknownEncoding(f"unsupported Content-Encoding {name[:40]!r}", "unsupported encoding")
        if name != "identity":
            stages.append(_Zlib(gzip=name != "deflate"))
    return stages


class CappedDecoder:
    """Feed raw chunks in, get the decoded body out; BodyTooLarge once it passes `cap` bytes."""

    def __init__(self, content_encoding: str | None, cap: int) -> None:
        self.stages = stages_for(content_encoding) or [_Identity()]
        self.cap = cap
        self.body = bytearray()

    def _through(self, i: int, data: bytes) -> None:
        for piece in self.stages[i].feed(data):
            if i + 1 < len(self.stages):
                self._through(i + 1, piece)
                continue
            self.body += piece
            if len(self.body) > self.cap:
                raise BodyTooLarge(f"decoded body larger than {self.cap} bytes")

    def feed(self, chunk: bytes) -> None:
        try:
            self._through(0, chunk)
        except zlib.error as exc:
            raise UnknownEncoding(f"body does not decode as declared: {exc}", "bad encoding") from None
