"""Line breaks put back into a text blob: a page whose paragraphs reached us run into one line.

An HTML page that prints its whole document in one text node, or a dump that lost its
newlines, gives one line of thousands of characters: the title, the site's breadcrumb and
metadata, each heading and the body run together (`…见贤思齐当前位置:…岗位职责岗位职责网站:…|
时间:…一、岗位名称:…`). Every later step reads lines (the head zone, the rules' anchors, the line
model, headings), so the blob is first cut where a line most probably ended. Where, is learned:
logistic regression over the characters on each side of a position, their classes, a heading
marker starting there, and a string repeated across it (a title printed twice), trained on the
line breaks of real page texts (`python -m harvester.train_break_model`,
`data/models/line-breaks.json`). Only lines of at least `min_chars` are judged, and a break needs
the model's `threshold`: prose paragraphs of ordinary length are never cut.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Any

from .charclass import MARKER
from .markers import find_markers

_REPEAT_MIN, _REPEAT_MAX = 4, 24
_MARKER_STARTS = re.compile(f"(?={MARKER.pattern})")  # every position a marker starts at
_SPACE = re.compile(r"\s+")


_OWN_CLASS = frozenset("。，、；：？！…—·（）《》【】“”‘’「」.,;:?!()[]<>|/\\-_+=*&%$#@~'\"")


@lru_cache(maxsize=4096)
def char_class(ch: str) -> str:
    """A character's class: itself for the common punctuation, else a class letter (CJK,
    digit, Latin, space), or `#` and its Unicode category for any other symbol (a box-drawing
    rule `━`, an arrow `›`: what the texts rarely show, counted by kind)."""
    if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf":
        return "C"
    if ch.isdigit():
        return "D"
    if ch.isascii() and ch.isalpha():
        return "L"
    if ch.isspace():
        return "S"
    if ch in _OWN_CLASS:
        return ch
    return "#" + unicodedata.category(ch)[0]


def _repeated_across(text: str, i: int) -> bool:
    """Whether a string of 4–24 characters ends at `i` and starts again right at `i`."""
    if text[i] not in text[max(0, i - _REPEAT_MAX) : i - _REPEAT_MIN + 1]:
        return False  # no copy of the next character where a repeat could start
    for k in range(_REPEAT_MIN, min(_REPEAT_MAX, i, len(text) - i) + 1):
        if text[i - k : i] == text[i : i + k]:
            return True
    return False


def sequence_marks(text: str) -> dict[int, str]:
    """Where a numbered marker starts whose sequence goes on in the text (`二、` with a `一、`
    before it or a `三、` after it), by the marker's style: sequence evidence for a break."""
    marks = find_markers(text)
    numbers: dict[str, set[int]] = {}
    for m in marks:
        numbers.setdefault(m.style, set()).add(m.number)
    return {
        m.start: m.style
        for m in marks
        if m.number - 1 in numbers[m.style] or m.number + 1 in numbers[m.style]
    }


def boundary_features(text: str, i: int, marks: Mapping[int, str]) -> list[str]:
    """Features of the position between text[i-1] and text[i] (0 < i < len(text)); `marks` is
    `sequence_marks(text)`."""
    a, b = text[i - 1], text[i]
    ca, cb = char_class(a), char_class(b)
    a2 = text[i - 2 : i] if i >= 2 else "^" + a
    b2 = text[i : i + 2]
    feats = [f"a:{ca}", f"b:{cb}", f"ab:{ca}{cb}", f"ac:{a}", f"bc:{b}", f"a2:{a2}", f"b2:{b2}"]
    if MARKER.match(text, i):
        feats.append(f"mark:{ca}")
    if i in marks:
        feats.append(f"seq:{marks[i]}")
        feats.append(f"seq:{ca}")
    if ca == "C" and cb == "C" and _repeated_across(text, i):
        feats.append("repeat")
    return feats


