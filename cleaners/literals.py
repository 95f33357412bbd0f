"""The literals a regex cannot match without: a cheap test that skips a rule on most lines.

A boilerplate rule (or the one regex its kind's rules are joined into) is tried on every line,
and most lines hold no chrome at all. From the parsed pattern we derive a set of strings one of
which every match contains (`注册会员|VIP` needs `注册会员` or `VIP`; `下载\\s*\\d+次` needs `下载`);
a line holding none of them cannot match, so the regex is not run on it. The result is the same
as running it: the set is derived from the pattern, never written by hand, and a pattern it
cannot reason about (case-insensitive, no literal in every branch) gets no set and always runs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

MAX_CLASS = 8  # a character class of at most this many literal characters counts as literals


def required_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Strings one of which every match of `pattern` contains; None when none can be found."""
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except (re.error, TypeError, ValueError):
        return None
    found = _required(list(parsed))
    if not found or "" in found:
        return None
    return frozenset(found)


def _required(items: Sequence[tuple[Any, Any]]) -> set[str] | None:
    """For a sequence of parsed items: the most selective set that some item requires."""
    candidates: list[set[str]] = []
    run = ""
    for op, av in items:
        if op is sre.LITERAL:
            run += chr(av)
            continue
        if run:
            candidates.append({run})
            run = ""
        need: set[str] | None = None
        if op is sre.SUBPATTERN:
            need = _required(list(av[-1]))
        elif op is sre.ATOMIC_GROUP:
            need = _required(list(av))
        elif op is sre.BRANCH:
            branches = [_required(list(b)) for b in av[1]]
            if branches and all(branches):
                need = set().union(*branches)  # type: ignore[arg-type]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            need = _required(list(av[2]))
        elif op is sre.IN and len(av) <= MAX_CLASS and all(o is sre.LITERAL for o, _ in av):
            need = {chr(a) for _, a in av}
        if need:
            candidates.append(need)
    if run:
        candidates.append({run})
    if not candidates:
        return None
    # the set whose shortest string is longest (rarest in text), then the smallest
    return max(candidates, key=lambda s: (min(map(len, s)), -len(s)))


@lru_cache(maxsize=1024)
def needs(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """`required_literals`, derived once per pattern."""
    return required_literals(pattern)


def may_match(pattern: re.Pattern[str], text: str) -> bool:
    """False when the pattern cannot match in the text (it lacks every required literal)."""
    return holds_any(text, needs(pattern))


def holds_any(text: str, literals: frozenset[str] | None) -> bool:
    """Whether a pattern with these required literals can match in `text` at all: one scan of
    the text by an alternation of plain strings (the regex engine skips, by their first
    characters, the positions where none can start)."""
    return literals is None or _scanner(literals).search(text) is not None


@lru_cache(maxsize=512)
def _scanner(literals: frozenset[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(lit) for lit in sorted(literals, key=lambda x: (-len(x), x))))
