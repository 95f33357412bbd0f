"""Benchmark: the site-template learning pass at scale, side by side with the plain run.

Writes N generated pages (benchmarks/sitegen.py: neutral chrome repeated per site) as one
JSONL file with URLs, then runs `harvester clean` twice in the same session, with and without
`--learn-templates`, and prints wall time, CPU time (the run and its workers), peak memory
(the main process, and the largest worker), pages/s and the chrome leaked. A third row feeds
the learner alone (no reading or extraction) to show its own time and memory: bounded by the
number of sites, not pages.

usage: python benchmarks/bench_templates.py [--pages 100000] [--sites 50] [--jobs 2] [--kind text|html]
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.sitegen import html_page, make_sites, score, text_dump

HERE = Path(__file__).resolve().parent.parent


def _run(src: Path, out: Path, jobs: int, learn: bool) -> dict:
    """One `harvester clean` in a child process; its times and peak memory from wait4."""
    cmd = [sys.executable, "-m", "harvester", "clean", str(src), "-o", str(out), "--jobs", str(jobs)]
    cmd.append("--learn-templates" if learn else "--no-learn-templates")
    code = (
        "import resource,subprocess,sys,time,json;t=time.perf_counter();"
        "p=subprocess.run(sys.argv[1:],capture_output=True,text=True);w=time.perf_counter()-t;"
        "c=resource.getrusage(resource.RUSAGE_CHILDREN);"
        "print(json.dumps({'rc':p.returncode,'wall':w,'cpu':c.ru_utime+c.ru_stime,'peak_mb':c.ru_maxrss/1024,'err':p.stderr[-3000:]}))"
    )
    res = subprocess.run(
        [sys.executable, "-c", code, *cmd], cwd=HERE, capture_output=True, text=True, check=True
    )
    stats = json.loads(res.stdout)
    if stats["rc"] != 0:
        raise SystemExit(f"harvester clean failed:\n{stats['err']}")
    learned = [ln for ln in stats["err"].splitlines() if "learned" in ln]
    stats["learning"] = learned[-1].split("harvester: ")[-1] if learned else ""
    return stats


def _learner_alone(sites: list) -> dict:
    """The learner fed every page's lines directly: its own time and peak Python memory."""
    from cleaners.site_template import TemplateLearner

    pages = [(site.name, text_dump(p).splitlines()) for site in sites for p in site.pages]
    learner = TemplateLearner()
    start = time.process_time()
    for name, lines in pages:
        learner.add(name, lines)
    found = learner.templates()
    cpu = time.process_time() - start
    learner = TemplateLearner()  # again, traced: tracemalloc slows it, so it is not timed
    tracemalloc.start()
    for name, lines in pages:
        learner.add(name, lines)
    learner.templates()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {"cpu": cpu, "peak_mb": peak, "templates": len(found)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=100_000)
    ap.add_argument("--sites", type=int, default=50)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--kind", choices=("text", "html"), default="text")
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    sites = make_sites(a.seed, a.sites, a.pages // a.sites, stock_sites=a.sites // 5)
    n = sum(len(s.pages) for s in sites)
    print(
        f"# {platform.python_implementation()} {platform.python_version()}, {a.jobs} jobs, {n} {a.kind} pages, {a.sites} sites"
    )
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "pages.jsonl"
        with open(src, "w", encoding="utf-8") as fh:
            for site in sites:
                for p in site.pages:
                    body = text_dump(p) if a.kind == "text" else html_page(p)
                    row = {"url": p.url, a.kind: body, "id": f"{site.name}-{p.n:05d}"}
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        ids = [f"{s.name}-{p.n:05d}" for s in sites for p in s.pages]
        print(f"{'run':<22}{'wall s':>9}{'cpu s':>9}{'pages/s':>10}{'peak MB':>9}{'leaked':>8}{'kept':>8}")
        for learn in (False, True):
            out = Path(tmp) / f"out-{learn}.jsonl"
            stats = _run(src, out, a.jobs, learn)
            texts: dict[str, str] = {}
            for line in out.read_text(encoding="utf-8").splitlines():
                rec = json.loads(line)
                row = int(rec["source"]["path"].rsplit(":", 1)[1]) - 1
                texts[ids[row]] = texts.get(ids[row], "") + rec["text"]
            leaked, kept = score(sites, texts)
            name = "clean --learn-templates" if learn else "clean (no templates)"
            print(
                f"{name:<22}{stats['wall']:>9.1f}{stats['cpu']:>9.1f}{n / stats['wall']:>10.0f}"
                f"{stats['peak_mb']:>9.0f}{leaked:>8.1%}{kept:>8.2%}"
            )
            if stats["learning"]:
                print(f"  {stats['learning']}")
    alone = _learner_alone(sites)
    print(
        f"{'learner alone':<22}{'':>9}{alone['cpu']:>9.1f}{n / alone['cpu']:>10.0f}{alone['peak_mb']:>9.0f}"
        f"   ({alone['templates']} templates; Python heap peak, pages excluded)"
    )


if __name__ == "__main__":
    main()
