"""Near-duplicate detection for Chinese documents: MinHash over character 5-grams, LSH banding,
verification, containment for truncated previews, and clusters that keep the best copy.

Why these choices (measured in README, *Deduplication*):
- Character 5-grams of the text with width, case, whitespace and punctuation folded away. A
  `\\W` split makes a whole Chinese clause one token; jieba words work but cost more for no
  better separation on our labelled set.
- The title line is left out of the shingles (a retitled copy is still a copy). Heading lines
  stay in: left out, a copy whose lines were rewrapped (its headings inline) lost them from its
  shingles and fell below the threshold (Jaccard 0.58-0.70 to its original), while template
  siblings stay apart with them (the labelled set's 60 hard negatives: precision 1.000).
- rensa computes the MinHash signatures (128 permutations) in Rust, about 50× faster than
  datasketch; banding (32 bands × 4 rows) is done with numpy on the signature matrix, so memory
  is 512 bytes of signature a document and no Python object per bucket entry.
- Every LSH candidate pair is verified on its estimated Jaccard similarity (≥ 0.7 by default)
  before it is merged; a preview whose content starts like a longer copy is verified on its
  estimated containment (≥ 0.85) instead, since its Jaccard similarity to the full text is low.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from rensa import RMinHash

from .defaults import THRESHOLD
from .normalise import fold_words

SHINGLE = 5
NUM_PERM = 128
BANDS, ROWS = 32, 4
SEED = 7

CONTAINMENT = 0.85
# Openings: hashes of a document's first N folded characters, N growing by half each step. A
# preview's text is the opening of its full copy, so the two agree at the preview's longest
# opening: at least two thirds of the preview is then the full copy's own first characters,
# checked exactly (to a 32-bit hash), not estimated. A template's siblings part within their
# first lines and agree only at the shortest openings.
OPENINGS = (40, 60, 90, 135, 200, 300, 450, 675, 1000, 1500, 2250, 3400, 5000, 7600)
# A copy that opens like a longer one but carries no truncation flag (a plain cut at a line end,
# a scrape stopped early) is its preview when it is its opening (above) and the estimates agree:
# most of its content in the longer copy, and clearly shorter than it.
OPENING_CONTAINMENT = 0.6
CUT_SHARE = 0.9
PLAIN_REPRESENTATIVES = 16  # an unflagged member is compared with its bucket's best copies only
PREFIX_CHARS = 40
_SENTENCE = re.compile(r"[。；;！？!?，,]")


def dedup_content(text: str) -> str:
    """The words that make a document itself: no title line, folded."""
    lines = text.split("\n")
    if len(lines) > 1 and len(lines[0]) <= 40 and not _SENTENCE.search(lines[0]):
        lines = lines[1:]  # the title: a retitled copy is still a copy
    return fold_words("\n".join(lines))


def shingles(content: str, n: int = SHINGLE) -> list[str]:
    if len(content) <= n:
        return [content] if content else []
    return list({content[i : i + n] for i in range(len(content) - n + 1)})


@dataclass(frozen=True, slots=True)
class Sketch:
    """What deduplication needs of a document, without its text."""

    signature: bytes  # NUM_PERM little-endian uint32 MinHash values
    size: int  # distinct shingles
    prefix: int  # hash of the first PREFIX_CHARS folded characters (0 when shorter)
    # Kept in the index format, not used: a guard on the first 80 characters cost recall (0.993 →
    # 0.991 on the labelled set) and gained no precision.
    long_prefix: int = 0
    openings: bytes = b""  # len(OPENINGS) little-endian uint32 hashes (0: shorter than that)


def sketch(text: str) -> Sketch:
    content = dedup_content(text)
    grams = shingles(content)
    m = RMinHash(num_perm=NUM_PERM, seed=SEED)
    m.update(grams)
    sig = np.asarray(m.digest(), dtype=np.uint32).tobytes()
    return Sketch(sig, len(grams), _prefix_hash(content, PREFIX_CHARS), 0, opening_hashes(content))


def opening_hashes(content: str) -> bytes:
    """The hashes of the content's openings (see OPENINGS), 0 where it is shorter."""
    out = np.zeros(len(OPENINGS), dtype=np.uint32)
    running = hashlib.blake2b(digest_size=4)
    done = 0
    for k, n in enumerate(OPENINGS):  # one running hash: each character is hashed once
        if len(content) < n:
            break
        running.update(content[done:n].encode())
        done = n
        out[k] = int.from_bytes(running.copy().digest(), "little") or 1
    return out.tobytes()


