"""Entities, quotes and coverage comparison against our gold set (bench/gold/compare_gold.jsonl).

Reads the seeds and the SemEval-2022 Task 8 text sample from ../shared, prints a table and writes
bench/out/compare.json. Run:  .venv/bin/python bench/compare.py [--lexical]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from marsad.compare import CompareConfig, analyse, compare_articles
from marsad.embed import Embedder, UsemEmbedder
from marsad.entities import group_mentions
from marsad.entities.aliases import same_person
from marsad.extract import extract
from marsad.ingest.files import read_paths
from marsad.records import Article, RawDocument
from marsad.text.arabic import normalize
from marsad.text.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
SHARED = ROOT.parent / "shared"
GOLD = ROOT / "bench" / "gold" / "compare_gold.jsonl"
OUT = ROOT / "bench" / "out" / "compare.json"


class CachedEmbedder:
    """Embeds each distinct text once across the threshold sweep."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.cache: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> Any:
        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if todo:
            for t, v in zip(todo, self.inner.embed(todo), strict=True):
                self.cache[t] = v
        return np.vstack([self.cache[t] for t in texts]) if texts else np.zeros((0, self.dim), np.float32)


def doc_key(rec: dict[str, Any]) -> str:
    return rec["doc"] if rec["src"] == "seeds" else f"semeval-{rec['row']}-{rec['side']}"


def load_articles(records: list[dict[str, Any]]) -> dict[str, Article]:
    rows = {}
    csv_path = SHARED / "data" / "semeval2022-task8-text" / "training_set.csv"
    if not csv_path.exists() or not (SHARED / "seeds").is_dir():
        sys.exit(f"dev data not found under {SHARED} (seeds and semeval2022-task8-text are needed)")
    with csv_path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rows[int(r["Unnamed: 0"])] = r
    out: dict[str, Article] = {}
    for rec in records:
        if rec["kind"] != "doc":
            continue
        key = doc_key(rec)
        if rec["src"] == "seeds":
            raw = next(i for i in read_paths([str(SHARED / "seeds" / rec["doc"])], max_bytes=10**7))
            assert isinstance(raw, RawDocument)
            out[key] = extract(raw)
        else:
            r = rows[rec["row"]]
            side = str(rec["side"])
            fields = {"id": key, "text": r["text" + side], "language": r["lang" + side]}
            out[key] = extract(RawDocument(id=key, source=key, content=b"", hint="record", fields=fields))
    return out


def fold(text: str) -> str:
    return normalize(text).replace('"', "").replace("'", "").strip()


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {
        "p": round(p, 3),
        "r": round(r, 3),
        "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
        "tp": tp,
        "pred": n_pred,
        "gold": n_gold,
    }


def speaker_ok(pred: str | None, gold: str) -> bool:
    if not pred:
        return False
    a, b = fold(pred), fold(gold)
    return a == b or a in b or b in a or same_person(pred, gold)


def score_quotes(records: list[dict[str, Any]], analysed: dict[str, Any]) -> dict[str, Any]:
    docs = {doc_key(r) for r in records if r["kind"] == "doc" and "quotes" in r["annotated"]}
    gold = defaultdict(list)
    for r in records:
        if r["kind"] == "quote":
            gold[doc_key(r)].append(r)
    tp = n_pred = n_gold = 0
    sp_tp = sp_pred = sp_gold = 0
    misses: list[str] = []
    for key in sorted(docs):
        quotes = analysed[key][2]
        used: set[int] = set()
        n_gold += sum(1 for g in gold[key] if not g.get("ignore"))
        sp_gold += sum(1 for g in gold[key] if not g.get("ignore") and g["speaker"])
        for q in quotes:
            hit = next(
                (
                    k
                    for k, g in enumerate(gold[key])
                    if k not in used and fold(g["starts"]) in fold(q.text)[:80]
                ),
                None,
            )
            if hit is not None and gold[key][hit].get("ignore"):
                used.add(hit)
                continue
            n_pred += 1
            if hit is None:
                misses.append(f"{key}: false quote {q.text[:50]!r}")
                continue
            used.add(hit)
            tp += 1
            g = gold[key][hit]
            if g["speaker"] and q.speaker:
                sp_pred += 1
                if speaker_ok(q.speaker, g["speaker"]):
                    sp_tp += 1
                else:
                    misses.append(f"{key}: speaker {q.speaker!r} != {g['speaker']!r}")
        for k, g in enumerate(gold[key]):
            if k not in used and not g.get("ignore"):
                misses.append(f"{key}: missed quote {g['starts']!r}")
    return {"quotes": prf(tp, n_pred, n_gold), "speakers": prf(sp_tp, sp_pred, sp_gold), "errors": misses}


