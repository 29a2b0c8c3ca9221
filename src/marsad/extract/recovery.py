"""No silent truncation: text the precision-first extraction dropped from the article is found
and either kept or recorded.

trafilatura's precision mode prunes more than its balanced mode: a `<header>` inside the story, a
`<div>` whose class is `link` or ends in `bottom`, an inline `style="border..."`, a link-dense
block. When such a block wraps the second half of an article, precision mode keeps the first
paragraphs and silently loses the rest. The check here is cheap and runs on every page: the long
`<p>` paragraphs of the page are listed before extraction; those the body misses and that sit in
the same container as the paragraphs it kept (the article, not a sidebar of teasers) are the
article's lost text. When they weigh enough, the container alone is extracted again in balanced
(then recall) mode, which keeps the article and still leaves out what trafilatura calls
boilerplate; whatever real text is still left out is recorded as boilerplate, never dropped unseen.
The page's own statement of the article (JSON-LD `articleBody`) is the last check: a body that is
only its beginning is replaced by it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from marsad.boundary import check_budget

# An lxml.html element (lxml ships no type stubs here, so it is typed loosely).
HtmlElement = Any

# A <p> this long is prose; shorter ones (captions, bylines, buttons) do not count as lost text.
LONG_PARAGRAPH_CHARS = 100
# A paragraph is found in a text by its first characters: extractors differ in spacing inside.
_PROBE_CHARS = 60
# Lost text of the article container that triggers recovery: at least this many characters and
# this share of what the precision pass kept.
MIN_LOST_CHARS = 250
MIN_LOST_SHARE = 0.2
# The container is the deepest element holding this share of the kept paragraphs' text, so one
# stray paragraph kept from a sidebar does not widen it to the whole page.
CONTAINER_SHARE = 0.75
# A recovered extraction is taken when it holds this share of the lost text.
RECOVERED_SHARE = 0.6
# JSON-LD articleBody replaces a body that is its beginning and this much shorter.
LD_BODY_RATIO = 1.5
_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Whitespace collapsed to single spaces: how paragraphs are compared across extractors."""
    return _SPACE.sub(" ", text).strip()


def _probe(text: str) -> str:
    return text[:_PROBE_CHARS]


@dataclass(slots=True, frozen=True)
class Paragraph:
    """A long <p> of the page, with its element for locating the article container."""

    element: HtmlElement
    text: str


def long_paragraphs(tree: HtmlElement) -> list[Paragraph]:
    """The page's <p> elements of LONG_PARAGRAPH_CHARS or more, in document order (read before
    extraction: trafilatura works on a copy, but our tree must be the page as served)."""
    found: list[Paragraph] = []
    for el in tree.iter("p"):
        raw = el.text_content()
        if len(raw) < LONG_PARAGRAPH_CHARS:
            continue  # squashing only shortens: most <p> of a page are skipped without it
        text = squash(raw)
        if len(text) >= LONG_PARAGRAPH_CHARS:
            found.append(Paragraph(el, text))
    return found


def _container(kept: Sequence[Paragraph]) -> HtmlElement | None:
    if not kept:
        return None
    total = sum(len(p.text) for p in kept)
    weight: dict[HtmlElement, int] = {}
    depth: dict[HtmlElement, int] = {}
    for p in kept:
        ancestors = list(p.element.iterancestors())
        for d, anc in enumerate(reversed(ancestors)):
            weight[anc] = weight.get(anc, 0) + len(p.text)
            depth[anc] = d
    candidates = [a for a, w in weight.items() if w >= CONTAINER_SHARE * total and a.tag not in ("html",)]
    return max(candidates, key=lambda a: depth[a]) if candidates else None


def _inside(el: HtmlElement, container: HtmlElement) -> bool:
    return any(anc is container for anc in el.iterancestors())


@dataclass(slots=True, frozen=True)
class Coverage:
    """How much of the article container's prose an extracted body holds."""

    container: HtmlElement | None
    lost: tuple[Paragraph, ...]

    @property
    def lost_chars(self) -> int:
        return sum(len(p.text) for p in self.lost)


def coverage(paragraphs: Sequence[Paragraph], body: str, set_apart: str) -> Coverage:
    """The long paragraphs of the article container that `body` misses (comments and other text
    already `set_apart` do not count)."""
    flat = squash(body)
    kept = [p for p in paragraphs if _probe(p.text) in flat]
    container = _container(kept)
    if container is None:
        return Coverage(None, ())
    apart = squash(set_apart)
    lost = tuple(
        p
        for p in paragraphs
        if _probe(p.text) not in flat and _probe(p.text) not in apart and _inside(p.element, container)
    )
    return Coverage(container, lost)


