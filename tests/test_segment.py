"""Segmentation: one regression test per hard case (hard-cases.md 1–17) and the book118 page."""

from __future__ import annotations

import random
import re

import pytest

from cleaners import CleanError, Page, Section, clean_page
from cleaners.charclass import HEADING_START, PINYIN_GLOSS
from cleaners.markers import cn_to_int, find_markers
from cleaners.segment import segment, segment_with_preamble, split_title
from cleaners.split import numbered_part_titles, split_documents

from .conftest import clean_text, norm


def top(sections: list[Section]) -> list[tuple[str, str]]:
    return [(s.marker, s.title) for s in sections]


def walk(sections: list[Section]):
    for s in sections:
        yield s
        yield from walk(s.children)


def test_case01_headings_run_together_on_one_line():
    secs = segment(["一、岗位概述客户经理是支行营销核心。二、岗位名称客户经理三、所属部门零售部"])
    assert [s.marker for s in secs] == ["一、", "二、", "三、"]
    assert secs[0].title.startswith("岗位概述") and secs[2].title.startswith("所属部门")


def test_case02_eleven_is_one_marker():
    lines = [f"{m}、第{m}项" for m in "一二三四五六七八九十"] + ["…执行标准工时。十一、工作环境：办公室"]
    secs = segment(lines)
    assert [s.number for s in secs] == list(range(1, 12))
    assert secs[-1].marker == "十一、" and secs[-1].title == "工作环境" and secs[-1].text == "办公室"
    assert cn_to_int("二十三") == 23 and cn_to_int("一百零一") == 101


def test_case03_numbered_duties_inside_a_section_line():
    (sec,) = segment(["三、岗位职责 1.开发客户；2.维护存量；3.完成交办事项。"])
    assert sec.title == "岗位职责"
    assert [(c.marker, c.level) for c in sec.children] == [("1.", 2), ("2.", 2), ("3.", 2)]
    assert sec.children[0].title == "开发客户；"


def test_case04_enumerations_inside_a_sentence_are_not_headings():
    secs = segment(
        [
            "一、任职要求",
            "须满足：一、持CPA证书；二、三年审计经验。",
            "二、工作内容",
            "一是强化营销，二是控制风险",
        ]
    )
    assert top(secs) == [("一、", "任职要求"), ("二、", "工作内容")]
    assert "须满足：一、持CPA证书；二、三年审计经验。" in secs[0].text
    assert not secs[1].children
    first_line = segment(["须满足：一、持CPA证书；二、三年审计经验。"])
    assert first_line == []


def test_case05_numeral_before_dunhao_that_is_an_abbreviation():
    assert find_markers("一、二级建造师证书持有者优先") == ()
    secs = segment(["三、任职要求", "一、二级建造师证书持有者优先"])
    assert len(secs) == 1 and "二级建造师" in secs[0].text


def test_case06_numbers_that_look_like_markers():
    for text in ("1.5万/月起", "2.0版本系统", "2023.06修订", "1.5公里", "2.5年", "1.5分"):
        assert find_markers(text) == (), text
    # units are words: these decimals are headings (issue 16)
    for text in ("4.1 公司文件统一管理", "2.1 年度计划", "1.2 人员配置", "3.2 分析报告"):
        assert [m.style for m in find_markers(text)] == ["decimal2"], text
    (sec,) = segment(["1.薪资1.5万/月起,2.0版本系统于2023.06修订"])
    assert sec.children == [] and "1.5万" in sec.title


def test_case07_lost_dash_is_flagged_real_numbers_are_not(profiles):
    flagged = clean_text("岗位要求\n1.工作经验:13年\n2.薪资8k15k", profiles)[0]
    assert "suspect_number" in flagged.flags and "13年" in flagged.text  # never rewritten
    real = clean_text("岗位要求\n1.年龄35岁以下\n2.3年以上工作经验", profiles)[0]
    assert "suspect_number" not in real.flags


def test_case08_mixed_widths_and_brackets():
    markers = find_markers("（1)负责 １．熟悉Excel 一．职责 ⑴ (1)")
    assert [m.style for m in markers] == ["(n)", "n.", "cn.", "paren-digit", "(n)"]
    secs = segment(["一．职责", "⑴负责报表", "⑵负责归档", "(1)细则"])
    assert [c.marker for c in secs[0].children] == ["⑴", "⑵"]
    assert secs[0].children[1].children[0].marker == "(1)"  # ⑴ and (1) are different styles


def test_case09_non_standard_level_order():
    secs = segment(["1.岗位基本信息", "（一）岗位名称：出纳", "（二）所属部门：财务部", "2.岗位职责"])
    assert top(secs) == [("1.", "岗位基本信息"), ("2.", "岗位职责")]
    assert [(c.marker, c.level) for c in secs[0].children] == [("（一）", 2), ("（二）", 2)]


def test_case10_gaps_duplicates_and_restarts():
    secs = segment(["1.甲", "2.乙", "4.丁", "4.丁二", "5.戊"])
    assert [s.number for s in secs] == [1, 2, 4, 4, 5]
    secs = segment(["（一）职责", "1.甲", "2.乙", "（二）要求", "1.丙", "2.丁"])
    assert [len(s.children) for s in secs] == [2, 2] and secs[1].children[0].level == 2


