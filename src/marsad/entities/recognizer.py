"""Entity mentions of an article: gazetteer names, rule-found persons, aliases and role references."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Protocol

from marsad.entities.aliases import _name_parts, person_key, same_person, skeleton, surname_key
from marsad.entities.folding import Token, _clitic_forms, skip_letters, strip_accents, tokenize
from marsad.entities.gazetteer import Gazetteer, default_gazetteer, resolve_homonym
from marsad.entities.lexicon import AR_STOP, LATIN_STOP
from marsad.entities.ner import ArabicTagger, TaggedText
from marsad.entities.organisations import OrgHit, find_acronyms, find_organisations
from marsad.entities.persons import PersonHit, RoleRef, find_persons
from marsad.entities.records import Entity, KnownPerson, Mention
from marsad.entities.tagged import tagged_field
from marsad.records import Article
from marsad.text.arabic import is_arabic_script

MAX_TEXT_CHARS = 200_000  # bound the work on one article; real news bodies are far shorter
# The least person probability the tagger must give a word before a name known only from other
# articles may claim it.
_EVIDENCE = 0.1
# A name the tagger proposes once, with less person probability than this at its first word, is
# not sure enough to be repeated by alias where the tagger does not half-propose a person itself.
_CONFIDENT = 0.5
_SCAN_MEMO = 8


class EntityRecognizer(Protocol):
    """Finds the entity mentions of an article, given persons known from elsewhere."""

    def __call__(self, article: Article, known: Sequence[KnownPerson] = ()) -> list[Mention]: ...


@dataclass(slots=True)
class _Person:
    names: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    local: bool = False
    proposals: int = 0  # times the article itself names them (tagger or rules)
    sure: bool = False  # named by a rule or proposed twice (once with confidence: see `confident`)
    # The tagger's reading and the offset of its one proposal, asked only if an alias needs it.
    probe: tuple[TaggedText, int] | None = None

    def confident(self) -> bool:
        """Named by a rule, proposed twice, or once with person probability >= `_CONFIDENT`."""
        if not self.sure and self.probe is not None:
            tagged, start = self.probe
            self.sure = tagged.person_prob(start) >= _CONFIDENT
            self.probe = None
        return self.sure

    @property
    def canonical(self) -> str:
        local_first = sorted(self.names, key=lambda n: (-len(n.split()), -len(n)))
        return local_first[0]

    @property
    def key(self) -> str:
        return person_key(self.canonical)


@dataclass(slots=True)
class _Field:
    name: str
    text: str
    tokens: list[Token]
    taken: set[int]
    mentions: list[Mention]
    hits: list[PersonHit]
    refs: list[RoleRef]
    tagged: TaggedText | None = None  # the learned tagger's reading, for Arabic fields


# The scans of one article's fields (title, body), as `RuleEntityRecognizer.scans` makes them.
ArticleScans = list[_Field]


class RuleEntityRecognizer:
    """Gazetteers + trigger rules + alias merging + role resolution (see the package docstring).

    With `arabic_tagger` (the default recognizer has one), Arabic fields are read by the learned
    tagger instead of the gazetteer and trigger rules (see `marsad.entities.tagged`); aliases and
    role references then work on its persons as on rule-found ones. Given as a function, the tagger
    is asked for at the first Arabic field (the default recognizer's `loaded_tagger`, which loads
    the model then, so a run without Arabic never does; None: that field is read by the rules).
    """

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        arabic_tagger: ArabicTagger | Callable[[], ArabicTagger | None] | None = None,
    ) -> None:
        self.gazetteer = gazetteer or default_gazetteer()
        self._tagger = arabic_tagger
        # The scans of the last few articles: ingest asks for an article's entities for its story
        # keys and again with cross-document evidence; the second call redoes only the cheap part.
        self._scans: dict[tuple[str | None, str | None, str], list[_Field]] = {}

    def scans(self, article: Article) -> ArticleScans:
        """The costly, evidence-free part of reading `article` (tagging, gazetteer and trigger rules
        per field), remembered for the last few articles; picklable, so an ingest worker process can
        make it and hand it to the writer (`remember`)."""
        scans = self._scans.get((article.language, article.title, article.body))
        if scans is None:
            scans = [
                self._scan(name, text[:MAX_TEXT_CHARS], article.language)
                for name, text in (("title", article.title or ""), ("body", article.body))
                if text
            ]
            self.remember(article, scans)
        return scans

    def remember(self, article: Article, scans: ArticleScans) -> None:
        """Keep `scans` (from `scans(article)`, in this process or another) as `article`'s."""
        if len(self._scans) >= _SCAN_MEMO:
            self._scans.pop(next(iter(self._scans)))
        self._scans[(article.language, article.title, article.body)] = scans

    def __call__(self, article: Article, known: Sequence[KnownPerson] = ()) -> list[Mention]:
        fields = [replace(f, taken=set(f.taken), mentions=list(f.mentions)) for f in self.scans(article)]
        people = self._people(fields, known)
        for f in fields:
            self._person_mentions(f, people)
        for f in fields:
            self._aliases(f, people)
        for f in fields:
            self._roles(f, people, fields)
        out = [m for f in fields for m in sorted(f.mentions, key=lambda m: m.start)]
        # Agencies credited outside the body text (a trailing "(AFP)", a source line) still count.
        named = {m.key for m in out}
        for agency in article.agencies:
            key = f"agency:{agency}"
            if agency != "Agencies" and key not in named:
                out.append(Mention(agency, 0, 0, "agency", key, agency, "credit", "credit"))
        return out

    def _scan(self, name: str, text: str, language: str | None = None) -> _Field:
        tokens = tokenize(text)
        tagger = None
        if self._tagger is not None and language in ("ar", None) and is_arabic_script(text[:400]):
            tagger = self._tagger if isinstance(self._tagger, ArabicTagger) else self._tagger()
        if tagger is not None:
            tagged = tagger.tag(text)
            read = tagged_field(name, text, tokens, tagged, self.gazetteer, tagger.features.clusters)
            return _Field(name, text, tokens, read.taken, read.mentions, read.hits, read.refs, tagged)
        taken: set[int] = set()
        mentions: list[Mention] = []
        i = 0
        while i < len(tokens):
            found = self.gazetteer.match_at(tokens, i)
            if found is None:
                i += 1
                continue
            n, entry, clitic = found
            entry = resolve_homonym(entry, tokens, i)
            start, end = skip_letters(text, tokens[i].start, clitic), tokens[i + n - 1].end
            mentions.append(
                Mention(
                    text=text[start:end],
                    start=start,
                    end=end,
                    kind=entry.kind,
                    key=entry.key,
                    name=entry.name,
                    rule="gazetteer",
                    field=name,
                )
            )
            taken.update(range(i, i + n))
            i += n
        for org in find_organisations(tokens, taken, language):
            inside = _org_mention(text, tokens, org, name)
            # The organisation is the referent: a listed place inside its name is not one.
            mentions = [m for m in mentions if not inside.start <= m.start < inside.end]
            mentions.append(inside)
            taken.update(range(org.first, org.last + 1))
        for i in find_acronyms(tokens, taken):
            tok = tokens[i]
            key = f"org:{tok.surface}"
            mentions.append(
                Mention(tok.surface, tok.start, tok.end, "org", key, tok.surface, "acronym", name)
            )
            taken.add(i)
        hits, refs = find_persons(text, tokens, taken)
        return _Field(name, text, tokens, taken, mentions, hits, refs)

    @staticmethod
    def _people(fields: list[_Field], known: Sequence[KnownPerson]) -> list[_Person]:
        people: list[_Person] = []
        by_key: dict[tuple[str, str], list[int]] = {}  # a key of a name -> the persons named so

        def add(
            name: str, role: str | None, local: bool, probe: tuple[TaggedText, int] | None = None
        ) -> None:
            full = len(name.split()) > 1
            # Only the persons sharing a key with the name can be the same person (`_match_keys`):
            # the others are skipped untested, in order, so the first that fits is as before.
            near = sorted({i for k in _match_keys(name)[1] for i in by_key.get(k, ())})
            for i in near:
                p = people[i]
                # A full name joins a person only if it fits every full name of theirs: a bare
                # surname (العمري) must not chain محمد العمري and عوض بن أحمد العمري into one.
                if any(same_person(name, other) for other in p.names) and not (
                    full and any(len(o.split()) > 1 and not same_person(name, o) for o in p.names)
                ):
                    break
            else:
                i, p = len(people), _Person()
                people.append(p)
            if name not in p.names:
                p.names.append(name)
                for k in _match_keys(name)[0]:
                    by_key.setdefault(k, []).append(i)
            if role and role not in p.roles:
                p.roles.append(role)
            p.local = p.local or local
            if local:
                p.proposals += 1
                p.sure = p.sure or probe is None or p.proposals >= 2
                p.probe = None if p.sure else probe

        for f in fields:
            for h in f.hits:
                crf = f.tagged is not None and h.rule == "crf"
                probe = (f.tagged, f.tokens[h.first].start) if f.tagged is not None and crf else None
                add(f.text[_hit_start(f, h) : f.tokens[h.last].end], h.role, True, probe)
        for k in known:
            add(k.name, k.role, False)
        return people

    @staticmethod
    def _person_mentions(f: _Field, people: list[_Person]) -> None:
        for h in f.hits:
            if any(i in f.taken for i in range(h.first, h.last + 1)):
                continue
            start, end = _hit_start(f, h), f.tokens[h.last].end
            surface = f.text[start:end]
            person = next(p for p in people if surface in p.names)
            f.mentions.append(
                Mention(surface, start, end, "person", person.key, person.canonical, h.rule, f.name, h.role)
            )
            f.taken.update(range(h.first, h.last + 1))

    @staticmethod
    def _aliases(f: _Field, people: list[_Person]) -> None:
        """Other spellings of the persons named in the article or known from elsewhere. In a tagged
        field, a person only known from elsewhere is found where the tagger itself half-proposes a
        person (marginal probability): evidence raises confidence, it never makes a name."""
        spellings: list[tuple[tuple[str, ...], _Person]] = []
        for p in people:
            for name in p.names:
                words = _name_words(name)
                if words:
                    spellings.append((words, p))
                    if len(words) > 1 and (len(skeleton(words[-1])) >= 3 or len(words[-1]) >= 5):
                        spellings.append((words[-1:], p))
        spellings.sort(key=lambda s: -len(s[0]))
        index = _SpellingIndex(spellings)
        # One-word organisations the tagger guessed (not listed ones) may turn out to be a person
        # the evidence names: «لافروف» read as an organisation in one sentence.
        guessed = {
            k: m
            for m in f.mentions
            if f.tagged is not None and m.rule == "crf" and m.kind == "org"
            for k, t in enumerate(f.tokens)
            if t.start <= m.start < t.end and m.end == t.end
        }
        taken = f.taken - guessed.keys()
        i = 0
        while i < len(f.tokens):
            if i in taken:
                i += 1
                continue
            match = _match_spelling(f.tokens, i, index, taken)
            if match is None:
                i += 1
                continue
            n, person, clitic, exact = match
            if i in guessed and (
                n != 1 or f.tagged is None or f.tagged.person_prob(f.tokens[i].start) < _EVIDENCE
            ):
                i += 1
                continue
            # In a tagged field only the article's own sure names, spelled as written, need no more
            # evidence: a name known from elsewhere, one the tagger proposed once without
            # confidence, or a sound-alike (الخبر for الجبير), must be one the tagger itself
            # half-proposes here.
            doubtful = not person.local or not exact or not person.confident()
            if f.tagged is not None and doubtful and f.tagged.person_prob(f.tokens[i].start) < _EVIDENCE:
                i += 1
                continue
            start, end = skip_letters(f.text, f.tokens[i].start, clitic), f.tokens[i + n - 1].end
            f.mentions.append(
                Mention(
                    f.text[start:end], start, end, "person", person.key, person.canonical, "alias", f.name
                )
            )
            f.taken.update(range(i, i + n))
            if i in guessed:
                f.mentions.remove(guessed[i])
            i += n

    @staticmethod
    def _roles(f: _Field, people: list[_Person], fields: list[_Field]) -> None:
        by_key = {p.key: p for p in people}
        for ref in f.refs:
            if any(i in f.taken for i in range(ref.first, ref.last + 1)):
                continue
            start = f.tokens[ref.first].start
            before = [
                m
                for g in fields
                for m in g.mentions
                if m.kind == "person"
                and m.rule != "role"
                and (g.name == "title" or m.start < start)
                and (g is not f or m.start < start)
            ]
            if not before:
                continue
            # A person's score is the same for each of its mentions: score each person once, on
            # its latest mention (in this field first), not every mention (a long text naming many
            # people many times made this refs x mentions); the same choice as over every mention.
            latest: dict[str, tuple[int, Mention]] = {}
            for pos, m in enumerate(before):
                seen = latest.get(m.key)
                if seen is None or (m.field == f.name, m.start) > (seen[1].field == f.name, seen[1].start):
                    latest[m.key] = (pos, m)
            best = max(
                (m for _, m in sorted(latest.values(), key=lambda pm: pm[0])),
                key=lambda m: (_role_score(ref, by_key.get(m.key)), m.field == f.name, m.start),
            )
            end = f.tokens[ref.last].end
            surface = f.text[start:end]
            f.mentions.append(
                Mention(surface, start, end, "person", best.key, best.name, "role", f.name, surface)
            )
            f.taken.update(range(ref.first, ref.last + 1))


