"""Train the line-break model (where a text blob's lines ended), and measure it by held-out sites.

    python -m harvester.train_break_model [--corpus ../shared/corpus] [--out data/models/line-breaks.json]
    python -m harvester.train_break_model --loso    # also print held-out precision and recall of breaks

Examples are the positions of real page texts run into one line, as a blob prints them: the
labelled development pages (`pages.jsonl`) and the line-broken law texts in `external/`. A
position where a line ended is a break. Held out: the sites fall into FOLDS groups (by a hash
of their name); a model trained without a group judges that group's pages, and its breaks are
counted against the pages' own line ends.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from cleaners.chartable import to_simplified
from cleaners.line_breaks import BreakModel, boundary_features, joined, sequence_marks
from cleaners.normalise import split_lines

from .logistic import fit_sparse
from .sites import DATA_DIR, load_profiles
from .training import parse_training_args, write_model

DEFAULT_OUT = DATA_DIR / "models" / "line-breaks.json"
FOLDS = 10
THRESHOLD = 0.4


@dataclass(frozen=True)
class Blob:
    """A page's text run into one line, the site it came from, and where its lines began."""

    site: str
    text: str
    starts: frozenset[int]


def load_blobs(corpus: Path) -> list[Blob]:
    """The pages' texts run into one line each, on the simplified view the model reads."""
    load_profiles()  # installs the character table the simplified view is read through
    blobs = []
    for line in (corpus / "pages.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        text, starts = joined(split_lines(r["text"]))
        blobs.append(Blob(r["site"], to_simplified(text), frozenset(starts)))
    laws = corpus / "external" / "laws.jsonl"
    if laws.exists():
        for line in laws.open(encoding="utf-8"):
            r = json.loads(line)
            if r.get("variant") == "lines":
                text, starts = joined(split_lines(r["text"]))
                blobs.append(Blob(f"law:{r['id']}", to_simplified(text), frozenset(starts)))
    return blobs


def examples(blobs: Iterable[Blob]) -> list[tuple[list[str], int]]:
    out: list[tuple[list[str], int]] = []
    for b in blobs:
        marks = sequence_marks(b.text)
        out.extend((boundary_features(b.text, i, marks), int(i in b.starts)) for i in range(1, len(b.text)))
    return out


def fit(blobs: Sequence[Blob]) -> BreakModel:
    """Unbalanced (breaks are rare, and the probability is read against a threshold), L2."""
    bias, weights = fit_sparse(examples(blobs), l2=1e-4, steps=300, min_count=3, balanced=False)
    return BreakModel(bias, weights, THRESHOLD)


def fold_of(site: str) -> int:
    return int(hashlib.blake2b(site.encode(), digest_size=4).hexdigest(), 16) % FOLDS


def held_out(blobs: Sequence[Blob], thresholds: Sequence[float]) -> list[str]:
    """Break precision and recall on each fold's pages by a model trained without the fold."""
    found = {t: [0, 0, 0] for t in thresholds}  # right, made, real
    for k in range(FOLDS):
        test = [b for b in blobs if fold_of(b.site) == k]
        if not test:
            continue
        model = fit([b for b in blobs if fold_of(b.site) != k])
        for t in thresholds:
            m = replace(model, threshold=t, min_chars=0)
            for b in test:
                cuts = set(m.breaks(b.text))
                found[t][0] += len(cuts & b.starts)
                found[t][1] += len(cuts)
                found[t][2] += len(b.starts)
    return [
        f"threshold {t}: breaks right {r}/{made} = {r / max(1, made):.1%} (precision), "
        f"found {r}/{real} = {r / max(1, real):.1%} (recall)"
        for t, (r, made, real) in found.items()
    ]


def main(argv: Sequence[str] | None = None) -> int:
    a = parse_training_args(__doc__, DEFAULT_OUT, "also report breaks found on held-out sites", None, argv)
    if a is None:
        return 2
    blobs = load_blobs(a.corpus)
    n = sum(len(b.starts) for b in blobs)
    print(f"examples: {sum(len(b.text) - 1 for b in blobs)} positions ({n} breaks)", file=sys.stderr)
    model = fit(blobs)
    write_model(a.out, model.to_dict(), len(model.weights))
    if a.loso:
        for line in held_out(blobs, (0.3, 0.4, 0.5, 0.7, 0.9)):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
