"""Fixed-width rows of uint32 (MinHash signatures, opening hashes) held in memory while they
are few and in files once they are many, so that the driver's memory does not grow with them.

Ten million signatures are 5 GB: more than a driver should hold. Past `spill_at` rows the store
moves to a folder: the rows in one file, read back by index with `pread`, one read a run of
nearby rows, so that nothing of the file stays in the process however many pairs are
verified (a memory map would not do: a fault on a file mapping maps the page-cache folio around
the row, up to about a megabyte on this kernel, so rows read at random soon make the whole file
resident); and, when the rows are cut into bands, each band's columns in a file of its own, so
that banding reads 16 bytes a document a band instead of every page of the row file 32 times.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np

FLUSH_ROWS = 1 << 14  # rows buffered before they are written
# Rows wanted this close together are read in one call (up to 16 KB of signatures between: a
# call costs more than copying that), in runs of at most RUN_ROWS (4 MB).
GAP_ROWS = 32
RUN_ROWS = 8192


class SpilledRows:
    """The rows of a spilled store, read-only: `rows[i]`, `rows[index_array]` (copies),
    `rows.band_blocks(b)` (one band's columns of every row, in blocks), `shape`, `len()`."""

    def __init__(self, path: Path, width: int, n: int, band_paths: list[Path], block: int) -> None:
        self.shape = (n, width)
        self._band_paths, self._block = band_paths, block
        self._fd = os.open(path, os.O_RDONLY)
        self._row = 4 * width

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, index: int | np.integer | np.ndarray) -> np.ndarray:
        if isinstance(index, int | np.integer):
            i = int(index)
            if not 0 <= i < self.shape[0]:
                raise IndexError(i)
            return np.frombuffer(os.pread(self._fd, self._row, i * self._row), dtype=np.uint32)
        idx = np.asarray(index, dtype=np.int64)
        if len(idx) and (idx.min() < 0 or idx.max() >= self.shape[0]):
            raise IndexError("row index out of range")
        order = np.argsort(idx, kind="stable")
        ordered = idx[order]
        rows = np.empty((len(idx), self.shape[1]), dtype=np.uint32)
        # one read a run of rows no more than GAP_ROWS apart (a bucket of one template's
        # siblings is dense), the rows between read and dropped
        gaps = np.diff(ordered)
        cuts = np.flatnonzero(gaps > GAP_ROWS) + 1
        if len(idx) and ordered[-1] - ordered[0] > RUN_ROWS:  # and no run longer than RUN_ROWS
            span = np.r_[0, np.cumsum(gaps)]
            cuts = np.union1d(cuts, np.flatnonzero(np.diff(span // RUN_ROWS) > 0) + 1)
        for a, b in zip(np.r_[0, cuts].tolist(), np.r_[cuts, len(idx)].tolist(), strict=True):
            if a < b:
                first, last = int(ordered[a]), int(ordered[b - 1])
                raw = os.pread(self._fd, (last - first + 1) * self._row, first * self._row)
                run = np.frombuffer(raw, dtype=np.uint32).reshape(last - first + 1, self.shape[1])
                rows[a:b] = run[ordered[a:b] - first]
        out = np.empty_like(rows)
        out[order] = rows
        return out

    def band_blocks(self, b: int, rows: int = 1 << 20) -> Iterator[np.ndarray]:
        """Columns `b*block … (b+1)*block` of every row, from the band's own file, `rows` rows
        at a time."""
        with open(self._band_paths[b], "rb") as fh:
            for start in range(0, self.shape[0], rows):
                count = min(rows, self.shape[0] - start)
                yield np.fromfile(fh, dtype=np.uint32, count=count * self._block).reshape(count, self._block)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


class RowStore:
    """Rows appended one at a time (bytes of `width` uint32); `matrix()` gives them back as an
    array while in memory, as `SpilledRows` once spilled into `folder`."""

    def __init__(
        self, width: int, *, folder: Path | None = None, spill_at: int = 0, block: int = 0, name: str = "rows"
    ) -> None:
        self.width, self.block, self.name = width, block, name
        self.folder, self.spill_at = folder, spill_at
        self._buf = bytearray()  # everything while in memory; the unwritten tail once spilled
        self._n = 0
        self._files: list[BinaryIO] = []  # rows file, then one file a band
        self._spilled: SpilledRows | None = None

    def __len__(self) -> int:
        return self._n

    @property
    def spilled(self) -> bool:
        return bool(self._files)

    def append(self, row: bytes) -> None:
        if len(row) != 4 * self.width:
            raise ValueError(f"a row of {len(row)} bytes in a store of {self.width} uint32")
        self._buf += row
        self._n += 1
        if self._files:
            if len(self._buf) >= FLUSH_ROWS * 4 * self.width:
                self._flush()
        elif self.folder is not None and self._n >= self.spill_at:
            self._spill()

    def _paths(self) -> list[Path]:
        assert self.folder is not None
        bands = self.width // self.block if self.block else 0
        return [
            self.folder / f"{self.name}.u32",
            *(self.folder / f"{self.name}.band{b}.u32" for b in range(bands)),
        ]

    def _spill(self) -> None:
        assert self.folder is not None
        self.folder.mkdir(parents=True, exist_ok=True)
        self._files = [open(p, "wb") for p in self._paths()]  # noqa: SIM115  (closed by close())
        self._flush()

    def _flush(self) -> None:
        if not self._buf:
            return
        self._files[0].write(self._buf)
        if len(self._files) > 1:
            rows = np.frombuffer(self._buf, dtype=np.uint32).reshape(-1, self.width)
            for b, fh in enumerate(self._files[1:]):
                fh.write(rows[:, b * self.block : (b + 1) * self.block].tobytes())
        self._buf = bytearray()

    def matrix(self) -> np.ndarray | SpilledRows:
        """All rows: an array view while in memory, else the spilled rows (read-only)."""
        if not self._files:
            return np.frombuffer(self._buf, dtype=np.uint32).reshape(self._n, self.width)
        self._flush()
        for fh in self._files:
            fh.flush()
        if self._spilled is None or len(self._spilled) != self._n:
            if self._spilled is not None:
                self._spilled.close()
            paths = self._paths()
            self._spilled = SpilledRows(paths[0], self.width, self._n, paths[1:], self.block)
        return self._spilled

    def close(self) -> None:
        """Close and delete the files (a store in memory has none)."""
        if self._spilled is not None:
            self._spilled.close()
            self._spilled = None
        for fh in self._files:
            fh.close()
        if self._files:
            for p in self._paths():
                p.unlink(missing_ok=True)
        self._files = []