def entity_match(ent: Any, gold: dict[str, Any]) -> bool:
    names = [ent.name, *ent.aliases]
    for alias in gold["aliases"]:
        for n in names:
            if fold(n) == fold(alias) or (
                ent.kind == "person" and gold["type"] == "person" and same_person(n, alias)
            ):
                return True
    return False


def score_entities(records: list[dict[str, Any]], analysed: dict[str, Any]) -> dict[str, Any]:
    docs = {doc_key(r) for r in records if r["kind"] == "doc" and "entities" in r["annotated"]}
    gold = defaultdict(list)
    for r in records:
        if r["kind"] == "entity":
            gold[doc_key(r)].append(r)
    tp_pred = n_pred = tp_gold = n_gold = 0
    errors: list[str] = []
    by_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    langs = {doc_key(r): r["lang"] for r in records if r["kind"] == "doc"}
    for key in sorted(docs):
        ents = group_mentions(analysed[key][1])
        lang = by_lang[langs[key]]
        for e in ents:
            ok = any(entity_match(e, g) for g in gold[key])
            tp_pred += ok
            n_pred += 1
            lang[0] += ok
            lang[1] += 1
            if not ok:
                errors.append(f"{key}: extra entity {e.name!r} ({e.kind}) {e.aliases[:2]}")
        for g in gold[key]:
            ok = any(entity_match(e, g) for e in ents)
            tp_gold += ok
            n_gold += 1
            lang[2] += ok
            lang[3] += 1
            if not ok:
                errors.append(f"{key}: missed entity {g['aliases'][0]!r} ({g['type']})")
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    per_lang = {
        k: {"p": round(v[0] / v[1], 3) if v[1] else 0.0, "r": round(v[2] / v[3], 3) if v[3] else 0.0}
        for k, v in sorted(by_lang.items())
    }
    return {
        "entities": {
            "p": round(p, 3),
            "r": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "pred": n_pred,
            "gold": n_gold,
        },
        "by_language": per_lang,
        "errors": errors,
    }


def align_sets(records: list[dict[str, Any]]) -> list[tuple[str, str, dict[str, Any]]]:
    out = []
    for r in records:
        if r["kind"] != "align":
            continue
        if r["src"] == "seeds":
            out.append((r["a"], r["b"], r))
        else:
            out.append((f"semeval-{r['row']}-1", f"semeval-{r['row']}-2", r))
    return out


def sentence_key(text: str) -> str:
    """A sentence as the gold set keys it: normalized, whitespace collapsed (gold keys are prefixes)."""
    return " ".join(normalize(text).split())


def gold_sentence(keys: Sequence[str], text: str) -> str | None:
    """The gold key (a normalized prefix) that `text` starts with, or None."""
    norm = sentence_key(text)
    return next((k for k in keys if norm.startswith(k)), None)


def _locate(keys: Sequence[str], sentences: Sequence[str], where: str, warnings: list[str]) -> None:
    """Warn about gold keys that no sentence (or more than one) starts with: the splitter drifted."""
    for k in keys:
        found = sum(1 for s in sentences if sentence_key(s).startswith(k))
        if found != 1:
            warnings.append(f"{where}: gold sentence {k[:30]!r} matches {found} sentences")


