"""Pure text cleaning for pages of Chinese document-sharing sites: no file or network I/O.

The public names are re-exported here; the modules behind them may move.
"""

from .document import Page, Record, Removal, Section, text_id
from .errors import CleanError, EmptyPageError, NotTextError
from .pipeline import clean_page, clean_title
from .profiles import ProfileSet, Rule, SiteProfile

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
