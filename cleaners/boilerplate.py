"""Remove site boilerplate from text lines, recording every removal with its rule.

Rules come from site profiles (data). Lines are matched on a "matching view" that maps the
traditional characters common in mirrored notices to simplified ones and drops pinyin glosses
such as 說(shuō), so one rule covers a site and its mirrors. Removals always take whole lines or
matched spans of the original text, so nothing is ever rewritten or invented.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .charclass import HEADING_START, SENTENCE_PUNCT, unglossed
from .chartable import to_simplified
from .document import Removal
from .literals import holds_any, needs
from .markers import STRONG_STYLES, find_markers
from .normalise import normalise_line
from .profiles import NoticeLexicon, Rule

_ONLY_PUNCT = re.compile(r"^[\s\W_]*$")
_ASCII_WORD = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{2,19}$")
# Tokens a metadata line is made of; what is left must be (nearly) nothing.
_META_LEFTOVER = re.compile(r"[\s|│/·•,，;；:：\-—_()（）\[\]【】<>《》]+")
_LIST_ITEM_STOP = re.compile(r"[,，:：]")
_PROSE_RUN = re.compile(r"[\u4e00-\u9fff]{12,}")
_FULL_DATE = re.compile(r"\d{4}[-/.年]\d{1,2}")


def matching_view(line: str) -> str:
    """The line as rules see it: simplified notice characters, no pinyin glosses."""
    return to_simplified(unglossed(line))


@dataclass(frozen=True)
class RuleBook:
    """Rules grouped by kind, with the zone-free ones of a kind joined into one regex.

    One search per line instead of one per rule: the rule that matched is the named group.
    """

    lists: tuple[Rule, ...]
    metas: tuple[Rule, ...]
    zoned_lines: tuple[Rule, ...]
    zoned_fragments: tuple[Rule, ...]
    gated_fragments: tuple[Rule, ...]  # zone-free fragment rules with `requires` literals
    gates: frozenset[str]  # every gated rule's `requires`: a line with none of them skips them all
    line_at_start: re.Pattern[str] | None  # alternatives anchored with ^: tried at position 0 only
    line_anywhere: re.Pattern[str] | None
    any_fragment: re.Pattern[str] | None
    by_group: dict[str, Rule]


def top_level_alternatives(pattern: str) -> list[str]:
    """Split a regex at its top-level `|` (outside groups, classes and escapes)."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]":
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _join(
    rules: Sequence[Rule], prefix: str, groups: dict[str, Rule], anchored: bool | None = None
) -> re.Pattern[str] | None:
    """One regex of named groups, one group per rule (or per alternative of a rule, when only
    the anchored or only the unanchored alternatives are wanted)."""
    pieces = []
    for k, rule in enumerate(rules):
        alts = [rule.pattern.pattern]
        if anchored is not None:
            alts = [a for a in top_level_alternatives(rule.pattern.pattern) if a.startswith("^") == anchored]
        for j, alt in enumerate(alts):
            name = f"{prefix}{k}_{j}"
            groups[name] = rule
            pieces.append(f"(?P<{name}>{alt})")
    return re.compile("|".join(pieces)) if pieces else None


@lru_cache(maxsize=64)
def compile_rules(rules: tuple[Rule, ...]) -> RuleBook:
    free = [r for r in rules if r.head is None and r.tail is None]
    groups: dict[str, Rule] = {}
    free_lines = [r for r in free if r.kind == "line"]
    return RuleBook(
        lists=tuple(r for r in rules if r.kind == "list"),
        metas=tuple(r for r in rules if r.kind == "meta"),
        zoned_lines=tuple(r for r in rules if r.kind == "line" and r not in free),
        zoned_fragments=tuple(r for r in rules if r.kind == "fragment" and r not in free),
        line_at_start=_join(free_lines, "s", groups, anchored=True),
        line_anywhere=_join(free_lines, "a", groups, anchored=False),
        gated_fragments=tuple(r for r in free if r.kind == "fragment" and r.requires),
        gates=frozenset(s for r in free if r.kind == "fragment" for s in r.requires),
        any_fragment=_join([r for r in free if r.kind == "fragment" and not r.requires], "f", groups),
        by_group=groups,
    )