@lru_cache(maxsize=16384)  # the same known names are spelled out for every article
def _name_words(name: str) -> tuple[str, ...]:
    return tuple(t.norm for t in tokenize(name))


@lru_cache(maxsize=16384)
def _match_keys(name: str) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(keys of `name` as a person's name, keys a name must share with one of them to be possibly the
    same person). `same_person(a, b)` holds only if a and b have one family key, or one is a single
    word that is the first word of the other (a distinctive first name): so it never holds between
    two names that share no key."""
    words = _name_parts(name)
    family = surname_key(name)
    common = (("family", family),) if family else ()
    if len(words) == 1:
        return (*common, ("single", words[0])), (*common, ("first", words[0]))
    if len(words) > 1:
        return (*common, ("first", words[0])), (*common, ("single", words[0]))
    return (), ()


def _hit_start(f: _Field, h: PersonHit) -> int:
    return skip_letters(f.text, f.tokens[h.first].start, h.clitic) if h.clitic else f.tokens[h.first].start


def _org_mention(text: str, tokens: list[Token], org: OrgHit, field_name: str) -> Mention:
    """The mention of a rule-found organisation: keyed by its folded words, shown without clitic."""
    first = tokens[org.first]
    start, end = skip_letters(text, first.start, org.clitic), tokens[org.last].end
    name = text[start:end]
    head = org.head or first.norm
    if head.startswith("ال") and first.norm != head:
        # والوزارة / للوزارة: the surface keeps the clitic (as listed names do), the name does not.
        cut = len(first.norm) - len(head)
        if first.norm[cut:] == head:
            name = text[skip_letters(text, first.start, cut) : end]
        else:
            name = "ال" + text[skip_letters(text, first.start, cut + 2) : end]
    words = [head, *(t.norm for t in tokens[org.first + 1 : org.last + 1])]
    key = "org:" + "_".join(strip_accents(w).lower() for w in words)
    return Mention(text[start:end], start, end, "org", key, name, "trigger", field_name)


class _SpellingIndex:
    """Known spellings (longest first) looked up by their first word or its skeleton."""

    def __init__(self, spellings: list[tuple[tuple[str, ...], _Person]]) -> None:
        self.spellings = spellings
        self.by_word: dict[str, list[int]] = {}
        self.by_skeleton: dict[str, list[int]] = {}
        for n, (words, _) in enumerate(spellings):
            self.by_word.setdefault(words[0], []).append(n)
            sk = skeleton(words[0])
            if len(sk) >= 3:
                self.by_skeleton.setdefault(sk, []).append(n)

    def candidates(self, heads: Sequence[str]) -> list[tuple[tuple[str, ...], _Person]]:
        """The spellings whose first word is one of `heads` or shares the first head's skeleton
        (3+ classes), in the index's order."""
        by_word = self.by_word
        found = {n for h in heads if h in by_word for n in by_word[h]}
        alike = self.by_skeleton.get(skeleton(heads[0]))
        if alike:
            found.update(alike)
        if not found:
            return []
        return [self.spellings[n] for n in sorted(found)]


