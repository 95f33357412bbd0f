"""Benchmark: near-duplicate detection on synthetic JD-like documents with planted duplicates.

harvester's deduplication (rensa MinHash over character 5-grams, numpy LSH banding, verification,
clusters) side by side with a plain datasketch MinHash + MinHashLSH baseline, in the same run.
Each measurement runs in its own child process, so peak RSS is its own. Documents are generated
on the fly from seeds (never held in memory together). About 10% of the documents are planted
duplicates of another: an exact copy, a copy with a sentence changed, or a truncated preview.
usage: python benchmarks/bench_dedup.py [--docs 100000 1000000] [--baseline-docs 100000]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.pages import job_description

PLANT_EVERY = 10  # one document in ten is a planted duplicate


def _base(seed: int) -> str:
    return "\n".join(job_description(random.Random(seed)))


def corpus(n: int) -> Iterator[tuple[int, int, str]]:
    """(index, family, text): a planted duplicate has its original's family."""
    for i in range(n):
        if i % PLANT_EVERY == PLANT_EVERY - 1 and i > PLANT_EVERY:
            rng = random.Random(i)
            parent = rng.randrange(0, i - 1)
            while parent % PLANT_EVERY == PLANT_EVERY - 1:
                parent -= 1
            text = _base(parent)
            kind = i // PLANT_EVERY % 3
            if kind == 1:  # a sentence changed
                lines = text.split("\n")
                k = rng.randrange(5, len(lines))
                lines[k] = lines[k][:-1] + ",并形成书面记录;"
                text = "\n".join(lines)
            elif kind == 2:  # a truncated preview
                text = text[: len(text) * 3 // 5]
            yield i, parent, text
        else:
            yield i, i, _base(i)


def _facts(item: tuple[int, int, str]) -> tuple[int, str, tuple[int, int, int], str, object]:
    """What a worker sends the driver for one document: its family (for scoring), exact key,
    quality, id and sketch."""
    from cleaners.dedup_key import exact_key
    from cleaners.document import text_id
    from cleaners.flags import is_truncated
    from cleaners.near_dup import sketch

    _, family, text = item
    lines = text.split("\n")
    quality = (0 if is_truncated(lines, False) else 1, 0, len(text))
    return family, exact_key(text), quality, text_id(text), sketch(text)


def run_harvester(n: int) -> dict:
    """The driver's side, as in `harvester clean`: sketches come from worker processes (here a
    pool of one per core), the driver holds the dedup state (signatures spilled to disk past
    SPILL_AT documents) and resolves it. Peak RSS is the driver's."""
    import multiprocessing
    import os
    import tempfile
    from array import array

    from harvester.dedupe import DedupState

    spill = tempfile.mkdtemp(prefix="bench-dedup-", dir=os.environ.get("BENCH_SPILL_DIR", "."))
    state = DedupState(spill=Path(spill))
    families = array("q")
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
        for family, key, quality, doc_id, sk in pool.imap(_facts, corpus(n), chunksize=256):
            families.append(family)
            state.add(key, quality, doc_id, sk)
    sketched = time.perf_counter()
    dups = state.resolve()
    seconds = time.perf_counter() - start
    state.close()
    Path(spill).rmdir()
    resolve = {i: k for i, (k, _) in dups.items()}
    return _score("harvester", n, families, resolve, seconds, sketched - start, seconds - (sketched - start))


def run_datasketch(n: int) -> dict:
    from datasketch import MinHash, MinHashLSH

    from cleaners.near_dup import dedup_content, shingles

    lsh = MinHashLSH(threshold=0.7, num_perm=128)
    families: list[int] = []
    dups: dict[int, int] = {}
    start = time.perf_counter()
    for i, family, text in corpus(n):
        families.append(family)
        m = MinHash(num_perm=128)
        m.update_batch([s.encode() for s in shingles(dedup_content(text))])
        hits = lsh.query(m)
        if hits:
            dups[i] = int(min(hits))
        else:
            lsh.insert(str(i), m)
    seconds = time.perf_counter() - start
    return _score("datasketch", n, families, dups, seconds, None, None)


def _score(
    name: str,
    n: int,
    families: Sequence[int],
    dups: dict[int, int],
    seconds: float,
    sketch_s: float | None,
    resolve_s: float | None,
) -> dict:
    planted = [i for i in range(n) if families[i] != i]
    root = lambda i: dups.get(i, i)  # noqa: E731  (the kept copy of a document's cluster)
    found = sum(1 for i in planted if root(i) == root(families[i]))  # planted copy and original together
    wrong = sum(1 for i, k in dups.items() if families[k] != families[i])
    return {
        "tool": name,
        "docs": n,
        "seconds": round(seconds, 1),
        "docs_per_s": round(n / seconds),
        "sketch_seconds": round(sketch_s, 1) if sketch_s else None,
        "resolve_seconds": round(resolve_s, 1) if resolve_s else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "planted": len(planted),
        "recall": round(found / max(1, len(planted)), 4),
        "false_merges": wrong,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument(
        "--baseline-docs", type=int, default=100_000, help="datasketch is run on this many (slow)"
    )
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        tool, n = a.child[0], int(a.child[1])
        print(json.dumps(run_harvester(n) if tool == "harvester" else run_datasketch(n)))
        return
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    print(
        f"{'tool':<12}{'docs':>10}{'docs/s':>10}{'seconds':>9}{'resolve s':>10}{'peak MB':>9}{'recall':>8}"
        f"{'false merges':>14}"
    )
    runs = [("harvester", n) for n in a.docs] + ([("datasketch", a.baseline_docs)] if a.baseline_docs else [])
    for tool, n in runs:
        out = subprocess.run(
            [sys.executable, __file__, "--child", tool, str(n)], capture_output=True, text=True, check=True
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{r['tool']:<12}{r['docs']:>10}{r['docs_per_s']:>10}{r['seconds']:>9}{r['resolve_seconds'] or '':>10}"
            f"{r['peak_rss_mb']:>9}{r['recall']:>8}{r['false_merges']:>14}",
            flush=True,
        )


if __name__ == "__main__":
    main()
