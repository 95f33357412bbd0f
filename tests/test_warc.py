"""WARC files: rotation, atomic naming, recovery after a crash, and reading them in `clean`."""

from __future__ import annotations

import json
import subprocess
import sys

from warcio.archiveiterator import ArchiveIterator

from harvester.warc import Exchange, WarcSink, read_warc, recover_open_files

from .conftest import ROOT

PAGE = "<html><head><meta charset='gb2312'></head><body><div><p>岗位职责：负责档案管理，编制人王喆。</p></div></body></html>"


def _write(folder, n, rotate=10**9):
    sink = WarcSink(folder, rotate_bytes=rotate)
    for i in range(n):
        sink.write(
            Exchange(
                f"http://example.org/{i}.html",
                200,
                "OK",
                [("Content-Type", "text/html; charset=gb2312")],
                PAGE.encode("gb18030"),
                request_headers=[("User-Agent", "harvester-test")],
                ip="127.0.0.1",
                payload_type="text/html",
            )
        )
        sink.rotate_if_full()
    return sink


def test_records_read_back_with_warcio_and_files_rotate(tmp_path):
    sink = _write(tmp_path, 6, rotate=2000)
    sink.close()
    files = sorted(tmp_path.glob("*.warc.gz"))
    assert len(files) >= 2 and not list(tmp_path.glob("*.open"))
    types, payload_types = [], set()
    for f in files:
        with open(f, "rb") as fh:
            for rec in ArchiveIterator(fh):
                types.append(rec.rec_type)
                if rec.rec_type == "response":
                    payload_types.add(rec.rec_headers.get_header("WARC-Identified-Payload-Type"))
                    assert rec.rec_headers.get_header("WARC-IP-Address") == "127.0.0.1"
                    assert rec.rec_headers.protocol == "WARC/1.1"
    assert types.count("response") == 6 and types.count("request") == 6 and payload_types == {"text/html"}


def test_a_crash_leaves_no_file_under_its_final_name_and_recovery_keeps_complete_records(tmp_path):
    _write(tmp_path, 3)  # never closed: a crash
    (open_file,) = tmp_path.glob("*.warc.gz.open")
    assert not list(tmp_path.glob("*.warc.gz"))
    open_file.write_bytes(open_file.read_bytes()[:-40])  # the last record cut by the kill
    assert recover_open_files(tmp_path) == ["http://example.org/0.html", "http://example.org/1.html"]
    (final,) = tmp_path.glob("*.warc.gz")
    assert [p.url for p in read_warc(str(final)) if hasattr(p, "url")] == [
        "http://example.org/0.html",
        "http://example.org/1.html",
    ]


def test_clean_reads_warc_and_reports_a_truncated_one(tmp_path):
    sink = _write(tmp_path / "in", 2)
    sink.close()
    (good,) = (tmp_path / "in").glob("*.warc.gz")
    cut = tmp_path / "in" / "cut.warc.gz"
    cut.write_bytes(good.read_bytes()[:-200])
    out = tmp_path / "out.jsonl"
    res = subprocess.run(
        [sys.executable, "-m", "harvester", "clean", str(tmp_path / "in"), "-o", str(out), "--no-dedup"],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr.decode()
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 3 and all("王喆" in r["text"] for r in records)
    assert records[0]["source"]["url"] == "http://example.org/0.html"
    # the capture time of each record (WARC-Date), an ISO 8601 moment, in the record's source
    assert all(r["source"]["fetched"] and r["source"]["fetched"][:2] == "20" for r in records)
    errors = [json.loads(x) for x in (tmp_path / "out.errors.jsonl").read_text().splitlines()]
    assert any("cut.warc.gz" in e["path"] and "truncated" in e["reason"] for e in errors)
