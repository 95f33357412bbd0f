"""Site templates learned from the batch: chrome that repeats across a site's pages goes, in
words no rule or model knows, while a document's stock sentences stay (issue #14)."""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.sitegen import CLOSING, STOCK, make_sites, score, text_dump, write_sites
from cleaners.site_template import (
    BUCKET,
    MAX_CLUSTERS,
    MIN_PAGES,
    SiteTemplate,
    TemplateLearner,
    TemplateLine,
    TemplateSet,
    apply_template,
    fold,
    site_group,
)
from harvester.run import CleanConfig, run_clean
from harvester.templates import TemplateError, read_templates, template_toml
from harvester.writer import OutputTarget

from .conftest import ROOT, harvester


def _clean(inputs: list[Path], out: Path, **kwargs) -> dict[str, str]:
    """Run the batch in this process; the cleaned text per input file stem."""
    config = CleanConfig(jobs=1, dedup=False, **kwargs)
    summary = run_clean([str(p) for p in inputs], OutputTarget(str(out)), config)
    folder = out.with_name(out.name.rsplit(".", 1)[0] + ".templates")
    if summary.templates:  # the summary says how many were learned, and where they went
        assert f"Learned {summary.templates} site template(s) (written to {folder})" in summary.paragraph()
    texts: dict[str, str] = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        stem = Path(rec["source"]["path"]).stem
        texts[stem] = texts.get(stem, "") + rec["text"]
    return texts


@pytest.mark.parametrize(
    ("kind", "layout"),
    [("text", "folders"), ("text", "mixed"), ("html", "folders"), ("html", "mixed")],
)
def test_neutral_repeated_chrome_goes_and_content_stays(tmp_path, kind, layout):
    sites = make_sites(seed=11, sites=6, pages=30, stock_sites=3)
    write_sites(tmp_path / "in", sites, kind, layout)
    texts = _clean([tmp_path / "in"], tmp_path / "out.jsonl")
    leaked, kept = score(sites, texts)
    assert leaked <= 0.05 and kept >= 0.99, (leaked, kept)
    # one readable template per site, beside the output
    assert len(list((tmp_path / "out.templates").glob("*.toml"))) == 6


def test_without_templates_the_neutral_chrome_leaks(tmp_path):
    """The generated chrome is out of reach of every rule and the line model: the test above
    measures the templates, not something else."""
    sites = make_sites(seed=11, sites=3, pages=20)
    write_sites(tmp_path / "in", sites, "text", "mixed")
    leaked, kept = score(sites, _clean([tmp_path / "in"], tmp_path / "out.jsonl", learn_templates=False))
    assert leaked > 0.5 and kept >= 0.99
    assert not (tmp_path / "out.templates").exists()


def test_stock_sentences_of_one_site_are_kept(tmp_path):
    sites = make_sites(seed=5, sites=2, pages=40, stock_sites=2)
    write_sites(tmp_path / "in", sites, "text", "folders")
    texts = _clean([tmp_path / "in"], tmp_path / "out.jsonl")
    stock = [
        (site, page, line)
        for site in sites
        for page in site.pages
        for line in page.content
        if any(s in line for s in (*STOCK, CLOSING))
    ]
    assert len(stock) > 150  # most of the 80 documents carry several
    for site, page, line in stock:
        assert line in texts[f"{site.name}-{page.n:05d}"]


@pytest.mark.parametrize("kind", ["text", "html"])
def test_a_document_uploaded_many_times_is_not_its_sites_template(tmp_path, kind):
    """One document saved 24 times among a site's pages (a crawl of a popular template): its
    lines are on most pages, yet they are the document, not chrome. Copies count once."""
    sites = make_sites(seed=4, sites=1, pages=36)
    (site,) = sites
    for page in site.pages[1:25]:
        page.content, page.title = list(site.pages[0].content), site.pages[0].title
    write_sites(tmp_path / "in", sites, kind, "folders")
    texts = _clean([tmp_path / "in"], tmp_path / "out.jsonl")
    leaked, kept = score(sites, texts)
    assert kept == 1.0 and leaked <= 0.05, (leaked, kept)


def test_a_site_with_few_pages_learns_nothing(tmp_path):
    sites = make_sites(seed=3, sites=2, pages=MIN_PAGES - 1)
    write_sites(tmp_path / "in", sites, "text", "folders")
    leaked, _ = score(sites, _clean([tmp_path / "in"], tmp_path / "out.jsonl"))
    assert leaked > 0.5
    assert not (tmp_path / "out.templates").exists()