def _match_spelling(
    tokens: list[Token], i: int, index: _SpellingIndex, taken: set[int]
) -> tuple[int, _Person, int, bool] | None:
    """(tokens used, person, clitic letters, whether the first word is spelled as known rather
    than only sharing its consonant skeleton) of the known spelling at token `i`, or None."""
    first = tokens[i]
    if first.norm in AR_STOP or first.norm in LATIN_STOP:
        return None
    heads = _clitic_forms(first.norm) if first.arabic else (first.norm,)
    for words, person in index.candidates(heads):
        n = len(words)
        if i + n > len(tokens) or any(k in taken for k in range(i, i + n)):
            continue
        if any(tokens[k].break_before for k in range(i + 1, i + n)):
            continue
        rest = tuple(t.norm for t in tokens[i + 1 : i + n])
        if rest != words[1:]:
            continue
        head = next((h for h in heads if h == words[0]), None)
        exact = head is not None
        if head is None and len(skeleton(words[0])) >= 3 and skeleton(heads[0]) == skeleton(words[0]):
            head = heads[0]
        if head is None or (not first.arabic and not first.upper):
            continue
        return n, person, len(first.norm) - len(head) if not head.startswith("ال") else 0, exact
    return None


def _role_score(ref: RoleRef, person: _Person | None) -> int:
    if person is None or not person.roles:
        return 0
    roles = " ".join(person.roles).lower()
    from marsad.text.arabic import fold_letters

    roles = fold_letters(roles)
    if ref.head not in roles:
        return 0
    return 1 + sum(1 for w in ref.words if w.removeprefix("ال") in roles)


