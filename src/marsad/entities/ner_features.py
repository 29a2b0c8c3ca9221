"""Features of the Arabic sequence tagger (`marsad.entities.ner`), one list of strings per token.

What a word says about itself is computed once per distinct word and cached (normalized form,
clitic split, affixes, shape, list membership, word clusters); what depends on the sentence
(neighbours within two words, multi-word gazetteer matches) is assembled per sentence from those
cached pieces. The same function serves training (`bench`/`tools` scripts over ANERcorp tokens)
and tagging (tokens of an article), so the two cannot drift apart.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Container, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from marsad.entities.folding import Token, _clitic_forms
from marsad.entities.gazetteer import Gazetteer, default_gazetteer
from marsad.entities.lexicon import (
    AR_COMPLEMENTS,
    AR_FIRST_NAMES,
    AR_SPEECH_VERBS,
    AR_STOP,
    AR_TITLES,
)
from marsad.entities.ner_eval import spans
from marsad.entities.organisations import AR_ORG_HEADS
from marsad.text.arabic import normalize

CLUSTERS_FILE = "data/word-clusters-ar.tsv.gz"

# Proclitic sequences, longest first; the rest must keep two letters (three after a bare letter).
_PROCLITICS = (
    "وبال", "وكال", "فبال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "وب", "ول", "وك", "فب", "فل",
    "ال", "و", "ف", "ب", "ل", "ك",
)  # fmt: skip
_SUFFIXES = ("هما", "كما", "هم", "هن", "كم", "ها", "نا", "ات", "ون", "ين", "ان", "يه", "ه", "ي", "ك")
_ARABIC = re.compile(r"[\u0621-\u064a]")
_LATIN = re.compile(r"[a-z]")
_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"^[^\w]+$")
_DIACRITICS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_MAX_CACHE = 200_000
# Words that chain the parts of a name (عبد الله بن سلمان آل سعود, أبو بكر), normalized.
_NAME_LINKS = frozenset(normalize(w) for w in "بن ابن بنت عبد أبو أبي أبا آل".split())


def split_clitics(word: str) -> tuple[str, str]:
    """(proclitic, stem) of a normalized Arabic word: والرئيس -> ("وال", "رئيس"), بغداد -> ("ب", "غداد")
    is allowed: the tagger weighs the split, it does not trust it."""
    for p in _PROCLITICS:
        if word.startswith(p) and len(word) - len(p) >= (2 if len(p) > 1 else 3):
            return p, word[len(p) :]
    return "", word


def _shape(word: str) -> str:
    if _PUNCT.match(word):
        return "P"
    arabic, latin, digit = _ARABIC.search(word), _LATIN.search(word), _DIGIT.search(word)
    return ("A" if arabic else "") + ("L" if latin else "") + ("D" if digit else "") or "O"


class WordClusters:
    """word -> cluster ids at a few granularities, learned without labels (see tools/train_ner.py),
    plus how often the word follows a title in the unlabelled corpus (a bucket, "" when rare).
    The table lists words most frequent first, so it also gives each word's frequency rank."""

    __slots__ = ("rank", "table")

    def __init__(self, table: dict[str, tuple[str, ...]]) -> None:
        self.table = table
        self.rank = {w: i for i, w in enumerate(table)}

    def get(self, word: str) -> tuple[str, ...] | None:
        return self.table.get(word)

    def strip_proclitic(self, word: str) -> int:
        """How many letters of the normalized Arabic `word` are a proclitic to leave out of a name:
        a one-letter و/ب/ل/ف/ك when the rest is the more frequent word (ولبنان -> لبنان, but
        وليد and بغداد stay whole), a و/ف before the article (والرياض -> الرياض)."""
        if len(word) >= 5 and word[:1] in "وف" and word[1:3] == "ال":
            return 1
        if len(word) >= 4 and word[:1] in "وبلفك":
            rest = self.rank.get(word[1:])
            if rest is not None and rest < self.rank.get(word, 1 << 30):
                return 1
        return 0


def load_clusters(path: Traversable | Path) -> WordClusters:
    """A word-cluster table written by tools/word_clusters.py (gzipped "word<TAB>id<TAB>..."). Words
    with the same ids share one tuple of shared strings (54,000 words, 21,000 distinct rows of a few
    thousand distinct ids: 9 MB instead of 27 MB)."""
    table: dict[str, tuple[str, ...]] = {}
    rows: dict[str, tuple[str, ...]] = {}
    ids: dict[str, str] = {}
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        for line in fh:
            word, tab, rest = line.rstrip("\n").partition("\t")
            row = rows.get(tab + rest)
            if row is None:
                parts = rest.split("\t") if tab else []
                row = rows[tab + rest] = tuple(ids.setdefault(x, x) for x in parts)
            table[word] = row
    return WordClusters(table)


