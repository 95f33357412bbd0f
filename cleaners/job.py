"""Job-description fields from a document's section tree and lines.

`is_job_description` decides from the document's own words (its section titles, field keys and
duty lists, not a file name). `job_fields` maps sections to the contract's fields through the
lexicon in `data/lexicon/job.toml` and parses requirements: education into a fixed vocabulary
and years of experience into `min_years`/`max_years`, always keeping the raw words beside the
value. A number that probably lost its dash (`13年`) is left unparsed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from .boilerplate import matching_view
from .charclass import BULLET, HEADING_START, PINYIN_GLOSS, SENTENCE_PUNCT, unglossed
from .chartable import to_simplified
from .document import Section
from .flags import lost_dash_years
from .literals import may_match
from .markers import cn_to_int

EDUCATION_LEVELS = ("junior_high", "high_school", "associate", "bachelor", "master", "doctorate")
_NUM = r"(?:\d{1,2}|[一二两三四五六七八九十]{1,3})"
# What stands between a field's key and its value: a colon, a bar, a dash (`岗位名称——出纳`).
_KEY_SEP = r"(?:[:：|｜=＝]|[—－–]{1,2})"
_SEP_CHARS = " \t\u3000:：|｜=＝—－–"
_RANGE = re.compile(rf"({_NUM})\s*(?:年)?\s*[-~～〜至到—–－−]\s*({_NUM})\s*年")  # every dash and wave
_AT_LEAST = re.compile(rf"({_NUM})\s*(?:[+＋]\s*年|年(?:或)?(?:以上|及以上|或以上|以上的|左右|\s*[+＋]))")
_PLAIN_YEARS = re.compile(rf"(?<![\d.])({_NUM})\s*年(?![级度月代])")
_SPLIT_ITEMS = re.compile(r"(?<=[;；。])\s*")


@dataclass
class JobLexicon:
    """Section words and field keys of job descriptions (from data/lexicon/job.toml), with the
    patterns compiled from them once."""

    sections: Mapping[str, tuple[str, ...]]
    keys: Mapping[str, tuple[str, ...]]
    title_words: tuple[str, ...]
    meta_title_words: tuple[str, ...]
    doc_type_words: tuple[str, ...]
    not_job_title_words: tuple[str, ...]
    not_job_text: tuple[re.Pattern[str], ...]
    not_job_text_unless_jd_title: tuple[re.Pattern[str], ...]
    duty_verbs: tuple[str, ...]
    obligation_words: tuple[str, ...]
    role_suffixes: tuple[str, ...] = ()
    # The words of each education level (a regex alternation each), in the order they are tried.
    education_words: Mapping[str, str] = field(default_factory=dict)
    key_field_of: dict[str, str] = field(init=False)
    key_at_start: re.Pattern[str] = field(init=False)
    key_anywhere: re.Pattern[str] = field(init=False)
    section_field_of: dict[str, str] = field(init=False)
    section_words: re.Pattern[str] = field(init=False)
    section_label: re.Pattern[str] = field(init=False)
    duty: re.Pattern[str] = field(init=False)
    obligation: re.Pattern[str] = field(init=False)
    # Words of what a JD asks of a person (学历, 沟通能力 …), of a skill (熟练, 掌握 …), and the
    # endings of a certificate's name (证书, 资格证 …).
    quality_words: tuple[str, ...] = ()
    skill_words: tuple[str, ...] = ()
    certificate_endings: tuple[str, ...] = ()
    quality: re.Pattern[str] = field(init=False)
    skill: re.Pattern[str] = field(init=False)
    certificate: re.Pattern[str] = field(init=False)
    education: re.Pattern[str] = field(init=False)  # one named group per level
    # How postings and titles word things (job.toml [patterns]): regexes by name.
    patterns: Mapping[str, str] = field(default_factory=dict)
    not_majors: frozenset[str] = frozenset()
    no_experience_required: re.Pattern[str] = field(init=False)
    fresh_graduate: re.Pattern[str] = field(init=False)
    no_experience: re.Pattern[str] = field(init=False)  # either of the two above
    experience_context: re.Pattern[str] = field(init=False)
    majors: re.Pattern[str] = field(init=False)
    title_prefix: re.Pattern[str] = field(init=False)
    many_roles: re.Pattern[str] = field(init=False)
    jd_title_end: re.Pattern[str] = field(init=False)
    role_end: re.Pattern[str] = field(init=False)
    role_trim: re.Pattern[str] = field(init=False)
    role_subject: re.Pattern[str] = field(init=False)
    value_end: re.Pattern[str] = field(init=False)
    placeholder_value: re.Pattern[str] = field(init=False)
    duty_statement: re.Pattern[str] = field(init=False)
    asks: re.Pattern[str] = field(init=False)  # a minimum education or years asked for

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> JobLexicon:
        detect = data.get("detect", {})
        return cls(
            sections={k: tuple(v) for k, v in data["sections"].items()},
            keys={k: tuple(v) for k, v in data["keys"].items()},
            title_words=tuple(detect.get("title_words", ())),
            meta_title_words=tuple(detect.get("meta_title_words", ())),
            doc_type_words=tuple(detect.get("doc_type_words", ())),
            not_job_title_words=tuple(detect.get("not_job_title_words", ())),
            not_job_text=tuple(re.compile(p, re.S) for p in detect.get("not_job_text", ())),
            not_job_text_unless_jd_title=tuple(
                re.compile(p, re.S) for p in detect.get("not_job_text_unless_jd_title", ())
            ),
            duty_verbs=tuple(detect.get("duty_verbs", ())),
            obligation_words=tuple(detect.get("obligation_words", ())),
            role_suffixes=tuple(detect.get("role_suffixes", ())),
            education_words=dict(data.get("education", {})),
            quality_words=tuple(data.get("requirements", {}).get("quality_words", ())),
            skill_words=tuple(data.get("requirements", {}).get("skill_words", ())),
            certificate_endings=tuple(data.get("requirements", {}).get("certificate_endings", ())),
            patterns={k: v for k, v in data.get("patterns", {}).items() if isinstance(v, str)},
            not_majors=frozenset(data.get("patterns", {}).get("not_majors", ())),
        )

    def __post_init__(self) -> None:
        keys = sorted(((w, f) for f, ws in self.keys.items() for w in ws), key=lambda x: -len(x[0]))
        self.key_field_of = dict(keys)
        # Two-character keys (岗位, 部门, 上级) are words of running text too: they need a separator.
        alternation = "|".join(
            re.escape(w) if len(w) > 2 else rf"{re.escape(w)}(?=\s*[:：|]|\s)" for w, _ in keys
        )
        self.key_at_start = re.compile(rf"^(?:{alternation})\s*{_KEY_SEP}?\s*(?![指是为填])")
        self.key_anywhere = re.compile(rf"(?:{alternation})\s*{_KEY_SEP}?")
        words = sorted(((w, f) for f, ws in self.sections.items() for w in ws), key=lambda x: -len(x[0]))
        self.section_field_of = dict(words)
        # Leftmost word first, the longest at one position: 任职资格与能力要求 → requirements.
        self.section_words = re.compile("|".join(re.escape(w) for w, _ in words))
        # A section word used as a label inside running text (`…维系；任职要求：1、…`, `【工作职责】`,
        # `岗位职责=====`), as job boards write a posting in one paragraph. Two-character words
        # (职责, 要求) need brackets, or a colon and a clause boundary before them.
        long_words = "|".join(re.escape(w) for w, _ in words if len(w) > 2)
        short_words = "|".join(re.escape(w) for w, _ in words if len(w) <= 2)
        all_words = "|".join(re.escape(w) for w, _ in words)
        self.section_label = re.compile(
            rf"(?:{long_words})\s*(?:[:：]|={{2,}})|【\s*(?:{all_words})\s*】"
            rf"|(?:^|(?<=[\s。；;，,]))(?:{short_words})\s*[:：]",
            re.M,
        )
        verbs = "|".join(self.duty_verbs)
        self.duty = re.compile(rf"^[-•·\s]*(?:\S{{0,4}}?[.、．)）]\s*)?.{{0,4}}?(?:{verbs})")
        # An obligation in the first words (`司机应…`, `必须遵守…`): a duty stated as a rule.
        obligations = "|".join(re.escape(w) for w in self.obligation_words) or "(?!)"
        self.obligation = re.compile(rf"^[-•·\s]*.{{0,6}}?(?:{obligations})")
        self.quality = re.compile("|".join(map(re.escape, self.quality_words)) or "(?!)")
        self.skill = re.compile("|".join(map(re.escape, self.skill_words)) or "(?!)")
        endings = "|".join(map(re.escape, self.certificate_endings)) or "(?!)"
        self.certificate = re.compile(rf"([^\s,，;；。:：、]{{2,20}}?(?:{endings}))")
        unknown = set(self.education_words) - set(EDUCATION_LEVELS)
        if unknown:
            raise ValueError(f"unknown education levels in the lexicon: {sorted(unknown)}")
        levels = self.education_words.items()
        self.education = re.compile("|".join(f"(?P<{lvl}>{words})" for lvl, words in levels) or "(?!)")
        # What a posting asks of applicants: `本科及以上学历`, `大专以上`, `3年以上…经验`.
        level = "|".join(words for _, words in levels) or "(?!)"
        self.asks = re.compile(
            rf"(?:{level})(?:或)?(?:及以上|以上|或以上)?学历"
            rf"|(?:{level})(?:及|或)?以上"
            rf"|{_NUM}\s*年(?:或)?(?:以上|及以上)?[^，,。；;\n]{{0,12}}经验"
        )

        self._compile_patterns()

    def _compile_patterns(self) -> None:
        """The [patterns] regexes as attributes; a missing one matches nothing."""
        names = (
            "no_experience_required",
            "fresh_graduate",
            "experience_context",
            "majors",
            "title_prefix",
            "many_roles",
            "jd_title_end",
            "role_end",
            "role_trim",
            "role_subject",
            "value_end",
            "placeholder_value",
            "duty_statement",
        )
        unknown = set(self.patterns) - set(names)
        if unknown:
            raise ValueError(f"unknown patterns in the lexicon: {sorted(unknown)}")
        for name in names:
            setattr(self, name, re.compile(self.patterns.get(name, "(?!)")))
        self.no_experience = re.compile(
            f"{self.no_experience_required.pattern}|{self.fresh_graduate.pattern}"
        )

    def section_field(self, title: str) -> str | None:
        """The field a section title maps to: the first lexicon word in its head (longest first)."""
        m = self.section_words.search(matching_view(title)[:12])
        return self.section_field_of[m.group(0)] if m else None

    def key_field(self, key: str) -> str | None:
        return self.key_field_of.get(key)


def _flatten(sections: Sequence[Section]) -> Iterable[Section]:
    for s in sections:
        yield s
        yield from _flatten(s.children)


_CLAUSE_CUT = re.compile(r"[，,；;、]$")


def _node_text(node: Section) -> str:
    """A node's own words: its title and text (its children are items of their own). A title
    cut at a clause (a long first sentence) runs on into its text."""
    joiner = "" if _CLAUSE_CUT.search(node.title) else " "
    return joiner.join(x for x in (node.title, node.text) if x).strip()


def _items(node: Section) -> list[str]:
    """The items under a section: its children, else its text split into lines or sentences."""
    if node.children:
        out = []
        for child in node.children:
            sub = _items(child) if child.children else []
            out.append(" ".join([_node_text(child), *sub]).strip())
        return [x for x in out if x]
    parts = [p.strip() for p in node.text.split("\n") if p.strip()]
    if len(parts) == 1:
        parts = [p for p in _SPLIT_ITEMS.split(parts[0]) if p.strip()]
    return [x for p in parts if (x := BULLET.sub("", p))]


# Words of requirements on a person: a JD asks for them, most other documents do not.
_LABELLED_BULLET = re.compile(r"(?:^|\s)[-•·]\s*[\u4e00-\u9fff]{2,8}[:：]", re.M)
_PROSE_LINE = re.compile(r"[，,。；;]")


def _is_explainer(title: str, mentions: int, lex: JobLexicon) -> bool:
    """A document about job descriptions (how to write one, what one is), not one itself:
    its title says so, or its prose keeps naming the document type (`mentions` times)."""
    return any(w in title for w in lex.meta_title_words) or mentions >= 3


def _prose(lines: Sequence[str]) -> str:
    """The lines that are sentences (long and punctuated), joined."""
    return "\n".join(ln for ln in lines if len(ln) >= 20 and _PROSE_LINE.search(ln))


@dataclass(frozen=True, slots=True)
class JobEvidence:
    """What a document shows of being a job description, counted once: the rules decide on it
    (`rules_say_job`) and the learned model reads it as features (`features`)."""

    explainer: bool  # it talks about job descriptions (how to write one)
    vetoed_title: bool  # a title that names another kind of document (制度, 合同, 试卷 …)
    other_shape: bool  # the text has the shape of a contract, exam, plan or procedure
    articles: bool  # numbered articles (第一条 … 第三条): a regulation, unless a JD title says so
    jd_title: bool  # the title names a job description (岗位说明书, 岗位职责 …)
    role_title: bool  # the title is a role (ends with a role noun)
    named: int  # distinct JD fields named by section titles and key–value keys
    labelled: int  # more fields named only as labels inside running text (0 when not needed)
    duties: int  # lines or items that state a duty
    lines: int
    qualities: int  # distinct words of what a JD asks of a person (学历, 沟通能力 …)
    asks: bool  # a minimum education or years of experience asked for
    questions: int  # lines that end with a question mark
    role_sections: int  # section titles that are roles (a page about many roles)
    role_lines: int  # distinct short lines that are roles (labels of a page about many roles)
    doc_type_mentions: int  # prose naming the document type (岗位说明书 …): writing about JDs
    chars: int

    def rules_say_job(self) -> bool:
        """The hand-written decision: vetoes first, then a score of JD evidence of at least 2."""
        if self.explainer or self.vetoed_title or self.other_shape or (self.articles and not self.jd_title):
            return False
        score = structure_score(self.jd_title, self.named, self.duties, self.qualities)
        # A posting in one paragraph: its parts are labels inside the text, and it asks for a
        # minimum education with 学历 or years of experience.
        return score >= 2 or score + self.labelled + self.asks >= 2

    def features(self) -> dict[str, float]:
        """Length-normalised features of the evidence, for the learned model (job_model.py)."""
        n = max(1, self.lines)
        return {
            "rules": float(self.rules_say_job()),
            "explainer": float(self.explainer),
            "vetoed_title": float(self.vetoed_title),
            "other_shape": float(self.other_shape),
            "articles": float(self.articles and not self.jd_title),
            "jd_title": float(self.jd_title),
            "role_title": float(self.role_title),
            "named": min(self.named, 6) / 3,
            "labelled": min(self.labelled, 4) / 2,
            "duties_some": float(self.duties >= 1),
            "duties_list": float(self.duties >= 3),
            "duty_share": min(1.0, self.duties / n),
            "qualities": min(self.qualities, 6) / 3,
            "asks": float(self.asks),
            "short": float(self.lines <= 3),
            "questions": min(1.0, self.questions / n),
            "role_sections": min(self.role_sections, 6) / 3,
            "many_roles": float(max(self.role_lines, self.role_sections) >= 3),
            "doc_type_mentions": min(self.doc_type_mentions, 4) / 2,
            "size": min(1.0, math.log1p(self.chars) / math.log1p(20000)),
        }


def structure_score(jd_title: bool, named: int, duties: int, qualities: int) -> int:
    """The rules' score of a document's JD structure: a JD title counts 2, each field it names 1,
    a duty list 2 (a single duty 1), two requirement words or more 1."""
    return 2 * jd_title + named + (2 if duties >= 3 else duties >= 1) + (qualities >= 2)


def job_evidence(
    title: str | None,
    lines: Sequence[str],
    sections: Sequence[Section],
    lex: JobLexicon,
    views: Sequence[str] | None = None,
) -> JobEvidence:
    """The JD evidence of a document, judged by its own structure and words. `views` are the
    lines' matching views when the caller has them already."""
    title_view = matching_view(title or "")
    views = views if views is not None else [matching_view(ln) for ln in lines]
    body = "\n".join(views)[:8000]
    nodes = list(_flatten(sections))
    fields = {lex.section_field(s.title) for s in nodes} - {None, "info"}
    # the employer's name is stated by contracts and notices as much as by postings: not evidence
    keys = {f for view in views[:80] for f in _line_keys(view, lex)} - {"other", "organization"}
    # Duties: lines, or items of run-together lines, that start with a duty verb.
    duty_lines = sum(1 for v in views if lex.duty.match(v))
    if len(views) <= 2:  # a blob (an HTML page whose paragraphs ran into one): its sentences
        duty_lines = max(duty_lines, sum(1 for x in SENTENCE_PUNCT.split(body) if lex.duty.match(x.strip())))
    duty_items = sum(1 for s in nodes if lex.duty.match(matching_view(s.title)))
    labelled_bullets = len(_LABELLED_BULLET.findall(body))  # ` - 菜品制作:根据…` on job boards
    role = names_a_role(title_view, lex)
    jd_title = any(w in title_view for w in lex.title_words)
    duties = max(duty_lines, duty_items, labelled_bullets)
    qualities = len(set(lex.quality.findall(body)))
    labelled = 0
    if structure_score(jd_title, len(fields | keys), duties, qualities) < 2:
        # Labels inside running text are looked for only when the rest does not make it a JD
        # (the label pattern is the slowest test here), as the rules read them.
        labels = {lex.section_field(m.group(0).strip("【】:：= ")) for m in lex.section_label.finditer(body)}
        labelled = len((fields | labels | keys) - {None, "info"}) - len(fields | keys)
    prose = _prose(views)
    mentions = sum(prose.count(w) for w in lex.doc_type_words) if prose else 0
    return JobEvidence(
        explainer=_is_explainer(title_view, mentions, lex),
        # 管理制度及岗位职责 is a JD; 岗位职责及制度 or 人员设置规定 is not; 解决方案技术专家 names a role.
        vetoed_title=any(w in title_view for w in lex.not_job_title_words)
        and not lex.jd_title_end.search(title_view)
        and not role,
        other_shape=any(p.search(body) for p in lex.not_job_text),
        articles=any(p.search(body) for p in lex.not_job_text_unless_jd_title),
        jd_title=jd_title,
        role_title=role,
        named=len(fields | keys),
        labelled=labelled,
        duties=duties,
        lines=len(views),
        qualities=qualities,
        asks=bool(lex.asks.search(body)),
        questions=sum(1 for v in views if v.rstrip().endswith(("?", "？"))),
        role_sections=sum(1 for s in sections if s.level == 1 and names_a_role(matching_view(s.title), lex)),
        role_lines=len(
            {
                c
                for v in views
                if len(v) <= 20
                and len(c := _ITEM_MARK.sub("", v).strip(" :：")) <= 12
                and names_a_role(c, lex)
            }
        ),
        doc_type_mentions=mentions,
        chars=sum(map(len, views)),
    )


