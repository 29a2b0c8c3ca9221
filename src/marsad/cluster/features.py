"""The signals a same-event decision looks at, for one document and for a pair of documents.

A `DocSignals` holds what is computed once per document (embedded views, normalized content
tokens, numbers, name-like tokens, entity keys, language); `pair_features` turns two of them into the fixed
feature vector the learned models read (`FEATURE_NAMES`, same order).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np
import numpy.typing as npt

from marsad.cluster.base import ClusterDoc
from marsad.cluster.evidence import (
    LEAD_CHARS,
    NO_EVIDENCE,
    EventEvidence,
    event_evidence,
    found_in,
    plain_number,
)
from marsad.cluster.lexical import light_stem
from marsad.cluster.slots import NO_SLOTS, Slots, doc_slots, slot_features
from marsad.dedup.params import DedupParams
from marsad.dedup.shingles import WordShingler
from marsad.embed.views import DocVectors
from marsad.entities import EVENT_KINDS, analysed_part, extract_entities
from marsad.entities.aliases import family_key
from marsad.records import Article
from marsad.text.arabic import fold_letters, normalize
from marsad.text.language import detect_language
from marsad.text.tokens import content_words

TEXT_FEATURE_NAMES: tuple[str, ...] = (
    "cos_head",  # title + lead
    "cos_body",  # mean of body chunks
    "chunk_max",  # best-matching chunk pair
    "chunk_align",  # mean best match of each chunk, both ways
    "cos_head_body",  # head of one vs body of the other, averaged both ways
    "token_jaccard",  # normalized, lightly stemmed content words
    "number_jaccard",
    "numbers_shared",  # log1p of the count
    "name_jaccard",  # capitalized Latin-script tokens (names, acronyms)
    "same_language",
    "cross_cos_body",  # cos_body when the languages differ, else 0: cross-language scale differs
    "cross_cos_head_body",
    "same_outlet",
    "entity_jaccard",  # person/place/organisation keys, shared across spellings and scripts
)
# Event-level evidence (marsad.cluster.evidence): tells look-alike items of different happenings apart.
EVIDENCE_FEATURE_NAMES: tuple[str, ...] = (
    "event_day_gap",  # days between the days the two texts are about, capped; 0 when either is undated
    "lead_number_miss",  # share of one lead's numbers the other text never gives (the larger way)
    "lead_entity_miss",  # share of one lead's entities the other text never names (the smaller way)
    "title_slot_miss",  # share of a title's own words the other text never gives (marsad.cluster.slots)
    "counterparty_miss",  # share of one counterparty (guest, recipient, region) the other never names
    "actor_miss",  # share of one title's actor (who condemns, announces) the other text never names
)
# The join head (same event?) reads them all; the similarity heads (SemEval's graded "same story")
# read the text signals only.
FEATURE_NAMES: tuple[str, ...] = TEXT_FEATURE_NAMES + EVIDENCE_FEATURE_NAMES

# The similarity head also reads a second embedder's cosine (see marsad.embed.e5), appended after
# FEATURE_NAMES; the join head (bulk clustering) does not, e5 being too slow for it.
SECOND_OPINION_NAMES: tuple[str, ...] = ("e5_cos", "cross_e5_cos")
SIMILARITY_FEATURE_NAMES: tuple[str, ...] = TEXT_FEATURE_NAMES + SECOND_OPINION_NAMES

# The storyline head (are two events stages of one developing story?) reads a looser view: the
# embedding cosines and the shared entities, not the evidence that tells two happenings apart, each
# through its square root (see `storyline_inputs`).
STORYLINE_SOURCE_NAMES: tuple[str, ...] = ("cos_head", "cos_body", "chunk_max", "entity_jaccard")
STORYLINE_FEATURE_NAMES: tuple[str, ...] = tuple(f"sqrt_{n}" for n in STORYLINE_SOURCE_NAMES)
STORYLINE_COLUMNS: tuple[int, ...] = tuple(FEATURE_NAMES.index(n) for n in STORYLINE_SOURCE_NAMES)


def storyline_inputs(features: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The storyline head's inputs from pair-feature rows (`FEATURE_NAMES` columns): the square roots of
    the `STORYLINE_SOURCE_NAMES` columns. Two stages of one story share a moderate cosine or a few
    entities; the root spreads that range where a linear term in the raw value under-weights it, and
    keeps the head monotone (raw + root terms together dipped: more shared entities, a lower link).
    Arabic storylines B3 F1 (bench/cluster.py protocol, 2 orders, 2 folds): raw 0.886 grouped CV /
    0.887 in-corpus, roots 0.892 / 0.897; raw + root terms 0.897 / 0.902 but not monotone."""
    picked: npt.NDArray[np.float64] = np.sqrt(np.maximum(features[:, list(STORYLINE_COLUMNS)], 0.0))
    return picked


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"\b[A-Z][\w'-]{2,}")
_TEXT_CHARS = 4000  # lexical signals read the start of the text: bounded cost, the event is up front
_LANGUAGE_CHARS = 600  # enough for py3langid; its cost grows with length