def test_templates_from_an_earlier_run_serve_a_small_later_batch(tmp_path):
    sites = make_sites(seed=8, sites=2, pages=30)
    write_sites(tmp_path / "first", sites, "text", "folders")
    _clean([tmp_path / "first"], tmp_path / "first.jsonl")
    templates = tmp_path / "first.templates"
    assert len(read_templates(templates)) == 2

    later = make_sites(seed=8, sites=2, pages=33)  # the same sites, three more pages each
    for site in later:
        site.pages = site.pages[30:]
    write_sites(tmp_path / "later", later, "text", "mixed")  # another folder, no URL
    alone, _ = score(later, _clean([tmp_path / "later"], tmp_path / "a.jsonl"))
    helped, kept = score(
        later, _clean([tmp_path / "later"], tmp_path / "b.jsonl", templates_dir=str(templates))
    )
    assert alone > 0.5 and helped <= 0.05 and kept >= 0.99


def test_an_edited_template_is_obeyed_and_a_broken_one_named(tmp_path):
    sites = make_sites(seed=9, sites=1, pages=20)
    write_sites(tmp_path / "in", sites, "text", "folders")
    _clean([tmp_path / "in"], tmp_path / "out.jsonl")
    (path,) = (tmp_path / "out.templates").glob("*.toml")
    keep = sites[0].tail[0]
    text = path.read_text(encoding="utf-8")
    start = text.index(f"text = {json.dumps(keep, ensure_ascii=False)}")
    block_start = text.rindex("[[line]]", 0, start)
    block_end = text.find("[[line]]", start)
    path.write_text(text[:block_start] + (text[block_end:] if block_end > 0 else ""), encoding="utf-8")

    again = _clean(
        [tmp_path / "in"],
        tmp_path / "again.jsonl",
        learn_templates=False,
        templates_dir=str(tmp_path / "out.templates"),
    )
    with_line = [p for p in sites[0].pages if keep in p.tail]
    assert with_line and all(keep in again[f"{sites[0].name}-{p.n:05d}"] for p in with_line)

    path.write_text("group = 3\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=path.name):
        read_templates(path.parent)
    res = subprocess.run(
        harvester(
            "clean", str(tmp_path / "in"), "-o", str(tmp_path / "x.jsonl"), "--templates", str(path.parent)
        ),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert res.returncode == 2 and path.name in res.stderr


def test_inspect_shows_a_template_removal_with_its_site_and_share(tmp_path):
    sites = make_sites(seed=4, sites=1, pages=20)
    write_sites(tmp_path / "in", sites, "text", "folders")
    _clean([tmp_path / "in"], tmp_path / "out.jsonl")
    page = next((tmp_path / "in").rglob("*.txt"))
    res = subprocess.run(
        harvester("inspect", str(page), "--removed", "--templates", str(tmp_path / "out.templates")),
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    assert res.returncode == 0, res.stderr
    assert f"template/dir-{sites[0].name}" in res.stdout and "of the site's pages" in res.stdout


def test_jobs_two_gives_the_same_output_as_one(tmp_path):
    sites = make_sites(seed=2, sites=3, pages=12)
    write_sites(tmp_path / "in", sites, "html", "mixed")
    outs = []
    for jobs in (1, 2):
        out = tmp_path / f"j{jobs}.jsonl"
        run_clean([str(tmp_path / "in")], OutputTarget(str(out)), CleanConfig(jobs=jobs, shard_files=7))
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and b"template/" in outs[0]


def test_site_group():
    assert site_group("https://m.Example.com/a/1.html", None) == "example.com"
    assert site_group("http://www.gov.example.com.cn/x", None) == "example.com.cn"
    assert site_group(None, "batch/siteA/001.txt") == "dir:batch/siteA"
    assert site_group(None, "rows.jsonl:12") == "file:rows.jsonl"
    assert site_group(None, None) == "stdin"
    assert fold("第123期 · 清风") == fold("第4期·清风")


def test_learning_memory_is_bounded_per_site_not_per_page():
    rng = random.Random(1)
    learner = TemplateLearner()
    chrome = ["清风明月之家", "第12期 山川"]
    for _ in range(3000):
        unique = ["".join(rng.choices("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳", k=12)) for _ in range(40)]
        learner.add("one.example", [*chrome, *unique, "湖泊岁月，炊烟渡口。"])
    (cluster,) = learner._groups["one.example"].clusters
    assert len(cluster.entries) < 45 * BUCKET  # about a bucket of pages' lines, not 3000 pages'
    (template,) = learner.templates()
    assert {line.text for line in template.lines.values()} == {
        "清风明月之家",
        "第12期 山川",
        "湖泊岁月，炊烟渡口。",
    }


def test_a_full_group_still_learns_a_site_and_forgets_the_clusters_it_drops():
    """A group holding more one-page sites than it has cluster slots: the smallest young
    clusters make room, their lines leave the index pages are matched by, and a site whose
    pages come after them is still learned, from its own pages only."""
    rng = random.Random(3)
    learner = TemplateLearner()

    def words(k: int) -> str:
        return "".join(rng.choices("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥", k=k))

    for _ in range(MAX_CLUSTERS + 40):  # one page each: every one a young cluster
        learner.add("g", [words(6), words(10), words(12), words(14), words(7)])
    chrome = ["清风明月之家", "第12期 山川"]
    for _ in range(MIN_PAGES + 3):
        learner.add("g", [*chrome, words(12), words(14), words(16), "湖泊岁月，炊烟渡口。"])
    group = learner._groups["g"]
    assert len(group.clusters) == MAX_CLUSTERS
    live = {key for c in group.clusters for key in c.signature()}
    assert set(group.by_line) == live  # nothing of a dropped cluster is left to match
    (template,) = learner.templates()
    assert {line.text for line in template.lines.values()} == {*chrome, "湖泊岁月，炊烟渡口。"}


def _template(lines: list[str], top: int | None = None) -> SiteTemplate:
    return SiteTemplate("t", "g", 10, {fold(x): TemplateLine(x, 0.9, top) for x in lines})


def test_a_page_that_copies_another_is_not_emptied():
    page = ["甲乙丙丁岗位说明书", "一、岗位职责", "1.负责日常工作；", "2.完成交办事项。"]
    assert apply_template(page, _template(page)) == (page, [])
    assert apply_template(page, _template(page[:3])) == (page, [])


def test_lines_inside_the_document_go_only_at_their_fixed_place_and_not_as_items():
    page = [
        "页头文字",
        "标题甲",
        "一句套话在这里",
        "正文第一句，很长很长。",
        "1.套话条目",
        "正文结尾。",
        "页脚文字",
    ]
    t = _template(["页头文字", "一句套话在这里", "1.套话条目", "页脚文字"], top=2)
    kept, removed = apply_template(page, t)
    assert kept == ["标题甲", "正文第一句，很长很长。", "1.套话条目", "正文结尾。"]
    assert [r.rule for r in removed] == ["template/t"] * 3 and removed[0].score == 0.9
    body = ["正文一，很长。", "正文二，很长。", "正文三，很长。", "一句套话在这里", "正文四。"]
    moved = [page[0], page[1], *body, page[-1]]  # the same line elsewhere in the body is content
    assert apply_template(moved, t)[0] == [page[1], *body]


_line = st.text(alphabet="甲乙丙丁戊己庚辛12。，、：", min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(_line, min_size=1, max_size=30), st.lists(_line, max_size=10), st.none() | st.integers(0, 5))
def test_applying_a_template_only_removes_template_lines_in_order(lines, chrome, top):
    template = _template(chrome, top)
    kept, removed = apply_template(lines, template)
    assert kept  # never empties a page
    it = iter(lines)
    assert all(any(k == x for x in it) for k in kept)  # a subsequence of the page
    assert len(kept) + len(removed) == len(lines)
    assert all(fold(r.text) in template.lines for r in removed)
    assert TemplateSet([template]).for_page("g", True, lines) in (None, template)


def test_template_files_read_back_as_written(tmp_path):
    t = _template(["清风明月之家", "第12期 山川"], top=0)
    (tmp_path / "t.toml").write_text(template_toml(t), encoding="utf-8")
    (back,) = read_templates(tmp_path)
    assert back.group == t.group and back.lines == t.lines


def test_a_text_dump_puts_chrome_around_the_document():
    site = make_sites(seed=1, sites=1, pages=1)[0]
    lines = text_dump(site.pages[0]).splitlines()
    assert lines[len(site.pages[0].head)] == site.pages[0].title