def _is_opening(openings: Signatures | None, small: int, large: int) -> bool:
    """Whether the smaller document is the opening of the larger: they agree at its longest
    opening (so at least two thirds of it are the larger one's first characters)."""
    if openings is None:
        return False
    mine = openings[small]
    top = int(np.count_nonzero(mine)) - 1
    return top >= 1 and mine[top] == openings[large][top]


def _prefix_hash(content: str, chars: int) -> int:
    """A hash of the content's first `chars` characters; 0 when it is shorter."""
    if len(content) < chars:
        return 0
    return int.from_bytes(hashlib.blake2b(content[:chars].encode(), digest_size=8).digest(), "little")


class SignatureRows(Protocol):
    """Signatures kept outside memory (`harvester/rowstore.py`): rows by index, and one band's
    columns of every row at once."""

    shape: tuple[int, int]

    def __len__(self) -> int: ...

    def __getitem__(self, index: Any, /) -> np.ndarray: ...

    def band_blocks(self, b: int) -> Iterator[np.ndarray]: ...


Signatures = np.ndarray | SignatureRows


def _jaccard(sigs: Signatures, a: int, b: int) -> float:
    return float(np.count_nonzero(sigs[a] == sigs[b])) / sigs.shape[1]


def estimated_containment(j: float, size_small: int, size_large: int) -> float:
    """|S ∩ L| / |S| from the Jaccard estimate and the set sizes."""
    if size_small <= 0:
        return 0.0
    return min(1.0, j * (size_small + size_large) / ((1 + j) * size_small))


def preview_score(
    j: float, size_small: int, size_large: int, flagged: bool, opening: bool, containment: float = CONTAINMENT
) -> float | None:
    """The containment that makes the smaller of two documents opening alike a preview of the
    larger, or None. A flagged (truncated) one needs CONTAINMENT by the estimate alone; one that
    is the larger one's opening (`opening`, checked exactly) and clearly shorter needs less,
    flagged or not; an unflagged one that is not its opening is never a preview."""
    c = estimated_containment(j, size_small, size_large)
    if flagged and c >= containment:
        return c
    if opening and c >= OPENING_CONTAINMENT and size_small <= CUT_SHARE * size_large:
        return c
    return None


