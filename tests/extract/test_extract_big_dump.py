"""A dump just under the 20 MB file cap is decided in about a second of CPU: refused as far too long
for one article (E103) before the work that grows with the body, or read with its comments capped."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from marsad import errors
from marsad.boundary import guarded
from marsad.extract import extract
from marsad.extract.article import MAX_ARTICLE_CHARS
from marsad.records import Article, RawDocument, Rejected

PARAGRAPH = (
    "قال مسؤولون في هيئة المساحة الجيولوجية يوم الاثنين إن زلزالا بقوة ست درجات ضرب جنوب البلاد فجر"
    " اليوم، وإن فرق الإنقاذ تبحث عن ناجين تحت أنقاض المنازل في ثلاث قرى، بحسب وكالة الأنباء الرسمية."
)
SIZE = 19_000_000
DEV = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "saudinewsnet-events-dev" / "dev.jsonl"


def _cpu(raw: RawDocument) -> tuple[Article | Rejected, float]:
    started = time.process_time()
    result = guarded("extract", raw.source, lambda: extract(raw))
    return result, time.process_time() - started


def test_extract_19mb_arabic_dump_refused_fast() -> None:
    """Real Arabic news text (SaudiNewsNet dev bodies run together): its letter pairs look like
    windows-1256 mojibake often enough that the repair's search reads all of it, and the agency
    search would read all 10 million characters of body before the length check (8 s of CPU)."""
    if not DEV.exists():
        pytest.skip(f"dev data not found: {DEV}")
    bodies = [json.loads(line)["text"] for line in DEV.read_text("utf-8").splitlines() if line.strip()]
    parts: list[str] = []
    size = 0
    while size < SIZE:
        for body in bodies:
            parts.append(body)
            size += len(body.encode())
    text = "عنوان\n\n" + "\n\n".join(parts)
    content = text.encode()[:SIZE].decode("utf-8", "ignore").encode()
    result, cpu = _cpu(RawDocument(id="big", source="big.txt", content=content, hint="text"))
    assert isinstance(result, Rejected) and result.code == errors.TOO_LARGE, result
    assert f"{MAX_ARTICLE_CHARS:,}" in result.detail
    assert cpu < 4.0, f"{cpu:.1f} s of CPU"


def test_extract_19mb_dump_of_comments_read_fast() -> None:
    body = "\n\n".join(f"{PARAGRAPH} ({i})" for i in range(200))
    comments = "\n".join(f"  {i % 9999 + 1}. تعليق رقم {i} على الخبر" for i in range(SIZE // 50))
    content = f"عنوان\n\n{body}\n\n{SIZE // 50} comments\n{comments}\n".encode()
    result, cpu = _cpu(RawDocument(id="big", source="big.txt", content=content, hint="text"))
    assert isinstance(result, Article), result
    assert len(result.body) < MAX_ARTICLE_CHARS and 0 < len(result.comments) <= 2000
    assert cpu < 8.0, f"{cpu:.1f} s of CPU"
