"""The `harvester` command line (typer). Data goes to stdout, logs and summaries to stderr."""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

import typer
from typer.core import TyperArgument, TyperCommand

from cleaners.defaults import THRESHOLD

from .defaults import DEFAULT_MAX_BYTES, DEFAULT_USER_AGENT
from .lock import Busy

if TYPE_CHECKING:
    from rich.console import Console

    from cleaners import ProfileSet

    from .run import RunSummary

# Commands import what they use, so that `--help`, `--version` and `sites` start fast.

app = typer.Typer(
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Turn saved pages from Chinese document-sharing sites into a clean, structured, deduplicated corpus.",
)


class _PlainArgument(TyperArgument):
    """An argument whose help line shows its name only: typer would add the Python type
    (`INPUT <list[str]>`), which tells a user nothing the help text does not."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


class _Command(TyperCommand):
    """A command whose arguments print as plain names in `--help`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if type(param) is TyperArgument:
                param.__class__ = _PlainArgument


class _LazyConsole:
    """The stderr console, created on first use (rich's import is the slowest part of start-up)."""

    _console: Console | None = None

    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            type(self)._console = Console(stderr=True)
        assert self._console is not None
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.console(), name)


err = _LazyConsole()
log = logging.getLogger("harvester")


# C0 and C1 control characters but the newline, shown as escapes: a file name holding a
# terminal escape sequence must not reach the terminal raw.
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if c != 0x0A}


def shown(text: str) -> str:
    """Text as it may be printed: control characters escaped (markup is off where it is printed)."""
    return text.translate(_CONTROLS)


def error(message: str, prefix: str = "error: ") -> None:
    """An error line on stderr; the message is escaped, so `[ray]` in it is not taken for markup,
    and control characters in it are shown as escapes."""
    from rich.markup import escape

    err.print(f"[red]{escape(prefix)}[/]{escape(shown(message))}", highlight=False, soft_wrap=True)


DEFAULT_OUT = "data/out/corpus.jsonl"

ThresholdOpt = Annotated[
    float,
    typer.Option(
        min=0.3,
        max=1.0,
        metavar="T",
        help="Near-duplicate threshold: estimated Jaccard similarity of the content.",
    ),
]
SitesOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--sites",
        metavar="DIR",
        help="Extra folder of site profile TOML files (repeatable); same name replaces.",
    ),
]


def _show_version(value: bool) -> None:
    if value:
        from .defaults import harvester_version

        print(f"harvester {harvester_version()}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Turn saved pages from Chinese document-sharing sites into a clean, structured, deduplicated corpus."""


class _ShownFormatter(logging.Formatter):
    """Log lines with control characters escaped: they name input files."""

    def format(self, record: logging.LogRecord) -> str:
        return shown(super().format(record))


def _setup_logging(verbose: bool, quiet: bool = False) -> None:
    """Log lines on stderr: INFO by default, DEBUG with -v, warnings only with -q."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_ShownFormatter("%(levelname)s %(name)s: %(message)s"))
    level = logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO
    logging.basicConfig(level=level, handlers=[handler])
    for noisy in ("httpx", "httpcore", "asyncio"):  # their DEBUG lines drown ours
        logging.getLogger(noisy).setLevel(max(level, logging.INFO))


def _as_given(path: Path) -> str:
    """A bundled path relative to the working directory when it lies below it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _profiles(sites: list[Path] | None) -> ProfileSet:
    """Site profiles and the knowledge, or exit 2 with the reason when a profile file is bad."""
    from .sites import load_profiles

    return _or_exit_2(load_profiles, sites)


T = TypeVar("T")


def _or_exit_2(load: Callable[..., T], sites: list[Path] | None) -> T:
    """`load(*sites)`, or exit 2 with the reason when a profile file is bad."""
    from .sites import ProfileError

    try:
        return load(*(str(s) for s in sites or ()))
    except ProfileError as exc:
        error(f"{exc}")
        raise typer.Exit(2) from exc


def _check_inputs(inputs: list[str]) -> None:
    from .inputs import is_missing

    missing = [s for s in inputs if is_missing(s)]
    if missing:
        error(f"no such input: {', '.join(missing)}")
        raise typer.Exit(2)


def _check_local_output(output: str | None) -> None:
    """`-o s3://bucket/x` would otherwise become a local folder named `s3:`."""
    if output and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", output):
        error(f"-o {output}: URL outputs are not supported; write to a local path and copy it")
        raise typer.Exit(2)


def _print_summary(summary: RunSummary) -> None:
    err.print(shown(summary.paragraph()), highlight=False, markup=False, soft_wrap=True)


TemplatesOpt = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        metavar="DIR",
        help="Folder of site templates from an earlier run (out.templates/) to apply as well; "
        "a small batch from a known site benefits.",
    ),
]


