"""Site profiles: what harvester knows about one site, built from a plain dict (a TOML file).

A profile holds how the site is recognised (domains, URL patterns, text markers for dumps
without a URL), where its content sits in the HTML, the title suffixes it appends, and its
boilerplate rules. The `generic` profile's rules run on every page; a site's own rules run
only on pages recognised as that site. Reading the files is the caller's job (see
`harvester.sites`): this module does no I/O.

Patterns may use these macros, so data files stay readable for both ASCII and full-width
punctuation: {colon} {lp} {rp} {comma} {sep} {bullet} {cjk}.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

MACROS = {
    "colon": r"[:：]",
    "lp": r"[(（]",
    "rp": r"[)）]",
    "comma": r"[,，]",
    "sep": r"[\s|│/·•]",
    # An optional list prefix as dumps render it: "- ", "• ", "1. ", "1、", "  1. 1、".
    "bullet": r"(?:[-•·*]\s*)?(?:\d{1,2}\s*[.、．]\s*)*",
    "cjk": r"[\u3400-\u9fff]",
}
RULE_KINDS = ("line", "fragment", "list", "meta")


def expand(pattern: str) -> str:
    """Replace {macro} names in a pattern; other braces (quantifiers) are left alone."""
    return re.sub(r"\{(" + "|".join(MACROS) + r")\}", lambda m: MACROS[m.group(1)], pattern)


@dataclass(frozen=True, slots=True)
class Rule:
    """One boilerplate rule.

    kind: `line` drops a line the pattern matches; `fragment` cuts the matched text out of a
    line; `list` drops a heading line and the list items after it (`item` pattern, or short
    title-like lines); `meta` drops a line made only of metadata tokens (dates, sizes, counts,
    `key:value`) the pattern matches. `head`/`tail` limit a rule to the first/last N lines; `drop_previous` also drops up to N
    short lines kept just before a match.
    """

    name: str
    kind: str
    pattern: re.Pattern[str]
    item: re.Pattern[str] | None = None
    head: int | None = None
    tail: int | None = None
    # Also drop this many short lines kept just before a match (a shelf title above "合集下载").
    drop_previous: int = 0
    note: str = ""
    # Literals one of which every match contains (on the simplified view): a fragment rule with
    # them runs only on lines that hold one, instead of being tried at every position of every line.
    requires: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NoticeLexicon:
    """Words of site notices (copyright, VIP, download terms) and how many make a notice."""

    anchors: re.Pattern[str]
    terms: tuple[str, ...]
    strong: frozenset[str]
    min_terms_with_anchor: int = 2
    min_terms: int = 3
    max_chars: int = 400
    any_term: frozenset[str] = field(init=False, compare=False)  # the terms, for one-scan tests

    def __post_init__(self) -> None:
        object.__setattr__(self, "any_term", frozenset(self.terms))


@dataclass(frozen=True, slots=True)
class OpenerGrammar:
    """How a 范文 farm's opener reads: it offers the text to the reader, or asks the reader a
    question right before such an offer (see cleaners/opener.py). Matched per sentence."""

    offer: re.Pattern[str]  # a sentence handing the text over (下面是…为大家…, 供您参考 …)
    reader: re.Pattern[str]  # the reader addressed (大家, 您 …)
    question: re.Pattern[str]  # a rhetorical question's ending
    head_lines: int = 6


@dataclass(frozen=True, slots=True)
class SiteProfile:
    name: str
    description: str = ""
    domains: tuple[str, ...] = ()
    url_patterns: tuple[re.Pattern[str], ...] = ()
    text_markers: tuple[re.Pattern[str], ...] = ()
    title_suffixes: tuple[str, ...] = ()
    title_suffix_pattern: re.Pattern[str] | None = None  # a site-name tail of a page title
    content_selectors: tuple[str, ...] = ()
    drop_selectors: tuple[str, ...] = ()
    block_markers: tuple[re.Pattern[str], ...] = ()
    truncation_markers: tuple[re.Pattern[str], ...] = ()
    rules: tuple[Rule, ...] = ()
    notices: NoticeLexicon | None = None
    openers: OpenerGrammar | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SiteProfile:
        """Build a profile from a parsed TOML/JSON mapping; raises ValueError on bad data."""
        name = data.get("name")
        if not name or not isinstance(name, str):
            raise ValueError("a site profile needs a string `name`")
        rules_data = data.get("rules", [])
        if not isinstance(rules_data, list) or not all(isinstance(r, Mapping) for r in rules_data):
            raise ValueError("`rules` must be a list of tables ([[rules]])")
        rules = tuple(_rule(name, r) for r in rules_data)
        lex = data.get("notices")
        notices = None
        if lex:
            if not isinstance(lex, Mapping):
                raise ValueError("`notices` must be a table")
            notices = NoticeLexicon(
                anchors=_compile(_text(lex, "anchors", where="notices.anchors")),
                terms=_strings(lex, "terms", where="notices.terms"),
                strong=frozenset(_strings(lex, "strong", where="notices.strong")),
                min_terms_with_anchor=_whole(lex, "min_terms_with_anchor", 2, where="notices."),
                min_terms=_whole(lex, "min_terms", 3, where="notices."),
                max_chars=_whole(lex, "max_chars", 400, where="notices."),
            )
        openers = None
        if (grammar := data.get("openers")) is not None:
            if not isinstance(grammar, Mapping):
                raise ValueError("`openers` must be a table")
            openers = OpenerGrammar(
                offer=_compile(_pattern(grammar, "offer", where="openers.offer")),
                reader=_compile(_pattern(grammar, "reader", where="openers.reader")),
                question=_compile(_pattern(grammar, "question", where="openers.question")),
                head_lines=_whole(grammar, "head_lines", 6, where="openers."),
            )
        return cls(
            name=name,
            description=_text(data, "description"),
            domains=tuple(d.lower() for d in _strings(data, "domains")),
            url_patterns=tuple(_compile(p) for p in _strings(data, "url_patterns")),
            text_markers=tuple(_compile(p) for p in _strings(data, "text_markers")),
            title_suffixes=_strings(data, "title_suffixes"),
            title_suffix_pattern=(
                re.compile(_pattern(data, "title_suffix_pattern", "title_suffix_pattern"), re.I)
                if "title_suffix_pattern" in data
                else None
            ),
            content_selectors=_strings(data, "content_selectors"),
            drop_selectors=_strings(data, "drop_selectors"),
            block_markers=tuple(_compile(p) for p in _strings(data, "block_markers")),
            truncation_markers=tuple(_compile(p) for p in _strings(data, "truncation_markers")),
            rules=rules,
            notices=notices,
            openers=openers,
        )

    def matches_url(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        if any(host == d or host.endswith("." + d) for d in self.domains):
            return True
        return any(p.search(url) for p in self.url_patterns)

    def matches_text(self, text: str) -> bool:
        return any(p.search(text) for p in self.text_markers)


def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(expand(pattern))
    except re.error as exc:
        raise ValueError(f"bad pattern {pattern!r}: {exc}") from exc


def _strings(data: Mapping[str, Any], key: str, where: str | None = None) -> tuple[str, ...]:
    """A list-of-strings field, or ValueError naming the field (a TOML typo must not be a traceback)."""
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"`{where or key}` must be a list of strings, not {_kind(value)}")
    return tuple(value)


def _text(data: Mapping[str, Any], key: str, default: str = "", where: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise ValueError(f"`{where or key}` must be a string, not {_kind(value)}")
    return value


def _pattern(data: Mapping[str, Any], key: str, where: str) -> str:
    """A pattern that must be given (an empty one would match every line)."""
    value = _text(data, key, where=where)
    if not value:
        raise ValueError(f"`{where}` must be a non-empty pattern")
    return value


def _whole(data: Mapping[str, Any], key: str, default: int | None, where: str = "") -> Any:
    value = data.get(key, default)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise ValueError(f"`{where}{key}` must be a whole number, not {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"[:80]


def _rule(site: str, data: Mapping[str, Any]) -> Rule:
    rule = _text(data, "name", where="rules.name")
    if not rule:
        raise ValueError("every [[rules]] entry needs a `name`")
    where = f"rules[{rule}]."
    kind = _text(data, "kind", "line", where=where + "kind")
    if kind not in RULE_KINDS:
        raise ValueError(f"{site}: rule kind {kind!r} is not one of {RULE_KINDS}")
    if "pattern" not in data:
        raise ValueError(f"rule {rule!r} needs a `pattern`")
    item = _text(data, "item", where=where + "item")
    return Rule(
        name=f"{site}/{rule}",
        kind=kind,
        pattern=_compile(_text(data, "pattern", where=where + "pattern")),
        item=_compile(item) if item else None,
        head=_whole(data, "head", None, where),
        tail=_whole(data, "tail", None, where),
        drop_previous=_whole(data, "drop_previous", 0, where),
        note=_text(data, "note", where=where + "note"),
        requires=_strings(data, "requires", where=where + "requires"),
    )
