"""A PDF's running header or footer, repeated through a document saved from it, goes."""

from __future__ import annotations

from cleaners import Page, clean_page
from cleaners.running_header import cut_running_headers

_HEADER = "华东示范物流股份有限公司内部管理文件"
_DUTIES = [f"{k}、负责第{k}号仓区的收发货、盘点与单据核对工作,并按时提交日报;" for k in range(1, 13)]


def _pdf(lines: list[str], every: int) -> list[str]:
    out = []
    for k, line in enumerate(lines):
        if k and k % every == 0:
            out.append(_HEADER)
        out.append(line)
    return out


def test_a_header_repeated_at_every_page_break_goes_and_the_document_stays(profiles):
    page = [
        "仓库主管岗位说明书",
        "一、岗位职责",
        *_DUTIES,
        "二、任职资格",
        "1、大专及以上学历;",
        "2、三年以上仓储管理经验;",
    ]
    (rec,) = clean_page(Page(text="\n".join(_pdf(page, 4))), profiles)
    assert _HEADER not in rec.text
    assert all(duty in rec.text for duty in _DUTIES)
    assert sum(r.rule == "generic/running-header" for r in rec.removed) == 4  # every 4th line of 19


def test_lines_a_document_repeats_by_its_structure_stay():
    never = lambda line: False  # noqa: E731  (no lexicon: only the step's own tests)
    lead = "(具备以下条件之一者)"
    page = []
    for level in ("初级", "中级", "高级"):
        page += [level, lead, "(1)取得相应的职业资格证书;", "(2)连续从事本职业工作三年以上。"]
    assert cut_running_headers(page, never) == (page, [])
    cells = ["权重", "15 %", "说明甲", "权重", "25 %", "说明乙", "权重", "15 %", "说明丙", "权重", "15 %"]
    assert cut_running_headers(cells, never) == (cells, [])
