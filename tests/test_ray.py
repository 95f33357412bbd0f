"""`--engine ray` on a local Ray instance gives the same records as `--engine local`."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.sitegen import make_sites, write_sites

from .conftest import ROOT, SAMPLES, harvester

pytest.importorskip("ray", reason="ray is not installed here (pip install '.[ray]')")


def test_ray_and_local_engines_write_the_same_records(tmp_path):
    """Also over generated sites, so that the learning pass and the templates (in Ray's object
    store) take part."""
    write_sites(tmp_path / "sites", make_sites(seed=7, sites=2, pages=8), "html", "mixed")
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
                str(tmp_path / "sites"),
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
    assert outs["ray"] == outs["local"] and outs["ray"].count(b"\n") >= 15 + 16
    assert b'"rule":"template/' in outs["ray"]


def test_unknown_engine_is_a_usage_error():
    res = subprocess.run(
        [sys.executable, "-m", "harvester", "clean", "--engine", "spark"], cwd=ROOT, capture_output=True
    )
    assert res.returncode == 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_readme_cluster_recipe_two_nodes_with_token_auth(tmp_path):
    """The README's recipe on a real 2-node cluster (two `ray start` on this machine), with token
    auth as Ray 2.60 expects it: output byte-identical to --engine local."""
    ray_bin = Path(sys.executable).parent / "ray"
    port = _free_port()
    env = {
        **os.environ,
        "RAY_AUTH_MODE": "token",
        "RAY_AUTH_TOKEN": secrets.token_hex(32),
        "RAY_USAGE_STATS_ENABLED": "0",
    }
    env.pop("RAY_ADDRESS", None)
    head = [str(ray_bin), "start", "--head", f"--port={port}", "--num-cpus=1", "--include-dashboard=false"]
    worker = [str(ray_bin), "start", f"--address=127.0.0.1:{port}", "--num-cpus=1"]
    try:
        for cmd in (head, worker):
            res = subprocess.run(cmd, env=env, capture_output=True, timeout=180)
            assert res.returncode == 0, res.stderr.decode()[-2000:]
        deadline = time.monotonic() + 60
        while True:  # the autoscaler's view takes a few seconds to list both nodes
            status = subprocess.run(
                [str(ray_bin), "status", f"--address=127.0.0.1:{port}"],
                env=env,
                capture_output=True,
                timeout=60,
            )
            if status.stdout.count(b" node_") == 2 or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert status.stdout.count(b" node_") == 2, status.stdout.decode()
        outs = {}
        for engine in ("local", "ray"):
            out = tmp_path / f"{engine}.jsonl"
            run_env = {**env, "RAY_ADDRESS": f"127.0.0.1:{port}"} if engine == "ray" else env
            res = subprocess.run(
                [*harvester("clean", SAMPLES, "-o", out, "--engine", engine, "--shard-files", "5")],
                cwd=ROOT,
                env=run_env,
                capture_output=True,
                timeout=300,
            )
            assert res.returncode == 0, res.stderr.decode()[-2000:]
            outs[engine] = out.read_bytes()
        assert outs["ray"] == outs["local"] and outs["ray"].count(b"\n") >= 15
        # A driver without the token is refused with a hint, not a traceback.
        no_auth = {k: v for k, v in env.items() if not k.startswith("RAY_AUTH")}
        res = subprocess.run(
            harvester("clean", SAMPLES, "-o", tmp_path / "x.jsonl", "--engine", "ray"),
            cwd=ROOT,
            env={**no_auth, "RAY_ADDRESS": f"127.0.0.1:{port}", "HOME": str(tmp_path)},
            capture_output=True,
            timeout=300,
        )
        assert res.returncode == 1 and b"RAY_AUTH_MODE=token" in res.stderr, res.stderr.decode()[-2000:]
        assert b"Traceback" not in res.stderr
    finally:
        subprocess.run([str(ray_bin), "stop", "--force"], env=env, capture_output=True, timeout=120)
