"""The batch: read inputs, clean pages in worker processes, deduplicate, write.

Pages are read in the main process and sent to workers in small chunks, with a bounded number
of chunks in flight, so memory stays flat however many files there are. Results come back in
input order. Cleaned records go to a temporary spool first; exact duplicates are resolved once
every record is known (the best copy wins, not the first), then the output is written
atomically.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import json
import logging
import os
import pickle
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Concatenate, ParamSpec

from cleaners import CleanError, Page, clean_page, text_id
from cleaners.dedup_key import completeness, exact_key
from cleaners.errors import ErrorCode
from cleaners.near_dup import THRESHOLD, Sketch, sketch
from cleaners.pipeline import PageLines, clean_lines, page_lines
from cleaners.site_template import PageDigest, SiteTemplate, TemplateLearner, TemplateSet, site_group

from .dedupe import DedupState
from .engines import make_executor
from .export import to_job_posting
from .inputs import DEFAULT_MAX_BYTES, DeferredPage, InputError, expand_inputs, read_pages
from .lock import exclusive
from .report import RunReport
from .sites import cached_profiles, knowledge_digest
from .templates import cached_set, load_set, read_templates, save_set, write_templates
from .writer import (
    AtomicFile,
    Generation,
    OutputTarget,
    RecordSink,
    dumps,
    remove_stale_temporaries,
    write_jsonl,
)

log = logging.getLogger("harvester")
CHUNK = 16
WORK_FORMAT = 3  # the shard files' layout: raised when it changes, so a resume never mixes two
DEFAULT_TIME_BUDGET = 30.0  # seconds per page: a pathological page is reported, not waited for


@dataclass(slots=True)
class PageResult:
    path: str | None
    url: str | None
    records: list[tuple[str, str]]  # (record JSON line, facts JSON line), serialised in the worker
    error: str | None = None  # why the page gave no document, in words
    code: ErrorCode | None = None  # and as a code


@dataclass
class RunSummary:
    inputs: int = 0
    pages: int = 0
    documents: int = 0
    duplicates: int = 0
    errors: list[InputError] = field(default_factory=list)
    seconds: float = 0.0
    output: str = ""
    templates: int = 0  # site templates learned from the batch
    templates_to: str = ""  # where they were written

    @property
    def reasons(self) -> Counter[str]:
        """Inputs without a document, counted by error code."""
        return Counter(str(e.code) for e in self.errors)

    def paragraph(self) -> str:
        """The one-paragraph summary printed at the end of a run."""
        text = (
            f"Read {self.inputs} input file(s) holding {self.pages} page(s) in {self.seconds:.1f} s; "
            f"wrote {self.documents} document(s) to {self.output}; dropped {self.duplicates} duplicate(s)."
        )
        if self.templates:
            where = f" (written to {self.templates_to})" if self.templates_to else ""
            text += f" Learned {self.templates} site template(s){where}."
        if self.errors:
            reasons = ", ".join(f"{n} {r}" for r, n in self.reasons.most_common())
            named = "; ".join(f"{e.path}: {e.reason}" for e in self.errors[:10])
            more = f" (and {len(self.errors) - 10} more)" if len(self.errors) > 10 else ""
            text += f" {len(self.errors)} input(s) gave no document ({reasons}): {named}{more}."
        return text


class PageTimeout(Exception):
    """A page took longer than the per-page time budget."""


def _within_budget(seconds: float, fn: Callable[..., Any], *args: Any) -> Any:
    """Run fn, interrupting it after `seconds` (SIGALRM; only where signals can be used: the
    main thread of a Unix process, as in pool and Ray workers)."""
    if (
        seconds <= 0
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        return fn(*args)

    def expire(signum: int, frame: Any) -> None:
        raise PageTimeout(f"time budget of {seconds:g} s exceeded (raise --time-budget)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def clean_pages(
    pages: list[Page | PageLines | DeferredPage],
    extra_sites: tuple[str, ...] = (),
    time_budget: float = DEFAULT_TIME_BUDGET,
    templates: str | TemplateSet | None = None,
) -> list[PageResult | InputError]:
    """Worker entry point: clean a chunk of pages, turning failures into results (a file that
    cannot be read now into its input error). `templates`: the run's site templates, or the
    path of the file holding them (read once per process)."""
    profiles = cached_profiles(extra_sites)
    tset = cached_set(templates) if isinstance(templates, str) else templates
    out: list[PageResult | InputError] = []
    for item in pages:
        page = item.load() if isinstance(item, DeferredPage) else item
        if isinstance(page, InputError):
            out.append(page)
            continue
        try:
            clean = clean_lines if isinstance(page, PageLines) else clean_page
            records = [r.to_dict() for r in _within_budget(time_budget, clean, page, profiles, tset)]
            # Serialised here, in the worker: the main process only writes the lines.
            lines = [
                (dumps(r) + "\n", dumps(f) + "\n") for r, f in zip(records, _page_facts(records), strict=True)
            ]
            out.append(PageResult(page.path, page.url, lines))
        except CleanError as exc:
            out.append(PageResult(page.path, page.url, [], str(exc), exc.code))
        except PageTimeout as exc:
            out.append(PageResult(page.path, page.url, [], str(exc), ErrorCode.TIMEOUT))
        except Exception as exc:  # a bug must not cost the batch: report it with the page
            log.debug("cleaning %s failed", page.path, exc_info=True)
            reason = f"internal error: {type(exc).__name__}: {exc}"
            out.append(PageResult(page.path, page.url, [], reason, ErrorCode.INTERNAL))
    return out


def learn_pages(
    pages: list[Page | DeferredPage],
    extra_sites: tuple[str, ...] = (),
    time_budget: float = DEFAULT_TIME_BUDGET,
) -> list[tuple[PageLines, PageDigest] | Page | DeferredPage | InputError]:
    """Worker entry point of the learning pass: each page decoded and extracted, as the
    cleaner sees it before any boilerplate step, with what the template learner reads of it;
    kept for the cleaning pass, so no page is extracted twice. A page that fails here comes
    back as it is: the cleaning pass meets it again and reports why. A deferred file is read
    here (an error if it cannot be read now)."""
    profiles = cached_profiles(extra_sites)
    out: list[tuple[PageLines, PageDigest] | Page | DeferredPage | InputError] = []
    for item in pages:
        page = item.load() if isinstance(item, DeferredPage) else item
        if isinstance(page, InputError):
            out.append(page)
            continue
        try:
            got = _within_budget(time_budget, page_lines, page, profiles)
            out.append((got, PageDigest.of(got.lines)))
        except Exception:
            log.debug("extracting %s failed", page.path, exc_info=True)
            out.append(item)
    return out


Item = (
    Page | PageLines | DeferredPage | InputError
)  # what flows from the readers (or the spool) to the workers


def _chunks(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    while chunk := list(islice(items, size)):
        yield chunk


def _results(
    items: Iterator[Item],
    jobs: int,
    pool: Any,  # a process pool, a Ray executor, or None: anything with submit() and shutdown()
    work: Callable[..., list[Any]],
    *args: Any,
) -> Iterator[Any]:
    """`work(pages, *args)` over chunks of pages, its results in input order; errors from
    reading pass straight through."""
    if pool is None:
        for chunk in _chunks(items, CHUNK):
            pages = [p for p in chunk if not isinstance(p, InputError)]
            done = iter(work(pages, *args))
            for item in chunk:
                yield item if isinstance(item, InputError) else next(done)
        return
    window: deque[tuple[list[Item], Future[list[Any]]]] = deque()
    for chunk in _chunks(items, CHUNK):
        pages = [p for p in chunk if not isinstance(p, InputError)]
        window.append((chunk, pool.submit(work, pages, *args)))
        if len(window) >= jobs * 4:
            yield from _drain(*window.popleft())
    while window:
        yield from _drain(*window.popleft())


def _drain(chunk: list[Item], future: Any) -> Iterator[Any]:
    done = iter(future.result())
    for item in chunk:
        yield item if isinstance(item, InputError) else next(done)


def _work_dir(target: OutputTarget) -> Path:
    """Where a run keeps its finished shards until the output is written: beside the output, so
    that rerunning the same command after a crash picks them up."""
    if target.is_stdout:
        return Path(tempfile.mkdtemp(prefix="harvester-work-"))
    if target.is_dir:
        return Path(target.spec) / ".work"
    out = Path(target.spec)
    return out.with_name(f".{out.name}.work")


def _stamp(path: str) -> list[Any]:
    """A file as the resume manifest knows it: name, size and modification time."""
    try:
        st = os.stat(path)
    except OSError:
        return [path, None, None]
    return [path, st.st_size, st.st_mtime_ns]


def _shards(files: list[str], size: int) -> list[list[str]]:
    return [files[i : i + size] for i in range(0, len(files), size)] or [[]]


P = ParamSpec("P")


def _one_run_per_output(
    fn: Callable[Concatenate[Any, OutputTarget, P], RunSummary],
) -> Callable[Concatenate[Any, OutputTarget, P], RunSummary]:
    """Hold the output's lock for the whole run: a second run on it fails at once (lock.Busy)."""

    @functools.wraps(fn)
    def locked(first: Any, target: OutputTarget, *args: P.args, **kwargs: P.kwargs) -> RunSummary:
        lock = target.lock_file()
        with exclusive(lock, target.describe()) if lock else contextlib.nullcontext():
            return fn(first, target, *args, **kwargs)

    return locked


