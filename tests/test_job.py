"""Job-description fields: detection, field mapping, requirement parsing, JSON-LD export."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from cleaners import Page, clean_page
from cleaners.errors import CleanError
from cleaners.job import (
    _starts_a_word,
    names_a_role,
    parse_education,
    parse_experience,
    parse_requirements,
    role_from_title,
)
from harvester.export import base_salary, to_job_posting

from .conftest import ROOT, SAMPLES, SHARED, clean_html, clean_text, norm

# schema.org JobPosting and its Thing properties, with the types we may emit
# (https://schema.org/JobPosting, EducationalOccupationalCredential, OccupationalExperienceRequirements).
JOB_POSTING = {
    "@context": str,
    "@type": str,
    "identifier": str,
    "title": str,
    "description": str,
    "url": str,
    "responsibilities": str,
    "qualifications": str,
    "skills": str,
    "jobBenefits": str,
    "totalJobOpenings": int,
    "educationRequirements": dict,
    "experienceRequirements": dict,
    "datePosted": str,
    "employmentType": str,
    "hiringOrganization": dict,
    "jobLocation": dict,
    "baseSalary": dict,
    "occupationalCategory": str,
}
CREDENTIAL = {"@type": str, "credentialCategory": str, "description": str}
EXPERIENCE = {"@type": str, "monthsOfExperience": int, "description": str}


def test_book118_first_document_fields(book118_text, profiles):
    job = clean_text(book118_text, profiles)[0].job
    assert job["title"] == "客户经理" and job["reports_to"] == "业务经理"
    assert len(job["responsibilities"]) == 8
    assert job["requirements"]["education"]["level"] == "bachelor"
    assert job["requirements"]["experience"]["min_years"] == 3
    assert len(job["kpis"]) == 6 and len(job["compensation"]) == 5
    assert "市场营销" in job["requirements"]["majors"]
    assert "本科及以上学历" in job["requirements"]["education"]["raw"]


def test_book118_second_document_leaves_the_lost_dash_unparsed(book118_text, profiles):
    second = clean_text(book118_text, profiles)[1]
    job = second.job
    assert len(job["responsibilities"]) == 5 and job["requirements"]["education"]["level"] == "bachelor"
    experience = job["requirements"]["experience"]
    assert "13年" in experience["raw"] and experience["min_years"] is None and experience["max_years"] is None
    assert "suspect_number" in second.flags


@pytest.mark.parametrize("name", ["attendance-regulation.txt", "exam-paper.txt", "wenku-work-plan.html"])
def test_non_job_samples_are_not_taken_for_jds(name, profiles):
    from cleaners import Page, clean_page

    kind = "html" if name.endswith(".html") else "text"
    rec = clean_page(Page(raw=(SAMPLES / name).read_bytes(), kind=kind), profiles)[0]
    assert rec.job is None and "not_job" in rec.flags


def test_key_values_and_flattened_tables(profiles):
    rec = clean_text(
        "客服主管岗位说明书\n岗位名称：客服主管\n所属部门：运营部\n直接上级：客服经理\n一、岗位职责\n1.负责客服团队管理;",
        profiles,
    )[0]
    assert (rec.job["title"], rec.job["department"], rec.job["reports_to"]) == (
        "客服主管",
        "运营部",
        "客服经理",
    )
    flat = clean_text(
        "岗位名称客户经理所属部门零售部直接上级支行行长岗位编制3人\n一、岗位职责\n1.负责营销;\n2.负责维护;",
        profiles,
    )[0]
    assert (flat.job["title"], flat.job["department"], flat.job["reports_to"]) == (
        "客户经理",
        "零售部",
        "支行行长",
    )
    assert flat.job["headcount"] == "3人"


def test_combined_and_unknown_section_titles(profiles):
    rec = clean_text(
        "出纳岗位说明书\n一、任职资格与能力要求\n大专以上学历。\n二、薪酬福利及职业发展\n1.五险一金;\n三、岗位价值\n保障资金安全。",
        profiles,
    )[0]
    assert rec.job["requirements"]["education"]["level"] == "associate"
    assert rec.job["compensation"] == ["五险一金;"]
    assert rec.job["other_sections"] == {"岗位价值": "保障资金安全。"}


@pytest.mark.parametrize(
    "text,low,high",
    [
        ("3年以上工作经验", 3, None),
        ("1-3年相关经验", 1, 3),
        ("1～3年工作经验", 1, 3),
        ("三年以上工作经验", 3, None),
        ("两年以上经验", 2, None),
        ("工作经验不限", 0, None),
        ("应届毕业生亦可", 0, 0),
        ("工作经验:13年", None, None),
        ("1-2年工作经验，有过实习经验的应届生亦可", 1, 2),  # 应届 an exception to a stated bar
        ("经验不限，3年以上者优先", 0, None),
        ("3－5年相关工作经验", 3, 5),  # a full-width hyphen-minus
        ("3−5年工作经验", 3, 5),  # a minus sign
        ("3〜5年工作经验", 3, 5),  # a wave dash
        ("3+年相关工作经验", 3, None),
        ("3年+工作经验", 3, None),
    ],
)
def test_experience_parsing(text, low, high, profiles):
    exp = parse_experience(text, profiles.job_lexicon)
    assert exp is not None and (exp["min_years"], exp["max_years"]) == (low, high) and exp["raw"]


@pytest.mark.parametrize(
    "text,level",
    [
        ("本科及以上学历", "bachelor"),
        ("大专以上学历", "associate"),
        ("硕士研究生", "master"),
        ("高中或中专学历", "high_school"),
        ("博士学历优先", "doctorate"),
        ("初中以上文化", "junior_high"),
        ("大专或本科以上学历", "associate"),
        ("可接受优秀的博士学历应届生。硕士及以上学历", "master"),  # the minimum, not the aside
    ],
)
def test_education_levels(text, level, profiles):
    assert parse_education(text, profiles.job_lexicon)["level"] == level


def test_a_title_that_names_a_role_is_not_vetoed_by_a_document_word(profiles):
    text = "解决方案技术专家（数据安全）\n工作职责：\n1.设计编写解决方案；\n2.跟踪分析业内产品。\n任职要求：\n1.本科及以上学历。"
    assert clean_text(text, profiles)[0].job is not None
    plan = "年度培训方案\n一、培训目的\n提升员工技能。\n二、培训要求\n1.按时参加。"
    assert clean_text(plan, profiles)[0].job is None


def test_the_role_is_a_candidate_that_names_a_role(profiles):
    """A company or chapter name in the title slot is not the role: the 岗位名称 value, a short
    early line or the first sentence's subject that ends with a role noun is."""
    form = "某某有限公司岗位工作说明书\n岗位名称：往来结算会计\n所属部门：财务部\n岗位职责\n1.负责核对往来账目；\n2.负责编制月度报表。"
    assert clean_text(form, profiles)[0].job["title"] == "往来结算会计"
    subject = (
        "仓储与物料管理\n仓库保管员是指负责物料收发与保管的人员。\n岗位职责\n1.负责物料入库验收；\n"
        "2.负责定期盘点库存；\n3.负责出库单据的登记。\n任职要求\n1.中专及以上学历；\n2.一年以上仓库工作经验。"
    )
    assert clean_text(subject, profiles)[0].job["title"] == "仓库保管员"


