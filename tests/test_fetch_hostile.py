"""`harvester fetch` against hostile loopback servers: bad redirects, bad lines in the URL list,
odd Retry-After values, non-ASCII paths, a double-gzip bomb, credentials, cookies, several
spellings of one host; kills during redirect chains; and randomised hostile answers."""

from __future__ import annotations

import gzip
import ipaddress
import os
import random
import signal
import sqlite3
import subprocess
import time
import zlib
from collections import Counter
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from harvester.fetch import FetchConfig, fetch, read_url_lines
from harvester.urls import BadURL, canonical

from . import httpd
from .conftest import ROOT, harvester, peak_rss_mb

PAGE = httpd.page("岗位职责：负责设备巡检与维护记录。")


def _bomb() -> bytes:
    """1 GiB of zeros, gzipped twice (about 2 KB), built without holding the gigabyte."""
    inner = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1024 * 1024)
    once = b"".join(inner.compress(zeros) for _ in range(1024)) + inner.flush()
    return gzip.compress(once, compresslevel=9)


def _archived(folder: Path) -> Counter[str]:
    """Target URI of every 2xx response record, counted."""
    seen: Counter[str] = Counter()
    for warc in folder.glob("*.warc.gz"):
        with open(warc, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response" and record.http_headers.get_statuscode().startswith("2"):
                    seen[record.rec_headers.get_header("WARC-Target-URI")] += 1
    return seen


def _requests(folder: Path) -> list[tuple[str, dict[str, str]]]:
    out = []
    for warc in folder.glob("*.warc.gz"):
        with open(warc, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "request":
                    out.append((record.http_headers.protocol, dict(record.http_headers.headers)))
    return out


@pytest.mark.parametrize(
    ("url", "want"),
    [
        ("HTTP://Example.ORG:80/a/./b/../c?#frag", "http://example.org/a/c"),
        ("http://0x7f.0.0.1:8001/", "http://127.0.0.1:8001/"),
        ("http://2130706433/", "http://127.0.0.1/"),
        ("http://bücher.de./x", "http://xn--bcher-kva.de/x"),
        ("http://xn--bcher-kva.de/x", "http://xn--bcher-kva.de/x"),
        ("http://h/%64%2f%7e?q=%e4", "http://h/d%2F~?q=%E4"),
        ("http://h/路径?q=中", "http://h/%E8%B7%AF%E5%BE%84?q=%E4%B8%AD"),
        ("https://h:443/", "https://h/"),
    ],
)
def test_one_spelling_per_url(url, want):
    assert canonical(url) == want
    assert canonical(want) == want  # idempotent


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://[::1", "invalid URL"),
        ("http://h:99999/", "invalid URL"),
        ("host:8001:", "not http(s)"),
        ("javascript:alert(1)", "not http(s)"),
        ("ftp://h/x", "not http(s)"),
        ("http://user:pass@h/", "credentials in URL"),
    ],
)
def test_unfetchable_urls_are_refused_with_a_reason(url, reason):
    with pytest.raises(BadURL) as exc:
        canonical(url)
    assert exc.value.reason.startswith(reason)
    assert "pass" not in str(exc.value)


def test_a_url_list_keeps_its_good_lines_and_names_the_bad_ones():
    good, bad = read_url_lines(["# list", "http://h/a", "http://[::1", "", "http://H/a#x", "mailto:a@b"])
    assert good == ["http://h/a"]
    assert [(b.line, b.reason) for b in bad] == [(3, "invalid URL"), (6, "not http(s)")]


@pytest.fixture
def hostile():
    a = httpd.Host("127.0.0.2", {})
    base = a.base
    a.routes.update(
        {
            "/robots.txt": lambda n: (
                200,
                [("Content-Type", "text/plain"), ("Set-Cookie", "sid=secret-cookie; Path=/")],
                b"User-agent: *\nDisallow: /private\n",
            ),
            "/ok": PAGE,
            "/ok2": PAGE,
            "/js": httpd.status(302, {"Location": "javascript:alert(1)"}),
            "/data": httpd.status(302, {"Location": "data:text/html,hi"}),
            "/mail": httpd.status(302, {"Location": "mailto:x@example.org"}),
            "/creds": httpd.status(302, {"Location": f"http://user:pass@127.0.0.2:{a.port}/ok"}),
            "/%E8%B7%AF%E5%BE%84?q=%E4%B8%AD": PAGE,
            "/utf8": lambda n: (302, [("Location", "/目标?q=中".encode())], b""),
            "/%E7%9B%AE%E6%A0%87?q=%E4%B8%AD": PAGE,
            "/bomb": lambda n: (
                200,
                {"Content-Type": "text/html", "Content-Encoding": "gzip, gzip"},
                _bomb(),
            ),
            "/eq": PAGE,
            **{f"/s{i}": PAGE for i in range(6)},
        }
    )
    parked = httpd.Host("127.0.0.3", {"/robots.txt": httpd.text("User-agent: *\nCrawl-delay: 100000\n")})
    slow = httpd.Host("127.0.0.4", {"/wait": httpd.status(503, {"Retry-After": "999999"}), "/later": PAGE})
    odd = httpd.Host(  # its own host: an unreadable Retry-After slows its host down to 1 s a request
        "127.0.0.5",
        {
            "/circled": httpd.first_then(httpd.status(503, {"Retry-After": "①"}), PAGE),
            "/super": httpd.first_then(httpd.status(429, {"Retry-After": "²"}), PAGE),
        },
    )
    yield a, parked, slow, odd, base
    for h in (a, parked, slow, odd):
        h.stop()


