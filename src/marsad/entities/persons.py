"""Trigger rules that find person names, and role references that stand for a person.

No offline neural NER exists here, so persons come from evidence a reader would use:
- a title or role before a name: "وزير الخارجية الروسي سيرغي لافروف", "Foreign Minister Sergei
  Lavrov", "le ministre des Affaires étrangères Sergueï Lavrov", "ممثل حزب ...، إبراهيم إبراهيم،";
- the subject of a speech verb: "وقال لافروف", "Lavrov said", "said Lavrov", "X a déclaré";
- apposition: "Sergei Lavrov, Russia's foreign minister".
A title with no name after it ("الوزير الروسي", "the minister") is a `RoleRef`, resolved later.
"""

from __future__ import annotations

from dataclasses import dataclass

from marsad.entities.folding import Token, clitic_forms
from marsad.entities.lexicon import (
    AR_COMPLEMENTS,
    AR_SPEECH_VERBS,
    AR_STOP,
    AR_TITLES,
    LATIN_SPEECH_VERBS,
    LATIN_STOP,
    LATIN_TITLE_WORDS,
    LATIN_TITLES,
)

_NAME_LINKS = frozenset({"عبد", "ابو", "بن", "ابن", "ابي", "ال"})
_LATIN_PARTICLES = frozenset(
    {"al-", "al", "el", "bin", "ben", "de", "van", "von", "da", "di", "le", "du", "abu"}
)
_ROLE_DETERMINERS = frozenset({"the", "le", "la", "l'", "les"})
_MAX_NAME = 3
_AR_PLACE_LINKS = frozenset({"في", "لدي", "بدوله"})  # folded: في, لدى, بدولة
_QUOTE_MARKS = frozenset('"“”«»„')
# What typically follows the name in "وقال لافروف إن ...", "وقال إبراهيم لوكالة ...".
_AR_AFTER_SPEAKER = frozenset(
    "ان انه انها انهم بان في خلال امام عن لوكاله لصحيفه لقناه لموقع لمراسل لوسائل للصحفيين اليوم".split()
)


@dataclass(slots=True, frozen=True)
class PersonHit:
    """Tokens `first`..`last` (inclusive) name a person; `role` is the title phrase before it."""

    first: int
    last: int
    role: str | None
    rule: str
    clitic: int = 0  # letters of the first token that are a proclitic, not the name (لبشار)


@dataclass(slots=True, frozen=True)
class RoleRef:
    """A title standing for a person ("الوزير الروسي"): `head` the title, `words` what qualifies it."""

    first: int
    last: int
    head: str
    words: tuple[str, ...]


def _title_form(tok: Token) -> str | None:
    if tok.arabic:
        return next((f for f in clitic_forms(tok.norm) if f in AR_TITLES), None)
    return tok.norm if tok.norm in LATIN_TITLES else None


def _gap(text: str, tokens: list[Token], j: int) -> str:
    return text[tokens[j - 1].end : tokens[j].start] if j > 0 else ""


def _arabic_name(tokens: list[Token], j: int, taken: set[int]) -> list[int]:
    names: list[int] = []
    k = j
    # A name with a link (عبد, بن, أبو) may take one word more: عبد القادر بن صالح.
    while k < len(tokens) and len(names) < _MAX_NAME + any(tokens[x].norm in _NAME_LINKS for x in names):
        t = tokens[k]
        if (k > j and t.break_before) or not t.arabic or k in taken:
            break
        if t.norm in AR_STOP or t.norm in AR_TITLES or len(t.norm) < 2:
            break
        if t.norm.endswith("ا") and t.norm[:-1] in AR_TITLES:
            break  # a title in the accusative after the name: عين راشدي مديرا
        if t.norm.startswith(("وال", "بال", "فال", "كال", "لل")):
            break  # a coordinated or prepositional noun (والمرافق, للشئون), not a name
        if t.norm.startswith("ال"):
            after = tokens[k + 1] if k + 1 < len(tokens) else None
            ends = after is None or after.break_before or after.norm in AR_STOP or not after.arabic
            linked = bool(names) and tokens[names[-1]].norm in _NAME_LINKS
            if not names or not (linked or ends):
                break
        names.append(k)
        k += 1
    while names and tokens[names[-1]].norm in _NAME_LINKS:
        names.pop()
    return names


