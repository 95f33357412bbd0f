"""Find input files and read them into `Page`s, one at a time.

Inputs may be files, directories (walked recursively, symlink loops avoided), glob patterns
or `-` for stdin. A file's kind comes from its extension and, failing that, from sniffing its
first bytes. Problems become `InputError`s that travel with the stream instead of raising, so
that one bad file never stops a batch.
"""

from __future__ import annotations

import glob
import gzip
import json
import os
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal, Protocol, overload

from cleaners.document import Page
from cleaners.errors import ErrorCode, InputError

from .defaults import DEFAULT_MAX_BYTES

HTML_EXT = (".html", ".htm", ".shtm", ".shtml", ".xhtml")
TEXT_EXT = (".txt", ".md", ".text")
JSONL_EXT = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
WARC_EXT = (".warc", ".warc.gz")
# What `harvester fetch` keeps beside its WARC files (the frontier, its WAL and lock): a folder
# walk skips them, so `clean FETCH_DIR` does not report them as failed inputs on every run.
OWN_FILES = ("state.sqlite",)


def expand_inputs(specs: Iterable[str]) -> Iterator[str]:
    """Every file named by the specs, in a stable order; `-` stays `-`."""
    seen: set[str] = set()
    for spec in specs:
        if spec == "-":
            yield spec
            continue
        # an existing name is that file, never a pattern: `x[2].txt` is not `x2.txt`
        literal = os.path.lexists(spec) or not glob.has_magic(spec)
        matches = [spec] if literal else sorted(glob.glob(spec, recursive=True))
        for m in matches:
            for path in _walk(m):
                if path not in seen:
                    seen.add(path)
                    yield path


def _walk(path: str) -> Iterator[str]:
    if not os.path.isdir(path):
        yield path
        return
    visited: set[tuple[int, int]] = set()
    for root, dirs, files in os.walk(path, followlinks=True):
        st = os.stat(root)
        if (st.st_dev, st.st_ino) in visited:
            dirs[:] = []
            continue
        visited.add((st.st_dev, st.st_ino))
        dirs.sort()
        for name in sorted(files):
            if not name.startswith(".") and not name.startswith(OWN_FILES):
                yield os.path.join(root, name)


def kind_of(path: str, head: bytes) -> str:
    """`html`, `text`, `jsonl`, `warc` or `unknown`, by extension then by content."""
    low = path.lower()
    if low.endswith(WARC_EXT):
        return "warc"
    if low.endswith(JSONL_EXT):
        return "jsonl"
    if low.endswith(HTML_EXT):
        return "html"
    if low.endswith(TEXT_EXT):
        return "text"
    return sniff(head)


def sniff(head: bytes) -> str:
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(head, 4096)
        except zlib.error:
            return "unknown"
    probe = head.lstrip()[:512].lower()
    if probe.startswith(b"warc/"):
        return "warc"
    if probe.startswith(b"{"):
        return "jsonl"
    if probe.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<div", b"<!--")):
        return "html"
    return "text"


def _file_type(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a directory"),
    ):
        if test(mode):
            return name
    return "not a file"


@dataclass(frozen=True, slots=True)
class DeferredPage:
    """An HTML or text file measured but not read: the worker process that cleans it reads it
    (`load`), so its bytes do not pass through the process that hands out the work."""

    path: str
    kind: str  # `html` or `text`
    max_bytes: int

    @property
    def url(self) -> None:
        return None

    def load(self) -> Page | InputError:
        """The page, or why it cannot be read now (it may have changed since it was measured:
        opened without blocking and checked again, so a FIFO put in its place cannot hang the
        worker)."""
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as fh:
                mode = os.fstat(fh.fileno()).st_mode
                if not stat.S_ISREG(mode):
                    return InputError(
                        self.path,
                        ErrorCode.NOT_REGULAR_FILE,
                        f"not a regular file ({_file_type(mode)}): not read",
                    )
                data = fh.read(self.max_bytes + 1)
        except OSError as exc:
            return InputError(self.path, ErrorCode.UNREADABLE, f"unreadable: {exc.strerror or exc}")
        return next(_pages_from_bytes(self.path, data, self.kind, self.max_bytes))


