"""Would trafilatura help where harvester's extractor finds no confident block?

Builds the `score-corpus --html` pages (the 196 development texts in six site layouts, with
their chrome; the generator is read from ../shared/tools/score-corpus at run time), finds the
pages on which harvester's extractor takes the whole <body> (no block holds most of the prose),
and scores two ways on them, as score-corpus scores: harvester's own output, and harvester's
cleaning of what `trafilatura.extract` returns.

usage: python benchmarks/trafilatura_fallback.py
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import trafilatura
from selectolax.lexbor import LexborHTMLParser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.site_pages import SCORER, scored_pages
from benchmarks.site_pages import rows as corpus_rows
from cleaners import Page, clean_page
from cleaners.errors import CleanError
from cleaners.extract import CHROME_TAGS, INVISIBLE_TAGS, _drop_link_lists, _select_content
from cleaners.pipeline import _chrome_test
from harvester.sites import load_profiles


def norm(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def score(text: str, row: dict, chrome: list[str]) -> tuple[int, int, int, int]:
    """Boilerplate strings leaked of those checked, content strings lost of those checked."""
    out = norm(text)
    remove = []
    for s in row["must_remove"]:
        parts = [x for x in re.split(r"(?<=[。！？!?])", s) if len(norm(x)) >= 8]
        remove += parts if len(parts) > 1 else [s]
    remove += [c for c in chrome if norm(c) not in norm(row["text"])]
    keep = row["must_keep"]
    return sum(norm(s) in out for s in remove), len(remove), sum(norm(s) not in out for s in keep), len(keep)


def cleaned(page: Page, profiles) -> str:
    try:
        return "\n".join((r.title or "") + "\n" + r.text for r in clean_page(page, profiles))
    except CleanError:
        return ""


def main() -> int:
    if not SCORER.exists():
        print(f"trafilatura_fallback: {SCORER} is absent", file=sys.stderr)
        return 2
    folder, chrome_of = scored_pages()
    rows = {}
    for r in corpus_rows():
        rows[r["id"]] = r
    profiles = load_profiles()
    totals = {"harvester": [0, 0, 0, 0], "trafilatura, then harvester's cleaning": [0, 0, 0, 0]}
    pages = 0
    for path in sorted(folder.glob("*.html")):
        html = path.read_text(encoding="utf-8")
        tree = LexborHTMLParser(html)
        tree.strip_tags(INVISIBLE_TAGS)
        for node in tree.css(CHROME_TAGS):
            node.decompose()
        if tree.body is None:
            continue
        _drop_link_lists(tree.body)
        root, _ = _select_content(tree, (), _chrome_test(profiles))
        if root is None or root.mem_id != tree.body.mem_id:
            continue  # a confident block: not where a fallback would be used
        pages += 1
        row, chrome = rows[path.stem], chrome_of[path.stem]
        text = trafilatura.extract(html) or ""
        for name, out in (
            ("harvester", cleaned(Page(html=html), profiles)),
            ("trafilatura, then harvester's cleaning", cleaned(Page(text=text), profiles) if text else ""),
        ):
            totals[name] = [a + b for a, b in zip(totals[name], score(out, row, chrome), strict=True)]
    print(f"pages where harvester's extractor takes the whole body: {pages} of {len(rows)}")
    for name, (leaked, n_remove, lost, n_keep) in totals.items():
        print(f"{name}: boilerplate leaked {leaked}/{n_remove}, content lost {lost}/{n_keep}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
