"""Train the job-description classifier, and measure it leave-one-group-out.

    python -m harvester.train_job_model [--corpus ../shared/corpus] [--out data/models/job-document.json]
    python -m harvester.train_job_model --loso      # also print held-out numbers beside the rules'

Examples are documents as the cleaner hands them to the JD step (the first record of a page,
as `score-corpus` scores it): the labelled development pages (kind `job` is a JD; `other` and
`junk` are not; pages marked `job_ambiguous` are left out), the real job postings in
`external/` (all JDs) and the real laws there (none are). Features are `JobEvidence.features`.
Training is deterministic (full-batch gradient descent from zero weights), so the same corpus
gives the same file.

Held-out numbers: every document is judged by a model trained without its group: a
development page without its site's pages, a posting without its board's postings, a law
without the variants of the same law.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from cleaners import Page, ProfileSet, clean_page
from cleaners.boilerplate import matching_view
from cleaners.errors import CleanError
from cleaners.job import JobEvidence, job_evidence
from cleaners.job_model import JobModel
from cleaners.pipeline import remove_glosses

from .logistic import descend
from .sites import DATA_DIR, load_profiles
from .training import parse_training_args, write_model

DEFAULT_OUT = DATA_DIR / "models" / "job-document.json"
L2 = 0.01
STEPS = 2000


@dataclass(frozen=True)
class Example:
    """One labelled document: where it is from, its group (held out together), its evidence."""

    name: str
    group: str
    is_job: bool
    evidence: JobEvidence
    kind: str = ""  # a development page's kind (job, other, junk)


def evidence_of(text: str, profiles: ProfileSet) -> JobEvidence | None:
    """The JD evidence of the first document the cleaner makes of a page (None: no document)."""
    lexicon = profiles.job_lexicon
    assert lexicon is not None
    try:
        records = clean_page(Page(text=text), profiles)
    except CleanError:
        return None
    if not records:
        return None
    rec = records[0]
    read, _ = remove_glosses(rec.text.split("\n"))
    return job_evidence(rec.title, read, rec.sections, lexicon, [matching_view(ln) for ln in read])


def load_examples(corpus: Path, profiles: ProfileSet) -> list[Example]:
    out: list[Example] = []

    def add(name: str, group: str, label: bool, text: str, kind: str = "") -> None:
        ev = evidence_of(text, profiles)
        if ev is not None:
            out.append(Example(name, group, label, ev, kind))

    for line in (corpus / "pages.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        if not r.get("job_ambiguous"):
            add(r["id"], f"site:{r['site']}", r["kind"] == "job", r["text"], r["kind"])
    external = corpus / "external"
    if (external / "job-postings.jsonl").exists():
        for line in (external / "job-postings.jsonl").open(encoding="utf-8"):
            r = json.loads(line)
            head = r["title"] + "\n" if r.get("title") else ""
            add(r["id"], f"board:{r['source'].get('board')}", True, head + r["text"])
    if (external / "laws.jsonl").exists():
        for line in (external / "laws.jsonl").open(encoding="utf-8"):
            r = json.loads(line)
            src = r.get("source") or {}
            add(
                r["id"], f"law:{src.get('path', r['id']) if isinstance(src, dict) else src}", False, r["text"]
            )
    return out


def fit(examples: Sequence[Example], l2: float = L2, steps: int = STEPS) -> JobModel:
    """Logistic regression, each group weighted as one (a site with ten pages counts no more
    than a site with one), L2, full-batch gradient descent with Adam."""
    names = sorted(examples[0].evidence.features())
    x = np.asarray([[ex.evidence.features()[k] for k in names] for ex in examples], dtype=np.float64)
    y = np.asarray([ex.is_job for ex in examples], dtype=np.float64)
    sizes: dict[tuple[str, bool], int] = defaultdict(int)
    for ex in examples:
        sizes[ex.group, ex.is_job] += 1
    sample_w = np.asarray([1.0 / sizes[ex.group, ex.is_job] for ex in examples])
    for label in (0.0, 1.0):  # the classes weigh the same
        sample_w[y == label] /= sample_w[y == label].sum()

    def gradient(w: np.ndarray, b: float) -> tuple[np.ndarray, float]:
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w + b, -30, 30)))
        err = (p - y) * sample_w / 2
        return x.T @ err + l2 * w, float(err.sum())

    w, b = descend(gradient, len(names), steps, lr=0.05)
    return JobModel(round(b, 4), {k: round(float(w[i]), 4) for i, k in enumerate(names)})


def held_out(examples: Sequence[Example]) -> dict[str, bool]:
    """Each example's call by a model trained without its group."""
    calls: dict[str, bool] = {}
    for group in sorted({ex.group for ex in examples}):
        model = fit([ex for ex in examples if ex.group != group])
        for ex in examples:
            if ex.group == group:
                calls[ex.name] = model.is_job(ex.evidence.features())
    return calls


def report(examples: Sequence[Example], calls: dict[str, bool], what: str) -> str:
    """Precision and recall on the development pages (junk left out, as `score-corpus` counts
    them), recall on postings, false JDs on laws."""
    dev = [ex for ex in examples if ex.group.startswith("site:") and ex.kind != "junk"]
    tp = sum(1 for ex in dev if ex.is_job and calls[ex.name])
    fp = sum(1 for ex in dev if not ex.is_job and calls[ex.name])
    fn = sum(1 for ex in dev if ex.is_job and not calls[ex.name])
    posts = [ex for ex in examples if ex.group.startswith("board:")]
    laws = [ex for ex in examples if ex.group.startswith("law:")]
    return (
        f"{what}: pages precision {tp}/{tp + fp}, recall {tp}/{tp + fn}; "
        f"postings recognised {sum(calls[ex.name] for ex in posts)}/{len(posts)}; "
        f"laws taken for JDs {sum(calls[ex.name] for ex in laws)}/{len(laws)}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    a = parse_training_args(
        __doc__,
        DEFAULT_OUT,
        "also report held-out numbers beside the rules'",
        "with --loso: list the documents the model gets wrong",
        argv,
    )
    if a is None:
        return 2
    profiles = replace(load_profiles(), job_model=None)
    examples = load_examples(a.corpus, profiles)
    n_pos = sum(ex.is_job for ex in examples)
    print(f"examples: {len(examples)} documents ({n_pos} JDs, {len(examples) - n_pos} not)", file=sys.stderr)
    model = fit(examples)
    write_model(a.out, model.to_dict(), len(model.weights))
    if a.loso:
        rules = {ex.name: ex.evidence.rules_say_job() for ex in examples}
        print(report(examples, rules, "rules"))
        calls = held_out(examples)
        print(report(examples, calls, "model, held out by site / board / law"))
        if a.show:
            for ex in examples:
                if calls[ex.name] != ex.is_job:
                    print(
                        f"  {ex.name} ({ex.group}): want {'JD' if ex.is_job else 'not'}, rules {rules[ex.name]}"
                    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
