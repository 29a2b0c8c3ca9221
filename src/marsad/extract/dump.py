"""Plain-text news dumps: an optional title line, body paragraphs, then boilerplate and comments.

The layout this parser knows (seen in real scraped dumps such as the project's seeds):

    <title line>                      optional: short, no sentence-final punctuation, blank line after
    <paragraph> ...                   blank-line separated, or one paragraph per line
    ... last paragraph (AFP)[ads3]    a trailing agency credit and ad placeholders
    المصدر: وكالات                     a source line
    <site disclaimer>                 "التعليقات المنشورة لا تعبر عن رأي <site> ..."
    9 Comments                        the stated number of comments
      1. comment                      numbered comments; deeper indentation = a reply
        1. reply
      2. comment
         continuation line

Everything from the comment-count line (or a disclaimer followed by comments) down is the comment
section: it never reaches the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from marsad.boundary import check_budget
from marsad.records import Comment

# Ad placeholders left by scrapers: [ads3], [ad], [advertisement], [إعلان]. Every pattern below is
# written so that no two unbounded parts can match the same characters (no \s*\d*\s*): each runs in
# time linear in its line, whatever the line holds (60,000 spaces, a phrase repeated for 300 KB).
AD_PLACEHOLDER = re.compile(r"\[\s*(?:ads?(?:\s*\d+)?|advert(?:isement)?|إعلان|اعلان)\s*\]", re.IGNORECASE)
# A trailing parenthesised agency credit at the end of a paragraph: (AFP) (أ ف ب) (رويترز) (وكالات).
# Possessive \s*+ (Python 3.11) and no leading \s*: a run of 60,000 spaces is crossed once, not once
# per start position. Callers strip the text before `start()` themselves.
TRAILING_CREDIT = re.compile(r"\(\s*+([^()\n]{1,40}?)\s*+\)\s*+$")
# Disclaimers are single short lines; longer lines are never searched for one.
DISCLAIMER_MAX_CHARS = 300
SOURCE_LINE = re.compile(
    r"^\s*+(?:المصدر|المصادر|مصدر الخبر|source|sources|source\s*:|avec)\s*[:：]\s*(.{1,80})$", re.IGNORECASE
)
DISCLAIMERS = (
    re.compile(
        r"التعليقات\s+(?:المنشورة\s+)?لا\s+تعبر\s+(?:بالضرورة\s+)?عن\s+رأي\s+(.+?)(?:\s+و(?:انما|إنما)|$)"
    ),
    re.compile(r"(?:الآراء|الاراء)\s+الواردة\s+في\s+التعليقات"),
    re.compile(r"comments?\s+(?:do\s+not|don't)\s+(?:necessarily\s+)?reflect", re.IGNORECASE),
    re.compile(r"the\s+views\s+expressed\s+in\s+(?:the\s+)?comments", re.IGNORECASE),
    re.compile(r"les\s+commentaires\s+.*n'engagent\s+que", re.IGNORECASE),
)
COMMENT_COUNT = re.compile(
    r"^\s*+(?:(\d{1,6})\s+(?:comments?|تعليقات|تعليق|commentaires?|réactions?)"
    r"|(?:comments?|تعليقات|التعليقات|عدد التعليقات|commentaires?)\s*[:(]\s*(\d{1,6})\s*\)?)\s*$",
    re.IGNORECASE,
)
NO_COMMENTS = re.compile(r"^\s*+(?:no comments|لا توجد تعليقات|aucun commentaire)\s*$", re.IGNORECASE)
NUMBERED = re.compile(r"^(\s*+)(\d{1,4})[.)\-]\s+(.*)$")
_SENTENCE_END_CHARS = frozenset(".!?؟:…»\"”')]")
# Caps on what one dump can make: a page of 100,000 comments is not shown whole.
MAX_COMMENTS = 2000
MAX_COMMENT_CHARS = 10_000


@dataclass(slots=True)
class DumpParts:
    """What the dump parser found, before it becomes an `Article`."""

    title: str | None
    paragraphs: list[str]
    comments: list[Comment]
    comments_stated: int | None
    boilerplate: list[str] = field(default_factory=list)
    credit_lines: list[str] = field(default_factory=list)
    site_name: str | None = None


def _ends_sentence(text: str) -> bool:
    """Whether `text` ends (before trailing spaces) with sentence-final punctuation or a closing mark."""
    stripped = text.rstrip()
    return bool(stripped) and stripped[-1] in _SENTENCE_END_CHARS


def _looks_like_title(line: str, rest: list[str]) -> bool:
    return (
        len(line) <= 200
        and 0 < len(line.split()) <= 25
        and not _ends_sentence(line)
        and any(r.strip() for r in rest)
    )


def _split_blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line.rstrip())
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _block_paragraphs(block: list[str]) -> list[str]:
    """Lines in one block are separate paragraphs unless the line before was hard-wrapped.

    Linear: a paragraph is kept as its lines and joined once (re-scanning and re-copying the growing
    paragraph at every line took minutes on a few MB of hard-wrapped text).
    """
    paragraphs: list[list[str]] = []
    length = 0  # of the open paragraph, joined
    ended = True  # whether the open paragraph ends a sentence
    for n, line in enumerate(block):
        if n % 1024 == 0:
            check_budget()
        text = line.strip()
        if paragraphs and not ended and length >= 50:
            paragraphs[-1].append(text)
            length += 1 + len(text)
        else:
            paragraphs.append([text])
            length = len(text)
        ended = _ends_sentence(text) if text else ended
    return [" ".join(parts) for parts in paragraphs]


def parse_comments(lines: list[str]) -> list[Comment]:
    """Numbered, indented comments -> `Comment`s with page order and reply parents.

    Unnumbered comment sections fall back to one comment per blank-line separated block.
    """
    if not any(NUMBERED.match(line) for line in lines):
        return [
            Comment(index=i, parent=None, text=capped(" ".join(s.strip() for s in block)))
            for i, block in enumerate(_split_blocks(lines)[:MAX_COMMENTS], start=1)
        ]
    comments: list[tuple[int | None, list[str]]] = []  # (parent, lines)
    stack: list[tuple[int, int]] = []  # (indent, comment index) of the open ancestors
    for n, line in enumerate(lines):
        if n % 1024 == 0:
            check_budget()
        if not line.strip():
            continue
        m = NUMBERED.match(line)
        if m:
            if len(comments) == MAX_COMMENTS:
                break  # `comments_stated` still tells how many the page had
            indent = len(m.group(1).expandtabs(4))
            while stack and stack[-1][0] >= indent:
                stack.pop()
            comments.append((stack[-1][1] if stack else None, [m.group(3).strip()]))
            stack.append((indent, len(comments)))
        elif comments:
            comments[-1][1].append(line.strip())
    return [
        Comment(index=i, parent=parent, text=capped("\n".join(text)))
        for i, (parent, text) in enumerate(comments, start=1)
    ]


def capped(text: str) -> str:
    return text if len(text) <= MAX_COMMENT_CHARS else text[: MAX_COMMENT_CHARS - 1].rstrip() + "…"


def parse_dump(text: str, *, has_title: bool | None = None) -> DumpParts:
    """Split a plain-text dump into title, body paragraphs, boilerplate and comments.

    `has_title`: None to decide from the layout, False when the caller knows there is no title
    line (for example a JSON record that carries its own title).
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    boilerplate: list[str] = []
    credit_lines: list[str] = []
    site_name: str | None = None
    comments_stated: int | None = None
    comment_lines: list[str] = []

    # 1. Cut the comment section off first: nothing under the count line is body.
    cut = len(lines)
    for i, line in enumerate(lines):
        m = COMMENT_COUNT.match(line)
        if m:
            comments_stated = int(m.group(1) or m.group(2))
            boilerplate.append(line.strip())
            comment_lines = lines[i + 1 :]
            cut = i
            break
        if NO_COMMENTS.match(line):
            comments_stated = 0
            boilerplate.append(line.strip())
            cut = i
            break
    lines = lines[:cut]

    # 2. Boilerplate lines anywhere in what is left: disclaimers and source lines.
    kept: list[str] = []
    for n, line in enumerate(lines):
        if n % 1024 == 0:
            check_budget()
        stripped = line.strip()
        disclaimer = (
            next((m for d in DISCLAIMERS if (m := d.search(stripped))), None)
            if len(stripped) < DISCLAIMER_MAX_CHARS
            else None
        )
        if disclaimer:
            boilerplate.append(stripped)
            if disclaimer.groups() and disclaimer.group(1):
                site_name = disclaimer.group(1).strip()
            continue
        if SOURCE_LINE.match(stripped):
            boilerplate.append(stripped)
            credit_lines.append(stripped)
            continue
        kept.append(line)

    # 3. Title line.
    title: str | None = None
    first = next((i for i, line in enumerate(kept) if line.strip()), None)
    if first is not None and has_title is not False:
        candidate = kept[first].strip()
        rest = kept[first + 1 :]
        followed_by_blank = bool(rest) and not rest[0].strip()
        if _looks_like_title(candidate, rest) and (has_title or followed_by_blank):
            title = candidate
            kept = rest

    # 4. Paragraphs; ad placeholders and trailing credits come off and are recorded.
    paragraphs: list[str] = []
    for block in _split_blocks(kept):
        for para in _block_paragraphs(block):
            for ad in AD_PLACEHOLDER.findall(para):
                boilerplate.append(ad)
            para = AD_PLACEHOLDER.sub("", para).strip()
            credit = TRAILING_CREDIT.search(para)
            if credit and _is_credit(credit.group(1)):
                credit_lines.append(credit.group(0).strip())
                boilerplate.append(credit.group(0).strip())
                para = para[: credit.start()].rstrip()
            if para:
                paragraphs.append(para)

    return DumpParts(
        title=title,
        paragraphs=paragraphs,
        comments=parse_comments(comment_lines),
        comments_stated=comments_stated,
        boilerplate=boilerplate,
        credit_lines=credit_lines,
        site_name=site_name,
    )


def _is_credit(inner: str) -> bool:
    from marsad.extract.agencies import find_agencies

    return bool(find_agencies([f"({inner})"])) or inner.strip() in {"وكالات", "وكالات الأنباء"}
