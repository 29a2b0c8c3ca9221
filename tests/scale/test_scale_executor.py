"""The local executor: a dead worker process is replaced and its task redone; failures collected."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from marsad.scale import LocalExecutor, TaskFailedError


def die_once(item: tuple[str, int]) -> dict[str, Any]:
    """Kill this worker process the first time item 3 runs (a flag file remembers)."""
    flag, n = item
    if n == 3 and not Path(flag).exists():
        Path(flag).write_text("died")
        os._exit(9)
    return {"n": n, "pid": os.getpid()}


def fail_on_two(n: int) -> dict[str, Any]:
    if n == 2:
        raise ValueError("bad shard")
    return {"n": n}


def test_local_executor_redoes_the_task_of_a_killed_worker(tmp_path: Path) -> None:
    flag = str(tmp_path / "died")
    done: list[int] = []
    executor = LocalExecutor(workers=2)
    try:
        results = executor.run(die_once, [(flag, n) for n in range(6)], lambda i, s: done.append(s["n"]))
    finally:
        executor.close()
    assert Path(flag).exists()
    assert [r["n"] for r in results] == list(range(6))
    assert sorted(done) == list(range(6))  # each reported once, the redone task included


@pytest.mark.parametrize("workers", [1, 2])
def test_local_executor_finishes_others_then_raises(workers: int) -> None:
    done: list[int] = []
    executor = LocalExecutor(workers=workers)
    try:
        with pytest.raises(TaskFailedError, match=r"1 of 4 tasks failed.*bad shard"):
            executor.run(fail_on_two, [0, 1, 2, 3], lambda i, s: done.append(s["n"]))
    finally:
        executor.close()
    assert sorted(done) == [0, 1, 3]
