"""Real HTTP servers on loopback addresses (127.0.0.x) for the fetcher's tests.

Each server plays one host: its routes say what to answer, and it logs every request it gets
(path and arrival time) so tests can check what was asked and how politely."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# A route is called with how many times it was hit; it answers (status, headers, body). Headers
# are a dict or a list of pairs (a header may repeat); a bytes value is sent as it is, so a test
# can send what no well-behaved server would (UTF-8 in a Location, say).
Headers = dict[str, str] | list[tuple[str, str | bytes]]
Route = Callable[[int], tuple[int, Headers, bytes]]


class Host:
    def __init__(self, address: str, routes: dict[str, Route], port: int = 0) -> None:
        self.routes = routes
        self.log: list[tuple[float, str]] = []
        self.headers: list[dict[str, str]] = []  # the request headers, in the order of `log`
        self.hits: dict[str, int] = {}
        self.in_flight = self.most_in_flight = 0
        guard = threading.Lock()
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with guard:
                    host.log.append((time.monotonic(), self.path))
                    host.headers.append({k.lower(): v for k, v in self.headers.items()})
                    n = host.hits[self.path] = host.hits.get(self.path, 0) + 1
                    host.in_flight += 1
                    host.most_in_flight = max(host.most_in_flight, host.in_flight)
                try:
                    route = host.routes.get(self.path)
                    status, headers, body = (
                        route(n) if route else (404, {"Content-Type": "text/plain"}, b"not found")
                    )
                    items = list(headers.items()) if isinstance(headers, dict) else list(headers)
                    if not any(k.lower() == "content-length" for k, _ in items):
                        items.append(("Content-Length", str(len(body))))
                    head = [f"HTTP/1.0 {status} X".encode()]
                    head += [
                        k.encode() + b": " + (v if isinstance(v, bytes) else v.encode("utf-8"))
                        for k, v in items
                    ]
                    self.wfile.write(b"\r\n".join(head) + b"\r\n\r\n")
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with guard:
                        host.in_flight -= 1

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((address, port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://{address}:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return self.base + path

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def page(text: str, charset: str = "utf-8", declared: str | None = None) -> Route:
    body = f"<html><head><meta charset='{declared or charset}'><title>{text[:10]}</title></head><body><div><p>{text}</p></div></body></html>"
    data = body.encode(charset)
    return lambda n: (200, {"Content-Type": f"text/html; charset={declared or charset}"}, data)


def status(code: int, headers: dict[str, str] | None = None) -> Route:
    return lambda n: (code, headers or {"Content-Type": "text/plain"}, b"")


def text(body: str, code: int = 200) -> Route:
    return lambda n: (code, {"Content-Type": "text/plain"}, body.encode())


def first_then(first: Route, then: Route) -> Route:
    return lambda n: first(n) if n == 1 else then(n)


def slow(seconds: float) -> Route:
    def route(n: int) -> tuple[int, dict[str, str], bytes]:
        time.sleep(seconds)
        return 200, {"Content-Type": "text/html"}, b"<p>late</p>"

    return route
