"""Near duplicates: the labelled set's pairwise precision and recall, previews, template
negatives, clusters keeping the best copy, and a second batch against the index of the first."""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.pages import job_description
from cleaners import Page, clean_page
from cleaners.dedup_key import completeness, exact_key
from cleaners.near_dup import sketch
from harvester.dedupe import DedupState, HexColumn

from . import dedup_set
from .conftest import ROOT


def _clean(text, profiles):
    return clean_page(Page(text=text), profiles)[0].to_dict()


def _resolve(records):
    state = DedupState()
    for r in records:
        state.add(exact_key(r["text"]), completeness(r), r["id"], sketch(r["text"]))
    return state.resolve()


def test_labelled_set_precision_and_recall(corpus_rows, profiles):
    items = dedup_set.build(corpus_rows, profiles)
    records = [_clean(text, profiles) for _, text in items]
    groups = [g for g, _ in items]
    dups = _resolve(records)
    root = {i: dups[i][0] if i in dups else i for i in range(len(records))}
    tp = fp = fn = 0
    for a, b in itertools.combinations(range(len(records)), 2):
        same, predicted = groups[a] == groups[b], root[a] == root[b]
        tp += same and predicted
        fp += predicted and not same
        fn += same and not predicted
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(
        f"near-dup set: {len(records)} documents, {len(set(groups))} groups, "
        f"{tp + fn} duplicate pairs; precision {precision:.3f}, recall {recall:.3f}"
    )
    assert precision >= 0.98 and recall >= 0.95


def test_truncated_preview_is_a_duplicate_of_the_full_copy_which_is_kept(profiles):
    duties = [
        f"{i}.负责{w}工作,按月提交{w}报告并跟进整改结果;"
        for i, w in enumerate(["仓储", "采购", "质检", "物流", "结算", "售后", "培训", "安全"], 1)
    ]
    full = (
        "仓库主管岗位说明书\n一、岗位职责\n"
        + "\n".join(duties)
        + "\n二、任职资格\n大专以上学历,三年以上仓储管理经验。"
    )
    preview = "仓库主管岗位说明书\n一、岗位职责\n" + "\n".join(duties[:3]) + "\n4.负责物流工作,按月提"
    recs = [_clean(preview, profiles), _clean(full, profiles)]
    assert "truncated" in recs[0]["flags"]
    dups = _resolve(recs)
    assert dups == {0: (1, dups[0][1])} and dups[0][1] >= 0.8


def test_template_siblings_stay_apart(profiles):
    import random

    from benchmarks.pages import job_description

    recs = [_clean("\n".join(job_description(random.Random(k))), profiles) for k in range(200)]
    assert _resolve(recs) == {}


def test_second_batch_against_the_index_of_the_first(tmp_path, profiles):
    import random

    from benchmarks.pages import job_description

    first = [_clean("\n".join(job_description(random.Random(k))), profiles) for k in range(20)]
    copies = [dict(r, text=r["text"] + "\n本说明书自发布之日起执行。") for r in first[:5]]
    fresh = [_clean("\n".join(job_description(random.Random(500 + k))), profiles) for k in range(5)]
    batch1, batch2 = tmp_path / "b1.jsonl", tmp_path / "b2.jsonl"
    batch1.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in first), encoding="utf-8")
    batch2.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in copies + fresh), encoding="utf-8"
    )
    index = tmp_path / "index.npz"

    def run(src, out):
        res = subprocess.run(
            [sys.executable, "-m", "harvester", "dedup", str(src), "-o", str(out), "--index", str(index)],
            cwd=ROOT,
            capture_output=True,
            timeout=300,
        )
        assert res.returncode == 0, res.stderr.decode()

    run(batch1, tmp_path / "o1.jsonl")
    run(batch2, tmp_path / "o2.jsonl")
    kept = [json.loads(x)["id"] for x in (tmp_path / "o2.jsonl").read_text().splitlines()]
    dropped = [json.loads(x) for x in (tmp_path / "o2.duplicates.jsonl").read_text().splitlines()]
    assert kept == [r["id"] for r in fresh]
    assert sorted(d["duplicate_of"] for d in dropped) == sorted(r["id"] for r in first[:5])
    assert all(d["similarity"] >= 0.7 for d in dropped)


