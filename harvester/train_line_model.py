"""Train the boilerplate-line model from labelled pages, and measure it leave-one-site-out.

    python -m harvester.train_line_model [--corpus ../shared/corpus] [--out data/models/boilerplate-line.json]
    python -m harvester.train_line_model --loso      # also print leave-one-site-out numbers

Examples are the lines the rules keep on each labelled page (what the model sees when it runs),
labelled from the page's `must_remove` (boilerplate) and `must_keep` (content) strings and its
document titles; lines of the real laws and job postings in `external/` add content. Training
is deterministic (full-batch gradient descent from zero weights), so the same corpus gives the
same file. Leave-one-site-out: for each site, a model trained without that site's pages judges
them, and the pages are scored as `score-corpus` scores them (boilerplate strings leaked,
content strings lost).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from cleaners import Page, ProfileSet, clean_page
from cleaners.errors import CleanError
from cleaners.line_model import (
    LineModel,
    body_bounds,
    line_features,
    span_features,
    split_sentences,
    strip_by_model,
    zone_of,
)
from cleaners.normalise import split_lines

from .logistic import fit_sparse
from .sites import DATA_DIR, load_profiles
from .training import parse_training_args, write_model

DEFAULT_OUT = DATA_DIR / "models" / "boilerplate-line.json"
THRESHOLDS = {"pre": 0.5, "post": 0.5, "body": 0.9, "span": 0.9}
_SENTENCES = re.compile(r"(?<=[。！？!?])")


def norm(s: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def sentences(s: str) -> list[str]:
    """A multi-sentence label counts sentence by sentence, as score-corpus counts it."""
    parts = [p for p in (norm(x) for x in _SENTENCES.split(s)) if len(p) >= 2]
    return parts or [norm(s)]


@dataclass
class PageLines:
    """One labelled page: its raw lines with their labels (1 boilerplate, 0 content, None
    unknown) for training, and the lines the rules keep (what the model judges) for scoring."""

    site: str
    raw: list[str]
    labels: list[int | None]
    lines: list[str]
    must_remove: list[str]
    must_keep: list[str]


def rules_pass(text: str, profiles: ProfileSet) -> tuple[list[str], set[str]]:
    """The lines the rules keep, and the whole lines they remove."""
    try:
        records = clean_page(Page(text=text), profiles)
    except CleanError:
        return [], set()
    kept = [ln for rec in records for ln in rec.text.split("\n")]
    return kept, {r.text for rec in records for r in rec.removed}


def _covered(line: str, strings: Iterable[str]) -> float:
    """The share of the line's characters inside occurrences of the strings."""
    if not line:
        return 0.0
    mask = bytearray(len(line))
    for s in strings:
        if not s:
            continue
        if line in s:
            return 1.0
        start = line.find(s)
        while start >= 0:
            mask[start : start + len(s)] = b"\x01" * len(s)
            start = line.find(s, start + 1)
    return sum(mask) / len(line)


def label_page(row: dict, profiles: ProfileSet) -> PageLines:
    lines = split_lines(row["text"])
    kept, ruled = rules_pass(row["text"], profiles)
    remove = [s for r in row["must_remove"] for s in sentences(r)]
    keep = [norm(s) for s in row["must_keep"]]
    keep += [norm(d["title"]) for d in row.get("documents") or [] if d.get("title")]
    labels: list[int | None] = []
    for line in lines:
        n = norm(line)
        bad = _covered(n, remove)
        good = any(k and (k in n or (len(n) >= 6 and n in k)) for k in keep)
        if (bad >= 0.5 or line in ruled) and not good:
            labels.append(1)  # labelled boilerplate, or a whole line a rule removes
        elif good and bad < 0.2:
            labels.append(0)
        else:
            labels.append(None)
    # Lines between two content lines, with no boilerplate in them, are content too.
    known = [i for i, y in enumerate(labels) if y == 0]
    if known:
        for i in range(known[0], known[-1]):
            if labels[i] is None and _covered(norm(lines[i]), remove) == 0:
                labels[i] = 0
    return PageLines(row["site"], lines, labels, kept, row["must_remove"], row["must_keep"])


def examples(page: PageLines) -> list[tuple[list[str], int]]:
    """Line examples, and sentence examples from the run-together lines (labelled sentence by
    sentence: a boilerplate sentence glued before or after content is the case spans are for)."""
    bounds = body_bounds(page.raw)
    n = len(page.raw)
    out = []
    remove = [s for r in page.must_remove for s in sentences(r)]
    for i, (line, y) in enumerate(zip(page.raw, page.labels, strict=True)):
        zone = zone_of(i, bounds)
        if y is not None:
            out.append((line_features(line, i, n, zone), y))
        parts = split_sentences(line)
        if len(parts) < 2 or y == 1:
            continue
        for k, s in enumerate(parts):
            bad = _covered(norm(s), remove)
            label = 1 if bad >= 0.5 else 0 if bad == 0 and y == 0 else None
            if label is not None:
                out.append((span_features(s, k, len(parts), i, n, zone), label))
    return out


