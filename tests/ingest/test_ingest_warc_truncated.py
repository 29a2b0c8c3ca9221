"""A WARC record cut short is rejected with its offset (E111), never stored as a whole page."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from marsad import errors
from marsad.ingest.warc import read_warc
from marsad.records import RawDocument, Rejected


def test_truncated_last_record_rejected_with_offset(tmp_path: Path) -> None:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    for i in range(3):
        body = f"<html><body><p>Article {i} {'text ' * 200}</p></body></html>".encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
        writer.write_record(
            writer.create_warc_record(
                f"http://e.org/{i}", "response", payload=io.BytesIO(body), http_headers=headers
            )
        )
    path = tmp_path / "cut.warc"
    path.write_bytes(buf.getvalue()[:-300])
    items = list(read_warc(path, max_bytes=1_000_000))
    assert [type(i).__name__ for i in items] == ["RawDocument", "RawDocument", "Rejected"]
    last = items[-1]
    assert isinstance(last, Rejected) and last.code == errors.TRUNCATED and "@" in last.record_id
    assert all(isinstance(i, RawDocument) for i in items[:2])