@pytest.mark.parametrize("sep", ["：", " ：", "——", "—", "｜", "="])
def test_a_field_key_and_its_value_may_be_parted_by_a_colon_bar_or_dash(sep, profiles):
    text = (
        f"某某有限公司岗位工作说明书\n岗位名称{sep}往来结算会计\n所属部门{sep}财务部\n岗位职责\n"
        "1.负责核对往来账目；\n2.负责编制月度报表。\n任职要求\n1.大专以上学历。"
    )
    job = clean_text(text, profiles)[0].job
    assert job["title"] == "往来结算会计" and job["department"] == "财务部"


def test_the_role_the_document_repeats_wins_over_a_mislabelled_page_title(profiles):
    """A sharing site's title naming another role than the document under it, whose own title
    is glued to its first words: the role the text keeps naming is the JD's."""
    page = (
        "仓储中心副经理岗位说明书\n"
        "客户服务部副经理岗位职责说明书一、职位概述客户服务部副经理负责协助部门经理管理客户服务团队。\n"
        "二、岗位职责\n1. 协助客户服务部经理制定部门工作计划；\n2. 监督并指导客户服务团队的日常工作；\n"
        "3. 客户服务部副经理定期组织客户满意度调研。\n三、任职资格\n1. 本科及以上学历。"
    )
    assert clean_text(page, profiles)[0].job["title"] == "客户服务部副经理"


def test_the_title_role_shortened_in_the_text_is_still_the_title_role(profiles):
    """`仓库管理系统管理员的职责` whose items say `管理员负责…`: the short form is the title's role."""
    page = "仓库管理系统管理员的职责:\n" + "\n".join(
        f"{k}. {a}:管理员负责{b},并确保其准确无误。"
        for k, (a, b) in enumerate(
            [
                ("系统维护", "系统的安装和配置"),
                ("用户管理", "账户的创建和维护"),
                ("数据管理", "库存数据的核对"),
            ],
            1,
        )
    )
    assert clean_text(page, profiles)[0].job["title"] == "仓库管理系统管理员"


