"""The fetch frontier: every URL's state in SQLite (WAL), so a killed fetch resumes where it
stopped. States: pending, done, failed, robots (disallowed), blocked (a soft block page)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit


class Frontier:
    def __init__(self, path: str | Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path), isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS urls (url TEXT PRIMARY KEY, host TEXT, status TEXT NOT NULL DEFAULT 'pending',"
            " tries INTEGER NOT NULL DEFAULT 0, last_error TEXT, http_status INTEGER, updated REAL)"
        )

    def add(self, urls: Iterable[str]) -> int:
        rows = [(u, urlsplit(u).netloc) for u in urls]
        before = self.db.total_changes
        self.db.executemany("INSERT OR IGNORE INTO urls (url, host) VALUES (?, ?)", rows)
        return self.db.total_changes - before

    def pending(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT url FROM urls WHERE status = 'pending' ORDER BY rowid")]

    def mark(
        self, url: str, status: str, error: str | None = None, http_status: int | None = None, tries: int = 0
    ) -> None:
        self.db.execute(
            "UPDATE urls SET status = ?, last_error = ?, http_status = ?, tries = tries + ?, updated = ? WHERE url = ?",
            (status, error, http_status, tries, time.time(), url),
        )

    def counts(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT status, COUNT(*) FROM urls GROUP BY status").fetchall())

    def errors(self) -> dict[str, int]:
        rows = self.db.execute(
            "SELECT last_error, COUNT(*) FROM urls WHERE status = 'failed' GROUP BY last_error"
        )
        return dict(rows.fetchall())

    def close(self) -> None:
        self.db.close()
