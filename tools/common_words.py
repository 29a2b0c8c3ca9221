"""Mine the Arabic common-word list of the quote speakers from unlabelled news.

A word the entity tagger did not tag can still be taken for a name by the speaker rules (a bare
subject after a speech verb, the words after a title). Common vocabulary is not a name: a word
that the unlabelled SaudiNewsNet articles seldom show in a name's place (after a title or a listed
first name, before بن/ابن or a listed first name) and often with the article ال (صادر: الصادر,
أشهر: الأشهر, فرع: الفرع) or right after a verbal particle (يطلق: لا يطلق, أن يطلق) is written to
`src/marsad/quotes/data/common-words.txt`, one folded word a line, sorted. Listed first names are
never common (أمل, نور, كريم are names as well as words).

The crawl days of the quote gold set (2015-07-21, 2015-07-22) are left out, so the list owes
nothing to the articles the speakers are measured on. Deterministic: same data, same file.

    PYTHONPATH=$PWD/src python tools/common_words.py [../shared/data/saudinewsnet-unlabelled]
"""

from __future__ import annotations

import json
import sys
import zipfile
from collections import Counter
from pathlib import Path

from marsad.entities.lexicon import AR_FIRST_NAMES, AR_TITLES
from marsad.quotes.lexicon import TATWEEL, WORD, fold

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "saudinewsnet-unlabelled"
OUT = ROOT / "src" / "marsad" / "quotes" / "data" / "common-words.txt"
GOLD_DAYS = frozenset({"2015-07-21.zip", "2015-07-22.zip"})  # the days of saudinewsnet-quotes-dev
PARTICLES = frozenset(fold(w) for w in "أن ان لا لم لن قد كما ما وقد ولا ولم ولن سوف".split())
MIN_COUNT = 20  # occurrences of the word without ال (rarer words are too few to judge)
NAME_SHARE = 0.2  # never common when this share of its uses stands in a name's place
DEFINITE_SHARE = 0.25  # common when ال+word is at least a quarter as frequent as the bare word
VERBAL_SHARE = 0.15  # or when this share of its uses follows a verbal particle
_SON_OF = frozenset({"بن", "ابن"})


def tokens(folder: Path) -> list[list[str]]:
    """The folded words of every article (title and content) of the folder's zips but the gold days."""
    docs: list[list[str]] = []
    for path in sorted(folder.glob("*.zip")):
        if path.name in GOLD_DAYS:
            continue
        with zipfile.ZipFile(path) as z:
            for name in sorted(z.namelist()):
                for rec in json.loads(z.read(name)):
                    text = fold(f"{rec.get('title') or ''} . {rec.get('content') or ''}")
                    docs.append([m.group(0).replace(TATWEEL, "") for m in WORD.finditer(text)])
    return docs


def common_words(docs: list[list[str]]) -> list[str]:
    """The words (without ال, of three letters or more) that read as vocabulary, not names."""
    counts: Counter[str] = Counter()
    after_particle: Counter[str] = Counter()
    name_place: Counter[str] = Counter()
    for doc in docs:
        for i, w in enumerate(doc):
            counts[w] += 1
            prev = doc[i - 1] if i else ""
            nxt = doc[i + 1] if i + 1 < len(doc) else ""
            if prev in PARTICLES:
                after_particle[w] += 1
            if prev in AR_TITLES or prev in AR_FIRST_NAMES or nxt in _SON_OF or nxt in AR_FIRST_NAMES:
                name_place[w] += 1
    out = []
    for w, n in counts.items():
        if n < MIN_COUNT or w.startswith("ال") or len(w) < 3 or w in AR_FIRST_NAMES:
            continue
        if name_place[w] >= NAME_SHARE * n:
            continue
        if counts.get("ال" + w, 0) >= DEFINITE_SHARE * n or after_particle[w] >= VERBAL_SHARE * n:
            out.append(w)
    return sorted(out)


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else DATA
    if not folder.is_dir():
        print(f"no data at {folder}", file=sys.stderr)
        return 1
    words = common_words(tokens(folder))
    OUT.write_text("".join(f"{w}\n" for w in words), encoding="utf-8")
    print(f"{len(words)} common words -> {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
