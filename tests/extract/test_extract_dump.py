"""The plain-text dump extractor on the user's seeds and on our own small dumps."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.extract import extract
from marsad.extract.dump import parse_comments, parse_dump
from marsad.ingest.files import read_file
from marsad.records import Article, RawDocument


def _article(path: Path) -> Article:
    (raw,) = list(read_file(path, max_bytes=10_000_000))
    assert isinstance(raw, RawDocument)
    return extract(raw)


def test_extract_seed_000_title_body_comments(seeds_dir: Path) -> None:
    text = (seeds_dir / "000_f462c494be0ac3b8.txt").read_text("utf-8")
    article = _article(seeds_dir / "000_f462c494be0ac3b8.txt")
    headline = text.splitlines()[0].strip()
    assert article.title == headline
    # Every article paragraph is in the body; the title is not repeated into it.
    assert len(article.paragraphs) == 8
    assert article.paragraphs[0].startswith("أعلن وزير الخارجية الروسي")
    assert article.paragraphs[-1].endswith("بشكل محدد.")
    for junk in ("[ads3]", "(AFP)", "التعليقات المنشورة", "9 Comments", "Comments", "حزب البعث", "خروتشوف"):
        assert junk not in article.body, junk
    assert article.comments_stated == 9
    assert [c.index for c in article.comments] == [1, 2, 3, 4, 5]
    assert [c.parent for c in article.comments] == [None, 1, None, None, None]
    assert article.comments[1].text.startswith("يا أخي")
    # comment 2 of the page (index 3) spans three lines
    assert article.comments[2].text.count("\n") == 2
    assert {"AFP", "TASS"} <= set(article.agencies)
    assert "[ads3]" in article.boilerplate and "9 Comments" in article.boilerplate
    assert article.outlet == "عكس السير"
    assert article.language == "ar"


def test_extract_seed_003_no_title_source_line(seeds_dir: Path) -> None:
    article = _article(seeds_dir / "003_78029ccb64208adf.txt")
    assert article.title is None
    assert "المصدر" not in article.body
    assert article.paragraphs[0].startswith("وقال لافروف")
    assert len(article.paragraphs) == 10
    assert "Interfax" in article.agencies
    assert "المصدر: وكالات" in article.boilerplate
    assert article.comments == () and article.comments_stated is None


DUMP = """Storm closes the port of Almera

The port of Almera was closed on Monday after a storm, officials said.

"We expect to reopen on Wednesday," the harbour master told Reuters.[ads1]

Ferries were cancelled. (AP)

Comments do not necessarily reflect the views of Coast Daily.

3 Comments

  1. Stay safe everyone
      1. Thanks!
  2. Again?
"""


def test_parse_dump_english_layout() -> None:
    parts = parse_dump(DUMP)
    assert parts.title == "Storm closes the port of Almera"
    assert parts.paragraphs == [
        "The port of Almera was closed on Monday after a storm, officials said.",
        '"We expect to reopen on Wednesday," the harbour master told Reuters.',
        "Ferries were cancelled.",
    ]
    assert parts.comments_stated == 3
    assert [(c.index, c.parent, c.text) for c in parts.comments] == [
        (1, None, "Stay safe everyone"),
        (2, 1, "Thanks!"),
        (3, None, "Again?"),
    ]
    assert "[ads1]" in parts.boilerplate and "(AP)" in parts.boilerplate


@pytest.mark.parametrize(
    ("lines", "parents"),
    [
        (["1. a", "2. b"], [None, None]),
        (["1. a", "  1. a1", "    1. a1x", "  2. a2", "2. b"], [None, 1, 2, 1, None]),
    ],
)
def test_parse_comments_nesting(lines: list[str], parents: list[int | None]) -> None:
    assert [c.parent for c in parse_comments(lines)] == parents


def test_parse_dump_first_line_sentence_is_not_title() -> None:
    parts = parse_dump("هذه جملة طويلة من متن الخبر تنتهي بنقطة.\nوهذه فقرة ثانية من الخبر.")
    assert parts.title is None
    assert len(parts.paragraphs) == 2
