"""Which Arabic light stemmer: conflation F1 on word families, SemEval Arabic correlation, speed.

Families below are hand-written inflections (prefix clitics, article, sound plurals, feminine,
pronoun suffixes) of one word; words of one root but different meaning (كتاب, كاتب, مكتب) are
separate families, so a root stemmer that merges them loses precision. Broken plurals are left
out: no light stemmer handles them. Run: .venv/bin/python bench/stem.py -> bench/out/stem.json
"""

from __future__ import annotations

import csv
import json
import math
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

from marsad.text.arabic import normalize
from marsad.text.stem import arabic_stemmers
from marsad.text.tokens import content_words

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "semeval2022-task8-text" / "training_set.csv"
OUT = ROOT / "bench" / "out" / "stem.json"

FAMILIES = """
المفاوضات مفاوضات للمفاوضات بالمفاوضات والمفاوضات
الوزير وزيرا للوزير والوزير وزيرة
الوزارة وزارات بوزارة والوزارة
الرئيس رئيسا للرئيس والرئيس رئيسه
الحكومة حكومات الحكومات للحكومة بالحكومة حكومته
المدينة مدينة بمدينة والمدينة مدينتها
الجيش للجيش والجيش جيشها
القوات قوات بقوات والقوات للقوات
الهجوم هجوما بالهجوم والهجوم هجومه
الانتخابات انتخابات للانتخابات بالانتخابات
المسؤول مسؤولون المسؤولين مسؤول
المعلمون المعلمين معلمون للمعلمين المعلم
السوري السورية السوريين سوريون
الاتفاق اتفاقا للاتفاق والاتفاق اتفاقه
الاتفاقية اتفاقيات الاتفاقيات باتفاقية
الدولة دولة للدولة والدولة دولته
المجلس مجلس بالمجلس والمجلس مجلسا
الأمن للأمن والأمن بالأمن
السلام للسلام بالسلام والسلام
العملية عمليات العمليات بعملية للعمليات
المنطقة بالمنطقة للمنطقة منطقتها
الصحفي الصحفيين صحفيون صحفية
المؤتمر مؤتمرا بالمؤتمر للمؤتمر مؤتمرات
التقرير تقريرا بالتقرير تقريره
الاقتصاد للاقتصاد والاقتصاد اقتصادها
قال وقال قالت وقالت
أعلن وأعلن أعلنت وأعلنت
الكتاب كتابه للكتاب بالكتاب كتابا
الكاتب للكاتب كاتبة
المكتب بالمكتب مكتبه
العالم للعالم بالعالم
العلم بالعلم علمه
المعلومات معلومات بالمعلومات للمعلومات
"""


def conflation(stem: object) -> dict[str, float]:
    fams = [[normalize(w) for w in line.split()] for line in FAMILIES.strip().splitlines()]
    words = [(w, i) for i, fam in enumerate(fams) for w in fam]
    stems = {w: stem(w) for w, _ in words}  # type: ignore[operator]
    tp = fp = fn = 0
    for (a, fa), (b, fb) in combinations(words, 2):
        same = stems[a] == stems[b]
        tp += same and fa == fb
        fp += same and fa != fb
        fn += (not same) and fa == fb
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
    }


def pearson(x: list[float], y: list[float]) -> float:
    mx, my = sum(x) / len(x), sum(y) / len(y)
    sx = math.sqrt(sum((a - mx) ** 2 for a in x))
    sy = math.sqrt(sum((b - my) ** 2 for b in y))
    return sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True)) / (sx * sy)


def cosine(a: Counter[str], b: Counter[str]) -> float:
    dot = sum(v * b[k] for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def main() -> None:
    csv.field_size_limit(10**8)
    with DATA.open(encoding="utf-8") as f:
        pairs = [r for r in csv.DictReader(f) if r["lang1"] == "ar" and r["lang2"] == "ar"]
    docs = [content_words(r["text1"]) for r in pairs] + [content_words(r["text2"]) for r in pairs]
    gold = [-float(r["Overall"]) for r in pairs]
    n = len(pairs)
    tokens = [t for d in docs for t in d]
    result: dict[str, object] = {"pairs": n, "tokens": len(tokens)}
    base = [cosine(Counter(docs[i]), Counter(docs[n + i])) for i in range(n)]
    result["no_stemming"] = {"semeval_ar_pearson": round(pearson(base, gold), 3)}
    print(f"{'stemmer':12s} {'P':>6s} {'R':>6s} {'F1':>6s} {'pearson':>8s} {'tokens/s':>9s}")
    print(f"{'none':12s} {'':>6s} {'':>6s} {'':>6s} {result['no_stemming']['semeval_ar_pearson']:8.3f}")  # type: ignore[index]
    for name, fn in arabic_stemmers().items():
        t0 = time.perf_counter()
        for t in tokens:
            fn(t)
        speed = len(tokens) / (time.perf_counter() - t0)
        stemmed = [[normalize(fn(t)) for t in d] for d in docs]
        sims = [cosine(Counter(stemmed[i]), Counter(stemmed[n + i])) for i in range(n)]
        row = {
            **conflation(fn),
            "semeval_ar_pearson": round(pearson(sims, gold), 3),
            "tokens_per_s": round(speed),
        }
        result[name] = row
        print(
            f"{name:12s} {row['precision']:6.3f} {row['recall']:6.3f} {row['f1']:6.3f} "
            f"{row['semeval_ar_pearson']:8.3f} {row['tokens_per_s']:9d}"
        )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(f"-> {OUT}")


if __name__ == "__main__":
    main()
