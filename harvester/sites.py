"""Load site profiles from TOML files: the bundled knowledge plus any folder a user adds.

The knowledge (site profiles, lexicon, samples) is `data/` in a checkout and ships inside the
wheel as the package `harvester.data`; `$HARVESTER_DATA` points elsewhere."""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from cleaners.profiles import SiteProfile

if TYPE_CHECKING:  # the knowledge's modules compile their patterns on import: only when used
    from cleaners.knowledge import ProfileSet

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _data_dir() -> Path:
    """`$HARVESTER_DATA`, else the checkout's `data/`, else the installed package data."""
    if os.environ.get("HARVESTER_DATA"):
        return Path(os.environ["HARVESTER_DATA"])
    checkout = PROJECT_ROOT / "data"
    if (checkout / "sites").is_dir():
        return checkout
    return Path(str(files("harvester") / "data"))


DATA_DIR = _data_dir()
SITES_DIR = DATA_DIR / "sites"
SAMPLES_DIR = DATA_DIR / "samples"
JOB_LEXICON = DATA_DIR / "lexicon" / "job.toml"
CHARACTERS = DATA_DIR / "lexicon" / "characters.toml"
DOCUMENT_WORDS = DATA_DIR / "lexicon" / "documents.toml"
LINE_MODEL = DATA_DIR / "models" / "boilerplate-line.json"
JOB_MODEL = DATA_DIR / "models" / "job-document.json"
BREAK_MODEL = DATA_DIR / "models" / "line-breaks.json"


class ProfileError(ValueError):
    """A site profile file is missing, unreadable or malformed."""


def load_profiles(*extra_dirs: str | Path) -> ProfileSet:
    """All profiles: the bundled ones, then those in `extra_dirs` (same name replaces), with the
    knowledge every step reads (lexicons, character table, models)."""
    return _knowledge(read_profiles(*extra_dirs))


def read_profiles(*extra_dirs: str | Path) -> list[SiteProfile]:
    """The site profiles alone (what `harvester sites` lists): the bundled ones, then those in
    `extra_dirs`, a later one of the same name replacing an earlier one."""
    by_name: dict[str, SiteProfile] = {}
    for folder in (SITES_DIR, *map(Path, extra_dirs)):
        files = sorted(Path(folder).glob("*.toml"))
        if not files and folder == SITES_DIR:
            raise ProfileError(f"no site profiles found in {folder}")
        for path in files:
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise ProfileError(f"{path}: {exc}") from exc
            try:
                profile = SiteProfile.from_dict(data)  # its errors name this file and the field
            except (ValueError, KeyError, TypeError) as exc:
                raise ProfileError(f"{path}: {exc}") from exc
            by_name[profile.name] = profile
    return list(by_name.values())


def _knowledge(profiles: list[SiteProfile]) -> ProfileSet:
    from cleaners.knowledge import ProfileSet

    lexicon = _toml(JOB_LEXICON)
    table = _toml(CHARACTERS)
    characters = []
    for key in ("traditional_to_simplified", "opencc"):  # the hand-kept pairs, then OpenCC's
        runs = table.get(key, [])
        if not isinstance(runs, list) or not all(isinstance(x, str) for x in runs):
            raise ProfileError(f"{CHARACTERS}: `{key}` must be a list of strings")
        characters += runs
    try:
        return ProfileSet.build(
            profiles,
            lexicon,
            _model(LINE_MODEL),
            _model(JOB_MODEL),
            _model(BREAK_MODEL),
            characters,
            _toml(DOCUMENT_WORDS),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise ProfileError(f"bad site profile: {exc}") from exc


def _toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"{path}: {exc}") from exc


def _model(path: Path) -> dict | None:
    """A learned model's file, None when it is absent (the rules then decide alone)."""
    if not path.exists():
        return None
    try:
        data: dict = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ProfileError(f"{path}: {exc}") from exc
    return data


@lru_cache(maxsize=4)
def cached_profiles(extra: tuple[str, ...] = ()) -> ProfileSet:
    """Profiles loaded once per process (worker processes call this too)."""
    return load_profiles(*extra)


def knowledge_digest(*extra_dirs: str | Path) -> str:
    """A digest of every knowledge file a run reads (profiles, lexicon, model): a resumed run
    whose knowledge changed starts afresh instead of mixing shards cleaned under both."""
    h = hashlib.sha256()
    paths = [
        *sorted(SITES_DIR.glob("*.toml")),
        JOB_LEXICON,
        CHARACTERS,
        DOCUMENT_WORDS,
        LINE_MODEL,
        JOB_MODEL,
        BREAK_MODEL,
    ]
    for folder in extra_dirs:
        paths += sorted(Path(folder).glob("*.toml"))
    for path in paths:
        h.update(str(path.name).encode() + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"(missing)")
    return h.hexdigest()[:16]
