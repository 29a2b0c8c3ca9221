"""The stage boundary: whatever one document does to a stage, the batch goes on.

Every place that takes documents one at a time (ingest, the batch map tasks, the `dedup`, `cluster`
and `similarity` readers, the API) runs each document's work through `guarded`, which turns ANY
exception into a `Rejected` with a stable code and the exception's message:

- a `MarsadError` (a bad input the code recognised) keeps its own code;
- `OverBudget` (the document ran past its time budget) becomes E109 (`errors.OVER_BUDGET`);
- anything else is a bug, not a bad input: E190 (`errors.UNEXPECTED`), with the exception's type,
  message and the place it was raised, so that it stays visible and is counted apart.

The time budget is CPU time, the document's own work: on a machine shared with other jobs (2 cores,
a load of 10) wall-clock time runs five times faster than a document's work and a wall-clock budget
refused good documents for the load of others. Extraction is pure-Python work (and regular
expressions, which CPython's `re` interrupts for pending signals), so in the main thread the budget is
a real deadline: SIGPROF (`setitimer(ITIMER_PROF)`, the process's CPU time) raises `OverBudget`
wherever the work is. In other threads (the API's worker threads) signals cannot be delivered, so the
same deadline, in the thread's own CPU time (`time.thread_time`), is checked cooperatively by
`check_budget()`, which the long loops of the parsers and the passes of HTML extraction call.
`OverBudget` derives from `BaseException` so that no `except Exception` inside a stage can swallow it.
A model load or an import that a document happens to trigger runs in `unbudgeted()`: the budget
pauses (an expiry is held until the block ends), so it is never interrupted halfway and its cost is
not charged to that document.
The budget only ever wraps work that has no side effects (reading, extraction, features); store
writes and the clusterer's state changes run outside it, so an interrupted document never leaves
anything half-done.
"""

from __future__ import annotations

import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from types import FrameType
from typing import TypeVar

from marsad import errors
from marsad.errors import MarsadError
from marsad.records import Rejected

T = TypeVar("T")


class OverBudget(BaseException):
    """Raised inside a document's work when its time budget has run out."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took longer than the {seconds:g} s time budget per document")
        self.seconds = seconds


_local = threading.local()


def _deadline() -> tuple[float, float] | None:
    value: tuple[float, float] | None = getattr(_local, "deadline", None)
    return value


def check_budget() -> None:
    """Raise OverBudget when the current document's time budget has run out (cooperative check for
    threads where SIGPROF cannot interrupt; cheap enough to call once per line)."""
    current = _deadline()
    if current is not None and time.thread_time() > current[0]:
        raise OverBudget(current[1])


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Run the block under a budget of `seconds` of CPU time (None or <= 0: no limit). Raises
    OverBudget."""
    if not seconds or seconds <= 0 or _deadline() is not None:
        # No budget, or already inside one (the outer deadline stands).
        yield
        return
    _local.deadline = (time.thread_time() + seconds, seconds)
    use_alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    previous: object = None
    if use_alarm:

        def _expired(signum: int, frame: FrameType | None) -> None:
            if getattr(_local, "paused", 0):  # inside unbudgeted(): raised when it ends
                _local.expired = True
                return
            raise OverBudget(seconds)

        previous = signal.signal(signal.SIGPROF, _expired)
        signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, previous)  # type: ignore[arg-type]
        _local.deadline = None
        _local.expired = False


@contextmanager
def unbudgeted() -> Iterator[None]:
    """Run the block outside the current document's time budget (if any): the CPU timer stops and
    the deadline moves on by the block's own CPU time, so a model load or an import is never
    interrupted halfway nor charged to the document. A SIGPROF already on its way when the block
    starts is held and raised as OverBudget when the block ends."""
    current = _deadline()
    if current is None:
        yield
        return
    use_alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    _local.paused = getattr(_local, "paused", 0) + 1
    left = signal.setitimer(signal.ITIMER_PROF, 0)[0] if use_alarm else 0.0
    start = time.thread_time()
    try:
        yield
    finally:
        _local.paused -= 1
        if not _local.paused:
            _local.deadline = (current[0] + time.thread_time() - start, current[1])
            if getattr(_local, "expired", False):
                _local.expired = False
                raise OverBudget(current[1])
            if use_alarm:
                signal.setitimer(signal.ITIMER_PROF, max(left, 1e-6))


def _place(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "unknown place"
    last = frames[-1]
    return f"{last.filename.rsplit('/marsad/', 1)[-1]}:{last.lineno} in {last.name}"


def rejection(exc: BaseException, stage: str, record_id: str) -> Rejected:
    """The stored form of `exc` raised while `stage` worked on `record_id` (see the module doc)."""
    if isinstance(exc, OverBudget):
        code = errors.OVER_BUDGET
        message = f"{exc.args[0]} (raise ingest.time_budget in your config to allow more)"
    elif isinstance(exc, MarsadError):
        code = exc.code
        message = str(exc.args[0]) if exc.args else type(exc).__name__
    else:
        code = errors.UNEXPECTED
        text = str(exc)[:500] or "(no message)"
        message = (
            f"unexpected {type(exc).__name__}: {text} at {_place(exc)}"
            " (a bug in marsad, not in the input: please report it)"
        )
    if not message.startswith(record_id):
        message = f"{record_id}: {message}"
    return Rejected(stage=stage, code=code, record_id=record_id, detail=message)


def guarded(
    stage: str, record_id: str, work: Callable[[], T], *, budget: float | None = None
) -> T | Rejected:
    """`work()`, or the Rejected of whatever it raised (under a time budget of `budget` seconds).

    KeyboardInterrupt and SystemExit pass through: they stop the run, not the document.
    """
    try:
        with time_budget(budget):
            return work()
    except (Exception, OverBudget) as exc:
        return rejection(exc, stage, record_id)


def guarded_items(stage: str, label: str, items: Iterable[T]) -> Iterator[T | Rejected]:
    """The items of a reader; when the reader itself raises, one Rejected naming `label` ends it
    (a generator cannot go on after raising) instead of the exception ending the whole batch."""
    iterator = iter(items)
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except (Exception, OverBudget) as exc:
            yield rejection(exc, stage, label)
            return
        yield item


def is_unexpected(rejected: Rejected) -> bool:
    """Whether `rejected` records a bug (E190) rather than a bad input."""
    return rejected.code == errors.UNEXPECTED


U = TypeVar("U")


def guarded_batch(
    stage: str, record_ids: Sequence[str], work: Callable[[list[T]], list[U]], items: Sequence[T]
) -> list[U | Rejected]:
    """`work(items)` for a batch of records (one model call for all), or, when the batch raises, each
    item's own `work([item])` under `guarded`: the item that raises becomes its Rejected (named by
    `record_ids`, in the order of `items`) and the others keep their results."""
    if not items:
        return []
    whole = guarded(stage, record_ids[0], lambda: work(list(items)))
    if not isinstance(whole, Rejected) and len(whole) == len(items):
        return list(whole)
    out: list[U | Rejected] = []
    for rid, item in zip(record_ids, items, strict=True):
        one = guarded(stage, rid, partial(work, [item]))
        out.append(one if isinstance(one, Rejected) else one[0])
    return out
