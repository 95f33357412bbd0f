"""Quality flags: garbled text, truncation, short documents."""

from __future__ import annotations

from cleaners.flags import has_suspect_number, is_garbled, is_short, is_truncated

REAL = "客户经理岗位说明书，负责公司产品的推广和销售，达成月度、季度及年度销售目标。"


def test_utf8_read_as_gbk_is_garbled():
    mojibake = REAL.encode("utf-8").decode("gbk", errors="replace")
    assert is_garbled(mojibake)
    assert not is_garbled(REAL * 5)


def test_utf8_read_as_latin1_is_garbled():
    assert is_garbled(REAL.encode("utf-8").decode("latin-1"))


def test_pinyin_glossed_mirror_is_garbled():
    assert is_garbled(
        "版權(quán)說(shuō)明:本文檔由用戶提供并上傳,收益歸屬內(nèi)容提供方,侵權(quán)請(qǐng)舉報(bào)"
    )


def test_truncation_by_ending():
    assert is_truncated(["一、职责", "负责销售工作,"], False)
    assert is_truncated(["1.负责销售;", "2.负责回款;", "3.鼓励"], False)
    assert not is_truncated(["1.负责销售;", "2.负责回款。"], False)
    assert is_truncated(["1.负责销售。"], True)


def test_short_and_suspect_numbers():
    assert is_short("岗位职责") and not is_short(REAL * 3)
    assert has_suspect_number("工作经验:13年销售经验") and not has_suspect_number(
        "3年以上工作经验,年龄35岁以下"
    )
