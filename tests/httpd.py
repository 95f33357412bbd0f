"""Real HTTP servers on loopback addresses (127.0.0.x) for the fetcher's tests.

Each server plays one host: its routes say what to answer, and it logs every request it gets
(path and arrival time) so tests can check what was asked and how politely."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Route = Callable[[int], tuple[int, dict[str, str], bytes]]  # called with how many times it was hit


class Host:
    def __init__(self, address: str, routes: dict[str, Route]) -> None:
        self.routes = routes
        self.log: list[tuple[float, str]] = []
        self.hits: dict[str, int] = {}
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                host.log.append((time.monotonic(), self.path))
                n = host.hits[self.path] = host.hits.get(self.path, 0) + 1
                route = host.routes.get(self.path)
                status, headers, body = (
                    route(n) if route else (404, {"Content-Type": "text/plain"}, b"not found")
                )
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((address, 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://{address}:{self.server.server_address[1]}"
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
