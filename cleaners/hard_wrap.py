"""Hard-wrapped text rejoined: a PDF's or a terminal's text dump cut every line at one width.

A page saved from a PDF preview or a fixed-width dump breaks its paragraphs wherever the line
was full, not where the writer ended them, so a heading's text, a duty or a notice sentence is
spread over two or three lines and every step that reads a line (rules, headings, fields) sees
pieces. The evidence is the page's own line widths: in a wrapped text many lines share one
width (give or take a punctuation mark) and hardly any line is wider. Then a line that reaches
that width and does not end a sentence goes on in the next line, unless the next line starts
a numbered item or a bullet. Widths are measured two ways, whichever shows the wrap: display
columns (a CJK character is two: a PDF wraps by physical width, so a line holding digits or
Latin letters holds more characters) and characters (a dump cut every N characters).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from .charclass import HEADING_START

MIN_WIDTH = 24  # display columns: narrower lines are never taken for wrapped ones (labels, short items)
SLACK = 2  # a full line may fall short of the width by this many columns (a wide mark left over)
MIN_FULL = 6  # at least this many full lines …
SHARE_FULL = 0.35  # … and this share of the lines at least MIN_WIDTH wide
MAX_WIDER = 0.05  # at most this share of those lines is wider than the width
ALIKE = 0.3  # full lines this share of which end in the same two characters are a list's items
_ENDS = tuple("。！？!?；;")
_BULLETS = tuple("-•·●○■□◆◇▪*※")


def columns(line: str) -> int:
    """Display width, as a Chinese terminal or PDF lays the line out: ASCII one column, CJK
    characters and full-width forms two. GB 18030 encodes them in one and two bytes, so its
    length is that width, counted in C (a per-character Python loop costs a millisecond a page)."""
    return len(line.encode("gb18030"))


def _chars(line: str) -> int:
    return 2 * len(line)  # in the columns' scale, so that one set of limits serves both


MEASURES: tuple[Callable[[str], int], ...] = (columns, _chars)


def wrap_width(lines: Sequence[str], measure: Callable[[str], int] = columns) -> int | None:
    """The width the text was wrapped at by this measure, or None when it was not wrapped."""
    widths = [w for w in map(measure, lines) if w >= MIN_WIDTH]
    if len(widths) < MIN_FULL:
        return None
    counts = Counter(widths)
    best, full = 0, 0
    for w in counts:  # the width with the most lines within SLACK below it
        n = sum(counts[v] for v in range(w - SLACK, w + 1))
        if n > full or (n == full and w > best):
            best, full = w, n
    wider = sum(c for v, c in counts.items() if v > best)
    if full < MIN_FULL or full < SHARE_FULL * len(widths) or wider > MAX_WIDER * len(widths):
        return None
    # A wrap cuts words anywhere, so its full lines end in all sorts of characters; a list of
    # items made alike (`…汇编第2001册.doc`, one per line) reaches one width too, but its lines
    # end alike.
    tails = Counter(ln.rstrip()[-2:] for ln in lines if best - SLACK <= measure(ln) <= best)
    if tails.most_common(1)[0][1] >= ALIKE * full:
        return None
    return best


def unwrap(lines: Sequence[str]) -> list[str]:
    """The lines with each wrapped paragraph joined back into one (the characters all kept)."""
    for measure in MEASURES:
        width = wrap_width(lines, measure)
        if width is not None:
            return _rejoined(lines, width, measure)
    return list(lines)


def _rejoined(lines: Sequence[str], width: int, measure: Callable[[str], int]) -> list[str]:
    out: list[str] = []
    goes_on = False  # the previous physical line was full and did not end a sentence
    for line in lines:
        starts_item = bool(HEADING_START.match(line)) or line.lstrip().startswith(_BULLETS)
        if out and goes_on and not starts_item:
            out[-1] = _join(out[-1], line)
        else:
            out.append(line)
        stripped = line.rstrip()
        goes_on = measure(stripped) >= width - SLACK and not stripped.endswith(_ENDS)
    return out


def _join(head: str, tail: str) -> str:
    """Latin words cut at a line end were separated by the wrap's space; CJK text was not."""
    if head[-1:].isascii() and head[-1:].isalnum() and tail[:1].isascii() and tail[:1].isalnum():
        return head + " " + tail
    return head + tail