def _bucket_groups(keys: np.ndarray) -> Iterable[np.ndarray]:
    """Indices of rows that share a key, one array per key held by two rows or more."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    del keys  # the caller's only reference, when it passed the keys without a name
    # runs of equal keys, found in numpy: a Python loop over every key cost a second a band at
    # a million documents, and arrays of every run's bounds as much memory as the keys
    same = (sorted_keys[1:] == sorted_keys[:-1]).view(np.int8)
    del sorted_keys
    edges = np.diff(np.r_[np.int8(0), same, np.int8(0)])
    del same
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) + 1
    del edges
    for k in range(0, len(starts), BOUNDS_BLOCK):  # bounds as Python ints a block at a time
        for s, e in zip(
            starts[k : k + BOUNDS_BLOCK].tolist(), ends[k : k + BOUNDS_BLOCK].tolist(), strict=True
        ):
            yield order[s:e]


BOUNDS_BLOCK = 1 << 16


Pair = tuple[int, int, float, bool]
"""A verified pair: two documents, their similarity, and whether the first is a preview of
(contained in) the second."""


def near_duplicate_pairs(
    sigs: Signatures,
    sizes: np.ndarray,
    prefixes: np.ndarray,
    threshold: float = THRESHOLD,
    containment: float = CONTAINMENT,
    truncated: np.ndarray | None = None,
    rank: np.ndarray | None = None,
    openings: Signatures | None = None,
) -> list[Pair]:
    """Verified pairs (i, j, similarity, preview): Jaccard ≥ threshold, or, for a document that
    opens like a longer one, the preview test (`preview_score`); for a preview pair `i` is the
    contained document and `preview` is True.
    Two complete documents that merely open alike (one template) are never merged this way.
    `rank`: each document's place in the order of quality (higher is better), so that a big
    bucket is compared against its best copies first."""
    n = len(sigs)
    found: dict[tuple[int, int], float] = {}
    previews: dict[tuple[int, int], int] = {}  # a preview pair's contained document

    def check(a: int, b: int, via_prefix: bool, j: float, opened: Signatures | None = None) -> bool:
        """Verify a pair on its Jaccard estimate `j` (from `likely`, which has the rows);
        `opened`: where the openings of a preview pair are read (default: `openings`)."""
        key = (min(a, b), max(a, b))
        if key in found:
            return True
        if not sizes[a] or not sizes[b]:
            return False  # nothing but a title and headings: no content to be a copy of
        if j >= threshold:
            found[key] = j
            return True
        if via_prefix:
            small, large = (a, b) if sizes[a] <= sizes[b] else (b, a)
            flagged = truncated is None or bool(truncated[small])
            opening = _is_opening(openings if opened is None else opened, small, large)
            p = preview_score(j, int(sizes[small]), int(sizes[large]), flagged, opening, containment)
            if p is not None:
                found[key], previews[key] = p, small
                return True
        return False

    def likely(
        reps: np.ndarray, others: np.ndarray, via_prefix: bool, src: Signatures
    ) -> tuple[np.ndarray, np.ndarray]:
        """Which (rep, other) pairs may verify, from the estimates alone, and the estimates:
        numpy steps over the block (rows: `reps`, columns: `others`, read from `src`), the
        columns taken BLOCK_CELLS at a time so that a bucket of a million members costs a few
        megabytes, not the whole comparison at once."""
        step = max(1, BLOCK_CELLS // max(1, len(reps) * sigs.shape[1]))
        rep_rows = src[reps]
        blocks = [
            _likely_block(reps, rep_rows, others[k : k + step], via_prefix, src)
            for k in range(0, len(others), step)
        ]
        if not blocks:
            return np.zeros((len(reps), 0), dtype=bool), np.zeros((len(reps), 0))
        return np.concatenate([m for m, _ in blocks], axis=1), np.concatenate([j for _, j in blocks], axis=1)

    def _likely_block(
        reps: np.ndarray, rep_rows: np.ndarray, others: np.ndarray, via_prefix: bool, src: Signatures
    ) -> tuple[np.ndarray, np.ndarray]:
        j = (rep_rows[:, None, :] == src[others][None, :, :]).sum(axis=2) / sigs.shape[1]
        if not via_prefix:
            return j >= threshold, j
        a, b = sizes[reps][:, None], sizes[others][None, :]
        small, large = np.maximum(np.minimum(a, b), 1), np.maximum(a, b)
        least = min(containment, OPENING_CONTAINMENT) if openings is not None else containment
        return (j >= threshold) | (j * (small + large) / ((1 + j) * small) >= least), j

    if n < 2:
        return []
    # each document's place among the rows a batch read (-1: not read), for rows kept outside memory
    pos = None if isinstance(sigs, np.ndarray) else np.full(n, -1, dtype=np.int32)
    opening_pos = (
        None if openings is None or isinstance(openings, np.ndarray) else np.full(n, -1, dtype=np.int32)
    )
    # A bucket's verdicts depend on its members alone (the bands verify on the estimate), so a
    # bucket met in an earlier band with the same members is not checked again: the copies of
    # one document share most bands' keys. Remembered by digest, forgotten past SEEN_GROUPS.
    seen: set[bytes] = set()
    for band in range(BANDS):
        # the keys are not kept under a name: the buckets' generator lets go of them once sorted
        for batch in _batches(_bucket_groups(band_keys(sigs, band))):
            with _rows_of(sigs, np.concatenate(batch), pos) as src:  # the batch's rows read at once
                pairs = _pair_estimates(batch, src, sigs.shape[1])
                for k, group in enumerate(batch):
                    if len(group) == 2:  # most buckets: screened above, a numpy step for all
                        if pairs[k] >= threshold:
                            check(int(group[0]), int(group[1]), False, float(pairs[k]))
                        continue
                    digest = hashlib.blake2b(group.tobytes(), digest_size=16).digest()
                    if digest in seen:
                        continue
                    if len(seen) >= SEEN_GROUPS:
                        seen.clear()
                    seen.add(digest)
                    _check_group(group, check, likely, rank, src)
    # Previews: a truncated document against every document that opens like it (the same first
    # 40 folded characters), whatever the bucket's size; an unflagged one against the bucket's
    # best copies (a cut without a marker is contained in its full copy, which ranks high).
    # Complete pairs of similar documents are the bands' business.
    nonzero = np.flatnonzero(prefixes)
    for batch in _batches(nonzero[g] for g in _bucket_groups(prefixes[nonzero])):
        every = np.concatenate(batch)
        opening_rows = nullcontext(None) if openings is None else _rows_of(openings, every, opening_pos)
        with _rows_of(sigs, every, pos) as src, opening_rows as opened:
            for members in batch:
                flagged = truncated[members] if truncated is not None else np.ones(len(members), dtype=bool)
                best = members
                if rank is not None:
                    best = members[np.argsort(-np.asarray(rank)[members], kind="stable")]
                for rows_of, against in (
                    (members[flagged], members),
                    (members[~flagged], best[:PLAIN_REPRESENTATIVES]),
                ):
                    for start in range(0, len(rows_of), 64):
                        rows = rows_of[start : start + 64]
                        mask, j = likely(rows, against, True, src)
                        for x, y in zip(*np.nonzero(mask), strict=True):
                            if rows[x] != against[y]:
                                check(int(rows[x]), int(against[y]), True, float(j[x, y]), opened)
    return [
        (previews[k], k[0] + k[1] - previews[k], s, True) if k in previews else (k[0], k[1], s, False)
        for k, s in found.items()
    ]


PAIR_STEP = 8192  # two-member buckets whose estimates one numpy step computes (8 MB of rows)


def _pair_estimates(batch: Sequence[np.ndarray], src: Signatures, width: int) -> np.ndarray:
    """Each two-member bucket's Jaccard estimate, by its place in the batch (0 elsewhere): the
    same number `likely` gives the pair, for all of them in a few numpy steps instead of a few
    per bucket (at ten million documents, millions of buckets are pairs)."""
    out = np.zeros(len(batch))
    where = np.fromiter((k for k, g in enumerate(batch) if len(g) == 2), dtype=np.int64)
    for start in range(0, len(where), PAIR_STEP):
        at = where[start : start + PAIR_STEP]
        firsts = np.fromiter((batch[k][0] for k in at), dtype=np.int64, count=len(at))
        seconds = np.fromiter((batch[k][1] for k in at), dtype=np.int64, count=len(at))
        out[at] = (src[firsts] == src[seconds]).sum(axis=1) / width
    return out


def _hash_rows(block: np.ndarray) -> np.ndarray:
    """One 64-bit key per row of a band (FNV-style mixing of its uint32 values), in place (a
    uint64 copy of a column is 80 MB at ten million documents)."""
    h = np.full(len(block), 1469598103934665603, dtype=np.uint64)
    for col in range(block.shape[1]):
        np.bitwise_xor(h, block[:, col], out=h, casting="unsafe")
        h *= np.uint64(1099511628211)
    return h


def band_keys(sigs: Signatures, band: int) -> np.ndarray:
    """The band's key for every document: from the signatures in memory, or from the band's
    file a block of rows at a time (the band's 16 bytes a document never held at once)."""
    if isinstance(sigs, np.ndarray):
        return _hash_rows(sigs[:, band * ROWS : (band + 1) * ROWS])
    return np.concatenate([_hash_rows(block) for block in sigs.band_blocks(band)] or [np.zeros(0, np.uint64)])


SMALL_BUCKET = 24
SEEN_GROUPS = 1 << 20  # bucket digests remembered across bands (about 100 MB at most)
BLOCK_CELLS = 1 << 24  # signature values compared in one numpy step (16 MB of booleans)
MAX_REPRESENTATIVES = 64
IDLE_ROUNDS = 8  # representatives in a row that paired nothing: the rest is not one document's copies


LOCAL_ROWS = 1 << 17  # a bucket's signatures read once when it has at most this many (64 MB)


class _Local:
    """The rows of some documents (a batch of buckets), read from rows kept outside memory
    once, then served by document index through `pos` (each document's place among them, -1
    elsewhere; one array for the whole pass, set and cleared per batch): a big bucket is
    compared against up to MAX_REPRESENTATIVES representatives, each of which would read every
    member again, and reading each small bucket on its own costs a call a bucket."""

    def __init__(self, sigs: Signatures, members: np.ndarray, pos: np.ndarray) -> None:
        self.index = np.unique(members)
        self.rows = sigs[self.index]
        self.shape = sigs.shape
        self.pos = pos
        pos[self.index] = np.arange(len(self.index))

    def clear(self) -> None:
        self.pos[self.index] = -1

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, index: Any, /) -> np.ndarray:
        return self.rows[self.pos[index]]

    def band_blocks(self, b: int) -> Iterator[np.ndarray]:
        raise NotImplementedError("a batch's rows have no bands")