def is_job_description(
    title: str | None,
    lines: Sequence[str],
    sections: Sequence[Section],
    lex: JobLexicon,
    views: Sequence[str] | None = None,
) -> bool:
    """Whether the hand-written rules take a document for a job description."""
    return job_evidence(title, lines, sections, lex, views).rules_say_job()


_TRAILING_ASIDE = re.compile(r"(?<!\s)\s*(?:(?<![(（【])[(（【][^)）】]*[)）】]|[-—_|].*)$")


def names_a_role(title: str, lex: JobLexicon) -> bool:
    """A title that is a role: it ends, before any bracketed aside, with a role noun."""
    core = _TRAILING_ASIDE.sub("", title.strip()).strip()
    return 2 <= len(core) <= 20 and core.endswith(lex.role_suffixes)


def _line_keys(view: str, lex: JobLexicon) -> list[str]:
    """Field keys of a key–value line, or of a table flattened into a line (two keys or more)."""
    found = [f for k in lex.key_anywhere.findall(view[:200]) if (f := lex.key_field(k.rstrip(_SEP_CHARS)))]
    if lex.key_at_start.match(view) or len(set(found) - {"other"}) >= 2:
        return found
    return []


def _good_value(value: str, lex: JobLexicon) -> bool:
    """A field value, not a sentence, a placeholder or another label."""
    return (
        1 <= len(value) <= 20
        and not lex.placeholder_value.fullmatch(value)
        and lex.section_field(value) is None
        and not lex.key_anywhere.match(value)
    )


