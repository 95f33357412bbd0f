"""Property tests: cleaning never crashes, is idempotent, and never invents text."""

from __future__ import annotations

import contextlib
import os
import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners import CleanError, Page, clean_page
from cleaners.boilerplate import compile_rules
from cleaners.charclass import PINYIN_GLOSS
from cleaners.literals import holds_any, may_match, required_literals
from cleaners.normalise import normalise_chars, normalise_line

PIECES = [
    "一、",
    "十一、",
    "（一）",
    "(二)",
    "1.",
    "１．",
    "2、",
    "(3)",
    "⑴",
    "①",
    "a.",
    "第一条",
    "1.1",
    "岗位职责",
    "任职资格:",
    "负责客户开发与维护",
    "本科及以上学历",
    "3年以上",
    "13年",
    "1.5万",
    "2023.06",
    "。",
    "，",
    ";",
    ":",
    "\n",
    "\n",
    " ",
    "\u3000",
    "\u200b",
    "版权说明:本文档由用户提供并上传,收益归属内容提供方,若内容存在侵权,请进行举报或认领",
    "该文档为VIP文档,如果想要下载,成为VIP会员后,下载免费。",
    "您可能关注的文档",
    "文档评论(0)",
    "已阅读5页,还剩3页未读",
    "- 车辆出入管理制度.docx",
    "当前位置: > 首页 > 范文",
    "发布时间:2024-01-01 12:00",
    "m7Z|y'VB&puB4d:B0",
    "━━━━",
    "以下是小编为大家整理的,希望对大家有所帮助。",
    "版權(quán)說(shuō)明",
    "<p>",
    "</div>",
    "&nbsp;",
]
page_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=40).map("".join)
FAST = settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _clean(text: str, profiles, kind: str = "text"):
    try:
        return clean_page(Page(text=text, kind=kind), profiles)
    except CleanError:
        return []


def _is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


_SPACE = re.compile(r"\s+")


@FAST
@given(page_text)
def test_cleaning_never_raises_on_any_text(profiles, text):
    for kind in ("text", "html"):
        for rec in _clean(text, profiles, kind):
            assert rec.text.strip()
            rec.to_dict()


@FAST
@given(page_text)
def test_cleaning_twice_equals_cleaning_once(profiles, text):
    first = _clean(text, profiles)
    if len(first) != 1:
        return
    again = _clean(first[0].text, profiles)
    assert [r.text for r in again] == [first[0].text]


@FAST
@given(page_text)
def test_output_characters_all_come_from_the_input(profiles, text):
    source = _SPACE.sub("", normalise_chars(text))
    for rec in _clean(text, profiles):
        assert _is_subsequence(_SPACE.sub("", rec.text), source)


_MARKERS = [
    "一、",
    "二、",
    "十一、",
    "（一）",
    "(二)",
    "1.",
    "2.",
    "１．",
    "3、",
    "(1)",
    "(2)",
    "1)",
    "⑴",
    "①",
    "②",
    "a.",
    "b.",
    "第一条",
    "第二条",
    "第一章",
    "1.1",
    "1.2",
    "㈠",
    "❶",
    "A、",
]
_WORDS = [
    "岗位职责",
    "任职资格:",
    "负责客户开发",
    "本科",
    "3年以上",
    "1.5万",
    "2023.06",
    "。",
    "；",
    ",",
    ":",
    " ",
    "须满足：",
    "一是",
    "客户经理岗位说明书",
    "(1)",
    "篇2",
    "目录",
    "……1",
]
doc_lines = st.lists(
    st.lists(
        st.one_of(st.sampled_from(_MARKERS), st.sampled_from(_WORDS), st.text(max_size=5)), max_size=8
    ).map("".join),
    max_size=20,
)


def _flatten(sections) -> str:
    return "".join(f"{s.marker}{s.title}{s.text}{_flatten(s.children)}" for s in sections)


_IGNORED = re.compile(r"[\s:：]")


@FAST
@given(doc_lines)
def test_segmentation_never_raises_and_round_trips(lines):
    from cleaners.segment import segment_with_preamble

    preamble, sections = segment_with_preamble(lines)
    assert _IGNORED.sub("", preamble + _flatten(sections)) == _IGNORED.sub("", "".join(lines))


@FAST
@given(doc_lines)
def test_splitting_keeps_every_line_in_order(lines):
    from cleaners.split import split_documents

    parts = split_documents(lines)
    assert [ln for p in parts for ln in p.lines] == list(lines)


_EXTENSIONS = [".html", ".txt", ".jsonl", ".jsonl.gz", ".warc.gz", ".warc", ""]


@settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "150")) // 3 or 1,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.binary(max_size=4096), st.sampled_from(_EXTENSIONS), st.booleans())
def test_readers_never_raise_on_any_bytes(profiles, tmp_path_factory, data, ext, gzipped):
    """Fuzz target for the readers: any bytes under any name give pages or errors, never an
    exception; and every page cleans or fails with a CleanError."""
    import gzip

    from harvester.inputs import InputError, read_pages

    path = tmp_path_factory.mktemp("fuzz") / f"input{ext}"
    path.write_bytes(gzip.compress(data) if gzipped and ext.endswith(".gz") else data)
    for item in read_pages(str(path), max_bytes=1 << 20):
        assert isinstance(item, Page | InputError)
        if isinstance(item, Page):
            with contextlib.suppress(CleanError):
                clean_page(item, profiles)