def _batches(groups: Iterable[np.ndarray]) -> Iterator[list[np.ndarray]]:
    """Buckets in their order, in batches of about LOCAL_ROWS members (a big bucket alone), so
    that rows kept outside memory are read a batch at a time, not a bucket at a time."""
    batch: list[np.ndarray] = []
    size = 0
    for group in groups:
        if batch and size + len(group) > LOCAL_ROWS:
            yield batch
            batch, size = [], 0
        batch.append(group)
        size += len(group)
    if batch:
        yield batch


@contextmanager
def _rows_of(sigs: Signatures, members: np.ndarray, pos: np.ndarray | None) -> Iterator[Signatures]:
    """Where some documents' rows are read from: the rows themselves when in memory (or when
    there are too many to copy), else those documents' rows read once."""
    if isinstance(sigs, np.ndarray) or len(members) > LOCAL_ROWS or pos is None:
        yield sigs
        return
    local = _Local(sigs, members, pos)
    try:
        yield local
    finally:
        local.clear()


def _check_group(
    group: np.ndarray,
    check: Callable[[int, int, bool, float], bool],
    likely: Callable[[np.ndarray, np.ndarray, bool, Signatures], tuple[np.ndarray, np.ndarray]],
    rank: np.ndarray | None,
    src: Signatures,
) -> None:
    """Verify a band bucket's candidate pairs; `likely` screens them on the estimates, a numpy
    step per block, and only the pairs it lets through are verified one by one.

    A small bucket: every pair. A big one (many copies of one document, or one template's
    siblings): the best remaining member becomes a representative, the members that verify
    against it are paired with it and leave, and so on, up to MAX_REPRESENTATIVES (or until
    IDLE_ROUNDS representatives in a row pair nothing). The copies
    of one document then all pair with its best copy, however many there are; comparing with a
    few fixed anchors instead left most of 60 copies unpaired with the copy that was kept."""
    members = np.asarray(group, dtype=np.int64)
    if len(members) <= SMALL_BUCKET:
        mask, j = likely(members, members, False, src)
        for x, y in zip(*np.nonzero(np.triu(mask, k=1)), strict=True):
            check(int(members[x]), int(members[y]), False, float(j[x, y]))
        return
    if rank is not None:
        members = members[np.argsort(-np.asarray(rank)[members], kind="stable")]
    # the bucket's rows gathered once (at most LOCAL_ROWS of them; a bigger bucket is read
    # from where it is kept), then addressed by place: each representative compares with them
    rows: Signatures = src[members] if len(members) <= LOCAL_ROWS else src
    places = np.arange(len(members)) if rows is not src else members
    idle = 0
    for _ in range(MAX_REPRESENTATIVES):
        if len(places) < 2 or idle >= IDLE_ROUNDS:
            return  # what is left are siblings of one template, not copies of one another
        rep, rest = places[:1], places[1:]
        mask, j = likely(rep, rest, False, rows)
        ids = members[rest] if rows is not src else rest
        first = int(members[rep[0]] if rows is not src else rep[0])
        paired = [
            p
            for p, m, est in zip(rest[mask[0]], ids[mask[0]], j[0][mask[0]], strict=True)
            if check(first, int(m), False, float(est))
        ]
        idle = 0 if paired else idle + 1
        places = rest[~np.isin(rest, paired)] if paired else rest


