"""A clean run killed midway (kill -9) and rerun gives the output of an uninterrupted run."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time

from benchmarks.pages import job_description

from .conftest import ROOT, harvester


def test_kill_then_rerun_equals_an_uninterrupted_run(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(1500):
        (src / f"{i:05d}.txt").write_text(
            "\n".join(job_description(random.Random(i % 1200))), encoding="utf-8"
        )

    def cmd(out):
        return harvester("clean", str(src), "-o", str(out), "--jobs", "2", "--shard-files", "50")

    whole = tmp_path / "whole.jsonl"
    assert subprocess.run(cmd(whole), cwd=ROOT, capture_output=True, timeout=600).returncode == 0

    out = tmp_path / "killed.jsonl"
    work = tmp_path / ".killed.jsonl.work"
    proc = subprocess.Popen(
        cmd(out), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(work.glob("*.done"))) < 5:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its worker processes
    proc.wait()
    done_before = len(list(work.glob("*.done")))
    assert 5 <= done_before < 31 and not out.exists()
    assert (work / "templates.done").exists()  # the rerun reuses what the first pass learned

    res = subprocess.run(cmd(out), cwd=ROOT, capture_output=True, timeout=600)
    assert res.returncode == 0, res.stderr.decode()
    assert out.read_bytes() == whole.read_bytes()
    assert (
        out.with_name("killed.duplicates.jsonl").read_bytes()
        == whole.with_name("whole.duplicates.jsonl").read_bytes()
    )
    assert not work.exists()
