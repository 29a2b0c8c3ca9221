"""HTML pages to articles: trafilatura for the main text, our own layer for the rest.

trafilatura (the field's reference extractor) finds the body. Around it, this module reads:
- page metadata itself (title, outlet from og:site_name, publication date, author, language) from
  <meta>, RDFa/microdata `content` attributes, JSON-LD and <time>: cheaper than trafilatura's own
  metadata pass, and it reads Arabic dates (htmldate takes "15 مارس 2024" for 2024-01-01);
- comments as structured records (text, order, reply parent) from the page's comment markup,
  never in the body (trafilatura's `include_comments` defaults to on and appends them to the text);
- agency credits (byline, "(أ ف ب)" tails, "المصدر: وكالات" lines) and ad placeholders, kept as
  boilerplate instead of body text;
- the title repeated as the first body line, which is metadata, not body.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

from marsad import errors
from marsad.boundary import check_budget
from marsad.errors import InputError
from marsad.extract.agencies import find_agencies
from marsad.extract.article import check_length, outlet_from_url
from marsad.extract.dates import find_date_in_text, find_meta_date, on_url_day, parse_date
from marsad.extract.dump import AD_PLACEHOLDER, SOURCE_LINE, TRAILING_CREDIT
from marsad.extract.recovery import long_paragraphs, prefix_of_ld_body, recover_truncated
from marsad.extract.titles import choose_title, is_outlet_name
from marsad.extract.tree import parse_html
from marsad.ingest.jsonline import json_value
from marsad.records import Article, Comment, RawDocument
from marsad.text.language import detect_language

# Below this many characters a precision-first extraction may have missed the article: the
# balanced mode runs too and wins when it finds clearly more.
SHORT_BODY_CHARS = 500
MAX_COMMENTS = 1000
_JSON_LD_MAX_CHARS = 200_000
_JSON_LD_MAX_BLOCKS = 10
_JSON_LD_MAX_OBJECTS = 1000
_WORD = re.compile(r"\w+")
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_COMMENT_FORM = re.compile(
    r"^\s*(?:إضافة تعليق(?: جديد)?|أضف تعليق(?:ك|ا)?|اترك تعليقا|أرسل تعليق(?:ك|ا)?|التعليقات|تعليقات"
    r"|add (?:a |new )?comment|leave a (?:reply|comment)|post a comment|comments?|reply"
    r"|ajouter un commentaire|laisser un commentaire|commentaires?"
    r"|you must be logged in.*|log ?in to (?:post a )?comment.*)\s*[:.!]?\s*$",
    re.IGNORECASE,
)
# A comment item: an <li>, <article> or <div> whose id or class says so.
_COMMENT_ITEM_TAGS = ("li", "article", "div")
_COMMENT_ITEM_ID = re.compile(r"^(?:li-|div-)?comment-?\d+$")
_COMMENT_ITEM_CLASS = re.compile(r"(?:^|\s)comment(?:\s|$)")
_COMMENT_BODY = re.compile(
    r"comment[-_]?(?:content|body|text)|field-name-comment-body|(?:^|\s)content(?:\s|$)"
)
_COMMENT_META = re.compile(r"author|meta|reply|date|vcard|avatar|links|permalink|signature")
_COMMENT_AUTHOR = re.compile(r"comment-author|(?:^|\s)fn(?:\s|$)|username|(?:^|\s)author(?:\s|$)")
# Elements read_page_meta reads besides those with a content attribute.
_META_TAGS = ("time", "script", "h1", "title")
# An lxml.html element (lxml ships no type stubs here, so it is typed loosely).
HtmlElement = Any
_DATE_CLASS = re.compile("date|time|publish", re.IGNORECASE)
# Language identification reads this much of the body: enough for a stable answer. py3langid walks
# its byte automaton in Python, a tenth of a page's extraction time at 2000 characters; 1000 gave the
# same language on the 181 Zyte bodies (8 languages), 339 SemEval 2022 task 8 texts (10 languages)
# and 1600 of 1601 SaudiNewsNet articles (the other: "ar" for an Arabic article that 2000 characters,
# reaching its Latin-script part, called "ary").
LANGUAGE_SAMPLE_CHARS = 1000


@dataclass(slots=True, frozen=True)
class PageMeta:
    """What the page states about itself, before any body extraction."""

    title: str | None = None
    site_name: str | None = None
    author: str | None = None
    language: str | None = None
    published: datetime | None = None
    # JSON-LD articleBody: the page's own statement of the whole article, when it gives one.
    article_body: str | None = None
    # A date written in words in an element classed as a date (read when metadata states none),
    # with whether it is written in Arabic, which htmldate cannot read.
    text_date: tuple[datetime, bool] | None = None


def _norm_words(text: str | None) -> str:
    return " ".join(_WORD.findall((text or "").lower()))


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def _json_ld(scripts: list[HtmlElement]) -> Iterator[dict[str, Any]]:
    """The objects of the page's JSON-LD blocks, read within bounds: at most `_JSON_LD_MAX_BLOCKS`
    blocks of `_JSON_LD_MAX_CHARS` characters, nested at most `MAX_JSON_DEPTH` levels, and
    `_JSON_LD_MAX_OBJECTS` objects in all. A block past them, or no JSON, is skipped: the page is
    extracted without it (its JSON-LD only adds metadata)."""
    blocks = [s for s in scripts if s.get("type") == "application/ld+json"][:_JSON_LD_MAX_BLOCKS]
    yield from islice(_json_ld_objects(blocks), _JSON_LD_MAX_OBJECTS)


def _json_ld_objects(blocks: list[HtmlElement]) -> Iterator[dict[str, Any]]:
    for script in blocks:
        raw = script.text or ""
        if len(raw) > _JSON_LD_MAX_CHARS:
            continue
        try:
            data = json_value(raw, "JSON-LD")
        except InputError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.append(item["@graph"])
                yield item


def _ld_name(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return _clean(value)


def read_page_meta(tree: HtmlElement, reference: datetime | None = None, url: str | None = None) -> PageMeta:
    """Title, outlet, author, language and publication date the page states in its markup
    (`url` tells the outlet's domain, which titles may carry as a site name)."""
    pairs: list[tuple[str, str]] = []
    values: dict[str, str] = {}
    root = tree.getroottree().getroot()
    for el in root.xpath("//@content/.."):  # an element with a content attribute (meta, RDFa, microdata)
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = _clean(el.get("content"))
        if key and value:
            pairs.append((key, value))
            values.setdefault(key, value)
    # One walk for the other elements read here: each XPath search walks the whole tree.
    tagged: dict[str, list[HtmlElement]] = {tag: [] for tag in _META_TAGS}
    for el in root.iter(*_META_TAGS):
        tagged[el.tag].append(el)
    for el in [el for el in tagged["time"] if el.get("datetime") is not None][:5]:
        pairs.append(("time:datetime", el.get("datetime")))
    headline = ld_site = ld_author = ld_body = None
    for item in _json_ld(tagged["script"]):
        if ld_body is None and isinstance(item.get("articleBody"), str) and item["articleBody"].strip():
            ld_body = item["articleBody"]
        for key in ("datePublished", "dateCreated", "dateModified"):
            if isinstance(item.get(key), str):
                pairs.append((key.lower(), item[key]))
        headline = headline or _clean(item.get("headline"))
        ld_site = ld_site or _ld_name(item.get("publisher"))
        ld_author = ld_author or _ld_name(item.get("author"))
    published = find_meta_date(pairs)
    text_date = None if published is not None else _date_in_date_elements(tree, reference)
    site = _clean(values.get("og:site_name")) or ld_site or _clean(values.get("application-name"))
    names = [
        n for n in (_clean(values.get("og:site_name")), ld_site, _clean(values.get("application-name"))) if n
    ]
    in_article = [h for h in tagged["h1"] if any(a.tag == "article" for a in h.iterancestors())]
    h1 = next(
        (t for el in [*in_article[:2], *tagged["h1"][:3]] if (t := _clean(el.text_content()))),
        None,
    )
    candidates = {
        "h1": h1 if h1 and not is_outlet_name(h1, names, url) else None,
        "og:title": _clean(values.get("og:title")),
        "headline": headline,
        "twitter:title": _clean(values.get("twitter:title")),
        "title": _clean(tagged["title"][0].text) if tagged["title"] else None,
    }
    title = choose_title({k: v for k, v in candidates.items() if v}, names, url)
    author = _clean(values.get("author")) or _clean(values.get("article:author")) or ld_author
    if author and author.startswith("http"):
        author = ld_author
    html_el = tree if tree.tag == "html" else tree.find(".//html")
    lang = html_el.get("lang") if html_el is not None else None
    lang = lang or values.get("og:locale") or values.get("content-language")
    language = lang.replace("_", "-").split("-")[0].lower() if lang else None
    return PageMeta(
        title=title,
        site_name=site,
        author=author,
        language=language,
        published=published,
        article_body=ld_body,
        text_date=text_date,
    )


def _date_elements(tree: HtmlElement) -> Iterator[HtmlElement]:
    """Elements whose class or id (whichever the tag states first) names a date, in document order.
    A lazy walk: the first one that holds a date ends the search, where an XPath search (with an
    EXSLT regex test lxml runs in Python for every element) first lists them all."""
    for el in tree.getroottree().getroot().iter():
        for key, value in el.items():
            if key == "class" or key == "id":
                if _DATE_CLASS.search(value) and el.tag not in ("script", "style"):
                    yield el
                break


def _date_in_date_elements(tree: HtmlElement, reference: datetime | None) -> tuple[datetime, bool] | None:
    for el in islice(_date_elements(tree), 20):
        text = el.text_content()
        if len(text) <= 120 and (found := find_date_in_text(text, reference)) is not None:
            return found, bool(_ARABIC_LETTER.search(text))
    return None


def _own_text(el: HtmlElement, nested: set[HtmlElement]) -> str:
    """Text of `el` without nested comment items and without author/date/reply furniture."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if (
                isinstance(child.tag, str)
                and child not in nested
                and child.tag not in ("script", "style")
                and not _COMMENT_META.search(child.get("class") or "")
            ):
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return " ".join(" ".join(parts).split())


def _comment_items(tree: HtmlElement) -> list[HtmlElement]:
    """The page's comment items in document order. A walk over three tags with a substring test
    first: an XPath search with EXSLT regex tests costs twice as much (lxml runs them in Python)."""
    items: list[HtmlElement] = []
    for el in tree.getroottree().getroot().iter(*_COMMENT_ITEM_TAGS):
        ident, cls = el.get("id") or "", el.get("class") or ""
        if ("omment" in ident and _COMMENT_ITEM_ID.search(ident)) or (
            "omment" in cls and _COMMENT_ITEM_CLASS.search(cls)
        ):
            items.append(el)
    return items


def read_comments(tree: HtmlElement) -> list[Comment]:
    """Reader comments from the page's comment markup, with page order and reply parents."""
    items = _comment_items(tree)[:MAX_COMMENTS]
    if not items:
        return []
    item_set = set(items)
    texts: dict[HtmlElement, str] = {}
    authors: dict[HtmlElement, str | None] = {}
    for item in items:
        nested = {d for d in item.iterdescendants() if d in item_set}
        inside_nested = {x for n in nested for x in n.iterdescendants()}
        body = next(
            (
                d
                for d in item.iterdescendants()
                if isinstance(d.tag, str)
                and d not in inside_nested
                and d not in nested
                and _COMMENT_BODY.search(d.get("class") or "")
            ),
            None,
        )
        text = _own_text(body if body is not None else item, nested)
        if text and not _COMMENT_FORM.match(text):
            texts[item] = text
            author_el = next(
                (
                    d
                    for d in item.iterdescendants()
                    if isinstance(d.tag, str)
                    and d not in inside_nested
                    and _COMMENT_AUTHOR.search(d.get("class") or "")
                ),
                None,
            )
            authors[item] = _clean(author_el.text_content()) if author_el is not None else None

    def owner(el: HtmlElement) -> HtmlElement | None:
        if el in texts:
            return el
        return next((d for d in el.iterdescendants() if d in texts), None)

    index = {item: i for i, item in enumerate((x for x in items if x in texts), start=1)}
    comments: list[Comment] = []
    for item, i in index.items():
        parent: int | None = None
        for anc in item.iterancestors():
            if anc in item_set:
                o = owner(anc)
                if o is not None and o is not item:
                    parent = index[o]
                    break
        comments.append(Comment(index=i, parent=parent, text=texts[item], author=authors[item]))
    return comments


def _comments_from_text(text: str) -> list[Comment]:
    lines = [" ".join(line.split()) for line in text.split("\n")]
    kept = [line for line in lines if line and not _COMMENT_FORM.match(line)]
    return [Comment(index=i, parent=None, text=t) for i, t in enumerate(kept, start=1)]


def _trafilatura(tree: HtmlElement, url: str | None, *, focus: str, fast: bool) -> tuple[str, str]:
    """Body and comment text with trafilatura's `focus` ("precision", "balanced" or "recall").
    The precision pass skips trafilatura's external fallbacks (`fast`): on the Zyte dev set that
    cost 0.0005 F1 and saved 40% of the time; the balanced pass over the whole page, run only
    when the first one came out short, keeps them.
    """
    import trafilatura

    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=True,
        favor_precision=focus == "precision",
        favor_recall=focus == "recall",
        fast=fast,
        with_metadata=False,
    )
    if doc is None:
        return "", ""
    data = doc.as_dict()  # type: ignore[union-attr]
    return data.get("text") or "", data.get("comments") or ""


