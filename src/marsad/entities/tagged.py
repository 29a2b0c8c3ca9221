"""Mentions of an Arabic text from the learned tagger, keyed like the rule-found ones.

The CRF decides what is a name and of which type; the gazetteer only gives a found place or
organisation its key (geo:…, country:…, org:…) and tells agencies apart. A listed place the tagger
did not propose is not a mention: «وأن» is not Van, «سعيدة» is a place only where the tagger reads
a place. Curated organisations and news agencies (data/organisations.json, the agency list) are
kept even when the tagger missed them: their names are unambiguous.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from marsad.entities.folding import Token, _clitic_forms, skip_letters, strip_accents
from marsad.entities.gazetteer import Gazetteer, GazetteerEntry, resolve_homonym
from marsad.entities.lexicon import AR_INSTITUTION_HEADS, AR_PLACE_HEADS, AR_STOP, AR_TITLES, AR_TRIBES
from marsad.entities.ner import TaggedSpan, TaggedText
from marsad.entities.ner_features import WordClusters
from marsad.entities.persons import PersonHit, RoleRef, find_persons
from marsad.entities.records import Mention
from marsad.text.arabic import fold_letters, normalize

_KINDS = {"LOC": "place", "ORG": "org"}
_NOT_IN_PERSON = ("وال", "بال", "فال", "كال", "لل", "لذ")
_NAME_LINKS = frozenset(fold_letters(w) for w in "بن ابن بنت عبد أبو أبي آل ال".split())
_NOT_FIRST = AR_STOP | frozenset(fold_letters(w) for w in "أول ثاني ثالث أولى".split())
_NEVER_INSIDE = frozenset(
    fold_letters(w)
    for w in "أن إن أنه إنه أنها إنها الذي التي الذين قد كان كانت لم لن هذا هذه ذلك تلك عن".split()
)


@dataclass(slots=True)
class TaggedField:
    """What the tagger found in one field, in the recognizer's terms (see `RuleEntityRecognizer`)."""

    mentions: list[Mention]
    taken: set[int]
    hits: list[PersonHit]
    refs: list[RoleRef]


def _token_range(tokens: list[Token], starts: list[int], span: TaggedSpan) -> tuple[int, int] | None:
    """The word tokens inside a tagged span (`starts`: the tokens' start offsets, ascending)."""
    first = bisect_right(starts, span.start) - 1
    if first < 0 or tokens[first].end <= span.start:
        first += 1
    last = bisect_left(starts, span.end) - 1
    return (first, last) if first <= last else None


def _trim(tokens: list[Token], first: int, last: int, person: bool) -> tuple[int, int]:
    """The span cut before the first word that is never inside a name (أن، الذي، قد ...; in a
    person's name also any function word and a coordinated or prepositional noun: والجندي، لذوي)."""
    if (
        person
        and last - first >= 2
        and tokens[first].norm.startswith("ال")
        and tokens[first].norm.endswith("ي")
    ):
        first += 1  # a nisba after a title, then the name: (وزير المالية) الرملاني سامي النوري
    while person and first < last and (tokens[first].norm in _NOT_FIRST or tokens[first].norm in AR_TITLES):
        first += 1  # a rank or title the tagger took in: (الجندي) أول حسن ناصر
    for k in range(first, last + 1):
        norm = tokens[k].norm
        cut = norm in _NEVER_INSIDE or (k > first and tokens[k].break_before)
        if person and k > first:
            cut = cut or norm in AR_STOP or norm.startswith(_NOT_IN_PERSON)
        if cut:
            last = k - 1
            break
    while person and last > first and tokens[last].norm in _NAME_LINKS:
        last -= 1  # a name does not end on a link: محمد بن
    if person and first == last and (tokens[first].norm in _NAME_LINKS or tokens[first].norm in _NOT_FIRST):
        return first, first - 1  # a link or a function word alone is no name
    return first, last


def _heads(word: str) -> tuple[str, ...]:
    """`word` without proclitic and without its article: بقاعدة -> قاعده, والسوق -> سوق."""
    forms = _clitic_forms(word)
    return forms + tuple(f[2:] for f in forms if f.startswith("ال") and len(f) > 4)


def _place_reading(
    gazetteer: Gazetteer,
    tokens: list[Token],
    first: int,
    last: int,
    places: set[int],
    named: set[tuple[str, ...]],
) -> tuple[str, int]:
    """("LOC" or "ORG", first token of the name) when a span the tagger read as a person names a
    place or an institution by its context, else ("PERS", first): opened by, or right after, a
    place or institution head word (سوق عكاظ, قاعدة العند, محافظة أبي عريش, مستشفى ...); a listed
    place as a whole; coordinated with a place just named (بجازان وأبي عريش); or the same words
    as a place already read in the field (`named`: their folded words). An institution's name
    takes its head word in (مستشفى الملك فهد), a place's does not (أبي عريش).
    """
    before = first - 1 if first > 0 and not tokens[first].break_before else -1
    for k in (first, before) if before >= 0 else (first,):
        heads = _heads(tokens[k].norm)
        if any(h in AR_PLACE_HEADS for h in heads):
            return "LOC", first
        if any(h in AR_INSTITUTION_HEADS for h in heads):
            return "ORG", min(k, first)
    entry = _entry(gazetteer, tokens, first, last)
    words = (_heads(tokens[first].norm)[-1], *(t.norm for t in tokens[first + 1 : last + 1]))
    if (
        (entry is not None and entry.kind == "place")
        or (before in places and tokens[first].norm.startswith("و"))
        or words in named
    ):
        return "LOC", first
    return "PERS", first


