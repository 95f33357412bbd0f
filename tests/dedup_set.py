"""A labelled near-duplicate set built at run time from the real pages in ../shared/corpus:
each page's document plus variants a user meets (other chrome, widths and spaces changed, a
paragraph added or dropped, a truncated preview with a reader's counter, a copy cut at a line end
with no marker, a retitled copy), and hard negatives (different
job descriptions written from one template). Nothing of the pages is stored in this repository."""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.pages import job_description
from cleaners import Page, ProfileSet, clean_page
from cleaners.near_dup import dedup_content, shingles

_FULL = str.maketrans("0123456789,:;()", "０１２３４５６７８９，：；（）")


def _variants(text: str, rng: random.Random) -> dict[str, str]:
    lines = text.split("\n")
    sentences = text.split("。")  # add or drop a sentence in the middle, whatever the line layout
    half = max(1, len(sentences) // 2)
    return {
        "chrome": "当前位置:首页 > 文档 > 岗位说明书\n上传时间:2024-03-02 10:11:12 浏览:88\n"
        + text
        + "\n您可能关注的文档\n- 年度培训计划.docx\n- 员工手册.pdf\n文档评论(0)",
        "widths": text.translate(_FULL).replace("。", "。 "),
        "added": "。".join(
            [
                *sentences[:half],
                "本说明书经人力资源部审核后生效,如有变更以公司最新通知为准",
                *sentences[half:],
            ]
        ),
        "dropped": "。".join(sentences[:half] + sentences[half + 1 :]) if len(sentences) > 8 else text + "\n",
        # a reader's preview, with the counter real previews print
        "preview": text[: max(120, len(text) // 2)] + "\n已阅读3页,还剩9页未读",
        # a copy cut at a line end with no marker at all (a scrape stopped early): nothing says
        # it is a preview but that its text opens, and is contained in, the full copy
        "cut": "\n".join(lines[: max(3, len(lines) * 2 // 5)]),
        "retitled": "\n".join(["【精品】" + lines[0] + "(最新版)", *lines[1:]]),
    }


def build(rows: list[dict], profiles: ProfileSet) -> list[tuple[str, str]]:
    """(group, text) pairs: documents of one group are duplicates of each other, of two groups not."""
    rng = random.Random(11)
    originals: list[tuple[str, str]] = []
    seen: list[set[str]] = []
    for row in rows:
        try:
            text = clean_page(Page(text=row["text"]), profiles)[0].text
        except Exception:
            continue
        grams = set(shingles(dedup_content(text)))
        if len(text) < 300 or any(len(grams & s) / len(grams | s) >= 0.5 for s in seen):
            continue  # too short to test, or already near another page (mirrors)
        seen.append(grams)
        originals.append((row["id"], text))
    out: list[tuple[str, str]] = []
    for gid, text in originals:
        out.append((gid, text))
        out.extend((gid, v) for v in _variants(text, rng).values())
    for k in range(60):  # hard negatives: one template, different roles and duties
        out.append((f"template-{k}", "\n".join(job_description(random.Random(1000 + k)))))
    return out
