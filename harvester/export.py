"""Records to schema.org `JobPosting` objects (JSON-LD), for the job descriptions of a corpus."""

from __future__ import annotations

import re
from typing import Any

CREDENTIAL_CATEGORY = {
    "junior_high": "junior high school",
    "high_school": "high school",
    "associate": "associate degree",
    "bachelor": "bachelor degree",
    "master": "postgraduate degree",
    "doctorate": "postgraduate degree",
}


# `8000-12000元/月`, `8千~1.2万/月`, `年薪20-30万`, `150-200元/天`: a range, its units, its period.
_PAY = re.compile(
    r"(\d+(?:\.\d+)?)\s*([kK千万w]?)\s*(?:元)?\s*[-~～至到—–]+\s*(\d+(?:\.\d+)?)\s*([kK千万w]?)\s*(?:元|RMB)?"
    r"\s*(?:/|每|一)?\s*(月|年|天|日|小时|时)?"
)
_PAY_WORD = re.compile(r"薪|工资|待遇|报酬|收入")
PAY_NEAR = 8  # characters between the pay word and the range
_SCALE = {"": 1, "k": 1000, "K": 1000, "千": 1000, "万": 10000, "w": 10000}
_PERIOD = {"月": "MONTH", "年": "YEAR", "天": "DAY", "日": "DAY", "小时": "HOUR", "时": "HOUR"}


def base_salary(lines: list[str]) -> dict[str, Any] | None:
    """A pay range stated in the text as a schema.org MonetaryAmount (CNY), or None. A line must
    speak of pay (薪, 工资 …) and give a range; the period comes from the range (`/月`) or the
    line (`年薪`), month when none is said, as Chinese postings mostly mean."""
    for line in lines:
        word = _PAY_WORD.search(line)
        m = _PAY.search(line, word.end()) if word else None
        if not word or not m or m.start() - word.end() > PAY_NEAR:
            continue  # the range must follow the pay word closely (`工作时间8-10小时` is not pay)
        low_unit = m.group(2) or m.group(4) or ""  # `8-12k`: the unit after the range serves both
        low = float(m.group(1)) * _SCALE[low_unit]
        high = float(m.group(3)) * _SCALE[m.group(4) or ""]
        if not 10 <= low <= high or high > 10_000_000:
            continue
        period = m.group(5) or ("年" if "年薪" in line else "日" if "日薪" in line else "月")
        return {
            "@type": "MonetaryAmount",
            "currency": "CNY",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": int(low) if low.is_integer() else low,
                "maxValue": int(high) if high.is_integer() else high,
                "unitText": _PERIOD[period],
            },
        }
    return None


# `发布时间:2025-07-11 12:42:01`, `更新日期：2024年3月2日`: the date a page says it was posted.
_POSTED = re.compile(
    r"(?:发布|更新|上传|发表|刊登)(?:时间|日期|于)?\s*[:：]?\s*((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def date_posted(record: dict[str, Any]) -> str | None:
    """The day the page says it was posted (in its metadata lines, removed or kept, or its
    first lines), else the day it was fetched (the WARC date), as YYYY-MM-DD; None when neither."""
    texts = [r.get("text") or "" for r in record.get("removed") or []] + record["text"].split("\n")[:8]
    for text in texts:
        if m := _POSTED.search(text):
            year, month, day = (int(g) for g in m.groups())
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
    fetched = (record.get("source") or {}).get("fetched") or ""
    return fetched[:10] if _ISO_DAY.match(fetched) else None


def _lines(items: list[str] | None) -> str | None:
    return "\n".join(items) if items else None


def _openings(headcount: str | None) -> int | None:
    """`3人` → 3; free text such as `根据业务需要设置` gives nothing."""
    digits = "".join(ch for ch in (headcount or "")[:4] if ch.isdigit())
    return int(digits) if digits else None


def to_job_posting(record: dict[str, Any]) -> dict[str, Any] | None:
    """A JSON-LD JobPosting for a job-description record; None for other records."""
    job = record.get("job")
    if not job:
        return None
    req = job.get("requirements") or {}
    posting: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "identifier": record["id"],
        "title": job.get("title") or record.get("title"),
        "description": record["text"],
        "url": (record.get("source") or {}).get("url"),
        "responsibilities": _lines(job.get("responsibilities")),
        "qualifications": _lines([*(req.get("skills") or []), *(req.get("other") or [])]),
        "skills": _lines(req.get("skills")),
        "jobBenefits": _lines(job.get("compensation")),
        "totalJobOpenings": _openings(job.get("headcount")),
        "datePosted": date_posted(record),
    }
    if job.get("organization"):
        posting["hiringOrganization"] = {"@type": "Organization", "name": job["organization"]}
    if job.get("location"):
        posting["jobLocation"] = {
            "@type": "Place",
            "address": {"@type": "PostalAddress", "addressLocality": job["location"]},
        }
    pay = base_salary([*(job.get("compensation") or []), *record["text"].split("\n")[:80]])
    if pay:
        posting["baseSalary"] = pay
    education = req.get("education")
    if education and education.get("level"):
        posting["educationRequirements"] = {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": CREDENTIAL_CATEGORY[education["level"]],
            "description": education.get("raw"),
        }
    experience = req.get("experience")
    if experience and experience.get("min_years") is not None:
        posting["experienceRequirements"] = {
            "@type": "OccupationalExperienceRequirements",
            "monthsOfExperience": experience["min_years"] * 12,
            "description": experience.get("raw"),
        }
    return {k: v for k, v in posting.items() if v not in (None, "", [])}
