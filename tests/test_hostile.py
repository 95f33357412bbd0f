"""The hostile corpus through `harvester clean`: no crash, no hang, every input accounted for,
every good document written, the summary's numbers adding up."""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path

from .conftest import ROOT, harvester
from .hostile import make_hostile_corpus


def _file_of(path: str) -> str:
    """The input file a record or error names: without a WARC `#n` or a JSONL `:line` suffix."""
    return Path(re.sub(r"(?:#|:)\d+$", "", path)).name


def test_hostile_corpus_is_cleaned_without_crash_and_everything_is_accounted_for(tmp_path):
    src = tmp_path / "hostile"
    made = make_hostile_corpus(src, huge=True)
    out = tmp_path / "out.jsonl"
    start = time.monotonic()
    res = subprocess.run(
        harvester("clean", str(src), "-o", str(out), "--jobs", "2", "--no-dedup", "--time-budget", "20"),
        cwd=ROOT,
        capture_output=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr.decode()[-2000:]
    assert time.monotonic() - start < 120

    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    errors = [
        json.loads(x) for x in out.with_name("out.errors.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert not [e for e in errors if "internal error" in e["reason"]]
    with_records = {_file_of(r["source"]["path"]) for r in records}
    with_errors = {_file_of(e["path"]) for e in errors}
    assert set(made) <= with_records | with_errors, set(made) - (with_records | with_errors)
    for name, what in made.items():
        if what.startswith("good:"):
            assert name in with_records, name
    assert sum(1 for r in records if r["source"]["path"].startswith(str(src / "rows.jsonl"))) == 16
    assert any("王喆" in r["text"] for r in records if "gbk-declared-utf8" in r["source"]["path"])
    reasons = {_file_of(e["path"]): e["reason"] for e in errors}
    assert "too large" in reasons["huge.html"] and "binary" in reasons["binary.html"]
    mojibake = [r for r in records if "mojibake" in r["source"]["path"]]
    assert not mojibake or "garbled" in mojibake[0]["flags"]

    summary = res.stderr.decode()
    assert f"Read {len(list(p for p in src.iterdir() if p.is_file()))} input file(s)" in summary


def test_the_time_budget_reports_a_slow_page_instead_of_waiting(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "big.txt").write_text("负责销售工作，" * 300_000, encoding="utf-8")
    (src / "ok.txt").write_text("岗位职责\n1.负责销售;\n2.负责回款。", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    res = subprocess.run(
        harvester("clean", str(src), "-o", str(out), "--time-budget", "0.05", "--jobs", "1"),
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert res.returncode == 0
    errors = [json.loads(x) for x in out.with_name("o.errors.jsonl").read_text().splitlines()]
    assert any("time budget" in e["reason"] and e["path"].endswith("big.txt") for e in errors)
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1