def key_values(views: Sequence[str], lex: JobLexicon, lines: Sequence[str] | None = None) -> dict[str, str]:
    """Values of key–value lines (`岗位名称：客服主管`) and of flattened tables
    (`岗位名称客服主管所属部门运营部直接上级客服经理`): the text between one key and the next.
    Keys are found on the lines' matching views; a value is cut from its line as printed
    (traditional script kept, pinyin glosses left out) when `lines` are given."""
    out: dict[str, str] = {}
    for i, view in enumerate(views[:120]):
        if not _line_keys(view, lex):
            continue
        words = unglossed(lines[i]) if lines is not None else view
        if len(words) != len(view):
            words = view
        marks = list(lex.key_anywhere.finditer(view))
        for k, m in enumerate(marks):
            end = marks[k + 1].start() if k + 1 < len(marks) else len(view)
            seen, value = _value_span(view, words, m.end(), end, lex)
            fld = lex.key_field(m.group(0).rstrip(_SEP_CHARS))
            if not seen and k + 1 == len(marks) and i + 1 < len(views) and fld in _CELL_FIELDS:
                seen, value = _cell_below(views, lines, i + 1, lex)
            if fld and fld != "other" and fld not in out and _good_value(seen, lex):
                out[fld] = value
    return out


_CELL_FIELDS = frozenset({"title", "department", "reports_to", "subordinates", "headcount"})
"""Fields read from the cell below their key: a place or a company name has no shape to tell it
from the next key of a blank form (`工作地点` / `所辖人员`), a role, a unit or a count seldom does."""


