"""Defaults the CLI shows in `--help`, in a module that imports nothing heavy."""

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