@dataclass(slots=True, frozen=True)
class DocSignals:
    """Per-document signals, computed once when the document arrives."""

    id: str
    vectors: DocVectors
    tokens: frozenset[str]
    numbers: frozenset[str]
    names: frozenset[str]
    language: str | None
    published: datetime | None
    outlet: str | None
    entities: frozenset[str] = frozenset()
    evidence: EventEvidence = NO_EVIDENCE
    shingles: frozenset[int] = frozenset()  # 5-word shingle hashes of the body start, as dedup reads them
    slots: Slots = NO_SLOTS  # title template words and counterparty (marsad.cluster.slots)


def _language(doc: ClusterDoc) -> str | None:
    return doc.language or detect_language(f"{doc.title or ''}\n{doc.text}"[:_LANGUAGE_CHARS])


def cluster_entities(doc: ClusterDoc) -> frozenset[str]:
    """`doc.entities`, or the entity keys of its title and the start of its text when not given."""
    return with_entities(doc).entities or frozenset()


def with_entities(doc: ClusterDoc, article: Article | None = None) -> ClusterDoc:
    """`doc` with its entity keys (title and start of the text) and lead entity keys (title and lead),
    found in one recognizer pass when not given. Given the whole `article` (at ingest), the pass reads
    its `analysed_part` and is the one the ingest's entity step then reuses (the recognizer remembers
    its last scans)."""
    if doc.entities is not None:
        return doc
    if article is None:
        article = Article(
            id="",
            url=None,
            outlet=None,
            title=doc.title,
            body=(body := doc.text[:_TEXT_CHARS]),
            paragraphs=(body,),
            published=None,
            language=_language(doc),
        )
    mentions = [
        m
        for m in extract_entities(analysed_part(article))
        if m.kind in EVENT_KINDS and (m.field == "title" or m.end <= _TEXT_CHARS)
    ]
    # Persons by family key (per:LFRF for سيرغي لافروف and لافروف): an article often names only the surname.
    lead = frozenset(family_key(m.key) for m in mentions if m.field == "title" or m.start < LEAD_CHARS)
    return replace(doc, entities=frozenset(family_key(m.key) for m in mentions), lead_entities=lead)


def doc_signals(doc: ClusterDoc, vectors: DocVectors) -> DocSignals:
    """Signals of `doc` given its embedded views."""
    text = f"{doc.title or ''}\n{doc.text[:_TEXT_CHARS]}"
    words = content_words(text)
    folded = fold_letters(text)
    numbers = frozenset(plain_number(n) for n in _NUMBER.findall(folded) if len(n) >= 2)
    language = _language(doc)
    doc = with_entities(replace(doc, language=language))
    return DocSignals(
        id=doc.id,
        vectors=vectors,
        tokens=frozenset(light_stem(w) for w in words if not w[0].isdigit()),
        numbers=numbers,
        names=frozenset(m.lower() for m in _NAME.findall(text)),
        language=language,
        published=doc.published,
        outlet=(doc.outlet or "").strip().lower() or None,
        entities=doc.entities or frozenset(),
        evidence=event_evidence(doc.title, doc.text, doc.published, language, doc.lead_entities),
        shingles=body_shingles(doc.text),
        slots=doc_slots(doc.title, doc.text, words),
    )


_SHINGLER = WordShingler(DedupParams().shingle_size)


def body_shingles(text: str) -> frozenset[int]:
    """The dedup stage's word shingles (`marsad.dedup`) of the start of `text`, as a set of hashes."""
    return frozenset(_SHINGLER.shingle([normalize(text[:_TEXT_CHARS])]).hashes.tolist())


