"""A clean run killed midway (kill -9) and rerun gives the output of an uninterrupted run."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

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


def _interrupted(tmp_path, config):
    """A run stopped by Ctrl-C in its second shard (KeyboardInterrupt from its progress hook),
    with the first shard's record text replaced, so that reusing that shard shows in the output."""
    from harvester.run import _work_dir, run_clean
    from harvester.writer import OutputTarget

    src = tmp_path / "in"
    src.mkdir()
    for i in range(4):
        (src / f"{i}.txt").write_text("\n".join(job_description(random.Random(i))), encoding="utf-8")
    target = OutputTarget(str(tmp_path / "out.jsonl"))

    def ctrl_c_in_second_shard(pages: int) -> None:
        if pages == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_clean([str(src)], target, config, on_page=ctrl_c_in_second_shard)
    work = _work_dir(target)
    assert (work / "shard-00000.done").exists() and not (work / "shard-00001.done").exists()
    shard = work / "shard-00000.jsonl"
    rows = [json.loads(line) for line in shard.read_text(encoding="utf-8").splitlines()]
    shard.write_text("".join(json.dumps({**r, "title": "PLANTED"}) + "\n" for r in rows), encoding="utf-8")
    return src, target


@pytest.mark.parametrize(
    ("rerun", "reused"),
    [
        ({}, True),  # the same settings: the finished shard is reused
        ({"max_bytes": 10_000_000}, False),  # a setting that changes what a shard holds: afresh
        ({"jobs": 2}, True),  # how many workers changes nothing a shard holds
    ],
)
def test_a_resume_reuses_shards_only_under_the_same_settings(tmp_path, rerun, reused):
    from harvester.run import CleanConfig, run_clean

    config = CleanConfig(jobs=1, shard_files=2, learn_templates=False, dedup=False)
    src, target = _interrupted(tmp_path, config)
    summary = run_clean([str(src)], target, dataclasses.replace(config, **rerun))
    out = (tmp_path / "out.jsonl").read_text(encoding="utf-8")
    assert ("PLANTED" in out) is reused
    assert summary.documents == 4 and summary.inputs == 4


def test_a_duplicate_line_is_the_record_with_its_kept_copy_and_similarity():
    """The duplicates file's line for a copy: the record as written, `duplicate_of` and
    `similarity` set, whether the line ends as `Record.to_dict` writes it or not."""
    from cleaners.document import Record
    from harvester.run import _as_duplicate
    from harvester.writer import dumps

    rec = Record(text="负责仓库物料的收发。", title="仓管员", source={"path": "a.txt"}).to_dict()
    for line in (dumps(rec) + "\n", dumps({**rec, "duplicate_of": None, "extra": 1}) + "\n"):
        got = _as_duplicate(line, "0123abcd", 0.93)
        assert got.endswith("\n") and got.count("\n") == 1
        assert json.loads(got) == {**json.loads(line), "duplicate_of": "0123abcd", "similarity": 0.93}


@pytest.mark.parametrize("jobs", [1, 2])
def test_shards_without_documents_between_others_lose_nothing(tmp_path, jobs):
    """One file a shard, the pages of all shards in one stream to the workers: shards whose
    file holds no row (an empty JSONL file) or a page without a document give their errors,
    and every other shard's documents are written, all in input order."""
    from harvester.run import CleanConfig, run_clean
    from harvester.writer import OutputTarget

    src = tmp_path / "in"
    src.mkdir()
    (src / "0.txt").write_text("\n".join(job_description(random.Random(0))), encoding="utf-8")
    (src / "1.jsonl").write_text("", encoding="utf-8")
    (src / "2.jsonl").write_text("", encoding="utf-8")
    (src / "3.html").write_text("<html><body><p></p></body></html>", encoding="utf-8")
    (src / "4.txt").write_text("\n".join(job_description(random.Random(4))), encoding="utf-8")
    target = OutputTarget(str(tmp_path / "out.jsonl"))
    config = CleanConfig(jobs=jobs, shard_files=1, dedup=False)
    summary = run_clean([str(src)], target, config)
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [Path(r["source"]["path"]).name for r in rows] == ["0.txt", "4.txt"]
    assert [Path(e.path).name for e in summary.errors] == ["1.jsonl", "2.jsonl", "3.html"]
    assert summary.inputs == 5