def _near_copy(text: str, rng) -> str:
    """A copy as a crawl finds it: a character changed, a line dropped, full-width digits, or
    its lines rewrapped (one or two of these)."""
    lines = text.split("\n")
    for edit in rng.sample(["char", "line", "width", "wrap"], rng.randint(1, 2)):
        if edit == "char":
            k = rng.randrange(len(lines))
            if lines[k]:
                p = rng.randrange(len(lines[k]))
                lines[k] = lines[k][:p] + rng.choice("的了和与及") + lines[k][p + 1 :]
        elif edit == "line" and len(lines) > 4:
            del lines[rng.randrange(1, len(lines))]
        elif edit == "width":
            lines = [ln.translate(str.maketrans("0123456789", "０１２３４５６７８９")) for ln in lines]
        elif edit == "wrap":
            joined = "".join(lines[1:])
            lines = lines[:1] + [joined[i : i + 37] for i in range(0, len(joined), 37)]
    return "\n".join(lines)


def test_sixty_near_copies_of_each_document_keep_about_one(profiles):
    import random

    from benchmarks.pages import job_description

    rng = random.Random(5)
    records, origin = [], []
    for d in range(8):
        original = "\n".join(job_description(random.Random(100 + d)))
        for c in range(60):
            text = original if c == 0 else _near_copy(original, rng)
            rec = _clean(text, profiles)
            rec["id"] = f"{d}-{c}"
            records.append(rec)
            origin.append(d)
    dups = _resolve(records)
    kept = [i for i in range(len(records)) if i not in dups]
    per_doc = len(kept) / 8
    print(f"8 documents x 60 near copies: {len(kept)} kept ({per_doc:.2f} per document)")
    assert per_doc <= 1.5
    assert all(origin[i] == origin[k] for i, (k, _) in dups.items())  # no merge across documents


def test_title_only_pages_are_not_duplicates_of_each_other(profiles):
    records = [
        {"text": t, "id": t, "flags": [], "sections": []} for t in ("仓库管理员", "财务总监岗位", "前台接待")
    ]
    assert _resolve(records) == {}


_DUTIES = [
    f"{i}.负责{w}工作,按月提交{w}报告,跟进整改结果并向部门经理汇报进度;"
    for i, w in enumerate(["仓储", "采购", "质检", "物流", "结算", "售后", "培训", "安全", "档案", "设备"], 1)
]
_FULL = (
    "仓库主管岗位说明书\n一、岗位职责\n"
    + "\n".join(_DUTIES)
    + "\n二、任职资格\n大专以上学历,三年以上仓储管理经验。"
)


def test_a_cut_with_no_marker_is_a_preview_of_its_full_copy(profiles):
    """A copy cut at a line end, ending like a sentence and with no preview counter: nothing
    flags it, but it is the opening of the full copy, checked exactly."""
    cut = "仓库主管岗位说明书\n一、岗位职责\n" + "\n".join(_DUTIES[:4])
    recs = [_clean(cut, profiles), _clean(_FULL, profiles)]
    assert "truncated" not in recs[0]["flags"]
    assert _resolve(recs) == {0: (1, _resolve(recs)[0][1])}


def test_siblings_sharing_an_opening_stay_apart(profiles):
    """One template's documents open with the same lines and then part: the shorter one is not
    the longer one's opening, so it is not taken for its preview."""
    head = "仓库主管岗位说明书\n一、岗位职责\n" + "\n".join(_DUTIES[:2])
    other = [
        f"{i}.负责{w}事务的统筹,制定{w}计划并组织实施;" for i, w in enumerate(["招聘", "薪酬", "绩效"], 3)
    ]
    short = head + "\n" + "\n".join(other)
    recs = [_clean(short, profiles), _clean(_FULL, profiles)]
    assert _resolve(recs) == {}


def test_a_cut_goes_with_the_kept_copy_its_full_copy_merged_into(profiles):
    """The full copy merges into a longer near copy (a paragraph added after the cut's end);
    the cut, the opening of the first but not of the second, still goes with the kept one."""
    cut = "仓库主管岗位说明书\n一、岗位职责\n" + "\n".join(_DUTIES[:4])
    longer = _FULL + "\n三、工作环境\n办公室与仓库现场,需配合盘点加班。"
    recs = [_clean(cut, profiles), _clean(_FULL, profiles), _clean(longer, profiles)]
    dups = _resolve(recs)
    assert set(dups) == {0, 1} and dups[0][0] == dups[1][0] == 2


