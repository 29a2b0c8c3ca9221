"""Bytes to text: BOM, UTF-8, then charset detection (legacy Arabic pages still use windows-1256)."""

from __future__ import annotations

from marsad import errors
from marsad.errors import InputError

_CONTROL_OK = {"\n", "\r", "\t", "\f", "\v"}


def binary_ratio(text: str) -> float:
    """Share of characters that no text file holds: C0 controls and U+FFFD replacement marks."""
    if not text:
        return 0.0
    bad = sum(1 for c in text if (c < " " and c not in _CONTROL_OK) or c == "\ufffd")
    return bad / len(text)


def decode_text(
    content: bytes, source: str, *, declared: str | None = None, max_binary_ratio: float = 0.02
) -> str:
    """Decode `content` to str.

    Order: BOM, the declared charset (HTTP header or meta), strict UTF-8, then charset-normalizer.
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
    if text is None and declared:
        try:
            text = content.decode(declared)
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            from charset_normalizer import from_bytes

            best = from_bytes(content).best()
            if best is None:
                raise InputError(
                    f"{source}: not a text document (no character encoding fits)", code=errors.NOT_TEXT
                ) from None
            text = str(best)
    if binary_ratio(text) > max_binary_ratio:
        raise InputError(
            f"{source}: not a text document ({binary_ratio(text):.0%} control characters)",
            code=errors.NOT_TEXT,
        )
    return text
