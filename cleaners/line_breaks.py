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
import operator
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise, repeat
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

from .charclass import MARKER
from .chartable import to_simplified
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
    """Where a numbered marker starts that carries its sequence on (`三、` when the largest `、`
    number before it is 二; a style's first marker or a restart at 1 when the next one follows
    it), by the marker's style: sequence evidence for a break. A reference inside a sentence (`依照本办法
    第十一条` in article 14) carries nothing on, so it is not one."""
    out: dict[int, str] = {}
    largest: dict[str, int] = {}
    marks = find_markers(text)
    for k, m in enumerate(marks):
        goes_on = m.number == largest.get(m.style, 0) + 1
        if not goes_on and (m.style not in largest or m.number == 1):
            # a style's first marker (an excerpt from 4、) or a restart (the next document's
            # 一、), when the marker after it follows it
            nxt = next((x for x in marks[k + 1 :] if x.style == m.style), None)
            goes_on = nxt is not None and nxt.number == m.number + 1
        if goes_on:
            out[m.start] = m.style
        largest[m.style] = max(largest.get(m.style, 0), m.number)
    return out


def _repeat_positions(text: str, classes: Sequence[str]) -> np.ndarray:
    """The positions i (CJK on both sides) where a string of 4–24 characters ends and starts
    again: `_repeated_across` for every position at once. A repeat of length k across i means
    text[i-k+t] == text[i+t] for t < k: k equalities at distance k ending at i-1, counted
    with a running sum."""
    import numpy as np  # here, not at import: commands that clean nothing start without numpy

    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    n = len(codes)
    found = np.zeros(n, dtype=bool)
    for k in range(_REPEAT_MIN, min(_REPEAT_MAX, n // 2) + 1):
        same = np.zeros(n + 1, dtype=np.int64)  # same[j+1]: running count of text[j] == text[j+k]
        np.cumsum(codes[:-k] == codes[k:], out=same[1 : n - k + 1])
        same[n - k + 1 :] = same[n - k]
        i = np.arange(k, n - k + 1)
        found[i] |= same[i] - same[i - k] == k
    cjk = np.fromiter((c == "C" for c in classes), dtype=bool, count=n)
    found[1:] &= cjk[:-1] & cjk[1:]
    found[0] = False
    return np.flatnonzero(found)


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

    def logits(self, text: str) -> np.ndarray:
        """The log-odds of a break at every position 1 … len(text)-1 (element i-1 for position
        i), as `probability` has them: each feature kind's weights looked up for all positions
        at once (map over the characters, numpy sums), not feature by feature."""
        import numpy as np  # here, not at import: commands that clean nothing start without numpy

        n = len(text)
        if n < 2:
            return np.zeros(0)
        k = self.by_kind
        classes = list(map(char_class, text))
        bigrams = list(map(operator.add, text, text[1:]))  # bigrams[j] = text[j : j + 2]

        def look(kind: str, keys: Iterable[str], size: int) -> np.ndarray:
            table = k.get(kind)
            if not table:
                return np.zeros(size)
            return np.fromiter(map(table.get, keys, repeat(0.0)), dtype=np.float64, count=size)

        z = np.full(n - 1, self.bias)
        z += look("a", classes[:-1], n - 1) + look("b", classes[1:], n - 1)
        z += look("ab", map(operator.add, classes, classes[1:]), n - 1)
        z += look("ac", text[:-1], n - 1) + look("bc", text[1:], n - 1)
        z += look("a2", ["^" + text[0], *bigrams[:-1]], n - 1)  # text[i-2:i]
        z += look("b2", [*bigrams[1:], text[-1]], n - 1)  # text[i:i+2]
        w_mark, w_seq = k.get("mark", {}), k.get("seq", {})
        for m in _MARKER_STARTS.finditer(text) if w_mark else ():
            if m.start():
                z[m.start() - 1] += w_mark.get(classes[m.start() - 1], 0.0)
        for i, style in sequence_marks(text).items():
            if i:
                z[i - 1] += w_seq.get(style, 0.0) + w_seq.get(classes[i - 1], 0.0)
        w_repeat = self.weights.get("repeat", 0.0)
        if w_repeat:
            z[_repeat_positions(text, classes) - 1] += w_repeat
        return z

    def breaks(self, line: str) -> list[int]:
        """Where a long line is cut: positions over the threshold, each the most probable one
        of its neighbourhood, no two closer than `min_gap`."""
        if len(line) < self.min_chars:
            return []
        need = math.log(self.threshold / (1.0 - self.threshold))
        cuts: list[tuple[int, float]] = []
        # Read on the simplified view (same length, so its positions cut the line): a mirror in
        # traditional script breaks where its simplified original does.
        for i, z in enumerate(self.logits(to_simplified(line)).tolist(), start=1):
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
