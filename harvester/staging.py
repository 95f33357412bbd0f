"""One way to make a file appear whole: write it under a temporary name beside its final one,
then rename it into place (atomic on one file system). The temporary name starts with a dot and
the final name, so that a crash leaves a file the next run finds and removes
(`writer.remove_stale_temporaries`) and never a half-written file under the final name."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from .defaults import FILE_MODE


@dataclass(frozen=True, slots=True)
class StagedPath:
    """A temporary sibling of `path`, created empty; `publish` renames it into place with the
    mode the umask gives (mkstemp makes 0600), `discard` removes it."""

    path: Path
    tmp: Path

    @classmethod
    def beside(cls, path: str | Path, suffix: str = ".tmp") -> StagedPath:
        final = Path(path)
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=suffix, dir=final.parent)
        os.close(fd)
        return cls(final, Path(tmp))

    def publish(self) -> None:
        os.chmod(self.tmp, FILE_MODE)
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        self.tmp.unlink(missing_ok=True)


class StagedFile:
    """An output file written under a temporary name: `finish` puts everything on disk there (a
    full disk fails then, before any file of an output set is renamed), `publish` renames it,
    `abort` closes and removes it. Subclasses say how to finish and how to close on abort."""

    staged: StagedPath

    def finish(self) -> None:
        raise NotImplementedError

    def close_unfinished(self) -> None:
        """Release what an abort leaves open (errors are the abort's business, not raised)."""

    def publish(self) -> None:
        self.staged.publish()

    def commit(self) -> None:
        self.finish()
        self.publish()

    def abort(self) -> None:
        try:
            self.close_unfinished()
        finally:
            self.staged.discard()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()
