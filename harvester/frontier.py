"""The fetch frontier: every URL's state in SQLite (WAL), so a killed fetch resumes where it
stopped. States: pending, done, failed, robots (disallowed), blocked (a soft block page).

URLs are keyed by their canonical spelling (`urls.canonical`), so equivalent spellings are one
row. A redirect chain in progress keeps its next hop in `next_url`: a rerun goes on from there.
A URL left pending for a reason that holds for the whole host (robots.txt unreachable, a host
parked or paused) counts a deferral; after `max_deferrals` runs it ends `failed` with that
reason instead of staying pending forever.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

_COLUMNS = {
    "url": "TEXT PRIMARY KEY",
    "host": "TEXT",
    "status": "TEXT NOT NULL DEFAULT 'pending'",
    "tries": "INTEGER NOT NULL DEFAULT 0",
    "last_error": "TEXT",
    "http_status": "INTEGER",
    "updated": "REAL",
    "next_url": "TEXT",
    "deferrals": "INTEGER NOT NULL DEFAULT 0",
}


class Frontier:
    def __init__(self, path: str | Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path), isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS urls (" + ", ".join(f"{k} {v}" for k, v in _COLUMNS.items()) + ")"
        )
        have = {row[1] for row in self.db.execute("PRAGMA table_info(urls)")}
        for name, kind in _COLUMNS.items():  # a state file from an earlier version
            if name not in have:
                self.db.execute(f"ALTER TABLE urls ADD COLUMN {name} {kind}")

    def add(self, urls: Iterable[tuple[str, str]]) -> int:
        """Add (canonical URL, host key) pairs not seen before; returns how many were new."""
        before = self.db.total_changes
        self.db.executemany("INSERT OR IGNORE INTO urls (url, host) VALUES (?, ?)", urls)
        return self.db.total_changes - before

    def pending(self) -> list[tuple[str, str | None]]:
        """(URL, the redirect hop to go on from, if a chain was cut) for every pending URL."""
        rows = self.db.execute("SELECT url, next_url FROM urls WHERE status = 'pending' ORDER BY rowid")
        return [(r[0], r[1]) for r in rows]

    def mark(
        self, url: str, status: str, error: str | None = None, http_status: int | None = None, tries: int = 0
    ) -> None:
        self.db.execute(
            "UPDATE urls SET status = ?, last_error = ?, http_status = ?, tries = tries + ?, updated = ?,"
            " next_url = NULL WHERE url = ?",
            (status, error, http_status, tries, time.time(), url),
        )

    def hop(self, url: str, next_url: str) -> None:
        """A redirect hop of `url` is archived; a cut chain goes on from `next_url`."""
        self.db.execute(
            "UPDATE urls SET next_url = ?, updated = ? WHERE url = ?", (next_url, time.time(), url)
        )

    def defer(self, url: str, reason: str, max_deferrals: int) -> bool:
        """Leave `url` pending for a later run, or fail it if this is its `max_deferrals`-th
        deferral. Returns True when it failed."""
        self.db.execute(
            "UPDATE urls SET deferrals = deferrals + 1, last_error = ?, updated = ? WHERE url = ?",
            (reason, time.time(), url),
        )
        cur = self.db.execute(
            "UPDATE urls SET status = 'failed' WHERE url = ? AND deferrals >= ?", (url, max_deferrals)
        )
        return cur.rowcount > 0

    def counts(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT status, COUNT(*) FROM urls GROUP BY status").fetchall())

    def errors(self) -> dict[str, int]:
        rows = self.db.execute(
            "SELECT last_error, COUNT(*) FROM urls WHERE status = 'failed' GROUP BY last_error"
        )
        return dict(rows.fetchall())

    def close(self) -> None:
        self.db.close()
