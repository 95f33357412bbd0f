"""Benchmark: `harvester clean` with --jobs 1 and --jobs 2 on generated pages (pages/s and the
speed-up), and peak memory of the worker processes and of the main process as the input grows
(20,000 → 200,000 pages). Pages are text dumps of the document-site shape (benchmarks/pages.py)
in one JSONL file; memory is read from /proc (VmHWM) while the run goes on.
usage: python benchmarks/bench_scale.py [--small 20000] [--large 200000]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.pages import text_page


def make_input(path: Path, n: int) -> None:
    rng = random.Random(5)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(
                json.dumps({"url": f"https://example.org/{i}", "text": text_page(rng)}, ensure_ascii=False)
                + "\n"
            )


def _hwm_mb(pid: int) -> float:
    """Peak resident memory of a process so far (VmHWM); 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def run(inp: Path, out: Path, jobs: int) -> tuple[float, float, float]:
    """Seconds, peak MB of the main process, peak MB of the largest worker process."""
    start = time.perf_counter()
    cmd = [sys.executable, "-m", "harvester", "clean", str(inp), "-o", str(out), "--jobs", str(jobs)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    main_peak = worker_peak = 0.0
    while proc.poll() is None:
        main_peak = max(main_peak, _hwm_mb(proc.pid))
        for kid in _children(proc.pid):
            worker_peak = max(worker_peak, _hwm_mb(kid))
        time.sleep(0.5)
    if proc.returncode != 0:
        raise SystemExit(f"harvester clean failed with exit code {proc.returncode}")
    return time.perf_counter() - start, main_peak, worker_peak


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--small", type=int, default=20_000)
    ap.add_argument("--large", type=int, default=200_000)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp, "small.jsonl"), Path(tmp, "large.jsonl")
        make_input(small, a.small)
        t1, _, _ = run(small, Path(tmp, "o1.jsonl"), 1)
        t2, main2, worker2 = run(small, Path(tmp, "o2.jsonl"), 2)
        print(
            f"{a.small} pages: --jobs 1 {a.small / t1:.0f} pages/s, --jobs 2 {a.small / t2:.0f} pages/s, "
            f"speed-up {t1 / t2:.2f}x; peak RSS: worker {worker2:.0f} MB, main {main2:.0f} MB",
            flush=True,
        )
        make_input(large, a.large)
        t3, main3, worker3 = run(large, Path(tmp, "o3.jsonl"), 2)
        print(
            f"{a.large} pages: --jobs 2 {a.large / t3:.0f} pages/s; peak RSS: worker {worker3:.0f} MB, "
            f"main {main3:.0f} MB"
        )


if __name__ == "__main__":
    main()
