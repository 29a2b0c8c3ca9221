"""Story-clusterer snapshots: a writer starts from the state saved at arrival N and replays only the
assignments stored after it, instead of every assignment in the store.

A snapshot is a shortcut, never a source of truth: the store's assignments are. It is used only when
all of these hold, else the writer replays the whole store as before:
- it was made by this code (the sources of `marsad.cluster` and `marsad.embed.views`), with this
  clusterer's settings, model and embedder (`fingerprint`);
- the store still holds exactly the assignments it was made from (the number stored up to its arrival
  number equals the number it holds: a store restored from an older copy, or with articles deleted,
  fails this);
- it unpickles, and its signature verifies with this machine's key.

A snapshot is written only when the clusterer holds exactly the store's assignments (a document the
clusterer assigned but the store refused is not saved), in its own transaction after the articles
were committed: a writer killed at any point leaves either the previous snapshot, which replay
catches up, or the new one.

The embedding clusterer's state keeps its live stories' members by reference (article ids): their
signals are made again from the store (the article's text, the entity and lead entity keys it was
assigned with, its views' vectors from the embedding cache) when the story is first a candidate, so
a restart reads only the stories' centroid index and ids, and the members of the stories the next
documents meet (`EmbeddingClusterer.loader`, `marsad.pipeline.stored_signals`). It is saved in two
parts (`EmbeddingClusterer.export_split`): the warm part (the stories of the last two time windows)
is read at every start; the cold part (older live stories, `cluster_snapshot_cold`) when a document
reaches its days, at once (`load_snapshot`), or lazily for a writer that keeps the writer lock as
long as it uses the clusterer (`marsad ingest`). Retired story ids are not kept: a new story's id is
taken when a story of that id was stored by the snapshot's arrival (`stories.existed_at`).

The state is pickled (numpy arrays, sets, the clusterer's own records). Since unpickling runs code,
a snapshot is signed (HMAC-SHA256) with a key kept outside the store (`snapshot_key_path`): a store
file received from elsewhere carries a snapshot this machine does not trust, so it is replayed.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import pickle
import secrets
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from importlib import resources
from pathlib import Path

from marsad.cluster.base import ClustererState, SnapshotClusterer, StoryClusterer
from marsad.cluster.lexical import LexicalClusterer
from marsad.cluster.online import ColdPart, EmbeddingClusterer
from marsad.errors import StoreError
from marsad.store import Store
from marsad.store import stories as story_repo
from marsad.store.snapshots import (
    StoredSnapshot,
    arrivals_upto,
    delete_snapshot,
    get_cold_part,
    get_snapshot,
    get_snapshot_seq,
    has_cold_part,
    put_snapshot,
)

log = logging.getLogger("marsad.cluster")

# Arrivals between two snapshots within one long ingest run.
SNAPSHOT_EVERY = 2000
# Arrivals since the stored snapshot that make the end of an ingest run save a new one (a writer
# ingesting one document at a time, as the API does, saves every this many documents).
SNAPSHOT_AFTER = 200
# A snapshot grows with the live stories (their centroids and member ids, see bench/restart.py), so
# besides the arrival counts a writer spends at most this share of its time saving: after a save that
# took t seconds, the next waits t / share.
SAVE_SHARE = 0.1


@dataclass(slots=True)
class _LastSave:
    ended: float  # time.monotonic() when it ended
    took: float  # seconds


_LAST_SAVE: dict[str, _LastSave] = {}  # per store path, in this process


def snapshot_key_path() -> Path:
    """$MARSAD_SNAPSHOT_KEY, else $XDG_STATE_HOME/marsad/snapshot.key (~/.local/state by default)."""
    given = os.environ.get("MARSAD_SNAPSHOT_KEY")
    if given:
        return Path(given).expanduser()
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "marsad" / "snapshot.key"


def _key(create: bool) -> bytes | None:
    path = snapshot_key_path()
    try:
        return path.read_bytes()
    except FileNotFoundError:
        if not create:
            return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another writer made it meanwhile
        return path.read_bytes()
    except OSError as exc:
        log.warning("cannot create the snapshot key %s (%s): snapshots are off", path, exc)
        return None
    key = secrets.token_bytes(32)
    with os.fdopen(fd, "wb") as out:
        out.write(key)
    return key


def _code_digest() -> str:
    digest = hashlib.sha256()
    for package in ("marsad.cluster", "marsad.embed"):
        for entry in sorted(resources.files(package).iterdir(), key=lambda e: e.name):
            if entry.name.endswith((".py", ".json")) and entry.is_file():
                digest.update(entry.name.encode())
                digest.update(entry.read_bytes())
    return digest.hexdigest()


_CODE: str | None = None


def _identity(clusterer: StoryClusterer) -> tuple[str, str] | None:
    """(kind, fingerprint) of a clusterer whose state can be snapshotted, else None."""
    global _CODE
    if isinstance(clusterer, EmbeddingClusterer):
        kind = "embedding"
        config = repr(
            (
                clusterer.settings,
                clusterer.views,
                clusterer.model,
                clusterer.embedder.name,
                clusterer.embedder.dim,
            )
        )
    elif isinstance(clusterer, LexicalClusterer):
        kind = "lexical"
        config = repr((clusterer.threshold, clusterer.window, clusterer.max_live, clusterer.probe_terms))
    else:
        return None
    if _CODE is None:
        _CODE = _code_digest()
    return kind, hashlib.sha256(f"{_CODE}\n{type(clusterer).__qualname__}\n{config}".encode()).hexdigest()


def save_snapshot(store: Store, clusterer: StoryClusterer) -> bool:
    """Save `clusterer`'s state at the store's last arrival; True when saved. The caller holds the
    writer lock and has committed every document the clusterer assigned.

    Nothing is saved when the clusterer holds other assignments than the store (one it made for a
    document the store then refused), cannot be snapshotted, or the store cannot take it (logged).
    """
    identity = _identity(clusterer)
    if identity is None or not isinstance(clusterer, SnapshotClusterer):
        return False
    seq, stored = arrivals_upto(store)
    cold: ClustererState | None = None
    if isinstance(clusterer, EmbeddingClusterer):
        state, cold = clusterer.export_split()
    else:
        state = clusterer.export_state()
    if state.arrivals != stored:
        log.info("clusterer holds %d assignments, the store %d: no snapshot", state.arrivals, stored)
        return False
    key = _key(create=True)
    if key is None:
        return False
    started = time.monotonic()
    try:
        kept: ColdPart | None = state.data.get("cold")
        new_cold = None
        if cold is not None:
            cold_blob = pickle.dumps(cold, protocol=pickle.HIGHEST_PROTOCOL)
            part = ColdPart(
                hashlib.sha256(cold_blob).hexdigest()[:32],
                hmac.new(key, cold_blob, hashlib.sha256).digest(),
                frozenset(cold.data["index"].days()),
                len(cold.data["stories"]),
            )
            state.data["cold"] = part
            new_cold = (part.id, cold_blob)
        blob = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
        signature = hmac.new(key, blob, hashlib.sha256).digest()
        put_snapshot(
            store,
            StoredSnapshot(identity[0], identity[1], seq, state.arrivals, signature, blob),
            cold=new_cold,
            keep_cold=kept.id if kept is not None and new_cold is None else None,
        )
    except (sqlite3.Error, MemoryError) as exc:  # a snapshot is a shortcut: never the run's failure
        log.warning("cannot save the clusterer snapshot (%s): the next start replays more", exc)
        return False
    ended = time.monotonic()
    _LAST_SAVE[str(store.path)] = _LastSave(ended, ended - started)
    return True


def save_snapshot_if_due(store: Store, clusterer: StoryClusterer, *, every: int | None = None) -> bool:
    """`save_snapshot` when at least `every` (default `SNAPSHOT_AFTER`) arrivals were stored since the
    stored snapshot."""
    every = SNAPSHOT_AFTER if every is None else every
    identity = _identity(clusterer)
    if identity is None:
        return False
    last = _LAST_SAVE.get(str(store.path))
    if last is not None and time.monotonic() - last.ended < last.took / SAVE_SHARE:
        return False
    found = get_snapshot_seq(store, identity[0])
    seq, _ = arrivals_upto(store)
    if found is not None and seq - found < every:
        return False
    return save_snapshot(store, clusterer)


def load_snapshot(store: Store, clusterer: StoryClusterer, *, lazy: bool = False) -> int | None:
    """Load the store's snapshot into a fresh `clusterer`; the arrival number to replay after, or None
    when there is no usable snapshot (the clusterer is then untouched: replay everything).

    `lazy`: the embedding clusterer's cold part (`EmbeddingClusterer.export_split`) is read from the
    store only when a document needs it, so the caller must keep the writer lock as long as it uses
    the clusterer (no other writer replaces the snapshot meanwhile), as `marsad ingest` does; else
    it is read now."""
    identity = _identity(clusterer)
    if identity is None or not isinstance(clusterer, SnapshotClusterer):
        return None
    try:
        found = get_snapshot(store, identity[0])
    except sqlite3.Error as exc:  # a damaged row (say, a state no longer stored as bytes)
        log.warning("cannot read the clusterer snapshot (%s): replaying the store", exc)
        return None
    if found is None:
        return None
    if found.fingerprint != identity[1]:
        log.info("the clusterer snapshot was made by other code or settings: replaying the store")
        return None
    if arrivals_upto(store, found.seq) != (found.seq, found.arrivals) or found.arrivals == 0:
        log.warning("the clusterer snapshot does not match the store's assignments: replaying the store")
        return None
    key = _key(create=False)
    signature, blob = found.signature, found.state
    if key is None or not hmac.compare_digest(signature, hmac.new(key, blob, hashlib.sha256).digest()):
        log.warning("the clusterer snapshot is not signed by this machine's key: replaying the store")
        return None
    try:
        state = pickle.loads(blob)  # signed above by our own key: our own bytes
    except Exception as exc:  # a damaged snapshot costs a full replay, never the run
        log.warning("cannot read the clusterer snapshot (%s): replaying the store", exc)
        return None
    if not isinstance(state, ClustererState):
        return None
    if isinstance(clusterer, EmbeddingClusterer):
        clusterer.cold_may_hold = partial(story_repo.existed_at, store, seq=found.seq)
    cold: ColdPart | None = state.data.get("cold")
    if cold is not None and isinstance(clusterer, EmbeddingClusterer):
        reader: Callable[[ColdPart], ClustererState] = partial(_read_cold, store, identity[0], key)
        if lazy:
            if not has_cold_part(store, identity[0], cold.id):
                log.warning("the clusterer snapshot's cold part is missing: replaying the store")
                return None
        else:
            try:
                read = reader(cold)
            except StoreError as exc:
                log.warning("%s: replaying the store", exc)
                return None
            reader = lambda _: read  # noqa: E731
        clusterer.cold_reader = reader
    clusterer.import_state(state)
    if not lazy and isinstance(clusterer, EmbeddingClusterer):
        clusterer.warm_up()
    return found.seq


def _read_cold(store: Store, kind: str, key: bytes, cold: ColdPart) -> ClustererState:
    """The cold part `cold` of the snapshot of `kind`, checked against the signature its warm part
    names (StoreError when it is missing, damaged or not ours)."""
    blob = get_cold_part(store, kind, cold.id)
    if blob is not None and hmac.compare_digest(cold.signature, hmac.new(key, blob, hashlib.sha256).digest()):
        state = pickle.loads(blob)  # signed by our own key (checked above): our own bytes
        if isinstance(state, ClustererState):
            return state
    # Read lazily, the part cannot be done without: the snapshot goes, so the next start replays.
    delete_snapshot(store, kind)
    raise StoreError(
        f"{store.path}: the clusterer snapshot's cold part {cold.id} is missing or damaged; the snapshot"
        " was removed: run again (the next start replays the store)"
    )
