"""Sentence splitting that knows Arabic punctuation (. ؟ ! ؛ …) and keeps quotes whole."""

from __future__ import annotations

import re

# A sentence ends at . ! ? ؟ … (or ؛ between long clauses) followed by space, unless inside quotes.
_END = re.compile(r"(?<=[.!?؟…])[\"”»’']?\s+")
_OPEN = '“«"'
_CLOSE = '”»"'


def split_sentences(text: str) -> list[str]:
    """Split `text` into sentences; paragraphs (blank lines / newlines) always end a sentence."""
    sentences: list[str] = []
    for para in re.split(r"\n+", text):
        para = para.strip()
        if not para:
            continue
        start = 0
        for m in _END.finditer(para):
            chunk = para[start : m.end()]
            # Do not split inside an open quotation: count opening vs closing marks so far.
            opened = sum(chunk.count(c) for c in "“«") - sum(chunk.count(c) for c in "”»")
            straight = chunk.count('"') % 2
            if opened > 0 or straight:
                continue
            sentences.append(chunk.strip())
            start = m.end()
        tail = para[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences
