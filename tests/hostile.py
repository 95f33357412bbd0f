"""A corpus of hostile inputs, generated (never committed as blobs):
`python tests/hostile.py DIR [--huge]` writes it; the tests call `make_hostile_corpus`."""

from __future__ import annotations

import codecs
import gzip
import json
import os
import sys
from pathlib import Path

JD = "客户经理岗位说明书\n一、岗位职责\n1.负责客户开发与维护，完成销售目标；\n2.负责合同管理，编制人王喆。\n二、任职资格\n本科及以上学历，3年以上经验。"


def _html(text: str, charset: str, title: str = "岗位说明书") -> str:
    body = "".join(f"<p>{line}</p>" for line in text.split("\n"))
    return f"<html><head><meta charset='{charset}'><title>{title}</title></head><body><div>{body}</div></body></html>"


def make_hostile_corpus(root: Path, huge: bool = False) -> dict[str, str]:
    """Write the hostile inputs; returns name → what it is. Good pages are marked `good:`."""
    root.mkdir(parents=True, exist_ok=True)
    made: dict[str, str] = {}

    def put(name: str, data: bytes, what: str) -> None:
        (root / name).write_bytes(data)
        made[name] = what

    put("binary.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64, "binary")
    put("empty.txt", b"", "empty")
    put("nul-bytes.txt", JD.encode() + b"\x00" * 4096 + JD.encode(), "NUL bytes")
    put(
        "deep.html",
        ("<div>" * 10000 + "岗位职责：负责深层嵌套页面的维护。" + "</div>" * 10000).encode(),
        "good: 10,000-deep nesting",
    )
    put(
        "one-line.html",
        ("<html><body><p>" + "岗位职责负责销售。" * 400_000 + "</p></body></html>").encode(),
        "a 10 MB single line",
    )
    put("gbk-declared-utf8.html", _html(JD, "utf-8").encode("gbk"), "good: GBK bytes declared utf-8")
    put("utf8-declared-gbk.html", _html(JD, "gbk").encode("utf-8"), "good: UTF-8 bytes declared gbk")
    put(
        "big5-declared-gb2312.html",
        _html("經理崗位職責：負責業務拓展。", "gb2312", "崗位說明書").encode("big5"),
        "Big5 declared gb2312",
    )
    put(
        "utf16-bom.html",
        codecs.BOM_UTF16_LE + _html(JD, "utf-16").encode("utf-16-le"),
        "good: UTF-16 with BOM",
    )
    put("utf16-nobom.html", _html(JD, "utf-16").encode("utf-16-le"), "UTF-16 without BOM")
    put(
        "mojibake.txt",
        JD.encode("utf-8").decode("gbk", "replace").encode("utf-8"),
        "mojibake: UTF-8 read as GBK, saved",
    )
    put("truncated.html", _html(JD, "utf-8").encode()[:150], "truncated HTML")
    put("odd name 名字 (1)#.txt", JD.encode(), "good: odd characters in the name")
    rows = [json.dumps({"text": JD.replace("客户经理", f"职员{i}")}, ensure_ascii=False) for i in range(20)]
    rows[5] = '{"text": "unterminated'
    rows[9] = json.dumps({"text": 42})
    rows[12] = json.dumps(["a", "list"])
    rows[15] = "\x00\x01garbage"
    put("rows.jsonl", ("\n".join(rows) + "\n").encode(), "good: JSONL with 4 bad rows among 16 good ones")
    full = gzip.compress(("\n".join(rows[:4]) + "\n").encode() * 200)
    put("cut.jsonl.gz", full[: len(full) // 2], "truncated gzip")
    put(
        "cut.warc.gz",
        gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 9999\r\n\r\nHTTP/1.1 200 OK\r\n")[
            :60
        ],
        "truncated WARC",
    )
    (root / "loop").symlink_to(root, target_is_directory=True)
    if huge:
        with open(root / "huge.html", "wb") as fh:  # 100 MB, over the default size cap
            fh.write(b"<html><body><p>" + "岗".encode() * (100 * 1024 * 1024 // 3) + b"</p></body></html>")
        made["huge.html"] = "100 MB single line"
    return made


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")
    for name, what in make_hostile_corpus(out, huge="--huge" in sys.argv).items():
        print(f"{name}: {what}")
    print(f"written to {out}{os.sep}")
