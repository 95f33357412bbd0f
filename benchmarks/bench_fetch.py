"""Benchmark: `harvester fetch` against 50 local hosts (real HTTP servers on 127.0.0.10-59),
no delay: requests/s, peak memory and CPU time per request of the fetching process, for a small
and a large URL list (memory must not grow with the number of URLs done).
usage: python benchmarks/bench_fetch.py [--urls 1000 5000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

HOSTS = 50


def child(url_file: str, out: str) -> None:
    from harvester.fetch import FetchConfig, fetch

    urls = Path(url_file).read_text().split()
    start = time.perf_counter()
    summary, _ = fetch(urls, out, FetchConfig(delay=0.0, concurrency=HOSTS))
    wall = time.perf_counter() - start
    use = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "urls": len(urls),
                "fetched": summary.fetched,
                "wall": wall,
                "cpu": use.ru_utime + use.ru_stime,
                "peak_mb": use.ru_maxrss / 1024,
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--urls", type=int, nargs="+", default=[1000, 5000])
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(*a.child)
        return
    from tests import httpd

    body = httpd.page("岗位职责：负责仓库物料的收发与盘点，按月编制库存报表。" * 20)
    hosts = [
        httpd.Host(f"127.0.0.{10 + k}", {"/robots.txt": httpd.text("User-agent: *\nAllow: /\n")})
        for k in range(HOSTS)
    ]
    for h in hosts:
        h.routes.update({f"/p{i}.html": body for i in range(max(a.urls) // HOSTS + 1)})
    print(f"{'urls':>6}{'req/s':>9}{'peak MB':>9}{'CPU ms/req':>12}")
    for n in a.urls:
        with tempfile.TemporaryDirectory() as tmp:
            urls = [hosts[i % HOSTS].url(f"/p{i // HOSTS}.html") for i in range(n)]
            Path(tmp, "urls.txt").write_text("\n".join(urls))
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(Path(tmp, "urls.txt")), str(Path(tmp, "raw"))],
                capture_output=True,
                text=True,
                check=True,
            )
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"{r['urls']:>6}{r['fetched'] / r['wall']:>9.0f}{r['peak_mb']:>9.0f}{r['cpu'] / r['fetched'] * 1000:>12.2f}"
            )
    for h in hosts:
        h.stop()


if __name__ == "__main__":
    main()
