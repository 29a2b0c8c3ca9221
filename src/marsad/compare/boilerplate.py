"""Lines of an article that state no claim of their own: datelines, bylines, captions, and the
headline repeated in the body ("رابط الخبر بصحيفة الوئام: <headline>").

Extraction keeps them (they are part of the text as published); the comparison must not let them
take a real sentence's place in the matching, nor list them as what an outlet adds.
"""

from __future__ import annotations

import re

from marsad.text.tokens import STOPWORDS, tokenize

# A line of this many words or fewer, without closing punctuation, is a label, not a sentence.
FRAGMENT_WORDS = 3
_CLOSED = re.compile(r"[.!?؟…»”\"')]$")


def is_fragment(line: str) -> bool:
    """A line that states no claim: at most `FRAGMENT_WORDS` words and no closing punctuation (a
    dateline "عين اليوم – الرياض", a byline, a caption; "Schools stayed shut." is a short sentence)."""
    text = line.strip()
    return len(re.findall(r"\w+", text)) <= FRAGMENT_WORDS and not _CLOSED.search(text)


def restates_title(title: str | None, sentence: str) -> bool:
    """Whether `sentence` repeats the headline `title` (nine in ten of its content words or more): a
    "link to the story" line or a tag line. The headline states the story's main claim, which the
    other outlets carry in their own words; a body line repeating it (other than the lead, which is
    the outlet's own telling) is never something the outlet adds."""
    words = {t for t in tokenize(title or "") if t not in STOPWORDS}
    if len(words) < 3:
        return False
    return len(words & set(tokenize(sentence))) >= 0.9 * len(words)