@lru_cache(maxsize=1)
def default_clusters() -> WordClusters:
    """The shipped word-cluster table."""
    return load_clusters(resources.files("marsad.entities").joinpath(CLUSTERS_FILE))


@dataclass(slots=True, frozen=True)
class _Word:
    """What one distinct word contributes, computed once: its normalized form, its own features,
    its features as seen from offsets -2, -1, +1, +2, its coarse and middle clusters and stem (for
    pair features), its title-follower bucket, "title"/"speech" when it is a cue word, whether it
    links the parts of a name, whether a listed name may start with it, and a position-free `Token`
    for gazetteer lookups."""

    raw: str
    norm: str
    own: list[str]
    ctx: tuple[list[str], ...]
    coarse: str
    middle: str
    stem: str
    titled: str
    cue: str
    link: bool
    listed: bool
    token: Token
    nameable: bool
    fname: bool
    orghead: bool


# Evidence[stem] = occurrences in the document with each cue of `_CUES` on, then all occurrences.
Evidence = dict[str, list[int]]
_CUES = ("T", "U", "S", "L", "N", "F", "O")
_DOC_FEATURES = tuple(f"d:{cue}" for cue in _CUES)


def _occurrence_cues(words: Sequence[_Word]) -> list[tuple[bool, ...] | None]:
    """Per token, which `_CUES` its neighbours give: right after a title (T), two or three words
    after one with only name-like words between (U: الرئيس السوري بشار الأسد), after a speech verb
    (S), after a name link (L), before a name link (N), after a listed first name (F), within
    three words after an organisation head (O); None for tokens that cannot be names
    (punctuation, function words, the cue words themselves)."""
    out: list[tuple[bool, ...] | None] = []
    org_at = title_at = -9
    n = len(words)
    for i, w in enumerate(words):
        if w.orghead:
            org_at = i
        if not w.nameable:
            if w.cue == "title":
                title_at = i
            elif i - title_at <= 3:
                title_at = -9  # a function word or a mark ends the title's reach
            out.append(None)
            continue
        prev = words[i - 1] if i > 0 else None
        nxt = words[i + 1] if i + 1 < n else None
        after = i - title_at
        out.append((
            after == 1,
            after in (2, 3),
            prev is not None and prev.cue == "speech",
            prev is not None and prev.link,
            nxt is not None and nxt.link,
            prev is not None and prev.fname,
            0 < i - org_at <= 3,
        ))  # fmt: skip
    return out


def _evidence(words: list[list[_Word]], cues: list[list[tuple[bool, ...] | None]]) -> Evidence:
    """Per stem of a document's name-like tokens: how many of its occurrences had each cue on, then
    how many there are (one list per stem, built once from its occurrences' cues)."""
    seen: dict[str, list[tuple[bool, ...]]] = {}
    for ws, cs in zip(words, cues, strict=True):
        for w, c in zip(ws, cs, strict=True):
            if c is not None:
                at = seen.get(w.stem)
                if at is None:
                    seen[w.stem] = [c]
                else:
                    at.append(c)
    return {
        stem: [*cs[0], 1] if len(cs) == 1 else [*map(sum, zip(*cs, strict=True)), len(cs)]
        for stem, cs in seen.items()
    }


def _elsewhere(seen: list[int], own: tuple[bool, ...]) -> list[str]:
    """The document features of one token: the cues its stem had at its other occurrences."""
    out = [_DOC_FEATURES[k] for k in range(len(_CUES)) if seen[k] > own[k]]
    if seen[-1] > 1:
        out.append("d:rep")
    return out


