"""Why a page produced no document. Each reason is a class so the run report can count them."""

from __future__ import annotations


class CleanError(ValueError):
    """A page could not be turned into any document; the message says why."""

    reason = "unreadable"


class NotTextError(CleanError):
    """Binary data, not a text or HTML page."""

    reason = "binary"


class EmptyPageError(CleanError):
    """Readable, but holds no document text once chrome and boilerplate are gone."""

    reason = "empty"
