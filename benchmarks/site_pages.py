"""Site-like HTML pages made from the real development texts, with score-corpus's own layouts.

`../shared/tools/score-corpus --html` wraps each labelled page text in one of six layouts
(paragraphs, <br> runs, one blob, nested divs, a list, a table) with navigation, notices,
counters, related lists, a sitemap and a footer. Its generator is read from the scorer at run
time (third-party text is never copied into the repository), so benchmarks and experiments see
the same pages the scorer does.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Callable
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
SCORER = SHARED / "tools" / "score-corpus"
CORPUS = SHARED / "corpus" / "pages.jsonl"


def _scorer_scope(upto: str) -> dict:
    """Run the scorer's source up to the line `upto` (its argument check, the chrome wordings
    and `wrap`), as if called with --html."""
    source = SCORER.read_text(encoding="utf-8").split(upto)[0]
    argv, sys.argv = sys.argv, ["score-corpus", "--html", "--harvester", "unused"]
    try:
        scope: dict = {"__file__": str(SCORER)}
        exec(compile(source, str(SCORER), "exec"), scope)
    finally:
        sys.argv = argv
    return scope


def scored_pages() -> tuple[Path, dict]:
    """score-corpus's --html pages, written to its work folder, and each page's chrome."""
    scope = _scorer_scope('out = work / "corpus.jsonl"')
    return scope["work"] / "in", scope["chrome_of"]


def rows() -> list[dict]:
    return [json.loads(line) for line in CORPUS.open(encoding="utf-8")]


def wrapper() -> Callable[[dict, random.Random], tuple[str, list[str]]]:
    """score-corpus's `wrap(row, rng) -> (html, chrome strings)`."""
    return _scorer_scope("rng = random.Random(3)")["wrap"]


def many_pages(n: int) -> list[str]:
    """n pages: the development texts round-robin, each copy in a layout and chrome of its own
    (copies of one text are duplicates, as on a real document site)."""
    wrap, texts = wrapper(), rows()
    return [wrap(texts[i % len(texts)], random.Random(i))[0] for i in range(n)]
