"""A learned judge of boilerplate lines: logistic regression over features that transfer to
sites it has never seen.

The rules in the site profiles know the wordings seen so far; each new site words its chrome
differently. This model scores every line the rules kept, from what a line *is* rather than
what it says exactly: its character unigrams and bigrams (digits folded, so `第3页` and `第12页`
share features), its length and character classes, whether it ends like a sentence, and where it
sits: before the first line of prose, after the last one, or between (the document's body).
Weights are learned (`python -m harvester.train_line_model`, from the labelled pages) and ship
as a data file; nothing here lists a phrase. The body zone needs a much higher score than the
page's head and tail, because a JD's own short lines (labels, headings) live there.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

from .boilerplate import matching_view
from .charclass import BULLET, CJK, HEADING_START, SENTENCE_PUNCT
from .document import Removal

MODEL_RULE = "model/boilerplate-line"
MODEL_SPAN_RULE = "model/boilerplate-sentence"
SPAN_MAX_CHARS = 120  # longer lines and sentences are never removed whole by the model

_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[。！？!?；;…]$")
_COMMA = re.compile(r"[,，、]")
_ASCII_LETTER = re.compile(r"[a-z]")  # the folded text is lower case
# A sentence, or the run before a copyright sign (a site's footer glued to the text's last words).
_SENTENCE = re.compile(r"©[^。！？!?]*(?:[。！？!?]+|$)|[^。！？!?©]*(?:[。！？!?]+[”’」』)）]?|(?=©)|$)")
_KEY_VALUE = re.compile(r"^[\u3400-\u9fff]{2,6}[:：]")
_CJK_RUN = {n: re.compile(rf"[\u3400-\u9fff]{{{n}}}") for n in (4, 6, 20)}
_COMMA = re.compile(r"[，,、]")


def _bucket(value: float, edges: Sequence[float]) -> int:
    for k, edge in enumerate(edges):
        if value < edge:
            return k
    return len(edges)


def is_prose(line: str) -> bool:
    """A line of running text: what bounds the document's body on a page."""
    return len(line) >= 24 and _prose_shaped(line) and bool(SENTENCE_PUNCT.search(line))


def _prose_shaped(line: str) -> bool:
    """A run of 20 Chinese characters, or one of 6, a comma later, and a run of 4 after it.
    Searched step by step (the earliest 6-run, then the earliest comma after it), not as one
    pattern with `.*` between runs, which is quadratic on a long line without a comma."""
    if _CJK_RUN[20].search(line):
        return True
    first = _CJK_RUN[6].search(line)
    comma = _COMMA.search(line, first.end()) if first else None
    return comma is not None and bool(_CJK_RUN[4].search(line, comma.end()))


def _content_like(line: str) -> bool:
    """Prose, or a numbered item that ends like a sentence (`1.负责…；`)."""
    return is_prose(line) or (bool(HEADING_START.match(line)) and bool(_SENTENCE_END.search(line)))


def body_bounds(lines: Sequence[str], content: Sequence[bool] | None = None) -> tuple[int, int]:
    """The first and last content-like line: the body's bounds. A page with none has no
    zones to go by, and is all body (where the model needs the most evidence)."""
    if content is None:
        content = [_content_like(ln) for ln in lines]
    found = [i for i, c in enumerate(content) if c]
    return (found[0], found[-1]) if found else (0, len(lines) - 1)


BULLETED_ITEMS = 3  # body lines with one bullet that make it the body's item bullet


def _bullet(line: str) -> str | None:
    m = BULLET.match(line)
    return m.group(1) if m else None


def _body_bullets(lines: Sequence[str], bounds: tuple[int, int]) -> set[str]:
    """The bullets that open at least BULLETED_ITEMS of the body's lines: its list items' style."""
    first, last = bounds
    counts = Counter(b for ln in lines[first : last + 1] if (b := _bullet(ln)))
    return {b for b, c in counts.items() if c >= BULLETED_ITEMS}


def zone_of(i: int, bounds: tuple[int, int]) -> str:
    first, last = bounds
    if i < first:
        return "pre"
    if i > last:
        return "post"
    return "body"


def split_sentences(line: str) -> list[str]:
    """The sentences of a line, each with its end punctuation (they join back to the line)."""
    return [s for s in _SENTENCE.findall(line) if s]


