"""Boilerplate removal: the page-level hard cases (hard-cases.md 18–23) and its safety limits."""

from __future__ import annotations

import pytest

from cleaners.boilerplate import cut_ascii_noise, matching_view

from .conftest import all_text, clean_text

JD = """客服专员岗位说明书
一、岗位职责
1.接听客户来电,记录并跟进客户问题;
2.负责公司网站在线客服的接待与回复;
3.整理客户反馈,每周提交分析报告。
二、任职要求
1.大专及以上学历;
2.一年以上客服工作经验。"""


def _kept_and_removed(text, profiles):
    records = clean_text(text, profiles)
    return all_text(records), [r for rec in records for r in rec.removed]


def test_case18_numbered_site_notices_that_look_like_content(profiles):
    page = (
        "1、原创力文档(book118)网站文档一经付费(服务费),不意味着购买了该文档的版权,仅供个人学习之用。\n"
        "2、本站所有内容均由合作方或网友上传,本站不对文档的完整性做任何保证!\n"
        "3、该文档为VIP文档,如果想要下载,成为VIP会员后,下载免费。\n" + JD
    )
    kept, removed = _kept_and_removed(page, profiles)
    assert "一经付费" not in kept and "合作方或网友上传" not in kept and "VIP" not in kept
    assert "负责公司网站在线客服的接待与回复" in kept  # a duty that mentions 网站 stays
    assert len(removed) == 3


def test_case19_related_list_is_cut_to_its_end_not_only_its_heading(profiles):
    for heading, url, rule in (
        ("相关推荐", None, "generic/related-list"),
        ("您可能关注的文档", "https://max.book118.com/html/2024/0101/1.shtm", "book118/related-list"),
    ):
        page = JD + f"\n{heading}\n- 小学英语教学计划.docx\n- 消防安全检查表.pdf\n- 年度营销方案\n文档评论(0)"
        records = clean_text(page, profiles, url=url)
        kept = "\n".join(r.text for r in records)
        removed = [x for r in records for x in r.removed]
        assert "小学英语教学计划" not in kept and "消防安全检查表" not in kept and "年度营销方案" not in kept
        assert "文档评论" not in kept
        assert "2.一年以上客服工作经验。" in kept
        assert {r.rule for r in removed} == {rule}


def test_case19_other_related_headings(profiles):
    for heading in ("相关文档", "猜你喜欢", "热门推荐"):
        kept, _ = _kept_and_removed(JD + f"\n{heading}\n仓库管理制度.doc\n员工手册.pdf", profiles)
        assert heading not in kept and "员工手册" not in kept


def test_case20_counters_and_buttons(profiles):
    page = (
        "已阅读5页,还剩55页未读\n" + JD + "\n下载积分:5\n加入VIP,免费下载\n文档评论(0)\n阅读(1024)顶(3)踩(0)"
    )
    kept, _ = _kept_and_removed(page, profiles)
    for s in ("还剩55页未读", "下载积分", "加入VIP", "文档评论", "阅读(1024)"):
        assert s not in kept


def test_case20_preview_counter_marks_truncated(profiles):
    records = clean_text("已阅读5页,还剩55页未读\n" + JD, profiles)
    assert "truncated" in records[0].flags


def test_case21_site_summary_before_the_document(profiles):
    page = (
        "下载本文档\n版权说明:本文档由用户提供并上传,收益归属内容提供方,若内容存在侵权,请进行举报或认领\n"
        "文档简介\n" + JD
    )
    kept, _removed = _kept_and_removed(page, profiles)
    assert "文档简介" not in kept and "版权说明" not in kept and "下载本文档" not in kept
    assert clean_text(page, profiles)[0].source["site"] == "renrendoc"
    assert kept.count("客服专员岗位说明书") >= 1


def test_case22_title_suffixes_are_stripped(profiles):
    from .conftest import clean_html

    for title, site in (
        ("客户经理岗位说明书-原创力文档", "book118"),
        ("客户经理岗位说明书 - 人人文库", "renrendoc"),
    ):
        html = f"<html><head><title>{title}</title></head><body><div><p>一、岗位职责</p><p>负责客户开发与维护,完成销售目标。</p></div></body></html>"
        rec = clean_html(html, profiles)[0]
        assert rec.title == "客户经理岗位说明书"
        assert rec.source["site"] == site