_OPENING = "“«„‟"
_CLOSING = "”»"


def clean_alias(surface: str) -> str:
    """`surface` without unbalanced quote marks: a name matched across an opening quote
    (تنظيم “الدولة الإسلامية) reads as the name (تنظيم الدولة الإسلامية)."""
    opening = sum(surface.count(c) for c in _OPENING)
    closing = sum(surface.count(c) for c in _CLOSING)
    straight = surface.count('"')
    if opening == closing and straight % 2 == 0:
        return surface
    for c in (*_OPENING, *_CLOSING, '"'):
        surface = surface.replace(c, "")
    return " ".join(surface.split())


def group_mentions(mentions: Iterable[Mention]) -> list[Entity]:
    """One `Entity` per key: display name, mention count, spellings and roles, most mentioned first."""
    groups: dict[str, Entity] = {}
    for m in mentions:
        ent = groups.get(m.key)
        if ent is None:
            ent = groups[m.key] = Entity(key=m.key, name=m.name, kind=m.kind)
        ent.count += 1
        alias = clean_alias(m.text)
        if m.rule != "role" and alias and alias not in ent.aliases:
            ent.aliases.append(alias)
        if m.role and m.role not in ent.roles:
            ent.roles.append(m.role)
        if m.kind == "person" and len(m.name.split()) > len(ent.name.split()):
            ent.name = m.name
    return sorted(groups.values(), key=lambda e: (-e.count, e.key))
