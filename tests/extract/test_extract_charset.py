"""Decoding that trusts the bytes, on pages of our own: UTF-8 over a stale declaration, Arabic
legacy encodings, stray bytes in a UTF-8 page, and garbled (mojibake) text repaired and recorded."""

from __future__ import annotations

import pytest
from extract_pages import (
    ARABIC_PARAGRAPHS,
    ARABIC_TITLE,
    SPANISH_PARAGRAPHS,
    SPANISH_TITLE,
    html_page,
    raw_page,
)

from marsad.extract import extract
from marsad.ingest.decode import decode_document, repair_mojibake

# Mojibake signatures: UTF-8 Arabic read as windows-1256 / windows-1252, UTF-8 Latin as windows-1252.
MOJIBAKE = ("ط§", "ظ„", "Ø§", "Ù„", "Ã³", "Ã©", "â€")


def _latin1_reading(text: str) -> str:
    """What a windows-1252 reader makes of UTF-8 bytes (its five undefined bytes as C1 controls)."""
    return "".join(
        chr(b) if 0x80 <= b < 0xA0 and b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252")
        for b in text.encode()
    )


def _assert_clean(text: str) -> None:
    assert not any(sig in text for sig in MOJIBAKE), text[:200]


@pytest.mark.parametrize("stale", ["windows-1256", "iso-8859-6", "iso-8859-1", "windows-1252"])
def test_extract_utf8_arabic_page_with_stale_meta_charset(stale: str) -> None:
    page = html_page(ARABIC_TITLE, ARABIC_PARAGRAPHS, charset=stale)
    article = extract(raw_page(page.encode("utf-8")))
    _assert_clean(article.body)
    assert article.title == ARABIC_TITLE
    assert ARABIC_PARAGRAPHS[2] in article.body
    assert any("valid UTF-8" in note for note in article.notes)


def test_extract_utf8_page_with_stale_http_charset() -> None:
    page = html_page(SPANISH_TITLE, SPANISH_PARAGRAPHS, lang="es", charset=None)
    article = extract(raw_page(page.encode("utf-8"), http={"charset": "windows-1256"}))
    assert "sanción" in article.body and article.title == SPANISH_TITLE
    _assert_clean(article.body)


@pytest.mark.parametrize(("codec", "label"), [("cp1256", "windows-1256"), ("iso8859_6", "iso-8859-6")])
def test_extract_arabic_legacy_encodings_declared(codec: str, label: str) -> None:
    paragraphs = ARABIC_PARAGRAPHS
    page = html_page(ARABIC_TITLE, paragraphs, charset=label)
    article = extract(raw_page(page.encode(codec)))
    assert article.title == ARABIC_TITLE
    assert paragraphs[3] in article.body
    assert article.notes == ()  # a legacy page read as it declares itself: nothing to record


@pytest.mark.parametrize("codec", ["cp1256", "iso8859_6"])
def test_extract_arabic_legacy_encodings_undeclared(codec: str) -> None:
    paragraphs = ARABIC_PARAGRAPHS
    page = html_page(ARABIC_TITLE, paragraphs, charset=None)
    article = extract(raw_page(page.encode(codec)))
    assert paragraphs[1] in article.body


def test_extract_windows_1256_page_labelled_latin() -> None:
    page = html_page(ARABIC_TITLE, ARABIC_PARAGRAPHS, charset="iso-8859-1")
    article = extract(raw_page(page.encode("cp1256")))
    assert ARABIC_PARAGRAPHS[0] in article.body


def test_extract_utf8_page_with_stray_legacy_bytes() -> None:
    page = html_page(ARABIC_TITLE, ARABIC_PARAGRAPHS, charset="windows-1256")
    content = page.encode("utf-8").replace(b"(c) 2024", b"\xa9 2024 \x93")
    article = extract(raw_page(content))
    assert ARABIC_PARAGRAPHS[4] in article.body
    assert any("stray" in note for note in article.notes)


@pytest.mark.parametrize(
    ("garble", "title", "paragraphs"),
    [
        (lambda t: t.encode().decode("cp1256"), ARABIC_TITLE, ARABIC_PARAGRAPHS),
        (_latin1_reading, ARABIC_TITLE, ARABIC_PARAGRAPHS),
        (_latin1_reading, SPANISH_TITLE, SPANISH_PARAGRAPHS),
    ],
)
def test_extract_repairs_garbled_page_and_records_it(garble, title: str, paragraphs: list[str]) -> None:  # type: ignore[no-untyped-def]
    # The page was garbled before it was saved: its bytes are valid UTF-8 of mojibake.
    page = html_page(garble(title), [garble(p) for p in paragraphs])
    article = extract(raw_page(page.encode("utf-8")))
    _assert_clean(article.body)
    assert article.title == title
    assert paragraphs[1] in article.body
    assert any("mojibake" in note for note in article.notes)
    assert "mojibake" in " ".join(article.to_json()["notes"])


def test_extract_record_html_field_repaired() -> None:
    from marsad.records import RawDocument

    html = html_page(SPANISH_TITLE, SPANISH_PARAGRAPHS, lang="es").encode().decode("cp1252")
    raw = RawDocument(
        id="r1", source="in.jsonl", content=b"", hint="record", fields={"id": "r1", "html": html}
    )
    article = extract(raw)
    assert "sanción" in article.body and any("mojibake" in n for n in article.notes)


@pytest.mark.parametrize(
    "text",
    [
        " ".join(ARABIC_PARAGRAPHS),
        " ".join(SPANISH_PARAGRAPHS),
        "Ça coûte 5 € — “très” cher; naïve Noël, Straße, Größe, São Paulo, ÖVP, Ærø, Ñandú, Ðorđe",
        "عکس‌های خبری؛ ضغط، شرط، ربط، خطأ؟ سپس گفتگو با عکاس",  # Persian letters and Arabic punctuation
    ],
)
def test_repair_mojibake_leaves_good_text_alone(text: str) -> None:
    assert repair_mojibake(text) == (text, None)


def test_decode_document_prefers_valid_utf8_over_declaration() -> None:
    page = html_page(ARABIC_TITLE, ARABIC_PARAGRAPHS, charset="windows-1256")
    decoded = decode_document(page.encode("utf-8"), "p", declared="windows-1256")
    assert decoded.text == page and decoded.encoding == "utf-8"
    legacy = decode_document(page.encode("cp1256"), "p")
    assert legacy.text == page and legacy.encoding == "cp1256"