def wire_copy(a: DocSignals, b: DocSignals) -> bool:
    """True when dedup would group a and b (shingle Jaccard or containment at its thresholds) and
    nothing up front tells two happenings apart (same day said, every lead number in the other)."""
    sa, sb = a.shingles, b.shingles
    if not sa or not sb:
        return False
    inter = len(sa & sb)
    params = DedupParams()
    if inter < params.near_threshold * len(sa | sb) and inter < params.containment_threshold * min(
        len(sa), len(sb)
    ):
        return False
    gap, numbers, _ = evidence_features(a, b)
    return gap == 0.0 and numbers == 0.0


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


_MAX_DAY_GAP = 3


def _miss(lead: frozenset[str], other: frozenset[str]) -> float:
    return len(lead - other) / len(lead) if lead else 0.0


def _number_miss(lead: frozenset[str], forms: frozenset[str]) -> float:
    return sum(not found_in(n, forms) for n in lead) / len(lead) if lead else 0.0


def evidence_features(a: DocSignals, b: DocSignals) -> tuple[float, float, float]:
    """event_day_gap, lead_number_miss, lead_entity_miss of the pair (a, b); symmetric."""
    ea, eb = a.evidence, b.evidence
    gap = 0.0 if ea.day is None or eb.day is None else float(min(abs(ea.day - eb.day), _MAX_DAY_GAP))
    numbers = max(_number_miss(ea.numbers, eb.number_forms), _number_miss(eb.numbers, ea.number_forms))
    # Entities: the smaller way. Another angle on one happening (a survivors' page) names people its
    # peers never name, and its peers' place and actors too; reports of two happenings each name someone
    # the other never does (another guest, another martyr).
    entities = min(_miss(ea.entities, b.entities | eb.entities), _miss(eb.entities, a.entities | ea.entities))
    return gap, numbers, entities


def _slots_within_language(a: DocSignals, b: DocSignals) -> tuple[float, float, float]:
    """`slot_features` of a same-language pair; 0 across languages (two titles in two languages share
    no word, whatever they report)."""
    if a.language is None or a.language != b.language:
        return 0.0, 0.0, 0.0
    return slot_features(a.slots, b.slots)


def text_features(a: DocSignals, b: DocSignals) -> npt.NDArray[np.float64]:
    """The `TEXT_FEATURE_NAMES` columns of `pair_features(a, b)` (what the similarity heads read)."""
    return pair_features(a, b)[: len(TEXT_FEATURE_NAMES)]


def pair_features(a: DocSignals, b: DocSignals) -> npt.NDArray[np.float64]:
    """The feature vector of the pair (a, b), in `FEATURE_NAMES` order; symmetric in a and b."""
    va, vb = a.vectors, b.vectors
    sims = va.chunks @ vb.chunks.T
    cos_head = float(va.head @ vb.head)
    cos_body = float(va.body @ vb.body)
    head_body = float(va.head @ vb.body + vb.head @ va.body) / 2.0
    same_language = float(a.language is not None and a.language == b.language)
    cross = 1.0 - same_language
    return np.array(
        [
            cos_head,
            cos_body,
            float(sims.max()),
            float(sims.max(axis=1).mean() + sims.max(axis=0).mean()) / 2.0,
            head_body,
            _jaccard(a.tokens, b.tokens),
            _jaccard(a.numbers, b.numbers),
            math.log1p(len(a.numbers & b.numbers)),
            _jaccard(a.names, b.names),
            same_language,
            cross * cos_body,
            cross * head_body,
            float(a.outlet is not None and a.outlet == b.outlet),
            _jaccard(a.entities, b.entities),
            *evidence_features(a, b),
            *_slots_within_language(a, b),
        ],
        dtype=np.float64,
    )


@dataclass(slots=True, frozen=True)
class MemberStack:
    """Several documents' signals stacked for scoring one document against all of them at once.

    Chunk rows are padded to the widest member; `chunk_ok` marks the real ones.
    """

    members: tuple[DocSignals, ...]
    heads: npt.NDArray[np.float32]  # (m, dim)
    bodies: npt.NDArray[np.float32]  # (m, dim)
    chunks: npt.NDArray[np.float32]  # (m, k, dim)
    chunk_ok: npt.NDArray[np.bool_]  # (m, k)

    def __len__(self) -> int:
        return len(self.members)


