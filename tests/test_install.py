"""A fresh machine: pins come from the registry, the wheel carries its knowledge, the CLI starts fast."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import time
import venv
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLES, harvester

PIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*==[A-Za-z0-9.+!-]+$")


def test_every_pin_names_a_registry_version():
    """A pin to a local file or URL works only on the machine that wrote it."""
    for raw in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            assert PIN.match(line), f"constraints.txt: {raw!r} is not NAME==VERSION"
            assert "@" not in line and "://" not in line and "/" not in line


def test_pyproject_names_no_local_path_or_url():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert " @ " not in text and "file:" not in text


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory) -> Path:
    """A fresh venv holding the built wheel; its dependencies are borrowed from this environment
    (by a .pth path, which does not run this environment's editable-install hook)."""
    work = tmp_path_factory.mktemp("wheel")
    res = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(work / "dist"), str(ROOT)],
        capture_output=True,
        timeout=300,
    )
    if res.returncode != 0:
        pytest.fail(f"pip wheel failed: {res.stderr.decode()[-2000:]}")
    (wheel,) = (work / "dist").glob("harvester-*.whl")
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=False)
    py = env_dir / "bin" / "python"
    site = Path(
        subprocess.check_output([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
        .decode()
        .strip()
    )
    (site / "borrowed-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    res = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-deps", str(wheel)],
        capture_output=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr.decode()[-2000:]
    return env_dir


def test_installed_wheel_cleans_a_book118_page_outside_the_checkout(wheel_venv, tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    html = (SAMPLES / "book118-admin-assistant.html").read_bytes()
    (pages / "saved.html").write_bytes(html)
    env = {k: v for k, v in os.environ.items() if k != "HARVESTER_DATA"}
    res = subprocess.run(
        [wheel_venv / "bin" / "harvester", "clean", "pages", "-o", "out.jsonl", "--jobs", "1"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr.decode()
    (record,) = [json.loads(line) for line in (tmp_path / "out.jsonl").open(encoding="utf-8")]
    assert record["source"]["site"] == "book118"
    assert "VIP会员" in html.decode("utf-8") and "VIP会员" not in record["text"]
    assert any("VIP会员" in r["text"] for r in record["removed"])
    where = subprocess.check_output(
        [wheel_venv / "bin" / "python", "-c", "import harvester.sites as s; print(s.DATA_DIR)"], cwd=tmp_path
    ).decode()
    assert str(ROOT) not in where and "site-packages" in where
    has_model = subprocess.check_output(
        [
            wheel_venv / "bin" / "python",
            "-c",
            "import harvester.sites as s; print(s.load_profiles().line_model is not None)",
        ],
        cwd=tmp_path,
    )
    assert has_model.strip() == b"True"  # the learned model ships in the wheel too


def test_installed_wheel_lists_its_bundled_profiles(wheel_venv, tmp_path):
    res = subprocess.run(
        [wheel_venv / "bin" / "harvester", "sites"], cwd=tmp_path, capture_output=True, timeout=60
    )
    assert res.returncode == 0, res.stderr.decode()
    assert b"book118" in res.stdout and b"generic" in res.stdout


def test_version_and_short_help():
    version = subprocess.run(harvester("--version"), capture_output=True, timeout=60)
    assert version.returncode == 0 and re.match(rb"harvester \d+\.\d+", version.stdout)
    short = subprocess.run(harvester("-h"), capture_output=True, timeout=60)
    assert short.returncode == 0 and b"clean" in short.stdout and b"inspect" in short.stdout


def _best_of(cmd: list[str], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True, timeout=60)
        best = min(best, time.perf_counter() - start)
    return best


def test_help_and_sites_start_in_under_300_ms_over_a_bare_interpreter():
    bare = _best_of([sys.executable, "-c", "pass"])
    for args in (("--help",), ("sites",)):
        took = _best_of(harvester(*args)) - bare
        assert took < 0.3, f"harvester {' '.join(args)} took {took:.2f} s over a bare interpreter"


def test_help_does_not_import_the_heavy_modules():
    code = (
        "import sys; sys.argv = ['harvester', '--help']\n"
        "from harvester.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('httpx', 'numpy', 'warcio', 'asyncio', 'selectolax', 'cleaners.pipeline')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert b"HEAVY []" in res.stderr, res.stderr.decode()[-500:]
