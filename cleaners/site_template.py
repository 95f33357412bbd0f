"""Site templates: what a site prints on most of its pages, learned from the batch itself.

A site's chrome (notices, slogan, sidebar, footer, a header line with a per-page number) is
boilerplate for that site whatever its wording, so no rule or model has to have seen it: it is
the line that recurs on most of the site's pages. The danger is content that recurs too: a job
description's stock sentences (完成上级领导交办的其他工作) sit on many of a site's documents. They
sit *inside* the body, though, at varying places, while chrome sits before the first and after
the last line of the document or at a fixed place from a page end. So a template line goes when
it lies outside the document's bounds, or at its learned fixed place and not shaped like
content (a numbered item, a heading, a `label:` line).

Pages are grouped by site (the URL's registrable domain, or, with no URL, the input folder or
file) and, inside a group, clustered online by the lines they share at their head and tail, so
one folder holding several sites learns one template per site. Counting is lossy counting
(Manku & Motwani) per cluster: memory is bounded by the number of sites, not pages.

This module is pure: the batch runner feeds it lines and stores what it learns.
"""

from __future__ import annotations

import heapq
import math
import re
import zlib
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .charclass import HEADING_START, SENTENCE_PUNCT
from .document import Removal
from .line_model import bigrams, names_the_body

MIN_PAGES = 6
"""A cluster of fewer pages learns nothing: too few to tell chrome from coincidence."""
SHARE = 0.5
"""A line is template when it is on at least this share of its cluster's pages."""
FIXED = 0.8
"""A template line has a fixed place when this share of its pages have it at one offset."""
ALWAYS = 0.75
"""A sentence on this share of a site's pages is its chrome; on fewer it may be a stock sentence."""
EDGE_LINES = 8  # lines from each page end that say which cluster a page belongs to
LIKE = 0.3  # a page is of a site when this share of its edge weight is on the site's lines
MAX_LINE = 200  # longer lines are content, never template
MAX_PAGE_LINES = 400  # a page's first and last 200 lines are counted
POSITION_CAP = 30  # offsets from a page end are told apart up to here; further is "far"
BUCKET = 50  # lossy counting: pages per bucket (error at most 1/BUCKET of a cluster's pages)
MAX_CLUSTERS = 256  # per group; the smallest young one makes room for a new one
JOIN = 2  # shared edge lines that give a page a template
SKETCH = 16  # pages are compared by the 16 least hashes of their sentences (a bottom-k sketch)
KEEP_HASHES = 64  # of a recent page, its 64 least sentence hashes are kept
COPY = 0.5  # a page sharing this estimated share of its own sentences with a recent page is a copy
RECENT = 16  # distinct pages per cluster a new page is compared with
RULE_PREFIX = "template/"

_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
_LABEL = re.compile(r"[:：]$|^[\u3400-\u9fff]{2,8}[:：]")
_SECOND_LEVEL = {"com", "net", "org", "gov", "edu", "ac", "co"}


def fold(line: str) -> str:
    """A line as templates compare it: lower case, digit runs as 0, no spaces (so `第123期`
    and `第456期` are one line). Not `line_model.folded`: it runs on every line of the learning
    pass, and a site prints its chrome in one script, so the traditional-to-simplified view
    is not worth its cost here."""
    return _DIGITS.sub("0", _SPACE.sub("", line.lower()))


def site_group(url: str | None, path: str | None) -> str:
    """The group a page is learned in: its URL's registrable domain, else the folder of a saved
    file or the file a JSONL or WARC record came from."""
    if url:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
        labels = host.split(".")
        keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
        if host:
            return ".".join(labels[-keep:])
    if not path:
        return "stdin"
    head, sep, tail = path.rpartition(":")
    if sep and tail.isdigit():  # `corpus.jsonl:12`: a row of one file
        return f"file:{head}"
    folder = path.replace("\\", "/").rpartition("/")[0]
    return f"dir:{folder or '.'}"


@dataclass(slots=True)
class TemplateLine:
    """One learned line of a site's template."""

    text: str  # as first seen (digits not folded), for people reading the template
    share: float  # share of the cluster's pages that have it
    top: int | None = None  # its fixed offset from the page's first line, when it has one
    bottom: int | None = None  # likewise from the last line
    sites: int = 1  # learned templates holding it: text every site has is not one site's chrome


