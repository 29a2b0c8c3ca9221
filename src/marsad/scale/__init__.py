"""Corpus scale: the ingest -> extract -> text -> dedup -> cluster stages as a resumable batch job.

`run_batch` maps shards of the input in parallel and runs the corpus-wide steps (LSH bucket
grouping, distributed connected components, windowed story clustering with a boundary merge) as
partitioned tasks on a local process pool or on Ray. See docs/scale.md.
"""

from marsad.errors import TaskFailedError
from marsad.scale.batch import BatchOptions, run_batch, run_fingerprint
from marsad.scale.executor import Executor, LocalExecutor, RayExecutor, make_executor

__all__ = [
    "BatchOptions",
    "Executor",
    "LocalExecutor",
    "RayExecutor",
    "TaskFailedError",
    "make_executor",
    "run_batch",
    "run_fingerprint",
]