class FeatureExtractor:
    """Turns sentences (lists of raw token strings) into crfsuite attribute lists."""

    def __init__(
        self,
        clusters: WordClusters | None = None,
        gazetteer: Gazetteer | None = None,
        known: Container[str] | None = None,
    ) -> None:
        """`known`: the attributes a trained model has weights for. Given, a word's features are cut
        to those once, when the word is first seen: the tagger then converts far fewer strings."""
        self.clusters = clusters if clusters is not None else default_clusters()
        self.gazetteer = gazetteer or default_gazetteer()
        self.known = known
        self._cache: dict[str, _Word] = {}
        self._pairs: dict[tuple[str, str], tuple[list[str], list[str]]] = {}

    def _word(self, raw: str) -> _Word:
        """(normalized word, own features, features as seen from offsets -2, -1, +1, +2, coarse
        cluster, "title"/"speech" when the word is one)."""
        hit = self._cache.get(raw)
        if hit is not None:
            return hit
        n = normalize(raw) or raw
        shape = _shape(n)
        pro, stem = split_clitics(n) if "A" in shape else ("", n)
        own = [f"w={n}", f"s={stem}", f"pro={pro}", f"sh={shape}", f"len={min(len(stem), 8)}"]
        bare = _DIACRITICS.sub("", raw)
        if bare != n:
            own.append(f"r={bare}")  # what folding merges: على (on) / علي (Ali), إلى / إلي
        if "A" in shape:
            own += [
                f"p2={stem[:2]}",
                f"p3={stem[:3]}",
                f"x1={stem[-1:]}",
                f"x2={stem[-2:]}",
                f"x3={stem[-3:]}",
            ]
            suf = next((s for s in _SUFFIXES if stem.endswith(s) and len(stem) - len(s) >= 2), "")
            if suf:
                own.append(f"suf={suf}")
            if stem.endswith(("ي", "يه", "يون", "يين")):
                own.append("nisba")
        elif shape == "L":
            own.append(f"x3={n[-3:]}")
            if raw[:1].isupper():
                own.append("cap")
        lite = [f"w={n}", f"s={stem}"]
        base = "ال" + stem if pro.endswith(("ال", "لل")) else stem
        flags = self._flags(n, stem, base)
        own += flags
        lite += flags
        # The word's clusters, else its stem's (والرياض is rare, الرياض is not).
        middle, titled = "-", ""
        for form, tag in ((n, "c"), (base, "c"), (stem, "sc")):
            cl = self.clusters.get(form)
            if cl is None:
                continue
            own += [f"{tag}{k}={c}" for k, c in enumerate(cl) if c]
            lite += [f"{tag}{k}={cl[k]}" for k in range(1, len(cl)) if cl[k]]
            middle = cl[1] if len(cl) > 1 and cl[1] else "-"
            titled = cl[3] if len(cl) > 3 else ""
            break
        else:
            own.append("c=none")
        link = n in _NAME_LINKS
        if link:
            own.append("link")
        ctx = tuple([f"{off}{f}" for f in lite] for off in ("-2:", "-1:", "+1:", "+2:"))
        if link:
            ctx[0].append("-2:link")
        firsts = self.gazetteer.first_words
        listed = any(f in firsts for f in _clitic_forms(n)) if "A" in shape else n in firsts
        coarse = next((f"{cl[0]}" for cl in (self.clusters.get(n), self.clusters.get(stem)) if cl), shape)
        cue = "title" if "title" in flags else "speech" if "speech" in flags else ""
        nameable = "A" in shape and not cue and not link and "stop" not in flags and len(stem) >= 2
        if self.known is not None:
            keep = self.known
            own = [f for f in own if f in keep]
            ctx = tuple([f for f in c if f in keep] for c in ctx)
        token = Token(
            norm=n, start=0, end=0, surface=n, arabic="A" in shape, upper=False, break_before=shape == "P"
        )
        if len(self._cache) >= _MAX_CACHE:
            self._cache.clear()
        word = self._cache[raw] = _Word(
            raw, n, own, ctx, coarse, middle, stem, titled, cue, link, listed, token,
            nameable, "fname" in flags, "orghead" in flags,
        )  # fmt: skip
        return word

    @staticmethod
    def _flags(n: str, stem: str, base: str) -> list[str]:
        out = []
        if n in AR_STOP:
            out.append("stop")
        for form in {n, base, stem}:
            if form in AR_TITLES:
                out.append("title")
            if form in AR_SPEECH_VERBS:
                out.append("speech")
            if form in AR_COMPLEMENTS:
                out.append("compl")
            if form.removeprefix("ال") in AR_ORG_HEADS:
                out.append("orghead")
            if form in AR_FIRST_NAMES:
                out.append("fname")
        return sorted(set(out))

    def words(self, raws: Sequence[str]) -> list[_Word]:
        """The cached `_Word` of each token of a sentence."""
        return [self._word(r) for r in raws]

    def analyse(self, sents: Sequence[Sequence[str]]) -> tuple[list[list[_Word]], list[list[list[str]]]]:
        """The `_Word`s and the `extras` of every sentence of one document (a list of tokenized
        sentences)."""
        words = [self.words(raws) for raws in sents]
        cues = [_occurrence_cues(ws) for ws in words]
        doc = _evidence(words, cues)
        memo: dict[tuple[str, tuple[bool, ...]], list[str]] = {}
        return words, [self.extras(ws, cs, doc, memo) for ws, cs in zip(words, cues, strict=True)]

    def extras(
        self,
        words: Sequence[_Word],
        cues: Sequence[tuple[bool, ...] | None],
        doc: Evidence,
        memo: dict[tuple[str, tuple[bool, ...]], list[str]],
    ) -> list[list[str]]:
        """What depends on more than two adjacent words, per token: a title or speech verb within
        four words before it, the multi-word gazetteer matches at, before and after it, and the
        document evidence: which cues (`_occurrence_cues`) the other occurrences of its stem in the
        document (`doc`) had. A name said once after its title is then recognisable where the
        article repeats it bare: document-wide label consistency, from cues rather than a first
        pass's labels, so one model serves training and tagging."""
        gaz = self._gazetteer_tags(list(words)) if any(w.listed for w in words) else None
        n = len(words)
        out: list[list[str]] = []
        last_cue, cue_at = "", -9
        for i, w in enumerate(words):
            extra = []
            if i - cue_at <= 4:
                extra.append(f"cue{i - cue_at}={last_cue}")  # a title or speech verb shortly before
            if w.cue:
                last_cue, cue_at = w.cue, i
            if gaz is not None:
                if gaz[i]:
                    extra.append(gaz[i])
                if i > 0 and gaz[i - 1]:
                    extra.append("-1:" + gaz[i - 1])
                if i + 1 < n and gaz[i + 1]:
                    extra.append("+1:" + gaz[i + 1])
            own = cues[i]
            if own is not None and doc[w.stem][-1] > 1:  # the stem is seen elsewhere in the document
                key = (w.stem, own)
                hit = memo.get(key)
                if hit is None:
                    hit = memo[key] = _elsewhere(doc[w.stem], own)
                extra += hit
            out.append(extra if self.known is None or not extra else [f for f in extra if f in self.known])
        return out

    def document(self, sents: Sequence[Sequence[str]]) -> list[list[list[str]]]:
        """The attribute lists of every sentence of one document (a list of tokenized sentences)."""
        words, extras = self.analyse(sents)
        return [self.assemble(ws, es) for ws, es in zip(words, extras, strict=True)]

    def sentence(self, raws: Sequence[str]) -> list[list[str]]:
        """The attribute lists of one sentence's tokens, the sentence its own document."""
        return self.document([raws])[0]

    def assemble(self, words: Sequence[_Word], extras: Sequence[list[str]]) -> list[list[str]]:
        """The attribute lists of one sentence from its `_Word`s and `extras`."""
        n = len(words)
        out: list[list[str]] = []
        for i, w in enumerate(words):
            feats = ["bias", *w.own]
            if i > 0:
                prev = words[i - 1]
                feats += self.pair(prev, w)[1]
                feats += prev.ctx[1]
                if i >= 2:
                    feats += words[i - 2].ctx[0]
            else:
                feats.append("BOS")
            if i + 1 < n:
                nxt = words[i + 1]
                feats += self.pair(w, nxt)[0]
                feats += nxt.ctx[2]
                if i + 2 < n:
                    feats += words[i + 2].ctx[3]
            else:
                feats.append("EOS")
            feats += extras[i]
            out.append(feats)
        return out

    def pair(self, a: _Word, b: _Word) -> tuple[list[str], list[str]]:
        """The features of two adjacent words: as seen from `a` (looking right) and from `b`
        (looking left), cached per pair and cut to the model's attributes once."""
        key = (a.norm, b.norm)
        hit = self._pairs.get(key)
        if hit is not None:
            return hit
        right = [
            f"w|+1:w={a.norm}|{b.norm}",
            f"cc|+1:cc={a.coarse}|{b.coarse}",
            f"c1|+1:c1={a.middle}|{b.middle}",
        ]
        left = [
            f"-1:w|w={a.norm}|{b.norm}",
            f"-1:cc|cc={a.coarse}|{b.coarse}",
            f"-1:c1|c1={a.middle}|{b.middle}",
            f"-1:s|s={a.stem}|{b.stem}",
        ]
        if b.link:
            right.append("+1:link")
        if b.cue:
            right.append(f"+1:{b.cue}")
        if a.cue:  # a title or speech verb, then a word of this cluster / title-follower bucket
            left += [f"-1:{a.cue}&c1={b.middle}", f"-1:{a.cue}&t={b.titled}"]
        if a.link:  # بن / أبو / آل / عبد, then a name part
            left += ["-1:link", f"-1:link&c1={b.middle}"]
        if self.known is not None:
            right = [f for f in right if f in self.known]
            left = [f for f in left if f in self.known]
        if len(self._pairs) >= _MAX_CACHE:
            self._pairs.clear()
        self._pairs[key] = (right, left)
        return right, left

    def _gazetteer_tags(self, words: list[_Word]) -> list[str]:
        """Per token "g=B-kind"/"g=I-kind" from the longest listed name starting there (place
        kinds split into country and city/region, so the tagger can weigh them apart)."""
        tokens = [w.token for w in words]
        tags = [""] * len(tokens)
        i = 0
        while i < len(tokens):
            if not words[i].listed:  # no listed name starts with this word
                i += 1
                continue
            found = self.gazetteer.match_at(tokens, i)
            if found is None:
                i += 1
                continue
            size, entry, _ = found
            kind = "country" if entry.key.startswith("country:") else entry.kind
            tags[i] = f"g=B-{kind}"
            for k in range(i + 1, i + size):
                tags[k] = f"g=I-{kind}"
            i += size
        return tags


