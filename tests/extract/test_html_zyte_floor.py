"""Extraction quality floor on the Zyte article-extraction dev set (bench/extraction.py measures it)."""

from __future__ import annotations

import gzip
import json
import re
import statistics
from collections import Counter
from pathlib import Path

import pytest

from marsad.errors import InputError
from marsad.extract import extract
from marsad.ingest import content_id
from marsad.records import RawDocument

_TOKEN = re.compile(r"\w+")
# Measured 0.970 (trafilatura alone: 0.960) with the Zyte benchmark's shingle metric.
F1_FLOOR = 0.965


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    t = _TOKEN.findall(text)
    return Counter(tuple(t[i : i + 4]) for i in range(max(1, len(t) - 3)) if t[i : i + 4])


@pytest.mark.slow
def test_extract_html_zyte_body_f1_floor(shared_data: Path) -> None:
    folder = shared_data / "zyte-article-extraction"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found")
    gold = json.loads((folder / "ground-truth.json").read_text("utf-8"))
    precisions, recalls = [], []
    for key, item in gold.items():
        content = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        raw = RawDocument(id=content_id(content), source=key, content=content, hint="html", url=item["url"])
        try:
            body = extract(raw).body
        except InputError:
            body = ""
        true, pred = _shingles(item["articleBody"]), _shingles(body)
        tp, fp, fn = sum((true & pred).values()), sum((pred - true).values()), sum((true - pred).values())
        if tp + fp:
            precisions.append(tp / (tp + fp))
        if tp + fn:
            recalls.append(tp / (tp + fn))
    p, r = statistics.mean(precisions), statistics.mean(recalls)
    assert 2 * p * r / (p + r) >= F1_FLOOR