@dataclass(frozen=True, slots=True)
class CleanConfig:
    """How a batch is cleaned: every option of `harvester clean` besides its inputs and output.

    One object instead of a dozen keyword arguments threaded through the run; the fields that
    change what a shard holds are saved in the resume manifest (`resume_key`), so a rerun with
    other settings starts afresh instead of mixing shards cleaned two ways.
    """

    jobs: int = os.cpu_count() or 1
    engine: str = "local"  # where workers run: local processes or Ray (harvester/engines.py)
    dedup: bool = True
    near: bool = True  # near duplicates too, not only exact ones
    threshold: float = THRESHOLD
    max_bytes: int = DEFAULT_MAX_BYTES  # larger HTML/text files and JSONL rows are reported, not read
    extra_sites: tuple[str, ...] = ()  # folders of site profiles added to the bundled ones
    output_format: str = "jsonl"  # jsonl, jsonld or parquet
    shard_files: int = 500  # input files per resumable shard
    time_budget: float = DEFAULT_TIME_BUDGET  # seconds one page may take
    learn_templates: bool = True  # the first pass that learns each site's template
    templates_dir: str | None = None  # templates of an earlier run, applied as well

    def resume_key(self) -> dict[str, Any]:
        """What a finished shard depends on besides the inputs and the knowledge files."""
        return {
            "shard_files": self.shard_files,
            "max_bytes": self.max_bytes,
            "sites": list(self.extra_sites),
            "learn_templates": self.learn_templates,
            "time_budget": self.time_budget,
        }


