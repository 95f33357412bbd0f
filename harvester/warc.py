"""Gzipped WARC 1.1 files: written record by record, rotated by size, readable by warcio,
datatrove and Common Crawl tools; and read back as pages for `harvester clean`.

A file being written is named `*.warc.gz.open`; it gets its final name only when it is closed.
Each record is its own gzip member and is flushed and fsynced before the URL is marked done, so
after a crash the complete records of an `.open` file can be recovered (`recover_open_files`)
and nothing is fetched twice.
"""

from __future__ import annotations

import io
import os
import socket
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaners.document import Page
from cleaners.errors import ErrorCode, InputError

DEFAULT_ROTATE_BYTES = 1024**3  # 1 GiB, as crawlers usually rotate
# On a response reached through redirects: the URL that was asked for (the frontier's key), so
# that recovery after a crash knows which requested URL a final response completes.
REQUESTED = "Harvester-Requested-URI"


@dataclass
class Exchange:
    """One HTTP request and its answer, as archived. `request_target` and `request_headers`
    are what was sent on the wire; `body` is the decoded payload (`headers` say so: no
    Content-Encoding, the decoded Content-Length)."""

    url: str
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    request_target: str = "/"
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    ip: str | None = None
    payload_type: str | None = None
    requested: str | None = None  # the frontier URL, when a redirect led here


class WarcSink:
    """Appends request/response record pairs to rotating gzipped WARC files in a folder."""

    def __init__(
        self, folder: str | Path, prefix: str = "harvester", rotate_bytes: int = DEFAULT_ROTATE_BYTES
    ) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.rotate_bytes = rotate_bytes
        self._fh: io.BufferedWriter | None = None
        self._path: Path | None = None
        self._writer: WARCWriter | None = None

    def _open(self) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        name = f"{self.prefix}-{stamp}-{uuid.uuid4().hex[:8]}.warc.gz"
        self._path = self.folder / name
        self._fh = open(self.folder / (name + ".open"), "wb")  # noqa: SIM115  (closed in close())
        self._writer = WARCWriter(self._fh, gzip=True, warc_version="WARC/1.1")
        info = self._writer.create_warcinfo_record(
            name, {"software": "harvester", "format": "WARC File Format 1.1"}
        )
        self._writer.write_record(info)

    def write(self, ex: Exchange) -> None:
        """One exchange: its request record and its response record, durably on disk. The file
        is not rotated here (`rotate_if_full`): the caller first records that the URL is done."""
        if self._writer is None:
            self._open()
        assert self._writer is not None and self._fh is not None
        date = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        req_headers = StatusAndHeaders(
            f"GET {ex.request_target} HTTP/1.1", ex.request_headers, is_http_request=True
        )
        request = self._writer.create_warc_record(
            ex.url, "request", http_headers=req_headers, warc_headers_dict={"WARC-Date": date}
        )
        resp_headers = StatusAndHeaders(f"{ex.status} {ex.reason}", ex.headers, protocol="HTTP/1.1")
        extra = {"WARC-Date": date}
        if ex.ip:
            extra["WARC-IP-Address"] = ex.ip
        if ex.payload_type:
            extra["WARC-Identified-Payload-Type"] = ex.payload_type
        if ex.requested and ex.requested != ex.url:
            extra[REQUESTED] = ex.requested
        response = self._writer.create_warc_record(
            ex.url,
            "response",
            payload=io.BytesIO(ex.body),
            http_headers=resp_headers,
            warc_headers_dict=extra,
        )
        request.rec_headers.add_header(
            "WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID")
        )
        self._writer.write_record(request)
        self._writer.write_record(response)
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def rotate_if_full(self) -> None:
        if self._fh is not None and self._fh.tell() >= self.rotate_bytes:
            self.close()

    def close(self) -> None:
        if self._fh is not None and self._path is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            os.replace(str(self._path) + ".open", self._path)
        self._fh = self._writer = self._path = None


