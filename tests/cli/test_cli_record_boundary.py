"""`marsad dedup`, `cluster` and `similarity`: whatever one record does (a lone surrogate, deep
nesting, a 5,000-digit integer), that record is a rejection with a code, the output file holds every
other record, and the command exits 1. A page whose JSON-LD block nests 50,000 levels (once an E190
from the extractor) is read without that block, as ingest reads it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_process import run_marsad

pytestmark = pytest.mark.slow  # each case starts the real command in a child process

BODY = "The council met on Monday and agreed a new budget for the city's schools and its hospitals. " * 3


def _line(rid: str, text: str, **extra: object) -> str:
    return json.dumps({"id": rid, "text": text, "text1": text, "text2": text + " Later.", **extra})


def _mixed(tmp_path: Path) -> Path:
    deep_jsonld = '<html><head><script type="application/ld+json">' + "[" * 50_000 + "</script></head>"
    lines = [
        _line("g0", BODY),
        # A lone UTF-16 surrogate (valid JSON, not valid text): repaired to U+FFFD and processed.
        '{"id": "surrogate", "text": "\\ud800 ' + BODY + '", "text1": "\\udc00 a", "text2": "b"}',
        "[" * 50_000,  # deep nesting
        '{"id": "big", "n": ' + "9" * 5000 + ', "text": "x"}',  # a 5,000-digit integer
        json.dumps(
            {"id": "html", "html": deep_jsonld + f"<body><article><p>{BODY}</p></article></body></html>"}
        ),
        _line("g1", BODY + " More."),
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("command", "written", "codes"),
    [
        ("dedup", ["g0", "surrogate", "html", "g1"], {3: "E104", 4: "E104"}),
        ("cluster", ["g0", "surrogate", "html", "g1"], {3: "E104", 4: "E104"}),
        # similarity reads text1/text2 only: the html record has none.
        ("similarity", ["g0", "surrogate", "g1"], {3: "E104", 4: "E104", 5: "E105"}),
    ],
)
def test_command_rejects_the_bad_record_writes_the_rest_and_exits_1(
    tmp_path: Path, command: str, written: list[str], codes: dict[int, str]
) -> None:
    source = _mixed(tmp_path)
    out = tmp_path / "out.jsonl"
    res = run_marsad(command, str(source), "-o", str(out))
    assert res.returncode == 1, res.stderr
    assert "Traceback" not in res.stderr
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == written
    for line, code in codes.items():
        assert f"[{code}] {source}:{line}:" in res.stderr
    assert f"{len(codes)} input(s) rejected" in res.stderr
