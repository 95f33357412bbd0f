"""The run report: `report.json` (the numbers) and `report.html` (the same with charts and a few
sample documents, removed text struck through), written beside the output."""

from __future__ import annotations

import html
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

from .writer import AtomicFile

SAMPLES_SPREAD = 5
SAMPLES_BY_FLAG = 5
LENGTH_BUCKETS = [(0, 200), (200, 500), (500, 1000), (1000, 2000), (2000, 5000), (5000, 10**12)]


class RunReport:
    """Counts over the documents written, plus the run's summary and timings."""

    def __init__(self) -> None:
        self.sites: Counter[str] = Counter()
        self.flags: Counter[str] = Counter()
        self.rules: Counter[str] = Counter()
        self.lengths: Counter[str] = Counter()
        self.jobs = 0
        self.seen = 0  # records with removals, the reservoir's population
        self.spread: list[dict[str, Any]] = []  # a uniform sample of them over the whole run
        self.by_flag: dict[str, dict[str, Any]] = {}  # the first document with each flag
        self._rng = random.Random(0)  # the same run gives the same samples

    @staticmethod
    def facts(rec: dict[str, Any]) -> dict[str, Any]:
        """The little the report needs of a record (kept beside it instead of re-reading it)."""
        return {
            "site": (rec.get("source") or {}).get("site"),
            "flags": rec.get("flags") or [],
            "rules": [r["rule"] for r in rec.get("removed") or []],
            "len": len(rec.get("text") or ""),
            "job": rec.get("job") is not None,
        }

    def add_facts(self, facts: tuple, record_line: str | None = None) -> None:
        """Count one written record from its facts (site, flags, rules, length, is a JD);
        `record_line` is read only while samples are wanted."""
        site, flags, rules, n, job = facts
        self.sites[site or "unrecognised"] += 1
        self.flags.update(flags)
        self.rules.update(rules)
        self.lengths[next(f"{a}-{b if b < 10**12 else ''}" for a, b in LENGTH_BUCKETS if a <= n < b)] += 1
        self.jobs += bool(job)
        if record_line is None:
            return
        new_flags = [f for f in flags if f not in self.by_flag and len(self.by_flag) < SAMPLES_BY_FLAG]
        if rules:  # reservoir sampling: every document with removals equally likely to be shown
            self.seen += 1
            slot = len(self.spread) if len(self.spread) < SAMPLES_SPREAD else self._rng.randrange(self.seen)
            if slot < SAMPLES_SPREAD:
                sample = _sample(record_line)
                if slot == len(self.spread):
                    self.spread.append(sample)
                else:
                    self.spread[slot] = sample
        for flag in new_flags:
            self.by_flag[flag] = _sample(record_line)

    @property
    def samples(self) -> list[dict[str, Any]]:
        """Documents spread over the run, then one for each flag seen (each shown once)."""
        out, ids = [], set()
        for sample in [*self.spread, *self.by_flag.values()]:
            if sample["id"] not in ids:
                ids.add(sample["id"])
                out.append(sample)
        return out

    def as_dict(
        self, summary: Any, inputs_by_type: Counter[str], timings: dict[str, float]
    ) -> dict[str, Any]:
        return {
            "inputs": {"files": summary.inputs, "pages": summary.pages, "by_type": dict(inputs_by_type)},
            "documents": summary.documents,
            "job_descriptions": self.jobs,
            "duplicates": summary.duplicates,
            "errors": {"count": len(summary.errors), "by_code": dict(summary.reasons)},
            "sites": dict(self.sites.most_common()),
            "flags": dict(self.flags.most_common()),
            "removed_by_rule": dict(self.rules.most_common()),
            "text_length": {
                f"{a}-{b if b < 10**12 else ''}": self.lengths.get(f"{a}-{b if b < 10**12 else ''}", 0)
                for a, b in LENGTH_BUCKETS
            },
            "timings_s": {k: round(v, 3) for k, v in timings.items()},
            "samples": self.samples,
        }

    def prepare(self, json_path: Path, html_path: Path, data: dict[str, Any]) -> list[AtomicFile]:
        """The report's two files, written under temporary names (the caller publishes them
        with the rest of the output set)."""
        as_json, as_html = AtomicFile(json_path), AtomicFile(html_path)
        as_json.write(json.dumps(data, ensure_ascii=False, indent=2))
        as_html.write(render_html(data))
        return [as_json, as_html]


