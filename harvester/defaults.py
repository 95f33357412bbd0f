"""Defaults the CLI shows in `--help`, in a module that imports nothing heavy."""

import os
from importlib.metadata import PackageNotFoundError, version

DEFAULT_MAX_BYTES = 32 * 1024 * 1024
"""HTML/text files larger than this are reported, not read."""

DEFAULT_USER_AGENT = "harvester/0.1 (+https://github.com/harvester-corpus/harvester; polite document fetcher)"


def harvester_version() -> str:
    """The installed distribution's version (the checkout's when run from source)."""
    try:
        return version("harvester")
    except PackageNotFoundError:
        return "0+unknown"


def _file_mode() -> int:
    """The mode a newly created file gets under this process's umask (mkstemp makes 0600)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)  # where /proc is absent: read it by setting it back at once
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()
