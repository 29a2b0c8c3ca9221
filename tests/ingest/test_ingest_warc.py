"""WARC / WARC.gz reading: response records, HTTP facts, corrupt records, constant memory."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from marsad import errors
from marsad.extract import extract
from marsad.ingest import open_sources
from marsad.ingest.warc import read_warc
from marsad.records import RawDocument, Rejected

FIXTURES = Path(__file__).parent / "fixtures"
ARABIC_PAGE = (FIXTURES / "article_ar.html").read_text("utf-8")


def _response(writer: WARCWriter, url: str, body: bytes, ctype: str, status: str = "200 OK") -> None:
    headers = StatusAndHeaders(
        status, [("Content-Type", ctype), ("Date", "Tue, 24 May 2016 09:00:00 GMT")], protocol="HTTP/1.1"
    )
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
    writer.write_record(record)


def _write_warc(path: Path, n: int, *, gz: bool, corrupt_at: int | None = None) -> None:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "marsad tests"}))
        for i in range(n):
            if i == corrupt_at:
                fh.write(
                    b"\x1f\x8b\x08\x00not a gzip member at all"
                    if gz
                    else b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: nope\r\n\r\njunk\r\n\r\n"
                )
            page = ARABIC_PAGE.replace("قمة سنابل", f"قمة سنابل {i}").replace('<meta charset="utf-8">', "")
            _response(
                writer, f"http://example.org/{i}", page.encode("cp1256"), "text/html; charset=windows-1256"
            )


@pytest.mark.parametrize("gz", [False, True])
def test_read_warc_yields_response_records_with_http_facts(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    _write_warc(path, 3, gz=gz)
    docs = list(read_warc(path, max_bytes=1_000_000))
    assert all(isinstance(d, RawDocument) for d in docs) and len(docs) == 3
    first = docs[0]
    assert isinstance(first, RawDocument)
    assert first.url == "http://example.org/0" and first.hint == "html"
    assert first.fields["http"]["charset"] == "cp1256"
    assert first.fields["http"]["content_type"] == "text/html"
    assert first.fetched_at is not None
    assert first.source.startswith(f"{path}@")
    article = extract(first)
    assert "قمة سنابل 0" in article.body  # windows-1256 body, charset only in the HTTP header


@pytest.mark.parametrize("gz", [False, True])
def test_read_warc_rejects_corrupt_record_and_goes_on(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("bad.warc.gz" if gz else "bad.warc")
    _write_warc(path, 5, gz=gz, corrupt_at=2)
    items = list(read_warc(path, max_bytes=1_000_000))
    docs = [i for i in items if isinstance(i, RawDocument)]
    rejected = [i for i in items if isinstance(i, Rejected)]
    assert [d.url for d in docs] == [f"http://example.org/{i}" for i in range(5)]
    assert len(rejected) == 1 and rejected[0].record_id.startswith(f"{path}@")
    assert rejected[0].code in (errors.BAD_RECORD,)


def test_read_warc_rejects_non_pages_and_oversize_bodies(tmp_path: Path) -> None:
    path = tmp_path / "mixed.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        _response(writer, "http://example.org/logo.png", b"\x89PNG....", "image/png")
        _response(writer, "http://example.org/moved", b"", "text/html", status="301 Moved Permanently")
        _response(writer, "http://example.org/big", b"<p>" + b"x" * 5000 + b"</p>", "text/html")
        _response(writer, "http://example.org/ok", ARABIC_PAGE.encode("utf-8"), "text/html; charset=utf-8")
    items = list(read_warc(path, max_bytes=4000))
    codes = [i.code if isinstance(i, Rejected) else "doc" for i in items]
    assert codes == [errors.NOT_TEXT, errors.NO_ARTICLE, errors.TOO_LARGE, "doc"]
    assert "image/png" in items[0].detail  # type: ignore[union-attr]


def test_open_sources_routes_warc_files(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    _write_warc(path, 2, gz=True)
    items = list(open_sources([str(path)], max_bytes=1_000_000))
    assert [i.url for i in items if isinstance(i, RawDocument)] == [
        "http://example.org/0",
        "http://example.org/1",
    ]


@pytest.mark.slow
def test_read_warc_streams_10000_records_in_constant_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i in range(10_000):
            if i == 5000:
                fh.write(b"\x1f\x8b\x08\x00corrupt")
            body = f"<html><body><p>خبر رقم {i} {'نص ' * 200}</p></body></html>".encode()
            _response(writer, f"http://example.org/{i}", body, "text/html; charset=utf-8")
    tracemalloc.start()
    docs = rejected = 0
    peak_after_warmup = 0
    for n, item in enumerate(read_warc(path, max_bytes=1_000_000)):
        if isinstance(item, RawDocument):
            docs += 1
        else:
            rejected += 1
        if n == 500:
            tracemalloc.reset_peak()
        if n > 500:
            peak_after_warmup = max(peak_after_warmup, tracemalloc.get_traced_memory()[1])
    tracemalloc.stop()
    assert docs == 10_000 and rejected == 1
    assert peak_after_warmup < 2_000_000  # bytes; the 10,000 bodies alone are over 10 MB
