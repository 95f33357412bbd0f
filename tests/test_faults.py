"""`harvester clean` and `dedup` under real faults: special files among the inputs, a gigantic
JSONL row, lines that would be quadratic, two runs on one output, a killed main process, names
that look like markup, globs or terminal escapes, mistyped profiles, an input edited between a
kill and the rerun."""

from __future__ import annotations

import gzip
import json
import os
import random
import signal
import socket
import subprocess
import time
import zlib
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.pages import job_description
from harvester.lock import exclusive

from .conftest import ROOT, harvester, peak_rss_mb

JD = "岗位职责：\n1、负责仓库物料的收发与盘点，按月编制库存报表。\n2、负责出入库单据的审核与归档。\n任职要求：大专以上学历，三年以上仓库管理经验。"


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(harvester(*args), cwd=ROOT, capture_output=True, timeout=timeout)


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_fifos_devices_and_sockets_are_reported_not_read(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(JD, encoding="utf-8")
    os.mkfifo(src / "x.html")  # open() on it would block forever
    (src / "zero.jsonl").symlink_to("/dev/zero")  # grows without end
    (src / "random.txt").symlink_to("/dev/urandom")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(src / "s.txt"))
    try:
        out = tmp_path / "out.jsonl"
        start = time.monotonic()
        res = _run("clean", str(src), "-o", str(out), timeout=60)
        assert res.returncode == 0, res.stderr.decode()
        assert time.monotonic() - start < 30
    finally:
        sock.close()
    assert len(_jsonl(out)) == 1
    reasons = {Path(e["path"]).name: e["reason"] for e in _jsonl(tmp_path / "out.errors.jsonl")}
    assert reasons == {
        "x.html": "not a regular file (a FIFO): not read",
        "zero.jsonl": "not a regular file (a character device): not read",
        "random.txt": "not a regular file (a character device): not read",
        "s.txt": "not a regular file (a socket): not read",
    }


def test_a_one_gib_jsonl_row_is_rejected_without_holding_it(tmp_path):
    path = tmp_path / "rows.jsonl.gz"
    z = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    with open(path, "wb") as fh:
        fh.write(z.compress(json.dumps({"text": JD}, ensure_ascii=False).encode() + b"\n"))
        fh.write(z.compress(b'{"text": "'))
        chunk = b"a" * (1 << 20)
        for _ in range(1024):  # 1 GiB of one row, about 1 MB on disk
            fh.write(z.compress(chunk))
        fh.write(z.compress(b'"}\n'))
        fh.write(z.compress(json.dumps({"text": JD + "\n编制人：王喆"}, ensure_ascii=False).encode() + b"\n"))
        fh.write(z.flush())
    out = tmp_path / "out.jsonl"
    code, peak, stderr = peak_rss_mb(
        [*harvester("clean", str(path), "-o", str(out), "--jobs", "1", "--no-dedup")], timeout=300
    )
    assert code == 0, stderr
    print(f"peak resident memory {peak} MB")
    assert peak <= 800, peak
    assert len(_jsonl(out)) == 2  # the good rows on both sides of it
    (err,) = _jsonl(tmp_path / "out.errors.jsonl")
    assert err["path"].endswith("rows.jsonl.gz:2") and err["reason"].startswith("row too large: 10737418")


SHAPES = {
    "letters": "a",
    "han": "岗位职责负责",
    "digits": "1",
    "spaces": " ",
    "ideographic space": "\u3000",
    "dashes": "-",
    "underscores": "_",
    "dots": ".",
    "decimals": "1.",
    "numerals": "一、",
    "brackets": "（",
    "editor": "小编" + "岗" * 50,
}


