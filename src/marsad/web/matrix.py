"""The story page's view of a comparison's claims: a claims x outlets matrix, the disagreements, the
quotes grouped by speaker. Plain data for the templates; nothing here produces markup."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from marsad.api.schemas import ArticleBrief, ClaimOut, ComparisonOut, QuoteOut
from marsad.text.arabic import normalize

# What a cell of the matrix says about one outlet and one claim, strongest first.
DISAGREES = "disagrees"
ADDS = "adds"
CARRIES = "carries"
OMITS = "omits"
MARKS = (DISAGREES, ADDS, CARRIES, OMITS)
# Shapes as well as colours, so a mark reads in print, in high contrast and without colour vision.
SYMBOLS = {DISAGREES: "≠", ADDS: "+", CARRIES: "●", OMITS: "○", "first": "◉"}


@dataclass(slots=True, frozen=True)
class Cell:
    """One outlet's mark on one claim: one of MARKS, or "" (does not carry it, and few others do)."""

    doc: str
    mark: str
    first: bool  # this outlet published the claim earliest
    text: str | None  # its wording, when it carries the claim


@dataclass(slots=True, frozen=True)
class ClaimRow:
    claim: ClaimOut
    number: int  # the claim's place in the story (1-based), stable whatever the row order
    doc: str  # whose wording `text` is
    text: str
    language: str | None
    cells: tuple[Cell, ...]
    disputed: bool

    @property
    def others(self) -> list[Cell]:
        """The other outlets' wordings of this claim."""
        return [c for c in self.cells if c.text is not None and c.doc != self.doc]


@dataclass(slots=True, frozen=True)
class VersionView:
    value: str
    text: str
    docs: tuple[str, ...]
    language: str | None


@dataclass(slots=True, frozen=True)
class DisagreementView:
    kind: str  # "number" | "speaker"
    row: ClaimRow
    versions: tuple[VersionView, ...]


@dataclass(slots=True, frozen=True)
class QuoteItem:
    claim: str
    number: int
    text: str  # the quoted words, in one outlet's wording
    doc: str
    language: str | None
    outlets: tuple[str, ...]


@dataclass(slots=True, frozen=True)
class SpeakerGroup:
    speaker: str | None  # None: quotes whose speaker the comparison could not name
    items: tuple[QuoteItem, ...]


@dataclass(slots=True, frozen=True)
class ClaimsView:
    columns: tuple[ArticleBrief, ...]
    rows: tuple[ClaimRow, ...]  # disputed claims first, then shared ones, then single-outlet ones
    disagreements: tuple[DisagreementView, ...]
    speakers: tuple[SpeakerGroup, ...]
    adds: dict[str, int]
    omits: dict[str, int]


def _preferred(claim: ClaimOut, language: dict[str, str | None], prefer: Sequence[str]) -> str:
    """The outlet whose wording to show: the first (in story order) written in the earliest of the
    `prefer` languages that any of them uses, else the first."""
    for lang in prefer:
        for doc in claim.outlets:
            if (language.get(doc) or "").split("-")[0] == lang and doc in claim.texts:
                return doc
    return next(d for d in claim.outlets if d in claim.texts)


def claims_view(
    comparison: ComparisonOut, articles: Sequence[ArticleBrief], prefer: Sequence[str] = ()
) -> ClaimsView:
    """The matrix, disagreements and speakers of `comparison` over `articles` (the columns, in
    story order). `prefer`: languages whose wording to show first (the reader's)."""
    columns = tuple(a for a in articles if any(a.id in c.outlets for c in comparison.claims))
    language = {a.id: a.language for a in articles}
    adds = {d: set(ids) for d, ids in comparison.adds.items()}
    omits = {d: set(ids) for d, ids in comparison.omits.items()}
    disputed: dict[str, set[str]] = {}
    for dis in comparison.disagreements:
        for version in dis.versions:
            disputed.setdefault(dis.claim, set()).update(version.docs)
    rows: dict[str, ClaimRow] = {}
    for number, claim in enumerate(comparison.claims, start=1):
        if not claim.outlets or not any(d in claim.texts for d in claim.outlets):
            continue
        cells = []
        for col in columns:
            doc = col.id
            if doc in disputed.get(claim.id, ()):
                mark = DISAGREES
            elif claim.id in adds.get(doc, ()):
                mark = ADDS
            elif doc in claim.outlets:
                mark = CARRIES
            elif claim.id in omits.get(doc, ()):
                mark = OMITS
            else:
                mark = ""
            cells.append(Cell(doc, mark, claim.first == doc, claim.texts.get(doc)))
        shown = _preferred(claim, language, prefer)
        rows[claim.id] = ClaimRow(
            claim=claim,
            number=number,
            doc=shown,
            text=claim.texts[shown],
            language=language.get(shown),
            cells=tuple(cells),
            disputed=claim.id in disputed,
        )
    ordered = sorted(rows.values(), key=lambda r: (not r.disputed, len(r.claim.outlets) < 2, r.number))
    views = []
    for dis in comparison.disagreements:
        row = rows.get(dis.claim)
        if row is None:
            continue
        versions = tuple(
            VersionView(v.value, v.text, tuple(v.docs), language.get(v.docs[0]) if v.docs else None)
            for v in dis.versions
        )
        views.append(DisagreementView(dis.kind, row, versions))
    return ClaimsView(
        columns=columns,
        rows=tuple(ordered),
        disagreements=tuple(views),
        speakers=speaker_groups(comparison, rows, language, prefer),
        adds={d: len(ids) for d, ids in adds.items()},
        omits={d: len(ids) for d, ids in omits.items()},
    )


