"""Records as Parquet (pyarrow), with the JSONL fields: nested `sections` and `job` are JSON
strings (a recursive tree does not fit a fixed Arrow schema); `source`, `flags` and `removed`
are structs and lists. `datasets.load_dataset("parquet", …)` and pandas read it."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        (
            "source",
            pa.struct(
                [
                    ("path", pa.string()),
                    ("url", pa.string()),
                    ("site", pa.string()),
                    ("part", pa.int64()),
                    ("parts", pa.int64()),
                ]
            ),
        ),
        ("title", pa.string()),
        ("text", pa.string()),
        ("sections", pa.string()),
        ("job", pa.string()),
        ("flags", pa.list_(pa.string())),
        (
            "removed",
            pa.list_(pa.struct([("rule", pa.string()), ("text", pa.string()), ("score", pa.float64())])),
        ),
        ("duplicate_of", pa.string()),
    ]
)
ROW_GROUP = 10_000


def to_row(rec: dict[str, Any]) -> dict[str, Any]:
    row = {k: rec.get(k) for k in SCHEMA.names}
    row["sections"] = json.dumps(rec.get("sections") or [], ensure_ascii=False)
    row["job"] = json.dumps(rec["job"], ensure_ascii=False) if rec.get("job") is not None else None
    return row


class ParquetFile:
    """One Parquet file written in row groups under a temporary name, renamed when complete."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        os.close(fd)
        self.tmp = Path(tmp)
        self.writer = pq.ParquetWriter(str(self.tmp), SCHEMA, compression="zstd")
        self.rows: list[dict[str, Any]] = []

    def write(self, rec: dict[str, Any]) -> None:
        self.rows.append(to_row(rec))
        if len(self.rows) >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self.rows:
            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=SCHEMA))
            self.rows = []

    def finish(self) -> None:
        """Everything written and closed under the temporary name (where a full disk shows)."""
        self._flush()
        self.writer.close()

    def publish(self) -> None:
        from .writer import FILE_MODE

        os.chmod(self.tmp, FILE_MODE)
        os.replace(self.tmp, self.path)

    def commit(self) -> None:
        self.finish()
        self.publish()

    def abort(self) -> None:
        try:
            self.writer.close()
        finally:
            self.tmp.unlink(missing_ok=True)