def _body_parts(text: str, title: str | None) -> tuple[list[str], list[str], list[str]]:
    """Paragraphs, boilerplate and credit lines of the extracted main text."""
    paragraphs = [" ".join(p.split()) for p in text.split("\n")]
    paragraphs = [p for p in paragraphs if p]
    title_words = _norm_words(title)
    # The title repeated as the first line is metadata, not body.
    if paragraphs and title_words:
        first = _norm_words(paragraphs[0])
        if (
            first
            and (first in title_words or title_words in first)
            and len(paragraphs[0]) < 1.3 * len(title or "")
        ):
            paragraphs.pop(0)
    boilerplate: list[str] = []
    credits: list[str] = []
    kept: list[str] = []
    for para in paragraphs:
        boilerplate.extend(AD_PLACEHOLDER.findall(para))
        para = AD_PLACEHOLDER.sub("", para).strip()
        if SOURCE_LINE.match(para):
            boilerplate.append(para)
            credits.append(para)
            continue
        credit = TRAILING_CREDIT.search(para)
        if credit and find_agencies([f"({credit.group(1)})"]):
            boilerplate.append(credit.group(0).strip())
            credits.append(credit.group(0).strip())
            para = para[: credit.start()].rstrip()
        if para:
            kept.append(para)
    return kept, boilerplate, credits


