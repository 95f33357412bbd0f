"""The layering the README describes, checked on the source: no import cycles (function-level
imports included, which can hide one), `cleaners/` never imports `harvester/` nor does I/O."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

PACKAGES = ("cleaners", "harvester")
# Modules that reach files, sockets or processes (urllib.parse, a pure parser, is fine).
IO_MODULES = {"os", "io", "pathlib", "shutil", "socket", "subprocess", "tempfile", "http", "httpx", "sqlite3"}
IO_SUBMODULES = {"urllib.request"}


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for path in (ROOT / pkg).glob("*.py"):
            out[pkg if path.stem == "__init__" else f"{pkg}.{path.stem}"] = path
    return out


def _imports(name: str, path: Path) -> set[str]:
    """Every module this one imports, anywhere in it (absolute names)."""
    package = name if name in PACKAGES else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return found


def test_no_import_cycles_even_through_function_level_imports():
    modules = _modules()
    graph = {m: {t for t in _imports(m, p) if t in modules and t != m} for m, p in modules.items()}
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for t in sorted(graph[m]):
            assert state.get(t) != 1, "import cycle: " + " -> ".join([*path[path.index(t) :], t])
            if t not in state:
                visit(t, [*path, t])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert len(graph) > 30  # the check saw the packages


def test_cleaners_is_pure():
    """Text in, records out: no harvester, no files, sockets or processes."""
    for name, path in _modules().items():
        if not name.startswith("cleaners"):
            continue
        imported = _imports(name, path)
        assert not any(m.split(".")[0] == "harvester" for m in imported), name
        io = {m for m in imported if m.split(".")[0] in IO_MODULES or m in IO_SUBMODULES}
        assert not io, (name, io)
        calls = [
            n
            for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "open"
        ]
        assert not calls, f"{name} calls open()"