PAGE_BUCKET = 64  # a page is compared with the best this many of a band bucket's other members


def page_copies(
    page_sigs: np.ndarray,
    sigs: Signatures,
    sizes: np.ndarray,
    singles: np.ndarray,
    rank: np.ndarray | None = None,
    threshold: float = THRESHOLD,
) -> list[tuple[int, int, float]]:
    """Copies of pages that hold several documents, found by the whole page's signature:
    (page, other, Jaccard), `other` a page too when `other < len(page_sigs)`, else the document
    `singles[other - len(page_sigs)]` (one that is a whole page by itself: a copy where the
    splitter found no second document, a flattened table, a page cut differently).

    The parts of two such copies need not pair with each other (a part is a fraction of a
    whole, and two copies split at different lines have no part in common), but their pages
    do. Buckets of the bands are read as in `near_duplicate_pairs`; only pairs with a page in
    them are verified (pairs of single documents are that pass's business), a page against the
    best PAGE_BUCKET of its bucket (by `rank` of the documents; pages first)."""
    n_pages = len(page_sigs)
    if not n_pages or (n_pages < 2 and not len(singles)):
        return []

    def row(c: int) -> np.ndarray:
        return page_sigs[c] if c < n_pages else sigs[singles[c - n_pages]]

    order_rank = (
        np.r_[np.full(n_pages, np.iinfo(np.int64).max), np.asarray(rank)[singles]]
        if rank is not None
        else None
    )
    content = np.r_[np.ones(n_pages, dtype=bool), np.asarray(sizes)[singles] > 0]
    found: dict[tuple[int, int], float] = {}
    checked: set[tuple[int, int]] = set()
    for band in range(BANDS):
        cols = slice(band * ROWS, (band + 1) * ROWS)
        keys = np.r_[_hash_rows(page_sigs[:, cols]), band_keys(sigs, band)[singles]]
        for group in _bucket_groups(keys):
            pages = group[group < n_pages]
            if not len(pages):
                continue
            others = group[content[group]]
            if order_rank is not None:
                others = others[np.argsort(-order_rank[others], kind="stable")]
            for p in pages:
                for o in others[:PAGE_BUCKET]:
                    key = (int(min(p, o)), int(max(p, o)))
                    if p == o or key in checked:
                        continue
                    checked.add(key)
                    j = float(np.count_nonzero(row(int(p)) == row(int(o)))) / sigs.shape[1]
                    if j >= threshold:
                        found[key] = j
    return [(a, b, j) for (a, b), j in found.items()]


