"""Where the cleaning work runs. `local`: a process pool on this machine. `ray`: Ray tasks, on a
local Ray instance or the cluster named by RAY_ADDRESS. Both take `submit(fn, *args)` and give
back something with `.result()`, so the batch code does not know which one it drives (as
datatrove's executors relate to its pipeline steps)."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

ENGINES = ("local", "ray")
PR_SET_PDEATHSIG = 1  # linux/prctl.h


class EngineUnavailable(RuntimeError):
    """The engine asked for cannot run here (ray not installed)."""


class _RayFuture:
    def __init__(self, ref: Any) -> None:
        self.ref = ref

    def result(self) -> Any:
        import ray

        return ray.get(self.ref)


class RayExecutor:
    """Runs each submitted call as a Ray task; starts a local Ray instance unless RAY_ADDRESS
    points at a cluster (`ray start --head`, then `RAY_ADDRESS=host:6379 harvester clean …`)."""

    def __init__(self, num_cpus: int) -> None:
        try:
            import ray
        except ImportError as exc:
            raise EngineUnavailable(
                "--engine ray needs Ray: pip install 'harvester[ray]' (or make test in a checkout)"
            ) from exc
        self._ray = ray
        self._started = False
        if not ray.is_initialized():
            address = os.environ.get("RAY_ADDRESS")
            kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
            if not address:
                kwargs["num_cpus"] = num_cpus
            try:
                # "local" always starts a fresh instance, even when a cluster runs on this machine
                # (address=None would join that cluster, where num_cpus is refused).
                ray.init(address=address or "local", **kwargs)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise ConnectionError(_connect_hint(address, exc)) from exc
            self._started = True
        self._tasks: dict[Callable[..., Any], Any] = {}

    def submit(self, fn: Callable[..., Any], *args: Any) -> _RayFuture:
        task = self._tasks.get(fn)
        if task is None:
            task = self._tasks[fn] = self._ray.remote(fn)
        return _RayFuture(task.remote(*args))

    def put(self, value: Any) -> Any:
        """`value` in Ray's object store, once: tasks given the reference read it from there."""
        return self._ray.put(value)

    def shutdown(self) -> None:
        if self._started:
            self._ray.shutdown()


def _connect_hint(address: str | None, exc: Exception) -> str:
    """What to do when Ray cannot start or join: the usual cause is token auth set on one side only."""
    where = f"the Ray cluster at RAY_ADDRESS={address}" if address else "a local Ray instance"
    return (
        f"could not start or join {where}: {exc}. If the cluster was started with RAY_AUTH_MODE=token, "
        "set RAY_AUTH_MODE=token here too, with the cluster's token in RAY_AUTH_TOKEN or ~/.ray/auth_token; "
        "to join a cluster running on this machine, set RAY_ADDRESS=auto"
    )


def make_executor(engine: str, jobs: int) -> Any:
    """A process pool, a Ray executor, or None (clean in this process) for one local job."""
    if engine == "ray":
        return RayExecutor(jobs)
    if engine != "local":
        raise EngineUnavailable(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    return ProcessPoolExecutor(max_workers=jobs, initializer=die_with_parent) if jobs > 1 else None


def die_with_parent() -> None:
    """Make this worker process end when the process that started it dies. A pool's workers
    otherwise outlive a main process killed with kill -9 (what the OOM killer sends), forever.
    Linux: the kernel sends SIGKILL on the parent's death (PR_SET_PDEATHSIG). Elsewhere, and
    for the moment before prctl took effect, a watchdog thread notices the new parent id."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()