def test_an_index_saved_before_openings_still_loads(tmp_path, profiles):
    import numpy as np

    state = DedupState()
    rec = _clean(_FULL, profiles)
    state.add(exact_key(rec["text"]), completeness(rec), rec["id"], sketch(rec["text"]))
    path = tmp_path / "index.npz"
    state.save_index(path, {})
    with np.load(path) as z:
        old = {k: z[k] for k in z.files if k != "openings"}
    np.savez(path, **old)
    again = DedupState()
    again.load_index(path)
    assert list(again.ids) == [rec["id"]] and again.openings.matrix().tobytes() == bytes(4 * 14)


def test_a_flagged_full_copy_is_kept_over_an_unflagged_cut_of_it(profiles):
    """The page was itself a preview (flagged truncated), and a copy cut shorter carries no
    flag: the cut is contained in the full copy, so the full copy is the one kept."""
    full = _FULL + "\n三、工作环境\n办公室与仓库现场,需配合盘点加"  # cut mid-sentence: flagged
    cut = "仓库主管岗位说明书\n一、岗位职责\n" + "\n".join(_DUTIES[:4])
    recs = [_clean(cut, profiles), _clean(full, profiles)]
    assert "truncated" in recs[1]["flags"] and "truncated" not in recs[0]["flags"]
    assert _resolve(recs) == {0: (1, _resolve(recs)[0][1])}


@given(
    st.lists(st.one_of(st.text(alphabet="0123456789abcdef", min_size=16, max_size=16), st.text(max_size=20)))
)
@settings(max_examples=100, deadline=None)
def test_a_hex_column_reads_back_every_value_and_groups_equal_ones(values):
    column = HexColumn(8)
    for v in values:
        column.append(v)
    assert list(column) == values
    groups = column.groups()
    for i, a in enumerate(values):
        for j, b in enumerate(values):
            assert bool(groups[i] == groups[j]) == (a == b)


def _page_jd(role: str, dept: str, duties: list[str], edu: str) -> list[str]:
    lines = [
        f"{role}岗位说明书",
        "一、岗位概述",
        f"{role}隶属{dept},负责本部门日常{duties[0]}工作的组织与落实,对结果负责。",
    ]
    lines.append("二、岗位职责")
    lines += [
        f"{i}.负责{d}相关事务,按周汇总{d}进度并向{dept}负责人报告,发现问题及时提出改进建议。"
        for i, d in enumerate(duties, 1)
    ]
    return [
        *lines,
        "三、任职资格",
        f"1.{edu}及以上学历,相关专业优先。",
        "2.三年以上相关工作经验,熟悉办公软件。",
    ]


_KEEPER = _page_jd(
    "仓库主管", "物流部", ["入库验收", "出库复核", "库存盘点", "货位规划", "安全巡检", "单据归档"], "大专"
)
_RECRUITER = _page_jd(
    "招聘专员",
    "人力资源部",
    ["岗位需求收集", "简历筛选", "面试安排", "入职办理", "渠道维护", "招聘数据分析"],
    "本科",
)
_CASHIER = _page_jd(
    "出纳", "财务部", ["现金收付", "银行对账", "票据保管", "费用报销审核", "资金日报", "税费缴纳"], "中专"
)


