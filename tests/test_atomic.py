"""Output integrity: a run killed at random points never leaves a partial file under the final
name; after the rerun, every line is complete."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time

from benchmarks.pages import job_description

from .conftest import ROOT, harvester


def test_killing_the_writer_at_random_points_never_leaves_a_partial_output(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(600):
        (src / f"{i:04d}.txt").write_text("\n".join(job_description(random.Random(i))), encoding="utf-8")
    out = tmp_path / "out" / "corpus.jsonl"
    cmd = harvester("clean", str(src), "-o", str(out), "--jobs", "2", "--shard-files", "100")
    rng = random.Random(3)
    for _ in range(4):
        proc = subprocess.Popen(
            cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        time.sleep(rng.uniform(0.5, 3.0))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        if out.exists():  # only ever a whole file: every line a complete record
            lines = out.read_text(encoding="utf-8").splitlines()
            assert all(json.loads(x)["text"] for x in lines)
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=300)
    assert res.returncode == 0, res.stderr.decode()
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    dups = out.with_name("corpus.duplicates.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(records) + len(dups) == 600
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]