def test_case23_traditional_mirror_with_pinyin_glosses(profiles):
    page = (
        "版權(quán)說(shuō)明:本文檔由用戶提供并上傳,收益歸屬內(nèi)容提供方,若內(nèi)容存在侵權(quán),請(qǐng)進(jìn)行舉報(bào)或認(rèn)領(lǐng)\n"
        "文檔簡(jiǎn)介\n" + JD
    )
    kept, _ = _kept_and_removed(page, profiles)
    assert "版權" not in kept and "文檔簡" not in kept


def test_metadata_lines_go_but_times_inside_duties_stay(profiles):
    page = (
        "上传人:w****g 文档编号:3179780 上传时间:2024-06-24 格式:DOC 页数:16 大小:378.04KB\n"
        + JD
        + "\n(1)每天值班时间为18:00—8:00;"
    )
    kept, _ = _kept_and_removed(page, profiles)
    assert "文档编号" not in kept and "378.04KB" not in kept
    assert "每天值班时间为18:00—8:00" in kept


def test_breadcrumbs_and_editor_intro(profiles):
    page = (
        "当前位置: > 公司范文 > 岗位职责\n发布时间:2025-07-11 12:42:01 查看人数:10\n"
        "以下是小编为大家整理的客服专员岗位说明书,欢迎大家借鉴与参考,希望对大家有所帮助。\n" + JD
    )
    kept, _ = _kept_and_removed(page, profiles)
    assert "当前位置" not in kept and "查看人数" not in kept and "小编" not in kept


def test_anti_scrape_noise_is_cut_but_acronyms_and_times_stay():
    line, cuts = cut_ascii_noise(
        "m7Z|y'VB&puB4d:B0一、按SOP执行(9:00-18:30),熟悉C++与Node.js。论坛 -6Wn0o9B(P H"
    )
    assert cuts[0] == "m7Z|y'VB&puB4d:B0"
    assert "SOP" in line and "9:00-18:30" in line and "C++" in line and "Node.js" in line
    assert cut_ascii_noise("PLC 程序版本(V3.2.1)、(SOP),")[1] == []


def test_matching_view_maps_mirrors_to_simplified():
    assert matching_view("文檔簡(jiǎn)介") == "文档简介"


def test_a_rule_hit_in_a_run_together_blob_costs_a_sentence_not_the_page(profiles):
    """A page whose paragraphs ran into one line behind a breadcrumb: the rule that would drop
    the line drops the breadcrumb's sentence, and the document stays (issue 13: spans)."""
    duties = "".join(
        f"{k}、负责仓库物料的收发与盘点工作，确保账物相符，按月编制库存报表。" for k in range(1, 14)
    )
    blob = "您现在的位置：首页 > 岗位职责 > 仓库管理员岗位职责。仓库管理员岗位职责。" + duties
    assert len(blob) > 400
    rec = clean_text(blob, profiles)[0]
    assert "8、负责仓库物料的收发" in rec.text and "您现在的位置" not in rec.text


def test_a_teaser_copying_the_body_s_sentences_above_the_title_is_cut(profiles):
    """Repetition, not wording (issue 13): the head line's first sentence is printed again below."""
    from cleaners import Page, clean_page

    body = [
        "一、员工应当遵守公司的各项规章制度和工作纪律。",
        "二、员工应当爱护公司财产，节约用水用电，保持环境整洁。",
        "三、员工应当按时上下班，不得无故迟到早退。",
        "四、员工请假须提前办理手续，经批准后方可离岗。",
        "五、违反本制度者，视情节轻重给予相应处理。",
    ]
    teaser = "二、员工应当爱护公司财产，节约用水用电，保持环境整洁。三、员工应当按时上下班，不得"
    (rec,) = clean_page(Page(text="\n".join(["员工守则", teaser, "员工守则范本", *body])), profiles)
    assert rec.text.splitlines()[-5:] == body and teaser not in rec.text
    assert [s.marker for s in rec.sections][:2] == ["一、", "二、"]
    assert any(r.rule == "generic/teaser-copy" for r in rec.removed)
    # a first sentence printed only once is the document's own opening, kept
    (kept,) = clean_page(
        Page(text="\n".join(["员工守则", "为规范员工行为，特制定本守则，请全体员工遵照执行。", *body])),
        profiles,
    )
    assert "为规范员工行为" in kept.text