def _cell_below(
    views: Sequence[str], lines: Sequence[str] | None, i: int, lex: JobLexicon
) -> tuple[str, str]:
    """A form printed one cell a line (`所属部门` / `运营部`): the value of a key that ends its
    line is the next line, when that is a short value and not a key, a heading or a sentence."""
    view = views[i].strip()
    if not view or _line_keys(view, lex) or _KV_OR_SENTENCE.search(view) or HEADING_START.match(view):
        return "", ""
    words = (lines[i] if lines is not None else views[i]).strip()
    return view, words if len(words) == len(view) else view


def _value_span(view: str, words: str, start: int, end: int, lex: JobLexicon) -> tuple[str, str]:
    """A field's value between its key's end and the next key, as read (`view`) and as printed
    (`words`, the same length): separators stripped, cut where the value ends."""
    seen = view[start:end]
    lead = len(seen) - len(seen.lstrip(_SEP_CHARS))
    stop = start + len(seen.rstrip(_SEP_CHARS))
    start += lead
    if stop <= start:
        return "", ""
    if cut := lex.value_end.search(view, start, stop):
        stop = cut.start()
    return view[start:stop].strip(), words[start:stop].strip()


_ITEM_MARK = re.compile(r"^[\s\-•·]*(?:\d{1,2}[.、．)）]|[(（]\d{1,2}[)）])\s*")


def _names_many_roles(title: str, lex: JobLexicon) -> bool:
    return bool(lex.many_roles.search(to_simplified(unglossed(title))))


