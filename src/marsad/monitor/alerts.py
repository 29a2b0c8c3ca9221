"""Delivering alerts: a signed JSON POST to the watchlist's webhook, retried with exponential backoff,
every attempt logged in the store; and a line appended to the watchlist's JSONL file.

The body is UTF-8 JSON; `X-Marsad-Signature: sha256=<hex>` is the HMAC-SHA256 of the exact body
bytes under the watchlist's secret (verify it with `hmac.compare_digest` before trusting the body);
`X-Marsad-Alert` carries the alert id, the same on every attempt, so a receiver can drop a repeat
(a dispatcher that dies between the POST and recording it sends that alert again once its lease
ends: delivery is at least once, and exactly once whenever the dispatcher lives).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from marsad import __version__
from marsad.monitor.log import EventLog
from marsad.store import Store
from marsad.store import watchlists as watch_repo
from marsad.store.feeds import iso
from marsad.store.watchlists import Alert, Delivery, Watchlist

SIGNATURE_HEADER = "X-Marsad-Signature"


def sign(secret: str, body: bytes) -> str:
    """The signature header value of `body`: 'sha256=' + hex HMAC-SHA256 under `secret`."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def signature_ok(secret: str, body: bytes, header: str | None) -> bool:
    """Whether `header` is the signature of `body` under `secret` (constant-time comparison)."""
    return header is not None and hmac.compare_digest(sign(secret, body), header)


