"""`marsad extract`, `marsad ingest`, `marsad show`: documents in, articles out."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import TextColumn

from marsad.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    config_from,
    err,
    open_existing_store,
    open_store,
    print_json,
    report_rejections,
    stderr_progress,
)
from marsad.errors import InputError
from marsad.extract import extract
from marsad.ingest import open_sources
from marsad.ingest.fetch import PoliteFetcher
from marsad.ingest.files import read_paths
from marsad.pipeline import (
    default_clusterer,
    default_steps,
    ingest,
    refresh_changed_comparisons,
    restore_clusterer,
    worker_pool,
)
from marsad.records import Article, Rejected
from marsad.store import articles as article_repo
from marsad.store import stories as story_repo
from marsad.store.dedup import group_for_article
from marsad.store.fetch_state import StoreFetchStates
from marsad.store.lock import WriterLock


def comments_line(article: Article) -> str:
    """'5 shown / 9 stated', or '5 shown' when the page states no count."""
    shown = f"{len(article.comments)} shown"
    return shown if article.comments_stated is None else f"{shown} / {article.comments_stated} stated"


def extract_cmd(
    file: Annotated[Path, typer.Argument(help="A text dump, HTML page, JSON or JSONL file.")],
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Extract the article from FILE: title, body, date, agencies, comments apart."""
    cfg = config_from(config)
    items = list(read_paths([file], max_bytes=cfg.ingest.max_bytes))
    failures: list[Rejected] = []
    for item in items:
        if isinstance(item, Rejected):
            failures.append(item)
            continue
        try:
            article = extract(item)
        except InputError as exc:
            failures.append(Rejected("extract", exc.code, item.source, str(exc.args[0])))
            continue
        if as_json:
            print_json(article.to_json())
        else:
            typer.echo(f"# {article.title or '(no title)'}\n")
            typer.echo(article.body)
            typer.echo(
                f"\nagencies: {', '.join(article.agencies) or '-'}   language: {article.language}"
                f"   comments: {comments_line(article)}"
            )
    if report_rejections(failures, seen=len(items)):
        raise typer.Exit(1)


def ingest_cmd(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, JSONL, WARC, or feed URLs.")],
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Fetch URLs on private and loopback addresses too.")
    ] = False,
    lexical: Annotated[
        bool, typer.Option("--lexical", help="Group stories with the model-free lexical clusterer.")
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            help="Processes preparing documents (extraction, entities, embedding) and comparing the"
            " changed stories for the one writer; the stored result is the same for any number.",
            min=1,
        ),
    ] = 1,
) -> None:
    """Ingest documents into the store: extract, deduplicate, assign stories. Re-runs add nothing new.

    Exits 1 when any input was rejected (after storing all the others; the summary names each).
    """
    cfg = config_from(config)
    store = open_store(db, cfg)
    # One writer at a time; the clusterer learns the store's stories only once the lock is held.
    lock = WriterLock(
        store.path, wait=cfg.store.lock_wait, on_wait=lambda m: err.print(f"[yellow]{m}[/yellow]")
    )
    lock.acquire()
    clusterer = default_clusterer(store.conn, cfg, lexical=lexical)
    # lazy: the lock is held until this process ends, so the snapshot it started from stays
    restore_clusterer(store, clusterer, lazy=True)
    fetcher = PoliteFetcher(
        replace(cfg.fetch, allow_private=allow_private or cfg.fetch.allow_private), StoreFetchStates(store)
    )
    items = open_sources(
        paths, max_bytes=cfg.ingest.max_bytes, fetcher=fetcher, budget=cfg.ingest.time_budget
    )
    with fetcher, stderr_progress(TextColumn("ingest"), TextColumn("{task.description}")) as progress:
        task = progress.add_task("", total=None)

        def tick(name: str) -> None:
            progress.update(task, advance=1, description=name[-50:])

        try:
            with worker_pool(workers) as pool:
                report = ingest(
                    store,
                    items,
                    clusterer,
                    steps=default_steps(cfg),
                    on_item=tick,
                    budget=cfg.ingest.time_budget,
                    pool=pool,
                )
                progress.update(task, description="comparing the stories that changed")
                compared = refresh_changed_comparisons(
                    store,
                    report,
                    max_articles=cfg.ingest.compare_max_articles,
                    budget=cfg.ingest.compare_budget,
                    pool=pool,
                )
        finally:
            lock.release()
    summary = {
        "seen": report.seen,
        "added": report.added,
        "already_stored": report.skipped,
        "rejected": len(report.rejected),
        "rejected_by_code": report.rejected_by_code(),
        "failed_unexpectedly": report.unexpected,
        "over_budget": report.over_budget,
        "hidden_skipped": report.hidden,
        "new_stories": report.new_stories,
        # Stories whose comparison this run stored (served from the store on their first visit).
        "comparisons_stored": compared.compared if compared is not None else 0,
        "db": str(store.path),
        "totals": article_repo.counts(store),
    }
    store.close()
    if as_json:
        print_json(summary)
    else:
        err.print(
            f"{report.added} added, {report.skipped} already stored, {len(report.rejected)} rejected, "
            f"{report.new_stories} new stories -> {summary['db']}",
            markup=False,
        )
        if report.unexpected:
            err.print(
                f"{report.unexpected} failed unexpectedly (E190: a bug in marsad, see above)", markup=False
            )
    if report_rejections(report.rejected, seen=report.seen):
        raise typer.Exit(1)


def show_cmd(
    item_id: Annotated[str, typer.Argument(help="A story id (s...) or an article id (or unique prefix).")],
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one story (its articles) or one article (its text and comments)."""
    store = open_existing_store(db, config_from(config))
    story = story_repo.get_story(store, item_id)
    if story is not None:
        if as_json:
            print_json(story.to_json())
        else:
            typer.echo(f"story {story.id}: {story.title or ''}")
            typer.echo(
                f"  {story.size} articles  outlets: {', '.join(story.outlets) or '-'}"
                f"  languages: {', '.join(story.languages)}"
            )
            for aid in story.article_ids:
                art = article_repo.get_article(store, aid)
                if art is not None:
                    typer.echo(
                        f"  - {aid}  {art.published.date() if art.published else '????-??-??'}  "
                        f"{art.outlet or '-'}  {art.title or art.body[:60]}"
                    )
        return
    article = article_repo.get_article(store, item_id)
    if article is None:
        raise InputError(f"{item_id}: no story or article with this id in {store.path}")
    group = group_for_article(store, article.id)
    if as_json:
        data = article.to_json()
        data["story_id"] = story_repo.story_of(store, article.id)
        data["duplicates"] = group.to_json() if group is not None and len(group.members) > 1 else None
        print_json(data)
        return
    typer.echo(f"# {article.title or '(no title)'}  [{article.outlet or '-'}, {article.language}]\n")
    typer.echo(article.body)
    if group is not None and len(group.members) > 1:
        typer.echo(f"\n--- duplicate group {group.id} (canonical {group.canonical_id}) ---")
        for m in group.members:
            if m.article_id != article.id:
                typer.echo(f"  {m.kind:9} {m.article_id}  {m.outlet or '-'}  {m.title or ''}")
    if article.comments:
        typer.echo(f"\n--- comments ({comments_line(article)}) ---")
        for c in article.comments:
            indent = "    " if c.parent else ""
            typer.echo(f"{indent}{c.index}. {c.text}")


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_cmd)
    app.command("ingest")(ingest_cmd)
    app.command("show")(show_cmd)