def _cut_fragments(book: RuleBook, line: str, i: int, n: int) -> tuple[str, list[tuple[str, str]]]:
    """Cut every fragment rule's matches out of a line, repeating until nothing changes."""
    cuts: list[tuple[str, str]] = []
    for _ in range(4):  # a cut can join text into a new match: repeat to a fixpoint
        before = line
        line, noise = cut_ascii_noise(line)
        cuts.extend(("generic/ascii-noise", c) for c in noise)
        if book.any_fragment is not None:
            line, found = _cut_named(book, book.any_fragment, line)
            cuts.extend(found)
        if book.gated_fragments and holds_any(view := to_simplified(line), book.gates):
            for rule in book.gated_fragments:
                if any(s in view for s in rule.requires):
                    line, found = _cut_named(book, rule.pattern, line, rule.name)
                    cuts.extend(found)
        for rule in book.zoned_fragments:
            if _in_zone(rule, i, n):
                line, found = _cut_named(book, rule.pattern, line, rule.name)
                cuts.extend(found)
        if line == before:
            break
    return line, cuts


def _line_rule(book: RuleBook, view: str, i: int, n: int) -> Rule | None:
    m = book.line_at_start.match(view) if book.line_at_start is not None else None
    if m is None and book.line_anywhere is not None and holds_any(view, needs(book.line_anywhere)):
        m = book.line_anywhere.search(view)
    if m:
        return book.by_group[m.lastgroup or ""]
    return _first_match(book.zoned_lines, view, i, n) or _meta_match(book.metas, view, i, n)


def strip_boilerplate(
    lines: Sequence[str],
    rules: Sequence[Rule],
    notices: NoticeLexicon | None = None,
) -> tuple[list[str], list[Removal]]:
    """Lines without boilerplate, and what was removed (in page order)."""
    book = compile_rules(tuple(rules))
    n = len(lines)
    kept: list[tuple[int, str]] = []
    removed: list[tuple[int, Removal]] = []
    dropped: set[int] = set()
    in_list: Rule | None = None

    for i, line in enumerate(lines):
        if in_list is not None and len(line) > 60:
            in_list = None  # prose ends a related list, even prose that is then cut
        # Cut fragments first, so that the line rules judge what would be kept (idempotence).
        line, cuts = _cut_fragments(book, line, i, n)
        removed.extend((i, Removal(rule, text)) for rule, text in cuts)
        if _ONLY_PUNCT.match(line):
            if line.strip():
                removed.append((i, Removal("generic/punctuation-residue", line.strip())))
            dropped.add(i)
            continue
        line = normalise_line(line)
        view = matching_view(line)
        if in_list is not None:
            if _is_list_item(view, in_list):
                removed.append((i, Removal(in_list.name, line)))
                dropped.add(i)
                continue
            in_list = None
        rule = _first_match(book.lists, view, i, n)
        if (
            rule is not None
            and len(line) > WHOLE_LINE_MAX
            and _by_sentence(line, i, rules, notices, kept, removed)
        ):
            continue  # a run-together blob: a rule's hit costs that sentence, not the page
        if rule is not None:
            in_list = rule
            removed.append((i, Removal(rule.name, line)))
            dropped.add(i)
            continue
        rule = _line_rule(book, view, i, n)
        rule_name: str | None
        if rule is None and notices is not None and is_notice(view, notices):
            rule_name = "generic/site-notice"
        else:
            rule_name = rule.name if rule else None
        if rule_name and len(line) > WHOLE_LINE_MAX and _by_sentence(line, i, rules, notices, kept, removed):
            continue
        at = _document_starts(line, lines, i) if rule_name else None
        if at is not None and rule_name:
            rest = line[at:]
            rest_view = matching_view(rest)
            if _line_rule(book, rest_view, i, n) is None and not (notices and is_notice(rest_view, notices)):
                # chrome run into the document's first heading (`…还剩7页未读…范本一、引言在…`):
                # the chrome goes, the heading and its text stay
                removed.append((i, Removal(rule_name, line[:at].rstrip())))
                kept.append((i, rest))
                continue
        if rule_name:
            removed.append((i, Removal(rule_name, line)))
            dropped.add(i)
            for _ in range(rule.drop_previous if rule else 0):
                if kept and len(kept[-1][1]) <= 40:
                    j, prev = kept.pop()
                    removed.append((j, Removal(rule_name, prev)))
                    dropped.add(j)
            continue
        kept.append((i, line))

    kept, extra = _drop_orphans(kept, dropped)
    removed.extend(extra)
    removed.sort(key=lambda x: x[0])
    return [line for _, line in kept], [r for _, r in removed]


