"""The learned boilerplate model, page-level noise and tail questions: mechanisms that must hold
on sites no rule knows. Pages here are written for the tests; the real pages are read from
../shared/corpus at run time (skipped when absent)."""

from __future__ import annotations

import json
import random
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.boilerplate import cut_tail_questions
from cleaners.line_model import LineModel, split_sentences, strip_by_model
from cleaners.page_noise import cut_page_noise, is_noisy_page
from harvester import train_line_model as train
from harvester.sites import LINE_MODEL

from .conftest import SHARED, clean_text

BODY = [
    "仓库管理员岗位说明书",
    "一、岗位职责",
    "1、负责仓库物资的入库验收、保管和发放工作，做好出入库登记，确保账物相符。",
    "2、定期盘点库存，及时上报呆滞物料和短缺情况，配合财务部门完成月度对账。",
    "3、保持库区整洁，落实防火、防潮、防盗措施，确保仓储安全。",
    "二、任职要求",
    "1、中专及以上学历，两年以上仓库管理经验，熟练使用办公软件和仓储系统。",
]


@pytest.fixture(scope="module")
def model() -> LineModel:
    return LineModel.from_dict(json.loads(LINE_MODEL.read_text(encoding="utf-8")))


def test_shipped_model_loads_with_a_threshold_per_zone(model):
    assert set(model.thresholds) >= {"pre", "post", "body", "span"}
    assert model.thresholds["body"] > model.thresholds["pre"]  # the body needs more evidence
    assert len(model.weights) > 1000


def test_model_keeps_a_clean_document_whole(model):
    kept, removed = strip_by_model(BODY, model)
    assert kept == BODY and removed == []


def test_model_never_empties_a_page(model):
    chrome = ["点击下载全文", "会员免费下载", "上一篇", "下一篇", "返回首页"]
    kept, _ = strip_by_model(chrome, model)
    assert kept  # a model may thin a page, never empty it


def test_lines_known_as_structure_are_never_cut(model):
    chrome = ["点击下载全文", "会员免费下载", "上一篇", "下一篇", "返回首页"]
    page = [*BODY, *chrome]
    kept, removed = strip_by_model(page, model)
    gone = {r.text for r in removed}
    assert gone  # the model cuts some of the tail's chrome ...
    at = next(i for i, ln in enumerate(page) if ln in gone)
    kept, removed = strip_by_model(page, model, keep={at})
    assert page[at] in kept and page[at] not in {r.text for r in removed}  # ... but not a kept line


def test_a_cut_pages_last_bulleted_items_are_judged_as_the_bodys_items(model):
    """A preview cut inside its last bulleted item: the lines after the last sentence of prose
    open with the bullet of the body's items, so they need the body's evidence to go, not the
    tail zone's (a page's chrome is not bulleted as its document is)."""
    body = [
        "行政岗位是企业中负责综合管理和协调支持的核心职位，其职责涵盖日常运营和资源管理等方面。",
        "一、日常行政事务管理",
        "- 监督办公区域清洁、绿化、安全及设施维修，确保办公环境整洁有序。",
        "- 管理办公用品采购、库存及分发，控制成本并优化资源利用。",
        "- 协调会议室、车辆、设备等共享资源的预约与调配，提高使用效率。",
        "二、制度执行与流程优化",
    ]
    tail = ["- 流程改进", "- 分析行政流程痛点(如审批慢、资源浪费),"]
    kept, removed = strip_by_model([*body, *tail], model)
    assert kept[-2:] == tail and not removed


def test_a_copyright_footer_glued_to_the_last_words_is_cut_as_a_sentence(model):
    """A blob's last line: the document's last words with the site's footer run into them and
    no sentence end between: the copyright sign opens a span of its own, which the model judges."""
    assert split_sentences("撰写人 审核人 日期©2010-2025 某某网络有限公司 版权所有") == [
        "撰写人 审核人 日期",
        "©2010-2025 某某网络有限公司 版权所有",
    ]
    last = "3、负责仓库的安全检查，做好记录©2010-2025 某某网络科技有限公司 版权所有 客服电话:400-000-0000"
    kept, removed = strip_by_model([*BODY, last], model)
    assert kept[-1] == "3、负责仓库的安全检查，做好记录" and removed[-1].text.startswith("©")


def test_removals_carry_the_model_and_its_score(model):
    page = [*BODY, "本站所有资料均来自网络，仅供学习交流，下载后请于24小时内删除，如有侵权请联系客服。"]
    kept, removed = strip_by_model(page, model)
    for r in removed:
        assert r.rule.startswith("model/") and r.score is not None and 0.0 <= r.score <= 1.0
    assert kept[: len(BODY)] == BODY


@given(
    st.lists(
        st.text(alphabet="岗位职责负责管理公司员工。，、？！下载会员本站1234abc :", max_size=40), max_size=12
    )
)
@settings(max_examples=150, deadline=None)
def test_model_output_comes_from_the_input_in_order(lines):
    model = LineModel.from_dict(json.loads(LINE_MODEL.read_text(encoding="utf-8")))
    lines = [ln.strip() for ln in lines if ln.strip()]
    kept, removed = strip_by_model(lines, model)
    source = iter(lines)
    for piece in kept:  # every kept line is an input line, or a run of its sentences, in order
        assert piece and any(piece in line for line in source)
    assert all(r.text for r in removed)


