"""Decoding: GBK declared as gb2312, undeclared GBK, BOMs, UTF-16, binary, lossy bytes."""

from __future__ import annotations

import codecs

import pytest

from cleaners import NotTextError, Page, clean_page
from cleaners.decode import canonical_charset, decode_bytes

TEXT = "编制人：王喆，岗位职责：负责镕铖项目的资料归档。"  # 喆 and 镕 are outside GB2312


def test_gb2312_declared_page_decodes_as_gb18030():
    html = f'<meta charset="gb2312"><p>{TEXT}</p>'.encode("gb18030")
    assert decode_bytes(html).text.endswith(f"{TEXT}</p>")
    assert decode_bytes(html).encoding == "gb18030"


def test_gbk_declared_in_http_header():
    data = TEXT.encode("gbk")
    assert decode_bytes(data, declared="GBK").text == TEXT


def test_gbk_without_any_declaration_is_detected():
    data = ("<p>" + TEXT * 3 + "</p>").encode("gb18030")
    assert TEXT in decode_bytes(data).text


def test_declared_charset_that_lies_falls_back_to_the_bytes():
    data = f'<meta charset="gb2312"><p>{TEXT}</p>'.encode()
    assert TEXT in decode_bytes(data).text


@pytest.mark.parametrize("bom,codec", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")])
def test_byte_order_marks(bom, codec):
    assert decode_bytes(bom + TEXT.encode(codec)).text == TEXT


def test_utf16_without_bom_ascii_heavy():
    data = "<html><body><p>Job title: clerk 职员</p></body></html>".encode("utf-16-le")
    assert "职员" in decode_bytes(data).text


def test_binary_is_rejected_with_a_reason():
    with pytest.raises(NotTextError, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


def test_invalid_utf8_without_charset_still_yields_text(profiles):
    data = "岗位职责：负责仓库管理。".encode() + b"\xff\xfe\xfa" + "任职要求：中专以上学历。".encode()
    records = clean_page(Page(raw=data, kind="text"), profiles)
    assert "岗位职责" in records[0].text


def test_gb_family_names_widen_to_gb18030():
    assert {canonical_charset(n) for n in ("gb2312", "GBK", "x-gbk", "cp936")} == {"gb18030"}
    assert canonical_charset("no-such-charset") is None
