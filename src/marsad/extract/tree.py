"""The page's element tree, parsed once and shared by trafilatura, our metadata readers and htmldate.

trafilatura's `load_html` builds the tree every reader here expects (its parser settings, its
repairs of faulty markup). On a str it first strips control characters with a regex over the whole
page, then has libxml2 read the str. When the page's bytes are valid UTF-8 with no control
characters (`marsad.ingest.decode.clean_utf8`) neither step is needed: libxml2 reads the bytes
themselves, which is faster, and the tree is the same (tests/extract/test_extract_tree.py compares
them). Anything unusual (an XHTML doctype on the first line is the only repair done here, a
self-closing <html/>, a parse that yields no tree) goes to `load_html`.
"""

from __future__ import annotations

from typing import Any

# An lxml.html element (lxml ships no type stubs here, so it is typed loosely).
HtmlElement = Any
# load_html reads the first lines for a self-closing <html .../>.
_HEAD_CHARS = 4096


def parse_html(html: str, utf8: bytes | None = None) -> HtmlElement | None:
    """The element tree of `html`, as trafilatura's `load_html` builds it, or None when it is no HTML.

    `utf8`: the bytes `html` was read from, when `html` is exactly their UTF-8 reading and they hold
    no control characters (`Decoded.utf8`); the tree is then parsed from them.
    """
    from trafilatura.utils import load_html

    if utf8 is None:
        return load_html(html)
    tree = _parse_utf8(html, utf8)
    return tree if tree is not None else load_html(html)


def _parse_utf8(html: str, utf8: bytes) -> HtmlElement | None:
    """load_html's steps on clean UTF-8 bytes; None where it would do more than these."""
    from lxml import etree  # type: ignore[import-untyped]
    from lxml.html import fromstring  # type: ignore[import-untyped]
    from trafilatura.utils import DOCTYPE_TAG, HTML_PARSER

    beginning = html[:50].lower()
    if any("<html" in line and line.endswith("/>") for line in html[:_HEAD_CHARS].splitlines()[:4]):
        return None
    if "doctype" in beginning:
        # libxml2 mis-reads an XHTML doctype (lxml bug 1955915): load_html removes it.
        first, _, rest = utf8.partition(b"\n")
        line = first.decode("utf-8")
        fixed = DOCTYPE_TAG.sub("", line, count=1)
        if fixed != line:
            utf8 = fixed.encode("utf-8") + b"\n" + rest
    try:
        tree = fromstring(utf8, parser=HTML_PARSER)
    except (ValueError, etree.LxmlError):
        return None
    if tree is None or len(tree) < 1:
        return None
    if "html" not in beginning and len(tree) < 2:
        return None  # load_html's rejection of a fragment that is no HTML page
    return tree
