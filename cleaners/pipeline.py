"""`clean_page`: one saved page in, its clean documents out.

decode → extract → normalise → strip boilerplate → split documents → segment → flags.
Each step is a function of its own module; this module only composes them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from .boilerplate import cut_tail_questions, is_notice, matching_view, strip_boilerplate, strip_chunk_markers
from .charclass import HEADING_START, PINYIN_GLOSS, SENTENCE_PUNCT
from .decode import decode_bytes
from .document import Page, Record, Removal
from .errors import EmptyPageError
from .extract import ChromeTest, Extracted, extract_html
from .flags import document_flags
from .hard_wrap import unwrap
from .job import job_evidence, job_fields
from .knowledge import ProfileSet
from .line_model import MODEL_RULE, MODEL_SPAN_RULE, strip_by_model
from .markers import find_markers, rejoin_split_markers
from .normalise import normalise_chars, normalise_line, split_lines
from .opener import cut_openers
from .page_noise import cut_page_noise
from .profiles import Rule, SiteProfile
from .running_header import cut_running_headers
from .segment import segment
from .site_template import TemplateSet, apply_template, site_group
from .split import DocumentPart, names_a_part, numbered_part_titles, split_documents
from .teaser import cut_teaser_copies

_HTML_SNIFF = re.compile(r"^\s*(?:<!doctype\s+html|<html|<head|<body|<meta|<div|<p[\s>]|<!--)", re.I)
STRIP_ROUNDS = 4
MODEL_RULES = (MODEL_RULE, MODEL_SPAN_RULE)
_WORD = re.compile(r"[^\W_]")
_SENTENCE_PUNCT = re.compile(r"[。！？!?；;，,]")
_FILE_SUFFIX = re.compile(r"\.(?:docx?|pdf|pptx?|xlsx?|txt|wps)(?:VIP)?$", re.I)
_CATEGORY_SUFFIX = re.compile(r"(?:_[^_]{1,12})+_?$")
_PART_NUMBER = re.compile(r"^第[一二三四五六七八九十\d]+篇")  # `第一篇:…` numbers a part: not its title


def looks_like_html(text: str) -> bool:
    return bool(_HTML_SNIFF.match(text[:2048])) or "</p>" in text[:20000] or "</div>" in text[:20000]


@dataclass(slots=True)
class PageLines:
    """A page decoded and extracted: its lines as every later step (and template learning)
    sees them, before any boilerplate is removed. Plain data, so that the batch can keep it
    between its learning and cleaning passes instead of extracting each page twice."""

    path: str | None
    lines: list[str]
    title: str | None  # the HTML <title>, normalised
    url: str | None  # the page's URL, or the canonical one its HTML names
    site: str | None  # the recognised profile's name
    removed: list[Removal]  # what extraction left out
    lossy: bool  # decoding replaced undecodable bytes
    fetched: str | None = None  # when the page was captured (WARC-Date), if known
    # How many of the `extract/outside-content` removals come before the content (Extracted's
    # `content_at`): the whole body can be rebuilt when cleaning empties the content.
    content_at: int | None = None


@dataclass(slots=True)
class Intake:
    """A page on its way in, between the steps of `page_lines`: decoded, its site recognised,
    its content extracted and its lines normalised."""

    page: Page
    html: str | None = None
    text: str | None = None
    lossy: bool = False  # decoding replaced undecodable bytes
    url: str | None = None
    site: SiteProfile | None = None
    known: bool = False  # the site was known before extraction (its selectors were used)
    ext: Extracted | None = None
    lines: list[str] = field(default_factory=list)
    title: str | None = None


IntakeStep = Callable[[Intake, ProfileSet], None]


def _decode(d: Intake, profiles: ProfileSet) -> None:
    """Bytes to text (the declared charset checked, never trusted blindly); HTML or a dump."""
    d.html, d.text = d.page.html, d.page.text
    if d.page.raw is not None:
        decoded = decode_bytes(d.page.raw, d.page.charset)
        d.lossy = decoded.lossy
        if d.page.kind == "html" or looks_like_html(decoded.text):
            d.html = decoded.text
        else:
            d.text = decoded.text
    elif d.text is not None and d.page.kind == "html":
        d.html, d.text = d.text, None


def _recognise_by_address(d: Intake, profiles: ProfileSet) -> None:
    """The site by the page's URL, else by the canonical link or <title> in its raw head, so
    that extraction already uses the site's selectors."""
    d.url = d.page.url
    d.site = profiles.recognise(d.url) if d.url else None
    if d.site is None and d.html is not None:
        d.site = _recognise_head(d.html, profiles)
    d.known = d.site is not None