def test_case11_several_jds_in_one_list():
    secs = segment(
        ["一、客户经理（一）岗位职责：负责营销（二）任职要求：本科二、柜员（一）岗位职责：负责柜台业务"]
    )
    assert [(s.marker, s.title[:4]) for s in secs] == [("一、", "客户经理"), ("二、", "柜员")]
    assert [c.marker for c in secs[0].children] == ["（一）", "（二）"]
    assert [c.title for c in secs[1].children] == ["岗位职责"]


def test_case12_flattened_table_is_not_split_into_headings(profiles):
    line = "岗位名称客户经理所属部门零售部直接上级支行行长岗位编制3人"
    preamble, secs = segment_with_preamble([line])
    assert secs == [] and preamble == line


def test_case13_unnumbered_label_headings():
    secs = segment(["任职资格：本科及以上学历，3年以上银行经验。", "岗位职责：", "1.负责营销", "2.负责维护"])
    assert [(s.marker, s.number, s.title) for s in secs] == [("", None, "任职资格"), ("", None, "岗位职责")]
    assert secs[0].text == "本科及以上学历，3年以上银行经验。"
    assert [c.marker for c in secs[1].children] == ["1.", "2."]


def test_case14_tables_of_contents_and_page_furniture(profiles):
    page = "员工手册\n目录\n一、岗位概述……1\n二、岗位职责……2\n一、岗位概述\n本岗位负责接待。\n第2页 共5页\n— 3 —\n二、岗位职责\n负责前台接待。"
    rec = clean_text(page, profiles)[0]
    assert top(rec.sections) == [("一、", "岗位概述"), ("二、", "岗位职责")]
    assert "……" not in rec.text and "第2页" not in rec.text and "— 3 —" not in rec.text
    assert {"generic/table-of-contents", "generic/thumbnail-caption"} <= {r.rule for r in rec.removed}


def test_case15_titles_that_combine_fields_keep_their_words():
    secs = segment(
        ["一、任职资格与能力要求", "本科。", "二、薪酬福利及职业发展", "面议。", "三、岗位价值", "核心岗位。"]
    )
    assert [s.title for s in secs] == ["任职资格与能力要求", "薪酬福利及职业发展", "岗位价值"]


def test_case16_several_documents_restarting_at_one(profiles):
    page = (
        "客户经理岗位说明书\n一、岗位概述\n负责营销。\n二、岗位职责\n1.开发客户;\n2.维护客户;\n"
        "客户经理岗位说明书(1)\n一、岗位概述\n负责维护。\n二、任职要求\n本科。\n"
        "柜员岗位说明书 篇2\n1.办理业务;\n2.核对现金。"
    )
    recs = clean_text(page, profiles)
    assert [r.title for r in recs] == ["客户经理岗位说明书", "客户经理岗位说明书(1)", "柜员岗位说明书 篇2"]
    assert [r.source["part"] for r in recs] == [0, 1, 2] and {r.source["parts"] for r in recs} == {3}
    assert all("multi_document" in r.flags for r in recs)
    assert top(recs[1].sections) == [("一、", "岗位概述"), ("二、", "任职要求")]


def test_case16_section_label_is_not_a_document_title():
    parts = split_documents(
        ["出纳岗位说明书", "一、岗位概述", "负责收付。", "二、其他", "岗位职责", "1.负责收付", "2.负责记账"]
    )
    assert len(parts) == 1


def test_case17_preview_cut_mid_sentence_is_truncated(profiles):
    rec = clean_text("司机岗位说明书\n一、岗位职责\n1.负责驾驶车辆;\n2.负责车辆保养;\n3.鼓励", profiles)[0]
    assert "truncated" in rec.flags
    done = clean_text("司机岗位说明书\n一、岗位职责\n1.负责驾驶车辆;\n2.负责车辆保养。", profiles)[0]
    assert "truncated" not in done.flags


def test_titles_split_at_the_colon_and_sentences_stay_whole():
    assert split_title("客户关系维护:建立并维系良好的客户关系。") == (
        "客户关系维护",
        "建立并维系良好的客户关系。",
    )
    assert split_title("负责公司产品的推广和销售,达成销售目标。") == (
        "负责公司产品的推广和销售,达成销售目标。",
        "",
    )


def test_book118_page_structure(book118_text, profiles):
    first, second = clean_text(book118_text, profiles)
    assert (first.title, second.title) == ("客户经理岗位说明书", "客户经理岗位说明书(1)")
    expected = [
        "岗位概述",
        "岗位名称",
        "直接上级",
        "岗位设置数量",
        "工作地点",
        "岗位职责",
        "任职资格",
        "绩效考核指标",
        "培训与发展",
        "薪酬福利",
        "其他",
    ]
    markers = "一二三四五六七八九十"
    assert top(first.sections) == [(f"{m}、", t) for m, t in zip([*markers, "十一"], expected, strict=True)]
    duties = first.sections[5].children
    assert len(duties) == 8 and {d.level for d in duties} == {2}
    assert duties[1].title == "客户关系维护" and duties[1].text.startswith("建立并维系")
    ability = first.sections[6].children[2]
    assert ability.title == "能力要求"
    assert [(c.marker, c.level) for c in ability.children] == [(f"({i})", 3) for i in range(1, 5)]
    duty = second.sections[1].children[0]
    assert duty.marker == "1." and duty.title == "负责客户开发与维护"
    assert [c.marker for c in duty.children] == ["a.", "b.", "c."]
    assert "truncated" in second.flags and "suspect_number" in second.flags
    assert "truncated" not in first.flags


