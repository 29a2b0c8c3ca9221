"""`marsad search QUERY [--meaning]`: the store's full-text search (or search by meaning) in a terminal.

The same functions as the API's /api/search: `marsad.store.search.search_text` over the normalized
text (FTS5, Arabic clitics and letter variants folded), and `marsad.embed.meaning.MeaningSearcher`
over the embeddings the ingest stored.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from marsad.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    config_from,
    err,
    open_existing_store,
    print_json,
)
from marsad.store.search import ArticleFilter, Excerpt, SearchHit, search_text

# Candidates embedded per search for articles the ingest stored without vectors (as the API does).
MEANING_CANDIDATES = 48


def _excerpt(excerpt: Excerpt) -> Text:
    text = Text()
    for part, matched in excerpt:
        text.append(part, style="bold" if matched else "")
    return text


def _print_hits(query: str, mode: str, total: int, hits: list[SearchHit]) -> None:
    """One block per article: rank, score, date, outlet, language, ids; the title; the excerpt with the
    matched words in bold. Lines are left to the terminal to wrap, so no character is cut."""
    out = Console(highlight=False, soft_wrap=True)
    out.print(f"{total} article(s) for {query!r} ({mode}), {len(hits)} shown", markup=False)
    for rank, hit in enumerate(hits, start=1):
        head = (
            f"\n{rank}. {hit.score:.3f}  {(hit.published or '')[:10] or '????-??-??'}  {hit.outlet or '-'}"
            f"  [{hit.language or '-'}]  article {hit.article_id}  story {hit.story_id or '-'}"
        )
        out.print(Text(head))
        out.print(Text("   " + (hit.title or "(no title)"), style="bold"))
        out.print(Text("   ").append_text(_excerpt(hit.excerpt)))


def search_cmd(
    query: Annotated[str, typer.Argument(help="Words in any language (Arabic is normalized as stored).")],
    meaning: Annotated[
        bool,
        typer.Option("--meaning", help="Rank by meaning (sentence embeddings) instead of matching words."),
    ] = False,
    language: Annotated[
        str | None, typer.Option(help="Only articles in this language (ar, en, fr...).")
    ] = None,
    outlet: Annotated[str | None, typer.Option(help="Only articles of this outlet (exact name).")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after this ISO date.")] = None,
    until: Annotated[str | None, typer.Option(help="Published before this ISO date.")] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many articles.", min=1, max=500)] = 20,
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Search the stored articles: every word of QUERY (normalized), or by meaning with --meaning."""
    flt = ArticleFilter(since=since, until=until, language=language, outlet=outlet)
    store = open_existing_store(db, config_from(config))
    note: str | None = None
    try:
        if meaning:
            from marsad.embed.base import UsemEmbedder
            from marsad.embed.meaning import MeaningSearcher, meaning_note

            found = MeaningSearcher(UsemEmbedder, max_candidates=MEANING_CANDIDATES).search(
                store, query, flt=flt, limit=limit
            )
            hits, total, note = found.hits, found.total, meaning_note(found)
        else:
            page = search_text(store, query, flt=flt, limit=limit)
            hits, total = list(page.hits), page.total
    finally:
        store.close()
    mode = "meaning" if meaning else "text"
    if as_json:
        out: dict[str, Any] = {
            "query": query,
            "mode": mode,
            "total": total,
            "limit": limit,
            "items": [h.to_json() for h in hits],
            "note": note,
        }
        print_json(out)
        return
    _print_hits(query, mode, total, hits)
    if note:
        err.print(note, markup=False)


def register(app: typer.Typer) -> None:
    app.command("search")(search_cmd)