def _extract(d: Intake, profiles: ProfileSet) -> None:
    """The content of an HTML page; a site recognised only now (by its canonical link, its
    text or the chrome outside its content) has the page extracted again with its selectors,
    so a page saved without its URL is cleaned as one saved with it."""
    if d.html is None:
        return
    site = d.site
    ext = extract_html(
        d.html,
        site.content_selectors if site else (),
        site.drop_selectors if site else (),
        _chrome_test(profiles),
    )
    if d.url is None and ext.url:
        d.url = ext.url
        site = profiles.recognise(d.url)
    if site is None:  # chrome outside the content still tells the site
        chrome = [r.text for r in ext.removed[:40]]
        site = profiles.recognise(
            None, "\n".join([ext.title or "", *ext.lines[:80], *ext.lines[-40:], *chrome])
        )
    if not d.known and site is not None and (site.content_selectors or site.drop_selectors):
        ext = extract_html(d.html, site.content_selectors, site.drop_selectors, _chrome_test(profiles))
    d.site, d.ext = site, ext


def _normalise(d: Intake, profiles: ProfileSet) -> None:
    """Lines as every later step reads them (characters and spaces normalised, a blob cut
    where its lines ended); the title likewise."""
    if d.ext is None:
        d.lines = profiles.reline(unwrap(split_lines(d.text or "")))
        return
    d.lines = _normalised(d.ext.lines, profiles)
    d.title = normalise_line(normalise_chars(d.ext.title)) if d.ext.title else None


def _recognise_by_text(d: Intake, profiles: ProfileSet) -> None:
    """A dump's site by the markers in its first and last lines."""
    if d.site is None and d.ext is None:
        d.site = profiles.recognise(None, "\n".join([*d.lines[:80], *d.lines[-40:]]))


INTAKE_STEPS: tuple[IntakeStep, ...] = (
    _decode,
    _recognise_by_address,
    _extract,
    _normalise,
    _recognise_by_text,
)
"""What `page_lines` does to a page, in order, before any boilerplate step."""


def page_lines(page: Page, profiles: ProfileSet) -> PageLines:
    """Decode, recognise the site, extract and normalise one page (`INTAKE_STEPS`)."""
    d = Intake(page)
    for step in INTAKE_STEPS:
        step(d, profiles)
    return PageLines(
        page.path,
        d.lines,
        d.title,
        d.url,
        d.site.name if d.site else None,
        list(d.ext.removed) if d.ext else [],
        d.lossy,
        page.fetched,
        d.ext.content_at if d.ext else None,
    )


def _normalised(lines: Sequence[str], profiles: ProfileSet) -> list[str]:
    """Extracted text lines as every step reads them: characters and spaces normalised, empty
    lines gone, a blob cut where its lines ended."""
    return profiles.reline(unwrap([ln for ln in (normalise_line(normalise_chars(x)) for x in lines) if ln]))


def whole_body(got: PageLines, profiles: ProfileSet) -> PageLines | None:
    """The page with the blocks extraction left outside its content put back in page order
    (None when that cannot be done): what is cleaned when the content left nothing."""
    if got.content_at is None:
        return None
    outside = [r.text for r in got.removed if r.rule == "extract/outside-content"]
    before, after = outside[: got.content_at], outside[got.content_at :]
    lines = [*_normalised(before, profiles), *got.lines, *_normalised(after, profiles)]
    removed = [r for r in got.removed if r.rule != "extract/outside-content"]
    return replace(got, lines=lines, removed=removed, content_at=None)


def _chrome_test(profiles: ProfileSet) -> ChromeTest | None:
    """Which lines are site notices (the notice lexicon, a cheap word test): what extraction
    discounts when the densest block of a page is a list of notices."""
    lex = profiles.generic.notices
    if lex is None:
        return None
    notices = lex

    def test(lines: Sequence[str]) -> list[bool]:
        return [is_notice(matching_view(ln), notices) for ln in lines]

    return test


