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
from collections.abc import Iterable, Mapping
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


@dataclass(frozen=True, slots=True)
class SiteProfile:
    name: str
    description: str = ""
    domains: tuple[str, ...] = ()
    url_patterns: tuple[re.Pattern[str], ...] = ()
    text_markers: tuple[re.Pattern[str], ...] = ()
    title_suffixes: tuple[str, ...] = ()
    content_selectors: tuple[str, ...] = ()
    drop_selectors: tuple[str, ...] = ()
    block_markers: tuple[re.Pattern[str], ...] = ()
    truncation_markers: tuple[re.Pattern[str], ...] = ()
    rules: tuple[Rule, ...] = ()
    notices: NoticeLexicon | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SiteProfile:
        """Build a profile from a parsed TOML/JSON mapping; raises ValueError on bad data."""
        name = data.get("name")
        if not name or not isinstance(name, str):
            raise ValueError("a site profile needs a string `name`")
        rules = tuple(_rule(name, r) for r in data.get("rules", []))
        lex = data.get("notices")
        notices = None
        if lex:
            notices = NoticeLexicon(
                anchors=_compile(lex["anchors"]),
                terms=tuple(lex["terms"]),
                strong=frozenset(lex.get("strong", [])),
                min_terms_with_anchor=int(lex.get("min_terms_with_anchor", 2)),
                min_terms=int(lex.get("min_terms", 3)),
                max_chars=int(lex.get("max_chars", 400)),
            )
        return cls(
            name=name,
            description=data.get("description", ""),
            domains=tuple(d.lower() for d in data.get("domains", [])),
            url_patterns=tuple(_compile(p) for p in data.get("url_patterns", [])),
            text_markers=tuple(_compile(p) for p in data.get("text_markers", [])),
            title_suffixes=tuple(data.get("title_suffixes", [])),
            content_selectors=tuple(data.get("content_selectors", [])),
            drop_selectors=tuple(data.get("drop_selectors", [])),
            block_markers=tuple(_compile(p) for p in data.get("block_markers", [])),
            truncation_markers=tuple(_compile(p) for p in data.get("truncation_markers", [])),
            rules=rules,
            notices=notices,
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


def _rule(site: str, data: Mapping[str, Any]) -> Rule:
    kind = data.get("kind", "line")
    if kind not in RULE_KINDS:
        raise ValueError(f"{site}: rule kind {kind!r} is not one of {RULE_KINDS}")
    return Rule(
        name=f"{site}/{data['name']}",
        kind=kind,
        pattern=_compile(data["pattern"]),
        item=_compile(data["item"]) if data.get("item") else None,
        head=data.get("head"),
        tail=data.get("tail"),
        drop_previous=int(data.get("drop_previous", 0)),
        note=data.get("note", ""),
        requires=tuple(data.get("requires", ())),
    )


@dataclass(frozen=True, repr=False)
class ProfileSet:
    """All profiles, with `generic` applied everywhere and site recognition."""

    profiles: tuple[SiteProfile, ...]
    # What job descriptions call their parts (data/lexicon/job.toml); None skips job fields.
    job_lexicon: Any = None
    # The learned boilerplate-line model (data/models/boilerplate-line.json); None: rules only.
    line_model: Any = None
    generic: SiteProfile = field(init=False)

    def __post_init__(self) -> None:
        names = [p.name for p in self.profiles]
        if "generic" not in names:
            raise ValueError("the profiles must include one named `generic`")
        if len(set(names)) != len(names):
            raise ValueError("two site profiles share a name")
        object.__setattr__(self, "generic", next(p for p in self.profiles if p.name == "generic"))

    def __repr__(self) -> str:
        return f"ProfileSet({', '.join(p.name for p in self.profiles)})"

    @classmethod
    def from_dicts(
        cls,
        items: Iterable[Mapping[str, Any]],
        job_lexicon: Mapping[str, Any] | None = None,
        line_model: Mapping[str, Any] | None = None,
    ) -> ProfileSet:
        from .job import JobLexicon
        from .line_model import LineModel

        lexicon = JobLexicon.from_dict(job_lexicon) if job_lexicon else None
        model = LineModel.from_dict(line_model) if line_model else None
        return cls(tuple(SiteProfile.from_dict(d) for d in items), lexicon, model)

    @property
    def sites(self) -> tuple[SiteProfile, ...]:
        return tuple(p for p in self.profiles if p.name != "generic")

    def get(self, name: str | None) -> SiteProfile | None:
        return next((p for p in self.sites if p.name == name), None)

    def recognise(self, url: str | None, text: str = "") -> SiteProfile | None:
        """The site of a page: by URL when known, else by markers in its text."""
        if url:
            for p in self.sites:
                if p.matches_url(url):
                    return p
        head = text[:6000]
        for p in self.sites:
            if p.matches_text(head):
                return p
        return None
