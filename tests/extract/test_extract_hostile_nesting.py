"""Hostile nesting inside a page: deep JSON-LD and deep markup are read within bounds, and the page is
extracted normally (its JSON-LD skipped), never rejected as a bug (E190)."""

from __future__ import annotations

import json

import pytest

from marsad.boundary import guarded
from marsad.extract import extract
from marsad.extract.html import read_page_meta
from marsad.extract.tree import parse_html
from marsad.ingest.jsonline import MAX_JSON_DEPTH
from marsad.records import Article, RawDocument

BODY = "The council met on Monday and agreed a new budget for the city's schools and its hospitals. " * 3


def _page(head: str, body: str = "") -> bytes:
    return (
        f"<html><head><title>Budget agreed</title>{head}</head><body><article><p>{BODY}</p>{body}"
        "</article></body></html>"
    ).encode()


def _ld(text: str) -> str:
    return f'<script type="application/ld+json">{text}</script>'


HOSTILE_LD = {
    "unclosed_arrays": "[" * 50_000,
    "closed_arrays": "[" * 5_000 + "]" * 5_000,
    "nested_objects": '{"a":' * 5_000 + "1" + "}" * 5_000,
    # deep enough for json.loads, too deep for any recursive walk after it
    "just_readable": "[" * 900 + '{"headline": "deep"}' + "]" * 900,
    "many_objects": "[" + ",".join(['{"@type": "Thing"}'] * 20_000) + "]",
}


def _extract(content: bytes, name: str) -> Article:
    raw = RawDocument(id=name, source=name, content=content, hint="html")
    result = guarded("extract", name, lambda: extract(raw), budget=30)
    assert isinstance(result, Article), result
    return result


@pytest.mark.parametrize("kind", sorted(HOSTILE_LD))
def test_extract_hostile_json_ld_is_skipped(kind: str) -> None:
    article = _extract(_page(_ld(HOSTILE_LD[kind])), kind)
    assert article.body.startswith("The council met on Monday")
    assert article.title == "Budget agreed"


def _ld_nested(levels: int) -> str:
    """A NewsArticle under `levels` levels of @graph nesting (two JSON levels each)."""
    nested: dict[str, object] = {"@type": "NewsArticle", "datePublished": "2024-03-15T10:00:00Z"}
    for _ in range(levels):
        nested = {"@graph": [nested]}
    return _ld(json.dumps(nested))


@pytest.mark.parametrize(
    ("levels", "read"), [(0, True), (MAX_JSON_DEPTH // 2 - 1, True), (MAX_JSON_DEPTH // 2, False)]
)
def test_read_page_meta_json_ld_depth_cap(levels: int, read: bool) -> None:
    tree = parse_html(_page(_ld_nested(levels)).decode())
    published = read_page_meta(tree).published
    assert (published is not None and published.date().isoformat() == "2024-03-15") is read


@pytest.mark.parametrize(
    "markup",
    [
        "<div>" * 20_000 + "x" + "</div>" * 20_000,
        "<div>" * 100_000,
        '<div class="comment">c ' * 5_000 + "</div>" * 5_000,
        "<table><tr><td>" * 3_000,
        "<b>" * 20_000 + "x",
    ],
    ids=["divs", "unclosed_divs", "nested_comments", "tables", "inline"],
)
def test_extract_deep_markup_is_extracted(markup: str) -> None:
    article = _extract(_page("", markup), "deep-markup")
    assert article.body.startswith("The council met on Monday")


@pytest.mark.parametrize("utf8", [False, True])
def test_parse_html_caps_tree_depth(utf8: bool) -> None:
    """libxml2's HTML parser stops nesting at 256 levels (lxml's `huge_tree` is off): the recursive
    walks over a page's tree (ours, trafilatura's) rely on it."""
    html = "<html><body>" + "<div>" * 10_000 + "x</body></html>"
    tree = parse_html(html, html.encode() if utf8 else None)
    assert tree is not None
    assert max(sum(1 for _ in el.iterancestors()) for el in tree.iter()) <= 256
