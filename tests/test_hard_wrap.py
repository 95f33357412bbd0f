"""Hard-wrapped text dumps (a PDF preview's text, a fixed-width dump) rejoined before reading."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners import Page, clean_page
from cleaners.errors import CleanError
from cleaners.hard_wrap import columns, unwrap, wrap_width

_JD = (
    "一、岗位职责",
    "1、负责仓库物资的入库验收、分类存放和出库发放工作,做好每一笔收发的单据登记并及时录入系统台账;",
    "2、负责每月组织库存盘点,核对账实是否相符,发现差异及时查明原因并书面报告部门主管处理;",
    "3、负责仓库的安全防火与卫生管理,定期检查消防器材和货架状况,保持库区整洁、通道畅通;",
    "4、配合采购和生产部门做好物料的计划调度,对呆滞物料和近效期物料提出处理建议;",
    "二、任职资格",
    "1、中专及以上学历,物流管理或相关专业,两年以上仓库管理工作经验,熟悉常用办公软件;",
    "2、工作细致认真,责任心强,能够适应经常性的搬运和盘点工作,具备良好的沟通协调能力。",
)


def _wrap(lines: tuple[str, ...], width: int) -> list[str]:
    out = []
    for line in lines:
        while len(line) > width:
            out.append(line[:width])
            line = line[width:]
        out.append(line)
    return out


def test_a_jd_wrapped_every_24_characters_reads_as_the_original(profiles):
    original = clean_page(Page(text="仓库管理员岗位说明书\n" + "\n".join(_JD)), profiles)[0]
    wrapped = clean_page(Page(text="仓库管理员岗位说明书\n" + "\n".join(_wrap(_JD, 24))), profiles)[0]
    assert wrapped.text == original.text
    assert [s.title for s in wrapped.sections] == ["岗位职责", "任职资格"]
    assert wrapped.job is not None and len(wrapped.job["responsibilities"]) == 4


def test_lines_of_many_widths_are_not_taken_for_a_wrap():
    assert wrap_width(list(_JD)) is None and unwrap(list(_JD)) == list(_JD)


@given(st.lists(st.text(alphabet="岗位职责负责工作。,;1、ab ", min_size=0, max_size=60), max_size=40))
@settings(max_examples=300, deadline=None)
def test_unwrapping_keeps_every_character_in_order(lines):
    joined = unwrap(lines)
    assert "".join(joined).replace(" ", "") == "".join(lines).replace(" ", "")
    assert len(joined) <= len(lines)


def test_columns_count_wide_characters_twice():
    assert columns("岗位ab,") == 7 and columns("岗位，") == 6


def test_the_development_pages_wrapped_at_a_fixed_width_keep_their_headings(corpus_rows, profiles):
    """Every development page cut every 36 characters: the top-level headings of the pages
    that have some are those of the page as it was for most of them."""

    def tops(text: str) -> list[str]:
        try:
            return [s.marker for r in clean_page(Page(text=text), profiles) for s in r.sections if s.marker]
        except CleanError:
            return []

    pairs = [(tops(r["text"]), tops("\n".join(_wrap(tuple(r["text"].split("\n")), 36)))) for r in corpus_rows]
    with_headings = [(a, b) for a, b in pairs if a]
    same = sum(a == b for a, b in with_headings)
    assert same >= 0.9 * len(with_headings), (same, len(with_headings))


def test_a_list_of_items_made_alike_is_not_taken_for_a_wrap():
    """Related file names of one pattern reach one width too; they end alike, a wrap does not."""
    items = [f"{y}年度部门员工考勤管理办法与工作计划实施细则汇编第{y}册.doc" for y in range(2001, 2015)]
    assert unwrap(items) == items