def stack_members(members: Sequence[DocSignals]) -> MemberStack:
    """Stack `members` (non-empty) for `stack_features`."""
    if not members:
        raise ValueError("stack_members needs at least one member")
    width = max(len(m.vectors.chunks) for m in members)
    dim = members[0].vectors.head.shape[0]
    chunks = np.zeros((len(members), width, dim), dtype=np.float32)
    ok = np.zeros((len(members), width), dtype=bool)
    for i, m in enumerate(members):
        k = len(m.vectors.chunks)
        chunks[i, :k] = m.vectors.chunks
        ok[i, :k] = True
    return MemberStack(
        members=tuple(members),
        heads=np.stack([m.vectors.head for m in members]),
        bodies=np.stack([m.vectors.body for m in members]),
        chunks=chunks,
        chunk_ok=ok,
    )


def concat_stacks(stacks: Sequence[MemberStack]) -> MemberStack:
    """One stack holding the members of `stacks`, in order."""
    if len(stacks) == 1:
        return stacks[0]
    width = max(s.chunks.shape[1] for s in stacks)

    def pad(s: MemberStack) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.bool_]]:
        extra = width - s.chunks.shape[1]
        if not extra:
            return s.chunks, s.chunk_ok
        return (
            np.pad(s.chunks, ((0, 0), (0, extra), (0, 0))),
            np.pad(s.chunk_ok, ((0, 0), (0, extra)), constant_values=False),
        )

    padded = [pad(s) for s in stacks]
    return MemberStack(
        members=tuple(m for s in stacks for m in s.members),
        heads=np.concatenate([s.heads for s in stacks]),
        bodies=np.concatenate([s.bodies for s in stacks]),
        chunks=np.concatenate([c for c, _ in padded]),
        chunk_ok=np.concatenate([o for _, o in padded]),
    )


def _jaccards(a: frozenset[str], others: Sequence[frozenset[str]]) -> npt.NDArray[np.float64]:
    la = len(a)
    out = np.empty(len(others), dtype=np.float64)
    for i, b in enumerate(others):
        inter = len(a & b)
        union = la + len(b) - inter
        out[i] = inter / union if union else 0.0
    return out


def stack_features(a: DocSignals, stack: MemberStack) -> npt.NDArray[np.float64]:
    """`pair_features(a, m)` for every member m of `stack`, as rows, computed in one pass."""
    va = a.vectors
    members = stack.members
    cos_head = stack.heads @ va.head
    cos_body = stack.bodies @ va.body
    head_body = (stack.heads @ va.body + stack.bodies @ va.head) / 2.0
    sims = stack.chunks @ va.chunks.T  # (m, k, ka)
    sims = np.where(stack.chunk_ok[:, :, None], sims, -np.inf)
    chunk_max = sims.max(axis=(1, 2))
    ok = stack.chunk_ok
    best_of_member = np.where(ok, sims.max(axis=2), 0.0).sum(axis=1) / ok.sum(axis=1)
    best_of_a = sims.max(axis=1).mean(axis=1)
    same_language = np.fromiter(
        (a.language is not None and a.language == m.language for m in members), dtype=np.float64
    )
    cross = 1.0 - same_language
    shared_numbers = np.fromiter((len(a.numbers & m.numbers) for m in members), dtype=np.float64)
    return np.column_stack(
        [
            cos_head,
            cos_body,
            chunk_max,
            (best_of_member + best_of_a) / 2.0,
            head_body,
            _jaccards(a.tokens, [m.tokens for m in members]),
            _jaccards(a.numbers, [m.numbers for m in members]),
            np.log1p(shared_numbers),
            _jaccards(a.names, [m.names for m in members]),
            same_language,
            cross * cos_body,
            cross * head_body,
            np.fromiter((a.outlet is not None and a.outlet == m.outlet for m in members), dtype=np.float64),
            _jaccards(a.entities, [m.entities for m in members]),
            np.array([evidence_features(a, m) for m in members], dtype=np.float64).reshape(-1, 3),
            np.array([_slots_within_language(a, m) for m in members], dtype=np.float64).reshape(-1, 3),
        ]
    ).astype(np.float64)
