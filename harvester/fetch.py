"""`harvester fetch`: polite, resumable fetching of public pages into gzipped WARC files.

One request at a time per host (the canonical host and port: `h`, `H:80`, `h.` and an IDN in
either spelling are one host), at least `delay` seconds apart (jittered upwards; robots.txt
`Crawl-delay` raises it), at most `concurrency` requests in flight across hosts. robots.txt is
obeyed per RFC 9309 (protego): up to 5 redirects followed, the first 500 KiB parsed; a 4xx
allows everything; a 5xx or an unreachable one disallows the host for this run. Connect and read
errors and 5xx are retried with exponential backoff; 429 and 503 honour Retry-After and slow the
host down; other 4xx are final. A wait longer than `max_wait` (Retry-After, Crawl-delay) parks
the host: its URLs stay pending and the summary says so. Soft blocks (captcha or verification
pages served with 200) pause the host and are not stored. Redirects are followed by hand, each
hop archived; a redirect to a non-http(s) URL, to one with credentials, or from a public host to
a loopback, private or link-local address is refused.

Every per-URL failure is caught and recorded with its reason; the run goes on. Only public pages:
no cookie jar, no credentials (a URL holding them is refused), no preview APIs, no captcha
solving; TLS is verified. The WARC request record holds the headers actually sent.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import random
import re
import socket
import time
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx
from protego import Protego

from .decoding import BodyTooLarge, CappedDecoder, UnknownEncoding
from .defaults import DEFAULT_USER_AGENT
from .frontier import Frontier
from .lock import exclusive
from .urls import BadURL, canonical, host_key, hostname
from .warc import Exchange, WarcSink, ip_of, recover_open_files

log = logging.getLogger("harvester.fetch")

SOFT_BLOCK = re.compile(
    r"网络环境安全验证|安全验证|请输入验证码|人机验证|滑动验证|访问过于频繁|访问频率过高|captcha|are you a robot",
    re.I,
)
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)
_TAGS = re.compile(rb"<[^>]+>")
_SECONDS = re.compile(r"[0-9]{1,12}")  # ASCII digits only: `①` and `²` are digits to str.isdigit
RETRY_STATUSES = {500, 502, 503, 504, 429}
ACCEPT_ENCODING = "gzip, deflate"  # what decoding.py undoes under its cap
# Loopback, RFC 1918, CGNAT, link-local, unique-local and the unspecified networks: a redirect
# from a public host into one of them is how a fetcher is turned on its own network.
INTERNAL_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "::/128",
        "::1/128",
        "fc00::/7",
        "fe80::/10",
        "::ffff:0:0/96",
    )
)


@dataclass
class FetchConfig:
    delay: float = 2.0
    concurrency: int = 8
    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0  # whole request, body included
    max_bytes: int = 20 * 1024 * 1024  # decoded body
    max_redirects: int = 10
    max_tries: int = 4
    backoff: float = 1.0  # first retry wait; doubles each try
    max_wait: float = 120.0  # longest wait honoured (Retry-After, Crawl-delay); longer parks the host
    block_pause: float = 600.0  # a soft-blocked host rests this long (its other URLs wait for a rerun)
    max_deferrals: int = 3  # runs a URL may be left pending for its host before it fails
    robots_max_bytes: int = 500 * 1024  # RFC 9309 §2.5: parse at least the first 500 KiB
    robots_max_redirects: int = 5  # RFC 9309 §2.3.1.2
    allow_internal_redirects: bool = False
    internal_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = INTERNAL_NETWORKS


@dataclass
class FetchSummary:
    fetched: int = 0
    redirects: int = 0
    retried: int = 0
    blocked: int = 0
    skipped_robots: int = 0
    robots_unavailable: int = 0
    paused: int = 0
    deferred_failed: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    parked: dict[str, str] = field(default_factory=dict)  # host -> why
    seconds: float = 0.0

    def paragraph(self) -> str:
        failed = sum(self.failed.values())
        reasons = ", ".join(f"{n} {r}" for r, n in self.failed.most_common()) or "none"
        text = (
            f"Fetched {self.fetched} page(s) in {self.seconds:.1f} s ({self.redirects} redirect hop(s) recorded); "
            f"skipped {self.skipped_robots} disallowed by robots.txt and {self.robots_unavailable} on hosts whose "
            f"robots.txt was unavailable (left pending); {self.blocked} soft block(s), {self.paused} URL(s) left "
            f"for a paused or parked host; {self.retried} retr(ies); {failed} failed ({reasons})."
        )
        if self.parked:
            hosts = "; ".join(f"{h}: {why}" for h, why in sorted(self.parked.items()))
            text += f" Parked {len(self.parked)} host(s), their URLs left pending: {hosts}."
        if self.deferred_failed:
            text += (
                f" {self.deferred_failed} URL(s) were left pending for their host on too many runs"
                " and are now failed."
            )
        return text


@dataclass
class _Host:
    delay: float
    next_at: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    robots_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    robots: Protego | None = None
    robots_state: str = "unknown"  # unknown, parsed, allow-all, unreachable
    paused_until: float = 0.0
    parked: str | None = None  # why the host waits for a later run
    internal: bool | None = None


@dataclass
class _Answer:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    ip: str | None
    request_target: str
    request_headers: list[tuple[str, str]]

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


class _Failure(Exception):
    """A URL's final outcome other than success: recorded with `reason`, the run goes on."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class _Defer(Exception):
    """The URL's host cannot be fetched in this run; the URL stays pending (counted)."""

    def __init__(self, reason: str, robots: bool = False) -> None:
        super().__init__(reason)
        self.robots = robots  # counted as robots.txt unavailable rather than as a paused host


