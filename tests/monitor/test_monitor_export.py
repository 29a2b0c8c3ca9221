"""Exports of the story list and of a story's articles: CSV, JSONL and Parquet, from the CLI and the API."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from marsad.api import ApiSettings, create_app
from marsad.cli.main import app
from marsad.monitor import export
from marsad.monitor.outlets import OutletRegistry
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
