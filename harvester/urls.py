"""One spelling per URL, for the frontier key, the per-host key and the WARC.

Parsing is WHATWG's (ada-url: the parser Node.js uses), so `H:80`, `0x7f.0.0.1`, `2130706433`,
`bücher.de` and `xn--bcher-kva.de` come out as one host each and a non-ASCII path or query
comes out percent-encoded. On top of it, what a crawler also folds (RFC 3986 §6.2.2): a trailing
dot on the host, percent-escapes of unreserved characters (`%64` is `d`), lower-case escapes, an
empty query (`?`) and the fragment. A URL carrying credentials is refused, never stripped
silently: the page it names may be one only a login shows.
"""

from __future__ import annotations

import re

from ada_url import URL, join_url

SCHEMES = ("http:", "https:")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


class BadURL(ValueError):
    """A URL that cannot be fetched; `reason` is a short code for the state and the summary."""

    def __init__(self, reason: str, url: str) -> None:
        super().__init__(f"{reason}: {url[:200]!r}")
        self.reason = reason
        self.shown = url  # safe to print: credentials already cut off


def _escapes(part: str) -> str:
    def one(m: re.Match[str]) -> str:
        byte = int(m.group(1), 16)
        return chr(byte) if byte in _UNRESERVED else "%" + m.group(1).upper()

    return _ESCAPE.sub(one, part)


def canonical(url: str, base: str | None = None) -> str:
    """The URL's one spelling (resolved against `base` when given, as a redirect's Location is).
    Raises BadURL with the reason when it is not an http(s) URL that can be fetched as it is."""
    text = url.strip()
    try:
        parsed = URL(join_url(base, text) if base else text)
    except ValueError:
        raise BadURL("invalid URL", text) from None
    if parsed.protocol not in SCHEMES:
        raise BadURL("not http(s)", text)
    if parsed.username or parsed.password:
        raise BadURL("credentials in URL", text.split("@", 1)[-1])
    host = parsed.hostname.rstrip(".")
    if not host:
        raise BadURL("no host", text)
    port = f":{parsed.port}" if parsed.port else ""
    query = _escapes(parsed.search) if parsed.search not in ("", "?") else ""
    return f"{parsed.protocol}//{host}{port}{_escapes(parsed.pathname) or '/'}{query}"


def host_key(url: str) -> str:
    """The host a politeness budget belongs to: the canonical host and its port."""
    parsed = URL(url)
    return f"{parsed.hostname.rstrip('.')}{':' + parsed.port if parsed.port else ''}"


def hostname(url: str) -> str:
    return URL(url).hostname.rstrip(".").strip("[]")