def is_truncated(cov: Coverage, body: str) -> bool:
    """True when the lost text of the container weighs enough to be the article's, not a caption."""
    return cov.lost_chars >= max(MIN_LOST_CHARS, MIN_LOST_SHARE * len(body))


def container_page(container: HtmlElement) -> HtmlElement:
    """A page holding only a copy of `container`, for extracting it alone."""
    page = container.makeelement("html", {})
    body = page.makeelement("body", {})
    page.append(body)
    body.append(deepcopy(container))
    return page


def merge_recovered(precision: str, recovered: str) -> str:
    """The recovered container text, with the precision lines it lacks kept in their place
    (before its first shared line or after its last: a lead or a closing line outside the container)."""
    p_lines = [squash(line) for line in precision.split("\n") if line.strip()]
    r_lines = [squash(line) for line in recovered.split("\n") if line.strip()]
    r_flat = "\n".join(r_lines)
    shared = [i for i, line in enumerate(p_lines) if _probe(line) in r_flat]
    if not shared:
        return "\n".join(r_lines)
    head = [line for line in p_lines[: shared[0]] if _probe(line) not in r_flat]
    tail = [line for line in p_lines[shared[-1] + 1 :] if _probe(line) not in r_flat]
    return "\n".join([*head, *r_lines, *tail])


def share_found(lost: Sequence[Paragraph], text: str) -> float:
    """Share of the lost characters that `text` holds."""
    total = sum(len(p.text) for p in lost)
    if not total:
        return 1.0
    flat = squash(text)
    return sum(len(p.text) for p in lost if _probe(p.text) in flat) / total


@dataclass(slots=True, frozen=True)
class Recovery:
    """The body after the truncation check, the lost text still left out, and what was done."""

    text: str
    left_out: tuple[str, ...]
    note: str | None


def _texts(paragraphs: Iterable[Paragraph]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.text for p in paragraphs))  # a caption repeated in a gallery once


def _describe(el: HtmlElement) -> str:
    attrs = " ".join(f'{k}="{el.get(k)}"' for k in ("id", "class") if el.get(k))
    return f"<{el.tag}{' ' + attrs if attrs else ''}>"


def recover_truncated(
    paragraphs: Sequence[Paragraph],
    text: str,
    set_apart: str,
    extract_container: Callable[[HtmlElement, str], str],
) -> Recovery:
    """Check `text` (the precision pass) against the page's long paragraphs and recover the
    article when it was cut: `extract_container(page, focus)` extracts a page holding the
    container alone, in "balanced" then "recall" focus."""
    cov = coverage(paragraphs, text, set_apart)
    if not cov.lost:
        return Recovery(text, (), None)
    if not is_truncated(cov, text):
        return Recovery(text, _texts(cov.lost), None)
    page = container_page(cov.container)
    for focus in ("balanced", "recall"):
        check_budget()
        recovered = extract_container(page, focus)
        if share_found(cov.lost, recovered) >= RECOVERED_SHARE:
            merged = merge_recovered(text, recovered)
            flat = squash(merged)
            still_lost = _texts(p for p in cov.lost if _probe(p.text) not in flat)
            note = (
                f"extraction: the precision pass kept {len(squash(text))} characters and missed "
                f"{cov.lost_chars} characters of prose in the article container {_describe(cov.container)}; "
                f"re-extracted that container ({focus}): {len(flat)} characters"
            )
            return Recovery(merged, still_lost, note)
    note = (
        f"extraction: {cov.lost_chars} characters of prose in the article container "
        f"{_describe(cov.container)} were left out by every extraction pass; kept as boilerplate"
    )
    return Recovery(text, _texts(cov.lost), note)


def prefix_of_ld_body(body: str, ld_body: str | None) -> bool:
    """True when the page's JSON-LD articleBody is `body` and clearly more: the body was cut."""
    if not ld_body:
        return False
    lines = [squash(line) for line in body.split("\n") if line.strip()]
    ld = squash(ld_body)
    if not lines or len(ld) < LD_BODY_RATIO * len(squash(body)):
        return False
    return _probe(lines[0]) in ld and _probe(lines[-1]) in ld