_LATIN_GLOSS = re.compile(
    r"^(?:[A-Za-z]+[\s&/,.'-]+){2,}(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])(?:[\s&/,.'-]+[A-Za-z]+){2,}$"
)
"""An English rendering of two words or more before or after a Chinese title (a one-word prefix
such as `Java` or `IT` is part of the role)."""


def role_from_title(title: str | None, lex: JobLexicon) -> str | None:
    """`客户经理岗位说明书(1)` → `客户经理`; `仓库管理员核心职责解析` → `仓库管理员`. None for a
    title that names a collection of many roles' descriptions (`…岗位职责汇编`): what it
    names before them is a company or a department, not the role."""
    if not title or _names_many_roles(title, lex):
        return None
    t = lex.title_prefix.sub("", PINYIN_GLOSS.sub("", title).strip())
    t = re.sub(r"\.(?:docx?|pdf)(?:VIP)?$", "", t)
    t = _LATIN_GLOSS.sub("", t).strip() or t  # `Customer Service Supervisor 客服主管`: the role's own words
    m = lex.role_end.search(to_simplified(t))  # found on the simplified view, cut from the original
    if m:
        t = t[: m.start()]
    role = lex.role_trim.sub("", re.sub(r"[(（【][^)）】]*[)）】]?$|[(（【\s\-_:：]+$", "", t)).strip(
        " -_:：(（"
    )
    return role if 1 < len(role) <= 16 else None


def roles_from_text(lines: Sequence[str], lex: JobLexicon) -> list[str]:
    """What the first lines name as their subject: the first sentence's subject (`生产总监是企业…`
    → `生产总监`) or a title glued to the text (`保安岗位职责说明书全集引言…` → `保安`), as the
    first; then the titles glued to the start of the next lines. A page whose own title names
    another role than the document under it (a sharing site's mislabelled upload) has the
    document's title there."""
    out: list[str] = []
    for line in lines[:3]:
        m = lex.role_subject.match(_ITEM_MARK.sub("", line))
        if m and not out:
            out.append(m.group(1))
            continue
        m = lex.role_end.search(to_simplified(line[:24]))
        if not m or m.start() < 2 or (out and _KV_OR_SENTENCE.search(line[: m.start()])):
            continue
        if role := role_from_title(line[: m.end()], lex):
            out.append(role)
        elif not out:
            break  # the first line's glued title names no role: as before, nothing after it
    return out


def parse_education(text: str, lex: JobLexicon) -> dict[str, Any] | None:
    """The lowest education level named (`本科及以上` → bachelor, which includes 硕士 and 博士)."""
    sentences = [s for s in re.split(r"[;；。\n]", text) if lex.education.search(s)]
    if not sentences:
        return None
    # The requirement is worded as a minimum (`硕士及以上学历`), an aside (`可接受博士学历应届生`) is not.
    sentence = next(
        (s for s in sentences if "学历" in s and "以上" in s),
        next((s for s in sentences if "学历" in s), sentences[0]),
    )
    # The lowest level named in that sentence: `大专或本科以上` admits 大专.
    found = [m for m in lex.education.finditer(sentence) if m.lastgroup]
    lowest = min(found, key=lambda m: EDUCATION_LEVELS.index(m.lastgroup or ""))
    return {"raw": _clause_around(sentence, found[0].start(), found[-1].end()), "level": lowest.lastgroup}


_CLAUSE_BREAK = re.compile(r"[,，;；。!！?？]|\s{2,}|\s(?=\S{2,}\s)")
RAW_AROUND = 16  # characters of a run-on clause kept either side of what was read


def _clause_around(sentence: str, start: int, end: int) -> str:
    """The clause of a sentence that holds `start:end` (what a parse read), as printed: a
    requirement's own words, not the flattened table or run-on paragraph around it; a clause
    with no break in it is cut RAW_AROUND characters either side."""
    left = max((m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, start)), default=0)
    right = next((m.start() for m in _CLAUSE_BREAK.finditer(sentence, end)), len(sentence))
    if start - left > RAW_AROUND:  # cut where a list item or a cell starts, if one is near
        left = start - RAW_AROUND
        if m := _ITEM_BREAK.search(sentence, left, start):
            left = m.end()
    if right - end > RAW_AROUND:
        right = end + RAW_AROUND
        right = max((m.start() for m in _ITEM_BREAK.finditer(sentence, end, right)), default=right)
    return sentence[left:right].strip()


_ITEM_BREAK = re.compile(r"[、/\s]+")


def _num(s: str) -> int | None:
    return int(s) if s.isdigit() else cn_to_int(s.replace("两", "二"))


def parse_experience(text: str, lex: JobLexicon) -> dict[str, Any] | None:
    """Years of experience: `3年以上` → min 3; `1-3年` → 1..3; `经验不限`/`应届` → 0.
    A lost dash (`13年` beside 经验) is kept raw and left unparsed."""
    for sentence in re.split(r"[;；。\n]", text):
        stated = _stated_years(sentence) if lex.experience_context.search(sentence) else None
        # `1-2年工作经验，应届生亦可`: the years are the bar, 应届 an exception; `经验不限` is none.
        none = lex.no_experience.search(sentence)
        if none and (stated is None or lex.no_experience_required.search(sentence)):
            return {
                "raw": _clause_around(sentence, none.start(), none.end()),
                "min_years": 0,
                "max_years": 0 if lex.fresh_graduate.search(sentence) else None,
            }
        if stated is not None:
            at = _years_span(sentence)
            raw = _clause_around(sentence, *at) if at else sentence.strip()
            return {"raw": raw, "min_years": stated[0], "max_years": stated[1]}
    return None


def _years_span(sentence: str) -> tuple[int, int] | None:
    """Where a sentence states its years (the first of the forms `_stated_years` reads)."""
    for pattern in (_RANGE, _AT_LEAST, _PLAIN_YEARS):
        if m := pattern.search(sentence):
            return m.start(), m.end()
    return None