def test_role_from_titles(profiles):
    lex = profiles.job_lexicon
    assert role_from_title("客户经理岗位说明书(1)", lex) == "客户经理"
    assert role_from_title("(岗位职责)电工岗位说明书", lex) == "电工"
    assert role_from_title("仓库管理员核心职责解析-日常工作内容与任务管理要点", lex) == "仓库管理员"
    # a collection of many roles' descriptions names a company or a department, not a role
    assert role_from_title("连锁酒店各岗位职责汇编(2025版)", lex) is None
    assert role_from_title("物流公司岗位说明书大全", lex) is None
    assert role_from_title("外貿(mào)跟單員的工作職責(zé) 篇1", lex).endswith("跟單員")


def _jd_scores(rows, profiles):
    tp = fp = fn = fields = right = 0
    for row in rows:
        if row["kind"] == "junk":
            continue
        rec = clean_text(row["text"], profiles)[0]
        is_jd = rec.job is not None
        tp += is_jd and row["kind"] == "job"
        fn += (not is_jd) and row["kind"] == "job"
        fp += is_jd and row["kind"] == "other"
        want = row.get("job") or {}
        if not (is_jd and row["kind"] == "job"):
            continue
        req = rec.job["requirements"]
        if want.get("title"):
            fields += 1
            got = norm(rec.job["title"])
            right += bool(got) and (norm(want["title"]) in got or got in norm(want["title"]))
        if want.get("education"):
            fields += 1
            right += (req["education"] or {}).get("level") == want["education"]
        if want.get("min_years") is not None:
            fields += 1
            right += (req["experience"] or {}).get("min_years") == want["min_years"]
    others = sum(1 for r in rows if r["kind"] == "other")
    return tp / (tp + fn), fp / others, right / fields


@pytest.mark.parametrize(
    ("which", "least_recall", "most_fp", "least_fields"),
    # dev000–096, where the JD rules were written: the bar they were written to. All 196 pages:
    # the level measured when dev097–195 were added (issue 17 is about raising it).
    [("first", 0.95, 0.05, 0.90), ("all", 0.92, 0.20, 0.94)],
)
def test_real_pages_jd_recognition_and_fields(
    corpus_rows, profiles, which, least_recall, most_fp, least_fields
):
    rows = [r for r in corpus_rows if which == "all" or int(r["id"][3:]) < 97]
    recall, fp_rate, fields_right = _jd_scores(rows, profiles)
    assert recall >= least_recall and fp_rate < most_fp and fields_right >= least_fields, (
        recall,
        fp_rate,
        fields_right,
    )


