"""Compare two articles or a whole story: shared sentences and quotes, what each adds, who was first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime

import numpy as np

from marsad.compare.alignment import Link, MergedScore, align
from marsad.compare.records import Comparison, DocumentInfo, Pair, QuoteInfo, Side
from marsad.compare.scoring import Matrix, clauses, combine, features, lexical_matrix
from marsad.embed.base import Embedder
from marsad.entities import KnownPerson, Mention, extract_entities, group_mentions, known_persons
from marsad.errors import ConfigError, InputError
from marsad.quotes import Quote, extract_quotes
from marsad.records import Article
from marsad.text.sentences import split_sentences

MAX_SENTENCES = 400  # per document: bounds the score matrices on pathological input


@dataclass(slots=True, frozen=True)
class CompareConfig:
    """Thresholds and weights, chosen on our gold set (bench/compare.py prints the sweep).

    `sentence_threshold`/`quote_threshold`: minimum mixed score of a reported pair.
    `unique_threshold`: a sentence whose best match anywhere else scores under this (and that is
    in no pair) is unique.
    `second_threshold`: minimum score of a pair found after the one-to-one matching: two units
    that are each other's best partner, or a unit joining a pair as the second half of a split
    (see `marsad.compare.alignment`).
    `splits`: allow one unit to pair with two units of the other side.
    `cosine_weight`: weight of the embedding cosine against lexical evidence.
    """

    sentence_threshold: float = 0.55
    quote_threshold: float = 0.50
    unique_threshold: float = 0.50
    second_threshold: float = 0.45
    cosine_weight: float = 0.7
    splits: bool = True
    use_embeddings: bool = True

    def __post_init__(self) -> None:
        for name in (
            "sentence_threshold",
            "quote_threshold",
            "unique_threshold",
            "second_threshold",
            "cosine_weight",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ConfigError(f"compare.{name} must be in [0, 1], got {value}")


@dataclass(slots=True)
class _Units:
    """Sentences or quotes of one document: texts, lexical features, vectors, clause vectors."""

    texts: list[str]
    feats: list[frozenset[str]]
    vecs: Matrix = field(default_factory=lambda: np.zeros((0, 0)))
    clause_texts: list[str] = field(default_factory=list)
    clause_owner: list[int] = field(default_factory=list)
    clause_vecs: Matrix = field(default_factory=lambda: np.zeros((0, 0)))

    def __post_init__(self) -> None:
        pieces = [(k, c) for k, t in enumerate(self.texts) for c in clauses(t)]
        self.clause_owner = [k for k, _ in pieces]
        self.clause_texts = [c for _, c in pieces]


@dataclass(slots=True)
class _Doc:
    article: Article
    mentions: list[Mention]
    quotes: list[Quote]
    sentence_spans: list[tuple[int, int]]
    sentences: _Units
    quote_units: _Units


_DEFAULT_EMBEDDER: Embedder | None = None


def default_embedder() -> Embedder:
    """The shared multilingual embedder (USE multilingual v3, loaded once per process)."""
    global _DEFAULT_EMBEDDER
    if _DEFAULT_EMBEDDER is None:
        from marsad.embed import UsemEmbedder

        _DEFAULT_EMBEDDER = UsemEmbedder()
    return _DEFAULT_EMBEDDER


def _spans(body: str, sentences: list[str]) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for s in sentences:
        start = body.find(s, pos)
        if start < 0:
            start = pos
        spans.append((start, start + len(s)))
        pos = start + len(s)
    return spans


def _keys_in(mentions: Sequence[Mention], start: int, end: int) -> list[str]:
    return [m.key for m in mentions if m.field == "body" and m.start >= start and m.end <= end]


def analyse(articles: Sequence[Article]) -> list[tuple[Article, list[Mention], list[Quote]]]:
    """Entities and quotes of each article, with the persons of the others as cross-document evidence."""
    first = [extract_entities(a) for a in articles]
    out = []
    for i, article in enumerate(articles):
        known: list[KnownPerson] = [k for j, ms in enumerate(first) if j != i for k in known_persons(ms)]
        mentions = extract_entities(article, known) if known else first[i]
        out.append((article, mentions, extract_quotes(article, mentions)))
    return out


def compare_articles(
    articles: Sequence[Article],
    *,
    embedder: Embedder | None = None,
    config: CompareConfig | None = None,
    analysed: Sequence[tuple[Article, list[Mention], list[Quote]]] | None = None,
    fetched: Mapping[str, datetime] | None = None,
) -> Comparison:
    """Compare `articles` (two or more): paired sentences and quotes, unique sentences, entities,
    agencies, who reported first. `embedder` defaults to the shared USE model; with
    `config.use_embeddings` False only lexical evidence is used. `fetched` maps article ids to
    when their document was fetched (feeds): the last basis for who reported first.

    Raises InputError when fewer than two articles are given or two share an id.
    """
    cfg = config or CompareConfig()
    if len(articles) < 2:
        raise InputError(f"compare needs at least two articles, got {len(articles)}")
    ids = [a.id for a in articles]
    if len(set(ids)) != len(ids):
        raise InputError(
            f"compare got the same article twice: {sorted({i for i in ids if ids.count(i) > 1})}"
        )
    parts = analysed if analysed is not None else analyse(articles)
    docs = []
    for article, mentions, quotes in parts:
        sentences = split_sentences(article.body)[:MAX_SENTENCES]
        spans = _spans(article.body, sentences)
        sentence_feats = [
            features(s, _keys_in(mentions, a, b)) for s, (a, b) in zip(sentences, spans, strict=True)
        ]
        quote_feats = [
            features(
                q.text, [*_keys_in(mentions, q.start, q.end), *([q.speaker_key] if q.speaker_key else [])]
            )
            for q in quotes
        ]
        docs.append(
            _Doc(
                article,
                mentions,
                quotes,
                spans,
                _Units(sentences, sentence_feats),
                _Units([q.text for q in quotes], quote_feats),
            )
        )
    model = (embedder or default_embedder()) if cfg.use_embeddings else None
    _embed(docs, model)
    comparison = Comparison(documents=[_info(d) for d in docs], config=asdict(cfg))
    best: dict[str, Matrix] = {d.article.id: np.zeros(len(d.sentences.texts)) for d in docs}
    for i in range(len(docs)):
        for j in range(i + 1, len(docs)):
            _pair_docs(docs[i], docs[j], cfg, comparison, best, model)
    comparison.pairs.sort(key=lambda p: (p.kind != "quote", p.a.doc, p.b.doc, p.group, p.a.index, p.b.index))
    groups: dict[int, int] = {}
    comparison.pairs = [replace(p, group=groups.setdefault(p.group, len(groups))) for p in comparison.pairs]
    for d in docs:
        aid = d.article.id
        comparison.unique[aid] = [
            s for k, s in enumerate(d.sentences.texts) if best[aid][k] < cfg.unique_threshold
        ]
        comparison.agencies[aid] = list(d.article.agencies)
        comparison.quotes.extend(
            QuoteInfo(aid, q.speaker, q.text, q.verb, q.speaker_key, q.continuation) for q in d.quotes
        )
        comparison.entities[aid] = [e for e in group_mentions(d.mentions) if e.kind != "agency"]
    _unique_entities(comparison)
    comparison.first_reported, comparison.first_reported_basis = _first(docs, fetched or {})
    return comparison


def _embed(docs: list[_Doc], embedder: Embedder | None) -> None:
    groups = [u for d in docs for u in (d.sentences, d.quote_units)]
    texts = [t for u in groups for t in (*u.texts, *u.clause_texts)]
    if embedder is not None and texts:
        vecs = embedder.embed(texts).astype(np.float64)
    else:
        vecs = np.zeros((len(texts), 1))
    pos = 0
    for u in groups:
        u.vecs = vecs[pos : pos + len(u.texts)]
        pos += len(u.texts)
        u.clause_vecs = vecs[pos : pos + len(u.clause_texts)]
        pos += len(u.clause_texts)


def _scores(a: _Units, b: _Units, cfg: CompareConfig) -> tuple[Matrix, Matrix, Matrix]:
    """(mixed score, cosine, lexical) of every unit of `a` with every unit of `b`.

    The cosine is the best of whole units and of a clause of one against the other: a sentence
    or quote may carry two statements that the other outlet reports apart.
    """
    lex = lexical_matrix(a.feats, b.feats)
    if not cfg.use_embeddings or lex.size == 0:
        return lex, np.zeros_like(lex), lex
    cos: Matrix = np.clip(a.vecs @ b.vecs.T, 0.0, 1.0)
    for va, owner_a, vb, owner_b in (
        (a.clause_vecs, a.clause_owner, b.vecs, list(range(len(b.texts)))),
        (a.vecs, list(range(len(a.texts))), b.clause_vecs, b.clause_owner),
    ):
        if len(va) and len(vb):
            sims = 0.95 * np.clip(va @ vb.T, 0.0, 1.0)
            for r, ua in enumerate(owner_a):
                for c, ub in enumerate(owner_b):
                    if sims[r, c] > cos[ua, ub]:
                        cos[ua, ub] = sims[r, c]
    return combine(cos, lex, cfg.cosine_weight), cos, lex


def _merged_scorer(a: _Units, b: _Units, cfg: CompareConfig, embedder: Embedder | None) -> MergedScore:
    """Scores units of one side read together (in document order) against one unit of the other."""

    def merged(side: str, units: Sequence[int], other: int) -> float:
        own, far = (a, b) if side == "a" else (b, a)
        text = " ".join(own.texts[k] for k in units)
        feats = frozenset().union(*(own.feats[k] for k in units))
        lex = lexical_matrix([feats], [far.feats[other]])
        if embedder is None:
            return float(lex[0, 0])
        vec = embedder.embed([text]).astype(np.float64)[0]
        cos = np.clip(np.array([[vec @ far.vecs[other]]]), 0.0, 1.0)
        return float(combine(cos, lex, cfg.cosine_weight)[0, 0])

    return merged


def _next_group(out: Comparison) -> int:
    """A group number no pair uses yet (groups are renumbered once every pair is in)."""
    return max((p.group for p in out.pairs), default=-1) + 1


def _pair_docs(
    a: _Doc, b: _Doc, cfg: CompareConfig, out: Comparison, best: dict[str, Matrix], embedder: Embedder | None
) -> None:
    ida, idb = a.article.id, b.article.id
    score, cos, lex = _scores(a.quote_units, b.quote_units, cfg)
    merged = _merged_scorer(a.quote_units, b.quote_units, cfg, embedder) if cfg.splits else None
    base = _next_group(out)
    for link in align(score, cfg.quote_threshold, min(cfg.second_threshold, cfg.quote_threshold), merged):
        qa, qb = a.quotes[link.a], b.quotes[link.b]
        out.pairs.append(
            Pair(
                "quote",
                Side(ida, qa.text, link.a, qa.speaker),
                Side(idb, qb.text, link.b, qb.speaker),
                link.score,
                cos[link.a, link.b],
                lex[link.a, link.b],
                base + link.group,
            )
        )
    if score.size:
        # A sentence carrying a quote the other outlet also carries is not unique to its source.
        for doc, quote_best in ((a, score.max(axis=1)), (b, score.max(axis=0))):
            for k, q in enumerate(doc.quotes):
                for sent in _covering(doc, q):
                    best[doc.article.id][sent] = max(best[doc.article.id][sent], quote_best[k])
    score, cos, lex = _scores(a.sentences, b.sentences, cfg)
    if score.size:
        best[ida] = np.maximum(best[ida], score.max(axis=1))
        best[idb] = np.maximum(best[idb], score.max(axis=0))
    merged = _merged_scorer(a.sentences, b.sentences, cfg, embedder) if cfg.splits else None
    base = _next_group(out)
    links: list[Link] = align(
        score, cfg.sentence_threshold, min(cfg.second_threshold, cfg.sentence_threshold), merged
    )
    for link in links:
        # A paired sentence is shared, whatever its score: never list it as unique too.
        best[ida][link.a] = max(best[ida][link.a], cfg.unique_threshold)
        best[idb][link.b] = max(best[idb][link.b], cfg.unique_threshold)
        out.pairs.append(
            Pair(
                "sentence",
                Side(ida, a.sentences.texts[link.a], link.a),
                Side(idb, b.sentences.texts[link.b], link.b),
                link.score,
                cos[link.a, link.b],
                lex[link.a, link.b],
                base + link.group,
            )
        )


def _covering(doc: _Doc, quote: Quote) -> set[int]:
    return {k for k, (s, e) in enumerate(doc.sentence_spans) if s < quote.end and quote.start < e}


def _info(d: _Doc) -> DocumentInfo:
    a = d.article
    return DocumentInfo(
        id=a.id,
        title=a.title,
        outlet=a.outlet,
        published=a.published.isoformat() if a.published else None,
        language=a.language,
        source=a.source,
        sentences=len(d.sentences.texts),
    )


def _unique_entities(c: Comparison) -> None:
    keys = {doc: {e.key for e in ents} for doc, ents in c.entities.items()}
    for doc, ents in c.entities.items():
        others = set().union(*(k for d, k in keys.items() if d != doc))
        c.unique_entities[doc] = [e.name for e in ents if e.key not in others]


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _first(docs: list[_Doc], fetched: Mapping[str, datetime]) -> tuple[str | None, str]:
    """Who reported first, and on what basis:
    1. "published": the earliest publication time (undated documents are not compared);
    2. "agency credit": without times, the only document crediting a named wire agency the
       others do not cite (the wire copy is the earlier report);
    3. "fetched": else, when every document has a fetch time (feed documents), the earliest
       fetched - when we saw it, not when it was written, so only a fallback.
    """
    dated = [(_aware(d.article.published), d.article.id) for d in docs if d.article.published is not None]
    if dated:
        if len(dated) < len(docs):
            return min(dated)[1], "published (undated documents not compared)"
        return min(dated)[1], "published"
    wires = []
    for d in docs:
        own = {a for a in d.article.agencies if a != "Agencies"}
        others = {a for e in docs if e is not d for a in e.article.agencies}
        if own and not own <= others:
            wires.append(d.article.id)
    if len(wires) == 1:
        return wires[0], "agency credit"
    seen = [(_aware(fetched[d.article.id]), d.article.id) for d in docs if d.article.id in fetched]
    if len(seen) == len(docs):
        times = sorted(seen)
        if times[0][0] < times[1][0]:
            return times[0][1], "fetched"
    return None, "unknown"