_STACK_TYPES = ("PERS", "LOC", "ORG", "MISC")


def stack_features(
    words: Sequence[Sequence[_Word]], labels: Sequence[Sequence[str]]
) -> list[list[list[str]]]:
    """The second-stage features of one document (Krishnan & Manning 2006 stacking): from the
    first-stage labels of its sentences, per token its own label and its neighbours' (k0, k-1,
    k+1), and for a word that may be a name what the first stage said of the other occurrences of
    its stem in the document: tagged as a type somewhere else (kd=), mostly so (kdm=), and the first
    or last word of a longer entity in the document (ke=, this occurrence included: a surname said
    once in full, then alone).
    A pure function of the tokens and the first stage's labels, so training (on out-of-fold
    labels) and tagging build them alike."""
    types: dict[str, dict[str, int]] = {}
    ends: dict[str, dict[str, int]] = {}
    for ws, ls in zip(words, labels, strict=True):
        for w, lab in zip(ws, ls, strict=True):
            seen = types.setdefault(w.stem, {})
            kind = lab[2:] or "O"
            seen[kind] = seen.get(kind, 0) + 1
        for a, b, kind in spans(ls):
            if b > a:
                for at, role in ((a, "first"), (b, "last")):
                    got = ends.setdefault(ws[at].stem, {})
                    got[role + kind] = got.get(role + kind, 0) + 1
    names = {lab for ls in labels for lab in ls} | {"BOS", "EOS"}
    here, before, after = ({x: f"{k}={x}" for x in names} for k in ("k0", "k-1", "k+1"))
    memo: dict[tuple[str, str], list[str]] = {}
    out: list[list[list[str]]] = []
    for ws, ls in zip(words, labels, strict=True):
        sent: list[list[str]] = []
        for w, me, prev, nxt in zip(ws, ls, ["BOS", *ls], [*ls[1:], "EOS"], strict=False):
            feats = [here[me], before[prev], after[nxt]]
            if w.nameable:
                key = (w.stem, me[2:] or "O")
                hit = memo.get(key)
                if hit is None:
                    hit = memo[key] = _elsewhere_types(types[w.stem], key[1], ends.get(w.stem, {}))
                feats += hit
            sent.append(feats)
        out.append(sent)
    return out


def _elsewhere_types(seen: dict[str, int], mine: str, ends: dict[str, int]) -> list[str]:
    """`stack_features` of a word from its stem's first-stage types in the document (`seen`, this
    occurrence's type `mine` taken out) and the longer entities it begins or ends (`ends`)."""
    out = []
    other_o = seen.get("O", 0) - (mine == "O")
    for kind in _STACK_TYPES:
        k = seen.get(kind, 0) - (mine == kind)
        if k > 0:
            out.append(f"kd={kind}")
            if k >= other_o:
                out.append(f"kdm={kind}")
    return out + [f"ke={role}" for role in ends]
