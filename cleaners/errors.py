"""Why an input or a page produced no document: a fixed code for counting, a message for people.

The code is what scripts and the run report group by (`errors.jsonl` rows carry both); the
message names the detail (a size, a line number, the exception). Each CleanError subclass is
one code, so a worker's failure reaches the report without parsing its message.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ErrorCode(StrEnum):
    """Every reason an input can be accounted for without a document."""

    NOT_FOUND = "not_found"
    NOT_REGULAR_FILE = "not_regular_file"
    UNREADABLE = "unreadable"  # the operating system refused, or a reader failed on the bytes
    TOO_LARGE = "too_large"  # over --max-file-size (a file or one JSONL row)
    EMPTY_FILE = "empty_file"  # zero bytes, or a JSONL file with no rows
    CORRUPT_ARCHIVE = "corrupt_archive"  # a truncated or damaged gzip or WARC file
    NO_HTML_RECORD = "no_html_record"  # a WARC with no HTML response in it
    MALFORMED_ROW = "malformed_row"  # a JSONL line that is not JSON, not an object, or has no text
    BINARY = "binary"  # binary data, not a text or HTML page
    EMPTY = "empty"  # readable, but no document text once chrome and boilerplate are gone
    TIMEOUT = "timeout"  # over the per-page time budget
    INTERNAL = "internal_error"  # a bug in harvester: reported with the page, never fatal


class CleanError(ValueError):
    """A page could not be turned into any document; the message says why."""

    code = ErrorCode.UNREADABLE


class NotTextError(CleanError):
    """Binary data, not a text or HTML page."""

    code = ErrorCode.BINARY


class EmptyPageError(CleanError):
    """Readable, but holds no document text once chrome and boilerplate are gone."""

    code = ErrorCode.EMPTY


@dataclass(frozen=True, slots=True)
class InputError:
    """An input (or a row of one) that yields no page: why as a code, and as words."""

    path: str | None
    code: ErrorCode
    reason: str
    url: str | None = None
