"""The `harvester` command as users and scripts run it: real processes, real files in tmp dirs."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLES

GOOD_JD = "仓库管理员岗位职责\n一、岗位职责\n1、负责物料入库验收;\n2、负责物料出库登记;\n3、每月组织库存盘点。\n二、任职要求\n中专及以上学历。"


def run(*args: str, cwd: Path | None = None, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "harvester", *args],
        cwd=cwd or ROOT,
        input=stdin,
        capture_output=True,
        timeout=300,
    )


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_default_run_cleans_the_bundled_samples(tmp_path):
    # Run from a copy so the test never writes into the checkout's data/out.
    res = run("clean", str(SAMPLES), "-o", str(tmp_path / "corpus.jsonl"))
    assert res.returncode == 0, res.stderr.decode()
    records = read_jsonl(tmp_path / "corpus.jsonl")
    sample_files = [p for p in SAMPLES.iterdir() if p.is_file()]
    assert len(sample_files) >= 12
    assert len(records) >= 12
    keys = {"id", "source", "title", "text", "sections", "job", "flags", "removed", "duplicate_of"}
    assert all(set(r) == keys for r in records)
    # the contract's source fields, and `fetched` (an extension: the WARC date, null here)
    assert all(set(r["source"]) == {"path", "url", "site", "part", "parts", "fetched"} for r in records)
    assert all(r["source"]["fetched"] is None for r in records)
    dups = read_jsonl(tmp_path / "corpus.duplicates.jsonl")
    kept_ids = {r["id"] for r in records}
    assert dups and all(d["duplicate_of"] in kept_ids for d in dups)
    by_name = {Path(d["source"]["path"]).name: d for d in dups}
    assert by_name["mirror-admin-assistant.txt"]["similarity"] == 1.0  # an exact copy
    assert "truncated" in by_name["docin-sales-preview.txt"]["flags"]  # a preview of a fuller copy
    assert b"wrote" in res.stderr and res.stdout == b""


def test_bad_inputs_are_reported_and_good_documents_still_written(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good1.txt").write_text(GOOD_JD, encoding="utf-8")
    (src / "good2.html").write_bytes(
        f'<meta charset="gbk"><div><p>{GOOD_JD.replace(chr(10), "</p><p>")}</p></div>'.replace(
            "仓库", "档案"
        ).encode("gbk")
    )
    (src / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (src / "empty.txt").write_bytes(b"")
    (src / "gbk-undeclared.txt").write_bytes(GOOD_JD.replace("仓库", "资料").encode("gbk"))
    (src / "truncated.html").write_text(
        "<html><body><div><p>出纳岗位职责</p><p>1.负责现金收付;</p><p>2.登记日记", encoding="utf-8"
    )
    (src / "chrome-only.html").write_text(
        "<html><body><div class='nav'><a>首页</a></div></body></html>", encoding="utf-8"
    )
    rows = [
        json.dumps(
            {"url": "https://example.com/1", "text": GOOD_JD.replace("仓库", "车间")}, ensure_ascii=False
        ),
        '{"text": "broken',
        json.dumps([1, 2]),
        json.dumps({"text": 5}),
        json.dumps({"html": "<p>" + GOOD_JD.replace("仓库", "质检") + "</p>"}, ensure_ascii=False),
    ]
    (src / "rows.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with gzip.open(src / "cut.jsonl.gz", "wb") as fh:
        fh.write((rows[0] + "\n").encode() * 50)
    (src / "cut.jsonl.gz").write_bytes((src / "cut.jsonl.gz").read_bytes()[:-30])
    with open(src / "huge.html", "wb") as fh:  # 50 MB
        fh.write(b"<html><body><p>" + "岗位职责".encode() * (50 * 1024 * 1024 // 12) + b"</p></body></html>")
    (src / "loop").symlink_to(src, target_is_directory=True)

    out = tmp_path / "out" / "corpus.jsonl"
    res = run("clean", str(src), "-o", str(out), "--no-dedup", "--jobs", "2")
    assert res.returncode == 0, res.stderr.decode()
    texts = [r["text"] for r in read_jsonl(out)]
    for word in ("仓库", "档案", "资料", "车间", "质检"):
        assert any(word in t for t in texts), word
    assert any("1.负责现金收付;" in t for t in texts)  # the truncated page's text is kept
    errors = {
        Path(e["path"].split(":")[0]).name + (":" + e["path"].split(":")[1] if ":" in e["path"] else ""): e[
            "reason"
        ]
        for e in read_jsonl(out.with_name("corpus.errors.jsonl"))
    }
    assert "binary" in errors["binary.html"]
    assert "empty" in errors["empty.txt"]
    assert "too large" in errors["huge.html"]
    assert "no document" in errors["chrome-only.html"]
    assert "malformed JSON" in errors["rows.jsonl:2"]
    assert "not an object" in errors["rows.jsonl:3"]
    assert "no non-empty string" in errors["rows.jsonl:4"]
    assert "truncated or corrupt" in errors["cut.jsonl.gz"]
    summary = res.stderr.decode()
    assert "binary.html" in summary and "huge.html" in summary
    assert not list(out.parent.glob(".*tmp"))


def test_usage_errors_exit_2():
    assert run("clean", "--no-such-flag").returncode == 2
    res = run("clean", "/no/such/path.html")
    assert res.returncode == 2 and b"no such input" in res.stderr


def test_stdout_output_is_only_jsonl(tmp_path):
    res = run("clean", "-", "-o", "-", stdin=GOOD_JD.encode())
    assert res.returncode == 0
    lines = res.stdout.decode().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["text"].startswith("仓库管理员岗位职责")
    assert b"wrote 1 document" in res.stderr


def test_directory_output_is_sharded_and_stale_shards_go(tmp_path):
    out = tmp_path / "corpus"
    out.mkdir()
    (out / "part-00009.jsonl").write_text("stale\n")
    res = run("clean", str(SAMPLES), "-o", str(out), "--shard-size", "5", "--jobs", "1")
    assert res.returncode == 0, res.stderr.decode()
    parts = sorted(out.glob("part-*.jsonl"))
    assert len(parts) >= 3 and not (out / "part-00009.jsonl").exists()
    assert all(len(read_jsonl(p)) <= 5 for p in parts)
    assert (out / "errors.jsonl").exists() and (out / "duplicates.jsonl").exists()


def test_output_is_the_same_whatever_jobs(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert run("clean", str(SAMPLES), "-o", str(a), "--jobs", "1").returncode == 0
    assert run("clean", str(SAMPLES), "-o", str(b), "--jobs", "2").returncode == 0
    assert a.read_text(encoding="utf-8") == b.read_text(encoding="utf-8")


def test_inspect_json_prints_what_clean_writes(tmp_path):
    sample = SAMPLES / "book118-two-sales-jds.txt"
    res = run("inspect", str(sample), "--json")
    assert res.returncode == 0
    inspected = [json.loads(x) for x in res.stdout.decode().splitlines()]
    out = tmp_path / "c.jsonl"
    run("clean", str(sample), "-o", str(out))
    assert [r["text"] for r in inspected] == [r["text"] for r in read_jsonl(out)]


def test_inspect_renders_removed_text_with_rules():
    res = run("inspect", str(SAMPLES / "book118-two-sales-jds.txt"), "--removed")
    text = res.stdout.decode()
    assert res.returncode == 0
    assert "book118/related-list" in text and "clean text" in text and "销售代表" in text


def test_sites_lists_profiles():
    res = run("sites")
    assert res.returncode == 0
    for name in ("book118", "renrendoc", "doc88", "docin", "360docs", "generic"):
        assert name.encode() in res.stdout


def test_dedup_command_drops_exact_duplicates(tmp_path):
    recs = [
        {"id": "a", "text": "仓库管理员岗位职责 负责入库", "flags": ["truncated"]},
        {"id": "b", "text": "仓库管理员岗位职责,负责入库。", "flags": []},
        {"id": "c", "text": "出纳岗位职责", "flags": []},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\nnot json\n", encoding="utf-8"
    )
    out = tmp_path / "out.jsonl"
    res = run("dedup", str(src), "-o", str(out))
    assert res.returncode == 0, res.stderr.decode()
    assert [r["id"] for r in read_jsonl(out)] == ["b", "c"]  # the untruncated copy wins
    assert [d["duplicate_of"] for d in read_jsonl(tmp_path / "out.duplicates.jsonl")] == ["b"]
    assert "malformed" in read_jsonl(tmp_path / "out.errors.jsonl")[0]["reason"]


def test_help_explains_every_command():
    res = run("--help")
    assert res.returncode == 0
    for cmd in (b"clean", b"inspect", b"dedup", b"sites"):
        assert cmd in res.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_is_reported(tmp_path):
    f = tmp_path / "secret.txt"
    f.write_text(GOOD_JD, encoding="utf-8")
    f.chmod(0)
    res = run("clean", str(tmp_path), "-o", str(tmp_path / "o.jsonl"))
    assert res.returncode == 0
    assert "unreadable" in (tmp_path / "o.errors.jsonl").read_text()


def test_output_files_take_the_umask_mode(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD_JD, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    res = subprocess.run(
        [sys.executable, "-m", "harvester", "clean", str(tmp_path / "a.txt"), "-o", str(out)],
        cwd=ROOT,
        capture_output=True,
        timeout=300,
        preexec_fn=lambda: os.umask(0o022),
    )
    assert res.returncode == 0, res.stderr.decode()
    for name in ("out.jsonl", "out.duplicates.jsonl", "out.errors.jsonl", "out.report.json"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o644, name


def test_a_fetch_folder_s_own_files_are_not_inputs(tmp_path):
    import sqlite3

    from harvester.warc import Exchange, WarcSink

    sink = WarcSink(tmp_path)
    page = f"<html><body><p>{GOOD_JD}</p></body></html>".encode()
    sink.write(Exchange("http://example.org/a", 200, "OK", [("Content-Type", "text/html")], page))
    sink.close()
    sqlite3.connect(str(tmp_path / "state.sqlite")).execute("CREATE TABLE t (x)").connection.commit()
    (tmp_path / "state.sqlite.lock").write_text("1")
    res = run("clean", str(tmp_path), "-o", str(tmp_path / "out" / "c.jsonl"))
    assert res.returncode == 0, res.stderr.decode()
    assert read_jsonl(tmp_path / "out" / "c.errors.jsonl") == []
    assert len(read_jsonl(tmp_path / "out" / "c.jsonl")) == 1


def test_a_url_output_is_refused_not_made_a_local_folder(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD_JD, encoding="utf-8")
    res = run("clean", str(tmp_path / "a.txt"), "-o", "s3://bucket/corpus.jsonl", cwd=tmp_path)
    assert res.returncode == 2 and b"URL outputs are not supported" in res.stderr
    assert not (tmp_path / "s3:").exists()


def test_a_jsonl_gz_output_is_one_gzipped_file(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD_JD, encoding="utf-8")
    out = tmp_path / "corpus.jsonl.gz"
    res = run("clean", str(tmp_path / "a.txt"), "-o", str(out))
    assert res.returncode == 0, res.stderr.decode()
    assert out.is_file()
    rows = [json.loads(x) for x in gzip.decompress(out.read_bytes()).decode("utf-8").splitlines()]
    assert len(rows) == 1 and "物料入库验收" in rows[0]["text"]
    assert (tmp_path / "corpus.errors.jsonl").exists() and (tmp_path / "corpus.duplicates.jsonl").exists()
    again = run("clean", str(out), "-o", str(tmp_path / "again.jsonl"), "--no-learn-templates")
    assert again.returncode == 0 and len(read_jsonl(tmp_path / "again.jsonl")) == 1  # read back as input


def test_help_reads_at_80_columns_with_choices():
    for command in ("clean", "fetch", "dedup", "inspect"):
        res = subprocess.run(
            [sys.executable, "-m", "harvester", command, "--help"],
            cwd=ROOT,
            capture_output=True,
            timeout=60,
            env={**os.environ, "COLUMNS": "80", "TERM": "dumb"},
        )
        assert res.returncode == 0
        lines = res.stdout.decode().splitlines()
        assert max(len(ln) for ln in lines) <= 80, command
        assert not any("╭" in ln or "│" in ln for ln in lines)  # plain text, no boxes to break
        assert not any(t in ln for ln in lines for t in ("<list", "<str>", "[[")), command  # no Python types
    clean_help = run("clean", "--help").stdout.decode()
    assert "<local|ray>" in clean_help and "<jsonl|jsonld|parquet>" in clean_help


def test_json_ld_as_lines_under_jsonl_and_refused_as_parquet(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD_JD, encoding="utf-8")
    lines = tmp_path / "jobs.jsonl"
    res = run("clean", str(tmp_path / "a.txt"), "-o", str(lines), "--format", "jsonld")
    assert res.returncode == 0, res.stderr.decode()
    assert [r["@type"] for r in read_jsonl(lines)] == ["JobPosting"]
    res = run("clean", str(tmp_path / "a.txt"), "-o", str(tmp_path / "jobs.parquet"), "--format", "jsonld")
    assert res.returncode == 2 and b"--format jsonld writes JSON" in res.stderr
    assert not (tmp_path / "jobs.parquet").exists()


def test_progress_on_a_terminal_labels_its_times_and_never_shows_n_of_unknown(tmp_path):
    import pty
    import random

    from benchmarks.pages import job_description

    rows = tmp_path / "rows.jsonl"
    with rows.open("w", encoding="utf-8") as fh:
        for i in range(1500):
            fh.write(
                json.dumps({"text": "\n".join(job_description(random.Random(i)))}, ensure_ascii=False) + "\n"
            )
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "harvester",
            "clean",
            str(rows),
            "-o",
            str(tmp_path / "o.jsonl"),
            "--jobs",
            "1",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=slave,
        env={**os.environ, "COLUMNS": "120", "TERM": "xterm"},
    )
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=120)
    os.close(master)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen.decode("utf-8", "replace"))  # colours off
    assert proc.returncode == 0
    assert " pages " in text and "elapsed" in text and "left" in text
    assert "/?" not in text  # JSONL: the total is unknown, and the count says so


def test_verbose_says_more_and_quiet_says_only_the_summary(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD_JD, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    args = ("clean", str(tmp_path / "a.txt"), str(tmp_path / "empty.txt"), "-o", str(tmp_path / "o.jsonl"))
    loud, normal, quiet = run(*args, "-v"), run(*args), run(*args, "-q")
    assert all(r.returncode == 0 for r in (loud, normal, quiet))
    assert b"DEBUG" in loud.stderr and b"empty.txt: empty file" in loud.stderr
    assert b"DEBUG" not in normal.stderr and b"INFO" in normal.stderr
    lines = quiet.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Read 2 input file(s)")  # the summary alone
