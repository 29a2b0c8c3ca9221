"""Encoding detection: declared charsets, legacy Arabic encodings, misleading Latin labels."""

from __future__ import annotations

import pytest

from marsad import errors
from marsad.errors import InputError
from marsad.ingest.decode import (
    canonical_charset,
    charset_from_content_type,
    decode_text,
    sniff_declared_charset,
)

ARABIC = (
    "قالت وزارة الخارجية في بيان يوم الثلاثاء إن الوزير التقى نظيره في العاصمة لبحث العلاقات الثنائية "
    "والأوضاع في المنطقة، وأكد الجانبان أهمية مواصلة التنسيق."
)


@pytest.mark.parametrize("codec", ["cp1256", "iso8859_6"])
def test_decode_text_detects_legacy_arabic_without_declaration(codec: str) -> None:
    assert decode_text(ARABIC.encode(codec), "page") == ARABIC


@pytest.mark.parametrize(
    ("declared", "codec"), [("windows-1256", "cp1256"), ("ISO-8859-6", "iso8859_6"), ("arabic", "iso8859_6")]
)
def test_decode_text_uses_declared_charset(declared: str, codec: str) -> None:
    assert decode_text(ARABIC.encode(codec), "page", declared=declared) == ARABIC


def test_decode_text_reads_meta_charset() -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
    html = f"<html><head>{meta}</head><body>{ARABIC}</body></html>"
    assert ARABIC in decode_text(html.encode("cp1256"), "page")


def test_decode_text_sees_through_latin_label_on_windows_1256_page() -> None:
    html = f'<html><head><meta charset="iso-8859-1"></head><body><p>{ARABIC}</p></body></html>'
    assert ARABIC in decode_text(html.encode("cp1256"), "page")


def test_decode_text_rejects_binary_with_code() -> None:
    with pytest.raises(InputError) as info:
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "logo.png")
    assert info.value.code == errors.NOT_TEXT and "logo.png" in str(info.value)


def test_charset_helpers_normalise_labels() -> None:
    assert charset_from_content_type('text/html; charset="Windows-1256"') == "cp1256"
    assert charset_from_content_type("text/html") is None
    assert canonical_charset("latin1") == "cp1252"
    assert canonical_charset("no-such-charset") is None
    assert sniff_declared_charset(b'<?xml version="1.0" encoding="ISO-8859-6"?><rss/>') == "iso8859-6"