def _final_response(head: str) -> str | None:
    """The requested URL a complete response record finishes, or None (a request record, a
    redirect hop: its chain is not finished). `head` is the record's start, WARC and HTTP
    headers."""
    warc_part, _, http_part = head.partition("\r\n\r\n")
    fields = dict(
        (k.strip().lower(), v.strip()) for k, _, v in (ln.partition(":") for ln in warc_part.splitlines()[1:])
    )
    if fields.get("warc-type") != "response":
        return None
    code = http_part.split(" ", 2)[1] if http_part.count(" ") >= 1 else ""
    if not code.startswith("2"):
        return None
    return fields.get(REQUESTED.lower()) or fields.get("warc-target-uri")


def _complete_members(data: bytes) -> tuple[int, list[str]]:
    """Where the last complete gzip member ends, and the requested URLs that its complete final
    responses finish. A member is complete only when its gzip stream reaches its end."""
    pos = good_end = 0
    done: list[str] = []
    while pos < len(data):
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out = d.decompress(data[pos:])
        except zlib.error:
            break
        if not d.eof:
            break
        pos = len(data) - len(d.unused_data)
        good_end = pos
        url = _final_response(out[:8192].decode("utf-8", "replace"))
        if url:
            done.append(url)
    return good_end, done


def recover_open_files(folder: str | Path) -> list[str]:
    """Finish the files a crash left open: keep their complete records under the final name
    (every record is its own gzip member, so the file is cut after the last complete member).
    Returns the requested URLs whose final response is complete: those URLs are done (a URL
    whose chain stopped at a redirect hop is not)."""
    done: list[str] = []
    for open_path in sorted(Path(folder).glob("*.warc.gz.open")):
        data = open_path.read_bytes()
        good_end, urls = _complete_members(data)
        final = Path(str(open_path)[: -len(".open")])
        tmp = Path(str(final) + ".tmp")
        tmp.write_bytes(data[:good_end])
        os.replace(tmp, final)
        open_path.unlink()
        done.extend(urls)
    return done


def _charset(content_type: str | None) -> str | None:
    if content_type and "charset=" in content_type.lower():
        return content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'")
    return None


def read_warc(path: str) -> Iterator[Page | InputError]:
    """HTML responses of a WARC file as pages (ours, Common Crawl's, any WARC 1.0/1.1).
    A file cut short yields its complete records, then an error naming it."""
    count = 0
    end = 0
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            it = ArchiveIterator(fh)
            for record in it:
                page = _page_of(record, path, count + 1)
                it.read_to_end()
                end = it.get_record_offset() + it.get_record_length()
                if page is not None:
                    count += 1
                    yield page
        if end < size:
            yield InputError(
                path,
                ErrorCode.CORRUPT_ARCHIVE,
                f"truncated or corrupt WARC: {size - end} byte(s) after the last complete record",
            )
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, AttributeError, KeyError, TypeError) as exc:
        # warcio raises several kinds on damaged input (AttributeError for a record without URI)
        yield InputError(
            path,
            ErrorCode.CORRUPT_ARCHIVE,
            f"truncated or corrupt WARC after {count} record(s): {type(exc).__name__}: {exc}",
        )
        return
    if count == 0:
        yield InputError(path, ErrorCode.NO_HTML_RECORD, "WARC holds no HTML response record")


def _page_of(record: Any, path: str, n: int) -> Page | None:
    if record.rec_type != "response":
        return None
    http = record.http_headers
    ctype = http.get_header("Content-Type") if http else None
    code = http.get_statuscode() if http else None
    if code and not code.startswith("2"):
        return None
    if ctype and "html" not in ctype.lower() and "text" not in ctype.lower():
        return None
    body = record.content_stream().read()
    url = record.rec_headers.get_header("WARC-Target-URI")
    fetched = record.rec_headers.get_header("WARC-Date")
    return Page(path=f"{path}#{n}", url=url, raw=body, kind="html", charset=_charset(ctype), fetched=fetched)


def ip_of(host: str) -> str | None:
    try:
        return socket.gethostbyname(host)
    except OSError:
        return None