def _bars(title: str, counts: dict[str, int], limit: int | None = 20) -> str:
    """A bar chart of the largest counts; `limit` None shows every row (the rules: a reader
    checks each one). A cut chart says how many rows it leaves out."""
    if not counts:
        return f"<section><h2>{html.escape(title)}</h2><p class='none'>none</p></section>"
    top = max(counts.values()) or 1
    rows = []
    shown = list(counts.items())[:limit] if limit else list(counts.items())
    more = len(counts) - len(shown)
    for i, (label, n) in enumerate(shown):
        width = 360 * n / top
        rows.append(
            f"<g transform='translate(0,{i * 24})'><text x='0' y='15'>{html.escape(str(label))}</text>"
            f"<rect x='220' y='3' width='{width:.1f}' height='16' class='bar'/>"
            f"<text x='{226 + width:.1f}' y='15'>{n}</text></g>"
        )
    height = 24 * len(rows) + 4
    rest = f"<p class='more'>and {more} more (see report.json)</p>" if more else ""
    return (
        f"<section><h2>{html.escape(title)}</h2><svg class='chart' width='640' height='{height}' role='img' "
        f"aria-label='{html.escape(title)}'>{''.join(rows)}</svg>{rest}</section>"
    )


def _sample(record_line: str) -> dict[str, Any]:
    rec = json.loads(record_line)
    return {k: rec.get(k) for k in ("id", "title", "text", "removed", "source", "flags")}


def render_html(data: dict[str, Any]) -> str:
    samples = []
    for s in data["samples"]:
        removed = "".join(
            f"<li><span class='rule'>{html.escape(r['rule'])}</span> <del>{html.escape(r['text'])}</del></li>"
            for r in s["removed"][:30]
        )
        samples.append(
            f"<article class='sample'><h3>{html.escape(s.get('title') or s['id'])}</h3>"
            f"<p class='src'>{html.escape(str((s.get('source') or {}).get('path')))}</p>"
            f"<ul class='removed'>{removed}</ul><pre>{html.escape(s['text'][:1500])}</pre></article>"
        )
    totals = (
        f"<p class='totals'>{data['inputs']['files']} input files, {data['inputs']['pages']} pages → "
        f"<b>{data['documents']}</b> documents ({data['job_descriptions']} job descriptions), "
        f"{data['duplicates']} duplicates dropped, {data['errors']['count']} inputs without a document.</p>"
    )
    charts = "".join(
        _bars(t, data[k] if k != "errors" else data[k]["by_code"], limit)
        for t, k, limit in (
            ("Sites", "sites", 20),
            ("Flags", "flags", None),
            ("Removed by rule", "removed_by_rule", None),
            ("Text length (characters)", "text_length", None),
            ("Errors by code", "errors", 20),
        )
    )
    timings = "".join(f"<li>{html.escape(k)}: {v} s</li>" for k, v in data["timings_s"].items())
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>harvester run report</title>
<style>
body{{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2em;max-width:60em;color:#222}}
.bar{{fill:#3b6ea8}} svg text{{font-size:12px}} del{{color:#a33}} .rule{{color:#666;font-size:.85em}}
pre{{white-space:pre-wrap;background:#f6f6f6;padding:.8em}} .sample{{border-top:1px solid #ddd;margin-top:1.5em}}
</style></head><body>
<h1>harvester run report</h1>{totals}<ul class="timings">{timings}</ul>{charts}
<h2>Samples (removed text struck through)</h2>{"".join(samples) or "<p>none</p>"}
</body></html>"""
