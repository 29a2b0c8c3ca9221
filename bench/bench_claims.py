"""Story-wide claims against our multi-outlet gold stories (bench/gold/claim_stories.jsonl).

Each gold story is a few articles written for this bench (Arabic first, with English and French
outlets), every sentence labelled with the claim(s) it states. Measured per split ("tune": the
stories the settings were chosen on; "unseen": kept out of every tuning run, though measured
after several rounds; "fresh": real stories labelled later, measured once on main before any
change and then only at the end):

- claim pairing: over every pair of sentences of two different articles, P/R of "the system
  puts them in one claim" against "they state a common gold claim";
- unique claims: P/R of the sentences the system lists as added by their outlet (a claim only it
  carries) against the sentences whose every gold claim only their article states;
- disagreements: P/R of the gold claims the system flags as a disagreement (number or speaker):
  the gold claim a disagreement is on is the one all the sentences of its versions state.

Run:  nice .venv/bin/python bench/bench_claims.py [--sweep] [--unseen] [--fresh]
(bench/compare.py runs it too, on tune and unseen)
The events-dev stories (bench/gold/claim_stories_events_dev.jsonl: labels only) read their texts from
../shared/data; the bench prints them apart ("tune events-dev", "unseen events-dev", "fresh").
The fresh split also holds two SemEval-2022 task 8 pairs (bench/gold/claim_stories_semeval.jsonl:
an English and a French same-story pair, labels only). The tune split's errors are printed; the
unseen and fresh splits' are not (they are not read while
tuning).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from compare import prf  # bench/ is on sys.path when a bench script runs
from marsad.compare import CompareConfig, compare_articles
from marsad.compare.records import Comparison
from marsad.embed import Embedder
from marsad.records import Article
from marsad.text.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]
STORIES = ROOT / "bench" / "gold" / "claim_stories.jsonl"
# Real multi-outlet Arabic stories: labels only, the texts are read from ../shared/data.
EVENTS_DEV_STORIES = ROOT / "bench" / "gold" / "claim_stories_events_dev.jsonl"
EVENTS_DEV = ROOT.parent / "shared" / "data" / "saudinewsnet-events-dev" / "dev.jsonl"
# Real same-story English and French pairs of SemEval-2022 task 8: labels only, texts in ../shared/data.
SEMEVAL_STORIES = ROOT / "bench" / "gold" / "claim_stories_semeval.jsonl"
SEMEVAL = ROOT.parent / "shared" / "data" / "semeval2022-task8-text" / "training_set.csv"
RIYADH = timezone(timedelta(hours=3))


def load_stories(path: Path = STORIES, events_dev: Path | None = EVENTS_DEV_STORIES) -> list[dict[str, Any]]:
    """The written gold stories, then the events-dev stories with their texts read from
    ../shared/data (left out, saying so, when the data is absent)."""
    stories = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    if events_dev is None:
        return stories
    if not EVENTS_DEV.exists():
        print(f"  (events-dev claim stories skipped: {EVENTS_DEV} not found)", file=sys.stderr)
        return stories
    rows = {r["id"]: r for r in map(json.loads, EVENTS_DEV.read_text("utf-8").splitlines()) if r}
    for line in events_dev.read_text("utf-8").splitlines():
        if line.strip():
            stories.append(_materialise(json.loads(line), rows))
    if not SEMEVAL.exists():
        print(f"  (SemEval claim stories skipped: {SEMEVAL} not found)", file=sys.stderr)
        return stories
    with SEMEVAL.open(encoding="utf-8") as fh:
        pairs = {int(r["Unnamed: 0"]): r for r in csv.DictReader(fh)}
    for line in SEMEVAL_STORIES.read_text("utf-8").splitlines():
        if line.strip():
            stories.append(_materialise_semeval(json.loads(line), pairs))
    return stories


def _checked(story: dict[str, Any], doc: str, text: str, annotated: dict[str, Any]) -> list[str]:
    """The splitter's sentences of `text`, checked against the first words the annotation saw."""
    sentences = split_sentences(text)
    if [" ".join(s.split()[:3]) for s in sentences] != annotated["starts"]:
        raise SystemExit(f"{story['story']} {doc}: the splitter drifted from the annotated sentences")
    return sentences


