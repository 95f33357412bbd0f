"""The learned JD classifier: what it reads, that it ships reproducibly, and that held out by
site it does no worse than the hand-written rules. The real pages, postings and laws are read
from ../shared/corpus at run time (skipped when absent)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from cleaners import Page, clean_page
from cleaners.job import job_evidence
from cleaners.job_model import JobModel
from harvester import train_job_model as train
from harvester.sites import JOB_MODEL

from .conftest import SHARED

JD = [
    "仓库管理员岗位说明书",
    "一、岗位职责",
    "1、负责仓库物资的入库验收、保管和发放工作，做好出入库登记。",
    "2、定期盘点库存，及时上报呆滞物料和短缺情况。",
    "3、落实防火、防潮、防盗措施，确保仓储安全。",
    "二、任职要求",
    "1、中专及以上学历，两年以上仓库管理经验。",
]
CONTRACT = [
    "房屋租赁合同",
    "甲方：（出租方）某某物业有限公司，乙方：（承租方）某某商贸有限公司。",
    "第一条 甲方将其所有的房屋出租给乙方使用，租期一年。",
    "第二条 乙方按月支付租金，逾期支付的按日计收滞纳金。",
    "第三条 租赁期满，乙方应将房屋完好交还甲方。",
]


@pytest.fixture(scope="module")
def model() -> JobModel:
    return JobModel.from_dict(json.loads(JOB_MODEL.read_text(encoding="utf-8")))


def test_the_shipped_model_reads_every_feature_of_the_evidence(model, profiles):
    lex = profiles.job_lexicon
    features = job_evidence(JD[0], JD, [], lex).features()
    assert set(model.weights) == set(features)
    assert all(0.0 <= v <= 1.0 for v in features.values())  # length-normalised, bounded


def test_a_jd_is_taken_and_a_contract_is_not(model, profiles):
    for lines, want in ((JD, True), (CONTRACT, False)):
        records = clean_page(Page(text="\n".join(lines)), profiles)
        assert (records[0].job is not None) is want
        evidence = job_evidence(lines[0], lines, records[0].sections, profiles.job_lexicon)
        assert model.is_job(evidence.features()) is want


def test_without_the_model_the_rules_decide(profiles):
    rules_only = replace(profiles, job_model=None)
    evidence = job_evidence(CONTRACT[0], CONTRACT, [], profiles.job_lexicon)
    assert rules_only.is_job(evidence) is evidence.rules_say_job() is False


@pytest.fixture(scope="module")
def examples(corpus_rows) -> list[train.Example]:
    return train.load_examples(SHARED, replace(train.load_profiles(), job_model=None))


@pytest.mark.corpus
def test_training_is_reproducible_and_matches_the_shipped_file(examples, model):
    fresh = train.fit(examples)
    assert fresh.threshold == model.threshold
    assert abs(fresh.bias - model.bias) < 2e-3
    assert max(abs(fresh.weights[k] - model.weights[k]) for k in model.weights) < 2e-3


@pytest.mark.corpus
def test_held_out_by_site_the_model_is_no_worse_than_the_rules(examples):
    """Every page judged by a model trained without its site (postings without their board,
    laws without their variants): no more mistakes than the rules make, none on the laws."""
    calls = train.held_out(examples)
    model_wrong = sum(calls[ex.name] != ex.is_job for ex in examples)
    rules_wrong = sum(ex.evidence.rules_say_job() != ex.is_job for ex in examples)
    assert model_wrong <= rules_wrong
    assert not any(calls[ex.name] for ex in examples if ex.group.startswith("law:"))
    postings = [ex for ex in examples if ex.group.startswith("board:")]
    assert sum(calls[ex.name] for ex in postings) >= 0.95 * len(postings)
