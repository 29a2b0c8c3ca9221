"""Dedup quality and speed on real articles from ../shared/data, with controlled edits.

Quality: every real article (SemEval-2022 Arabic documents, the seeds, MMDS and a sample of other
languages) gets edited copies of each kind below; the lot is shuffled and run through the
`marsad dedup` code path. Per edit kind: recall (copy grouped with its original) and precision
(pairs it was grouped into that are true). Same-topic distinct articles (SemEval same-story pairs,
MMDS same-event clusters) must never be grouped unless the data itself holds a copy (measured
exactly and reported).

Speed: 100,000 news-length documents made on the fly from the dev sentences (word order shuffled
inside each sentence so that base documents are distinct; a quarter are edited copies). Signatures
per second for ours, datasketch's `update_batch` and rensa at the same num_perm and shingling, on
the same normalized texts; then `marsad dedup` end to end in a subprocess: wall time, peak RSS.

Run: .venv/bin/python bench/dedup.py [--docs 100000] [--quick]   -> bench/out/dedup.json
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SEEDS = ROOT.parent / "shared" / "seeds"
OUT = ROOT / "bench" / "out" / "dedup.json"

from marsad.dedup.jsonl import dedup_jsonl  # noqa: E402
from marsad.dedup.params import DedupParams  # noqa: E402
from marsad.dedup.sketch import SKETCH_BATCH, Sketcher  # noqa: E402
from marsad.text.arabic import normalize  # noqa: E402
from marsad.text.sentences import split_sentences  # noqa: E402

KINDS = (
    "retitle",
    "add_paragraph",
    "drop_paragraph",
    "boilerplate",
    "trim_tail",
    "digits",
    "retype",
    "contained",
)
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
DISCLAIMER = "التعليقات المنشورة لا تعبر عن رأي {site} وإنما عن رأي أصحابها"


# ---------------------------------------------------------------- data
def semeval() -> tuple[dict[str, tuple[str, str]], list[tuple[str, str, float]]]:
    """doc key -> (language, text), and (key1, key2, Overall) of the native pairs."""
    csv.field_size_limit(10**8)
    docs: dict[str, tuple[str, str]] = {}
    pairs = []
    with (DATA / "semeval2022-task8-text" / "training_set.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            a, b = row["pair_id"].split("_", 1)
            ka, kb = f"se{a}:{row['lang1']}", f"se{b}:{row['lang2']}"
            docs.setdefault(ka, (row["lang1"], row["text1"]))
            docs.setdefault(kb, (row["lang2"], row["text2"]))
            if row["lang1"] == row["lang2"] and b.isdigit():
                pairs.append((ka, kb, float(row["Overall"])))
    return docs, pairs


def mmds() -> tuple[dict[str, tuple[str, str]], dict[str, int]]:
    raw = json.loads((DATA / "mmds2025-event-clusters" / "mds_ac_dev_final.json").read_text("utf-8"))
    docs, label = {}, {}
    for i, (art, cluster) in enumerate(zip(raw["articles"], raw["clusters"], strict=True)):
        text = "\n\n".join(
            " ".join(s["content"] for s in art["sentences"][j : j + 3])
            for j in range(0, len(art["sentences"]), 3)
        )
        docs[f"mm{i}"] = ("xx", text)
        if cluster != 166:  # the miscellaneous bucket
            label[f"mm{i}"] = cluster
    return docs, label


def chunks(text: str, size: int = 45) -> list[str]:
    """Paragraph-sized runs of words (an added paragraph must not be a whole other article)."""
    words = text.split()
    return [" ".join(words[i : i + size]) for i in range(0, len(words) - size // 2, size)]


def paragraphs(text: str) -> list[str]:
    paras = [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    if len(paras) >= 3:
        return paras
    sents = split_sentences(text)
    return [" ".join(sents[i : i + 2]) for i in range(0, len(sents), 2)] or [text]


# ---------------------------------------------------------------- edits
def edit(kind: str, paras: list[str], rng: random.Random, filler: list[str]) -> tuple[str, str | None]:
    """(text, title) of an edited copy of the article made of `paras`."""
    p = list(paras)
    if kind == "retitle":
        words = rng.choice(filler).split()[:7]
        return "عاجل: " + " ".join(words) + "\n\n" + "\n\n".join(p), "عنوان آخر " + str(rng.random())[:6]
    if kind == "add_paragraph":
        p.insert(rng.randint(1, len(p)), rng.choice(filler))
    elif kind == "drop_paragraph":
        if len(p) < 3:  # a one- or two-paragraph text loses a sentence instead
            p = [s for para in p for s in split_sentences(para)]
        # A paragraph, never most of the article (some SemEval "articles" are one line of site text).
        total = sum(map(len, p))
        small = [i for i in range(1, len(p)) if len(p[i]) <= 0.4 * total]
        if small:
            del p[rng.choice(small)]
    elif kind == "boilerplate":
        i = rng.randrange(len(p))
        p[i] = p[i] + f"[ads{rng.randint(1, 4)}]"
        p.insert(rng.randint(0, len(p)), f"[ads{rng.randint(1, 4)}]")
        p[-1] = p[-1] + rng.choice([" (أ ف ب)", " (رويترز)", " (AFP)", " (الأناضول)"])
        p += [
            rng.choice(["المصدر: وكالات", "المصدر: وكالة الأناضول"]),
            DISCLAIMER.format(site=rng.choice(["عكس السير", "الشرفة", "المرسى"])),
            f"{rng.randint(2, 30)} Comments",
            "  1. تعليق أول على الخبر",
            "  2. رد آخر",
        ]
    elif kind == "trim_tail":
        total = sum(map(len, p))
        keep, size = [], 0
        cut = total * rng.uniform(0.6, 0.75)
        for para in p:
            if size + len(para) > cut and keep:
                words = para.split()
                keep.append(" ".join(words[: max(1, int(len(words) * (cut - size) / max(len(para), 1)))]))
                break
            keep.append(para)
            size += len(para)
        p = keep
    elif kind == "digits":
        table = ARABIC_INDIC if rng.random() < 0.5 else PERSIAN
        p = [para.translate(table) for para in p]
    elif kind == "retype":
        p = [retype(para, rng) for para in p]
    elif kind == "contained":
        p = [rng.choice(filler), rng.choice(filler), *p, rng.choice(filler), rng.choice(filler)]
    return "\n\n".join(p), None


def retype(text: str, rng: random.Random) -> str:
    """The same words typed another way: hamza seats, taa marbuta, alef maqsura, tatweel, quotes."""
    text = re.sub("[أإآ]", "ا", text)
    text = re.sub(r"ة\b", "ه", text)
    text = re.sub(r"ي\b", "ى", text)
    text = text.replace("“", "«").replace("”", "»").replace('"', "«")
    words = text.split(" ")
    for i in rng.sample(range(len(words)), k=min(len(words), 6)):
        w = words[i]
        if len(w) > 3 and "\u0621" <= w[1] <= "\u064a":
            words[i] = w[:2] + "ـ" + w[2:]
    return " ".join(words)


def digits_in(text: str) -> bool:
    return any(c.isdigit() for c in text)


# ---------------------------------------------------------------- quality
def quality(seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    se_docs, se_pairs = semeval()
    mm_docs, mm_label = mmds()
    arabic = sorted(k for k, (lang, t) in se_docs.items() if lang == "ar" and len(t) >= 300)
    rng.shuffle(arabic)
    filler_keys, arabic = arabic[:30], arabic[30:]
    # SemEval repeats some texts under several ids: filler must share nothing with the corpus.
    sk = Sketcher()
    corpus_shingles = np.unique(
        np.concatenate(
            [
                sk.shingle_set(normalize(t))
                for k, (lang, t) in se_docs.items()
                if lang == "ar" and k not in filler_keys
            ]
        )
    )
    filler_keys = [
        k
        for k in filler_keys
        if np.isin(sk.shingle_set(normalize(se_docs[k][1])), corpus_shingles).mean() < 0.05
    ]
    filler = [chunk for k in filler_keys for chunk in chunks(se_docs[k][1])]
    others = sorted(k for k, (lang, t) in se_docs.items() if lang not in ("ar",) and len(t) >= 300)
    others = rng.sample(others, 150)
    originals: dict[str, str] = {k: se_docs[k][1] for k in arabic + others}
    for path in sorted(SEEDS.glob("*.txt")):
        originals[f"seed:{path.stem}"] = path.read_text("utf-8")
    originals.update({k: t for k, (_, t) in mm_docs.items()})
    # Same-story pairs kept whole in the corpus (both sides are originals).
    held_out = set(filler_keys)
    for a, b, overall in se_pairs:
        if overall <= 2.0 and se_docs[a][0] == "ar" and not {a, b} & held_out:
            originals.setdefault(a, se_docs[a][1])
            originals.setdefault(b, se_docs[b][1])
    records: list[dict[str, Any]] = []
    truth: dict[str, str] = {}
    kind_of: dict[str, str] = {}
    for key, text in originals.items():
        records.append({"id": key, "text": text})
        truth[key] = key
        if key.startswith("mm") or (key in others):
            continue  # MMDS and other languages: distinct same-topic material and pass-through
        paras = paragraphs(text)
        for kind in KINDS:
            if kind == "digits" and not digits_in(text):
                continue
            body, title = edit(kind, paras, rng, filler)
            vid = f"{key}~{kind}"
            rec: dict[str, Any] = {"id": vid, "text": body}
            if title:
                rec["title"] = title
            records.append(rec)
            truth[vid] = key
            kind_of[vid] = kind
    # Other languages get the language-neutral edits too (pass-through check); their added
    # paragraphs come from documents that are not in the corpus.
    used = set(originals)
    other_filler = [
        c for k in sorted(se_docs) if k not in used and se_docs[k][0] != "ar" for c in chunks(se_docs[k][1])
    ]
    other_filler = rng.sample(other_filler, min(len(other_filler), 3000))
    for key in others[:60]:
        paras = paragraphs(originals[key])
        for kind in ("add_paragraph", "drop_paragraph", "trim_tail"):
            body, _ = edit(kind, paras, rng, other_filler)
            vid = f"{key}~{kind}"
            records.append({"id": vid, "text": body})
            truth[vid] = key
            kind_of[vid] = f"{kind}(other languages)"
    merged = merge_real_copies(originals, truth)
    rng.shuffle(records)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "quality.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
        run = dedup_jsonl(path)
    group = {r["id"]: r["group_id"] for r in run.rows}
    kind_out = {r["id"]: r["kind"] for r in run.rows}
    result = score(group, truth, kind_of)
    result["documents"] = len(records)
    result["originals"] = len(originals)
    result["real_copies_in_data"] = merged
    result["same_topic"] = same_topic(group, truth, se_pairs, se_docs, mm_label, originals)
    result["kind_labels"] = {k: dict(sorted(v.items())) for k, v in kind_labels(kind_out, kind_of).items()}
    return result


def merge_real_copies(originals: dict[str, str], truth: dict[str, str]) -> list[list[Any]]:
    """Originals that are copies of each other in the data itself share one truth group."""
    sk = Sketcher()
    keys = list(originals)
    sets = {k: sk.shingle_set(normalize(originals[k])) for k in keys}
    merged = []
    for a, b in combinations(keys, 2):
        sa, sb = sets[a], sets[b]
        if not len(sa) or not len(sb):
            continue
        inter = len(np.intersect1d(sa, sb, assume_unique=True))
        if not inter:
            continue
        jac = inter / (len(sa) + len(sb) - inter)
        cont = inter / min(len(sa), len(sb))
        if jac >= 0.5 or cont >= 0.8:
            ta, tb = truth[a], truth[b]
            for k, v in list(truth.items()):
                if v == tb:
                    truth[k] = ta
            merged.append([a, b, round(jac, 3), round(cont, 3)])
    return merged


def score(group: dict[str, str], truth: dict[str, str], kind_of: dict[str, str]) -> dict[str, Any]:
    members: dict[str, list[str]] = defaultdict(list)
    for doc, g in group.items():
        members[g].append(doc)
    per_kind: dict[str, dict[str, float]] = {}
    for kind in sorted(set(kind_of.values())):
        docs = [d for d, k in kind_of.items() if k == kind and d in group]
        found = sum(1 for d in docs if group[d] == group.get(truth[d]))
        tp = fp = 0
        for d in docs:
            for other in members[group[d]]:
                if other != d:
                    tp += truth[other] == truth[d]
                    fp += truth[other] != truth[d]
        per_kind[kind] = {
            "copies": len(docs),
            "recall": round(found / len(docs), 4) if docs else 0.0,
            "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        }
    true_groups: dict[str, list[str]] = defaultdict(list)
    for d in group:
        true_groups[truth[d]].append(d)
    true_pairs = sum(len(v) * (len(v) - 1) // 2 for v in true_groups.values())
    pred_pairs = tp_all = 0
    for docs in members.values():
        pred_pairs += len(docs) * (len(docs) - 1) // 2
        counts: dict[str, int] = defaultdict(int)
        for d in docs:
            counts[truth[d]] += 1
        tp_all += sum(c * (c - 1) // 2 for c in counts.values())
    return {
        "per_kind": per_kind,
        "pairwise": {
            "precision": round(tp_all / pred_pairs, 4) if pred_pairs else 1.0,
            "recall": round(tp_all / true_pairs, 4) if true_pairs else 1.0,
            "predicted_pairs": pred_pairs,
            "true_pairs": true_pairs,
        },
    }


def same_topic(
    group: dict[str, str],
    truth: dict[str, str],
    se_pairs: list[tuple[str, str, float]],
    se_docs: dict[str, tuple[str, str]],
    mm_label: dict[str, int],
    originals: dict[str, str],
) -> dict[str, Any]:
    pairs = [(a, b) for a, b, o in se_pairs if o <= 2.0 and a in group and b in group]
    by_cluster: dict[int, list[str]] = defaultdict(list)
    for k, c in mm_label.items():
        by_cluster[c].append(k)
    pairs += [p for docs in by_cluster.values() for p in combinations(sorted(docs), 2)]
    distinct = [(a, b) for a, b in pairs if truth[a] != truth[b]]
    wrong = [(a, b) for a, b in distinct if group[a] == group[b]]
    return {
        "pairs": len(pairs),
        "distinct_pairs": len(distinct),
        "grouped_wrongly": len(wrong),
        "examples": wrong[:10],
    }


def kind_labels(kind_out: dict[str, str], kind_of: dict[str, str]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for d, k in kind_of.items():
        out[k][kind_out.get(d, "missing")] += 1
    return {k: dict(v) for k, v in out.items()}


# ---------------------------------------------------------------- speed corpus
def vocabulary() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per language: the words of the dev articles and their frequencies."""
    se_docs, _ = semeval()
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for lang, text in se_docs.values():
        for w in text.split():
            counts[lang][w] += 1
    out = {}
    for lang, c in counts.items():
        words = np.array(list(c.keys()), dtype=object)
        freq = np.array(list(c.values()), dtype=np.float64)
        out[lang] = (words, freq / freq.sum())
    return out


