"""Exports: a filtered story list, one story's articles, or its claims, as CSV, JSONL or Parquet.

One row shape per export (`STORY_COLUMNS`, `ARTICLE_COLUMNS`, `CLAIM_COLUMNS`); list columns stay
lists in JSONL and Parquet (list<string>) and are joined with "; " in CSV (flags: true/false). CSV
is written with a UTF-8 byte-order mark so that spreadsheet programs read Arabic correctly. Outlet
country and kind come from the outlet registry (empty when it does not know the outlet).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from marsad.errors import InputError
from marsad.monitor.outlets import OutletRegistry
from marsad.store import Store
from marsad.store import entities as entity_repo
from marsad.store import stories as story_repo
from marsad.store.search import StoryFilter, find_stories

Format = Literal["csv", "jsonl", "parquet"]
FORMATS: tuple[Format, ...] = ("csv", "jsonl", "parquet")
MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
}
MAX_STORIES = 100_000

# name -> is a list column
STORY_COLUMNS: dict[str, bool] = {
    "story_id": False,
    "title": False,
    "size": False,
    "first_published": False,
    "last_published": False,
    "languages": True,
    "outlets": True,
    "countries": True,
    "article_ids": True,
}
ARTICLE_COLUMNS: dict[str, bool] = {
    "article_id": False,
    "story_id": False,
    "title": False,
    "outlet": False,
    "outlet_country": False,
    "outlet_kind": False,
    "url": False,
    "language": False,
    "published": False,
    "agencies": True,
    "body": False,
}

# One row per claim and article carrying it: that article's wording, figures and speaker.
CLAIM_COLUMNS: dict[str, bool] = {
    "story_id": False,
    "claim_id": False,
    "kind": False,
    "article_id": False,
    "outlet": False,
    "language": False,
    "published": False,
    "speaker": False,
    "text": False,
    "numbers": True,
    "first": False,
    "carried_by": False,
    "only_this_source": False,
    "disagreements": True,
}
INT_COLUMNS = frozenset({"size", "carried_by"})
BOOL_COLUMNS = frozenset({"first", "only_this_source"})


def story_rows(
    store: Store,
    registry: OutletRegistry,
    flt: StoryFilter | None = None,
    *,
    order: str = "recent",
    limit: int = MAX_STORIES,
) -> list[dict[str, Any]]:
    """The stories `flt` selects (as the story list and `GET /api/stories` select them), in `order`.

    Raises InputError when filtering by an entity on a store without entities."""
    flt = flt or StoryFilter()
    keys = None
    if flt.entity:
        keys = entity_repo.keys_named(store.conn, flt.entity)
    try:
        _, ids = find_stories(store, flt, order=order, limit=limit, entity_keys=keys)
    except LookupError as exc:
        raise InputError(str(exc)) from exc
    rows = []
    for story_id in ids:
        story = story_repo.get_story(store, story_id)
        if story is None:
            continue
        countries = {
            found.country
            for outlet, url in store.conn.execute(
                "SELECT a.outlet, a.url FROM story_members m JOIN articles a ON a.id = m.article_id"
                " WHERE m.story_id = ?",
                (story_id,),
            )
            if (found := registry.resolve(outlet, url)) is not None
        }
        rows.append(
            {
                "story_id": story.id,
                "title": story.title,
                "size": story.size,
                "first_published": story.first_published,
                "last_published": story.last_published,
                "languages": list(story.languages),
                "outlets": list(story.outlets),
                "countries": sorted(countries),
                "article_ids": list(story.article_ids),
            }
        )
    return rows


def article_rows(store: Store, registry: OutletRegistry, story_id: str) -> list[dict[str, Any]] | None:
    """The articles of `story_id`, earliest first; None when there is no such story."""
    if story_repo.get_story(store, story_id) is None:
        return None
    rows = store.conn.execute(
        "SELECT a.id, a.title, a.outlet, a.url, a.language, a.published, a.agencies_json, a.body"
        " FROM story_members m JOIN articles a ON a.id = m.article_id LEFT JOIN documents d ON d.id = a.id"
        " WHERE m.story_id = ? ORDER BY coalesce(a.published, d.fetched_at, d.ingested_at), m.seq",
        (story_id,),
    ).fetchall()
    out = []
    for r in rows:
        found = registry.resolve(r["outlet"], r["url"])
        out.append(
            {
                "article_id": r["id"],
                "story_id": story_id,
                "title": r["title"],
                "outlet": r["outlet"],
                "outlet_country": found.country if found else None,
                "outlet_kind": found.kind if found else None,
                "url": r["url"],
                "language": r["language"],
                "published": r["published"],
                "agencies": list(json.loads(r["agencies_json"])),
                "body": r["body"],
            }
        )
    return out


def claim_rows(
    store: Store, registry: OutletRegistry, story_id: str, comparison: Mapping[str, Any] | None
) -> list[dict[str, Any]] | None:
    """The claims of `story_id` from its `comparison` (the `marsad compare --story` JSON contract): one
    row per claim and article carrying it, claims in the comparison's order, articles earliest first.
    `first`: this article published the claim earliest; `only_this_source`: no other article carries
    it; `disagreements`: the kinds ("number", "speaker") of the disagreements found on it. None when
    there is no such story; no rows when there is no comparison (a one-article story)."""
    articles = article_rows(store, registry, story_id)
    if articles is None:
        return None
    if comparison is None:
        return []
    by_id = {a["article_id"]: a for a in articles}
    order = {ident: i for i, ident in enumerate(by_id)}
    disagreements: dict[str, list[str]] = {}
    for found in comparison.get("disagreements") or []:
        disagreements.setdefault(str(found["claim"]), []).append(str(found["kind"]))
    rows = []
    for claim in comparison.get("claims") or []:
        carriers = list(claim.get("outlets") or [])
        texts, numbers, speakers = (claim.get(k) or {} for k in ("texts", "numbers", "speakers"))
        for doc in sorted(carriers, key=lambda d: order.get(d, len(order))):
            article = by_id.get(doc, {})
            rows.append(
                {
                    "story_id": story_id,
                    "claim_id": claim["id"],
                    "kind": claim.get("kind"),
                    "article_id": doc,
                    "outlet": article.get("outlet"),
                    "language": article.get("language"),
                    "published": article.get("published"),
                    "speaker": speakers.get(doc) or claim.get("speaker"),
                    "text": texts.get(doc),
                    "numbers": [str(n) for n in numbers.get(doc, [])],
                    "first": claim.get("first") == doc,
                    "carried_by": len(carriers),
                    "only_this_source": len(carriers) < 2,
                    "disagreements": disagreements.get(claim["id"], []),
                }
            )
    return rows


def _cell(value: Any, is_list: bool) -> Any:
    if is_list:
        return "; ".join(map(str, value))
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _csv(rows: Sequence[dict[str, Any]], columns: dict[str, bool]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(list(columns))
    for row in rows:
        writer.writerow([_cell(row[c], is_list) for c, is_list in columns.items()])
    return text.getvalue().encode("utf-8-sig")


def _parquet(rows: Sequence[dict[str, Any]], columns: dict[str, bool]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    fields = []
    for name, is_list in columns.items():
        if is_list:
            kind = pa.list_(pa.string())
        elif name in INT_COLUMNS:
            kind = pa.int64()
        elif name in BOOL_COLUMNS:
            kind = pa.bool_()
        else:
            kind = pa.string()
        fields.append(pa.field(name, kind))
    schema = pa.schema(fields)
    table = pa.Table.from_pylist([{c: row[c] for c in columns} for row in rows], schema=schema)
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def encode(rows: Sequence[dict[str, Any]], columns: dict[str, bool], fmt: str) -> bytes:
    """`rows` (with exactly `columns`) in format `fmt`. Raises InputError on an unknown format."""
    if fmt == "csv":
        return _csv(rows, columns)
    if fmt == "jsonl":
        return "".join(
            json.dumps({c: r[c] for c in columns}, ensure_ascii=False) + "\n" for r in rows
        ).encode()
    if fmt == "parquet":
        return _parquet(rows, columns)
    raise InputError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