def test_hostile_servers_and_lists_end_the_run_cleanly(hostile, tmp_path):
    a, parked, slow, odd, base = hostile
    port = a.port
    spellings = [
        f"http://127.0.0.2:{port}/s0",
        f"http://0x7f.0.0.2:{port}/s1",
        f"http://2130706434:{port}/s2",
        f"http://127.0.0.2.:{port}/s3",
        f"http://0177.0.0.2:{port}/s4",
        f"HTTP://127.0.0.2:{port}/s5",
    ]
    lines = [
        "http://[::1",
        f"http://127.0.0.2:{port}:/x",
        "host:8001:",
        f"http://user:pass@127.0.0.2:{port}/ok2",
        *[base + p for p in ("/ok", "/js", "/data", "/mail", "/creds", "/utf8", "/bomb")],
        odd.url("/circled"),
        odd.url("/super"),
        base + "/路径?q=中",
        *[base + p for p in ("/eq", "/eq#frag", "/./eq", "/%65q", "/eq?")],
        *spellings,
        parked.url("/page"),
        slow.url("/wait"),
        slow.url("/later"),
    ]
    url_file = tmp_path / "urls.txt"
    url_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "raw"
    cmd = harvester("fetch", "--urls", url_file, "-o", out)
    code, peak, stderr = peak_rss_mb([*cmd, "--delay", "0.05", "--max-wait", "5"], timeout=120)

    assert code == 0, stderr
    print(f"peak resident memory {peak} MB")
    assert peak <= 600, peak
    for n in (1, 2, 3, 4):
        assert f"urls.txt:{n}" in stderr  # each bad line named
    assert "pass" not in stderr
    archived = _archived(out)
    good = ["/ok", "/s0", "/s1", "/s2", "/s3", "/s4", "/s5", "/eq"]
    good += ["/%E8%B7%AF%E5%BE%84?q=%E4%B8%AD", "/%E7%9B%AE%E6%A0%87?q=%E4%B8%AD"]
    good_urls = {base + p for p in good} | {odd.url("/circled"), odd.url("/super")}
    assert set(archived) == good_urls, archived  # every good URL, nothing else
    assert set(archived.values()) == {1}  # the equivalent spellings of /eq fetched once
    assert a.hits["/robots.txt"] == 1 and a.most_in_flight == 1  # one host, whatever the spelling
    assert odd.hits == {"/robots.txt": 1, "/circled": 2, "/super": 2}  # `①`, `²`: retried after a backoff
    assert not any("cookie" in h or "authorization" in h for h in a.headers + slow.headers)
    for path in out.rglob("*"):  # the WARC files and the state
        if path.is_file():
            data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
            assert b"pass" not in data and b"secret-cookie" not in data, path
    sent = _requests(out)
    assert all("Host" in h and "Accept-Encoding" in h for _, h in sent)  # the headers sent
    assert parked.hits == {"/robots.txt": 1} and slow.hits == {"/robots.txt": 1, "/wait": 1}
    assert "Crawl-delay 100000" in stderr and "Retry-After 999999" in stderr
    db = sqlite3.connect(str(out / "state.sqlite"))
    states = dict(db.execute("SELECT url, status || ' ' || COALESCE(last_error, '') FROM urls"))
    assert states[base + "/bomb"] == "failed too large"
    for p in ("/js", "/data", "/mail", "/creds"):
        assert states[base + p].startswith("failed bad redirect"), states[base + p]
    assert states[parked.url("/page")].startswith("pending host parked")
    assert states[slow.url("/later")].startswith("pending host parked")

    for _ in range(2):  # a host that stays parked: its URLs end failed, not pending forever
        code, _, stderr = peak_rss_mb([*cmd, "--delay", "0", "--max-wait", "5"], timeout=60)
        assert code == 0, stderr
    states = dict(db.execute("SELECT url, status FROM urls"))
    assert states[parked.url("/page")] == "failed" and states[slow.url("/later")] == "failed"
    assert _archived(out) == archived  # nothing fetched twice


