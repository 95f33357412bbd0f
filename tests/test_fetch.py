"""The fetcher against real HTTP servers on several loopback addresses started by the tests."""

from __future__ import annotations

import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from harvester.fetch import FetchConfig, fetch

from . import httpd
from .conftest import ROOT, harvester

JD = "仓库管理员岗位职责：负责物料收发，编制人王喆，按月盘点。"
SOFT_BLOCK = "<html><head><title>网络环境安全验证</title></head><body>请完成验证后继续访问</body></html>"


def _responses(folder: Path) -> Counter[str]:
    seen: Counter[str] = Counter()
    for warc in folder.glob("*.warc.gz"):
        with open(warc, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    seen[record.rec_headers.get_header("WARC-Target-URI")] += 1
    return seen


@pytest.fixture
def hosts():
    a = httpd.Host(
        "127.0.0.2",
        {
            "/robots.txt": httpd.text("User-agent: *\nDisallow: /private\n"),
            "/gbk.html": httpd.page(JD, charset="gb18030", declared="gb2312"),
            "/flaky": httpd.first_then(httpd.status(503), httpd.page("第二次就好了，岗位职责说明。")),
            "/limited": httpd.first_then(
                httpd.status(429, {"Retry-After": "1"}), httpd.page("限流之后的岗位说明。")
            ),
            "/slow": httpd.slow(3),
            "/redirect": httpd.status(302, {"Location": "/moved.html"}),
            "/moved.html": httpd.page("搬家以后的岗位职责说明书。"),
            "/blocked": lambda n: (200, {"Content-Type": "text/html; charset=utf-8"}, SOFT_BLOCK.encode()),
        },
    )
    b = httpd.Host("127.0.0.3", {"/robots.txt": httpd.status(503), "/page.html": httpd.page("不该被抓取")})
    c = httpd.Host("127.0.0.4", {f"/p{i}.html": httpd.page(f"第{i}页岗位职责内容。") for i in range(200)})
    yield a, b, c
    for h in (a, b, c):
        h.stop()


def test_polite_fetch_of_every_kind_of_answer(hosts, tmp_path):
    a, b, c = hosts
    urls = [
        a.url(p)
        for p in ("/gbk.html", "/private/secret.html", "/flaky", "/limited", "/slow", "/redirect", "/missing")
    ]
    urls += (
        [b.url("/page.html"), b.url("/other.html")]
        + [c.url(f"/p{i}.html") for i in range(5)]
        + [a.url("/blocked")]
    )
    config = FetchConfig(
        delay=0.3, concurrency=4, read_timeout=0.8, connect_timeout=1, deadline=2, backoff=0.1, max_tries=3
    )
    summary, counts = fetch(urls, str(tmp_path), config)

    assert not any(path.startswith("/private") for _, path in a.log)  # robots.txt obeyed
    assert [path for _, path in b.log] == ["/robots.txt"]  # robots.txt 503: the host is left alone
    for host in (a, c):
        times = [t for t, _ in host.log]
        gaps = [y - x for x, y in itertools.pairwise(times)]
        assert min(gaps) >= 0.3 * 0.95, gaps  # one request at a time, at least the delay apart
    assert a.hits["/flaky"] == 2 and a.hits["/limited"] == 2  # retried once, then fetched
    limited = [t for t, p in a.log if p == "/limited"]
    assert limited[1] - limited[0] >= 1.0  # Retry-After honoured

    assert summary.fetched == 1 + 2 + 1 + 5  # gbk, flaky, limited, moved, c's pages
    assert summary.skipped_robots == 1 and summary.robots_unavailable == 2 and summary.blocked == 1
    assert summary.failed["http 404"] == 1 and sum(summary.failed.values()) == 2  # /missing and /slow
    assert summary.retried >= 2 + 2 and summary.redirects == 1
    assert counts == {"done": 9, "robots": 1, "failed": 2, "blocked": 1, "pending": 2}

    seen = _responses(tmp_path)
    assert a.url("/redirect") in seen and a.url("/moved.html") in seen and a.url("/blocked") not in seen
    out = tmp_path / "clean.jsonl"
    res = subprocess.run(
        [sys.executable, "-m", "harvester", "clean", str(tmp_path), "-o", str(out), "--no-dedup"],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr.decode()
    texts = [json.loads(x)["text"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert any("王喆" in t for t in texts)  # GBK declared as gb2312, decoded from the stored bytes


def test_kill_during_fetch_then_rerun_fetches_every_url_exactly_once(hosts, tmp_path):
    _, _, c = hosts
    url_file = tmp_path / "urls.txt"
    url_file.write_text("# two hundred pages\n" + "\n".join(c.url(f"/p{i}.html") for i in range(200)) + "\n")
    out = tmp_path / "raw"
    cmd = harvester("fetch", "--urls", url_file, "-o", out, "--delay", "0.01")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.2)
        db = out / "state.sqlite"
        if db.exists():
            try:
                done = (
                    sqlite3.connect(str(db))
                    .execute("SELECT COUNT(*) FROM urls WHERE status='done'")
                    .fetchone()[0]
                )
            except sqlite3.Error:
                continue
            if done >= 40:
                break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert len(_responses(out)) < 200 or list(out.glob("*.open"))  # it was stopped midway
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    seen = _responses(out)
    assert len(seen) == 200 and set(seen.values()) == {1}
    assert not list(out.glob("*.open"))


def test_usage_errors_exit_2(tmp_path):
    res = subprocess.run(
        [sys.executable, "-m", "harvester", "fetch", "ftp://example.org/x"], cwd=ROOT, capture_output=True
    )
    assert res.returncode == 2