def _quotes_of(claim: ClaimOut, quotes: Sequence[QuoteOut]) -> list[QuoteOut]:
    """The comparison's quotes that lie inside the claim's wording of their outlet."""
    found = []
    for q in quotes:
        text = claim.texts.get(q.doc)
        target = normalize(q.text)
        if text is not None and target and target in normalize(text):
            found.append(q)
    return found


def _speaker_key(quote: QuoteOut) -> str | None:
    key = (quote.model_extra or {}).get("speaker_key")
    return key if isinstance(key, str) and key else None


def speaker_groups(
    comparison: ComparisonOut,
    rows: dict[str, ClaimRow],
    language: dict[str, str | None],
    prefer: Sequence[str],
) -> tuple[SpeakerGroup, ...]:
    """Quote claims grouped by who is quoted: claims join when a quote of each has the same speaker
    entity key (which already joins spellings and scripts), else the same speaker name; a claim
    known by a name only joins the one keyed speaker that name may be (لافروف / سيرغي لافروف, Rami /
    رامي الخطيب), so no person is listed twice. Most quoted speakers first; the unnamed last."""
    keyed: dict[str, list[tuple[ClaimOut, list[QuoteOut]]]] = {}
    names: dict[str, Counter[str]] = {}
    for claim in comparison.claims:
        if claim.kind != "quote" or claim.id not in rows:
            continue
        quotes = _quotes_of(claim, comparison.quotes)
        keys = [k for q in quotes if (k := _speaker_key(q))]
        spoken = [q.speaker for q in quotes if q.speaker] + list(claim.speakers.values())
        if claim.speaker:
            spoken.append(claim.speaker)
        key = Counter(keys).most_common(1)[0][0] if keys else (f"name:{spoken[0]}" if spoken else "")
        keyed.setdefault(key, []).append((claim, quotes))
        names.setdefault(key, Counter()).update(spoken)
    _fold_named_into_keyed(keyed, names)
    groups = []
    for key, members in keyed.items():
        items = []
        for claim, quotes in members:
            doc = _preferred(claim, language, prefer)
            own = [q for q in quotes if q.doc == doc]
            text = max((q.text for q in own), key=len) if own else rows[claim.id].text
            items.append(
                QuoteItem(claim.id, rows[claim.id].number, text, doc, language.get(doc), tuple(claim.outlets))
            )
        speaker = _display_name(names[key], prefer) if key else None
        groups.append(SpeakerGroup(speaker, tuple(sorted(items, key=lambda i: i.number))))
    groups.sort(key=lambda g: (g.speaker is None, -len(g.items), min(i.number for i in g.items)))
    return tuple(groups)


def _fold_named_into_keyed(
    keyed: dict[str, list[tuple[ClaimOut, list[QuoteOut]]]], names: dict[str, Counter[str]]
) -> None:
    """Moves each group keyed by a bare name ("name:…") into the one entity-keyed group whose names
    may be that person's (`may_be_same_person`); a name that fits two keyed speakers stays apart."""
    from marsad.compare.claims import may_be_same_person

    for key in [k for k in keyed if k.startswith("name:")]:
        homes = [
            k
            for k in keyed
            if k
            and not k.startswith("name:")
            and any(may_be_same_person(a, b) for a in names[key] for b in names[k])
        ]
        if len(homes) == 1:
            keyed[homes[0]].extend(keyed.pop(key))
            names[homes[0]].update(names.pop(key))


def _display_name(names: Counter[str], prefer: Sequence[str]) -> str | None:
    """The most common spelling, in the reader's script when one is (Arabic for "ar")."""
    if not names:
        return None
    ranked = [n for n, _ in names.most_common()]
    wants_arabic = bool(prefer) and prefer[0] == "ar"
    for name in ranked:
        if any("\u0600" <= ch <= "\u06ff" for ch in name) == wants_arabic:
            return name
    return ranked[0]
