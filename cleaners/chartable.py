"""The traditional → simplified character table that rules and lexicons read pages through.

The table is knowledge (`data/lexicon/characters.toml`): the loader hands it to `use_table`
once per process, when it builds the knowledge (`ProfileSet.build`), before any page is cleaned;
every later `to_simplified` reads it. It is process-wide because the simplified view is taken in
many small steps (rules, notices, openers, job fields) that should not each carry it, and
because one process cleans with one knowledge set. Without a table the view is the text itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_table: dict[int, str] = {}
_has_traditional: re.Pattern[str] = re.compile("(?!)")  # matches nothing until a table is given


def use_table(pairs: Iterable[str]) -> None:
    """Install the table: runs of pairs, each a traditional character then its simplified form.
    Raises ValueError on a run of odd length or a character mapped two ways."""
    global _table, _has_traditional
    table: dict[int, str] = {}
    for run in pairs:
        if len(run) % 2:
            raise ValueError(f"a run of character pairs has odd length: {run[:20]}…")
        for trad, simp in zip(run[0::2], run[1::2], strict=True):
            if table.get(ord(trad), simp) != simp:
                raise ValueError(f"{trad} is mapped to both {table[ord(trad)]} and {simp}")
            if trad != simp:
                table[ord(trad)] = simp
    _table = table
    chars = "".join(sorted(chr(c) for c in table))
    _has_traditional = re.compile(f"[{re.escape(chars)}]") if chars else re.compile("(?!)")


def to_simplified(text: str) -> str:
    """The text with the table's traditional characters simplified (same length)."""
    return text.translate(_table) if _has_traditional.search(text) else text