def _document_starts(line: str, lines: Sequence[str], i: int, ahead: int = 400) -> int | None:
    """Where inside a line a document's first heading starts, by sequence evidence: a strong
    heading marker numbered 1 (`一、`, `第一章`) past the line's start whose style goes on at the
    start of a later line with 2 (`二、`). None when there is none."""
    for mk in find_markers(line):
        if mk.start == 0 or mk.number != 1 or mk.style not in STRONG_STYLES:
            continue
        for later in lines[i + 1 : i + 1 + ahead]:
            nxt = find_markers(later)
            if nxt and nxt[0].start == 0 and nxt[0].style == mk.style and nxt[0].number == 2:
                return mk.start
    return None


WHOLE_LINE_MAX = 400
"""A longer line is a run-together blob (a page's paragraphs in one text node): rules judge its
sentences one by one, so that a breadcrumb glued before the text costs that sentence only."""
_SENTENCE = re.compile(r"[^。！？!?；;]*(?:[。！？!?；;]+|$)")
_PIECE = re.compile(r"[^。！？!?；;\s]*(?:[。！？!?；;]+|\s+|$)")  # a sentence, or a run up to a space


def _by_sentence(
    line: str,
    i: int,
    rules: Sequence[Rule],
    notices: NoticeLexicon | None,
    kept: list[tuple[int, str]],
    removed: list[tuple[int, Removal]],
) -> bool:
    """A long line a rule would remove whole, stripped sentence by sentence instead when most
    of it is not boilerplate (a document run into one line behind a breadcrumb); False when the
    line is one sentence or mostly boilerplate (then it goes whole, as before)."""
    sentences = [x for x in _SENTENCE.findall(line) if x]
    joiner = ""
    if len(sentences) < 3:  # a blob without sentence ends (a form run together): its pieces
        sentences, joiner = [x for x in _PIECE.findall(line) if x], " "
    if len(sentences) < 3:
        return False
    rest, cut = strip_boilerplate(sentences, rules, notices)
    if sum(len(x) for x in rest) < 0.6 * len(line):
        return False
    removed.extend((i, r) for r in cut)
    kept.append((i, joiner.join(rest)))
    return True


_ASCII_RUN = re.compile(r"[\x20-\x7e]{6,}")
_SITE_NAME_BEFORE = re.compile(r"(?<=[。！？!?；;])[\u3400-\u9fff]{2,12}(?:网|站|论坛|社区)\s*$")
_VERSION_LIKE = re.compile(r"[A-Za-z]{0,2}\d+(?:[.\-/:]\d+)*[A-Za-z]{0,2}")
_DATE_TIME = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}:\d{2}")
_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _is_noise(run: str) -> bool:
    """Random ASCII injected against scrapers: letters, digits and punctuation in a jumble."""
    s = run.strip()
    if len(s) < 7 or re.search(r"[A-Za-z]{4,}|[a-z]{3}|[A-Z]{3}|https?:|www\.|@\w+\.", s):
        return False
    if _VERSION_LIKE.fullmatch(s.strip("()（）[]")) or _DATE_TIME.search(s):
        return False
    punct = [c for c in s if c in _PUNCT]
    letters = sum(c.isalpha() for c in s)
    if letters < 1 or len(set(punct)) < 2:
        return False
    if len(punct) / len(s) >= 0.5:
        return True
    kinds = ["p" if c in _PUNCT else "a" if c.isalpha() else "d" if c.isdigit() else "s" for c in s]
    changes = sum(a != b for a, b in itertools.pairwise(kinds))
    return changes > len(s) / 2