def test_copies_of_a_two_document_page_split_differently_keep_each_document_once(tmp_path):
    """A page of two documents, a copy that lost the second title (so it is not split: one
    document holding both), and a page sharing only the first document. By the part-level
    fingerprints alone the unsplit copy stays (it is a whole, its parts are halves of it); by
    the page's own fingerprint it goes with the split copy. The third page's other document,
    which no other page holds, stays."""
    from harvester.run import CleanConfig, run_clean, run_dedup
    from harvester.writer import OutputTarget

    src = tmp_path / "in"
    src.mkdir()
    pages = {
        "a-split": _KEEPER + _RECRUITER,
        "b-unsplit": _KEEPER + _RECRUITER[1:],
        "c-other": _KEEPER + _CASHIER,
    }
    for name, lines in pages.items():
        (src / f"{name}.txt").write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    config = CleanConfig(jobs=1, learn_templates=False)
    run_clean([str(src)], OutputTarget(str(out)), config)
    kept = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted((r["source"]["path"].rsplit("/", 1)[1], r["title"]) for r in kept) == [
        ("a-split.txt", "仓库主管岗位说明书"),
        ("a-split.txt", "招聘专员岗位说明书"),
        ("c-other.txt", "出纳岗位说明书"),
    ]
    dups = [
        json.loads(line)
        for line in out.with_name("out.duplicates.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(dups) == 2
    # `harvester dedup` over the records reads the same pages from their parts
    whole = tmp_path / "all.jsonl"
    run_clean([str(src)], OutputTarget(str(whole)), CleanConfig(jobs=1, learn_templates=False, dedup=False))
    again = tmp_path / "again.jsonl"
    run_dedup(str(whole), OutputTarget(str(again)))
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(st.binary(min_size=4 * 8, max_size=4 * 8), min_size=0, max_size=60),
    spill_at=st.integers(0, 70),
)
def test_a_row_store_reads_back_its_rows_in_memory_or_spilled(tmp_path_factory, rows, spill_at):
    import numpy as np

    from harvester.rowstore import RowStore

    store = RowStore(8, folder=tmp_path_factory.mktemp("spill"), spill_at=spill_at, block=4)
    try:
        for r in rows:
            store.append(r)
        m = store.matrix()
        expect = np.frombuffer(b"".join(rows), dtype=np.uint32).reshape(len(rows), 8)
        assert store.spilled == (len(rows) >= spill_at and len(rows) > 0)
        assert m.shape == expect.shape
        if rows:
            idx = np.arange(len(rows))[::-1]
            assert (m[idx] == expect[idx]).all() and (m[len(rows) - 1] == expect[-1]).all()
            for b in range(2):
                cols = expect[:, b * 4 : (b + 1) * 4]
                got = (
                    np.concatenate(list(m.band_blocks(b, rows=7)))
                    if store.spilled
                    else m[:, b * 4 : (b + 1) * 4]
                )
                assert (got == cols).all()
    finally:
        store.close()


def test_signatures_spilled_to_disk_decide_as_in_memory(corpus_rows, profiles, tmp_path):
    """The labelled set resolved with every signature and opening on disk (spilled from the
    first document) gives the same duplicates as in memory, and leaves no file behind."""
    items = dedup_set.build(corpus_rows, profiles)
    records = [_clean(text, profiles) for _, text in items]
    spilled = DedupState(spill=tmp_path / "spill", spill_at=1)
    for r in records:
        spilled.add(exact_key(r["text"]), completeness(r), r["id"], sketch(r["text"]))
    assert spilled.sigs.spilled and spilled.openings.spilled
    try:
        assert spilled.resolve() == _resolve(records)
    finally:
        spilled.close()
    assert not any((tmp_path / "spill").iterdir())


def test_the_index_is_written_and_read_a_block_at_a_time_and_numpy_reads_it(tmp_path, profiles):
    """An index saved from a state whose signatures spilled to disk, in blocks smaller than
    the state: `np.load` reads the same arrays, and loading it gives back every kept document."""
    import numpy as np

    import harvester.dedupe as dedupe

    records = [_clean(_FULL, profiles)] + [
        _clean("\n".join(job_description(random.Random(k))), profiles) for k in range(40)
    ]
    state = DedupState(spill=tmp_path / "spill", spill_at=5)
    for r in records:
        state.add(exact_key(r["text"]), completeness(r), r["id"], sketch(r["text"]))
    dups = state.resolve()
    path = tmp_path / "index.npz"
    old_block = dedupe.INDEX_BLOCK
    dedupe.INDEX_BLOCK = 7
    try:
        state.save_index(path, dups, "batch-1")
    finally:
        dedupe.INDEX_BLOCK = old_block
    kept = [i for i in range(len(records)) if i not in dups]
    with np.load(path) as z:
        assert list(z["ids"]) == [records[i]["id"] for i in kept]
        assert (
            z["sigs"]
            == np.stack([np.frombuffer(sketch(records[i]["text"]).signature, np.uint32) for i in kept])
        ).all()
        assert list(z["batch_digests"]) == ["batch-1"]
    again = DedupState()
    again.load_index(path)
    assert list(again.ids) == [records[i]["id"] for i in kept] and again.external == len(kept)
    assert again.sigs.matrix().tobytes() == b"".join(sketch(records[i]["text"]).signature for i in kept)
    state.close()
