"""Chrome in words the rules were not written for, around the development pages.

Wraps each page of ../shared/corpus/pages.jsonl in one of four layouts that score-corpus does not
use (a layout table with a sidebar, page boxes, an article with a comments section, a <pre>) with
page chrome from one of three wording sets (previous/next links, share and tag lines, bylines,
comments, footers), runs `harvester clean` over them, and prints per layout the chrome lines
leaked, the labelled boilerplate leaked and the labelled content lost. Set 1 and 2 are the sets
rules were added for (their figures are not held out); set 3's words are in no rule.

usage: python benchmarks/unknown_chrome.py [--set 1|2|3] [--corpus ../shared/corpus/pages.jsonl]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
SETS = {
    1: {
        "prev": "上一篇：{a}",
        "next": "下一篇：{b}",
        "share": ["分享到：微信 微博 QQ空间", "返回顶部"],
        "tags": "本文标签：{t}",
        "byline": ["文章来源：网络整理", "责任编辑：小李"],
        "comments_head": "网友评论",
        "comments": ["这篇写得很详细，正好用得上，谢谢分享！", "请问有没有word版本可以下载的？"],
        "footer": "Copyright © 2024 example.com All Rights Reserved",
    },
    2: {
        "prev": "« 上一篇 {a}",
        "next": "下篇：{b}",
        "share": ["[打印本页] [关闭窗口]", "转载请注明出处"],
        "tags": "热门搜索：{t}",
        "byline": ["本文链接：https://www.example.cn/a/12345.html", "作者：佚名 来源：互联网"],
        "comments_head": "发表评论",
        "comments": ["楼主辛苦了，资料很实用。", "能不能发一份到我邮箱？"],
        "footer": "版权所有 © 某某范文网 浙ICP备12345678号",
    },
    3: {
        "prev": "前一篇：{a}",
        "next": "后一篇：{b}",
        "share": ["一键分享：微信 | 微博 | QQ", "加入书签"],
        "tags": "所属专题：{t}",
        "byline": ["供稿：人事处 审核：王某", "更新于2023年6月1日"],
        "comments_head": "大家的看法",
        "comments": ["内容挺全的，点个赞。", "第三条写得不太清楚吧？"],
        "footer": "Powered by 某某CMS 京ICP备000000号",
    },
}
TITLES = [
    "年度工作总结范文",
    "员工手册(2024版)",
    "安全生产管理制度",
    "劳动合同范本",
    "会议纪要模板",
    "工作计划表格",
]
LAYOUTS = ["table", "pages", "comments", "pre"]


def norm(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def wrap(text: str, words: dict, rng: random.Random) -> tuple[str, list[str], str]:
    """The page as HTML in a random layout, and the chrome lines put around it."""
    e = html.escape
    paras = [x for x in text.splitlines() if x.strip()]
    layout = rng.choice(LAYOUTS)
    a, b = rng.sample(TITLES, 2)
    prev, nxt = words["prev"].format(a=a), words["next"].format(b=b)
    chrome = [
        prev,
        nxt,
        rng.choice(words["share"]),
        words["tags"].format(t="岗位职责 说明书 范文"),
        *words["byline"],
        words["footer"],
    ]
    if layout == "table":
        body = (
            "<table><tr><td colspan=2>"
            + " | ".join(f"<a href=/>{x}</a>" for x in TITLES[:4])
            + "</td></tr><tr><td>"
            + "<br>".join(e(p) for p in paras)
            + "</td><td>"
            + "".join(f"<p><a href=/x>{e(t)}</a></p>" for t in TITLES)
            + "</td></tr></table>"
        )
    elif layout == "pages":
        k = max(1, len(paras) // 3)
        body = "".join(
            f"<div class='page'>{''.join(f'<p>{e(p)}</p>' for p in paras[i : i + k])}<div class='no'>第{i // k + 1}页</div></div>"
            for i in range(0, len(paras), k)
        )
    elif layout == "comments":
        body = "<article>" + "".join(f"<p>{e(p)}</p>" for p in paras) + "</article>"
    else:
        body = "<pre>" + e("\n".join(paras)) + "</pre>"
    comments = ""
    if layout == "comments":
        chrome += words["comments"]
        comments = (
            f"<div class='cm'><h3>{words['comments_head']}</h3>"
            + "".join(
                f"<div class=c><span>用户{i}</span><p>{e(c)}</p></div>"
                for i, c in enumerate(words["comments"])
            )
            + "</div>"
        )
    page = (
        f"<html><head><meta charset='utf-8'><title>{e(paras[0][:30] if paras else '')}</title></head><body>"
        f"<div class='meta'>{e(chrome[5])}</div>{body}<div class='tags'>{e(chrome[3])}</div>"
        f"<div class='share'>{e(chrome[2])}</div><div class='pn'><a href=/p>{e(prev)}</a><a href=/n>{e(nxt)}</a></div>"
        f"<div class='by'>{e(chrome[4])}</div>{comments}<div class='foot'>{e(chrome[6])}</div></body></html>"
    )
    return page, chrome, layout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", type=int, choices=sorted(SETS), default=3)
    ap.add_argument("--corpus", default=str(HERE.parent / "shared" / "corpus" / "pages.jsonl"))
    ap.add_argument(
        "--tree", default=str(HERE), help="the checkout whose harvester runs (to compare commits)"
    )
    a = ap.parse_args()
    with open(a.corpus, encoding="utf-8") as fh:
        rows = [json.loads(x) for x in fh]
    rng = random.Random(a.set)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        chrome_of, layout_of = {}, {}
        for r in rows:
            page, chrome_of[r["id"]], layout_of[r["id"]] = wrap(r["text"], SETS[a.set], rng)
            (src / f"{r['id']}.html").write_text(page, encoding="utf-8")
        out = Path(tmp) / "out.jsonl"
        cmd = [
            sys.executable,
            "-m",
            "harvester",
            "clean",
            str(src),
            "-o",
            str(out),
            "--no-dedup",
            "--no-learn-templates",
        ]
        subprocess.run(cmd, cwd=a.tree, check=True, capture_output=True)
        by: dict[str, list[dict]] = {}
        with open(out, encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                by.setdefault(os.path.splitext(os.path.basename(rec["source"]["path"]))[0], []).append(rec)
    leaked, chrome, lost, keep, bp, bp_n = Counter(), Counter(), Counter(), Counter(), Counter(), Counter()
    for r in rows:
        text = norm("\n".join((x.get("title") or "") + "\n" + x["text"] for x in by.get(r["id"], [])))
        lay = layout_of[r["id"]]
        for c in chrome_of[r["id"]]:
            chrome[lay] += 1
            leaked[lay] += norm(c) in text
        for s in r["must_keep"]:
            keep[lay] += 1
            lost[lay] += norm(s) not in text
        for s in r["must_remove"]:
            bp_n[lay] += 1
            bp[lay] += norm(s) in text
    print(f"wording set {a.set}: {len(rows)} pages")
    for lay in LAYOUTS:
        print(
            f"  {lay:9s} chrome leaked {leaked[lay]:4d}/{chrome[lay]:<5d} labelled boilerplate leaked "
            f"{bp[lay]:3d}/{bp_n[lay]:<4d} content lost {lost[lay]:3d}/{keep[lay]}"
        )
    print(
        f"  all       chrome leaked {sum(leaked.values())}/{sum(chrome.values())}, labelled boilerplate leaked "
        f"{sum(bp.values())}/{sum(bp_n.values())}, content lost {sum(lost.values())}/{sum(keep.values())}"
    )


if __name__ == "__main__":
    main()