def test_json_ld_uses_only_schema_org_job_posting_fields(tmp_path):
    out = tmp_path / "jobs.jsonld"
    res = subprocess.run(
        [sys.executable, "-m", "harvester", "clean", str(SAMPLES), "-o", str(out), "--format", "jsonld"],
        cwd=ROOT,
        capture_output=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr.decode()
    postings = json.loads(out.read_text(encoding="utf-8"))  # one JSON document: an array
    assert isinstance(postings, list) and len(postings) >= 10
    for posting in postings:
        assert posting["@context"] == "https://schema.org" and posting["@type"] == "JobPosting"
        for key, value in posting.items():
            assert key in JOB_POSTING and isinstance(value, JOB_POSTING[key]), key
        for key, schema in (("educationRequirements", CREDENTIAL), ("experienceRequirements", EXPERIENCE)):
            for k, v in posting.get(key, {}).items():
                assert k in schema and isinstance(v, schema[k]), (key, k)
    assert any(p.get("experienceRequirements", {}).get("monthsOfExperience") == 24 for p in postings)


def test_json_ld_states_when_and_who_posted(profiles):
    """datePosted from the date the page prints (kept or removed as metadata), else from the
    capture (WARC) date; hiringOrganization from the posting's employer field."""
    text = (
        "仓库管理员招聘\n发布时间:2025-07-11 12:42:01\n公司名称:某某物流有限公司\n工作地点:宁波\n"
        "岗位职责:\n1.负责仓库物料的收发与登记;\n2.负责每月库存盘点;\n任职要求:\n1.中专以上学历;\n2.一年以上仓库工作经验。"
    )
    rec = clean_text(text, profiles)[0].to_dict()
    assert rec["job"]["organization"] == "某某物流有限公司"
    posting = to_job_posting(rec)
    assert posting is not None and posting["datePosted"] == "2025-07-11"
    assert posting["hiringOrganization"] == {"@type": "Organization", "name": "某某物流有限公司"}
    assert posting["jobLocation"]["address"]["addressLocality"] == "宁波"
    undated = clean_text(text.replace("发布时间:2025-07-11 12:42:01\n", ""), profiles)[0].to_dict()
    assert "datePosted" not in (to_job_posting(undated) or {})
    undated["source"]["fetched"] = "2026-03-04T05:06:07Z"
    assert (to_job_posting(undated) or {})["datePosted"] == "2026-03-04"


def test_json_ld_skips_records_that_are_not_jds():
    assert to_job_posting({"id": "x", "text": "t", "job": None}) is None


def test_real_job_postings_are_jds_with_their_education_and_years(profiles):
    """The development postings of three job boards (../shared/corpus/external): a posting is a
    JD, often one paragraph whose parts are labels inside the text (`…；任职要求：1、…`)."""
    from .conftest import SHARED

    path = SHARED / "external" / "job-postings.jsonl"
    if not path.exists():
        pytest.skip("../shared/corpus/external/job-postings.jsonl is absent")
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    jd = ed = edn = yr = yrn = 0
    for row in rows:
        head = row["title"] + "\n" if row.get("title") else ""
        job = clean_text(head + row["text"], profiles)[0].job
        jd += job is not None
        req = (job or {}).get("requirements") or {}
        if row.get("education_checkable", True):
            edn += 1
            ed += (req.get("education") or {}).get("level") == row["education"]
        if row.get("years_checkable", True):
            yrn += 1
            got = (req.get("experience") or {}).get("min_years")
            yr += got == row["min_years"] or (row["min_years"] is None and got == 0)
    assert jd / len(rows) >= 0.95 and ed / edn >= 0.90 and yr / yrn >= 0.93, (jd, ed / edn, yr / yrn)


def test_a_one_paragraph_posting_is_read_by_its_inline_labels(profiles):
    text = (
        "数据分析师\n岗位职责：1、整理业务数据并撰写周报；2、搭建指标看板。"
        "任职要求：1、统计学相关专业，本科及以上学历；2、两年以上数据分析经验。"
    )
    job = clean_text(text, profiles)[0].job
    assert job is not None
    assert job["requirements"]["education"]["level"] == "bachelor"
    assert job["requirements"]["experience"]["min_years"] == 2
    prose = "今天我们去公园散步。要求：大家准时到达，注意安全。天气很好，心情愉快。"
    assert clean_text(prose, profiles)[0].job is None


def test_a_flat_numbered_duty_list_is_the_responsibilities(profiles):
    text = (
        "保洁员岗位职责\n1、负责办公区域的日常清扫；\n2、负责卫生间的清洁与消毒；\n"
        "3、及时清运垃圾，保持环境整洁；\n4、完成领导交办的临时任务。"
    )
    job = clean_text(text, profiles)[0].job
    assert job is not None and len(job["responsibilities"]) == 4
    assert job["responsibilities"][0].startswith("负责办公区域")


def test_a_jd_whose_paragraphs_ran_into_one_line_is_recognised(profiles):
    """An HTML page with the document in one text node: its sentences are its duty lines."""
    blob = (
        "前台文员的工作内容如下。负责来访客人的接待与登记；负责公司电话的接听与转接；"
        "负责快递信件的收发；协助行政部做好会议室的预订与布置；完成领导交办的其他事务。"
    )
    html = f"<html><body><div class='c'>{blob}</div></body></html>"
    assert clean_html(html, profiles)[0].job is not None


@pytest.mark.parametrize(
    ("line", "low", "high", "unit"),
    [
        ("薪资：8000-12000元/月", 8000, 12000, "MONTH"),
        ("月薪8千~1.2万", 8000, 12000, "MONTH"),
        ("年薪20-30万", 200000, 300000, "YEAR"),
        ("薪酬待遇：150-200元/天", 150, 200, "DAY"),
        ("工资 8-12k", 8000, 12000, "MONTH"),
    ],
)
def test_a_stated_pay_range_is_a_base_salary(line, low, high, unit):
    value = base_salary([line])["value"]
    assert (value["minValue"], value["maxValue"], value["unitText"]) == (low, high, unit)


@pytest.mark.parametrize(
    "line", ["薪资面议", "1、负责2-3个项目", "薪酬：按公司规定，工作时间8-10小时", "工作经验1-2年，薪资面议"]
)
def test_no_base_salary_without_a_pay_range(line):
    assert base_salary([line]) is None


def test_json_ld_states_the_location_and_pay_the_page_states(profiles):
    text = (
        "仓库管理员岗位说明书\n岗位名称：仓库管理员\n工作地点：苏州工业园区\n"
        "一、岗位职责\n1、负责物料入库验收；\n2、负责物料出库登记；\n3、每月组织库存盘点。\n"
        "二、任职要求\n中专及以上学历，两年以上仓库工作经验。\n三、薪酬待遇\n薪资：5000-7000元/月，五险一金。"
    )
    (rec,) = clean_page(Page(text=text), profiles)
    posting = to_job_posting(rec.to_dict())
    assert posting["jobLocation"]["address"]["addressLocality"] == "苏州工业园区"
    assert posting["baseSalary"]["value"]["minValue"] == 5000
    assert posting["baseSalary"]["value"]["unitText"] == "MONTH"


def test_a_jd_titled_only_by_a_heading_takes_the_role_noun_its_opening_uses(profiles):
    """No title and no 岗位名称: the first line is a heading (`一、通用要求(面向全体面点师)`),
    whose words are not a role; the role noun the opening repeats is (issue 17)."""
    text = (
        "一、通用要求(面向全体面点师)\n"
        "- 和面发酵：面点师每日按配方称量面粉与酵母，记录发酵时间。\n"
        "- 出品检查：面点师对每批包点抽检外形和口感，不合格的不得出品。\n"
        "二、任职要求\n"
        "中专以上学历，两年以上面点工作经验。"
    )
    (rec,) = clean_page(Page(text=text), profiles)
    assert rec.job is not None and rec.job["title"] == "面点师"


@pytest.mark.parametrize("label", ["岗位职责：", "技能要求：", "任职要求：", "职位信息:", "4、职责"])
def test_a_posting_without_a_title_takes_no_label_or_passing_mention_for_its_role(label, profiles):
    """A posting saved without its board title starts at a section label: the label's words
    (`技能` of `技能要求`) are not a role, nor a role its duties mention once in passing
    (`配合产品经理`, `够与团队成员` cut from `能够与团队成员`); no role beats a wrong one."""
    text = (
        f"{label}\n1、负责后台服务的设计与开发，配合产品经理完成需求评审；\n"
        "2、能够与团队成员一起排查线上问题；\n3、编写技术文档。\n"
        "任职资格：\n1、本科及以上学历，3年以上开发经验；\n2、熟悉数据库。"
    )
    (rec,) = clean_page(Page(text=text), profiles)
    assert rec.job is not None
    assert rec.job["title"] is None
    assert rec.job["requirements"]["experience"]["min_years"] == 3


def test_a_role_noun_starts_where_the_text_shows_a_word_starts(profiles):
    """Without a dictionary the text itself shows where a role noun starts: after a bracket or
    a line start, or after different characters; a piece glued to one neighbour is not."""
    lex = profiles.job_lexicon
    text = "每位面点师负责和面。\n(面点师)按配方出品；高级面点师带教新人。"
    assert _starts_a_word("面点师", text)
    assert not _starts_a_word("位面点师", text)  # once only
    glued = "并进行长期维护，并进行长期优化"
    assert not _starts_a_word("进行长", glued)  # always after 并
    assert names_a_role("面点师", lex)


# (a row of four four-character cells in the page head, `直接上级 客服经理 直接下级 客服专员`, is
# still taken for a slogan by `generic/site-tagline`: a known limit, not what this test is about)
_FORM_ROWS = [
    ("岗位名称", "客服主管"),
    ("所属部门", "运营部"),
    ("直接上级", "运营部经理"),
    ("直接下级", "客服专员"),
]
_FORM_BODY = (
    "\n岗位职责\n1、负责客服团队的日常管理；\n2、负责客户投诉的处理与跟踪；\n任职资格\n1、大专及以上学历。"
)


@pytest.mark.parametrize(
    "form",
    [
        "\n".join(f"{k}\n{v}" for k, v in _FORM_ROWS),  # one cell a line
        "\n".join(
            f"{a}\t{b}\t{c}\t{d}" for (a, b), (c, d) in zip(_FORM_ROWS[::2], _FORM_ROWS[1::2], strict=True)
        ),
        "\n".join(f"{k}\u3000{v}" for k, v in _FORM_ROWS),
    ],
    ids=["cell-a-line", "tabs", "ideographic-space"],
)
def test_a_form_printed_one_cell_a_line_or_parted_by_tabs_pairs_keys_and_values(form, profiles):
    job = clean_text("客服主管岗位说明书\n" + form + _FORM_BODY, profiles)[0].job
    assert job is not None
    got = {k: job[k] for k in ("title", "department", "reports_to", "subordinates")}
    assert got == {
        "title": "客服主管",
        "department": "运营部",
        "reports_to": "运营部经理",
        "subordinates": "客服专员",
    }


def test_a_blank_form_cell_does_not_take_the_next_key_for_its_value(profiles):
    """A blank template: `工作地点` with no value, then a key the lexicon does not know. A place has
    no shape to tell it from a key, so it is not read from the cell below; a key before a
    heading or another key has no value."""
    form = "岗位名称\n客服主管\n工作地点\n所辖人员\n直接上级\n岗位职责"
    job = clean_text("客服主管岗位说明书\n" + form + _FORM_BODY, profiles)[0].job
    assert job is not None and job["location"] is None and job["reports_to"] is None


@pytest.mark.parametrize(
    "title",
    ["Customer Service Supervisor 客服主管", "客服主管 Customer Service Supervisor", "客服主管岗位职责"],
)
def test_an_english_rendering_beside_a_chinese_title_is_not_the_role(title, profiles):
    assert role_from_title(title, profiles.job_lexicon) == "客服主管"
    assert role_from_title("Java开发工程师", profiles.job_lexicon) == "Java开发工程师"  # one word: the role's


@pytest.mark.parametrize(
    ("text", "majors"),
    [
        (
            "1.数学、计算机科学与技术、通信工程及相关专业本科以上学历",
            ["数学", "计算机科学与技术", "通信工程"],
        ),
        ("计算机科学或相关专业的本科及以上学历", ["计算机科学"]),
        ("财务管理、会计专业；熟悉财务管理、会计专业知识", ["财务管理", "会计"]),
        ("我们致力于培养最专业的团队，专业知识培训两天", []),
    ],
)
def test_majors_are_the_named_fields_of_study_each_once(text, majors, profiles):
    """The majors before `相关专业` without the item's number or a joining `及`/`或`; 专业 as an
    adjective or the head of another noun (`最专业的`, `专业知识`) names no major."""
    assert parse_requirements([text], profiles.job_lexicon)["majors"] == majors


@pytest.mark.parametrize("joiner", ["\n", ""], ids=["cells", "run-together"])
def test_a_form_that_states_each_duty_gives_the_statements_as_responsibilities(joiner, profiles):
    """The 职责一 / 职责表述 / 工作时间百分比 / 工作任务 form, its cells a line each (the label's
    letters one a line) or run together: the stated duties are the responsibilities."""
    cells = ["仓库主管岗位说明书", "岗位名称", "仓库主管", "职责与工作任务:"]
    for k, (duty, task) in enumerate(
        [
            ("负责物资的入库验收与登记", "核对送货单"),
            ("负责库存的月度盘点", "编制盘点表"),
            ("负责仓库的安全检查", "巡查消防设施"),
        ]
    ):
        cells += ["职", "责", "一二三"[k], f"职责表述:{duty}", "工作时间百分比:30%", "工作", "任务", task]
    cells += ["任职资格:", "教育水平", "中专以上"]
    job = clean_text(joiner.join(cells) if joiner else "\n".join([cells[0], "".join(cells[1:])]), profiles)[
        0
    ].job
    assert job is not None
    assert job["responsibilities"] == ["负责物资的入库验收与登记", "负责库存的月度盘点", "负责仓库的安全检查"]


def test_a_blank_forms_placeholder_cells_are_not_duties(profiles):
    text = "仓库主管岗位说明书\n岗位职责\n1、负责物资的入库验收；\n2、略\n3、负责库存的月度盘点；\n4、负责\n任职资格\n1、中专以上学历。"
    job = clean_text(text, profiles)[0].job
    assert job is not None and job["responsibilities"] == ["负责物资的入库验收；", "负责库存的月度盘点；"]


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("门卫管理制度及岗位职责", "门卫"),
        ("厨房岗位设置及职责", "厨房"),
        ("仓库管理员岗位职责", "仓库管理员"),
    ],
)
def test_a_title_naming_rules_and_duties_names_the_role_before_the_rules(title, role, profiles):
    assert role_from_title(title, profiles.job_lexicon) == role