def _stated_years(sentence: str) -> tuple[int | None, int | None] | None:
    """(min, max) years a sentence states; (None, None) for a lost dash (`13年`: never guessed)."""
    if lost_dash_years(sentence):
        return None, None
    m = _RANGE.search(sentence)
    if m:
        return _num(m.group(1)), _num(m.group(2))
    m = _AT_LEAST.search(sentence)
    if m and "岁" not in sentence[m.end() : m.end() + 2]:
        return _num(m.group(1)), None
    m = _PLAIN_YEARS.search(sentence)
    if m and "经验" in sentence:
        return _num(m.group(1)), None
    return None


def _verbatim(parse: Callable[[str], dict[str, Any] | None], text: str) -> dict[str, Any] | None:
    """`parse` run on the simplified view of the text (the same length, character for
    character), its `raw` then taken from the text itself at the same place."""
    view = to_simplified(text)
    found = parse(view)
    if found is None or view == text:
        return found
    at = view.find(found["raw"])
    if at >= 0:
        found["raw"] = text[at : at + len(found["raw"])]
    return found


def parse_requirements(items: Sequence[str], lex: JobLexicon) -> dict[str, Any]:
    text = "\n".join(items)
    majors = list(
        dict.fromkeys(  # each once, in the order named
            major
            for m in (lex.majors.finditer(text) if may_match(lex.majors, text) else ())
            for major in _ITEM_MARK.sub("", m.group(1)).split("、")
            if major and not lex.education.search(major) and major not in lex.not_majors
        )
    )[:8]
    return {
        # read on the simplified view (a mirror in traditional script writes 大學專科), `raw`
        # taken verbatim from the text
        "education": _verbatim(partial(parse_education, lex=lex), text),
        "majors": majors,
        "experience": _verbatim(partial(parse_experience, lex=lex), text),
        "skills": [
            i
            for i in items
            if lex.skill.search(i) and not lex.education.search(i) and not parse_experience(i, lex)
        ][:20],
        "certificates": list(dict.fromkeys(m.group(1) for m in lex.certificate.finditer(text)))[:10],
        "other": [
            i
            for i in items
            if not lex.skill.search(i) and not lex.education.search(i) and not parse_experience(i, lex)
        ][:20],
    }


def _pick_role(named: str | None, from_title: str | None) -> str | None:
    """The 岗位名称 field names the role, unless it disagrees with the document's title (a page
    holding several documents can carry another role's field)."""
    if named and (not from_title or len(set(named) & set(from_title)) >= 2):
        return named
    return from_title or named


def _duty_list(sections: Sequence[Section], lex: JobLexicon) -> list[str]:
    """The first run of sibling items most of which start with a duty verb (`1、负责…`
    `2、组织…` right after the title): the duties of a JD that names no duty section."""
    siblings = [list(sections)]
    while siblings:
        group = siblings.pop(0)
        # the first list when the numbering starts again at 1 (the duties, then a 任职资格 list
        # under a bare label), then the whole group
        for run in (_first_run(group), group):
            duty = [s for s in run if s.marker and _states_a_duty(s, lex)]
            if len(duty) >= 2 and len(duty) >= 0.6 * len(run):
                return [_node_text(_without_next_label(s, lex)) for s in run if s.marker]
        siblings.extend(s.children for s in group if s.children)
    return []


def _without_next_label(node: Section, lex: JobLexicon) -> Section:
    """An item without a last text line that is the next part's label (`任职要求`), which the
    segmenter leaves in the text of the item before it when the label has no marker."""
    head, _, last = node.text.rpartition("\n")
    label = matching_view(last).strip(" 【】[]:：")
    if len(label) <= LABEL_CHARS and lex.section_field(label) not in (None, "responsibilities"):
        return replace(node, text=head)
    return node


def _duty_areas(title: str | None, sections: Sequence[Section], lex: JobLexicon) -> list[str]:
    """A document titled as duties (`电工岗位职责`) whose numbered top-level sections map to no
    field: they are its areas of duty (`一、电气设备维护与故障处理` over `1. 负责…`), and their
    items are the responsibilities."""
    words = _CJK_RUN.findall(title or "")
    if not words or lex.section_field(words[-1][-TITLE_TAIL:]) != "responsibilities":
        return []  # the title must end naming duties (`…岗位职责`), not duties and more
    areas = [s for s in sections if s.marker and lex.section_field(s.title) is None]
    if not areas or any(s.marker and lex.section_field(s.title) for s in sections):
        return []  # some parts are named fields: the duties, if any, are one of them
    items = [item for s in areas for item in (_items(s) if s.children else [_node_text(s)])]
    dutylike = sum(
        1 for x in items if lex.duty.search(v := matching_view(x)[:DUTY_AT]) or lex.obligation.search(v)
    )
    return items if len(items) >= 3 and dutylike >= 2 else []


DUTY_AT = 8  # a duty verb or an obligation this near an item's start (`司机应…`, `对维修后…负责`)
TITLE_TAIL = 4  # the title's last characters that must name duties (`岗位职责`)


def _first_run(group: Sequence[Section]) -> list[Section]:
    """The sibling sections up to where their numbering starts again at 1."""
    for k, s in enumerate(group):
        if k and s.marker and s.number == 1 and any(x.marker for x in group[:k]):
            return list(group[:k])
    return list(group)


LABEL_CHARS = 16  # a label line (`岗位职责要求`, `【工作内容】`) is a section word and little else


def _states_something(item: str, lex: JobLexicon) -> bool:
    """An item with words in it: not a blank form's placeholder (`略`) or a lone word a line
    break left (`负责`)."""
    return len(item.strip()) >= 3 and not lex.placeholder_value.fullmatch(item.strip())


def _stated_duties(lines: Sequence[str], lex: JobLexicon) -> list[str]:
    """The duties a form states one by one (`职责一` ⏎ `职责表述：负责现金收付…` ⏎ `工作时间百分比`),
    each once: what the form says the duties are, whatever its cells around them hold."""
    text = "\n".join(lines)
    if not may_match(lex.duty_statement, text):
        return []
    found = (m.group(1).strip(" :：") for m in lex.duty_statement.finditer(text))
    return list(dict.fromkeys(x for x in found if len(x) >= 4))


