"""HTML to title and text lines, with selectolax (lexbor).

A known site's profile names the content container (`content_selectors`) and the chrome to
drop (`drop_selectors`). Otherwise the container is chosen by text density: the element whose
own non-link text is largest, credited to its parent and grandparent as readability does.
Block elements and `<br>` end lines; table cells are separated by a space; scripts, styles,
navigation and forms are dropped. The DOM is walked iteratively so that deep nesting cannot
exhaust the Python stack.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .charclass import CJK
from .document import Removal

BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset figcaption figure "
    "footer h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody thead tfoot tr ul "
    "caption legend".split()
)
CELL_TAGS = frozenset({"td", "th"})
# Dropped with their content: invisible ones silently, visible chrome recorded as removed.
INVISIBLE_TAGS = [
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "canvas",
    "button",
    "input",
    "select",
    "textarea",
    "link",
    "meta",
]
CHROME_TAGS = "nav, form, header, footer, aside"
# Class/id words that mark chrome on document sites and CMS pages.
_CHROME_WORDS = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|header|footer|foot|sidebar|side|aside|breadcrumb|crumb|comment|comments|"
    r"related|recommend|share|login|register|toolbar|banner|ads?|advert|copyright|notice|tips?|pager|"
    r"pagination|hot|rank|download-?btn|vip)(?:$|[\s_-])",
    re.I,
)
_WS = re.compile(r"[ \t\r\n\f]+")


@dataclass(slots=True)
class Extracted:
    title: str | None
    lines: list[str]
    removed: list[Removal] = field(default_factory=list)
    # The page's canonical URL (<link rel=canonical> or og:url), when it names one.
    url: str | None = None
    # How many of the blocks recorded as outside the content (`extract/outside-content`, in page
    # order) come before it: the whole body can then be rebuilt when cleaning empties the
    # content. None when it cannot (the content is the body, or several matches wrapped).
    content_at: int | None = None


ChromeTest = Callable[[Sequence[str]], list[bool]]
"""Which of these lines are boilerplate (the pipeline passes its notice-lexicon test)."""


def extract_html(
    html: str,
    content_selectors: Iterable[str] = (),
    drop_selectors: Iterable[str] = (),
    is_chrome: ChromeTest | None = None,
) -> Extracted:
    """Title and text lines of the page's main content.

    `is_chrome`: when given, a short densest block whose prose is mostly boilerplate (a list of
    long site notices beside a one-paragraph document) gives way to the block with the most
    prose left once boilerplate is discounted."""
    tree = LexborHTMLParser(html)
    title = _page_title(tree)
    url = _canonical_url(tree)
    removed: list[Removal] = []
    for sel in drop_selectors:
        for node in tree.css(sel):
            text = node.text(separator=" ", strip=True)
            if text:
                removed.append(Removal("profile/drop-selector", _WS.sub(" ", text)[:500]))
            node.decompose()
    tree.strip_tags(INVISIBLE_TAGS)  # in C, content and all
    for node in tree.css(CHROME_TAGS):
        text = node.text(separator=" ", strip=True)
        if text:
            removed.append(Removal("extract/chrome-element", _WS.sub(" ", text)[:500]))
        node.decompose()
    body = tree.body
    if body is not None:
        removed.extend(Removal("extract/chrome-element", t) for t in _drop_link_lists(body))
    root, wrapped = _select_content(tree, content_selectors, is_chrome)
    content_at = None  # how many outside blocks come before the content, when that is known
    if body is None:
        lines, outside = (_text_lines(root) if root is not None else []), []
    elif root is None:
        lines, outside = [], _text_lines(body)
    elif wrapped and root is not None:
        lines = _text_lines(root)
        outside = _not_in(_text_lines(body), lines)
    else:
        cut_before, cut_after = _trim_to_run(root)
        lines, (before, after) = _text_lines(root), _outside_blocks(body, root)
        before, after = [*before, *cut_before], [*cut_after, *after]
        outside = [*before, *after]
        content_at = len(before) if outside else None
    removed.extend(Removal("extract/outside-content", ln) for ln in outside)
    return Extracted(title, lines, removed, url, content_at)


def _not_in(page_lines: list[str], kept: list[str]) -> list[str]:
    """Lines of the page that the content does not hold (as a multiset, in page order)."""
    left: dict[str, int] = {}
    for ln in kept:
        left[ln] = left.get(ln, 0) + 1
    out = []
    for ln in page_lines:
        if left.get(ln, 0):
            left[ln] -= 1
        else:
            out.append(ln)
    return out


def _canonical_url(tree: LexborHTMLParser) -> str | None:
    for sel, attr in (('link[rel="canonical"]', "href"), ('meta[property="og:url"]', "content")):
        node = tree.css_first(sel)
        value = (node.attributes.get(attr) or "").strip() if node is not None else ""
        if value.startswith(("http://", "https://")):
            return value
    return None


def _page_title(tree: LexborHTMLParser) -> str | None:
    for sel in ("h1", "title"):
        node = tree.css_first(sel)
        if node is not None:
            # A title is one line; more lines mean a scraper pasted text into it.
            first = next((ln for ln in node.text().splitlines() if ln.strip()), "")
            text = _WS.sub(" ", first).strip()
            if text:
                return text
    return None


def _select_content(
    tree: LexborHTMLParser, selectors: Iterable[str], is_chrome: ChromeTest | None = None
) -> tuple[LexborNode | None, bool]:
    """The element holding the document (None when the page holds no prose), and whether it
    is a new element wrapping several matches rather than a node of the page."""
    for sel in selectors:
        nodes = [n for n in tree.css(sel) if n.text(strip=True)]
        if nodes:
            return _wrap(nodes), len(nodes) > 1
    body = tree.body
    if body is None:
        return tree.root, False
    root = _densest(body, is_chrome)
    if root is not None:
        _drop_chrome(root)
    return root, False


def _drop_link_lists(body: LexborNode) -> list[str]:
    """Drop blocks labelled as chrome (related, nav, footer …) that are mostly links, and blocks
    of links only whatever their label (a sitemap, a tag cloud, a pager): they cannot be the
    document, and the density walk need not visit their nodes. Returns their text.

    Innermost blocks first, so a wrapper holding a short document and a long sitemap is judged
    on what is left once the sitemap has gone."""
    texts: list[str] = []
    for node in reversed(body.css("ul, ol, dl, div, section, table")):
        links = node.css("a")
        if not links:
            continue
        attrs = node.attributes
        labelled = bool(_CHROME_WORDS.search(f"{attrs.get('class') or ''} {attrs.get('id') or ''}"))
        if not labelled and len(links) < LINK_LIST_MIN:  # fewer may be a document's own links
            continue
        total = len(node.text(strip=True))
        linked = sum(len(a.text(strip=True)) for a in links)
        if total and linked <= (0.6 if labelled else LINK_LIST_SHARE) * total:
            continue
        text = _WS.sub(" ", node.text(separator=" ", strip=True)[:2000]).strip()
        if text:
            texts.append(text)
        node.decompose()
    return texts[::-1]


LINK_LIST_SHARE = 0.8
LINK_LIST_MIN = 5


def _drop_chrome(root: LexborNode) -> None:
    """Inside the chosen container, drop blocks labelled as chrome that hold little of its text."""
    total = len(CJK.findall(root.text())) or 1
    for node in root.css("[class], [id]"):
        attrs = node.attributes
        label = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
        if _CHROME_WORDS.search(label) and len(CJK.findall(node.text())) < 0.3 * total:
            node.decompose()


def _wrap(nodes: list[LexborNode]) -> LexborNode:
    if len(nodes) == 1:
        return nodes[0]
    html = "".join(n.html or "" for n in nodes)
    wrapper = LexborHTMLParser(f"<div>{html}</div>").css_first("div")
    assert wrapper is not None  # the parser always gives back the div it was handed
    return wrapper


# Elements that hold running text; their container, not they, is a candidate for the content.
_TEXT_BLOCKS = frozenset("p li dt h1 h2 h3 h4 h5 h6 blockquote span font b strong em i u".split())


def _densest(body: LexborNode, is_chrome: ChromeTest | None = None) -> LexborNode | None:
    """The container holding most of the page's prose, by CJK characters outside links.

    Text credits the container of its paragraph fully and that container's parent by half, as
    readability does, so a page of many short paragraphs still picks their common parent.
    """
    score: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    total = 0
    for node in body.traverse(include_text=True):
        if node.tag != "-text":
            continue
        block = node.parent
        if block is None or block.tag == "a":
            continue
        weight = _prose_weight(node.text_content or "")
        if not weight:
            continue
        total += weight
        while block is not None and block.tag in _TEXT_BLOCKS:
            block = block.parent
        parent = block.parent if block is not None else None
        if block is not None and block.tag in CELL_TAGS and parent is not None and parent.tag == "tr":
            parent = parent.parent  # a table's rows are its paragraphs: the half share goes to it
        for share, anc in ((1.0, block), (0.5, parent)):
            if anc is None or anc.tag == "html":
                continue
            nodes[anc.mem_id] = anc
            score[anc.mem_id] = score.get(anc.mem_id, 0.0) + weight * share
    if not score:
        return None  # no prose outside links: a page of navigation only
    ranked = sorted(score, key=score.__getitem__, reverse=True)
    best = _climb_repeats(_one_column_table(nodes[ranked[0]]), body)
    if is_chrome is not None and _mostly_chrome(best, is_chrome):
        return _least_chrome(body, [nodes[k] for k in ranked[:CANDIDATES]], is_chrome)
    if _prose_weight(best.text()) < 0.3 * total:
        return body
    return best


CANDIDATES = 6  # blocks weighed again when the densest one is mostly boilerplate
_LINE_BREAKING = "p, div, li, tr, br, dt, dd, h1, h2, h3, h4, h5, h6"
SHORT_BLOCK_LINES = 12  # a densest block of at most this many lines is checked for boilerplate
MIN_PROSE = 30  # prose (about CJK characters) a block needs to win over the body that way


def _mostly_chrome(node: LexborNode, is_chrome: ChromeTest) -> bool:
    """Whether most of the block's prose is boilerplate. Asked of short blocks only (a list of
    notices is a few lines; a block of many lines is not judged this way), so the usual page,
    whose densest block is a document of many lines, pays nothing for it."""
    if len(node.css(_LINE_BREAKING)) > 2 * SHORT_BLOCK_LINES:
        return False  # many blocks: not a short one (counted in C, before any line is built)
    lines = _text_lines(node)
    if len(lines) > SHORT_BLOCK_LINES:
        return False
    weights = [_prose_weight(ln) for ln in lines]
    chrome = sum(w for w, hit in zip(weights, is_chrome(lines), strict=True) if hit)
    return chrome > 0.5 * sum(weights)


def _clean_weight(node: LexborNode, is_chrome: ChromeTest) -> int:
    lines = _text_lines(node)
    return sum(_prose_weight(ln) for ln, hit in zip(lines, is_chrome(lines), strict=True) if not hit)


def _least_chrome(body: LexborNode, candidates: list[LexborNode], is_chrome: ChromeTest) -> LexborNode:
    """Of the densest blocks, the one with most prose once boilerplate is discounted; the whole
    body when none holds most of the page's remaining prose, or a sentence's worth."""
    weighed = [(_clean_weight(c, is_chrome), c) for c in (_climb_repeats(c, body) for c in candidates)]
    weight, best = max(weighed, key=lambda wc: wc[0])
    if weight < MIN_PROSE or weight < 0.5 * _clean_weight(body, is_chrome):
        return body  # no block holds a document: the body, for the later steps to judge
    return best


def _trim_to_run(root: LexborNode) -> tuple[list[str], list[str]]:
    """When the container's prose is a run of alike blocks (page boxes, paragraphs of one tag
    and class), the short blocks of another kind before or after the run are the page's, not
    the document's (a byline, a pager, a tag line, a date stamp): dropped, their texts given
    back (before, after) to be recorded. Blocks between the run's first and last are kept, and
    nothing is dropped unless the run holds RUN_SHARE of the prose."""
    children = [c for c in root.iter() if c.tag != "-text"]
    if len(children) < 3:
        return [], []
    weights = [_prose_weight(c.text()) for c in children]
    total = sum(w for c, w in zip(children, weights, strict=True) if c.tag not in _HEADINGS) or 1
    by_sig: dict[tuple[str, str], int] = {}
    for c, w in zip(children, weights, strict=True):
        by_sig[_signature(c)] = by_sig.get(_signature(c), 0) + w
    sig, held = max(by_sig.items(), key=lambda kv: kv[1])
    at = [k for k, c in enumerate(children) if _signature(c) == sig]
    if len(at) < 2 or held < RUN_SHARE * total:
        return [], []
    cut: tuple[list[str], list[str]] = ([], [])
    for k, (c, w) in enumerate(zip(children, weights, strict=True)):
        if at[0] <= k <= at[-1] or w > AFTER_RUN_MAX or c.tag in _HEADINGS or c.css_first(_HEADING_CSS):
            continue  # inside the run, long, or a heading (the document's title stands before it)
        text = _WS.sub(" ", c.text(separator=" ", strip=True)[:1000]).strip()
        if text:
            cut[k > at[-1]].append(text)
        c.decompose()
    return cut


_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_HEADING_CSS = "h1, h2, h3, h4, h5, h6"
RUN_SHARE = 0.7  # of the container's prose, held by its alike blocks
AFTER_RUN_MAX = 60  # prose of a block beside the run that may be dropped (about CJK characters)


def _signature(node: LexborNode) -> tuple[str, str]:
    return node.tag or "", node.attributes.get("class") or ""


def _climb_repeats(node: LexborNode, body: LexborNode) -> LexborNode:
    """From the densest block up to the container of the document's paragraphs.

    A page whose every paragraph sits in its own wrapper (`<div class=w><div><span>…`) makes one
    paragraph's wrapper the densest block, and its siblings would be lost. Climb while the node
    is its parent's only child with text (a wrapper chain), or while siblings of the same tag and
    class (the other paragraphs' wrappers) hold at least half as much prose as the node does.
    Chrome beside the document (notices, counters, link lists) has other tags or classes, so the
    climb stops at the document's container.
    """
    own = _prose_weight(node.text())
    while node.mem_id != body.mem_id and (parent := node.parent) is not None and parent.tag != "html":
        sig = _signature(node)
        alike = other = 0
        for child in parent.iter():
            if child.mem_id == node.mem_id:
                continue
            weight = _prose_weight(child.text())
            if _signature(child) == sig:
                alike += weight
            else:
                other += weight
        if not (alike + other == 0 or alike >= 0.5 * max(own, 1)):
            break
        node, own = parent, own + alike + other
    return node


def _one_column_table(node: LexborNode) -> LexborNode:
    """A cell of a table with one cell a row is a paragraph of a document laid out in rows: the
    table is the content. A cell beside others (a layout table's sidebar) stays the choice."""
    if node.tag not in CELL_TAGS:
        return node
    table = node.parent
    while table is not None and table.tag != "table":
        table = table.parent
    if table is None:
        return node
    rows = table.css("tr")
    if len(rows) < 3 or sum(1 for row in rows if len(row.css("td, th")) == 1) < 0.8 * len(rows):
        return node
    # A page laid out as header, content and footer rows has one row holding most of the prose.
    weights = [_prose_weight(row.text()) for row in rows]
    return table if max(weights) <= 0.6 * sum(weights) else node


def _prose_weight(text: str) -> int:
    """How much prose a text holds: characters beyond ASCII (CJK: 3 UTF-8 bytes each, so two
    extra bytes a character), or words for ASCII text. Cheap: it runs on every text node."""
    if text.isascii():
        return len(text.split()) // 2
    return (len(text.encode("utf-8")) - len(text)) // 2


def _up(node: LexborNode, n: int) -> LexborNode | None:
    up: LexborNode | None = node
    for _ in range(n):
        up = up.parent if up is not None else None
        if up is None:
            return None
    return up


def _outside_blocks(body: LexborNode, root: LexborNode) -> tuple[list[str], list[str]]:
    """The text of every block beside the path from the content up to <body>, in page order:
    those before the content and those after it.

    Read with selectolax's C text extraction, one string per block: chrome is recorded as
    removed without walking it node by node.
    """
    before: list[str] = []
    after: list[str] = []
    node = root
    while node is not None and node.mem_id != body.mem_id:
        parent = node.parent
        if parent is None:
            break
        seen_self = False
        left: list[str] = []
        for child in parent.iter(include_text=True):
            if child.mem_id == node.mem_id:
                seen_self = True
                continue
            raw = child.text_content if child.tag == "-text" else child.text(separator=" ", strip=True)
            text = _WS.sub(" ", (raw or "")[:2000]).strip()
            if text:
                (after if seen_self else left).append(text[:1000])
        before[:0] = left
        node = parent
    return before, after


def _text_lines(root: LexborNode) -> list[str]:
    """Text of an element as lines: blocks and <br> break lines, cells are spaced; inside <pre>
    a newline breaks the line too (a text file shown as it is: its lines are the document's)."""
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        line = _WS.sub(" ", "".join(buf)).strip()
        if line:
            lines.append(line)
        buf.clear()

    stack: list[tuple[LexborNode, bool, bool]] = [(root, False, root.tag == "pre")]
    while stack:
        node, leaving, in_pre = stack.pop()
        tag = node.tag
        if leaving:
            if tag in BLOCK_TAGS:
                flush()
            elif tag in CELL_TAGS:
                buf.append(" ")
            continue
        if tag == "-text":
            text = node.text_content or ""
            if in_pre and "\n" in text:
                *whole, rest = text.split("\n")
                for part in whole:
                    buf.append(part)
                    flush()
                text = rest
            buf.append(text)
            continue
        if tag == "br":
            flush()
            continue
        if tag in BLOCK_TAGS:
            flush()
        stack.append((node, True, in_pre))
        inside = in_pre or tag == "pre"
        children = list(node.iter(include_text=True))
        stack.extend((child, False, inside) for child in reversed(children))
    flush()
    return lines