def test_a_role_keeps_its_words_not_a_headings_marker_or_stray_stops(profiles):
    body = "\n1、负责日常接待工作；\n2、负责来访登记。\n二、任职要求\n1、高中以上学历。"
    job = clean_text("一、前台接待员" + body, profiles)[0].job
    assert job is not None and job["title"] == "前台接待员"


def test_a_requirements_raw_is_its_clause_not_the_run_on_paragraph(profiles):
    """A flattened form or a run-on paragraph: `raw` is the clause that states the requirement,
    as printed, not the whole line it stands in."""
    line = (
        "任职资格:教育水平大专及以上学历,会计、财务管理等相关专业优先,三年以上出纳或会计工作经验,"
        "熟悉国家财经法规和银行结算业务,能熟练使用财务软件和办公软件"
    )
    req = parse_requirements([line], profiles.job_lexicon)
    assert req["education"] == {"raw": "任职资格:教育水平大专及以上学历", "level": "associate"}
    assert req["experience"]["raw"] == "三年以上出纳或会计工作经验" and req["experience"]["min_years"] == 3


@pytest.mark.parametrize("label", ["岗位职责", "岗位职责：", "【岗位职责】"])
@pytest.mark.parametrize("bullet", ["• ", "- ", "● "])
def test_bulleted_duties_under_a_label_are_the_responsibilities_without_their_bullets(
    label, bullet, profiles
):
    duties = ["负责物资的入库验收；", "负责库存的月度盘点；", "负责仓库的安全检查。"]
    text = "\n".join(
        ["仓库管理员岗位职责", label, *(bullet + d for d in duties), "任职要求：", "大专以上学历。"]
    )
    job = clean_text(text, profiles)[0].job
    assert job is not None and job["responsibilities"] == duties