def _latin_name(tokens: list[Token], j: int, taken: set[int]) -> list[int]:
    names: list[int] = []
    k = j
    while k < len(tokens) and len(names) < _MAX_NAME + 1:
        t = tokens[k]
        if (k > j and t.break_before) or t.arabic or k in taken:
            break
        if t.norm in _LATIN_PARTICLES and names and k + 1 < len(tokens) and tokens[k + 1].upper:
            names.append(k)
            k += 1
            continue
        if not t.upper or t.norm in LATIN_STOP or t.norm in LATIN_TITLES or t.norm in LATIN_TITLE_WORDS:
            break
        if t.surface.isupper() and len(t.surface) > 1:
            break  # an acronym or a dateline (WASHINGTON), not a name
        names.append(k)
        k += 1
    while names and tokens[names[-1]].norm in _LATIN_PARTICLES:
        names.pop()
    return names


def _arabic_title(text: str, tokens: list[Token], i: int, taken: set[int]) -> PersonHit | RoleRef | None:
    j = i + 1
    while j < len(tokens) and j - i <= 7 and not tokens[j].break_before:
        t = tokens[j].norm
        if (
            j in taken
            or t in AR_COMPLEMENTS
            or t in AR_TITLES
            or (t.startswith("ال") and t not in AR_STOP and len(t) > 3)
        ):
            j += 1
        else:
            break
    role = text[tokens[i].start : tokens[j - 1].end]
    if (
        j < len(tokens)
        and tokens[j].break_before
        and j > i + 1
        and any(c in _gap(text, tokens, j) for c in "،,")
    ):
        names = _arabic_name(tokens, j, taken)  # apposition: ممثل الحزب، إبراهيم إبراهيم،
    elif j < len(tokens) and not tokens[j].break_before:
        names = _arabic_name(tokens, j, taken)
    else:
        names = []
    if not names and j + 2 < len(tokens) and j > i + 1 and tokens[j].norm in _AR_PLACE_LINKS:
        # وزير المالية في رملان سامي النوري: the role names where; the name comes after the place.
        k = j + 1
        if not tokens[k].break_before:
            k += 1
            while k < len(tokens) and k - 1 in taken and k in taken and not tokens[k].break_before:
                k += 1
            after = _arabic_name(tokens, k, taken) if k < len(tokens) and not tokens[k].break_before else []
            if len(after) >= 2:  # one word after a place is as often a verb as a name
                role = text[tokens[i].start : tokens[k - 1].end]
                names = after
    if names:
        return PersonHit(first=names[0], last=names[-1], role=role, rule="title")
    head = _title_form(tokens[i]) or tokens[i].norm
    if head.startswith("ال"):
        words = tuple(tokens[k].norm for k in range(i + 1, j))
        return RoleRef(first=i, last=j - 1, head=head.removeprefix("ال"), words=words)
    return None


def _latin_title(text: str, tokens: list[Token], i: int, taken: set[int]) -> PersonHit | RoleRef | None:
    j = i + 1
    lower_run = 0
    while j < len(tokens) and j - i <= 6 and not tokens[j].break_before:
        t = tokens[j]
        if j in taken or t.norm in LATIN_TITLE_WORDS or t.norm in LATIN_TITLES:
            j += 1
        elif not t.upper and lower_run < 4 and t.norm not in LATIN_SPEECH_VERBS:
            lower_run += 1
            j += 1
        else:
            break
    names = _latin_name(tokens, j, taken) if j < len(tokens) and not tokens[j].break_before else []
    if not names and j > i + 1:  # "le ministre russe Lavrov": retry right after the title word
        names = _latin_name(tokens, i + 1, taken)
    role = text[tokens[i].start : tokens[max(i, (names[0] if names else j) - 1)].end]
    if names:
        return PersonHit(first=names[0], last=names[-1], role=role, rule="title")
    before = tokens[i - 1].norm if i > 0 else ""
    if before in _ROLE_DETERMINERS or before.endswith("'s"):
        words = tuple(tokens[k].norm for k in range(i + 1, j) if tokens[k].upper or k in taken)
        return RoleRef(first=i - 1, last=j - 1, head=tokens[i].norm, words=words)
    return None