@pytest.mark.parametrize(
    ("which", "least", "least_docs"),
    # dev000–096, where the segmenter was written: 95%. All 196 pages: the level measured when
    # dev097–195 were added (issue 16 is about raising it).
    [("first", 0.95, 60), ("all", 0.90, 110)],
)
def test_real_pages_top_level_headings(corpus_rows, profiles, which, least, least_docs):
    """Labelled documents have their listed top-level headings, in order."""
    total = right = 0
    misses = []
    for row in corpus_rows:
        if which == "first" and int(row["id"][3:]) >= 97:
            continue
        recs = clean_text(row["text"], profiles)
        for doc in row.get("documents") or []:
            if not doc.get("headings"):
                continue
            total += 1
            # glosses (`產(chǎn)`) are not compared, as score-corpus does: headings are read without them
            want = [(norm(m), norm(PINYIN_GLOSS.sub("", t))) for m, t in doc["headings"]]
            ok = any(
                len(got := [(norm(s.marker), norm(PINYIN_GLOSS.sub("", s.title))) for s in r.sections])
                >= len(want)
                and all(
                    gm == wm and (gt.startswith(wt) or (len(gt) >= 2 and wt.startswith(gt)))
                    for (gm, gt), (wm, wt) in zip(got, want, strict=False)
                )
                for r in recs
            )
            right += ok
            if not ok:
                misses.append(row["id"])
    assert total >= least_docs
    assert right / total >= least, misses


def test_every_node_has_a_consistent_level(profiles, book118_text):
    for rec in clean_text(book118_text, profiles):

        def check(nodes, level):
            for n in nodes:
                assert n.level == level
                check(n.children, level + 1)

        check(rec.sections, 1)


_IGNORED = re.compile(r"[\s:：]")


def flatten(sections: list[Section]) -> str:
    return "".join(f"{s.marker}{s.title}{s.text}{flatten(s.children)}" for s in sections)


def test_round_trip_on_the_book118_page(book118_text, profiles):
    for rec in clean_text(book118_text, profiles):
        preamble, sections = segment_with_preamble(rec.text.split("\n"))
        assert _IGNORED.sub("", preamble + flatten(sections)) == _IGNORED.sub("", rec.text)


def test_a_title_is_never_a_whole_paragraph(corpus_rows, profiles):
    """Past 60 characters a heading keeps its first clause as its title (issue 16); the words
    stay, in the node's text."""
    line = "一、引言" + "本岗位负责公司日常经营中的各项事务并协调各部门之间的工作关系" * 3 + "，确保运转。"
    (node,) = segment([line])
    assert len(node.title) <= 60 and (node.title + node.text) == line[2:]

    def walk(sections: list[Section]):
        for s in sections:
            yield s
            yield from walk(s.children)

    long = [
        s.title
        for row in corpus_rows
        for rec in clean_text(row["text"], profiles)
        for s in walk(rec.sections)
        if len(s.title) > 60
    ]
    assert long == []


def test_a_chapter_run_into_its_first_article_keeps_the_chapter_level():
    """A law whose line breaks were lost: `…修正第一章 总则第一条 …` (issue 16)."""
    line = (
        "某某管理条例2020年5月1日通过2021年第一次修正第一章 总则第一条 为了规范管理，制定本条例。"
        "第二条 本条例适用于本市。第二章 管理职责第三条 主管部门负责监督。第四条 各单位应当配合。"
    )
    top = segment([line])
    assert [(s.marker, s.title) for s in top] == [("第一章", "总则"), ("第二章", "管理职责")]
    assert [c.marker for c in top[0].children] == ["第一条", "第二条"]


def test_a_part_marker_is_not_a_section_and_a_slipped_numeral_style_continues():
    """`第一篇` on the first line does not head everything; `四.` after `三、` is the same list."""
    lines = [
        "第一篇:某部门岗位职责",
        "一、部门职能",
        "负责部门事务。",
        "二、经理职责",
        "负责全面管理。",
        "三、助理职责",
        "协助经理工作。",
        "四.专员职责",
        "负责具体执行。",
    ]
    top = segment(lines)
    assert [s.marker for s in top] == ["一、", "二、", "三、", "四."]


def test_an_excerpt_may_start_at_four_when_its_decimals_follow():
    lines = [
        "4、职责",
        "4.1 各部门负责本部门文件的归档。",
        "4.2 办公室负责统一编号。",
        "5、程序",
        "5.1 文件的登记。",
    ]
    top = segment(lines)
    assert [(s.marker, s.title) for s in top] == [("4、", "职责"), ("5、", "程序")]
    assert [c.marker for c in top[0].children] == ["4.1", "4.2"]
    assert segment(["4、孤立的一行", "正文。"]) == []  # without them, a lone 4、 is residue