def test_requirements_in_traditional_script_are_read_and_raw_stays_verbatim(profiles):
    """A mirror in traditional script: 大學專科 is an associate degree, 三年以上 three years; the
    `raw` strings are the page's own characters, not the simplified view they were read on."""
    text = (
        "倉管員崗位職責\n崗位職責:\n1、負責倉庫物料的收發與登記;\n2、負責每月庫存盤點;\n3、負責倉庫的安全檢查。\n"
        "能力要求:\n1、大學專科以上學歷;\n2、三年以上倉庫管理經驗。"
    )
    job = clean_text(text, profiles)[0].job
    assert job is not None
    education, experience = job["requirements"]["education"], job["requirements"]["experience"]
    assert education["level"] == "associate" and "大學專科" in education["raw"] and education["raw"] in text
    assert experience["min_years"] == 3 and experience["raw"] in text


@pytest.mark.parametrize(
    "items",
    [
        # duty areas named before their duties
        [
            "1. 会议协调:组织部门例会,整理会议纪要并跟进落实;",
            "2. 文件管理:负责公司文件的收发与归档;",
            "3. 对外联络:协助接待来访客户。",
        ],
        # duties stated as obligations
        [
            "1. 司机应爱惜车辆,定期检查车辆主要机件;",
            "2. 必须遵守交通法规,安全驾驶;",
            "3. 出车前须检查油、水、电是否正常。",
        ],
    ],
)
def test_a_flat_duty_list_in_other_shapes_gives_the_responsibilities(items, profiles):
    text = "\n".join(["行政司机岗位说明书", *items, "任职要求:高中以上学历,三年以上驾龄。"])
    job = clean_text(text, profiles)[0].job
    assert job is not None and len(job["responsibilities"]) == 3


