"""范文-farm openers: removed by their grammar (a hand-over to an addressed reader, a rhetorical
question before it), whatever words the farm uses; a document's own sentences stay."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaners.opener import RULE, cut_openers

from .conftest import clean_text

DOC = [
    "一、岗位职责",
    "1、负责仓库物料的收发与登记,保证账实相符;",
    "2、负责每月库存盘点,编制盘点报告;",
    "3、负责仓库的安全与消防检查。",
    "二、任职要求",
    "1、中专及以上学历,一年以上仓库工作经验。",
]


@pytest.fixture(scope="module")
def grammar(profiles):
    assert profiles.generic.openers is not None
    return profiles.generic.openers


@pytest.mark.parametrize(
    "opener",
    [
        # a genre sentence, a question to the reader, the hand-over, in one paragraph
        "随着企业管理日益规范,岗位说明越来越受重视。你知道仓管员的职责该怎么写吗?下面是网友为大家带来的范本,供大家参考。",
        # the hand-over alone, in other words
        "以下为编辑部为您精选的仓管员职责范本,希望对您有所帮助。",
        # traditional script
        "在管理日漸規範的今天,崗位說明越來越受重視。那麼倉管員的職責怎麼寫呢?下面是小編爲大家整理的範本,歡迎大家參考。",
    ],
)
def test_an_opener_paragraph_goes_and_the_document_stays(opener, grammar):
    lines = ["仓管员岗位职责", opener, *DOC]
    kept, removed = cut_openers(lines, grammar)
    assert kept == ["仓管员岗位职责", *DOC]
    assert [r.rule for r in removed] == [RULE]


def test_a_question_paragraph_before_a_hand_over_line_goes_with_it(grammar):
    question = "企业里各个岗位都有自己的分工,明确分工十分重要。一般仓管员的职责是如何确定的呢?"
    hand_over = "接下来是我们为大家收集的几篇范文,仅供参考。"
    kept, removed = cut_openers(["仓管员岗位职责", question, hand_over, *DOC], grammar)
    assert kept == ["仓管员岗位职责", *DOC]
    assert len(removed) == 2


def test_the_documents_own_sentence_before_a_bare_hand_over_stays(grammar):
    own = "仓管员需要建立健全物料台账,做好出入库记录。"
    line = own + "以下是我收集整理的仓管员职责,下面和大家分享。"
    kept, _ = cut_openers(["仓管员岗位职责", line, *DOC], grammar)
    assert kept == ["仓管员岗位职责", own, *DOC]


@pytest.mark.parametrize(
    "line",
    [
        "您将负责仓库物料的收发与登记,并协助主管完成月度盘点。",  # a posting addresses the reader
        "本制度适用于公司全体员工,由行政部负责解释。",
        "以下内容由人力资源部整理,经总经理审批后执行。",  # 以下…整理 but no reader
        "我们希望你能帮助客户解决问题,并在团队中快速成长。",  # the reader helps; nobody helps the reader
    ],
)
def test_document_paragraphs_that_only_look_alike_stay(line, grammar):
    lines = ["仓管员岗位职责", line, *DOC]
    assert cut_openers(lines, grammar) == (lines, [])


def test_a_short_title_that_asks_stays(grammar):
    lines = ["仓管员的岗位职责是什么?", "以下是小编为大家整理的答案,供大家参考。", *DOC]
    kept, _ = cut_openers(lines, grammar)
    assert kept == [lines[0], *DOC]


def test_a_run_together_page_asking_deep_inside_is_not_cut_up_to_there(grammar):
    blob = "".join(DOC) * 6 + "您是否愿意接受挑战?"
    lines = ["仓管员招聘", blob]
    assert cut_openers(lines, grammar)[0] == lines


def test_openers_far_down_the_page_are_not_judged(grammar):
    late = "下面是小编为大家整理的更多范文,供大家参考。"
    lines = ["仓管员岗位职责", *DOC, late]
    assert cut_openers(lines, grammar)[0] == lines


def test_the_cleaner_removes_an_opener_by_this_rule(profiles):
    text = "\n".join(["仓管员岗位职责", "今天小编为大家推荐几篇仓管员职责范文,希望能帮到大家。", *DOC])
    rec = clean_text(text, profiles)[0]
    assert "小编" not in rec.text and DOC[1] in rec.text
    assert any(r.rule == RULE for r in rec.removed)


@given(
    st.lists(
        st.sampled_from([*DOC, "下面是小编为大家整理的范文,供大家参考。", "你知道仓管员怎么写吗?", "仓管员"]),
        max_size=10,
    )
)
def test_document_lines_are_never_cut(grammar, lines):
    """Whatever the mix, every line of the document survives, in order, and nothing is added."""
    kept, _ = cut_openers(lines, grammar)
    assert [ln for ln in kept if ln in DOC] == [ln for ln in lines if ln in DOC]
    assert all(any(ln in orig for orig in lines) for ln in kept)


def test_an_opener_below_several_chrome_lines_goes_too(profiles):
    """The head is counted again once the rules removed the site's lines above the opener."""
    chrome = [
        "首页 > 范文 > 岗位职责",
        "发布时间:2024-03-02 10:11:12 浏览:88",
        "网站首页 范文大全 工作总结 岗位职责 合同范本",
        "欢迎光临某某文档网",
        "职场 导航",
        "文档分类",
    ]
    opener = "企业管理日益规范,岗位说明越来越受重视。你知道仓管员的职责怎么写吗?下面是网友为大家带来的范本,供大家参考。"
    rec = clean_text("\n".join([*chrome, "仓管员岗位职责", opener, *DOC]), profiles)[0]
    assert "网友" not in rec.text and all(line in rec.text.split("\n") for line in DOC)
    assert any(r.rule == RULE for r in rec.removed)