# Lines of 100,000 characters made of one short unit repeated: every pattern that retries a run
# at each of its positions is quadratic on one of these (a page once took 50 s).
_LONG_UNITS = sorted(set("a岗位职责负责1 \u3000-_.一、（小编，。：:；()【】·…|/PAGE共页第章条"))
_JD = "岗位职责：\n1、负责仓库物料的收发与盘点。\n任职要求：大专以上学历，三年以上仓库管理经验。"


@settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "150")) // 6 or 1,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.text(alphabet=st.sampled_from(_LONG_UNITS), min_size=1, max_size=5))
def test_100000_character_lines_of_any_shape_take_linear_time(profiles, unit):
    line = (unit * (100_000 // len(unit) + 1))[:100_000]
    for page in (
        Page(path="x.txt", text=f"{_JD}\n{line}\n{_JD}", kind="text"),
        Page(path="x.html", html=f"<title>{line}</title><p>{_JD}</p><p>{line}</p>", kind="html"),
    ):
        start = time.monotonic()
        with contextlib.suppress(CleanError):
            clean_page(page, profiles)
        assert time.monotonic() - start < 3.0, (page.kind, unit)


_RULE_TEXT = st.text(
    alphabet="下载本站文档会员VIP阅读页共第1234:：|/岗位职责负责()（）【】 。，", max_size=60
)


@given(_RULE_TEXT)
@settings(max_examples=300, deadline=None)
def test_a_line_without_a_rules_required_literals_is_one_it_cannot_match(profiles, text):
    """The literal gate (cleaners/literals.py) never skips a line a rule would match: for every
    rule of every profile, a match implies one of the derived literals is in the line."""
    for profile in profiles.profiles:
        book = compile_rules(profile.rules + profiles.generic.rules)
        joined = [p for p in (book.line_anywhere, book.any_fragment) if p is not None]
        for pattern in [rule.pattern for rule in profile.rules] + joined:
            if pattern.search(text):
                assert holds_any(text, required_literals(pattern)), (pattern.pattern[:60], text)


@given(st.text(alphabet="计算机会专业相关类等、，:本科学历及以上 ", max_size=50))
@settings(max_examples=300, deadline=None)
def test_the_job_lexicons_gated_patterns_never_skip_a_match(profiles, text):
    """`may_match` gates the requirements' majors pattern: it never says no where it matches."""
    majors = profiles.job_lexicon.majors
    if majors.search(text):
        assert may_match(majors, text)


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"注册会员|VIP", "成为VIP"),
        (r"下载\s*\d+次", "下载 12次"),
        (r"[权權]利", "權利"),
        (r"(?:阅读|浏览)\d+", "浏览3"),
    ],
)
def test_required_literals_are_found_in_what_the_pattern_matches(pattern, text):
    compiled = re.compile(pattern)
    literals = required_literals(compiled)
    assert literals and compiled.search(text) and holds_any(text, literals)
    assert not holds_any("岗位职责", literals)


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("岗 位 说 明 书", "岗位说明书"),
        ("第一节 被 申 请 人", "第一节 被申请人"),
        ("审 核 人:", "审核人:"),
        ("共 人 四、岗位职责", "共 人 四、岗位职责"),  # cells of a flattened form inside a line: kept
        ("负责 公司 的 日常 工作", "负责 公司 的 日常 工作"),  # words, not letters
        ("学 历", "学 历"),  # two characters: too little to tell
        ("岗 位 名 称：出纳", "岗位名称：出纳"),  # a form's key spread to its cell's width
        ("负 责 人:张三 审 核 人:李四", "负责人:张三 审核人:李四"),
    ],
)
def test_letter_spaced_words_that_end_a_line_are_closed_up(line, want):
    assert normalise_line(line) == want


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("三 、工作环境", "三、工作环境"),
        ("2 . 负责日常工作", "2. 负责日常工作"),
        ("1 .5万元以上", "1 .5万元以上"),  # a number, not a marker
        ("年薪 三 、四十万", "年薪 三 、四十万"),  # not at the line's start
    ],
)
def test_a_marker_spaced_from_its_stop_at_a_line_start_is_closed(line, want):
    assert normalise_line(line) == want


@given(st.text(alphabet="岗位说明书 审核人:，一、2.", max_size=40))
@settings(max_examples=300, deadline=None)
def test_normalising_a_line_only_removes_spaces_and_is_idempotent(line):
    once = normalise_line(line)
    assert once.replace(" ", "") == line.replace(" ", "").strip() and normalise_line(once) == once


def test_a_pinyin_gloss_in_full_width_brackets_is_a_gloss():
    assert PINYIN_GLOSS.sub("", "簡（jiǎn）介") == "簡介" and PINYIN_GLOSS.sub("", "簡(jiǎn)介") == "簡介"
