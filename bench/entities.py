"""Entity recognition figures: ANERcorp cross-validation, any "token TAG" file, speed, a store report.

    PYTHONPATH=src nice python bench/entities.py cv               # 4-fold CV, blocks 1-4 of ANERcorp train
    PYTHONPATH=src nice python bench/entities.py test --test FILE # the shipped model on FILE
    PYTHONPATH=src nice python bench/entities.py speed            # ms per events-dev article
    PYTHONPATH=src nice python bench/entities.py store --db X.db  # 30 most frequent persons and places

`cv` and `test` print strict (exact span and type) and overlap P/R/F1 per type for the learned
tagger and, in the same run, for the rule recognizer (gazetteers + triggers, no tagger) as the
baseline. The CV folds are contiguous blocks (tools/train_ner.py chose the settings on the same
blocks 1-4; block 5 is the unseen check that script prints once). The shipped model is trained on
all of ANERcorp train, so `test` on that file is in-sample.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import time
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from pathlib import Path

from marsad.entities import EntityRecognizer, RuleEntityRecognizer, extract_entities
from marsad.entities.ner import ArabicTagger, default_tagger
from marsad.entities.ner_eval import SpanScore, read_bio, sentences, spans
from marsad.entities.ner_features import FeatureExtractor
from marsad.entities.ner_training import DOC_SENTENCES, CrfSettings, blocks, cross_validate, documents
from marsad.quotes import extract_quotes
from marsad.records import Article

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
ANERCORP = DATA / "anercorp-train" / "ANERCorp-train.txt"
EVENTS = DATA / "saudinewsnet-events-dev" / "dev.jsonl"
SHIPPED = CrfSettings(c1=0.02, c2=0.01)  # what tools/train_ner.py chose (keep in step with it)
_KIND_TAG = {"person": "PERS", "place": "LOC", "org": "ORG", "agency": "ORG"}

Sentence = list[tuple[str, str]]


def recognizer_score(
    sents: Sequence[Sentence], recognizer: EntityRecognizer, score: SpanScore, doc_sentences: int = 1
) -> None:
    """A whole recognizer on the corpus, read as articles of `doc_sentences` sentences (the corpus has
    no article breaks), its mentions mapped back to the corpus tokens. Role references are left out:
    they stand for a name given elsewhere, and the corpus does not tag them."""
    for d in range(0, len(sents), doc_sentences):
        doc = [p for s in sents[d : d + doc_sentences] for p in s]
        starts, text = [], ""
        for tok, _ in doc:
            starts.append(len(text))
            text += tok + " "
        art = Article(
            id=f"d{d}", url=None, outlet=None, title=None, body=text, paragraphs=(text,), published=None,
            language="ar",
        )  # fmt: skip
        pred = []
        for m in recognizer(art):
            kind = _KIND_TAG.get(m.kind)
            first = bisect_right(starts, m.start) - 1
            last = bisect_left(starts, m.end) - 1
            if kind and m.rule != "role" and 0 <= first <= last:
                pred.append((first, last, kind))
        score.add_spans(spans([g for _, g in doc]), pred)


def run_cv(args: argparse.Namespace) -> None:
    sents = sentences(read_bio(args.file))
    folds = blocks(sents, 5)[:4]
    print(f"CV over blocks 1-4 of {args.file.name} (c1={SHIPPED.c1} c2={SHIPPED.c2}), strict | overlap (~)")
    features = FeatureExtractor()
    system = SpanScore()

    def whole(model: Path, second: Path | None, test: Sequence[Sentence]) -> None:
        tagger = ArabicTagger(str(model), features, second=None if second is None else str(second))
        recognizer_score(test, RuleEntityRecognizer(arabic_tagger=tagger), system, DOC_SENTENCES)

    first = SpanScore()
    crf = cross_validate(folds, SHIPPED, features, on_fold=whole, stacked=not args.one_stage, first=first)
    if not args.one_stage:
        print(f"first stage alone (CRF), {DOC_SENTENCES}-sentence documents:")
        print(first.report())
    print(f"learned tagger (CRF, {1 if args.one_stage else 2} stages), {DOC_SENTENCES}-sentence documents:")
    print(crf.report())
    print(f"whole recognizer (tagger + span trims + in-article aliases), {DOC_SENTENCES}-sentence articles:")
    print(system.report())
    base = SpanScore()
    recognizer_score([s for f in folds for s in f], RuleEntityRecognizer(), base, DOC_SENTENCES)
    print("baseline, rule recognizer (no tagger), same articles:")
    print(base.report())


def run_test(args: argparse.Namespace) -> None:
    sents = sentences(read_bio(args.test))
    tagger = default_tagger()
    crf = SpanScore()
    for doc in documents(sents):
        for s, pred in zip(doc, tagger.tag_document([[t for t, _ in s] for s in doc]), strict=True):
            crf.add([g for _, g in s], pred)
    print(f"shipped model on {args.test}, {DOC_SENTENCES}-sentence documents:")
    print(crf.report())
    system = SpanScore()
    recognizer_score(sents, RuleEntityRecognizer(arabic_tagger=tagger), system, DOC_SENTENCES)
    print(f"whole recognizer (tagger + span trims + in-article aliases), {DOC_SENTENCES}-sentence articles:")
    print(system.report())
    base = SpanScore()
    recognizer_score(sents, RuleEntityRecognizer(), base, DOC_SENTENCES)
    print("baseline, rule recognizer (no tagger), same articles:")
    print(base.report())


def _events() -> list[Article]:
    out = []
    for line in EVENTS.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        text = rec["text"].strip()
        out.append(Article(id=rec["id"], url=None, outlet=rec["source"], title=rec["title"], body=text,
                           paragraphs=tuple(p for p in text.split("\n") if p.strip()), published=None,
                           language="ar"))  # fmt: skip
    return out


def run_speed(args: argparse.Namespace) -> None:
    arts = _events()
    for a in arts[:20]:
        extract_entities(a)  # load the model, fill the word cache as a running ingest would
    chars = statistics.median(len(a.body) + len(a.title or "") for a in arts)
    for label in ("first pass", "second pass (every word's features cached)"):
        times, both = [], []
        for a in arts:
            t0 = time.process_time()
            mentions = extract_entities(a)
            t1 = time.process_time()
            extract_quotes(a, mentions)  # what ingest computes next, from the same mentions
            times.append((t1 - t0) * 1000)
            both.append((time.process_time() - t0) * 1000)
        med, mean = statistics.median(times), statistics.mean(times)
        print(f"{len(arts)} events-dev articles (median {chars:.0f} chars), {label}:")
        print(f"  entities CPU time median {med:.2f} ms, mean {mean:.2f} ms per article")
        med, mean = statistics.median(both), statistics.mean(both)
        print(f"  entities + quotes CPU time median {med:.2f} ms, mean {mean:.2f} ms per article")
    rules = RuleEntityRecognizer()
    t0 = time.process_time()
    for a in arts:
        rules(a)
    print(
        f"baseline, rule recognizer: mean {(time.process_time() - t0) * 1000 / len(arts):.2f} ms per article"
    )


def run_store(args: argparse.Namespace) -> None:
    conn = sqlite3.connect(args.db)
    for kind in ("person", "place", "org"):
        # Role references ("الوزير") stand for a person named elsewhere: counted, not listed as spellings.
        rows = conn.execute(
            "SELECT key, count(*) AS n FROM mentions WHERE kind = ? GROUP BY key ORDER BY n DESC LIMIT ?",
            (kind, args.top),
        ).fetchall()
        print(f"\n{args.top} most frequent {kind}s in {args.db} (mentions, key, most frequent spellings):")
        for key, n in rows:
            texts = conn.execute(
                "SELECT text, count(*) AS c FROM mentions WHERE key = ? AND rule != 'role' GROUP BY text"
                " ORDER BY c DESC LIMIT 5",
                (key,),
            ).fetchall()
            print(f"  {n:4d}  [{key}]  " + " / ".join(f"{t} ({c})" for t, c in texts))


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("section", choices=["cv", "test", "speed", "store"])
    ap.add_argument("--file", type=Path, default=ANERCORP, help="corpus for cv (token TAG per line)")
    ap.add_argument("--test", type=Path, default=ANERCORP, help="corpus for test (token TAG per line)")
    ap.add_argument("--db", type=Path, help="store for the store report")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--one-stage", action="store_true", help="cv of the first stage alone (no stacking)")
    args = ap.parse_args(argv)
    needed = {"cv": args.file, "test": args.test, "speed": EVENTS}.get(args.section)
    if needed is not None and not needed.exists():
        sys.exit(f"missing {needed}")
    {"cv": run_cv, "test": run_test, "speed": run_speed, "store": run_store}[args.section](args)


if __name__ == "__main__":
    main()
