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

from marsad.records import Comment

# Ad placeholders left by scrapers: [ads3], [ad], [advertisement], [إعلان]
AD_PLACEHOLDER = re.compile(r"\[\s*(?:ads?\s*\d*|advert(?:isement)?|إعلان|اعلان)\s*\]", re.IGNORECASE)
# A trailing parenthesised agency credit at the end of a paragraph: (AFP) (أ ف ب) (رويترز) (وكالات)
TRAILING_CREDIT = re.compile(r"\s*\(\s*([^()\n]{1,40}?)\s*\)\s*$")
SOURCE_LINE = re.compile(
    r"^\s*(?:المصدر|المصادر|مصدر الخبر|source|sources|source\s*:|avec)\s*[:：]\s*(.{1,80})$", re.IGNORECASE
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
    r"^\s*(?:(\d{1,6})\s+(?:comments?|تعليقات|تعليق|commentaires?|réactions?)"
    r"|(?:comments?|تعليقات|التعليقات|عدد التعليقات|commentaires?)\s*[:(]\s*(\d{1,6})\s*\)?)\s*$",
    re.IGNORECASE,
)
NO_COMMENTS = re.compile(r"^\s*(?:no comments|لا توجد تعليقات|aucun commentaire)\s*$", re.IGNORECASE)
NUMBERED = re.compile(r"^(\s*)(\d{1,4})[.)\-]\s+(.*)$")
_SENTENCE_END = re.compile(r"[.!?؟:…»\"”')\]]\s*$")


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


def _looks_like_title(line: str, rest: list[str]) -> bool:
    words = line.split()
    return (
        0 < len(words) <= 25
        and len(line) <= 200
        and not _SENTENCE_END.search(line)
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
    """Lines in one block are separate paragraphs unless the line before was hard-wrapped."""
    paragraphs: list[str] = []
    for line in block:
        text = line.strip()
        if paragraphs and not _SENTENCE_END.search(paragraphs[-1]) and len(paragraphs[-1]) >= 50:
            paragraphs[-1] = f"{paragraphs[-1]} {text}"
        else:
            paragraphs.append(text)
    return paragraphs


def parse_comments(lines: list[str]) -> list[Comment]:
    """Numbered, indented comments -> `Comment`s with page order and reply parents.

    Unnumbered comment sections fall back to one comment per blank-line separated block.
    """
    if not any(NUMBERED.match(line) for line in lines):
        return [
            Comment(index=i, parent=None, text=" ".join(s.strip() for s in block))
            for i, block in enumerate(_split_blocks(lines), start=1)
        ]
    comments: list[list[object]] = []  # [indent, parent, text]
    stack: list[tuple[int, int]] = []  # (indent, comment index) of the open ancestors
    for line in lines:
        if not line.strip():
            continue
        m = NUMBERED.match(line)
        if m:
            indent = len(m.group(1).expandtabs(4))
            while stack and stack[-1][0] >= indent:
                stack.pop()
            parent = stack[-1][1] if stack else None
            comments.append([indent, parent, m.group(3).strip()])
            stack.append((indent, len(comments)))
        elif comments:
            comments[-1][2] = f"{comments[-1][2]}\n{line.strip()}"
    return [
        Comment(index=i, parent=parent if isinstance(parent, int) else None, text=str(text))
        for i, (_indent, parent, text) in enumerate(comments, start=1)
    ]


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
    for line in lines:
        stripped = line.strip()
        disclaimer = next((d.search(stripped) for d in DISCLAIMERS if d.search(stripped)), None)
        if disclaimer and len(stripped) < 300:
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
