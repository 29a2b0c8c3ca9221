"""Compare two articles or a whole story: shared sentences and quotes, what each adds, who was first."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime

import numpy as np

from marsad.compare.alignment import Link, MergedScore, align
from marsad.compare.boilerplate import is_fragment, restates_title
from marsad.compare.claims import (
    Claim,
    Edge,
    adds_and_omits,
    disagreements,
    goes_on_speaking,
    group_units,
    may_be_same_person,
)
from marsad.compare.first import Source, first_report
from marsad.compare.numbers import days, figures
from marsad.compare.records import Comparison, DocumentInfo, Pair, QuoteInfo, Side
from marsad.compare.scoring import Matrix, anchors, clauses, combine, features, lexical_matrix
from marsad.embed.base import Embedder, ScopedEmbedder
from marsad.entities import KnownPerson, Mention, extract_entities, group_mentions, known_persons
from marsad.entities.aliases import person_key
from marsad.errors import ConfigError, InputError
from marsad.quotes import Quote, extract_quotes
from marsad.records import Article
from marsad.text.sentences import split_sentences

MAX_SENTENCES = 400  # per document: bounds the score matrices on pathological input


@dataclass(slots=True, frozen=True)
class CompareConfig:
    """Thresholds and weights, chosen on our gold set (bench/compare.py prints the sweep).

    `sentence_threshold`/`quote_threshold`: minimum mixed score of a reported pair.
    `unique_threshold`: a claim only one outlet carries is listed as what it adds only when each
    of its sentences scores under this with every sentence of the other outlets (else another
    outlet may well carry it in words the claims did not join: neither added nor shared).
    `second_threshold`: minimum score of a pair found after the one-to-one matching: two units
    that are each other's best partner, or a unit joining a pair as the second half of a split
    (see `marsad.compare.alignment`).
    `splits`: allow one unit to pair with two units of the other side.
    `cosine_weight`: weight of the embedding cosine against lexical evidence.
    `claim_link`: minimum average cross-article score of two groups of units merged into one
    claim; `split_link`: the same when the merge gives an article a second unit in the claim;
    `attach_threshold`: minimum score of a lone unit joining its best partner's claim;
    `join_threshold`: the same for a lone sentence that goes on with an earlier sentence's speech
    ("وأضاف أن ...") joining the claim of that sentence (`marsad.compare.claims`);
    `also_link`: minimum average score of a sentence already in one claim with each member of
    another claim its article lacks, to carry that claim too (1.0: one claim per sentence);
    `unit_link`: minimum average score of each unit of a merge with the other group's units.
    """

    sentence_threshold: float = 0.55
    quote_threshold: float = 0.50
    unique_threshold: float = 0.50
    second_threshold: float = 0.35
    cosine_weight: float = 0.7
    cross_cosine_weight: float = 0.8
    splits: bool = True
    use_embeddings: bool = True
    claim_link: float = 0.33
    split_link: float = 0.45
    attach_threshold: float = 0.55
    join_threshold: float = 0.2
    also_link: float = 0.45
    unit_link: float = 0.2
    person_penalty: float = 0.2

    def __post_init__(self) -> None:
        for name in (
            "sentence_threshold",
            "quote_threshold",
            "unique_threshold",
            "second_threshold",
            "cosine_weight",
            "cross_cosine_weight",
            "claim_link",
            "split_link",
            "attach_threshold",
            "join_threshold",
            "also_link",
            "unit_link",
            "person_penalty",
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


def default_embedder() -> Embedder:
    """The shared multilingual embedder (USE multilingual v3, loaded once per process, the one the
    story clusterer uses: `marsad.embed.shared_embedder`)."""
    from marsad.embed import shared_embedder

    return shared_embedder()


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


def _one_key_per_person(
    parts: Sequence[tuple[Article, list[Mention], list[Quote]]],
) -> list[tuple[Article, list[Mention], list[Quote]]]:
    """The parts with one person key per person across the story: a person one outlet names by a
    part of the name (the English recognizer's "Sami" for وزير الصحة سامي الحلبي, a first name keyed
    per:SM beside the surname's per:HLB) takes the key of the one longer name of the story that may be
    theirs (`may_be_same_person`); a part that fits two longer names keeps its own key."""
    names: dict[str, str] = {}  # person key -> its longest name in the story
    for _article, mentions, quotes in parts:
        found = [(m.key, m.name) for m in mentions if m.kind == "person"]
        found += [(q.speaker_key, q.speaker) for q in quotes if q.speaker_key and q.speaker]
        for key, name in found:
            if key.startswith("per:") and len(name.split()) > len(names.get(key, "").split()):
                names[key] = name
    to: dict[str, str] = {}
    for key, name in names.items():
        longer = {
            k for k, n in names.items() if len(n.split()) > len(name.split()) and may_be_same_person(name, n)
        }
        if len(longer) == 1:
            to[key] = longer.pop()
    if not to:
        return list(parts)
    return [
        (
            article,
            [replace(m, key=to.get(m.key, m.key)) for m in mentions],
            [replace(q, speaker_key=to.get(q.speaker_key or "", q.speaker_key)) for q in quotes],
        )
        for article, mentions, quotes in parts
    ]


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
    parts = _one_key_per_person(analysed if analysed is not None else analyse(articles))
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
    pairs = {
        (i, j): _pair_scores(docs[i], docs[j], cfg, model)
        for i in range(len(docs))
        for j in range(i + 1, len(docs))
    }
    claims = _claims(docs, pairs, cfg)
    comparison.claims = claims
    comparison.pairs = _derive_pairs(docs, pairs, claims, cfg, model)
    ids = [d.article.id for d in docs]
    unsure = _not_added(docs, claims, _best_elsewhere(docs, pairs), cfg.unique_threshold)
    comparison.adds, comparison.omits = adds_and_omits(claims, ids, unsure)
    comparison.disagreements = disagreements(claims)
    by_claim = {c.id: c for c in claims}
    for d in docs:
        aid = d.article.id
        comparison.unique[aid] = [
            d.sentences.texts[k] for cid in comparison.adds[aid] for k in by_claim[cid].units[aid]
        ]
        comparison.agencies[aid] = list(d.article.agencies)
        comparison.quotes.extend(
            QuoteInfo(aid, q.speaker, q.text, q.verb, q.speaker_key, q.continuation) for q in d.quotes
        )
        comparison.entities[aid] = [e for e in group_mentions(d.mentions) if e.kind != "agency"]
    _unique_entities(comparison, docs, claims)
    comparison.first_reported, comparison.first_reported_basis = _first(docs, fetched or {})
    return comparison


def _embed(docs: list[_Doc], embedder: Embedder | None) -> None:
    """Every unit's and clause's vector, in one call (a scoped embedder caches each under its
    article: `marsad.compare.story.sentence_embedder`)."""
    groups = [u for d in docs for u in (d.sentences, d.quote_units)]
    texts = [t for u in groups for t in (*u.texts, *u.clause_texts)]
    if isinstance(embedder, ScopedEmbedder) and texts:
        owners = [
            d.article.id
            for d in docs
            for u in (d.sentences, d.quote_units)
            for _ in (*u.texts, *u.clause_texts)
        ]
        vecs = embedder.embed_scoped(texts, owners).astype(np.float64)
    elif embedder is not None and texts:
        vecs = embedder.embed(texts).astype(np.float64)
    else:
        vecs = np.zeros((len(texts), 1))
    pos = 0
    for u in groups:
        u.vecs = vecs[pos : pos + len(u.texts)]
        pos += len(u.texts)
        u.clause_vecs = vecs[pos : pos + len(u.clause_texts)]
        pos += len(u.clause_texts)


def _scores(a: _Units, b: _Units, cfg: CompareConfig, cross: bool = False) -> tuple[Matrix, Matrix, Matrix]:
    """(mixed score, cosine, lexical) of every unit of `a` with every unit of `b`.

    The cosine is the best of whole units and of a clause of one against the other: a sentence
    or quote may carry two statements that the other outlet reports apart. Across languages
    (`cross`) words never match, so the lexical evidence is the figures and entity keys alone,
    and the cosine weighs more (`cross_cosine_weight`).
    """
    if cross:
        lex = lexical_matrix([anchors(f) for f in a.feats], [anchors(f) for f in b.feats])
    else:
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
    return combine(cos, lex, cfg.cross_cosine_weight if cross else cfg.cosine_weight), cos, lex


def _merged_scorer(
    a: _Units, b: _Units, cfg: CompareConfig, embedder: Embedder | None, cross: bool
) -> MergedScore:
    """Scores units of one side read together (in document order) against one unit of the other,
    as `_scores` scores single units (across languages: anchors only, `cross_cosine_weight`)."""

    def merged(side: str, units: Sequence[int], other: int) -> float:
        own, far = (a, b) if side == "a" else (b, a)
        text = " ".join(own.texts[k] for k in units)
        feats = frozenset().union(*(own.feats[k] for k in units))
        far_feats = far.feats[other]
        if cross:
            feats, far_feats = anchors(feats), anchors(far_feats)
        lex = lexical_matrix([feats], [far_feats])
        if embedder is None:
            return float(lex[0, 0])
        vec = embedder.embed([text]).astype(np.float64)[0]
        cos = np.clip(np.array([[vec @ far.vecs[other]]]), 0.0, 1.0)
        return float(combine(cos, lex, cfg.cross_cosine_weight if cross else cfg.cosine_weight)[0, 0])

    return merged


@dataclass(slots=True)
class _PairScores:
    """Everything two documents' alignment found: the unit score matrix, its cosine and lexical
    parts, the quote score matrix, and the links of the sentence alignment."""

    score: Matrix
    cos: Matrix
    lex: Matrix
    quotes: Matrix
    links: list[Link]


def _persons(doc: _Doc, start: int, end: int) -> frozenset[str]:
    """The persons a sentence names or quotes (a quote's speaker counts, even when named earlier)."""
    named = {
        m.key for m in doc.mentions if m.field == "body" and m.kind == "person" and start <= m.start < end
    }
    quoted = {q.speaker_key for q in doc.quotes if q.speaker_key and start <= q.start < end}
    return frozenset(named | quoted)


def _pair_scores(a: _Doc, b: _Doc, cfg: CompareConfig, embedder: Embedder | None) -> _PairScores:
    """The score of every sentence of `a` with every sentence of `b`: the sentence score, raised to
    the score of the quotes they carry (a quote reworded by the other outlet is still the same
    statement), lowered when both name persons and none in common (two people announcing)."""
    cross = a.article.language != b.article.language
    qscore, _qc, _ql = _scores(a.quote_units, b.quote_units, cfg, cross)
    score, cos, lex = _scores(a.sentences, b.sentences, cfg, cross)
    score = score.copy()
    for qa, quote_a in enumerate(a.quotes):
        for qb, quote_b in enumerate(b.quotes):
            for r in _covering(a, quote_a):
                for c in _covering(b, quote_b):
                    score[r, c] = max(score[r, c], qscore[qa, qb])
    if cfg.person_penalty and score.size:
        pa = [_persons(a, s, e) for s, e in a.sentence_spans]
        pb = [_persons(b, s, e) for s, e in b.sentence_spans]
        for r, keys_a in enumerate(pa):
            for c, keys_b in enumerate(pb):
                if keys_a and keys_b and not keys_a & keys_b:
                    score[r, c] = max(0.0, score[r, c] - cfg.person_penalty)
    # A line of a few words (a dateline "عين اليوم – الرياض", a byline, a caption) states no claim: it
    # shares a city or a name with any sentence and would take a real sentence's place in the matching.
    score[[k for k, t in enumerate(a.sentences.texts) if is_fragment(t)], :] = 0.0
    score[:, [k for k, t in enumerate(b.sentences.texts) if is_fragment(t)]] = 0.0
    merged = _merged_scorer(a.sentences, b.sentences, cfg, embedder, cross) if cfg.splits else None
    links = align(score, cfg.sentence_threshold, min(cfg.second_threshold, cfg.sentence_threshold), merged)
    return _PairScores(score, cos, lex, qscore, links)


def _speaker(doc: _Doc, quote: Quote, sentence: int) -> tuple[str | None, str | None]:
    """The quote's speaker (name, entity key); when the quote step found no speaker entity, the one
    person the sentence names outside the quote ("وقال المتحدث ... العقيد سامر حداد “…”")."""
    if quote.speaker_key:
        return quote.speaker, quote.speaker_key
    start, end = doc.sentence_spans[sentence]
    outside: dict[str, str] = {}
    for m in doc.mentions:
        if m.field != "body" or m.kind != "person" or not start <= m.start < end:
            continue
        if quote.start <= m.start < quote.end:
            continue
        if m.start < quote.start <= m.end + 1:
            # The name ran into the quote mark: keep what precedes it, keyed by its surname.
            name = re.split(r"[“«\"]", m.text, maxsplit=1)[0].strip()
            outside[person_key(name)] = name
        else:
            outside[m.key] = m.name
    if len(outside) == 1:
        key, name = next(iter(outside.items()))
        return name, key
    return quote.speaker, None


def _headline_lines(docs: list[_Doc]) -> dict[tuple[int, int], tuple[int, int]]:
    """Each body line after the lead that repeats its article's headline, mapped to the lead (the
    first line that is not a dateline or caption)."""
    out = {}
    for d, doc in enumerate(docs):
        texts = doc.sentences.texts
        lead = next((k for k, t in enumerate(texts) if not is_fragment(t)), None)
        if lead is None:
            continue
        for k in range(lead + 1, len(texts)):
            if restates_title(doc.article.title, texts[k]):
                out[(d, k)] = (d, lead)
    return out


def _claims(docs: list[_Doc], pairs: dict[tuple[int, int], _PairScores], cfg: CompareConfig) -> list[Claim]:
    edges = [Edge(link.score, (i, link.a), (j, link.b)) for (i, j), ps in pairs.items() for link in ps.links]
    groups = group_units(
        [len(d.sentences.texts) for d in docs],
        {k: ps.score for k, ps in pairs.items()},
        edges,
        cfg.claim_link,
        cfg.attach_threshold,
        cfg.split_link,
        cfg.join_threshold,
        {
            (d, k)
            for d, doc in enumerate(docs)
            for k, t in enumerate(doc.sentences.texts)
            if goes_on_speaking(t)
        },
        cfg.also_link,
        _headline_lines(docs),
        cfg.unit_link,
    )

    def position(group: list[tuple[int, int]]) -> float:
        return sum(k / max(1, len(docs[d].sentences.texts)) for d, k in group) / len(group)

    claims = []
    for n, group in enumerate(sorted(groups, key=lambda g: (position(g), g)), start=1):
        units: dict[str, list[int]] = {}
        for d, k in group:
            units.setdefault(docs[d].article.id, []).append(k)
        by_id = {d.article.id: d for d in docs}
        texts = {aid: " ".join(by_id[aid].sentences.texts[k] for k in ks) for aid, ks in units.items()}
        speakers: dict[str, str] = {}
        keys: dict[str, str] = {}
        inferred: set[str] = set()
        for aid, ks in units.items():
            for q in by_id[aid].quotes:
                covering = _covering(by_id[aid], q) & set(ks)
                if not covering:
                    continue
                name, key = _speaker(by_id[aid], q, min(covering))
                if aid not in speakers and aid not in keys and q.continuation:
                    inferred.add(aid)
                if name:
                    speakers.setdefault(aid, name)
                if key:
                    keys.setdefault(aid, key)
        quoted = any(
            _covering(by_id[aid], q) & set(ks) for aid, ks in units.items() for q in by_id[aid].quotes
        )
        dated = sorted((_aware(p), aid) for aid in units if (p := by_id[aid].article.published) is not None)
        common = Counter(keys.values()).most_common(1)
        speaker = (
            next(speakers[a] for a, k in keys.items() if k == common[0][0])
            if common
            else next(iter(speakers.values()), None)
        )
        if speaker:  # the fullest name the outlets give that person (Rami / Rami al-Khatib)
            speaker = max((n for n in speakers.values() if may_be_same_person(n, speaker)), key=len)
        claims.append(
            Claim(
                id=f"c{n}",
                kind="quote" if quoted else "sentence",
                units=units,
                texts=texts,
                numbers={
                    aid: [*figures(t), *days(t, by_id[aid].article.published)] for aid, t in texts.items()
                },
                languages=sorted({lang for aid in units if (lang := by_id[aid].article.language)}),
                first=dated[0][1] if dated else None,
                speaker=speaker,
                speakers=speakers,
                speaker_keys=keys,
                speaker_inferred=inferred,
            )
        )
    return claims


def _not_added(
    docs: list[_Doc], claims: list[Claim], best: dict[tuple[int, int], float], threshold: float
) -> set[str]:
    """The claims of one outlet not listed as what it adds: a sentence scoring `threshold` or more
    with another outlet's sentence (carried elsewhere in words the claims did not join), or a body
    line repeating its article's headline (`marsad.compare.boilerplate.restates_title`)."""
    index = {d.article.id: i for i, d in enumerate(docs)}
    out = set()
    for c in claims:
        if len(c.units) != 1:
            continue
        ((aid, ks),) = c.units.items()
        doc = docs[index[aid]]
        if max(best[(index[aid], k)] for k in ks) >= threshold or all(
            k > 0 and restates_title(doc.article.title, doc.sentences.texts[k]) for k in ks
        ):
            out.add(c.id)
    return out


def _best_elsewhere(
    docs: list[_Doc], pairs: dict[tuple[int, int], _PairScores]
) -> dict[tuple[int, int], float]:
    """Each unit's best score with a unit of another document."""
    best = {(d, k): 0.0 for d, doc in enumerate(docs) for k in range(len(doc.sentences.texts))}
    for (i, j), ps in pairs.items():
        if not ps.score.size:
            continue
        for k, v in enumerate(ps.score.max(axis=1)):
            best[(i, k)] = max(best[(i, k)], float(v))
        for k, v in enumerate(ps.score.max(axis=0)):
            best[(j, k)] = max(best[(j, k)], float(v))
    return best


def _derive_pairs(
    docs: list[_Doc],
    pairs: dict[tuple[int, int], _PairScores],
    claims: list[Claim],
    cfg: CompareConfig,
    embedder: Embedder | None,
) -> list[Pair]:
    """The pairwise view of the claims: the sentences (and the quotes they carry) of every two
    documents carrying one claim; `group` is the claim's index."""
    index = {d.article.id: i for i, d in enumerate(docs)}
    out: list[Pair] = []
    seen: set[tuple[str, int, str, int]] = set()  # a sentence in two claims: each pair once
    for g, claim in enumerate(claims):
        ids = sorted(claim.units, key=index.__getitem__)
        for x, ida in enumerate(ids):
            for idb in ids[x + 1 :]:
                i, j = index[ida], index[idb]
                a, b, ps = docs[i], docs[j], pairs[(i, j)]
                for r in claim.units[ida]:
                    for c in claim.units[idb]:
                        if (ida, r, idb, c) in seen:
                            continue
                        seen.add((ida, r, idb, c))
                        out.append(
                            Pair(
                                "sentence",
                                Side(ida, a.sentences.texts[r], r),
                                Side(idb, b.sentences.texts[c], c),
                                float(ps.score[r, c]),
                                float(ps.cos[r, c]),
                                float(ps.lex[r, c]),
                                g,
                            )
                        )
                qa = [k for k, q in enumerate(a.quotes) if _covering(a, q) & set(claim.units[ida])]
                qb = [k for k, q in enumerate(b.quotes) if _covering(b, q) & set(claim.units[idb])]
                if not qa or not qb:
                    continue
                sub = ps.quotes[np.ix_(qa, qb)]
                cross = a.article.language != b.article.language
                merged = _on_subset(
                    _merged_scorer(a.quote_units, b.quote_units, cfg, embedder, cross), qa, qb
                )
                second = min(cfg.second_threshold, cfg.quote_threshold)
                for link in align(sub, cfg.quote_threshold, second, merged if cfg.splits else None):
                    q1, q2 = a.quotes[qa[link.a]], b.quotes[qb[link.b]]
                    out.append(
                        Pair(
                            "quote",
                            Side(ida, q1.text, qa[link.a], q1.speaker),
                            Side(idb, q2.text, qb[link.b], q2.speaker),
                            link.score,
                            link.score,
                            link.score,
                            g,
                        )
                    )
    out.sort(key=lambda p: (p.kind != "quote", p.group, p.a.doc, p.b.doc, p.a.index, p.b.index))
    return out


def _on_subset(merged: MergedScore, rows: Sequence[int], cols: Sequence[int]) -> MergedScore:
    """`merged` over the sub-matrix of units `rows` of the first side and `cols` of the second:
    one outlet folds into one quote what the other gives as two (a split)."""

    def scored(side: str, units: Sequence[int], other: int) -> float:
        own, far = (rows, cols) if side == "a" else (cols, rows)
        return merged(side, [own[k] for k in units], far[other])

    return scored


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


def _unique_entities(c: Comparison, docs: list[_Doc], claims: list[Claim]) -> None:
    """The entities only one document names. Keys already join spellings and scripts; what they
    miss (حسن عبد الله / Abdalla, البنك المركزي المصري / Banque centrale d'Égypte) the claims
    join: when two documents in different languages carry one claim and each names there exactly
    one person (or organisation) that the other does not name, the two are one referent. Places
    are left to the gazetteer, which keys them across scripts."""
    same: dict[str, str] = {}

    def root(key: str) -> str:
        while same.get(key, key) != key:
            key = same[key]
        return key

    by_id = {d.article.id: d for d in docs}

    def named(doc: str, claim: Claim) -> dict[str, set[str]]:
        d = by_id[doc]
        out: dict[str, set[str]] = {}
        for k in claim.units[doc]:
            start, end = d.sentence_spans[k]
            for m in d.mentions:
                if m.field == "body" and m.kind != "agency" and start <= m.start < end:
                    out.setdefault(m.kind, set()).add(m.key)
        return out

    for claim in claims:
        found = {doc: named(doc, claim) for doc in claim.units}
        ids = list(found)
        for x, a in enumerate(ids):
            for b in ids[x + 1 :]:
                if by_id[a].article.language == by_id[b].article.language:
                    continue  # within a script the keys already join spellings
                for kind in set(found[a]) & set(found[b]) & {"person", "org"}:
                    only_a = found[a][kind] - found[b][kind]
                    only_b = found[b][kind] - found[a][kind]
                    if len(only_a) == 1 and len(only_b) == 1:
                        ra, rb = root(next(iter(only_a))), root(next(iter(only_b)))
                        if ra != rb:
                            same[rb] = ra
    roots = {doc: {root(e.key) for e in ents} for doc, ents in c.entities.items()}
    for doc, ents in c.entities.items():
        others = set().union(*(r for d, r in roots.items() if d != doc))
        c.unique_entities[doc] = [e.name for e in ents if root(e.key) not in others]


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _first(docs: list[_Doc], fetched: Mapping[str, datetime]) -> tuple[str | None, str]:
    """Who reported first, and the basis as the comparison's JSON words it (`marsad.compare.first`)."""
    found = first_report(
        [
            Source(d.article.id, d.article.published, tuple(d.article.agencies), fetched.get(d.article.id))
            for d in docs
        ]
    )
    return found.article_id, found.label
