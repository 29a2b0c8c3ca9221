"""Watchlists and alerts: matching at ingest, signed webhook delivery with retries to a real local
receiver, never twice; the CLI and the API."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from monitor_servers import Answer, Server
from typer.testing import CliRunner

from marsad.api import ApiSettings
from marsad.app import create_app
from marsad.cli.main import app
from marsad.cluster.lexical import LexicalClusterer
from marsad.ingest import open_sources
from marsad.ingest.files import record_document
from marsad.monitor.alerts import SIGNATURE_HEADER, AlertDispatcher, DeliveryPolicy, signature_ok
from marsad.monitor.log import EventLog
from marsad.pipeline import default_steps, ingest
from marsad.store import Store
from marsad.store import watchlists as watch_repo

SECRET = "a-webhook-secret-of-some-length"
TOKEN = "test-token-0123456789abcdef"
SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "corpus"


def _doc(ident: str, title: str, text: str, outlet: str = "Coastline Post", url: str | None = None) -> object:
    fields = {"id": ident, "title": title, "text": text, "outlet": outlet, "language": "en"}
    if url:
        fields["url"] = url
    return record_document(fields, f"test:{ident}", datetime.now(UTC))


DESAL = (
    "The desalination plant at Port Amal stopped on Monday after a power cut, leaving forty thousand homes"
    " without running water, the water authority said in a statement on its website.\n\n"
    "Engineers expected the plant to restart within two days, the authority added, and tankers would bring"
    " drinking water to the worst affected districts until then."
)
OTHER = (
    "The city council of Port Amal voted on Monday to build two new schools in the northern districts,"
    " where the number of pupils has doubled in ten years, the mayor told reporters after the vote.\n\n"
    "Work on the first school should start in the autumn, the mayor said, once the budget is approved."
)


def _receiver(serve: Callable[..., Server], failures: int) -> Server:
    """A webhook receiver that answers 500 to its first `failures` POSTs, then 204."""
    posts: list[int] = []

    def route(method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        posts.append(1)
        return Answer(500, b"busy") if len(posts) <= failures else Answer(204, b"")

    return serve(route)


def _ingest(store: Store, *docs: object) -> None:
    ingest(store, docs, LexicalClusterer(), steps=default_steps())  # type: ignore[arg-type]


def test_alert_reaches_webhook_signed_within_5s_on_third_try_and_never_twice(
    serve: Callable[..., Server], tmp_path: Path
) -> None:
    receiver = _receiver(serve, failures=2)
    db = tmp_path / "alerts.db"
    policy = DeliveryPolicy()  # the defaults: retries after 1 s, then 2 s
    log = EventLog(stream=(tmp_path / "alerts.log").open("w", encoding="utf-8"))
    with Store(db) as store:
        watch_repo.add_watchlist(
            store, "water", query="desalination plant", webhook_url=f"{receiver.base}/hook", secret=SECRET
        )
        # Two dispatchers on one store (say `marsad watch` and `marsad serve`): still one delivery.
        dispatchers = [AlertDispatcher(db, policy, log=log).start() for _ in range(2)]
        try:
            # The matching article is stored last: its transaction commits when the call returns.
            _ingest(store, _doc("a2", "New schools", OTHER), _doc("a1", "Desalination plant stops", DESAL))
            ingested = time.monotonic()
            deadline = ingested + 5.0
            while time.monotonic() < deadline and len(receiver.hits) < 3:
                time.sleep(0.05)
            assert len(receiver.hits) == 3, [round(h.at - ingested, 2) for h in receiver.hits]
            delivered_after = receiver.hits[2].at - ingested
            assert delivered_after <= 5.0
            time.sleep(1.5)  # time enough for any repeat to show
            _ingest(store, _doc("a1", "Desalination plant stops", DESAL))  # the same article again
            time.sleep(1.0)
        finally:
            for d in dispatchers:
                d.stop()
        alerts = watch_repo.list_alerts(store)
        log_rows = watch_repo.deliveries(store, alerts[0].id)

    assert len(receiver.hits) == 3  # two failures, one success, nothing after it
    assert len(alerts) == 1 and alerts[0].webhook == "delivered" and alerts[0].attempts == 3
    assert [d.status for d in log_rows] == [500, 500, 204]
    for hit in receiver.hits:
        assert hit.method == "POST" and hit.headers["content-type"].startswith("application/json")
        assert signature_ok(SECRET, hit.body, hit.headers[SIGNATURE_HEADER.lower()])
        assert not signature_ok("another secret", hit.body, hit.headers[SIGNATURE_HEADER.lower()])
    body = json.loads(receiver.hits[2].body)
    assert body["watchlist"]["name"] == "water" and body["article"]["title"] == "Desalination plant stops"
    assert body["article"]["story_id"] and body["matched"] == {"query": "desalination plant"}
    assert [h.headers["x-marsad-alert"] for h in receiver.hits] == [str(alerts[0].id)] * 3
    print(f"delivered on the third attempt {delivered_after:.2f} s after ingest")


def test_alert_gives_up_after_its_attempts_and_logs_each(
    serve: Callable[..., Server], tmp_path: Path
) -> None:
    receiver = _receiver(serve, failures=100)
    db = tmp_path / "fail.db"
    with Store(db) as store:
        watch_repo.add_watchlist(store, "w", outlet="Coastline Post", webhook_url=f"{receiver.base}/h")
        _ingest(store, _doc("a1", "Desalination plant stops", DESAL))
        dispatcher = AlertDispatcher(db, DeliveryPolicy(attempts=3, backoff=0.0), log=EventLog())
        try:
            for _ in range(3):
                dispatcher.deliver_due()
        finally:
            dispatcher.stop()
        alert = watch_repo.list_alerts(store)[0]
        assert alert.webhook == "failed" and alert.attempts == 3
        assert [d.error for d in watch_repo.deliveries(store, alert.id)] == ["HTTP status 500"] * 3
    assert len(receiver.hits) == 3


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({"outlet": "Coastline Post"}, {"a1", "a2"}),
        ({"outlet": "portamal.example"}, {"a2"}),  # by domain, subdomains included
        ({"query": "desalination"}, {"a1"}),
        ({"query": "desalination", "outlet": "Meridian Daily"}, set()),  # every criterion must match
        ({"query": "schools", "outlet": "coastline post"}, {"a2"}),
        ({"outlet": "الجزيرة"}, {"a3"}),  # the registry knows Al Jazeera by name, alias and domain
        ({"outlet": "aljazeera.net"}, {"a3"}),
    ],
)
def test_watchlist_matches_outlet_query_and_their_combination(
    store: Store, criteria: dict[str, str], expected: set[str]
) -> None:
    watch_repo.add_watchlist(store, "w", **criteria)
    _ingest(
        store,
        _doc("a1", "Desalination plant stops", DESAL),
        _doc("a2", "New schools", OTHER, url="https://news.portamal.example/schools"),
        _doc(
            "a3",
            "Schools",
            OTHER.replace("Port Amal", "Doha"),
            "Al Jazeera English",
            "https://www.aljazeera.com/n",
        ),
    )
    ext = dict(store.conn.execute("SELECT id, external_id FROM articles").fetchall())
    assert {ext[a.article_id] for a in watch_repo.list_alerts(store)} == expected


@pytest.mark.parametrize("name", ["Nadia Ferjani", "نادية الفرجاني"])
def test_entity_watchlist_matches_any_spelling_or_script(tmp_path: Path, name: str) -> None:
    # The sample corpus names the spokeswoman of the Kafr Salim quake in Arabic, English and French.
    with Store(tmp_path / "entity.db") as store:
        watch_repo.add_watchlist(store, "ferjani", entity=name)
        ingest(
            store,
            open_sources([str(SAMPLES)], max_bytes=5_000_000),
            LexicalClusterer(),
            steps=default_steps(),
        )
        alerted = {a.article_id for a in watch_repo.list_alerts(store, limit=100)}
        naming = {
            r[0]: r[1]
            for r in store.conn.execute(
                "SELECT id, language FROM articles WHERE body LIKE '%Ferjani%' OR body LIKE '%الفرجاني%'"
            )
        }
    # Every article that names her, whatever its language, and no other.
    assert alerted == set(naming) and set(naming.values()) == {"ar", "en", "fr"}


def test_watchlist_cli_and_jsonl_file(tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "cli.db")]
    runner = CliRunner()
    out = tmp_path / "alerts.jsonl"
    added = runner.invoke(
        app, ["watchlist", "add", "water", "--query", "desalination", "--jsonl", str(out), *db]
    )
    assert added.exit_code == 0, added.output
    nothing = runner.invoke(app, ["watchlist", "add", "empty", *db])
    assert nothing.exit_code == 1 and "watches nothing" in str(nothing.exception)
    with Store(tmp_path / "cli.db") as store:
        _ingest(store, _doc("a1", "Desalination plant stops", DESAL))
    assert runner.invoke(app, ["watchlist", "deliver", *db]).exit_code == 0
    assert runner.invoke(app, ["watchlist", "deliver", *db]).exit_code == 0  # appended once, not twice
    lines = out.read_text("utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["article"]["title"] == "Desalination plant stops"
    alerts = json.loads(runner.invoke(app, ["watchlist", "alerts", "--json", *db]).output)
    assert alerts[0]["watchlist"] == "water" and alerts[0]["webhook"] == "none"
    listed = json.loads(runner.invoke(app, ["watchlist", "list", "--json", *db]).output)
    assert listed[0]["alerts"] == 1
    assert runner.invoke(app, ["watchlist", "remove", "water", *db]).exit_code == 0
    assert json.loads(runner.invoke(app, ["watchlist", "alerts", "--json", *db]).output) == []


def test_watchlist_api_writes_with_token_and_shows_alerts_with_their_deliveries(
    serve: Callable[..., Server], tmp_path: Path
) -> None:
    receiver = _receiver(serve, failures=0)
    settings = ApiSettings(db_path=tmp_path / "api.db", meaning_search=False, api_token=TOKEN)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with TestClient(create_app(settings)) as client:
        body = {"name": "water", "query": "desalination", "webhook_url": f"{receiver.base}/hook?token=abc"}
        assert client.post("/api/watchlists", json=body).status_code == 401
        created = client.post("/api/watchlists", json=body, headers=auth)
        assert created.status_code == 201, created.text
        secret = created.json()["secret"]
        assert secret and len(secret) >= 32
        listed = client.get("/api/watchlists").json()
        assert "secret" not in listed[0] or listed[0]["secret"] is None
        assert "token=abc" not in listed[0]["webhook"]
        doc = {"document": {"id": "a1", "title": "Desalination plant stops", "text": DESAL, "language": "en"}}
        assert client.post("/api/ingest", json=doc, headers=auth).status_code == 201
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline and not receiver.hits:
            time.sleep(0.05)
        assert receiver.hits and signature_ok(
            secret, receiver.hits[0].body, receiver.hits[0].headers["x-marsad-signature"]
        )
        time.sleep(0.3)
        alerts = client.get("/api/alerts").json()
        assert len(alerts) == 1 and alerts[0]["webhook"] == "delivered"
        one = client.get(f"/api/alerts/{alerts[0]['id']}").json()
        assert one["deliveries"][0]["status"] == 204
        assert client.get("/api/alerts", params={"after": alerts[0]["id"]}).json() == []
        wid = created.json()["id"]
        assert client.delete(f"/api/watchlists/{wid}", headers=auth).status_code == 204
        assert client.get("/api/alerts").json() == []
