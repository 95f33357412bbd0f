"""The knowledge a page is cleaned with: the site profiles (with `generic`, applied everywhere),
the job-description lexicon and the learned line model, built from data that a loader read
(`harvester/sites.py`). Its own module, above the steps that use each part, so that no step
imports another through it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .chartable import to_simplified, use_table
from .doc_words import DocumentWords, use_words
from .job import JobEvidence, JobLexicon
from .job_model import JobModel
from .line_breaks import BreakModel
from .line_model import LineModel
from .profiles import SiteProfile


@dataclass(frozen=True, repr=False)
class ProfileSet:
    """All profiles, with `generic` applied everywhere and site recognition."""

    profiles: tuple[SiteProfile, ...]
    # What job descriptions call their parts (data/lexicon/job.toml); None skips job fields.
    job_lexicon: JobLexicon | None = None
    # The learned boilerplate-line model (data/models/boilerplate-line.json); None: rules only.
    line_model: LineModel | None = None
    # The learned JD classifier (data/models/job-document.json); None: the rules decide.
    job_model: JobModel | None = None
    # Where a text blob's lines ended (data/models/line-breaks.json); None: blobs stay whole.
    break_model: BreakModel | None = None
    generic: SiteProfile = field(init=False)

    def __post_init__(self) -> None:
        names = [p.name for p in self.profiles]
        if "generic" not in names:
            raise ValueError("the profiles must include one named `generic`")
        if len(set(names)) != len(names):
            raise ValueError("two site profiles share a name")
        object.__setattr__(self, "generic", next(p for p in self.profiles if p.name == "generic"))

    def __repr__(self) -> str:
        return f"ProfileSet({', '.join(p.name for p in self.profiles)})"

    @classmethod
    def build(
        cls,
        profiles: Iterable[SiteProfile],
        job_lexicon: Mapping[str, Any] | None = None,
        line_model: Mapping[str, Any] | None = None,
        job_model: Mapping[str, Any] | None = None,
        break_model: Mapping[str, Any] | None = None,
        characters: Iterable[str] | None = None,
        document_words: Mapping[str, Any] | None = None,
    ) -> ProfileSet:
        """From profiles already built (a loader that checked each file on its own).
        `characters`: the traditional → simplified table (runs of pairs), installed for the
        process (`cleaners/chartable.py`); None leaves the installed table as it is.
        `document_words`: what documents and their parts are called (documents.toml), installed
        for the process too (`cleaners/doc_words.py`); None leaves the installed words."""
        if characters is not None:
            use_table(characters)
        if document_words is not None:
            use_words(DocumentWords.from_dict(document_words))
        lexicon = JobLexicon.from_dict(job_lexicon) if job_lexicon else None
        model = LineModel.from_dict(line_model) if line_model else None
        classifier = JobModel.from_dict(job_model) if job_model else None
        breaks = BreakModel.from_dict(break_model) if break_model else None
        return cls(tuple(profiles), lexicon, model, classifier, breaks)

    def is_job(self, evidence: JobEvidence) -> bool:
        """Whether a document is a job description: the learned model's call, else the rules'."""
        if self.job_model is None:
            return evidence.rules_say_job()
        return self.job_model.is_job(evidence.features())

    def reline(self, lines: list[str]) -> list[str]:
        """The lines with any text blob cut where its lines most probably ended."""
        return self.break_model.reline(lines) if self.break_model is not None else lines

    @property
    def sites(self) -> tuple[SiteProfile, ...]:
        return tuple(p for p in self.profiles if p.name != "generic")

    def get(self, name: str | None) -> SiteProfile | None:
        return next((p for p in self.sites if p.name == name), None)

    def recognise(self, url: str | None, text: str = "") -> SiteProfile | None:
        """The site of a page: by URL when known, else by markers in its text."""
        if url:
            for p in self.sites:
                if p.matches_url(url):
                    return p
        head = text[:6000]
        view = to_simplified(head)  # a mirror in traditional script names its site so too
        for p in self.sites:
            if p.matches_text(head) or (view != head and p.matches_text(view)):
                return p
        return None