@app.command(cls=_Command)
def clean(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="INPUT",
            help="Files, folders (recursive), globs, or - for stdin. None: the bundled samples.",
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            metavar="OUT",
            help="FILE.jsonl, FILE.jsonl.gz, a folder (sharded part-00000.jsonl …) or - for stdout.",
        ),
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, metavar="N", help="Worker processes (default: all CPUs).")
    ] = (os.cpu_count() or 1),
    dedup: Annotated[
        bool,
        typer.Option(
            "--dedup/--no-dedup", help="Drop exact and near duplicates (kept aside, with the kept copy's id)."
        ),
    ] = True,
    threshold: ThresholdOpt = THRESHOLD,
    engine: Annotated[
        Literal["local", "ray"],
        typer.Option(
            help="local: worker processes on this machine; ray: Ray tasks (local Ray, or RAY_ADDRESS).",
        ),
    ] = "local",
    max_file_size: Annotated[
        int,
        typer.Option(metavar="BYTES", help="Skip (and report) HTML/text files larger than this many bytes."),
    ] = DEFAULT_MAX_BYTES,
    shard_size: Annotated[
        int, typer.Option(min=1, metavar="N", help="Records per part file when -o is a folder.")
    ] = 100_000,
    time_budget: Annotated[
        float,
        typer.Option(
            min=0.0,
            metavar="SECONDS",
            help="Seconds one page may take; a slower one is reported, not waited for (0: no limit).",
        ),
    ] = 30.0,
    shard_files: Annotated[
        int,
        typer.Option(
            min=1,
            metavar="N",
            help="Input files per shard: a rerun after a crash redoes only unfinished shards.",
        ),
    ] = 500,
    output_format: Annotated[
        Literal["jsonl", "jsonld", "parquet"],
        typer.Option(
            "--format",
            help="jsonl: the records of the contract; jsonld: schema.org JobPosting objects for the job "
            "descriptions; parquet: the records as Parquet (-o FILE.parquet or a folder).",
        ),
    ] = "jsonl",
    sites: SitesOpt = None,
    learn_templates: Annotated[
        bool,
        typer.Option(
            "--learn-templates/--no-learn-templates",
            help="First learn each site's template (lines most of its pages repeat) and remove it; "
            "written beside the output, e.g. out.templates/SITE.toml.",
        ),
    ] = True,
    templates: TemplatesOpt = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging on stderr.")] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="Only warnings, errors and the summary on stderr; no progress bar."
        ),
    ] = False,
) -> None:
    """Batch-clean saved pages into one JSON record per document (the main job).

    Every input is accounted for: documents go to the output, exact duplicates to
    `*.duplicates.jsonl`, and inputs that gave no document, with the reason, to `*.errors.jsonl`.
    Exit code 0 even when some inputs fail; 2 for usage errors; 1 when the run could not complete.
    """
    from .engines import ENGINES, EngineUnavailable
    from .run import CleanConfig, run_clean
    from .sites import SAMPLES_DIR
    from .templates import TemplateError
    from .writer import OutputTarget

    _setup_logging(verbose, quiet)
    if engine not in ENGINES:
        error(f"unknown --engine {engine!r}; use local or ray")
        raise typer.Exit(2)
    if output_format not in ("jsonl", "jsonld", "parquet"):
        error(f"unknown --format {output_format!r}; use jsonl, jsonld or parquet")
        raise typer.Exit(2)
    if output_format == "jsonld" and str(output or "").lower().endswith(".parquet"):
        error("--format jsonld writes JSON: use -o FILE.jsonld (one JSON array) or FILE.jsonl (one a line)")
        raise typer.Exit(2)
    if output_format == "parquet" and (output in (None, "-") or str(output).endswith((".jsonl", ".jsonld"))):
        err.print("[red]error:[/] --format parquet needs -o FILE.parquet or -o FOLDER")
        raise typer.Exit(2)
    if not inputs:
        inputs = [_as_given(SAMPLES_DIR)]
        output = output or DEFAULT_OUT
    _check_inputs(inputs)
    _check_local_output(output)
    target = OutputTarget(output or DEFAULT_OUT, shard_size=shard_size, format=output_format)
    extra = tuple(str(s) for s in sites or ())
    _profiles(sites)
    try:
        with _progress(quiet) as (on_page, on_start):
            config = CleanConfig(
                jobs=jobs,
                engine=engine,
                dedup=dedup,
                threshold=threshold,
                max_bytes=max_file_size,
                extra_sites=extra,
                output_format=output_format,
                shard_files=shard_files,
                time_budget=time_budget,
                learn_templates=learn_templates,
                templates_dir=str(templates) if templates else None,
            )
            summary = run_clean(inputs, target, config, on_page=on_page, on_start=on_start)
    except TemplateError as exc:
        error(f"{exc}")
        raise typer.Exit(2) from exc
    except EngineUnavailable as exc:
        error(f"{exc}")
        raise typer.Exit(2) from exc
    except Busy as exc:
        error(f"{exc}")
        raise typer.Exit(1) from exc
    except OSError as exc:
        error(f"the run could not complete: {exc}")
        raise typer.Exit(1) from exc
    _print_summary(summary)