class Indexed(Protocol):
    """Anything that gives a document's quality tuple by its index (a list, or a view made on
    demand from an array)."""

    def __getitem__(self, i: int, /) -> tuple: ...


def clusters(
    sigs: Signatures,
    sizes: np.ndarray,
    pairs: Sequence[Pair],
    quality: Indexed,
    threshold: float | None = THRESHOLD,
    openings: Signatures | None = None,
) -> dict[int, tuple[int, float]]:
    """For every document that is a near duplicate: (kept document, similarity to it).

    Greedy, best copy first: documents are taken in order of quality (not truncated, then most
    structure, then longest); one is kept unless it is verified-similar to a document already
    kept, and then it points to the most similar of those. No chaining: a preview that opens
    like two different full documents cannot merge them; a preview of a complete near copy of
    a kept document goes with that copy.
    """
    neighbours: dict[int, dict[int, float]] = {}
    for a, b, sim, _ in pairs:
        neighbours.setdefault(a, {})[b] = sim
        neighbours.setdefault(b, {})[a] = sim
    # A document verified as contained in another (a preview pair) is never the better copy of
    # the two, whatever its flags say: the full copy of a page that was itself a preview
    # (flagged) must not merge into an unflagged cut of it.
    contained = {a for a, _, _, preview in pairs if preview}
    kept: set[int] = set()
    out: dict[int, tuple[int, float]] = {}
    for node in sorted(neighbours, key=lambda i: (i not in contained, quality[i], -i), reverse=True):
        near = {k: s for k, s in neighbours[node].items() if k in kept}
        if not near and threshold is not None:
            # Its verified neighbours are all copies of something kept: verify it against that
            # kept copy itself (never merged unverified, so no chaining through a preview).
            for k in {out[m][0] for m in neighbours[node] if m in out}:
                j = _jaccard(sigs, node, k)
                preview = (
                    preview_score(
                        j,
                        int(sizes[node]),
                        int(sizes[k]),
                        quality[node][0] == 0,
                        _is_opening(openings, node, k),
                    )
                    if sizes[node] <= sizes[k]
                    else None
                )
                if j >= threshold:
                    near[k] = j
                elif preview is not None:  # a preview of it (flagged, or a plain cut)
                    near[k] = preview
            if not near:
                # A preview of a complete copy that is itself a near copy of the kept one (a
                # copy with a paragraph added after the preview's end): it goes with them. Both
                # steps verified, and the middle one a complete document, so two different
                # documents never merge through a preview.
                for m, sim in neighbours[node].items():
                    if m in out and quality[m][0] != 0 and out[m][1] >= threshold:
                        k = out[m][0]
                        near[k] = max(near.get(k, 0.0), min(sim, out[m][1]))
        if near:
            best = max(near, key=lambda k: (near[k], quality[k]))
            out[node] = (best, round(near[best], 3))
        else:
            kept.add(node)
    return out
