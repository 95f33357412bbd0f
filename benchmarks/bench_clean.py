"""Benchmark: pages/s and peak memory of `clean_page` on HTML and text pages, single process,
side by side with `trafilatura.extract` on the same HTML, in the same run.

Each measurement runs in its own child process so that peak RSS belongs to it alone. The
`harvester-cli-html` row times the whole `harvester clean --jobs 1` command on the same pages
written as files (process start, reading, cleaning, deduplication and writing included).
usage: python benchmarks/bench_clean.py [--pages N] [--seed S]
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.pages import html_page, text_page


def _measure(kind: str, n: int, seed: int) -> dict:
    rng = random.Random(seed)
    make = text_page if kind == "harvester-text" else html_page
    pages = [make(rng) for _ in range(n)]
    if kind == "trafilatura-html":
        import trafilatura

        def run(page: str) -> object:
            return trafilatura.extract(page)
    else:
        from cleaners import Page, clean_page
        from harvester.sites import load_profiles

        profiles = load_profiles()
        page_kind = "text" if kind == "harvester-text" else "html"

        def run(page: str) -> object:
            return clean_page(Page(text=page, kind=page_kind), profiles)

    run(pages[0])  # imports and first-call setup are not what we measure
    start = time.perf_counter()
    for page in pages:
        run(page)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"kind": kind, "pages": n, "seconds": seconds, "pages_per_s": n / seconds, "peak_rss_mb": peak_mb}


def _measure_cli(n: int, seed: int) -> dict:
    """The whole `harvester clean --jobs 1` on HTML files: reading, cleaning, dedup, writing."""
    import tempfile

    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        for i in range(n):
            (src / f"{i:06d}.html").write_text(html_page(rng), encoding="utf-8")
        start = time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "harvester",
                "clean",
                str(src),
                "-o",
                str(Path(tmp) / "out.jsonl"),
                "--jobs",
                "1",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    del proc
    return {
        "kind": "harvester-cli-html",
        "pages": n,
        "seconds": seconds,
        "pages_per_s": n / seconds,
        "peak_rss_mb": peak_mb,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child == "harvester-cli-html":
        print(json.dumps(_measure_cli(a.pages, a.seed)))
        return
    if a.child:
        print(json.dumps(_measure(a.child, a.pages, a.seed)))
        return
    results = {}
    for kind in ("harvester-html", "trafilatura-html", "harvester-text", "harvester-cli-html"):
        out = subprocess.run(
            [sys.executable, __file__, "--child", kind, "--pages", str(a.pages), "--seed", str(a.seed)],
            capture_output=True,
            text=True,
            check=True,
        )
        results[kind] = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}"
    )
    print(f"{'extractor':<20}{'pages':>8}{'pages/s':>12}{'peak RSS MB':>14}")
    for r in results.values():
        print(f"{r['kind']:<20}{r['pages']:>8}{r['pages_per_s']:>12.1f}{r['peak_rss_mb']:>14.1f}")
    ratio = results["harvester-html"]["pages_per_s"] / results["trafilatura-html"]["pages_per_s"]
    print(f"harvester vs trafilatura on the same HTML: {ratio:.1f}x the pages/s (target >= 10x)")


if __name__ == "__main__":
    main()
