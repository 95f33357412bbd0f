"""Parquet output and the run report (report.json, report.html)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pyarrow.parquet as pq

from harvester.parquet import from_row

from .conftest import ROOT, SAMPLES


def _clean(*args):
    res = subprocess.run(
        [sys.executable, "-m", "harvester", "clean", str(SAMPLES), *args],
        cwd=ROOT,
        capture_output=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr.decode()


def test_parquet_holds_the_same_records_as_jsonl(tmp_path):
    _clean("-o", str(tmp_path / "c.jsonl"))
    _clean("-o", str(tmp_path / "c.parquet"), "--format", "parquet")
    rows = pq.read_table(tmp_path / "c.parquet").to_pylist()
    records = [json.loads(x) for x in (tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [r["id"] for r in records]
    for row, rec in zip(rows, records, strict=True):
        assert from_row(row) == rec  # every field, the tree and the job's open sections too
    assert any(r["job"] for r in records) and any(len(r["sections"]) > 1 for r in records)


def test_parquet_folder_output_is_sharded(tmp_path):
    _clean("-o", str(tmp_path / "out"), "--format", "parquet", "--shard-size", "5")
    parts = sorted((tmp_path / "out").glob("part-*.parquet"))
    assert len(parts) >= 3 and sum(pq.read_metadata(p).num_rows for p in parts) >= 15


def test_parquet_needs_a_parquet_target():
    res = subprocess.run(
        [sys.executable, "-m", "harvester", "clean", "--format", "parquet", "-o", "-"],
        cwd=ROOT,
        capture_output=True,
    )
    assert res.returncode == 2


def test_report_numbers_add_up_and_the_html_shows_them(tmp_path):
    out = tmp_path / "out"
    _clean("-o", str(out))
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    kept = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in out.glob("part-*.jsonl"))
    dups = len((out / "duplicates.jsonl").read_text(encoding="utf-8").splitlines())
    assert report["documents"] == kept and report["duplicates"] == dups
    assert sum(report["sites"].values()) == kept == sum(report["text_length"].values())
    assert report["inputs"]["files"] == len([p for p in SAMPLES.iterdir() if p.is_file()])
    assert sum(report["inputs"]["by_type"].values()) == report["inputs"]["files"]
    assert report["removed_by_rule"]["book118/related-list"] >= 1 and report["timings_s"]["total"] > 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count("<svg") >= 4 and "<del>" in page and str(report["documents"]) in page


def test_report_html_renders_in_a_headless_browser(tmp_path):
    import shutil

    import pytest

    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not browser:
        pytest.skip("no headless Chromium on this machine (Debian: apt install chromium)")
    out = tmp_path / "out"
    _clean("-o", str(out))
    res = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            (out / "report.html").as_uri(),
        ],
        capture_output=True,
        timeout=120,
    )
    dom = res.stdout.decode("utf-8", "replace")
    assert res.returncode == 0 and "<svg" in dom and "harvester run report" in dom and "<del>" in dom


def test_report_samples_spread_over_the_run_and_cover_the_flags():
    from harvester.report import RunReport, render_html

    report = RunReport()
    for i in range(1000):
        flags = ["truncated"] if i == 700 else ["short"] if i == 900 else []
        line = json.dumps(
            {"id": f"d{i}", "text": f"文本{i}", "removed": [{"rule": f"r{i % 30}", "text": "x"}]}
        )
        report.add_facts(("site", flags, [f"r{i % 30}"], 10, False), line)
    ids = [int(s["id"][1:]) for s in report.samples]
    assert len(report.spread) == 5 and max(i for i in ids if i not in (700, 900)) > 100  # not the first few
    assert {"d700", "d900"} <= {s["id"] for s in report.samples}  # one for each flag
    summary = type(
        "S", (), {"inputs": 1, "pages": 1000, "documents": 1000, "duplicates": 0, "errors": [], "reasons": {}}
    )
    page = render_html(report.as_dict(summary, Counter(), {"total": 1.0}))
    assert all(f">r{k}<" in page for k in range(30))  # every rule listed, not the top 20