# Postings written for these tests, in the shapes job boards print them.
_LABEL_NO_COLON = [
    "数据采集工程师",
    "岗位职责要求",
    "1. 设计并维护分布式采集系统，保证抓取稳定；",
    "2. 基于对象存储搭建数据分层方案；",
    "3. 编写数据清洗与入库流程。",
    "岗位任职要求",
    "1. 计算机相关专业本科及以上学历；",
    "2. 三年以上数据开发经验。",
]
_DUTIES_FIRST = [
    "运营专员",
    "1、 搭建并运营公司公众号与小程序；",
    "2、 不断优化活动流程，提升用户留存；",
    "3、 从数据角度协助产品改进。",
    "任职要求:",
    "1、本科及以上学历；",
    "2、熟悉新媒体运营。",
]
_DESCRIPTION_LIST = [
    "数据分析师",
    "岗位描述：",
    "1.分析园区能耗数据，设计分析报表。",
    "2.自行汇总各层数据并完成展示页面。",
    "招聘要求：",
    "1.本科及以上学历，统计相关专业。",
]


@pytest.mark.parametrize(
    ("lines", "first"),
    [
        (_LABEL_NO_COLON, "设计并维护分布式采集系统"),
        (_DUTIES_FIRST, "搭建并运营公司公众号与小程序"),
        (_DESCRIPTION_LIST, "分析园区能耗数据"),
    ],
)
def test_duties_in_posting_shapes_are_the_responsibilities(lines, first, profiles):
    """A label line without a colon, a duty list right under the title whose items start with
    no duty verb, a description heading over a numbered list: each is the duty list, and the
    requirements are not taken for it."""
    job = clean_page(Page(text="\n".join(lines)), profiles)[0].job
    assert job is not None and job["responsibilities"][0].startswith(first)
    assert not any("学历" in item for item in job["responsibilities"])
    assert job["requirements"]["education"]["level"] == "bachelor"


def test_a_requirements_list_right_under_the_title_is_not_the_duties(profiles):
    lines = [
        "开发实习生",
        "1、计算机相关专业；",
        "2、熟练使用Java；",
        "3、掌握数据库基础知识；",
        "4、具有良好的学习能力。",
    ]
    job = clean_page(Page(text="\n".join(lines)), profiles)[0].job
    assert job is None or job["responsibilities"] == []


@pytest.mark.corpus
def test_jds_with_a_numbered_list_have_responsibilities(corpus_rows, profiles):
    """Development pages and postings taken for JDs whose text has three numbered lines or
    more: at most one in ten has no responsibilities (10 of 134: lists of requirements or of
    benefits only, and duty areas without a duty verb)."""
    postings = SHARED / "external" / "job-postings.jsonl"
    texts = [r["text"] for r in corpus_rows]
    if postings.exists():
        for line in postings.open(encoding="utf-8"):
            r = json.loads(line)
            texts.append((r["title"] + "\n" if r.get("title") else "") + r["text"])
    numbered = re.compile(r"^\s*(?:\d{1,2}[、.．)）]|[(（]\d{1,2}[)）])")
    with_list = empty = 0
    for text in texts:
        try:
            records = clean_page(Page(text=text), profiles)
        except CleanError:
            continue
        for rec in records:
            if rec.job and sum(1 for ln in rec.text.split("\n") if numbered.match(ln)) >= 3:
                with_list += 1
                empty += not rec.job["responsibilities"]
    assert with_list >= 100 and empty <= 0.1 * with_list