def _labelled_list(lines: Sequence[str], views: Sequence[str], lex: JobLexicon, fld: str) -> list[str]:
    """The numbered (or bulleted) lines right after a label line of `fld` (`岗位职责要求` ⏎ `1. 负责…`,
    `岗位职责` ⏎ `• 负责…`), up to the next label: a list the segmenter left flat because its label
    has no marker or colon."""
    for k, view in enumerate(views[:-1]):
        label = view.strip(" 【】[]:：")
        first = views[k + 1]
        mark = _ITEM_MARK if _ITEM_MARK.match(first) else BULLET if BULLET.match(first) else None
        if len(label) > LABEL_CHARS or lex.section_field(label) != fld or mark is None:
            continue
        items: list[str] = []
        for line, v in zip(lines[k + 1 :], views[k + 1 :], strict=False):
            if mark.match(v):
                items.append(mark.sub("", line).strip())
            elif len(v.strip(" 【】[]:：")) <= LABEL_CHARS and lex.section_field(v.strip(" 【】[]:：")):
                break  # the next part's label
            elif items:
                items[-1] += line.strip()  # an item's text that ran onto the next line
        items = [x for x in items if x]
        return items if len(items) >= 2 else []
    return []


def _listed_description(sections: Sequence[Section], lex: JobLexicon) -> list[str]:
    """The numbered items under a description heading (`岗位描述：` ⏎ `1.分析…`): a posting
    that calls its duty list a description."""
    for node in _flatten(sections):
        if lex.section_field(node.title) == "summary":
            marked = [c for c in node.children if c.marker]
            if marked:
                return [_node_text(c) for c in marked]
    return []


def _opening_list(lines: Sequence[str], views: Sequence[str], lex: JobLexicon) -> list[str]:
    """A numbered list that opens the document right under its title, up to where its numbering
    starts again (`1.` … `8.`, then `1. 本科以上学历…`): job boards put the duties first. Not when
    a third of its items ask for an education, years or skills (requirements first)."""
    if len(views) < 3 or not _ITEM_MARK.match(views[1]):
        return []
    items: list[str] = []
    for line, v in zip(lines[1:], views[1:], strict=False):
        m = _ITEM_MARK.match(v)
        if not m or (items and re.match(r"\D*1\D", m.group(0))):
            break
        items.append(_ITEM_MARK.sub("", line).strip())
    asks = sum(1 for x in items if lex.education.search(x) or parse_experience(x, lex) or lex.skill.search(x))
    if len(items) < 2 or asks >= len(items) / 3 or max(map(len, items)) > ITEM_CHARS:
        return []
    return items


ITEM_CHARS = 150  # a longer "item" is a flattened page run into its number, not a duty


AREA_TITLE = 16  # `信息管理:负责…`: a duty area's name before its duties


def _states_a_duty(node: Section, lex: JobLexicon) -> bool:
    """An item that states a duty: it starts with a duty verb or an obligation (`应`, `须` …),
    or it names a duty area whose text does (`2. 会议协调:组织…`)."""
    title = matching_view(node.title)
    if lex.duty.match(title) or lex.obligation.match(title):
        return True
    first = matching_view(node.text.split("\n", 1)[0]) if node.text else ""
    return (
        len(title) <= AREA_TITLE
        and bool(first)
        and bool(lex.duty.match(first) or lex.obligation.match(first))
    )


def pick_role(title: str | None, lines: Sequence[str], kv: Mapping[str, str], lex: JobLexicon) -> str | None:
    """The role a JD is about, from candidates that pass the role-noun test (`names_a_role`):
    the 岗位名称 value, then what the title, an early short line or the first sentence's
    subject name, the one the text repeats most. Without a valid candidate, the old order:
    岗位名称 unless the title disagrees, the title, the subject."""
    named, from_title = kv.get("title"), role_from_title(title, lex)

    def valid(c: str | None) -> bool:
        return bool(c) and names_a_role(matching_view(c or ""), lex)

    if title and _names_many_roles(title, lex):
        return named if valid(named) else None  # a collection: no one role but a stated one

    if valid(named) and not (valid(from_title) and _pick_role(named, from_title) != named):
        return named
    early = [
        r
        for ln in lines[:6]
        if len(ln) <= 30 and not _KV_OR_SENTENCE.search(ln) and (r := role_from_title(ln, lex))
    ]
    subjects = roles_from_text(lines, lex)
    subject = subjects[0] if subjects else None
    candidates = [c for c in [from_title, *early, *subjects] if c and valid(c)]
    text = "\n".join(lines)
    counts = {c: text.count(c) for c in candidates}
    if from_title in counts and not _NOT_ONE_WORD.search(from_title or ""):
        # `管理员` for `仓库管理系统管理员`: the title's role, shortened: its mentions are the title's
        short = [c for c in counts if c != from_title and from_title and from_title.endswith(c)]
        counts[from_title] += sum(counts.pop(c) for c in short)
        candidates = [c for c in candidates if c in counts]
    if candidates:
        return max(candidates, key=lambda c: (counts[c], -candidates.index(c)))
    fallback = _pick_role(named, from_title) or subject
    if fallback is None or HEADING_START.match(fallback) or _a_label(fallback, lex):
        # a heading's or a section label's words are not a role (`任职` of `任职要求：`)
        return _role_noun_in(lines[:ROLE_LINES], text, lex)
    return fallback


def _tidy_role(role: str | None) -> str | None:
    """The role's words: without a heading's marker (`一、总经理`) or a conjunction the title went
    on from (`门卫管理制度及` of `…及岗位职责`); None for what has no two letters (`、部门、` is)."""
    if role is None:
        return None
    role = _ROLE_EDGES.sub("", HEADING_START.sub("", role)).strip()
    return role if len(_WORD_CHARS.findall(role)) >= 2 else None


_ROLE_EDGES = re.compile(r"^[\s、，,:：\-]+|[\s、，,:：\-]*(?:及|和|与)?[\s、，,:：\-]*$")
_WORD_CHARS = re.compile(r"[\u3400-\u9fffA-Za-z]")


