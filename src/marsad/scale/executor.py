"""Where batch tasks run: a local process pool (default) or Ray, behind one small interface.

A task is a picklable callable applied to one picklable item; it writes its outputs to the shared
work directory itself and returns a small JSON-able summary. Executors never schedule anything of
their own beyond "run these independent tasks, tell me as each finishes": the corpus-wide steps are
sequences of such fan-outs, with the data exchanged through partitioned files.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any, Protocol, TypeVar

from marsad.errors import ConfigError, MissingExtraError, TaskFailedError

T = TypeVar("T")
Summary = dict[str, Any]
Task = Callable[[Any], Summary]
OnDone = Callable[[int, Summary], None]


class Executor(Protocol):
    """Runs independent tasks and reports each result as it finishes."""

    name: str
    workers: int

    def run(self, task: Task, items: Sequence[Any], on_done: OnDone | None = None) -> list[Summary]:
        """Apply `task` to every item; results in item order. `on_done` sees each success as it
        comes. Raises TaskFailedError, after the other tasks have finished, if any task failed."""
        ...

    def close(self) -> None:
        """Release workers (idempotent)."""
        ...


def _describe(item: Any) -> str:
    return str(getattr(item, "key", None) or item)[:200]


def _raise_failures(failures: list[str], total: int) -> None:
    if failures:
        shown = "; ".join(failures[:5])
        raise TaskFailedError(
            f"{len(failures)} of {total} tasks failed (the others are done; run again to redo"
            f" only these): {shown}"
        )


@dataclass
class LocalExecutor:
    """A process pool of `workers` processes; with one worker, tasks run in this process.

    A task that raises does not stop the others; the failures are raised together at the end.
    A worker process that dies (killed, out of memory) breaks the pool: the pool is rebuilt and the
    tasks that had not finished are submitted again, at most `retries` times. Tasks are idempotent
    (outputs written under deterministic names, atomically), so a redone task counts once.
    """

    workers: int = 1
    retries: int = 2
    name: str = "local"

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ConfigError(f"--workers must be >= 1, got {self.workers}")
        self._pool: ProcessPoolExecutor | None = None

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # fork keeps start-up cheap (the parent already imported marsad); nothing here runs
            # threads before the pool is created.
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=get_context("fork"))
        return self._pool

    def run(self, task: Task, items: Sequence[Any], on_done: OnDone | None = None) -> list[Summary]:
        results: list[Summary] = [{} for _ in items]
        failures: list[str] = []
        if self.workers == 1:
            for i, item in enumerate(items):
                try:
                    results[i] = task(item)
                except Exception as exc:
                    failures.append(f"{_describe(item)}: {exc!r}")
                    continue
                if on_done is not None:
                    on_done(i, results[i])
            _raise_failures(failures, len(items))
            return results
        pending = set(range(len(items)))
        attempts = 0
        while pending:
            pool = self._get_pool()
            futures: dict[Future[Summary], int] = {pool.submit(task, items[i]): i for i in sorted(pending)}
            broken = False
            while futures:
                done, _ = wait(futures, return_when=FIRST_COMPLETED)
                for fut in done:
                    i = futures.pop(fut)
                    try:
                        results[i] = fut.result()
                    except BrokenProcessPool:
                        broken = True
                        continue
                    except Exception as exc:
                        failures.append(f"{_describe(items[i])}: {exc!r}")
                        pending.discard(i)
                        continue
                    pending.discard(i)
                    if on_done is not None:
                        on_done(i, results[i])
            if broken:
                attempts += 1
                if self._pool is not None:
                    self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
                if attempts > self.retries:
                    failures.extend(
                        f"{_describe(items[i])}: worker died {attempts} times" for i in sorted(pending)
                    )
                    break
        _raise_failures(failures, len(items))
        return results

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None


@dataclass
class RayExecutor:
    """Ray tasks, one CPU each. Joins `address` (or $RAY_ADDRESS) or starts Ray on this machine.

    A task whose worker process dies is retried by Ray (`max_retries`); an exception raised by the
    task itself is not retried: the other tasks finish, then TaskFailedError names the failures.
    """

    workers: int = 2
    address: str | None = None
    max_retries: int = 3
    name: str = "ray"

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ConfigError(f"--workers must be >= 1, got {self.workers}")
        try:
            import ray
        except ImportError:
            raise MissingExtraError("ray", "ray") from None
        self._ray: Any = ray
        self._started = False
        if not ray.is_initialized():
            address = self.address or os.environ.get("RAY_ADDRESS")
            if address:
                ray.init(address=address, include_dashboard=False, log_to_driver=False)
            else:
                ray.init(
                    num_cpus=self.workers,
                    include_dashboard=False,
                    log_to_driver=False,
                    configure_logging=False,
                )
            self._started = True
        self._remotes: dict[int, Any] = {}

    def _remote(self, task: Task) -> Any:
        key = id(task)
        if key not in self._remotes:
            self._remotes[key] = self._ray.remote(num_cpus=1, max_retries=self.max_retries)(task)
        return self._remotes[key]

    def run(self, task: Task, items: Sequence[Any], on_done: OnDone | None = None) -> list[Summary]:
        ray = self._ray
        remote = self._remote(task)
        refs = [remote.remote(item) for item in items]
        index = {ref: i for i, ref in enumerate(refs)}
        results: list[Summary] = [{} for _ in items]
        failures: list[str] = []
        waiting = list(refs)
        while waiting:
            done, waiting = ray.wait(waiting, num_returns=1)
            for ref in done:
                i = index[ref]
                try:
                    results[i] = ray.get(ref)
                except Exception as exc:
                    failures.append(f"{_describe(items[i])}: {exc}")
                    continue
                if on_done is not None:
                    on_done(i, results[i])
        _raise_failures(failures, len(items))
        return results

    def close(self) -> None:
        if self._started and self._ray.is_initialized():
            self._ray.shutdown()
            self._started = False


def make_executor(name: str, workers: int, *, address: str | None = None) -> Executor:
    """The executor called `name` ("local" or "ray"). Raises ConfigError, MissingExtraError."""
    if name == "local":
        return LocalExecutor(workers=workers)
    if name == "ray":
        return RayExecutor(workers=workers, address=address)
    raise ConfigError(f"unknown executor {name!r}; use 'local' or 'ray'")