@dataclass(slots=True)
class SiteTemplate:
    """The template of one site (one cluster of pages), as learned or as read from a file."""

    name: str
    group: str
    pages: int
    lines: dict[str, TemplateLine] = field(default_factory=dict)  # by folded text

    @property
    def rule(self) -> str:
        return RULE_PREFIX + self.name


class _Entry:
    __slots__ = ("bottoms", "count", "delta", "text", "tops")

    def __init__(self, text: str, delta: int) -> None:
        self.text = text
        self.count = 0
        self.delta = delta
        self.tops: Counter[int] = Counter()
        self.bottoms: Counter[int] = Counter()


class _Cluster:
    __slots__ = ("_sig_hashes", "_signature", "_signed_at", "edges", "entries", "order", "pages", "recent")

    def __init__(self) -> None:
        self.order = 0  # its place among its group's clusters
        self.pages = 0
        self.entries: dict[str, _Entry] = {}
        self.edges: dict[str, int] = {}  # pages each edge line was at an edge of
        self.recent: deque[tuple[int, ...]] = deque(maxlen=RECENT)  # its latest pages' sentence hashes
        self._signature: frozenset[str] = frozenset()
        self._sig_hashes: frozenset[int] = frozenset()
        self._signed_at = -1

    def holds_copy(self, hashes: tuple[int, ...]) -> bool:
        """Whether a recent page of the cluster has most of the page's own sentences (those not
        in the cluster's signature, its chrome): the same document uploaded again. Copies must
        not count as pages, or a document saved many times becomes its site's template and
        every copy loses its body. Chrome is left out of the comparison, so pages of a site
        whose chrome outweighs its short documents are not taken for copies."""
        self.signature()
        chrome = self._sig_hashes
        own = _bottom(h for h in hashes if h not in chrome)
        return any(
            _resemblance(own, _bottom(h for h in other if h not in chrome)) >= COPY for other in self.recent
        )

    def signature(self) -> frozenset[str]:
        """The edge lines on more than half its pages: what a page of the same site shows too."""
        if self._signed_at != self.pages and (self.pages <= 32 or self.pages % 16 == 0):
            least = 0.5 * self.pages if self.pages > 1 else 0  # more than half: both of two
            self._signature = frozenset(k for k, c in self.edges.items() if c > least)
            self._sig_hashes = frozenset(_line_hash(u) for k in self._signature for u in _pieces(k))
            self._signed_at = self.pages
        return self._signature

    def add(self, keyed: Sequence[tuple[str, str, int, int]], edges: Iterable[str]) -> None:
        self.pages += 1
        bucket = math.ceil(self.pages / BUCKET)
        for key, text, top, bottom in keyed:
            e = self.entries.get(key)
            if e is None:
                e = self.entries[key] = _Entry(text, bucket - 1)
            e.count += 1
            e.tops[min(top, POSITION_CAP)] += 1
            e.bottoms[min(bottom, POSITION_CAP)] += 1
        for key in edges:
            self.edges[key] = self.edges.get(key, 0) + 1
        if self.pages % BUCKET == 0:  # lossy counting: forget what cannot become frequent
            self.entries = {k: e for k, e in self.entries.items() if e.count + e.delta > bucket}
            floor = 0.1 * self.pages
            self.edges = {k: c for k, c in self.edges.items() if c > floor}


_SENTENCE_END = re.compile(r"[。！？；!?;]+")


def _pieces(key: str) -> list[str]:
    """A folded line's sentences (the line itself when it has no sentence end): what two copies
    of a document share even when their lines break elsewhere (one printed as paragraphs, one
    as a blob the line-break model cut)."""
    return [u for u in _SENTENCE_END.split(key) if len(u) >= 2]


def _units(lines: Sequence[str]) -> Iterable[str]:
    for line in lines:
        yield from _pieces(fold(line))


def _line_hash(key: str) -> int:
    """A folded line's or sentence's hash, the same in every process and run (str hashes are
    salted)."""
    return zlib.crc32(key.encode())


def _bottom(hashes: Iterable[int], k: int = SKETCH) -> tuple[int, ...]:
    return tuple(heapq.nsmallest(k, set(hashes)))


