"""Site profiles are data: every bundled one loads, recognises its site, and users can add one."""

from __future__ import annotations

import pytest

from cleaners import Page, clean_page
from cleaners.boilerplate import to_simplified
from cleaners.normalise import split_lines
from harvester.sites import ProfileError, load_profiles

from .conftest import SAMPLES

URLS = {
    "book118": "https://max.book118.com/html/2024/0101/1.shtm",
    "renrendoc": "https://www.renrendoc.com/paper/123.html",
    "doc88": "https://www.doc88.com/p-123.html",
    "docin": "https://www.docin.com/p-123.html",
    "360docs": "https://www.360docs.net/doc/abc.html",
}
TEXT_MARKERS = {
    "book118": "1、原创力文档(book118)网站文档一经付费(服务费),不意味着购买了该文档的版权。",
    "renrendoc": "版权说明:本文档由用户提供并上传,收益归属内容提供方,若内容存在侵权,请进行举报或认领",
    "360docs": "1、下载文档前请自行甄别文档内容的完整性,平台不提供额外的编辑、内容补充、找答案等附加服务。",
}
JD = "\n一、岗位职责\n1.负责客户开发;\n2.负责合同管理。"


def test_all_bundled_profiles_load_and_have_distinct_names(profiles):
    names = [p.name for p in profiles.profiles]
    assert len(names) == len(set(names)) >= 6
    assert profiles.generic.notices is not None


@pytest.mark.parametrize("site", sorted(URLS))
def test_recognised_by_url(site, profiles):
    rec = clean_page(Page(text=JD, url=URLS[site]), profiles)[0]
    assert rec.source["site"] == site


@pytest.mark.parametrize("site", sorted(TEXT_MARKERS))
def test_text_dumps_without_url_are_recognised_by_their_text(site, profiles):
    rec = clean_page(Page(text=TEXT_MARKERS[site] + JD), profiles)[0]
    assert rec.source["site"] == site
    assert TEXT_MARKERS[site][:8] not in rec.text


def test_unrecognised_page_has_no_site(profiles):
    assert (
        clean_page(Page(text="岗位说明书" + JD, url="https://example.org/x"), profiles)[0].source["site"]
        is None
    )


def test_a_user_profile_folder_adds_a_site_without_code(tmp_path):
    (tmp_path / "mysite.toml").write_text(
        'name = "mysite"\ndomains = ["mywenku.example"]\n'
        "[[rules]]\nname = \"ad\"\npattern = '^本站广告位招租.*$'\n",
        encoding="utf-8",
    )
    profiles = load_profiles(tmp_path)
    rec = clean_page(Page(text="本站广告位招租,联系QQ" + JD, url="https://www.mywenku.example/1"), profiles)[
        0
    ]
    assert rec.source["site"] == "mysite"
    assert "广告位" not in rec.text
    assert [r.rule for r in rec.removed] == ["mysite/ad"]


def test_a_bad_profile_is_a_clear_error(tmp_path):
    (tmp_path / "bad.toml").write_text('name = "bad"\n[[rules]]\nname = "x"\npattern = "(unclosed"\n')
    with pytest.raises(ProfileError, match="bad pattern"):
        load_profiles(tmp_path)


def test_requires_literals_of_gated_rules_are_in_every_match(profiles, corpus_rows):
    """A fragment rule with `requires` runs only on lines holding one of its literals: on every
    real page line and sample line, each match of its pattern must contain one, else the gate
    would hide a match."""
    texts = [r["text"] for r in corpus_rows] + [p.read_text(encoding="utf-8") for p in SAMPLES.glob("*.txt")]
    lines = [to_simplified(ln) for t in texts for ln in split_lines(t)]
    gated = [r for p in profiles.profiles for r in p.rules if r.requires]
    assert gated, "no gated rule: the test checks nothing"
    for rule in gated:
        for line in lines:
            for m in rule.pattern.finditer(line):
                if m.group(0).strip():
                    assert any(s in m.group(0) for s in rule.requires), (rule.name, m.group(0))


def test_a_page_recognised_by_its_text_is_extracted_with_its_sites_selectors(profiles):
    """Site recognition by text comes before the extraction that uses the site's selectors: a
    page saved without its URL is cleaned as the same page saved with it."""
    duties = "".join(f"<p>{k}.负责仓库物料的收发与盘点工作，确保账物相符；</p>" for k in range(1, 6))
    bar = (
        "<div class='fixed-bar'><p>这一栏横在每页底部，写着与文档无关的一段长长的话，好让它像正文。</p></div>"
    )
    html = (
        "<html><head><title>仓库管理员岗位职责-原创力文档</title></head><body>"
        f"<div class='wrap'><div id='contents'><p>仓库管理员岗位职责</p>{duties}{bar}</div></div></body></html>"
    )
    with_url = clean_page(
        Page(url="https://max.book118.com/html/2024/0101/1.shtm", html=html, kind="html"), profiles
    )
    without = clean_page(Page(html=html, kind="html"), profiles)
    assert without[0].source["site"] == "book118"
    assert [r.text for r in without] == [r.text for r in with_url]
    assert "横在每页底部" not in without[0].text