def _retry_after(value: str | None, now: float) -> float | None:
    """Seconds a Retry-After asks for (delta-seconds or an HTTP date), or None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if _SECONDS.fullmatch(value):
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now)
    except (TypeError, ValueError, IndexError, OverflowError):
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
        # One transport per proxy (None: direct), as the environment's HTTP(S)_PROXY and
        # NO_PROXY say; a client would read them itself, the transport does not.
        self.transports: dict[str | None, httpx.AsyncHTTPTransport] = {}
        self.timeout = httpx.Timeout(config.read_timeout, connect=config.connect_timeout).as_dict()
        self.headers = {
            "User-Agent": config.user_agent,
            "Accept": "text/html,*/*;q=0.5",
            "Accept-Encoding": ACCEPT_ENCODING,
        }

    def _host(self, url: str) -> _Host:
        key = host_key(url)
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

    async def _get(self, url: str, cap: int | None = None, truncate: bool = False) -> _Answer:
        """One GET within the host's discipline. The body is decoded piece by piece under `cap`
        (default max_bytes): past it, BodyTooLarge, or with `truncate` the first `cap` bytes."""
        host = self._host(url)
        limit = cap or self.config.max_bytes
        transport = self._transport(url)
        request = httpx.Request("GET", url, headers=self.headers, extensions={"timeout": self.timeout})
        async with host.lock:
            await self._turn(host)
            try:
                async with self.slots, asyncio.timeout(self.config.deadline):
                    resp = await transport.handle_async_request(request)
                    resp.request = request
                    try:
                        return await self._read(resp, url, limit, truncate)
                    finally:
                        await resp.aclose()
            finally:
                self._done_request(host)

    async def _read(self, resp: httpx.Response, url: str, limit: int, truncate: bool) -> _Answer:
        """The body decoded under the cap, and the exchange as it happened on the wire."""
        decoder = CappedDecoder(resp.headers.get("content-encoding"), limit)
        try:
            async for chunk in resp.aiter_raw():
                decoder.feed(chunk)
        except BodyTooLarge:
            if not truncate:
                raise
            del decoder.body[limit:]
        body = bytes(decoder.body)
        headers = [
            (k, v)
            for k, v in resp.headers.multi_items()
            if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        headers.append(("Content-Length", str(len(body))))
        return _Answer(
            resp.status_code,
            resp.reason_phrase,
            headers,
            body,
            _server_ip(resp) or ip_of(hostname(url)),
            resp.request.url.raw_path.decode("ascii", "replace"),
            [(k.decode("latin-1"), v.decode("latin-1")) for k, v in resp.request.headers.raw],
        )

    async def _robots(self, url: str) -> str:
        """`allow`, `deny` (disallowed path) or `unreachable` (robots.txt 5xx or unreachable).
        Fetched once per host, whoever asks first; a Crawl-delay over max_wait parks the host."""
        host = self._host(url)
        async with host.robots_lock:
            if host.robots_state == "unknown":
                host.robots_state = await self._read_robots(url, host)
        if host.robots_state == "unreachable":
            return "unreachable"
        if (
            host.robots_state == "parsed"
            and host.robots is not None
            and not host.robots.can_fetch(url, self.config.user_agent)
        ):
            return "deny"
        return "allow"

    async def _read_robots(self, url: str, host: _Host) -> str:
        where = canonical("/robots.txt", base=url)
        for _ in range(self.config.robots_max_redirects + 1):
            try:
                answer = await self._get(where, cap=self.config.robots_max_bytes, truncate=True)
            except (httpx.HTTPError, TimeoutError, UnknownEncoding) as exc:
                log.info("robots.txt of %s unreachable: %s", host_key(url), exc)
                return "unreachable"
            location = answer.header("location")
            if 300 <= answer.status < 400 and location:
                try:
                    where = canonical(location, base=where)
                except BadURL:
                    return "allow-all"  # RFC 9309: a robots.txt that cannot be followed is unavailable
                continue
            if 200 <= answer.status < 300:
                host.robots = Protego.parse(answer.body.decode("utf-8", "ignore"))
                crawl_delay = host.robots.crawl_delay(self.config.user_agent)
                if crawl_delay:
                    if float(crawl_delay) > self.config.max_wait:
                        self._park(host, url, f"robots.txt Crawl-delay {float(crawl_delay):g} s")
                    else:
                        host.delay = max(host.delay, float(crawl_delay))
                return "parsed"
            if 400 <= answer.status < 500:
                return "allow-all"
            return "unreachable"
        return "allow-all"  # RFC 9309 §2.3.1.2: past five redirects, robots.txt is unavailable

    def _park(self, host: _Host, url: str, why: str) -> None:
        if host.parked is None:
            host.parked = f"{why} is more than the longest wait honoured ({self.config.max_wait:g} s)"
            self.summary.parked[host_key(url)] = host.parked
            log.warning("%s: %s; its URLs are left for a later run", host_key(url), host.parked)

    async def _is_internal(self, url: str) -> bool:
        """Does the URL's host resolve (or belong) to a loopback, private or link-local address?"""
        name = hostname(url)
        try:
            addresses = [ipaddress.ip_address(name)]
        except ValueError:
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(name, None, type=socket.SOCK_STREAM)
            except OSError:
                return False  # unresolvable: the request itself will fail
            addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
        nets = self.config.internal_networks
        return any(any(a in n for n in nets if a.version == n.version) for a in addresses)

    async def _follow(self, current: str, location: str, origin: _Host) -> str:
        try:
            target = canonical(location, base=current)
        except BadURL as exc:
            raise _Failure(f"bad redirect ({exc.reason})") from None
        if not self.config.allow_internal_redirects:
            if origin.internal is None:
                origin.internal = await self._is_internal(current)
            if not origin.internal and await self._is_internal(target):
                raise _Failure("redirect to an internal address")
        verdict = await self._robots(target)
        if verdict != "allow":
            raise _Failure(
                "redirect disallowed" if verdict == "deny" else "redirect target robots.txt unreachable"
            )
        return target

    async def fetch_url(self, url: str, resume_at: str | None = None) -> None:
        """Fetch one URL, or go on with its cut redirect chain; whatever happens, the outcome is
        recorded in the state and the run goes on."""
        try:
            await self._fetch(url, resume_at)
        except _Failure as exc:
            self._fail(url, exc.reason, exc.status)
        except _Defer as exc:
            if exc.robots:
                self.summary.robots_unavailable += 1
            else:
                self.summary.paused += 1
            if self.frontier.defer(url, str(exc), self.config.max_deferrals):
                self.summary.deferred_failed += 1
        except OSError:
            raise  # the archive cannot be written: the run must stop (the state says what is done)
        except Exception as exc:  # a hostile answer we did not foresee: this URL fails, not the run
            log.warning("%s failed unexpectedly: %s: %s", url, type(exc).__name__, exc)
            log.debug("traceback", exc_info=True)
            self._fail(url, f"error {type(exc).__name__}", None)

    async def _fetch(self, url: str, resume_at: str | None) -> None:
        current = resume_at or url
        host = self._host(current)
        if host.parked:
            raise _Defer(f"host parked: {host.parked}")
        if host.paused_until > time.monotonic():
            raise _Defer("host paused after a soft block")
        verdict = await self._robots(current)
        if host.parked:
            raise _Defer(f"host parked: {host.parked}")
        if verdict == "unreachable":
            raise _Defer("robots.txt unreachable", robots=True)
        if verdict == "deny":
            self.summary.skipped_robots += 1
            self.frontier.mark(url, "robots")
            return
        tries = 0
        for _ in range(self.config.max_redirects + 1):
            host = self._host(current)
            try:
                answer = await self._get(current)
            except (httpx.HTTPError, TimeoutError) as exc:
                tries += 1
                if tries >= self.config.max_tries:
                    raise _Failure(type(exc).__name__) from None
                self.summary.retried += 1
                await asyncio.sleep(
                    min(
                        self.config.max_wait,
                        self.config.backoff * 2 ** (tries - 1) * (1 + random.random() * 0.5),
                    )
                )
                continue
            except BodyTooLarge:
                raise _Failure("too large") from None
            except UnknownEncoding as exc:
                log.info("%s: %s", current, exc)
                raise _Failure(exc.code) from None
            status = answer.status
            if status in RETRY_STATUSES:
                tries += 1
                if tries >= self.config.max_tries:
                    raise _Failure(f"http {status}", status)
                self.summary.retried += 1
                wait = self.config.backoff * 2 ** (tries - 1)
                if status in (429, 503):
                    after = _retry_after(answer.header("retry-after"), time.time())
                    if after is not None and after > self.config.max_wait:
                        self._park(host, current, f"Retry-After {after:g} s")
                        raise _Defer(f"host parked: {host.parked}")
                    wait = after if after is not None else wait
                    # slow this host down, no further than the longest wait honoured
                    host.delay = min(self.config.max_wait, host.delay * 2 if host.delay else 1.0)
                await asyncio.sleep(min(self.config.max_wait, wait))
                continue
            location = answer.header("location")
            if 300 <= status < 400 and location:
                target = await self._follow(current, location, host)  # a refused hop is not archived
                self._archive(current, url, answer)
                self.summary.redirects += 1
                self.frontier.hop(url, target)
                current = target
                continue
            if 200 <= status < 300 and is_soft_block(answer.body):
                self.summary.blocked += 1
                self.frontier.mark(url, "blocked", "soft block", status, tries)
                host.paused_until = time.monotonic() + self.config.block_pause
                log.warning("soft block on %s: pausing the host", host_key(current))
                return
            if not 200 <= status < 300:
                raise _Failure(f"http {status}", status)
            self._archive(current, url, answer)
            self.frontier.mark(url, "done", None, status, tries)
            self.sink.rotate_if_full()
            self.summary.fetched += 1
            return
        raise _Failure("too many redirects")

    def _archive(self, url: str, requested: str, answer: _Answer) -> None:
        ctype = answer.header("content-type") or ""
        self.sink.write(
            Exchange(
                url,
                answer.status,
                answer.reason,
                answer.headers,
                answer.body,
                answer.request_target,
                answer.request_headers,
                answer.ip,
                ctype.split(";")[0].strip() or None,
                requested,
            )
        )

    def _fail(self, url: str, reason: str, status: int | None) -> None:
        self.summary.failed[reason] += 1
        self.frontier.mark(url, "failed", reason, status, 1)

    async def run(self, work: list[tuple[str, str | None]]) -> FetchSummary:
        started = time.monotonic()
        by_host: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
        for url, resume_at in work:
            by_host[host_key(resume_at or url)].append((url, resume_at))

        # The transport, not a client: redirects are followed here (a client builds the next
        # request for any Location, and fails on `javascript:`), and a client's cookie jar and
        # credential handling are what this fetcher must not have.
        async def host_worker(queue: list[tuple[str, str | None]]) -> None:
            for url, resume_at in queue:
                await self.fetch_url(url, resume_at)

        try:
            await asyncio.gather(*(host_worker(q) for q in by_host.values()))
        finally:
            for transport in self.transports.values():
                await transport.aclose()
        self.summary.seconds = time.monotonic() - started
        return self.summary

    def _transport(self, url: str) -> httpx.AsyncHTTPTransport:
        scheme = url.split(":", 1)[0]
        proxies = urllib.request.getproxies()
        proxy = proxies.get(scheme) or proxies.get("all")
        if proxy and urllib.request.proxy_bypass(host_key(url)):
            proxy = None
        if proxy not in self.transports:
            self.transports[proxy] = httpx.AsyncHTTPTransport(verify=True, retries=0, proxy=proxy)
        return self.transports[proxy]