_LEAD = (
    "仓库管理员岗位职责是指仓库管理员在日常工作中承担的具体任务和职责范围。它说明这个岗位做什么、"
    "对谁负责,是企业编写岗位说明书的基础。了解这些内容,有助于求职者判断自己是否适合这份工作。"
)


@pytest.mark.parametrize("title", [_LEAD[: _LEAD.index("。") + 1], _LEAD[: _LEAD.index("。")]])
def test_a_title_that_only_repeats_the_lead_sentence_does_not_make_an_article_a_jd(profiles, title):
    """A CMS that titles a page with its first characters gives the <title> the article's own
    words: the document is judged as its text alone is (an explainer, not a JD), whether the
    title holds the sentence's end mark or stops right before it. (A title the text goes on
    from mid-word may be a real title glued to the text, and is kept.)"""
    html = f"<html><head><title>{title}</title></head><body><div><p>{_LEAD}</p></div></body></html>"
    text_alone = clean_page(Page(text=_LEAD), profiles)[0]
    (rec,) = clean_page(Page(html=html), profiles)
    assert rec.job is None and text_alone.job is None


def test_a_real_title_before_the_text_still_names_the_jd(profiles):
    body = "一、岗位职责\n1、负责仓库物资的收发与盘点;\n2、负责出入库单据的登记与核对;\n二、任职资格\n1、中专及以上学历;"
    html = (
        "<html><head><title>仓库管理员岗位说明书</title></head><body><div>"
        + "".join(f"<p>{x}</p>" for x in body.split("\n"))
        + "</div></body></html>"
    )
    (rec,) = clean_page(Page(html=html), profiles)
    assert rec.job is not None and rec.title == "仓库管理员岗位说明书"


def test_a_traditional_script_jd_is_read_through_the_full_table_and_keeps_its_script(profiles):
    """Keys, headings and duties are read on the simplified view (OpenCC's table beside the
    hand-kept one: 貿, 擬, 彙 are in neither the notices nor the job words), values are cut from
    the text as printed."""
    text = (
        "外貿業務員崗位說明書\n崗位名稱:外貿業務員\n直接上級:外貿部經理\n一、崗位職責\n"
        "1、負責擬定出口報價並跟進客戶詢盤;\n2、負責彙總訂單資料並安排貨物出運;\n"
        "二、任職資格\n1、大學專科及以上學歷,兩年以上外貿工作經驗;"
    )
    (rec,) = clean_page(Page(text=text), profiles)
    job = rec.job
    assert job is not None
    assert (job["title"], job["reports_to"]) == ("外貿業務員", "外貿部經理")
    assert len(job["responsibilities"]) == 2 and job["responsibilities"][0].startswith("負責擬定")
    assert job["requirements"]["education"]["level"] == "associate"


def test_duties_numbered_right_after_the_title_end_where_the_numbering_restarts(profiles):
    """A posting that lists its duties under no heading and its requirements under a bare
    label: the duties are the list up to where numbering starts again at 1, without the label."""
    text = (
        "数据分析师\n1、参与业务数据的采集与清洗,搭建日常报表;\n2、负责专题分析,输出分析报告和改进建议;\n"
        "3、维护指标体系,保证口径统一;\n任职资格\n1、本科及以上学历,统计学相关专业;\n"
        "2、熟悉SQL和Python;\n3、具备良好的沟通能力;"
    )
    job = clean_page(Page(text=text), profiles)[0].job
    assert job is not None
    assert [r[:6] for r in job["responsibilities"]] == ["参与业务数据", "负责专题分析", "维护指标体系"]
    assert not any("任职资格" in r for r in job["responsibilities"])


def test_duty_areas_named_by_planning_verbs_are_responsibilities(profiles):
    """Modules whose sentences start 统筹/主导/搭建 … (duty verbs of management roles)."""
    text = (
        "生产总监岗位职责\n1. 生产体系建设\n统筹制定生产中长期规划,搭建生产管理体系;\n"
        "2. 运营管控\n主导年度生产计划的编制与执行,推动精益生产;\n3. 团队建设\n牵头组建生产管理团队,开展技能培训。"
    )
    job = clean_page(Page(text=text), profiles)[0].job
    assert job is not None and len(job["responsibilities"]) == 3


def test_a_duties_document_divided_into_areas_of_duty_lists_their_items(profiles):
    """`…岗位职责` whose numbered parts are areas of duty named by no field word."""
    text = (
        "电工岗位职责\n一、设备巡检与维护\n1. 负责配电设备的日常巡检,记录运行参数;\n"
        "2. 接到报修后及时到场处理故障;\n二、安全与档案\n1. 建立设备电气档案,定期更新;\n"
        "2. 严格执行停送电操作规程。"
    )
    job = clean_page(Page(text=text), profiles)[0].job
    assert job is not None and len(job["responsibilities"]) == 4
    assert job["responsibilities"][0].startswith("负责配电设备")
