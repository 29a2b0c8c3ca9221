"""Bounded work per dump: linear-time parsing on hostile layouts, caps, and a minimum article size."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import pytest

from marsad import errors
from marsad.errors import InputError
from marsad.extract import extract
from marsad.extract.article import MAX_ARTICLE_CHARS
from marsad.extract.dump import MAX_COMMENTS, parse_dump
from marsad.records import RawDocument

WORDS = "the council met to discuss budget schools hospitals roads and water supply in the region".split()


def _wrapped(size: int) -> str:
    rng = random.Random(1)
    lines, total = [], 0
    while total < size:
        line = " ".join(rng.choice(WORDS) for _ in range(12))
        lines.append(line)
        total += len(line) + 1
    return "\n".join(lines)


HOSTILE: dict[str, Callable[[int], str]] = {
    # hard-wrapped lines without sentence punctuation: one growing paragraph
    "wrapped": _wrapped,
    "disclaimer_repeated": lambda n: (
        "Title\n\nBody.\n\n" + "التعليقات المنشورة لا تعبر عن رأي الموقع " * (n // 40)
    ),
    "french_disclaimer": lambda n: "Title\n\nBody.\n\n" + "les commentaires " * (n // 17),
    "spaces_after_paren": lambda n: "Title\n\nBody text (" + " " * n + "x",
    "spaces_in_ad": lambda n: "Title\n\nBody text [ad" + " " * n + "x",
    "spaces_line": lambda n: "Title\n\nBody.\n" + " " * n + "\n1" + " " * n + "x",
    "open_parens": lambda n: "Title\n\n" + "( " * (n // 2) + ")",
    "comments": lambda n: (
        "T\n\nBody here.\n\n9 comments\n" + "".join(f"  {i % 9999}. c {i}\n" for i in range(n // 12))
    ),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_parse_dump_linear_on_hostile_layouts(kind: str) -> None:
    small, large = HOSTILE[kind](100_000), HOSTILE[kind](800_000)
    started = time.perf_counter()
    parse_dump(small)
    t_small = time.perf_counter() - started
    started = time.perf_counter()
    parse_dump(large)
    t_large = time.perf_counter() - started
    # 8x the input: linear is about 8x the time; quadratic would be 64x. Floors absorb timer noise.
    assert t_large < 3.0, f"{kind}: {t_large:.2f}s for 800 KB"
    assert t_large < 20 * max(t_small, 0.01), f"{kind}: {t_small:.3f}s -> {t_large:.3f}s"


def test_wrapped_paragraph_joins_lines_as_before() -> None:
    text = "Title line here\n\n" + "a" * 60 + "\nsecond part of it.\nNew paragraph (AFP)\n"
    parts = parse_dump(text)
    assert parts.paragraphs == ["a" * 60 + " second part of it.", "New paragraph"]
    assert parts.credit_lines == ["(AFP)"]


def _raw(text: str) -> RawDocument:
    return RawDocument(id="x", source="doc.txt", content=text.encode(), hint="text")


@pytest.mark.parametrize("content", [b"\x00", b"ab", b"\x89PNG\r\n", b"Home | News | Contact"])
def test_extract_rejects_too_little_text(content: bytes) -> None:
    with pytest.raises(InputError) as info:
        extract(RawDocument(id="x", source="tiny", content=content, hint="text"))
    assert info.value.code in (errors.TOO_SHORT, errors.NOT_TEXT, errors.NO_ARTICLE, errors.EMPTY)


def test_extract_short_real_article_kept() -> None:
    article = extract(_raw("Floods hit the north\n\nHeavy rain flooded three villages on Monday."))
    assert article.body.startswith("Heavy rain")


def test_extract_rejects_megabytes_of_text_as_one_article() -> None:
    with pytest.raises(InputError) as info:
        extract(_raw("Title\n\n" + "word " * (MAX_ARTICLE_CHARS // 4)))
    assert info.value.code == errors.TOO_LARGE


def test_extract_caps_comments_but_keeps_the_stated_count() -> None:
    comments = "".join(f"  {i % 9000 + 1}. comment {i}\n" for i in range(10_000))
    article = extract(
        _raw(f"Title\n\nThe body of the article is here, long enough.\n\n10000 comments\n{comments}")
    )
    assert len(article.comments) == MAX_COMMENTS and article.comments_stated == 10_000