def span_place(k: int, count: int, zone: str) -> list[str]:
    where = "first" if k == 0 else "last" if k == count - 1 else "mid"
    return ["unit:span", f"span:{where}", f"span:{where}|{zone}"]


def span_features(sentence: str, k: int, count: int, i: int, n: int, zone: str) -> list[str]:
    """A sentence of a run-together line: the line features of the sentence, and its place."""
    return [*line_features(sentence, i, n, zone), *span_place(k, count, zone)]


def bigrams(text: str) -> set[str]:
    """The CJK character bigrams of a text's matching view: what says two lines speak of one thing."""
    cjk = "".join(CJK.findall(matching_view(text)))
    return {cjk[k : k + 2] for k in range(len(cjk) - 1)}


def names_the_body(line: str, body_grams: set[str]) -> bool:
    """A head line whose words recur in the body is the document's title (or a copy of it),
    whatever its wording: chrome speaks of the site, a title of what follows."""
    grams = bigrams(line)
    return len(grams) >= 2 and len(grams & body_grams) >= 0.5 * len(grams)


def line_features(line: str, i: int, n: int, zone: str) -> list[str]:
    """The features of one line (as tokens, each worth 1) at position `i` of `n`."""
    text = folded(line)
    return [*shape_features(line, text, i, n, zone), *(f"g:{g}" for g in char_grams(text))]


def folded(line: str) -> str:
    """The line as the n-gram features see it: simplified, lower case, digits as 0, no spaces."""
    return _SPACE.sub("", _DIGITS.sub("0", matching_view(line).lower()))


def char_grams(text: str) -> set[str]:
    grams = {text[k : k + 2] for k in range(len(text) - 1)}
    grams.update(text)
    return grams


def shape_features(line: str, text: str, i: int, n: int, zone: str) -> list[str]:
    """Length, character classes, ending, start and position: everything but the n-grams."""
    feats = [f"z:{zone}"]
    size = len(text)
    feats.append(f"len:{_bucket(size, (4, 8, 14, 24, 40, 70, 120))}")
    feats.append(f"len:{_bucket(size, (4, 8, 14, 24, 40, 70, 120))}|{zone}")
    if size:
        cjk = len(CJK.findall(text)) / size
        digits = text.count("0") / size
        ascii_ = len(_ASCII_LETTER.findall(text)) / size
        feats.append(f"cjk:{_bucket(cjk, (0.2, 0.5, 0.8, 0.95))}")
        feats.append(f"dig:{_bucket(digits, (0.01, 0.1, 0.25))}")
        feats.append(f"asc:{_bucket(ascii_, (0.01, 0.1, 0.3))}")
    end = "end:q" if line.rstrip()[-1:] in "?？" else "end:sent" if _SENTENCE_END.search(line) else "end:none"
    feats.append(end)
    feats.append(f"{end}|{zone}")
    if _COMMA.search(line):
        feats.append("has:comma")
    if HEADING_START.match(line):
        feats.append("start:marker")
    if _KEY_VALUE.match(line):
        feats.append("start:key")
    if i < 3:
        feats.append(f"pos:first{i}")
    if n - i <= 3:
        feats.append("pos:last3")
    return feats