@dataclass(frozen=True, slots=True)
class BreakModel:
    """Weights of the line-break model, the probability a break needs, and the shortest line
    it judges."""

    bias: float
    weights: Mapping[str, float]
    threshold: float = 0.5
    min_chars: int = 500
    min_gap: int = 4  # no line shorter than this is made
    # The weights by feature kind and bare value (`ac:。` is by_kind["ac"]["。"]): scoring a
    # position then builds no feature strings.
    by_kind: dict[str, dict[str, float]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for key, value in self.weights.items():
            kind, _, bare = key.partition(":")
            self.by_kind.setdefault(kind, {})[bare] = value

    def probability(self, text: str, i: int, marks: Mapping[int, str]) -> float:
        """The probability that a line ended between text[i-1] and text[i] (the definition;
        `logits` computes the same for every position at once)."""
        w = self.weights
        z = self.bias + sum(w.get(f, 0.0) for f in boundary_features(text, i, marks))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def logits(self, text: str) -> list[float]:
        """The log-odds of a break at every position 1 … len(text)-1, as `probability` has
        them, read from the weight tables directly."""
        k = self.by_kind
        w_a, w_b, w_ab, w_ac, w_bc = (k.get(x, {}) for x in ("a", "b", "ab", "ac", "bc"))
        w_a2, w_b2, w_mark, w_seq = (k.get(x, {}) for x in ("a2", "b2", "mark", "seq"))
        w_repeat = self.weights.get("repeat", 0.0)
        marks = sequence_marks(text)
        starts = {m.start() for m in _MARKER_STARTS.finditer(text)} if w_mark else set()
        classes = [char_class(ch) for ch in text]
        out = []
        for i in range(1, len(text)):
            a, b = text[i - 1], text[i]
            ca, cb = classes[i - 1], classes[i]
            z = self.bias + w_a.get(ca, 0.0) + w_b.get(cb, 0.0) + w_ab.get(ca + cb, 0.0)
            z += w_ac.get(a, 0.0) + w_bc.get(b, 0.0)
            z += w_a2.get(text[i - 2 : i] if i >= 2 else "^" + a, 0.0) + w_b2.get(text[i : i + 2], 0.0)
            if i in starts:
                z += w_mark.get(ca, 0.0)
            if i in marks:
                z += w_seq.get(marks[i], 0.0) + w_seq.get(ca, 0.0)
            if ca == "C" and cb == "C" and w_repeat and _repeated_across(text, i):
                z += w_repeat
            out.append(z)
        return out

    def breaks(self, line: str) -> list[int]:
        """Where a long line is cut: positions over the threshold, each the most probable one
        of its neighbourhood, no two closer than `min_gap`."""
        if len(line) < self.min_chars:
            return []
        need = math.log(self.threshold / (1.0 - self.threshold))
        cuts: list[tuple[int, float]] = []
        for i, z in enumerate(self.logits(line), start=1):
            if z < need:
                continue
            if cuts and i - cuts[-1][0] < self.min_gap:
                if z > cuts[-1][1]:
                    cuts[-1] = (i, z)
                continue
            if i >= self.min_gap and len(line) - i >= self.min_gap:
                cuts.append((i, z))
        return [i for i, _ in cuts]

    def reline(self, lines: Sequence[str]) -> list[str]:
        """The lines with every blob cut at its breaks (the characters are all kept, in order)."""
        out: list[str] = []
        for line in lines:
            cuts = self.breaks(line)
            if not cuts:
                out.append(line)
                continue
            bounds = [0, *cuts, len(line)]
            pieces = (line[s:e].strip() for s, e in pairwise(bounds))
            out.extend(p for p in pieces if p)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BreakModel:
        return cls(
            float(data["bias"]),
            dict(data["weights"]),
            float(data.get("threshold", 0.5)),
            int(data.get("min_chars", 500)),
            int(data.get("min_gap", 4)),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "bias": self.bias,
            "threshold": self.threshold,
            "min_chars": self.min_chars,
            "min_gap": self.min_gap,
            "weights": dict(self.weights),
        }


def joined(lines: Sequence[str]) -> tuple[str, list[int]]:
    """Lines run into one text, as a blob prints them, and where each line began (training)."""
    text, starts = "", []
    for line in lines:
        line = _SPACE.sub(" ", line).strip()
        if not line:
            continue
        if text:
            starts.append(len(text))
        text += line
    return text, starts