def run_alignment(records, articles, analysed, embedder, cfg) -> dict[str, Any]:
    tp = n_pred = n_gold = 0
    q_tp = q_pred = q_gold = 0
    u = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    warnings: list[str] = []
    for a, b, rec in align_sets(records):
        comp = compare_articles(
            [articles[a], articles[b]], embedder=embedder, config=cfg, analysed=[analysed[a], analysed[b]]
        )
        keys_a = [ga for ga, _gb in rec["pairs"]]
        keys_b = [gb for _ga, gb in rec["pairs"]]
        _locate(keys_a, split_sentences(articles[a].body), a, warnings)
        _locate(keys_b, split_sentences(articles[b].body), b, warnings)
        gold = {(ga, gb) for ga, gb in rec["pairs"]}
        pred = {
            (gold_sentence(keys_a, p.a.text) or p.a.text, gold_sentence(keys_b, p.b.text) or p.b.text)
            for p in comp.pairs
            if p.kind == "sentence"
        }
        tp += len(pred & gold)
        n_pred += len(pred)
        n_gold += len(gold)
        for qp in (r for r in records if r["kind"] == "quote_pairs" and r.get("a") == a and r.get("b") == b):
            found = [(p.a.text, p.b.text) for p in comp.pairs if p.kind == "quote"]
            q_pred += len(found)
            q_gold += len(qp["pairs"])
            q_tp += sum(
                1
                for ga, gb in qp["pairs"]
                if any(fold(ga) in fold(x)[:60] and fold(gb) in fold(y)[:60] for x, y in found)
            )
        for ur in (r for r in records if r["kind"] == "unique" and r["doc"] in (a, b)):
            sentences = split_sentences(articles[ur["doc"]].body)
            _locate([*ur["unique"], *ur["shared"]], sentences, ur["doc"], warnings)
            flagged = {sentence_key(s) for s in comp.unique.get(articles[ur["doc"]].id, [])}
            for k in ur["unique"]:
                u["tp" if any(f.startswith(k) for f in flagged) else "fn"] += 1
            for k in ur["shared"]:
                u["fp" if any(f.startswith(k) for f in flagged) else "tn"] += 1
    return {
        "sentence_pairs": prf(tp, n_pred, n_gold),
        "quote_pairs": prf(q_tp, q_pred, q_gold),
        "unique": {**prf(u["tp"], u["tp"] + u["fp"], u["tp"] + u["fn"]), "tn": u["tn"]},
        "warnings": sorted(set(warnings)),
    }


def seed_acceptance(
    articles: dict[str, Article], embedder: Embedder | None, cfg: CompareConfig
) -> dict[str, Any]:
    a, b = articles["000_f462c494be0ac3b8.txt"], articles["003_78029ccb64208adf.txt"]
    comp = compare_articles([a, b], embedder=embedder, config=cfg).to_json()
    lavrov_pairs = [
        p
        for p in comp["pairs"]
        if p["kind"] == "quote"
        and "لافروف" in (p["a"].get("speaker") or "")
        and "لافروف" in (p["b"].get("speaker") or "")
    ]
    ibrahim = [q for q in comp["quotes"] if q["speaker"] and "إبراهيم" in q["speaker"]]
    names = {
        d: {fold(n) for e in ents for n in [e["name"], *e["aliases"]]} for d, ents in comp["entities"].items()
    }
    keys = {e["key"] for ents in comp["entities"].values() for e in ents}
    return {
        "lavrov_quote_pairs": len(lavrov_pairs),
        "ibrahim_quotes": [(q["doc"][:6], q["text"][:40]) for q in ibrahim],
        "ibrahim_only_in_003": bool(ibrahim) and all(q["doc"] == b.id for q in ibrahim),
        "entity_keys": sorted(
            k for k in keys if k.split(":")[1] in {"LFRF", "172955", "99072", "ISIS", "SDF", "PYD"}
        ),
        "isis_aliases": sorted(
            {n for d in names.values() for n in d if "داعش" in n or "الدوله الاسلاميه" in n}
        ),
        "unique_counts": {k[:6]: len(v) for k, v in comp["unique"].items()},
    }