@dataclass(slots=True, frozen=True)
class DeliveryPolicy:
    """How alerts are delivered. Times in seconds.

    - `attempts`: tries per alert before it is marked failed;
    - `backoff`: wait before the second try, doubled after each failure up to `max_backoff`;
    - `timeout`: per request; `lease`: how long a claimed alert is left to its dispatcher;
    - `interval`: how often the dispatcher looks for due alerts when not woken.
    """

    attempts: int = 12
    backoff: float = 1.0
    max_backoff: float = 600.0
    timeout: float = 10.0
    lease: float = 60.0
    interval: float = 0.5

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"delivery attempts must be >= 1, got {self.attempts}")
        if min(self.backoff, self.max_backoff, self.timeout, self.lease, self.interval) < 0:
            raise ValueError("delivery times must be >= 0 seconds")

    def retry_after(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        return float(min(self.max_backoff, self.backoff * 2 ** (attempt - 1)))


def payload(alert: Alert, watchlist: Watchlist) -> dict[str, Any]:
    """What a webhook receives and the JSONL file keeps for one alert."""
    return {
        "alert_id": alert.id,
        "created_at": alert.created_at,
        "watchlist": {"id": watchlist.id, "name": watchlist.name},
        "matched": alert.matched,
        "article": {
            "id": alert.article_id,
            "title": alert.title,
            "outlet": alert.outlet,
            "url": alert.url,
            "story_id": alert.story_id,
            "api": f"/api/articles/{alert.article_id}",
        },
    }


def body_of(alert: Alert, watchlist: Watchlist) -> bytes:
    return json.dumps(payload(alert, watchlist), ensure_ascii=False, sort_keys=True).encode("utf-8")


class AlertDispatcher:
    """Delivers due alerts of the store at `path`, in the calling thread (`deliver_due`) or in a
    background thread (`start` ... `stop`); `wake()` makes the thread look at once."""

    def __init__(
        self,
        path: Path,
        policy: DeliveryPolicy | None = None,
        *,
        log: EventLog | None = None,
    ) -> None:
        self.policy = policy or DeliveryPolicy()
        self.log = log or EventLog()
        self._store = Store(path)
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.policy.timeout),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": f"marsad/{__version__} (alert webhook)"},
        )
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- one pass ------------------------------------------------------------------------------

    def deliver_due(self) -> int:
        """Append new alerts to their JSONL files and make every webhook attempt now due.
        Returns the number of webhook attempts made."""
        self._write_jsonl()
        attempts = 0
        while not self._stop.is_set():
            ids = watch_repo.claim_due(self._store, datetime.now(UTC), lease_seconds=self.policy.lease)
            if not ids:
                break
            for alert_id in ids:
                self._attempt(alert_id)
                attempts += 1
        return attempts

    def _write_jsonl(self) -> None:
        pending = watch_repo.unwritten_jsonl(self._store)
        by_file: dict[str, list[int]] = {}
        for alert_id, path in pending:
            by_file.setdefault(path, []).append(alert_id)
        watchlists = {w.id: w for w in watch_repo.list_watchlists(self._store)}
        for path, ids in by_file.items():
            lines = []
            for alert_id in ids:
                alert = watch_repo.get_alert(self._store, alert_id)
                if alert is not None and alert.watchlist_id in watchlists:
                    lines.append(body_of(alert, watchlists[alert.watchlist_id]).decode("utf-8") + "\n")
            try:
                with Path(path).expanduser().open("a", encoding="utf-8") as out:
                    out.write("".join(lines))
            except OSError as exc:
                self.log.event("error", f"cannot append alerts to {path}: {exc}", file=path, error=str(exc))
                continue
            watch_repo.mark_jsonl_written(self._store, ids)

    def _attempt(self, alert_id: int) -> None:
        alert = watch_repo.get_alert(self._store, alert_id)
        watchlist = watch_repo.get_watchlist(self._store, alert.watchlist_id) if alert else None
        if alert is None or watchlist is None or not watchlist.webhook_url:
            return  # removed meanwhile (the alert goes with its watchlist)
        body = body_of(alert, watchlist)
        attempt = alert.attempts + 1
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            SIGNATURE_HEADER: sign(watchlist.secret or "", body),
            "X-Marsad-Alert": str(alert.id),
            "X-Marsad-Attempt": str(attempt),
        }
        started = time.monotonic()
        at = iso(datetime.now(UTC))
        status: int | None = None
        error: str | None = None
        try:
            response = self._client.post(watchlist.webhook_url, content=body, headers=headers)
            status = response.status_code
            if not 200 <= status < 300:
                error = f"HTTP status {status}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        took = round((time.monotonic() - started) * 1000)
        delivered = error is None
        retry_at = None
        if not delivered and attempt < self.policy.attempts:
            retry_at = datetime.now(UTC) + timedelta(seconds=self.policy.retry_after(attempt))
        watch_repo.record_delivery(
            self._store,
            Delivery(alert_id=alert.id, attempt=attempt, at=at, status=status, error=error, duration_ms=took),
            delivered=delivered,
            retry_at=retry_at,
        )
        what = f"alert {alert.id} ({watchlist.name}: «{alert.title or alert.article_id}»)"
        if delivered:
            self.log.event("alert", f"{what} delivered on attempt {attempt}", alert=alert.id, status=status)
        else:
            later = f"retry at {iso(retry_at)}" if retry_at else "giving up"
            self.log.event(
                "error", f"{what} attempt {attempt} failed: {error}; {later}", alert=alert.id, error=error
            )

    # -- in the background ---------------------------------------------------------------------

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> AlertDispatcher:
        self._thread = threading.Thread(target=self._loop, name="marsad-alerts", daemon=True)
        self._thread.start()
        return self

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.deliver_due()
            except Exception as exc:  # a broken store or receiver must not kill delivery for good
                self.log.event("error", f"alert delivery failed: {type(exc).__name__}: {exc}", error=str(exc))
            self._wake.wait(self._until_next())
            self._wake.clear()

    def _until_next(self) -> float:
        """Seconds until the next retry is due, at most `interval` (new alerts are found by then)."""
        due = watch_repo.next_attempt_due(self._store)
        if due is None:
            return self.policy.interval
        seconds = (datetime.fromisoformat(due) - datetime.now(UTC)).total_seconds()
        return min(max(seconds, 0.01), self.policy.interval)

    def stop(self) -> None:
        """Stop the background thread (after its current attempt) and close the connections."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=self.policy.timeout + 5)
        self._client.close()
        self._store.close()
