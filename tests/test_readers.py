"""The output as users load it: `datasets`, polars and duckdb, with no options.

Parquet has one fixed schema, so one shard, all shards, and the shards of two runs together load
in each library. JSONL's types are inferred by each reader from the values it sees; the contract's
record (`job` null on most documents, an open-keyed `other_sections`, a recursive section tree)
gives each shard its own inferred types, which is why the typed format is Parquet.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harvester.parquet import flat_sections, sections_tree

from .conftest import ROOT, SAMPLES, harvester

datasets = pytest.importorskip("datasets")
pl = pytest.importorskip("polars")
duckdb = pytest.importorskip("duckdb")


def _clean(*args: object) -> None:
    res = subprocess.run(harvester("clean", SAMPLES, *args, "-q"), cwd=ROOT, capture_output=True, timeout=300)
    assert res.returncode == 0, res.stderr.decode()


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[Path, Path, int]:
    """Two runs in Parquet folders of many small shards, and how many records they hold."""
    base = tmp_path_factory.mktemp("readers")
    first, second = base / "run1", base / "run2"
    _clean("-o", first, "--format", "parquet", "--shard-size", "3")
    _clean("-o", second, "--format", "parquet", "--shard-size", "7")
    _clean("-o", base / "c.jsonl")
    n = len((base / "c.jsonl").read_text(encoding="utf-8").splitlines())
    assert len(list(first.glob("part-*.parquet"))) > 3
    return first, second, n


def test_parquet_shards_load_in_polars(runs):
    first, second, n = runs
    assert pl.read_parquet(first / "part-00000.parquet").height == 3
    assert pl.read_parquet(first / "part-*.parquet").height == n
    both = pl.read_parquet([str(p) for p in [*first.glob("part-*"), *second.glob("part-*")]])
    assert both.height == 2 * n
    jobs = both.filter(pl.col("job").is_not_null())
    assert jobs.height > 0 and jobs["job"].struct.field("responsibilities").list.len().max() > 0


def test_parquet_shards_load_in_duckdb(runs):
    first, second, n = runs
    got = duckdb.sql(
        f"select count(*), count(job) from read_parquet(['{first}/part-*.parquet', '{second}/part-*.parquet'])"
    )
    total, jobs = got.fetchall()[0]
    assert total == 2 * n and jobs > 0
    levels = duckdb.sql(
        f"select max(s.level) from (select unnest(sections) as s from '{first}/part-*.parquet')"
    )
    assert levels.fetchall()[0][0] >= 2


def test_parquet_shards_load_in_datasets(runs, tmp_path):
    first, second, n = runs
    files = sorted(str(p) for p in [*first.glob("part-*.parquet"), *second.glob("part-*.parquet")])
    ds = datasets.load_dataset("parquet", data_files=files, split="train", cache_dir=str(tmp_path))
    assert ds.num_rows == 2 * n
    assert sum(1 for job in ds["job"] if job) > 0


def test_side_files_are_outside_the_data_glob(runs):
    first, _, _ = runs
    assert {p.name for p in first.glob("*.parquet")} == {p.name for p in first.glob("part-*")}
    assert (first / "errors.jsonl").exists() and not list(first.glob("part-*.jsonl"))


def test_one_jsonl_file_loads_in_datasets_and_jsonl_shards_in_duckdb(tmp_path):
    _clean("-o", tmp_path / "c.jsonl")
    _clean("-o", tmp_path / "d", "--shard-size", "4")
    n = len((tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines())
    ds = datasets.load_dataset(
        "json", data_files=str(tmp_path / "c.jsonl"), split="train", cache_dir=str(tmp_path / "cache")
    )
    assert ds.num_rows == n
    got = duckdb.sql(f"select count(*) from read_json_auto('{tmp_path}/d/part-*.jsonl')").fetchall()[0]
    assert got[0] == n


_node = st.fixed_dictionaries(
    {
        "marker": st.text(max_size=3),
        "number": st.none() | st.integers(0, 99),
        "level": st.integers(1, 6),
        "title": st.text(max_size=8),
        "text": st.text(max_size=8),
    }
)
_tree = st.recursive(
    st.just([]),
    lambda kids: st.lists(st.builds(lambda n, c: {**n, "children": c}, _node, kids), max_size=4),
    max_leaves=20,
)


@given(_tree)
def test_flat_sections_round_trip(tree):
    flat = flat_sections(tree)
    assert sections_tree(flat) == tree
    assert all(row["parent"] is None or row["parent"] < i for i, row in enumerate(flat))
