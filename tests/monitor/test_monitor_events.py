"""Server-sent events: an article stored while a client listens reaches it within 2 s, through a real
uvicorn server on 127.0.0.1; a reconnecting client resumes from Last-Event-ID."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import httpx
from monitor_samples import store_article
from monitor_servers import AppServer

from marsad.api import ApiSettings
from marsad.app import create_app


def _events(raw: str) -> list[dict[str, object]]:
    out = []
    for block in raw.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if line and not line.startswith(":"))
        if "event" in fields:
            out.append({"id": int(fields["id"]), "event": fields["event"], **json.loads(fields["data"])})
    return out


def test_events_stream_an_article_stored_while_listening_within_2s(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    store_article(db, "old", "Quay plans announced")
    app = create_app(ApiSettings(db_path=db, meaning_search=False))
    with AppServer(app) as server, httpx.Client(timeout=10.0) as client:
        received: list[tuple[float, str]] = []
        opened = threading.Event()
        headers: dict[str, str] = {}

        def listen() -> None:
            with client.stream("GET", f"{server.url}/api/events") as response:
                headers.update(response.headers)
                for chunk in response.iter_text():
                    received.append((time.monotonic(), chunk))
                    opened.set()
                    if "Quay opens at last" in chunk:
                        return

        thread = threading.Thread(target=listen, daemon=True)
        thread.start()
        assert opened.wait(10), "the stream did not open"
        stored = time.monotonic()
        store_article(db, "new", "Quay opens at last")
        thread.join(timeout=10)
        arrival = next(t for t, chunk in received if "Quay opens at last" in chunk)
        events = _events("".join(c for _, c in received))

        assert arrival - stored < 2.0, arrival - stored
        print(f"event received {arrival - stored:.2f} s after the article was stored")
        assert headers["content-type"].startswith("text/event-stream")
        assert headers["x-accel-buffering"] == "no" and "no-cache" in headers["cache-control"]
        # Only what came after the client connected; the old article is not replayed.
        assert [e["title"] for e in events if e["event"] == "article"] == ["Quay opens at last"]

        # A reconnecting browser sends the last id it saw: everything after it comes, in order.
        with client.stream("GET", f"{server.url}/api/events", headers={"Last-Event-ID": "0"}) as response:
            text = ""
            for chunk in response.iter_text():
                text += chunk
                if text.count("event: article") >= 2:
                    break
        replay = _events(text)
        articles = [e for e in replay if e["event"] == "article"]
        assert [e["title"] for e in articles] == ["Quay plans announced", "Quay opens at last"]
        assert [e["id"] for e in articles] == [1, 2]
        assert replay[0]["event"] == "story" and replay[0]["first_article"] == articles[0]["article_id"]
        assert articles[1]["new_story"] is (articles[1]["story_id"] != articles[0]["story_id"])