def external_examples(corpus: Path, limit: int = 1500) -> list[tuple[list[str], int]]:
    """Content lines of real laws and job postings (documents with no site around them)."""
    out: list[tuple[list[str], int]] = []
    for name in ("laws.jsonl", "job-postings.jsonl"):
        path = corpus / "external" / name
        if not path.exists():
            continue
        for raw in path.open(encoding="utf-8"):
            lines = [ln.strip() for ln in json.loads(raw)["text"].splitlines() if ln.strip()]
            bounds = body_bounds(lines)
            out.extend(
                (line_features(ln, i, len(lines), zone_of(i, bounds)), 0) for i, ln in enumerate(lines)
            )
    return out[:: max(1, len(out) // limit)]


def fit(
    data: Sequence[tuple[list[str], int]], l2: float = 1e-3, steps: int = 300, min_count: int = 2
) -> LineModel:
    """Logistic regression, class-balanced, L2 (`harvester/logistic.py`)."""
    bias, weights = fit_sparse(data, l2, steps, min_count)
    return LineModel(bias, weights, dict(THRESHOLDS))


@dataclass
class Judged:
    """A labelled page and the model (trained without its site) that judges it."""

    page: PageLines
    model: LineModel


@dataclass
class Score:
    leaked: list[tuple[str, str]]
    lost: list[tuple[str, str]]
    n_remove: int
    n_keep: int

    def line(self, what: str) -> str:
        return (
            f"{what}: boilerplate leaked {len(self.leaked)}/{self.n_remove} = {len(self.leaked) / self.n_remove:.1%}, "
            f"content lost {len(self.lost)}/{self.n_keep} = {len(self.lost) / self.n_keep:.1%}"
        )


def score(judged: Sequence[Judged], thresholds: dict[str, float] | None) -> Score:
    """Boilerplate strings leaked and content strings lost once lines over their zone's
    threshold are removed (thresholds None: the rules alone)."""
    result = Score([], [], 0, 0)
    for j in judged:
        if thresholds is None:
            kept = j.page.lines
        else:
            kept, _ = strip_by_model(j.page.lines, replace(j.model, thresholds=thresholds))
        out = norm("\n".join(kept))
        for s in j.page.must_remove:
            for piece in sentences(s):
                result.n_remove += 1
                if piece in out:
                    result.leaked.append((j.page.site, piece))
        for s in j.page.must_keep:
            result.n_keep += 1
            if norm(s) not in out:
                result.lost.append((j.page.site, s))
    return result


def leave_one_site_out(pages: Sequence[PageLines], extra: Sequence[tuple[list[str], int]]) -> list[Judged]:
    """Every page judged by a model trained without its site's pages."""
    by_site: dict[str, list[PageLines]] = defaultdict(list)
    for page in pages:
        by_site[page.site].append(page)
    judged: list[Judged] = []
    for site, held in sorted(by_site.items()):
        model = fit([ex for p in pages if p.site != site for ex in examples(p)] + list(extra))
        judged.extend(Judged(p, model) for p in held)
    return judged


def main(argv: Sequence[str] | None = None) -> int:
    a = parse_training_args(
        __doc__,
        DEFAULT_OUT,
        "also report leave-one-site-out numbers",
        "with --loso: list what leaked and what was lost",
        argv,
    )
    if a is None:
        return 2
    path = a.corpus / "pages.jsonl"
    profiles = replace(load_profiles(), line_model=None)
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    pages = [label_page(r, profiles) for r in rows]
    extra = external_examples(a.corpus)
    data = [ex for p in pages for ex in examples(p)] + extra
    n_pos = sum(y for _, y in data)
    print(f"examples: {len(data)} lines ({n_pos} boilerplate, {len(data) - n_pos} content)", file=sys.stderr)
    model = fit(data)
    write_model(a.out, model.to_dict(), len(model.weights))
    if a.loso:
        judged = leave_one_site_out(pages, extra)
        print(score(judged, None).line("rules only"))
        result = score(judged, dict(model.thresholds))
        print(result.line(f"rules + model {dict(model.thresholds)}, leave-one-site-out"))
        for edge in (0.4, 0.5, 0.6, 0.7):
            for body in (0.9, 0.95):
                for span in (0.8, 0.9, 0.95, 1.1):
                    t = {"pre": edge, "post": edge, "body": body, "span": span}
                    print(score(judged, t).line(f"  edge {edge} body {body} span {span}"))
        if a.show:
            for site, s in result.leaked:
                print(f"  leaked  {site}: {s[:70]}")
            for site, s in result.lost:
                print(f"  lost    {site}: {s[:70]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
