"""`.npz` files written and read a block of rows at a time.

The dedup index of ten million documents holds 5 GB of signatures and 1.6 GB of ids and keys
as numpy strings: `np.savez` wants every array in memory, `np.load` gives each back whole. The
format is plain (a zip of `.npy` members, stored, not compressed), so the members can be
written from blocks and read back in blocks; `np.load` still reads these files, and these
functions read files `np.savez` wrote.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
from numpy.lib import format as npy


@dataclass(frozen=True)
class Column:
    """One member to write: its dtype, its shape, and its rows in blocks (in order)."""

    dtype: np.dtype[Any]
    shape: tuple[int, ...]
    blocks: Iterable[np.ndarray]


def write_npz(path: str | Path, columns: Mapping[str, Column]) -> None:
    """Write the columns as members `NAME.npy` of a zip at `path` (stored, ZIP64)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        for name, col in columns.items():
            with zf.open(f"{name}.npy", "w", force_zip64=True) as fh:
                header = {"descr": npy.dtype_to_descr(col.dtype), "fortran_order": False, "shape": col.shape}
                npy.write_array_header_2_0(fh, header)
                rows = 0
                for block in col.blocks:
                    block = np.ascontiguousarray(block, dtype=col.dtype)
                    fh.write(block.tobytes())
                    rows += len(block)
                if rows != (col.shape[0] if col.shape else 1):
                    raise ValueError(f"{name}: {rows} rows written, the header says {col.shape}")


def _open_member(zf: zipfile.ZipFile, name: str) -> tuple[IO[bytes], np.dtype[Any], tuple[int, ...]]:
    fh = zf.open(f"{name}.npy")
    version = npy.read_magic(fh)
    if version == (1, 0):
        shape, fortran, dtype = npy.read_array_header_1_0(fh)
    else:
        shape, fortran, dtype = npy.read_array_header_2_0(fh)
    if fortran or dtype.hasobject:
        raise ValueError(f"{name}: not a plain C-ordered array")
    return fh, dtype, shape


def members(path: str | Path) -> set[str]:
    with zipfile.ZipFile(path) as zf:
        return {n.removesuffix(".npy") for n in zf.namelist()}


def read_small(path: str | Path, name: str) -> np.ndarray:
    """One member whole (for the small ones)."""
    with zipfile.ZipFile(path) as zf:
        fh, dtype, shape = _open_member(zf, name)
        with fh:
            count = int(np.prod(shape)) if shape else 1
            return np.frombuffer(fh.read(count * dtype.itemsize), dtype=dtype).reshape(shape)


def read_blocks(
    path: str | Path, names: Iterable[str], limit: int, block: int = 1 << 16
) -> Iterator[dict[str, np.ndarray]]:
    """The first `limit` rows of several members of equal length, `block` rows at a time."""
    names = list(names)
    with zipfile.ZipFile(path) as zf:
        opened = {n: _open_member(zf, n) for n in names}
        try:
            lengths = {shape[0] for _, _, shape in opened.values()}
            if len(lengths) > 1:
                raise ValueError(f"members of different lengths: {sorted(lengths)}")
            n = min(limit, lengths.pop() if lengths else 0)
            for start in range(0, n, block):
                rows = min(block, n - start)
                out = {}
                for name, (fh, dtype, shape) in opened.items():
                    width = int(np.prod(shape[1:])) if len(shape) > 1 else 1
                    raw = fh.read(rows * width * dtype.itemsize)
                    out[name] = np.frombuffer(raw, dtype=dtype).reshape((rows, *shape[1:]))
                yield out
        finally:
            for fh, _, _ in opened.values():
                fh.close()