@overload
def read_pages(
    path: str, max_bytes: int = DEFAULT_MAX_BYTES, defer: Literal[False] = False
) -> Iterator[Page | InputError]: ...
@overload
def read_pages(path: str, max_bytes: int, defer: bool) -> Iterator[Page | InputError | DeferredPage]: ...
def read_pages(
    path: str, max_bytes: int = DEFAULT_MAX_BYTES, defer: bool = False
) -> Iterator[Page | InputError | DeferredPage]:
    """The pages in one input: one for an HTML/text file, one per row or record otherwise.
    `defer`: an HTML or text file that passes the size checks is given as a `DeferredPage`."""
    if path == "-":
        stdin = sys.stdin.buffer
        head = stdin.peek(4096)[:4096] if hasattr(stdin, "peek") else b""
        if head and sniff(head) == "jsonl":
            yield from _jsonl_rows(None, bounded_lines(stdin, max_bytes), max_bytes)
            return
        data = stdin.read(max_bytes + 1)  # peek did not consume the head
        yield from _pages_from_bytes(None, data, sniff(data[:4096]), max_bytes)
        return
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):  # a FIFO blocks open() forever, /dev/zero never ends
            yield InputError(
                path, ErrorCode.NOT_REGULAR_FILE, f"not a regular file ({_file_type(st.st_mode)}): not read"
            )
            return
        size = st.st_size
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except FileNotFoundError:
        yield InputError(path, ErrorCode.NOT_FOUND, "not found")
        return
    except OSError as exc:
        yield InputError(path, ErrorCode.UNREADABLE, f"unreadable: {exc.strerror or exc}")
        return
    kind = kind_of(path, head)
    if kind == "jsonl":
        yield from read_jsonl(path, max_bytes)
        return
    if kind == "warc":
        from .warc import read_warc  # warcio is only needed for WARC input

        yield from read_warc(path)
        return
    if size > max_bytes:
        yield InputError(
            path, ErrorCode.TOO_LARGE, f"too large: {size} bytes > limit {max_bytes} (raise --max-file-size)"
        )
        return
    if size == 0:
        yield InputError(path, ErrorCode.EMPTY_FILE, "empty file")
        return
    if defer:
        yield DeferredPage(path, "html" if kind == "html" else "text", max_bytes)
        return
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)  # the file may have grown since it was measured
    except OSError as exc:
        yield InputError(path, ErrorCode.UNREADABLE, f"unreadable: {exc.strerror or exc}")
        return
    yield from _pages_from_bytes(path, data, kind, max_bytes)


def _pages_from_bytes(
    path: str | None, data: bytes, kind: str, max_bytes: int
) -> Iterator[Page | InputError]:
    if not data:
        yield InputError(path, ErrorCode.EMPTY_FILE, "empty input")
    elif len(data) > max_bytes:
        yield InputError(
            path,
            ErrorCode.TOO_LARGE,
            f"too large: {len(data)} bytes > limit {max_bytes} (raise --max-file-size)",
        )
    elif kind == "jsonl":
        yield from _jsonl_rows(path, data.splitlines(), max_bytes)
    else:
        yield Page(path=path, raw=data, kind="html" if kind == "html" else "text")


def read_jsonl(path: str, max_bytes: int) -> Iterator[Page | InputError]:
    """Rows of a (gzipped) JSONL file, streamed; a bad row is an error, not the end."""
    try:
        fh = gzip.open(path, "rb") if path.lower().endswith(".gz") else open(path, "rb")  # noqa: SIM115
    except OSError as exc:
        yield InputError(path, ErrorCode.UNREADABLE, f"unreadable: {exc.strerror or exc}")
        return
    with fh:
        try:
            yield from _jsonl_rows(path, bounded_lines(fh, max_bytes), max_bytes)
        except (OSError, EOFError, zlib.error) as exc:
            yield InputError(path, ErrorCode.CORRUPT_ARCHIVE, f"truncated or corrupt compressed file: {exc}")


class _Readable(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...


def bounded_lines(fh: _Readable, cap: int, piece: int = 1 << 20) -> Iterator[bytes | int]:
    """The lines of a binary stream, none held longer than `cap` bytes: a longer line is read
    through in `piece`-sized reads and stands as its length (an int, rejected by the caller),
    so a 1 GiB line costs `piece` bytes of memory, not a gigabyte."""
    while True:
        line = fh.readline(cap + 1)
        if not line:
            return
        if len(line) <= cap or line.endswith(b"\n"):
            yield line
            continue
        length = len(line)
        while not line.endswith(b"\n"):
            line = fh.readline(piece)
            if not line:
                break
            length += len(line)
        yield length


def _jsonl_rows(
    path: str | None, lines: Iterable[bytes | int], max_bytes: int
) -> Iterator[Page | InputError]:
    rows = 0
    for n, raw in enumerate(lines, 1):
        where = f"{path or '<stdin>'}:{n}"
        if isinstance(raw, int) or len(raw) > max_bytes:
            rows += 1
            size = raw if isinstance(raw, int) else len(raw)
            yield InputError(where, ErrorCode.TOO_LARGE, f"row too large: {size} bytes > limit {max_bytes}")
            continue
        if not raw.strip():
            continue
        rows += 1
        try:
            row = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield InputError(
                where,
                ErrorCode.MALFORMED_ROW,
                f"malformed JSON line: {exc.msg if hasattr(exc, 'msg') else exc}",
            )
            continue
        if not isinstance(row, dict):
            yield InputError(
                where, ErrorCode.MALFORMED_ROW, f"JSON line is a {type(row).__name__}, not an object"
            )
            continue
        url = row.get("url") if isinstance(row.get("url"), str) else None
        html, text = row.get("html"), row.get("text")
        if isinstance(html, str) and html.strip():
            yield Page(path=where, url=url, html=html, kind="html")
        elif isinstance(text, str) and text.strip():
            yield Page(path=where, url=url, text=text, kind="text")
        else:
            yield InputError(
                where, ErrorCode.MALFORMED_ROW, "row has no non-empty string `html` or `text`", url
            )
    if rows == 0:
        yield InputError(path, ErrorCode.EMPTY_FILE, "empty JSONL input (no rows)")


def is_missing(spec: str) -> bool:
    """True when a spec names nothing: not `-`, not an existing path, not a matching glob."""
    if spec == "-":
        return False
    if os.path.lexists(spec):
        return False
    if glob.has_magic(spec):
        return not glob.glob(spec, recursive=True)
    return True