def test_sentences_join_back_to_the_line():
    line = "以下内容供参考。岗位职责如下：负责销售！是否需要加班？请看下文"
    assert "".join(split_sentences(line)) == line


def _noisy(lines, rng):
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#$%&*+-:;<=>?@[]^_{|}~"
    return [f"{ln} {''.join(rng.choice(alphabet) for _ in range(rng.randint(5, 10)))}" for ln in lines]


def test_anti_copy_tokens_on_most_lines_are_cut_and_the_text_is_kept():
    rng = random.Random(7)
    noisy = _noisy(BODY, rng)
    assert is_noisy_page(noisy)
    kept, removed = cut_page_noise(noisy)
    assert kept == BODY
    assert len(removed) == len(BODY) and all(r.rule == "generic/anti-copy-noise" for r in removed)


def test_technical_tokens_on_a_clean_page_stay():
    page = [
        "1、RS-232C信号电平标准采用负逻辑，+5V~+15V代表逻辑0。",
        "2、紧固件规格为 M3/P3 和 M4/P4，扭矩见附表。",
        "3、下列选项正确的是 A.",
        "4、接口速率 9600bps 时的误码率。",
        "5、供电电压 220V/50Hz。",
    ]
    assert not is_noisy_page(page)
    assert cut_page_noise(page) == (page, [])


def test_a_closing_run_of_short_questions_goes_a_question_inside_stays():
    page = [
        *BODY,
        "面试时常问哪些问题？",
        "仓库管理员的工资一般是多少？",
        "怎样写好岗位说明书？",
    ]
    kept, removed = cut_tail_questions(page)
    assert kept == BODY and [r.rule for r in removed] == ["generic/related-questions"] * 3
    one = [*BODY, "你准备好了吗？"]
    assert cut_tail_questions(one) == (one, [])


def test_page_counter_at_a_line_end_is_cut(profiles):
    page = "\n".join([*BODY[:3], BODY[3] + " 第1页共3页", *BODY[4:]])
    (rec,) = clean_text(page, profiles)
    assert "第1页共3页" not in rec.text and BODY[3] in rec.text


def test_the_first_line_is_left_to_the_rules(model):
    """The title slot: a short first line is never judged by the model."""
    page = ["下载中心首页推荐", *BODY[1:]]
    kept, _ = strip_by_model(page, model)
    assert kept[0] == "下载中心首页推荐"


@pytest.fixture(scope="module")
def labelled_pages(corpus_rows) -> list[train.PageLines]:
    """The real pages labelled line by line, as training labels them."""
    profiles = replace(train.load_profiles(), line_model=None)
    return [train.label_page(r, profiles) for r in corpus_rows]


@pytest.mark.corpus
def test_training_is_reproducible_and_matches_the_shipped_file(labelled_pages):
    pages = labelled_pages
    fresh = train.fit([ex for p in pages for ex in train.examples(p)] + train.external_examples(SHARED))
    shipped = LineModel.from_dict(json.loads(LINE_MODEL.read_text(encoding="utf-8")))
    assert fresh.thresholds == shipped.thresholds
    # Weights under 0.01 are pruned, so one near the cut may fall either side on another CPU.
    strong = {k for k, v in shipped.weights.items() if abs(v) > 0.02}
    assert strong <= set(fresh.weights) and set(fresh.weights) <= set(shipped.weights) | {
        k for k, v in fresh.weights.items() if abs(v) <= 0.02
    }
    assert max(abs(fresh.weights[k] - shipped.weights[k]) for k in strong) < 2e-3


@pytest.mark.corpus
def test_leave_one_site_out_on_the_largest_sites_leaks_less_and_loses_nothing_more(labelled_pages):
    """Sites held out one at a time (the eight with most pages): the model trained without a
    site must cut that site's leaks without losing its content."""
    pages = labelled_pages
    extra = train.external_examples(SHARED)
    counts: dict[str, int] = {}
    for p in pages:
        counts[p.site] = counts.get(p.site, 0) + 1
    sites = sorted(counts, key=lambda s: (-counts[s], s))[:8]
    judged = []
    for site in sites:
        model = train.fit([ex for p in pages if p.site != site for ex in train.examples(p)] + extra)
        judged.extend(train.Judged(p, model) for p in pages if p.site == site)
    before = train.score(judged, None)
    after = train.score(judged, dict(judged[0].model.thresholds))
    assert len(after.leaked) <= len(before.leaked)
    assert len(after.lost) <= len(before.lost) + 1


def test_a_chrome_run_glued_to_content_without_punctuation_is_not_cut_as_a_sentence(model):
    """A text blob: chrome run into the document with no sentence end between them. The first
    "sentence" then holds content, and is too long to be judged as a span."""
    head = "收藏 分销 下载 相关 举报 文档编号:3179780 上传时间:2024-06-24 格式:DOC 页数:16 大小:378KB "
    content = "财务经理岗位职责说明 一、岗位职责 1、组织领导企业财务管理、成本管理、资产管理和会计核算工作"
    line = head + content + "，确保财务制度有效执行。" + "2、审核各类财务报表，按期向总经理报告经营情况。"
    kept, _ = strip_by_model([*BODY, line], model)
    assert any("组织领导企业财务管理" in k for k in kept)