def _a_label(words: str, lex: JobLexicon) -> bool:
    """Words that label a section or a field (`技能`, `职位信息`, `岗位职能`), not a role: what
    is left of a label line taken for a title when no candidate names a role."""
    view = matching_view(words).strip(" :：【】[]")
    return bool(
        _KV_OR_SENTENCE.search(view)
        or lex.section_field(view) is not None
        or lex.section_words.fullmatch(view + "要求")
        or lex.key_field(view) is not None
    )


_NOT_ONE_WORD = re.compile(r"[\s:：,，、/]")
ROLE_LINES = 10  # where a JD with no usable title names its role


def _role_noun_in(head: Sequence[str], text: str, lex: JobLexicon) -> str | None:
    """A role noun the opening lines use (`基础职责(适用于各层级厨师)` → 厨师), when neither the
    title, a line nor the subject gives a role and the fallback would be a heading: each word ending in a role suffix, and of its tails the one the
    text repeats most (the longest on a tie: a shorter tail that never occurs without it is a
    piece of it, `点师` of `面点师`)."""
    best: tuple[int, int, str] | None = None
    plain = matching_view(text)
    for line in head:
        view, words = matching_view(line), unglossed(line)
        words = words if len(words) == len(view) else view
        for m in _CJK_RUN.finditer(view):
            run = m.group(0)
            for end in range(2, len(run) + 1):
                if not run[:end].endswith(lex.role_suffixes):
                    continue
                for start in range(max(0, end - 6), end - 1):
                    if names_a_role(run[start:end], lex) and _starts_a_word(run[start:end], plain):
                        word = words[m.start() + start : m.start() + end]  # as printed
                        key = (text.count(word), len(word), word)
                        best = key if best is None or key > best else best
    return best[2] if best else None


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def _starts_a_word(word: str, text: str) -> bool:
    """The text shows where `word` starts, with no dictionary: it occurs twice or more, and
    once at least after something other than a Chinese character, or after two different
    ones (`厨师` after `级`, `名`, a bracket). A piece cut from a sentence (`够与团队成员`,
    `并进行长`) occurs once, or always after the same character."""
    before: set[str] = set()
    at = text.find(word)
    count = 0
    while at >= 0:
        count += 1
        prev = text[at - 1] if at else "\n"
        before.add(prev if "\u4e00" <= prev <= "\u9fff" else "")
        at = text.find(word, at + 1)
    return count >= 2 and ("" in before or len(before) >= 2)


_KV_OR_SENTENCE = re.compile(r"[:：。；;，,！？!?]")


def job_fields(
    title: str | None,
    lines: Sequence[str],
    sections: Sequence[Section],
    lex: JobLexicon,
    views: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The contract's `job` object for a document taken to be a job description."""
    lists: dict[str, list[str]] = {
        f: [] for f in ("responsibilities", "kpis", "compensation", "training", "career", "conditions")
    }
    requirement_items: list[str] = []
    summary: list[str] = []
    other: dict[str, str] = {}
    views = views if views is not None else [matching_view(ln) for ln in lines]
    kv = key_values(views, lex, lines)
    for node in _flatten(sections):
        fld = lex.section_field(node.title)
        if fld in lists and not lists[fld]:
            lists[fld] = _items(node)
        elif fld == "requirements":  # every requirements section (经验要求, then 任职资格要求)
            requirement_items += [x for x in _items(node) if x not in requirement_items]
        elif fld == "summary" and not summary:
            summary = [node.text] if node.text else _items(node)
        elif fld == "info":
            rows = [f"{c.title}:{c.text}" for c in node.children] + node.text.split("\n")
            kv = {**key_values([matching_view(x) for x in rows], lex, rows), **kv}
        elif fld is None and node.level == 1 and node.marker:
            key = lex.key_field(matching_view(node.title))
            if key and key != "other" and node.text and key not in kv:
                kv[key] = node.text.split("\n")[0].strip()
            elif not key:
                children = _items(node) if node.children else []
                other[node.title] = "\n".join(x for x in [node.text, *children] if x)
    if len(stated := _stated_duties(lines, lex)) >= 2:  # a form that states each duty
        lists["responsibilities"] = stated
    if not lists["responsibilities"]:  # a flat numbered duty list, with no duty heading above it
        lists["responsibilities"] = (
            _duty_areas(title, sections, lex)  # all the document's parts, before any one list
            or _duty_list(sections, lex)
            or _labelled_list(lines, views, lex, "responsibilities")
            or _listed_description(sections, lex)
            or _opening_list(lines, views, lex)
        )
    if not requirement_items:  # requirements stated without a section: look for them in the lines
        requirement_items = [
            ln
            for ln, v in zip(lines, views, strict=False)
            if lex.education.search(v) or parse_experience(v, lex)
        ][:10]
    requirements = parse_requirements(requirement_items, lex)
    # A posting often states education and years outside the section we took (in a paragraph
    # that runs every part together, or under a second requirements heading): the whole text.
    if requirements["education"] is None:
        requirements["education"] = _verbatim(partial(parse_education, lex=lex), "\n".join(lines))
    if requirements["experience"] is None:
        requirements["experience"] = _verbatim(partial(parse_experience, lex=lex), "\n".join(lines))
    role = _tidy_role(pick_role(title, lines, kv, lex))
    return {
        "title": role,
        "department": kv.get("department"),
        "reports_to": kv.get("reports_to"),
        "subordinates": kv.get("subordinates"),
        "headcount": kv.get("headcount"),
        "location": kv.get("location"),
        "organization": kv.get("organization"),
        "summary": "\n".join(summary).strip() or None,
        "responsibilities": [x for x in lists["responsibilities"] if _states_something(x, lex)],
        "requirements": requirements,
        "kpis": lists["kpis"],
        "compensation": lists["compensation"],
        "training": lists["training"],
        "career": lists["career"],
        "conditions": lists["conditions"],
        "other_sections": other,
    }