def test_a_glossed_mirror_is_segmented_on_its_words_and_keeps_its_text(profiles):
    """Mirrors print pinyin after characters (`產(chǎn)品部`): headings are read without the
    glosses, the text keeps what the page printed, and the record is flagged garbled."""
    text = "\n".join(
        [
            "崗(gǎng)位職(zhí)責(zé)匯編",
            "一、產(chǎn)品部",
            "負(fù)責(zé)產(chǎn)品規(guī)劃與設(shè)計(jì)工作。",
            "二、銷(xiāo)售部",
            "負(fù)責(zé)市場(chǎng)開(kāi)拓與客戶維護(hù)。",
        ]
    )
    rec = clean_text(text, profiles)[0]
    assert [(s.marker, s.title) for s in rec.sections] == [("一、", "產品部"), ("二、", "銷售部")]
    assert "產(chǎn)品部" in rec.text and "garbled" in rec.flags


def test_a_run_on_document_whose_opening_is_a_flattened_table_keeps_its_headings():
    """Sequence evidence (issue 16): `一、` right after a flattened table header has nothing
    before it that says heading, but 二、 after a finished sentence and 三、 later do."""
    line = (
        "出纳岗位说明书岗位名称出纳所属部门财务部直接上级财务经理编制日期"
        "一、岗位目的保证公司资金收付安全及时。二、工作内容序号内容1办理现金收付2登记日记账"
        "三、任职条件大专以上学历，两年以上出纳经验。"
    )
    top = segment([line])
    assert [s.marker for s in top] == ["一、", "二、", "三、"]
    # without the sequence, a lone mid-line 一、 after such a run is not taken for a heading
    assert [
        s.marker
        for s in segment(
            ["出纳岗位说明书岗位名称出纳所属部门财务部直接上级财务经理编制日期一、岗位目的保证安全"]
        )
    ] == []


def test_a_restart_under_a_bare_title_is_a_sublist_and_the_outer_list_goes_on():
    """`2. 职务说明` with nothing under it yet, then `1. …`: its parts (issue 16)."""
    lines = [
        "1. 概述",
        "说明本岗位的名称和所属部门。",
        "2. 职务说明",
        "1. 职务概要:本岗位的主要工作范围。",
        "2. 工作要求:任职者需完成的任务。",
        "3. 职务目标:工作数量和质量的要求。",
        "4. 工作条件:工作场所与环境。",
        "3. 任职资格",
        "担任本岗位应具备的条件。",
    ]
    top = segment(lines)
    assert [(s.marker, s.title) for s in top] == [("1.", "概述"), ("2.", "职务说明"), ("3.", "任职资格")]
    assert [c.marker for c in top[1].children] == ["1.", "2.", "3.", "4."]
    # a restart after an item that has its own text is the same flat list again (a new document)
    flat = segment(["1. 概述", "说明名称。", "2. 职责", "负责收发。", "1. 概述", "说明名称。"])
    assert [s.marker for s in flat] == ["1.", "2.", "1."]


def test_a_label_run_into_its_first_item_heads_the_list():
    """`岗位职责1、负责…` with `2、` starting the next line: the label, then items 1, 2, 3."""
    lines = [
        "仓管员岗位说明书",
        "工作经验:一年以上仓库工作经验。",
        "岗位职责1、负责仓库物料的收发与登记,保证账实相符。",
        "2、负责每月库存盘点,编制盘点报告。",
        "3、负责仓库的安全与消防检查。",
    ]
    label = next(s for s in segment(lines) if s.title == "岗位职责")
    assert [c.marker for c in label.children] == ["1、", "2、", "3、"]
    assert label.children[0].title.startswith("负责仓库物料的收发")


def test_a_label_before_a_lone_number_is_not_split():
    """Without the sequence going on at the next line start, `岗位职责1、…` is not split."""
    lines = ["仓管员岗位说明书", "岗位职责1、负责仓库物料的收发与登记。", "任职要求:中专以上学历。"]
    assert not any(s.title == "岗位职责" and s.children for s in segment(lines))


def test_a_documents_title_glued_to_its_first_field_starts_a_new_document():
    first = [
        "仓管员岗位说明书",
        "1、负责仓库物料的收发与登记。",
        "2、负责每月库存盘点。",
        "3、负责仓库的安全检查。",
    ]
    second = [
        "出纳岗位说明书岗位名称:出纳所属部门:财务部直接上级:财务经理",
        "1、负责现金收付与保管。",
        "2、负责银行账户的日常管理。",
    ]
    parts = split_documents(first + second)
    assert [p.title for p in parts] == [None, "出纳岗位说明书"]
    assert parts[1].lines == second


def _multi_document_pages(corpus_rows, profiles):
    """The development pages that hold several documents, with their records."""
    for r in corpus_rows:
        try:
            records = clean_page(Page(text=r["text"]), profiles)
        except CleanError:
            continue
        if len(records) >= 2:
            yield r, records


