"""CLI conventions: --version, -h, one -o/--output spelling, flags shown as flags, tables that fit the
terminal without losing a character, and comment counts that never print None."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from rich.table import Table
from typer.testing import CliRunner

from marsad import __version__
from marsad.cli.commands.articles import comments_line
from marsad.cli.common import print_table
from marsad.cli.main import app
from marsad.extract import extract
from marsad.ingest.files import read_paths
from marsad.records import Comment, RawDocument

runner = CliRunner()
COMMANDS = sorted(app.registered_commands, key=lambda c: c.name or "")
NAMES = [c.name for c in COMMANDS if c.name]
WRITES_FILES = {"dedup", "cluster", "similarity", "batch"}


def test_cli_version_and_short_help() -> None:
    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0 and version.output.strip() == f"marsad {__version__}"
    short = runner.invoke(app, ["-h"])
    assert short.exit_code == 0 and "search" in short.output and "ingest" in short.output


@pytest.mark.parametrize("name", NAMES)
def test_cli_help_shows_flags_as_flags_and_one_output_spelling(name: str) -> None:
    res = runner.invoke(app, [name, "-h"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "<bool>" not in res.output  # a flag takes no value
    assert not re.search(r"--out\b", res.output)  # the old spelling is a hidden alias
    if name in WRITES_FILES:
        assert "-o" in res.output and "--output" in res.output


def test_cli_old_out_spelling_still_works(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        "".join(json.dumps({"id": str(i), "text": f"word{i} " * 20}) + "\n" for i in range(3)), "utf-8"
    )
    res = runner.invoke(app, ["dedup", str(src), "--out", str(tmp_path / "out.jsonl")])
    assert res.exit_code == 0, res.output
    assert len((tmp_path / "out.jsonl").read_text("utf-8").splitlines()) == 3


CELLS = [
    "taux de 200 points",
    "قال محافظ البنك المركزي إن الفائدة سترتفع 200 نقطة",
    "Le taux directeur passe à 7,25 % après 200 points de base",
    "البنك",
]


def _column_text(lines: list[str], column: int) -> str:
    parts = [line.split("│")[column + 1] for line in lines if line.startswith("│")]
    return "".join(parts).replace(" ", "")


@pytest.mark.parametrize("width", [24, 31, 40, 57, 80])
def test_print_table_fits_the_width_and_keeps_every_character(
    width: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    for cell in CELLS:
        table = Table()
        table.add_column("n", no_wrap=True)
        table.add_column("text", overflow="fold")
        table.add_row("1", cell)
        print_table(table)
        lines = capsys.readouterr().out.splitlines()
        assert all(len(line) <= width for line in lines), lines
        # Wrapping breaks at spaces or folds inside a word: without the spaces nothing is lost or changed.
        assert _column_text(lines, 1) == cell.replace(" ", ""), lines


def test_comments_line_never_prints_none(samples_dir: Path) -> None:
    page = next(p for p in sorted((samples_dir / "pages").glob("*.html")))
    raw = next(item for item in read_paths([page], max_bytes=10_000_000) if isinstance(item, RawDocument))
    article = replace(extract(raw), comments=(Comment(1, None, "a"), Comment(2, 1, "b")))
    assert comments_line(replace(article, comments_stated=None)) == "2 shown"
    assert comments_line(replace(article, comments_stated=9)) == "2 shown / 9 stated"


def test_compare_text_into_a_file_is_logical_order_and_quotes_verbatim(seeds_dir: Path) -> None:
    """Issue 12: `marsad compare` written to a file holds no presentation forms, and every quote it
    lists is found verbatim in the seed files (no line broken inside a quote)."""
    import re

    from typer.testing import CliRunner

    from marsad.cli.main import app

    a, b = seeds_dir / "000_f462c494be0ac3b8.txt", seeds_dir / "003_78029ccb64208adf.txt"
    result = CliRunner().invoke(app, ["compare", str(a), str(b)])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert not re.findall("[\ufb50-\ufdff\ufe70-\ufeff]", text)
    sources = a.read_text("utf-8") + b.read_text("utf-8")
    quotes = [line.split("] ", 1)[1].strip() for line in text.splitlines() if line.startswith("  [")]
    assert len(quotes) >= 6
    assert [q for q in quotes if q not in sources] == []
