"""Benchmark: `harvester clean` with --jobs 1 and --jobs 2 on generated pages (pages/s and the
speed-up), and peak memory per worker as the input grows (20,000 → 200,000 pages).
Pages are text dumps of the document-site shape (benchmarks/pages.py) in one JSONL file.
usage: python benchmarks/bench_scale.py [--small 20000] [--large 200000]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.pages import text_page


def make_input(path: Path, n: int) -> None:
    rng = random.Random(5)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(
                json.dumps({"url": f"https://example.org/{i}", "text": text_page(rng)}, ensure_ascii=False)
                + "\n"
            )


def run(inp: Path, out: Path, jobs: int) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "harvester", "clean", str(inp), "-o", str(out), "--jobs", str(jobs)],
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--small", type=int, default=20_000)
    ap.add_argument("--large", type=int, default=200_000)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp, "small.jsonl"), Path(tmp, "large.jsonl")
        make_input(small, a.small)
        t1, m1 = run(small, Path(tmp, "o1.jsonl"), 1)
        t2, m2 = run(small, Path(tmp, "o2.jsonl"), 2)
        print(
            f"{a.small} pages: --jobs 1 {a.small / t1:.0f} pages/s, --jobs 2 {a.small / t2:.0f} pages/s, "
            f"speed-up {t1 / t2:.2f}x; peak RSS of the largest process {m1:.0f} / {m2:.0f} MB"
        )
        make_input(large, a.large)
        t3, m3 = run(large, Path(tmp, "o3.jsonl"), 2)
        print(
            f"{a.large} pages: --jobs 2 {a.large / t3:.0f} pages/s; peak RSS of the largest process {m3:.0f} MB"
        )


if __name__ == "__main__":
    main()