@pytest.mark.corpus
def test_a_multi_document_page_splits_alike_when_one_body_line_is_dropped(corpus_rows, profiles):
    """Copies of one page differ by a line here and there: dropping one line that is not a
    document's title line leaves the same documents with the same titles (seeded, five drops a
    page on the development pages that hold several documents)."""
    rng = random.Random(1)
    same = total = 0
    for r, records in _multi_document_pages(corpus_rows, profiles):
        titles = [x.title for x in records]
        lines = r["text"].split("\n")
        for _ in range(5):
            k = rng.randrange(1, len(lines))
            if any(t and t in lines[k] for t in titles):
                continue  # the line that names a document is the evidence of its split
            try:
                got = [
                    x.title for x in clean_page(Page(text="\n".join(lines[:k] + lines[k + 1 :])), profiles)
                ]
            except CleanError:
                got = []
            total += 1
            same += got == titles
    assert total >= 30 and same >= 0.95 * total


@pytest.mark.corpus
def test_a_multi_document_page_flattened_into_one_blob_still_splits(corpus_rows, profiles):
    """The same development pages with every line break removed (as a copy whose paragraphs ran
    together prints them): the line-break model and the part cuts give most of them back as
    the same number of documents (10 of 10 when measured; 9 before a glued title after the site's
    title printed twice was read, 7 before numbered titles were found
    across line breaks and opened their parts by themselves, 4 before numbered part titles were
    cut out of the text and a new sequence of an unused heading style could open a document)."""
    from cleaners.line_breaks import joined
    from cleaners.normalise import split_lines

    same = total = 0
    for r, records in _multi_document_pages(corpus_rows, profiles):
        blob, _ = joined(split_lines(r["text"]))
        try:
            got = clean_page(Page(text=blob), profiles)
        except CleanError:
            got = []
        total += 1
        same += len(got) == len(records)
    assert total >= 8 and same >= 0.9 * total  # 10 of 10 measured


def test_part_markers_run_into_a_line_start_their_documents():
    """A page written for this test whose paragraphs ran together: the part markers, numbered in
    order, start the documents; a `第3篇` named inside a sentence does not."""
    first = "推荐第1篇:保洁员岗位职责1、负责办公区域的日常清洁。2、负责垃圾清运。"
    second = "推荐第2篇:保洁员岗位职责1、负责公共卫生间的清洁。2、参考本书第3篇的要求执行。"
    parts = split_documents([first + second])
    assert [p.title for p in parts[1:]] and len(parts) == 2
    assert parts[1].lines[0].startswith("推荐第2篇") and "第3篇的要求" in "".join(parts[1].lines)
    assert split_documents(["参考本书第3篇的要求执行，并填写记录。"])[0].lines == [
        "参考本书第3篇的要求执行，并填写记录。"
    ]


def test_document_words_are_data():
    """The splitter's document kinds and the segmenter's label endings come from
    data/lexicon/documents.toml: a word taken out of the file stops a label being one."""
    import tomllib

    from cleaners.doc_words import DocumentWords, document_words, use_words
    from harvester.sites import DOCUMENT_WORDS

    data = tomllib.loads(DOCUMENT_WORDS.read_text(encoding="utf-8"))
    installed = document_words()
    assert installed == DocumentWords.from_dict(data)
    line = ["任职资格：本科及以上学历。"]
    assert segment(line)[0].title == "任职资格"
    data["sections"]["label_endings"] = [w for w in data["sections"]["label_endings"] if w != "资格"]
    try:
        use_words(DocumentWords.from_dict(data))
        assert segment(line) == []
    finally:
        use_words(installed)
    with pytest.raises(ValueError, match="unknown lists"):
        DocumentWords.from_dict({"documents": {"kinds_typo": ["说明书"]}})


def _duties(role: str, n: int) -> str:
    return "".join(f"{i}. 负责{role}第{i}项日常事务并按时记录;" for i in range(1, n + 1))


def test_a_numbered_title_glued_into_the_text_starts_a_part():
    """A page whose paragraphs ran together (issue 16): the part titles `… 篇1`, `… 篇2` sit
    mid-line, the second glued to its first item (`篇21. …`: part 2, item 1). The title the
    page repeats with its number counting up is sequence evidence; each part is cut out."""
    title = "仓库管理员岗位职责"
    line = (
        f"仓库管理员岗位职责(精选3篇){title} 篇1{_duties('入库', 3)}完成上级交办的工作。"
        f"{title} 篇2{_duties('出库', 3)}{title} 篇3一、{_duties('盘点', 2)}"
    )
    parts = split_documents([line])
    assert [p.title for p in parts][1:] == [f"{title} 篇2", f"{title} 篇3"]
    assert parts[0].lines[:2] == ["仓库管理员岗位职责(精选3篇)", f"{title} 篇1"]
    assert parts[1].lines[1].startswith("1. 负责出库第1项")