def _resemblance(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of two sets from their bottom-k sketches."""
    if not a or not b:
        return 0.0
    both = set(a) & set(b)
    union = heapq.nsmallest(SKETCH, set(a) | set(b))
    return sum(1 for h in union if h in both) / len(union)


@dataclass(frozen=True, slots=True)
class PageDigest:
    """What the learner reads of a page, made from its lines alone: so a worker process makes
    it beside extraction, and the process that counts (one for the whole batch) only counts."""

    edges: dict[str, float]  # `edge_keys`
    hashes: tuple[int, ...]  # the least hashes of its sentence pieces: what tells a copy
    keyed: list[tuple[str, int]]  # `_keyed`: each distinct countable line's folded form and place

    @classmethod
    def of(cls, lines: Sequence[str]) -> PageDigest:
        return cls(edge_keys(lines), _bottom(map(_line_hash, _units(lines)), KEEP_HASHES), _keyed(lines))


def _keyed(lines: Sequence[str]) -> list[tuple[str, int]]:
    """Each distinct countable line once: (folded, its place)."""
    n = len(lines)
    if n > MAX_PAGE_LINES:
        half = MAX_PAGE_LINES // 2
        picked: Iterable[int] = (*range(half), *range(n - half, n))
    else:
        picked = range(n)
    seen: set[str] = set()
    out = []
    for i in picked:
        line = lines[i]
        if not 2 <= len(line) <= MAX_LINE:
            continue
        key = fold(line)
        if key not in seen:
            seen.add(key)
            out.append((key, i))
    return out


def edge_keys(lines: Sequence[str]) -> dict[str, float]:
    """The folded lines at a page's head and tail, each weighted by its nearness to the page's
    end (1, 1/2, 1/3 …): what tells which of a group's sites a page is. Chrome sits at the very
    ends; the document's own recurring lines (its headings) further in."""
    out: dict[str, float] = {}
    n = len(lines)
    for k in range(min(EDGE_LINES, n)):
        for line in (lines[k], lines[n - 1 - k]):
            if 2 <= len(line) <= MAX_LINE:
                key = fold(line)
                out[key] = max(out.get(key, 0.0), 1 / (1 + k))
    return out


def likeness(
    edges: dict[str, float], lines: frozenset[str] | dict[str, TemplateLine], total: float | None = None
) -> float:
    """The share of a page's edge weight that falls on the given lines (a cluster's or a
    template's). `total`: the page's edge weight, when the caller compares it with many."""
    if total is None:
        total = sum(edges.values())
    keys = lines.keys() if isinstance(lines, dict) else lines
    if not total or keys.isdisjoint(edges):
        return 0.0  # the common case when a page meets the other sites of its group: one C call
    return sum(w for k, w in edges.items() if k in lines) / total


class _Group:
    """A group's clusters in the order they were made, and which of them have each line in
    their signature: a page is scored against the clusters it shares an edge line with, not
    against all of them (a group of many sites holds up to MAX_CLUSTERS)."""

    __slots__ = ("by_line", "clusters", "made")

    def __init__(self) -> None:
        self.clusters: list[_Cluster] = []
        self.by_line: dict[str, dict[_Cluster, int]] = {}  # line -> clusters signed with it: their order
        self.made = 0

    def sharing(self, edges: dict[str, float]) -> list[_Cluster]:
        """The clusters whose signature holds one of the page's edge lines, in the order made."""
        found: dict[_Cluster, int] = {}
        for key in edges:
            if holders := self.by_line.get(key):
                found.update(holders)
        return sorted(found, key=found.__getitem__)

    def new_cluster(self) -> _Cluster:
        c = _Cluster()
        c.order = self.made
        self.made += 1
        self.clusters.append(c)
        return c

    def drop(self, c: _Cluster) -> None:
        self.clusters.remove(c)
        self._unsign(c, c.signature())

    def resign(self, c: _Cluster, old: frozenset[str]) -> None:
        """Keep the index right after the cluster's signature changed from `old`."""
        new = c.signature()
        if new is not old:
            self._unsign(c, old - new)
            for key in new - old:
                self.by_line.setdefault(key, {})[c] = c.order

    def _unsign(self, c: _Cluster, keys: Iterable[str]) -> None:
        for key in keys:
            holders = self.by_line.get(key)
            if holders is not None:
                holders.pop(c, None)
                if not holders:
                    del self.by_line[key]


class TemplateLearner:
    """Counts, per group and cluster, on how many pages each line appears, and where."""

    def __init__(self) -> None:
        self._groups: dict[str, _Group] = {}

    def add(self, group: str, lines: Sequence[str], digest: PageDigest | None = None) -> None:
        """One page's lines (as the cleaner sees them before any boilerplate step); `digest`:
        `PageDigest.of(lines)`, when a worker made it already."""
        if not lines:
            return
        g = self._groups.get(group)
        if g is None:
            g = self._groups[group] = _Group()
        d = digest or PageDigest.of(lines)
        edges, total, hashes = d.edges, sum(d.edges.values()), d.hashes
        best, best_score = None, 0.0
        for c in g.sharing(edges):  # a cluster sharing no edge line would score 0
            score = likeness(edges, c.signature(), total)
            if score > best_score or (score == best_score and best is not None and c.pages > best.pages):
                best, best_score = c, score
        if best is None or best_score < LIKE:
            if len(g.clusters) >= MAX_CLUSTERS:
                young = [c for c in g.clusters if c.pages < MIN_PAGES]
                if not young:
                    return  # every slot holds a site with pages: this page teaches nothing
                g.drop(min(young, key=lambda c: c.pages))
            best = g.new_cluster()
        elif best.holds_copy(hashes):
            return  # a copy of a page already counted teaches nothing new about the site
        n = len(lines)
        old = best.signature()
        best.add([(key, lines[i], i, n - 1 - i) for key, i in d.keyed], edges)
        best.recent.append(hashes)
        g.resign(best, old)

    def templates(self) -> list[SiteTemplate]:
        """What was learned: one template per cluster of at least MIN_PAGES pages."""
        out: list[SiteTemplate] = []
        for group in sorted(self._groups):
            ripe = sorted(
                (c for c in self._groups[group].clusters if c.pages >= MIN_PAGES), key=lambda c: -c.pages
            )
            kept_templates: list[dict[str, TemplateLine]] = []
            for c in ripe:
                lines = {
                    key: t for key, e in c.entries.items() if (t := _learned_line(e, c.pages)) is not None
                }
                if lines and not any(_mostly_within(lines, bigger) for bigger in kept_templates):
                    kept_templates.append(lines)
                    k = len(kept_templates)
                    name = _slug(group) + (f"-{k}" if k > 1 else "")
                    out.append(SiteTemplate(name, group, c.pages, lines))
        return out


def _mostly_within(small: dict[str, TemplateLine], big: dict[str, TemplateLine]) -> bool:
    """A smaller cluster whose template is mostly the larger one's is a split-off of that site
    (pages that missed a line or two), not a site of its own."""
    return sum(1 for k in small if k in big) >= 0.6 * len(small)


def _learned_line(e: _Entry, pages: int) -> TemplateLine | None:
    if e.count < SHARE * pages:
        return None
    return TemplateLine(
        e.text, round(e.count / pages, 3), _fixed(e.tops, e.count), _fixed(e.bottoms, e.count)
    )


def _fixed(offsets: Counter[int], count: int) -> int | None:
    """The offset the line keeps, give or take one line (a header line missing on some pages
    shifts what follows), when FIXED of its pages agree."""
    best, best_n = None, 0
    for where in offsets:
        if where < POSITION_CAP:
            n = offsets[where - 1] + offsets[where] + offsets[where + 1]
            if n > best_n or (n == best_n and best is not None and offsets[where] > offsets[best]):
                best, best_n = where, n
    return best if best_n >= FIXED * count else None


def count_sites(templates: Sequence[SiteTemplate]) -> None:
    """Set each line's `sites`: in how many sites' templates it is. A URL domain is one site
    whatever its clusters (a mobile and a desktop layout); in a folder each cluster is a site;
    a template given from an earlier run and one learned now under the same name are one."""
    sites: dict[str, set[str]] = {}
    for t in templates:
        site = t.group if ":" not in t.group and t.group != "stdin" else t.name
        for key in t.lines:
            sites.setdefault(key, set()).add(site)
    for t in templates:
        for key, line in t.lines.items():
            line.sites = len(sites[key])


def _slug(group: str) -> str:
    kind, _, rest = group.partition(":")
    name = rest.rstrip("/").rpartition("/")[2] if rest else group
    name = re.sub(r"[^\w.-]+", "-", name).strip("-.") or "site"
    return name if not rest else f"{kind}-{name}"


class TemplateSet:
    """The templates a run applies: learned from the batch, and given from an earlier run."""

    def __init__(self, learned: Iterable[SiteTemplate] = (), given: Iterable[SiteTemplate] = ()) -> None:
        self._by_group: dict[str, list[SiteTemplate]] = {}
        self.given = list(given)
        everything = [*learned, *self.given]
        count_sites(everything)
        for t in everything:
            self._by_group.setdefault(t.group, []).append(t)

    def __bool__(self) -> bool:
        return bool(self._by_group)

    def for_page(self, group: str, has_url: bool, lines: Sequence[str]) -> SiteTemplate | None:
        """The template whose lines the page's head and tail show most (LIKE of their weight,
        and at least JOIN lines).
        A page with no URL may take a given template of any group: its folder may have moved."""
        candidates = self._by_group.get(group) or ([] if has_url else self.given)
        if not candidates:
            return None
        edges = edge_keys(lines)
        best, best_score = None, 0.0
        for t in candidates:
            score = likeness(edges, t.lines)
            if score > best_score:
                best, best_score = t, score
        if best is None or best_score < LIKE or sum(1 for k in edges if k in best.lines) < JOIN:
            return None
        return best


def apply_template(lines: Sequence[str], template: SiteTemplate) -> tuple[list[str], list[Removal]]:
    """The page without its template lines: those outside the document (before its first and
    after its last line that is not template) and those at their fixed place inside it that do
    not look like content. A page the template would all but empty is left whole: it is a copy
    of another page of the site, not chrome."""
    n = len(lines)
    hits = [template.lines.get(fold(ln)) if 2 <= len(ln) <= MAX_LINE else None for ln in lines]
    own = [i for i, h in enumerate(hits) if h is None]
    if not own or len(own) == n:
        return list(lines), []
    first, last = own[0], own[-1]
    body = " ".join(lines[i] for i in own)
    drop: list[int] = []
    for i, h in enumerate(hits):
        if h is None:
            continue
        line = lines[i]
        if i < first:
            if _chrome_at_edge(h, line, i, h.top) and not _title_line(line, body):
                drop.append(i)
        elif i > last:
            if _chrome_at_edge(h, line, n - 1 - i, h.bottom):
                drop.append(i)
        elif h.sites == 1 and _at_fixed_place(h, i, n) and _sure(h, line) and not _content_shaped(line):
            drop.append(i)
    if not drop:
        return list(lines), []
    gone = set(drop)
    kept = [ln for i, ln in enumerate(lines) if i not in gone]
    kept_chars = sum(len(ln) for ln in kept)
    if len(kept) < 5 and kept_chars < 0.3 * sum(len(ln) for ln in lines):
        return list(lines), []
    return kept, [Removal(template.rule, lines[i], share) for i in drop if (share := _share(hits[i]))]


def _share(h: TemplateLine | None) -> float:
    return h.share if h is not None else 0.0


def _chrome_at_edge(h: TemplateLine, line: str, offset: int, fixed: int | None) -> bool:
    """Outside the document, a template line is chrome when it is sure to be (`_sure`). A line
    several sites share is stock text when it is a sentence (kept), and chrome otherwise only
    where it keeps its place from that page end."""
    if h.sites > 1 and (SENTENCE_PUNCT.search(line) or fixed is None or abs(offset - fixed) > 1):
        return False
    return _sure(h, line)


def _sure(h: TemplateLine, line: str) -> bool:
    """A line that is not a sentence, or is on nearly every page. A sentence on only many of a
    site's pages may be a stock sentence of its documents (one that closes them, say): kept."""
    return h.share >= ALWAYS or not SENTENCE_PUNCT.search(line)


def _at_fixed_place(h: TemplateLine, i: int, n: int) -> bool:
    return (h.top is not None and abs(i - h.top) <= 1) or (
        h.bottom is not None and abs(n - 1 - i - h.bottom) <= 1
    )


def _content_shaped(line: str) -> bool:
    """A numbered item, a heading, a `label:` or `label: value` line: the document's structure."""
    return bool(HEADING_START.match(line) or _LABEL.search(line.rstrip()))


def _title_line(line: str, body: str) -> bool:
    """A short head line whose words recur in the document is its title (a site whose every
    document is titled `岗位说明书`), not chrome. The body's bigrams only for a title-shaped line."""
    return len(line) <= 40 and not SENTENCE_PUNCT.search(line) and names_the_body(line, bigrams(body))
