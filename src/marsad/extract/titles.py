"""The article's title, chosen between what the page states: <title>, og:title, twitter:title,
JSON-LD headline and the visible <h1>.

Sites append (or prepend) their name to titles: "Port workers end strike - The Harbour Times". A
segment is cut only when it is the outlet's name: it matches og:site_name, the JSON-LD publisher,
application-name, or the page's domain. A headline's own colon or dash («Ausschuss zur Ahrtal-Flut:
Zwei Rücktritte – und viele offene Fragen») is never taken for a site name because it is short.
The candidates then vote: the form most of them agree on wins (ties go to the visible <h1>, then
to og:title, the JSON-LD headline, twitter:title and <title> in that order), so a <title> that
also carries a section name loses to the og:title and <h1> that do not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

_SEPARATOR = re.compile(r"\s+(?:[|\-–—:·»/]|::)\s+")
_WORDS = re.compile(r"\w+")
_GENERIC_LABELS = {"www", "com", "org", "net", "gov", "edu", "info", "co", "news", "html", "amp", "m"}
# Sources in the order they win ties.
TITLE_SOURCES = ("h1", "og:title", "headline", "twitter:title", "title")
MAX_TITLE_CHARS = 300


def _words(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


def _squashed(text: str) -> str:
    return "".join(_WORDS.findall(text.lower()))


def _host_labels(url: str | None) -> list[str]:
    host = urlsplit(url).hostname if url else None
    if not host:
        return []
    return [label for label in host.lower().split(".") if len(label) >= 3 and label not in _GENERIC_LABELS]


def is_outlet_name(part: str, names: Sequence[str], url: str | None) -> bool:
    """True when `part` of a title names the outlet: one of its stated `names` or its domain."""
    words = _words(part)
    if not words:
        return False
    for name in names:
        known = _words(name)
        if known and (words == known or (len(words) >= 3 and (words in known or known in words))):
            return True
    squashed = _squashed(part)
    for label in _host_labels(url):
        near = len(squashed) <= len(label) + 12
        if squashed == label or (
            near and (squashed.startswith(label) or (len(label) >= 4 and label in squashed))
        ):
            return True
        if len(squashed) >= 4 and squashed in label:
            return True
    return False


def cut_outlet(title: str, names: Sequence[str], url: str | None) -> str:
    """`title` without leading or trailing segments that name the outlet."""
    parts = _SEPARATOR.split(title)
    seps = _SEPARATOR.findall(title)
    start, end = 0, len(parts)
    while end - start > 1 and is_outlet_name(parts[end - 1], names, url):
        end -= 1
    while end - start > 1 and is_outlet_name(parts[start], names, url):
        start += 1
    if (start, end) == (0, len(parts)):
        return title
    out = parts[start]
    for i in range(start + 1, end):
        out += seps[i - 1] + parts[i]
    return out.strip()


def _segments(title: str) -> list[str]:
    """Every run of consecutive segments of `title` (split at separators), longest first."""
    parts = _SEPARATOR.split(title)
    seps = _SEPARATOR.findall(title)
    runs: list[str] = []
    for i in range(len(parts)):
        for j in range(i + 1, len(parts) + 1):
            if (i, j) != (0, len(parts)):
                run = parts[i]
                for k in range(i + 1, j):
                    run += seps[k - 1] + parts[k]
                runs.append(run.strip())
    return sorted(runs, key=len, reverse=True)


def choose_title(candidates: dict[str, str], names: Sequence[str], url: str | None) -> str | None:
    """The title most of the page's `candidates` (source -> text, sources as in TITLE_SOURCES)
    agree on, outlet names cut; None when the page states none."""
    bases: dict[str, str] = {}
    for source in TITLE_SOURCES:
        text = candidates.get(source)
        if text and len(text) <= MAX_TITLE_CHARS:
            bases[source] = cut_outlet(text, names, url)
    if not bases:
        return None
    by_words = {_words(b): b for b in reversed(bases.values())}  # the higher-ranked spelling wins
    support: dict[str, set[str]] = {}
    for source, base in bases.items():
        support.setdefault(_words(base), set()).add(source)
        others = {_words(b) for s, b in bases.items() if s != source}
        # a segment of this candidate that another candidate states whole ("Headline | Section")
        for run in _segments(base):
            if _words(run) in others:
                support.setdefault(_words(run), set()).add(source)
                break
    rank = {source: i for i, source in enumerate(TITLE_SOURCES)}
    best = max(
        support,
        key=lambda w: (len(support[w]), -min(rank[s] for s in support[w])),
    )
    return by_words.get(best) or next(b for b in bases.values() if _words(b) == best)
