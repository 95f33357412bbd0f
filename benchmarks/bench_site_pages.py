"""Benchmark: CPU time per page on site-like pages made from real development texts.

The pages are the 196 labelled development texts in score-corpus's six site layouts with their
chrome (`benchmarks/site_pages.py`; each copy in a layout and chrome of its own). In one run, for
several rounds, each in a child process of its own:

- `harvester clean --jobs 1`, the whole command (start-up, reading, decoding, cleaning, site
  templates, deduplication, writing): CPU time of the child process;
- `clean_page` in-process (no start-up, no I/O);
- `trafilatura.extract` (default, and `fast=True`) and resiliparse's
  `extract_plain_text(main_content=True)` on the same HTML strings, imports excluded.

Prints min and median ms/page of CPU and the ratio of each tool's CPU to the whole command's;
then the wall-clock speed-up of `--jobs 2` over `--jobs 1` on --jobs-pages pages.
usage: python benchmarks/bench_site_pages.py [--pages 980] [--rounds 3] [--jobs-pages 5000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.site_pages import SCORER, many_pages

LIBRARIES = ("trafilatura", "trafilatura-fast", "resiliparse", "clean_page")


def _cpu_self() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _library(tool: str, n: int) -> float:
    """CPU seconds of one library over the n pages, after one warm-up call."""
    pages = many_pages(n)
    if tool.startswith("trafilatura"):
        import trafilatura

        fast = tool.endswith("fast")

        def run(page: str) -> object:
            return trafilatura.extract(page, fast=fast)
    elif tool == "resiliparse":
        from resiliparse.extract.html2text import extract_plain_text
        from resiliparse.parse.html import HTMLTree

        def run(page: str) -> object:
            return extract_plain_text(HTMLTree.parse(page), main_content=True)
    else:
        from cleaners import Page, clean_page
        from cleaners.errors import CleanError
        from harvester.sites import load_profiles

        profiles = load_profiles()

        def run(page: str) -> object:
            try:
                return clean_page(Page(html=page), profiles)
            except CleanError:
                return None

    run(pages[0])
    start = _cpu_self()
    for page in pages:
        run(page)
    return _cpu_self() - start


def _write(folder: Path, n: int) -> None:
    folder.mkdir()
    for i, page in enumerate(many_pages(n)):
        (folder / f"{i:06d}.html").write_text(page, encoding="utf-8")


def _cli(folder: Path, jobs: int) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of the whole `harvester clean` on the folder."""
    with tempfile.TemporaryDirectory() as out:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "harvester",
                "clean",
                str(folder),
                "-o",
                f"{out}/out.jsonl",
                "--jobs",
                str(jobs),
            ],
            capture_output=True,
            check=True,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, wall


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=980)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--jobs-pages", type=int, default=5000, help="0: skip the --jobs 2 measurement")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        print(json.dumps(_library(a.child[0], int(a.child[1]))))
        return 0
    if not SCORER.exists():
        print(f"bench_site_pages: {SCORER} is absent", file=sys.stderr)
        return 2
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"{a.pages} site-like pages, {a.rounds} rounds; CPU ms/page (min, median)")
    cpu: dict[str, list[float]] = {t: [] for t in ("harvester clean --jobs 1", *LIBRARIES)}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        _write(folder, a.pages)
        for _ in range(a.rounds):
            cpu["harvester clean --jobs 1"].append(_cli(folder, 1)[0])
            for tool in LIBRARIES:
                out = subprocess.run(
                    [sys.executable, __file__, "--child", tool, str(a.pages)], capture_output=True, check=True
                )
                cpu[tool].append(json.loads(out.stdout.decode().strip().splitlines()[-1]))
    whole = statistics.median(cpu["harvester clean --jobs 1"])
    print(f"{'what':<28}{'min':>8}{'median':>8}{'CPU ÷ the whole command':>26}")
    for tool, seconds in cpu.items():
        per = [s * 1000 / a.pages for s in seconds]
        ratio = statistics.median(seconds) / whole
        print(f"{tool:<28}{min(per):>8.2f}{statistics.median(per):>8.2f}{ratio:>25.2f}×")
    if a.jobs_pages:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "in"
            _write(folder, a.jobs_pages)
            one, two = _cli(folder, 1)[1], _cli(folder, 2)[1]
        print(
            f"{a.jobs_pages} pages, wall: --jobs 1 {one:.1f} s ({a.jobs_pages / one:.0f} pages/s), "
            f"--jobs 2 {two:.1f} s ({a.jobs_pages / two:.0f} pages/s): {one / two:.2f}×"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
