"""A WARC record whose Content-Length is inflated (it swallows the records after it) is rejected with
its offset (E111), and every record after it is still read."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from inflated_warcs import PAGE, TEXT, Variant, gzip_members_variant, inflate, record, variants
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from marsad import errors
from marsad.ingest.warc import read_warc
from marsad.records import RawDocument, Rejected


def _read(tmp_path: Path, variant: Variant) -> tuple[list[RawDocument], list[Rejected]]:
    path = tmp_path / f"inflated{variant.suffix}"
    path.write_bytes(variant.data)
    items = list(read_warc(path, max_bytes=1_000_000))
    return [i for i in items if isinstance(i, RawDocument)], [i for i in items if isinstance(i, Rejected)]


@pytest.mark.parametrize("variant", [*variants(), gzip_members_variant()], ids=lambda v: v.name)
def test_read_warc_rejects_inflated_record_and_reads_the_rest(tmp_path: Path, variant: Variant) -> None:
    docs, rejected = _read(tmp_path, variant)
    assert [d.url for d in docs] == list(variant.good)
    for doc in docs:
        # Every page is its own, whole: no other record's header glued to it.
        assert b"WARC/1." not in doc.content and doc.content.rstrip().endswith(b"</html>")
    assert len(rejected) == 1
    assert rejected[0].code == errors.TRUNCATED and variant.bad in rejected[0].detail
    assert rejected[0].record_id.startswith(f"{tmp_path}/inflated{variant.suffix}@")


def test_read_warc_inflated_offset_is_the_records(tmp_path: Path) -> None:
    variant = variants()[0]
    _, rejected = _read(tmp_path, variant)
    offset = int(rejected[0].record_id.rsplit("@", 1)[1])
    assert variant.data[offset:].startswith(b"WARC/1.0\r\n")
    assert b"http://e.org/1" in variant.data[offset : offset + 400]


def test_read_warc_inflated_request_record_does_not_hide_its_response(tmp_path: Path) -> None:
    request = record(1, rec_type="request")
    data = record(0) + inflate(request, 300) + record(1) + record(2)
    path = tmp_path / "req.warc"
    path.write_bytes(data)
    items = list(read_warc(path, max_bytes=1_000_000))
    assert [i.url for i in items if isinstance(i, RawDocument)] == [f"http://e.org/{i}" for i in range(3)]
    assert [i.code for i in items if isinstance(i, Rejected)] == [errors.TRUNCATED]


@pytest.mark.parametrize("framed", [True, False])
def test_read_warc_page_quoting_a_warc_header_is_kept_whole(tmp_path: Path, framed: bool) -> None:
    quoted = "<pre>\nWARC/1.0\r\nWARC-Type: response\r\nContent-Length: 12\r\n\r\n</pre>"
    body = PAGE.format(i=0, text=TEXT + quoted).encode()
    fields = [("Content-Type", "text/html")] + ([("Content-Length", str(len(body)))] if framed else [])
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    headers = StatusAndHeaders("200 OK", fields, protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            "http://e.org/q", "response", payload=io.BytesIO(body), http_headers=headers
        )
    )
    path = tmp_path / "quote.warc"
    path.write_bytes(buf.getvalue() + record(1))
    items = list(read_warc(path, max_bytes=1_000_000))
    if framed:
        # The payload's framing says the header is page text.
        assert [type(i).__name__ for i in items] == ["RawDocument", "RawDocument"]
        assert isinstance(items[0], RawDocument) and items[0].content == body
    else:
        # Unframed, a whole record header at a line start cannot be told from a swallowed record:
        # rejected with the reason (never stored with another record glued on), the next read.
        assert isinstance(items[-1], RawDocument) and items[-1].url == "http://e.org/1"