def test_redirects_into_internal_addresses_are_refused_unless_allowed(tmp_path):
    inside = httpd.Host("127.0.0.9", {"/admin": PAGE})
    public = httpd.Host(
        "127.0.0.8", {"/go": httpd.status(302, {"Location": inside.url("/admin")}), "/ok": PAGE}
    )
    internal = (ipaddress.ip_network("127.0.0.9/32"),)  # 127.0.0.8 plays a public host
    try:
        config = FetchConfig(delay=0, internal_networks=internal)
        summary, counts = fetch([public.url("/go"), public.url("/ok")], str(tmp_path / "a"), config)
        assert summary.failed == {"redirect to an internal address": 1} and counts["done"] == 1
        assert "/admin" not in inside.hits
        allowed = FetchConfig(delay=0, internal_networks=internal, allow_internal_redirects=True)
        summary, counts = fetch([public.url("/go")], str(tmp_path / "b"), allowed)
        assert counts == {"done": 1} and inside.hits["/admin"] == 1
    finally:
        inside.stop()
        public.stop()


def test_robots_txt_behind_redirects_and_over_500_kib_is_still_obeyed(tmp_path):
    rules = b"User-agent: *\nDisallow: /private\n" + b"# padding\n" * 200_000  # 2 MB
    site = httpd.Host(
        "127.0.0.10",
        {
            "/robots.txt": httpd.status(301, {"Location": "/r1"}),
            **{f"/r{i}": httpd.status(302, {"Location": f"/r{i + 1}"}) for i in range(1, 4)},
            "/r4": lambda n: (200, {"Content-Type": "text/plain"}, rules),
            "/open": PAGE,
            "/private/x": PAGE,
        },
    )
    try:
        _, counts = fetch([site.url("/open"), site.url("/private/x")], str(tmp_path), FetchConfig(delay=0))
        assert counts == {"done": 1, "robots": 1}
        assert "/private/x" not in site.hits and site.hits["/r4"] == 1
    finally:
        site.stop()


def _done(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        return sqlite3.connect(str(db)).execute("SELECT COUNT(*) FROM urls WHERE status='done'").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_kill_9_during_redirect_chains_then_rerun_archives_every_target_once(tmp_path):
    hosts = [
        httpd.Host(
            f"127.0.0.{20 + h}",
            {
                **{f"/r{i}": httpd.status(302, {"Location": f"/m{i}"}) for i in range(125)},
                **{f"/m{i}": httpd.status(301, {"Location": f"/t{i}"}) for i in range(125)},
                **{f"/t{i}": httpd.page(f"第{i}号岗位说明书。") for i in range(125)},
            },
        )
        for h in range(4)
    ]
    try:
        url_file = tmp_path / "urls.txt"
        url_file.write_text("\n".join(h.url(f"/r{i}") for h in hosts for i in range(125)) + "\n")
        out = tmp_path / "raw"
        cmd = harvester("fetch", "--urls", url_file, "-o", out, "--delay", "0")
        kills = 0
        while kills < 5:  # each kill lands mid-run: after 20 more URLs are done than before it
            db = out / "state.sqlite"
            before = _done(db)
            proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            while proc.poll() is None and _done(db) < before + 20:
                time.sleep(0.02)
            if proc.poll() is not None:
                break  # it finished before the kill: the rest of the test still holds
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            kills += 1
        assert kills == 5
        res = subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=180)
        assert res.returncode == 0, res.stderr.decode()
        archived = _archived(out)
        targets = {h.url(f"/t{i}") for h in hosts for i in range(125)}
        assert set(archived) == targets and set(archived.values()) == {1}
        db = sqlite3.connect(str(out / "state.sqlite"))
        assert dict(db.execute("SELECT status, COUNT(*) FROM urls GROUP BY status")) == {"done": 500}
        assert not list(out.glob("*.open"))
    finally:
        for h in hosts:
            h.stop()


_LOCATIONS = [
    b"javascript:x",
    b"data:,x",
    b"http://[::1",
    b"/\xff\xfe",
    "/目标".encode(),
    b"//",
    b"",
    b"http://user:pw@127.0.0.30/",
    b"/fz0",
    b"fz1",
    b"http://127.0.0.30:1/",
    b"/" + b"a" * 9000,
]
_RETRY = [
    b"\xe2\x91\xa0",
    b"\xc2\xb2",
    b"-5",
    b"1e9",
    b"",
    b"NaN",
    b"Wed, 21 Oct 2015 07:28:00 GMT",
    b"0",
    b"99999999999999999999",
]
_ENCODINGS = [b"gzip", b"gzip, gzip", b"deflate", b"br", b"x-zz", b"identity", b"gzip, identity", b","]