def test_bracketed_numbers_after_a_word_inside_sentences_are_not_part_titles():
    """`签订劳动合同(1)份…续签劳动合同(2)次`: the repeated words and counting numbers sit inside
    sentences (no clause boundary before them), so they are not titles of parts."""
    line = "员工入职时签订劳动合同(1)份,由人事部存档;期满后续签劳动合同(2)次以上的,按规定办理。"
    assert split_documents([line, "第二条 其他事项按制度执行。"])[0].lines[0] == line


def test_numbers_that_are_heading_markers_are_not_part_numbers():
    """`…职责1. 客户…` then `2. …职责2.1 …`: the numbers after the repeated `职责` are the
    headings' own markers (a dot follows), not parts of the page."""
    lines = [
        "客户服务部门工作职责及各职位职责1. 客户服务部门职责客户服务部门负责受理来电。",
        "2. 客户服务部门职位职责2.1 客服经理负责团队管理。",
        "2.2 客服专员负责回访客户。",
    ]
    assert len(split_documents(lines)) == 1


def test_a_document_title_opening_a_heading_style_the_part_has_not_used_starts_a_document():
    """The page's first document numbers only its items (`1.` …); then a title naming a
    document and `一、` (a strong style the first part never used, at 1) open a second one."""
    first = ["出纳岗位说明书", "1.负责现金收付。", "2.负责银行对账。", "3.负责票据保管。"]
    second = ["会计岗位职责说明书", "一、岗位概述", "会计负责日常核算。", "二、任职要求", "大专以上学历。"]
    parts = split_documents(first + second)
    assert [p.title for p in parts] == [None, "会计岗位职责说明书"]
    # items (`1.`, a weak style) after such a title, in a part numbered `一、`: no new sequence
    inside = [
        "出纳岗位说明书",
        "一、职责",
        "负责现金收付。",
        "负责银行对账。",
        "会计岗位职责说明书",
        "1.概述",
        "说明。",
    ]
    assert len(split_documents(inside)) == 1


def test_a_sublist_in_the_style_of_its_parent_nests_and_the_parent_resumes():
    """`1. 岗位职责` ⏎ `1. 负责…` … `2. 任职要求`: the second 1 begins the bare title's items (the
    same style one level down), and the 2 that does not continue the items resumes the parents."""
    lines = [
        "1. 岗位职责", "1. 负责制定销售计划;", "2. 负责团队管理;", "3. 负责客户维护;",
        "2. 任职要求", "1. 本科及以上学历;", "2. 三年以上销售经验;",
    ]  # fmt: skip
    tree = segment(lines)
    assert [(s.marker, s.title) for s in tree] == [("1.", "岗位职责"), ("2.", "任职要求")]
    assert [len(s.children) for s in tree] == [3, 2]


def test_a_repeated_number_after_an_item_with_text_stays_a_sibling():
    tree = segment(["1. 负责制定销售计划;", "1. 负责团队管理;", "2. 负责客户维护;"])
    assert [s.marker for s in tree] == ["1.", "1.", "2."] and not any(s.children for s in tree)


def test_a_label_with_its_colon_run_into_its_first_item_heads_the_list():
    tree = segment(
        ["产品经理", "职责：1、深入业务,设计提升数据一致性的流程;", "2、协调研发排期;", "3、输出需求文档。"]
    )
    assert [(s.marker, s.title) for s in tree] == [("", "职责")]
    assert [c.marker for c in tree[0].children] == ["1、", "2、", "3、"]


def test_a_glued_title_after_the_sites_title_printed_twice_starts_a_document():
    """A run-together page: the site's heading for the next document printed twice, glued to
    that document's own title and its first field; the title is the document's own."""
    first = [
        "仓管员岗位说明书",
        "1、负责仓库物料的收发与登记。",
        "2、负责每月库存盘点。",
        "3、负责仓库的安全检查。",
    ]
    glued = (
        "出纳岗位说明书模板出纳岗位说明书模板财务出纳岗位说明书岗位名称:出纳所属部门:财务部直接上级:财务经理"
    )
    parts = split_documents([*first, glued, "1、负责现金收付与保管。"])
    assert [p.title for p in parts] == [None, "财务出纳岗位说明书"]


def test_a_numbered_label_continuing_its_sequence_is_not_a_new_documents_title():
    """`职责一` then `职责二职责描述:…`: the second item of the part's own numbered labels, glued to
    its field, not a document titled `职责二职责` (a glued title is checked against the sequence)."""
    lines = [
        "项目经理职位说明书",
        "岗位名称:项目经理",
        "职责一",
        "职责描述:参与界定项目的范围,明确项目的目标",
        "1. 项目的范围定义与范围变更控制",
        "职责二职责描述:负责制订项目计划,进行项目策划",
        "1. 项目规模与工作量估算",
    ]
    assert [p.title for p in split_documents(lines)] == [None]
    # a title that names another subject is still a new document
    other = [*lines[:5], "出纳岗位说明书岗位名称:出纳所属部门:财务部", "1、负责现金收付与保管。"]
    assert [p.title for p in split_documents(other)] == [None, "出纳岗位说明书"]