def _materialise_semeval(story: dict[str, Any], pairs: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """A SemEval gold story with its texts (the CSV row's side 1 or 2; undated, its first line the
    headline), labels paired with the splitter's sentences."""
    articles = []
    for a in story["articles"]:
        row, side = pairs[a["row"]], str(a["side"])
        doc, text = f"semeval-{a['row']}-{side}", row["text" + side]
        sentences = _checked(story, doc, text, a)
        articles.append(
            {
                "id": doc,
                "outlet": doc,
                "language": row["lang" + side],
                "published": None,
                "title": text.strip().split("\n", 1)[0],
                "body": text,
                "sentences": [[lab, s] for lab, s in zip(a["labels"], sentences, strict=True)],
            }
        )
    return {**story, "articles": articles}


def _materialise(story: dict[str, Any], rows: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """An events-dev gold story with its articles' texts, labels paired with the splitter's sentences
    (each sentence checked against the first words the annotation saw)."""
    articles = []
    for a in story["articles"]:
        row = rows[a["id"]]
        sentences = _checked(story, a["id"], row["text"], a)
        articles.append(
            {
                "id": a["id"],
                "outlet": row["source"],
                "language": "ar",
                "published": datetime.fromisoformat(row["date_extracted"]).replace(tzinfo=RIYADH).isoformat(),
                "title": row["title"],
                "body": row["text"],
                "sentences": [[lab, s] for lab, s in zip(a["labels"], sentences, strict=True)],
            }
        )
    return {**story, "articles": articles}


def story_articles(story: dict[str, Any]) -> list[Article]:
    """The gold story's articles: the text as published (events-dev), else one sentence a line (the
    splitter breaks at every line)."""
    out = []
    for a in story["articles"]:
        body = a.get("body") or "\n".join(text for _labels, text in a["sentences"])
        out.append(
            Article(
                id=a["id"],
                url=None,
                outlet=a["outlet"],
                title=a["title"],
                body=body,
                paragraphs=tuple(body.split("\n")),
                published=datetime.fromisoformat(a["published"]) if a["published"] else None,
                language=a["language"],
            )
        )
    return out


def _labels(story: dict[str, Any]) -> dict[tuple[str, int], frozenset[str]]:
    return {
        (a["id"], k): frozenset(labels.split("+"))
        for a in story["articles"]
        for k, (labels, _text) in enumerate(a["sentences"])
    }


def score_story(story: dict[str, Any], comp: Comparison) -> dict[str, int]:
    gold = _labels(story)
    claim_of: dict[tuple[str, int], set[str]] = {}
    for c in comp.claims:
        for doc, ks in c.units.items():
            for k in ks:
                claim_of.setdefault((doc, k), set()).add(c.id)
    missing = [u for u in gold if u not in claim_of]
    if missing:
        raise SystemExit(f"{story['story']}: the splitter drifted, sentences {missing} not found")
    n = {"pair_tp": 0, "pair_pred": 0, "pair_gold": 0}
    for u, v in itertools.combinations(sorted(gold), 2):
        if u[0] == v[0]:
            continue
        same_gold = bool(gold[u] & gold[v])
        same_pred = bool(claim_of[u] & claim_of[v])
        n["pair_tp"] += same_gold and same_pred
        n["pair_pred"] += same_pred
        n["pair_gold"] += same_gold
    carriers: dict[str, set[str]] = {}
    for (doc, _k), labels in gold.items():
        for lab in labels:
            carriers.setdefault(lab, set()).add(doc)
    added = {
        (doc, k) for doc, cids in comp.adds.items() for c in comp.claims if c.id in cids for k in c.units[doc]
    }
    n |= {"u_tp": 0, "u_pred": 0, "u_gold": 0}
    for u, labels in gold.items():
        g = all(carriers[lab] == {u[0]} for lab in labels)
        p = u in added
        n["u_tp"] += g and p
        n["u_pred"] += p
        n["u_gold"] += g
    # A disagreement is on the gold claim(s) that every sentence of its versions states (none: a
    # false flag, counted under the claim's id).
    flagged: set[str] = set()
    for d in comp.disagreements:
        claim = next(c for c in comp.claims if c.id == d.claim)
        labels = [gold[(doc, k)] for v in d.versions for doc in v.docs for k in claim.units[doc]]
        flagged |= frozenset.intersection(*labels) or {f"none:{d.claim}"}
    expected = set(story["disagreements"])
    n["d_tp"], n["d_pred"], n["d_gold"] = len(flagged & expected), len(flagged), len(expected)
    return n


def score_each(
    stories: Sequence[dict[str, Any]], embedder: Embedder | None, cfg: CompareConfig
) -> dict[str, tuple[dict[str, int], list[str]]]:
    """Each story's counts (see `score_story`) and errors, by story name."""
    out = {}
    for story in stories:
        comp = compare_articles(story_articles(story), embedder=embedder, config=cfg)
        out[story["story"]] = (score_story(story, comp), _errors(story, comp))
    return out


def summarise(scored: Sequence[tuple[dict[str, int], list[str]]]) -> dict[str, Any]:
    """Claim pairing, unique-claim and disagreement P/R over the counts of some stories."""
    total: dict[str, int] = {}
    errors: list[str] = []
    for n, errs in scored:
        for k, v in n.items():
            total[k] = total.get(k, 0) + v
        errors.extend(errs)
    return {
        "claim_pairs": prf(total["pair_tp"], total["pair_pred"], total["pair_gold"]),
        "unique_claims": prf(total["u_tp"], total["u_pred"], total["u_gold"]),
        "disagreements": prf(total["d_tp"], total["d_pred"], total["d_gold"]),
        "errors": errors,
    }


def run(stories: Sequence[dict[str, Any]], embedder: Embedder | None, cfg: CompareConfig) -> dict[str, Any]:
    """Claim pairing, unique-claim and disagreement P/R over `stories`, with the per-story errors."""
    return summarise(list(score_each(stories, embedder, cfg).values()))


def subsets(stories: Sequence[dict[str, Any]]) -> dict[str, list[str]]:
    """Story names per split ("tune", "unseen") and per split and round ("unseen first": the six
    stories of the first round; "unseen round2": those added before the second tuning round)."""
    out: dict[str, list[str]] = {}
    for s in stories:
        out.setdefault(s["split"], []).append(s["story"])
        out.setdefault(f"{s['split']} {s.get('added', 'first')}", []).append(s["story"])
    return dict(sorted(out.items()))


def run_subsets(
    stories: Sequence[dict[str, Any]], embedder: Embedder | None, cfg: CompareConfig, splits: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """`run` per subset (see `subsets`) of the stories of `splits`, each story compared once."""
    chosen = [s for s in stories if s["split"] in splits]
    scored = score_each(chosen, embedder, cfg)
    return {name: summarise([scored[n] for n in names]) for name, names in subsets(chosen).items()}


def line(name: str, r: dict[str, Any]) -> str:
    cp, uc, dis = r["claim_pairs"], r["unique_claims"], r["disagreements"]
    return (
        f"  {name:<14} claim pairs P {cp['p']:.3f} R {cp['r']:.3f}  unique claims P {uc['p']:.3f}"
        f" R {uc['r']:.3f} ({uc['gold']})  disagreements P {dis['p']:.3f} R {dis['r']:.3f}"
    )


def _errors(story: dict[str, Any], comp: Comparison) -> list[str]:
    """Each predicted claim whose sentences do not all share one gold label, and each gold claim split up."""
    gold = _labels(story)
    out = []
    for c in comp.claims:
        labels = [gold[(d, k)] for d, ks in c.units.items() for k in ks]
        if len(labels) > 1 and not frozenset.intersection(*labels):
            out.append(f"{story['story']} {c.id}: merged {sorted('+'.join(sorted(x)) for x in labels)}")
    for lab in sorted({x for ls in gold.values() for x in ls}):
        # split up: no claim holds every sentence stating it (a sentence may be in several claims)
        held = [u for u, ls in gold.items() if lab in ls]
        if not any(all(k in c.units.get(d, []) for d, k in held) for c in comp.claims):
            found = {c.id for c in comp.claims for d, k in held if k in c.units.get(d, [])}
            out.append(f"{story['story']} {lab}: split over {sorted(found)}")
    return out


def main() -> None:
    from compare import CachedEmbedder  # the sweep embeds each text once
    from marsad.embed import UsemEmbedder

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sweep", action="store_true", help="sweep the claim settings on the tune split")
    parser.add_argument("--lexical", action="store_true")
    parser.add_argument(
        "--unseen", action="store_true", help="also score the unseen split (never while tuning)"
    )
    parser.add_argument("--fresh", action="store_true", help="also score the fresh split (to measure only)")
    args = parser.parse_args()
    stories = load_stories()
    embedder = None if args.lexical else CachedEmbedder(UsemEmbedder())
    base = CompareConfig(use_embeddings=not args.lexical)
    if args.sweep:
        tune = [s for s in stories if s["split"] == "tune"]
        grid = itertools.product((0.30, 0.33, 0.36), (0.45, 0.50, 0.55), (0.2, 0.3, 1.0))
        for link, split, join in grid:
            cfg = CompareConfig(
                claim_link=link, split_link=split, join_threshold=join, use_embeddings=not args.lexical
            )
            r = run(tune, embedder, cfg)
            print(line(f"l{link:.2f} s{split:.2f} j{join:.2f}", r))
        for also, unit in itertools.product((0.40, 0.45, 0.50, 1.0), (0.0, 0.2, 0.3)):
            cfg = CompareConfig(also_link=also, unit_link=unit, use_embeddings=not args.lexical)
            print(line(f"a{also:.2f} u{unit:.2f}", run(tune, embedder, cfg)))
        return
    splits = ("tune", *(("unseen",) if args.unseen else ()), *(("fresh",) if args.fresh else ()))
    for name, r in run_subsets(stories, embedder, base, splits).items():
        print(line(name, r))
        if name == "tune":  # the unseen stories' errors are not read while tuning
            for e in r["errors"]:
                print("    ", e)


if __name__ == "__main__":
    main()
