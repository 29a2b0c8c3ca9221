"""WARC / WARC.gz crawls (Common Crawl style): response records streamed one at a time.

warcio reads the file record by record; each HTTP body is read up to `max_bytes` and the rest of
the record is skipped by streaming, so memory stays flat however large the crawl. A record that
cannot be parsed becomes a `Rejected` naming the file and byte offset, and reading resumes at the
next record boundary (the next gzip member holding a WARC header, or the next "WARC/1." line).
A record whose Content-Length runs past its own bytes into the records after it (see
`marsad.ingest.warc_block`) is rejected with its offset (E111) and reading resumes at the first
record it swallowed; one cut short by the end of the file is rejected the same way. A .warc.gz
compressed as one gzip stream (not one member per record) is read through that stream, and its
offsets are then positions in the decompressed stream.
Records other than responses (requests, metadata, warcinfo, revisits) are not documents and are
passed over; responses that are not pages (non-2xx status, images, PDFs) are rejected with the
reason.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from marsad import errors
from marsad.extract.dates import parse_date
from marsad.ingest.decode import charset_from_content_type
from marsad.ingest.files import content_id
from marsad.ingest.warc_block import Block, read_block
from marsad.records import RawDocument, Rejected

_TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")
_SCAN_CHUNK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_LINE = b"WARC/1."
# A WARC file, or the decompressed stream of a .warc.gz compressed as one gzip stream.
_Stream = BinaryIO | gzip.GzipFile


def _reject(code: str, record: str, detail: str) -> Rejected:
    return Rejected(stage="ingest", code=code, record_id=record, detail=f"{record}: {detail}")


def _is_gzip(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(3) == _GZIP_MAGIC


def _member_is_warc(fh: _Stream, offset: int) -> bool:
    """Whether the gzip member starting at `offset` decompresses to a WARC header."""
    fh.seek(offset)
    head = fh.read(4096)
    try:
        return zlib.decompressobj(wbits=31).decompress(head, 16).startswith(_WARC_LINE)
    except zlib.error:
        return False


def _next_boundary(fh: _Stream, start: int, gz: bool) -> int | None:
    """Offset of the first record that starts after `start`, scanning in bounded chunks."""
    pos = start
    marker = _GZIP_MAGIC if gz else b"\n" + _WARC_LINE
    carry = b""
    while True:
        fh.seek(pos)
        chunk = fh.read(_SCAN_CHUNK)
        if not chunk:
            return None
        data = carry + chunk
        base = pos - len(carry)
        i = data.find(marker)
        while i >= 0:
            found = base + i + (0 if gz else 1)
            if found > start and (not gz or _member_is_warc(fh, found)):
                return found
            i = data.find(marker, i + 1)
        carry = data[-(len(marker) - 1) :]
        pos += len(chunk)


def _http_fields(record: Any) -> dict[str, Any]:
    headers = record.http_headers
    content_type = headers.get_header("Content-Type") or ""
    fields: dict[str, Any] = {
        "status": int(headers.get_statuscode() or 0),
        "content_type": content_type.split(";")[0].strip().lower() or None,
        "charset": charset_from_content_type(content_type),
        "date": headers.get_header("Date"),
        "last_modified": headers.get_header("Last-Modified"),
        "warc_record_id": record.rec_headers.get_header("WARC-Record-ID"),
    }
    return {k: v for k, v in fields.items() if v is not None}


def _document(record: Any, block: Block, where: str, max_bytes: int) -> RawDocument | Rejected:
    url = record.rec_headers.get_header("WARC-Target-URI")
    if record.http_headers is None:
        return _reject(errors.BAD_RECORD, where, f"response record for {url} has no HTTP headers")
    http = _http_fields(record)
    status = http.get("status", 0)
    if not 200 <= status < 300:
        return _reject(errors.NO_ARTICLE, where, f"{url}: HTTP status {status}, not a page")
    ctype = http.get("content_type")
    if ctype is not None and not ctype.startswith(_TEXT_TYPES):
        return _reject(errors.NOT_TEXT, where, f"{url}: content type {ctype}, not a page")
    # Bytes still owed once the file has ended mean the record was cut short (or its Content-Length
    # was inflated past the end of the file). Stored, it would pass for a whole page.
    if block.owed > 0:
        return _reject(
            errors.TRUNCATED,
            where,
            f"{url}: record truncated, {block.owed:,} bytes short of its Content-Length",
        )
    if block.size > max_bytes:
        return _reject(errors.TOO_LARGE, where, f"{url}: body over the {max_bytes:,} byte limit")
    # The block was read whole (it is under the limit): warcio decodes it (chunked, gzip) from there.
    record.raw_stream = io.BytesIO(block.head)
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return _reject(errors.TOO_LARGE, where, f"{url}: body over the {max_bytes:,} byte limit")
    if not body.strip():
        return _reject(errors.EMPTY, where, f"{url}: empty body")
    warc_date = record.rec_headers.get_header("WARC-Date")
    return RawDocument(
        id=content_id(body),
        source=where,
        content=body,
        hint="html" if ctype is None or "html" in ctype or "xml" in ctype else "text",
        url=url,
        fetched_at=parse_date(warc_date) if warc_date else None,
        fields={"http": http},
    )


def _swallowing(record: Any, block: Block, where: str) -> Rejected:
    what = record.rec_headers.get_header("WARC-Target-URI") or f"{record.rec_type} record"
    assert block.swallowed_at is not None
    return _reject(
        errors.TRUNCATED,
        where,
        f"{what}: its Content-Length ({record.length:,} bytes) runs into the next record (a WARC"
        f" record header at byte {block.swallowed_at:,} of its block); rejected, reading resumes at"
        " that record",
    )


# What warcio raises for a corrupt record: its own ArchiveLoadFailed, I/O and decoding errors, and
# AttributeError/TypeError on some malformed headers (a response without a WARC-Target-URI).
_CORRUPT = (OSError, ValueError, EOFError, zlib.error, AttributeError, TypeError)


def read_warc(path: Path, *, max_bytes: int) -> Iterator[RawDocument | Rejected]:
    """Every response record of the WARC file at `path`, as a RawDocument (hint "html") or, for
    one that cannot be read, a Rejected naming `path@offset` and the reason. Never raises for bad
    records; an unreadable file yields one Rejected.
    """
    try:
        gz = _is_gzip(path)
        fh = path.open("rb")
    except OSError as exc:
        yield _reject(errors.UNREADABLE, str(path), f"cannot read: {exc}")
        return
    with fh:
        single_stream = yield from _records(path, fh, gz=gz, max_bytes=max_bytes)
    if single_stream:
        # One gzip stream holding every record: read the decompressed stream, past the first
        # record (already read).
        with gzip.open(path, "rb") as stream:
            yield from _records(path, stream, gz=False, max_bytes=max_bytes, first=1)


def _records(
    path: Path, fh: _Stream, *, gz: bool, max_bytes: int, first: int = 0
) -> Generator[RawDocument | Rejected, None, bool]:
    """The records of `fh` from offset `first` on. Returns True when `fh` turns out to be a .warc.gz
    compressed as one gzip stream (warcio reads only its first record)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    start: int | None = 0
    while start is not None:
        fh.seek(start)
        iterator = ArchiveIterator(fh, check_digests=False)
        resync: int | None = None
        try:
            for record in iterator:
                # While a record is open, the iterator's offset is where that record starts.
                offset = iterator.offset
                if offset < first:
                    continue
                where = f"{path}@{offset}"
                try:
                    block = read_block(record.raw_stream, record.http_headers, max_bytes)
                    if block.swallowed_at is not None:
                        yield _swallowing(record, block, where)
                        if gz:
                            continue  # inside one gzip member: the next member is the next record
                        end = fh.tell() - iterator.reader.rem_length()
                        resync = _next_boundary(fh, end - (block.size - block.swallowed_at) - 2, gz)
                        break
                    if record.rec_type == "response":
                        yield _document(record, block, where, max_bytes)
                except (OSError, ValueError, EOFError, zlib.error) as exc:
                    yield _reject(errors.BAD_RECORD, where, f"unreadable record body: {exc}")
            else:
                return False
        except (ArchiveLoadFailed, *_CORRUPT) as exc:
            reason = "".join(c if c.isprintable() else "?" for c in str(exc) or type(exc).__name__)
            if gz and "non-chunked gzip" in reason:
                return True
            bad = iterator.offset
            yield _reject(errors.BAD_RECORD, f"{path}@{bad}", f"corrupt WARC record: {reason[:200]}")
            try:
                resync = _next_boundary(fh, bad, gz)
            except (OSError, EOFError, zlib.error) as exc:
                yield _reject(errors.TRUNCATED, str(path), f"unreadable past byte {bad:,}: {exc}")
                return False
        start = resync
    return False