def _speech_subjects(
    text: str, tokens: list[Token], taken: set[int], hits: list[PersonHit]
) -> list[PersonHit]:
    used = {k for h in hits for k in range(h.first, h.last + 1)}
    out: list[PersonHit] = []
    for i, tok in enumerate(tokens):
        if tok.arabic:
            if i + 1 < len(tokens) and any(f in AR_SPEECH_VERBS for f in clitic_forms(tok.norm)):
                nxt = tokens[i + 1]
                quoted = any(c in _QUOTE_MARKS for c in text[tok.end : nxt.start])
                if nxt.arabic and not nxt.break_before and not quoted and not nxt.norm.startswith("ال"):
                    names = _arabic_name(tokens, i + 1, taken)[:1]
                    after = tokens[names[0] + 1] if names and names[0] + 1 < len(tokens) else None
                    typical = after is None or after.break_before or after.norm in _AR_AFTER_SPEAKER
                    if names and names[0] not in used and typical:
                        out.append(PersonHit(first=names[0], last=names[0], role=None, rule="speech"))
            continue
        if tok.norm not in LATIN_SPEECH_VERBS:
            continue
        # "Lavrov said" / "Sergei Lavrov a déclaré" / "said Lavrov"
        k = i - 1
        if k >= 0 and tokens[k].norm in {"a", "a-t-il", "has", "had"}:
            k -= 1
        run: list[int] = []
        if k >= 0 and not tokens[k + 1].break_before:
            while k >= 0 and len(run) < _MAX_NAME and tokens[k].upper and not tokens[k].arabic:
                if tokens[k].norm in LATIN_STOP or k in taken or tokens[k].norm in LATIN_TITLES:
                    break
                run.insert(0, k)
                if tokens[k].break_before:
                    break
                k -= 1
        if run and all(x not in used for x in run):
            out.append(PersonHit(first=run[0], last=run[-1], role=None, rule="speech"))
        quoted = i + 1 < len(tokens) and any(c in _QUOTE_MARKS for c in text[tok.end : tokens[i + 1].start])
        if i + 1 < len(tokens) and not tokens[i + 1].break_before and not quoted:
            names = _latin_name(tokens, i + 1, taken)
            if names and all(x not in used for x in names):
                out.append(PersonHit(first=names[0], last=names[-1], role=None, rule="speech"))
    return out


def _appositions(text: str, tokens: list[Token], taken: set[int]) -> list[PersonHit]:
    """ "Sergei Lavrov, Russia's foreign minister," -> Sergei Lavrov (two or more capitalized words)."""
    out: list[PersonHit] = []
    i = 0
    while i < len(tokens):
        names = _latin_name(tokens, i, taken) if tokens[i].upper and not tokens[i].arabic else []
        if len(names) >= 2:
            nxt = names[-1] + 1
            window = tokens[nxt : nxt + 5]
            apposed = bool(window) and window[0].break_before and "," in _gap(text, tokens, nxt)
            if apposed and any(t.norm in LATIN_TITLES for t in window):
                role_end = next(k for k, t in enumerate(window) if t.norm in LATIN_TITLES)
                role = text[window[0].start : window[role_end].end]
                out.append(PersonHit(first=names[0], last=names[-1], role=role, rule="title"))
            i = names[-1] + 1
        else:
            i += 1
    return out


def _repeated_surnames(tokens: list[Token], taken: set[int], hits: list[PersonHit]) -> list[PersonHit]:
    """ "Cheech Marin ... Marin told" -> Cheech Marin: two or three capitalized Latin words whose last
    word comes back alone later (news style names a person in full once, then by surname; places
    and organisations are not referred to by their last word)."""
    used = {k for h in hits for k in range(h.first, h.last + 1)}
    out: list[PersonHit] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        names = _latin_name(tokens, i, taken) if tok.upper and not tok.arabic and i not in used else []
        if not 2 <= len(names) <= 3 or any(k in used for k in names):
            i += 1
            continue
        last = tokens[names[-1]]
        alone = (
            k
            for k in range(names[-1] + 2, len(tokens))
            if tokens[k].norm == last.norm
            and tokens[k].upper
            and k not in taken
            and (tokens[k].break_before or not tokens[k - 1].upper)
            and (k + 1 >= len(tokens) or tokens[k + 1].break_before or not tokens[k + 1].upper)
        )
        if len(last.norm) >= 3 and next(alone, None) is not None:
            out.append(PersonHit(first=names[0], last=names[-1], role=None, rule="surname"))
        i = names[-1] + 1
    return out


def find_persons(
    text: str, tokens: list[Token], taken: set[int], *, titles_only: bool = False
) -> tuple[list[PersonHit], list[RoleRef]]:
    """Person names and role references in `tokens`; `taken` marks tokens a gazetteer already named.
    `titles_only`: only the title rule (the tagger names the persons; the titles give their roles)."""
    hits: list[PersonHit] = []
    refs: list[RoleRef] = []
    for i, tok in enumerate(tokens):
        if i in taken or _title_form(tok) is None:
            continue
        found = _arabic_title(text, tokens, i, taken) if tok.arabic else _latin_title(text, tokens, i, taken)
        if isinstance(found, PersonHit):
            hits.append(found)
        elif isinstance(found, RoleRef):
            refs.append(found)
    if titles_only:
        return hits, refs
    hits.extend(_appositions(text, tokens, taken))
    hits.extend(_speech_subjects(text, tokens, taken, hits))
    hits.extend(_repeated_surnames(tokens, taken, hits))
    return hits, refs
