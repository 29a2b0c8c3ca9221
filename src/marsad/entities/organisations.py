"""Organisations outside our list, found from a trigger head and the noun phrase after it.

Courts, parties, ministries, police forces, universities, councils and the like are named by a
head noun and what qualifies it:
- Arabic: the head (وزارة، محكمة، حزب، شرطة، جامعة، هيئة، مجلس ... with or without ال and a
  clitic) and the definite words after it: "وزارة الإسكان", "هيئة المجتمعات العمرانية الجديدة",
  "البنك المركزي", "الجيش الوطني الشعبي";
- English: a run of capitalized words holding a capitalized head, with "of/for/and/the" inside:
  "Supreme Court", "Ministry of Defence", "Royal Canadian Mounted Police";
- French: a capitalized head with the adjectives and one "de ..." complement after it: "Cour
  fédérale de justice", "Parti autrichien de la liberté", "Conseil constitutionnel".
A head alone ("الوزارة", "the court", "le tribunal") is a reference, not a name, and is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from marsad.entities.folding import Token, clitic_forms
from marsad.entities.lexicon import ACRONYM_STOP, AR_STOP, LATIN_STOP
from marsad.text.arabic import fold_letters

AR_ORG_HEADS = frozenset(
    fold_letters(w)
    for w in """
    وزارة محكمة حزب شرطة جامعة هيئة مجلس منظمة لجنة مفوضية مديرية مؤسسة شركة بنك مصرف
    معهد اتحاد نقابة جمعية رابطة جيش برلمان
    """.split()
)
# Left out on purpose: heads that as often name an ordinary thing (حركة المرور, صندوق الاقتراع,
# جبهة القتال, الإدارة, السلطات, القوات الكردية is a description) and وكالة (agencies have
# their own list).
_AR_MAX_WORDS = 4
# Definite words after the head that end the phrase instead of qualifying it (time, place words).
_AR_NOT_QUALIFIERS = frozenset(
    fold_letters(w)
    for w in """
    الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد اليوم الماضي الماضية المقبل المقبلة
    الذي التي الذين الأسبوع الشهر العام السنة الحالي الحالية أمس
    """.split()
)
_EN_HEADS = frozenset(
    """
    ministry department court party police university council commission committee agency
    authority bank army parliament assembly senate congress institute foundation federation
    union association office bureau service board tribunal academy league corporation
    inc inc. corp corp. ltd ltd. llc plc holdings group company airlines airways motors
    technologies pharmaceuticals
    """.split()
)
# "and" is left out: "the Ministry of Defence and the University of Toronto" are two names.
_EN_INNER = frozenset({"of", "for", "the", "on", "&"})
_FR_HEADS = frozenset(
    """
    ministère cour tribunal parti police université conseil commission comité agence autorité
    banque armée parlement assemblée sénat institut fondation fédération union association office
    gendarmerie préfecture
    """.split()
)
_FR_DE = frozenset({"de", "des", "du", "d'", "d’"})
_FR_ARTICLES = frozenset({"la", "l'", "l’", "les"})


@dataclass(slots=True, frozen=True)
class OrgHit:
    """Tokens `first`..`last` (inclusive) name an organisation; `clitic` letters of the first
    token are a proclitic (و، ب، ل ...) and not part of the name."""

    first: int
    last: int
    clitic: int = 0
    head: str | None = None  # the Arabic head without its clitic (الوزارة for والوزارة)


def _arabic_head(tok: Token) -> str | None:
    """The head form of `tok` with any proclitic off (والوزارة -> الوزارة, بوزارة -> وزارة)."""
    return next((f for f in clitic_forms(tok.norm) if f.removeprefix("ال") in AR_ORG_HEADS), None)


def _arabic(tokens: list[Token], i: int, taken: set[int]) -> OrgHit | None:
    form = _arabic_head(tokens[i])
    if form is None:
        return None
    # Letters to drop before the name: the clitic of a bare head (بوزارة); with the article the
    # clitic is kept in the surface, as for listed names (والرقة).
    clitic = len(tokens[i].norm) - len(form) if not form.startswith("ال") else 0
    last = i
    k = i + 1
    while k < len(tokens) and k - i <= _AR_MAX_WORDS:
        t = tokens[k]
        if t.break_before or not t.arabic:
            break
        definite = t.norm.startswith("ال") and len(t.norm) > 3
        if k in taken and definite:
            last = k  # a listed place inside the name: جامعة القاهرة, وزارة الخارجية الأمريكية
            k += 1
            continue
        if not definite or t.norm in AR_STOP or t.norm in _AR_NOT_QUALIFIERS:
            break
        last = k
        k += 1
    if last == i:
        return None
    return OrgHit(i, last, clitic, form)


def _latin(tokens: list[Token], i: int, taken: set[int], french: bool) -> OrgHit | None:
    """An English capitalized run with a head in it, or a French head with its complements."""
    tok = tokens[i]
    head_word = tok.norm in _EN_HEADS or tok.norm in _FR_HEADS
    if not tok.upper or (tok.norm in LATIN_STOP and not head_word):
        return None
    if tok.surface.isupper() and len(tok.surface) > 1:
        return None
    # English: the run of capitalized words (and inner connectors) starting here.
    run = [i]
    k = i + 1
    while k < len(tokens) and not tokens[k].break_before and not tokens[k].arabic:
        t = tokens[k]
        if t.surface.isupper() and len(t.surface) > 1:
            break  # an acronym or a dateline (VANCOUVER --) ends the name
        if (t.upper and (t.norm not in LATIN_STOP or t.norm in _EN_HEADS)) or (
            t.norm in _EN_INNER and k + 1 < len(tokens) and tokens[k + 1].upper
        ):
            run.append(k)
        else:
            break
        k += 1
    while run and tokens[run[-1]].norm in _EN_INNER:
        run.pop()
    heads = [k for k in run if tokens[k].norm in _EN_HEADS]
    if heads:
        # End at the last head, or after its "of ..." complement: "Supreme Court" in "Supreme
        # Court Justice Brett Kavanaugh", "Ministry of Defence", "University of Toronto".
        end = run.index(heads[-1])
        if end + 1 < len(run) and tokens[run[end + 1]].norm in {"of", "for"}:
            end = len(run) - 1
        if end >= 1:
            return OrgHit(run[0], run[end])
    if not french or tok.norm not in _FR_HEADS:
        return None  # lower-case words after a head are adjectives only in French
    # French: Head adjective* (de|du|des|d' [la|l'] word)?
    last = i
    k = i + 1
    adjectives = 0
    while k < len(tokens) and not tokens[k].break_before and not tokens[k].arabic:
        t = tokens[k]
        if t.norm in _FR_DE or t.norm.startswith(("d'", "d’")):
            j = k if t.norm.startswith(("d'", "d’")) and len(t.norm) > 2 else k + 1
            if j < len(tokens) and tokens[j].norm in _FR_ARTICLES:
                j += 1
            if j < len(tokens) and not tokens[j].break_before and tokens[j].norm not in LATIN_STOP:
                last = j
            break
        if t.upper or t.norm in LATIN_STOP or adjectives >= 2 or k in taken:
            break
        adjectives += 1
        last = k
        k += 1
    return OrgHit(i, last) if last > i else None


def find_organisations(tokens: list[Token], taken: set[int], language: str | None = None) -> list[OrgHit]:
    """Organisation names from trigger heads (see the module docstring); `taken` tokens are
    already named by the gazetteer and never start a hit. The French rule runs only when
    `language` is "fr"."""
    out: list[OrgHit] = []
    i = 0
    while i < len(tokens):
        if i in taken:
            i += 1
            continue
        hit = _arabic(tokens, i, taken) if tokens[i].arabic else _latin(tokens, i, taken, language == "fr")
        if hit is None:
            i += 1
            continue
        out.append(hit)
        i = hit.last + 1
    return out


def find_acronyms(tokens: list[Token], taken: set[int]) -> list[int]:
    """Tokens that are Latin acronyms naming an organisation (CNN, RCMP, SPD): two to six capital
    letters, not a listed non-name (units, time zones, roman numerals, ...), and not inside a
    shouted line (an all-capital neighbour)."""
    out = []
    for i, tok in enumerate(tokens):
        s = tok.surface
        if i in taken or tok.arabic or not (2 <= len(s) <= 6 and s.isascii() and s.isalpha() and s.isupper()):
            continue
        if tok.norm in ACRONYM_STOP:
            continue
        near = (tokens[j].surface for j in (i - 1, i + 1) if 0 <= j < len(tokens))
        if any(len(n) > 1 and n.isalpha() and n.isupper() for n in near):
            continue
        out.append(i)
    return out
