"""Records to schema.org `JobPosting` objects (JSON-LD), for the job descriptions of a corpus."""

from __future__ import annotations

from typing import Any

CREDENTIAL_CATEGORY = {
    "junior_high": "junior high school",
    "high_school": "high school",
    "associate": "associate degree",
    "bachelor": "bachelor degree",
    "master": "postgraduate degree",
    "doctorate": "postgraduate degree",
}


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
    }
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
