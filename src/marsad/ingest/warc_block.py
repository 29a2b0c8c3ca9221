"""A WARC record's block read in bounded memory, and whether it swallowed the records after it.

A record whose Content-Length is larger than its block (a bad writer, a hand-edited file, a length
off by a few digits) makes a reader take the following record, or several, or the rest of the
file, as its own bytes: the page gets the next record's header glued to it and the swallowed
records vanish. Two signs give it away, both checked while the block streams by:

- the block holds a WARC record header (a "WARC/1.0" or "WARC/1.1" line at a line start, followed
  by WARC-Type or WARC-Record-ID fields) after the end of the HTTP payload;
- the HTTP payload's own framing (its Content-Length, or its chunked encoding) ends before the
  block does and what follows is the start of a record header, even one cut off after a few bytes.

Where the payload's end is unknown (no HTTP Content-Length, not chunked, or a record without HTTP
headers), a full record header at a line start anywhere in the block, or the cut-off start of one
after the block's last blank line, gives it away. The block's first `keep` bytes are kept for the
page; the rest is only scanned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, BinaryIO

_VERSION = re.compile(rb"WARC/1\.[01]\r?\n")
_VERSION_LINES = (b"WARC/1.0\r\n", b"WARC/1.1\r\n", b"WARC/1.0\n", b"WARC/1.1\n")
_MARK = b"WARC/1."
_HEADER_PROBE = 4096  # a record header's fields are looked for in this many bytes after its version line
_TAIL = 64  # the cut-off start of a header is looked for in this many bytes at the block's end
_CHUNK = 1 << 16
_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,16}")


@dataclass(slots=True)
class Block:
    """What was read of one record's block (after its HTTP headers, when it has some)."""

    head: bytes  # the first `keep` bytes (+1, to tell a block over the limit)
    size: int  # every byte the block had
    owed: int  # bytes of its Content-Length the file ended without (0: complete)
    payload_end: int | None  # where the HTTP payload ends by its own framing (None: unknown)
    swallowed_at: int | None  # where the bytes of a following record begin (None: none swallowed)


def is_header_start(data: bytes) -> bool:
    """Whether `data` starts as a WARC record header would: a version line, or a prefix of one."""
    if _VERSION.match(data):
        return True
    return bool(data) and any(line.startswith(data) for line in _VERSION_LINES)


def is_record_header(data: bytes, pos: int) -> bool:
    """Whether a whole WARC record header starts at `data[pos]`: a "WARC/1.0" or "WARC/1.1" line
    followed by named fields, WARC-Type or WARC-Record-ID among them."""
    version = _VERSION.match(data, pos)
    if version is None:
        return False
    head = data[version.end() : version.end() + _HEADER_PROBE]
    end = min((i for i in (head.find(b"\r\n\r\n"), head.find(b"\n\n")) if i >= 0), default=len(head))
    names = {line.split(b":", 1)[0].strip().lower() for line in head[:end].splitlines() if b":" in line}
    return b"warc-type" in names or b"warc-record-id" in names


def header_at_line_start(data: bytes, start: int, *, line_start_at: int = -1) -> int | None:
    """Index of the first whole WARC record header at a line start in `data[start:]` (an index
    equal to `line_start_at` counts as a line start), or None."""
    i = data.find(_MARK, start)
    while i >= 0:
        at_line_start = i == line_start_at or (i > 0 and data[i - 1 : i] == b"\n")
        if at_line_start and is_record_header(data, i):
            return i
        i = data.find(_MARK, i + 1)
    return None


def payload_end(http_headers: Any, head: bytes) -> int | None:
    """Where the HTTP payload in `head` ends by its own framing, or None when it does not say (no
    Content-Length, not chunked, framing unreadable, or the payload runs past `head`)."""
    if http_headers is None:
        return None
    if (http_headers.get_header("Transfer-Encoding") or "").strip().lower() == "chunked":
        return _chunked_end(head)
    length = (http_headers.get_header("Content-Length") or "").strip()
    if not length.isdigit() or len(length) > 15:
        return None
    end = int(length)
    return end if end <= len(head) else None


def _chunked_end(data: bytes) -> int | None:
    """The end of a chunked payload (after its last-chunk, trailers and blank line), or None."""
    pos = 0
    while True:
        eol = data.find(b"\n", pos, pos + 1024)
        if eol < 0:
            return None
        size = _CHUNK_SIZE.match(data[pos:eol].split(b";", 1)[0].strip())
        if size is None or size.end() != len(data[pos:eol].split(b";", 1)[0].strip()):
            return None
        n = int(size.group(), 16)
        pos = eol + 1
        if n == 0:
            break
        pos += n
        if data[pos : pos + 2] == b"\r\n":
            pos += 2
        elif data[pos : pos + 1] == b"\n":
            pos += 1
        else:
            return None
    # Trailer fields, then a blank line.
    while True:
        eol = data.find(b"\n", pos, pos + 8192)
        if eol < 0:
            return pos if pos <= len(data) else None
        line = data[pos:eol].strip(b"\r")
        pos = eol + 1
        if not line:
            return pos


def read_block(stream: BinaryIO, http_headers: Any, keep: int) -> Block:
    """Read `stream` (a record's block, limited to its Content-Length) to its end, keeping its first
    `keep` + 1 bytes, and find where a following record begins inside it, if one does."""
    head = bytearray()
    size = 0
    carry = b""
    found: int | None = None
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        if len(head) <= keep:
            head += chunk[: keep + 1 - len(head)]
        if found is None:
            window = carry + chunk
            base = size - len(carry)
            # Headers are looked for once the payload has ended by its framing when that is known
            # (known only once `head` holds it; until then, from the start).
            i = header_at_line_start(window, 0, line_start_at=0 if base == 0 else -1)
            if i is not None:
                found = base + i
            carry = window[-_HEADER_PROBE:]
        size += len(chunk)
    owed = getattr(stream, "limit", 0)
    data = bytes(head)
    end = payload_end(http_headers, data)
    swallowed = _swallowed(data, size, carry[-_TAIL:], end, found)
    return Block(data, size, owed if isinstance(owed, int) else 0, end, swallowed)


def _swallowed(head: bytes, size: int, tail: bytes, end: int | None, found: int | None) -> int | None:
    """Where a following record's bytes begin in the block (see the module doc), or None."""
    if end is not None:
        extra = head[end:].lstrip(b"\r\n")
        if extra and is_header_start(extra):
            return end
        if found is not None and found < end:
            # A header quoted inside the payload (a page about WARC) is the page's own text.
            found = header_at_line_start(head, end, line_start_at=end)
        return found
    if found is not None:
        return found
    # The cut-off start of a header after the block's last blank line.
    blank = max(tail.rfind(b"\n\n"), tail.rfind(b"\n\r\n"))
    if blank < 0:
        return None
    rest = tail[blank:].lstrip(b"\r\n")
    if rest and is_header_start(rest):
        return size - len(rest)
    return None
