"""The tree parsed from a page's clean UTF-8 bytes is the tree trafilatura's load_html builds from its
text, on pages of our own with the markup load_html repairs and on the dev pages; decoding hands
over the bytes only when the text is exactly their reading with nothing to repair."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from extract_pages import ARABIC_PARAGRAPHS, ARABIC_TITLE, SPANISH_PARAGRAPHS, SPANISH_TITLE, html_page
from lxml import etree
from trafilatura.utils import load_html

from marsad.extract.tree import parse_html
from marsad.ingest.decode import decode_document

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
ZYTE = DATA / "zyte-article-extraction"
ARABIC = DATA / "trafilatura-arabic-page"
XHTML_DOCTYPE = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">'
)
_SPANISH = html_page(SPANISH_TITLE, SPANISH_PARAGRAPHS, lang="es")
OWN_PAGES = {
    "arabic, stale windows-1256 meta": html_page(ARABIC_TITLE, ARABIC_PARAGRAPHS, charset="windows-1256"),
    "spanish": _SPANISH,
    "xhtml doctype": XHTML_DOCTYPE + "\n" + _SPANISH.removeprefix("<!DOCTYPE html>"),
    "xhtml doctype, one line": XHTML_DOCTYPE + _SPANISH.removeprefix("<!DOCTYPE html>"),
    "xml declaration": '<?xml version="1.0" encoding="utf-8"?>\n' + _SPANISH,
    "self-closing html": '<html lang="es"/>\n' + _SPANISH.removeprefix("<!DOCTYPE html>"),
    "no html tag": "<div><p>" + SPANISH_PARAGRAPHS[0] + "</p></div>",
    "empty body": "<html><body></body></html>",
}


def _same_tree(text: str, utf8: bytes) -> None:
    ours, theirs = parse_html(text, utf8), load_html(text)
    assert (ours is None) == (theirs is None)
    if ours is not None:
        assert etree.tostring(ours, encoding="unicode") == etree.tostring(theirs, encoding="unicode")


@pytest.mark.parametrize("name", sorted(OWN_PAGES))
def test_parse_html_from_bytes_is_load_html_tree(name: str) -> None:
    page = OWN_PAGES[name]
    decoded = decode_document(page.encode("utf-8"), name)
    assert decoded.utf8 == page.encode("utf-8")
    _same_tree(decoded.text, decoded.utf8)


def test_parse_html_dev_pages_same_tree() -> None:
    if not ZYTE.is_dir() or not ARABIC.is_dir():
        pytest.skip(f"dev data not found under {DATA} (it lives in ../shared/data)")
    gold = json.loads((ZYTE / "ground-truth.json").read_text("utf-8"))
    contents = [gzip.decompress((ZYTE / "html" / f"{k}.html.gz").read_bytes()) for k in sorted(gold)[:40]]
    annotation = next(iter(json.loads((ARABIC / "assabah-annotation.json").read_text("utf-8")).values()))
    contents.append((ARABIC / annotation["file"]).read_bytes())
    with_bytes = 0
    for content in contents:
        decoded = decode_document(content, "page")
        if decoded.utf8 is not None:
            with_bytes += 1
            _same_tree(decoded.text, decoded.utf8)
    assert with_bytes >= 0.9 * len(contents)


@pytest.mark.parametrize(
    "content",
    [
        _SPANISH.encode("utf-8").replace(b"</footer>", b"\x0c</footer>"),  # a form feed: load_html strips it
        _SPANISH.encode("utf-8").replace(b"</footer>", "\ufffd</footer>".encode()),  # a replacement mark
        _SPANISH.encode("utf-8").replace(b"</footer>", b"\x93</footer>"),  # a stray windows-1252 byte
        _SPANISH.encode("cp1252"),  # a legacy page
        html_page(ARABIC_TITLE, ARABIC_PARAGRAPHS).encode().decode("cp1256").encode(),  # mojibake, repaired
    ],
    ids=["control", "replacement mark", "stray byte", "windows-1252", "mojibake"],
)
def test_decode_document_hands_over_bytes_only_when_clean(content: bytes) -> None:
    decoded = decode_document(content, "page")
    assert decoded.utf8 is None