def cut_ascii_noise(line: str) -> tuple[str, list[str]]:
    """Cut anti-scrape ASCII jumbles (and a site name glued before one) out of a line."""
    cuts: list[str] = []
    out: list[str] = []
    pos = 0
    for m in _ASCII_RUN.finditer(line):
        if not _is_noise(m.group(0)):
            continue
        before = line[pos : m.start()]
        site = _SITE_NAME_BEFORE.search(before) if m.end() >= len(line.rstrip()) else None
        if site:
            cuts.append(before[site.start() :] + m.group(0))
            before = before[: site.start()]
        else:
            cuts.append(m.group(0))
        out.append(before)
        pos = m.end()
    if not cuts:
        return line, []
    out.append(line[pos:])
    return "".join(out), [c.strip() for c in cuts]


_CHUNK_MARKER = re.compile(r"^(\d{1,2})、\s?")
_FINAL_PUNCT = re.compile(r"[。！？!?；;…”」』)）】]\s*$")


def strip_chunk_markers(lines: Sequence[str]) -> tuple[list[str], list[Removal]]:
    """Remove the `N、` that preview readers put at the start of each page chunk.

    A chunk is a long line; the chunk markers count 1, 2, 3 … and every chunk after the first
    starts mid-sentence (the line before ends without final punctuation). Real list items rarely
    fit that pattern, so the markers are only removed when at least two chunks show it.
    """
    hits = [
        (i, int(m.group(1)))
        for i, ln in enumerate(lines)
        if len(ln) >= 120 and (m := _CHUNK_MARKER.match(ln))
    ]
    chunked = [
        (i, n)
        for k, (i, n) in enumerate(hits)
        if (n == 1 and k + 1 < len(hits) and hits[k + 1][1] == 2)
        or (
            n >= 2
            and i > 0
            and not _FINAL_PUNCT.search(lines[i - 1])
            and any(m == n - 1 for _, m in hits[:k])
        )
    ]
    if len(chunked) < 2:
        chunked = _doubled_run(lines)
    if len(chunked) < 2:
        return list(lines), []
    out = list(lines)
    removed = []
    for i, _ in chunked:
        m = _CHUNK_MARKER.match(out[i])
        assert m is not None
        removed.append(Removal("generic/preview-chunk-marker", m.group(0).strip()))
        out[i] = out[i][m.end() :]
    return out, removed


_DOUBLED = re.compile(r"^\d{1,2}、\s?(?:\d{1,2}|[一二三四五六七八九十]{1,3})[、.．]")


def _doubled_run(lines: Sequence[str]) -> list[tuple[int, int]]:
    """Chunk markers on chunks of any length: a run of consecutive lines numbered 1, 2, 3 …
    (three or more) of which at least two carry a second marker right after theirs
    (`4、 5、考核…`, `5、 9、回款…`): a list item never starts with another item's number, so the
    outer numbers belong to the reader, not to the document."""
    best: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []
    for i, ln in enumerate(lines):
        m = _CHUNK_MARKER.match(ln)
        n = int(m.group(1)) if m else 0
        if m and run and n == run[-1][1] + 1 and i == run[-1][0] + 1:
            run.append((i, n))
        else:
            run = [(i, n)] if m and n == 1 else []
        doubled = sum(1 for j, _ in run if _DOUBLED.match(lines[j]))
        if len(run) >= 3 and doubled >= 2 and len(run) > len(best):
            best = list(run)
    return best


_QUESTION = re.compile(r"^[^。！!；;]{4,40}[?？]$")


def cut_tail_questions(lines: Sequence[str], least: int = 2) -> tuple[list[str], list[Removal]]:
    """A run of short questions closing the page, after its last line of prose: the
    related-questions block of Q&A and 范文 sites, which prints without a heading."""
    end = len(lines)
    start = end
    while start > 0 and _QUESTION.match(lines[start - 1]):
        start -= 1
    if end - start < least or start == 0:
        return list(lines), []
    return list(lines[:start]), [Removal("generic/related-questions", ln) for ln in lines[start:]]


