"""`marsad dedup IN.jsonl -o OUT.jsonl`: the contract, bad lines, workers, HTML records."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from marsad.dedup.jsonl import dedup_jsonl


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "marsad", *args], capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def records(seeds_dir: Path) -> list[dict[str, object]]:
    text = (seeds_dir / "000_f462c494be0ac3b8.txt").read_text("utf-8")
    other = (seeds_dir / "003_78029ccb64208adf.txt").read_text("utf-8")
    paras = [p for p in text.split("\n") if p.strip()][1:9]  # the body, without comments
    body = "\n\n".join(paras)
    return [
        {"id": "wire", "text": body, "published": "2016-05-24T10:00:00Z"},
        {"id": "other-outlet", "text": other, "title": "لافروف"},
        {"id": "retitled", "title": "عنوان آخر", "text": body + "\n\n[ads3]\nالمصدر: وكالات"},
        {"id": 7, "text": "\n\n".join(paras[:-1])},  # integer ids are accepted
        {"id": "brief", "text": "\n\n".join(paras[2:5]), "published": "2016-05-24T12:00:00+02:00"},
    ]


def _write(path: Path, rows: list[object]) -> Path:
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows),
        "utf-8",
    )
    return path


def test_cli_dedup_contract(tmp_path: Path, records: list[dict[str, object]]) -> None:
    src = _write(tmp_path / "in.jsonl", list(records))
    out = tmp_path / "out.jsonl"
    res = run("dedup", str(src), "-o", str(out))
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["wire", "other-outlet", "retitled", "7", "brief"]
    assert all(set(r) == {"id", "group_id", "kind"} for r in rows)
    by_id = {r["id"]: r for r in rows}
    assert by_id["retitled"]["kind"] == "exact"  # ads and source line are not body
    assert by_id["7"]["kind"] == "near"
    assert by_id["brief"]["kind"] == "contained"
    assert by_id["other-outlet"] == {"id": "other-outlet", "group_id": "other-outlet", "kind": "unique"}
    # One group, canonical = earliest published (the undated copies sort after dated ones).
    assert {by_id[i]["group_id"] for i in ("wire", "retitled", "7", "brief")} == {"wire"}


def test_cli_dedup_reports_bad_lines_and_processes_the_rest(
    tmp_path: Path, records: list[dict[str, object]]
) -> None:
    rows: list[object] = [
        records[0],
        "{not json",
        ["a", "list"],
        {"id": "no-text"},
        {"text": "نص بلا معرف"},
        {"id": "bad-date", "text": "نص", "published": "yesterday"},
        "",
        records[0],  # the same id again
        records[1],
    ]
    src = _write(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out.jsonl"
    res = run("dedup", str(src), "-o", str(out))
    assert res.returncode == 1
    for line, code in ((2, "E104"), (3, "E105"), (4, "E105"), (5, "E105"), (6, "E105"), (8, "E105")):
        assert f"[{code}] {src}:{line}:" in res.stderr, res.stderr
    assert "repeats an earlier record" in res.stderr
    ids = [json.loads(line)["id"] for line in out.read_text("utf-8").splitlines()]
    assert ids == ["wire", "other-outlet"]


def test_cli_dedup_missing_file_is_bad_input(tmp_path: Path) -> None:
    res = run("dedup", str(tmp_path / "nope.jsonl"))
    assert res.returncode == 1 and "no such file" in res.stderr


def test_dedup_jsonl_same_result_with_worker_processes(
    tmp_path: Path, records: list[dict[str, object]]
) -> None:
    src = _write(tmp_path / "in.jsonl", list(records) * 1 + [{**r, "id": f"{r['id']}-b"} for r in records])
    one = dedup_jsonl(src, workers=1)
    two = dedup_jsonl(src, workers=2)
    assert one.rows == two.rows
    assert one.groups == two.groups == 2


def test_dedup_jsonl_html_record(tmp_path: Path, samples_dir: Path) -> None:
    page = (samples_dir / "pages" / "wadi-zahra-survivors-ar.html").read_text("utf-8")
    src = _write(tmp_path / "in.jsonl", [{"id": "page", "html": page}, {"id": "copy", "html": page}])
    run_ = dedup_jsonl(src)
    assert [r["kind"] for r in run_.rows] == ["exact", "exact"]
    assert not run_.rejected
