"""Pure text cleaning for pages of Chinese document-sharing sites: no file or network I/O.

The public names are re-exported here, loaded on first use (PEP 562) so that importing a small
module such as `cleaners.defaults` does not load the whole pipeline; the modules behind them may move.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .document import Page, Record, Removal, Section, text_id
    from .errors import CleanError, EmptyPageError, NotTextError
    from .knowledge import ProfileSet
    from .pipeline import clean_page, clean_title
    from .profiles import Rule, SiteProfile

_WHERE = {
    "Page": "document",
    "Record": "document",
    "Removal": "document",
    "Section": "document",
    "text_id": "document",
    "CleanError": "errors",
    "EmptyPageError": "errors",
    "NotTextError": "errors",
    "clean_page": "pipeline",
    "clean_title": "pipeline",
    "ProfileSet": "knowledge",
    "Rule": "profiles",
    "SiteProfile": "profiles",
}

__all__ = [
    "CleanError",
    "EmptyPageError",
    "NotTextError",
    "Page",
    "ProfileSet",
    "Record",
    "Removal",
    "Rule",
    "Section",
    "SiteProfile",
    "clean_page",
    "clean_title",
    "text_id",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'cleaners' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
