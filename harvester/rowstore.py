"""Fixed-width rows of uint32 (MinHash signatures, opening hashes) held in memory while they
are few and in files once they are many, so that the driver's memory does not grow with them.

Ten million signatures are 5 GB: more than a driver should hold. Past `spill_at` rows the store
moves to a folder: the rows in one file, read back by index through a read-only memory map
whose pages are handed back to the kernel once the rows read may have mapped RELEASE_BYTES (a
fault maps the pages around a row too, so rows read at random would soon make the whole file
resident), so resident memory stays bounded however many pairs are verified; and, when the rows are cut into bands, each band's columns in a file of its own, so
that banding reads 16 bytes a document a band instead of every page of the row file 32 times.
"""

from __future__ import annotations

import mmap
from pathlib import Path

import numpy as np

# A page fault on a file mapping maps the pages around it too (the kernel's fault_around_bytes,
# 64 KiB by default): a row read at random may make that much resident.
FAULT_AROUND = 64 << 10
RELEASE_BYTES = 128 << 20  # what rows read through the map may have made resident before it goes back
CHUNK_ROWS = RELEASE_BYTES // FAULT_AROUND
FLUSH_ROWS = 1 << 14  # rows buffered before they are written


class SpilledRows:
    """The rows of a spilled store, read-only: `rows[i]`, `rows[index_array]` (copies),
    `rows.band(b)` (one band's columns of every row), `shape`, `len()`."""

    def __init__(self, path: Path, width: int, n: int, band_paths: list[Path], block: int) -> None:
        self.shape = (n, width)
        self._band_paths, self._block = band_paths, block
        self._fh = open(path, "rb")  # noqa: SIM115  (closed by close())
        size = n * width * 4
        self._map = mmap.mmap(self._fh.fileno(), size, prot=mmap.PROT_READ) if size else None
        self._view = (
            np.frombuffer(self._map, dtype=np.uint32).reshape(n, width)
            if self._map is not None
            else np.zeros((0, width), np.uint32)
        )
        self._mapped = 0  # bytes the rows read since the last hand-back may have mapped

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, index: int | np.integer | np.ndarray) -> np.ndarray:
        if isinstance(index, int | np.integer):
            out = self._view[int(index)].copy()
            self._touched(1)
            return out
        index = np.asarray(index)
        out = np.empty((len(index), self.shape[1]), dtype=np.uint32)
        for start in range(0, len(index), CHUNK_ROWS):  # never more than a chunk's pages at once
            part = index[start : start + CHUNK_ROWS]
            out[start : start + len(part)] = self._view[part]
            self._touched(len(part))
        return out

    def _touched(self, rows: int) -> None:
        """Count the pages rows read may have mapped; hand them back past RELEASE_BYTES."""
        self._mapped += rows * FAULT_AROUND
        if self._mapped >= RELEASE_BYTES:
            self.release()

    def band(self, b: int) -> np.ndarray:
        """Columns `b*block … (b+1)*block` of every row, from the band's own file."""
        return np.fromfile(self._band_paths[b], dtype=np.uint32).reshape(self.shape[0], self._block)

    def release(self) -> None:
        """Hand the map's resident pages back (they stay in the page cache, not in this process)."""
        if self._map is not None:
            self._map.madvise(mmap.MADV_DONTNEED)
        self._mapped = 0

    def close(self) -> None:
        self._view = np.zeros((0, self.shape[1]), np.uint32)
        if self._map is not None:
            self._map.close()
        self._fh.close()


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
        self._files: list = []  # rows file, then one file a band
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