@contextmanager
def _progress(
    quiet: bool = False,
) -> Iterator[tuple[Callable[[int], None], Callable[[int | None], None] | None]]:
    """A page counter: a rich bar when stderr is a terminal, a log line every 10 s otherwise
    (an INFO line: -q silences it)."""
    if quiet or not sys.stderr.isatty():
        yield _periodic_log(), None
        return
    from rich.progress import (
        BarColumn,
        Progress,
        ProgressColumn,
        SpinnerColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class _RateColumn(ProgressColumn):
        """Pages per second so far."""

        def render(self, task: Task) -> Text:
            elapsed = task.elapsed or 0.0
            rate = task.completed / elapsed if elapsed > 0 else 0.0
            return Text(f"{rate:,.0f} pages/s", style="progress.data.speed")

    class _CountColumn(ProgressColumn):
        """`N/M pages` when the total is known, `N pages` when it is not (JSONL, WARC, stdin:
        a file holds an unknown number of pages), never `N/?`."""

        def render(self, task: Task) -> Text:
            done = int(task.completed)
            if task.total is None:
                return Text(f"{done:,} pages", style="progress.download")
            return Text(f"{done:,}/{int(task.total):,} pages", style="progress.download")

    columns = (
        SpinnerColumn(),
        TextColumn("cleaning"),
        BarColumn(),  # a pulse, not a full-looking bar, while the total is unknown
        _CountColumn(),
        _RateColumn(),
        TextColumn("elapsed"),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err.console(), transient=True) as bar:
        task = bar.add_task("clean", total=None)
        yield (lambda n: bar.update(task, completed=n)), (lambda total: bar.update(task, total=total))


def _periodic_log(every: float = 10.0) -> Callable[[int], None]:
    last = [time.monotonic()]

    def tick(n: int) -> None:
        now = time.monotonic()
        if now - last[0] >= every:
            last[0] = now
            log.info("cleaned %d pages", n)

    return tick


@app.command(cls=_Command)
def inspect(
    file: Annotated[str, typer.Argument(metavar="FILE", help="One saved page (HTML, text) or JSONL file.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the records `clean` would write, one a line.")
    ] = False,
    removed: Annotated[
        bool, typer.Option("--removed", help="Show removed boilerplate and the rule for each.")
    ] = False,
    sites: SitesOpt = None,
    templates: TemplatesOpt = None,
) -> None:
    """Show one parsed file: title, flags, section tree, job fields, and what was removed."""
    from rich.console import Console

    from cleaners import CleanError, clean_page
    from cleaners.site_template import TemplateSet

    from .inputs import InputError, expand_inputs, read_pages
    from .templates import TemplateError, read_templates
    from .view import render_record
    from .writer import dumps

    _check_inputs([file])
    profiles = _profiles(sites)
    try:
        tset = TemplateSet(given=read_templates(templates)) if templates else None
    except TemplateError as exc:
        error(f"{exc}")
        raise typer.Exit(2) from exc
    console = Console()
    failures = 0
    for path in expand_inputs([file]):
        for page in read_pages(path):
            if isinstance(page, InputError):
                error(f"{page.path}: {page.reason}", prefix="")
                failures += 1
                continue
            try:
                records = [r.to_dict() for r in clean_page(page, profiles, tset)]
            except CleanError as exc:
                error(f"{page.path}: {exc}", prefix="")
                failures += 1
                continue
            for rec in records:
                if as_json:
                    sys.stdout.write(dumps(rec) + "\n")
                else:
                    render_record(rec, console, removed)
    if failures:
        raise typer.Exit(1)


@app.command(cls=_Command)
def fetch(
    urls: Annotated[
        list[str] | None, typer.Argument(metavar="URL", help="Public page URLs to fetch.")
    ] = None,
    urls_file: Annotated[
        Path | None,
        typer.Option("--urls", metavar="FILE", help="A file of URLs, one a line; # starts a comment."),
    ] = None,
    output: Annotated[
        str, typer.Option("-o", "--output", metavar="DIR", help="Folder for the WARC files and the state.")
    ] = "data/raw",
    delay: Annotated[
        float,
        typer.Option(
            min=0.0, metavar="S", help="Least seconds between two requests to one host (jittered upwards)."
        ),
    ] = 2.0,
    concurrency: Annotated[
        int, typer.Option(min=1, metavar="N", help="Requests in flight across all hosts.")
    ] = 8,
    user_agent: Annotated[
        str, typer.Option(metavar="UA", help="User-Agent: name the tool and a contact URL.")
    ] = DEFAULT_USER_AGENT,
    state: Annotated[
        str | None, typer.Option(metavar="FILE", help="Frontier database (default OUTPUT/state.sqlite).")
    ] = None,
    max_wait: Annotated[
        float,
        typer.Option(
            min=0.0,
            metavar="S",
            help="Longest Retry-After or Crawl-delay honoured, in seconds; a host asking for more is"
            " parked (its URLs stay pending for a later run) and the summary says so.",
        ),
    ] = 120.0,
    allow_internal_redirects: Annotated[
        bool,
        typer.Option(
            help="Follow redirects from a public host to loopback, private or link-local addresses"
            " (refused by default; allow it for an intranet)."
        ),
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging on stderr.")] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="Only warnings, errors and the summary on stderr; no progress bar."
        ),
    ] = False,
) -> None:
    """Fetch public pages politely into gzipped WARC 1.1 files (robots.txt obeyed, per-host delay,
    backoff, resumable: rerun the same command after a crash and only what is not done is fetched).
    `harvester clean OUTPUT` then reads the WARC files."""
    from .fetch import FetchConfig, read_url_lines
    from .fetch import fetch as run_fetch

    _setup_logging(verbose, quiet)
    lines = list(urls or [])
    if urls_file is not None:
        if not urls_file.is_file():
            error(f"no such file: {urls_file}")
            raise typer.Exit(2)
        lines += urls_file.read_text(encoding="utf-8", errors="replace").splitlines()
    wanted, bad = read_url_lines(lines)
    for b in bad:
        where = f"{urls_file}:{b.line - len(urls or [])}" if b.line > len(urls or []) else "argument"
        error(f"skipped {where}: {b.reason}: {b.text[:200]!r}", prefix="warning: ")
    if not wanted:
        error("no fetchable URL given")
        raise typer.Exit(2)
    config = FetchConfig(
        delay=delay,
        concurrency=concurrency,
        user_agent=user_agent,
        max_wait=max_wait,
        allow_internal_redirects=allow_internal_redirects,
    )
    try:
        summary, counts = run_fetch(wanted, output, config, state)
    except Busy as exc:
        error(f"{exc}")
        raise typer.Exit(1) from exc
    except OSError as exc:
        error(f"the fetch could not complete: {exc}")
        raise typer.Exit(1) from exc
    state_line = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "empty"
    err.print(
        shown(f"{summary.paragraph()} State: {state_line}."), highlight=False, markup=False, soft_wrap=True
    )