def _widen_to_listed(gazetteer: Gazetteer, tokens: list[Token], first: int, last: int) -> tuple[int, int]:
    """A listed organisation that holds the tagged one and starts up to two words before it:
    «تنظيم الدولة الإسلامية» for a tagged «الدولة الإسلامية»."""
    for start in (first - 2, first - 1):
        if start < 0 or any(t.break_before for t in tokens[start + 1 : first + 1]):
            continue
        found = gazetteer.match_at(tokens, start)
        if found is not None and found[1].kind != "place" and start + found[0] - 1 >= last:
            return start, start + found[0] - 1
    return first, last


def _entry(gazetteer: Gazetteer, tokens: list[Token], first: int, last: int) -> GazetteerEntry | None:
    found = gazetteer.match_at(tokens[: last + 1], first)
    if found is None or first + found[0] - 1 != last:
        return None
    return resolve_homonym(found[1], tokens, first)


def tagged_field(
    name: str,
    text: str,
    tokens: list[Token],
    tagged: TaggedText,
    gazetteer: Gazetteer,
    clusters: WordClusters,
) -> TaggedField:
    """The mentions, person hits and role references of an Arabic field tagged by the CRF."""
    mentions: list[Mention] = []
    taken: set[int] = set()
    persons: list[tuple[int, int]] = []
    places: set[int] = set()  # tokens of the place mentions found so far
    named: set[tuple[str, ...]] = set()  # and their folded words, proclitic off
    starts = [t.start for t in tokens]
    for span in tagged.spans:
        rng = _token_range(tokens, starts, span)
        if rng is None or span.kind == "MISC":
            continue
        first, last = _trim(tokens, *rng, person=span.kind == "PERS")
        if last < first:
            continue
        kind = span.kind
        if kind == "PERS":
            kind, first = _place_reading(gazetteer, tokens, first, last, places, named)
        if kind == "ORG":
            first, last = _widen_to_listed(gazetteer, tokens, first, last)
        if kind == "PERS":
            head = tokens[first].norm
            if head not in AR_TRIBES and not (head[:1] in "وفبل" and head[1:] in AR_TRIBES):
                persons.append((first, last))  # وبني حسن: a tribe (or its land), not a person
            continue
        entry = _entry(gazetteer, tokens, first, last)
        clitic = clusters.strip_proclitic(tokens[first].norm)
        start, end = skip_letters(text, tokens[first].start, clitic), tokens[last].end
        words = normalize(text[start:end]).split()
        if entry is not None and (entry.kind == "agency" or _KINDS[kind] == entry.kind):
            kind, key, display = entry.kind, entry.key, entry.name
        else:
            kind = _KINDS[kind]
            prefix = "place" if kind == "place" else "org"
            key = f"{prefix}:" + "_".join(strip_accents(w) for w in words)
            display = text[start:end]
        mentions.append(Mention(text[start:end], start, end, kind, key, display, "crf", name))
        taken.update(range(first, last + 1))
        if kind == "place":
            places.update(range(first, last + 1))
            named.add((_heads(tokens[first].norm)[-1], *(t.norm for t in tokens[first + 1 : last + 1])))
    _listed(name, text, tokens, gazetteer, mentions, taken, persons)
    rule_hits, refs = find_persons(text, tokens, taken, titles_only=True)
    hits = []
    for first, last in persons:
        if any(k in taken for k in range(first, last + 1)):
            continue
        clitic = clusters.strip_proclitic(tokens[first].norm)
        role = next((h.role for h in rule_hits if h.first <= last and first <= h.last), None)
        hits.append(PersonHit(first=first, last=last, role=role, rule="crf", clitic=clitic))
    return TaggedField(mentions, taken, hits, refs)


def _listed(
    name: str,
    text: str,
    tokens: list[Token],
    gazetteer: Gazetteer,
    mentions: list[Mention],
    taken: set[int],
    persons: list[tuple[int, int]],
) -> None:
    """Agencies and curated organisations the tagger left out (or read as something else)."""
    in_person = {k for a, b in persons for k in range(a, b + 1)}
    firsts = gazetteer.first_words
    i = 0
    while i < len(tokens):
        free = i not in taken and i not in in_person
        found = (
            gazetteer.match_at(tokens, i)
            if free and not firsts.isdisjoint(_clitic_forms(tokens[i].norm))
            else None
        )
        if found is None:
            i += 1
            continue
        n, entry, clitic = found
        if entry.kind == "place" or any(k in taken or k in in_person for k in range(i, i + n)):
            i += 1
            continue
        start, end = skip_letters(text, tokens[i].start, clitic), tokens[i + n - 1].end
        mentions.append(
            Mention(text[start:end], start, end, entry.kind, entry.key, entry.name, "gazetteer", name)
        )
        taken.update(range(i, i + n))
        i += n
    mentions.sort(key=lambda m: m.start)
