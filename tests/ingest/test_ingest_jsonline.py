"""Every JSONL reader refuses a bad line with the same code and wording (marsad.ingest.jsonline)."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad import errors
from marsad.cluster.batch import read_jsonl
from marsad.dedup.jsonl import dedup_jsonl
from marsad.ingest import read_paths
from marsad.ingest.jsonline import MAX_JSON_DEPTH, json_object, nesting_depth, record_id
from marsad.records import Rejected

LINES = [
    '{"id": "a", "text": "زلزال في الوادي", "text1": "x", "text2": "y"}'.encode(),
    b'{"id": "b", "text": ',  # cut off
    b"42",  # JSON, not an object
    b'{"id": "c", "text": "\xff\xfe broken"}',  # not UTF-8
    b'{"text": "no id", "text1": "x", "text2": "y"}',
]


def _codes(rejects: list[Rejected]) -> dict[int, str]:
    return {int(r.record_id.rsplit(":", 1)[1]): r.code for r in rejects}


@pytest.fixture
def jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join(LINES) + b"\n")
    return path


def test_json_object_and_record_id_codes() -> None:
    with pytest.raises(errors.InputError, match=r"f:2: invalid JSON") as bad:
        json_object(LINES[1], "f:2")
    assert bad.value.code == errors.BAD_JSON
    with pytest.raises(errors.InputError, match="expected a JSON object, got int") as notobj:
        json_object(LINES[2], "f:3")
    assert notobj.value.code == errors.BAD_RECORD
    with pytest.raises(errors.InputError, match="not UTF-8") as enc:
        json_object(LINES[3], "f:4")
    assert enc.value.code == errors.BAD_JSON
    for value in ("", None, True, 1.5):
        with pytest.raises(errors.InputError, match="needs a non-empty 'id'"):
            record_id({"id": value}, "f:5")
    assert record_id({"id": 7}, "f:1") == "7"


def test_every_reader_gives_a_bad_line_the_same_code(jsonl: Path) -> None:
    expected = {2: errors.BAD_JSON, 3: errors.BAD_RECORD, 4: errors.BAD_JSON}
    ingest = _codes([r for r in read_paths([jsonl]) if isinstance(r, Rejected)])
    cluster = _codes([r for r in read_jsonl(jsonl, "cluster") if isinstance(r, Rejected)])
    dedup = _codes(dedup_jsonl(jsonl).rejected)
    assert {k: ingest[k] for k in expected} == expected
    assert cluster == expected  # a line without id is refused later, when the record is validated
    assert dedup == {**expected, 5: errors.BAD_RECORD}


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 500, 900, 50_000])
def test_json_value_refuses_deep_nesting(depth: int) -> None:
    line = '{"id": "d", "text": "\\ud800 x", "x": ' + "[" * depth + '"\\ud800"' + "]" * depth + "}"
    with pytest.raises(errors.InputError, match=f"nested more than {MAX_JSON_DEPTH} levels") as deep:
        json_object(line, "f:1")
    assert deep.value.code == errors.BAD_JSON


def test_json_value_reads_nesting_within_cap() -> None:
    nested = "[" * (MAX_JSON_DEPTH - 1) + "1" + "]" * (MAX_JSON_DEPTH - 1)
    assert json_object('{"id": "d", "x": ' + nested + "}", "f:1")["id"] == "d"
    assert nesting_depth({"a": [1, {"b": []}]}) == 4
    assert nesting_depth("x") == 0


def test_read_paths_deep_line_rejected_alone(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    good = '{"id": "g", "text": "The council met on Monday and agreed a budget."}'
    deep = '{"id": "d", "text": "x", "x": ' + "[" * 900 + "1" + "]" * 900 + "}"
    path.write_text(f"{deep}\n{good}\n", encoding="utf-8")
    items = list(read_paths([path], max_bytes=10_000_000))
    rejects = [i for i in items if isinstance(i, Rejected)]
    assert [(r.record_id.rsplit(":", 1)[1], r.code) for r in rejects] == [("1", errors.BAD_JSON)]
    assert sum(not isinstance(i, Rejected) for i in items) == 1