def _server_ip(resp: httpx.Response) -> str | None:
    try:
        stream = resp.extensions.get("network_stream")
        addr = stream.get_extra_info("server_addr") if stream is not None else None
        return addr[0] if addr else None
    except Exception:  # not every transport exposes it
        return None


@dataclass
class BadLine:
    line: int
    text: str
    reason: str


def read_url_lines(lines: list[str]) -> tuple[list[str], list[BadLine]]:
    """Canonical URLs from a list (`#` starts a comment, blank lines skipped), first spelling
    kept, and the lines that are not fetchable URLs with their line number and reason."""
    good: dict[str, None] = {}
    bad: list[BadLine] = []
    for n, line in enumerate(lines, 1):
        text = line.split("#", 1)[0].strip()  # a URL's fragment is dropped anyway
        if not text:
            continue
        try:
            good.setdefault(canonical(text), None)
        except BadURL as exc:
            bad.append(BadLine(n, exc.shown, exc.reason))
    return list(good), bad


def fetch(
    urls: list[str], out_dir: str, config: FetchConfig, state_path: str | None = None
) -> tuple[FetchSummary, dict[str, int]]:
    """Fetch the URLs not done yet into `out_dir`; resumable after a crash or Ctrl-C.
    URLs that are not fetchable are skipped with a warning (`read_url_lines` reports them)."""
    wanted, bad = read_url_lines(urls)
    for b in bad:
        log.warning("skipped %r: %s", b.text[:200], b.reason)
    state = Path(state_path or f"{out_dir}/state.sqlite")
    with exclusive(state.with_name(state.name + ".lock"), f"the fetch state {state}"):
        frontier = Frontier(state)
        for uri in recover_open_files(out_dir):  # final responses a killed run wrote completely
            frontier.mark(uri, "done")
        frontier.add((u, host_key(u)) for u in wanted)
        pending = frontier.pending()
        sink = WarcSink(out_dir)
        try:
            summary = asyncio.run(Fetcher(config, frontier, sink).run(pending))
        finally:
            sink.close()
        counts = frontier.counts()
        frontier.close()
    return summary, counts
