"""Exit codes: 0 when every input is stored or already there, 1 when any is rejected (the others
stored, each rejection named once), 2 for usage; read commands never create a store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cli_process import run_marsad

from marsad.store import Store

pytestmark = pytest.mark.slow  # each case starts the real command in a child process


def _good_docs(samples_dir: Path, tmp_path: Path) -> list[str]:
    names = ["001_wadi_zahra_quake_toll.txt", "008_ramlan_rate_hike.txt"]
    for name in names:
        shutil.copy(samples_dir / "dumps" / name, tmp_path / name)
    return [str(tmp_path / n) for n in names]


def test_ingest_one_bad_file_among_good_ones_stores_the_good_and_exits_1(
    samples_dir: Path, tmp_path: Path
) -> None:
    first, second = _good_docs(samples_dir, tmp_path)
    db = tmp_path / "x.db"
    res = run_marsad("ingest", first, "nofile.txt", second, "--db", str(db), "--lexical", "--json")
    assert res.returncode == 1, res.stderr
    summary = json.loads(res.stdout)
    assert summary["added"] == 2 and summary["rejected"] == 1
    assert "1 of 3 input(s) rejected" in res.stderr
    assert res.stderr.count("nofile.txt") == 1 and res.stderr.count("[E106]") == 1
    again = run_marsad("ingest", first, second, "--db", str(db), "--lexical", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["already_stored"] == 2


def test_ingest_missing_file_alone_exits_1_naming_it(tmp_path: Path) -> None:
    res = run_marsad("ingest", str(tmp_path / "nofile.txt"), "--db", str(tmp_path / "x.db"), "--lexical")
    assert res.returncode == 1
    assert "nofile.txt" in res.stderr and "no such file" in res.stderr


def test_ingest_http_404_feed_exits_1_with_the_status(not_found_site: str, tmp_path: Path) -> None:
    url = f"{not_found_site}/feed.xml"
    res = run_marsad("ingest", url, "--allow-private", "--db", str(tmp_path / "x.db"), "--lexical")
    assert res.returncode == 1
    assert res.stderr.count(url) == 1 and "404" in res.stderr
    assert res.stderr.count("[E108]") == 1


def test_ingest_private_address_refusal_names_the_flag_that_allows_it(
    not_found_site: str, tmp_path: Path
) -> None:
    url = f"{not_found_site}/feed.xml"
    res = run_marsad("ingest", url, "--db", str(tmp_path / "x.db"), "--lexical")
    assert res.returncode == 1
    assert url in res.stderr and "--allow-private" in res.stderr and res.stderr.count("[E108]") == 1


def test_ingest_closed_port_says_unreachable_not_robots(closed_port: int, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port}/feed.xml"
    res = run_marsad("ingest", url, "--allow-private", "--db", str(tmp_path / "x.db"), "--lexical")
    assert res.returncode == 1
    assert "cannot reach" in res.stderr and "robots" not in res.stderr


def test_watch_exits_1_when_a_round_rejected_a_feed(not_found_site: str, tmp_path: Path) -> None:
    url = f"{not_found_site}/feed.xml"
    res = run_marsad("watch", url, "--max-rounds", "1", "--allow-private", "--db", str(tmp_path / "w.db"))
    assert res.returncode == 1
    assert url in res.stderr and "404" in res.stderr


def test_compare_missing_file_names_it_with_one_code(tmp_path: Path) -> None:
    res = run_marsad("compare", str(tmp_path / "nofile.txt"), str(tmp_path / "other.txt"))
    assert res.returncode == 1
    assert "nofile.txt" in res.stderr and res.stderr.count("[E106]") == 1


def test_output_into_a_missing_directory_is_one_line_not_a_traceback(
    samples_dir: Path, tmp_path: Path
) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "one two three four five six seven"}\n', encoding="utf-8")
    res = run_marsad("dedup", str(src), "-o", str(tmp_path / "no-dir" / "out.jsonl"))
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "no-dir/out.jsonl" in res.stderr


READ_COMMANDS = [
    ["stories"],
    ["show", "s0000"],
    ["duplicates"],
    ["compare", "--story", "s0000"],
    ["search", "البنك"],
]


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: c[0] + ("-story" if "--story" in c else ""))
def test_read_command_on_missing_store_says_so_and_creates_nothing(
    command: list[str], tmp_path: Path
) -> None:
    db = tmp_path / "typo-dir" / "x.db"
    res = run_marsad(*command, "--db", str(db))
    assert res.returncode == 1
    assert f"no store at {db}" in res.stderr and "marsad ingest" in res.stderr
    assert res.stderr.count("[E301]") == 1
    assert not (tmp_path / "typo-dir").exists()


def test_read_command_on_existing_store_exits_0(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    Store(db).close()
    res = run_marsad("stories", "--db", str(db), "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == []


@pytest.mark.parametrize(
    "args",
    [["ingest"], ["stories", "--no-such-option"], ["dedup", "in.jsonl", "-o", "a.jsonl", "--out", "b.jsonl"]],
    ids=["missing-argument", "unknown-option", "output-given-twice"],
)
def test_usage_errors_exit_2(args: list[str], tmp_path: Path) -> None:
    res = run_marsad(*args, cwd=str(tmp_path))
    assert res.returncode == 2, res.stderr


def test_ingest_directory_with_a_hidden_file_names_it_and_exits_0(samples_dir: Path, tmp_path: Path) -> None:
    """A `.DS_Store` met while walking a directory is named (never silently skipped) but it was not
    asked for, so it does not make the run look failed."""
    folder = tmp_path / "in"
    folder.mkdir()
    _good_docs(samples_dir, folder)
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    res = run_marsad("ingest", str(folder), "--db", str(tmp_path / "x.db"), "--lexical", "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["added"] == 2
    assert "hidden file(s) or folder(s) not read" in res.stderr and ".DS_Store" in res.stderr
