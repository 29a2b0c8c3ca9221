"""Inputs cut into shards: JSONL byte ranges, Parquet row groups, fsspec URLs."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from marsad.records import RawDocument, Rejected
from marsad.scale.shards import list_shards, read_shard


def _jsonl(path: Path, n: int) -> list[str]:
    texts = [f"خبر رقم {i} عن ميناء مرسى نور " + "كلمة " * (i % 7) for i in range(n)]
    path.write_text(
        "".join(
            json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts)
        ),
        "utf-8",
    )
    return texts


def test_shards_jsonl_byte_ranges_read_every_line_once(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    _jsonl(path, 200)
    shards = list_shards([str(path)], shard_bytes=997)  # cuts fall inside lines
    assert len(shards) > 5
    ids = []
    for shard in shards:
        for item in read_shard(shard, max_bytes=1 << 20):
            assert isinstance(item, RawDocument)
            ids.append(item.fields["id"])
    assert ids == [str(i) for i in range(200)]


def test_shards_long_line_rejected_with_offset(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(
        json.dumps({"id": "a", "text": "قصير"})
        + "\n"
        + json.dumps({"id": "b", "text": "طويل " * 500})
        + "\n"
        + json.dumps({"id": "c", "text": "بعده"})
        + "\n",
        "utf-8",
    )
    items = [i for s in list_shards([str(path)]) for i in read_shard(s, max_bytes=200)]
    assert [i.fields["id"] for i in items if isinstance(i, RawDocument)] == ["a", "c"]
    (bad,) = [i for i in items if isinstance(i, Rejected)]
    assert bad.code == "E103" and bad.record_id.startswith(f"{path}@")


def test_shards_parquet_row_groups(tmp_path: Path) -> None:
    path = tmp_path / "news.parquet"
    table = pa.table({"id": [str(i) for i in range(30)], "text": [f"نص الخبر {i}" for i in range(30)]})
    pq.write_table(table, path, row_group_size=10)
    shards = list_shards([str(path)], shard_bytes=1)
    assert [(s.start, s.end) for s in shards] == [(0, 1), (1, 2), (2, 3)]
    ids = [
        i.fields["id"] for s in shards for i in read_shard(s, max_bytes=1 << 20) if isinstance(i, RawDocument)
    ]
    assert ids == [str(i) for i in range(30)]


def test_shards_fsspec_url(tmp_path: Path) -> None:
    import fsspec

    fs = fsspec.filesystem("memory")
    fs.pipe(
        "/corpus/a.jsonl",
        (json.dumps({"id": "m1", "text": "خبر في الذاكرة"}, ensure_ascii=False) + "\n").encode(),
    )
    shards = list_shards(["memory://corpus"])
    assert [s.url for s in shards] == ["memory:///corpus/a.jsonl"]
    (item,) = list(read_shard(shards[0], max_bytes=1 << 20))
    assert isinstance(item, RawDocument) and item.fields["id"] == "m1"
    assert item.source.startswith("memory:///corpus/a.jsonl@")


def test_shards_warc_batch_dates_by_fetch_time(tmp_path: Path) -> None:
    from io import BytesIO

    from scale_corpus import FLOOD, STRIKE_A
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from marsad.config import load_config
    from marsad.scale import BatchOptions, run_batch
    from marsad.scale.results import load_output

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for n, (title, body) in enumerate([("إضراب في مرسى نور", STRIKE_A), ("سيول في كفر سالم", FLOOD)]):
            html = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            html += "".join(f"<p>{p}</p>" for p in body.split(". ")) + "</article></body></html>"
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                f"https://news.example/{n}",
                "response",
                payload=BytesIO(html.encode("utf-8")),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": "2026-03-11T08:00:00Z"},
            )
            writer.write_record(record)
    manifest = run_batch(
        [str(path)],
        tmp_path / "out",
        config=load_config(),
        options=BatchOptions(partitions=2, clusterer="lexical"),
    )
    assert manifest["counts"]["articles"] == 2, manifest["counts"]
    stories = load_output(tmp_path / "out", "stories")
    assert stories.num_rows == 2
    assert all(
        name.startswith("stories/part-w") for name in manifest["outputs"] if name.startswith("stories/")
    )
