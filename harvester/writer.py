"""Output files that are never half-written: JSONL written to a temporary name, then renamed.

`OutputTarget` decides where records, duplicates and errors go for `-o FILE.jsonl`, `-o DIR`
or `-o -` (stdout), following the contract.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .staging import StagedFile, StagedPath


def dumps(obj: Any) -> str:
    """One JSONL line: UTF-8 text, not ASCII-escaped."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


class AtomicFile(StagedFile):
    """A file that appears under its final name only when closed without error. Text (UTF-8)
    unless `binary`: then `fh` takes bytes (a pickle stream, say)."""

    def __init__(self, path: str | Path, binary: bool = False, gzipped: bool = False) -> None:
        self.staged = StagedPath.beside(path)
        self.path, self.tmp = self.staged.path, self.staged.tmp
        self.raw: IO[bytes] = open(self.tmp, "wb")  # noqa: SIM115  (closed by finish or abort)
        self.gz = gzip.GzipFile(fileobj=self.raw, mode="wb", compresslevel=6, mtime=0) if gzipped else None
        inner: IO[bytes] = self.gz if self.gz is not None else self.raw  # type: ignore[assignment]
        self.fh: IO[Any] = inner if binary else io.TextIOWrapper(inner, encoding="utf-8", newline="\n")

    def write(self, text: str) -> None:
        self.fh.write(text)

    def finish(self) -> None:
        """Everything on disk under the temporary name: a full disk fails here, before any
        file of the output set is renamed."""
        self.fh.flush()
        if self.gz is not None:
            self.gz.close()  # its trailer; the raw file stays open for the fsync
        self.raw.flush()
        os.fsync(self.raw.fileno())
        self.raw.close()

    def close_unfinished(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            if not self.raw.closed:
                self.raw.close()


def write_jsonl(path: str | Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write rows atomically; returns how many."""
    n = 0
    with AtomicFile(path) as out:
        for row in rows:
            out.write(dumps(row) + "\n")
            n += 1
    return n


FILE_SUFFIXES = (".jsonl.gz", ".ndjson.gz", ".jsonl", ".ndjson", ".jsonld", ".parquet")


@dataclass(frozen=True)
class OutputTarget:
    """Where a run's documents, duplicates and errors go."""

    spec: str
    shard_size: int = 100_000
    format: str = "jsonl"

    @property
    def is_stdout(self) -> bool:
        return self.spec == "-"

    @property
    def is_dir(self) -> bool:
        return not self.is_stdout and not self.spec.lower().endswith(FILE_SUFFIXES)

    @property
    def is_json_array(self) -> bool:
        """A `.jsonld` file holds one JSON array, as JSON-LD readers expect, not JSON Lines."""
        return self.spec.lower().endswith(".jsonld")

    @property
    def is_gzipped(self) -> bool:
        return self.spec.lower().endswith(".gz")

    def stem(self) -> str:
        """The output file's name without its data suffix: `corpus` for `corpus.jsonl.gz`."""
        name = Path(self.spec).name
        for suffix in FILE_SUFFIXES:
            if name.lower().endswith(suffix):
                return name[: -len(suffix)]
        return name.rsplit(".", 1)[0]

    @property
    def is_parquet(self) -> bool:
        return self.spec.lower().endswith(".parquet") or self.format == "parquet"

    def side_file(self, kind: str, suffix: str = "jsonl") -> Path | None:
        """`duplicates`, `errors` or `report` file beside the output; None for stdout."""
        if self.is_stdout:
            return None
        if self.is_dir:
            return Path(self.spec) / f"{kind}.{suffix}"
        return Path(self.spec).with_name(f"{self.stem()}.{kind}.{suffix}")

    def side_folder(self, kind: str) -> Path | None:
        """A folder beside the output (`out.templates/`, or `templates/` in an output folder)."""
        if self.is_stdout:
            return None
        if self.is_dir:
            return Path(self.spec) / kind
        return Path(self.spec).with_name(f"{self.stem()}.{kind}")

    def lock_file(self) -> Path | None:
        """The lock that keeps a second run off this output (see `lock.exclusive`)."""
        if self.is_stdout:
            return None
        if self.is_dir:
            return Path(self.spec) / ".lock"
        p = Path(self.spec)
        return p.with_name(f".{p.name}.lock")

    def describe(self) -> str:
        return "stdout" if self.is_stdout else self.spec


class Generation:
    """An output set (corpus, duplicates, errors, report) that replaces the previous one as a
    whole: every file is written and fsynced under a temporary name first, and only then are
    they renamed, one after another. A full disk or a crash while writing leaves the previous
    set untouched; nothing of the new one appears until all of it is complete."""

    def __init__(self) -> None:
        self.files: list[Any] = []  # AtomicFile or ParquetFile: finish(), publish(), abort()
        self.after: list[Callable[[], None]] = []

    def add(self, f: Any) -> Any:
        self.files.append(f)
        return f

    def on_publish(self, step: Callable[[], None]) -> None:
        """Something to do once the set is in place (remove an earlier run's extra shards)."""
        self.after.append(step)

    def publish(self) -> None:
        for f in self.files:
            f.finish()
        for f in self.files:
            f.publish()
        for step in self.after:
            step()

    def abort(self) -> None:
        for f in self.files:
            with contextlib.suppress(OSError, ValueError):
                f.abort()


class RecordSink:
    """Writes kept records to the target: one file, shards in a folder, or stdout."""

    def __init__(
        self, target: OutputTarget, transform: Callable[[dict[str, Any]], dict[str, Any] | None] | None = None
    ) -> None:
        """`transform` rewrites each record before it is written (None drops it), e.g. to JSON-LD."""
        self.target = target
        self.transform = transform
        self.count = 0
        self._shards: list[AtomicFile] = []
        self._current: AtomicFile | None = None

    def write(self, record: dict[str, Any]) -> None:
        self.write_line(dumps(record) + "\n")

    def write_line(self, line: str) -> None:
        """Write one already-serialised JSONL line (ending in a newline)."""
        if self.transform is not None:
            out = self.transform(json.loads(line))
            if out is None:
                return
            line = dumps(out) + "\n"
        if self.target.is_stdout:
            sys.stdout.write(line)
        elif self.target.is_parquet:
            if self._current is None or (self.target.is_dir and self.count % self.target.shard_size == 0):
                self._open_next()
            assert self._current is not None
            self._current.write(json.loads(line))
        else:
            if self._current is None or (self.target.is_dir and self.count % self.target.shard_size == 0):
                self._open_next()
            assert self._current is not None
            if self.target.is_json_array:  # one JSON document: `json.load` reads it
                line = ("[\n" if self.count == 0 else ",\n") + line.rstrip("\n")
            self._current.write(line)
        self.count += 1

    def _open_next(self) -> None:
        ext = "parquet" if self.target.is_parquet else "jsonl"
        if self.target.is_dir:
            path = Path(self.target.spec) / f"part-{len(self._shards):05d}.{ext}"
        else:
            path = Path(self.target.spec)
        if self.target.is_parquet:
            from .parquet import ParquetFile  # pyarrow only when Parquet is asked for

            self._current = ParquetFile(path)  # type: ignore[assignment]
        else:
            self._current = AtomicFile(path, gzipped=self.target.is_gzipped)
        assert self._current is not None
        self._shards.append(self._current)

    def pending(self) -> list[AtomicFile]:
        """The shards written so far (still under temporary names), for a `Generation`."""
        if self.target.is_stdout:
            sys.stdout.flush()
            return []
        if not self._shards:
            self._open_next()  # an empty run still leaves a valid, empty output
        if self.target.is_json_array and self._current is not None:
            self._current.write("[]\n" if self.count == 0 else "\n]\n")
        return list(self._shards)

    def remove_stale_shards(self) -> None:
        """Shards of an earlier, larger run in an output folder (after the new ones are in place)."""
        if self.target.is_dir:
            written = {s.path.name for s in self._shards}
            for stale in Path(self.target.spec).glob("part-*.*"):
                if stale.name not in written:
                    stale.unlink()

    def abort(self) -> None:
        for shard in self._shards:
            shard.abort()


def remove_stale_temporaries(target: OutputTarget) -> None:
    """Temporary files a killed run left beside the output (never under a final name): only
    the names this target's writers use."""
    if target.is_stdout:
        return
    if target.is_dir:
        folder, patterns = (
            Path(target.spec),
            [".part-*.tmp", ".duplicates.*.tmp", ".errors.*.tmp", ".report.*.tmp"],
        )
    else:
        out = Path(target.spec)
        folder, patterns = out.parent, [f".{target.stem()}.*.tmp"]
    if folder.is_dir():
        for pattern in patterns:
            for stale in folder.glob(pattern):
                stale.unlink(missing_ok=True)
