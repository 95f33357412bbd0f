"""Records as Parquet (pyarrow) with one fixed, typed schema: every shard of every run has the
same Arrow types, so `datasets`, polars and duckdb read one file, a folder's `part-*.parquet` or
several runs together with no options.

Two fields differ in shape from the JSONL record, because Arrow has no recursive or open-keyed
types: `sections` is the tree flattened in reading order, each node with the index of its
`parent` in the same list (null at the top; `sections_tree` rebuilds the tree), and
`job.other_sections` is a list of `{title, text}` pairs. Everything else is the JSONL record.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .staging import StagedFile, StagedPath

_STRINGS = pa.list_(pa.string())
SECTION = pa.struct(
    [
        ("marker", pa.string()),
        ("number", pa.int64()),
        ("level", pa.int64()),
        ("title", pa.string()),
        ("text", pa.string()),
        ("parent", pa.int64()),
    ]
)
JOB = pa.struct(
    [
        ("title", pa.string()),
        ("department", pa.string()),
        ("reports_to", pa.string()),
        ("subordinates", pa.string()),
        ("headcount", pa.string()),
        ("location", pa.string()),
        ("organization", pa.string()),
        ("summary", pa.string()),
        ("responsibilities", _STRINGS),
        (
            "requirements",
            pa.struct(
                [
                    ("education", pa.struct([("raw", pa.string()), ("level", pa.string())])),
                    ("majors", _STRINGS),
                    (
                        "experience",
                        pa.struct(
                            [("raw", pa.string()), ("min_years", pa.int64()), ("max_years", pa.int64())]
                        ),
                    ),
                    ("skills", _STRINGS),
                    ("certificates", _STRINGS),
                    ("other", _STRINGS),
                ]
            ),
        ),
        ("kpis", _STRINGS),
        ("compensation", _STRINGS),
        ("training", _STRINGS),
        ("career", _STRINGS),
        ("conditions", _STRINGS),
        ("other_sections", pa.list_(pa.struct([("title", pa.string()), ("text", pa.string())]))),
    ]
)
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
                    ("fetched", pa.string()),
                ]
            ),
        ),
        ("title", pa.string()),
        ("text", pa.string()),
        ("sections", pa.list_(SECTION)),
        ("job", JOB),
        ("flags", _STRINGS),
        (
            "removed",
            pa.list_(pa.struct([("rule", pa.string()), ("text", pa.string()), ("score", pa.float64())])),
        ),
        ("duplicate_of", pa.string()),
    ]
)
ROW_GROUP = 10_000


def flat_sections(tree: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The section tree as a list in reading order, each node naming its parent's index."""
    out: list[dict[str, Any]] = []
    stack: list[tuple[dict[str, Any], int | None]] = [(node, None) for node in reversed(tree)]
    while stack:  # iterative: a deep tree cannot exhaust the Python stack
        node, parent = stack.pop()
        out.append({**{k: node.get(k) for k in SECTION.names if k != "parent"}, "parent": parent})
        me = len(out) - 1
        stack.extend((child, me) for child in reversed(node.get("children") or []))
    return out


def sections_tree(flat: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The JSONL record's section tree from a Parquet row's flat `sections`."""
    nodes = [{**{k: v for k, v in row.items() if k != "parent"}, "children": []} for row in flat]
    roots: list[dict[str, Any]] = []
    for row, node in zip(flat, nodes, strict=True):
        (roots if row["parent"] is None else nodes[row["parent"]]["children"]).append(node)
    return roots


def to_row(rec: dict[str, Any]) -> dict[str, Any]:
    """One record as a row of SCHEMA."""
    row = {k: rec.get(k) for k in SCHEMA.names}
    row["sections"] = flat_sections(rec.get("sections") or [])
    if (job := rec.get("job")) is not None:
        pairs = [{"title": k, "text": v} for k, v in (job.get("other_sections") or {}).items()]
        row["job"] = {**job, "other_sections": pairs}
    return row


def from_row(row: dict[str, Any]) -> dict[str, Any]:
    """A Parquet row back as the JSONL record (the inverse of `to_row`)."""
    rec = dict(row)
    rec["sections"] = sections_tree(row.get("sections") or [])
    if (job := row.get("job")) is not None:
        rec["job"] = {**job, "other_sections": {p["title"]: p["text"] for p in job["other_sections"] or []}}
    return rec


class ParquetFile(StagedFile):
    """One Parquet file written in row groups under a temporary name, renamed when complete."""

    def __init__(self, path: str | Path) -> None:
        self.staged = StagedPath.beside(path)
        self.path, self.tmp = self.staged.path, self.staged.tmp
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

    def close_unfinished(self) -> None:
        self.writer.close()
