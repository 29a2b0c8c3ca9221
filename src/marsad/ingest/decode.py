"""Bytes to text that trusts the bytes: BOM, UTF-8, declared charset, then detection; mojibake repaired.

Order, and why:
- a byte-order mark is the strongest statement a file can make;
- bytes that are valid UTF-8 are UTF-8 whatever the page declares: saved pages and WARC records often
  keep a stale `<meta charset="windows-1256">` over a body re-encoded to UTF-8, and high bytes that
  happen to form valid UTF-8 sequences all through a page are never an accident of a legacy charset;
  a UTF-8 page with a few stray legacy bytes (a footer pasted from elsewhere) is still read as UTF-8;
- otherwise the HTTP header, then the page's own <meta charset> or XML declaration, then detection.
  Legacy Arabic sites still serve windows-1256 or ISO-8859-6, and some declare a Latin charset
  (ISO-8859-1, windows-1252) for pages that are really windows-1256: every byte decodes in a
  single-byte Latin charset, so such a declaration is checked against detection instead of trusted.
Text that was garbled before it reached us (UTF-8 read once as windows-1252 or windows-1256 and
saved again: «sanciÃ³n», «ط§ط®طھط¨ط§ط±») is repaired by `repair_mojibake`. Every decision other
than the plain one is recorded in `Decoded.notes`, so a stored article says what was done to it.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass

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


# Bytes of plain ASCII text (printable, tab, LF, CR): what is left without them is little on most
# pages, and it tells a clean page (`clean_utf8`) and most pages without mojibake (`may_garble`).
_ASCII_TEXT = bytes(b for b in range(0x80) if b >= 0x20 or b in b"\t\n\r")
_HIGH_BYTES = bytes(range(0x80, 0x100))


def unusual_bytes(utf8: bytes) -> bytes:
    """The bytes of `utf8` that are no plain ASCII text: C0 controls other than tab, LF and CR, and
    the bytes of every non-ASCII character (one `bytes.translate`: a tenth of a regex scan)."""
    return utf8.translate(None, _ASCII_TEXT)


def clean_utf8(unusual: bytes) -> bool:
    """True when the valid UTF-8 whose `unusual_bytes` are `unusual` holds no C0 control other than
    tab, LF and CR and no character of U+FFC0-U+FFFF (U+FFFD replacement marks, the U+FFFE/U+FFFF
    non-characters): neither the text check (`binary_ratio`) nor an HTML parser's repairs have
    anything to do on it. (A multi-byte sequence never holds an ASCII byte, so "EF BF" adjacent in
    the unusual bytes is adjacent in the page.)"""
    return not unusual.translate(None, _HIGH_BYTES) and b"\xef\xbf" not in unusual


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


@dataclass(slots=True, frozen=True)
class Decoded:
    """Text decoded from bytes, the codec that read it, and what was done beyond the plain reading."""

    text: str
    encoding: str
    notes: tuple[str, ...] = ()
    # The bytes themselves when `text` is exactly their UTF-8 reading (nothing repaired) and holds
    # no control characters (`clean_utf8`): a parser may read them instead of the text.
    utf8: bytes | None = None


def _single_byte_map(codec: str) -> dict[str, int]:
    """Character -> byte for the high half of a single-byte codec. For windows-1252 the C1 controls
    stand for the five bytes it leaves undefined, as ISO-8859-1 (and most mojibake producers) read them."""
    table: dict[str, int] = {}
    for byte in range(0x80, 0x100):
        try:
            table[bytes([byte]).decode(codec)] = byte
        except UnicodeDecodeError:
            table[chr(byte)] = byte
    if codec == "cp1252":
        for byte in range(0x80, 0xA0):
            table.setdefault(chr(byte), byte)
    return table


def _class(table: dict[str, int], low: int, high: int) -> str:
    return "[" + "".join(re.escape(ch) for ch, b in table.items() if low <= b <= high) + "]"


@dataclass(slots=True, frozen=True)
class _Mojibake:
    """UTF-8 bytes that were read as `codec`: runs of lead + continuation characters."""

    codec: str
    table: dict[str, int]
    run: re.Pattern[str]
    # What the repaired characters must be for a run to count: letters of the script the
    # mix-up garbles (Latin accents and punctuation, or Arabic), never controls or rare blocks.
    plausible: re.Pattern[str]
    # Characters a run needs to count as evidence that a page is garbled: in windows-1256 one
    # lead + continuation pair is often legitimate Arabic («ضغط،» reads like a garbled «ء»), so
    # two pairs are needed there; «Ã³» is never legitimate Latin text.
    evidence_chars: int
    # A lead character followed by a continuation character: every garbled run starts with one,
    # so a page with fewer than MIN_MOJIBAKE_RUNS of them is skipped after one scan.
    pair: re.Pattern[str]
    # First bytes of the UTF-8 encodings of the lead characters: valid UTF-8 with fewer than
    # MIN_MOJIBAKE_RUNS of them cannot hold this garbling, which `bytes.count` tells in microseconds.
    lead_bytes: tuple[bytes, ...]

    @classmethod
    def build(cls, codec: str, plausible: str, evidence_chars: int) -> _Mojibake:
        table = _single_byte_map(codec)
        cont = _class(table, 0x80, 0xBF)
        seq = (
            f"(?:{_class(table, 0xC2, 0xDF)}{cont}|{_class(table, 0xE0, 0xEF)}{cont}{{2}}"
            f"|{_class(table, 0xF0, 0xF4)}{cont}{{3}})"
        )
        pair = re.compile(_class(table, 0xC2, 0xF4) + cont)
        lead_bytes = sorted({ch.encode("utf-8")[:1] for ch, b in table.items() if 0xC2 <= b <= 0xF4})
        return cls(
            codec,
            table,
            re.compile(f"{seq}+"),
            re.compile(f"^[{plausible}]+$"),
            evidence_chars,
            pair,
            tuple(lead_bytes),
        )

    def may_garble(self, unusual: bytes) -> bool:
        """False when the text of the valid UTF-8 whose `unusual_bytes` are `unusual` has too few
        lead characters to hold MIN_MOJIBAKE_RUNS garbled runs (most pages, without a regex)."""
        return sum(unusual.count(b) for b in self.lead_bytes) >= MIN_MOJIBAKE_RUNS

    def undo(self, garbled: str) -> str | None:
        """The UTF-8 text `garbled` was read from, or None when it is no such reading."""
        try:
            repaired = bytes(self.table[ch] for ch in garbled).decode("utf-8")
        except (KeyError, UnicodeDecodeError):
            return None
        return repaired if self.plausible.match(repaired) else None


_LATIN_TEXT = "\u00a0-\u017f\u2010-\u203a\u20ac\u2122\ufeff"
_ARABIC_TEXT = "\u060c-\u06ff\u00a0\u00ab\u00bb\u2010-\u201e\u2026\u200c-\u200f\ufeff"
_MOJIBAKE = (
    _Mojibake.build("cp1256", _ARABIC_TEXT, evidence_chars=4),  # «ط§ظ„»: Arabic UTF-8 read as windows-1256
    _Mojibake.build("cp1252", _ARABIC_TEXT + _LATIN_TEXT, evidence_chars=2),  # «Ø§Ù„», «sanciÃ³n»
)
# A page counts as garbled from this many repairable runs on.
MIN_MOJIBAKE_RUNS = 3


def _garbled_runs(text: str, mix: _Mojibake) -> Iterator[tuple[int, int, str]]:
    """(start, end, repaired) of each run of `text` that undoes as `mix`. One regex scan of the whole
    text: a run's characters are all non-ASCII, so no run crosses ASCII text, and the scan costs
    nothing per word (a loop over the non-ASCII chunks cost 5 s on 19 MB of Arabic, a chunk a word)."""
    for m in mix.run.finditer(text):
        fixed = mix.undo(m.group())
        if fixed is not None:
            yield m.start(), m.end(), fixed


def _at_least(matches: Iterator[re.Match[str]], n: int) -> bool:
    return any(i + 1 >= n for i, _ in enumerate(matches))


def repair_mojibake(text: str, unusual: bytes | None = None) -> tuple[str, str | None]:
    """Undo UTF-8 text read as windows-1256 or windows-1252 (and saved that way).

    Returns the repaired text and a note saying what was repaired, or (text, None) when the
    text shows no such garbling. A page counts as garbled when at least MIN_MOJIBAKE_RUNS runs
    of garbled characters decode to plausible text; each run is then repaired in place, so a
    page that is garbled only in part keeps its good text. `unusual`, the `unusual_bytes` of the
    bytes `text` is the exact UTF-8 reading of, when the caller has them, clears most pages at once.
    """
    for mix in _MOJIBAKE:
        if unusual is not None and not mix.may_garble(unusual):
            continue
        if not _at_least(mix.pair.finditer(text), MIN_MOJIBAKE_RUNS):
            continue
        evidence = 0
        for start, end, _ in _garbled_runs(text, mix):
            evidence += end - start >= mix.evidence_chars
            if evidence >= MIN_MOJIBAKE_RUNS:
                break
        if evidence < MIN_MOJIBAKE_RUNS:
            continue
        parts: list[str] = []
        last = repaired = 0
        for start, end, fixed in _garbled_runs(text, mix):
            parts += [text[last:start], fixed]
            last = end
            repaired += 1
        parts.append(text[last:])
        label = "windows-1256" if mix.codec == "cp1256" else "windows-1252"
        note = f"charset: repaired {repaired} runs of UTF-8 text that had been read as {label} (mojibake)"
        return "".join(parts), note
    return text, None


def _stray_bytes_as_cp1252(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error("marsad-stray-cp1252", _stray_bytes_as_cp1252)
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
# A page with at least this many valid multi-byte UTF-8 sequences, and no more than this share
# of its high bytes outside them, is UTF-8 with a few stray legacy bytes.
MIN_UTF8_SEQUENCES = 20
MAX_STRAY_SHARE = 0.02


def _mostly_utf8(content: bytes) -> bool:
    sequences = _UTF8_MULTIBYTE.findall(content)
    if len(sequences) < MIN_UTF8_SEQUENCES:
        return False
    in_sequences = sum(len(s) for s in sequences)
    stray = len(_HIGH_BYTE.findall(content)) - in_sequences
    return stray <= MAX_STRAY_SHARE * in_sequences


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


def _declared_name(charset: str | None) -> str:
    return {"cp1256": "windows-1256", "cp1252": "windows-1252", "iso8859_6": "ISO-8859-6"}.get(
        charset or "", charset or ""
    )


def decode_document(
    content: bytes, source: str, *, declared: str | None = None, max_binary_ratio: float = 0.02
) -> Decoded:
    """Decode `content` to text, saying how.

    Order: BOM, strict UTF-8, mostly-UTF-8 (stray legacy bytes read as windows-1252), the
    declared charset (`declared`, e.g. from the HTTP header, else the page's own <meta charset>
    or XML declaration), then charset detection; garbled text is then repaired (`repair_mojibake`).
    Raises InputError E101 for empty input and E102 when the bytes are not text.
    """
    if not content.strip():
        raise InputError(f"{source}: empty document", code=errors.EMPTY)
    if b"\x00" in content[:8192] and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{source}: not a text document (NUL bytes found)", code=errors.NOT_TEXT)
    notes: list[str] = []
    text: str | None = None
    encoding = "utf-8"
    if content.startswith(b"\xef\xbb\xbf"):
        text = content[3:].decode("utf-8", errors="replace")
    elif content.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = content.decode("utf-16", errors="replace"), "utf-16"
    plain_utf8 = False
    if text is None:
        stated = canonical_charset(declared) or sniff_declared_charset(content)
        try:
            text = content.decode("utf-8")
            plain_utf8 = True
            if stated not in (None, "utf-8") and not content.isascii():
                notes.append(
                    f"charset: the page declares {_declared_name(stated)} but its bytes are valid UTF-8: "
                    "read as UTF-8"
                )
        except UnicodeDecodeError:
            if _mostly_utf8(content):
                text = content.decode("utf-8", errors="marsad-stray-cp1252")
                notes.append("charset: UTF-8 with a few stray non-UTF-8 bytes (read as windows-1252)")
            elif stated is not None and (text := _decode_declared(content, stated)) is not None:
                encoding = stated
            else:
                text = _detect(content, source)
                encoding = "detected"
                notes.append(f"charset: not UTF-8, {_declared_name(stated) or 'none'} declared: detected")
    unusual = unusual_bytes(content) if plain_utf8 else None
    clean = unusual is not None and clean_utf8(unusual)
    ratio = 0.0 if clean else binary_ratio(text)
    if ratio > max_binary_ratio:
        raise InputError(
            f"{source}: not a text document ({ratio:.0%} control characters)", code=errors.NOT_TEXT
        )
    text, repaired = repair_mojibake(text, unusual)
    if repaired:
        notes.append(repaired)
    utf8 = content if clean and not repaired else None
    return Decoded(text=text, encoding=encoding, notes=tuple(notes), utf8=utf8)


def decode_text(
    content: bytes, source: str, *, declared: str | None = None, max_binary_ratio: float = 0.02
) -> str:
    """Decode `content` to str (see `decode_document`, which also says how)."""
    return decode_document(content, source, declared=declared, max_binary_ratio=max_binary_ratio).text
