"""`harvester fetch`: polite, resumable fetching of public pages into gzipped WARC files.

One request at a time per host, at least `delay` seconds apart (jittered upwards; robots.txt
`Crawl-delay` raises it), at most `concurrency` requests in flight across hosts. robots.txt is
obeyed per RFC 9309 (protego): a 4xx robots.txt allows everything; a 5xx or an unreachable one
disallows the host for this run (its URLs stay pending for a later run). Connect and read errors
and 5xx are retried with exponential backoff; 429 and 503 honour Retry-After and slow the host
down; other 4xx are final. Soft blocks (captcha or verification pages served with 200) pause the
host and are not stored. Redirects are followed by hand, each hop recorded. Only public pages:
no cookies kept beyond the run, no logins, no preview APIs, no captcha solving; TLS is verified.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from .defaults import DEFAULT_USER_AGENT
from .frontier import Frontier
from .warc import WarcSink, ip_of, recover_open_files

log = logging.getLogger("harvester.fetch")

SOFT_BLOCK = re.compile(
    r"网络环境安全验证|安全验证|请输入验证码|人机验证|滑动验证|访问过于频繁|访问频率过高|captcha|are you a robot",
    re.I,
)
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)
_TAGS = re.compile(rb"<[^>]+>")
RETRY_STATUSES = {500, 502, 503, 504, 429}


@dataclass
class FetchConfig:
    delay: float = 2.0
    concurrency: int = 8
    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0  # whole request, body included
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 10
    max_tries: int = 4
    backoff: float = 1.0  # first retry wait; doubles each try
    max_wait: float = 120.0  # cap on Retry-After and backoff waits
    block_pause: float = 600.0  # a soft-blocked host rests this long (its other URLs wait for a rerun)


@dataclass
class FetchSummary:
    fetched: int = 0
    redirects: int = 0
    retried: int = 0
    blocked: int = 0
    skipped_robots: int = 0
    robots_unavailable: int = 0
    paused: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def paragraph(self) -> str:
        failed = sum(self.failed.values())
        reasons = ", ".join(f"{n} {r}" for r, n in self.failed.most_common()) or "none"
        return (
            f"Fetched {self.fetched} page(s) in {self.seconds:.1f} s ({self.redirects} redirect hop(s) recorded); "
            f"skipped {self.skipped_robots} disallowed by robots.txt and {self.robots_unavailable} on hosts whose "
            f"robots.txt was unavailable (left pending); {self.blocked} soft block(s), {self.paused} URL(s) left "
            f"for a paused host; {self.retried} retr(ies); {failed} failed ({reasons})."
        )


@dataclass
class _Host:
    delay: float
    next_at: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    robots: Protego | None = None
    robots_state: str = "unknown"  # unknown, parsed, allow-all, unavailable
    paused_until: float = 0.0


def _retry_after(value: str | None, now: float) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now)
    except (TypeError, ValueError):
        return None


def _visible_head(body: bytes) -> str:
    title = _TITLE.search(body[:20000])
    text = _TAGS.sub(b" ", body[:20000])
    return ((title.group(1) if title else b"") + b" " + text[:3000]).decode("utf-8", "ignore")


def is_soft_block(body: bytes, markers: re.Pattern[str] = SOFT_BLOCK) -> bool:
    """A verification or captcha page served with 200: short, and says so."""
    visible = _TAGS.sub(b"", body[:50000])
    return len(visible.strip()) < 4000 and bool(markers.search(_visible_head(body)))


class Fetcher:
    def __init__(self, config: FetchConfig, frontier: Frontier, sink: WarcSink) -> None:
        self.config = config
        self.frontier = frontier
        self.sink = sink
        self.summary = FetchSummary()
        self.hosts: dict[str, _Host] = {}
        self.slots = asyncio.Semaphore(config.concurrency)
        self.client: httpx.AsyncClient | None = None

    def _host(self, url: str) -> _Host:
        key = urlsplit(url).netloc.lower()
        if key not in self.hosts:
            self.hosts[key] = _Host(self.config.delay)
        return self.hosts[key]

    async def _turn(self, host: _Host) -> None:
        """Wait for this host's next slot: the delay since its last request, jittered upwards."""
        wait = host.next_at - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)

    def _done_request(self, host: _Host) -> None:
        host.next_at = time.monotonic() + host.delay * (1 + random.random() * 0.25)

    async def _get(self, url: str) -> tuple[int, str, list[tuple[str, str]], bytes, str | None]:
        """One GET within the host's discipline: (status, reason, headers, body, server ip)."""
        host = self._host(url)
        assert self.client is not None
        async with host.lock:
            await self._turn(host)
            try:
                async with (
                    self.slots,
                    asyncio.timeout(self.config.deadline),
                    self.client.stream("GET", url) as resp,
                ):
                    body = bytearray()
                    async for chunk in resp.aiter_bytes():
                        body += chunk
                        if len(body) > self.config.max_bytes:
                            raise ValueError(f"response larger than {self.config.max_bytes} bytes")
                    ip = _server_ip(resp) or ip_of(urlsplit(url).hostname or "")
                    headers = [
                        (k, v)
                        for k, v in resp.headers.items()
                        if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")
                    ]
                    headers.append(("Content-Length", str(len(body))))
                    return resp.status_code, resp.reason_phrase, headers, bytes(body), ip
            finally:
                self._done_request(host)

    async def _robots(self, url: str) -> str:
        """`allow`, `deny` (disallowed path) or `unavailable` (robots.txt 5xx or unreachable)."""
        host = self._host(url)
        if host.robots_state == "unknown":
            parts = urlsplit(url)
            robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
            try:
                status, _, _, body, _ = await self._get(robots_url)
            except (httpx.HTTPError, TimeoutError, ValueError) as exc:
                log.info("robots.txt of %s unreachable: %s", parts.netloc, exc)
                host.robots_state = "unavailable"
            else:
                if 200 <= status < 300:
                    host.robots = Protego.parse(body.decode("utf-8", "ignore"))
                    host.robots_state = "parsed"
                    crawl_delay = host.robots.crawl_delay(self.config.user_agent)
                    if crawl_delay:
                        host.delay = max(host.delay, float(crawl_delay))
                elif 400 <= status < 500:
                    host.robots_state = "allow-all"
                else:
                    host.robots_state = "unavailable"
        if host.robots_state == "unavailable":
            return "unavailable"
        if (
            host.robots_state == "parsed"
            and host.robots is not None
            and not host.robots.can_fetch(url, self.config.user_agent)
        ):
            return "deny"
        return "allow"

    async def fetch_url(self, url: str) -> None:
        """Fetch one URL with retries and redirects; record the outcome in the WARC and the state."""
        host = self._host(url)
        if host.paused_until > time.monotonic():
            self.summary.paused += 1
            return
        verdict = await self._robots(url)
        if verdict == "unavailable":
            self.summary.robots_unavailable += 1
            return  # stays pending: retried on a later run
        if verdict == "deny":
            self.summary.skipped_robots += 1
            self.frontier.mark(url, "robots")
            return
        current, tries = url, 0
        for _ in range(self.config.max_redirects + 1):
            try:
                status, reason, headers, body, ip = await self._get(current)
            except (httpx.HTTPError, TimeoutError, ValueError) as exc:
                tries += 1
                error = type(exc).__name__ if not isinstance(exc, ValueError) else "too large"
                if isinstance(exc, ValueError) or tries >= self.config.max_tries:
                    self._fail(url, error, None, tries)
                    return
                self.summary.retried += 1
                await asyncio.sleep(
                    min(
                        self.config.max_wait,
                        self.config.backoff * 2 ** (tries - 1) * (1 + random.random() * 0.5),
                    )
                )
                continue
            if status in RETRY_STATUSES:
                tries += 1
                if tries >= self.config.max_tries:
                    self._fail(url, f"http {status}", status, tries)
                    return
                self.summary.retried += 1
                wait = self.config.backoff * 2 ** (tries - 1)
                if status in (429, 503):
                    after = _retry_after(
                        dict((k.lower(), v) for k, v in headers).get("retry-after"), time.time()
                    )
                    wait = after if after is not None else wait
                    host.delay = min(60.0, host.delay * 2 if host.delay else 1.0)  # slow this host down
                await asyncio.sleep(min(self.config.max_wait, wait))
                continue
            location = dict((k.lower(), v) for k, v in headers).get("location")
            if 300 <= status < 400 and location:
                self.sink.write(current, status, reason, headers, body, self._request_headers(), ip, None)
                self.summary.redirects += 1
                current = urljoin(current, location)
                if await self._robots(current) != "allow":
                    self._fail(url, "redirect disallowed", status, tries)
                    return
                continue
            if 200 <= status < 300 and is_soft_block(body):
                self.summary.blocked += 1
                self.frontier.mark(url, "blocked", "soft block", status, tries)
                host.paused_until = time.monotonic() + self.config.block_pause
                log.warning("soft block on %s: pausing the host", urlsplit(url).netloc)
                return
            if not 200 <= status < 300:
                self._fail(url, f"http {status}", status, tries)
                return
            ctype = dict((k.lower(), v) for k, v in headers).get("content-type", "")
            self.sink.write(
                current,
                status,
                reason,
                headers,
                body,
                self._request_headers(),
                ip,
                ctype.split(";")[0] or None,
            )
            self.frontier.mark(url, "done", None, status, tries)
            self.summary.fetched += 1
            return
        self._fail(url, "too many redirects", None, tries)

    def _request_headers(self) -> list[tuple[str, str]]:
        return [("User-Agent", self.config.user_agent), ("Accept", "text/html,*/*;q=0.5")]

    def _fail(self, url: str, reason: str, status: int | None, tries: int) -> None:
        self.summary.failed[reason] += 1
        self.frontier.mark(url, "failed", reason, status, tries)

    async def run(self, urls: list[str]) -> FetchSummary:
        started = time.monotonic()
        timeout = httpx.Timeout(self.config.read_timeout, connect=self.config.connect_timeout)
        headers = {"User-Agent": self.config.user_agent, "Accept": "text/html,*/*;q=0.5"}
        by_host: dict[str, list[str]] = defaultdict(list)
        for url in urls:
            by_host[urlsplit(url).netloc.lower()].append(url)
        async with httpx.AsyncClient(
            timeout=timeout, headers=headers, follow_redirects=False, verify=True
        ) as client:
            self.client = client

            async def host_worker(queue: list[str]) -> None:
                for url in queue:
                    await self.fetch_url(url)

            await asyncio.gather(*(host_worker(q) for q in by_host.values()))
        self.summary.seconds = time.monotonic() - started
        return self.summary


def _server_ip(resp: httpx.Response) -> str | None:
    try:
        stream = resp.extensions.get("network_stream")
        addr = stream.get_extra_info("server_addr") if stream is not None else None
        return addr[0] if addr else None
    except Exception:  # not every transport exposes it
        return None


def fetch(
    urls: list[str], out_dir: str, config: FetchConfig, state_path: str | None = None
) -> tuple[FetchSummary, dict[str, int]]:
    """Fetch the URLs not done yet into `out_dir`; resumable after a crash or Ctrl-C."""
    frontier = Frontier(state_path or f"{out_dir}/state.sqlite")
    for uri in recover_open_files(out_dir):  # records a killed run wrote completely are done
        frontier.mark(uri, "done")
    frontier.add(urls)
    pending = frontier.pending()
    sink = WarcSink(out_dir)
    try:
        summary = asyncio.run(Fetcher(config, frontier, sink).run(pending))
    finally:
        sink.close()
    counts = frontier.counts()
    frontier.close()
    return summary, counts