@dataclass(frozen=True, slots=True)
class LineModel:
    """Weights of the boilerplate-line model and the score a line needs, per zone."""

    bias: float
    weights: Mapping[str, float]
    thresholds: Mapping[str, float]  # zone -> least probability to remove
    grams: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        # The n-gram weights by the bare n-gram, so scoring a line builds no feature strings.
        self.grams.update((k[2:], v) for k, v in self.weights.items() if k.startswith("g:"))

    def score(self, line: str, i: int, n: int, zone: str, extra: Sequence[str] = ()) -> float:
        """The probability that a line (or a sentence, with its `extra` features) is chrome."""
        text = folded(line)
        w, g = self.weights, self.grams
        zero = repeat(0.0)
        z = self.bias + sum(map(w.get, shape_features(line, text, i, n, zone), zero))
        z += sum(map(w.get, extra, zero)) + sum(map(g.get, char_grams(text), zero))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LineModel:
        return cls(float(data["bias"]), dict(data["weights"]), dict(data["thresholds"]))

    def to_dict(self) -> dict[str, Any]:
        return {"bias": self.bias, "thresholds": dict(self.thresholds), "weights": dict(self.weights)}

    def cut_spans(self, line: str, i: int, n: int, zone: str) -> tuple[str, list[tuple[str, float]]]:
        """Cut the leading and trailing sentences of a run-together line that score as chrome
        (an SEO opener before the text, a plug after it); what is between stays whole. A
        "sentence" longer than `SPAN_MAX_CHARS` is text whose punctuation was lost (a blob of
        chrome run into content): it is never cut whole."""
        sentences = split_sentences(line)
        if len(sentences) < 2:
            return line, []
        need = self.thresholds.get("span", 1.0)
        probs = [
            self.score(s, i, n, zone, span_place(k, len(sentences), zone))
            if len(s) <= SPAN_MAX_CHARS
            else 0.0
            for k, s in enumerate(sentences)
        ]
        start, end = 0, len(sentences)
        while start < end and probs[start] >= need:
            start += 1
        while end > start and probs[end - 1] >= need:
            end -= 1
        cuts = [(sentences[k].strip(), probs[k]) for k in (*range(start), *range(end, len(sentences)))]
        return "".join(sentences[start:end]).strip(), cuts

    def judge(self, lines: Sequence[str], content: Sequence[bool] | None = None) -> list[float | None]:
        """For each line, its probability of being boilerplate when that clears its zone's
        threshold, else None. A title-like line in the page head (its first line, or one that
        `names_the_body`) is left to the rules. `content`: which lines are content-like, when the
        caller has it already."""
        if content is None:
            content = [_content_like(ln) for ln in lines]
        bounds = body_bounds(lines, content)
        n = len(lines)
        body_bullets = _body_bullets(lines, bounds)
        out: list[float | None] = []
        for i, line in enumerate(lines):
            zone = zone_of(i, bounds)
            if len(line) > SPAN_MAX_CHARS or (
                zone == "body" and bounds[0] < i < bounds[1] and (content[i] or HEADING_START.match(line))
            ):
                # Long lines are judged by their edge sentences only (they often hold content);
                # the body's own prose, items and headings are what bounds it and what it is made of.
                out.append(None)
                continue
            p = self.score(line, i, n, zone)
            # A numbered item, or one bulleted as the body's items are, needs the body's
            # evidence wherever it sits (a duty list can end the page; a cut preview can end it
            # mid-item).
            item = HEADING_START.match(line) or _bullet(line) in body_bullets
            need = self.thresholds.get("body" if item else zone, 1.0)
            if p < need:
                out.append(None)
                continue
            # The title slot: the page's first line, or a head line naming what follows.
            if (
                zone == "pre"
                and len(line) <= 60
                and not _SENTENCE_END.search(line)
                and (i == 0 or names_the_body(line, bigrams("".join(lines[i + 1 :]))))
            ):
                out.append(None)
                continue
            out.append(p)
        return out


def strip_by_model(
    lines: Sequence[str], model: LineModel, keep: Collection[int] = ()
) -> tuple[list[str], list[Removal]]:
    """The lines the model keeps, and a removal (with its score) for each one it judges chrome.
    `keep`: lines known to be structure by other evidence (a numbered part title), never cut."""
    kept: list[str] = []
    removed: list[Removal] = []
    content = [_content_like(ln) for ln in lines]
    verdicts = model.judge(lines, content)
    first, last = bounds = body_bounds(lines, content)
    n = len(lines)
    for i, (line, p) in enumerate(zip(lines, verdicts, strict=True)):
        if p is not None and i not in keep:
            removed.append(Removal(MODEL_RULE, line, round(p, 3)))
            continue
        if first + 2 < i < last - 1:  # openers and plugs sit at the body's edges: the middle stays whole
            kept.append(line)
            continue
        rest, cuts = model.cut_spans(line, i, n, zone_of(i, bounds))
        removed.extend(Removal(MODEL_SPAN_RULE, s, round(q, 3)) for s, q in cuts)
        if rest:
            kept.append(rest)
    if not kept:  # a model may thin a page, never empty it: that is a decision for the rules
        return list(lines), []
    return kept, removed