def is_notice(view: str, lex: NoticeLexicon) -> bool:
    """A site notice: several notice words, anchored by the site speaking of itself."""
    if len(view) > lex.max_chars or not holds_any(view, lex.any_term):
        return False  # most lines hold no notice word: one scan says so
    found = {t for t in lex.terms if t in view}
    if not found:
        return False
    if lex.anchors.search(view):
        return len(found) >= lex.min_terms_with_anchor
    return len(found) >= lex.min_terms and bool(found & lex.strong)


def _in_zone(rule: Rule, i: int, n: int) -> bool:
    """Rules limited to the head and/or tail of the page apply only there."""
    if rule.head is None and rule.tail is None:
        return True
    return (rule.head is not None and i < rule.head) or (rule.tail is not None and i >= n - rule.tail)


def _first_match(rules: Sequence[Rule], view: str, i: int, n: int) -> Rule | None:
    for rule in rules:
        if _in_zone(rule, i, n) and holds_any(view, needs(rule.pattern)) and rule.pattern.search(view):
            return rule
    return None


def _meta_match(rules: Sequence[Rule], view: str, i: int, n: int) -> Rule | None:
    """A line made only of metadata tokens (or tokens plus a short category label)."""
    if len(view) > 160 or _PROSE_RUN.search(view):
        return None  # metadata leaves at most a short label; a long run of words is prose
    for rule in rules:
        if not _in_zone(rule, i, n) or not holds_any(view, needs(rule.pattern)):
            continue
        tokens = rule.pattern.findall(view)
        if not tokens:
            continue
        rest = _META_LEFTOVER.sub("", rule.pattern.sub(" ", view))
        if not rest:
            return rule
        short_label = len(rest) <= 8 and not SENTENCE_PUNCT.search(view)
        if short_label and len(tokens) >= 2 and _FULL_DATE.search(view):
            return rule
    return None


def _is_list_item(view: str, rule: Rule) -> bool:
    if rule.item is not None and rule.item.search(view):
        return True
    # Related-document titles: short, no sentence punctuation, no colon, not a numbered heading.
    return (
        len(view) <= 40
        and not SENTENCE_PUNCT.search(view)
        and not _LIST_ITEM_STOP.search(view)
        and not HEADING_START.match(view)
    )


def _cut_named(
    book: RuleBook, pattern: re.Pattern[str], line: str, name: str | None = None
) -> tuple[str, list[tuple[str, str]]]:
    """Cut what the pattern finds out of the line, matching on the simplified view of it.

    The view has the same length as the line (a character-for-character mapping), so spans
    found in the view cut the original text.
    """
    view = to_simplified(line)
    if not holds_any(view, needs(pattern)):
        return line, []
    out: list[str] = []
    cuts: list[tuple[str, str]] = []
    pos = 0
    for m in pattern.finditer(view):
        if not m.group(0).strip():
            continue
        start, end = m.span()
        out.append(line[pos:start])
        cuts.append((name or book.by_group[m.lastgroup or ""].name, line[start:end]))
        pos = end
    if not cuts:
        return line, []
    out.append(line[pos:])
    return "".join(out), cuts


def _drop_orphans(
    kept: list[tuple[int, str]], dropped: set[int]
) -> tuple[list[tuple[int, str]], list[tuple[int, Removal]]]:
    """Second pass: repeated title lines and lone user names next to removed metadata."""
    out: list[tuple[int, str]] = []
    removed: list[tuple[int, Removal]] = []
    for i, line in kept:
        if out and out[-1][1] == line and len(line) <= 60:
            removed.append((i, Removal("generic/repeated-line", line)))
            continue
        if _ASCII_WORD.match(line) and ((i - 1) in dropped or (i + 1) in dropped):
            removed.append((i, Removal("generic/byline", line)))
            continue
        out.append((i, line))
    return out, removed
