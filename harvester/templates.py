"""Site templates on disk: one readable TOML file per site, written beside the output so that
people can review and edit them, and read back with `--templates DIR` by a later run.

The learning itself is in `cleaners.site_template`; the batch runner drives it.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from cleaners.site_template import SHARE, SiteTemplate, TemplateLine, TemplateSet, fold

from .writer import AtomicFile

HEADER = f"""\
# A site template learned by `harvester clean`: lines found on at least {SHARE:.0%} of this site's
# pages (digits compared as 0). They are removed before the first and after the last line of a
# document, and inside it only at their fixed place (`top`/`bottom`: lines from the page's first
# or last line) when they do not look like content. Review it: delete a [[line]] to keep that
# text, add one to remove it; `share` is informational. Pass the folder to a later run with
# `harvester clean --templates DIR`.
"""


class TemplateError(ValueError):
    """A template file is unreadable or malformed."""


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def template_toml(t: SiteTemplate) -> str:
    """One template as the TOML file people read and edit."""
    out = [HEADER, f"name = {_toml_string(t.name)}", f"group = {_toml_string(t.group)}", f"pages = {t.pages}"]
    for line in sorted(t.lines.values(), key=lambda x: (-x.share, x.text)):
        out += ["", "[[line]]", f"text = {_toml_string(line.text)}", f"share = {line.share}"]
        if line.top is not None:
            out.append(f"top = {line.top}")
        if line.bottom is not None:
            out.append(f"bottom = {line.bottom}")
    return "\n".join(out) + "\n"


def write_templates(folder: Path, templates: Iterable[SiteTemplate]) -> list[Path]:
    """Each template to `folder/NAME.toml` (written whole or not at all); the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for t in templates:
        path = folder / f"{t.name}.toml"
        with AtomicFile(path) as fh:
            fh.write(template_toml(t))
        paths.append(path)
    return paths


def _template_from(data: dict[str, Any], where: str) -> SiteTemplate:
    try:
        group, pages = data["group"], int(data.get("pages", 0))
        if not isinstance(group, str):
            raise TypeError("`group` is not a string")
        lines = {}
        for item in data.get("line", []):
            text = item["text"]
            if not isinstance(text, str) or not text.strip():
                raise TypeError("a [[line]] has no `text` string")
            top, bottom = item.get("top"), item.get("bottom")
            lines[fold(text.strip())] = TemplateLine(
                text.strip(),
                float(item.get("share", 1.0)),
                int(top) if top is not None else None,
                int(bottom) if bottom is not None else None,
            )
        return SiteTemplate(str(data.get("name", Path(where).stem)), group, pages, lines)
    except (KeyError, TypeError, ValueError) as exc:
        raise TemplateError(f"{where}: not a site template ({exc})") from exc


def read_templates(folder: str | Path) -> list[SiteTemplate]:
    """The templates in a folder of TOML files (as `write_templates` writes them)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise TemplateError(f"{folder}: not a folder of site templates")
    out = []
    for path in sorted(folder.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise TemplateError(f"{path}: {exc}") from exc
        out.append(_template_from(data, str(path)))
    return out


def _as_dict(t: SiteTemplate) -> dict[str, Any]:
    return {
        "name": t.name,
        "group": t.group,
        "pages": t.pages,
        "line": [
            {"text": x.text, "share": x.share, "top": x.top, "bottom": x.bottom} for x in t.lines.values()
        ],
    }


def save_set(path: Path, learned: Sequence[SiteTemplate], given: Sequence[SiteTemplate]) -> None:
    """The run's templates as one JSON file for the workers (and for a resumed run)."""
    with AtomicFile(path) as fh:
        fh.write(
            json.dumps({"learned": [_as_dict(t) for t in learned], "given": [_as_dict(t) for t in given]})
        )


def load_set(path: str | Path) -> tuple[list[SiteTemplate], list[SiteTemplate]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    learned = [_template_from(d, str(path)) for d in data["learned"]]
    given = [_template_from(d, str(path)) for d in data["given"]]
    return learned, given


@lru_cache(maxsize=2)
def cached_set(path: str) -> TemplateSet:
    """The run's templates, loaded once per worker process."""
    learned, given = load_set(path)
    return TemplateSet(learned, given)