_WAREHOUSE = [
    "仓管员岗位职责",
    "一、岗位职责",
    "1、负责仓库物料的收发与登记,保证账实相符;",
    "2、负责每月库存盘点,编制盘点报告;",
    "3、负责仓库的安全与消防检查。",
]


@pytest.mark.parametrize(
    "chrome",
    [
        "欢迎光临某某文档网",  # the welcome line
        "职场 导航",  # a section's navigation label
        "首页文档岗位",  # a breadcrumb printed without separators
        "本站客服QQ:12345678",  # site contact lines
        "客服热线:400-000-0000 投诉邮箱见页脚",
    ],
)
def test_site_identity_and_contact_lines_in_the_head_go(chrome, profiles):
    kept, removed = _kept_and_removed("\n".join([chrome, *_WAREHOUSE]), profiles)
    assert chrome not in kept and all(line in kept for line in _WAREHOUSE)
    assert any(chrome in r.text for r in removed)


@pytest.mark.parametrize("line", ["联系电话:13800000000", "客服专员岗位职责"])
def test_a_documents_own_contact_lines_stay(line, profiles):
    kept, _ = _kept_and_removed("\n".join([line, *_WAREHOUSE]), profiles)
    assert line in kept


def test_a_greeting_a_document_teaches_stays(profiles):
    line = "4、客人进门时主动问候:欢迎光临"
    kept, _ = _kept_and_removed("\n".join([*_WAREHOUSE, line]), profiles)
    assert line in kept


def test_a_readers_chunk_numbers_on_short_chunks_are_removed_and_the_documents_own_kept():
    """A preview reader numbers its page chunks `1、 2、 …` at the line starts; where a chunk
    begins with the document's own item (`4、 5、负责…`) the doubled numbers show whose the outer
    ones are, on chunks of any length. The document's own `一、` `二、` headings then form the tree."""
    from cleaners.boilerplate import strip_chunk_markers

    lines = [
        "1、 仓库主管岗位说明书 一、岗位信息 岗位名称:仓库主管 所属部门:物流部",
        "2、 二、岗位职责 1、负责入库验收 2、负责出库复核 3、负责库存",
        "3、 4、负责盘点并出具差异报告",
        "4、 5、负责货位规划 三、任职资格 大专以上学历",
        "5、 三年以上仓储管理经验",
    ]
    out, removed = strip_chunk_markers(lines)
    assert [r.rule for r in removed] == ["generic/preview-chunk-marker"] * 5
    assert out[2] == "4、负责盘点并出具差异报告" and out[0].startswith("仓库主管岗位说明书")
    # a document's own list, one item a line, is no reader's numbering
    own = ["1、负责入库验收。", "2、负责出库复核。", "3、负责库存盘点。"]
    assert strip_chunk_markers(own) == (own, [])


def test_chrome_run_into_the_first_heading_loses_only_the_chrome(profiles):
    """A reader's counter glued before the document's first heading on one line (`…还剩7页未读
    …一、岗位概述…`): the rule that takes the counter's line would take the heading too. The
    heading numbered 1 whose sequence goes on at a later line start (`二、`) is where the
    document starts: the chrome before it goes, the heading and its text stay."""
    head = "已阅读3页,还剩7页未读 继续免费阅读 仓库主管岗位说明书一、岗位概述仓库主管负责仓储日常管理。"
    lines = [head, "二、岗位职责", "1.负责入库验收。", "2.负责出库复核。", "三、任职资格", "大专以上学历。"]
    text = clean_text("\n".join(lines), profiles)[0].text
    assert "一、岗位概述仓库主管负责仓储日常管理。" in text and "还剩" not in text
    # without a sequence that goes on, the line is chrome as a whole
    alone = clean_text("\n".join([head.replace("一、", "一 "), *lines[1:]]), profiles)[0].text
    assert "岗位概述" not in alone