def _feed_value(raw: RawDocument, key: str) -> str | None:
    feed = raw.fields.get("feed") if raw.hint == "html" else None
    value = feed.get(key) if isinstance(feed, dict) else None
    return value if isinstance(value, str) and value else None


def extract_html(
    raw: RawDocument, html: str, *, notes: tuple[str, ...] = (), utf8: bytes | None = None
) -> Article:
    """Main text and metadata of an HTML page. Raises InputError E107 when no article is found.

    `notes` (what decoding did) are carried into `Article.notes`, with what extraction adds.
    `utf8`: the page's bytes when `html` is exactly their UTF-8 reading (`Decoded.utf8`), parsed
    instead of `html` (faster, same tree).
    """
    # The time budget is checked between the passes below (`check_budget`): where no signal can
    # interrupt the work (the API's worker threads), a page runs past its budget by one pass at most.
    tree = parse_html(html, utf8)
    if tree is None:
        raise InputError(f"{raw.source}: not an HTML page (no element tree)", code=errors.NO_ARTICLE)
    check_budget()
    meta = read_page_meta(tree, reference=raw.fetched_at, url=raw.url)
    check_budget()
    comments = read_comments(tree)
    prose = long_paragraphs(tree)
    check_budget()
    text, comment_text = _trafilatura(tree, raw.url, focus="precision", fast=True)
    check_budget()
    if len(text) < SHORT_BODY_CHARS:
        balanced, balanced_comments = _trafilatura(tree, raw.url, focus="balanced", fast=False)
        check_budget()
        if len(balanced) > 2 * len(text):
            text, comment_text = balanced, balanced_comments
    recovery = recover_truncated(
        prose,
        text,
        "\n".join([comment_text, *(c.text for c in comments)]),
        lambda page, focus: _trafilatura(page, raw.url, focus=focus, fast=True)[0],
    )
    text = recovery.text
    notes = (*notes, recovery.note) if recovery.note else notes
    if prefix_of_ld_body(text, meta.article_body) and meta.article_body:
        notes = (
            *notes,
            f"extraction: the body ({len(text)} characters) is the beginning of the page's JSON-LD "
            f"articleBody ({len(meta.article_body)} characters): the articleBody was kept",
        )
        text = meta.article_body
    check_budget()
    title = meta.title or _feed_value(raw, "title")
    paragraphs, boilerplate, credits = _body_parts(text, title)
    if not paragraphs:
        raise InputError(f"{raw.source}: no article text found in the HTML page", code=errors.NO_ARTICLE)
    boilerplate.extend(recovery.left_out)
    if not comments and comment_text.strip():
        comments = _comments_from_text(comment_text)
    body = "\n\n".join(paragraphs)
    check_length(body, raw.source)
    check_budget()
    published = _publication_date(tree, meta, raw)
    return Article(
        id=raw.id,
        url=raw.url,
        outlet=raw.outlet or meta.site_name or outlet_from_url(raw.url),
        title=title,
        body=body,
        paragraphs=tuple(paragraphs),
        published=published,
        language=detect_language(body[:LANGUAGE_SAMPLE_CHARS]) or meta.language,
        agencies=_agencies([title or "", *paragraphs, *credits, meta.author or ""]),
        comments=tuple(comments),
        comments_stated=None,
        boilerplate=tuple(boilerplate),
        source=raw.source,
        notes=notes,
    )


