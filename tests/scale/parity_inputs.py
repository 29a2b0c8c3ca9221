"""Inputs of the parity tests: the issue's 5-record roundup case, and copies of real dev articles.

Every writer returns the JSONL path it wrote; records carry `id`, `title`, `text`, `published`,
`outlet` (and `language` when known), in the order `marsad dedup` and `marsad ingest` read them.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

_SENTENCE = re.compile(r"(?<=[.!?؟])\s+")
START = datetime(2016, 5, 24, 6, tzinfo=UTC)


def _paras(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def write_roundup_case(seeds: Path, path: Path) -> Path:
    """Issue 16: two short briefs, a roundup made of both, a long article containing brief A, and a
    short wire copy inside it. Right answer: {brief A, long A, wire A} and {brief B, roundup}."""
    a = _paras((seeds / "000_f462c494be0ac3b8.txt").read_text("utf-8"))
    b = _paras((seeds / "003_78029ccb64208adf.txt").read_text("utf-8"))
    brief_a, brief_b = "\n".join(a[1:5]), "\n".join(b[:4])
    texts = [
        ("brief-a", brief_a),
        ("brief-b", brief_b),
        ("roundup", "مقدمة الجولة الإخبارية\n" + brief_a + "\n" + brief_b),
        ("long-a", "\n".join(a[:12])),
        ("wire-a", "\n".join(a[2:4])),
    ]
    return _write(
        path,
        [
            {
                "id": rid,
                "title": rid,
                "text": text,
                "published": (START + timedelta(hours=i)).isoformat(),
                "outlet": f"outlet{i}.example",
            }
            for i, (rid, text) in enumerate(texts)
        ],
    )


def real_articles(data: Path, arabic: int, mmds: int) -> list[dict[str, str]]:
    """`arabic` Arabic SemEval-2022 Task 8 texts and `mmds` MMDS dev articles (distinct, in file order)."""
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    csv.field_size_limit(1 << 30)
    with (data / "semeval2022-task8-text" / "training_set.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for side in ("1", "2"):
                text = (row[f"text{side}"] or "").strip()
                if row[f"lang{side}"] == "ar" and len(text) > 600 and text not in seen and len(out) < arabic:
                    seen.add(text)
                    out.append({"text": text, "title": text[:80], "language": "ar"})
    articles = json.loads((data / "mmds2025-event-clusters" / "mds_ac_dev_final.json").read_text("utf-8"))
    for art in articles["articles"][:mmds]:
        text = "\n".join(s["content"] for s in art["sentences"])
        if text not in seen:
            seen.add(text)
            out.append({"text": text, "title": art["title"]})
    return out


def write_real_copies(data: Path, path: Path, arabic: int = 40, mmds: int = 40) -> Path:
    """Real articles and, after them in the input, copies of the kinds a news feed carries: exact
    (new title and outlet), trimmed (last sentence dropped: near), a wire copy (the first third:
    contained) and a roundup of two unrelated articles' leads."""
    bases = real_articles(data, arabic, mmds)
    records: list[dict[str, Any]] = []
    for n, base in enumerate(bases):
        records.append(
            {
                "id": f"base-{n}",
                **base,
                "published": (START + timedelta(hours=3 * n)).isoformat(),
                "outlet": f"outlet{n % 7}.example",
            }
        )
    for n, base in enumerate(bases):
        sentences = [s for s in _SENTENCE.split(base["text"].replace("\n", " ")) if s.strip()]
        when = START + timedelta(hours=3 * n + 1)
        kind = n % 5
        if kind == 0:
            text, title = base["text"], "نسخة: " + base["title"]
        elif kind == 1 and len(sentences) > 3:
            text, title = " ".join(sentences[:-1]), base["title"]
        elif kind == 2 and len(sentences) > 5:
            text, title = " ".join(sentences[: max(3, len(sentences) // 3)]), base["title"][:40]
        elif kind == 3 and n + 1 < len(bases):
            other = [s for s in _SENTENCE.split(bases[n + 1]["text"].replace("\n", " ")) if s.strip()]
            text, title = " ".join(sentences[:4]) + "\n" + " ".join(other[:4]), "جولة الأخبار"
        else:
            continue
        record = {"id": f"copy-{n}", "title": title, "text": text, "published": when.isoformat()}
        record["outlet"] = f"wire{n % 3}.example"
        if "language" in base:
            record["language"] = base["language"]
        records.append(record)
    return _write(path, records)


def write_events_and_english(
    data: Path, path: Path, arabic: int = 30, english: tuple[int, ...] = (15, 18)
) -> Path:
    """The first `arabic` SaudiNewsNet events-dev articles (Arabic news, with quotes and speakers)
    then the `english` MMDS dev articles (English, quoted speakers), as ingest and the batch read them."""
    records: list[dict[str, Any]] = []
    lines = (data / "saudinewsnet-events-dev" / "dev.jsonl").read_text("utf-8").splitlines()
    for line in lines[:arabic]:
        r = json.loads(line)
        when = r["date_extracted"].replace(" ", "T") + "+03:00"
        records.append(
            {"id": r["id"], "title": r["title"], "text": r["text"], "outlet": r["source"], "published": when}
        )
    articles = json.loads((data / "mmds2025-event-clusters" / "mds_ac_dev_final.json").read_text("utf-8"))
    for n in english:
        art = articles["articles"][n]
        text = "\n".join(s["content"] for s in art["sentences"])
        records.append(
            {"id": f"mmds-{n}", "title": art["title"], "text": text, "published": START.isoformat()}
        )
    return _write(path, records)
