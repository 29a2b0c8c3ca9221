"""Bytes to text: BOM, declared charset, UTF-8, then charset detection.

Legacy Arabic sites still serve windows-1256 or ISO-8859-6, and some declare a Latin charset
(ISO-8859-1, windows-1252) for pages that are really windows-1256: every byte decodes in a
single-byte Latin charset, so such a declaration is checked against detection instead of trusted.
"""

from __future__ import annotations

import codecs
import re

from marsad import errors
from marsad.errors import InputError

# C0 controls other than \t \n \v \f \r, and the U+FFFD replacement mark.
_NOT_TEXT = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")

# Labels browsers treat as another charset (WHATWG Encoding), and Arabic aliases Python lacks.
_LABEL_ALIASES = {
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
    "x-cp1256": "cp1256",
    "windows-1256": "cp1256",
    "iso-8859-6-i": "iso8859_6",
    "iso-8859-6-e": "iso8859_6",
    "csisolatinarabic": "iso8859_6",
    "ecma-114": "iso8859_6",
    "asmo-708": "iso8859_6",
    "arabic": "iso8859_6",
    "utf8": "utf-8",
}
_LATIN_SINGLE_BYTE = {"cp1252", "latin_1", "iso8859_15", "ascii"}
_CONTENT_TYPE_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
# <meta charset="x">, <meta http-equiv="Content-Type" content="...; charset=x">, <?xml encoding="x"?>
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]{0,100}?encoding\s*=\s*["']([\w.:-]+)""",
    re.IGNORECASE,
)
SNIFF_BYTES = 4096


def binary_ratio(text: str) -> float:
    """Share of characters that no text file holds: C0 controls and U+FFFD replacement marks."""
    if not text:
        return 0.0
    return len(_NOT_TEXT.findall(text)) / len(text)


def canonical_charset(label: str | None) -> str | None:
    """Python codec name for a charset label from a header or page, or None when unknown."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _LABEL_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def charset_from_content_type(value: str | None) -> str | None:
    """The charset parameter of a Content-Type header value ("text/html; charset=windows-1256")."""
    if not value:
        return None
    m = _CONTENT_TYPE_CHARSET.search(value)
    return canonical_charset(m.group(1)) if m else None


def sniff_declared_charset(content: bytes) -> str | None:
    """The charset an HTML or XML document declares in its first SNIFF_BYTES bytes, if any."""
    m = _META_CHARSET.search(content[:SNIFF_BYTES])
    if not m:
        return None
    label = (m.group(1) or m.group(2)).decode("ascii", errors="ignore")
    return canonical_charset(label)


def _detect(content: bytes, source: str) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(content).best()
    if best is None:
        raise InputError(f"{source}: not a text document (no character encoding fits)", code=errors.NOT_TEXT)
    return str(best)


def _decode_declared(content: bytes, charset: str) -> str | None:
    try:
        text = content.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return None
    if codecs.lookup(charset).name in _LATIN_SINGLE_BYTE and not content.isascii():
        # A Latin label on a page full of high bytes may hide windows-1256: let detection decide
        # when the bytes are no UTF-8 either.
        try:
            return content.decode("utf-8")
        except UnicodeDecodeError:
            from charset_normalizer import from_bytes

            best = from_bytes(content, cp_isolation=["cp1252", "cp1256", "iso8859_6"]).best()
            if best is not None and best.encoding in {"cp1256", "iso8859_6"}:
                return str(best)
    return text


def decode_text(
    content: bytes, source: str, *, declared: str | None = None, max_binary_ratio: float = 0.02
) -> str:
    """Decode `content` to str.

    Order: BOM, the declared charset (`declared`, e.g. from the HTTP header, else the page's own
    <meta charset> or XML declaration), strict UTF-8, then charset detection.
    Raises InputError E101 for empty input and E102 when the bytes are not text.
    """
    if not content.strip():
        raise InputError(f"{source}: empty document", code=errors.EMPTY)
    if b"\x00" in content[:8192] and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{source}: not a text document (NUL bytes found)", code=errors.NOT_TEXT)
    text: str | None = None
    if content.startswith(b"\xef\xbb\xbf"):
        text = content[3:].decode("utf-8", errors="replace")
    elif content.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = content.decode("utf-16", errors="replace")
    if text is None:
        charset = canonical_charset(declared) or sniff_declared_charset(content)
        if charset is not None:
            text = _decode_declared(content, charset)
    if text is None:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            text = _detect(content, source)
    ratio = binary_ratio(text)
    if ratio > max_binary_ratio:
        raise InputError(
            f"{source}: not a text document ({ratio:.0%} control characters)", code=errors.NOT_TEXT
        )
    return text
