"""`--engine ray` on a local Ray instance gives the same records as `--engine local`."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT, SAMPLES

pytest.importorskip("ray", reason="ray is not installed here (pip install '.[ray]')")


def test_ray_and_local_engines_write_the_same_records(tmp_path):
    outs = {}
    for engine in ("local", "ray"):
        out = tmp_path / f"{engine}.jsonl"
        res = subprocess.run(
            [
                sys.executable,
                "-m",
                "harvester",
                "clean",
                str(SAMPLES),
                "-o",
                str(out),
                "--jobs",
                "2",
                "--engine",
                engine,
                "--shard-files",
                "5",
            ],
            cwd=ROOT,
            capture_output=True,
            timeout=300,
        )
        assert res.returncode == 0, res.stderr.decode()
        outs[engine] = out.read_bytes()
    assert outs["ray"] == outs["local"] and outs["ray"].count(b"\n") >= 15


def test_unknown_engine_is_a_usage_error():
    res = subprocess.run(
        [sys.executable, "-m", "harvester", "clean", "--engine", "spark"], cwd=ROOT, capture_output=True
    )
    assert res.returncode == 2
