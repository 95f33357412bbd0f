"""Which shingles separate duplicates from template siblings best on real pages?

Builds the labelled near-duplicate set of tests/dedup_set.py from ../shared/corpus, then for each
shingling scheme computes exact Jaccard for every duplicate pair and every hard-negative pair
(different documents), and reports the margin between them and the time per document.
usage: python benchmarks/compare_shingles.py   (needs ../shared/corpus)
"""

from __future__ import annotations

import itertools
import json
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jieba

from cleaners import Page, clean_page
from cleaners.near_dup import dedup_content
from harvester.sites import load_profiles
from tests import dedup_set

jieba.setLogLevel(logging.WARNING)


def chars(n):
    return lambda c: {c[i : i + n] for i in range(max(1, len(c) - n + 1))}


def words(n):
    def f(c):
        w = [t for t in jieba.lcut(c) if t.strip()]
        return {"\x00".join(w[i : i + n]) for i in range(max(1, len(w) - n + 1))}

    return f


def main() -> None:
    corpus = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "pages.jsonl"
    rows = [json.loads(x) for x in corpus.open(encoding="utf-8")]
    profiles = load_profiles()
    items = dedup_set.build(rows, profiles)
    texts = [dedup_content(clean_page(Page(text=t), profiles)[0].text) for _, t in items]
    groups = [g for g, _ in items]
    print(f"{len(texts)} documents, {len(set(groups))} groups")
    print(f"{'shingles':<14}{'dup J p05':>10}{'sibling J max':>15}{'neg J p99.9':>12}{'ms/doc':>8}")
    for name, fn in [
        ("char 3", chars(3)),
        ("char 4", chars(4)),
        ("char 5", chars(5)),
        ("char 6", chars(6)),
        ("jieba 1", words(1)),
        ("jieba 2", words(2)),
        ("jieba 3", words(3)),
    ]:
        t = time.perf_counter()
        sets = [fn(c) for c in texts]
        ms = (time.perf_counter() - t) / len(texts) * 1000
        dup, neg, sib = [], [], []
        for a, b in itertools.combinations(range(len(texts)), 2):
            j = len(sets[a] & sets[b]) / max(1, len(sets[a] | sets[b]))
            if groups[a] == groups[b]:
                dup.append(j)
            else:
                neg.append(j)
                if groups[a].startswith("template") and groups[b].startswith("template"):
                    sib.append(j)
        dup.sort()
        neg.sort()
        print(
            f"{name:<14}{dup[len(dup) // 20]:>10.3f}{max(sib):>15.3f}{neg[int(len(neg) * 0.999)]:>12.3f}{ms:>8.2f}"
        )


if __name__ == "__main__":
    main()
