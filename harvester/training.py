"""What the training commands share: their command line (`--corpus`, `--out`, `--loso`,
`--show`), the check that the labelled corpus is there, and how a model file is written (the
same bytes for the same model, so `make train` shows no diff when nothing changed)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .sites import PROJECT_ROOT

DEFAULT_CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"


def parse_training_args(
    doc: str | None, default_out: Path, loso: str, show: str | None, argv: Sequence[str] | None
) -> argparse.Namespace | None:
    """The parsed arguments of a training command; None (after saying why on stderr) when the
    corpus holds no labelled pages."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--out", type=Path, default=default_out)
    ap.add_argument("--loso", action="store_true", help=loso)
    if show:
        ap.add_argument("--show", action="store_true", help=show)
    a = ap.parse_args(argv)
    if not (a.corpus / "pages.jsonl").exists():
        print(f"{ap.prog}: {a.corpus / 'pages.jsonl'} is absent", file=sys.stderr)
        return None
    return a


def write_model(path: Path, data: dict[str, Any], weights: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {path} ({weights} weights)", file=sys.stderr)