_HEAD_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_HEAD_CANONICAL = re.compile(
    r"<(?:link[^>]+rel=[\"']?canonical[\"']?[^>]*href|meta[^>]+property=[\"']og:url[\"'][^>]*content)=[\"']([^\"']+)",
    re.I,
)


def _recognise_head(html: str, profiles: ProfileSet) -> SiteProfile | None:
    """The site named by the page's canonical link or <title>, read from the raw head."""
    head = html[:20000]
    if (m := _HEAD_CANONICAL.search(head)) and (site := profiles.recognise(m.group(1))):
        return site
    m = _HEAD_TITLE.search(head)
    return profiles.recognise(None, m.group(1)) if m else None


def clean_page(page: Page, profiles: ProfileSet, templates: TemplateSet | None = None) -> list[Record]:
    """The documents on one page; raises a CleanError subclass when there is none.

    `templates`: site templates learned from the batch (or given), applied before any rule."""
    return clean_lines(page_lines(page, profiles), profiles, templates)


LineStep = Callable[[list[str], tuple[Rule, ...], ProfileSet], tuple[list[str], list[Removal]]]


def _on_lines(step: Callable[[list[str]], tuple[list[str], list[Removal]]]) -> LineStep:
    """A step that reads nothing but the lines, in LINE_STEPS' shape."""
    return lambda lines, rules, profiles: step(lines)


def _openers(
    lines: list[str], rules: tuple[Rule, ...], profiles: ProfileSet
) -> tuple[list[str], list[Removal]]:
    return cut_openers(lines, profiles.generic.openers)


def _rules(
    lines: list[str], rules: tuple[Rule, ...], profiles: ProfileSet
) -> tuple[list[str], list[Removal]]:
    return strip_boilerplate(lines, rules, profiles.generic.notices)


def _running_headers(
    lines: list[str], rules: tuple[Rule, ...], profiles: ProfileSet
) -> tuple[list[str], list[Removal]]:
    lex = profiles.job_lexicon

    def structural(line: str) -> bool:
        bare = line.strip(" :：【】[]")
        return names_a_part(line) or (
            lex is not None and (lex.section_field(bare) is not None or lex.key_field(bare) is not None)
        )

    return cut_running_headers(lines, structural)


def _rejoin(
    lines: list[str], rules: tuple[Rule, ...], profiles: ProfileSet
) -> tuple[list[str], list[Removal]]:
    return rejoin_split_markers(lines), []


def _model(
    lines: list[str], rules: tuple[Rule, ...], profiles: ProfileSet
) -> tuple[list[str], list[Removal]]:
    if profiles.line_model is None:
        return lines, []
    return strip_by_model(lines, profiles.line_model, numbered_part_titles(lines))


LINE_STEPS: tuple[LineStep, ...] = (
    _on_lines(strip_chunk_markers),  # preview readers' `N、` before each page chunk
    _on_lines(cut_page_noise),  # anti-copy ASCII tokens on most lines
    _on_lines(cut_teaser_copies),  # head lines that copy a later sentence
    _openers,  # 范文-farm openers, by their grammar
    _rules,  # the site's and the generic profile's rules, every removal recorded
    _openers,  # again, now that the head's chrome lines are gone (an opener below five of them)
    _rejoin,  # markers broken by a hard wrap (`第10` / `条`)
    _running_headers,  # a PDF's page header or footer repeated through the document
    _on_lines(cut_tail_questions),  # a related-questions block closing the page
    _model,  # the learned line and sentence model
)
"""One pass of the line-level removals, in order. Each takes the lines, the page's rules and the
knowledge, and gives the lines left and what it removed."""


def _strip_once(
    lines: list[str], rules: tuple[Rule, ...], profiles: ProfileSet
) -> tuple[list[str], list[Removal]]:
    """One pass of LINE_STEPS."""
    removed: list[Removal] = []
    for step in LINE_STEPS:
        lines, gone = step(lines, rules, profiles)
        removed.extend(gone)
    return lines, removed


@dataclass(slots=True)
class Draft:
    """A page between the steps of `clean_lines`: each step reads it and rewrites it."""

    got: PageLines  # the page as decoded, recognised and extracted
    site: SiteProfile | None
    rules: tuple[Rule, ...]  # the site's rules first, then the generic ones
    lines: list[str]
    removed: list[Removal]
    preview: bool = False  # a preview marker was seen (the last document is then truncated)
    title: str | None = None  # the page's <title>, cleaned