@app.command(cls=_Command)
def dedup(
    input: Annotated[
        str, typer.Argument(metavar="INPUT", help="A JSONL corpus written by `harvester clean`.")
    ],
    output: Annotated[
        str, typer.Option("-o", "--output", metavar="OUT", help="Output FILE.jsonl, folder, or -.")
    ] = "-",
    threshold: ThresholdOpt = THRESHOLD,
    index: Annotated[
        str | None,
        typer.Option(
            metavar="PATH",
            help="A persistent index (.npz): deduplicate against earlier batches, then add this one.",
        ),
    ] = None,
) -> None:
    """Deduplicate an existing JSONL corpus, exact and near duplicates; duplicates go beside the
    output with `duplicate_of` and `similarity`. With --index, a later batch is checked against
    every document kept from the earlier ones."""
    from .run import run_dedup
    from .writer import OutputTarget

    _check_inputs([input])
    try:
        _check_local_output(output)
        summary = run_dedup(input, OutputTarget(output), threshold=threshold, index=index)
    except Busy as exc:
        error(f"{exc}")
        raise typer.Exit(1) from exc
    except OSError as exc:
        error(f"{exc}")
        raise typer.Exit(1) from exc
    _print_summary(summary)


@app.command("sites", cls=_Command)
def list_sites(sites: SitesOpt = None) -> None:
    """List the site profiles and how each is recognised."""
    from rich.console import Console
    from rich.table import Table

    from .sites import read_profiles

    profiles = _or_exit_2(read_profiles, sites)  # the profiles alone: no lexicons or models
    console = Console()
    table = Table(title="site profiles")
    for col in ("name", "description", "domains", "text markers", "rules"):
        table.add_column(col)
    for p in profiles:
        table.add_row(
            p.name,
            p.description,
            ", ".join(p.domains) or "(every page)",
            ", ".join(m.pattern for m in p.text_markers)[:80],
            str(len(p.rules)),
        )
    console.print(table)


def main() -> None:
    app()