def _agencies(texts: list[str]) -> tuple[str, ...]:
    return find_agencies(t for t in texts if t)


def _publication_date(tree: HtmlElement, meta: PageMeta, raw: RawDocument) -> datetime | None:
    """Explicit article metadata (the page's, then the feed's), then htmldate (its quick search
    of markup and URL, then our parser of dates written in date elements, then htmldate's
    extensive search of the text: the extensive search costs as much as a quarter of the whole
    extraction and the date elements answer first on most pages). A date written in Arabic in a
    date element comes before htmldate, which reads «15 مارس 2024» as 2024-01-01. The day the
    page's URL states keeps an instant given in UTC on the outlet's own calendar day (`on_url_day`)."""
    published = meta.published
    if published is None and (feed_date := _feed_value(raw, "published")):
        published = parse_date(feed_date)
    text_date = meta.text_date
    if published is None and text_date is not None and text_date[1]:
        published = text_date[0]
    if published is None:
        published = _htmldate(tree, raw.url, extensive=False)
    if published is None and text_date is not None:
        published = text_date[0]
    if published is None:
        published = _htmldate(tree, raw.url, extensive=True)
    return on_url_day(published, raw.url) if published is not None else None


def _htmldate(tree: HtmlElement, url: str | None, *, extensive: bool) -> datetime | None:
    """htmldate's search (URL and markup; with `extensive`, text patterns too)."""
    from htmldate import find_date

    try:
        found = find_date(
            tree, url=url, extensive_search=extensive, original_date=True, outputformat="%Y-%m-%d"
        )
    except (ValueError, TypeError):
        return None
    return parse_date(found) if found else None