PageStep = Callable[[Draft, ProfileSet, "TemplateSet | None"], None]


def _site_template(d: Draft, profiles: ProfileSet, templates: TemplateSet | None) -> None:
    """The lines the site prints on most of its pages (learned from the batch), first."""
    if not templates:
        return
    template = templates.for_page(site_group(d.got.url, d.got.path), d.got.url is not None, d.lines)
    if template is not None:
        d.lines, learned = apply_template(d.lines, template)
        d.removed.extend(learned)


def _preview_marker(d: Draft, profiles: ProfileSet, templates: TemplateSet | None) -> None:
    """Whether the page says it is a preview: its edges and the chrome removed so far."""
    chrome = [r.text for r in d.removed]
    d.preview = _preview_marker_seen([*d.lines[:30], *d.lines[-30:], *chrome], profiles.generic, d.site)


def _strip_to_fixed_point(d: Draft, profiles: ProfileSet, templates: TemplateSet | None) -> None:
    """LINE_STEPS until nothing more goes: the model reads a line's place among its neighbours
    and the rules read adjacency (a repeated line), so what the model removed changes what the
    rest see. The result is a fixed point: cleaning a cleaned text changes nothing."""
    for _ in range(STRIP_ROUNDS):
        d.lines, judged = _strip_once(d.lines, d.rules, profiles)
        d.removed.extend(judged)
        if not any(r.rule in MODEL_RULES for r in judged):
            break


def _some_words(d: Draft, profiles: ProfileSet, templates: TemplateSet | None) -> None:
    if not any(_WORD.search(line) for line in d.lines):  # punctuation alone is not a document
        raise EmptyPageError("no document text left after removing site chrome and boilerplate")


def _page_title(d: Draft, profiles: ProfileSet, templates: TemplateSet | None) -> None:
    """The <title> carries the same chrome as the page (counters, site names): stripped alike."""
    if d.got.title:
        kept, _ = strip_boilerplate([d.got.title], d.rules, profiles.generic.notices)
        d.title = clean_title(kept[0], d.site, profiles.generic) if kept else None


PAGE_STEPS: tuple[PageStep, ...] = (
    _site_template,
    _preview_marker,
    _strip_to_fixed_point,
    _some_words,
    _page_title,
)
"""What `clean_lines` does to a page after `page_lines` (decode, recognise the site, extract,
normalise), in order; then the page is split into documents and each is read (`_document`)."""


def clean_lines(got: PageLines, profiles: ProfileSet, templates: TemplateSet | None = None) -> list[Record]:
    """The documents of a page already decoded and extracted (`page_lines`). When cleaning
    leaves nothing of the block extraction chose (a list of notices or related titles that
    out-scored a short document), the whole body is cleaned instead, once."""
    try:
        return _clean_extracted(got, profiles, templates)
    except EmptyPageError:
        body = whole_body(got, profiles)
        if body is None:
            raise
        return _clean_extracted(body, profiles, templates)


def _clean_extracted(got: PageLines, profiles: ProfileSet, templates: TemplateSet | None) -> list[Record]:
    site = profiles.get(got.site)
    rules = (site.rules if site else ()) + profiles.generic.rules  # site rules win
    draft = Draft(got, site, rules, list(got.lines), list(got.removed))
    for step in PAGE_STEPS:
        step(draft, profiles, templates)
    documents = split_documents(draft.lines)
    return [_document(draft, part, doc, len(documents), profiles) for part, doc in enumerate(documents)]


