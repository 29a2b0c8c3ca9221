"""The human and contract surfaces: marsad extract / ingest / stories / show, and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from marsad.cli.commands.stories import time_span
from marsad.store import Store

CONTRACT_KEYS = {
    "id",
    "url",
    "outlet",
    "title",
    "body",
    "paragraphs",
    "published",
    "language",
    "agencies",
    "comments",
    "comments_stated",
    "boilerplate",
}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "marsad", *args], capture_output=True, text=True, timeout=300
    )


def test_cli_extract_json_contract_and_arabic_characters(seeds_dir: Path) -> None:
    res = run("extract", str(seeds_dir / "000_f462c494be0ac3b8.txt"), "--json")
    assert res.returncode == 0, res.stderr
    assert "\\u06" not in res.stdout  # Arabic written as characters, not escapes
    data = json.loads(res.stdout)
    assert set(data) >= CONTRACT_KEYS
    assert data["comments_stated"] == 9 and len(data["comments"]) == 5
    assert data["comments"][1] == {**data["comments"][1], "index": 2, "parent": 1}
    assert {"AFP", "TASS"} <= set(data["agencies"])


def test_cli_ingest_stories_show_roundtrip(seeds_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    first = run("ingest", str(seeds_dir), "--db", db, "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["added"] == 2
    stories = json.loads(run("stories", "--db", db, "--json").stdout)
    assert len(stories) == 1 and stories[0]["size"] == 2 and len(stories[0]["articles"]) == 2
    again = json.loads(run("ingest", str(seeds_dir), "--db", db, "--json").stdout)
    assert again["added"] == 0 and again["already_stored"] == 2
    shown = json.loads(run("show", stories[0]["id"], "--db", db, "--json").stdout)
    assert shown["articles"] == stories[0]["articles"]
    article = json.loads(run("show", stories[0]["articles"][0][:10], "--db", db, "--json").stdout)
    assert article["story_id"] == stories[0]["id"]


def test_cli_exit_codes_bad_input_and_usage(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    bad = run("extract", str(empty))
    assert bad.returncode == 1 and "empty.txt" in bad.stderr and "empty" in bad.stderr
    Store(tmp_path / "y.db").close()
    missing = run("show", "nosuchid", "--db", str(tmp_path / "y.db"))
    assert missing.returncode == 1 and "nosuchid" in missing.stderr
    usage = run("extract")
    assert usage.returncode == 2


@pytest.mark.parametrize(
    ("first", "last", "shown"),
    [
        ("2026-03-20T16:40:00+00:00", "2026-03-22T10:15:00+00:00", "2026-03-20 16:40 → 03-22 10:15 (1d 17h)"),
        ("2026-03-20T08:00:00+00:00", "2026-03-20T11:30:00+00:00", "2026-03-20 08:00 → 11:30 (3h)"),
        ("2026-03-20T10:00:00+03:00", "2026-03-20T10:00:00+03:00", "2026-03-20 07:00"),  # shown in UTC
        (None, None, ""),
    ],
)
def test_stories_time_span_column(first: str | None, last: str | None, shown: str) -> None:

    assert time_span(first, last) == shown
