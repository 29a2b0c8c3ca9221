"""Exports of the story list, of a story's articles and of its claims: CSV, JSONL and Parquet, from the
CLI, the API and the buttons of the pages."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from monitor_servers import AppServer
from typer.testing import CliRunner

from marsad.api import ApiSettings
from marsad.app import create_app
from marsad.cli.main import app
from marsad.compare.story import cached_story_comparison
from marsad.monitor import export
from marsad.monitor.outlets import OutletRegistry, default_registry
from marsad.store import Store
from marsad.store.search import StoryFilter


def _read(data: bytes, fmt: str) -> list[dict[str, object]]:
    if fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheet programs need for Arabic
        return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    if fmt == "jsonl":
        return [json.loads(line) for line in data.decode("utf-8").splitlines()]
    return pq.read_table(io.BytesIO(data)).to_pylist()


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_export_story_articles_in_every_format(
    samples_store: Path, registry: OutletRegistry, fmt: str
) -> None:
    with Store(samples_store) as store:
        rows = export.article_rows(store, registry, "srate")
    assert rows is not None
    back = _read(export.encode(rows, export.ARTICLE_COLUMNS, fmt), fmt)
    assert len(back) == 6 and list(back[0]) == list(export.ARTICLE_COLUMNS)
    by_outlet = {r["outlet"]: r for r in back}
    assert by_outlet["الساحة نيوز"]["outlet_country"] == "XR"
    assert "7.25" in str(by_outlet["The Harbour Ledger"]["body"])  # the text, Arabic and all, intact
    assert any("السعدي" in str(r["body"]) for r in back)
    agencies = by_outlet["شبكة النخيل"]["agencies"]
    assert agencies == "AFP" if fmt == "csv" else agencies == ["AFP"]


def test_export_filtered_story_list(samples_store: Path, registry: OutletRegistry) -> None:
    with Store(samples_store) as store:
        every = export.story_rows(store, registry)
        meridian = export.story_rows(store, registry, StoryFilter(outlet="Meridian Daily"), order="size")
    assert {r["story_id"] for r in every} == {"squake", "skafr_salim", "ssummit", "srate", "scup", "sstrike"}
    assert {r["story_id"] for r in meridian} == {"skafr_salim", "ssummit", "scup"}
    rate = next(r for r in every if r["story_id"] == "srate")
    assert rate["countries"] == ["XR"] and rate["size"] == 6 and len(rate["article_ids"]) == 6
    table = pq.read_table(io.BytesIO(export.encode(every, export.STORY_COLUMNS, "parquet")))
    assert pa.types.is_list(table.schema.field("outlets").type)
    assert table.schema.field("outlets").type.value_type == pa.string()
    assert table.schema.field("size").type == pa.int64()


@pytest.mark.usefixtures("sample_outlets_env")
def test_export_cli_writes_files(samples_store: Path, tmp_path: Path) -> None:
    db = ["--db", str(samples_store)]
    runner = CliRunner()
    out = tmp_path / "stories.parquet"
    done = runner.invoke(
        app, ["export", "stories", "--entity", "Nadia Ferjani", "-f", "parquet", "-o", str(out), *db]
    )
    assert done.exit_code == 0, done.output
    assert [r["story_id"] for r in pq.read_table(out).to_pylist()] == ["skafr_salim"]
    lines = runner.invoke(app, ["export", "story", "scup", "-f", "jsonl", "-o", "-", *db]).stdout.splitlines()
    assert len(lines) == 6 and json.loads(lines[0])["story_id"] == "scup"
    missing = runner.invoke(app, ["export", "story", "snothing", "-o", str(tmp_path / "x.csv"), *db])
    assert missing.exit_code == 1 and "no story" in str(missing.exception)
    assert (
        runner.invoke(app, ["export", "stories", "-f", "xlsx", "-o", str(tmp_path / "x"), *db]).exit_code == 2
    )


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_export_api_content_types(samples_store: Path, fmt: str) -> None:
    with TestClient(create_app(ApiSettings(db_path=samples_store, meaning_search=False))) as client:
        listing = client.get("/api/export/stories", params={"format": fmt, "language": "fr"})
        assert listing.status_code == 200
        assert listing.headers["content-type"] == export.MEDIA_TYPES[fmt]
        assert listing.headers["content-disposition"] == f'attachment; filename="stories.{fmt}"'
        assert len(_read(listing.content, fmt)) == 6  # every event has a French article
        story = client.get("/api/export/stories/sstrike", params={"format": fmt})
        assert story.headers["content-type"] == export.MEDIA_TYPES[fmt]
        assert len(_read(story.content, fmt)) == 6
        assert client.get("/api/export/stories/snothing", params={"format": fmt}).status_code == 404
        assert client.get("/api/export/stories", params={"format": "xlsx"}).status_code == 422


def test_export_story_claims_same_rows_from_api_and_cli_in_every_format(
    samples_copy: Path, tmp_path: Path
) -> None:
    with TestClient(create_app(ApiSettings(db_path=samples_copy, meaning_search=False))) as client:
        comparison = client.get("/api/stories/srate").json()["comparison"]
        files = {
            fmt: client.get("/api/export/stories/srate/claims", params={"format": fmt})
            for fmt in export.FORMATS
        }
        assert client.get("/api/export/stories/snothing/claims").status_code == 404
    # One row per claim and article carrying it, exactly the claims of the story page.
    expected = {(c["id"], doc) for c in comparison["claims"] for doc in c["outlets"]}
    assert len(expected) > 10
    runner = CliRunner()
    for fmt, res in files.items():
        assert res.status_code == 200 and res.headers["content-type"] == export.MEDIA_TYPES[fmt]
        assert res.headers["content-disposition"] == f'attachment; filename="story-srate-claims.{fmt}"'
        rows = _read(res.content, fmt)
        assert list(rows[0]) == list(export.CLAIM_COLUMNS)
        assert {(r["claim_id"], r["article_id"]) for r in rows} == expected
        assert all(r["story_id"] == "srate" and r["text"] for r in rows)
        flag = "true" if fmt == "csv" else True
        for claim in comparison["claims"]:
            mine = [r for r in rows if r["claim_id"] == claim["id"]]
            assert all(str(r["carried_by"]) == str(len(claim["outlets"])) for r in mine)
            assert [r["article_id"] for r in mine if r["first"] == flag] == (
                [claim["first"]] if claim["first"] else []
            )
            assert all(r["text"] == claim["texts"][r["article_id"]] for r in mine)
        assert any("7.25" in str(r["numbers"]) or "7,25" in str(r["numbers"]) for r in rows)
        out = tmp_path / f"claims.{fmt}"
        done = runner.invoke(
            app, ["export", "claims", "srate", "-f", fmt, "-o", str(out), "--db", str(samples_copy)]
        )
        assert done.exit_code == 0, done.output
        assert _read(out.read_bytes(), fmt) == rows  # the same file from the CLI as from the API
    table = pq.read_table(io.BytesIO(files["parquet"].content))
    assert (
        table.schema.field("first").type == pa.bool_() and table.schema.field("carried_by").type == pa.int64()
    )
    assert table.schema.field("numbers").type == pa.list_(pa.string())


@pytest.mark.slow
@pytest.mark.browser
def test_browser_export_buttons_download_the_filtered_list_and_a_storys_claims(
    samples_copy: Path, chromium: Any, tmp_path: Path
) -> None:
    with AppServer(create_app(ApiSettings(db_path=samples_copy, meaning_search=False))) as server:
        context = chromium.new_context(accept_downloads=True, locale="ar")
        page = context.new_page()
        try:
            files: dict[str, list[dict[str, object]]] = {}
            page.goto(server.url + "/?language=fr&outlet=Meridian%20Daily")
            for fmt in ("csv", "parquet"):
                with page.expect_download() as got:
                    page.click(f"p.exports a[data-format='{fmt}']")
                files[f"list.{fmt}"] = _read(Path(got.value.path()).read_bytes(), fmt)
            page.goto(server.url + "/stories/srate")
            with page.expect_download() as got:
                page.click("p.exports a.articles[data-format='jsonl']")
            files["articles.jsonl"] = _read(Path(got.value.path()).read_bytes(), "jsonl")
            with page.expect_download() as got:
                page.click("p.exports a.claims[data-format='csv']")
            files["claims.csv"] = _read(Path(got.value.path()).read_bytes(), "csv")
        finally:
            context.close()
    # The list as filtered on the page: Meridian Daily's stories with a French article.
    assert {r["story_id"] for r in files["list.csv"]} == {"skafr_salim", "ssummit", "scup"}
    assert [r["story_id"] for r in files["list.parquet"]] == [r["story_id"] for r in files["list.csv"]]
    assert len(files["articles.jsonl"]) == 6 and {r["story_id"] for r in files["articles.jsonl"]} == {"srate"}
    with Store(samples_copy) as store:
        rows = export.claim_rows(store, default_registry(), "srate", cached_story_comparison(store, "srate"))
    assert rows and [(r["claim_id"], r["article_id"]) for r in files["claims.csv"]] == [
        (r["claim_id"], r["article_id"]) for r in rows
    ]
