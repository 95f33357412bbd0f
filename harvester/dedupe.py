"""Corpus-level deduplication: exact copies by key, then near duplicates by MinHash sketches,
optionally against a persistent index of earlier batches.

Only keys, qualities and 512-byte sketches are held in memory, never the texts: the numbers
in flat arrays and the signatures in one buffer (a Python object per value cost about 0.4 KB a
document more).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cleaners.near_dup import (
    CONTAINMENT,
    NUM_PERM,
    OPENINGS,
    ROWS,
    THRESHOLD,
    Signatures,
    Sketch,
    clusters,
    estimated_containment,
    near_duplicate_pairs,
    page_copies,
)

from . import npzstream
from .rowstore import RowStore
from .staging import StagedPath

_NO_OPENINGS = bytes(4 * len(OPENINGS))  # a sketch from before openings: never a preview by them

INDEX_BLOCK = 1 << 16  # rows of the index written at a time
SPILL_AT = 250_000  # documents held in memory before signatures and openings go to disk (128 MB)
BEST = (9, 10**9, 10**12)  # the quality of documents already published in an index: always kept


def _whole(values: np.ndarray) -> npzstream.Column:
    """A small array written as one block."""
    return npzstream.Column(values.dtype, values.shape, [values])


def _fate(dups: dict[int, tuple[int, float]], i: int) -> tuple[int, float]:
    """Where a duplicate ends: its kept copy's kept copy, and so on (a cycle ends where it
    closes)."""
    target, sim = dups[i]
    seen = {i}
    while target in dups and target not in seen:
        seen.add(target)
        target = dups[target][0]
    return target, sim


class _Qualities:
    """The quality tuples of the documents, made on demand from their array (a tuple per
    document held for the whole run cost 150 MB at a million documents)."""

    def __init__(self, q: np.ndarray) -> None:
        self.q = q

    def __len__(self) -> int:
        return len(self.q)

    def __getitem__(self, i: int) -> tuple[int, ...]:
        return tuple(int(x) for x in self.q[i])


class HexColumn:
    """Hex strings of one width (exact keys, record ids) held as their bytes: 12 or 8 bytes a
    document instead of a str object and its pointer (about 80). A string of another shape is
    kept aside by its index, so any value reads back as it was added."""

    def __init__(self, width: int) -> None:
        self.width = width  # bytes a value
        self.buf = bytearray()
        self.other: dict[int, str] = {}
        self._zero = bytes(width)

    def append(self, value: str) -> None:
        try:
            raw = bytes.fromhex(value)
        except ValueError:
            raw = b""
        if len(raw) == self.width and raw.hex() == value:
            self.buf += raw
        else:
            self.other[len(self)] = value
            self.buf += self._zero

    def __len__(self) -> int:
        return len(self.buf) // self.width

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(len(self)))

    def __getitem__(self, i: int) -> str:
        if not 0 <= i < len(self):
            raise IndexError(i)
        if i in self.other:
            return self.other[i]
        return self.buf[i * self.width : (i + 1) * self.width].hex()

    def longest(self) -> int:
        """The length of the longest value as text (at least 1)."""
        return max([2 * self.width if len(self) > len(self.other) else 1, *map(len, self.other.values())])

    def groups(self) -> np.ndarray:
        """For each value, the number of its group of equal values (numbered in sorted order)."""
        if not self.other:
            values = np.frombuffer(self.buf, dtype=f"V{self.width}")
            return np.unique(values, return_inverse=True)[1].reshape(-1)
        numbers: dict[str, int] = {}
        return np.asarray([numbers.setdefault(self[i], len(numbers)) for i in range(len(self))], np.int64)


@dataclass
class DedupState:
    """What has been seen: one entry per document, in input order (index documents first)."""

    keys: HexColumn = field(default_factory=lambda: HexColumn(12))  # exact_key digests
    ids: HexColumn = field(default_factory=lambda: HexColumn(8))  # record ids (text_id)
    qualities: array = field(default_factory=lambda: array("q"))  # three numbers a document
    # Where signatures and openings go once there are many (`harvester/rowstore.py`); None:
    # they stay in memory.
    spill: Path | None = None
    spill_at: int = SPILL_AT
    sigs: RowStore = field(init=False)  # NUM_PERM uint32 a document
    sizes: array = field(default_factory=lambda: array("q"))
    prefixes: array = field(default_factory=lambda: array("Q"))
    openings: RowStore = field(init=False)  # len(OPENINGS) uint32 a document
    external: int = 0  # how many leading entries come from the index (never written again)
    # Pages that hold several documents: the whole page's signature and size, and where its
    # documents are (`count` entries from `first`). Only such pages: one that holds one
    # document is that document.
    page_sigs: bytearray = field(default_factory=bytearray)
    page_sizes: array = field(default_factory=lambda: array("q"))
    page_first: array = field(default_factory=lambda: array("q"))
    page_count: array = field(default_factory=lambda: array("q"))
    _opening: tuple[int, int, Sketch] | None = None  # a page whose documents are being added

    def __post_init__(self) -> None:
        self.sigs = RowStore(
            NUM_PERM, folder=self.spill, spill_at=self.spill_at, block=ROWS, name="signatures"
        )
        self.openings = RowStore(len(OPENINGS), folder=self.spill, spill_at=self.spill_at, name="openings")

    def close(self) -> None:
        """Delete the spilled files (a state in memory has none)."""
        self.sigs.close()
        self.openings.close()

    def add(
        self, key: str, quality: tuple, doc_id: str, sk: Sketch, page: tuple[int, Sketch] | None = None
    ) -> None:
        """One document. `page`: this document opens a page of that many documents (added
        next, in order), with the sketch of the page's whole text."""
        self._add(key, quality, doc_id, sk)
        if page is not None and page[0] >= 2:
            self._opening = (len(self.keys) - 1, page[0], page[1])
        if self._opening is not None and len(self.keys) == self._opening[0] + self._opening[1]:
            self.add_page(*self._opening)
            self._opening = None

    def _add(self, key: str, quality: tuple, doc_id: str, sk: Sketch) -> None:
        self.keys.append(key)
        self.ids.append(doc_id)
        self.qualities.extend(quality)
        self.sigs.append(sk.signature)
        self.sizes.append(sk.size)
        self.prefixes.append(sk.prefix)
        self.openings.append(sk.openings if len(sk.openings) == len(_NO_OPENINGS) else _NO_OPENINGS)

    def add_page(self, first: int, count: int, sk: Sketch) -> None:
        """A page whose `count` documents were added from entry `first` on, by the sketch of
        its whole text (the documents joined)."""
        if count < 2 or first < 0 or first + count > len(self.keys):
            raise ValueError(f"a page of {count} documents from entry {first} is not in the state")
        self.page_sigs += sk.signature
        self.page_sizes.append(sk.size)
        self.page_first.append(first)
        self.page_count.append(count)

    def _matrix(self, buffer: bytearray, width: int, rows: int | None = None) -> np.ndarray:
        n = len(self.keys) if rows is None else rows
        return np.frombuffer(buffer, dtype=np.uint32).reshape(n, width)

    def resolve(self, near: bool = True, threshold: float = THRESHOLD) -> dict[int, tuple[int, float]]:
        """Duplicates of the new documents: index → (index of the kept copy, similarity)."""
        n = len(self.keys)
        q = np.frombuffer(self.qualities, dtype=np.int64).reshape(n, 3) if n else np.zeros((0, 3), np.int64)
        # each pass in its own method, so that its arrays (hundreds of megabytes at ten million
        # documents) are gone before the next one starts
        dups = self._exact_copies(q) if n else {}
        if near:
            self._near_copies(q, dups, threshold)
        for i in list(dups):  # exact copies (and parts of a page copy) follow their kept copy's fate
            dups[i] = _fate(dups, i)
        return {i: d for i, d in dups.items() if i >= self.external}

    def _exact_copies(self, q: np.ndarray) -> dict[int, tuple[int, float]]:
        """Exact copies: in each group of one key, the best quality is kept (the earliest of
        equals), found by one sort instead of a dict of a million keys."""
        n = len(q)
        group = self.keys.groups()
        order = np.lexsort((-np.arange(n), q[:, 2], q[:, 1], q[:, 0], group))
        last = np.r_[group[order][1:] != group[order][:-1], True]
        kept_of_group = np.empty(int(group.max()) + 1, dtype=np.int64)
        kept_of_group[group[order][last]] = order[last]
        best = kept_of_group[group]
        return {int(i): (int(best[i]), 1.0) for i in np.nonzero(best != np.arange(n))[0]}

    def _near_copies(self, q: np.ndarray, dups: dict[int, tuple[int, float]], threshold: float) -> None:
        """Near copies into `dups`. The pass runs on the state's own buffers, not on copies of
        the kept rows (a copy of the signatures alone is 512 MB at a million documents): an exact
        copy that was dropped is masked instead, with no content (never paired), no opening, and
        the lowest rank (never a big bucket's representative)."""
        n = len(q)
        dropped = np.zeros(n, dtype=bool)
        dropped[list(dups)] = True
        sigs = self.sigs.matrix()
        sizes = np.where(dropped, 0, np.frombuffer(self.sizes, dtype=np.int64))
        prefixes = np.where(dropped, np.uint64(0), np.frombuffer(self.prefixes, dtype=np.uint64))
        truncated = q[:, 0] == 0  # completeness()[0] is 0 when truncated
        # each document's place in the order of quality (ties: the earlier one higher), in
        # numpy: a sort with a key tuple per document held 100 MB at a million documents
        order = np.lexsort((-np.arange(n), q[:, 2], q[:, 1], q[:, 0], ~dropped))
        del dropped
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n)
        del order
        openings = self.openings.matrix()
        pairs = near_duplicate_pairs(sigs, sizes, prefixes, threshold, CONTAINMENT, truncated, rank, openings)
        del prefixes, truncated
        for m, (b, sim) in clusters(sigs, sizes, pairs, _Qualities(q), threshold, openings).items():
            dups[m] = (b, sim)
        del pairs
        if len(self.page_first):
            self._page_copies(dups, sigs, sizes, rank, threshold)

    def _page_copies(
        self,
        dups: dict[int, tuple[int, float]],
        sigs: Signatures,
        sizes: np.ndarray,
        rank: np.ndarray,
        threshold: float,
    ) -> None:
        """Copies of a page that holds several documents (`page_copies`): of two copies, the
        one split into more documents is kept (then the better ranked), and each document of
        the other goes to the kept copy's document most like it, if the kept page contains it
        (estimated containment ≥ CONTAINMENT: a document only one copy has stays). Documents
        from the index are never decided again: their page is the one kept."""
        n_pages = len(self.page_first)
        page_sigs = self._matrix(self.page_sigs, NUM_PERM, n_pages)
        first, count = np.frombuffer(self.page_first, np.int64), np.frombuffer(self.page_count, np.int64)
        in_page = np.zeros(len(self.keys), dtype=bool)
        for f, c in zip(first, count, strict=True):
            in_page[f : f + c] = True
        singles = np.flatnonzero(~in_page & (sizes > 0))

        def parts(c: int) -> range:
            return (
                range(int(first[c]), int(first[c] + count[c]))
                if c < n_pages
                else range(int(singles[c - n_pages]), int(singles[c - n_pages]) + 1)
            )

        def whole(c: int) -> tuple[np.ndarray, int]:
            return (
                (page_sigs[c], int(self.page_sizes[c]))
                if c < n_pages
                else (sigs[singles[c - n_pages]], int(sizes[singles[c - n_pages]]))
            )

        def standing(c: int) -> tuple[bool, int, int]:
            ps = parts(c)
            return (ps.start < self.external, len(ps), int(max(rank[i] for i in ps)))

        for a, b, j in page_copies(page_sigs, sigs, sizes, singles, rank, threshold):
            keep, other = (a, b) if standing(a) >= standing(b) else (b, a)
            if parts(other).start < self.external:
                continue  # both hold index documents
            whole_sig, whole_size = whole(keep)
            # A document of the kept copy merged into the other one (its first part opens the
            # whole and is taken for a cut of it) comes back: the other copy is the one that goes.
            for k in parts(keep):
                if k in dups and dups[k][0] in parts(other):
                    del dups[k]
            for o in parts(other):
                if o in dups or not sizes[o]:
                    continue
                inside = float(np.count_nonzero(sigs[o] == whole_sig)) / NUM_PERM
                if estimated_containment(inside, int(sizes[o]), whole_size) < CONTAINMENT:
                    continue
                like = max(parts(keep), key=lambda k: int(np.count_nonzero(sigs[o] == sigs[k])))
                target = dups[like][0] if like in dups else like
                if target != o:
                    dups[o] = (target, round(j, 3))

    # The persistent index: signatures of every document kept so far, in one .npz file, and the
    # batches it holds (each input's digest, and how many documents the index held before it).
    batches: dict[str, int] = field(default_factory=dict)

    def load_index(self, path: str | Path, batch: str | None = None) -> bool:
        """Load the index. When it already holds `batch` (a rerun of the same command, maybe
        after a kill that landed after the index was saved), load only what it held before
        that batch, so the rerun decides exactly as the first run did. Returns whether it did."""
        path = Path(path)
        for stale in path.parent.glob(f".{path.name}.*.npz"):  # a killed save's temporary
            stale.unlink(missing_ok=True)
        if not path.exists():
            return False
        have = npzstream.members(path)
        if "batch_digests" in have:
            digests, starts = (
                npzstream.read_small(path, "batch_digests"),
                npzstream.read_small(path, "batch_starts"),
            )
            self.batches = dict(zip(map(str, digests), map(int, starts), strict=True))
        names = ["ids", "keys", "sigs", "sizes", "prefixes"]
        # an index saved before openings existed: none, so no preview is judged by them
        names += ["openings"] if "openings" in have else []
        limit = self.batches.get(batch, 1 << 62) if batch else 1 << 62
        for block in npzstream.read_blocks(path, names, limit):  # a block of rows at a time
            openings = block.get("openings")
            for k in range(len(block["ids"])):
                opening = openings[k].tobytes() if openings is not None else _NO_OPENINGS
                sk = Sketch(
                    block["sigs"][k].tobytes(), int(block["sizes"][k]), int(block["prefixes"][k]), 0, opening
                )
                self._add(str(block["keys"][k]), BEST, str(block["ids"][k]), sk)
        self.external = len(self.keys)
        return batch is not None and batch in self.batches

    def save_index(
        self, path: str | Path, dropped: dict[int, tuple[int, float]], batch: str | None = None
    ) -> None:
        kept = np.ones(len(self.keys), dtype=bool)
        kept[list(dropped)] = False
        keep = np.flatnonzero(kept)
        if batch is not None:
            self.batches[batch] = self.external
        staged = StagedPath.beside(path, suffix=".npz")
        try:
            n, sizes, prefixes = (
                len(keep),
                np.frombuffer(self.sizes, np.int64),
                np.frombuffer(self.prefixes, np.uint64),
            )
            sigs, openings = self.sigs.matrix(), self.openings.matrix()

            def blocks(take: Callable[[np.ndarray], np.ndarray]) -> Iterator[np.ndarray]:
                return (take(keep[k : k + INDEX_BLOCK]) for k in range(0, n, INDEX_BLOCK))

            def text(column: HexColumn) -> npzstream.Column:
                dtype = np.dtype(f"<U{column.longest()}")
                return npzstream.Column(
                    dtype, (n,), blocks(lambda ix: np.array([column[i] for i in ix], dtype=dtype))
                )

            npzstream.write_npz(
                staged.tmp,
                {
                    "ids": text(self.ids),
                    "keys": text(self.keys),
                    "sigs": npzstream.Column(np.dtype(np.uint32), (n, NUM_PERM), blocks(lambda ix: sigs[ix])),
                    "sizes": npzstream.Column(np.dtype(np.int64), (n,), blocks(lambda ix: sizes[ix])),
                    "prefixes": npzstream.Column(np.dtype(np.uint64), (n,), blocks(lambda ix: prefixes[ix])),
                    # the format's; never used
                    "long_prefixes": npzstream.Column(
                        np.dtype(np.uint64), (n,), blocks(lambda ix: np.zeros(len(ix), np.uint64))
                    ),
                    "openings": npzstream.Column(
                        np.dtype(np.uint32), (n, len(OPENINGS)), blocks(lambda ix: openings[ix])
                    ),
                    "batch_digests": _whole(np.array(list(self.batches), dtype=str)),
                    "batch_starts": _whole(np.array(list(self.batches.values()), dtype=np.int64)),
                },
            )
            staged.publish()
        except BaseException:
            staged.discard()
            raise
