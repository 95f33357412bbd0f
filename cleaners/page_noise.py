"""Anti-copy noise decided per page: random printable-ASCII tokens appended to most lines.

One token alone cannot be told from technical content (`+5V~+15V`, `M3/P3`, an exam's `A.`),
but a page where most lines end in a jumble of mixed letter cases, digits and punctuation is a
page a scraper-trap wrote. So the decision is taken from the distribution over the page: only
when such tokens sit on a large share of its lines (and on at least three) are they cut, and
then from every line, whole ASCII lines included.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from .document import Removal

RULE = "generic/anti-copy-noise"
# A token at the end of a line (after a space or a CJK character), or a whole line of one.
_TRAILING = re.compile(r"(?:(?<=\s)|(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]))([\x21-\x7e]{4,16})\s*$")
_WHOLE = re.compile(r"^\s*([\x21-\x7e]{4,16})\s*$")
# Shapes of real tokens: numbers with units and ranges, codes like M3/P3, words, URLs, dates.
_TECHNICAL = re.compile(
    r"^[+\-~±]?\d+(?:\.\d+)?[A-Za-z%°]{0,3}(?:[~\-/][+\-]?\d+(?:\.\d+)?[A-Za-z%°]{0,3})*[.,;:)]?$"
    r"|^[A-Z]{1,4}\d{0,4}(?:[/\-][A-Z]{1,4}\d{0,4})*[.,;:)]?$"
    r"|^[A-Za-z][a-z]+(?:[\-'][A-Za-z]+)*[.,;:!?)]?$"
    r"|^\(?[A-Za-z0-9]\)?[.、)]$"
    r"|^(?:https?://|www\.)\S+$|^\S+@\S+\.\w+$"
    r"|^\d{1,4}[-/.:]\d{1,2}(?:[-/.:]\d{1,4})*$"
)
_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _jumbled(token: str) -> bool:
    """Mixed character classes, switching often: what random generators print."""
    if _TECHNICAL.match(token):
        return False
    classes = {
        "u" if c.isupper() else "l" if c.islower() else "d" if c.isdigit() else "p"
        for c in token
        if c.isascii()
    }
    if len(classes) < 3 and not (len(classes) == 2 and "p" in classes and len(token) >= 5):
        return False
    kinds = ["u" if c.isupper() else "l" if c.islower() else "d" if c.isdigit() else "p" for c in token]
    switches = sum(a != b for a, b in itertools.pairwise(kinds))
    return switches >= len(token) / 3


def _token(line: str) -> re.Match[str] | None:
    end = line.rstrip()[-1:]
    if not ("!" <= end <= "~"):  # most lines end in CJK text or punctuation: no regex for them
        return None
    return _WHOLE.match(line) or _TRAILING.search(line)


def is_noisy_page(lines: Sequence[str], share: float = 0.4, least: int = 3) -> bool:
    need = max(least, share * len(lines))
    hits = 0
    for k, line in enumerate(lines):
        if hits + len(lines) - k < need:
            return False  # the lines left cannot reach the share: a clean page stops early
        m = _token(line)
        hits += bool(m and _jumbled(m.group(1)))
    return hits >= need


def cut_page_noise(lines: Sequence[str]) -> tuple[list[str], list[Removal]]:
    """Lines without the noise tokens when the page is noisy; unchanged otherwise."""
    if not is_noisy_page(lines):
        return list(lines), []
    kept: list[str] = []
    removed: list[Removal] = []
    for line in lines:
        m = _token(line)
        if m and _jumbled(m.group(1)):
            removed.append(Removal(RULE, m.group(1)))
            line = line[: m.start(1)].rstrip()
        if line:
            kept.append(line)
    return kept, removed