def synthetic(n: int, seed: int = 11) -> tuple[list[dict[str, Any]], dict[str, str], dict[str, str]]:
    """`n` news-length records (70% Arabic), a quarter of them edited copies of earlier ones."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    vocab = vocabulary()
    langs = ["ar"] * 7 + [lang for lang in sorted(vocab) if lang != "ar"][:3]
    records: list[dict[str, Any]] = []
    truth: dict[str, str] = {}
    kind_of: dict[str, str] = {}
    bases: list[tuple[str, list[str]]] = []
    filler: list[str] = []
    for i in range(n):
        rid = f"d{i}"
        day = f"2026-{1 + i * 12 // n:02d}-{1 + rng.randrange(28):02d}T{rng.randrange(24):02d}:00:00+00:00"
        if bases and rng.random() < 0.25:
            base_id, paras = rng.choice(bases)
            kind = rng.choice(KINDS)
            text, _ = edit(kind, paras, rng, filler)
            truth[rid] = truth[base_id]
            kind_of[rid] = kind
        else:
            words, freq = vocab[rng.choice(langs)]
            length = rng.randint(250, 450)  # words: 2-4 KB of Arabic
            drawn = words[nrng.choice(len(words), size=length, p=freq)].tolist()
            paras, start = [], 0
            while start < length:
                size = rng.randint(30, 60)
                paras.append(" ".join(drawn[start : start + size]) + ".")
                start += size
            text = "\n\n".join(paras)
            truth[rid] = rid
            bases.append((rid, paras))
            if len(filler) < 2000:
                filler.append(paras[0])
        records.append({"id": rid, "title": f"t{i}", "published": day, "text": text})
    return records, truth, kind_of


def signature_speed(texts: list[str], num_perm: int = 128, k: int = 5) -> dict[str, Any]:
    """Docs per second from the same normalized texts to 128-slot signatures, side by side."""
    word = re.compile(r"[^\W_]+(?:[.,][0-9]+)*")
    sk = Sketcher(DedupParams(num_perm=num_perm, shingle_size=k))
    sk.sketch_normalized(texts[:300])  # warm the tables
    out: dict[str, Any] = {
        "documents": len(texts),
        "num_perm": num_perm,
        "shingle_words": k,
        "mean_bytes": round(sum(len(t.encode()) for t in texts) / len(texts)),
    }
    # CPU time of this process: the machine is shared, and wall time would count other jobs.
    t0 = time.process_time()
    for i in range(0, len(texts), SKETCH_BATCH):
        sk.hasher.signatures(sk.shingler.shingle(texts[i : i + SKETCH_BATCH]))
    out["marsad_signatures_per_s"] = round(len(texts) / (time.process_time() - t0))
    t0 = time.process_time()
    sk.sketch_normalized(texts)
    out["marsad_full_sketch_per_s"] = round(len(texts) / (time.process_time() - t0))

    def shingles(t: str) -> list[str]:
        toks = word.findall(t)
        return [" ".join(toks[j : j + k]) for j in range(max(1, len(toks) - k + 1))]

    sub = texts[: min(len(texts), 20000)]
    t0 = time.process_time()
    prepared = [[s.encode("utf-8") for s in shingles(t)] for t in sub]
    shingle_time = time.process_time() - t0
    out["shingling_in_python_per_s"] = round(len(sub) / shingle_time)
    try:
        from datasketch import MinHash

        first = MinHash(num_perm=num_perm, seed=1)  # datasketch 2.x default scheme (affine32)
        perms, scheme = first.permutations, first.scheme
        out["datasketch_scheme"] = scheme
        t0 = time.process_time()
        for sh in prepared:
            m = MinHash(num_perm=num_perm, permutations=perms, scheme=scheme)
            m.update_batch(sh)
        ds = time.process_time() - t0
        out["datasketch_update_batch_per_s"] = round(len(sub) / ds)
        out["datasketch_with_shingling_per_s"] = round(len(sub) / (ds + shingle_time))
        out["speedup_vs_datasketch_update_batch"] = round(
            out["marsad_signatures_per_s"] / out["datasketch_update_batch_per_s"], 1
        )
    except ImportError:
        out["datasketch"] = "not installed"
    try:
        from rensa import RMinHash

        strs = [shingles(t) for t in sub]
        t0 = time.process_time()
        for sh in strs:
            r = RMinHash(num_perm=num_perm, seed=1)
            r.update(sh)
            r.digest()
        out["rensa_rminhash_per_s"] = round(len(sub) / (time.process_time() - t0))
    except ImportError:
        out["rensa"] = "not installed"
    return out


@dataclass
class _Finished:
    returncode: int
    stderr: str


def _run_watching_memory(command: list[str], err_path: Path) -> tuple[int, int, _Finished]:
    """Run `command`, sampling the RSS of it and its worker processes every 50 ms.

    (getrusage's ru_maxrss of a child counts the parent's pages copied at fork, so it is not used.)
    """
    import psutil

    with err_path.open("w") as err:
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)
        watched = psutil.Process(proc.pid)
        peak_main = peak_total = 0
        while proc.poll() is None:
            try:
                main = watched.memory_info().rss
                total = main + sum(c.memory_info().rss for c in watched.children(recursive=True))
            except psutil.Error:
                break
            peak_main, peak_total = max(peak_main, main), max(peak_total, total)
            time.sleep(0.05)
        proc.wait()
    return peak_main, peak_total, _Finished(proc.returncode, err_path.read_text("utf-8"))


def end_to_end(
    records: list[dict[str, Any]], truth: dict[str, str], kind_of: dict[str, str]
) -> dict[str, Any]:
    marsad = Path(sys.executable).parent / "marsad"
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        with src.open("w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        size = src.stat().st_size
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        command = [str(marsad), "dedup", str(src), "-o", str(dst)]
        peak_main, peak_total, proc = _run_watching_memory(command, Path(tmp) / "stderr.txt")
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        rows = [json.loads(line) for line in dst.read_text("utf-8").splitlines()]
    group = {r["id"]: r["group_id"] for r in rows}
    quality_here = score(group, truth, kind_of)
    return {
        "documents": len(records),
        "input_mb": round(size / 1e6, 1),
        "exit_code": proc.returncode,
        "stderr_tail": proc.stderr.strip().splitlines()[-1:],
        "wall_s": round(wall, 1),
        "docs_per_s": round(len(records) / wall),
        "cpu_s_all_processes": round(cpu, 1),
        "load_average_1min_after": round(os.getloadavg()[0], 1),
        "peak_rss_mb_main_process": round(peak_main / 2**20),
        "peak_rss_mb_with_workers": round(peak_total / 2**20),
        "pairwise": quality_here["pairwise"],
        "per_kind_recall": {k: v["recall"] for k, v in quality_here["per_kind"].items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="quality only, no 100k run")
    args = parser.parse_args()
    if not (DATA / "semeval2022-task8-text").is_dir():
        sys.exit(f"dev data not found at {DATA}")
    params = DedupParams()
    result: dict[str, Any] = {
        "params": {
            "shingle_words": params.shingle_size,
            "num_perm": params.num_perm,
            "bands": params.bands,
            "rows": params.rows,
            "lsh_threshold": round(params.lsh_threshold, 3),
            "near_threshold": params.near_threshold,
            "containment_threshold": params.containment_threshold,
            "candidate_probability": {
                str(j): round(params.candidate_probability(j), 4) for j in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
            },
        },
    }
    t0 = time.perf_counter()
    result["quality"] = quality()
    result["quality"]["seconds"] = round(time.perf_counter() - t0, 1)
    q = result["quality"]
    print(f"{'edit kind':32s} {'copies':>6s} {'recall':>7s} {'precision':>9s}")
    for kind, v in q["per_kind"].items():
        print(f"{kind:32s} {v['copies']:6d} {v['recall']:7.4f} {v['precision']:9.4f}")
    print(
        f"pairwise {q['pairwise']}; same-topic distinct pairs grouped: "
        f"{q['same_topic']['grouped_wrongly']} of {q['same_topic']['distinct_pairs']}"
    )
    if not args.quick:
        t0 = time.perf_counter()
        records, truth, kind_of = synthetic(args.docs)
        result["corpus_seconds"] = round(time.perf_counter() - t0, 1)
        texts = [normalize(r["text"]) for r in records[:50000]]
        result["signatures"] = signature_speed(texts)
        del texts
        result["end_to_end"] = end_to_end(records, truth, kind_of)
        s, e = result["signatures"], result["end_to_end"]
        print(
            f"signatures/s: marsad {s['marsad_signatures_per_s']}, datasketch update_batch "
            f"{s.get('datasketch_update_batch_per_s')}, rensa {s.get('rensa_rminhash_per_s')} "
            f"(x{s.get('speedup_vs_datasketch_update_batch')} datasketch)"
        )
        print(
            f"marsad dedup on {e['documents']} docs: {e['wall_s']} s wall, {e['cpu_s_all_processes']} s CPU"
            f" (load {e['load_average_1min_after']}), {e['docs_per_s']} docs/s, peak RSS"
            f" {e['peak_rss_mb_main_process']} MB ({e['peak_rss_mb_with_workers']} MB with workers),"
            f" pairwise {e['pairwise']}"
        )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(f"-> {OUT}")


if __name__ == "__main__":
    main()