def test_numbered_titles_split_a_run_together_page_wherever_its_line_breaks_fell():
    """A compilation whose paragraphs ran together and were cut again at what looked like
    markers: the second title ends a line and its number opens the next (`…岗位职责` / `21、…`),
    the third is glued to the second part's last words and followed by its label on one line.
    The chain 1, 2, 3 of one stem still gives three parts, each title whole on its line."""
    lines = [
        "仓管员岗位职责(3篇)以下是整理的仓管员岗位职责,供参考。",
        "仓管员岗位职责1岗位职责:",
        "1、负责仓库物料的收发与登记;",
        "2、负责每月库存盘点;仓管员岗位职责",
        "21、负责物料的入库验收;",
        "2、负责仓库的安全检查,做好记录仓管员岗位职责3岗位职责:1、负责出库单据的核对",
    ]
    parts = split_documents(lines)
    assert [p.title for p in parts] == ["仓管员岗位职责1", "仓管员岗位职责2", "仓管员岗位职责3"]
    assert parts[1].lines[:2] == ["仓管员岗位职责2", "1、负责物料的入库验收;"]
    assert parts[0].lines[0].startswith("仓管员岗位职责(3篇)")  # the head goes with the first part


def test_the_numbered_part_titles_of_a_page_are_found_by_their_sequence():
    """`仓管员岗位职责1`, `…2`, `…3`: the lines the line model is told to keep (the last part of a
    cut page sits where related-documents lists do); a lone `…3` is no sequence."""
    page = ["仓管员岗位职责(3篇)"]
    for k in (1, 2, 3):
        page += [f"仓管员岗位职责{k}", "岗位职责:", "1、负责仓库物料的收发与登记。"]
    assert numbered_part_titles(page) == {1, 4, 7}
    assert numbered_part_titles(["仓管员岗位职责3", "1、负责仓库物料的收发与登记。"]) == set()
    # the same titles one per line, nothing between: a list of links to them, not this page's parts
    links = [*page[:1], "仓管员岗位职责1", "仓管员岗位职责2", "仓管员岗位职责3", "相关推荐"]
    assert numbered_part_titles(links) == set()


@pytest.mark.corpus
def test_development_pages_give_as_many_documents_as_labelled(corpus_rows, profiles):
    """Each development page labelled with its documents gives that many records (text mode)."""
    wrong = []
    for r in corpus_rows:
        if not r.get("documents"):
            continue
        try:
            got = len(clean_page(Page(text=r["text"], url=r.get("url")), profiles))
        except CleanError:
            got = 0
        if got != len(r["documents"]):
            wrong.append((r["id"], len(r["documents"]), got))
    assert not wrong


def _numbered_tops(sections: list[Section]) -> list[Section]:
    """The top-level numbered sections, below an unnumbered title node holding them."""
    while len(sections) == 1 and not sections[0].marker:
        sections = sections[0].children
    return sections


def test_a_number_that_continues_the_outer_list_exactly_closes_the_sublist():
    """Both levels numbered `1.`: a number the sublist has reached already but the headings have
    not (`3. 任职资格` after three duties, `4. 职业发展` after four requirements) continues the
    headings, not the items printed twice."""
    lines = [
        "采购专员岗位说明书",
        "1. 岗位概述",
        "负责公司物资的采购工作。",
        "2. 岗位职责",
        "1. 制定采购计划并执行;",
        "2. 负责供应商的开发与评估;",
        "3. 负责采购订单的跟进;",
        "3. 任职资格",
        "1. 大专及以上学历;",
        "2. 一年以上采购工作经验;",
        "3. 熟悉办公软件;",
        "4. 素质要求:工作细致、严谨;",
        "4. 职业发展",
        "可晋升为采购主管。",
    ]
    top = _numbered_tops(segment(lines))
    assert [s.title for s in top] == ["岗位概述", "岗位职责", "任职资格", "职业发展"]
    assert len(top[2].children) == 4


@pytest.mark.parametrize(
    "between",
    [
        ["直接上级:主管副总经理", "岗位职责:"],  # a label opened inside the heading
        ["文员岗位主要分为以下两类:"],  # text announcing a list
    ],
)
def test_a_one_after_a_label_or_an_announced_list_opens_items_not_a_restart(between):
    """Both levels numbered `1.`: a `1.` under a label, or after text ending with a colon,
    begins the heading's items; the next heading `2.` then resumes the headings."""
    lines = [
        "前厅部岗位说明",
        "1.前厅部经理",
        *between,
        "1.制订前厅部的各项规章制度和工作计划。",
        "2.最大限度地提高客房收入。",
        "2.前台主管",
        "1.协助前厅部经理工作。",
    ]
    top = _numbered_tops(segment(lines))
    assert [s.title for s in top] == ["前厅部经理", "前台主管"]


def test_numerals_in_black_lenticular_brackets_head_sections():
    """`【一】岗位职责` … `【二】任职要求`: a heading style like `〔一〕`, for the segmenter and the
    line models alike (the first heading of a page is not taken for chrome)."""
    lines = [
        "仓库管理员岗位说明书",
        "【一】岗位职责",
        "1、负责仓库物资的入库验收、保管和发放工作，做好出入库登记。",
        "2、定期盘点库存，及时上报呆滞物料和短缺情况。",
        "【二】任职要求",
        "1、中专及以上学历，两年以上仓库管理经验。",
    ]
    top = _numbered_tops(segment(lines))
    assert [(s.marker, s.title) for s in top] == [("【一】", "岗位职责"), ("【二】", "任职要求")]
    assert HEADING_START.match(lines[1])


