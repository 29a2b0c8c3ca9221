"""WARC files with one record whose Content-Length is inflated past its own bytes, in the forms a
reader meets (shared by tests/ingest/test_ingest_warc_inflated.py and bench/robustness.py).

Each variant is a list of records; the record at `bad` gets a Content-Length larger than its block,
so that a reader trusting it takes (part of) the records after it as its own bytes.
"""

from __future__ import annotations

import gzip
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PAGE = "<html><body><article><p>Article {i}: {text}</p></article></body></html>"
TEXT = "The council met on Monday and agreed a new budget for the city's schools. " * 6


def record(
    i: int,
    *,
    version: str = "1.0",
    http_length: bool = True,
    chunked: bool = False,
    rec_type: str = "response",
) -> bytes:
    """One uncompressed WARC record for http://e.org/<i>."""
    body = PAGE.format(i=i, text=TEXT).encode()
    fields = [("Content-Type", "text/html; charset=utf-8")]
    if chunked:
        fields.append(("Transfer-Encoding", "chunked"))
        half = len(body) // 2
        body = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in (body[:half], body[half:])) + b"0\r\n\r\n"
    elif http_length:
        fields.append(("Content-Length", str(len(body))))
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False, warc_version=version)
    if rec_type == "request":
        headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "e.org")], is_http_request=True)
        made = writer.create_warc_record(
            f"http://e.org/{i}", "request", payload=io.BytesIO(b""), http_headers=headers
        )
    else:
        headers = StatusAndHeaders("200 OK", fields, protocol="HTTP/1.1")
        made = writer.create_warc_record(
            f"http://e.org/{i}", "response", payload=io.BytesIO(body), http_headers=headers
        )
    writer.write_record(made)
    return buf.getvalue()


def inflate(data: bytes, by: int) -> bytes:
    """`data` (one record) with its WARC Content-Length raised by `by` bytes."""
    found = re.search(rb"\r\nContent-Length: (\d+)\r\n", data)
    assert found is not None
    return data[: found.start(1)] + str(int(found.group(1)) + by).encode() + data[found.end(1) :]


@dataclass(frozen=True, slots=True)
class Variant:
    """A WARC file's bytes, the URLs of its good response records and the URL of the inflated one."""

    name: str
    suffix: str
    data: bytes
    good: tuple[str, ...]
    bad: str


def _plain(
    name: str, by: Callable[[list[bytes]], int], *, bad: int = 1, n: int = 4, gz: str = "", **kw: object
) -> Variant:
    records = [record(i, **kw) for i in range(n)]  # type: ignore[arg-type]
    records[bad] = inflate(records[bad], by(records))
    data = b"".join(records)
    if gz == "stream":
        data = gzip.compress(data)
    elif gz == "members":
        data = b"".join(gzip.compress(r) for r in records)
    urls = [f"http://e.org/{i}" for i in range(n)]
    return Variant(
        name, ".warc.gz" if gz else ".warc", data, tuple(u for j, u in enumerate(urls) if j != bad), urls[bad]
    )


def variants() -> list[Variant]:
    """The eight inflated-Content-Length WARCs."""
    return [
        _plain("swallows one whole record", lambda rs: len(rs[2])),
        _plain("ends inside the next record", lambda rs: 500),
        _plain("ends inside the next header line", lambda rs: 10),
        _plain("runs past the end of the file", lambda rs: 10**6),
        _plain("no HTTP Content-Length", lambda rs: 500, http_length=False),
        _plain("chunked HTTP payload", lambda rs: 500, chunked=True),
        _plain("WARC/1.1 records", lambda rs: len(rs[2]) + len(rs[3]) // 2, version="1.1"),
        _plain("one gzip stream", lambda rs: 500, gz="stream"),
    ]


def gzip_members_variant() -> Variant:
    """Per-record gzip members: the inflated record's member ends before its Content-Length."""
    return _plain("one gzip member per record", lambda rs: 500, gz="members")