@_one_run_per_output
def run_clean(
    specs: Iterable[str],
    target: OutputTarget,
    config: CleanConfig | None = None,
    *,
    on_page: Callable[[int], None] | None = None,
    on_start: Callable[[int | None], None] | None = None,
) -> RunSummary:
    """Clean every input into `target`; never raises for a bad input.

    With `config.learn_templates`, a first pass learns each site's template from the batch (the lines
    most of a site's pages repeat; see `cleaners.site_template`), written beside the output;
    `config.templates_dir` adds templates from an earlier run.

    Inputs are cut into shards of `config.shard_files` files. Each finished shard is kept in a work
    folder beside the output with a completion marker, so a rerun of the same command after a
    crash or kill redoes only unfinished shards; the output is then written from all shards at
    once (deduplicated across them) and the work folder removed.
    """
    cfg = config or CleanConfig()
    started = time.monotonic()
    summary = RunSummary(output=target.describe())
    files = list(expand_inputs(specs))
    summary.inputs = len(files)
    inputs_by_type = Counter(_input_type(f) for f in files)
    if on_start:  # one page a file unless a file holds many (JSONL, WARC, stdin): then unknown
        many = any(t in ("jsonl", "jsonl.gz", "warc", "warc.gz", "stdin", "other") for t in inputs_by_type)
        on_start(None if many else len(files))
    shards = _shards(files, cfg.shard_files)
    remove_stale_temporaries(target)
    work = _work_dir(target)
    given = read_templates(cfg.templates_dir) if cfg.templates_dir else []
    manifest = {
        "work_format": WORK_FORMAT,
        "files": [_stamp(f) for f in files],  # a file edited since the kill is cleaned again
        "knowledge": knowledge_digest(*cfg.extra_sites),
        **cfg.resume_key(),
        "templates": [[t.name, t.group, sorted(t.lines)] for t in given],
    }
    if work.exists() and _read_json(work / "manifest.json") != manifest:
        shutil.rmtree(work)  # another run's shards: start afresh
    work.mkdir(parents=True, exist_ok=True)
    with AtomicFile(work / "manifest.json") as fh:
        fh.write(json.dumps(manifest, ensure_ascii=False))

    pool = make_executor(cfg.engine, cfg.jobs)
    learned: list[SiteTemplate] = []
    try:
        handle = None
        if cfg.learn_templates or given:
            path = work / "templates.json"
            if not (work / "templates.done").exists():
                found = _learn_templates(shards, work, pool, cfg)
                save_set(path, found if cfg.learn_templates else [], given)
                (work / "templates.done").touch()
            learned, given = load_set(path)
            handle = pool.put(TemplateSet(learned, given)) if hasattr(pool, "put") else str(path)
        todo = [k for k in range(len(shards)) if not (work / f"shard-{k:05d}.done").exists()]
        _clean_shards(work, todo, shards, pool, cfg, summary, on_page, handle)
    finally:
        if pool is not None:
            pool.shutdown()
    cleaned = time.monotonic()
    folder = target.side_folder("templates")
    summary.templates = len(learned)
    if folder is not None and learned:
        _replace_templates(folder, learned)
        summary.templates_to = str(folder)

    state = DedupState(spill=work / "dedup")  # signatures on disk past SPILL_AT documents
    summary.pages = 0
    for k in range(len(shards)):
        stats = _read_json(work / f"shard-{k:05d}.done") or {}
        summary.pages += int(stats.get("pages", 0))
        for line in _lines(work / f"shard-{k:05d}.errors.jsonl"):
            e = json.loads(line)
            summary.errors.append(InputError(e["path"], ErrorCode(e["code"]), e["reason"], e.get("url")))
        for line in _lines(work / f"shard-{k:05d}.facts.jsonl"):
            d = json.loads(line)
            sk = Sketch(base64.b64decode(d["s"]), d["n"], d["p"], d["l"], base64.b64decode(d.get("o", "")))
            page = (d["pc"], Sketch(base64.b64decode(d["pg"]), d["pn"], 0)) if "pg" in d else None
            state.add(d["k"], tuple(d["q"]), d["id"], sk, page)
    dups = state.resolve(near=cfg.near, threshold=cfg.threshold) if cfg.dedup else {}
    deduplicated = time.monotonic()
    report = RunReport()
    transform = to_job_posting if cfg.output_format == "jsonld" else None
    records = (line for k in range(len(shards)) for line in _lines(work / f"shard-{k:05d}.jsonl"))
    # what the report counts, read again beside the records (held for every record, it was
    # about 150 bytes a document of the driver's memory)
    facts = (
        _report_fact(json.loads(line)["r"])
        for k in range(len(shards))
        for line in _lines(work / f"shard-{k:05d}.facts.jsonl")
    )
    generation = Generation()
    try:
        _write_outputs(records, state, dups, target, summary, generation, transform, report, facts)
        summary.seconds = time.monotonic() - started
        json_path, html_path = target.side_file("report", "json"), target.side_file("report", "html")
        if json_path and html_path:
            timings = {
                "read_and_clean": cleaned - started,
                "deduplicate": deduplicated - cleaned,
                "write": time.monotonic() - deduplicated,
                "total": summary.seconds,
            }
            data = report.as_dict(summary, inputs_by_type, timings)
            for f in report.prepare(json_path, html_path, data):
                generation.add(f)
        generation.publish()  # corpus, duplicates, errors and report: all new, or all as before
    except BaseException:
        generation.abort()
        raise
    finally:
        state.close()
    shutil.rmtree(work, ignore_errors=True)  # only now: a crash before this reruns from the shards
    return summary