def test_a_bracketed_heading_title_is_its_words_and_a_spaced_marker_is_a_marker(profiles):
    """`一、【岗位职责】`: the title is `岗位职责`; `三 、工作环境` (a stop spaced off its numeral, as PDF
    and OCR text print it) is the third heading, not text of the second."""
    text = "\n".join(
        [
            "仓库管理员岗位说明书",
            "一、【岗位职责】",
            "1、负责仓库物资的入库验收。",
            "二、【任职要求】：",
            "1、中专及以上学历。",
            "三 、工作环境",
            "室内工作。",
        ]
    )
    top = _numbered_tops(clean_text(text, profiles)[0].sections)
    assert [(s.marker, s.title) for s in top] == [
        ("一、", "岗位职责"),
        ("二、", "任职要求"),
        ("三、", "工作环境"),
    ]


@pytest.mark.parametrize(
    "markers",
    [
        ("一）", "二）", "三）"),
        ("Ⅰ、", "Ⅱ、", "Ⅲ、"),
        ("第1部分：", "第2部分：", "第3部分："),
        ("第一章——", "第二章——", "第三章——"),
        ("一：", "二：", "三："),
        ("一 ", "二 ", "三 "),  # a stop lost in PDF or OCR text
    ],
)
def test_headings_numbered_with_a_closing_bracket_roman_numerals_or_a_colon_after_the_marker(
    markers, profiles
):
    """`一）`, `Ⅱ、` head sections as `一、` does (the line model reads them as marker starts too);
    the colon or dash between a marker and its title (`第1部分：总则`) is not the title's."""
    a, b, c = markers
    text = "\n".join(
        [
            "仓库管理员岗位说明书",
            f"{a}岗位职责",
            "1、负责仓库物资的入库验收。",
            "2、负责库存的月度盘点。",
            f"{b}任职要求",
            "1、中专及以上学历。",
            f"{c}工作环境",
            "室内工作。",
        ]
    )
    top = _numbered_tops(clean_text(text, profiles)[0].sections)
    assert [s.title for s in top] == ["岗位职责", "任职要求", "工作环境"]
    assert [len(s.children) for s in top] == [2, 1, 0]


def test_a_closing_bracket_after_a_word_is_not_a_marker():
    assert find_markers("统一）管理") == ()
    assert find_markers("统一：管理") == () and find_markers("会议时间9:30") == ()
    assert find_markers("比例为三：七") == ()
    assert [m.style for m in find_markers("一）总则")] == ["cn)"]
    assert [(m.style, m.number) for m in find_markers("Ⅳ、附则")] == [("roman", 4)]


def test_a_posting_printed_as_one_paragraph_heads_each_list_with_its_label(profiles):
    """`岗位职责：1、…；2、…。任职资格：1、…；2、…` on one line: each label heads its own list;
    a sentence's enumeration after a colon (`其具体职权为：一、…二、…`) is not a label's list."""
    line = (
        "岗位职责：1、负责仓库物资的入库验收；2、负责库存的月度盘点；3、负责仓库的安全检查。"
        "任职资格：1、中专及以上学历；2、两年以上仓库管理经验。"
    )
    (rec,) = clean_text("仓库管理员\n" + line, profiles)
    labels = [s for s in walk(rec.sections) if not s.marker]
    assert [s.title for s in labels] == ["岗位职责", "任职资格"]
    assert [len(s.children) for s in labels] == [3, 2]
    assert rec.job is not None and len(rec.job["responsibilities"]) == 3
    sentence = "经理办公会议负责处理日常工作，其具体职权为：一、讨论年度计划；二、讨论财务决算。"
    assert not [s for s in walk(segment([sentence])) if not s.marker]
    bracketed = "【公司简介】我们是一家物流公司。【工作内容】1、负责入库验收；2、负责月度盘点。【任职要求】1、中专以上；2、一年经验。"
    tops = segment([bracketed])
    assert [(s.title, len(s.children)) for s in tops] == [("工作内容", 2), ("任职要求", 2)]


def test_a_long_heading_sentence_is_cut_at_a_clause_not_inside_an_enumeration():
    title, text = split_title(
        "通过电话、上门拜访、渠道合作等多种渠道和形式搜寻客户，保持与客户的良好关系，定期与客户沟通联络，"
        "获取并分析客户需求，跟进服务，寻求机会发展业务，与客户建立及保持友好长期合作关系。"
    )
    assert title == "通过电话、上门拜访、渠道合作等多种渠道和形式搜寻客户，"
    assert text.startswith("保持与客户")
    assert split_title(
        "负责" + "、".join(["采购", "验收", "入库", "盘点", "出库", "对账"] * 4) + "等日常工作"
    )[0].endswith("、")