def _document(d: Draft, part: int, doc: DocumentPart, parts: int, profiles: ProfileSet) -> Record:
    """One document of the page: its title, flags, section tree and job fields."""
    doc_lines = doc.lines
    # The title, headings and fields are read on the words, not on a mirror's pinyin glosses
    # (a glossed title is twice as long as its words); the text keeps what the page printed.
    read, _ = remove_glosses(doc_lines)
    page_title = d.title if part == 0 and not _lead_sentence(d.title, read) else None
    doc_title = doc.title or title_from_lines(read) or page_title
    flags = document_flags(doc_lines, d.preview and part == parts - 1, d.got.lossy)
    if parts > 1:
        flags.append("multi_document")
    sections = segment(read)
    job = None
    lexicon = profiles.job_lexicon
    if lexicon is not None:
        views = [matching_view(ln) for ln in read]
        if profiles.is_job(job_evidence(doc_title, read, sections, lexicon, views)):
            job = job_fields(doc_title, read, sections, lexicon, views)
        else:
            flags.append("not_job")
    return Record(
        text="\n".join(doc_lines),
        title=doc_title,
        source={
            "path": d.got.path,
            "url": d.got.url,
            "site": d.site.name if d.site else None,
            "part": part,
            "parts": parts,
            "fetched": d.got.fetched,
        },
        sections=sections,
        job=job,
        flags=flags,
        removed=d.removed if part == 0 else [],
    )


GLOSSED = 3
"""Pinyin glosses on a page that make it a glossed mirror (`產(chǎn)品部`)."""


def remove_glosses(lines: Sequence[str]) -> tuple[list[str], bool]:
    """The lines without their pinyin glosses when they are a glossed mirror (at least GLOSSED
    of them), and whether they were: what headings and job fields are read on."""
    if sum(len(PINYIN_GLOSS.findall(ln)) for ln in lines) < GLOSSED:
        return list(lines), False
    return [PINYIN_GLOSS.sub("", ln) for ln in lines], True


def _preview_marker_seen(lines: Sequence[str], generic: SiteProfile, site: SiteProfile | None) -> bool:
    markers = generic.truncation_markers + (site.truncation_markers if site else ())
    text = "\n".join(lines)
    if any(m.search(text) for m in markers):
        return True
    view = matching_view(text)  # mirrors in traditional script: only when the plain text had none
    return view != text and any(m.search(view) for m in markers)


def clean_title(title: str, site: SiteProfile | None, generic: SiteProfile | None = None) -> str | None:
    """A page title without site suffixes (`-原创力文档`: the site's own, then the generic
    profile's `title_suffix_pattern`), file extensions or category tails."""
    title = title.strip()
    for suffix in site.title_suffixes if site else ():
        if title.endswith(suffix):
            title = title[: -len(suffix)].strip()
    for profile in (site, generic):
        if profile is not None and profile.title_suffix_pattern is not None:
            title = profile.title_suffix_pattern.sub("", title).strip()
    title = _CATEGORY_SUFFIX.sub("", title).strip() or title
    title = _FILE_SUFFIX.sub("", title).strip()
    return title or None


_BRACKET_TITLE = re.compile(r"^【([^】]{2,40})】")


_SPACES = re.compile(r"\s+")


def _lead_sentence(title: str | None, lines: Sequence[str]) -> bool:
    """Whether a page's <title> is only the start of the document's first sentence: the first
    line begins with it, and it is a sentence itself or the line goes on with a clause mark
    (a CMS that titles a page with its lead, `…是指…职责范围` + `。`). Such a title says what the
    text says, so the document is judged as its text alone would be. A title the first line
    goes on from mid-word may be a real title glued to the text: kept."""
    if not title or not lines:
        return False
    head, first = _SPACES.sub("", title), _SPACES.sub("", lines[0])
    if not head or not first.startswith(head):
        return False
    return bool(SENTENCE_PUNCT.search(head[-1]) or _SENTENCE_PUNCT.match(first[len(head) : len(head) + 1]))


def title_from_lines(lines: Sequence[str]) -> str | None:
    """The document's own title: its first line when that is short and not a sentence or heading,
    or a `【title】` that content farms glue before the first sentence."""
    if lines and (m := _BRACKET_TITLE.match(lines[0])):
        return m.group(1)
    if lines:  # a title glued to the first heading: `生产制造部岗位职责一、总则…`
        first = find_markers(lines[0])
        if first and 4 <= first[0].start <= 40 and first[0].number == 1:
            head = lines[0][: first[0].start].strip()
            if not _SENTENCE_PUNCT.search(head):
                return head
    for line in lines[:2]:
        if (
            len(line) <= 60
            and not _SENTENCE_PUNCT.search(line)
            and not HEADING_START.match(line)
            and not _PART_NUMBER.match(line)
        ):
            return _FILE_SUFFIX.sub("", line).strip() or None
    return None