def _fuzz_route(seed: int) -> httpd.Route:
    def route(n: int) -> tuple[int, httpd.Headers, bytes]:
        rng = random.Random(seed * 1000 + n)
        status = rng.choice([200, 200, 200, 301, 302, 307, 308, 404, 410, 429, 500, 503, 999, 204, 304])
        headers: list[tuple[str, str | bytes]] = [
            ("Content-Type", rng.choice(["text/html", "text/plain", "x/\xe9"]))
        ]
        body = httpd.page(f"第{seed}页").__call__(1)[2]
        if rng.random() < 0.4:
            headers.append(("Location", rng.choice(_LOCATIONS)))
        if rng.random() < 0.3:
            headers.append(("Retry-After", rng.choice(_RETRY)))
        if rng.random() < 0.3:
            headers.append(("Set-Cookie", "k=v"))
        if rng.random() < 0.4:
            enc = rng.choice(_ENCODINGS)
            headers.append(("Content-Encoding", enc))
            if enc == b"gzip" and rng.random() < 0.7:
                body = gzip.compress(body)
        if rng.random() < 0.1:
            headers.append(("Content-Length", str(len(body) + rng.randint(1, 500))))  # cut short
        if rng.random() < 0.1:
            body = os.urandom(rng.randint(0, 3000))
        return status, headers, body

    return route


def test_fuzz_randomised_hostile_answers_never_end_the_run(tmp_path):
    host = httpd.Host("127.0.0.30", {f"/fz{i}": _fuzz_route(i) for i in range(150)})
    try:
        config = FetchConfig(delay=0, read_timeout=2, deadline=4, backoff=0.01, max_tries=2, max_wait=0.01)
        urls = [host.url(f"/fz{i}") for i in range(150)]
        summary, counts = fetch(urls, str(tmp_path), config)
        assert sum(counts.values()) == 150
        assert not any(r.startswith("error") for r in summary.failed), summary.failed  # nothing unforeseen
        assert counts.get("done", 0) > 0 and sum(summary.failed.values()) > 0
        assert not any("cookie" in h for h in host.headers)
        for uri in _archived(tmp_path):
            assert canonical(uri) == uri
        states = sqlite3.connect(str(tmp_path / "state.sqlite")).execute(
            "SELECT status, last_error FROM urls"
        )
        assert all(s != "pending" or e for s, e in states)  # a pending URL says why
    finally:
        host.stop()


def test_a_state_file_from_the_earlier_schema_is_upgraded_in_place(tmp_path):
    site = httpd.Host("127.0.0.40", {"/a": PAGE, "/b": PAGE})
    try:
        db = sqlite3.connect(str(tmp_path / "state.sqlite"))
        db.execute(  # the frontier as the previous version made it
            "CREATE TABLE urls (url TEXT PRIMARY KEY, host TEXT, status TEXT NOT NULL DEFAULT 'pending',"
            " tries INTEGER NOT NULL DEFAULT 0, last_error TEXT, http_status INTEGER, updated REAL)"
        )
        db.execute("INSERT INTO urls (url, host, status) VALUES (?, ?, 'done')", (site.url("/a"), "x"))
        db.commit()
        db.close()
        summary, counts = fetch([site.url("/a"), site.url("/b")], str(tmp_path), FetchConfig(delay=0))
        assert counts == {"done": 2} and summary.fetched == 1 and "/a" not in site.hits
    finally:
        site.stop()


def test_the_environment_s_proxy_is_used_and_no_proxy_honoured(tmp_path, monkeypatch):
    target = "http://127.0.0.51:9"  # nothing listens there: only the proxy can answer for it
    proxy = httpd.Host(
        "127.0.0.50", {f"{target}/robots.txt": httpd.text("User-agent: *\n"), f"{target}/page": PAGE}
    )
    direct = httpd.Host("127.0.0.52", {"/page": PAGE})
    try:
        for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", proxy.base)
        monkeypatch.setenv("NO_PROXY", "127.0.0.52")
        _, counts = fetch([f"{target}/page", direct.url("/page")], str(tmp_path), FetchConfig(delay=0))
        assert counts == {"done": 2}
        assert proxy.hits == {f"{target}/robots.txt": 1, f"{target}/page": 1}
        assert direct.hits["/page"] == 1  # NO_PROXY: fetched directly
    finally:
        proxy.stop()
        direct.stop()
