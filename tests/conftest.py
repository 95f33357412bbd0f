"""Shared fixtures: the bundled profiles, the real pages in ../shared/corpus (skipped when absent)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import settings

from cleaners import Page, ProfileSet, Record, clean_page
from harvester.sites import load_profiles

# The suite's property tests draw the same examples on every run, so a CI run cannot fail on an
# input found by luck; the long fuzz run (benchmarks/long_fuzz.sh sets HYPOTHESIS_EXAMPLES)
# searches afresh.
settings.register_profile("suite", derandomize=True)
settings.register_profile("fuzz", derandomize=False)
settings.load_profile("fuzz" if os.environ.get("HYPOTHESIS_EXAMPLES") else "suite")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
SAMPLES = ROOT / "data" / "samples"


@pytest.fixture(scope="session")
def profiles() -> ProfileSet:
    return load_profiles()


@pytest.fixture(scope="session", autouse=True)
def _knowledge_loaded(profiles: ProfileSet) -> None:
    """Loading the knowledge installs its character table for the process
    (cleaners/chartable.py), as every entry point does: tests of single steps read through it."""


@pytest.fixture(scope="session")
def corpus_rows() -> list[dict]:
    path = SHARED / "pages.jsonl"
    if not path.exists():
        pytest.skip("../shared/corpus/pages.jsonl is absent")
    return [json.loads(line) for line in path.open(encoding="utf-8")]


@pytest.fixture(scope="session")
def book118_text() -> str:
    path = SHARED / "book118-customer-manager-jd.txt"
    if not path.exists():
        pytest.skip("../shared/corpus/book118-customer-manager-jd.txt is absent")
    return path.read_text(encoding="utf-8")


def harvester(*args: object) -> list[str]:
    """The command line that runs `harvester` with these arguments in this interpreter."""
    return [sys.executable, "-m", "harvester", *map(str, args)]


def peak_rss_mb(cmd: list[str], timeout: float) -> tuple[int, int, str]:
    """Run `cmd` under a small parent that reports its peak resident memory: (exit code, peak
    MB, stderr). The parent's own children only, so earlier tests' processes do not count."""
    probe = (
        "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], stderr=subprocess.PIPE);"
        " sys.stdout.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024));"
        " sys.stderr.buffer.write(r.stderr); sys.exit(r.returncode)"
    )
    res = subprocess.run([sys.executable, "-c", probe, *cmd], cwd=ROOT, capture_output=True, timeout=timeout)
    return res.returncode, int(res.stdout or 0), res.stderr.decode("utf-8", "replace")


def norm(s: str | None) -> str:
    """Compare modulo width and whitespace, as the corpus labels are meant."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def clean_text(text: str, profiles: ProfileSet, url: str | None = None) -> list[Record]:
    return clean_page(Page(text=text, url=url), profiles)


def clean_html(html: str, profiles: ProfileSet, url: str | None = None) -> list[Record]:
    return clean_page(Page(html=html, url=url, kind="html"), profiles)


def all_text(records: list[Record]) -> str:
    return "\n".join(f"{r.title or ''}\n{r.text}" for r in records)