def _learn_templates(shards: list[list[str]], work: Path, pool: Any, cfg: CleanConfig) -> list[SiteTemplate]:
    """The first pass: every page decoded and extracted once, its lines counted for its site's
    template and the page kept in a spool per shard (`spool-K.pickle`) for the cleaning pass,
    which then only cleans. The shards' pages flow to the workers as one stream, so that the
    workers are not left idle at each shard's end. Memory: the learner's counts, bounded per site."""
    started = time.monotonic()
    log.info("first pass: reading every page and learning site templates")
    learner = TemplateLearner()
    pages = 0
    owner: deque[int] = deque()  # the shard of each page in flight, in input order
    items = _tagged(shards, cfg.max_bytes, owner, defer=_workers_read(cfg, pool))
    spool: AtomicFile | None = None
    at = -1  # the shard `spool` belongs to
    try:
        for result in _results(items, cfg.jobs, pool, learn_pages, cfg.extra_sites, cfg.time_budget):
            k = owner.popleft()
            if spool is None or k != at:
                if spool is not None:
                    spool.commit()
                spool, at = AtomicFile(work / f"spool-{k:05d}.pickle", binary=True), k
            if isinstance(result, tuple):
                result, digest = result
                learner.add(site_group(result.url, result.path), result.lines, digest)
                pages += 1
            pickle.dump(result, spool.fh, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:
        if spool is not None:
            spool.abort()
        raise
    if spool is not None:
        spool.commit()
    found = learner.templates()
    log.info(
        "learned %d site template(s) from %d page(s) in %.1f s", len(found), pages, time.monotonic() - started
    )
    return found


def _tagged(
    shards: list[list[str]],
    max_bytes: int,
    owner: deque[int],
    todo: Iterable[int] | None = None,
    defer: bool = False,
) -> Iterator[Item]:
    """The pages of the shards (of `todo`, or all), in order, each one's shard appended to
    `owner` as it is read: the consumer of the results takes them from the left. `defer`: HTML
    and text files are left for the workers to read."""
    for k in range(len(shards)) if todo is None else todo:
        for path in shards[k]:
            for item in _safe_pages(path, max_bytes, defer):
                owner.append(k)
                yield item


def _spooled(path: Path) -> Iterator[Item]:
    with open(path, "rb") as fh:
        while True:
            try:
                yield pickle.load(fh)
            except EOFError:
                return


def _replace_templates(folder: Path, templates: list[SiteTemplate]) -> None:
    """The learned templates into `folder`, replacing those an earlier run learned there."""
    written = set(write_templates(folder, templates))
    for old in folder.glob("*.toml"):
        if old not in written:
            old.unlink(missing_ok=True)


def _clean_shards(
    work: Path,
    todo: list[int],
    shards: list[list[str]],
    pool: Any,  # a process pool, a Ray executor, or None: anything with submit() and shutdown()
    cfg: CleanConfig,
    summary: RunSummary,
    on_page: Callable[[int], None] | None,
    templates: Any = None,  # the path of the run's templates file, a Ray reference to them, or None
) -> None:
    """Clean the shards of `todo` (ascending), each into `shard-K.jsonl` (records with their dedup
    sketch) and its errors, then its completion marker: only a marked shard counts as done. Their
    pages flow to the workers as one stream (from each shard's spool, or its files when there is
    none), so the workers are not left idle at each shard's end."""
    owner: deque[int] = deque()  # the shard of each page in flight, in input order

    def items() -> Iterator[Item]:
        for k in todo:
            spool = work / f"spool-{k:05d}.pickle"
            if not spool.exists():
                yield from _tagged(shards, cfg.max_bytes, owner, (k,), _workers_read(cfg, pool))
                continue
            for item in _spooled(spool):
                owner.append(k)
                yield item

    unopened = iter(todo)
    current: _ShardOutput | None = None

    def move_to(k: int | None) -> _ShardOutput | None:
        """Finish the open shard and any shard without a page before `k`; open `k`."""
        if current is not None:
            current.finish()
        for j in unopened:
            if j == k:
                return _ShardOutput(work, j)
            _ShardOutput(work, j).finish()
        return None

    try:
        for result in _results(
            items(), cfg.jobs, pool, clean_pages, cfg.extra_sites, cfg.time_budget, templates
        ):
            k = owner.popleft()
            if current is None or current.k != k:
                current = move_to(k)
            assert current is not None
            if isinstance(result, InputError):
                log.debug("%s: %s", result.path, result.reason)
                current.errors.append(result)
                continue
            current.pages += 1
            summary.pages += 1
            if on_page:
                on_page(summary.pages)
            if result.error:
                log.debug("%s: %s", result.path, result.error)
                current.errors.append(
                    InputError(result.path, result.code or ErrorCode.INTERNAL, result.error, result.url)
                )
                continue
            for record_line, facts_line in result.records:
                current.out.write(record_line)
                current.side.write(facts_line)
        current = move_to(None)
    except BaseException:
        if current is not None:
            current.abort()
        raise


class _ShardOutput:
    """One shard's files while its results arrive: records and their facts, then its errors and
    its completion marker."""

    def __init__(self, work: Path, k: int) -> None:
        self.work, self.k = work, k
        self.out = AtomicFile(work / f"shard-{k:05d}.jsonl")
        self.side = AtomicFile(work / f"shard-{k:05d}.facts.jsonl")
        self.pages = 0
        self.errors: list[InputError] = []
        self.started = time.monotonic()

    def finish(self) -> None:
        self.out.commit()
        self.side.commit()
        write_jsonl(self.work / f"shard-{self.k:05d}.errors.jsonl", (_error_row(e) for e in self.errors))
        with AtomicFile(self.work / f"shard-{self.k:05d}.done") as marker:
            marker.write(json.dumps({"pages": self.pages, "errors": len(self.errors)}))
        (self.work / f"spool-{self.k:05d}.pickle").unlink(missing_ok=True)
        log.debug(
            "shard %d: %d page(s), %d without a document, %.2f s",
            self.k,
            self.pages,
            len(self.errors),
            time.monotonic() - self.started,
        )

    def abort(self) -> None:
        self.out.abort()
        self.side.abort()


def _workers_read(cfg: CleanConfig, pool: Any) -> bool:
    """Whether the workers read HTML and text files themselves: local worker processes do (the
    main process then only measures them); Ray's may run where the files are not."""
    return pool is not None and cfg.engine == "local"


def _safe_pages(path: str, max_bytes: int, defer: bool = False) -> Iterator[Page | InputError | DeferredPage]:
    """The pages of one input; a reader failure becomes an error for that input, never the batch's."""
    try:
        yield from read_pages(path, max_bytes, defer)
    except Exception as exc:  # a reader bug or an exotic file: report it with the file and go on
        log.debug("reading %s failed", path, exc_info=True)
        yield InputError(path, ErrorCode.UNREADABLE, f"unreadable: {type(exc).__name__}: {exc}")


def _error_row(e: InputError) -> dict[str, Any]:
    """A row of errors.jsonl: the contract's path, url and reason, and the reason's code."""
    return {"path": e.path, "url": e.url, "reason": e.reason, "code": str(e.code)}


def _report_fact(r: dict[str, Any]) -> tuple:
    """A record's facts for the report, compact: a tuple of interned strings, not a dict."""
    return (
        r["site"],
        tuple(map(sys.intern, r["flags"])),
        tuple(map(sys.intern, r["rules"])),
        r["len"],
        r["job"],
    )


def _page_facts(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The facts of a page's records; the first of a page holding several documents also
    carries the sketch of the page's whole text (`pg`, `pn`) and how many they are (`pc`), so
    that copies of the page split differently, or not at all, are found (`page_copies`)."""
    facts = [_facts(r) for r in records]
    if len(records) >= 2:
        page = sketch(_page_text(records))
        facts[0].update(pg=base64.b64encode(page.signature).decode(), pn=page.size, pc=len(records))
    return facts


def _page_text(records: list[dict[str, Any]]) -> str:
    """A page's text: its documents' texts, one after the other."""
    return "\n".join(r["text"] for r in records)


def _facts(rec: dict[str, Any]) -> dict[str, Any]:
    """What deduplication and the report need of a record, kept beside it in the shard."""
    sk = sketch(rec["text"])
    return {
        "k": exact_key(rec["text"]),
        "q": list(completeness(rec)),
        "id": rec["id"],
        "s": base64.b64encode(sk.signature).decode(),
        "n": sk.size,
        "p": sk.prefix,
        "l": sk.long_prefix,
        "o": base64.b64encode(sk.openings).decode(),
        "r": RunReport.facts(rec),
    }


def _lines(path: Path) -> Iterator[str]:
    if not path.exists():
        return
    with open(path, encoding="utf-8") as fh:
        yield from fh


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def _input_type(path: str) -> str:
    low = path.lower()
    for ext in (
        ".warc.gz",
        ".jsonl.gz",
        ".warc",
        ".jsonl",
        ".html",
        ".htm",
        ".shtml",
        ".shtm",
        ".txt",
        ".md",
    ):
        if low.endswith(ext):
            return ext.lstrip(".")
    return "stdin" if path == "-" else "other"


def _write_outputs(
    lines: Iterable[str],
    state: DedupState,
    dups: dict[int, tuple[int, float]],
    target: OutputTarget,
    summary: RunSummary,
    generation: Generation,
    transform: Callable[[dict[str, Any]], dict[str, Any] | None] | None = None,
    report: RunReport | None = None,
    facts: Iterator[tuple] | None = None,
) -> None:
    """Second pass over the records: kept copies to the output, duplicates aside with the id of
    their kept copy and their similarity to it, errors to the errors file; all of them added to
    `generation`, which the caller publishes."""
    sink = RecordSink(target, transform)
    dup_path = target.side_file("duplicates")
    dup_file = generation.add(AtomicFile(dup_path)) if dup_path else None
    try:
        for n, line in enumerate(lines):
            i = n + state.external
            fact = next(facts) if facts is not None else None  # one a record, kept or not
            if i in dups:
                summary.duplicates += 1
                if dup_file:
                    kept, similarity = dups[i]
                    dup_file.write(_as_duplicate(line, state.ids[kept], similarity))
                continue
            before = sink.count
            if report is not None and fact is not None:
                report.add_facts(fact, line)
            sink.write_line(line)
            summary.documents += sink.count - before
    except BaseException:
        sink.abort()
        raise
    for shard in sink.pending():
        generation.add(shard)
    err_path = target.side_file("errors")
    if err_path:
        errors = generation.add(AtomicFile(err_path))
        for e in summary.errors:
            errors.write(dumps(_error_row(e)) + "\n")
    generation.on_publish(sink.remove_stale_shards)


_UNMARKED = '"duplicate_of":null}\n'  # how a record line ends (`Record.to_dict` puts the field last)


def _as_duplicate(line: str, kept: str, similarity: float) -> str:
    """A record line marked as a copy of `kept`: its tail rewritten, not the whole line parsed and
    dumped again (most lines of a big batch are copies)."""
    if line.endswith(_UNMARKED):
        return f"{line[: -len(_UNMARKED)]}{dumps({'duplicate_of': kept, 'similarity': similarity})[1:]}\n"
    rec = json.loads(line)
    rec["duplicate_of"], rec["similarity"] = kept, similarity
    return dumps(rec) + "\n"


def _valid_records(path: str, errors: list[InputError] | None) -> Iterator[tuple[str, dict[str, Any]]]:
    """Lines of a JSONL corpus that hold a record with `text`; others reported once."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                if errors is not None:
                    errors.append(
                        InputError(f"{path}:{n}", ErrorCode.MALFORMED_ROW, f"malformed JSON line: {exc.msg}")
                    )
                continue
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                if errors is not None:
                    errors.append(
                        InputError(
                            f"{path}:{n}", ErrorCode.MALFORMED_ROW, "not a record object with a string `text`"
                        )
                    )
                continue
            rec.setdefault("id", text_id(rec["text"]))
            yield (line if line.endswith("\n") else line + "\n"), rec


@_one_run_per_output
def run_dedup(
    path: str,
    target: OutputTarget,
    *,
    threshold: float = THRESHOLD,
    index: str | None = None,
    near: bool = True,
) -> RunSummary:
    """Deduplicate an existing JSONL corpus: exact and near duplicates, optionally against (and
    then adding to) a persistent index of earlier batches. Streams the file twice; holds only
    sketches in memory."""
    started = time.monotonic()
    summary = RunSummary(inputs=1, output=target.describe())
    spill = Path(tempfile.mkdtemp(prefix=".harvester-dedup-", dir=_beside(target)))
    state = DedupState(spill=spill)  # signatures on disk past SPILL_AT documents
    try:
        _dedup_into(path, target, state, summary, threshold, index, near)
    finally:
        state.close()
        shutil.rmtree(spill, ignore_errors=True)
    summary.seconds = time.monotonic() - started
    return summary


def _beside(target: OutputTarget) -> Path | None:
    """The folder an output goes to, if it exists (else None: the system's temporary folder)."""
    folder = (
        None
        if target.is_stdout
        else Path(target.spec)
        if target.is_dir
        else Path(target.spec).resolve().parent
    )
    return folder if folder is not None and folder.is_dir() else None


def _dedup_into(
    path: str,
    target: OutputTarget,
    state: DedupState,
    summary: RunSummary,
    threshold: float,
    index: str | None,
    near: bool,
) -> None:
    with exclusive(Path(f"{index}.lock"), f"the index {index}") if index else contextlib.nullcontext():
        batch = _digest(path) if index and path != "-" else None
        seen_before = state.load_index(index, batch) if index else False
        for page in _pages(rec for _, rec in _valid_records(path, summary.errors)):
            whole = (len(page), sketch(_page_text(page))) if len(page) >= 2 else None
            for rec in page:
                state.add(exact_key(rec["text"]), completeness(rec), rec["id"], sketch(rec["text"]), whole)
                whole = None
        summary.pages = len(state.keys) - state.external
        dups = state.resolve(near=near, threshold=threshold)
        generation = Generation()
        try:
            _write_outputs(
                (line for line, _ in _valid_records(path, None)), state, dups, target, summary, generation
            )
            generation.publish()
        except BaseException:
            generation.abort()
            raise
        if index and not seen_before:  # the index already holds this batch: it stays as it is
            state.save_index(index, dups, batch)


def _pages(records: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Records grouped by the page they came from: consecutive records of one source whose
    parts run 0, 1, … up to their `parts`; any other record is a page by itself."""
    page: list[dict[str, Any]] = []
    for rec in records:
        src = rec.get("source") or {}
        part, parts = src.get("part"), src.get("parts")
        if page and (part != len(page) or _source(page[0]) != _source(rec)):
            yield page
            page = []
        if isinstance(parts, int) and parts >= 2 and part == len(page):
            page.append(rec)
            if len(page) == parts:
                yield page
                page = []
        else:
            yield [rec]
    if page:
        yield page


def _source(rec: dict[str, Any]) -> tuple[Any, Any, Any]:
    src = rec.get("source") or {}
    return src.get("path"), src.get("url"), src.get("parts")


def _digest(path: str) -> str:
    """A batch's identity in an index: the digest of its bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