def test_seven_pages_of_60000_character_lines_are_cleaned_in_time(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    names = ["letters", "han", "digits", "spaces", "dashes", "numerals", "editor"]
    for k, name in enumerate(names):  # each page its own document (one shared would be a template)
        unit = SHAPES[name]
        line = unit * (60_000 // len(unit))
        text = "\n".join(job_description(random.Random(k)))
        (src / f"{name}.txt").write_text(f"{text}\n{line}\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    start = time.monotonic()
    res = _run("clean", str(src), "-o", str(out), "--jobs", "1", "--no-dedup", timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    assert time.monotonic() - start <= 35
    assert len({Path(r["source"]["path"]).name for r in _jsonl(out)}) == 7  # none lost


def test_a_second_run_on_one_output_is_refused_at_once(tmp_path):
    (tmp_path / "a.txt").write_text(JD, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    url_file = tmp_path / "urls.txt"
    url_file.write_text("http://127.0.0.1:9/x\n")
    with exclusive(tmp_path / ".out.jsonl.lock", "test"):  # another run holds the output
        start = time.monotonic()
        res = _run("clean", str(tmp_path / "a.txt"), "-o", str(out))
        assert res.returncode == 1 and b"another harvester run" in res.stderr
        assert time.monotonic() - start < 20 and not out.exists()
    with exclusive(tmp_path / "raw" / "state.sqlite.lock", "test"):
        res = _run("fetch", "--urls", str(url_file), "-o", str(tmp_path / "raw"))
        assert res.returncode == 1 and b"another harvester run" in res.stderr
    res = _run("clean", str(tmp_path / "a.txt"), "-o", str(out))  # the lock went with its holder
    assert res.returncode == 0 and len(_jsonl(out)) == 1


def _children(pid: int) -> set[int]:
    try:
        return {int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_workers_die_with_a_killed_main_process(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(1500):
        (src / f"{i:05d}.txt").write_text("\n".join(job_description(random.Random(i))), encoding="utf-8")
    proc = subprocess.Popen(
        harvester("clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--jobs", "2"),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 2:
        workers = _children(proc.pid)
        time.sleep(0.05)
    assert len(workers) >= 2
    os.kill(proc.pid, signal.SIGKILL)  # what the OOM killer does: the workers get no word
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
        time.sleep(0.1)
    alive = [
        w
        for w in workers
        if Path(f"/proc/{w}/stat").exists() and ") Z" not in Path(f"/proc/{w}/stat").read_text()
    ]
    assert not alive


def test_names_that_look_like_markup_globs_or_escapes_are_printed_as_text(tmp_path):
    src = tmp_path / "in[1]"
    src.mkdir()
    (src / "x[2].txt").write_text(JD, encoding="utf-8")
    (src / "x2.txt").write_text(JD + "\n编制人：王喆", encoding="utf-8")  # what `x[2].txt` would glob
    (src / "[bold]empty.txt").write_bytes(b"")
    (src / "esc\x1b[31mred.txt").write_bytes(b"")
    out = tmp_path / "[out].jsonl"
    res = _run("clean", str(src / "x[2].txt"), str(src), "-o", str(out), "--no-dedup")
    stderr = res.stderr.decode()
    assert res.returncode == 0, stderr
    assert "[bold]empty.txt" in stderr and "\x1b" not in stderr and "esc\\x1b[31mred.txt" in stderr
    assert len(_jsonl(out)) == 2  # x[2].txt once (named, and found in the folder), and x2.txt
    res = _run("clean", str(src / "x[2].txt"), "-o", str(tmp_path / "one.jsonl"))
    assert res.returncode == 0 and len(_jsonl(tmp_path / "one.jsonl")) == 1  # the file, not a glob


@pytest.mark.parametrize(
    ("toml", "field"),
    [
        ('name = "bad"\ndomains = 5\n', "`domains` must be a list of strings"),
        ('name = "bad"\n[[rules]]\nname = "r"\npattern = 7\n', "`rules[r].pattern` must be a string"),
        (
            'name = "bad"\n[[rules]]\nname = "r"\npattern = "x"\nhead = "3"\n',
            "`rules[r].head` must be a whole number",
        ),
        ('name = "bad"\nrules = "x"\n', "`rules` must be a list of tables"),
    ],
)
def test_a_mistyped_profile_field_exits_2_naming_file_and_field(tmp_path, toml, field):
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "bad.toml").write_text(toml, encoding="utf-8")
    (tmp_path / "a.txt").write_text(JD, encoding="utf-8")
    res = _run("clean", str(tmp_path / "a.txt"), "-o", str(tmp_path / "o.jsonl"), "--sites", str(sites))
    assert res.returncode == 2
    assert "bad.toml" in res.stderr.decode() and field in res.stderr.decode()
    assert b"Traceback" not in res.stderr


def test_an_input_edited_between_a_kill_and_the_rerun_is_cleaned_again(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(60):
        (src / f"{i:03d}.txt").write_text("\n".join(job_description(random.Random(i))), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    work = tmp_path / ".out.jsonl.work"
    args = ("clean", str(src), "-o", str(out), "--jobs", "1", "--shard-files", "10", "--no-dedup")
    # a run that stopped after its first shards: the work folder as a kill leaves it
    proc = subprocess.Popen(harvester(*args), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(work.glob("shard-*.done"))) < 2 and proc.poll() is None:
        time.sleep(0.02)
    proc.kill()
    proc.wait()
    edited = src / "000.txt"
    edited.write_text(JD + "\n编制人：改过以后", encoding="utf-8")
    res = _run(*args)
    assert res.returncode == 0, res.stderr.decode()
    texts = {Path(r["source"]["path"]).name: r["text"] for r in _jsonl(out)}
    assert "改过以后" in texts["000.txt"]


def test_dedup_index_rerun_gives_the_same_output(tmp_path):
    texts = ["\n".join(job_description(random.Random(i))) for i in range(5)]
    rows = [{"text": t, "id": f"d{i}"} for i, t in enumerate(texts)] + [{"text": texts[0], "id": "copy"}]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    index = tmp_path / "index.npz"
    out = tmp_path / "out.jsonl"
    first = _run("dedup", str(batch), "-o", str(out), "--index", str(index))
    assert first.returncode == 0, first.stderr.decode()
    kept = out.read_bytes()
    dups = (tmp_path / "out.duplicates.jsonl").read_bytes()
    assert len(kept.splitlines()) == 5
    again = _run("dedup", str(batch), "-o", str(out), "--index", str(index))
    assert again.returncode == 0, again.stderr.decode()
    assert out.read_bytes() == kept and (tmp_path / "out.duplicates.jsonl").read_bytes() == dups
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.fixture
def small_disk(tmp_path):
    """A real 400 KiB file system (tmpfs), where a write runs out of space; skipped where it
    cannot be mounted (not root, no tmpfs)."""
    where = tmp_path / "disk"
    where.mkdir()
    res = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(where)], capture_output=True
    )
    if res.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {res.stderr.decode().strip()}")
    yield where
    subprocess.run(["umount", str(where)], check=False)


def test_a_full_disk_leaves_the_previous_output_set_whole(tmp_path, small_disk):
    small, big = tmp_path / "small", tmp_path / "big"
    small.mkdir()
    big.mkdir()
    for i in range(3):
        (small / f"{i}.txt").write_text("\n".join(job_description(random.Random(i))), encoding="utf-8")
    (small / "empty.txt").write_bytes(b"")
    for i in range(400):  # far more than 400 KiB of output
        (big / f"{i}.txt").write_text(
            "\n".join(job_description(random.Random(1000 + i))) * 3, encoding="utf-8"
        )
    out = small_disk / "out.jsonl"
    first = _run("clean", str(small), "-o", str(out), "--no-learn-templates")
    assert first.returncode == 0, first.stderr.decode()
    names = ["out.jsonl", "out.duplicates.jsonl", "out.errors.jsonl", "out.report.json", "out.report.html"]
    before = {n: (small_disk / n).read_bytes() for n in names}
    second = _run("clean", str(big), "-o", str(out), "--no-learn-templates")
    assert second.returncode == 1 and b"No space left" in second.stderr
    assert {n: (small_disk / n).read_bytes() for n in names} == before  # all as before
    assert not [p.name for p in small_disk.iterdir() if p.name.endswith(".tmp")]


def test_every_error_row_carries_a_known_code_and_the_report_counts_codes(tmp_path):
    """Scripts group failures by a fixed code, never by parsing the message."""
    from cleaners.errors import ErrorCode

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "bin.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "in" / "rows.jsonl").write_text('{"text": "一"}\nnot json\n[1]\n', encoding="utf-8")
    (tmp_path / "in" / "cut.jsonl.gz").write_bytes(gzip.compress(b'{"text": "x"}\n' * 100)[:-30])
    res = subprocess.run(
        harvester("clean", tmp_path / "in", "-o", tmp_path / "out.jsonl", "-q"),
        cwd=ROOT,
        capture_output=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr.decode()
    rows = _jsonl(tmp_path / "out.errors.jsonl")
    codes = {Path(e["path"].split(":")[0]).name: e["code"] for e in rows}
    assert codes["empty.txt"] == ErrorCode.EMPTY_FILE and codes["bin.txt"] == ErrorCode.BINARY
    assert (
        codes["cut.jsonl.gz"] == ErrorCode.CORRUPT_ARCHIVE and codes["rows.jsonl"] == ErrorCode.MALFORMED_ROW
    )
    assert all(e["code"] in set(ErrorCode) and e["reason"] for e in rows)
    report = json.loads((tmp_path / "out.report.json").read_text(encoding="utf-8"))
    assert report["errors"]["by_code"] == dict(Counter(e["code"] for e in rows))


def test_a_file_left_for_a_worker_to_read_is_read_as_it_is_then(tmp_path):
    """Local workers read HTML and text files themselves (`DeferredPage`); a file emptied,
    grown past the limit or removed after it was measured gives the error it would give then."""
    from cleaners.document import Page
    from cleaners.errors import ErrorCode, InputError
    from harvester.inputs import DeferredPage, read_pages

    path = tmp_path / "a.html"
    path.write_text("<p>负责仓库物料的收发。</p>", encoding="utf-8")
    [deferred] = read_pages(str(path), 1000, defer=True)
    assert isinstance(deferred, DeferredPage) and deferred.kind == "html"
    page = deferred.load()
    assert isinstance(page, Page) and page.raw == path.read_bytes() and page.kind == "html"
    path.write_bytes(b"")
    assert deferred.load() == InputError(str(path), ErrorCode.EMPTY_FILE, "empty input")
    path.write_bytes(b"x" * 2000)
    assert isinstance(got := deferred.load(), InputError) and got.code == ErrorCode.TOO_LARGE
    path.unlink()
    assert isinstance(got := deferred.load(), InputError) and got.code == ErrorCode.UNREADABLE
    os.mkfifo(path)  # a FIFO in its place: reported at once, never waited on
    assert isinstance(got := deferred.load(), InputError) and got.code == ErrorCode.NOT_REGULAR_FILE


def test_workers_reading_their_files_write_what_one_process_writes(tmp_path):
    """`--jobs 2` (the workers read HTML and text files) and `--jobs 1` (the main process reads
    them) give the same records, duplicates and errors on a mixed folder."""
    src = tmp_path / "in"
    src.mkdir()
    for i in range(12):
        doc = "\n".join(job_description(random.Random(i % 8)))
        if i % 3 == 0:
            (src / f"{i:02d}.html").write_text(
                f"<html><body><p>{doc.replace(chr(10), '</p><p>')}</p></body></html>", encoding="utf-8"
            )
        else:
            (src / f"{i:02d}.txt").write_text(doc, encoding="utf-8")
    (src / "12.txt").write_bytes(b"")
    (src / "13.jsonl").write_text(
        json.dumps({"text": "\n".join(job_description(random.Random(99)))}) + "\n", encoding="utf-8"
    )
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        res = _run("clean", str(src), "-o", str(out), "--jobs", jobs, "-q")
        assert res.returncode == 0, res.stderr.decode()
        outs.append(
            [
                (out / name).read_text(encoding="utf-8")
                for name in ("part-00000.jsonl", "duplicates.jsonl", "errors.jsonl")
            ]
        )
    assert outs[0] == outs[1] and outs[0][0] and "12.txt" in outs[0][2]
