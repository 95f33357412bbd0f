"""Terminal rendering of parsed records for `harvester inspect` (rich)."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree


def _section_tree(sections: list[dict[str, Any]], tree: Tree) -> None:
    for s in sections:
        label = Text()
        label.append(f"L{s['level']} ", style="dim")
        label.append(s["marker"] or "·", style="bold cyan")
        label.append(" " + (s["title"] or ""), style="bold")
        if s.get("text"):
            snippet = s["text"].replace("\n", " ")
            label.append("  " + (snippet[:60] + "…" if len(snippet) > 60 else snippet), style="dim")
        _section_tree(s.get("children") or [], tree.add(label))


def _field_text(value: Any, indent: str = "") -> str:
    """A job field as readable lines: lists as bullets, objects as `key: value`."""
    if isinstance(value, list):
        return "\n".join(f"{indent}• {v}" for v in value)
    if isinstance(value, dict):
        lines = []
        for k, v in value.items():
            if v in (None, [], {}, ""):
                continue
            inner = _field_text(v, indent + "  ")
            lines.append(f"{indent}{k}:\n{inner}" if isinstance(v, list | dict) else f"{indent}{k}: {v}")
        return "\n".join(lines)
    return f"{indent}{value}"


def render_record(rec: dict[str, Any], console: Console, show_removed: bool) -> None:
    """One record: header, flags, section tree, job fields, clean text, removals."""
    src = rec["source"]
    head = Table.grid(padding=(0, 2))
    head.add_row("title", Text(rec.get("title") or "—", style="bold"))
    head.add_row("source", f"{src.get('path') or '—'}  url={src.get('url') or '—'}")
    head.add_row("site", f"{src.get('site') or 'unrecognised'}  part {src['part'] + 1}/{src['parts']}")
    head.add_row("id", rec["id"])
    flags = Text(", ".join(rec["flags"]) or "none", style="yellow" if rec["flags"] else "green")
    head.add_row("flags", flags)
    parts: list[Any] = [head]
    tree = Tree("sections", guide_style="dim")
    _section_tree(rec["sections"], tree)
    parts.append(tree if rec["sections"] else Text("sections: none found", style="dim"))
    if rec.get("job"):
        job = Table(title="job fields", show_header=False, show_lines=True)
        for key, value in rec["job"].items():
            if value not in (None, [], {}, ""):
                job.add_row(key, _field_text(value))
        parts.append(job)
    parts.append(Panel(rec["text"], title="clean text", border_style="green"))
    if show_removed:
        removed = Text()
        for r in rec["removed"]:
            removed.append(f"[{r['rule']}] ", style="magenta")
            if r.get("score") is not None:  # a template's share of the site's pages, or a model's score
                share = r["rule"].startswith("template/")
                note = f"on {r['score']:.0%} of the site's pages" if share else f"score {r['score']:.2f}"
                removed.append(f"({note}) ", style="cyan")
            removed.append(r["text"] + "\n", style="dim strike")
        parts.append(
            Panel(removed or Text("nothing removed", style="dim"), title="removed", border_style="red")
        )
    console.print(Panel(Group(*parts), title=f"document {src['part'] + 1} of {src['parts']}"))
