"""One run at a time on an output: two `harvester clean` runs writing one corpus interleave their
shards and each believes it wrote everything; two fetches on one state fetch every URL twice.

The lock is `flock` on a small file beside what it guards, taken without waiting: a second run
fails at once, naming the lock and the process holding it. The kernel releases it when the
holder dies, however it dies, so a kill -9 never leaves a stale lock behind. The file itself is
left in place (removing a lock file while another process opens it is a race).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class Busy(RuntimeError):
    """Another run holds the lock."""


@contextmanager
def exclusive(lock_path: Path, what: str) -> Iterator[None]:
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise Busy(
                f"another harvester run (pid {holder}) is writing {what}; wait for it or use another "
                f"output (lock: {lock_path})"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