def analyse_all(records: list[dict[str, Any]], articles: dict[str, Article]) -> dict[str, Any]:
    """Entities and quotes of every gold document; cross-document evidence comes from the
    same-story partner, as in `marsad compare` (documents without a partner stand alone)."""
    analysed: dict[str, Any] = {}
    for a, b, _r in align_sets(records):
        for k, v in zip((a, b), analyse([articles[a], articles[b]]), strict=True):
            analysed[k] = v
    for k, article in articles.items():
        if k not in analysed:
            analysed[k] = (article, *_single(article))
    return analysed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lexical", action="store_true", help="no embeddings (lexical evidence only)")
    args = parser.parse_args()
    records = [json.loads(line) for line in GOLD.read_text("utf-8").splitlines() if line.strip()]
    articles = load_articles(records)
    analysed = analyse_all(records, articles)
    embedder = None if args.lexical else CachedEmbedder(UsemEmbedder())
    quotes = score_quotes(records, analysed)
    entities = score_entities(records, analysed)
    sweep = []
    for t in (0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70):
        cfg = CompareConfig(
            sentence_threshold=t, quote_threshold=t, unique_threshold=t, use_embeddings=not args.lexical
        )
        res = run_alignment(records, articles, analysed, embedder, cfg)
        sweep.append({"threshold": t, **{k: v for k, v in res.items() if k != "warnings"}})
    default = CompareConfig(use_embeddings=not args.lexical)
    final = run_alignment(records, articles, analysed, embedder, default)
    acceptance = seed_acceptance(articles, embedder, default)
    # The first gold set and the items added later (annotated before the system ran on them).
    subsets: dict[str, Any] = {}
    for name in sorted({str(r.get("added", "first")) for r in records}):
        part = [r for r in records if str(r.get("added", "first")) == name]
        subsets[name] = {
            "entities": score_entities(part, analysed)["entities"],
            **{
                k: v
                for k, v in run_alignment(part, articles, analysed, embedder, default).items()
                if k != "warnings"
            },
        }
    print(f"{'measure':<16}{'P':>7}{'R':>7}{'F1':>7}{'pred':>6}{'gold':>6}")
    rows = [
        ("quotes", quotes["quotes"]),
        ("speakers", quotes["speakers"]),
        ("entities", entities["entities"]),
        ("sentence pairs", final["sentence_pairs"]),
        ("quote pairs", final["quote_pairs"]),
        ("unique sents", final["unique"]),
    ]
    for name, m in rows:
        print(f"{name:<16}{m['p']:>7.3f}{m['r']:>7.3f}{m['f1']:>7.3f}{m['pred']:>6}{m['gold']:>6}")
    print("entities by language:", entities["by_language"])
    for name, sub in subsets.items():
        print(
            f"gold set {name!r}: entities P {sub['entities']['p']:.3f} R {sub['entities']['r']:.3f}"
            f" ({sub['entities']['gold']});  sentence pairs P {sub['sentence_pairs']['p']:.3f}"
            f" R {sub['sentence_pairs']['r']:.3f} ({sub['sentence_pairs']['gold']})"
        )
    print("\nthreshold sweep (sentence/quote/unique thresholds together):")
    for s in sweep:
        sp, qp, un = s["sentence_pairs"], s["quote_pairs"], s["unique"]
        print(
            f"  t={s['threshold']:.2f}  sentences F1 {sp['f1']:.3f} (P {sp['p']:.2f} R {sp['r']:.2f})"
            f"  quotes F1 {qp['f1']:.3f}  unique F1 {un['f1']:.3f}"
        )
    from bench_claims import line, load_stories, run_subsets

    claims = run_subsets(load_stories(), embedder, default, ("tune", "unseen"))
    print("\nstory-wide claims (bench/gold/claim_stories.jsonl; settings chosen on 'tune' only):")
    for name, res in claims.items():
        print(line(name, res))
    print("  beside: sentence pairs (pairwise gold) F1", final["sentence_pairs"]["f1"])
    print("\nseed acceptance:", json.dumps(acceptance, ensure_ascii=False))
    for w in final["warnings"]:
        print("warning:", w)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    from dataclasses import asdict

    result = {
        "config": asdict(default),
        "quotes": quotes,
        "entities": entities,
        "alignment": final,
        "subsets": subsets,
        "sweep": sweep,
        "acceptance": acceptance,
        "claims": claims,
    }
    OUT.write_text(json.dumps(result, ensure_ascii=False, indent=2), "utf-8")
    print(f"\nwrote {OUT}")


def _single(article: Article) -> tuple[Any, Any]:
    from marsad.entities import extract_entities
    from marsad.quotes import extract_quotes

    mentions = extract_entities(article)
    return mentions, extract_quotes(article, mentions)


if __name__ == "__main__":
    main()
